"""Benchmark Seq2SeqClassifier and BalancedSequenceBaggingClassifier on this CPU.

Prints, in one run:

1. the classifier's training throughput (sequences per second, and valid time
   steps per second) with its default settings on a few thousand synthetic
   sequences, and its minority F1 on held-out data;
2. how training time follows the valid time steps: variable-length sequences
   with a mean length a quarter of the maximum against full-length ones;
3. the ensemble's wall time with ``n_jobs=1`` against ``n_jobs=2`` (same seeds,
   same members), measured back to back.

``--compare-optimizers`` instead measures minority F1 of Adam and the paper's
Adadelta in the same number of epochs, on the synthetic data and on Japanese
Vowels made imbalanced (needs ``aeon``); it is how the default optimizer was
chosen.

Run::

    python benchmarks/bench_classifier.py
    python benchmarks/bench_classifier.py --compare-optimizers

Timings on a shared machine are noisy; compare figures of the same run. torch
uses as many threads as ``OMP_NUM_THREADS`` / ``torch.set_num_threads`` allow;
``--threads`` sets it (on a loaded 2-core machine, 1 thread can be several times
faster than 2 because OpenMP threads wait on each other). The classifier's own
``n_threads`` (default 1) applies during its fit and predict; the throughput
figure is printed for the default and for ``n_threads=None`` (torch's setting).
"""

from __future__ import annotations

import argparse
import time

import numpy as np
import torch
from joblib import Parallel, delayed
from sklearn.metrics import f1_score
from sklearn.model_selection import train_test_split

from imblearn_seqgan.classification import Seq2SeqClassifier
from imblearn_seqgan.datasets import (
    load_household_power,
    load_japanese_vowels,
    make_imbalanced_sequences,
)
from imblearn_seqgan.ensemble import BalancedSequenceBaggingClassifier


def synthetic(n_samples: int, seed: int, minority: float = 0.05):
    return make_imbalanced_sequences(
        n_samples,
        weights=[1 - minority],
        class_sep=0.5,
        min_length=10,
        max_length=30,
        random_state=seed,
    )


def bench_throughput(n_samples: int, max_epochs: int, thread_settings=(1, None)) -> None:
    X, y = synthetic(n_samples, seed=0)
    X_test, y_test = synthetic(n_samples, seed=1)
    lengths = (~np.isnan(X).all(axis=2)).sum(axis=1)
    print(
        f"Seq2SeqClassifier (defaults, max_epochs={max_epochs}) on {n_samples} "
        f"sequences x {X.shape[2]} features, lengths {lengths.min()}-{lengths.max()} "
        f"(mean {lengths.mean():.1f}), {int(y.sum())} minority:"
    )
    for n_threads in thread_settings:
        clf = Seq2SeqClassifier(max_epochs=max_epochs, n_threads=n_threads, random_state=0)
        start = time.perf_counter()
        clf.fit(X, y)
        elapsed = time.perf_counter() - start
        f1 = f1_score(y_test, clf.predict(X_test))
        threads = n_threads or torch.get_num_threads()
        print(
            f"  n_threads={n_threads} ({threads} torch thread(s)): fit {elapsed:.1f} s = "
            f"{n_samples * max_epochs / elapsed:,.0f} sequences/s = "
            f"{lengths.sum() * max_epochs / elapsed:,.0f} valid steps/s; "
            f"held-out minority F1 {f1:.3f}"
        )


def bench_length_scaling(n_samples: int = 1000, max_length: int = 60, epochs: int = 5) -> None:
    """Cost should follow the valid time steps, not n_sequences x max_length."""
    X, y = make_imbalanced_sequences(
        n_samples, min_length=max_length, max_length=max_length, random_state=0
    )
    rng = np.random.default_rng(0)
    lengths = np.minimum(max_length, rng.geometric(1 / (max_length / 4), size=n_samples))
    lengths[0] = max_length  # same padded width as the full-length data
    ragged = [X[i, :length] for i, length in enumerate(lengths)]
    seconds = {}
    for name, data in (("full length", X), ("variable", ragged)):
        clf = Seq2SeqClassifier(max_epochs=epochs, random_state=0)
        start = time.perf_counter()
        clf.fit(data, y)
        seconds[name] = time.perf_counter() - start
    print(
        f"Length scaling, {n_samples} sequences of max length {max_length}, {epochs} epochs: "
        f"full length {seconds['full length']:.1f} s, variable (mean length "
        f"{lengths.mean():.1f} = {lengths.mean() / max_length:.2f} of max) "
        f"{seconds['variable']:.1f} s: time ratio "
        f"{seconds['variable'] / seconds['full length']:.2f}"
    )


def _import_models() -> int:
    import imblearn_seqgan.classification  # noqa: F401  (torch, skorch)

    return torch.get_num_threads()


def bench_ensemble(n_samples: int, n_estimators: int, max_epochs: int) -> None:
    X, y = synthetic(n_samples, seed=0)
    X_test, y_test = synthetic(n_samples, seed=1)
    # joblib keeps its worker processes between calls: start them and import
    # torch there first, so the timing below is the members' training (a cold
    # start adds a few seconds once per session, more on a loaded machine).
    start = time.perf_counter()
    worker_threads = Parallel(n_jobs=2)(delayed(_import_models)() for _ in range(2))
    print(
        f"(joblib workers started and torch imported in {time.perf_counter() - start:.1f} s; "
        f"torch threads per worker: {worker_threads})"
    )
    times, f1s = {}, {}
    for n_jobs in (1, 2):
        bag = BalancedSequenceBaggingClassifier(
            Seq2SeqClassifier(max_epochs=max_epochs),
            n_estimators=n_estimators,
            n_jobs=n_jobs,
            random_state=0,
        )
        start = time.perf_counter()
        bag.fit(X, y)
        times[n_jobs] = time.perf_counter() - start
        f1s[n_jobs] = f1_score(y_test, bag.predict(X_test))
    print(
        f"BalancedSequenceBaggingClassifier, {n_estimators} members x "
        f"{len(bag.estimators_samples_[0])} sequences, max_epochs={max_epochs}:"
    )
    print(
        f"  n_jobs=1: {times[1]:.1f} s   n_jobs=2: {times[2]:.1f} s   "
        f"speed-up {times[1] / times[2]:.2f}x; minority F1 {f1s[1]:.3f} / {f1s[2]:.3f}"
    )


def japanese_vowels(seed: int):
    X, y = load_japanese_vowels(minority_fraction=0.05, random_state=seed)
    return train_test_split(X, y, test_size=0.5, stratify=y, random_state=seed)


def compare_optimizers(seeds: int, epochs: list[int]) -> None:
    settings = [("adam", 1e-3), ("adam", 3e-3), ("adadelta", 1.0)]
    data = {"synthetic 2000 (5% minority)": []}
    for seed in range(seeds):
        X, y = synthetic(2000, seed=2 * seed)
        X_test, y_test = synthetic(2000, seed=2 * seed + 1)
        data["synthetic 2000 (5% minority)"].append((X, X_test, y, y_test))
    try:
        data["Japanese Vowels (5% minority)"] = [japanese_vowels(s) for s in range(seeds)]
    except ModuleNotFoundError as exc:
        print(f"skipping Japanese Vowels: {exc}")
    for name, splits in data.items():
        print(f"{name}: minority F1, mean over {seeds} seeds (fit seconds)")
        for max_epochs in epochs:
            row = []
            for optimizer, lr in settings:
                scores, seconds = [], 0.0
                for seed, (X, X_test, y, y_test) in enumerate(splits):
                    clf = Seq2SeqClassifier(
                        optimizer=optimizer, lr=lr, max_epochs=max_epochs, random_state=seed
                    )
                    start = time.perf_counter()
                    clf.fit(X, y)
                    seconds += time.perf_counter() - start
                    scores.append(f1_score(y_test, clf.predict(X_test)))
                row.append(f"{optimizer}(lr={lr:g}) {np.mean(scores):.3f} ({seconds:.0f}s)")
            print(f"  epochs={max_epochs:3d}: " + "   ".join(row))


def power_windows(seed: int, n_samples: int = 8000):
    X, y = load_household_power(max_samples=n_samples, minority_fraction=0.05, random_state=seed)
    return train_test_split(X, y, test_size=0.5, stratify=y, random_state=seed)


def compare_batch_sizes(seeds: int, settings: list[tuple[int, float]]) -> None:
    """Held-out minority F1 of large batches (with a scaled learning rate) against
    the default batch 64, at the default 40 epochs: what ``batch_size="auto"``
    may pick on CUDA without losing quality."""
    data = {}
    for name, loader in (
        ("Japanese Vowels (5% minority)", japanese_vowels),
        ("Power windows (8,000, 5% minority)", power_windows),
    ):
        try:
            data[name] = [loader(s) for s in range(seeds)]
        except (ModuleNotFoundError, FileNotFoundError) as exc:
            print(f"skipping {name}: {exc}")
    for name, splits in data.items():
        print(f"{name}: minority F1 per seed, mean (fit seconds)", flush=True)
        for batch_size, lr in settings:
            scores, seconds = [], 0.0
            for seed, (X, X_test, y, y_test) in enumerate(splits):
                clf = Seq2SeqClassifier(batch_size=batch_size, lr=lr, random_state=seed)
                start = time.perf_counter()
                clf.fit(X, y)
                seconds += time.perf_counter() - start
                scores.append(f1_score(y_test, clf.predict(X_test)))
            print(
                f"  batch {batch_size:5d} lr {lr:<7g}: "
                + " ".join(f"{s:.3f}" for s in scores)
                + f"  mean {np.mean(scores):.3f} ({seconds:.0f}s)",
                flush=True,
            )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n-samples", type=int, default=3000)
    parser.add_argument("--max-epochs", type=int, default=None)
    parser.add_argument("--n-estimators", type=int, default=4)
    parser.add_argument("--threads", type=int, default=None)
    parser.add_argument("--compare-optimizers", action="store_true")
    parser.add_argument("--compare-batch-sizes", action="store_true")
    parser.add_argument("--seeds", type=int, default=3)
    parser.add_argument("--epochs", type=int, nargs="+", default=[10, 30])
    args = parser.parse_args()
    if args.threads:
        torch.set_num_threads(args.threads)
    print(f"torch {torch.__version__}, {torch.get_num_threads()} thread(s)")
    if args.compare_optimizers:
        compare_optimizers(args.seeds, args.epochs)
        return
    if args.compare_batch_sizes:
        compare_batch_sizes(
            args.seeds, [(64, 3e-3), (256, 6e-3), (256, 1.2e-2), (1024, 1.2e-2), (1024, 2.4e-2)]
        )
        return
    max_epochs = args.max_epochs or Seq2SeqClassifier().max_epochs
    bench_throughput(args.n_samples, max_epochs)
    bench_length_scaling()
    bench_ensemble(args.n_samples, args.n_estimators, max_epochs)


if __name__ == "__main__":
    main()
