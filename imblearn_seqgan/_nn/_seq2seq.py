"""The networks of :class:`~imblearn_seqgan.classification.Seq2SeqClassifier`.

An LSTM encoder reads the sequence, an LSTM decoder with additive (Bahdanau)
attention over the encoder's outputs emits one output per label (L = 1 for one
label per sequence, L = the length of the label sequence for 2-D y), trained with a
cross-entropy whose class weights come from the training labels, through
:class:`Seq2SeqNet` (the package's :class:`~imblearn_seqgan._nn.SequenceNet`).
"""

from __future__ import annotations

import contextlib
import threading
import warnings

import numpy as np
import torch
from skorch.utils import to_tensor
from torch import nn

from ..utils import encode_label_sequences
from ._modules import length_mask, reverse_padded
from ._training import SequenceNet
from ._utils import seeded, torch_cpu_settings

__all__ = [
    "AUTO_BATCH_BASE",
    "AdditiveAttention",
    "AttentionSeq2Seq",
    "Seq2SeqNet",
    "WeightedSequenceCrossEntropy",
    "auto_batch_size",
    "sequence_input",
]

# batch_size="auto" (opt-in: see Seq2SeqClassifier's docstring for its F1 cost): 64 on
# the CPU (larger batches were slower per sequence there); on CUDA the largest power of
# two up to _CUDA_MAX_BATCH that still gives _MIN_BATCHES_PER_EPOCH optimiser steps per
# epoch, with Adam's default learning rate scaled by sqrt(batch / AUTO_BATCH_BASE).
AUTO_BATCH_BASE = 64
_CUDA_MAX_BATCH = 1024
_MIN_BATCHES_PER_EPOCH = 16

# Seeding and weight initialisation draw from torch's global RNG, which threads share
# (an ensemble's members fitted side by side on one GPU): one net at a time.
_GLOBAL_TORCH_RNG = threading.Lock()


def auto_batch_size(n_sequences: int, device) -> int:
    """The batch size ``batch_size="auto"`` resolves to (see the comment above).

    Parameters
    ----------
    n_sequences : int
        Training sequences.
    device : str or torch.device
        Where the net trains.

    Returns
    -------
    batch_size : int
    """
    batch = AUTO_BATCH_BASE
    if torch.device(device).type != "cuda":
        return batch
    while batch < _CUDA_MAX_BATCH and 2 * batch * _MIN_BATCHES_PER_EPOCH <= n_sequences:
        batch *= 2
    return batch


def sequence_input(values: np.ndarray, lengths: np.ndarray, device) -> dict:
    """A net's input: the values as a tensor on ``device`` (moved once per fit;
    batches are ``index_select``-ed there), the lengths on the host (they decide
    shapes; see :meth:`Seq2SeqNet.infer`).

    Parameters
    ----------
    values : ndarray of shape (n, steps, n_features)
    lengths : ndarray of shape (n,)
    device : str or torch.device

    Returns
    -------
    inputs : dict
        ``{"values": tensor, "lengths": tensor}``.
    """
    return {
        "values": torch.as_tensor(values).to(device),
        "lengths": torch.as_tensor(lengths),
    }


class AdditiveAttention(nn.Module):
    """Bahdanau attention: ``score(s, h_t) = v^T tanh(W s + U h_t)``, masked.

    Padding steps get a score of ``-inf``, so their weight is exactly zero and
    nothing computed on padding reaches the context vector. ``mask=None`` means
    a batch without padding (no masking operation at all).
    """

    def __init__(self, query_size: int, key_size: int, attention_size: int):
        super().__init__()
        self.query = nn.Linear(query_size, attention_size, bias=False)
        self.key = nn.Linear(key_size, attention_size)
        self.score = nn.Linear(attention_size, 1, bias=False)

    def forward(self, query, keys, projected_keys, mask):
        energy = torch.tanh(projected_keys + self.query(query)[:, None, :])
        scores = self.score(energy).squeeze(-1)
        if mask is not None:
            scores = scores.masked_fill(~mask, float("-inf"))
        weights = torch.softmax(scores, dim=1)
        context = torch.bmm(weights[:, None, :], keys).squeeze(1)
        return context, weights


def lstm_to_each_end(
    lstm: nn.LSTM, values: torch.Tensor, lengths: torch.Tensor
) -> tuple[torch.Tensor, tuple[torch.Tensor, torch.Tensor]]:
    """A batch-first ``lstm`` over post-padded sequences of mixed lengths, each
    stopped at its own last step: what ``pack_padded_sequence`` gives (outputs zero
    at padding steps, final ``(h, c)`` at each sequence's own end; a reverse
    direction starts there).

    Written by hand because torch's packed LSTM backward is quadratic in the
    sequence length on CPU (each time step's slice allocates and zero-fills a
    gradient the size of the whole batch: pytorch/pytorch#149194): with 64
    sequences of 300-500 steps one backward took 2.8 s against 0.06 s for the
    fused kernel on the padded batch, 20.8 s against 0.11 s at 600-800 steps. Here
    the fused kernel runs once per distinct length in the batch, over the steps
    between it and the previous one, on the sequences still running, from their
    state; the work is linear in the longest length. A bidirectional LSTM runs
    layer by layer, its reverse direction over each sequence reversed within its
    own length (with the layer's reverse weights).

    Parameters
    ----------
    lstm : torch.nn.LSTM
        ``batch_first=True``, without ``proj_size``.
    values : tensor of shape (batch, steps, features)
        Post-padded.
    lengths : int64 CPU tensor of shape (batch,)
        At least 1 and at most ``steps`` each.

    Returns
    -------
    outputs : tensor of shape (batch, steps, hidden_size * directions)
        Zero at padding steps.
    (h, c) : tensors of shape (num_layers * directions, batch, hidden_size)
        The state after each sequence's last valid step (nn.LSTM's layout).
    """
    if not lstm.bidirectional:
        return _run_to_each_end(lstm, values, lengths)
    layer_input, h, c = values, [], []
    for layer in range(lstm.num_layers):
        directions = []
        for suffix in ("", "_reverse"):
            one_direction = _one_layer(lstm, layer, suffix, layer_input.shape[2])
            if suffix:
                reversed_input = reverse_padded(layer_input, lengths)
                out, (h_dir, c_dir) = _run_to_each_end(one_direction, reversed_input, lengths)
                out = reverse_padded(out, lengths)
            else:
                out, (h_dir, c_dir) = _run_to_each_end(one_direction, layer_input, lengths)
            directions.append(out)
            h.append(h_dir)
            c.append(c_dir)
        layer_input = torch.cat(directions, dim=2)
        if layer < lstm.num_layers - 1 and lstm.dropout and lstm.training:
            layer_input = nn.functional.dropout(layer_input, lstm.dropout, training=True)
    return layer_input, (torch.cat(h), torch.cat(c))


def _one_layer(lstm: nn.LSTM, layer: int, suffix: str, input_size: int):
    """One layer and direction of ``lstm`` as a callable ``(x, state) -> nn.LSTM's
    output``, on ``lstm``'s own parameters (gradients reach them)."""
    # a parameter-free shell (meta device: no memory, no draw from torch's RNG)
    # that functional_call fills with the layer's weights
    shell = nn.LSTM(input_size, lstm.hidden_size, batch_first=True, bias=lstm.bias, device="meta")
    names = ["weight_ih", "weight_hh", *(["bias_ih", "bias_hh"] if lstm.bias else [])]
    weights = {f"{name}_l0": getattr(lstm, f"{name}_l{layer}{suffix}") for name in names}

    def run(x, state):
        with warnings.catch_warnings():
            # cuDNN wants one weight buffer; one layer's weights of a stacked LSTM
            # are not one, so it copies them per call (cheap: the layer is small)
            warnings.filterwarnings("ignore", "RNN module weights are not part of single")
            return torch.func.functional_call(shell, weights, (x, state))

    return run


def _run_to_each_end(lstm, values, lengths):
    """``lstm`` (an nn.LSTM or :func:`_one_layer`'s callable, forward direction)
    segment by segment: see :func:`lstm_to_each_end`."""
    batch, steps = values.shape[:2]
    order = torch.argsort(lengths, descending=True, stable=True)
    ascending = np.sort(lengths.numpy())
    ends = np.unique(ascending)
    # rows (of the length-sorted batch) still running after each end: the first ones
    running_after = (batch - np.searchsorted(ascending, ends, side="right")).tolist()
    # split, not a slice per segment: split's backward concatenates the gradients once
    # instead of zero-filling one the size of the batch per segment
    sizes = np.diff([0, *ends, steps]).tolist()  # the last: steps after the longest
    ends = ends.tolist()
    segments = torch.split(values[order.to(values.device)], sizes, dim=1)[: len(ends)]
    outputs, finished_h, finished_c = [], [], []
    state = None
    running = batch
    for segment, still_running in zip(segments, running_after, strict=True):
        out, (h, c) = lstm(segment[:running], state)
        # zero rows for the sequences that already ended: their padding steps
        outputs.append(nn.functional.pad(out, (0, 0, 0, 0, 0, batch - running)))
        finished_h.append(h[:, still_running:running])
        finished_c.append(c[:, still_running:running])
        state = (h[:, :still_running], c[:, :still_running])
        running = still_running
    if ends[-1] < steps:
        outputs.append(outputs[0].new_zeros(batch, steps - ends[-1], outputs[0].shape[2]))
    # finished rows came shortest first: reversing the blocks gives the sorted order
    h = torch.cat(finished_h[::-1], dim=1)
    c = torch.cat(finished_c[::-1], dim=1)
    restore = torch.argsort(order).to(values.device)
    return torch.cat(outputs, dim=1)[restore], (h[:, restore], c[:, restore])


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
    15 epochs, for about 1.6x the training time on variable-length data (then
    measured with packing; batches that mix lengths now run segment by segment,
    :func:`lstm_to_each_end`), so this module keeps its own ``nn.LSTM``.
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
        # Most models use every class at every position: no masking then.
        self.masks_classes = not bool(class_mask.all())
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

    def encode(self, values, lengths, full_length=None):
        """Encoder outputs (batch, steps, encoded), summary ``h_T`` (batch,
        encoded) and the decoder's initial state.

        ``full_length``: whether every sequence spans all ``values.shape[1]``
        steps (None: computed from ``lengths``)."""
        lengths_cpu = lengths.to("cpu")
        steps = values.shape[1]
        if full_length is None:
            full_length = bool((lengths_cpu == steps).all())
        if full_length:
            # One length in the batch (common with length buckets): the fused
            # kernel in one call.
            outputs, (h, c) = self.encoder(values)
        else:
            outputs, (h, c) = lstm_to_each_end(self.encoder, values, lengths_cpu)
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
        # Shapes follow from the lengths: read them on the host (the net keeps
        # them there), so that a CUDA batch never waits for the device here.
        lengths = lengths.to("cpu")
        steps = int(lengths.max())
        values = values[:, :steps]  # trim the batch to its own longest sequence
        # Operations skipped below (a mask without padding, dropout with p=0, a
        # class mask without masked classes) would not change a value: fewer
        # operator calls per batch, same results.
        full_length = bool((lengths == steps).all())
        mask = None if full_length else length_mask(lengths, steps, values.device)
        outputs, summary, state = self.encode(values, lengths, full_length)
        outputs = self._dropout(outputs)
        projected = self.attention.key(outputs)
        logits = []
        for _ in range(self.n_outputs):
            context, _ = self.attention(state[0][-1], outputs, projected, mask)
            step_input = torch.cat([summary, context], dim=-1)[:, None, :]
            decoded, state = self.decoder(step_input, state)
            features = self._dropout(torch.cat([decoded[:, 0], context], dim=-1))
            logits.append(self.head(features))
        logits = torch.stack(logits, dim=1) if len(logits) > 1 else logits[0][:, None]
        if not self.masks_classes:
            return logits
        return logits.masked_fill(~self.class_mask, float("-inf"))

    def _dropout(self, x):
        return self.dropout(x) if self.dropout.p > 0 else x


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
        weight = self.weight.gather(1, target.t()).t()  # weight[l, target[:, l]]
        return (weight * nll).sum() / weight.sum()


class Seq2SeqNet(SequenceNet):
    """The skorch net behind :class:`~imblearn_seqgan.classification.Seq2SeqClassifier`.

    X is a dict ``{"values": (n, steps, features) float32, "lengths": (n,)}``,
    y the encoded label sequences (n, L). The classifier trains it with
    ``iterator_train=LengthBucketedLoader``. Overrides :meth:`get_split_datasets`:
    the internal split is stratified on the label sequence rather than on a 2-D y.
    """

    diverged_what = "Seq2SeqClassifier"
    diverged_hint = "Lower lr, or scale the input features (they are cast to float32)."

    def fit_sequences(self, values, lengths, y, *, random_state, n_threads=None):
        """Initialise and train on sequences, seeded and safe to run in threads.

        Weights are drawn from torch's global RNG, seeded from ``random_state``,
        one net at a time; the batch order then comes from the net's own
        generator, started from that seeded state (the same draws as one seeded
        block on one thread), and training runs with ``n_threads`` threads.

        Parameters
        ----------
        values : float32 ndarray of shape (n, steps, n_features)
            Post-padded with zeros.
        lengths : int64 ndarray of shape (n,)
        y : int64 ndarray of shape (n, L)
            Encoded label sequences.
        random_state : None, int or RandomState
        n_threads : int or None, default=None
            torch's intra-op threads while training (None: unchanged).

        Returns
        -------
        self : Seq2SeqNet
        """
        device = torch.device(self.device)
        batch_order = torch.Generator()
        self.set_params(iterator_train__rng=batch_order)
        inputs = sequence_input(values, lengths, device)
        with contextlib.ExitStack() as stack:
            with _GLOBAL_TORCH_RNG:
                stack.enter_context(seeded(random_state, device))
                self.initialize()
                batch_order.set_state(torch.get_rng_state())
            stack.enter_context(torch_cpu_settings(n_threads))
            self.partial_fit(inputs, torch.as_tensor(y).to(device))
        return self

    def predict_joint_proba(self, values, lengths, *, n_threads=None) -> np.ndarray:
        """Class probabilities at every output position, in length-sorted batches.

        Parameters
        ----------
        values : float32 ndarray of shape (n, steps, n_features)
            Post-padded with zeros.
        lengths : int64 ndarray of shape (n,)
        n_threads : int or None, default=None
            torch's intra-op threads while predicting (None: unchanged).

        Returns
        -------
        proba : float64 ndarray of shape (n, L, max_n_classes)
        """
        order = np.argsort(lengths, kind="stable")
        inputs = sequence_input(values[order], lengths[order], self.device)
        with torch.no_grad(), torch_cpu_settings(n_threads):
            logits = self.forward(inputs)
        proba = torch.softmax(logits.double(), dim=-1).numpy()
        result = np.empty_like(proba)
        result[order] = proba
        return result

    def infer(self, x, **fit_params):
        """The module's output for one batch, its lengths kept on the host.

        skorch would move every entry of ``x`` to the net's device; the lengths
        decide shapes (trimming, the segments of mixed lengths), and reading them
        back from a GPU would make the host wait for it at every batch.

        Parameters
        ----------
        x : dict
            ``{"values": ..., "lengths": ...}`` of one batch.
        **fit_params : dict
            Passed to the module's ``forward``.

        Returns
        -------
        logits : torch.Tensor of shape (batch, n_outputs, n_classes)
        """
        lengths = torch.as_tensor(x["lengths"], device="cpu")
        values = to_tensor(x["values"], device=self.device)
        return self.module_(values=values, lengths=lengths, **fit_params)

    def get_split_datasets(self, X, y=None, **fit_params):
        """Split off the validation set, stratified on the label-sequence code.

        Parameters
        ----------
        X : dict
            ``{"values": ..., "lengths": ...}``.
        y : ndarray of shape (n, L), optional
            Encoded label sequences.
        **fit_params : dict
            Passed to ``train_split``.

        Returns
        -------
        dataset_train, dataset_valid : torch Dataset
            ``dataset_valid`` is None without ``train_split``.
        """
        dataset = self.get_dataset(X, y)
        if not self.train_split:
            return dataset, None
        # A stratified split needs one label per sample: the label-sequence code.
        labels = y.cpu().numpy() if isinstance(y, torch.Tensor) else np.asarray(y)
        codes = encode_label_sequences(labels)[0]
        return self.train_split(dataset, codes, **fit_params)
