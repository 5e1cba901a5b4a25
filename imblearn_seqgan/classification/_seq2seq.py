"""Seq2SeqClassifier: LSTM encoder, attention LSTM decoder, class-weighted loss.

The paper's baseline classifier (section 2). The network, its skorch net and how
it is seeded, fed and asked for probabilities live in
:mod:`imblearn_seqgan._nn._seq2seq`; training follows the package's one style
(:mod:`imblearn_seqgan._nn._training`). The scikit-learn estimator is a thin,
numpy-only wrapper that validates the data, builds the skorch net in ``fit`` and
keeps it as ``net_``, so ``__init__`` only stores parameters and
``clone``/``GridSearchCV`` behave. Torch is imported when the classifier is
fitted, not when this module is imported.
"""

from __future__ import annotations

import numbers
import warnings
from typing import TYPE_CHECKING, Any

import numpy as np
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.utils import compute_class_weight
from sklearn.utils._param_validation import Interval, StrOptions
from sklearn.utils.validation import check_is_fitted

from ..base import DEVICE_CONSTRAINT, LabelSequenceScoreMixin, SequenceEstimatorMixin
from ..utils import encode_sequence_target, validate_sequences
from ..utils._random import draw_seed

if TYPE_CHECKING:
    from .._nn import Seq2SeqNet

__all__ = ["Seq2SeqClassifier"]

# A feature's root mean square over the valid steps above which fit warns: with
# torch's LSTM initialisation (weights within +-1/sqrt(hidden_size), 0.125 at the
# default 64) one such feature alone gives gate inputs with a standard deviation
# above 1.4 at 20, and the gates saturate a few times beyond it
SCALE_WARNING_RMS = 20.0


def _warn_if_far_from_unit_scale(seqs, estimator_name: str) -> None:
    """Warn, naming the features, when some are far from unit scale."""
    # padding steps are zeros in seqs.values, so the sum covers the valid steps only
    with np.errstate(over="ignore"):  # beyond float64's range: inf, reported as such
        rms = np.sqrt(
            np.sum(np.square(seqs.values, dtype=np.float64), axis=(0, 1)) / seqs.lengths.sum()
        )
    large = np.flatnonzero(rms > SCALE_WARNING_RMS)
    if large.size:
        listed = ", ".join(f"feature {j} ({rms[j]:.3g})" for j in large[:5])
        more = f" and {large.size - 5} more" if large.size > 5 else ""
        warnings.warn(
            f"{estimator_name}: X has features far from unit scale, root mean square "
            f"over the valid steps: {listed}{more}. They saturate the LSTM's gates, "
            "which can leave the classifier learning nothing; put "
            "imblearn_seqgan.preprocessing.SequenceStandardScaler before it (first "
            "in a pipeline).",
            UserWarning,
            stacklevel=3,
        )


class Seq2SeqClassifier(
    SequenceEstimatorMixin, LabelSequenceScoreMixin, ClassifierMixin, BaseEstimator
):
    """LSTM encoder-decoder with additive attention and a class-weighted loss.

    The paper's baseline classifier (section 2, Appendix B) for variable-length,
    multi-feature sequences. The encoder LSTM reads each sequence up to its own
    length (padding never reaches the output: the summary ``h_T`` is taken at each
    sequence's last valid step and attention gives padding steps zero weight). The
    decoder LSTM, fed ``h_T``, attends over the encoder outputs at each of L steps
    and emits class probabilities: L = 1 for 1-D ``y`` (one label
    per sequence, "seq2one"), L = ``y.shape[1]`` for 2-D ``y`` (a label sequence
    per input, "seq2seq"; scikit-learn's multi-output meaning of 2-D ``y``).

    Training uses skorch (``net_`` is the fitted :class:`skorch.NeuralNet`; its
    loop, callbacks, history and device handling); mini-batches group sequences
    of similar length so cost follows the valid time steps.

    Read more in the :ref:`User Guide <classifier>`.

    Parameters
    ----------
    hidden_size : int, default=64
        Units of the encoder and decoder LSTMs.
    num_layers : int, default=1
        Stacked LSTM layers in the encoder and in the decoder.
    attention_size : int or None, default=None
        Width of the additive attention's hidden layer; None uses ``hidden_size``.
    bidirectional : bool, default=False
        Add a backward LSTM to the encoder (each sequence reversed within its
        own length), as in Bahdanau et al.; doubles the encoder's cost.
    dropout : float, default=0.0
        Dropout on the encoder outputs, between stacked LSTM layers and before
        the output layer.
    class_weight : "balanced", dict, list of dict or None, default="balanced"
        Weights of the cross-entropy, from the *training* labels. "balanced"
        weighs class ``c`` by ``n_samples / (n_classes * count(c))`` as in
        scikit-learn, computed separately at each output position for 2-D ``y``
        (a class rare at position ``l`` is up-weighted at ``l`` only). A dict
        ``{class: weight}`` (1-D ``y``) or a list of L such dicts (2-D ``y``)
        gives explicit weights; classes missing from a dict weigh 1. None: no
        weighting.
    optimizer : {"adam", "adadelta"} or torch optimizer class, default="adam"
        Adam reached a higher minority F1 than the paper's Adadelta in the same
        number of epochs (measured in the :ref:`User Guide <classifier>`);
        "adadelta" follows the paper.
    lr : float or None, default=None
        Learning rate; None: 3e-3 for Adam (times ``sqrt(batch_size_ / 64)`` when
        ``batch_size="auto"`` picks more than 64), 1.0 for Adadelta, 1e-3 for an
        optimizer class. Adam is torch's fused implementation (one operator call
        per step).
    max_epochs : int, default=40
        Passes over the training data (the point the User Guide measures; small
        data sets give few optimiser steps per epoch and may need more).
    batch_size : int or "auto", default=64
        Sequences per mini-batch. "auto" (not the default: it costs minority F1,
        see the User Guide): 64 on the CPU; on CUDA the largest of 64, 128, ..., 1024
        that still gives at least 16 batches per epoch (a GPU needs large
        batches to be busy), with Adam's default learning rate scaled by
        ``sqrt(batch_size_ / 64)``. Larger batches lowered the held-out minority
        F1 at the same number of epochs (measured in the User Guide).
    train_split : None, float or callable, default=None
        Internal validation split of skorch. The default None trains on all the
        data: skorch's own default (a 20% split) would take a fifth of the
        minority away, which hurts most exactly when the minority is small. A
        float in (0, 1) holds out that fraction stratified on the label
        (sequence), reported as ``valid_loss`` in ``history_`` (e.g. for an
        ``EarlyStopping`` callback); a callable is passed to skorch as is.
    callbacks : list or None, default=None
        Extra skorch callbacks (e.g. ``skorch.callbacks.EarlyStopping``).
    device : str or torch.device, default="auto"
        "auto" trains on CUDA when available, else on CPU; or any torch device.
    padding_value : float, default=np.nan
        Value marking padding steps in 3-D ``X``.
    random_state : int, RandomState instance or None, default=None
        Seeds weight initialisation, dropout and batch order; an int makes CPU
        results repeatable bit for bit. The global torch RNG is left unchanged.
    n_threads : int or None, default=1
        torch's intra-op CPU threads during ``fit`` and prediction (restored
        afterwards); None keeps torch's global setting. The models are small:
        one thread trains them faster than several waiting on each other (see
        the User Guide's performance notes). Use ``n_jobs`` of the ensemble or of
        a grid search for parallelism; try None for large models on an idle
        many-core machine.
    verbose : int, default=0
        0: silent; 1: skorch's per-epoch table (coloured only on a terminal); 2:
        also a progress bar over each epoch's batches.

    Attributes
    ----------
    classes_ : ndarray of shape (n_classes,) or list of L such arrays
        Class labels (one array per output position for 2-D ``y``).
    n_outputs_ : int
        L, the number of labels predicted per sequence (1 for 1-D ``y``).
    n_features_in_ : int
        Features per time step.
    batch_size_ : int
        The batch size used (``batch_size`` resolved).
    class_weight_ : ndarray of shape (L, max_n_classes)
        Loss weight of each class at each output position.
    net_ : skorch.NeuralNet
        The fitted skorch net (module ``net_.module_``).
    history_ : skorch.History
        Per-epoch training (and validation) losses and durations.

    See Also
    --------
    BalancedSequenceBaggingClassifier : the paper's ensemble of these models.

    Notes
    -----
    X may be a 3-D array padded with ``padding_value`` at the start or the end, a
    list of 2-D arrays of different lengths, or a 2-D array read as sequences of
    one step (see :mod:`imblearn_seqgan.utils`). Sequence length may differ
    between fit and predict.

    The features are taken as given (the generators standardise internally, the
    classifier does not). Features far from unit scale saturate the LSTM's gates:
    on Crop's series put in sensor units (x 1,000 + 5,000) the classifier learned
    nothing (PR AUC at the minority's share) where behind
    :class:`~imblearn_seqgan.preprocessing.SequenceStandardScaler` it reached
    27% (User Guide, :ref:`scaling_features`). ``fit`` warns when a feature's
    root mean square over the valid steps exceeds 20.

    Examples
    --------
    >>> import numpy as np
    >>> from imblearn_seqgan.classification import Seq2SeqClassifier
    >>> rng = np.random.default_rng(0)
    >>> X = rng.normal(size=(60, 5, 2))
    >>> y = (X[:, :, 0].mean(axis=1) > 0.3).astype(int)
    >>> clf = Seq2SeqClassifier(hidden_size=8, max_epochs=3, random_state=0)
    >>> clf.fit(X, y).predict_proba(X[:2]).shape
    (2, 2)
    """

    _parameter_constraints: dict = {
        "hidden_size": [Interval(numbers.Integral, 1, None, closed="left")],
        "num_layers": [Interval(numbers.Integral, 1, None, closed="left")],
        "attention_size": [Interval(numbers.Integral, 1, None, closed="left"), None],
        "bidirectional": ["boolean"],
        "dropout": [Interval(numbers.Real, 0, 1, closed="left")],
        "class_weight": [StrOptions({"balanced"}), dict, list, None],
        "optimizer": [StrOptions({"adam", "adadelta"}), type],
        "lr": [Interval(numbers.Real, 0, None, closed="neither"), None],
        "max_epochs": [Interval(numbers.Integral, 1, None, closed="left")],
        "batch_size": [Interval(numbers.Integral, 1, None, closed="left"), StrOptions({"auto"})],
        "train_split": [Interval(numbers.Real, 0, 1, closed="neither"), callable, None],
        "callbacks": [list, None],
        "device": DEVICE_CONSTRAINT,
        "padding_value": [numbers.Real],
        "random_state": ["random_state"],
        "n_threads": [Interval(numbers.Integral, 1, None, closed="left"), None],
        "verbose": ["verbose"],
    }

    def __init__(
        self,
        hidden_size: int = 64,
        num_layers: int = 1,
        attention_size: int | None = None,
        bidirectional: bool = False,
        dropout: float = 0.0,
        class_weight: Any = "balanced",
        optimizer: Any = "adam",
        lr: float | None = None,
        max_epochs: int = 40,
        batch_size: int | str = 64,
        train_split: Any = None,
        callbacks: list | None = None,
        device: str = "auto",
        padding_value: float = np.nan,
        random_state: Any = None,
        n_threads: int | None = 1,
        verbose: int = 0,
    ):
        self.hidden_size = hidden_size
        self.num_layers = num_layers
        self.attention_size = attention_size
        self.bidirectional = bidirectional
        self.dropout = dropout
        self.class_weight = class_weight
        self.optimizer = optimizer
        self.lr = lr
        self.max_epochs = max_epochs
        self.batch_size = batch_size
        self.train_split = train_split
        self.callbacks = callbacks
        self.device = device
        self.padding_value = padding_value
        self.random_state = random_state
        self.n_threads = n_threads
        self.verbose = verbose

    # -- fitting -----------------------------------------------------------
    def fit(self, X, y) -> Seq2SeqClassifier:
        """Fit the model on sequences ``X`` and labels or label sequences ``y``.

        Parameters
        ----------
        X : array-like of shape (n_sequences, n_timesteps, n_features), list of \
                array-like of shape (length_i, n_features), or array-like of \
                shape (n_samples, n_features)
            Training sequences.
        y : array-like of shape (n_sequences,) or (n_sequences, L)
            One class label per sequence, or a label sequence per sequence.

        Returns
        -------
        self : Seq2SeqClassifier
        """
        from .._nn import auto_batch_size, resolve_device

        self._validate_params()
        seqs = validate_sequences(self, X, reset=True, padding_value=self.padding_value)
        if getattr(self, "_warn_feature_scale", True):  # an ensemble warns once instead
            _warn_if_far_from_unit_scale(seqs, type(self).__name__)
        y_codes = self._encode_targets(y, seqs.n_sequences)
        self.class_weight_ = self._compute_class_weight(y_codes)
        device = resolve_device(self.device)
        self.batch_size_ = (
            auto_batch_size(seqs.n_sequences, device)
            if self.batch_size == "auto"
            else self.batch_size
        )
        self.net_ = self.initialize_net(seqs.n_features, device)
        values, lengths = self._net_input(seqs)
        self.net_.fit_sequences(
            values, lengths, y_codes, random_state=self.random_state, n_threads=self.n_threads
        )
        self.history_ = self.net_.history
        return self

    def _encode_targets(self, y, n_sequences: int) -> np.ndarray:
        """Validate y; set classes_, n_outputs_; return codes (n, L) int64."""
        y, classes, codes = encode_sequence_target(
            y, n_sequences, estimator_name=type(self).__name__
        )
        self._multi_output = y.ndim == 2
        self.n_outputs_ = len(classes)
        self.classes_ = classes if self._multi_output else classes[0]
        return codes

    def _compute_class_weight(self, y_codes: np.ndarray) -> np.ndarray:
        classes = self.classes_ if self._multi_output else [self.classes_]
        weight = np.zeros((len(classes), max(len(c) for c in classes)))
        spec = self.class_weight
        if self._multi_output and isinstance(spec, dict):
            raise ValueError(
                "class_weight for label sequences (2-D y) must be 'balanced', None or a "
                "list of one dict per output position."
            )
        if not self._multi_output and isinstance(spec, list):
            raise ValueError("class_weight for 1-D y must be 'balanced', None or a dict.")
        if isinstance(spec, list) and len(spec) != len(classes):
            raise ValueError(
                f"class_weight has {len(spec)} dicts but y has {len(classes)} output positions."
            )
        for position, position_classes in enumerate(classes):
            position_spec = spec[position] if isinstance(spec, list) else spec
            codes = y_codes[:, position]
            weight[position, : len(position_classes)] = compute_class_weight(
                position_spec, classes=position_classes, y=position_classes[codes]
            )
        return weight

    def initialize_net(self, n_features: int, device) -> Seq2SeqNet:
        """Build the (unfitted) skorch net; override to change its components.

        Parameters
        ----------
        n_features : int
            Features per time step.
        device : torch.device
            Where to train.

        Returns
        -------
        net : Seq2SeqNet
            Trained with length-bucketed batches (``iterator_train``).
        """
        from skorch.dataset import ValidSplit

        from .._nn import (
            AttentionSeq2Seq,
            LengthBucketedLoader,
            Seq2SeqNet,
            WeightedSequenceCrossEntropy,
            resolve_optimizer,
        )

        # torch's fused Adam: a third fewer operator calls per CPU batch (launches on CUDA).
        optimizer, default_lr, optimizer_kwargs = resolve_optimizer(
            self.optimizer, adam_lr=3e-3, fused_adam=True
        )
        classes = self.classes_ if self._multi_output else [self.classes_]
        class_mask = np.zeros(self.class_weight_.shape, dtype=bool)
        for position, position_classes in enumerate(classes):
            class_mask[position, : len(position_classes)] = True
        train_split = self.train_split
        if isinstance(train_split, numbers.Real):
            # Seeded too: random_state makes the whole fit repeatable.
            train_split = ValidSplit(
                float(train_split), stratified=True, random_state=draw_seed(self.random_state)
            )
        return Seq2SeqNet(
            module=AttentionSeq2Seq,
            module__n_features=n_features,
            module__class_mask=class_mask.tolist(),
            module__hidden_size=self.hidden_size,
            module__num_layers=self.num_layers,
            module__attention_size=self.attention_size,
            module__bidirectional=self.bidirectional,
            module__dropout=self.dropout,
            criterion=WeightedSequenceCrossEntropy,
            criterion__weight=self.class_weight_,
            optimizer=optimizer,
            lr=self._default_lr(default_lr) if self.lr is None else self.lr,
            max_epochs=self.max_epochs,
            batch_size=self.batch_size_,
            iterator_train=LengthBucketedLoader,
            iterator_valid=LengthBucketedLoader,
            iterator_valid__shuffle=False,
            train_split=train_split,
            callbacks=list(self.callbacks) if self.callbacks else None,
            device=str(device),
            verbose=self.verbose,
            **{f"optimizer__{key}": value for key, value in optimizer_kwargs.items()},
        )

    def _default_lr(self, lr: float) -> float:
        """The optimizer's default rate; Adam's times sqrt(batch / 64) for a batch
        that ``batch_size="auto"`` made larger than 64 (square-root scaling)."""
        from .._nn import AUTO_BATCH_BASE

        scaled = self.batch_size == "auto" and self.optimizer == "adam"
        if scaled and self.batch_size_ > AUTO_BATCH_BASE:
            return lr * (self.batch_size_ / AUTO_BATCH_BASE) ** 0.5
        return lr

    @staticmethod
    def _net_input(seqs) -> tuple[np.ndarray, np.ndarray]:
        """The network's input arrays: float32 values, int64 lengths."""
        too_large = np.abs(seqs.values) > np.finfo(np.float32).max
        if too_large.any():
            seq, step, feature = (int(i) for i in np.argwhere(too_large)[0])
            raise ValueError(
                f"X holds a value beyond float32's range ({seqs.values[seq, step, feature]}) "
                f"at sequence {seq}, time step {step}, feature {feature}; the network "
                "computes in float32: scale the features."
            )
        values = seqs.values.astype(np.float32, copy=False)
        return values, seqs.lengths.astype(np.int64, copy=False)

    # -- prediction --------------------------------------------------------
    def _joint_proba(self, X) -> np.ndarray:
        """Probabilities (n, L, max_n_classes), computed in length-sorted batches."""
        check_is_fitted(self, "net_")
        seqs = validate_sequences(self, X, reset=False, padding_value=self.padding_value)
        values, lengths = self._net_input(seqs)
        return self.net_.predict_joint_proba(values, lengths, n_threads=self.n_threads)

    def predict_proba(self, X) -> np.ndarray | list[np.ndarray]:
        """Class probabilities.

        Parameters
        ----------
        X : array-like or list of sequences
            As in :meth:`fit`; lengths may differ from the training data.

        Returns
        -------
        proba : ndarray of shape (n_sequences, n_classes), or a list of L such
            arrays (one per output position, columns ordered as
            ``classes_[l]``) for a model fitted on label sequences.
        """
        proba = self._joint_proba(X)
        if not self._multi_output:
            return proba[:, 0, : len(self.classes_)]
        return [proba[:, pos, : len(c)] for pos, c in enumerate(self.classes_)]

    def predict(self, X) -> np.ndarray:
        """Most probable class (1-D ``y``) or label sequence (2-D ``y``).

        Parameters
        ----------
        X : array-like or list of sequences
            As in :meth:`fit`; lengths may differ from the training data.

        Returns
        -------
        y_pred : ndarray of shape (n_sequences,) or (n_sequences, L)
            Predicted labels, or label sequences, in the classes of ``classes_``.
        """
        proba = self._joint_proba(X)
        if not self._multi_output:
            return self.classes_[proba[:, 0].argmax(axis=1)]
        return np.stack(
            [c[proba[:, pos].argmax(axis=1)] for pos, c in enumerate(self.classes_)],
            axis=1,
        )
