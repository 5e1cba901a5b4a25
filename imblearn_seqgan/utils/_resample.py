"""Sequences brought to a common number of time steps by linear interpolation in time.

Written here (numpy only) because the data contract's sequences are variable-length
and padded; scipy's ``interp1d`` would need one call per sequence and feature.
"""

from __future__ import annotations

import numbers
from typing import Any

import numpy as np
from sklearn.utils._param_validation import Interval, validate_params

from ._validation import check_sequences

__all__ = ["resample_sequences"]


def resample_values(values: np.ndarray, lengths: np.ndarray, n_steps: int) -> np.ndarray:
    """Each post-padded sequence's valid steps, linearly resampled to ``n_steps``.

    Parameters
    ----------
    values : ndarray of shape (n_sequences, max_length, n_features)
        Post-padded values (what lies beyond a sequence's length is never read).
    lengths : ndarray of shape (n_sequences,)
        Valid steps of each sequence (at least 1).
    n_steps : int
        Steps of the output.

    Returns
    -------
    resampled : ndarray of shape (n_sequences, n_steps, n_features), float64
        Step ``k`` of sequence ``i`` is its value at time ``k (L_i - 1) / (n_steps - 1)``
        (the first and last steps are kept exactly; a one-step sequence is repeated).
    """
    lengths = np.asarray(lengths)
    # k (L - 1) / (n - 1): exact integers when n == L, so a sequence resampled to its
    # own length comes back unchanged
    grid = np.arange(n_steps)[None, :] * (lengths[:, None] - 1) / max(n_steps - 1, 1)
    lo = np.floor(grid).astype(np.intp)
    hi = np.minimum(lo + 1, lengths[:, None] - 1)
    frac = (grid - lo)[:, :, None]
    rows = np.arange(len(lengths))[:, None]
    v = np.asarray(values, dtype=np.float64)
    return v[rows, lo] * (1.0 - frac) + v[rows, hi] * frac


@validate_params(
    {
        "X": ["array-like"],
        "n_steps": [Interval(numbers.Integral, 1, None, closed="left")],
        "padding_value": [numbers.Real],
    },
    prefer_skip_nested_validation=True,
)
def resample_sequences(X: Any, n_steps: int, *, padding_value: float = np.nan) -> np.ndarray:
    """Bring every sequence to ``n_steps`` time steps by linear interpolation in time.

    Only each sequence's valid steps are read (padding never enters the
    interpolation); the first and last steps are kept exactly.

    Parameters
    ----------
    X : array-like of shape (n_sequences, n_timesteps, n_features) or list of \
            array-like of shape (length_i, n_features)
        Sequences in any form of the data contract.
    n_steps : int
        Number of time steps of every output sequence.
    padding_value : float, default=np.nan
        The value that marks padding steps in a padded array.

    Returns
    -------
    X_resampled : ndarray of shape (n_sequences, n_steps, n_features), float64

    Examples
    --------
    >>> import numpy as np
    >>> from imblearn_seqgan.utils import resample_sequences
    >>> X = [np.array([[0.0], [2.0]]), np.array([[0.0], [1.0], [2.0], [3.0], [4.0]])]
    >>> resample_sequences(X, 3)[:, :, 0]
    array([[0., 1., 2.],
           [0., 2., 4.]])
    """
    seqs = check_sequences(X, padding_value=padding_value)
    return resample_values(seqs.values, seqs.lengths, n_steps)
