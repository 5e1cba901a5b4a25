"""Reading sequences at fractional time steps: linear resampling in time.

Shared by the interpolating samplers (each sequence brought to a common length for
SMOTE and ADASYN, and the new one brought back to its own length) and by the
augmentations (warps read the source at warped positions). Plain numpy: a batch
of sequences is read at once, each at its own positions.

:func:`imblearn_seqgan.utils.resample_sequences` brings all sequences to one
length; here each sequence gets its own, and a sequence resampled to its own
length comes back bit for bit (positions are whole steps, computed as
``k (L - 1) / (L' - 1)``), which keeps equal-length data exactly as they are.
"""

from __future__ import annotations

import numpy as np

__all__ = ["interpolate_at", "resample_to_lengths"]


def interpolate_at(values: np.ndarray, positions: np.ndarray, lengths: np.ndarray) -> np.ndarray:
    """Each sequence read at fractional time steps, by linear interpolation.

    Parameters
    ----------
    values : ndarray of shape (n_sequences, n_timesteps, n_features)
        Post-padded sequences; only the first ``lengths[i]`` steps of sequence
        ``i`` are read, so padding never enters a result.
    positions : ndarray of shape (n_sequences, n_positions)
        Where to read each sequence, in steps; clipped to ``[0, lengths[i] - 1]``.
    lengths : ndarray of shape (n_sequences,)
        Valid steps of each sequence (at least 1).

    Returns
    -------
    read : ndarray of shape (n_sequences, n_positions, n_features)
        ``values[i, floor(p)]`` and ``values[i, floor(p) + 1]`` mixed by the
        fractional part of ``p``; in float64 (float32 input stays exact).
    """
    last = (np.asarray(lengths, dtype=np.int64) - 1)[:, None]
    positions = np.clip(np.asarray(positions, dtype=np.float64), 0, last)
    lo = np.floor(positions).astype(np.intp)
    hi = np.minimum(lo + 1, last)
    frac = (positions - lo)[:, :, None]
    below = np.take_along_axis(values, lo[:, :, None], axis=1)
    above = np.take_along_axis(values, hi[:, :, None], axis=1)
    # at a whole step frac is 0 and the value is returned exactly
    return below * (1.0 - frac) + above * frac


def resample_to_lengths(
    values: np.ndarray, lengths: np.ndarray, new_lengths: np.ndarray | int
) -> np.ndarray:
    """Each sequence's valid steps resampled linearly to ``new_lengths`` steps.

    Step ``k`` of the result reads the source at ``k (L - 1) / (L' - 1)``: first
    and last steps are kept, and a sequence resampled to its own length is
    returned exactly. A one-step result reads the source's middle.

    Parameters
    ----------
    values : ndarray of shape (n_sequences, n_timesteps, n_features)
        Post-padded sequences.
    lengths : ndarray of shape (n_sequences,)
        Their valid steps ``L`` (at least 1).
    new_lengths : int or ndarray of shape (n_sequences,)
        Steps ``L'`` of each result (at least 1).

    Returns
    -------
    resampled : ndarray of shape (n_sequences, max(new_lengths), n_features)
        Post-padded with zeros, float64.
    """
    lengths = np.asarray(lengths, dtype=np.int64)
    new_lengths = np.broadcast_to(np.asarray(new_lengths, dtype=np.int64), lengths.shape)
    n_out = int(new_lengths.max(initial=1))
    k = np.arange(n_out, dtype=np.float64)[None, :]
    span_in = (lengths - 1).astype(np.float64)[:, None]
    span_out = (new_lengths - 1).astype(np.float64)[:, None]
    # k * (L - 1) / (L' - 1) in this order: exact when L == L' (whole steps)
    with np.errstate(divide="ignore", invalid="ignore"):
        positions = np.where(span_out > 0, k * span_in / span_out, span_in / 2)
    out = interpolate_at(values, positions, lengths)
    out[k[0][None, :] >= new_lengths[:, None]] = 0.0
    return out
