"""Targets: one label per sequence or a label sequence per sequence, and the majority.

In the paper's label-sequence setting each distinct label sequence counts as a
class; the majority is the most frequent label (1-D ``y``) or the most frequent
label sequence (2-D ``y``) and every other one is the minority.
"""

from __future__ import annotations

import numbers
from typing import Any

import numpy as np
from sklearn.utils._param_validation import Interval, StrOptions, validate_params

from ._validation import _first_different

__all__ = [
    "check_label_sequences",
    "check_sequence_target",
    "encode_label_sequences",
    "encode_sequence_target",
    "is_label_sequences",
    "majority_mask",
]


@validate_params(
    {
        "y": ["array-like"],
        "n_sequences": [Interval(numbers.Integral, 0, None, closed="left")],
        "input_name": [str],
    },
    prefer_skip_nested_validation=True,
)
def check_label_sequences(y: Any, n_sequences: int, *, input_name: str = "y") -> np.ndarray:
    """Validate 2-D label sequences ``(n_sequences, L)``; return them as an array.

    A ragged list (label sequences of different lengths) is rejected with the index
    of the first sequence whose length differs.
    """
    if isinstance(y, (list, tuple)) and y and not np.isscalar(y[0]):
        lengths = [len(row) for row in y]
        odd = _first_different(lengths)
        if odd is not None:
            raise ValueError(
                f"{input_name}: label sequence {odd} has {lengths[odd]} labels but "
                f"label sequence 0 has {lengths[0]}; all label sequences must have "
                "the same length L."
            )
    array = np.asarray(y)
    if array.dtype.kind == "c":
        raise TypeError(f"{input_name} has complex dtype {array.dtype}; labels must be classes.")
    if array.ndim != 2:
        raise ValueError(
            f"{input_name} must be 2-D (n_sequences, L) label sequences, got shape {array.shape}."
        )
    if array.shape[1] == 0:
        raise ValueError(f"{input_name} has label sequences of length 0.")
    if array.shape[0] != n_sequences:
        raise ValueError(
            f"X and {input_name} have different numbers of sequences: {n_sequences} "
            f"and {array.shape[0]}."
        )
    if array.dtype.kind == "f" and not np.isfinite(array).all():
        seq, step = (int(i) for i in np.argwhere(~np.isfinite(array))[0])
        raise ValueError(f"{input_name} contains NaN or infinity at sequence {seq}, label {step}.")
    return array


@validate_params({"y": ["array-like"]}, prefer_skip_nested_validation=True)
def is_label_sequences(y: Any) -> bool:
    """Whether ``y`` holds a label sequence per input (2-D), not one label each.

    Ragged lists of label sequences count too, so that
    :func:`check_label_sequences` can name the odd one out.
    """
    if isinstance(y, (list, tuple)):
        return len(y) > 0 and not np.isscalar(y[0]) and np.ndim(y[0]) == 1
    return np.asarray(y).ndim == 2


@validate_params({"y": ["array-like"]}, prefer_skip_nested_validation=True)
def encode_label_sequences(y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Map each label sequence (row of ``y``) to an integer code.

    Returns ``codes`` of shape (n_sequences,) and ``patterns`` (the distinct label
    sequences, ``patterns[codes] == y``). Codes let imbalanced-learn's
    sampling-strategy machinery treat each distinct label sequence as a class; the
    majority is the most frequent label sequence (paper, section 2).
    """
    y = np.asarray(y)
    if y.dtype.kind != "O":
        patterns, codes = np.unique(y, axis=0, return_inverse=True)
        return codes.reshape(-1), patterns
    # np.unique(axis=0) rejects object arrays (string labels): code each column
    # first; the order of the patterns is the same (lexicographic by column).
    columns = np.stack([np.unique(c, return_inverse=True)[1].reshape(-1) for c in y.T], axis=1)
    _, first, codes = np.unique(columns, axis=0, return_index=True, return_inverse=True)
    return codes.reshape(-1), y[first]


@validate_params(
    {
        "y": ["array-like", None],  # None: an error naming the estimator
        "n_sequences": [Interval(numbers.Integral, 0, None, closed="left")],
        "label_sequences": ["boolean", StrOptions({"auto"})],
        "estimator_name": [str],
    },
    prefer_skip_nested_validation=True,
)
def check_sequence_target(
    y: Any,
    n_sequences: int,
    *,
    label_sequences: bool | str = "auto",
    estimator_name: str = "This estimator",
) -> np.ndarray:
    """Validate the target of ``n_sequences`` sequences; return it as an array.

    Parameters
    ----------
    y : array-like of shape (n_sequences,) or (n_sequences, L)
        One class label per sequence, or one label sequence per sequence.
    n_sequences : int
        Number of sequences of X.
    label_sequences : bool or "auto", default="auto"
        True: ``y`` must hold label sequences (2-D). False: ``y`` must hold one
        label per sequence (1-D). "auto": a 2-D ``y`` holds label sequences.
    estimator_name : str, default="This estimator"
        Named in the error raised when ``y`` is None.

    Returns
    -------
    y : ndarray of shape (n_sequences,) or (n_sequences, L)
        The class labels, or the label sequences.

    Raises
    ------
    ValueError
        When ``y`` is None, has the wrong number of dimensions or sequences,
        holds ragged label sequences, or is not a classification target.
    """
    from sklearn.utils.multiclass import check_classification_targets

    if y is None:
        raise ValueError(f"{estimator_name} requires y to be passed, but the target y is None.")
    as_label_sequences = is_label_sequences(y) if label_sequences == "auto" else label_sequences
    if as_label_sequences:
        if not is_label_sequences(y):
            raise ValueError(
                "label_sequences=True expects y of shape (n_sequences, L), got y with "
                f"{np.ndim(y)} dimension(s); use label_sequences=False for one label "
                "per sequence."
            )
        y_array = check_label_sequences(y, n_sequences)
    else:
        y_array = np.asarray(y)
        if y_array.ndim != 1:
            expected = "1-D (one label per sequence)" + (
                " or 2-D (label sequences)" if label_sequences == "auto" else ""
            )
            raise ValueError(f"y must be {expected}, got shape {y_array.shape}.")
        if len(y_array) != n_sequences:
            raise ValueError(
                f"X and y have different numbers of sequences: {n_sequences} and {len(y_array)}."
            )
        # Rejected before scikit-learn's target check, whose integer cast of NaN
        # would warn first.
        if y_array.dtype.kind == "f" and not np.isfinite(y_array).all():
            seq = int(np.flatnonzero(~np.isfinite(y_array))[0])
            raise ValueError(f"y contains NaN or infinity at sequence {seq}.")
    check_classification_targets(y_array)
    return y_array


@validate_params(
    {
        "y": ["array-like", None],
        "n_sequences": [Interval(numbers.Integral, 0, None, closed="left")],
        "estimator_name": [str],
    },
    prefer_skip_nested_validation=True,
)
def encode_sequence_target(
    y: Any, n_sequences: int, *, estimator_name: str = "This estimator"
) -> tuple[np.ndarray, list[np.ndarray], np.ndarray]:
    """Validate a classifier's target and encode it output position by output position.

    What a sequence classifier (or an ensemble of them) does with ``y`` in ``fit``:
    :func:`check_sequence_target`, then the classes of each output position (one
    position for 1-D ``y``, L for label sequences) and each label's index among
    them, as scikit-learn's multi-output classifiers do.

    Parameters
    ----------
    y : array-like of shape (n_sequences,) or (n_sequences, L)
        One class label per sequence, or one label sequence per sequence.
    n_sequences : int
        Number of sequences of X.
    estimator_name : str, default="This estimator"
        Named in the errors.

    Returns
    -------
    y : ndarray of shape (n_sequences,) or (n_sequences, L)
        The validated target.
    classes : list of ndarray
        The sorted classes of each output position (one array for 1-D ``y``).
    codes : int64 ndarray of shape (n_sequences, n_positions)
        Each label's index in its position's ``classes``.

    Raises
    ------
    ValueError
        As :func:`check_sequence_target`, and when ``y`` holds a single class
        (label, or label sequence for 2-D ``y``).

    Examples
    --------
    >>> import numpy as np
    >>> from imblearn_seqgan.utils import encode_sequence_target
    >>> _, classes, codes = encode_sequence_target(np.array(["b", "a", "b"]), 3)
    >>> classes, codes.ravel().tolist()
    ([array(['a', 'b'], dtype='<U1')], [1, 0, 1])
    """
    y = check_sequence_target(y, n_sequences, estimator_name=estimator_name)
    columns = y if y.ndim == 2 else y[:, None]
    encoded = [np.unique(column, return_inverse=True) for column in columns.T]
    if len(encode_label_sequences(columns)[1]) < 2:
        raise ValueError(
            f"{estimator_name} needs at least 2 classes (distinct labels or label "
            f"sequences) in y; got only one class: {columns[0].tolist()}."
        )
    classes = [c for c, _ in encoded]
    codes = np.stack([inverse.reshape(-1) for _, inverse in encoded], axis=1)
    return y, classes, codes.astype(np.int64)


@validate_params({"y": ["array-like"]}, prefer_skip_nested_validation=True)
def majority_mask(y: Any) -> tuple[np.ndarray, Any]:
    """Which sequences belong to the majority, and the majority itself.

    The majority is the most frequent label of a 1-D ``y``, or the most frequent
    label sequence (row) of a 2-D ``y``; ties go to the first in sorted order.

    Parameters
    ----------
    y : array-like of shape (n_sequences,) or (n_sequences, L)
        Validated class labels or label sequences.

    Returns
    -------
    is_majority : ndarray of shape (n_sequences,), dtype bool
        True for the sequences of the majority.
    majority : scalar or ndarray of shape (L,)
        The majority label, or the majority label sequence.

    Examples
    --------
    >>> import numpy as np
    >>> from imblearn_seqgan.utils import majority_mask
    >>> majority_mask(np.array(["a", "b", "b"]))
    (array([False,  True,  True]), np.str_('b'))
    >>> majority_mask(np.array([[0, 1], [0, 0], [0, 0]]))[1]
    array([0, 0])
    """
    y = np.asarray(y)
    codes, patterns = encode_label_sequences(y if y.ndim == 2 else y[:, None])
    majority = int(np.bincount(codes).argmax())
    return codes == majority, (patterns[majority] if y.ndim == 2 else patterns[majority, 0])
