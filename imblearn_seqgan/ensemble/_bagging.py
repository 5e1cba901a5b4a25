"""BalancedSequenceBaggingClassifier: the paper's ensemble for sequence data.

imbalanced-learn's ``BalancedBaggingClassifier`` validates X as a 2-D matrix and
rejects 3-D sequences, so this class builds on scikit-learn's ``BaseEnsemble``
(members cloned and seeded by ``_make_estimator``) and draws the members' data
itself. The under-sampling is imbalanced-learn's ``RandomUnderSampler``, run on an
array of sample *indices*: it never looks at the features, so it selects
sequences of any shape or length without change.
"""

from __future__ import annotations

import numbers
from functools import partial
from typing import Any

import numpy as np
from imblearn.pipeline import Pipeline
from imblearn.under_sampling import RandomUnderSampler
from joblib import Parallel, delayed
from sklearn.base import ClassifierMixin, _fit_context, clone
from sklearn.ensemble import BaseEnsemble
from sklearn.utils import check_random_state, get_tags
from sklearn.utils._param_validation import HasMethods, Interval, StrOptions
from sklearn.utils.validation import check_is_fitted

from ..base import LabelSequenceScoreMixin, SequenceEstimatorMixin
from ..classification import Seq2SeqClassifier
from ..classification._seq2seq import _warn_if_far_from_unit_scale
from ..utils import encode_sequence_target, majority_mask, validate_sequences
from ..utils._random import draw_seed

__all__ = ["BalancedSequenceBaggingClassifier"]


def _default_estimator():
    return Seq2SeqClassifier()


def _fit_member(estimator, X, y):
    return estimator.fit(X, y)


def _member_proba(estimator, X) -> list:
    proba = estimator.predict_proba(X)
    return proba if isinstance(proba, list) else [proba]


class BalancedSequenceBaggingClassifier(
    LabelSequenceScoreMixin, SequenceEstimatorMixin, ClassifierMixin, BaseEnsemble
):
    """Bagging of sequence classifiers, each on all the minority and part of the
    majority.

    What imbalanced-learn's ``BalancedBaggingClassifier`` does, for 3-D / ragged
    sequence input and for label sequences (paper, section 2 and Appendix B):
    each of ``n_estimators`` members is a clone of ``estimator`` trained on every
    minority sequence and a random subset of the majority, drawn by
    imbalanced-learn's :class:`~imblearn.under_sampling.RandomUnderSampler` on the
    sample indices; predicted probabilities are averaged over the members.

    Two ways to add synthetic minority data:

    * a sampler trained once, before the ensemble (cheap; the paper's set-up)::

        Pipeline(
            [
                ("gan", SeqGANOverSampler(sampling_strategy=0.3)),
                ("bag", BalancedSequenceBaggingClassifier(Seq2SeqClassifier())),
            ]
        )

    * a sampler inside each member, on that member's data (``n_estimators`` times
      the cost; keep more majority so that a balancing sampler has work to do)::

        BalancedSequenceBaggingClassifier(
            Seq2SeqClassifier(), sampling_strategy=0.5, sampler=SeqGANOverSampler()
        )

    Parameters
    ----------
    estimator : classifier or None, default=None
        The member model (cloned for each member); None uses
        ``Seq2SeqClassifier()``. It must accept the sequences as given (3-D
        array, list or 2-D) and have ``predict_proba``.
    n_estimators : int, default=10
        Number of members (the paper uses 10).
    sampling_strategy : "auto", "partition" or float in (0, 1], default="auto"
        How much of the majority a member sees. As in the paper, the majority is
        the most frequent class (1-D ``y``) or label sequence (2-D ``y``) and
        every other class or label sequence is minority; members always get all
        of the minority. "auto" draws as many majority sequences as there are
        minority ones; a float ``r`` draws ``n_minority / r`` of them (the
        minority/majority ratio of imbalanced-learn's float strategies), at most
        all of them. "partition" splits the majority at random into
        ``n_estimators`` disjoint parts of (nearly) equal size, one per member,
        so that together the members see every majority sequence once (the
        paper's Appendix B); a member's share of the majority then does not
        grow when synthetic minority data is added before the ensemble, and the
        members' class-weighted loss handles the remaining imbalance.
    replacement : bool, default=False
        Draw the majority subset with replacement (not with "partition", whose
        parts are disjoint by definition).
    sampler : imbalanced-learn sampler or None, default=None
        Extra sampler fitted inside each member, on that member's under-sampled
        data (e.g. a ``SeqGANOverSampler``): the member is then
        ``Pipeline([("sampler", sampler), ("classifier", estimator)])``. It costs
        ``n_estimators`` sampler fits; to fit a sampler once, put it before this
        ensemble in a pipeline instead.
    n_jobs : int or None, default=None
        Members fitted, and asked for their probabilities, in parallel through
        joblib (``None``: 1 unless in a ``joblib.parallel_backend`` context, e.g. a
        Dask cluster's); the results are those of one job. Not used for fitting
        when the members share a GPU (``share_gpu``).
    share_gpu : bool, default=True
        When the members train on CUDA (their ``device`` resolves to a GPU) and no
        ``sampler`` is set, fit all of them at once in threads of this process,
        each with its own CUDA stream: one small model leaves most of a GPU idle
        (its time goes to launching kernels), so members side by side overlap
        their launches and their kernels. Weight initialisation stays one thread at
        a time, but the members' dropout masks come from torch's shared CUDA RNG
        in the threads' order (CUDA results are not bit-identical anyway). False,
        or members on the CPU: ``n_jobs`` as above.
    random_state : int, RandomState instance or None, default=None
        Seeds the under-sampling and every member's (and sampler's)
        ``random_state``.
    verbose : int, default=0
        joblib's progress messages.

    Attributes
    ----------
    estimator_ : estimator
        The template every member is cloned from: ``estimator`` (or the
        default), behind ``sampler`` when one is given.
    estimators_ : list of estimators
        The fitted members.
    estimators_samples_ : list of ndarray of int
        Indices of the training sequences each member was fitted on.
    classes_ : ndarray of shape (n_classes,) or list of L such arrays
        Class labels (per output position for label sequences).
    n_outputs_ : int
        Labels per sequence (1 for 1-D ``y``).
    n_features_in_ : int
        Features per time step.

    See Also
    --------
    imblearn.ensemble.BalancedBaggingClassifier : the same for 2-D tabular data.
    Seq2SeqClassifier : the default member.

    Examples
    --------
    >>> import numpy as np
    >>> from imblearn_seqgan.classification import Seq2SeqClassifier
    >>> from imblearn_seqgan.ensemble import BalancedSequenceBaggingClassifier
    >>> rng = np.random.default_rng(0)
    >>> X = rng.normal(size=(60, 5, 2))
    >>> y = (X[:, :, 0].mean(axis=1) > 0.4).astype(int)
    >>> bag = BalancedSequenceBaggingClassifier(
    ...     Seq2SeqClassifier(hidden_size=8, max_epochs=3), n_estimators=3, random_state=0
    ... )
    >>> bag.fit(X, y).predict_proba(X[:2]).shape
    (2, 2)
    >>> [len(idx) for idx in bag.estimators_samples_] == [2 * int(y.sum())] * 3
    True
    """

    _parameter_constraints: dict = {
        "estimator": [HasMethods(["fit", "predict_proba"]), None],
        "n_estimators": [Interval(numbers.Integral, 1, None, closed="left")],
        "sampling_strategy": [
            Interval(numbers.Real, 0, 1, closed="right"),
            StrOptions({"auto", "partition"}),
        ],
        "replacement": ["boolean"],
        "sampler": [HasMethods(["fit_resample"]), None],
        "n_jobs": [numbers.Integral, None],
        "share_gpu": ["boolean"],
        "random_state": ["random_state"],
        "verbose": ["verbose"],
    }

    # BaseEnsemble's parameters copied onto every member: none.
    estimator_params: tuple = ()

    def __init__(
        self,
        estimator: Any = None,
        n_estimators: int = 10,
        *,
        sampling_strategy: Any = "auto",
        replacement: bool = False,
        sampler: Any = None,
        n_jobs: int | None = None,
        share_gpu: bool = True,
        random_state: Any = None,
        verbose: int = 0,
    ):
        self.estimator = estimator
        self.n_estimators = n_estimators
        self.sampling_strategy = sampling_strategy
        self.replacement = replacement
        self.sampler = sampler
        self.n_jobs = n_jobs
        self.share_gpu = share_gpu
        self.random_state = random_state
        self.verbose = verbose

    def _validate_estimator(self, default=None) -> None:
        """Set ``estimator_``, the member template (``sampler`` in front of the
        classifier when given), and the padding value the members read X with."""
        super()._validate_estimator(default=_default_estimator() if default is None else default)
        # The members read X; it is validated here the way they will read it.
        self._padding_value = getattr(self.estimator_, "padding_value", np.nan)
        if self.sampler is not None:
            self.estimator_ = Pipeline(
                [("sampler", clone(self.sampler)), ("classifier", clone(self.estimator_))]
            )

    @_fit_context(prefer_skip_nested_validation=False)  # estimator and sampler: validated in fit
    def fit(self, X, y) -> BalancedSequenceBaggingClassifier:
        """Fit ``n_estimators`` members on balanced subsets of (X, y).

        Parameters
        ----------
        X : array-like of shape (n_sequences, n_timesteps, n_features), list of \
                array-like of shape (length_i, n_features), or array-like of \
                shape (n_samples, n_features)
            Training sequences.
        y : array-like of shape (n_sequences,) or (n_sequences, L)
            Class labels, or label sequences.

        Returns
        -------
        self : BalancedSequenceBaggingClassifier
        """
        self._validate_estimator()
        seqs = validate_sequences(self, X, reset=True, padding_value=self._padding_value)
        y, is_majority = self._check_targets(y, seqs.n_sequences)
        if self.sampling_strategy == "partition" and self.replacement:
            raise ValueError(
                'sampling_strategy="partition" splits the majority into disjoint parts; '
                "it cannot be combined with replacement=True."
            )
        rng = check_random_state(self.random_state)
        seeds = draw_seed(rng, size=self.n_estimators)
        if self.sampling_strategy == "partition":
            self.estimators_samples_ = self._partition_members(is_majority, rng)
        else:
            self.estimators_samples_ = [self._sample_member(is_majority, seed) for seed in seeds]
        members = [self._make_member(seed) for seed in seeds]
        if isinstance(self.estimator_, Seq2SeqClassifier):
            # one warning about the features' scale for all of X, not one per member
            _warn_if_far_from_unit_scale(seqs, type(self).__name__)
            for member in members:
                member._warn_feature_scale = False
        device = None
        if self.share_gpu:
            from .._nn import cuda_device

            device = cuda_device(self.estimator_.get_params().get("device"))
        if device is None:
            self.estimators_ = Parallel(n_jobs=self.n_jobs, verbose=self.verbose)(
                delayed(_fit_member)(member, seqs.take(idx), y[idx])
                for member, idx in zip(members, self.estimators_samples_, strict=True)
            )
        else:
            self.estimators_ = self._fit_members_sharing_gpu(members, seqs, y, device)
        return self

    def _fit_members_sharing_gpu(self, members, seqs, y, device) -> list:
        """Every member at once, each in a thread with its own CUDA stream."""
        from .._nn import run_on_cuda_streams

        tasks = [
            partial(_fit_member, member, seqs.take(idx), y[idx])
            for member, idx in zip(members, self.estimators_samples_, strict=True)
        ]
        return run_on_cuda_streams(tasks, device)

    def _check_targets(self, y, n_sequences: int) -> tuple[np.ndarray, np.ndarray]:
        """Validate y; set classes_, n_outputs_; return y and a boolean mask of the
        majority (the most frequent label or label sequence)."""
        y, classes, _ = encode_sequence_target(y, n_sequences, estimator_name=type(self).__name__)
        self._multi_output = y.ndim == 2
        self.n_outputs_ = len(classes)
        self.classes_ = classes if self._multi_output else classes[0]
        return y, majority_mask(y)[0]

    def _sample_member(self, is_majority: np.ndarray, seed: int) -> np.ndarray:
        """Indices of one member's training sequences: all of the minority and a
        random part of the majority (override to change how members are drawn)."""
        n_majority = int(is_majority.sum())
        n_minority = len(is_majority) - n_majority
        ratio = 1.0 if self.sampling_strategy == "auto" else float(self.sampling_strategy)
        n_keep = min(n_majority, max(1, round(n_minority / ratio)))
        # imbalanced-learn's sampler on an index column: it never looks at features.
        sampler = RandomUnderSampler(
            sampling_strategy={1: n_keep}, replacement=self.replacement, random_state=int(seed)
        )
        indices = np.arange(len(is_majority)).reshape(-1, 1)
        sampler.fit_resample(indices, is_majority.astype(np.int64))
        return np.sort(sampler.sample_indices_)

    def _partition_members(self, is_majority: np.ndarray, rng) -> list[np.ndarray]:
        """Indices of every member's training sequences for "partition": all of the
        minority and one of ``n_estimators`` disjoint random parts of the majority."""
        majority = rng.permutation(np.flatnonzero(is_majority))
        if len(majority) < self.n_estimators:
            raise ValueError(
                f'sampling_strategy="partition" needs at least n_estimators='
                f"{self.n_estimators} majority sequences to split; y has {len(majority)}."
            )
        minority = np.flatnonzero(~is_majority)
        return [
            np.sort(np.concatenate([minority, part]))
            for part in np.array_split(majority, self.n_estimators)
        ]

    def _make_member(self, seed: int):
        """An unfitted member: a clone of ``estimator`` (behind ``sampler``) whose
        every ``random_state`` is drawn from ``seed`` (scikit-learn's
        ``BaseEnsemble._make_estimator``).

        Parameters
        ----------
        seed : int
            Seed of the member's random states.

        Returns
        -------
        member : estimator
        """
        if not hasattr(self, "estimator_"):  # called before fit
            self._validate_estimator()
        return self._make_estimator(append=False, random_state=int(seed))

    def predict_proba(self, X) -> np.ndarray | list[np.ndarray]:
        """Average of the members' class probabilities.

        Parameters
        ----------
        X : array-like or list of sequences
            As in :meth:`fit`; lengths may differ from the training data.

        Returns
        -------
        proba : ndarray of shape (n_sequences, n_classes), or a list of L such
            arrays for label sequences (columns ordered as ``classes_``).
        """
        check_is_fitted(self, "estimators_")
        seqs = validate_sequences(self, X, reset=False, padding_value=self._padding_value)
        # The members were fitted on the validated arrays (feature names of a
        # DataFrame stay with the ensemble): they predict on the same form.
        X_members = X if seqs.container == "list" else seqs.original
        classes = self.classes_ if self._multi_output else [self.classes_]
        probas = Parallel(n_jobs=self.n_jobs, verbose=self.verbose)(
            delayed(_member_proba)(member, X_members) for member in self.estimators_
        )
        # summed in the members' order, whichever worker computed each
        total = None
        for member, proba in zip(self.estimators_, probas, strict=True):
            member_classes = member.classes_ if self._multi_output else [member.classes_]
            aligned = []
            for pos, position_classes in enumerate(classes):
                # A member may miss a class its subset did not contain.
                full = np.zeros((proba[pos].shape[0], len(position_classes)))
                full[:, np.searchsorted(position_classes, member_classes[pos])] = proba[pos]
                aligned.append(full)
            total = (
                aligned if total is None else [t + a for t, a in zip(total, aligned, strict=True)]
            )
        averaged = [t / len(self.estimators_) for t in total]
        return averaged if self._multi_output else averaged[0]

    def predict(self, X) -> np.ndarray:
        """Class (or label sequence) with the highest averaged probability.

        Parameters
        ----------
        X : array-like or list of sequences
            As in :meth:`fit`; lengths may differ from the training data.

        Returns
        -------
        y_pred : ndarray of shape (n_sequences,) or (n_sequences, L)
        """
        proba = self.predict_proba(X)
        if not self._multi_output:
            return self.classes_[proba.argmax(axis=1)]
        return np.stack(
            [c[p.argmax(axis=1)] for c, p in zip(self.classes_, proba, strict=True)], axis=1
        )

    def _non_deterministic(self) -> bool:
        """As non-deterministic as the members."""
        estimator = self.estimator if self.estimator is not None else _default_estimator()
        return get_tags(estimator).non_deterministic
