"""ToChannelsFirst: the library's (n, timesteps, features) as (n, channels, timepoints)."""

from __future__ import annotations

import numbers
from typing import Any

import numpy as np
from imblearn.utils._docstring import Substitution
from sklearn.base import BaseEstimator, TransformerMixin, _fit_context
from sklearn.utils._param_validation import Interval

from ..base import SequenceEstimatorMixin
from ..utils import validate_sequences
from ..utils._docstring import SHARED_DOCS
from ..utils._resample import resample_values

__all__ = ["ToChannelsFirst"]


@Substitution(padding_value=SHARED_DOCS["padding_value"])
class ToChannelsFirst(SequenceEstimatorMixin, TransformerMixin, BaseEstimator):
    """Turn sequences into the channels-first layout of aeon (and of torch's Conv1d).

    The library's sequences are ``(n_sequences, n_timesteps, n_features)``,
    NaN-padded, or a ragged list of ``(length_i, n_features)`` arrays. aeon's
    collections are ``(n_cases, n_channels, n_timepoints)`` without padding, or a
    list of ``(n_channels, n_timepoints_i)`` arrays when the lengths differ. This
    stateless transformer converts the first into the second, so that an aeon
    transformer or classifier can follow a sampler of this library in an
    imbalanced-learn :class:`~imblearn.pipeline.Pipeline`.

    The padding is removed: each sequence keeps its valid steps only. When all
    sequences have the same length the output is one 3-D array; otherwise, by
    default, a list (the input aeon's estimators tagged
    ``capability:unequal_length`` accept, e.g. ``KNeighborsTimeSeriesClassifier``,
    ``RDSTClassifier``, ``Catch22Classifier``), or, with ``n_timepoints``, every
    sequence linearly resampled to a common length, which the estimators that need
    equal lengths (``MiniRocket``, ``Rocket``, ``MultiRocket``) accept.

    Parameters
    ----------
    n_timepoints : int or None, default=None
        If given, every sequence is resampled by linear interpolation in time to
        this many time points (its first and last steps kept) and the output is
        always a 3-D array; sequences already of that length are returned as
        they are. If None, sequences keep their lengths.
    {padding_value}

    Attributes
    ----------
    n_features_in_ : int
        Number of features per time step seen in :meth:`fit` (transform checks
        it when the transformer was fitted; it works without fitting too).

    See Also
    --------
    imblearn_seqgan.utils.resample_sequences : The resampling, in the library's layout.

    Notes
    -----
    No parameter is learned: :meth:`fit` only validates X, and :meth:`transform`
    can be called on an unfitted instance. The output never shares memory with
    the input, and keeps its floating dtype.

    Examples
    --------
    >>> import numpy as np
    >>> from imblearn_seqgan.preprocessing import ToChannelsFirst
    >>> X = np.arange(12.0).reshape(2, 3, 2)  # 2 sequences, 3 steps, 2 features
    >>> ToChannelsFirst().fit_transform(X).shape  # 2 cases, 2 channels, 3 timepoints
    (2, 2, 3)
    >>> ragged = [np.zeros((3, 2)), np.ones((5, 2))]
    >>> [x.shape for x in ToChannelsFirst().fit_transform(ragged)]
    [(2, 3), (2, 5)]
    >>> ToChannelsFirst(n_timepoints=4).fit_transform(ragged).shape
    (2, 2, 4)
    """

    _parameter_constraints: dict = {
        "n_timepoints": [Interval(numbers.Integral, 1, None, closed="left"), None],
        "padding_value": [numbers.Real],
    }

    def __init__(self, n_timepoints: int | None = None, padding_value: float = np.nan):
        self.n_timepoints = n_timepoints
        self.padding_value = padding_value

    @Substitution(**SHARED_DOCS)
    @_fit_context(prefer_skip_nested_validation=True)
    def fit(self, X: Any, y: Any = None):
        """Validate X and record its number of features (nothing is learned).

        Parameters
        ----------
        {X_sequences}
        y : None
            Ignored.

        Returns
        -------
        self : object
            The transformer.
        """
        validate_sequences(self, X, reset=True, padding_value=self.padding_value)
        return self

    @Substitution(**SHARED_DOCS)
    def transform(self, X: Any) -> np.ndarray | list[np.ndarray]:
        """Return the sequences channels first, without padding.

        Parameters
        ----------
        {X_sequences}

        Returns
        -------
        X_channels_first : ndarray of shape (n_sequences, n_features, n_timepoints) \
                or list of ndarray of shape (n_features, length_i)
            A 3-D array when all sequences have the same length (or
            ``n_timepoints`` is set), else a list of 2-D arrays, in input order.
        """
        self._validate_params()  # transform may run unfitted
        seqs = validate_sequences(self, X, reset=False, padding_value=self.padding_value)
        values, lengths, dtype = seqs.values, seqs.lengths, seqs.dtype
        if self.n_timepoints is not None:
            if (lengths == self.n_timepoints).all():
                values = values[:, : self.n_timepoints]
            else:
                values = resample_values(values, lengths, self.n_timepoints)
            return np.ascontiguousarray(values.transpose(0, 2, 1), dtype=dtype)
        if (lengths == lengths[0]).all():
            # seqs.values is a fresh array (never the caller's), trimmed to the longest
            return np.ascontiguousarray(values[:, : lengths[0]].transpose(0, 2, 1))
        return [
            np.array(v[:length].T, dtype=dtype) for v, length in zip(values, lengths, strict=True)
        ]

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.requires_fit = False
        tags.transformer_tags.preserves_dtype = ["float64", "float32"]
        return tags
