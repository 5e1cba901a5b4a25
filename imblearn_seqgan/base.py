"""Base classes and mixins shared by the estimators of the library.

* :class:`BaseSequenceSampler`: imbalanced-learn's ``fit_resample`` template for
  sequences. It validates X and y once, computes ``sampling_strategy_`` with
  imbalanced-learn's machinery, calls ``_fit_resample`` on the validated arrays
  and writes X and y back to the caller's containers once.
* :class:`SyntheticSequences`: what a sampler's ``_fit_resample`` returns.
* :class:`SequenceEstimatorMixin`: the tags every estimator of the library shares.
* :class:`LabelSequenceScoreMixin`: ``score`` and tags of the classifiers that
  take label sequences.
* :data:`DEVICE_CONSTRAINT`: every estimator's ``device`` parameter constraint.

Importing this module does not import torch.
"""

from __future__ import annotations

import numbers
import sys
import warnings
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import numpy as np
from imblearn.over_sampling.base import BaseOverSampler
from imblearn.utils import check_sampling_strategy, check_target_type
from imblearn.utils._docstring import Substitution
from imblearn.utils._validation import ArraysTransformer
from sklearn.base import _fit_context
from sklearn.preprocessing import label_binarize
from sklearn.utils.multiclass import check_classification_targets, type_of_target

from .utils import Sequences, check_sequence_target, majority_mask, validate_sequences
from .utils._docstring import SHARED_DOCS

__all__ = [
    "DEVICE_CONSTRAINT",
    "BaseSequenceSampler",
    "LabelSequenceScoreMixin",
    "SequenceEstimatorMixin",
    "SyntheticSequences",
]


class _TorchDeviceType(type):
    def __instancecheck__(cls, obj) -> bool:
        torch = sys.modules.get("torch")  # no torch loaded: obj cannot be a torch.device
        return torch is not None and isinstance(obj, torch.device)


class _TorchDevice(metaclass=_TorchDeviceType):
    """``torch.device`` for ``_parameter_constraints`` without importing torch."""


# scikit-learn names the type in its error message: "an instance of 'torch.device'"
_TorchDevice.__module__, _TorchDevice.__qualname__ = "torch", "device"

#: The ``device`` parameter's constraint: a string (``"auto"``, ``"cpu"``,
#: ``"cuda:1"``...) or a ``torch.device``; resolved at fit by ``_nn.resolve_device``.
DEVICE_CONSTRAINT = [str, _TorchDevice]


class SequenceEstimatorMixin:
    """Tags shared by every estimator of the library.

    X may be a 3-D array or a ragged list of sequences, never sparse; NaN marks
    padding only (NaN inside a valid step is an error). Training is bit-identical
    on CPU, but cuDNN's LSTM kernels on CUDA are not, so the estimator is tagged
    non-deterministic when its ``device`` resolves to CUDA. Goes before the
    scikit-learn or imbalanced-learn base class.
    """

    def _non_deterministic(self) -> bool:
        """Whether equal seeds may give different results (override if the
        estimator trains elsewhere than its own ``device``)."""
        device = getattr(self, "device", None)
        if device is None:
            return False
        from ._nn import trains_on_cuda  # torch is loaded only when tags are asked for

        return trains_on_cuda(device)

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.three_d_array = True
        tags.input_tags.sparse = False
        tags.input_tags.allow_nan = False
        tags.non_deterministic = self._non_deterministic()
        return tags


class LabelSequenceScoreMixin:
    """``score`` and tags for classifiers that also take label sequences.

    ``score`` is plain accuracy for 1-D y; for 2-D y it is the share of sequences
    whose whole label sequence is predicted right (as
    ``MultiOutputClassifier.score``). The classifier must set ``_multi_output``
    in ``fit``. Goes before ``ClassifierMixin``.
    """

    def score(self, X: Any, y: Any, sample_weight: Any = None) -> float:
        """Accuracy of whole label sequences (or of labels, for 1-D y).

        Parameters
        ----------
        X : array-like of shape (n_sequences, n_timesteps, n_features) or list of \
                array-like of shape (length_i, n_features)
            Test sequences.
        y : array-like of shape (n_sequences,) or (n_sequences, L)
            True labels, or label sequences.
        sample_weight : array-like of shape (n_sequences,), default=None
            Sample weights.

        Returns
        -------
        score : float
            Share of sequences whose label (or whole label sequence) is right.
        """
        if not getattr(self, "_multi_output", False):
            return super().score(X, y, sample_weight=sample_weight)
        y_pred = self.predict(X)
        correct = np.all(y_pred == np.asarray(y, dtype=y_pred.dtype), axis=1)
        return float(np.average(correct, weights=sample_weight))

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.target_tags.multi_output = True
        tags.classifier_tags.multi_label = False
        return tags


@dataclass(frozen=True)
class SyntheticSequences:
    """The new sequences a sampler adds after the input ones.

    Attributes
    ----------
    lengths : ndarray of shape (n_new,), dtype int64
        Length of every new sequence, in order; the output is allocated from
        them once.
    chunks : iterable of (values, lengths, y) tuples
        The new sequences in order, a chunk at a time: ``values`` post-padded
        ``(n_chunk, length, n_features)``, their ``lengths`` and their labels
        ``y`` (class labels, or label sequences in label-sequence mode). A
        generator is consumed once, while the output is written, so only one
        chunk of model output exists at a time.
    """

    lengths: np.ndarray
    chunks: Iterable[tuple[np.ndarray, np.ndarray, np.ndarray]]

    @classmethod
    def from_arrays(cls, values: Any, lengths: Any, y: Any) -> SyntheticSequences:
        """All new sequences in one chunk.

        Parameters
        ----------
        values : ndarray of shape (n_new, max_length, n_features)
            The new sequences, post-padded.
        lengths : ndarray of shape (n_new,)
            Their lengths.
        y : ndarray of shape (n_new,) or (n_new, L)
            Their labels, or label sequences.

        Returns
        -------
        synthetic : SyntheticSequences
        """
        lengths = np.asarray(lengths, dtype=np.int64)
        return cls(lengths, [(np.asarray(values), lengths, np.asarray(y))])

    @classmethod
    def empty(cls) -> SyntheticSequences:
        """No new sequence (nothing had to be generated).

        Returns
        -------
        synthetic : SyntheticSequences
        """
        return cls(np.zeros(0, dtype=np.int64), [])


class BaseSequenceSampler(SequenceEstimatorMixin, BaseOverSampler):
    """Base of the sequence over-samplers: imbalanced-learn's template for sequences.

    :meth:`fit_resample` does what ``imblearn.base.SamplerMixin.fit_resample``
    does, for the sequence data contract:

    1. :meth:`_check_X_y` validates X (3-D padded array, ragged list or 2-D
       array) and y (class labels, one-vs-all encoded classes or, with
       ``label_sequences=True``, label sequences) once;
    2. ``sampling_strategy_`` is computed by :meth:`_compute_sampling_strategy`
       (imbalanced-learn's ``check_sampling_strategy``) on the classes of
       :meth:`_sampling_target`; a targeted class with a single sequence gets a
       warning;
    3. ``_fit_resample(X, y)`` runs on the validated arrays;
    4. the input sequences, unchanged and in order, then the new ones are
       written into the caller's container (its dtype, padding side and padding
       value), and y into the caller's type, once.

    A subclass writes only ``_fit_resample`` and its ``_parameter_constraints``
    (and, if it needs one, its own :meth:`_compute_sampling_strategy`). It must
    have the parameters ``sampling_strategy``, ``label_sequences`` and
    ``padding_value``.

    Notes
    -----
    The hooks a subclass writes or may override:

    ``_fit_resample(self, X, y) -> SyntheticSequences``
        ``X`` is the validated :class:`~imblearn_seqgan.utils.Sequences` (values
        post-padded with zeros in ``X.values``, ``X.lengths``, ``X.dtype`` the
        dtype to generate in); ``y`` the validated target: 1-D class labels, or
        the 2-D label sequences with ``label_sequences=True``. The keys of
        ``self.sampling_strategy_`` are classes of ``self._sampling_target(y)``
        (in label-sequence mode ``0`` for the majority label sequence and ``1``
        for every other one). Return only the new sequences and their labels, in
        y's space, as :class:`SyntheticSequences`; chunks from a generator keep
        the peak memory near the output's size. ``self.n_features_in_`` is set.
    ``_compute_sampling_strategy(self, target) -> dict``
        Number of new sequences per class of ``target``.
    """

    _parameter_constraints: dict = {
        **BaseOverSampler._parameter_constraints,
        "label_sequences": ["boolean"],
        "padding_value": [numbers.Real],
    }

    # -- validation -------------------------------------------------------------------

    def _check_X_y(self, X: Any, y: Any, accept_sparse: Any = None):
        """Validate X and y under the sequence data contract.

        Parameters
        ----------
        X : array-like or list of array-like
            Sequences (see :meth:`fit_resample`).
        y : array-like
            Class labels, one-vs-all encoded classes, or label sequences.
        accept_sparse : None
            Unused: sequences are never sparse (kept for imbalanced-learn's
            signature).

        Returns
        -------
        X : Sequences
            The validated sequences.
        y : ndarray of shape (n_sequences,) or (n_sequences, L)
            Class labels, or label sequences with ``label_sequences=True``.
        binarize_y : bool
            Whether y came one-vs-all encoded (it is then returned encoded).
        """
        if y is None:  # named before X is looked at, as imbalanced-learn does
            check_sequence_target(y, 0, estimator_name=type(self).__name__)
        if self.label_sequences:
            seqs = validate_sequences(self, X, reset=True, padding_value=self.padding_value)
            return seqs, check_sequence_target(y, seqs.n_sequences, label_sequences=True), False
        check_classification_targets(y)
        _reject_undeclared_label_sequences(y)
        y, binarize_y = check_target_type(y, indicate_one_vs_all=True)
        seqs = validate_sequences(self, X, reset=True, padding_value=self.padding_value)
        return seqs, check_sequence_target(y, seqs.n_sequences, label_sequences=False), binarize_y

    def _sampling_target(self, y: np.ndarray) -> np.ndarray:
        """The 1-D classes ``sampling_strategy_`` refers to.

        Parameters
        ----------
        y : ndarray of shape (n_sequences,) or (n_sequences, L)
            Validated class labels, or label sequences.

        Returns
        -------
        target : ndarray of shape (n_sequences,)
            ``y`` itself for class labels; for label sequences ``0`` for the
            majority (most frequent) label sequence and ``1`` for every other.
        """
        if not self.label_sequences:
            return y
        is_majority, _ = majority_mask(y)
        if is_majority.all():
            raise ValueError(
                "y holds a single distinct label sequence: label-sequence mode needs at "
                "least one label sequence other than the majority's (the minority) to "
                "learn from; there is only one class."
            )
        return (~is_majority).astype(np.int64)

    def _compute_sampling_strategy(self, target: np.ndarray) -> dict:
        """Number of new sequences per class (override to change how it is counted).

        Parameters
        ----------
        target : ndarray of shape (n_sequences,)
            The classes of :meth:`_sampling_target`.

        Returns
        -------
        sampling_strategy : dict
            ``class -> number of new sequences``.
        """
        return check_sampling_strategy(self.sampling_strategy, target, self._sampling_type)

    def _check_class_sizes(self, target: np.ndarray) -> None:
        """Check the classes to over-sample before anything is trained.

        Here a class of one sequence gets a warning (its synthetic sequences are
        variations of that one); samplers that interpolate between neighbours
        override this to refuse the classes too small for them.

        Parameters
        ----------
        target : ndarray of shape (n_sequences,)
            The class of each sequence (majority 0 / minority 1 for label
            sequences).
        """
        classes, counts = np.unique(target, return_counts=True)
        for cls, count in zip(classes, counts, strict=True):
            if count == 1 and self.sampling_strategy_.get(cls, 0) > 0:
                what = (
                    "the minority (every label sequence other than the majority's)"
                    if self.label_sequences
                    else f"class {cls.item() if isinstance(cls, np.generic) else cls!r}"
                )
                warnings.warn(
                    f"{type(self).__name__}: {what} has a single sequence; all of its "
                    f"{self.sampling_strategy_[cls]} synthetic sequences are made from "
                    "that one sequence, which says little about the class. Add "
                    "sequences of it or leave it out of sampling_strategy.",
                    UserWarning,
                    stacklevel=4,  # the caller of fit_resample (behind _fit_context)
                )

    # -- the template -----------------------------------------------------------------

    @Substitution(**SHARED_DOCS)
    @_fit_context(prefer_skip_nested_validation=True)
    def fit(self, X: Any, y: Any, **params):
        """Validate X and y and compute ``sampling_strategy_`` (no training).

        Use :meth:`fit_resample`.

        Parameters
        ----------
        {X_sequences}
        {y_sampler}
        **params : dict
            Unused; for imbalanced-learn's signature.

        Returns
        -------
        self : object
            The sampler.
        """
        _, y, _ = self._check_X_y(X, y)
        self.sampling_strategy_ = self._compute_sampling_strategy(self._sampling_target(y))
        return self

    @Substitution(**SHARED_DOCS)
    @_fit_context(prefer_skip_nested_validation=True)
    def fit_resample(self, X: Any, y: Any, **params):
        """Learn from the targeted classes and add synthetic sequences.

        Parameters
        ----------
        {X_sequences}
        {y_sampler}
        **params : dict
            Passed on to ``_fit_resample``.

        Returns
        -------
        X_resampled : same container, dtype and padding as X
            The input sequences, unchanged and in order, then the synthetic ones.
        y_resampled : same type as y
            Their labels (label sequences in label-sequence mode).
        """
        seqs, y_checked, binarize_y = self._check_X_y(X, y)
        target = self._sampling_target(y_checked)
        self.sampling_strategy_ = self._compute_sampling_strategy(target)
        self._check_class_sizes(target)
        synthetic = self._fit_resample(seqs, y_checked, **params)
        X_res, y_res = _append(seqs, y_checked, synthetic)
        if binarize_y:
            y_res = label_binarize(y_res, classes=np.unique(y_checked))
        # imbalanced-learn's conversion of y (list, Series, DataFrame) and of 2-D X;
        # the sequences are already in the caller's container.
        transformer = ArraysTransformer(np.empty(0) if seqs.container == "list" else X, y)
        return transformer.transform(X_res, y_res)


def _append(
    seqs: Sequences, y: np.ndarray, synthetic: SyntheticSequences
) -> tuple[np.ndarray | list, np.ndarray]:
    """The input sequences and labels followed by the synthetic ones, X written
    straight into the caller's container as the chunks come."""
    new_labels = []

    def values_and_lengths():
        for values, lengths, labels in synthetic.chunks:
            new_labels.append(np.asarray(labels))
            yield values, lengths

    X_res = seqs.append_chunks(values_and_lengths(), synthetic.lengths)
    y_res = np.concatenate([y, *(labels.astype(y.dtype, copy=False) for labels in new_labels)])
    return X_res, y_res


def _reject_undeclared_label_sequences(y: Any) -> None:
    """Name the switch when a 2-D ``y`` that is not one-vs-all encoded classes arrives
    without ``label_sequences=True``: imbalanced-learn's own error ("Multilabel and
    multioutput targets are not supported") does not say that label sequences are
    supported, only behind a switch."""
    kind = type_of_target(y)
    if kind not in ("multilabel-indicator", "multiclass-multioutput"):
        return
    y = np.asarray(y)
    if kind == "multilabel-indicator" and (y.sum(axis=1) == 1).all():
        return  # one-vs-all encoded classes, which imbalanced-learn accepts
    raise ValueError(
        f"y has shape {y.shape}: a 2-D target that is not one-vs-all encoded classes. "
        "Multilabel and multioutput targets are not supported as classes; if each row "
        "is a label sequence (one label per time step), pass label_sequences=True."
    )
