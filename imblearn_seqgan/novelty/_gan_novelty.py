"""GANNoveltyDetector: the paper's GAN trained on the majority class as an outlier
detector (paper, Appendix A.2), with scikit-learn's outlier-detector API."""

from __future__ import annotations

import numbers
from typing import Any

import numpy as np
from sklearn.base import BaseEstimator, OutlierMixin, _fit_context
from sklearn.utils import check_random_state
from sklearn.utils._param_validation import Interval, StrOptions
from sklearn.utils.multiclass import check_classification_targets
from sklearn.utils.validation import check_is_fitted

from .._gan_estimator import GAN_PARAMETER_CONSTRAINTS, build_sequence_gan
from ..utils import check_label_sequences, encode_label_sequences, validate_sequences

__all__ = ["GANNoveltyDetector"]


class GANNoveltyDetector(OutlierMixin, BaseEstimator):
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
    outlier_score : {"reconstruction", "critic"}, default="reconstruction"
        What :meth:`score_samples` returns, higher meaning more normal:
        ``"reconstruction"``, minus the autoencoder's reconstruction error (mean
        squared error over the valid steps and features, in standardised units);
        ``"critic"``, minus the distance of the critic's output at the
        sequence's noise-free code from ``critic_center_``, the training
        majority's median critic value (two-sided: a WGAN critic's value on
        unseen data may be atypically high as well as low). The critic needs a
        longer training than the default to rank novel sequences (e.g.
        ``max_steps=2400, lr_critic=2e-3``; see the User Guide). The paper found
        the autoencoder the better detector (Table 1), and so do we.
    contamination : "auto" or float, default="auto"
        Share of outliers expected in the data given to :meth:`fit`; sets
        ``offset_``, the threshold of :meth:`predict`. A float in (0, 0.5]:
        ``offset_`` is that quantile of the scores of the fitted ``X`` (as
        :class:`~sklearn.ensemble.IsolationForest`). ``"auto"``: when ``y`` is
        given, the share of non-majority samples in ``y`` (at most 0.5), so the
        predicted outliers match the training minority's frequency; without
        ``y``, Tukey's lower fence ``Q1 - 1.5 IQR`` of the training scores.
    lambda_gp : float, default=10.0
        Gradient-penalty weight λ of eq. (1).
    mu : float, default=10.0
        Autoencoder weight μ of eq. (1).
    gradient_penalty : {"interpolates", "real"}, default="interpolates"
        Where the critic's gradient penalty is taken (see
        :class:`SeqGANOverSampler`).
    gp_every : int, default=4
        Lazy regularisation: the penalty every ``gp_every``-th critic step.
    hidden_size : int, default=64
        Code size: units of the generator's and decoder's LSTMs.
    num_layers : int, default=2
        Layers of the generator's and decoder's LSTMs.
    lr_generator, lr_critic, lr_decoder : float, default=2e-3, 5e-4, 2e-3
        Adam learning rates.
    batch_size : int, default=64
        Sequences per batch (batches group sequences of similar length).
    max_steps : int, default=900
        Training budget in optimisation steps (generator, critic and decoder
        together).
    instance_noise : float, default=1.0
        Std of the noise on the codes the critic sees, decaying to zero.
    padding_value : float, default=np.nan
        Value marking padding steps of 3-D input.
    device : str, default="auto"
        Torch device; "auto" uses CUDA when available.
    random_state : int, RandomState instance or None, default=None
        Seeds weights, batches and noise; equal seeds give bit-identical results
        on CPU.
    verbose : int, default=0
        If > 0, show a progress bar over the training steps.

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
        **GAN_PARAMETER_CONSTRAINTS,
    }

    def __init__(
        self,
        *,
        outlier_score="reconstruction",
        contamination="auto",
        lambda_gp=10.0,
        mu=10.0,
        gradient_penalty="interpolates",
        gp_every=4,
        hidden_size=64,
        num_layers=2,
        lr_generator=2e-3,
        lr_critic=5e-4,
        lr_decoder=2e-3,
        batch_size=64,
        max_steps=900,
        instance_noise=1.0,
        padding_value=np.nan,
        device="auto",
        random_state=None,
        verbose=0,
    ):
        self.outlier_score = outlier_score
        self.contamination = contamination
        self.lambda_gp = lambda_gp
        self.mu = mu
        self.gradient_penalty = gradient_penalty
        self.gp_every = gp_every
        self.hidden_size = hidden_size
        self.num_layers = num_layers
        self.lr_generator = lr_generator
        self.lr_critic = lr_critic
        self.lr_decoder = lr_decoder
        self.batch_size = batch_size
        self.max_steps = max_steps
        self.instance_noise = instance_noise
        self.padding_value = padding_value
        self.device = device
        self.random_state = random_state
        self.verbose = verbose

    def _build_gan(self, seed: int):
        return build_sequence_gan(self, seed)

    def _majority_mask(self, y: Any, n_sequences: int) -> tuple[np.ndarray, Any]:
        """Which sequences belong to the majority: the most frequent label, or the
        most frequent label sequence for a 2-D ``y`` (paper section 2)."""
        if not isinstance(y, (list, tuple)):
            y = np.asarray(y)
        if np.ndim(y) == 2:
            y = check_label_sequences(y, n_sequences)
            codes, patterns = encode_label_sequences(y)
            majority = int(np.bincount(codes).argmax())
            return codes == majority, patterns[majority]
        y = np.asarray(y)
        if y.ndim != 1:
            raise ValueError(
                f"y must be 1-D class labels or 2-D label sequences, got shape {y.shape}."
            )
        if len(y) != n_sequences:
            raise ValueError(
                f"X and y have different numbers of sequences: {n_sequences} and {len(y)}."
            )
        check_classification_targets(y)
        classes, codes = np.unique(y, return_inverse=True)
        majority = int(np.bincount(codes).argmax())
        return codes == majority, classes[majority]

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
        """
        seqs = validate_sequences(self, X, reset=True, padding_value=self.padding_value)
        if y is None:
            train = np.ones(seqs.n_sequences, dtype=bool)
            self.majority_ = None
        else:
            train, self.majority_ = self._majority_mask(y, seqs.n_sequences)
        if train.sum() < 2:
            where = " of the majority class" if y is not None else ""
            raise ValueError(
                f"GANNoveltyDetector needs at least 2 sequences{where} to train on; got "
                f"{int(train.sum())} sample(s)."
            )
        seed = check_random_state(self.random_state).randint(np.iinfo(np.int32).max)
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
            # arbitrary (benchmarks/bench_novelty.py: the one-sided reading is
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
        X : sequences, as in :meth:`fit`

        Returns
        -------
        scores : ndarray of shape (n_sequences,)
        """
        check_is_fitted(self)
        seqs = validate_sequences(self, X, reset=False, padding_value=self.padding_value)
        return self._score(seqs)

    def decision_function(self, X) -> np.ndarray:
        """``score_samples(X) - offset_``: negative for outliers.

        Returns
        -------
        decision : ndarray of shape (n_sequences,)
        """
        return self.score_samples(X) - self.offset_

    def predict(self, X) -> np.ndarray:
        """+1 for inliers (like the majority), -1 for outliers (novel: minority).

        Returns
        -------
        labels : ndarray of shape (n_sequences,), dtype int
        """
        return np.where(self.decision_function(X) >= 0, 1, -1)

    def fit_predict(self, X, y=None, **kwargs) -> np.ndarray:
        """Fit on ``X`` (on its majority class when ``y`` is given) and predict ``X``.

        Returns
        -------
        labels : ndarray of shape (n_sequences,), dtype int
            +1 inlier, -1 outlier.
        """
        return self.fit(X, y, **kwargs).predict(X)

    def __sklearn_tags__(self):
        from .._nn import trains_on_cuda  # torch is loaded only when asked

        tags = super().__sklearn_tags__()
        tags.input_tags.three_d_array = True
        tags.input_tags.sparse = False
        tags.input_tags.allow_nan = False  # NaN marks padding; inside a step it is an error
        # bit-identical on CPU; CUDA's LSTM kernels are not deterministic
        tags.non_deterministic = trains_on_cuda(self.device)
        return tags
