"""The paper's computational study on public data, one command, resumable.

Every method is the same balanced ensemble of ``Seq2SeqClassifier``s, trained on
the data as is (baseline) or after an oversampler; the novelty detectors stand on
their own. Each (data set, method, seed) run is saved as one JSON file, so a killed
study picks up where it stopped; the report (tables, figures) is rebuilt from
whatever runs exist.

    python benchmarks/study.py --profile quick          # 2-core CPU, well under an hour
    python benchmarks/study.py --profile full           # meant for a GPU
    python benchmarks/study.py --profile demo           # the README's main job, 2.5 minutes
    python benchmarks/study.py --profile quick --report-only

Outputs go to ``benchmarks/results/<profile>/``: ``runs/*.json``, ``results.md``
(tables like the paper's Tables 1-3), ``results.csv``, ``f1_bars.png`` (Figure 3),
``tsne_<data set>.png`` (Figure 2) and ``confusion_difference.md`` (Table 2).
"""

from __future__ import annotations

import argparse
import dataclasses
import importlib.util
import os
import shutil
import sys
from pathlib import Path

import torch

# the study's modules sit beside this script, which runs as a file, not a package
sys.path.insert(0, str(Path(__file__).resolve().parent))
from _study_report import write_report  # noqa: E402
from _study_runner import (  # noqa: E402
    ALL_METHODS,
    MINORITY,
    PROFILES,
    load_runs,
    run_all,
    run_path,
)

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "benchmarks" / "results"
DOCS = ROOT / "docs" / "_static" / "study"


# --- command line -------------------------------------------------------------


def _shown(path: Path) -> str:
    """The path as a user would type it: relative to the working folder when inside it."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--profile", choices=sorted(PROFILES), default="quick")
    parser.add_argument("--datasets", nargs="*", help="subset of the profile's data sets")
    parser.add_argument("--methods", nargs="*", help="subset of the profile's methods")
    parser.add_argument("--seeds", type=int, help="number of seeds (default: the profile's)")
    parser.add_argument(
        "--n-estimators", type=int, help="ensemble members (default: the profile's)"
    )
    parser.add_argument(
        "--power-windows", type=int, help="power windows kept (default: the profile's)"
    )
    parser.add_argument(
        "--review-limit", type=int, help="movie reviews kept (default: the profile's)"
    )
    parser.add_argument(
        "--threads",
        type=int,
        default=1,
        help="torch threads (default 1: fastest on a shared 2-core CPU; raise on a big one)",
    )
    parser.add_argument(
        "--n-jobs",
        type=int,
        help="runs side by side through joblib, each on --threads threads (default: "
        "one per CPU core; 1 when CUDA is available, as the runs would share the GPU)",
    )
    parser.add_argument("--out", type=Path, help="output folder (default: results/<profile>)")
    parser.add_argument(
        "--report-only", action="store_true", help="rebuild the report from saved runs"
    )
    parser.add_argument(
        "--publish",
        action="store_true",
        help=f"copy the tables and figures to {DOCS.relative_to(ROOT)}/<profile>/ for the docs",
    )
    args = parser.parse_args(argv)
    profile = PROFILES[args.profile]
    overrides = {
        "n_estimators": args.n_estimators,
        "power_windows": args.power_windows,
        "review_limit": args.review_limit,
    }
    profile = dataclasses.replace(
        profile, **{key: value for key, value in overrides.items() if value is not None}
    )
    if importlib.util.find_spec("matplotlib") is None:
        # checked before the training, not after it when the figures are drawn
        parser.exit(
            1,
            "The study draws its figures with matplotlib, which is not installed: "
            'pip install -e ".[study]" (see README.md, Install).\n',
        )
    out = args.out or RESULTS / args.profile
    out.mkdir(parents=True, exist_ok=True)
    if not args.report_only:
        datasets = args.datasets or profile.datasets
        methods = args.methods or profile.methods
        seeds = range(args.seeds or profile.seeds)
        jobs = [(d, m, s) for d in datasets for s in seeds for m in methods]
        n_jobs = args.n_jobs or (1 if torch.cuda.is_available() else os.cpu_count())
        saved = sum(run_path(out, *job).exists() for job in jobs)
        # to stderr, beside the progress bar: stdout stays the report, the same on a re-run
        print(
            f"{len(jobs)} runs, each saved as it ends in {_shown(out / 'runs')} ({saved} there "
            "already, reused); a stopped study resumes from them when run again",
            file=sys.stderr,
        )
        run_all(
            jobs,
            profile,
            out,
            threads=args.threads,
            n_jobs=n_jobs,
            desc=f"study ({args.profile})",
        )
    print(write_report(load_runs(out), out, ALL_METHODS, MINORITY))
    print(
        f"\nreport (results.md, results.csv), figures (f1_bars.png, tsne_*.png) in "
        f"{_shown(out)}; runs in {_shown(out / 'runs')}, where a re-run resumes from them"
    )
    if args.publish:
        target = DOCS / (out.name if args.out else args.profile)
        target.mkdir(parents=True, exist_ok=True)
        for path in [out / "results.inc", *out.glob("*.png")]:
            shutil.copy(path, target / path.name)
        print(f"tables and figures copied to {target}")


if __name__ == "__main__":
    main()
