"""Each departure from the paper's eq. (1) switched on and off (prints figures; not a test).

Run from the repository root::

    python -m benchmarks.investigations.paper_switches      # 3 seeds, ~15 min on 2 loaded cores
    python -m benchmarks.investigations.paper_switches --seeds 5 --only gan

For every switch of the User Guide's "Differences from the paper", the library's
default against the paper's setting, on the signature data set of the tests
(``make_imbalanced_sequences``: 400 sequences of 20-30 steps x 4 features, 80
minority with a sine on one feature and a ramp on another), per seed:

* **called minority**: the share of synthetic sequences that a classifier
  trained on separate real data (``sequence_summaries``, logistic regression)
  calls minority (``imblearn_seqgan.metrics.minority_share``); the real
  minority's own share is printed as the ceiling;
* **discriminative**: ``imblearn_seqgan.metrics.discriminative_score`` of the
  real minority against the synthetic sequences, with the same summary
  classifier (0.5: indistinguishable; 1.0: every synthetic one recognisable);
* **fit s**: ``fit_resample``'s wall time (one torch thread);
* **epochs**: passes over the training sequences (LatentADASYN stops when
  its loss has not improved 1% for 20 passes);
* with a ``LossWeightSchedule``: the μ and λ it had reached at the end, per seed.

``--only timing``: CPU seconds per GAN step of each setting (150 steps,
seed 0, the settings in turns, median of ``--repeats``), relative to the
defaults; process time, so the machine's other load counts little.

``--settings schedule adadelta`` runs only the settings whose name contains
one of the words.

``--only gan`` runs SeqGANOverSampler's switches at its default budget (900
steps; 450 left the defaults at 10% called minority), ``--only adasyn``
LatentADASYN's optimizer. The finite-difference and exact penalty estimates
are compared in ``python -m benchmarks.investigations.gan_throughput --only quality``.
"""

from __future__ import annotations

import argparse
import time

import numpy as np

from imblearn_seqgan.datasets import make_imbalanced_sequences
from imblearn_seqgan.metrics import discriminative_score, minority_share
from imblearn_seqgan.over_sampling import LatentADASYN, LossWeightSchedule, SeqGANOverSampler

from ._shared import SIGNATURE, real_data_classifier, summary_classifier

# name -> SeqGANOverSampler parameters (the library's default first)
GAN_SWITCHES = {
    "library defaults": {},
    "drift_weight=0 (paper)": {"drift_weight": 0.0},
    "generator_penalty=True (paper)": {"generator_penalty": True},
    'gradient_penalty="real" (paper)': {"gradient_penalty": "real"},
    "gp_every=1 (paper)": {"gp_every": 1},
    "loss_weight_schedule (paper's text)": {"loss_weight_schedule": LossWeightSchedule()},
    "all of eq. (1) + schedule": {
        "drift_weight": 0.0,
        "generator_penalty": True,
        "gradient_penalty": "real",
        "gp_every": 1,
        "penalty_estimate": "exact",
        "loss_weight_schedule": LossWeightSchedule(),
    },
}

ADASYN_SWITCHES = {
    'optimizer="adam" (library)': {"optimizer": "adam"},
    'optimizer="adadelta" (paper)': {"optimizer": "adadelta"},
    # Adadelta's slow start meets the early stop: the same without it
    "adadelta, 300 passes, no early stop": {
        "optimizer": "adadelta",
        "n_iter_no_change": None,
        "max_epochs": 300,
    },
}


def measure(sampler, seed, clf):
    X, y = make_imbalanced_sequences(400, weights=[0.8], random_state=seed, **SIGNATURE)
    start = time.perf_counter()
    X_res, _ = sampler.fit_resample(X, y)
    fit_s = time.perf_counter() - start
    synthetic = X_res[len(y) :]
    called = minority_share(clf, synthetic)
    disc = discriminative_score(
        X[y == 1],
        synthetic,
        estimator=summary_classifier(),
        scoring="balanced_accuracy",  # as the differences page reports it
        random_state=seed,
    )
    history = sampler.history_
    # the schedule's μ and λ at the end of training (None without a schedule)
    weights = (history[-1].get("mu"), history[-1].get("lambda_gp"))
    return called, disc, fit_s, len(history), weights


def run(title, samplers, seeds):
    print(f"\n== {title}")
    print(
        f"{'setting':<38} {'called minority':>16} {'discriminative':>15} {'fit s':>7}"
        f" {'epochs':>7}  per seed"
    )
    classifiers = {seed: real_data_classifier(SIGNATURE, seed) for seed in seeds}
    ceiling = np.mean([c for _, c in classifiers.values()])
    print(f"{'(real minority, ceiling)':<38} {ceiling:>16.1%}")
    for name, make in samplers.items():
        rows = [measure(make(seed), seed, classifiers[seed][0]) for seed in seeds]
        called, disc, fit_s, epochs = (np.array(col) for col in list(zip(*rows, strict=True))[:4])
        per_seed = " ".join(f"{c:.0%}/{d:.2f}" for c, d in zip(called, disc, strict=True))
        final = [row[4] for row in rows if row[4][0] is not None]
        if final:
            per_seed += "; final mu/lambda " + " ".join(f"{m:.3g}/{lam:.3g}" for m, lam in final)
        print(
            f"{name:<38} {called.mean():>16.1%} {disc.mean():>15.2f} {fit_s.mean():>7.1f}"
            f" {epochs.mean():>7.0f}  {per_seed}",
            flush=True,
        )


def timing(settings, repeats, steps):
    """CPU seconds per GAN step of each setting, the settings run in turns
    (process time: one torch thread, so the machine's other load counts little)."""
    print(
        f"\n== SeqGANOverSampler CPU time per step ({steps} steps, in turns, median of {repeats})"
    )
    X, y = make_imbalanced_sequences(400, weights=[0.8], random_state=0, **SIGNATURE)
    times = {name: [] for name in settings}
    for _ in range(repeats):
        for name, params in settings.items():
            sampler = SeqGANOverSampler(
                n_per_sample=3, hidden_size=32, max_steps=steps, random_state=0, **params
            )
            start = time.process_time()
            sampler.fit_resample(X, y)
            times[name].append((time.process_time() - start) / steps)
    base = float(np.median(next(iter(times.values()))))
    for name, values in times.items():
        t = float(np.median(values))
        print(f"{name:<38} {1e3 * t:8.1f} ms/step  {t / base:5.2f}x", flush=True)


def _chosen(settings, names):
    if names is None:
        return settings
    return {k: v for k, v in settings.items() if any(n in k for n in names)}


def main(argv=None):
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.investigations.paper_switches",
        description=__doc__.split("\n")[0],
    )
    parser.add_argument("--seeds", type=int, default=3)
    parser.add_argument("--max-steps", type=int, default=900)
    parser.add_argument(
        "--only",
        nargs="*",
        choices=["gan", "adasyn", "timing"],
        default=["gan", "adasyn", "timing"],
    )
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument(
        "--settings", nargs="*", default=None, help="run only the settings whose name has one"
    )
    args = parser.parse_args(argv)
    seeds = list(range(args.seeds))
    if "gan" in args.only:
        samplers = {
            name: (
                lambda seed, params=params: SeqGANOverSampler(
                    n_per_sample=3,
                    hidden_size=32,
                    max_steps=args.max_steps,
                    random_state=seed,
                    **params,
                )
            )
            for name, params in _chosen(GAN_SWITCHES, args.settings).items()
        }
        run(
            f"SeqGANOverSampler, n_per_sample=3, hidden 32, {args.max_steps} steps",
            samplers,
            seeds,
        )
    if "adasyn" in args.only:
        samplers = {
            name: (
                lambda seed, params=params: LatentADASYN(
                    hidden_size=32, random_state=seed, **params
                )
            )
            for name, params in _chosen(ADASYN_SWITCHES, args.settings).items()
        }
        run("LatentADASYN, hidden 32, default budget (stops on its loss)", samplers, seeds)
    if "timing" in args.only:
        timing(_chosen(GAN_SWITCHES, args.settings), args.repeats, steps=150)


if __name__ == "__main__":
    main()
