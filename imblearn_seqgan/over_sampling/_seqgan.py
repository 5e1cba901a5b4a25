"""SeqGANOverSampler: the paper's GAN with autoencoder as an imbalanced-learn sampler.

Torch-free at import: the GAN (:mod:`imblearn_seqgan._nn`) is built at fit.
"""

from __future__ import annotations

import numbers

import numpy as np
from imblearn.utils._docstring import Substitution
from sklearn.utils import check_random_state
from sklearn.utils._param_validation import Interval, StrOptions

from .._gan_estimator import GAN_DOCS, BaseGANEstimator
from ..base import BaseSequenceSampler, SyntheticSequences
from ..utils._docstring import SHARED_DOCS
from ..utils._random import draw_seed
from ._amount import PerSampleAmountMixin
from ._candidates import choose_realistic_candidates
from ._seqgan_generation import Generation, code_neighbours, keep_groups, label_sequence_chunks

__all__ = ["SeqGANOverSampler"]


@Substitution(**SHARED_DOCS, **GAN_DOCS)
class SeqGANOverSampler(PerSampleAmountMixin, BaseGANEstimator, BaseSequenceSampler):
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
    on the adversarial and autoencoder terms, and on the penalty too with
    ``generator_penalty=True`` as the paper; critic on the adversarial and
    penalty terms; decoder on the reconstruction), with Adam and a critic
    learning rate below the
    generator's, and with instance noise on the codes the critic reads that
    decays to zero. New sequences are decoded from noisy codes (z ~ N(0, I)) of
    real minority sequences: each has its source's length and, in one-label
    mode, its source's class; in label-sequence mode its label sequence comes
    out of the decoder.

    Read more in the :ref:`User Guide <seqgan_user_guide>`.

    Parameters
    ----------
    {sampling_strategy}
    n_per_sample : int or float, default=None
        If set, a class targeted by ``sampling_strategy`` gets this many synthetic
        sequences per sequence it has (rounded; the paper used 3), instead of the
        counts ``sampling_strategy`` would give. A float makes the amount a ratio
        to search over: 0.5 adds half as many sequences as the class has.
    new_codes : {{"noise", "neighbours"}}, default="noise"
        How a synthetic sequence's code is made from its source's. ``"noise"``:
        the source's code with noise z ~ N(0, I) as the generator's initial cell
        state (the paper). ``"neighbours"``: a point between the source's real
        code and the real code of one of its ``k_neighbors`` nearest sequences of
        the same class (``neighbors_``; SMOTE in the code space, as DeepSMOTE does
        for images), with a weight ``w ~ U[0, 1)``; the neighbour's code is
        resampled in time to the source's length. Neighbours are found on each
        code averaged over its steps.
    k_neighbors : int, default=5
        Nearest sequences the neighbour is drawn from (``new_codes="neighbours"``);
        a class with fewer other sequences uses all of them.
    decode : {{"sequence", "change"}}, default="sequence"
        ``"sequence"``: the decoded new code is the synthetic sequence (the paper).
        ``"change"``: the source plus the change the new code makes to the
        decoded source, ``x_s + D(c_new) - D(c_s)``: the source's detail, which
        the decoder smooths away, is kept, so a classifier cannot tell synthetic
        sequences by their smoothness.
    candidate_filter : {{None, "realistic"}}, default=None
        ``"realistic"``: draw ``n_candidates`` candidates for every synthetic
        sequence and keep one: among those a classifier trained on the real
        sequences scores like the class's real members (between the 5th and 95th
        percentile of their out-of-fold scores: valid, but not exaggerated), the
        one a real-vs-synthetic discriminator finds least synthetic. Gradient
        boosting on :func:`~imblearn_seqgan.metrics.sequence_summaries` makes
        both; the candidates are held in memory. None: no filter.
    n_candidates : int, default=4
        Candidates per synthetic sequence with ``candidate_filter``.
    {label_sequences}
    {gan_parameters}
    {padding_value}
    {device}
    {random_state}
    {gan_verbose}
    {n_threads}

    Attributes
    ----------
    sampling_strategy_ : dict
        Number of synthetic sequences generated per class.
    gan_ : SequenceGAN or None
        The trained GAN, a skorch ``NeuralNet`` (None when nothing had to be
        generated). Its ``history_`` holds per-epoch ``critic_loss``,
        ``generator_loss``, ``autoencoder_loss``, ``wasserstein`` and
        ``gradient_penalty``.
    history_ : skorch.history.History or None
        ``gan_.history_``, e.g. ``history_[:, "autoencoder_loss"]``.
    sources_ : ndarray of shape (n_synthetic,)
        Index (in the input) of the sequence each synthetic one was made from.
    neighbors_ : ndarray of shape (n_synthetic,) or None
        With ``new_codes="neighbours"``: index (in the input) of the neighbour
        each synthetic sequence's code was interpolated towards (None otherwise).
    interpolation_weights_ : ndarray of shape (n_synthetic,) or None
        With ``new_codes="neighbours"``: the weight ``w`` of each synthetic
        sequence.
    filter_diagnostics_ : dict or None
        With ``candidate_filter``: ``valid_share``, the share of candidates in
        their class's valid band, and ``groups_without_valid``, the share of
        synthetic sequences none of whose candidates was (the one nearest the
        band was kept).
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
    What to try first: in this library's study on the paper's Power task (User
    Guide, :ref:`study_paper_regime`), the GAN raised the minority F1 only by
    moving the operating point; with decision thresholds tuned it was below
    both the baseline and SMOTE, and its PR AUC stayed below theirs. Tune the
    decision threshold (:class:`~sklearn.model_selection.TunedThresholdClassifierCV`,
    :ref:`tuned_threshold`) and compare against SMOTE-style over-sampling with a
    tuned threshold (:ref:`which_sampler`) before adopting the GAN.

    The GAN is trained on every sequence of the classes that get synthetic
    ones, however many are generated; each synthetic sequence is decoded from a
    noisy code of one of them (its source, in ``sources_``).

    Training is a skorch ``NeuralNet`` with three modules and three optimizers
    (generator, critic, decoder), one optimisation step per batch in turn. A
    non-finite loss rolls training back to the start of the epoch with halved
    learning rates (three times at most, then
    :class:`~imblearn_seqgan._nn.TrainingDivergedError`, a
    ``FloatingPointError``); generation checks its output, so NaN sequences are
    never returned.

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
        **BaseSequenceSampler._parameter_constraints,
        "n_per_sample": [Interval(numbers.Real, 0, None, closed="neither"), None],
        "new_codes": [StrOptions({"noise", "neighbours"})],
        "k_neighbors": [Interval(numbers.Integral, 1, None, closed="left")],
        "decode": [StrOptions({"sequence", "change"})],
        "candidate_filter": [StrOptions({"realistic"}), None],
        "n_candidates": [Interval(numbers.Integral, 1, None, closed="left")],
        **BaseGANEstimator._parameter_constraints,
    }

    # scikit-learn reads the parameters from this signature (the GAN's among them);
    # BaseGANEstimator builds the GAN from them
    def __init__(
        self,
        *,
        sampling_strategy="auto",
        n_per_sample=None,
        new_codes="noise",
        k_neighbors=5,
        decode="sequence",
        candidate_filter=None,
        n_candidates=4,
        label_sequences=False,
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
        super().__init__(sampling_strategy=sampling_strategy)
        self.n_per_sample = n_per_sample
        self.new_codes = new_codes
        self.k_neighbors = k_neighbors
        self.decode = decode
        self.candidate_filter = candidate_filter
        self.n_candidates = n_candidates
        self.label_sequences = label_sequences
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

    def _fit_resample(self, X, y):
        """Train the GAN on the targeted classes and generate the new sequences.

        Parameters
        ----------
        X : Sequences
            The validated sequences.
        y : ndarray of shape (n_sequences,) or (n_sequences, L)
            Class labels, or label sequences in label-sequence mode.

        Returns
        -------
        synthetic : SyntheticSequences
            The new sequences and their labels (label sequences in label-sequence
            mode), generated chunk by chunk as the output is written.
        """
        from .._nn import threaded_iter, torch_cpu_settings

        self._warn_short_budget(stacklevel=4)  # the caller of fit_resample
        # training and each chunk's generation run with n_threads torch threads
        with torch_cpu_settings(self.n_threads):
            synthetic = self._train_and_plan(X, y)
        chunks = threaded_iter(synthetic.chunks, self.n_threads)
        return SyntheticSequences(synthetic.lengths, chunks)

    def _train_and_plan(self, X, y):
        target = self._sampling_target(y)
        rng = check_random_state(self.random_state)
        seed = draw_seed(rng)
        sources = self._choose_sources(target, rng)
        self.sources_ = sources
        self.neighbors_ = self.interpolation_weights_ = self.filter_diagnostics_ = None
        if len(sources) == 0:
            self.gan_ = None
            self.history_ = None
            return SyntheticSequences.empty()
        # the GAN learns the classes it over-samples from all their sequences,
        # however few are generated (and so drawn as sources)
        targeted = [cls for cls, n_new in self.sampling_strategy_.items() if n_new > 0]
        train = np.flatnonzero(np.isin(target, targeted))
        labels = step_labels = None
        if self.label_sequences:
            self.label_classes_, step_labels = np.unique(y, return_inverse=True)
            step_labels = step_labels.reshape(y.shape)
            labels = step_labels[train]
        self.gan_ = self._build_gan(seed).fit(
            X.values[train],
            X.lengths[train],
            labels,
            n_label_classes=None if labels is None else len(self.label_classes_),
        )
        self.history_ = self.gan_.history_
        neighbours = None
        if self.new_codes == "neighbours":
            neighbours = code_neighbours(self.gan_, X, train, labels, target, self.k_neighbors)
        generation = Generation(self.gan_, X, train, labels, rng, neighbours, self.decode)
        if self.candidate_filter is not None:
            return self._filtered(generation, X, y, target, sources, step_labels, rng)
        if neighbours is not None:
            # drawn for all sequences at once, so sources_ and neighbors_ line up
            generation.plan(sources)
            self.neighbors_, self.interpolation_weights_ = generation.planned()
        if self.label_sequences:
            chunks = label_sequence_chunks(
                generation, sources, step_labels, target, self.label_classes_
            )
        else:
            chunks = (
                (values, lengths, y[part]) for part, values, lengths, _ in generation(sources)
            )
        return SyntheticSequences(X.lengths[sources], chunks)

    def _filtered(self, generation, X, y, target, sources, step_labels, rng):
        """Draw ``n_candidates`` per synthetic sequence, keep the realistic one."""
        candidates = np.repeat(sources, self.n_candidates)
        groups = np.repeat(np.arange(len(sources)), self.n_candidates)
        generation.plan(candidates)
        values, labels = generation.all(candidates)
        lengths = X.lengths[candidates]
        chosen, self.filter_diagnostics_ = choose_realistic_candidates(
            X.values, X.lengths, target, values, lengths, target[candidates], groups, rng
        )
        if generation.neighbours is not None:
            partners, weights = generation.planned()
            self.neighbors_, self.interpolation_weights_ = partners[chosen], weights[chosen]
        values = values[chosen]
        if not self.label_sequences:
            return SyntheticSequences.from_arrays(values, X.lengths[sources], y[sources])
        labels = labels[chosen]
        keep_groups(generation, sources, values, labels, step_labels, target)
        return SyntheticSequences.from_arrays(
            values, X.lengths[sources], self.label_classes_[labels]
        )
