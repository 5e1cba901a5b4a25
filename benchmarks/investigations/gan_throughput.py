"""Throughput and training budgets of the GAN-based estimators (prints figures; not a test).

Run from the repository root::

    python -m benchmarks.investigations.gan_throughput                 # everything, CPU
    python -m benchmarks.investigations.gan_throughput --device cuda   # on a GPU
    python -m benchmarks.investigations.gan_throughput --only ops steps

Sections (``--only`` picks some):

``ops``
    torch operator calls per GAN optimisation step (``torch.profiler``, every
    recorded operator, nested ones included, over 36 steps after 12 warm-up
    steps) at 25 and 100 time steps; 2,000 sequences of 16 features, hidden 64,
    defaults, with the finite-difference penalty (default), the exact penalty
    and no penalty. The count is the same on CPU and GPU for the same code, so
    on a machine without a GPU it is the proxy for launch-bound GPU time.
``steps``
    time per GAN step with the default penalty, without a penalty
    (``lambda_gp=0``) and with the exact penalty, measured in one run, in turns;
    the ratios and sequences per second (batch size x steps per second); on
    CUDA also the GPU-busy fraction (kernel time / wall time, profiler).
``quality``
    held-out quality of SeqGANOverSampler's synthetic minority, finite
    difference against exact penalty, several seeds: the share of synthetic
    sequences a classifier trained on real data (not the training data) calls
    minority.
``budgets``
    SeqGANOverSampler and LatentADASYN at their default budgets on 30 and on
    30,000 minority sequences: passes/steps taken, whether training stopped
    before its cap, time per pass, fit time, and the share of synthetic
    sequences a real-data classifier calls minority.
``threads``
    150 GAN steps (SeqGANOverSampler, the signature data) with the default
    ``n_threads=1`` and with torch's default thread count (``n_threads=None``),
    in turns.

One intra-op thread (the estimators' default ``n_threads=1``) unless ``--threads``.
GANNoveltyDetector's scores at its defaults: ``python -m
benchmarks.investigations.novelty --defaults``.
"""

from __future__ import annotations

import argparse
import os
import time

import numpy as np
import torch
from skorch.callbacks import Callback

from imblearn_seqgan._nn import SequenceGAN
from imblearn_seqgan.datasets import make_imbalanced_sequences
from imblearn_seqgan.metrics import minority_share
from imblearn_seqgan.over_sampling import LatentADASYN, SeqGANOverSampler

from ._shared import SIGNATURE, real_data_classifier, sine_sequences

WARM, MEASURED = 12, 36  # steps; 36 = a whole cycle of step kinds and lazy penalties


class StepWindow(Callback):
    """Profiles (operator count, CUDA kernel time) or times the steps
    ``WARM .. WARM + MEASURED`` of a fit."""

    def __init__(self, profile=False, device="cpu"):
        self.profile, self.device = profile, device

    def initialize(self):
        self.step_, self.ops_, self.seconds_, self.kernel_s_ = 0, None, None, None
        return self

    def _sync(self):
        if self.device.startswith("cuda"):
            torch.cuda.synchronize()

    def on_batch_begin(self, net, **kwargs):
        if self.step_ != WARM:
            return
        if self.profile:
            activities = [torch.profiler.ProfilerActivity.CPU]
            if self.device.startswith("cuda"):
                activities.append(torch.profiler.ProfilerActivity.CUDA)
            self.prof_ = torch.profiler.profile(activities=activities)
            self.prof_.start()
        self._sync()
        self.start_ = time.perf_counter()

    def on_batch_end(self, net, **kwargs):
        self.step_ += 1
        if self.step_ != WARM + MEASURED:
            return
        self._sync()
        self.seconds_ = (time.perf_counter() - self.start_) / MEASURED
        if self.profile:
            self.prof_.stop()
            events = self.prof_.key_averages()
            self.ops_ = sum(e.count for e in events) / MEASURED
            kernel_us = sum(getattr(e, "self_device_time_total", 0) for e in events)
            self.kernel_s_ = kernel_us * 1e-6 / MEASURED


def gan_window(values, lengths, device, profile=False, **params):
    window = StepWindow(profile=profile, device=device)
    SequenceGAN(
        max_steps=WARM + MEASURED,
        device=device,
        random_state=0,
        callbacks=[("window", window)],
        **params,
    ).fit(values, lengths)
    return window


PENALTIES = {
    "finite difference (default)": {},
    "exact": {"penalty_estimate": "exact"},
    "none (lambda_gp=0)": {"lambda_gp": 0.0},
}


def bench_ops(args):
    print("\n== torch operator calls per GAN step (2,000 sequences x 16 features, hidden 64)")
    print(f"{'penalty':<30} {'25 steps':>9} {'100 steps':>10}")
    for name, params in PENALTIES.items():
        counts = [
            gan_window(*sine_sequences(2000, steps), args.device, profile=True, **params).ops_
            for steps in (25, 100)
        ]
        print(f"{name:<30} {counts[0]:9.0f} {counts[1]:10.0f}", flush=True)


def bench_steps(args):
    values, lengths = sine_sequences(2000, 100)
    print("\n== GAN step time, 100 steps x 16 features, hidden 64, batch 64, in turns")
    times = {name: [] for name in PENALTIES}
    busy = {}
    for _ in range(args.repeats):
        for name, params in PENALTIES.items():
            window = gan_window(values, lengths, args.device, **params)
            times[name].append(window.seconds_)
    if args.device.startswith("cuda"):
        for name, params in PENALTIES.items():
            w = gan_window(values, lengths, args.device, profile=True, **params)
            busy[name] = w.kernel_s_ / w.seconds_
    base = np.median(times["none (lambda_gp=0)"])
    for name in PENALTIES:
        t = float(np.median(times[name]))
        line = f"{name:<30} {1e3 * t:8.1f} ms/step  {64 / t:8.0f} sequences/s  {t / base:5.2f}x"
        if name in busy:
            line += f"  GPU busy {busy[name]:.0%}"
        print(line, flush=True)


LARGE = dict(min_length=10, max_length=12)  # short, so 30,000 sequences stay cheap


def bench_quality(args):
    print("\n== SeqGANOverSampler held-out quality: share of synthetic sequences a")
    print("   real-data classifier calls minority (400 sequences, 80 minority, hidden 32)")
    for name, params in PENALTIES.items():
        if params.get("lambda_gp") == 0.0:
            continue
        rates = []
        for seed in range(args.seeds):
            X, y = make_imbalanced_sequences(400, weights=[0.8], random_state=seed, **SIGNATURE)
            clf, _ = real_data_classifier(SIGNATURE, seed)
            sampler = SeqGANOverSampler(
                n_per_sample=3, hidden_size=32, random_state=seed, device=args.device, **params
            )
            X_res, _ = sampler.fit_resample(X, y)
            rates.append(minority_share(clf, X_res[len(y) :]))
        shown = " ".join(f"{r:.0%}" for r in rates)
        print(f"{name:<30} mean {np.mean(rates):.0%}  seeds: {shown}", flush=True)


def bench_budgets(args):
    print("\n== default budgets at both ends (share called minority by a real-data classifier)")
    ends = [(30, SIGNATURE), (args.large, LARGE)]
    for n_minority, shape in ends:
        n = int(n_minority / 0.4)
        X, y = make_imbalanced_sequences(n, weights=[0.6], random_state=0, **shape)
        n_min = int((y == 1).sum())
        clf, ceiling = real_data_classifier(shape, 0)
        print(
            f"-- {n_min} minority sequences, {shape['max_length']} steps x 4 features; "
            f"real minority called minority: {ceiling:.0%}",
            flush=True,
        )
        samplers = {
            "seqgan": SeqGANOverSampler(random_state=0, device=args.device),
            "latent_adasyn": LatentADASYN(random_state=0, device=args.device),
        }
        for sampler in (samplers[name] for name in args.samplers):
            start = time.perf_counter()
            X_res, _ = sampler.fit_resample(X, y)
            fit_s = time.perf_counter() - start
            history = sampler.history_
            passes = len(history)
            per_pass = float(np.median(history[:, "dur"]))
            if isinstance(sampler, SeqGANOverSampler):
                cap = sampler.max_steps
                done = f"{sampler.gan_.n_steps_} steps ({passes} passes), cap {cap} steps"
            else:
                cap = sampler.max_epochs
                stopped = "stopped early" if passes < cap else "ran to the cap"
                done = f"{passes} passes of cap {cap}, {stopped}"
            print(
                f"{type(sampler).__name__:<18} {done}; {per_pass:.2f} s/pass, fit {fit_s:.0f} s;"
                f" synthetic called minority {minority_share(clf, X_res[len(y) :]):.0%}",
                flush=True,
            )


def bench_threads(args):
    default = os.cpu_count()  # torch's default without OMP_NUM_THREADS: one per core
    torch.set_num_threads(default)
    print(f"\n== 150 GAN steps: n_threads=1 vs torch's default ({default} threads), in turns")
    X, y = make_imbalanced_sequences(400, weights=[0.8], random_state=0, **SIGNATURE)
    times = {1: [], None: []}
    for _ in range(args.repeats):
        for n_threads in times:
            sampler = SeqGANOverSampler(
                max_steps=150, random_state=0, device=args.device, n_threads=n_threads
            )
            start = time.perf_counter()
            sampler.fit_resample(X, y)
            times[n_threads].append(time.perf_counter() - start)
    for n_threads, seconds in times.items():
        shown = " ".join(f"{s:.1f}" for s in seconds)
        print(f"n_threads={n_threads!s:<5} median {np.median(seconds):5.1f} s  runs: {shown}")
    torch.set_num_threads(args.threads)


SECTIONS = {
    "ops": bench_ops,
    "steps": bench_steps,
    "quality": bench_quality,
    "budgets": bench_budgets,
    "threads": bench_threads,
}


def main():
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.investigations.gan_throughput",
        description=__doc__.split("\n")[0],
    )
    parser.add_argument("--device", default="cpu")
    parser.add_argument("--only", nargs="+", choices=list(SECTIONS), default=list(SECTIONS))
    parser.add_argument("--seeds", type=int, default=3)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--large", type=int, default=30_000, help="minority sequences")
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument(
        "--samplers",
        nargs="+",
        choices=["seqgan", "latent_adasyn"],
        default=["seqgan", "latent_adasyn"],
    )
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    print(f"device {args.device}, torch {torch.__version__}, {args.threads} thread(s)")
    for name in args.only:
        SECTIONS[name](args)


if __name__ == "__main__":
    main()
