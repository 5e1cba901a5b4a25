"""ADASYN's plan on latent codes and the labels of the synthetic samples.

What :class:`~imblearn_seqgan.over_sampling.LatentADASYN` does once the sequences
are encoded: who is interpolated with whom and by how much (He et al., 2008), and
which labels the new samples get. Plain numpy and scikit-learn, no torch.
"""

from __future__ import annotations

import warnings
from typing import Any

import numpy as np
from sklearn.neighbors import NearestNeighbors

__all__ = ["adasyn_plan", "interpolate_labels"]


def _neighbors_without_self(
    nn: NearestNeighbors, queries: np.ndarray, query_indices: np.ndarray, k: int
) -> np.ndarray:
    """The ``k`` nearest neighbours of each query among the fitted points, excluding
    the query itself.

    Asking for ``k + 1`` and dropping the first column (imbalanced-learn's way) drops
    the wrong point when codes are duplicated and the duplicate comes first; drop the
    query's own index wherever it appears instead (or the farthest when it does not).
    """
    idx = nn.kneighbors(queries, n_neighbors=k + 1, return_distance=False)
    is_self = idx == query_indices[:, None]
    is_self[~is_self.any(axis=1), -1] = True
    return idx[~is_self].reshape(len(queries), k)


def _allocate(weights: np.ndarray, n_total: int) -> np.ndarray:
    """Integer counts proportional to ``weights`` that sum exactly to ``n_total``.

    Largest-remainder rounding: ADASYN's ``rint(g_i)`` (He et al., imbalanced-learn)
    can miss the target by a few samples, which would break ``sampling_strategy``.
    """
    exact = weights / weights.sum() * n_total
    counts = np.floor(exact).astype(np.int64)
    remainder = int(n_total - counts.sum())
    order = np.argsort(-(exact - counts), kind="stable")
    counts[order[:remainder]] += 1
    return counts


def _spread_evenly(n_members: int, n_total: int, random_state) -> np.ndarray:
    """Counts that differ by at most one, summing to ``n_total``: each member ``q``,
    and ``r`` distinct members drawn at random one more, for ``n_total = q n + r``."""
    q, r = divmod(n_total, n_members)
    counts = np.full(n_members, q, dtype=np.int64)
    counts[random_state.choice(n_members, size=r, replace=False)] += 1
    return counts


def adasyn_plan(
    codes: np.ndarray,
    groups: np.ndarray,
    targets: dict[Any, int],
    k_neighbors: int,
    random_state: np.random.RandomState,
    *,
    allocation: str = "adasyn",
    n_candidates: int = 1,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """ADASYN's plan (He et al., 2008) on points ``codes``: who is interpolated with whom.

    Parameters
    ----------
    codes : ndarray of shape (n_samples, n_dims)
        The points (latent codes of all samples).
    groups : ndarray of shape (n_samples,)
        The class of each sample as ADASYN sees it: a new point is interpolated
        between two samples of one group, and the "majority" of ADASYN's ratio is
        every sample of another group (one-vs-rest, as imbalanced-learn).
    targets : dict
        ``group -> number of samples to generate``.
    k_neighbors : int
        K of ADASYN, used for both neighbourhoods.
    random_state : RandomState
    allocation : {"adasyn", "even"}, default="adasyn"
        How many new points each sample of a group is the base of: in proportion
        to ADASYN's ratio, or evenly (counts differing by at most one, as SMOTE).
    n_candidates : int, default=1
        Interpolations drawn per new point: each planned point becomes
        ``n_candidates`` consecutive rows with the same base (a group of
        candidates, each with its own neighbour and weight). With 1 the plan is
        the same, draw for draw, as without the parameter.

    Returns
    -------
    base : ndarray of int, shape (n_new * n_candidates,)
        Index of the sample each new point is made from (``x_i``).
    neighbor : ndarray of int, shape (n_new * n_candidates,)
        Index of the same-group neighbour it moves towards (``x_j``).
    weight : ndarray of float, shape (n_new * n_candidates,)
        The single interpolation weight ``w ~ U[0, 1)``: the new point is
        ``x_i + w (x_j - x_i)``.
    ratio : ndarray of float, shape (n_samples,)
        ADASYN's ``r_i``: the share of other-group samples among each sample's
        ``k_neighbors`` nearest neighbours (NaN for groups not over-sampled).
    """
    ratio = np.full(len(codes), np.nan)
    all_nn = NearestNeighbors().fit(codes)
    base_parts, neighbor_parts, weight_parts = [], [], []
    for group, n_new in targets.items():
        if n_new == 0:
            continue
        members = np.flatnonzero(groups == group)
        # Step 2 of ADASYN: r_i = share of other-group samples among the K neighbours.
        nns = _neighbors_without_self(all_nn, codes[members], members, k_neighbors)
        r = (groups[nns] != group).mean(axis=1)
        ratio[members] = r
        if allocation == "even":
            counts = _spread_evenly(len(members), n_new, random_state)
        elif r.sum() == 0:
            warnings.warn(
                f"No sample of {_describe_group(group)} has a sample of another class "
                f"among its {k_neighbors} nearest neighbours in the latent space; "
                "ADASYN's density ratio is undefined, so synthetic samples are spread "
                "evenly over the class (as SMOTE would).",
                UserWarning,
                stacklevel=4,
            )
            counts = _allocate(np.ones_like(r), n_new)
        else:
            # Steps 3-4: g_i proportional to r_i, rounded to sum exactly to n_new.
            counts = _allocate(r, n_new)
        # Step 5: each new point moves from x_i towards one of its K same-group
        # neighbours, chosen uniformly, by one weight w ~ U[0, 1).
        group_nn = NearestNeighbors().fit(codes[members])
        same = _neighbors_without_self(
            group_nn, codes[members], np.arange(len(members)), k_neighbors
        )
        rows = np.repeat(np.arange(len(members)), counts * n_candidates)
        pick = random_state.randint(k_neighbors, size=len(rows))
        base_parts.append(members[rows])
        neighbor_parts.append(members[same[rows, pick]])
        weight_parts.append(random_state.uniform(size=len(rows)))
    if not base_parts:
        empty = np.zeros(0, dtype=np.intp)
        return empty, empty, np.zeros(0), ratio
    return (
        np.concatenate(base_parts),
        np.concatenate(neighbor_parts),
        np.concatenate(weight_parts),
        ratio,
    )


def check_group_sizes(name: str, groups: np.ndarray, targets: list, k: int) -> None:
    """Raise unless every targeted group can be interpolated with ``k`` neighbours.

    Parameters
    ----------
    name : str
        The sampler, for the messages.
    groups : ndarray of shape (n_samples,)
        The group (class) of each sample.
    targets : list
        The groups to over-sample.
    k : int
        Neighbours per sample (the sample itself not counted).
    """
    for group in targets:
        n_group = int(np.sum(groups == group))
        if n_group < 2:
            raise ValueError(
                f"{name} cannot over-sample {_describe_group(group)}: it has "
                f"{n_group} sample, and interpolation needs at least 2. Leave it out "
                "of sampling_strategy."
            )
        if n_group < k + 1:
            raise ValueError(
                f"{name} with k_neighbors={k} needs at least {k + 1} samples "
                f"in each class it over-samples, but {_describe_group(group)} has "
                f"only {n_group}. Lower k_neighbors to at most {n_group - 1} "
                "or leave that class out of sampling_strategy."
            )
    if len(groups) < k + 1:
        raise ValueError(
            f"{name} with k_neighbors={k} needs at least {k + 1} sequences, got {len(groups)}."
        )


def _describe_group(group: Any) -> str:
    return f"class {_label(group)!r}"


def _label(value: Any) -> Any:
    """numpy scalars print as ``np.int64(1)``: show the plain value in messages."""
    return value.item() if isinstance(value, np.generic) else value


def interpolate_labels(
    y_base: np.ndarray, y_neighbor: np.ndarray, weight: np.ndarray
) -> np.ndarray:
    """Valid label sequences for ``y_i + w (y_j - y_i)`` (paper, App. A.1).

    At each step the fractional label is replaced by the nearer of its two ends:
    ``y_j[t]`` when ``w > 0.5``, else ``y_i[t]``. For 0/1 labels this is rounding
    ``y_i + w (y_j - y_i)`` to the nearest integer (ties go to the base sample); it
    also holds for multi-class and non-numeric labels, where interpolating class
    codes has no meaning, and it never invents a label absent from both ends. With
    one weight per synthetic sample the whole label sequence is that of the
    endpoint the synthetic code lies nearer to.
    """
    take_neighbor = (weight > 0.5).reshape((-1,) + (1,) * (y_base.ndim - 1))
    return np.where(take_neighbor, y_neighbor, y_base)
