"""Does standardising the features first help the classifier? Raw against scaled input.

:class:`~imblearn_seqgan.classification.Seq2SeqClassifier` takes its features as given
(the generators standardise internally), and the user guide recommends
:class:`~imblearn_seqgan.preprocessing.SequenceStandardScaler` in front of it on the
mechanism: features far from unit scale (Power's voltage near 240) saturate the LSTM's
gates. This measures what the recommendation is worth on the library's real data sets:
one classifier (its defaults) fitted on the raw features and behind the scaler, on the
same stratified 70/30 split per seed, held-out minority PR AUC and F1 at the default
threshold, paired on the seeds. Also prints how far each data set's features are from
unit scale (the largest absolute feature mean and standard deviation over valid steps);
Crop, whose series the UCR archive z-normalised, is also measured "in units" (x 1,000 +
5,000, as a sensor's raw counts) to see what unscaled input costs on the same task.
From the repository root::

    python -m benchmarks.investigations.scaling              # about 10 minutes on 2 cores
    python -m benchmarks.investigations.scaling --seeds 5 --datasets power crop
    python -m benchmarks.investigations.scaling --power-detail   # about 10 minutes

``--power-detail`` asks why Power's raw windows beat the scaled ones: the classifier
without the voltage (raw and scaled), scaled at 5, 10 and 20 epochs instead of the
default 40, and raw and scaled with early stopping (a stratified 20% validation
split, patience 5, at most 100 epochs), with the training split's PR AUC beside the
test split's (a gap that widens with the epochs is overfitting).
"""

from __future__ import annotations

import argparse
import time

import numpy as np
from joblib import Parallel, delayed

DATASETS = ("power", "crop", "crop_in_units", "japanese_vowels", "reviews_5")
# Crop's series are z-normalised (the UCR archive's); "in units" puts them back on a
# sensor-like scale (x 1,000 + 5,000) to see what unscaled input costs on the same task
UNITS = (1000.0, 5000.0)


def load(name: str, seed: int, size: int):
    from imblearn_seqgan import datasets as ds

    if name == "japanese_vowels":
        return ds.load_japanese_vowels(random_state=seed)
    if name in ("crop", "crop_in_units"):
        X, y = ds.load_crop(minority_class=5, max_samples=size, random_state=seed)
        if name == "crop_in_units":
            X = X * np.float32(UNITS[0]) + np.float32(UNITS[1])
        return X, y
    if name == "power":
        return ds.load_household_power(max_samples=size, random_state=seed)
    if name == "reviews_5":
        return ds.load_movie_reviews(minority_fraction=0.05, max_reviews=size, random_state=seed)
    raise ValueError(f"unknown data set {name!r}; known: {', '.join(DATASETS)}")


def one_fit(
    name: str,
    seed: int,
    scaled: bool,
    size: int,
    drop_feature: int | None = None,
    max_epochs: int | str | None = None,
) -> dict:
    from sklearn.metrics import average_precision_score, f1_score
    from sklearn.model_selection import train_test_split
    from sklearn.pipeline import make_pipeline

    from imblearn_seqgan.classification import Seq2SeqClassifier
    from imblearn_seqgan.preprocessing import SequenceStandardScaler

    X, y = load(name, seed, size)
    if drop_feature is not None:
        X = np.delete(X, drop_feature, axis=2)
    X_train, X_test, y_train, y_test = train_test_split(
        X, y, test_size=0.3, stratify=y, random_state=seed
    )
    if max_epochs == "early":
        from skorch.callbacks import EarlyStopping

        # the classifier guide's recipe: a stratified 20% validation split, stop when
        # its loss has not improved for 5 epochs
        epochs = {
            "max_epochs": 100,
            "train_split": 0.2,
            "callbacks": [EarlyStopping(patience=5)],
        }
    else:
        epochs = {} if max_epochs is None else {"max_epochs": max_epochs}
    model = Seq2SeqClassifier(random_state=seed, **epochs)
    if scaled:
        model = make_pipeline(SequenceStandardScaler(), model)
    start = time.perf_counter()
    model.fit(X_train, y_train)
    seconds = time.perf_counter() - start
    proba = model.predict_proba(X_test)[:, 1]
    scaler = SequenceStandardScaler().fit(X_train)
    return {
        "dataset": name,
        "seed": seed,
        "scaled": scaled,
        "pr_auc": float(average_precision_score(y_test, proba)),
        "train_pr_auc": float(
            average_precision_score(y_train, model.predict_proba(X_train)[:, 1])
        ),
        "f1": float(f1_score(y_test, model.predict(X_test))),
        "seconds": seconds,
        "max_abs_mean": float(np.max(np.abs(scaler.mean_))),
        "max_std": float(np.max(scaler.scale_)),
        "n_train": len(y_train),
        "n_test": len(y_test),
        "n_minority_train": int(np.sum(y_train == 1)),
    }


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--datasets", nargs="+", default=["power", "crop", "crop_in_units"], choices=DATASETS
    )
    parser.add_argument("--seeds", type=int, default=3)
    parser.add_argument(
        "--size", type=int, default=6000, help="sequences kept of Crop, Power and the reviews"
    )
    parser.add_argument("--n-jobs", type=int, default=2)
    parser.add_argument(
        "--power-detail",
        action="store_true",
        help="Power only: without the voltage, and scaled at fewer epochs",
    )
    args = parser.parse_args(argv)
    if args.power_detail:
        power_detail(args)
        return

    from scipy import stats

    from benchmarks.study.stats import corrected_t_test

    jobs = [
        (name, seed, scaled)
        for name in args.datasets
        for seed in range(args.seeds)
        for scaled in (False, True)
    ]
    results = Parallel(n_jobs=args.n_jobs)(
        delayed(one_fit)(name, seed, scaled, args.size) for name, seed, scaled in jobs
    )
    print(
        f"Seq2SeqClassifier (defaults) on raw features and behind SequenceStandardScaler, "
        f"{args.seeds} seeds, stratified 30% test split; mean ± sd; p: paired t-test on "
        f"the seeds (scaled against raw) / Nadeau and Bengio's corrected resampled t-test, "
        f"the one to read (the seeds' splits overlap)\n"
    )
    print(
        "| data set | train (minority) | max abs mean / max std | PR AUC raw % | "
        "PR AUC scaled % | p | F1 raw % | F1 scaled % | p | fit s raw / scaled |"
    )
    print("|---|---|---|---|---|---|---|---|---|---|")
    for name in args.datasets:
        raw = [r for r in results if r["dataset"] == name and not r["scaled"]]
        scl = [r for r in results if r["dataset"] == name and r["scaled"]]
        cells = []
        for metric in ("pr_auc", "f1"):
            a = np.array([r[metric] for r in raw]) * 100
            b = np.array([r[metric] for r in scl]) * 100
            p = stats.ttest_rel(b, a).pvalue if len(a) > 1 else float("nan")
            ratio = raw[0]["n_test"] / raw[0]["n_train"]
            corrected = corrected_t_test(dict(enumerate(b)), dict(enumerate(a)), ratio)
            cells += [
                f"{a.mean():.2f} ± {a.std(ddof=1):.2f}",
                f"{b.mean():.2f} ± {b.std(ddof=1):.2f}",
            ]
            cells.append(f"{p:.3f} / " + ("n/a" if corrected is None else f"{corrected:.3f}"))
        first = raw[0]
        print(
            f"| {name} | {first['n_train']} ({first['n_minority_train']}) | "
            f"{first['max_abs_mean']:.3g} / {first['max_std']:.3g} | " + " | ".join(cells) + " | "
            f"{np.mean([r['seconds'] for r in raw]):.0f} / "
            f"{np.mean([r['seconds'] for r in scl]):.0f} |"
        )
    print("\nper run:")
    for r in results:
        print(
            f"  {r['dataset']} seed {r['seed']} {'scaled' if r['scaled'] else 'raw   '} "
            f"PR AUC {100 * r['pr_auc']:.2f} F1 {100 * r['f1']:.2f} fit {r['seconds']:.0f} s"
        )


# (label, scaled, feature dropped, max_epochs); Power's feature 2 is the voltage
POWER_DETAIL = [
    ("raw", False, None, None),
    ("scaled", True, None, None),
    ("raw, no voltage", False, 2, None),
    ("scaled, no voltage", True, 2, None),
    ("scaled, 5 epochs", True, None, 5),
    ("scaled, 10 epochs", True, None, 10),
    ("scaled, 20 epochs", True, None, 20),
    ("raw, early stopping", False, None, "early"),
    ("scaled, early stopping", True, None, "early"),
]


def power_detail(args) -> None:
    jobs = [(seed, *variant) for seed in range(args.seeds) for variant in POWER_DETAIL]
    results = Parallel(n_jobs=args.n_jobs)(
        delayed(one_fit)("power", seed, scaled, args.size, drop, epochs)
        for seed, _, scaled, drop, epochs in jobs
    )
    print(
        f"Seq2SeqClassifier on {args.size} Power windows, {args.seeds} seeds, stratified "
        "30% test split; PR AUC % on the test and the training split (mean ± sd)\n"
    )
    print("| variant | test PR AUC % | per seed | training PR AUC % |")
    print("|---|---|---|---|")
    for label, *_ in POWER_DETAIL:
        rows = [r for (_, name, *_), r in zip(jobs, results, strict=True) if name == label]
        test = np.array([r["pr_auc"] for r in rows]) * 100
        train = np.array([r["train_pr_auc"] for r in rows]) * 100
        print(
            f"| {label} | {test.mean():.2f} ± {test.std(ddof=1):.2f} | "
            f"{' / '.join(f'{v:.2f}' for v in test)} | "
            f"{train.mean():.1f} ± {train.std(ddof=1):.1f} |"
        )


if __name__ == "__main__":
    main()
