"""GANNoveltyDetector: the paper's GAN trained on the majority class as an outlier
detector (paper, Appendix A.2), with scikit-learn's outlier-detector API."""

from __future__ import annotations

import numbers

import numpy as np
from imblearn.utils._docstring import Substitution
from sklearn.base import BaseEstimator, OutlierMixin, _fit_context
from sklearn.utils._param_validation import Interval, StrOptions
from sklearn.utils.validation import check_is_fitted

from .._gan_estimator import GAN_DOCS, BaseGANEstimator
from ..base import SequenceEstimatorMixin
from ..utils import check_sequence_target, majority_mask, validate_sequences
from ..utils._docstring import SHARED_DOCS
from ..utils._random import draw_seed

__all__ = ["GANNoveltyDetector"]


@Substitution(**SHARED_DOCS, **GAN_DOCS)
class GANNoveltyDetector(BaseGANEstimator, SequenceEstimatorMixin, OutlierMixin, BaseEstimator):
    """Novelty detection with the paper's GAN trained on the majority class.

    The GAN with autoencoder of :class:`SeqGANOverSampler` (paper eq. 1; labels
    are ignored, as in Appendix A.2) is trained on the majority sequences only.
    A new sequence unlike the majority is then an outlier, measured either by
    the autoencoder's reconstruction error (the minority should reconstruct
    worse) or by the critic's output at the sequence's code (the minority should
    look fake to the critic).

    Read more in the :ref:`User Guide <novelty_user_guide>`.

    Parameters
    ----------
    outlier_score : {{"reconstruction", "critic"}}, default="reconstruction"
        What :meth:`score_samples` returns, higher meaning more normal:
        ``"reconstruction"``, minus the autoencoder's reconstruction error (mean
        squared error over the valid steps and features, in standardised units);
        ``"critic"``, minus the distance of the critic's output at the
        sequence's noise-free code from ``critic_center_``, the training
        majority's median critic value (two-sided: a WGAN critic's value on
        unseen data may be atypically high as well as low). The default is the
        reconstruction score because it is the one that ranked novel sequences
        at the default budget in the User Guide's measurements, where the
        critic's ranking was near chance. The critic only compares codes of the
        majority with noisy copies of them, so nothing in its training ranks
        unseen sequences; a longer training (e.g. ``max_steps=2400,
        lr_critic=2e-3``) helps it but leaves it behind. The paper found the
        autoencoder the better detector on its medical data and the critic
        slightly better on its power data at 1% imbalance (figures in the User
        Guide).
    contamination : "auto" or float, default="auto"
        Share of outliers expected in the data given to :meth:`fit`; sets
        ``offset_``, the threshold of :meth:`predict`. A float in (0, 0.5]:
        ``offset_`` is that quantile of the scores of the fitted ``X`` (as
        :class:`~sklearn.ensemble.IsolationForest`). ``"auto"``: when ``y`` is
        given, the share of non-majority samples in ``y`` (at most 0.5), so the
        predicted outliers match the training minority's frequency; without
        ``y``, Tukey's lower fence ``Q1 - 1.5 IQR`` of the training scores.
    {gan_parameters}
    {padding_value}
    {device}
    {random_state}
    {gan_verbose}
    {n_threads}

    Attributes
    ----------
    gan_ : SequenceGAN
        The GAN trained on the majority sequences; ``gan_.history_`` holds the
        per-epoch critic, generator and autoencoder losses.
    history_ : skorch.history.History
        ``gan_.history_``.
    critic_center_ : float
        Median critic output over the training (majority) sequences, the
        reference of ``outlier_score="critic"``.
    offset_ : float
        Threshold on :meth:`score_samples`: ``decision_function = score_samples
        - offset_``, negative for outliers.
    majority_ : object or None
        The label (or label sequence) trained on when ``y`` was given.
    n_features_in_ : int
        Features per time step.

    See Also
    --------
    SeqGANOverSampler : The same GAN trained on the minority to over-sample it.
    sklearn.ensemble.IsolationForest : The ``contamination`` convention.

    Notes
    -----
    What to try first: in this library's study on the paper's Power task (User
    Guide, :ref:`study_paper_regime`), both outlier scores stayed below the
    ensemble classifier trained on the labelled data, with and without tuned
    thresholds. Where minority sequences exist to learn from, start with a
    classifier and a tuned decision threshold (:ref:`tuned_threshold`,
    :ref:`which_sampler`); the detector is for data with no minority to train
    on.

    To predict minority/majority and score F1 as the paper does, label the
    outliers minority: ``y_pred = detector.predict(X_test) == -1`` (True =
    minority) and ``f1_score(y_test != majority, y_pred)``. The threshold
    matters for F1; ``contamination="auto"`` with ``y`` sets it to the training
    minority's share, and ``-detector.score_samples(X_test)`` is a ranking score
    for ROC or precision-recall curves.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn.metrics import f1_score
    >>> from imblearn_seqgan.datasets import make_imbalanced_sequences
    >>> from imblearn_seqgan.novelty import GANNoveltyDetector
    >>> X, y = make_imbalanced_sequences(100, weights=[0.8], max_length=12, random_state=0)
    >>> detector = GANNoveltyDetector(
    ...     hidden_size=8, num_layers=1, max_steps=30, random_state=0
    ... ).fit(X, y)
    >>> pred = detector.predict(X)  # +1 inlier (majority), -1 outlier (novel)
    >>> int(np.sum(pred == -1))  # "auto" with y: the training minority's share
    20
    >>> minority_pred = pred == -1  # the paper's F1: outliers are predicted minority
    >>> bool(f1_score(y != 0, minority_pred) > 0.5)
    True
    """

    _parameter_constraints: dict = {
        "outlier_score": [StrOptions({"reconstruction", "critic"})],
        "contamination": [StrOptions({"auto"}), Interval(numbers.Real, 0, 0.5, closed="right")],
        **BaseGANEstimator._parameter_constraints,
    }

    # scikit-learn reads the parameters from this signature (the GAN's among them);
    # BaseGANEstimator builds the GAN from them
    def __init__(
        self,
        *,
        outlier_score="reconstruction",
        contamination="auto",
        lambda_gp=10.0,
        mu=10.0,
        gradient_penalty="interpolates",
        penalty_estimate="finite_difference",
        gp_every=4,
        drift_weight=1e-3,
        generator_penalty=False,
        loss_weight_schedule=None,
        hidden_size=64,
        num_layers=2,
        lr_generator=2e-3,
        lr_critic=5e-4,
        lr_decoder=2e-3,
        batch_size=64,
        max_steps=900,
        max_epochs=None,
        n_iter_no_change=None,
        tol=1e-2,
        instance_noise=1.0,
        padding_value=np.nan,
        device="auto",
        random_state=None,
        verbose=0,
        n_threads=1,
    ):
        self.outlier_score = outlier_score
        self.contamination = contamination
        self.lambda_gp = lambda_gp
        self.mu = mu
        self.gradient_penalty = gradient_penalty
        self.penalty_estimate = penalty_estimate
        self.gp_every = gp_every
        self.drift_weight = drift_weight
        self.generator_penalty = generator_penalty
        self.loss_weight_schedule = loss_weight_schedule
        self.hidden_size = hidden_size
        self.num_layers = num_layers
        self.lr_generator = lr_generator
        self.lr_critic = lr_critic
        self.lr_decoder = lr_decoder
        self.batch_size = batch_size
        self.max_steps = max_steps
        self.max_epochs = max_epochs
        self.n_iter_no_change = n_iter_no_change
        self.tol = tol
        self.instance_noise = instance_noise
        self.padding_value = padding_value
        self.device = device
        self.random_state = random_state
        self.verbose = verbose
        self.n_threads = n_threads

    @_fit_context(prefer_skip_nested_validation=True)
    def fit(self, X, y=None):
        """Train the GAN on the majority sequences and set the threshold ``offset_``.

        Parameters
        ----------
        X : array-like of shape (n_sequences, n_timesteps, n_features), list of \
                array-like of shape (length_i, n_features), or array-like of \
                shape (n_samples, n_features)
            Sequences, padded with ``padding_value`` (at the start or the end).
        y : array-like of shape (n_sequences,) or (n_sequences, L), default=None
            Class labels or label sequences. When given, the GAN is trained on the
            majority (most frequent) class only; when None, on all of ``X``.

        Returns
        -------
        self : GANNoveltyDetector
            The fitted detector.
        """
        self._warn_short_budget(stacklevel=3)  # the caller of fit
        seqs = validate_sequences(self, X, reset=True, padding_value=self.padding_value)
        if y is None:
            train = np.ones(seqs.n_sequences, dtype=bool)
            self.majority_ = None
        else:
            y = check_sequence_target(y, seqs.n_sequences, estimator_name=type(self).__name__)
            train, self.majority_ = majority_mask(y)
        if train.sum() < 2:
            where = " of the majority class" if y is not None else ""
            raise ValueError(
                f"GANNoveltyDetector needs at least 2 sequences{where} to train on; got "
                f"{int(train.sum())} sample(s)."
            )
        from .._nn import torch_cpu_settings

        seed = draw_seed(self.random_state)
        with torch_cpu_settings(self.n_threads):
            self.gan_ = self._build_gan(seed).fit(seqs.values[train], seqs.lengths[train])
            self.history_ = self.gan_.history_
            self.critic_center_ = float(
                np.median(self.gan_.critic_score(seqs.values[train], seqs.lengths[train]))
            )
            scores = self._score(seqs)
        self.offset_ = self._offset(scores, scores[train], train)
        return self

    def _offset(self, scores: np.ndarray, train_scores: np.ndarray, train: np.ndarray) -> float:
        contamination = self.contamination
        if contamination == "auto":
            if train.all():
                q1, q3 = np.percentile(train_scores, [25, 75])
                return float(q1 - 1.5 * (q3 - q1))
            contamination = min(0.5, 1.0 - train.mean())
        return float(np.percentile(scores, 100.0 * contamination))

    def _score(self, seqs) -> np.ndarray:
        if self.outlier_score == "critic":
            # Two-sided: the critic only ever compared majority codes with noisy
            # copies of them, so the sign of its value on a novel sequence is
            # arbitrary (benchmarks/investigations/novelty.py: the one-sided reading is
            # inverted on about half the seeds); atypical in either direction is novel.
            critic = self.gan_.critic_score(seqs.values, seqs.lengths)
            return -np.abs(critic - self.critic_center_)
        return -self.gan_.reconstruction_error(seqs.values, seqs.lengths)

    def score_samples(self, X) -> np.ndarray:
        """How normal each sequence is (higher = more like the training majority).

        Minus the reconstruction error, or minus the critic output's distance
        from the training majority's median (see ``outlier_score``).

        Parameters
        ----------
        X : array-like of shape (n_sequences, n_timesteps, n_features) or list of \
                array-like of shape (length_i, n_features)
            Sequences with the number of features seen in :meth:`fit`.

        Returns
        -------
        scores : ndarray of shape (n_sequences,)
            Higher for sequences more like the training majority.
        """
        from .._nn import torch_cpu_settings

        check_is_fitted(self)
        seqs = validate_sequences(self, X, reset=False, padding_value=self.padding_value)
        with torch_cpu_settings(self.n_threads):
            return self._score(seqs)

    def decision_function(self, X) -> np.ndarray:
        """``score_samples(X) - offset_``: negative for outliers.

        Parameters
        ----------
        X : array-like or list of array-like
            Sequences, as in :meth:`score_samples`.

        Returns
        -------
        decision : ndarray of shape (n_sequences,)
            Negative for outliers, non-negative for inliers.
        """
        return self.score_samples(X) - self.offset_

    def predict(self, X) -> np.ndarray:
        """+1 for inliers (like the majority), -1 for outliers (novel: minority).

        Parameters
        ----------
        X : array-like or list of array-like
            Sequences, as in :meth:`score_samples`.

        Returns
        -------
        labels : ndarray of shape (n_sequences,), dtype int
            +1 inlier, -1 outlier.
        """
        return np.where(self.decision_function(X) >= 0, 1, -1)

    def fit_predict(self, X, y=None, **kwargs) -> np.ndarray:
        """Fit on ``X`` (on its majority class when ``y`` is given) and predict ``X``.

        Parameters
        ----------
        X : array-like of shape (n_sequences, n_timesteps, n_features) or list of \
                array-like of shape (length_i, n_features)
            Sequences, as in :meth:`fit`.
        y : array-like of shape (n_sequences,) or (n_sequences, L), default=None
            Class labels or label sequences, as in :meth:`fit`.
        **kwargs : dict
            Passed on to :meth:`fit`.

        Returns
        -------
        labels : ndarray of shape (n_sequences,), dtype int
            +1 inlier, -1 outlier.
        """
        return self.fit(X, y, **kwargs).predict(X)
