"""Padding and unpadding: between ragged lists and padded 3-D arrays."""

from __future__ import annotations

import numbers
from typing import Any

import numpy as np
from sklearn.utils._param_validation import Interval, StrOptions, validate_params

from ._container import Padding, _write_padded
from ._validation import (
    _check_padding_value,
    _check_sequence_list,
    _is_list_of_sequences,
    check_sequences,
)

__all__ = ["pad_sequences", "sequence_lengths", "sequence_mask", "unpad_sequences"]

# What the sequences hold (ragged lengths, NaN placement, ...) is checked by
# check_sequences, which names the sequence and time step; validate_params checks
# the rest. padding_value: _check_padding_value also rejects booleans and infinity.
_PADDED_X = {"X": ["array-like"], "padding_value": [numbers.Real]}


@validate_params(
    {
        "sequences": ["array-like"],
        "padding": [StrOptions({"pre", "post"})],
        "padding_value": [numbers.Real],
        "dtype": "no_validation",  # any dtype numpy accepts
        "max_length": [Interval(numbers.Integral, 1, None, closed="left"), None],
    },
    prefer_skip_nested_validation=True,
)
def pad_sequences(
    sequences: Any,
    *,
    padding: Padding = "post",
    padding_value: float = np.nan,
    dtype: Any = None,
    max_length: int | None = None,
) -> np.ndarray:
    """Pad a ragged list of 2-D sequences into one 3-D array.

    Parameters
    ----------
    sequences : list of array-like of shape (length_i, n_features)
        The sequences; each needs at least one time step.
    padding : {"pre", "post"}, default="post"
        Pad at the start ("pre") or the end ("post") of each sequence.
    padding_value : float, default=np.nan
        Value written into every feature of a padding step.
    dtype : dtype, default=None
        Output dtype; by default the common float dtype of the sequences.
    max_length : int, default=None
        Number of time steps of the output; by default the longest sequence.

    Returns
    -------
    X : ndarray of shape (n_sequences, max_length, n_features)

    Examples
    --------
    >>> import numpy as np
    >>> from imblearn_seqgan.utils import pad_sequences
    >>> X = pad_sequences([np.ones((2, 1)), np.ones((3, 1))], padding="pre")
    >>> X[:, :, 0]
    array([[nan,  1.,  1.],
           [ 1.,  1.,  1.]])
    """
    padding_value = _check_padding_value(padding_value)
    checked = (
        _check_sequence_list(list(sequences), padding_value, "sequences")
        if _is_list_of_sequences(sequences)
        else None
    )
    if checked is None:
        raise TypeError(
            "pad_sequences expects a non-empty list of 2-D arrays (length, n_features)."
        )
    values, lengths = checked.values, checked.lengths
    longest = int(lengths.max())
    if max_length is None:
        max_length = longest
    elif max_length < longest:
        raise ValueError(
            f"max_length={max_length} is shorter than the longest sequence ({longest} steps)."
        )
    dtype = np.dtype(dtype) if dtype is not None else np.result_type(values.dtype, np.float32)
    out = np.full((len(lengths), max_length, values.shape[2]), padding_value, dtype=dtype)
    _write_padded(out, values, lengths, padding)
    return out


@validate_params(_PADDED_X, prefer_skip_nested_validation=True)
def sequence_mask(X: Any, *, padding_value: float = np.nan) -> np.ndarray:
    """Boolean mask of valid time steps, in X's own layout.

    Parameters
    ----------
    X : array-like of shape (n_sequences, n_timesteps, n_features)
        Padded sequences.
    padding_value : float, default=np.nan
        Value marking padding steps.

    Returns
    -------
    mask : ndarray of shape (n_sequences, n_timesteps), dtype bool
        True where the step is valid (not padding).

    Examples
    --------
    >>> import numpy as np
    >>> from imblearn_seqgan.utils import sequence_mask
    >>> X = np.array([[[1.0], [np.nan]], [[2.0], [3.0]]])
    >>> sequence_mask(X)
    array([[ True, False],
           [ True,  True]])
    """
    seqs = check_sequences(X, padding_value=padding_value)
    if seqs._layout.container == "list":
        raise TypeError("sequence_mask expects a padded array; a list has no padding.")
    n_timesteps = seqs._layout.n_timesteps
    steps = np.arange(n_timesteps)
    if seqs._layout.padding == "pre":
        return steps >= (n_timesteps - seqs.lengths)[:, None]
    return steps < seqs.lengths[:, None]


@validate_params(_PADDED_X, prefer_skip_nested_validation=True)
def sequence_lengths(X: Any, *, padding_value: float = np.nan) -> np.ndarray:
    """Number of valid time steps of each sequence.

    Examples
    --------
    >>> import numpy as np
    >>> from imblearn_seqgan.utils import sequence_lengths
    >>> sequence_lengths(np.array([[[1.0], [np.nan]], [[2.0], [3.0]]]))
    array([1, 2])
    """
    return check_sequences(X, padding_value=padding_value).lengths.copy()


@validate_params(_PADDED_X, prefer_skip_nested_validation=True)
def unpad_sequences(X: Any, *, padding_value: float = np.nan) -> list[np.ndarray]:
    """Split padded sequences into a list of 2-D arrays without padding.

    Examples
    --------
    >>> import numpy as np
    >>> from imblearn_seqgan.utils import unpad_sequences
    >>> [s.shape for s in unpad_sequences(np.array([[[1.0], [np.nan]], [[2.0], [3.0]]]))]
    [(1, 1), (2, 1)]
    """
    seqs = check_sequences(X, padding_value=padding_value)
    return [np.array(seqs.values[i, :length]) for i, length in enumerate(seqs.lengths)]
