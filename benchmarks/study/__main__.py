"""The paper's computational study on public data, one command, resumable.

Every method is the same balanced ensemble of ``Seq2SeqClassifier``s, trained on
the data as is (baseline) or after an oversampler; the novelty detectors stand on
their own. Each (data set, method, seed) run is saved as one JSON file, so a killed
study picks up where it stopped; the report (tables, figures) is rebuilt from the
saved runs of the data sets and methods asked for (the profile's, unless
``--datasets``, ``--methods`` or ``--curve-points`` narrow them).

Run from the repository root::

    python -m benchmarks.study --profile quick          # 2-core CPU, well under an hour
    python -m benchmarks.study --profile full           # meant for a GPU
    python -m benchmarks.study --profile demo           # the README's main job
    python -m benchmarks.study --profile paper          # Power at full size, every method,
                                                        # threshold-tuned column (GPU/hours)
    python -m benchmarks.study --profile curve          # learning curve on Power (GPU/hours)
    python -m benchmarks.study --profile quick --report-only

Outputs go to ``benchmarks/results/<profile>/``: ``runs/*.json``, ``results.md``
(tables like the paper's Tables 1-3, tests between methods, training-set scores of
real against synthetic minority), ``results.csv``, ``f1_bars.png`` (Figure 3),
``tsne_<data set>.png`` (Figure 2, one panel per seed as Appendix C.1),
``learning_curve.png`` (profile curve) and ``confusion_difference.md`` (Table 2).
Every run records the commit it ran at; the report refuses runs of several commits.
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

from .report import read_records, write_report
from .runner import (
    ALL_METHODS,
    METHOD_MODIFIERS,
    MINORITY,
    PROFILES,
    full_size_runs,
    load_runs,
    pending_jobs,
    provenance,
    run_all,
    run_path,
)
from .stats import commits

ROOT = Path(__file__).resolve().parents[2]
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
        prog="python -m benchmarks.study",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--profile", choices=sorted(PROFILES), default="quick")
    parser.add_argument("--datasets", nargs="*", help="subset of the profile's data sets")
    parser.add_argument(
        "--methods",
        nargs="*",
        help="the methods to run (default: the profile's): a method and any +modifiers, "
        "e.g. seqgan+neighbours+unweighted or smote+scaled+epochs10; modifiers: "
        + ", ".join(sorted(METHOD_MODIFIERS)),
    )
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
        "--power-stride",
        type=int,
        help="minutes between Power windows (default: 20, no overlap; 1: the paper's ~2M "
        "overlapping windows)",
    )
    parser.add_argument(
        "--power-features",
        nargs="+",
        metavar="COLUMN",
        help="Power columns to use (default: all seven; see load_household_power)",
    )
    parser.add_argument(
        "--tuned-threshold",
        action=argparse.BooleanOptionalAction,
        help="also score every method with its decision threshold tuned on a validation "
        "split of its own training data (default: on for the paper profile)",
    )
    parser.add_argument(
        "--curve-points",
        type=int,
        nargs="+",
        metavar="N",
        help="minority training windows of the learning curve (profile curve; default: "
        "50 150 500 1000)",
    )
    parser.add_argument(
        "--full-size-runs",
        type=Path,
        metavar="FOLDER",
        help="profile curve: the folder of the paper profile's runs, whose baseline, SMOTE "
        "and SeqGAN on Power at full size are the curve's last point (default: "
        "results/paper)",
    )
    parser.add_argument(
        "--gan-steps",
        type=int,
        help="max_steps of SeqGAN and of both novelty detectors (default: the library's, "
        "2400 for the critic); small values prove the pipeline quickly",
    )
    parser.add_argument(
        "--allow-mixed-commits",
        action="store_true",
        help="report runs made at several commits in one table (the report lists them)",
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
        "--records",
        type=Path,
        metavar="RUNS_CSV",
        help="rebuild the report from a published runs.csv (one row per run, beside each "
        "table in docs/_static/study/) instead of the run files of --out: every data set "
        "and method it holds, unless --datasets or --methods name fewer",
    )
    parser.add_argument(
        "--report-only",
        action="store_true",
        help="rebuild the report from the saved runs of the data sets and methods asked for",
    )
    parser.add_argument(
        "--publish",
        action="store_true",
        help=f"copy the tables, figures and the reported runs' files to "
        f"{DOCS.relative_to(ROOT)}/<the --out folder's name, or the profile>/ for the docs",
    )
    args = parser.parse_args(argv)
    profile = PROFILES[args.profile]
    overrides = {
        "n_estimators": args.n_estimators,
        "power_windows": args.power_windows,
        "review_limit": args.review_limit,
        "power_stride": args.power_stride,
        "power_features": args.power_features,
        "tune_threshold": args.tuned_threshold,
    }
    if args.curve_points:
        overrides["datasets"] = [f"power_min{n}" for n in args.curve_points]
    if args.gan_steps:
        overrides["gan"] = {**profile.gan, "max_steps": args.gan_steps}
        overrides["novelty_critic"] = {**profile.novelty_critic, "max_steps": args.gan_steps}
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
    origin = provenance()
    # the report covers these too, so that a partly run point or method of the same
    # folder can be left out of the published tables (e.g. --report-only --curve-points)
    datasets = args.datasets or profile.datasets
    methods = args.methods or profile.methods
    if args.records:
        args.report_only = True
        try:
            saved = read_records(args.records)
        except (OSError, ValueError) as error:
            parser.exit(1, f"cannot read the records {args.records}: {error}\n")
        # published records are a whole table: report what they hold unless asked for less
        datasets = args.datasets or list(dict.fromkeys(r["dataset"] for r in saved))
        methods = args.methods or list(dict.fromkeys(r["method"] for r in saved))
    if not args.report_only:
        # before hours of training, not after: the report would refuse the mix
        others = sorted(c for c in commits(load_runs(out)) if c.split(" ")[0] != origin["commit"])
        if others and not args.allow_mixed_commits:
            here = origin["commit"] + (" (uncommitted changes)" if origin["dirty"] else "")
            parser.exit(
                1,
                f"{_shown(out)} holds runs of another commit ({'; '.join(others)}); this "
                f"checkout is at {here}. Give another --out folder, or pass "
                "--allow-mixed-commits if the changes between these commits cannot change "
                "the numbers (the report then lists every commit).\n",
            )
        seeds = range(args.seeds or profile.seeds)
        jobs = [(d, m, s) for d in datasets for s in seeds for m in methods]
        n_jobs = args.n_jobs or (1 if torch.cuda.is_available() else os.cpu_count())
        try:
            todo = pending_jobs(out, jobs, profile)
        except ValueError as error:
            parser.exit(1, f"{error}\n")
        # to stderr, beside the progress bar: stdout stays the report, the same on a re-run
        print(
            f"{len(jobs)} runs, each saved as it ends in {_shown(out / 'runs')} "
            f"({len(jobs) - len(todo)} there already, reused; {len(todo)} to run, seed by "
            "seed, the costliest first); a stopped study resumes from them when run again",
            file=sys.stderr,
        )
        run_all(
            todo,
            profile,
            out,
            origin=origin,
            threads=args.threads,
            n_jobs=n_jobs,
            desc=f"study ({args.profile})",
        )
    try:
        if not args.records:
            saved = load_runs(out)
        runs = [r for r in saved if r["dataset"] in datasets and r["method"] in methods]
        # where each reported run's file is, for --publish
        run_files = [run_path(out, r["dataset"], r["method"], r["seed"]) for r in runs]
        # published records hold every run of their table, full-size point included
        if profile.full_size_from and not args.records:
            folder = args.full_size_runs or RESULTS / profile.full_size_from
            full_size = full_size_runs(folder, profile, methods)
            if not full_size:
                print(
                    f"{_shown(folder)} holds no runs of Power at full size, the last point: "
                    f"python -m benchmarks.study --profile {profile.full_size_from} --methods "
                    f"{' '.join(methods)} makes them (or give their folder: --full-size-runs)",
                    file=sys.stderr,
                )
            runs += full_size
            run_files += [
                run_path(folder, r["dataset"], r["method"], r["seed"]) for r in full_size
            ]
        if not runs:
            source = args.records or _shown(out / "runs")
            raise ValueError(
                f"{source} holds no runs of data sets {' '.join(datasets)} and methods "
                f"{' '.join(methods)} ({len(saved)} runs of others)"
            )
        report = write_report(
            runs,
            out,
            ALL_METHODS,
            MINORITY,
            allow_mixed_commits=args.allow_mixed_commits,
        )
    except ValueError as error:
        parser.exit(1, f"no report from {_shown(out)}: {error}\n")
    print(report)
    # this report's figures: a folder's other data sets (a partly run curve point)
    # may have older ones
    reported = {r["dataset"] for r in runs}
    pngs = [
        path
        for path in sorted(out.glob("*.png"))
        if not path.stem.startswith("tsne_") or path.stem.removeprefix("tsne_") in reported
    ]
    figures = ", ".join(path.name for path in pngs) or "none"
    print(
        f"\nreport (results.md, results.csv), figures ({figures}) in "
        f"{_shown(out)}; runs in {_shown(out / 'runs')}, where a re-run resumes from them"
    )
    if args.publish:
        target = DOCS / (out.name if args.out else args.profile)
        target.mkdir(parents=True, exist_ok=True)
        for path in [out / "results.inc", out / "runs.csv", *pngs]:
            shutil.copy(path, target / path.name)
        if not args.records:
            # each reported run's own file beside the table, exactly those: a run the
            # table leaves out (another method, a partly run seed) is not published
            shutil.rmtree(target / "runs", ignore_errors=True)
            (target / "runs").mkdir()
            for path in run_files:
                shutil.copy(path, target / "runs" / path.name)
        print(f"tables, figures and run files copied to {target}")


if __name__ == "__main__":
    main()
