"""SeqGANOverSampler: the paper's GAN with autoencoder as an imbalanced-learn sampler."""

from __future__ import annotations

import numbers
from collections import Counter

import numpy as np
from imblearn.over_sampling.base import BaseOverSampler
from imblearn.utils import check_sampling_strategy, check_target_type
from imblearn.utils._validation import ArraysTransformer
from sklearn.base import _fit_context
from sklearn.preprocessing import label_binarize
from sklearn.utils import check_random_state
from sklearn.utils._param_validation import Interval
from sklearn.utils.multiclass import check_classification_targets
from sklearn.utils.validation import check_consistent_length

from .._gan_estimator import GAN_PARAMETER_CONSTRAINTS, build_sequence_gan
from ..utils import check_label_sequences, encode_label_sequences, validate_sequences

__all__ = ["SeqGANOverSampler"]


class SeqGANOverSampler(BaseOverSampler):
    """Over-sample sequences (and label sequences) with a GAN plus autoencoder.

    The method of "Autoencoders and Generative Adversarial Networks for Imbalanced
    Sequence Classification", section 2.2.1 and eq. (1). On the minority
    sequences it trains

    * a generator: an LSTM encoder over x (and, in label-sequence mode, an LSTM
      over the label sequence) whose hidden sequences are the codes; noise z
      enters as the initial cell state (z = 0: real code, z ~ N(0, I): fake);
    * a critic: a bidirectional LSTM with a dense head over the codes, trained
      WGAN-GP style with penalty weight ``lambda_gp``;
    * an autoencoder decoder that maps codes back to x (and labels); its error,
      weighted by ``mu``, is part of the generator's loss.

    Generator, critic and decoder are updated on different batches (generator
    on all terms, critic on the adversarial and penalty terms, decoder on the
    reconstruction), with Adam and a critic learning rate below the
    generator's, and with instance noise on the codes the critic reads that
    decays to zero. New sequences are decoded from noisy codes (z ~ N(0, I)) of
    real minority sequences: each has its source's length and, in one-label
    mode, its source's class; in label-sequence mode its label sequence comes
    out of the decoder.

    Read more in the :ref:`User Guide <seqgan_user_guide>`.

    Parameters
    ----------
    sampling_strategy : float, str, dict or callable, default="auto"
        As in imbalanced-learn: how many sequences each class should have after
        resampling. In label-sequence mode the classes are ``0`` (the majority,
        i.e. most frequent, label sequence) and ``1`` (every other label
        sequence, the paper's minority).
    n_per_sample : int, default=None
        If set, each sequence of a class targeted by ``sampling_strategy`` gets
        exactly this many synthetic sequences (the paper used 3), instead of the
        counts ``sampling_strategy`` would give.
    label_sequences : bool, default=False
        If True, ``y`` is a 2-D array ``(n_sequences, L)`` of label sequences
        (paper's seq2seq setting): the GAN learns and generates them. If False,
        ``y`` holds one label per sequence; a 2-D 0/1 ``y`` is then read as a
        one-vs-all encoding, as everywhere in imbalanced-learn.
    lambda_gp : float, default=10.0
        Gradient-penalty weight λ of eq. (1).
    mu : float, default=10.0
        Autoencoder weight μ of eq. (1). Larger values make the generator's codes
        decodable sooner, which small training budgets need.
    gradient_penalty : {"interpolates", "real"}, default="interpolates"
        Where the penalty ``(||∇D|| - 1)^2`` is taken: at random interpolates
        between each sequence's real and fake code (Gulrajani et al.), or at
        the real code (the paper's eq. 1). Interpolates constrain the critic in
        the region the generator's gradient comes from; a penalty at the real
        codes alone leaves the critic free to be steep around the fake codes.
    gp_every : int, default=4
        Lazy regularisation: the penalty is computed every ``gp_every``-th
        critic step with weight ``lambda_gp * gp_every``. Its double backward
        through the LSTM critic costs several times a whole critic step.
    hidden_size : int, default=64
        Code size: units of the generator's and decoder's LSTMs.
    num_layers : int, default=2
        Layers of the generator's and decoder's LSTMs.
    lr_generator, lr_critic, lr_decoder : float, default=2e-3, 5e-4, 2e-3
        Adam learning rates (betas 0.5, 0.9). Keep ``lr_critic`` below
        ``lr_generator`` so the critic does not win early (paper).
    batch_size : int, default=64
        Sequences per batch. Batches group sequences of similar length.
    max_steps : int, default=900
        Training budget in optimisation steps (generator, critic and decoder
        steps together, a third each), independent of the data size. 900 steps
        take about 30-60 s on a 2-core CPU with the defaults.
    instance_noise : float, default=1.0
        Std of the noise added to the codes the critic sees; it decays
        linearly to zero at half the budget.
    padding_value : float, default=np.nan
        Value marking padding steps of 3-D input.
    device : str, default="auto"
        Torch device; "auto" uses CUDA when available.
    random_state : int, RandomState instance or None, default=None
        Seeds weights, batches and noise. On CPU, equal seeds give bit-identical
        output.
    verbose : int, default=0
        If > 0, show a progress bar over the training steps.

    Attributes
    ----------
    sampling_strategy_ : dict
        Number of synthetic sequences generated per class.
    gan_ : SequenceGAN or None
        The trained GAN (None when nothing had to be generated). Its
        ``history_`` holds per-epoch ``critic_loss``, ``generator_loss``,
        ``autoencoder_loss``, ``wasserstein`` and ``gradient_penalty``.
    history_ : skorch.history.History or None
        ``gan_.history_``, e.g. ``history_[:, "autoencoder_loss"]``.
    sources_ : ndarray of shape (n_synthetic,)
        Index (in the input) of the sequence each synthetic one was made from.
    label_classes_ : ndarray
        Per-step label classes (label-sequence mode only).
    n_features_in_ : int
        Features per time step.
    feature_names_in_ : ndarray
        Names of features seen during fit (2-D DataFrame input only).

    See Also
    --------
    LatentADASYN : ADASYN in the latent space of an LSTM autoencoder.

    Notes
    -----
    The training loop is hand-written rather than skorch's ``NeuralNet``: it
    steps three optimizers on three different batches and the critic's loss
    holds a second-order gradient; skorch's ``History`` records the losses.
    A non-finite loss rolls training back to the start of the epoch with halved
    learning rates (three times at most, then ``FloatingPointError``);
    generation checks its output, so NaN sequences are never returned.

    Examples
    --------
    >>> from collections import Counter
    >>> from imblearn_seqgan.datasets import make_imbalanced_sequences
    >>> from imblearn_seqgan.over_sampling import SeqGANOverSampler
    >>> X, y = make_imbalanced_sequences(60, max_length=12, random_state=0)
    >>> sampler = SeqGANOverSampler(max_steps=30, hidden_size=16, random_state=0)
    >>> X_res, y_res = sampler.fit_resample(X, y)
    >>> sorted(Counter(y_res).items())
    [(np.int64(0), 54), (np.int64(1), 54)]
    >>> X_res.shape[0] == len(y_res)
    True
    """

    _parameter_constraints: dict = {
        **BaseOverSampler._parameter_constraints,
        "n_per_sample": [Interval(numbers.Integral, 1, None, closed="left"), None],
        "label_sequences": ["boolean"],
        **GAN_PARAMETER_CONSTRAINTS,
    }

    def __init__(
        self,
        *,
        sampling_strategy="auto",
        n_per_sample=None,
        label_sequences=False,
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
        super().__init__(sampling_strategy=sampling_strategy)
        self.n_per_sample = n_per_sample
        self.label_sequences = label_sequences
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

    # ------------------------------------------------------------ validation
    def _check_X_y(self, X, y, accept_sparse=None):
        """Validate under the sequence data contract (X may be 3-D or a list).

        Returns the validated ``Sequences``, the 1-D class target the sampling
        strategy is computed on, whether y was one-vs-all encoded, and the label
        sequences (or None).
        """
        seqs = validate_sequences(self, X, reset=True, padding_value=self.padding_value)
        if y is None:
            raise ValueError(
                "SeqGANOverSampler requires y to be passed, but the target y is None."
            )
        if self.label_sequences:
            Y = check_label_sequences(y, seqs.n_sequences)
            codes, _ = encode_label_sequences(Y)
            majority = np.bincount(codes).argmax()
            target = (codes != majority).astype(np.int64)
            if target.sum() == 0:
                raise ValueError(
                    "y holds a single distinct label sequence: label-sequence mode "
                    "needs at least one label sequence other than the majority's "
                    "(the minority) to learn from; there is only one class."
                )
            return seqs, target, False, Y
        check_classification_targets(y)
        target, binarize_y = check_target_type(y, indicate_one_vs_all=True)
        check_consistent_length(seqs.lengths, target)
        return seqs, target, binarize_y, None

    def _build_gan(self):
        return build_sequence_gan(self, self._seed)

    def _sampling_counts(self, target):
        strategy = check_sampling_strategy(self.sampling_strategy, target, self._sampling_type)
        if self.n_per_sample is not None:
            counts = Counter(target.tolist())
            strategy = {c: self.n_per_sample * counts[c] for c in strategy}
        return strategy

    def _choose_sources(self, target, rng):
        """Source of each synthetic sequence: every class member ``q`` times, plus
        ``r`` distinct members drawn at random, for ``n = q * count + r``."""
        sources = []
        for cls, n_new in self.sampling_strategy_.items():
            members = np.flatnonzero(target == cls)
            if n_new == 0 or len(members) == 0:
                continue
            q, r = divmod(n_new, len(members))
            extra = rng.choice(members, size=r, replace=False)
            sources.append(np.concatenate([np.repeat(members, q), np.sort(extra)]))
        if not sources:
            return np.empty(0, dtype=np.intp)
        return np.concatenate(sources).astype(np.intp)

    # ------------------------------------------------------------------- fit
    @_fit_context(prefer_skip_nested_validation=True)
    def fit(self, X, y, **params):
        """Validate X and y and compute ``sampling_strategy_`` (no training).

        Use :meth:`fit_resample`.
        """
        _, target, _, _ = self._check_X_y(X, y)
        self.sampling_strategy_ = self._sampling_counts(target)
        return self

    @_fit_context(prefer_skip_nested_validation=True)
    def fit_resample(self, X, y, **params):
        """Train the GAN on the targeted classes and add synthetic sequences.

        Parameters
        ----------
        X : array-like of shape (n_sequences, n_timesteps, n_features), list of \
                array-like of shape (length_i, n_features), or array-like of \
                shape (n_samples, n_features)
            Sequences, padded with ``padding_value`` (at the start or the end).
        y : array-like of shape (n_sequences,), or (n_sequences, L) with \
                ``label_sequences=True``
            Class of each sequence, or its label sequence.

        Returns
        -------
        X_resampled : same container, dtype and padding as X
            The input sequences, unchanged and in order, then the synthetic ones.
        y_resampled : array-like
            Their labels (label sequences in label-sequence mode).
        """
        arrays_transformer = ArraysTransformer(X, y)
        seqs, target, binarize_y, Y = self._check_X_y(X, y)
        self.sampling_strategy_ = self._sampling_counts(target)
        X_res, y_res = self._fit_resample(seqs, target, label_sequences=Y)
        if Y is not None:
            return X_res, self._like_caller_y(y, y_res)
        if binarize_y:
            y_res = label_binarize(y_res, classes=np.unique(target))
        if seqs._layout.container == "list":
            return X_res, arrays_transformer._transfrom_one(y_res, arrays_transformer.y_props)
        return arrays_transformer.transform(X_res, y_res)

    def _fit_resample(self, X, y, label_sequences=None):
        """Core of fit_resample on validated input.

        ``X`` is the validated ``Sequences``, ``y`` the 1-D class target that
        ``sampling_strategy_`` refers to, ``label_sequences`` the 2-D label
        sequences in label-sequence mode. Returns X_resampled in the caller's
        container and the 1-D (or 2-D) resampled labels as an array.
        """
        seqs, target, Y = X, y, label_sequences
        rng = check_random_state(self.random_state)
        self._seed = rng.randint(np.iinfo(np.int32).max)
        sources = self._choose_sources(target, rng)
        self.sources_ = sources
        if len(sources) == 0:
            self.gan_ = None
            self.history_ = None
            return seqs.append(np.zeros((0, 1, seqs.n_features)), np.zeros(0, np.int64)), (
                Y.copy() if Y is not None else target.copy()
            )
        train = np.unique(sources)
        labels = None
        if Y is not None:
            self.label_classes_, step_labels = np.unique(Y, return_inverse=True)
            step_labels = step_labels.reshape(Y.shape)
            labels = step_labels[train]
        self.gan_ = self._build_gan().fit(
            seqs.values[train],
            seqs.lengths[train],
            labels,
            n_label_classes=None if Y is None else len(self.label_classes_),
        )
        self.history_ = self.gan_.history_
        X_res, new_labels = self._generate_into_output(
            seqs, sources, train, labels, step_labels if Y is not None else None, target, rng
        )
        if Y is not None:
            new_y = self.label_classes_[new_labels].astype(Y.dtype, copy=False)
            return X_res, np.concatenate([Y, new_y])
        return X_res, np.concatenate([target, target[sources]])

    def _generate_into_output(self, seqs, sources, train, labels, step_labels, target, rng):
        """Generate chunk by chunk straight into the caller-format output, so that
        memory stays near the output's size (one chunk of model output at a time)."""
        chunk_size = 8192
        new_labels = []

        def chunks():
            for start in range(0, len(sources), chunk_size):
                part = sources[start : start + chunk_size]
                values, lengths, labels_part, _ = self.gan_.generate(
                    seqs.values[train],
                    seqs.lengths[train],
                    labels,
                    # sources as positions within the training subset
                    sources=np.searchsorted(train, part),
                    rng=rng.randint(np.iinfo(np.int32).max),
                    dtype=seqs.dtype,
                )
                if step_labels is not None:
                    self._keep_groups(
                        values, labels_part, step_labels, target, part, seqs, train, rng
                    )
                    new_labels.append(labels_part)
                yield values, lengths

        X_res = seqs.append_chunks(chunks(), seqs.lengths[sources])
        return X_res, (np.concatenate(new_labels) if new_labels else None)

    def _keep_groups(self, new_values, new_labels, step_labels, target, sources, seqs, train, rng):
        """Redraw the noise of synthetic sequences whose decoded label sequence
        fell into the other group (e.g. a minority source decoded to the
        majority's label sequence), so ``sampling_strategy_`` counts hold.

        Up to five redraws; a sequence still in the wrong group then takes its
        source's label sequence (its values stay the decoded ones).
        """
        if not (target == 0).any():
            return
        majority = step_labels[np.flatnonzero(target == 0)[0]]
        labels = step_labels[train]

        def wrong(rows):
            return (new_labels[rows] != majority).any(axis=1).astype(np.int64) != target[
                sources[rows]
            ]

        rows = np.arange(len(sources))
        bad = rows[wrong(rows)]
        for _ in range(5):
            if len(bad) == 0:
                return
            values, _, redrawn, _ = self.gan_.generate(
                seqs.values[train],
                seqs.lengths[train],
                labels,
                sources=np.searchsorted(train, sources[bad]),
                rng=rng.randint(np.iinfo(np.int32).max),
                dtype=seqs.dtype,
            )
            new_values[bad, : values.shape[1]] = values
            new_labels[bad] = redrawn
            bad = bad[wrong(bad)]
        new_labels[bad] = step_labels[sources[bad]]

    @staticmethod
    def _like_caller_y(y, y_res):
        if isinstance(y, list):
            return y_res.tolist()
        if hasattr(y, "columns"):
            import pandas as pd

            return pd.DataFrame(y_res, columns=y.columns)
        return y_res

    def __sklearn_tags__(self):
        from .._nn import trains_on_cuda  # torch is loaded only when asked

        tags = super().__sklearn_tags__()
        tags.input_tags.sparse = False
        tags.input_tags.three_d_array = True
        # NaN marks padding only; NaN inside a valid step is an error
        tags.input_tags.allow_nan = False
        # bit-identical on CPU; cuDNN kernels on CUDA are not deterministic
        tags.non_deterministic = trains_on_cuda(self.device)
        return tags
