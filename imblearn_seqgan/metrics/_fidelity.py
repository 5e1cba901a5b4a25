"""Fidelity of synthetic sequences: can a classifier tell them from real ones, and
can they stand in for the real minority when training a classifier?

Both scores work on any sampler's output (the synthetic samples are the tail of
``fit_resample``'s result, after the originals) and on any sequence-capable
classifier; the default is the library's :class:`~imblearn_seqgan.Seq2SeqClassifier`.
"""

from __future__ import annotations

import numbers
from typing import Any

import numpy as np
from sklearn.base import clone
from sklearn.metrics import balanced_accuracy_score, check_scoring, get_scorer_names
from sklearn.model_selection import StratifiedKFold
from sklearn.utils import check_random_state
from sklearn.utils._param_validation import HasMethods, Interval, StrOptions, validate_params

from ..utils import check_sequences, majority_mask

__all__ = ["discriminative_score", "train_on_synthetic_score"]


def _default_classifier(random_state: Any) -> Any:
    from .. import Seq2SeqClassifier

    return Seq2SeqClassifier(random_state=random_state)


# The Examples start with the imports every doctest of the library repeats: each
# example runs on its own.
@validate_params(
    {
        "X_real": ["array-like"],
        "X_synthetic": ["array-like"],
        "estimator": [HasMethods(["fit", "predict"]), None],
        "cv": [Interval(numbers.Integral, 2, None, closed="left")],
        "random_state": ["random_state"],
    },
    prefer_skip_nested_validation=False,  # the estimator is validated when fitted
)
def discriminative_score(
    X_real: Any,
    X_synthetic: Any,
    *,
    estimator: Any = None,
    cv: int = 5,
    random_state: Any = None,
) -> float:
    """Cross-validated balanced accuracy of a classifier telling real from synthetic.

    0.5 is perfect (the classifier cannot tell them apart); 1.0 means every
    synthetic sequence is recognisable. Balanced accuracy keeps the chance level at
    0.5 when there are more synthetic than real sequences (an oversampler makes,
    say, three per real one).

    Parameters
    ----------
    X_real, X_synthetic : sequences
        Real and synthetic sequences of one class, in any format of the data
        contract (3-D padded array, list of 2-D arrays, 2-D array).
    estimator : classifier, default=None
        Sequence classifier to use; by default ``Seq2SeqClassifier``.
    cv : int, default=5
        Number of stratified folds.
    random_state : int, RandomState instance or None, default=None
        Seeds the folds and the default classifier.

    Returns
    -------
    score : float
        Mean held-out balanced accuracy over the folds.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn.pipeline import make_pipeline
    >>> from sklearn.preprocessing import FunctionTransformer
    >>> from sklearn.linear_model import LogisticRegression
    >>> from imblearn_seqgan.metrics import discriminative_score
    >>> rng = np.random.default_rng(0)
    >>> real, fake = rng.normal(size=(40, 5, 2)), rng.normal(2, 1, size=(40, 5, 2))
    >>> mean_over_time = FunctionTransformer(lambda X: np.asarray(X).mean(axis=1))
    >>> clf = make_pipeline(mean_over_time, LogisticRegression())
    >>> round(discriminative_score(real, fake, estimator=clf, random_state=0), 2)
    1.0
    """
    rng = check_random_state(random_state)
    X_real, X_synthetic = _as_list(X_real), _as_list(X_synthetic)
    X = X_real + X_synthetic
    n_real = len(X_real)
    y = np.r_[np.zeros(n_real, dtype=int), np.ones(len(X) - n_real, dtype=int)]
    if min(n_real, len(X) - n_real) < cv:
        raise ValueError(
            f"discriminative_score needs at least cv={cv} real and synthetic sequences; "
            f"got {n_real} real and {len(X) - n_real} synthetic."
        )
    seed = int(rng.randint(np.iinfo(np.int32).max))
    estimator = _default_classifier(seed) if estimator is None else estimator
    X = _as_model_input(X)
    scores = []
    for train, test in StratifiedKFold(cv, shuffle=True, random_state=seed).split(X, y):
        model = clone(estimator).fit(_take(X, train), y[train])
        scores.append(balanced_accuracy_score(y[test], model.predict(_take(X, test))))
    return float(np.mean(scores))


@validate_params(
    {
        "X_train": ["array-like"],
        "y_train": ["array-like"],
        "X_synthetic": ["array-like"],
        "y_synthetic": ["array-like"],
        "X_test": ["array-like"],
        "y_test": ["array-like"],
        "estimator": [HasMethods(["fit", "predict"]), None],
        "scoring": [StrOptions(set(get_scorer_names())), callable, None],
        "random_state": ["random_state"],
    },
    prefer_skip_nested_validation=False,  # the estimator is validated when fitted
)
def train_on_synthetic_score(
    X_train: Any,
    y_train: Any,
    X_synthetic: Any,
    y_synthetic: Any,
    X_test: Any,
    y_test: Any,
    *,
    estimator: Any = None,
    scoring: Any = "f1_macro",
    random_state: Any = None,
) -> dict[str, float]:
    """Train-on-synthetic, test-on-real (TSTR) for oversamplers.

    The classifier is trained twice on the training set's majority: once with the
    real minority (train on real, TRTR) and once with the synthetic minority in its
    place (TSTR); both are scored on the real test set. A TSTR score close to the
    TRTR score means the synthetic minority carries what the real one teaches.

    Parameters
    ----------
    X_train, y_train : sequences and 1-D labels
        Real training data; the most frequent class is the majority.
    X_synthetic, y_synthetic : sequences and 1-D labels
        Synthetic minority data, e.g. the tail of a sampler's ``fit_resample``.
    X_test, y_test : sequences and 1-D labels
        Real held-out data.
    estimator : classifier, default=None
        Sequence classifier; by default ``Seq2SeqClassifier``.
    scoring : str or callable, default="f1_macro"
        A scikit-learn scorer.
    random_state : int, RandomState instance or None, default=None
        Seeds the default classifier.

    Returns
    -------
    scores : dict
        ``{"train_on_synthetic": ..., "train_on_real": ...}``.
    """
    rng = check_random_state(random_state)
    y_train, y_synthetic, y_test = (np.asarray(v) for v in (y_train, y_synthetic, y_test))
    is_majority, majority = majority_mask(y_train)
    if np.any(y_synthetic == majority):
        raise ValueError(
            "y_synthetic contains the majority class "
            f"{majority!r}; pass only the synthetic minority samples."
        )
    seed = int(rng.randint(np.iinfo(np.int32).max))
    estimator = _default_classifier(seed) if estimator is None else estimator
    X_train_list = _as_list(X_train)
    X_major = [X_train_list[i] for i in np.flatnonzero(is_majority)]
    X_minor = [X_train_list[i] for i in np.flatnonzero(~is_majority)]
    X_test = _as_model_input(_as_list(X_test))
    scorer = check_scoring(estimator, scoring=scoring)
    scores = {}
    for name, X_min, y_min in (
        ("train_on_synthetic", _as_list(X_synthetic), y_synthetic),
        ("train_on_real", X_minor, y_train[~is_majority]),
    ):
        X_fit = _as_model_input(X_major + X_min)
        y_fit = np.r_[y_train[is_majority], y_min]
        model = clone(estimator).fit(X_fit, y_fit)
        scores[name] = float(scorer(model, X_test, y_test))
    return scores


def _as_list(X: Any) -> list[np.ndarray]:
    seqs = check_sequences(X)
    return [seqs.values[i, :n] for i, n in enumerate(seqs.lengths)]


def _as_model_input(sequences: list[np.ndarray]) -> Any:
    """A list of equal-length sequences becomes a 3-D array so that classifiers
    which only take arrays work; ragged lists stay lists (the contract's format)."""
    lengths = {len(s) for s in sequences}
    if len(lengths) == 1:
        return np.stack(sequences)
    return sequences


def _take(X: Any, indices: np.ndarray) -> Any:
    if isinstance(X, list):
        return [X[i] for i in indices]
    return X[indices]
