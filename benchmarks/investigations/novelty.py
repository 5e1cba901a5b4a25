"""How well does GANNoveltyDetector tell the minority from the majority?

For several seeds and training budgets, trains the detector on the majority of
seeded synthetic data (``make_imbalanced_sequences``: majority = AR(1) noise,
minority = noise + sine + ramp) and prints, on held-out data, the ROC AUC of
minority vs majority and the paper's minority F1 (outliers predicted minority,
``contamination="auto"`` with ``y``: threshold at the training minority's share),
for both ``outlier_score="reconstruction"`` and ``"critic"`` (the detector's
two-sided reading, ``-|D(x) - median|`` of the training majority's critic
values). For the critic it also prints the AUC of the raw one-sided output
``D(x)`` (higher = more real), which the paper used.

Run from the repository root::

    python -m benchmarks.investigations.novelty
    python -m benchmarks.investigations.novelty --seeds 10 --steps 900 2400 --lr-critic 2e-3
    python -m benchmarks.investigations.novelty --defaults   # the detector's own defaults

The small network (hidden size 8, one layer, batch 32) is the tests'; ``--defaults``
trains the detector at its defaults (hidden size 64, two layers, batch 64, 900
steps). This is where the tests' and the user guide's claims come from.
"""

from __future__ import annotations

import argparse
import time

import numpy as np
import torch
from sklearn.metrics import f1_score, roc_auc_score

from imblearn_seqgan.datasets import make_imbalanced_sequences
from imblearn_seqgan.novelty import GANNoveltyDetector
from imblearn_seqgan.utils import check_sequences

# what --defaults sets: the detector's own defaults
DEFAULTS = dict(steps=[900], hidden_size=64, num_layers=2, batch_size=64, lr_critic=5e-4)


def main() -> None:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.investigations.novelty", description=__doc__.split("\n")[0]
    )
    parser.add_argument("--seeds", type=int, default=3)
    parser.add_argument("--steps", type=int, nargs="+", default=[90, 600])
    parser.add_argument("--hidden-size", type=int, default=8)
    parser.add_argument("--num-layers", type=int, default=1)
    parser.add_argument("--batch-size", type=int, default=32)
    parser.add_argument("--n-samples", type=int, default=200)
    parser.add_argument("--lr-critic", type=float, default=5e-4)
    parser.add_argument("--device", default="auto")
    parser.add_argument(
        "--defaults",
        action="store_true",
        help="the detector's defaults: " + ", ".join(f"{k}={v}" for k, v in DEFAULTS.items()),
    )
    args = parser.parse_args()
    if args.defaults:
        vars(args).update(DEFAULTS)
    torch.set_num_threads(1)

    shape = dict(weights=[0.8], min_length=8, max_length=16)
    print(
        f"{'steps':>5} {'seed':>4} {'score':>14} {'AUC':>6} {'F1':>6} {'fit s':>6}"
        "  one-sided AUC (critic)",
        flush=True,
    )
    results: dict[tuple[int, str], list[float]] = {}
    for steps in args.steps:
        for seed in range(args.seeds):
            X, y = make_imbalanced_sequences(args.n_samples, random_state=seed, **shape)
            X_test, y_test = make_imbalanced_sequences(
                args.n_samples, random_state=1000 + seed, **shape
            )
            for score in ("reconstruction", "critic"):
                start = time.perf_counter()
                detector = GANNoveltyDetector(
                    outlier_score=score,
                    hidden_size=args.hidden_size,
                    num_layers=args.num_layers,
                    max_steps=steps,
                    batch_size=args.batch_size,
                    lr_critic=args.lr_critic,
                    device=args.device,
                    random_state=seed,
                ).fit(X, y)
                fit_s = time.perf_counter() - start
                auc = roc_auc_score(y_test != 0, -detector.score_samples(X_test))
                f1 = f1_score(y_test != 0, detector.predict(X_test) == -1)
                results.setdefault((steps, score), []).append(auc)
                line = f"{steps:>5} {seed:>4} {score:>14} {auc:6.3f} {f1:6.3f} {fit_s:6.1f}"
                if score == "critic":
                    # the critic's raw output, read one-sided (higher = more real)
                    test = check_sequences(X_test)
                    raw = detector.gan_.critic_score(test.values, test.lengths)
                    one_sided = roc_auc_score(y_test != 0, -raw)
                    results.setdefault((steps, "critic one-sided"), []).append(one_sided)
                    line += f"  {one_sided:6.3f}"
                print(line, flush=True)
    print(f"\nmean (min-max) held-out ROC AUC, lr_critic={args.lr_critic}")
    for (steps, score), aucs in results.items():
        print(
            f"{steps:>5} steps {score:>16}: {np.mean(aucs):.3f} "
            f"({np.min(aucs):.3f}-{np.max(aucs):.3f})"
        )


if __name__ == "__main__":
    main()
