"""Every throughput figure in one command: classifier and ensemble, then the GAN estimators.

Runs ``bench_classifier.py`` (operator calls per classifier batch, epoch against a bare
torch loop, sequences per second, ensemble of 10 against one member) and then
``bench_gan_throughput.py`` (operator calls per GAN step at 25 and 100 time steps, a step
with the penalty against one without, training budgets at 30 and 30,000 minority
sequences with the share of synthetic sequences a real-data classifier calls minority,
the novelty detector's AUCs at its defaults, threads), each in its own process so that
one's threads and allocator state do not colour the other's timings::

    python benchmarks/bench_throughput.py                 # CPU, about half an hour on 2 cores
    python benchmarks/bench_throughput.py --device cuda   # on a GPU (adds the GPU-busy fraction)

Each script also runs alone, with more options (``--help``).
"""

from __future__ import annotations

import argparse
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--device", default="cpu", help="cpu or cuda (default: cpu)")
    args = parser.parse_args()
    for script in ("bench_classifier.py", "bench_gan_throughput.py"):
        print(f"\n===== {script} --device {args.device}", flush=True)
        done = subprocess.run([sys.executable, str(HERE / script), "--device", args.device])
        if done.returncode:
            return done.returncode
    return 0


if __name__ == "__main__":
    sys.exit(main())
