"""A seeded generator of imbalanced, variable-length, multi-feature sequences."""

from __future__ import annotations

import numbers
from collections.abc import Sequence
from typing import Any, Literal

import numpy as np
from imblearn.utils._docstring import Substitution
from sklearn.utils import check_random_state
from sklearn.utils._param_validation import Interval, validate_params

from ..utils import pad_sequences
from ._base import LOADER_DOCS, SEQUENCE_OUTPUT_CONSTRAINTS
from ._validation import check_float_dtype, check_int

__all__ = ["make_imbalanced_sequences"]

# Period (in time steps) of the sine wave that marks minority class k (k = 1, 2, ...).
_PERIODS = (6.0, 10.0, 4.0, 15.0, 8.0, 12.0, 5.0, 20.0)
# Coefficient of the AR(1) noise that every sequence carries.
_AR_COEF = 0.5


def _class_counts(n_samples: int, weights: np.ndarray) -> np.ndarray:
    """Split ``n_samples`` into class counts proportional to ``weights`` (largest remainder)."""
    exact = weights * n_samples
    counts = np.floor(exact).astype(np.int64)
    remainder = n_samples - counts.sum()
    # hand the rounding leftovers to the classes with the largest fractional parts
    order = np.argsort(-(exact - counts), kind="stable")
    counts[order[:remainder]] += 1
    return counts


def _check_weights(weights: Any, n_classes: int) -> np.ndarray:
    if weights is None:
        minority = 0.1 / (n_classes - 1)
        return np.array([0.9] + [minority] * (n_classes - 1))
    weights = np.asarray(weights, dtype=np.float64)
    if weights.ndim != 1 or len(weights) not in (n_classes - 1, n_classes):
        raise ValueError(
            f"weights must have n_classes={n_classes} or n_classes - 1 entries, "
            f"got {np.shape(weights)}."
        )
    if len(weights) == n_classes - 1:
        weights = np.append(weights, 1.0 - weights.sum())
    if np.any(weights <= 0) or not np.isclose(weights.sum(), 1.0):
        raise ValueError(
            f"weights must be positive and sum to 1, got {weights.tolist()} "
            "(with n_classes - 1 entries the last class gets 1 - sum(weights))."
        )
    return weights


@Substitution(**LOADER_DOCS)
@validate_params(
    {
        "n_samples": [Interval(numbers.Integral, 1, None, closed="left")],
        "n_features": [Interval(numbers.Integral, 1, None, closed="left")],
        "n_classes": [Interval(numbers.Integral, 2, len(_PERIODS) + 1, closed="both")],
        "weights": ["array-like", None],
        "min_length": [Interval(numbers.Integral, 1, None, closed="left")],
        "max_length": [Interval(numbers.Integral, 1, None, closed="left")],
        "class_sep": [numbers.Real],
        "noise": [Interval(numbers.Real, 0, None, closed="left")],
        "label_sequence_length": [Interval(numbers.Integral, 1, None, closed="left"), None],
        **SEQUENCE_OUTPUT_CONSTRAINTS,
    },
    prefer_skip_nested_validation=True,
)
def make_imbalanced_sequences(
    n_samples: int = 300,
    *,
    n_features: int = 4,
    n_classes: int = 2,
    weights: Sequence[float] | None = None,
    min_length: int = 10,
    max_length: int = 30,
    class_sep: float = 1.0,
    noise: float = 0.3,
    label_sequence_length: int | None = None,
    padding: Literal["pre", "post"] = "post",
    return_list: bool = False,
    dtype: Any = np.float64,
    random_state: int | np.random.RandomState | None = None,
) -> tuple[np.ndarray | list[np.ndarray], np.ndarray]:
    """Generate an imbalanced data set of variable-length multi-feature sequences.

    Every sequence carries AR(1) noise on all features. Class 0, the majority,
    is noise only. Minority class ``k`` (``k >= 1``) adds a temporal pattern on
    top of the noise: a sine wave of period ``(6, 10, 4, 15, 8, ...)[k - 1]``
    steps with a random phase on feature ``(k - 1) % n_features``, and a linear
    ramp from ``-class_sep`` to ``+class_sep`` over the sequence on feature
    ``k % n_features``. A recurrent classifier can learn these patterns; so can a
    linear model on simple summaries (per-feature standard deviation and slope),
    which the tests check.

    Parameters
    ----------
    n_samples : int, default=300
        Number of sequences.
    n_features : int, default=4
        Number of features per time step.
    n_classes : int, default=2
        Number of classes: the majority class 0 and ``n_classes - 1`` minority
        classes with distinct patterns.
    weights : sequence of float, default=None
        Proportion of each class, majority first. ``n_classes - 1`` entries are
        completed with ``1 - sum(weights)``. By default the majority gets 90%
        and the minority classes share the remaining 10% equally. Class counts
        are the proportions times ``n_samples``, rounded so that they sum to
        ``n_samples``; every class must get at least one sequence.
    min_length, max_length : int, default=10, 30
        Sequence lengths are drawn uniformly from ``[min_length, max_length]``.
    class_sep : float, default=1.0
        Amplitude of the minority patterns (sine amplitude and ramp half-height).
        Smaller values make the problem harder.
    noise : float, default=0.3
        Standard deviation of the innovations of the AR(1) noise.
    label_sequence_length : int, default=None
        If given, ``y`` is a 2-D array of label sequences of this length
        instead of one label per sequence: all zeros for the majority (the most
        frequent label sequence, as in the paper), and for a sequence of
        minority class ``k`` the value ``k`` at each of the next
        ``label_sequence_length`` time steps where its sine wave, continued past
        the end of the sequence, is positive (at least one such step is marked).
    padding : {{"post", "pre"}}, default="post"
        Side of the NaN padding of the 3-D output.
    {return_list}
    dtype : dtype, default=np.float64
        Floating dtype of X.
    random_state : int, RandomState instance or None, default=None
        Seed for reproducible output.

    Returns
    -------
    X : ndarray of shape (n_samples, max_length_drawn, n_features) or list of ndarray
        The sequences, NaN-padded to the longest one drawn, or a list of
        unpadded 2-D arrays. Classes are shuffled.
    y : ndarray of shape (n_samples,) or (n_samples, label_sequence_length)
        Class labels (int64), or label sequences.

    Examples
    --------
    >>> from imblearn_seqgan.datasets import make_imbalanced_sequences
    >>> X, y = make_imbalanced_sequences(200, random_state=0)
    >>> X.shape[0], X.shape[2], int(y.sum())
    (200, 4, 20)
    >>> X, y = make_imbalanced_sequences(50, label_sequence_length=4, random_state=0)
    >>> y.shape
    (50, 4)
    """
    max_length = check_int(max_length, "max_length", min_length)
    dtype = check_float_dtype(dtype)
    weights = _check_weights(weights, n_classes)
    counts = _class_counts(n_samples, weights)
    if counts.min() < 1:
        raise ValueError(
            f"n_samples={n_samples} with weights {weights.round(4).tolist()} leaves class "
            f"{int(np.argmin(counts))} without a sequence; raise n_samples or that weight."
        )
    rng = check_random_state(random_state)

    y = rng.permutation(np.repeat(np.arange(n_classes, dtype=np.int64), counts))
    lengths = rng.randint(min_length, max_length + 1, size=n_samples)
    phases = rng.uniform(0.0, 2.0 * np.pi, size=n_samples)
    longest = int(lengths.max())

    # AR(1) noise for all sequences at once, then cut to each length.
    innovations = rng.normal(0.0, noise, size=(n_samples, longest, n_features))
    values = np.empty_like(innovations)
    values[:, 0] = innovations[:, 0] / np.sqrt(1.0 - _AR_COEF**2)
    for t in range(1, longest):
        values[:, t] = _AR_COEF * values[:, t - 1] + innovations[:, t]

    steps = np.arange(longest)
    for k in range(1, n_classes):
        rows = np.flatnonzero(y == k)
        period = _PERIODS[k - 1]
        sine = np.sin(2.0 * np.pi * steps[None, :] / period + phases[rows, None])
        ramp = steps[None, :] / np.maximum(lengths[rows, None] - 1, 1) * 2.0 - 1.0
        values[rows, :, (k - 1) % n_features] += class_sep * sine
        values[rows, :, k % n_features] += class_sep * ramp

    sequences = [values[i, : lengths[i]].astype(dtype) for i in range(n_samples)]
    X = sequences if return_list else pad_sequences(sequences, padding=padding, dtype=dtype)

    if label_sequence_length is None:
        return X, y
    return X, _label_sequences(y, lengths, phases, label_sequence_length)


def _label_sequences(
    y: np.ndarray, lengths: np.ndarray, phases: np.ndarray, length: int
) -> np.ndarray:
    """Label sequences: class k where the continued sine of class k is positive."""
    labels = np.zeros((len(y), length), dtype=np.int64)
    future = np.arange(length)
    for k in range(1, int(y.max()) + 1):
        rows = np.flatnonzero(y == k)
        period = _PERIODS[k - 1]
        t = lengths[rows, None] + future[None, :]
        sine = np.sin(2.0 * np.pi * t / period + phases[rows, None])
        marked = sine > 0
        # a minority label sequence must differ from the all-zero majority one
        none = ~marked.any(axis=1)
        marked[none, np.argmax(sine[none], axis=1)] = True
        labels[rows] = np.where(marked, k, 0)
    return labels
