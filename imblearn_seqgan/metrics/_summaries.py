"""Per-sequence summary features: fixed-length vectors for tabular models.

The fidelity metrics (and the library's tests and benchmarks) need to tell
sequences apart with a fast model; these features reduce each variable-length
sequence to its per-feature level, spread, trend and roughness, plus, optionally,
its values resampled to a fixed number of steps.
"""

from __future__ import annotations

import numbers
from typing import Any

import numpy as np
from sklearn.utils._param_validation import Interval, validate_params

from ..utils import check_sequences
from ..utils._resample import resample_values

__all__ = ["sequence_summaries"]


@validate_params(
    {
        "X": ["array-like"],
        "n_steps": [Interval(numbers.Integral, 1, None, closed="left"), None],
        "padding_value": [numbers.Real],
    },
    prefer_skip_nested_validation=True,
)
def sequence_summaries(
    X: Any, *, n_steps: int | None = None, padding_value: float = np.nan
) -> np.ndarray:
    """Summary features of each sequence, for models that take one vector per sample.

    Per feature: the mean, standard deviation, least-squares slope per step (times
    the length, so a ramp's total rise) and roughness (root mean square of the
    step-to-step differences); then the length; then, with ``n_steps``, the values
    linearly resampled in time to ``n_steps`` steps. Padding never enters.

    Parameters
    ----------
    X : array-like of shape (n_sequences, n_timesteps, n_features) or list of \
            array-like of shape (length_i, n_features)
        Sequences in any form of the data contract.
    n_steps : int or None, default=None
        Also append the values resampled to this many steps (``n_steps *
        n_features`` columns, step-major). None: the summaries only.
    padding_value : float, default=np.nan
        The value that marks padding steps in a padded array.

    Returns
    -------
    features : ndarray of shape (n_sequences, 4 * n_features + 1 [+ n_steps * n_features])

    Examples
    --------
    >>> import numpy as np
    >>> from imblearn_seqgan.metrics import sequence_summaries
    >>> ramp = np.arange(5.0).reshape(1, 5, 1)
    >>> sequence_summaries(ramp).round(3)  # mean, std, rise, roughness, length
    array([[2.   , 1.414, 5.   , 0.894, 5.   ]])
    """
    seqs = check_sequences(X, padding_value=padding_value)
    v, lengths = seqs.values.astype(np.float64), seqs.lengths
    mask = seqs.mask[:, :, None]
    n = lengths[:, None].astype(np.float64)
    mean = (v * mask).sum(1) / n
    centred = (v - mean[:, None]) * mask
    std = np.sqrt((centred**2).sum(1) / n)
    t = (np.arange(v.shape[1])[None, :] - (lengths[:, None] - 1) / 2)[:, :, None] * mask
    slope = (t * centred).sum(1) / np.maximum((t**2).sum(1), 1e-12) * n
    rough = np.sqrt(((np.diff(v, axis=1) * mask[:, 1:]) ** 2).sum(1) / n)
    parts = [mean, std, slope, rough, n]
    if n_steps is not None:
        parts.append(resample_values(v, lengths, n_steps).reshape(len(lengths), -1))
    return np.hstack(parts)
