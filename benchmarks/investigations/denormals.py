"""Training time with float32's denormal numbers flushed to zero (the library's default) and kept.

Fits one ensemble member (:class:`~imblearn_seqgan.classification.Seq2SeqClassifier`,
its defaults) on Power's raw windows, whose unscaled features (a voltage near 240)
saturate the LSTM's gates and push gradients below float32's smallest normal number,
and :class:`~imblearn_seqgan.over_sampling.SeqGANOverSampler` (which standardises its
input) on the same windows. Each fit runs in its own process, one after the other, with
``IMBLEARN_SEQGAN_FLUSH_DENORMALS`` set to 1 (the default) or 0, one torch thread each.
Prints the seconds, the ratio and the scores, which should agree (flushing changes only
numbers below about 1e-38). From the repository root::

    python -m benchmarks.investigations.denormals                 # about 3 minutes
    python -m benchmarks.investigations.denormals --windows 20000
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time

FITS = ("classifier", "seqgan")


def _one_fit(fit: str, windows: int, gan_steps: int) -> dict:
    from sklearn.metrics import average_precision_score
    from sklearn.model_selection import train_test_split

    from imblearn_seqgan._nn._utils import FLUSH_DENORMALS
    from imblearn_seqgan.classification import Seq2SeqClassifier
    from imblearn_seqgan.datasets import load_household_power
    from imblearn_seqgan.metrics import discriminative_score
    from imblearn_seqgan.over_sampling import SeqGANOverSampler

    X, y = load_household_power(max_samples=windows, random_state=0)
    X_train, X_test, y_train, y_test = train_test_split(
        X, y, test_size=0.3, stratify=y, random_state=0
    )
    start = time.perf_counter()
    if fit == "classifier":
        model = Seq2SeqClassifier(random_state=0).fit(X_train, y_train)
        seconds = time.perf_counter() - start
        score = average_precision_score(y_test, model.predict_proba(X_test)[:, 1])
        score_name = "test PR AUC"
    else:
        sampler = SeqGANOverSampler(max_steps=gan_steps, random_state=0)
        X_new, y_new = sampler.fit_resample(X_train, y_train)
        seconds = time.perf_counter() - start
        synthetic = X_new[len(X_train) :]
        score = discriminative_score(X_train[y_train == 1], synthetic, random_state=0)
        score_name = "discriminative AUC"
    return {
        "flush": FLUSH_DENORMALS,
        "seconds": seconds,
        "score": float(score),
        "score_name": score_name,
    }


def main() -> int:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.investigations.denormals",
        description=__doc__.split("\n")[0],
    )
    parser.add_argument("--windows", type=int, default=6000, help="Power windows (default 6000)")
    parser.add_argument("--gan-steps", type=int, default=300, help="GAN steps (default 300)")
    parser.add_argument("--child", choices=FITS, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(_one_fit(args.child, args.windows, args.gan_steps)))
        return 0
    print(f"Power, {args.windows} raw windows (70% to train), one torch thread per fit")
    header = f"{'fit':<11} {'flushed s':>10} {'kept s':>8} {'kept/flushed':>13}"
    print(f"{header}  scores (flushed, kept)")
    for fit in FITS:
        results = {}
        for flush in ("1", "0"):
            env = dict(os.environ, IMBLEARN_SEQGAN_FLUSH_DENORMALS=flush, OMP_NUM_THREADS="1")
            command = [sys.executable, "-m", "benchmarks.investigations.denormals"]
            command += ["--child", fit, "--windows", str(args.windows)]
            command += ["--gan-steps", str(args.gan_steps)]
            done = subprocess.run(command, env=env, capture_output=True, text=True)
            if done.returncode:
                print(done.stderr, file=sys.stderr)
                return done.returncode
            results[flush] = json.loads(done.stdout.strip().splitlines()[-1])
        flushed, kept = results["1"], results["0"]
        print(
            f"{fit:<11} {flushed['seconds']:>10.1f} {kept['seconds']:>8.1f} "
            f"{kept['seconds'] / flushed['seconds']:>13.2f}  {flushed['score_name']} "
            f"{flushed['score']:.4f}, {kept['score']:.4f}",
            flush=True,
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
