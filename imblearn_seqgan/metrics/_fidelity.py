"""Fidelity of synthetic sequences: can a classifier tell them from real ones, do
they lie among the real ones, and can they stand in for the real minority when
training a classifier?

The scores work on any sampler's output (the synthetic samples are the tail of
``fit_resample``'s result, after the originals). The discriminator of
:func:`discriminative_score` is by default a gradient-boosting classifier on
:func:`~imblearn_seqgan.metrics.sequence_summaries` (fast on a CPU, and strong on
the level, trend and shape differences that generated sequences tend to show);
:func:`train_on_synthetic_score` uses the library's
:class:`~imblearn_seqgan.Seq2SeqClassifier` by default.
"""

from __future__ import annotations

import numbers
from typing import Any

import numpy as np
from sklearn.base import clone
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.metrics import check_scoring, get_scorer_names
from sklearn.model_selection import StratifiedKFold
from sklearn.neighbors import NearestNeighbors
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import FunctionTransformer
from sklearn.utils import check_random_state
from sklearn.utils._param_validation import HasMethods, Interval, StrOptions, validate_params

from ..utils import check_sequences, majority_mask
from ..utils._random import draw_seed
from ..utils._resample import resample_values
from ._summaries import sequence_summaries

__all__ = ["discriminative_score", "nearest_neighbour_ratio", "train_on_synthetic_score"]

# steps the default discriminator sees of each sequence, besides its summaries:
# enough for the shape of short windows, few enough for a fast tree model
_DISCRIMINATOR_STEPS = 20


def _default_classifier(random_state: Any) -> Any:
    from .. import Seq2SeqClassifier

    return Seq2SeqClassifier(random_state=random_state)


def _summary_features(X: Any) -> np.ndarray:
    return sequence_summaries(X, n_steps=_DISCRIMINATOR_STEPS)


def _default_discriminator(random_state: Any) -> Any:
    return make_pipeline(
        FunctionTransformer(_summary_features),
        HistGradientBoostingClassifier(random_state=random_state),
    )


@validate_params(
    {
        "X_real": ["array-like"],
        "X_synthetic": ["array-like"],
        "estimator": [HasMethods(["fit", "predict"]), None],
        "scoring": [StrOptions({"roc_auc", "balanced_accuracy"})],
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
    scoring: str = "roc_auc",
    cv: int = 5,
    random_state: Any = None,
) -> float:
    """Out-of-fold score of a classifier told to separate real from synthetic sequences.

    0.5 is perfect (the classifier cannot tell them apart); 1.0 means every
    synthetic sequence is recognisable. Both scores keep the chance level at 0.5
    when there are more synthetic than real sequences (an oversampler makes, say,
    three per real one). Below 0.5 means the held-out synthetic sequences look
    *more* real than the held-out real ones, as copies of training sequences do.

    Parameters
    ----------
    X_real, X_synthetic : sequences
        Real and synthetic sequences of one class, in any format of the data
        contract (3-D padded array, list of 2-D arrays, 2-D array).
    estimator : classifier, default=None
        The discriminator; any classifier that takes sequences (an imbalanced-learn
        or scikit-learn pipeline whose first step turns them into vectors, or
        :class:`~imblearn_seqgan.Seq2SeqClassifier`). By default scikit-learn's
        ``HistGradientBoostingClassifier`` on :func:`sequence_summaries` with the
        values resampled to 20 steps: seconds on a CPU for thousands of sequences.
    scoring : {"roc_auc", "balanced_accuracy"}, default="roc_auc"
        The held-out score: the area under the ROC curve of the classifier's
        "synthetic" probability (threshold-free), or balanced accuracy.
    cv : int, default=5
        Number of stratified folds.
    random_state : int, RandomState instance or None, default=None
        Seeds the folds and the default classifier.

    Returns
    -------
    score : float
        Mean held-out score over the folds.

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
    >>> # the default discriminator, on sequences from the same distribution
    >>> more_real = rng.normal(size=(40, 5, 2))
    >>> 0.3 < discriminative_score(real, more_real, random_state=0) < 0.7
    True
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
    seed = draw_seed(rng)
    estimator = _default_discriminator(seed) if estimator is None else estimator
    X = _as_model_input(X)
    scorer = check_scoring(estimator, scoring=scoring)
    scores = []
    for train, test in StratifiedKFold(cv, shuffle=True, random_state=seed).split(X, y):
        model = clone(estimator).fit(_take(X, train), y[train])
        scores.append(scorer(model, _take(X, test), y[test]))
    return float(np.mean(scores))


@validate_params(
    {
        "X_real": ["array-like"],
        "X_synthetic": ["array-like"],
        "n_steps": [Interval(numbers.Integral, 1, None, closed="left"), None],
    },
    prefer_skip_nested_validation=True,
)
def nearest_neighbour_ratio(X_real: Any, X_synthetic: Any, *, n_steps: int | None = None) -> float:
    """How far synthetic sequences lie from the real ones, against the real ones' spacing.

    The median distance from a synthetic sequence to its nearest real sequence,
    divided by the median distance from a real sequence to its nearest *other*
    real sequence. Sequences are resampled in time to a common number of steps
    and every feature is standardised on the real sequences, so each feature
    counts alike; the distance is Euclidean over all steps and features.

    Near 0: near-copies of real sequences (random over-sampling gives 0). Below
    1: synthetic sequences sit among the real ones (interpolation between
    neighbours gives values around 0.5). Well above 1: they lie off the real
    sequences' manifold, where a classifier can learn to recognise them.

    Parameters
    ----------
    X_real, X_synthetic : sequences
        Real and synthetic sequences of one class, in any format of the data
        contract. At least two real sequences.
    n_steps : int or None, default=None
        Common number of steps; by default the longest real sequence's length.

    Returns
    -------
    ratio : float

    Examples
    --------
    >>> import numpy as np
    >>> from imblearn_seqgan.metrics import nearest_neighbour_ratio
    >>> rng = np.random.default_rng(0)
    >>> real = rng.normal(size=(50, 6, 2))
    >>> round(nearest_neighbour_ratio(real, real[:10]), 6)  # copies
    0.0
    >>> nearest_neighbour_ratio(real, real[:10] + 3.0) > 1  # shifted away
    True
    """
    real, synthetic = check_sequences(X_real), check_sequences(X_synthetic)
    if real.n_sequences < 2:
        raise ValueError(
            f"nearest_neighbour_ratio needs at least 2 real sequences; got {real.n_sequences}."
        )
    if synthetic.n_features != real.n_features:
        raise ValueError(
            f"X_synthetic has {synthetic.n_features} features per step; X_real has "
            f"{real.n_features}."
        )
    steps = int(real.lengths.max()) if n_steps is None else n_steps
    a = resample_values(real.values, real.lengths, steps)
    b = resample_values(synthetic.values, synthetic.lengths, steps)
    mean = a.mean(axis=(0, 1))
    scale = a.std(axis=(0, 1))
    scale[scale < 1e-12] = 1.0
    a = ((a - mean) / scale).reshape(len(a), -1)
    b = ((b - mean) / scale).reshape(len(b), -1)
    index = NearestNeighbors(n_neighbors=2).fit(a)
    # the nearest real sequence of a real one is itself: take the second
    real_to_real = index.kneighbors(a)[0][:, 1]
    synthetic_to_real = index.kneighbors(b, n_neighbors=1)[0][:, 0]
    spacing = float(np.median(real_to_real))
    if spacing == 0.0:
        raise ValueError(
            "More than half of the real sequences have an identical twin among them: "
            "the real sequences' spacing is 0, so the ratio is undefined. Remove "
            "duplicates from X_real."
        )
    return float(np.median(synthetic_to_real) / spacing)


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
    seed = draw_seed(rng)
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
