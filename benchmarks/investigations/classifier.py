"""Benchmark Seq2SeqClassifier and BalancedSequenceBaggingClassifier.

Prints, in one run (``--device``, default "auto": CUDA when available):

1. torch operator calls per classifier training batch (batch 64, 100 steps x 16
   features, hidden 64), counted with ``torch.profiler`` (the count is the same on
   CPU and GPU for the same code, and on a GPU each call is at least one kernel
   launch), next to a bare torch loop over the same module;
2. a classifier epoch against a bare torch loop over the same module, optimizer
   and data (one thread on CPU; alternated, best of three): the cost of skorch,
   the loader and the checks around the maths;
3. training throughput (sequences per second) at batch 64, 256 and 1,024, and on
   CUDA the fraction of the epoch's wall time the GPU was busy (union of kernel
   intervals from the profiler);
4. an ensemble of 10 members against one member (same member data size and
   epochs): on CPU with ``--n-jobs`` processes, on CUDA with the members in
   threads on their own CUDA streams;
5. how training time follows the valid time steps (variable-length sequences with
   a mean length a quarter of the maximum against full-length ones).

``--quality`` instead prints the classifier's training time and held-out minority
F1 with its defaults on synthetic data, for the default thread setting and for
``n_threads=None``. ``--compare-optimizers`` measures minority F1 of Adam and the
paper's Adadelta in the same number of epochs (how the default optimizer was
chosen); ``--compare-batch-sizes`` measures minority F1 of large batches with a
scaled learning rate against batch 64 on Japanese Vowels and Power windows (how
``batch_size="auto"`` was chosen).

Run::

    OMP_NUM_THREADS=1 python -m benchmarks.investigations.classifier --device cpu
    python -m benchmarks.investigations.classifier --device cuda
    python -m benchmarks.investigations.classifier --compare-batch-sizes

Timings on a shared machine are noisy; compare figures of the same run.
"""

from __future__ import annotations

import argparse
import copy
import time

import numpy as np
import torch
from joblib import Parallel, delayed
from sklearn.metrics import f1_score
from sklearn.model_selection import train_test_split

from imblearn_seqgan._nn import length_bucketed_batches, resolve_device, sequence_input
from imblearn_seqgan.classification import Seq2SeqClassifier
from imblearn_seqgan.datasets import (
    load_household_power,
    load_japanese_vowels,
    make_imbalanced_sequences,
)
from imblearn_seqgan.ensemble import BalancedSequenceBaggingClassifier


def dense_data(n_samples: int, steps: int = 100, n_features: int = 16, seed: int = 0):
    """Full-length sequences of the issue's size, 5% minority (shifted mean)."""
    rng = np.random.default_rng(seed)
    y = (rng.random(n_samples) < 0.05).astype(int)
    X = rng.normal(size=(n_samples, steps, n_features)).astype(np.float32)
    X[y == 1] += 0.3
    return X, y


def fitted_net(X, y, device, batch_size=64, **params):
    """A classifier fitted for one epoch, and its network input (tensors on the device)."""
    clf = Seq2SeqClassifier(
        max_epochs=1, batch_size=batch_size, device=device, random_state=0, **params
    ).fit(X, y)
    lengths = np.full(len(X), X.shape[1], dtype=np.int64)  # full-length data
    inputs = sequence_input(X, lengths, clf.net_.device)
    return clf, inputs, torch.as_tensor(y[:, None]).to(clf.net_.device)


def bare_loop(net, inputs, target, batch_size: int, seed: int):
    """One epoch of the plainest torch loop over a copy of the net's module and
    optimizer, on the same data (tensors on the device, length-bucketed index
    batches): what the classifier's epoch is measured against."""
    module = copy.deepcopy(net.module_)
    optimizer = type(net.optimizer_)(module.parameters(), **net.optimizer_.defaults)
    criterion = net.criterion_
    lengths = inputs["lengths"]
    batches = length_bucketed_batches(lengths.numpy(), batch_size, rng=np.random.default_rng(seed))
    order = np.concatenate(batches)
    rows = torch.as_tensor(order).to(inputs["values"].device)
    module.train()

    def epoch():
        start = 0
        for batch in batches:
            index = rows[start : start + len(batch)]
            start += len(batch)
            optimizer.zero_grad(set_to_none=True)
            logits = module(inputs["values"].index_select(0, index), lengths[batch])
            loss = criterion(logits, target.index_select(0, index))
            loss.backward()
            optimizer.step()
        return float(loss.detach())

    return epoch


def count_operators(fn) -> tuple[int, int]:
    """(all aten operator calls, top-level ones) of one call of ``fn``."""
    from torch.profiler import ProfilerActivity, profile

    fn()  # warm-up: lazy initialisation is not per-batch work
    with profile(activities=[ProfilerActivity.CPU]) as prof:
        fn()
    aten = [e for e in prof.events() if e.name.startswith("aten::")]
    top = [e for e in aten if e.cpu_parent is None or not e.cpu_parent.name.startswith("aten::")]
    return len(aten), len(top)


def gpu_busy(fn) -> float:
    """Fraction of ``fn``'s wall time with at least one CUDA kernel running."""
    from torch.autograd import DeviceType
    from torch.profiler import ProfilerActivity, profile

    torch.cuda.synchronize()
    with profile(activities=[ProfilerActivity.CPU, ProfilerActivity.CUDA]) as prof:
        start = time.perf_counter()
        fn()
        torch.cuda.synchronize()
        wall = time.perf_counter() - start
    intervals = sorted(
        (e.time_range.start, e.time_range.end)
        for e in prof.events()
        if e.device_type == DeviceType.CUDA
    )
    busy, end = 0.0, -np.inf
    for lo, hi in intervals:  # union of the kernels' time ranges (microseconds)
        if hi > end:
            busy += hi - max(lo, end)
            end = hi
    return busy / 1e6 / wall


def timed(fn) -> float:
    start = time.perf_counter()
    fn()
    if torch.cuda.is_available():
        torch.cuda.synchronize()
    return time.perf_counter() - start


def bench_operators(device) -> None:
    X, y = dense_data(640)
    clf, inputs, target = fitted_net(X, y, device)
    n_batches = len(X) // 64
    epoch = bare_loop(clf.net_, inputs, target, 64, seed=0)
    clf_calls = count_operators(lambda: clf.net_.partial_fit(inputs, target))
    bare_calls = count_operators(epoch)
    print(
        "torch operator calls per training batch (batch 64, 100 steps x 16 features, "
        "hidden 64; all / top-level):"
    )
    print(
        f"  Seq2SeqClassifier: {clf_calls[0] / n_batches:.0f} / "
        f"{clf_calls[1] / n_batches:.0f}   bare torch loop over the same module: "
        f"{bare_calls[0] / n_batches:.0f} / {bare_calls[1] / n_batches:.0f}"
    )


def bench_epoch_overhead(device, n_samples: int = 2048, rounds: int = 3) -> None:
    X, y = dense_data(n_samples)
    clf, inputs, target = fitted_net(X, y, device)
    epoch = bare_loop(clf.net_, inputs, target, 64, seed=0)
    times = {"classifier": [], "bare": []}
    for _ in range(rounds):
        times["classifier"].append(timed(lambda: clf.net_.partial_fit(inputs, target)))
        times["bare"].append(timed(epoch))
    best = {key: min(value) for key, value in times.items()}
    print(
        f"Epoch of {n_samples} sequences (batch 64, 100 steps x 16 features, hidden 64, "
        f"{torch.get_num_threads()} thread(s), {device}, best of {rounds}): classifier "
        f"{best['classifier']:.2f} s, bare torch loop {best['bare']:.2f} s: ratio "
        f"{best['classifier'] / best['bare']:.3f}"
    )


def bench_batch_throughput(device, n_samples: int, batch_sizes=(64, 256, 1024)) -> None:
    X, y = dense_data(n_samples)
    print(f"Training throughput on {device}, {n_samples} sequences of 100 steps x 16 features:")
    for batch_size in batch_sizes:
        clf, inputs, target = fitted_net(X, y, device, batch_size=batch_size)

        def epoch(net=clf.net_, inputs=inputs, target=target):
            net.partial_fit(inputs, target)

        seconds = timed(epoch)
        line = f"  batch {batch_size:5d}: {n_samples / seconds:,.0f} sequences/s"
        if device.type == "cuda":
            busy = gpu_busy(epoch)
            line += f", GPU busy {busy:.0%} of the epoch"
        print(line)


def bench_ensemble_vs_member(device, n_jobs, n_samples: int = 2000, max_epochs: int = 5):
    X, y = dense_data(n_samples, steps=50)
    seconds = {}
    for n_estimators in (1, 10):
        bag = BalancedSequenceBaggingClassifier(
            Seq2SeqClassifier(max_epochs=max_epochs, device=device),
            n_estimators=n_estimators,
            n_jobs=n_jobs,
            random_state=0,
        )
        seconds[n_estimators] = timed(lambda bag=bag: bag.fit(X, y))
    print(
        f"BalancedSequenceBaggingClassifier on {device} (n_jobs={n_jobs}), members of "
        f"{len(bag.estimators_samples_[0])} sequences x 50 steps, {max_epochs} epochs: "
        f"1 member {seconds[1]:.1f} s, 10 members {seconds[10]:.1f} s: ratio "
        f"{seconds[10] / seconds[1]:.2f}"
    )


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


def compare_batch_sizes(
    seeds: int, settings: list[tuple[int, float]], power_samples: int, datasets: list[str]
) -> None:
    """Held-out minority F1 of large batches (with a scaled learning rate) against
    the default batch 64, at the default 40 epochs: what ``batch_size="auto"``
    may pick on CUDA without losing quality."""
    data = {}
    for name, loader in (
        ("Japanese Vowels (5% minority)", japanese_vowels),
        (
            f"Power windows ({power_samples:,}, 5% minority)",
            lambda seed: power_windows(seed, power_samples),
        ),
    ):
        if name.split()[0].lower() not in datasets:
            continue
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
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.investigations.classifier",
        description=__doc__.split("\n\n")[0],
    )
    parser.add_argument("--device", default="auto")
    parser.add_argument("--n-jobs", type=int, default=None)
    parser.add_argument("--quality", action="store_true")
    parser.add_argument("--n-samples", type=int, default=3000)
    parser.add_argument("--max-epochs", type=int, default=None)
    parser.add_argument("--n-estimators", type=int, default=4)
    parser.add_argument("--threads", type=int, default=None)
    parser.add_argument("--compare-optimizers", action="store_true")
    parser.add_argument("--compare-batch-sizes", action="store_true")
    parser.add_argument(
        "--batch-settings",
        nargs="+",
        default=["64@3e-3", "256@6e-3", "256@1.2e-2", "1024@1.2e-2", "1024@2.4e-2"],
        help="batch_size@lr pairs for --compare-batch-sizes",
    )
    parser.add_argument("--power-samples", type=int, default=8000)
    parser.add_argument("--datasets", nargs="+", default=["japanese", "power"])
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
        settings = [tuple(float(v) for v in s.split("@")) for s in args.batch_settings]
        compare_batch_sizes(
            args.seeds,
            [(int(b), lr) for b, lr in settings],
            args.power_samples,
            args.datasets,
        )
        return
    if args.quality:
        max_epochs = args.max_epochs or Seq2SeqClassifier().max_epochs
        bench_throughput(args.n_samples, max_epochs)
        bench_ensemble(args.n_samples, args.n_estimators, max_epochs)
        return
    device = resolve_device(args.device)
    print(f"device: {torch.cuda.get_device_name(device) if device.type == 'cuda' else 'CPU'}")
    bench_operators(device)
    bench_epoch_overhead(device)
    bench_batch_throughput(device, 2048 if device.type == "cpu" else 21000)
    bench_ensemble_vs_member(device, args.n_jobs)
    bench_length_scaling()


if __name__ == "__main__":
    main()
