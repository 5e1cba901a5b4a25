"""Every throughput figure in one command: classifier and ensemble, then the GAN estimators.

Runs :mod:`.classifier` (operator calls per classifier batch, epoch against a bare torch
loop, sequences per second, ensemble of 10 against one member), then
:mod:`.gan_throughput` (operator calls per GAN step at 25 and 100 time steps, a step
with the penalty against one without, training budgets at 30 and 30,000 minority
sequences with the share of synthetic sequences a real-data classifier calls minority,
threads) and :mod:`.novelty` at the detector's defaults (held-out AUCs), each in its
own process so that one's threads and allocator state do not colour the others'
timings. From the repository root::

    python -m benchmarks.investigations.throughput                 # CPU, about half an hour
    python -m benchmarks.investigations.throughput --device cuda   # on a GPU (adds GPU-busy)

Each module also runs alone, with more options (``--help``).
"""

from __future__ import annotations

import argparse
import subprocess
import sys

STEPS = (
    ("classifier", ()),
    ("gan_throughput", ()),
    ("novelty", ("--defaults",)),
)


def main() -> int:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.investigations.throughput",
        description=__doc__.split("\n")[0],
    )
    parser.add_argument("--device", default="cpu", help="cpu or cuda (default: cpu)")
    args = parser.parse_args()
    for name, options in STEPS:
        command = [f"benchmarks.investigations.{name}", *options, "--device", args.device]
        print(f"\n===== python -m {' '.join(command)}", flush=True)
        done = subprocess.run([sys.executable, "-m", *command])
        if done.returncode:
            return done.returncode
    return 0


if __name__ == "__main__":
    sys.exit(main())
