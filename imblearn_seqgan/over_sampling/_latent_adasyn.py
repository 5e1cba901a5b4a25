"""ADASYN in the latent space of an LSTM autoencoder (paper section 2.1, App. A.1).

The autoencoder is trained on the sequences of the classes to over-sample; every
sequence is encoded to one latent code (the encoder's final hidden state); ADASYN
(He et al., 2008) runs on the codes (:mod:`._adasyn_plan`); only the synthetic codes
are decoded, each to the length of the real sequence it was made from. The network
and its training live in :mod:`imblearn_seqgan._nn._autoencoder` (its early stopping
in :mod:`imblearn_seqgan._nn._stopping`), which the sampler imports when it is
fitted: this module is numpy only.
"""

from __future__ import annotations

import numbers

import numpy as np
from imblearn.utils._docstring import Substitution
from sklearn.utils import check_random_state
from sklearn.utils._param_validation import Interval, StrOptions

from .._gan_estimator import GAN_DOCS
from ..base import DEVICE_CONSTRAINT, BaseSequenceSampler, SyntheticSequences
from ..utils._docstring import SHARED_DOCS
from ._adasyn_plan import check_group_sizes, interpolate_labels
from ._amount import PerSampleAmountMixin
from ._latent_generation import interpolate_codes

__all__ = ["LatentADASYN"]


_POSITIVE_INT = Interval(numbers.Integral, 1, None, closed="left")


@Substitution(**SHARED_DOCS, n_threads=GAN_DOCS["n_threads"])
class LatentADASYN(PerSampleAmountMixin, BaseSequenceSampler):
    """ADASYN in the latent space of an LSTM autoencoder (paper section 2.1, App. A.1).

    An LSTM autoencoder is trained on the sequences of the classes to over-sample
    (the minority). Every sequence, majority included, is encoded to one latent code,
    the encoder's final hidden state. ADASYN (He et al., 2008) then runs on the
    codes: each minority sample ``i`` gets a number of synthetic samples proportional
    to the share of other-class samples among its ``k_neighbors`` nearest codes, so
    samples near the class boundary get more; each synthetic code is
    ``h_i + w (h_j - h_i)`` with ``h_j`` one of the ``k_neighbors`` nearest codes of
    the same class and **one** random weight ``w ~ U[0, 1)``. Only the synthetic
    codes are decoded, each to a sequence of the length of its base sample ``i``.
    ``autoencoder_classes``, ``class_separation``, ``interpolation``, ``decode``
    and ``candidate_filter`` switch these steps to variants (none by default).

    Read more in the :ref:`User Guide <latent_adasyn>`.

    Parameters
    ----------
    {sampling_strategy}
    n_per_sample : int or float, default=None
        If set, a class targeted by ``sampling_strategy`` gets this many synthetic
        sequences per sequence it has (rounded; the paper used 3), instead of the
        counts ``sampling_strategy`` would give. A float makes the amount a ratio
        to search over: 0.5 adds half as many sequences as the class has.
    k_neighbors : int, default=5
        ADASYN's K: the neighbourhood that measures how many other-class samples
        surround a minority sample, and the candidates it is interpolated with.
        Every over-sampled class needs at least ``k_neighbors + 1`` samples.
    interpolation : {{"adasyn", "smote"}}, default="adasyn"
        How many synthetic samples each sample of a class is the base of.
        ``"adasyn"``: in proportion to its density ratio ``r_i`` (ADASYN, the
        paper). ``"smote"``: evenly, as SMOTE (counts differ by at most one; the
        samples that get one more are drawn at random). Either way a synthetic
        code is ``h_i + w (h_j - h_i)``.
    decode : {{"sequence", "change"}}, default="sequence"
        ``"sequence"``: the decoded new code is the synthetic sequence (the paper).
        ``"change"``: the base sample plus the change the new code makes to its
        decoding, ``x_i + D(h_new) - D(h_i)``, in the data's units: the base's
        detail, which the decoder smooths away, is kept, so a classifier cannot
        tell synthetic sequences by their smoothness.
    candidate_filter : {{None, "realistic"}}, default=None
        ``"realistic"``: draw ``n_candidates`` interpolations (each with its own
        neighbour ``j`` and weight ``w``) for every synthetic sample the plan asks
        of a base sample and keep one: among those a classifier trained on the
        real sequences scores like the class's real members (between the 5th and
        95th percentile of their out-of-fold scores: valid, but not exaggerated),
        the one a real-vs-synthetic discriminator finds least synthetic. Gradient
        boosting on :func:`~imblearn_seqgan.metrics.sequence_summaries` makes
        both; the candidates are held in memory. None: no filter.
    n_candidates : int, default=4
        Candidates per synthetic sample with ``candidate_filter``.
    autoencoder_classes : {{"targeted", "all"}}, default="targeted"
        The sequences the autoencoder is trained on: those of the classes to
        over-sample (the paper), or all of them, so that the codes also describe
        the classes the new samples must be told from (as DeepSMOTE does).
    class_separation : float, default=0.0
        Weight of a classification term in the autoencoder's loss: a linear head
        on the latent code, trained jointly, with the cross-entropy of the
        training sequences' classes, so that the codes keep the classes apart and
        an interpolation between two codes of a class stays among them. 0: no
        head (the paper). A positive weight needs two classes or more among the
        training sequences (``autoencoder_classes="all"``, or several classes to
        over-sample).
    label_sequences : bool, default=False
        Read a 2-D ``y`` of shape ``(n_sequences, L)`` as one label sequence per
        sequence (the paper's seq2seq setting). The majority is the most frequent
        label sequence and every other label sequence is minority: neighbours are
        taken across all minority label sequences, and a synthetic sample's label
        sequence is ``y_i + w (y_j - y_i)`` made valid by taking, at each step, the
        label of the nearer end (see Notes). When False, a 2-D ``y``
        is read as imbalanced-learn does (one-vs-all encoded classes).
    hidden_size : int, default=64
        Size of the LSTM hidden state, which is also the size of the latent code.
    num_layers : int, default=1
        Number of stacked LSTM layers in the encoder and the decoder.
    max_epochs : int, default=1000
        Cap on the passes over the autoencoder's training sequences; training
        usually stops earlier (``n_iter_no_change``).
    n_iter_no_change : int or None, default=20
        The window of early stopping, in passes: training stops when the median
        of the epoch's loss (``train_loss``) over the last window is not below
        its median over the window before by more than ``tol`` (relative), and
        the weights of the pass with the lowest loss are kept. The window is this
        many passes, or as many as make 600 optimisation steps if that is fewer,
        but at least 2, and no stop comes before 2,000 optimisation steps: so the
        budget fits the data, many passes of a small data set, whose loss has
        long plateaus before it falls tenfold, and a few of a large one, where
        the steps of one pass are enough. None: always ``max_epochs`` passes.
    tol : float, default=1e-2
        Relative fall of the windowed loss that counts for ``n_iter_no_change``.
    batch_size : int, default=32
        Sequences per mini-batch; batches group sequences of similar length.
    optimizer : {{"adam", "adadelta"}} or torch optimizer class, default="adam"
        The autoencoder's optimizer (skorch's name, as in ``Seq2SeqClassifier``).
        The paper trains its non-GAN models with Adadelta (Appendix B):
        ``"adadelta"`` follows it. Adam is the default: with Adadelta the
        synthetic sequences lost the minority's pattern (the User Guide's
        "Differences from the paper" has the measurement).
    lr : float or None, default=None
        Learning rate; None: 1e-2 for Adam, 1.0 for Adadelta (torch's and
        Zeiler's default), 1e-3 for an optimizer class.
    {padding_value}
    device : str or torch.device, default="auto"
        Where to train: ``"auto"`` picks CUDA when available, else CPU.
    random_state : int, RandomState instance or None, default=None
        Seeds the autoencoder's initialisation and batches, the neighbour choices
        and the interpolation weights. With an int, results on CPU are identical
        bit for bit from run to run.
    verbose : int, default=0
        0: silent; 1: the autoencoder's per-epoch table (skorch's, coloured only on
        a terminal); 2: also a progress bar over each epoch's batches.
    {n_threads}

    Attributes
    ----------
    sampling_strategy_ : dict
        Number of synthetic samples made for each class (in label-sequence mode,
        ``{{1: n}}`` for the minority).
    n_features_in_ : int
        Number of features per time step.
    autoencoder_ : torch.nn.Module
        The trained autoencoder (on CPU after fitting); it takes and returns
        sequences in the data's units. None when nothing had to be generated.
    history_ : skorch.history.History
        The autoencoder's training history (skorch's): per epoch ``"train_loss"``,
        the mean masked reconstruction loss in standardised units (batches weighted
        by their number of sequences; plus ``class_separation`` times the class
        head's cross-entropy), and its duration ``"dur"``; e.g.
        ``history_[:, "train_loss"]``. Empty when nothing had to be generated.
    sources_ : ndarray of shape (n_synthetic,)
        Index (in the input) of each synthetic sample's base sample ``i``.
    neighbors_ : ndarray of shape (n_synthetic,)
        Index (in the input) of the neighbour ``j`` each synthetic sample was
        interpolated towards.
    interpolation_weights_ : ndarray of shape (n_synthetic,)
        The weight ``w`` of each synthetic sample.
    density_ratio_ : ndarray of shape (n_sequences,)
        ADASYN's ``r_i`` in the latent space: the share of other-class samples among
        the ``k_neighbors`` nearest codes of each over-sampled sample (NaN for
        samples of classes that are not over-sampled). With
        ``interpolation="adasyn"``, synthetic samples are allocated in proportion
        to it.
    filter_diagnostics_ : dict or None
        With ``candidate_filter``: ``valid_share``, the share of candidates in
        their class's valid band, and ``groups_without_valid``, the share of
        synthetic samples none of whose candidates was (the one nearest the band
        was kept).

    See Also
    --------
    imblearn.over_sampling.ADASYN : ADASYN on flat feature vectors.
    SeqGANOverSampler : The paper's GAN-with-autoencoder over-sampler.

    Notes
    -----
    The number of synthetic samples per base sample is ``G r_i / sum(r)`` rounded
    so that the counts sum exactly to the class's target ``G`` (largest
    remainders). When no sample of a class has another class among its neighbours,
    ``r`` is all zero and ADASYN is undefined; a warning is raised and the samples
    are spread evenly instead.

    Labels of synthetic samples: with one label per sequence a synthetic sample
    takes its base sample's class (its neighbour has the same class). With label
    sequences, the paper's ``y_i + w (y_j - y_i)`` is fractional wherever ``y_i``
    and ``y_j`` differ; it is turned into valid labels by taking, at each step,
    the label of the nearer end, ``y_j[t]`` when ``w > 0.5`` and ``y_i[t]``
    otherwise. For 0/1 labels this is rounding to the nearest integer; it also keeps
    multi-class labels valid. As ``w`` is one number per sample, the result is the
    label sequence of the endpoint the synthetic code is nearer to: always a
    minority label sequence, so the minority's count is exactly the target.

    The paper reports that this method did not beat its baseline (Tables 1 and 3);
    it is provided as the paper's comparison method. In this library's study on
    the paper's Power task (User Guide, :ref:`study_paper_regime`) it raised the
    minority F1 only by moving the operating point, as the GAN did; with
    decision thresholds tuned it was below the baseline and SMOTE, and its PR
    AUC below the baseline's. Tune the decision threshold
    (:class:`~sklearn.model_selection.TunedThresholdClassifierCV`,
    :ref:`tuned_threshold`) and compare against SMOTE-style over-sampling with a
    tuned threshold (:ref:`which_sampler`) before adopting it.

    References
    ----------
    .. [1] H. He, Y. Bai, E. A. Garcia and S. Li, "ADASYN: Adaptive synthetic
       sampling approach for imbalanced learning", IJCNN 2008, pp. 1322-1328.

    Examples
    --------
    >>> import numpy as np
    >>> from imblearn_seqgan.datasets import make_imbalanced_sequences
    >>> from imblearn_seqgan.over_sampling import LatentADASYN
    >>> X, y = make_imbalanced_sequences(60, weights=[0.8], random_state=0)
    >>> X.shape, np.bincount(y)
    ((60, 30, 4), array([48, 12]))
    >>> sampler = LatentADASYN(hidden_size=8, max_epochs=5, random_state=0)
    >>> X_res, y_res = sampler.fit_resample(X, y)
    >>> X_res.shape, np.bincount(y_res)
    ((96, 30, 4), array([48, 48]))
    >>> sampler.sources_.shape, sampler.neighbors_.shape  # base i, neighbour j
    ((36,), (36,))
    """

    _parameter_constraints: dict = {
        **BaseSequenceSampler._parameter_constraints,
        "n_per_sample": [Interval(numbers.Real, 0, None, closed="neither"), None],
        "k_neighbors": [_POSITIVE_INT],
        "interpolation": [StrOptions({"adasyn", "smote"})],
        "decode": [StrOptions({"sequence", "change"})],
        "candidate_filter": [StrOptions({"realistic"}), None],
        "n_candidates": [_POSITIVE_INT],
        "autoencoder_classes": [StrOptions({"targeted", "all"})],
        "class_separation": [Interval(numbers.Real, 0, None, closed="left")],
        "hidden_size": [_POSITIVE_INT],
        "num_layers": [_POSITIVE_INT],
        "max_epochs": [_POSITIVE_INT],
        "n_iter_no_change": [_POSITIVE_INT, None],
        "tol": [Interval(numbers.Real, 0, None, closed="left")],
        "batch_size": [_POSITIVE_INT],
        "optimizer": [StrOptions({"adam", "adadelta"}), type],
        "lr": [Interval(numbers.Real, 0, None, closed="neither"), None],
        "device": DEVICE_CONSTRAINT,
        "random_state": ["random_state"],
        "verbose": ["verbose"],
        "n_threads": [_POSITIVE_INT, None],
    }

    def __init__(
        self,
        *,
        sampling_strategy="auto",
        n_per_sample=None,
        k_neighbors: int = 5,
        interpolation="adasyn",
        decode="sequence",
        candidate_filter=None,
        n_candidates: int = 4,
        autoencoder_classes="targeted",
        class_separation: float = 0.0,
        label_sequences: bool = False,
        hidden_size: int = 64,
        num_layers: int = 1,
        max_epochs: int = 1000,
        n_iter_no_change: int | None = 20,
        tol: float = 1e-2,
        batch_size: int = 32,
        optimizer="adam",
        lr: float | None = None,
        padding_value: float = np.nan,
        device="auto",
        random_state=None,
        verbose: int = 0,
        n_threads: int | None = 1,
    ):
        super().__init__(sampling_strategy=sampling_strategy)
        self.n_per_sample = n_per_sample
        self.k_neighbors = k_neighbors
        self.interpolation = interpolation
        self.decode = decode
        self.candidate_filter = candidate_filter
        self.n_candidates = n_candidates
        self.autoencoder_classes = autoencoder_classes
        self.class_separation = class_separation
        self.label_sequences = label_sequences
        self.hidden_size = hidden_size
        self.num_layers = num_layers
        self.max_epochs = max_epochs
        self.n_iter_no_change = n_iter_no_change
        self.tol = tol
        self.batch_size = batch_size
        self.optimizer = optimizer
        self.lr = lr
        self.padding_value = padding_value
        self.device = device
        self.random_state = random_state
        self.verbose = verbose
        self.n_threads = n_threads

    def _fit_resample(self, X, y) -> SyntheticSequences:
        """Train the autoencoder, run ADASYN on the codes, decode the new codes.

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
        random_state = check_random_state(self.random_state)
        # With label sequences the groups are majority (0) / minority (1), so the
        # minority's label sequences share one neighbourhood and are interpolated.
        groups = self._sampling_target(y)
        targets = {c: n for c, n in self.sampling_strategy_.items() if n > 0}
        train = np.flatnonzero(np.isin(groups, list(targets)))
        if self.autoencoder_classes == "all" and len(train) > 0:
            train = np.arange(len(groups))
        if self.class_separation > 0 and len(np.unique(groups[train])) == 1:
            raise ValueError(
                f"LatentADASYN with class_separation={self.class_separation} needs "
                "sequences of two classes or more to train its autoencoder on, but "
                "autoencoder_classes='targeted' leaves only the one class it "
                "over-samples. Use autoencoder_classes='all', or class_separation=0."
            )
        from .._nn import torch_cpu_settings

        with torch_cpu_settings(self.n_threads):
            return self._train_and_generate(X, y, groups, targets, train, random_state)

    def _train_and_generate(self, X, y, groups, targets, train, random_state):
        values, lengths = X.values, X.lengths.astype(np.int64, copy=False)
        self.filter_diagnostics_ = None
        if len(train) == 0:  # already balanced: nothing to learn or to generate
            from skorch.history import History

            self.autoencoder_, self.history_ = None, History()
            self.sources_ = self.neighbors_ = np.zeros(0, dtype=np.intp)
            self.interpolation_weights_ = np.zeros(0)
            self.density_ratio_ = np.full(len(groups), np.nan)
            return SyntheticSequences.empty()

        classes = None
        if self.class_separation > 0:
            classes = np.unique(groups[train], return_inverse=True)[1]
        self._fit_autoencoder(values[train], lengths[train], random_state, classes)
        try:
            made = interpolate_codes(
                self.autoencoder_,
                X,
                groups,
                targets,
                k_neighbors=self.k_neighbors,
                allocation="even" if self.interpolation == "smote" else "adasyn",
                decode=self.decode,
                candidate_filter=self.candidate_filter,
                n_candidates=self.n_candidates,
                random_state=random_state,
            )
        finally:
            self.autoencoder_.cpu()  # fitted estimators pickle and load without a GPU
        self.density_ratio_ = made.density_ratio
        self.filter_diagnostics_ = made.filter_diagnostics
        self.sources_, self.neighbors_ = made.base, made.neighbor
        self.interpolation_weights_ = made.weight
        if len(made.base) == 0:
            return SyntheticSequences.empty()
        if self.label_sequences:
            y_new = interpolate_labels(y[made.base], y[made.neighbor], made.weight)
        else:
            y_new = y[made.base]
        return SyntheticSequences.from_arrays(made.values, made.lengths, y_new)

    def _check_class_sizes(self, target: np.ndarray) -> None:
        """Refuse, before anything is trained, the classes ADASYN cannot over-sample.

        The base only warns about a class of one sequence; here that is an error,
        as is a class smaller than ``k_neighbors + 1``.

        Parameters
        ----------
        target : ndarray of shape (n_sequences,)
            The class of each sequence (majority 0 / minority 1 for label
            sequences).
        """
        targeted = [c for c, n in self.sampling_strategy_.items() if n > 0]
        check_group_sizes("LatentADASYN", target, targeted, self.k_neighbors)

    def initialize_net(
        self,
        n_features: int,
        feature_mean,
        feature_scale,
        seed: int,
        device,
        n_train=None,
        n_classes=None,
    ):
        """The (unfitted) skorch net that trains the autoencoder; override to change
        its components.

        Parameters
        ----------
        n_features : int
            Features per time step.
        feature_mean, feature_scale : ndarray of shape (n_features,)
            The autoencoder's input standardisation.
        seed : int
            Seeds the batches' shuffling.
        device : torch.device
            Where to train.
        n_train : int, optional
            Number of training sequences (sets the early-stopping window).
        n_classes : int, optional
            Classes of the autoencoder's class head (``class_separation``); None:
            no head.

        Returns
        -------
        net : AutoencoderNet
        """
        from .._nn import latent_autoencoder_net

        return latent_autoencoder_net(
            n_features=n_features,
            feature_mean=feature_mean,
            feature_scale=feature_scale,
            seed=seed,
            device=device,
            hidden_size=self.hidden_size,
            num_layers=self.num_layers,
            n_classes=n_classes,
            class_separation=self.class_separation,
            optimizer=self.optimizer,
            lr=self.lr,
            max_epochs=self.max_epochs,
            batch_size=self.batch_size,
            n_iter_no_change=self.n_iter_no_change,
            tol=self.tol,
            n_train=n_train,
            verbose=self.verbose,
        )

    def _fit_autoencoder(self, values, lengths, random_state, classes=None) -> None:
        from .._nn import feature_standardisation, resolve_device, seeded

        device = resolve_device(self.device)
        feature_mean, feature_scale = feature_standardisation(values, lengths)
        with seeded(random_state, device) as seed:
            n_classes = None if classes is None else int(classes.max()) + 1
            net = self.initialize_net(
                values.shape[2],
                feature_mean,
                feature_scale,
                seed,
                device,
                n_train=len(values),
                n_classes=n_classes,
            )
            net.fit({"values": values, "lengths": lengths}, classes)
        self.autoencoder_ = net.module_.eval()
        self.history_ = net.history
