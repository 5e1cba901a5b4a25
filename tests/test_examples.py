"""The README's main job keeps working: run examples/demo.py as a user would."""

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def _run(*args: str) -> str:
    result = subprocess.run(
        [sys.executable, str(ROOT / "examples" / "demo.py"), *args],
        capture_output=True,
        text=True,
        timeout=600,
        cwd=ROOT,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_demo_on_synthetic_data_prints_the_data_and_the_f1_table():
    out = _run("--dataset", "synthetic", "--seeds", "1")
    assert "minority: 100 of 1000 (10.00%)" in out
    assert "minority-class F1 on the test split, 1 seed(s)" in out


@pytest.mark.datasets
def test_demo_default_runs_on_japanese_vowels():
    out = _run("--seeds", "1")
    assert "data set: japanese_vowels" in out
    assert "minority: 30 of 609 (4.93%)" in out
