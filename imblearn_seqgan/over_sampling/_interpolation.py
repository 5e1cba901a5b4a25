"""imbalanced-learn's SMOTE and ADASYN run on sequences: the part the two share.

Sequences of equal length are flattened (each ``(T, F)`` sequence one vector of
``T * F`` values), as the paper runs SMOTE, and handed to imbalanced-learn
unchanged, so the output is exactly its ``SMOTE``/``ADASYN`` on flattened data.

Sequences of different lengths are brought to a common length first: each
sequence's valid steps are resampled linearly in time to ``common_length_``
steps (padding never enters the interpolation). Two columns are appended that
imbalanced-learn interpolates with the same weight ``w`` as the values but that
the neighbour search does not see (:class:`_NeighborsOnLeadingColumns`):

* the length ``L``: the new sequence's length is ``round(L_i + w (L_j - L_i))``
  and its common-length values are resampled back to it;
* in label-sequence mode, the one-hot encoded label sequence: at each step the
  label whose column is larger, i.e. that of the nearer end (``y_j[t]`` when
  ``w > 0.5``), which is :func:`._adasyn_plan.interpolate_labels`' rule.

Why columns rather than the indices and weights: imbalanced-learn keeps its base
samples, neighbours and weights to itself (private ``_make_samples`` in SMOTE,
local variables in ADASYN). Columns it interpolates like any feature recover
everything the sequences need through its public API, keep it in charge of the
neighbour search, the counts and the random draws, and are exact: the length is
interpolated in float64 from whole numbers, and a label column is 1 - w or w.
"""

from __future__ import annotations

import numbers
from typing import Any

import numpy as np
from sklearn.base import BaseEstimator, clone
from sklearn.neighbors import NearestNeighbors
from sklearn.utils._param_validation import HasMethods, Interval

from ..base import BaseSequenceSampler, SyntheticSequences
from ._adasyn_plan import _describe_group
from ._time import resample_to_lengths

__all__ = []

NEIGHBORS_CONSTRAINT = [
    Interval(numbers.Integral, 1, None, closed="left"),
    HasMethods(["kneighbors", "kneighbors_graph"]),
]


class _NeighborsOnLeadingColumns(BaseEstimator):
    """A nearest-neighbours estimator that sees only the first ``n_columns`` columns.

    Handed to imbalanced-learn as its ``k_neighbors``/``n_neighbors`` object so
    that the appended length and label columns are interpolated but do not move
    the neighbour search: neighbours are those of the sequences' values alone.
    """

    def __init__(self, estimator=None, n_columns=None):
        self.estimator = estimator
        self.n_columns = n_columns

    @property
    def n_neighbors(self) -> int:
        # ADASYN reads its K from the neighbours object
        return self.estimator.n_neighbors

    def _leading(self, X):
        return None if X is None else np.asarray(X)[:, : self.n_columns]

    def fit(self, X, y=None):
        self.estimator_ = clone(self.estimator).fit(self._leading(X))
        return self

    def kneighbors(self, X=None, n_neighbors=None, return_distance=True):
        return self.estimator_.kneighbors(self._leading(X), n_neighbors, return_distance)

    def kneighbors_graph(self, X=None, n_neighbors=None, mode="connectivity"):
        return self.estimator_.kneighbors_graph(self._leading(X), n_neighbors, mode)


class _ImblearnInterpolationSampler(BaseSequenceSampler):
    """Base of :class:`SequenceSMOTE` and :class:`SequenceADASYN`.

    A subclass sets ``_imblearn_sampler`` (the imbalanced-learn class) and
    ``_neighbors_param`` (the name of its neighbours parameter, which the
    subclass also has).
    """

    _imblearn_sampler: type
    _neighbors_param: str

    def _neighbors(self) -> Any:
        return getattr(self, self._neighbors_param)

    def _k(self) -> int | None:
        """K of the neighbourhoods (the sample itself not counted), if known."""
        neighbors = self._neighbors()
        if isinstance(neighbors, numbers.Integral):
            return int(neighbors)
        n = getattr(neighbors, "n_neighbors", None)
        return None if n is None else int(n) - 1

    def _check_class_sizes(self, target: np.ndarray) -> None:
        """Refuse, before anything runs, the classes too small to interpolate.

        Replaces the base's warning about a class of one sequence: imbalanced-learn
        would fail later with a message about ``n_samples_fit``.

        Parameters
        ----------
        target : ndarray of shape (n_sequences,)
            The class of each sequence (majority 0 / minority 1 for label
            sequences).
        """
        name, param, k = type(self).__name__, self._neighbors_param, self._k()
        for group, n_new in self.sampling_strategy_.items():
            if n_new == 0:
                continue
            n_group = int(np.sum(target == group))
            what = (
                "the minority (every label sequence other than the majority's)"
                if self.label_sequences
                else _describe_group(group)
            )
            if n_group < 2:
                raise ValueError(
                    f"{name} cannot over-sample {what}: it has {n_group} sequence, and "
                    "interpolation needs at least 2. Leave it out of sampling_strategy, "
                    "or use SequenceRandomOverSampler or SequenceAugmenter."
                )
            if k is not None and n_group < k + 1:
                raise ValueError(
                    f"{name} with {param}={k} needs at least {k + 1} sequences in each "
                    f"class it over-samples, but {what} has only {n_group}. Lower "
                    f"{param} to at most {n_group - 1} or leave that class out of "
                    "sampling_strategy."
                )
        if k is not None and len(target) < k + 1:
            raise ValueError(
                f"{name} with {param}={k} needs at least {k + 1} sequences, got {len(target)}."
            )

    def _fit_resample(self, X, y) -> SyntheticSequences:
        """Run imbalanced-learn's sampler on the flattened (or common-length) sequences.

        Parameters
        ----------
        X : Sequences
            The validated sequences.
        y : ndarray of shape (n_sequences,) or (n_sequences, L)
            Class labels, or label sequences with ``label_sequences=True``.

        Returns
        -------
        synthetic : SyntheticSequences
            The new sequences and their labels (label sequences).
        """
        groups = self._sampling_target(y)
        lengths = X.lengths.astype(np.int64, copy=False)
        n, _, n_features = X.values.shape
        common = int(lengths.max())
        self.common_length_ = common
        flat = bool((lengths == common).all()) and not self.label_sequences
        if flat:
            # the paper's way, bit for bit imbalanced-learn's on flattened sequences
            matrix = X.values[:, :common].reshape(n, common * n_features)
            neighbors = self._neighbors()
        else:
            matrix, label_classes = self._augmented_matrix(X, y, common)
            neighbors = _NeighborsOnLeadingColumns(
                self._neighbors_estimator(), n_columns=common * n_features
            )
        counts = {c: int(np.sum(groups == c)) for c in self.sampling_strategy_}
        sampler = self._imblearn_sampler(
            sampling_strategy={c: counts[c] + m for c, m in self.sampling_strategy_.items()},
            random_state=self.random_state,
            **{self._neighbors_param: neighbors},
        )
        matrix_res, groups_res = sampler.fit_resample(matrix, groups)
        self.sampler_ = sampler
        new, new_groups = matrix_res[n:], groups_res[n:]
        if len(new) == 0:
            return SyntheticSequences.empty()
        n_values = common * n_features
        values = new[:, :n_values].reshape(-1, common, n_features)
        if flat:
            return SyntheticSequences.from_arrays(values, np.full(len(new), common), new_groups)
        new_lengths = self._interpolated_lengths(new[:, n_values], new_groups, groups, lengths)
        values = resample_to_lengths(values, np.full(len(new), common), new_lengths)
        if self.label_sequences:
            one_hot = new[:, n_values + 1 :].reshape(len(new), y.shape[1], len(label_classes))
            y_new = label_classes[one_hot.argmax(axis=2)]
        else:
            y_new = new_groups
        return SyntheticSequences.from_arrays(values, new_lengths, y_new)

    def _neighbors_estimator(self) -> Any:
        """The neighbours object imbalanced-learn would build from the parameter."""
        neighbors = self._neighbors()
        if isinstance(neighbors, numbers.Integral):
            return NearestNeighbors(n_neighbors=int(neighbors) + 1)
        return clone(neighbors)

    @staticmethod
    def _augmented_matrix(X, y, common: int) -> tuple[np.ndarray, np.ndarray | None]:
        """Common-length values, the length and (label-sequence mode) one-hot labels."""
        lengths = X.lengths
        n = len(lengths)
        values = resample_to_lengths(X.values, lengths, common).reshape(n, -1)
        columns = [values, lengths[:, None].astype(np.float64)]
        label_classes = None
        if y.ndim == 2:
            label_classes, codes = np.unique(y, return_inverse=True)
            codes = codes.reshape(y.shape)
            one_hot = codes[:, :, None] == np.arange(len(label_classes))
            columns.append(one_hot.reshape(n, -1).astype(np.float64))
        return np.hstack(columns), label_classes

    @staticmethod
    def _interpolated_lengths(raw, new_groups, groups, lengths) -> np.ndarray:
        """``round(L_i + w (L_j - L_i))``, kept within the class's lengths (rounding
        cannot leave them; the clip guards the float arithmetic)."""
        out = np.rint(raw).astype(np.int64)
        for group in np.unique(new_groups):
            rows = new_groups == group
            members = lengths[groups == group]
            out[rows] = np.clip(out[rows], members.min(), members.max())
        return out
