"""What several investigations measure with: the signature data set of the tests, the
real-data classifier behind the "called minority" share, and the throughput workload."""

from __future__ import annotations

import numpy as np
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import FunctionTransformer, StandardScaler

from imblearn_seqgan.datasets import make_imbalanced_sequences
from imblearn_seqgan.metrics import minority_share, sequence_summaries

# the signature tests' shape: 20-30 steps of 4 features, a sine and a ramp in the minority
SIGNATURE = dict(min_length=20, max_length=30)


def summary_classifier():
    """Logistic regression on :func:`~imblearn_seqgan.metrics.sequence_summaries`:
    enough to see the signature data's minority pattern."""
    return Pipeline(
        [
            ("summaries", FunctionTransformer(sequence_summaries)),
            ("scale", StandardScaler()),
            ("clf", LogisticRegression(max_iter=1000)),
        ]
    )


def real_data_classifier(shape, seed):
    """A summary classifier trained on real data of the given shape that no sampler
    sees, and its recall on a second held-out set's minority: the ceiling of the
    share of synthetic sequences it calls minority."""
    X, y = make_imbalanced_sequences(2000, weights=[0.5], random_state=10_000 + seed, **shape)
    clf = summary_classifier().fit(X, y)
    X_t, y_t = make_imbalanced_sequences(1000, weights=[0.5], random_state=20_000 + seed, **shape)
    return clf, minority_share(clf, X_t[y_t == 1])


def sine_sequences(n, max_length, n_features=16, mean_fraction=1.0, seed=0):
    """Sine-plus-noise sequences, post-padded with zeros (the throughput workload);
    lengths with the given mean fraction of ``max_length`` (1.0: all of maximum
    length).

    Returns
    -------
    values : float32 ndarray of shape (n, max_length, n_features)
    lengths : int64 ndarray of shape (n,)
    """
    rng = np.random.default_rng(seed)
    if mean_fraction >= 1.0:
        lengths = np.full(n, max_length)
    else:
        hi = int(round(2 * mean_fraction * max_length))
        lengths = rng.integers(1, hi + 1, size=n)
    t = np.arange(max_length)[None, :, None]
    values = np.sin(t / 3.0 + rng.uniform(0, 6, (n, 1, n_features)))
    values = values + 0.1 * rng.standard_normal((n, max_length, n_features))
    values = values * (np.arange(max_length)[None, :] < lengths[:, None])[:, :, None]
    return values.astype(np.float32), lengths.astype(np.int64)
