"""SequenceStandardScaler: each feature to zero mean and unit variance over the valid steps."""

from __future__ import annotations

import numbers
from typing import Any

import numpy as np
from imblearn.utils._docstring import Substitution
from sklearn.base import BaseEstimator, OneToOneFeatureMixin, TransformerMixin, _fit_context
from sklearn.preprocessing._data import _handle_zeros_in_scale
from sklearn.utils.validation import check_is_fitted

from ..base import SequenceEstimatorMixin
from ..utils import validate_sequences
from ..utils._docstring import SHARED_DOCS

__all__ = ["SequenceStandardScaler"]


# scikit-learn's StandardScaler wants 2-D input, and reshaping (n, timesteps,
# features) to (n * timesteps, features) by hand counts the padding as data and
# loses a ragged list's form: this one takes the library's every input form and
# pools the valid steps of all sequences.
@Substitution(padding_value=SHARED_DOCS["padding_value"])
class SequenceStandardScaler(
    SequenceEstimatorMixin, OneToOneFeatureMixin, TransformerMixin, BaseEstimator
):
    """Standardise each feature over the valid time steps of all sequences.

    The sequence counterpart of scikit-learn's
    :class:`~sklearn.preprocessing.StandardScaler`: each feature's mean and
    standard deviation are those of its values at every valid time step of
    every sequence (padding is not data), and :meth:`transform` returns the
    sequences in the form they came in (a padded array keeps its padding, a
    ragged list stays a list). Put it first in a pipeline whose features are on
    different scales, or far from zero: the library's samplers that train
    networks standardise internally, but
    :class:`~imblearn_seqgan.classification.Seq2SeqClassifier` sees the
    features as given, and unscaled ones (a voltage near 240) saturate its
    LSTM's gates.

    Parameters
    ----------
    with_mean : bool, default=True
        Subtract each feature's mean.
    with_std : bool, default=True
        Divide each feature by its standard deviation (a feature constant over
        all valid steps is divided by 1).
    {padding_value}

    Attributes
    ----------
    mean_ : ndarray of shape (n_features,) or None
        Each feature's mean over the valid steps; None when ``with_mean=False``.
    var_ : ndarray of shape (n_features,) or None
        Each feature's variance over the valid steps; None when ``with_std=False``.
    scale_ : ndarray of shape (n_features,) or None
        What each feature is divided by (the standard deviation, 1 where it is
        0); None when ``with_std=False``.
    n_steps_seen_ : int
        Valid time steps the statistics were computed on.
    n_features_in_ : int
        Features per time step seen in :meth:`fit`.
    feature_names_in_ : ndarray of shape (`n_features_in_`,)
        Names of the features, when X is a 2-D DataFrame (sequences of one step).

    See Also
    --------
    sklearn.preprocessing.StandardScaler : The same for 2-D tables.

    Notes
    -----
    The statistics are computed in float64; the output keeps the input's
    floating dtype and never shares memory with it.

    Examples
    --------
    >>> import numpy as np
    >>> from imblearn_seqgan.preprocessing import SequenceStandardScaler
    >>> ragged = [np.array([[240.0, 1.0], [242.0, 3.0]]), np.array([[238.0, 2.0]])]
    >>> scaler = SequenceStandardScaler().fit(ragged)
    >>> scaler.mean_, scaler.n_steps_seen_
    (array([240.,   2.]), 3)
    >>> [x.round(2).tolist() for x in scaler.transform(ragged)]
    [[[0.0, -1.22], [1.22, 1.22]], [[-1.22, 0.0]]]
    >>> padded = np.array([[[240.0], [242.0]], [[238.0], [np.nan]]])
    >>> SequenceStandardScaler().fit_transform(padded)[:, :, 0].round(2)
    array([[ 0.  ,  1.22],
           [-1.22,   nan]])
    """

    _parameter_constraints: dict = {
        "with_mean": ["boolean"],
        "with_std": ["boolean"],
        "padding_value": [numbers.Real],
    }

    def __init__(
        self, *, with_mean: bool = True, with_std: bool = True, padding_value: float = np.nan
    ):
        self.with_mean = with_mean
        self.with_std = with_std
        self.padding_value = padding_value

    @Substitution(**SHARED_DOCS)
    @_fit_context(prefer_skip_nested_validation=True)
    def fit(self, X: Any, y: Any = None) -> SequenceStandardScaler:
        """Compute each feature's mean and standard deviation over the valid steps.

        Parameters
        ----------
        {X_sequences}
        y : None
            Ignored.

        Returns
        -------
        self : object
            The fitted scaler.
        """
        seqs = validate_sequences(self, X, reset=True, padding_value=self.padding_value)
        valid = seqs.values[seqs.mask].astype(np.float64, copy=False)
        self.n_steps_seen_ = int(valid.shape[0])
        self.mean_ = valid.mean(axis=0) if self.with_mean else None
        if self.with_std:
            self.var_ = valid.var(axis=0)
            self.scale_ = _handle_zeros_in_scale(np.sqrt(self.var_), copy=False)
        else:
            self.var_ = self.scale_ = None
        return self

    def _apply(self, X: Any, inverse: bool) -> np.ndarray | list:
        check_is_fitted(self, "n_steps_seen_")
        seqs = validate_sequences(self, X, reset=False, padding_value=self.padding_value)
        values = seqs.values.astype(np.float64)  # a copy: the caller's X is never written
        if inverse:
            if self.scale_ is not None:
                values *= self.scale_
            if self.mean_ is not None:
                values += self.mean_
        else:
            if self.mean_ is not None:
                values -= self.mean_
            if self.scale_ is not None:
                values /= self.scale_
        # the padding goes back as the caller's padding value, whatever was written there
        return seqs.to_caller(values, seqs.lengths)

    @Substitution(**SHARED_DOCS)
    def transform(self, X: Any) -> np.ndarray | list:
        """Standardise the sequences with the fitted statistics.

        Parameters
        ----------
        {X_sequences}

        Returns
        -------
        X_scaled : ndarray or list
            The sequences standardised, in the form of X (padding kept).
        """
        return self._apply(X, inverse=False)

    @Substitution(**SHARED_DOCS)
    def inverse_transform(self, X: Any) -> np.ndarray | list:
        """Undo :meth:`transform`: back to the features' own scales.

        Parameters
        ----------
        {X_sequences}

        Returns
        -------
        X_original : ndarray or list
            The sequences on the fitted scales, in the form of X (padding kept).
        """
        return self._apply(X, inverse=True)

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.transformer_tags.preserves_dtype = ["float64", "float32"]
        return tags
