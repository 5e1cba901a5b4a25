"""Dynamic time warping paths, many pairs at once, in numpy.

Written here because no maintained, dependency-light DTW is in the stack:
``aeon`` (which has one) is an optional dependency of the data loaders only,
``tslearn`` and ``dtaidistance`` would be new hard dependencies with compiled
code, and guided warping needs only the path of the classic DTW. The pairs of a
batch share their two lengths, so each row of the cumulative-cost matrix is a
few vectorised operations over the whole batch, and so is each step back along
the paths.
"""

from __future__ import annotations

import math

import numpy as np

__all__ = ["dtw_paths"]


def _band(n_rows: int, n_cols: int, window: float | None) -> tuple[np.ndarray, np.ndarray]:
    """First and last column of each row inside a Sakoe-Chiba band around the
    diagonal from (0, 0) to (n_rows - 1, n_cols - 1).

    ``window`` is the band's half-width as a share of the longer length (None: no
    band). It is widened to half the diagonal's slope where needed, so a path
    always exists between sequences of different lengths.
    """
    rows = np.arange(n_rows)
    if window is None or n_rows == 1:
        return np.zeros(n_rows, dtype=np.intp), np.full(n_rows, n_cols - 1, dtype=np.intp)
    slope = (n_cols - 1) / max(n_rows - 1, 1)
    half = max(window * max(n_rows, n_cols), slope / 2, 0.5)
    centre = rows * slope
    lo = np.maximum(np.floor(centre - half), 0).astype(np.intp)
    hi = np.minimum(np.ceil(centre + half), n_cols - 1).astype(np.intp)
    return lo, hi


def dtw_paths(
    reference: np.ndarray, query: np.ndarray, window: float | None = 0.1
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The DTW alignment paths between pairs of sequences of equal lengths.

    Classic DTW (steps right, down and diagonal, each cell's cost the Euclidean
    distance between the two time steps' feature vectors) within a Sakoe-Chiba
    band, as Iwana and Uchida's guided warping uses it.

    Parameters
    ----------
    reference : ndarray of shape (n_pairs, n_ref, n_features)
        The first sequence of each pair (all of one length).
    query : ndarray of shape (n_pairs, n_query, n_features)
        The second (all of one length).
    window : float or None, default=0.1
        Half-width of the band as a share of the longer length; None for none.

    Returns
    -------
    ref_index, query_index : ndarray of shape (n_pairs, n_ref + n_query - 1)
        The aligned steps of each path, from (0, 0) to the last steps; a path
        shorter than the arrays is padded at its end with its last pair.
    path_lengths : ndarray of shape (n_pairs,)
        Number of steps of each path.
    """
    n_pairs, n_ref, _ = reference.shape
    n_query = query.shape[1]
    lo, hi = _band(n_ref, n_query, window)
    cost = np.full((n_pairs, n_ref, n_query), np.inf)
    for i in range(n_ref):
        a, b = lo[i], hi[i] + 1
        step = np.linalg.norm(query[:, a:b] - reference[:, i, None], axis=2)
        if i == 0:
            cost[:, 0, a:b] = np.cumsum(step, axis=1)
            continue
        previous = cost[:, i - 1]
        # best way in from the row above: straight down or diagonally
        above = previous[:, a:b]
        diagonal = np.concatenate(
            [
                previous[:, a - 1 : a] if a > 0 else np.full((n_pairs, 1), np.inf),
                previous[:, a : b - 1],
            ],
            axis=1,
        )
        entry = np.minimum(above, diagonal)
        # then along the row: D[j] = min over k <= j of entry[k] + step[k..j], which
        # with S the running sum of step is S[j] + running min of (entry[k] - S[k-1])
        running = np.cumsum(step, axis=1)
        before = np.concatenate([np.zeros((n_pairs, 1)), running[:, :-1]], axis=1)
        cost[:, i, a:b] = running + np.minimum.accumulate(entry - before, axis=1)
    return _trace_back(cost)


def _trace_back(cost: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Walk back from the last cell along the cheapest predecessors, all pairs at
    once (ties prefer the diagonal, then the row above, as Iwana and Uchida's code)."""
    n_pairs, n_ref, n_query = cost.shape
    max_steps = n_ref + n_query - 1
    i = np.full(n_pairs, n_ref - 1, dtype=np.intp)
    j = np.full(n_pairs, n_query - 1, dtype=np.intp)
    ref_back = np.empty((n_pairs, max_steps), dtype=np.intp)
    query_back = np.empty((n_pairs, max_steps), dtype=np.intp)
    lengths = np.ones(n_pairs, dtype=np.intp)
    rows = np.arange(n_pairs)
    ref_back[:, 0], query_back[:, 0] = i, j
    inf = math.inf
    for step in range(1, max_steps):
        active = (i > 0) | (j > 0)
        if not active.any():
            break
        up_i, left_j = np.maximum(i - 1, 0), np.maximum(j - 1, 0)
        candidates = np.stack(
            [
                np.where((i > 0) & (j > 0), cost[rows, up_i, left_j], inf),
                np.where(i > 0, cost[rows, up_i, j], inf),
                np.where(j > 0, cost[rows, i, left_j], inf),
            ],
            axis=1,
        )
        move = np.argmin(candidates, axis=1)
        i = np.where(active & (move != 2), i - 1, i)
        j = np.where(active & (move != 1), j - 1, j)
        ref_back[:, step], query_back[:, step] = i, j
        lengths += active
    # reverse each path so it starts at (0, 0); past its end, position 0 repeats
    # the last cell (the first one recorded)
    positions = np.maximum(lengths[:, None] - 1 - np.arange(max_steps)[None, :], 0)
    ref_index = np.take_along_axis(ref_back, positions, axis=1)
    query_index = np.take_along_axis(query_back, positions, axis=1)
    return ref_index, query_index, lengths
