"""Long sequences of mixed lengths: the classifier's encoder run segment by segment
against torch's packed LSTM.

Torch's LSTM backward over a ``PackedSequence`` is quadratic in the sequence length on
CPU (each time step's slice allocates and zero-fills a gradient the size of the whole
batch; pytorch/pytorch#149194), so the classifier's encoder runs the fused kernel once
per distinct length in a batch instead (``imblearn_seqgan._nn._seq2seq.lstm_to_each_end``,
same values and gradients; a bidirectional encoder layer by layer). Prints, in one
run, one torch thread:

1. one batch's forward and backward (64 sequences, 3 features, hidden 64, lengths drawn
   from 0.75 L to L) for the packed LSTM, the segment-by-segment run and, as the floor,
   the fused kernel on the padded batch (which runs through the padding, so it is
   not a correct alternative), best of ``--rounds``, at several L;
2. ``Seq2SeqClassifier`` (defaults, ``--epochs``) on 200 sequences of 300-500 steps
   against the same sequences all cut to 300 steps: seconds and the time per valid
   step of each.

From the repository root (about a minute; the packed runs at 800 steps take most)::

    OMP_NUM_THREADS=1 python -m benchmarks.investigations.long_sequences
"""

from __future__ import annotations

import argparse
import time

import numpy as np
import torch
from torch.nn.utils.rnn import pack_padded_sequence, pad_packed_sequence

from imblearn_seqgan._nn._seq2seq import lstm_to_each_end
from imblearn_seqgan._nn._utils import torch_cpu_settings
from imblearn_seqgan.classification import Seq2SeqClassifier


def one_batch(kind: str, lstm: torch.nn.LSTM, values: torch.Tensor, lengths: torch.Tensor):
    if kind == "packed":
        packed = pack_padded_sequence(values, lengths, batch_first=True, enforce_sorted=False)
        outputs, (h, _) = lstm(packed)
        outputs = pad_packed_sequence(outputs, batch_first=True)[0]
    elif kind == "segments":
        outputs, (h, _) = lstm_to_each_end(lstm, values, lengths)
    else:
        outputs, (h, _) = lstm(values)
    (outputs.sum() + h.sum()).backward()


def bench_batch(lengths_max: list[int], rounds: int) -> None:
    torch.manual_seed(0)
    lstm = torch.nn.LSTM(3, 64, batch_first=True)
    print("One batch, forward and backward (ms; 64 sequences, lengths 0.75 L to L):")
    print(f"{'L':>5} {'packed':>9} {'segments':>9} {'padded':>9} {'packed/segments':>16}")
    for length in lengths_max:
        values = torch.randn(64, length, 3)
        lengths = torch.randint(int(0.75 * length), length + 1, (64,))
        lengths[0] = length
        best = {}
        for kind in ("packed", "segments", "padded"):
            times = []
            for _ in range(rounds):
                lstm.zero_grad()
                start = time.perf_counter()
                # the library's settings (denormals flushed), as the classifier trains
                with torch_cpu_settings(1):
                    one_batch(kind, lstm, values, lengths)
                times.append(time.perf_counter() - start)
            best[kind] = 1000 * min(times)
        print(
            f"{length:>5} {best['packed']:>9.1f} {best['segments']:>9.1f} "
            f"{best['padded']:>9.1f} {best['packed'] / best['segments']:>16.1f}"
        )


def bench_classifier(epochs: int) -> None:
    rng = np.random.default_rng(0)
    lengths = rng.integers(300, 501, size=200)
    mixed = [rng.normal(size=(n, 3)).astype(np.float32) for n in lengths]
    cut = [x[:300] for x in mixed]
    y = np.r_[np.zeros(180, int), np.ones(20, int)]
    print(f"\nSeq2SeqClassifier, defaults, {epochs} epoch(s), 200 sequences of 3 features:")
    # the first fit in a process pays imports and torch's start-up: not timed
    Seq2SeqClassifier(max_epochs=1, random_state=0).fit(cut[170:190], y[170:190])
    seconds = {}
    for name, X, steps in (
        ("300-500 steps", mixed, lengths.sum()),
        ("all 300 steps", cut, 300 * len(cut)),
    ):
        start = time.perf_counter()
        Seq2SeqClassifier(max_epochs=epochs, random_state=0).fit(X, y)
        seconds[name] = time.perf_counter() - start
        print(
            f"  {name}: {seconds[name]:.1f} s, {1e6 * seconds[name] / steps / epochs:.1f} µs "
            "per valid step and epoch"
        )


def main() -> None:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.investigations.long_sequences",
        description=__doc__.split("\n\n")[0],
    )
    parser.add_argument("--lengths", type=int, nargs="+", default=[50, 100, 200, 400, 800])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--epochs", type=int, default=2)
    args = parser.parse_args()
    torch.set_num_threads(1)
    print(f"torch {torch.__version__}, 1 thread")
    bench_batch(args.lengths, args.rounds)
    bench_classifier(args.epochs)


if __name__ == "__main__":
    main()
