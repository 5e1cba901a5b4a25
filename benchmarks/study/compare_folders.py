"""Compare one method's study runs in two folders, paired on the seeds.

The study's report compares methods of one folder, made with one set of settings.
A variant of the settings (``--gan-steps``, ``--n-estimators``) goes into its own
``--out`` folder; this script tests it against the runs of the first folder, seed
by seed, with the report's own t-tests (the corrected resampled one is the one to word
conclusions by: the seeds are overlapping random splits)::

    python -m benchmarks.study.compare_folders benchmarks/results/curve_gan3000 \\
        benchmarks/results/curve --dataset power_min1000 --method seqgan
    # against another method of the second folder
    python -m benchmarks.study.compare_folders benchmarks/results/curve_gan3000 \\
        benchmarks/results/curve --dataset power_min1000 --method seqgan --b-method smote

It prints the commits and the settings that differ, so that a comparison across
commits is never made unknowingly.
"""

from __future__ import annotations

import argparse
import statistics
from pathlib import Path

from .runner import load_runs
from .stats import by_seed, commits, corrected_t_test, t_tests, test_train_ratio

METRICS = [
    "f1",
    "f1_tuned",
    "f1_validation",
    "pr_auc",
    "g_mean",
    "train_recall_real",
    "train_recall_synthetic",
]


def _select(folder: Path, dataset: str, method: str) -> list[dict]:
    runs = [r for r in load_runs(folder) if r["dataset"] == dataset and r["method"] == method]
    if not runs:
        raise SystemExit(f"{folder}/runs holds no run of {method!r} on {dataset!r}")
    return runs


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.study.compare_folders", description=__doc__.split("\n\n")[0]
    )
    parser.add_argument("a_folder", type=Path, help="study --out folder of the variant")
    parser.add_argument("b_folder", type=Path, help="study --out folder to compare it with")
    parser.add_argument("--dataset", required=True, help="e.g. power, power_min1000")
    parser.add_argument("--method", required=True, help="the method of the first folder")
    parser.add_argument("--b-method", help="the method of the second folder (default: --method)")
    parser.add_argument("--metrics", nargs="+", default=METRICS)
    args = parser.parse_args(argv)
    a = _select(args.a_folder, args.dataset, args.method)
    b = _select(args.b_folder, args.dataset, args.b_method or args.method)
    for name, folder, method, runs in (
        ("A", args.a_folder, args.method, a),
        ("B", args.b_folder, args.b_method or args.method, b),
    ):
        seeds = sorted(r["seed"] for r in runs)
        print(f"{name}: {folder} {method}, seeds {seeds}, {commits(runs)}")
    a_settings, b_settings = a[0].get("settings", {}), b[0].get("settings", {})
    for key in sorted(set(a_settings) | set(b_settings)):
        if a_settings.get(key) != b_settings.get(key):
            print(f"settings differ: {key}: A {a_settings.get(key)} | B {b_settings.get(key)}")
    print(
        "metric: A mean ± sd | B mean ± sd | p paired | p unpaired (Student t-tests) | "
        "p corrected (Nadeau and Bengio's resampled t-test, paired)"
    )
    ratio = test_train_ratio(a + b)
    for metric in args.metrics + ["fit_seconds"]:
        values = [by_seed(runs, metric) for runs in (a, b)]
        if not all(len(v) > 1 for v in values):
            continue
        scale = 1 if metric == "fit_seconds" else 100
        shown = [
            f"{scale * statistics.mean(v.values()):.2f} ± "
            f"{scale * statistics.stdev(v.values()):.2f}"
            for v in values
        ]
        tests = [*t_tests(*values).values(), corrected_t_test(*values, ratio)]
        p = [f"{v:.2g}" if v is not None else "n/a" for v in tests]
        print(f"{metric}: {shown[0]} | {shown[1]} | {p[0]} | {p[1]} | {p[2]}")


if __name__ == "__main__":
    main()
