"""
Tune the decision threshold: string labels, few minority sequences
==================================================================

An oversampler raises the minority F1 in two ways: by ranking the sequences
better, and by moving the operating point (how many sequences cross the
classifier's 0.5). A tuned decision threshold does the second without any
synthetic data, so an oversampler is worth keeping only if it beats a tuned
threshold (see the user guide's "Tune the decision threshold first"). This
example wraps a ``SeqGANOverSampler`` + ``Seq2SeqClassifier`` pipeline in
scikit-learn's ``TunedThresholdClassifierCV``, on ragged sequences labelled
``"normal"`` and ``"fault"``, and shows

* the scorer that names the minority's label, and a one-second check that
  catches a wrong one before minutes of training;
* why one 20% validation split fails with few minority sequences, and 5-fold
  stratified cross-validation does not;
* what tuning costs: ``k + 1`` fits of the whole pipeline.

The networks are small (the GAN keeps its default budget of 900 steps): the
example takes about a minute and a half of one CPU core, most of it the GAN's
eight trainings.
"""

# %%
import time

import matplotlib.pyplot as plt
import numpy as np
import torch
from imblearn.pipeline import Pipeline
from sklearn.dummy import DummyClassifier
from sklearn.metrics import f1_score, make_scorer
from sklearn.model_selection import StratifiedKFold, TunedThresholdClassifierCV, train_test_split

from imblearn_seqgan import Seq2SeqClassifier, SeqGANOverSampler
from imblearn_seqgan.datasets import make_imbalanced_sequences

torch.set_num_threads(1)  # small networks: one thread is the fastest

# %%
# Data: ragged sequences, string labels, 5% faults
# -------------------------------------------------
X, y = make_imbalanced_sequences(
    600, weights=(0.95,), min_length=8, max_length=20, return_list=True, random_state=0
)
y = np.where(y == 1, "fault", "normal")
X_train, X_test, y_train, y_test = train_test_split(
    X, y, test_size=0.3, stratify=y, random_state=0
)
print(f"{len(X_train)} training sequences, {np.sum(y_train == 'fault')} of them faults")

# %%
# The pipeline, with the amount of synthetic data stated: three synthetic
# sequences per fault (``n_per_sample=3``, as the paper and the study), not the
# full balance of the default ``sampling_strategy="auto"``. The sampler sits
# inside the pipeline, so validation parts never hold synthetic sequences.
pipe = Pipeline(
    [
        (
            "gan",
            SeqGANOverSampler(n_per_sample=3, hidden_size=8, num_layers=1, random_state=0),
        ),
        ("clf", Seq2SeqClassifier(hidden_size=8, max_epochs=10, random_state=0)),
    ]
)

# %%
# The scorer must name the minority's label
# -----------------------------------------
# ``scoring="f1"`` is ``f1_score(..., pos_label=1)``: with string labels it
# fails, but only when ``TunedThresholdClassifierCV`` scores its first
# validation part, after two whole fits of the pipeline. A ``DummyClassifier``
# in the pipeline's place runs the same scorer in a second:


def check_scoring(scoring, cv):
    """Fail in a second, not after two fits, if ``scoring`` does not fit the labels."""
    TunedThresholdClassifierCV(
        DummyClassifier(strategy="stratified", random_state=0), scoring=scoring, cv=cv
    ).fit(X_train, y_train)


try:
    check_scoring("f1", cv=5)
except ValueError as error:
    print("scoring='f1':", error)

f1_fault = make_scorer(f1_score, pos_label="fault")
check_scoring(f1_fault, cv=5)  # passes: the threshold applies to P(fault)

# %%
# One 20% validation split against 5-fold cross-validation
# ---------------------------------------------------------
# ``cv=0.2`` costs two fits (the refit on all the training data, and the 80%
# part's) and chooses the threshold on the faults of one 20% part: here 4 of
# them. ``StratifiedKFold(5)`` validates every fault once and averages the five
# F1 curves before choosing: six fits.
schemes = {
    "one 20% split (cv=0.2)": 0.2,
    "5-fold (StratifiedKFold(5))": StratifiedKFold(5, shuffle=True, random_state=0),
}
tuned = {}
for name, cv in schemes.items():
    start = time.perf_counter()
    tuned[name] = TunedThresholdClassifierCV(
        pipe, scoring=f1_fault, cv=cv, store_cv_results=True, random_state=0
    ).fit(X_train, y_train)
    n_fits = (cv.get_n_splits() if hasattr(cv, "get_n_splits") else 1) + 1
    print(
        f"{name}: threshold {tuned[name].best_threshold_:.3f}, {n_fits} fits, "
        f"{time.perf_counter() - start:.0f} s"
    )

# %%
# The refitted pipeline (``estimator_``) is the untuned one: it predicts a fault
# where P(fault) reaches 0.5. Test-split F1 and the share of test sequences
# flagged, untuned and tuned:
for name, model in tuned.items():
    for label, predicted in (
        ("at 0.5", model.estimator_.predict(X_test)),
        ("tuned", model.predict(X_test)),
    ):
        f1 = f1_score(y_test, predicted, pos_label="fault")
        flagged = np.mean(predicted == "fault")
        print(f"{name:<28} {label:<7} F1 {f1:.3f}, flags {flagged:.0%} of the sequences")

# %%
# On this seed the threshold chosen on one part's four faults does no better on
# the test split than 0.5, and the 5-fold choice does. With a weaker model, one
# part's few faults can also rank below most normal sequences, and its best
# threshold is then the lowest: "flag everything" (below).
#
# The validation F1 of every candidate threshold (``cv_results_``): with a
# handful of faults in one validation part the curve is a few steps, and its
# best point can sit at the lowest threshold, "flag everything", whose F1 is
# ``2p / (1 + p)`` for a fault share ``p``; averaged over five parts it is
# smoother and its maximum means more.
fig, ax = plt.subplots(figsize=(6.4, 3.6))
for name, model in tuned.items():
    curve = model.cv_results_
    (line,) = ax.plot(curve["thresholds"], curve["scores"], label=name)
    ax.axvline(model.best_threshold_, color=line.get_color(), ls="--", lw=1)
p = np.mean(y_train == "fault")
ax.axhline(2 * p / (1 + p), color="grey", lw=0.8, ls=":", label="F1 of flagging everything")
ax.set_xlabel("threshold on P(fault)")
ax.set_ylabel("validation F1 (fault)")
ax.legend(fontsize=8)
fig.tight_layout()

# %%
# What it costs: ``k + 1`` fits of the whole pipeline, GAN included, for ``k``
# validation parts (``refit=True``, the default), against one untuned;
# ``n_jobs`` runs the parts side by side (here they ran one after the other).
# Compare the tuned pipeline with the classifier alone, tuned the same way,
# before keeping the oversampler.
