"""The share of sequences a classifier calls minority: the "called minority" measure
of synthetic sequences."""

from __future__ import annotations

from typing import Any

import numpy as np
from sklearn.utils._param_validation import HasMethods, validate_params

__all__ = ["minority_share"]


@validate_params(
    {
        "estimator": [HasMethods(["predict"])],
        "X": ["array-like"],
        "minority_label": "no_validation",
    },
    prefer_skip_nested_validation=True,
)
def minority_share(estimator: Any, X: Any, *, minority_label: Any = 1) -> float:
    """Share of the sequences of ``X`` that a fitted classifier predicts as the minority.

    Applied to synthetic minority sequences with a classifier trained on *other*
    real data of the same kind (not the data they were made from), it says how many
    carry the minority's pattern as that classifier learned it. The same share on
    held-out real minority sequences (the classifier's minority recall) is its
    ceiling.

    Parameters
    ----------
    estimator : classifier
        A fitted classifier that takes sequences and predicts one label per
        sequence (e.g. a pipeline on :func:`sequence_summaries`).
    X : array-like of shape (n_sequences, n_timesteps, n_features) or list of \
            array-like of shape (length_i, n_features)
        The sequences to classify, in a form ``estimator`` takes.
    minority_label : object, default=1
        The minority class's label (1 in the library's synthetic data sets).

    Returns
    -------
    share : float
        Between 0 and 1.

    Examples
    --------
    >>> from sklearn.linear_model import LogisticRegression
    >>> from sklearn.pipeline import make_pipeline
    >>> from sklearn.preprocessing import FunctionTransformer
    >>> from imblearn_seqgan.datasets import make_imbalanced_sequences
    >>> from imblearn_seqgan.metrics import minority_share, sequence_summaries
    >>> X, y = make_imbalanced_sequences(400, weights=[0.5], random_state=0)
    >>> clf = make_pipeline(FunctionTransformer(sequence_summaries), LogisticRegression())
    >>> clf = clf.fit(X, y)
    >>> X_new, y_new = make_imbalanced_sequences(200, weights=[0.5], random_state=1)
    >>> bool(minority_share(clf, X_new[y_new == 1]) > 0.9)  # real minority: the ceiling
    True
    >>> bool(minority_share(clf, X_new[y_new == 0]) < 0.1)
    True
    """
    predicted = np.asarray(estimator.predict(X))
    if predicted.ndim != 1:
        raise ValueError(
            "minority_share needs one predicted label per sequence; the estimator "
            f"predicted an array of shape {predicted.shape} (label sequences?)."
        )
    if len(predicted) == 0:
        raise ValueError("minority_share needs at least one sequence; X holds none.")
    return float(np.mean(predicted == minority_label))
