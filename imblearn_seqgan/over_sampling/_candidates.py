"""Keep the realistic ones among more synthetic candidates than needed.

A sampler that filters draws ``k`` candidates for each synthetic sequence it has to
make (a *group*) and keeps one per group:

* **valid**: a classifier trained on the real sequences only (gradient boosting on
  :func:`~imblearn_seqgan.metrics.sequence_summaries`) scores each candidate's
  probability of its class; the candidate should score like the class's real
  members do out of fold (between the 5th and 95th percentile of their scores).
  Not "as high as possible": candidates that exaggerate the class's signature are
  easy for the downstream classifier and teach it nothing about the hard real
  members; candidates that score like the majority are invalid.
* **realistic**: among the valid candidates of a group, the one a discriminator
  (real members of the class against all its candidates, out of fold) finds the
  least synthetic.

scikit-learn has no generic "filter generated samples" step; the pieces (the
classifier, ``cross_val_predict``) are scikit-learn's.
"""

from __future__ import annotations

import numpy as np
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.model_selection import StratifiedKFold, cross_val_predict

from ..metrics import sequence_summaries
from ..utils._random import draw_seed

__all__ = ["choose_realistic_candidates"]

# the band of the real members' out-of-fold class probability a valid candidate
# must fall into
_VALID_QUANTILES = (0.05, 0.95)
# steps of the resampled values the filter's models see besides the summaries
_FILTER_STEPS = 20
# real sequences of one class the validity model trains on at most (a random
# subsample beyond): the filter must cost seconds, not a second classifier's
# training, and a majority many times the minority's size adds little
_MAX_PER_CLASS = 2_000
_CV = 5


def _features(values: np.ndarray, lengths: np.ndarray) -> np.ndarray:
    return sequence_summaries(_as_list(values, lengths), n_steps=_FILTER_STEPS)


def _as_list(values: np.ndarray, lengths: np.ndarray) -> list[np.ndarray]:
    return [values[i, :n] for i, n in enumerate(lengths)]


def _model(seed: int) -> HistGradientBoostingClassifier:
    # no class weights: weighted histograms made its fit 15 times slower here, and the
    # band compares candidates with real members under the same model anyway
    return HistGradientBoostingClassifier(random_state=seed)


def choose_realistic_candidates(
    real_values: np.ndarray,
    real_lengths: np.ndarray,
    real_target: np.ndarray,
    candidate_values: np.ndarray,
    candidate_lengths: np.ndarray,
    candidate_target: np.ndarray,
    groups: np.ndarray,
    rng: np.random.RandomState,
) -> tuple[np.ndarray, dict[str, float]]:
    """One candidate per group: valid by a real-data classifier, then the most realistic.

    Parameters
    ----------
    real_values : ndarray of shape (n_real, max_length, n_features)
        The real sequences, post-padded.
    real_lengths : ndarray of shape (n_real,)
    real_target : ndarray of shape (n_real,)
        Their classes (the sampler's sampling target).
    candidate_values, candidate_lengths : arrays
        The candidates, post-padded, and their lengths.
    candidate_target : ndarray of shape (n_candidates,)
        The class each candidate was made for.
    groups : int ndarray of shape (n_candidates,)
        Which synthetic sequence each candidate is a candidate for (0 ... n_groups-1,
        each group within one class).
    rng : RandomState
        Seeds the models and folds.

    Returns
    -------
    chosen : int ndarray of shape (n_groups,)
        Index of the kept candidate of each group, in group order.
    diagnostics : dict
        ``valid_share``: the share of candidates in their class's valid band;
        ``groups_without_valid``: the share of groups that had none (their
        candidate nearest the band was kept).
    """
    seed = draw_seed(rng)
    real_features = _features(real_values, real_lengths)
    candidate_features = _features(candidate_values, candidate_lengths)
    distance_to_band = _distance_to_valid_band(
        real_features, real_target, candidate_features, candidate_target, rng, seed
    )
    synthetic_score = np.zeros(len(groups))
    for cls in np.unique(candidate_target):
        mine = np.flatnonzero(candidate_target == cls)
        real_rows = np.flatnonzero(real_target == cls)
        synthetic_score[mine] = _synthetic_probability(
            real_features[real_rows], candidate_features[mine], seed
        )
    # per group: the nearest to the band first (0 inside it), then the least synthetic
    order = np.lexsort((synthetic_score, distance_to_band, groups))
    first = np.r_[True, groups[order][1:] != groups[order][:-1]]
    chosen = order[first]
    diagnostics = {
        "valid_share": float(np.mean(distance_to_band == 0)),
        "groups_without_valid": float(np.mean(distance_to_band[chosen] > 0)),
    }
    return chosen, diagnostics


def _distance_to_valid_band(
    real_features, real_target, candidate_features, candidate_target, rng, seed
):
    """How far each candidate's class probability lies outside the band of its
    class's real members' out-of-fold probabilities (0 inside)."""
    rows = _subsample(real_target, rng)
    X_fit, y_fit = real_features[rows], real_target[rows]
    smallest = int(np.unique(y_fit, return_counts=True)[1].min())
    if smallest < 2 or len(np.unique(y_fit)) < 2:
        # no out-of-fold scores for a class of one sequence: every candidate is valid
        return np.zeros(len(candidate_target))
    folds = StratifiedKFold(min(_CV, smallest), shuffle=True, random_state=seed)
    out_of_fold = cross_val_predict(_model(seed), X_fit, y_fit, cv=folds, method="predict_proba")
    validity = _model(seed).fit(X_fit, y_fit)
    candidate_proba = validity.predict_proba(candidate_features)
    column = {c: i for i, c in enumerate(validity.classes_)}
    distance = np.zeros(len(candidate_target))
    for cls in np.unique(candidate_target):
        mine = np.flatnonzero(candidate_target == cls)
        low, high = np.quantile(out_of_fold[y_fit == cls, column[cls]], _VALID_QUANTILES)
        score = candidate_proba[mine, column[cls]]
        distance[mine] = np.maximum(low - score, 0) + np.maximum(score - high, 0)
    return distance


def _subsample(target: np.ndarray, rng: np.random.RandomState) -> np.ndarray:
    """Every class's members, at most ``_MAX_PER_CLASS`` of each (drawn at random)."""
    keep = []
    for cls in np.unique(target):
        members = np.flatnonzero(target == cls)
        if len(members) > _MAX_PER_CLASS:
            members = np.sort(rng.choice(members, size=_MAX_PER_CLASS, replace=False))
        keep.append(members)
    return np.sort(np.concatenate(keep))


def _synthetic_probability(real: np.ndarray, candidates: np.ndarray, seed: int) -> np.ndarray:
    """Out-of-fold probability that each candidate is synthetic, from a discriminator
    trained on the real members against the candidates."""
    X = np.vstack([real, candidates])
    y = np.r_[np.zeros(len(real), int), np.ones(len(candidates), int)]
    n_splits = min(_CV, len(real), len(candidates))
    if n_splits < 2:
        return np.zeros(len(candidates))
    folds = StratifiedKFold(n_splits, shuffle=True, random_state=seed)
    proba = cross_val_predict(_model(seed), X, y, cv=folds, method="predict_proba")
    return proba[len(real) :, 1]
