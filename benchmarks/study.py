"""The paper's computational study on public data, one command, resumable.

Every method is the same balanced ensemble of ``Seq2SeqClassifier``s, trained on
the data as is (baseline) or after an oversampler; the novelty detectors stand on
their own. Each (data set, method, seed) run is saved as one JSON file, so a killed
study picks up where it stopped; the report (tables, figures) is rebuilt from
whatever runs exist.

    python benchmarks/study.py --profile quick          # 2-core CPU, well under an hour
    python benchmarks/study.py --profile full           # meant for a GPU
    python benchmarks/study.py --profile demo           # one data set, the README's main job
    python benchmarks/study.py --profile quick --report-only

Outputs go to ``benchmarks/results/<profile>/``: ``runs/*.json``, ``results.md``
(tables like the paper's Tables 1-3), ``results.csv``, ``f1_bars.png`` (Figure 3),
``tsne_<data set>.png`` (Figure 2) and ``confusion_difference.md`` (Table 2).
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import os
import shutil
import sys
import time
import warnings
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import torch
from imblearn.metrics import geometric_mean_score
from imblearn.over_sampling import ADASYN, SMOTE, RandomOverSampler
from imblearn.pipeline import Pipeline
from joblib import Parallel, delayed
from scipy import stats
from sklearn.metrics import average_precision_score, confusion_matrix, f1_score
from sklearn.model_selection import train_test_split
from tqdm.auto import tqdm

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _flattened import FlattenedSampler  # noqa: E402

import imblearn_seqgan as isg  # noqa: E402
from imblearn_seqgan.utils import check_sequences, encode_label_sequences  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "benchmarks" / "results"
DOCS = ROOT / "docs" / "_static" / "study"


# --- profiles -----------------------------------------------------------------


@dataclass
class Profile:
    datasets: list[str]
    methods: list[str]
    seeds: int = 5
    n_estimators: int = 10
    # the paper's members: all minority + a disjoint 1/K of the majority (Appendix B)
    bagging: dict[str, Any] = field(default_factory=lambda: {"sampling_strategy": "partition"})
    classifier: dict[str, Any] = field(default_factory=dict)
    gan: dict[str, Any] = field(default_factory=dict)
    autoencoder: dict[str, Any] = field(default_factory=dict)
    power_windows: int | None = None
    review_limit: int | None = None


ALL_METHODS = [
    "baseline",
    "seqgan",
    "latent_adasyn",
    "smote",
    "adasyn",
    "random_over",
    "novelty_critic",
    "novelty_reconstruction",
]

PROFILES = {
    "demo": Profile(
        datasets=["japanese_vowels"],
        methods=["baseline", "seqgan", "latent_adasyn", "random_over"],
        seeds=2,
        n_estimators=5,
    ),
    "quick": Profile(
        datasets=["japanese_vowels", "power", "power_seq2seq", "reviews_5", "reviews_1"],
        methods=ALL_METHODS,
        seeds=5,
        n_estimators=5,
        power_windows=4000,
        review_limit=2000,
    ),
    "full": Profile(
        datasets=["japanese_vowels", "power", "power_seq2seq", "reviews_5", "reviews_1"],
        methods=ALL_METHODS,
        seeds=5,
        n_estimators=10,
        power_windows=None,
        review_limit=None,
    ),
}


# --- data sets ----------------------------------------------------------------


def load_dataset(name: str, profile: Profile, seed: int) -> tuple[Any, np.ndarray]:
    ds = isg.datasets
    if name == "japanese_vowels":
        return ds.load_japanese_vowels(random_state=seed)
    if name in ("power", "power_seq2seq"):
        task = "seq2one" if name == "power" else "seq2seq"
        return ds.load_household_power(
            task=task, max_samples=profile.power_windows, random_state=seed
        )
    if name.startswith("reviews_"):
        fraction = int(name.split("_")[1]) / 100
        return ds.load_movie_reviews(
            minority_fraction=fraction, max_reviews=profile.review_limit, random_state=seed
        )
    raise ValueError(f"unknown data set {name!r}")


def equal_lengths(X: Any) -> bool:
    lengths = check_sequences(X).lengths
    return bool((lengths == lengths[0]).all())


# --- methods ------------------------------------------------------------------


def three_per_minority_sample(y: np.ndarray) -> dict:
    """The paper's amount of synthetic data: 3 new samples per minority sample, the
    same for every oversampler so that they are compared at equal cost."""
    values, counts = np.unique(y, return_counts=True)
    majority = values[np.argmax(counts)]
    return {v: 4 * c for v, c in zip(values, counts, strict=True) if v != majority}


def make_method(name: str, profile: Profile, seed: int, label_sequences: bool) -> Any:
    bag = isg.BalancedSequenceBaggingClassifier(
        isg.Seq2SeqClassifier(random_state=seed, **profile.classifier),
        n_estimators=profile.n_estimators,
        random_state=seed,
        **profile.bagging,
    )
    if name == "baseline":
        return bag
    if name == "seqgan":
        gan = isg.SeqGANOverSampler(
            n_per_sample=3, label_sequences=label_sequences, random_state=seed, **profile.gan
        )
        return Pipeline([("gan", gan), ("bag", bag)])
    if name == "latent_adasyn":
        sampler = isg.LatentADASYN(
            sampling_strategy=three_per_minority_sample,
            label_sequences=label_sequences,
            random_state=seed,
            **profile.autoencoder,
        )
        return Pipeline([("adasyn", sampler), ("bag", bag)])
    flat = {"smote": SMOTE, "adasyn": ADASYN, "random_over": RandomOverSampler}
    if name in flat:
        sampler = flat[name](sampling_strategy=three_per_minority_sample, random_state=seed)
        return Pipeline([("sampler", FlattenedSampler(sampler)), ("bag", bag)])
    if name.startswith("novelty_"):
        score = name.split("_", 1)[1]
        return isg.GANNoveltyDetector(outlier_score=score, random_state=seed, **profile.gan)
    raise ValueError(f"unknown method {name!r}")


def applicable(method: str, X: Any, y: np.ndarray) -> str | None:
    """Why a method does not apply to a data set, or None."""
    if method in ("smote", "adasyn") and not equal_lengths(X):
        return "needs equal lengths (flattened, as the paper)"
    if method in ("smote", "adasyn") and y.ndim == 2:
        # neighbours are drawn within each distinct label sequence, and rare ones
        # have fewer members than k_neighbors
        return "per-class neighbours; rare label sequences are too small"
    if method.startswith("novelty_") and y.ndim == 2:
        return "sequence-level detector"
    return None


# --- one run ------------------------------------------------------------------


def minority_labels(y: np.ndarray) -> tuple[np.ndarray, Any]:
    """Class labels and the majority class; for label sequences, over all positions
    (the paper scores its seq2seq task label by label)."""
    values, counts = np.unique(y, return_counts=True)
    return values, values[np.argmax(counts)]


def evaluate(model: Any, X_test: Any, y_test: np.ndarray, method: str) -> dict[str, Any]:
    classes, majority = minority_labels(y_test)
    if method.startswith("novelty_"):
        is_outlier = model.predict(X_test) == -1
        minority = [c for c in classes if c != majority]
        y_pred = np.where(is_outlier, minority[0], majority)
        minority_score = -model.score_samples(X_test)
        y_true_min = (y_test != majority).astype(int)
        pr_auc = average_precision_score(y_true_min, minority_score)
    else:
        y_pred = model.predict(X_test)
        proba = model.predict_proba(X_test)
        if y_test.ndim == 2:
            # label sequences: every label position is scored (the paper's seq2seq task)
            proba = np.stack(
                [p[:, list(model.classes_[j]).index(majority)] for j, p in enumerate(proba)],
                axis=1,
            )
            pr_auc = average_precision_score((y_test != majority).ravel(), 1 - proba.ravel())
        else:
            majority_col = list(model.classes_).index(majority)
            pr_auc = average_precision_score(y_test != majority, 1 - proba[:, majority_col])
    y_true, y_hat = np.ravel(y_test), np.ravel(y_pred)
    minority = [c for c in np.unique(y_true) if c != majority]
    f1 = f1_score(y_true, y_hat, labels=minority, average="macro", zero_division=0)
    return {
        "f1": float(f1),
        "g_mean": float(geometric_mean_score(y_true, y_hat, average="multiclass")),
        "pr_auc": float(pr_auc),
        "confusion": confusion_matrix(y_true, y_hat, labels=list(classes)).tolist(),
        "classes": [str(c) for c in classes],
    }


def run_one(dataset: str, method: str, seed: int, profile: Profile, out: Path) -> dict | None:
    path = out / "runs" / f"{dataset}__{method}__{seed}.json"
    settings = {
        "n_estimators": profile.n_estimators,
        "bagging": profile.bagging,
        "power_windows": profile.power_windows,
        "review_limit": profile.review_limit,
    }
    if path.exists():
        record = json.loads(path.read_text())
        saved = record.get("settings", settings)
        if saved != settings:
            # resuming must not mix runs made at another scale into one table
            raise ValueError(
                f"{path} was run with {saved}, not {settings}: give these settings "
                "another --out folder."
            )
        return record
    X, y = load_dataset(dataset, profile, seed)
    y = np.asarray(y)
    reason = applicable(method, X, y)
    if reason is not None:
        record = {"dataset": dataset, "method": method, "seed": seed, "skipped": reason}
    else:
        if y.ndim == 2:
            # rare label sequences can occur once: stratify on majority vs the rest
            codes = encode_label_sequences(y)[0]
            stratify = codes != np.bincount(codes).argmax()
        else:
            stratify = y
        idx_train, idx_test = train_test_split(
            np.arange(len(y)), test_size=0.3, stratify=stratify, random_state=seed
        )
        seqs = check_sequences(X)
        X_train, X_test = seqs.take(idx_train), seqs.take(idx_test)
        model = make_method(method, profile, seed, label_sequences=y.ndim == 2)
        start = time.perf_counter()
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", UserWarning)
            model.fit(X_train, y[idx_train])
        fit_seconds = time.perf_counter() - start
        record = {
            "dataset": dataset,
            "method": method,
            "seed": seed,
            "fit_seconds": fit_seconds,
            "n_train": len(idx_train),
            **evaluate(model, X_test, y[idx_test], method),
        }
        if method == "seqgan" and seed == 0:
            save_tsne_input(model, X_train, y[idx_train], out, dataset)
    record["settings"] = settings
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(record, indent=1))
    return record


def _run_with_threads(threads: int, *args) -> dict | None:
    torch.set_num_threads(threads)
    return run_one(*args)


def save_tsne_input(model: Any, X_train: Any, y_train: np.ndarray, out: Path, dataset: str):
    """Real and synthetic minority sequences for Figure 2, resampled to 20 steps."""
    X_res, y_res = model.named_steps["gan"].fit_resample(X_train, y_train)
    n_real = len(y_train)
    seqs = check_sequences(X_res)
    if y_res.ndim == 2:
        codes, _ = encode_label_sequences(y_res)
    else:
        codes = y_res
    values, counts = np.unique(codes[:n_real], return_counts=True)
    majority = values[np.argmax(counts)]
    minority = np.flatnonzero(codes != majority)
    fixed = np.stack([_resample(seqs.values[i, : seqs.lengths[i]], 20) for i in minority])
    np.savez_compressed(
        out / f"tsne_input_{dataset}.npz",
        features=fixed.reshape(len(fixed), -1),
        synthetic=minority >= n_real,
    )


def _resample(sequence: np.ndarray, n_steps: int) -> np.ndarray:
    old = np.linspace(0, 1, len(sequence))
    new = np.linspace(0, 1, n_steps)
    return np.stack([np.interp(new, old, sequence[:, j]) for j in range(sequence.shape[1])], 1)


# --- report -------------------------------------------------------------------


def load_runs(out: Path) -> list[dict]:
    return [json.loads(p.read_text()) for p in sorted((out / "runs").glob("*.json"))]


def summarise(runs: list[dict]) -> list[dict]:
    rows = []
    by_key: dict[tuple[str, str], list[dict]] = {}
    for r in runs:
        by_key.setdefault((r["dataset"], r["method"]), []).append(r)
    order = {method: i for i, method in enumerate(ALL_METHODS)}
    for (dataset, method), group in sorted(
        by_key.items(), key=lambda item: (item[0][0], order.get(item[0][1], len(order)))
    ):
        if "skipped" in group[0]:
            rows.append({"dataset": dataset, "method": method, "note": group[0]["skipped"]})
            continue
        base = {r["seed"]: r for r in by_key.get((dataset, "baseline"), [])}
        row = {"dataset": dataset, "method": method, "n_seeds": len(group)}
        for metric in ("f1", "g_mean", "pr_auc"):
            values = np.array([r[metric] for r in group])
            row[f"{metric}_mean"], row[f"{metric}_std"] = (
                values.mean(),
                values.std(ddof=1) if len(values) > 1 else 0.0,
            )
            paired = [(r[metric], base[r["seed"]][metric]) for r in group if r["seed"] in base]
            if method != "baseline" and len(paired) > 1:
                a, b = np.array(paired).T
                row[f"{metric}_p"] = float(stats.ttest_rel(a, b).pvalue) if np.any(a != b) else 1.0
        base_time = np.mean([r["fit_seconds"] for r in base.values()]) if base else np.nan
        row["fit_seconds"] = float(np.mean([r["fit_seconds"] for r in group]))
        row["time_vs_baseline"] = row["fit_seconds"] / base_time if base else np.nan
        rows.append(row)
    return rows


def write_report(out: Path) -> str:
    runs = load_runs(out)
    rows = summarise(runs)
    lines = [
        "| data set | method | minority F1 % | p (F1) | G-mean % | PR AUC % | fit s "
        "| time / baseline |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for row in rows:
        if "note" in row:
            lines.append(f"| {row['dataset']} | {row['method']} | n/a: {row['note']} | | | | | |")
            continue
        p = row.get("f1_p")
        lines.append(
            f"| {row['dataset']} | {row['method']} | {_pct(row, 'f1')} | "
            f"{'' if p is None else f'{p:.3f}'} | {_pct(row, 'g_mean')} | {_pct(row, 'pr_auc')} | "
            f"{row['fit_seconds']:.1f} | {row['time_vs_baseline']:.2f} |"
        )
    table = "\n".join(lines)
    (out / "results.md").write_text(
        "Mean ± standard deviation over seeds; p: paired t-test against the baseline."
        f"\n\n{table}\n"
    )
    _write_csv(rows, out / "results.csv")
    _write_rst(rows, runs, out / "results.inc")
    _write_confusion_difference(runs, out)
    _plot_bars(rows, out)
    _plot_tsne(out)
    return table


_COLUMNS = [
    "method",
    "minority F1 %",
    "p (F1)",
    "G-mean %",
    "PR AUC %",
    "fit s",
    "time / baseline",
]


def _rst_table(header: list[str], body: list[list[str]]) -> list[str]:
    lines = [".. list-table::", "   :header-rows: 1", ""]
    for cells in [header, *body]:
        lines += [f"   * - {cells[0]}"] + [f"     - {c}".rstrip() for c in cells[1:]]
    return lines + [""]


def _write_rst(rows: list[dict], runs: list[dict], path: Path) -> None:
    """The tables of results.md and confusion_difference.md as reStructuredText,
    one section per data set, for the docs to include (``--publish``)."""
    lines = []
    for dataset in sorted({r["dataset"] for r in rows}):
        group = [r for r in rows if r["dataset"] == dataset]
        seeds = max((r.get("n_seeds", 0) for r in group), default=0)
        n_train = {r.get("n_train") for r in runs if r["dataset"] == dataset} - {None}
        body = []
        for row in group:
            if "note" in row:
                body.append([row["method"], f"n/a: {row['note']}", "", "", "", "", ""])
                continue
            p = row.get("f1_p")
            body.append(
                [
                    row["method"],
                    _pct(row, "f1"),
                    "" if p is None else f"{p:.3f}",
                    _pct(row, "g_mean"),
                    _pct(row, "pr_auc"),
                    f"{row['fit_seconds']:.1f}",
                    f"{row['time_vs_baseline']:.2f}",
                ]
            )
        sizes = "/".join(map(str, sorted(n_train)))
        title = f"{dataset} ({seeds} seeds, {sizes} training sequences)"
        lines += [title, "~" * len(title), ""] + _rst_table(_COLUMNS, body)
        diff, classes, both = _confusion_difference(runs, dataset)
        if diff is not None:
            lines += [
                f"SeqGAN pipeline minus baseline, confusion matrices summed over seeds {both}"
                " (rows: true class, columns: predicted):",
                "",
            ]
            lines += _rst_table(
                ["true / predicted", *classes],
                [[c, *(f"{v:+d}" for v in r)] for c, r in zip(classes, diff, strict=True)],
            )
    path.write_text("\n".join(lines))


def _pct(row: dict, metric: str) -> str:
    return f"{100 * row[f'{metric}_mean']:.2f} ± {100 * row[f'{metric}_std']:.2f}"


def _write_csv(rows: list[dict], path: Path) -> None:
    keys = sorted({k for r in rows for k in r})
    with path.open("w") as fh:
        fh.write(",".join(keys) + "\n")
        for r in rows:
            fh.write(",".join(str(r.get(k, "")) for k in keys) + "\n")


def _confusion_difference(runs: list[dict], dataset: str):
    """SeqGAN's confusion matrix minus the baseline's, summed over the seeds both
    ran: (difference, class names, seeds), or (None, None, []) without such seeds."""
    by_method: dict[str, dict[int, dict]] = {"baseline": {}, "seqgan": {}}
    for r in runs:
        if r["dataset"] == dataset and r["method"] in by_method and "confusion" in r:
            by_method[r["method"]][r["seed"]] = r
    base, gan = by_method["baseline"], by_method["seqgan"]
    seeds = sorted(set(base) & set(gan))
    if not seeds:
        return None, None, []
    diff = sum(np.array(gan[s]["confusion"]) - np.array(base[s]["confusion"]) for s in seeds)
    return diff, base[seeds[0]]["classes"], seeds


def _write_confusion_difference(runs: list[dict], out: Path) -> None:
    """Table 2 of the paper: the GAN's confusion matrix minus the baseline's, summed
    over the seeds both ran."""
    lines = []
    for dataset in sorted({r["dataset"] for r in runs}):
        diff, classes, seeds = _confusion_difference(runs, dataset)
        if diff is None:
            continue
        lines += [
            f"### {dataset} (seeds {seeds})",
            "",
            "| true \\ predicted | " + " | ".join(classes) + " |",
            "|---" * (len(classes) + 1) + "|",
        ]
        lines += [
            f"| {c} | " + " | ".join(f"{v:+d}" for v in row) + " |"
            for c, row in zip(classes, diff, strict=True)
        ]
        lines.append("")
    (out / "confusion_difference.md").write_text(
        "SeqGAN pipeline minus baseline, confusion matrices summed over seeds.\n\n"
        + "\n".join(lines)
    )


def _plot_bars(rows: list[dict], out: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    rows = [r for r in rows if "note" not in r]
    datasets = sorted({r["dataset"] for r in rows})
    if not datasets:
        return
    fig, axes = plt.subplots(1, len(datasets), figsize=(4 * len(datasets), 4), squeeze=False)
    for ax, dataset in zip(axes[0], datasets, strict=True):
        group = [r for r in rows if r["dataset"] == dataset]
        means = [100 * r["f1_mean"] for r in group]
        # 95% confidence interval of the mean over seeds (Student t)
        ci = [
            100
            * r["f1_std"]
            / np.sqrt(r["n_seeds"])
            * stats.t.ppf(0.975, max(r["n_seeds"] - 1, 1))
            for r in group
        ]
        ax.bar(range(len(group)), means, yerr=ci, capsize=3, color="tab:blue")
        ax.set_xticks(range(len(group)), [r["method"] for r in group], rotation=60, ha="right")
        ax.set_title(dataset)
        ax.set_ylabel("minority F1 (%)")
        top = max(m + (c if np.isfinite(c) else 0) for m, c in zip(means, ci, strict=True))
        ax.set_ylim(0, min(100, 1.15 * top + 1))  # small F1s stay readable
    fig.tight_layout()
    fig.savefig(out / "f1_bars.png", dpi=120)
    plt.close(fig)


def _plot_tsne(out: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from sklearn.manifold import TSNE

    for path in sorted(out.glob("tsne_input_*.npz")):
        data = np.load(path)
        features, synthetic = data["features"], data["synthetic"]
        embedded = TSNE(perplexity=min(30, len(features) - 1), random_state=0).fit_transform(
            features
        )
        fig, ax = plt.subplots(figsize=(5, 5))
        ax.scatter(*embedded[synthetic].T, s=8, alpha=0.5, label="synthetic minority")
        ax.scatter(*embedded[~synthetic].T, s=12, label="real minority")
        ax.legend()
        ax.set_title(path.stem.removeprefix("tsne_input_"))
        fig.savefig(out / f"{path.stem.replace('tsne_input', 'tsne')}.png", dpi=120)
        plt.close(fig)


# --- command line -------------------------------------------------------------


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
    out = args.out or RESULTS / args.profile
    out.mkdir(parents=True, exist_ok=True)
    if not args.report_only:
        datasets = args.datasets or profile.datasets
        methods = args.methods or profile.methods
        seeds = range(args.seeds or profile.seeds)
        jobs = [(d, m, s) for d in datasets for s in seeds for m in methods]
        # runs are independent and save their own file: joblib runs them side by side
        n_jobs = args.n_jobs or (1 if torch.cuda.is_available() else os.cpu_count())
        runs = Parallel(n_jobs=n_jobs, return_as="generator_unordered")(
            delayed(_run_with_threads)(args.threads, d, m, s, profile, out) for d, m, s in jobs
        )
        for _ in tqdm(runs, total=len(jobs), desc=f"study ({args.profile})", unit="run"):
            pass
    print(write_report(out))
    print(f"\nreport, figures and runs in {out}")
    if args.publish:
        target = DOCS / (out.name if args.out else args.profile)
        target.mkdir(parents=True, exist_ok=True)
        for path in [out / "results.inc", *out.glob("*.png")]:
            shutil.copy(path, target / path.name)
        print(f"tables and figures copied to {target}")


if __name__ == "__main__":
    main()
