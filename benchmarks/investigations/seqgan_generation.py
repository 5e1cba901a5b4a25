"""SeqGANOverSampler's GAN against a plain autoencoder, on variable lengths, and its
generation's speed and memory (prints figures; not a test).

Run from the repository root::

    python -m benchmarks.investigations.seqgan_generation          # ~5 min on 2 cores
    python -m benchmarks.investigations.seqgan_generation --quick  # smaller data, a smoke run

Measured in one run, so the ratios hold on a noisy shared machine:

1. one GAN training epoch against one epoch of a plain LSTM autoencoder of the
   same size (encoder and decoder as the GAN's) on the same data (target <= 4);
2. a GAN epoch on variable-length data (mean length a quarter of the maximum)
   against equal-length data of the maximum length (target <= 0.35; the
   fraction of valid steps is 0.25);
3. generation throughput (sequences per second);
4. peak memory while generating 100,000 sequences, against the output's size
   (target <= 1.5): in a fresh process, the peak resident set size during
   ``generate`` (the kernel's counter reset just before) minus the resident
   size just before it.
"""

from __future__ import annotations

import argparse
import multiprocessing as mp
import pickle
import resource
import time

import numpy as np
import torch

from imblearn_seqgan._nn import (
    SequenceDecoder,
    SequenceEncoder,
    SequenceGAN,
    length_bucketed_batches,
    masked_mse,
    trim_batch,
)

from ._shared import sine_sequences


def gan_epoch_time(values, lengths, args, epochs):
    """Median epoch duration of SequenceGAN training (from its history)."""
    n_batches = -(-len(lengths) // args.batch_size)
    per_epoch = 3 * -(-n_batches // 3)
    gan = SequenceGAN(
        hidden_size=args.hidden,
        num_layers=2,
        batch_size=args.batch_size,
        max_steps=per_epoch * (epochs + 1),
        random_state=0,
        device="cpu",
    ).fit(values, lengths)
    # the first epoch holds one-off costs (allocations, lazy init)
    return float(np.median(gan.history_[1:, "dur"])) * n_batches / per_epoch, gan


def autoencoder_epoch_time(values, lengths, args, epochs):
    """Median epoch time of a plain LSTM autoencoder of the GAN's size."""
    torch.manual_seed(0)
    n_features = values.shape[2]
    enc = SequenceEncoder(n_features, args.hidden, 2)
    dec = SequenceDecoder(args.hidden, args.hidden, n_features, 2)
    opt = torch.optim.Adam([*enc.parameters(), *dec.parameters()], lr=1e-3)
    rng = np.random.default_rng(0)
    times = []
    for _ in range(epochs + 1):
        start = time.perf_counter()
        for idx in length_bucketed_batches(lengths, args.batch_size, rng=rng):
            x, lens = trim_batch(values, lengths, idx, torch.device("cpu"))
            opt.zero_grad()
            h, _ = enc(x, lens)
            loss = masked_mse(dec(h, lens), x, lens)
            loss.backward()
            opt.step()
        times.append(time.perf_counter() - start)
    return float(np.median(times[1:]))


def _memory_status():
    """(current RSS, peak RSS) in bytes, from /proc on Linux."""
    fields = {}
    with open("/proc/self/status") as status:
        for line in status:
            key, _, rest = line.partition(":")
            if key in ("VmRSS", "VmHWM"):
                fields[key] = int(rest.split()[0]) * 1024
    return fields["VmRSS"], fields["VmHWM"]


def _reset_peak():
    """Reset the kernel's peak-RSS counter (Linux >= 4.0); False if impossible."""
    try:
        with open("/proc/self/clear_refs", "w") as clear:
            clear.write("5")
        return True
    except OSError:
        return False


def _generation_worker(payload, n_samples, queue):
    torch.set_num_threads(payload["threads"])
    gan = pickle.loads(payload["gan"])
    values, lengths = payload["values"], payload["lengths"]
    sources = np.resize(np.arange(len(lengths)), n_samples)
    # warm-up on a few sources so one-off allocations are not counted
    gan.generate(values, lengths, sources=sources[:64], rng=0)
    # Peak RSS during generation minus RSS just before it. Where the peak
    # counter cannot be reset, the process's lifetime peak is used (an
    # underestimate when loading peaked higher than generation's baseline).
    reset = _reset_peak()
    before, lifetime_peak = _memory_status()
    if not reset:
        before = max(before, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024)
    start = time.perf_counter()
    out, *_ = gan.generate(values, lengths, sources=sources, rng=0)
    elapsed = time.perf_counter() - start
    _, peak = _memory_status()
    queue.put((elapsed, peak - before, out.nbytes, out.shape))


def _fit_resample_worker(payload, queue):
    from imblearn_seqgan.over_sampling import SeqGANOverSampler
    from imblearn_seqgan.utils import pad_sequences

    torch.set_num_threads(payload["threads"])
    values, lengths = payload["values"], payload["lengths"]
    X = pad_sequences([values[i, :n] for i, n in enumerate(lengths)])
    y = np.r_[np.zeros(len(X) // 2, int), np.ones(len(X) - len(X) // 2, int)]
    n_per_sample = -(-payload["n_samples"] // int((y == 1).sum()))
    sampler = SeqGANOverSampler(n_per_sample=n_per_sample, max_steps=10, random_state=0)
    # warm-up, so that torch's one-off allocations (thread pools, kernels) and the
    # training's fixed cost are not counted against the output
    SeqGANOverSampler(n_per_sample=1, max_steps=10, random_state=0).fit_resample(X, y)
    reset = _reset_peak()
    before, _ = _memory_status()
    if not reset:
        before = max(before, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024)
    X_res, _ = sampler.fit_resample(X, y)
    _, peak = _memory_status()
    queue.put((peak - before, X_res.nbytes, X_res.shape))


def fit_resample_memory(values, lengths, n_samples, threads):
    """Peak memory of the whole user path (train briefly, generate, return the
    caller's NaN-padded float array with the originals first)."""
    payload = {"values": values, "lengths": lengths, "threads": threads, "n_samples": n_samples}
    ctx = mp.get_context("spawn")
    queue = ctx.Queue()
    proc = ctx.Process(target=_fit_resample_worker, args=(payload, queue))
    proc.start()
    result = queue.get()
    proc.join()
    return result


def generation(gan, values, lengths, n_samples, threads):
    payload = {
        "gan": pickle.dumps(gan),
        "values": values,
        "lengths": lengths,
        "threads": threads,
    }
    ctx = mp.get_context("spawn")
    queue = ctx.Queue()
    proc = ctx.Process(target=_generation_worker, args=(payload, n_samples, queue))
    proc.start()
    result = queue.get()
    proc.join()
    return result


def main():
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.investigations.seqgan_generation",
        description=__doc__.split("\n\n")[0],
    )
    parser.add_argument("--quick", action="store_true", help="small smoke run")
    parser.add_argument("--threads", type=int, default=1, help="torch threads")
    parser.add_argument("--hidden", type=int, default=64)
    parser.add_argument("--batch-size", type=int, default=64)
    parser.add_argument("--n-generate", type=int, default=100_000)
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    n, max_length, n_features, epochs = (128, 24, 4, 2) if args.quick else (512, 48, 16, 3)
    if args.quick:
        args.n_generate = min(args.n_generate, 5_000)
    print(
        f"data: {n} sequences, max length {max_length}, {n_features} features; "
        f"hidden {args.hidden}, 2 layers, batch {args.batch_size}; "
        f"torch {torch.__version__}, {args.threads} thread(s)"
    )

    full_values, full_lengths = sine_sequences(n, max_length, n_features)
    gan_full, gan = gan_epoch_time(full_values, full_lengths, args, epochs)
    ae_full = autoencoder_epoch_time(full_values, full_lengths, args, epochs)
    print(
        f"[1] epoch, equal length {max_length}: GAN {gan_full:.3f} s, plain LSTM "
        f"autoencoder {ae_full:.3f} s, ratio {gan_full / ae_full:.2f} (target <= 4)"
    )

    var_values, var_lengths = sine_sequences(n, max_length, n_features, 0.25, seed=1)
    gan_var, _ = gan_epoch_time(var_values, var_lengths, args, epochs)
    valid = var_lengths.sum() / (n * max_length)
    print(
        f"[2] GAN epoch, variable length (mean {var_lengths.mean():.1f} of "
        f"{max_length}, valid fraction {valid:.2f}): {gan_var:.3f} s, ratio to equal "
        f"length {gan_var / gan_full:.2f} (target <= 0.35)"
    )

    elapsed, peak, nbytes, shape = generation(
        gan, full_values, full_lengths, args.n_generate, args.threads
    )
    print(
        f"[3] generation: {args.n_generate} sequences {shape} in {elapsed:.1f} s, "
        f"{args.n_generate / elapsed:,.0f} sequences/s"
    )
    print(
        f"[4] peak memory above baseline while generating: {peak / 2**20:.0f} MiB for "
        f"an output of {nbytes / 2**20:.0f} MiB, ratio {peak / nbytes:.2f} "
        "(target <= 1.5)"
    )
    peak, nbytes, shape = fit_resample_memory(
        full_values, full_lengths, args.n_generate, args.threads
    )
    print(
        f"[5] peak memory above baseline of fit_resample making {args.n_generate} "
        f"sequences (output {shape}, originals included): {peak / 2**20:.0f} MiB for "
        f"{nbytes / 2**20:.0f} MiB, ratio {peak / nbytes:.2f}"
    )


if __name__ == "__main__":
    main()
