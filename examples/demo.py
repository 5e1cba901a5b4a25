"""
Imbalanced sequence classification on real data: the data and an F1 table
=========================================================================

A fast first look (seconds; the README's main job, ``python -m benchmarks.study
--profile demo``, runs the library's methods). It loads a real, offline data set made imbalanced
(Japanese Vowels with one speaker at 5% by default), describes it (class counts,
imbalance, sequence lengths), then trains every method of ``METHODS`` on a
stratified split and prints the minority-class F1 on the test part, averaged
over seeds, as in the paper's tables.

Adding a method is one entry of ``METHODS``: a name and a function of the seed
that returns an estimator (or an imbalanced-learn ``Pipeline``) taking 3-D,
NaN-padded sequences.

Run it with::

    python examples/demo.py                          # Japanese Vowels, 5% minority
    python examples/demo.py --dataset power --seeds 5
    python examples/demo.py --dataset movie_reviews --minority-fraction 0.05
"""

# %%
from __future__ import annotations

import argparse
import time
from collections.abc import Callable
from typing import Any

import numpy as np
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import f1_score
from sklearn.model_selection import train_test_split
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import FunctionTransformer, StandardScaler

from imblearn_seqgan import datasets
from imblearn_seqgan.utils import check_sequences

# %%
# Data sets
# ---------
# Each entry loads ``(X, y)`` with a given minority fraction and seed.

DATASETS: dict[str, Callable[[float, int], tuple[Any, np.ndarray]]] = {
    "japanese_vowels": lambda fraction, seed: datasets.load_japanese_vowels(
        minority_fraction=fraction, random_state=seed
    ),
    "power": lambda fraction, seed: datasets.load_household_power(
        minority_fraction=fraction, max_samples=20_000, random_state=seed
    ),
    "movie_reviews": lambda fraction, seed: datasets.load_movie_reviews(
        minority_fraction=fraction, random_state=seed
    ),
    "synthetic": lambda fraction, seed: datasets.make_imbalanced_sequences(
        1000, weights=(1 - fraction, fraction), random_state=seed
    ),
}
DEFAULT_FRACTION = {"japanese_vowels": 0.05, "power": None, "movie_reviews": 0.01}


# %%
# Methods
# -------
# A cheap, non-neural reference: per-feature summaries of each sequence (mean,
# standard deviation, first and last value) and its length, then a logistic
# regression. The library's classifiers and oversamplers go next to it, e.g.::
#
#     "Seq2Seq + SeqGAN": lambda seed: Pipeline(
#         [("gan", SeqGANOverSampler(random_state=seed)),
#          ("clf", Seq2SeqClassifier(random_state=seed))]
#     ),


def sequence_summaries(X: Any) -> np.ndarray:
    """Per-feature mean, std, first and last valid value, plus the length."""
    seqs = check_sequences(X)
    values, lengths = seqs.values, seqs.lengths  # post-padded with zeros
    mask = seqs.mask[:, :, None]
    n = lengths[:, None].astype(values.dtype)
    mean = values.sum(axis=1) / n
    std = np.sqrt((((values - mean[:, None]) ** 2) * mask).sum(axis=1) / n)
    last = values[np.arange(len(lengths)), lengths - 1]
    return np.hstack([mean, std, values[:, 0], last, n])


METHODS: dict[str, Callable[[int], Any]] = {
    "summaries + logistic regression": lambda seed: make_pipeline(
        FunctionTransformer(sequence_summaries),
        StandardScaler(),
        LogisticRegression(max_iter=2000, random_state=seed),
    ),
}


# %%
# Describe the data and compare the methods
# ------------------------------------------


def describe(name: str, X: Any, y: np.ndarray) -> None:
    seqs = check_sequences(X)
    lengths = seqs.lengths
    minority = y.any(axis=1) if y.ndim == 2 else y != 0
    print(f"data set: {name}")
    print(f"  sequences: {seqs.n_sequences}, features per step: {seqs.n_features}")
    print(f"  lengths: min {lengths.min()}, median {int(np.median(lengths))}, max {lengths.max()}")
    print(
        f"  minority: {int(minority.sum())} of {len(y)} ({minority.mean():.2%}), "
        f"imbalance ratio 1:{(~minority).sum() / max(minority.sum(), 1):.0f}"
    )


def compare(name: str, fraction: float | None, seeds: int) -> None:
    scores: dict[str, list[float]] = {method: [] for method in METHODS}
    seconds: dict[str, float] = dict.fromkeys(METHODS, 0.0)
    for seed in range(seeds):
        X, y = DATASETS[name](fraction, seed)
        if seed == 0:
            describe(name, X, y)
        X_train, X_test, y_train, y_test = train_test_split(
            X, y, test_size=0.25, stratify=y, random_state=seed
        )
        for method, make in METHODS.items():
            start = time.perf_counter()
            model = make(seed).fit(X_train, y_train)
            scores[method].append(f1_score(y_test, model.predict(X_test)))
            seconds[method] += time.perf_counter() - start

    print(f"\nminority-class F1 on the test split, {seeds} seed(s):")
    width = max(len(m) for m in METHODS)
    print(f"  {'method':<{width}}  {'F1 mean':>8}  {'sd':>6}  {'fit s':>6}")
    for method, values in scores.items():
        print(
            f"  {method:<{width}}  {np.mean(values):>8.2%}  {np.std(values):>6.2%}  "
            f"{seconds[method] / seeds:>6.1f}"
        )


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[1])
    parser.add_argument("--dataset", choices=sorted(DATASETS), default="japanese_vowels")
    parser.add_argument(
        "--minority-fraction",
        type=float,
        default=None,
        help="share of minority sequences (default: 5%% for Japanese Vowels, 1%% for the "
        "movie reviews, the natural ~2%% for power, 10%% for synthetic)",
    )
    parser.add_argument("--seeds", type=int, default=3, help="number of seeds (splits)")
    args = parser.parse_args(argv)
    fraction = args.minority_fraction
    if fraction is None:
        fraction = DEFAULT_FRACTION.get(args.dataset, 0.1)
    compare(args.dataset, fraction, args.seeds)


if __name__ == "__main__":
    main()
