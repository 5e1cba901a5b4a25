"""Seq2SeqClassifier: LSTM encoder, attention LSTM decoder, class-weighted loss.

The paper's baseline classifier (section 2): an LSTM encoder reads the sequence,
an LSTM decoder with additive (Bahdanau) attention over the encoder's outputs
emits one output per label (L = 1 for one label per sequence, L = the length of
the label sequence for 2-D y), trained with a cross-entropy whose class weights
come from the training labels.

Training runs through skorch (:class:`skorch.NeuralNet`: its loop, callbacks,
history and device handling); the scikit-learn estimator is a thin wrapper that
validates the data, builds the skorch net in ``fit`` and keeps it as ``net_``, so
``__init__`` only stores parameters and ``clone``/``GridSearchCV`` behave.
"""

from __future__ import annotations

import contextlib
import numbers
from typing import Any

import numpy as np
import torch
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.utils import compute_class_weight
from sklearn.utils._param_validation import Interval, StrOptions
from sklearn.utils.multiclass import check_classification_targets
from sklearn.utils.validation import check_consistent_length, check_is_fitted
from skorch import NeuralNet
from skorch.dataset import ValidSplit
from torch import nn
from torch.nn.utils.rnn import pack_padded_sequence, pad_packed_sequence
from torch.utils.data import Dataset, Subset

from .._nn import length_bucketed_batches, length_mask, resolve_device, seeded, trains_on_cuda
from ..utils import (
    check_label_sequences,
    encode_label_sequences,
    is_label_sequences,
    validate_sequences,
)
from ..utils._sequences import LabelSequenceScoreMixin

__all__ = ["Seq2SeqClassifier"]


class AdditiveAttention(nn.Module):
    """Bahdanau attention: ``score(s, h_t) = v^T tanh(W s + U h_t)``, masked.

    Padding steps get a score of ``-inf``, so their weight is exactly zero and
    nothing computed on padding reaches the context vector.
    """

    def __init__(self, query_size: int, key_size: int, attention_size: int):
        super().__init__()
        self.query = nn.Linear(query_size, attention_size, bias=False)
        self.key = nn.Linear(key_size, attention_size)
        self.score = nn.Linear(attention_size, 1, bias=False)

    def forward(self, query, keys, projected_keys, mask):
        energy = torch.tanh(projected_keys + self.query(query)[:, None, :])
        scores = self.score(energy).squeeze(-1).masked_fill(~mask, float("-inf"))
        weights = torch.softmax(scores, dim=1)
        context = torch.bmm(weights[:, None, :], keys).squeeze(1)
        return context, weights


class AttentionSeq2Seq(nn.Module):
    """LSTM encoder + LSTM decoder with additive attention emitting ``n_outputs``
    logit vectors.

    ``forward(values, lengths)`` takes zero-post-padded ``values`` (batch, steps,
    features) and ``lengths`` and returns logits (batch, n_outputs, n_classes);
    classes that do not occur at an output position are masked with ``-inf``.

    The encoder stops every sequence at its own last step, so its outputs and
    final state ``(h_T, c_T)`` never see padding. The decoder starts from that
    state (all layers; through a linear bridge for a bidirectional encoder) and,
    as in the paper, gets the summary ``h_T`` as input at every step, here
    concatenated with the attention context.

    Carrying the encoder's full final state over was measured against starting
    the decoder from ``tanh(W h_T)`` with ``_nn.SequenceEncoder`` (which has no
    final cell state): minority F1 0.83 vs 0.68 (mean of 5 seeds, 150 training
    sequences; worst seed 0.77 vs 0.44) and 0.94 vs 0.61 on Japanese Vowels after
    15 epochs, for about 1.6x the training time on variable-length data (packing
    batches that mix lengths), so this module keeps its own ``nn.LSTM``.
    """

    def __init__(
        self,
        n_features: int,
        class_mask: list,
        hidden_size: int = 64,
        num_layers: int = 1,
        attention_size: int | None = None,
        bidirectional: bool = False,
        dropout: float = 0.0,
    ):
        super().__init__()
        class_mask = torch.as_tensor(class_mask, dtype=torch.bool)
        self.n_outputs, n_classes = class_mask.shape
        self.num_layers = num_layers
        self.register_buffer("class_mask", class_mask)
        rnn_dropout = dropout if num_layers > 1 else 0.0
        self.encoder = nn.LSTM(
            n_features,
            hidden_size,
            num_layers,
            batch_first=True,
            dropout=rnn_dropout,
            bidirectional=bidirectional,
        )
        encoded = hidden_size * (2 if bidirectional else 1)
        if bidirectional:
            self.bridge_h = nn.Linear(encoded, hidden_size)
            self.bridge_c = nn.Linear(encoded, hidden_size)
        self.attention = AdditiveAttention(hidden_size, encoded, attention_size or hidden_size)
        self.decoder = nn.LSTM(
            2 * encoded, hidden_size, num_layers, batch_first=True, dropout=rnn_dropout
        )
        self.dropout = nn.Dropout(dropout)
        self.head = nn.Linear(hidden_size + encoded, n_classes)

    def encode(self, values, lengths):
        """Encoder outputs (batch, steps, encoded), summary ``h_T`` (batch,
        encoded) and the decoder's initial state."""
        lengths_cpu = lengths.to("cpu")
        steps = values.shape[1]
        if bool((lengths_cpu == steps).all()):
            # One length in the batch (common with length buckets): the fused
            # kernel, 2.5x faster than packing on CPU (NOTES.md).
            outputs, (h, c) = self.encoder(values)
        else:
            packed = pack_padded_sequence(
                values, lengths_cpu, batch_first=True, enforce_sorted=False
            )
            outputs, (h, c) = self.encoder(packed)
            outputs, _ = pad_packed_sequence(outputs, batch_first=True, total_length=steps)
        if self.encoder.bidirectional:
            batch = h.shape[1]
            h = (
                h.view(self.num_layers, 2, batch, -1)
                .transpose(1, 2)
                .reshape(self.num_layers, batch, -1)
            )
            c = (
                c.view(self.num_layers, 2, batch, -1)
                .transpose(1, 2)
                .reshape(self.num_layers, batch, -1)
            )
            summary = h[-1]
            h, c = torch.tanh(self.bridge_h(h)), self.bridge_c(c)
        else:
            summary = h[-1]
        return outputs, summary, (h.contiguous(), c.contiguous())

    def forward(self, values, lengths):
        steps = int(lengths.max())
        values = values[:, :steps]  # trim the batch to its own longest sequence
        mask = length_mask(lengths, steps, values.device)
        outputs, summary, state = self.encode(values, lengths)
        outputs = self.dropout(outputs)
        projected = self.attention.key(outputs)
        logits = []
        for _ in range(self.n_outputs):
            context, _ = self.attention(state[0][-1], outputs, projected, mask)
            step_input = torch.cat([summary, context], dim=-1)[:, None, :]
            decoded, state = self.decoder(step_input, state)
            features = self.dropout(torch.cat([decoded[:, 0], context], dim=-1))
            logits.append(self.head(features))
        logits = torch.stack(logits, dim=1)
        return logits.masked_fill(~self.class_mask, float("-inf"))


class WeightedSequenceCrossEntropy(nn.Module):
    """Cross-entropy over (batch, n_outputs) targets with a class weight per output
    position: ``weight[l, c]`` weighs class ``c`` at position ``l``. Normalised by
    the summed weights of the batch, as :class:`torch.nn.CrossEntropyLoss`."""

    def __init__(self, weight):
        super().__init__()
        self.register_buffer("weight", torch.as_tensor(weight, dtype=torch.float32))

    def forward(self, logits, target):
        log_probs = torch.log_softmax(logits, dim=-1)
        nll = -log_probs.gather(-1, target[..., None]).squeeze(-1)
        positions = torch.arange(target.shape[1], device=target.device)
        weight = self.weight[positions[None, :], target]
        return (weight * nll).sum() / weight.sum()


class LengthBucketedLoader:
    """Training iterator: length-bucketed shuffled batches (``_nn``'s sortish
    batching), so most batches carry little padding and cost follows the valid
    time steps. Batches are sliced from the arrays at once rather than collated
    item by item (a DataLoader's per-item collation cost as much as a small
    model's step).

    Shuffling draws from torch's global RNG, which ``Seq2SeqClassifier.fit``
    seeds from ``random_state``; each epoch gets a new order.
    """

    def __init__(self, dataset, batch_size: int, pool_size: int = 16):
        self.batch_size = batch_size
        self.pool_size = pool_size
        self.X, self.y, self.indices = _dataset_arrays(dataset)
        self.lengths = self.X["lengths"][self.indices]

    def __iter__(self):
        seed = int(torch.randint(0, 2**31 - 1, (1,)))
        batches = length_bucketed_batches(
            self.lengths,
            self.batch_size,
            rng=np.random.default_rng(seed),
            pool_size=self.pool_size,
        )
        for batch in batches:
            rows = self.indices[batch]
            X = {key: torch.as_tensor(value[rows]) for key, value in self.X.items()}
            yield X, torch.as_tensor(self.y[rows])

    def __len__(self):
        # Each pool of pool_size * batch_size sequences ends with a partial batch.
        pool = self.pool_size * self.batch_size
        n = len(self.lengths)
        sizes = [min(pool, n - start) for start in range(0, n, pool)]
        return sum(-(-size // self.batch_size) for size in sizes)


def _dataset_arrays(dataset: Dataset) -> tuple[dict, np.ndarray, np.ndarray]:
    """The (X dict, y, row indices) behind a skorch Dataset or a Subset of one."""
    if isinstance(dataset, Subset):
        X, y, indices = _dataset_arrays(dataset.dataset)
        return X, y, indices[np.asarray(dataset.indices)]
    return dataset.X, np.asarray(dataset.y), np.arange(len(dataset.y))


class Seq2SeqNet(NeuralNet):
    """The skorch net behind :class:`Seq2SeqClassifier`.

    X is a dict ``{"values": (n, steps, features) float32, "lengths": (n,)}``,
    y the encoded label sequences (n, L). Overrides: the training iterator
    (length-bucketed batches), the loss (an error instead of training on from a
    non-finite loss) and the internal split (stratified on the label sequence
    rather than on a 2-D y).
    """

    def get_iterator(self, dataset, training=False):
        if training:
            return LengthBucketedLoader(dataset, self.batch_size)
        return super().get_iterator(dataset, training=training)

    def get_loss(self, y_pred, y_true, X=None, training=False):
        loss = super().get_loss(y_pred, y_true, X=X, training=training)
        if training and not torch.isfinite(loss):
            # Stop rather than return a model that predicts from NaN weights.
            raise FloatingPointError(
                f"Seq2SeqClassifier training diverged: the loss became {loss.item()} in "
                f"epoch {len(self.history)}. Lower lr, or scale the input features "
                "(they are cast to float32)."
            )
        return loss

    def get_split_datasets(self, X, y=None, **fit_params):
        dataset = self.get_dataset(X, y)
        if not self.train_split:
            return dataset, None
        # A stratified split needs one label per sample: the label-sequence code.
        codes = encode_label_sequences(np.asarray(y))[0]
        return self.train_split(dataset, codes, **fit_params)


def _resolve_optimizer(optimizer):
    if optimizer == "adam":
        return torch.optim.Adam, 3e-3
    if optimizer == "adadelta":
        return torch.optim.Adadelta, 1.0
    return optimizer, 1e-3


class Seq2SeqClassifier(LabelSequenceScoreMixin, ClassifierMixin, BaseEstimator):
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
        Adam with lr=3e-3 reached a higher minority F1 than the paper's Adadelta
        in the same number of epochs on synthetic data (0.86 vs 0.47 at 40
        epochs) and matched it on Japanese Vowels (0.95 vs 0.93); see
        ``benchmarks/bench_classifier.py --compare-optimizers``. "adadelta"
        follows the paper.
    lr : float or None, default=None
        Learning rate; None: 3e-3 for Adam, 1.0 for Adadelta, 1e-3 for an
        optimizer class.
    max_epochs : int, default=40
        Passes over the training data (the measured point above; small data sets
        give few optimiser steps per epoch and may need more).
    batch_size : int, default=64
        Sequences per mini-batch.
    train_split : None, float or callable, default=None
        Internal validation split of skorch. The default None trains on all the
        data: skorch's own default (a 20% split) would take a fifth of the
        minority away, which hurts most exactly when the minority is small. A
        float in (0, 1) holds out that fraction stratified on the label
        (sequence), reported as ``valid_loss`` in ``history_`` (e.g. for an
        ``EarlyStopping`` callback); a callable is passed to skorch as is.
    callbacks : list or None, default=None
        Extra skorch callbacks (e.g. ``skorch.callbacks.EarlyStopping``).
    device : str, default="auto"
        "auto" trains on CUDA when available, else on CPU; or any torch device.
    padding_value : float, default=np.nan
        Value marking padding steps in 3-D ``X``.
    random_state : int, RandomState instance or None, default=None
        Seeds weight initialisation, dropout and batch order; an int makes CPU
        results repeatable bit for bit. The global torch RNG is left unchanged.
    n_threads : int or None, default=1
        torch's intra-op CPU threads during ``fit`` and prediction (restored
        afterwards); None keeps torch's global setting. The models are small:
        on a 2-core CPU shared with other work one thread trained 3-10x faster
        than two (threads waiting on each other). Use ``n_jobs`` of the ensemble
        or of a grid search for parallelism; try None for large models on an
        idle many-core machine.
    verbose : int, default=0
        skorch's per-epoch log when > 0.

    Attributes
    ----------
    classes_ : ndarray of shape (n_classes,) or list of L such arrays
        Class labels (one array per output position for 2-D ``y``).
    n_outputs_ : int
        L, the number of labels predicted per sequence (1 for 1-D ``y``).
    n_features_in_ : int
        Features per time step.
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
        "batch_size": [Interval(numbers.Integral, 1, None, closed="left")],
        "train_split": [Interval(numbers.Real, 0, 1, closed="neither"), callable, None],
        "callbacks": [list, None],
        "device": [str, torch.device],
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
        batch_size: int = 64,
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
        self._validate_params()
        seqs = validate_sequences(self, X, reset=True, padding_value=self.padding_value)
        y_codes = self._encode_targets(y, seqs.n_sequences)
        self.class_weight_ = self._compute_class_weight(y_codes)
        device = resolve_device(self.device)
        self.net_ = self.initialize_net(seqs.n_features, device)
        with seeded(self.random_state, device), torch_threads(self.n_threads):
            self.net_.fit(self._net_input(seqs), y_codes)
        self.history_ = self.net_.history
        return self

    def _encode_targets(self, y, n_sequences: int) -> np.ndarray:
        """Validate y; set classes_, n_outputs_; return codes (n, L) int64."""
        if y is None:
            raise ValueError(
                f"{type(self).__name__} requires y to be passed, but the target y is None."
            )
        self._multi_output = is_label_sequences(y)
        if self._multi_output:
            y_array = check_label_sequences(y, n_sequences)
        else:
            y_array = np.asarray(y)
            if y_array.ndim != 1:
                raise ValueError(
                    f"y must be 1-D (one label per sequence) or 2-D (label sequences), "
                    f"got shape {y_array.shape}."
                )
            check_consistent_length(np.empty(n_sequences), y_array)
            y_array = y_array[:, None]
        check_classification_targets(y_array if self._multi_output else y_array[:, 0])
        columns = [np.unique(y_array[:, j], return_inverse=True) for j in range(y_array.shape[1])]
        classes = [c for c, _ in columns]
        if len(encode_label_sequences(y_array)[1]) < 2:
            raise ValueError(
                f"{type(self).__name__} needs at least 2 classes (distinct labels or "
                f"label sequences) in y; got only one class: {y_array[0].tolist()}."
            )
        self.n_outputs_ = len(classes)
        self.classes_ = classes if self._multi_output else classes[0]
        return np.stack([inverse.reshape(-1) for _, inverse in columns], axis=1).astype(np.int64)

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

    def initialize_net(self, n_features: int, device: torch.device) -> Seq2SeqNet:
        """Build the (unfitted) skorch net; override to change its components."""
        optimizer, default_lr = _resolve_optimizer(self.optimizer)
        classes = self.classes_ if self._multi_output else [self.classes_]
        class_mask = np.zeros(self.class_weight_.shape, dtype=bool)
        for position, position_classes in enumerate(classes):
            class_mask[position, : len(position_classes)] = True
        train_split = self.train_split
        if isinstance(train_split, numbers.Real):
            train_split = ValidSplit(float(train_split), stratified=True)
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
            lr=default_lr if self.lr is None else self.lr,
            max_epochs=self.max_epochs,
            batch_size=self.batch_size,
            train_split=train_split,
            callbacks=list(self.callbacks) if self.callbacks else None,
            device=str(device),
            verbose=self.verbose,
        )

    @staticmethod
    def _net_input(seqs) -> dict:
        too_large = np.abs(seqs.values) > np.finfo(np.float32).max
        if too_large.any():
            seq, step, feature = (int(i) for i in np.argwhere(too_large)[0])
            raise ValueError(
                f"X holds a value beyond float32's range ({seqs.values[seq, step, feature]}) "
                f"at sequence {seq}, time step {step}, feature {feature}; the network "
                "computes in float32: scale the features."
            )
        return {
            "values": seqs.values.astype(np.float32, copy=False),
            "lengths": seqs.lengths.astype(np.int64, copy=False),
        }

    # -- prediction --------------------------------------------------------
    def _joint_proba(self, X) -> np.ndarray:
        """Probabilities (n, L, max_n_classes), computed in length-sorted batches."""
        check_is_fitted(self, "net_")
        seqs = validate_sequences(self, X, reset=False, padding_value=self.padding_value)
        order = np.argsort(seqs.lengths, kind="stable")
        inputs = self._net_input(seqs)
        inputs = {key: value[order] for key, value in inputs.items()}
        with torch.no_grad(), torch_threads(self.n_threads):
            logits = self.net_.forward(inputs)
        proba = torch.softmax(logits.double(), dim=-1).numpy()
        result = np.empty_like(proba)
        result[order] = proba
        return result

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

        Returns
        -------
        y_pred : ndarray of shape (n_sequences,) or (n_sequences, L)
        """
        proba = self._joint_proba(X)
        if not self._multi_output:
            return self.classes_[proba[:, 0].argmax(axis=1)]
        return np.stack(
            [c[proba[:, pos].argmax(axis=1)] for pos, c in enumerate(self.classes_)],
            axis=1,
        )

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.three_d_array = True
        tags.input_tags.allow_nan = False
        tags.target_tags.multi_output = True
        tags.classifier_tags.multi_label = False
        # cuDNN's LSTM kernels are not bit-reproducible; CPU training is.
        tags.non_deterministic = trains_on_cuda(self.device)
        return tags


@contextlib.contextmanager
def torch_threads(n_threads: int | None):
    """Run a block with torch's intra-op thread count set to ``n_threads``."""
    if n_threads is None:
        yield
        return
    previous = torch.get_num_threads()
    torch.set_num_threads(n_threads)
    try:
        yield
    finally:
        torch.set_num_threads(previous)
