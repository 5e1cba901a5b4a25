"""How LatentADASYN makes its sequences once the autoencoder is trained: ADASYN's
plan on the codes (:mod:`._adasyn_plan`), the interpolated codes decoded (as sequences,
or as the change they make to their base sample), and, with ``candidate_filter``, one
realistic candidate kept per planned sample. Torch-free: :mod:`imblearn_seqgan._nn`'s
functions do the tensor work."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ._adasyn_plan import adasyn_plan
from ._candidates import choose_realistic_candidates


@dataclass
class Interpolation:
    """The synthetic samples and where each came from (rows in the input)."""

    values: np.ndarray
    lengths: np.ndarray
    base: np.ndarray
    neighbor: np.ndarray
    weight: np.ndarray
    density_ratio: np.ndarray
    filter_diagnostics: dict | None


def interpolate_codes(
    autoencoder,
    seqs,
    groups,
    targets,
    *,
    k_neighbors,
    allocation,
    decode,
    candidate_filter,
    n_candidates,
    random_state,
) -> Interpolation:
    """ADASYN (or SMOTE's even allocation) between the codes of the sequences.

    Parameters
    ----------
    autoencoder : LatentAutoencoder
        The trained autoencoder (on its training device).
    seqs : Sequences
        Every input sequence: all are encoded, as neighbours come from every class.
    groups : ndarray of shape (n_sequences,)
        The class of each sequence (majority 0 / minority 1 for label sequences).
    targets : dict
        ``class -> number of new samples`` (positive counts only).
    k_neighbors : int
        ADASYN's K.
    allocation : {"adasyn", "even"}
        Samples per base sample: by density ratio, or evenly.
    decode : {"sequence", "change"}
        Decode the new code, or add the change it makes to the base sample.
    candidate_filter : {None, "realistic"}
        Keep one of ``n_candidates`` interpolations per planned sample.
    n_candidates : int
        Candidates per planned sample with ``candidate_filter``.
    random_state : RandomState
        The neighbours, the weights and the filter's models.

    Returns
    -------
    interpolation : Interpolation
        Empty arrays when the plan asks for nothing.
    """
    from .._nn import TrainingDivergedError, decode_change, decode_codes, encode_sequences

    values, lengths = seqs.values, seqs.lengths.astype(np.int64, copy=False)
    codes = encode_sequences(autoencoder, values, lengths)
    n_candidates = 1 if candidate_filter is None else n_candidates
    base, neighbor, weight, ratio = adasyn_plan(
        codes,
        groups,
        targets,
        k_neighbors,
        random_state,
        allocation=allocation,
        n_candidates=n_candidates,
    )
    if len(base) == 0:
        empty = np.zeros((0, values.shape[1], values.shape[2]), dtype=seqs.dtype)
        return Interpolation(empty, lengths[base], base, neighbor, weight, ratio, None)
    new_codes = codes[base] + weight[:, None] * (codes[neighbor] - codes[base])
    new_lengths = lengths[base]
    if decode == "change":
        new_values = decode_change(
            autoencoder, new_codes, codes[base], values[base], new_lengths, seqs.dtype
        )
    else:
        new_values = decode_codes(autoencoder, new_codes, new_lengths, values.shape[2], seqs.dtype)
    if not np.isfinite(new_values).all():
        raise TrainingDivergedError(
            "LatentADASYN training diverged: the autoencoder decoded non-finite "
            "values. Lower lr, or check the input's scale."
        )
    diagnostics = None
    if candidate_filter is not None:
        # candidates of one synthetic sample are consecutive rows of the plan
        candidate_groups = np.arange(len(base)) // n_candidates
        chosen, diagnostics = choose_realistic_candidates(
            values,
            lengths,
            groups,
            new_values,
            new_lengths,
            groups[base],
            candidate_groups,
            random_state,
        )
        base, neighbor, weight = base[chosen], neighbor[chosen], weight[chosen]
        new_values, new_lengths = new_values[chosen], new_lengths[chosen]
    return Interpolation(new_values, new_lengths, base, neighbor, weight, ratio, diagnostics)
