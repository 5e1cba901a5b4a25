"""LSTM building blocks over zero-post-padded batches plus lengths.

Every module takes ``x`` of shape ``(batch, steps, features)`` padded with zeros at
the end and ``lengths`` (int64, CPU or same device), runs the fused LSTM kernel on
the padded batch (no ``pack_padded_sequence``: packing was measured at 2.5x
the fused kernel on CPU; length-bucketed batches keep the padding small instead)
and returns outputs that are exactly zero at padding steps. A unidirectional LSTM
never sees the padding of a post-padded sequence before its last valid step, so
its outputs at valid steps are the same as on the unpadded sequence; the backward
direction of a bidirectional encoder runs on each sequence reversed inside its
own length for the same reason.
"""

from __future__ import annotations

import torch
from torch import nn

__all__ = [
    "length_mask",
    "reverse_padded",
    "SequenceEncoder",
    "SequenceDecoder",
    "masked_mse",
    "masked_cross_entropy",
]


def length_mask(lengths: torch.Tensor, max_length: int, device=None) -> torch.Tensor:
    """Boolean ``(batch, max_length)`` mask, True at valid (post-padded) steps."""
    lengths = lengths.to(device) if device is not None else lengths
    steps = torch.arange(max_length, device=lengths.device)
    return steps[None, :] < lengths[:, None]


def reverse_padded(x: torch.Tensor, lengths: torch.Tensor) -> torch.Tensor:
    """Reverse each post-padded sequence inside its own length; padding stays put.

    Applying it twice gives ``x`` back, so it also maps reversed outputs back.
    """
    batch, steps = x.shape[:2]
    t = torch.arange(steps, device=x.device)[None, :]
    lens = lengths.to(x.device)[:, None]
    index = torch.where(t < lens, lens - 1 - t, t)
    return torch.gather(x, 1, index[:, :, None].expand(batch, steps, x.shape[2]))


def _last_valid(h: torch.Tensor, lengths: torch.Tensor) -> torch.Tensor:
    rows = torch.arange(h.shape[0], device=h.device)
    return h[rows, lengths.to(h.device) - 1]


class SequenceEncoder(nn.Module):
    """LSTM over a zero-post-padded batch; returns the masked hidden sequence.

    Parameters
    ----------
    input_size : int
        Features per time step.
    hidden_size : int
        Hidden units per direction.
    num_layers : int, default=1
    bidirectional : bool, default=False
        Adds an LSTM over each sequence reversed within its length; outputs of
        both directions are concatenated (``output_size == 2 * hidden_size``).
    dropout : float, default=0.0
        Dropout between LSTM layers (as ``nn.LSTM``).

    Notes
    -----
    ``forward(x, lengths, initial_state=None)`` returns ``(h, last)``:

    * ``h``: ``(batch, steps, output_size)``, zero at padding steps;
    * ``last``: ``(batch, output_size)``, the hidden output after the whole
      sequence was read (forward direction at step ``length - 1``, backward
      direction at step 0).

    ``initial_state`` is ``(h0, c0)`` as for ``nn.LSTM``, each
    ``(num_layers, batch, hidden_size)`` (for a bidirectional encoder the same
    state starts both directions). The GAN passes its noise z as ``c0``
    with ``h0 = 0``; None means zeros (the "real" code, z = 0).

    Examples
    --------
    >>> import torch
    >>> from imblearn_seqgan._nn import SequenceEncoder
    >>> enc = SequenceEncoder(3, 8)
    >>> h, last = enc(torch.zeros(2, 5, 3), torch.tensor([5, 2]))
    >>> h.shape, last.shape, bool(h[1, 2:].abs().sum() == 0)
    (torch.Size([2, 5, 8]), torch.Size([2, 8]), True)
    """

    def __init__(
        self,
        input_size: int,
        hidden_size: int,
        num_layers: int = 1,
        *,
        bidirectional: bool = False,
        dropout: float = 0.0,
    ):
        super().__init__()
        self.input_size = input_size
        self.hidden_size = hidden_size
        self.num_layers = num_layers
        self.bidirectional = bidirectional
        kwargs = dict(
            num_layers=num_layers,
            batch_first=True,
            dropout=dropout if num_layers > 1 else 0.0,
        )
        self.lstm = nn.LSTM(input_size, hidden_size, **kwargs)
        self.lstm_backward = nn.LSTM(input_size, hidden_size, **kwargs) if bidirectional else None

    @property
    def output_size(self) -> int:
        return self.hidden_size * (2 if self.bidirectional else 1)

    def forward(
        self,
        x: torch.Tensor,
        lengths: torch.Tensor,
        initial_state: tuple[torch.Tensor, torch.Tensor] | None = None,
    ) -> tuple[torch.Tensor, torch.Tensor]:
        mask = length_mask(lengths, x.shape[1], x.device)[:, :, None]
        h, _ = self.lstm(x, initial_state)
        h = h * mask
        last = _last_valid(h, lengths)
        if self.lstm_backward is None:
            return h, last
        hb, _ = self.lstm_backward(reverse_padded(x, lengths), initial_state)
        hb = hb * mask
        last_b = _last_valid(hb, lengths)
        hb = reverse_padded(hb, lengths)
        return torch.cat([h, hb], dim=2), torch.cat([last, last_b], dim=1)


class SequenceDecoder(nn.Module):
    """LSTM plus a per-step linear layer: hidden sequence -> per-step outputs.

    Parameters
    ----------
    input_size : int
        Size of the hidden sequence it reads (e.g. an encoder's output_size).
    hidden_size : int
    output_size : int
        Outputs per step: features to reconstruct, or class logits.
    num_layers : int, default=1
    dropout : float, default=0.0

    Notes
    -----
    ``forward(h, lengths, initial_state=None)`` returns
    ``(batch, steps, output_size)``, zero at padding steps.

    Examples
    --------
    >>> import torch
    >>> from imblearn_seqgan._nn import SequenceDecoder
    >>> SequenceDecoder(8, 16, 3)(torch.zeros(2, 5, 8), torch.tensor([5, 2])).shape
    torch.Size([2, 5, 3])
    """

    def __init__(
        self,
        input_size: int,
        hidden_size: int,
        output_size: int,
        num_layers: int = 1,
        *,
        dropout: float = 0.0,
    ):
        super().__init__()
        self.lstm = nn.LSTM(
            input_size,
            hidden_size,
            num_layers=num_layers,
            batch_first=True,
            dropout=dropout if num_layers > 1 else 0.0,
        )
        self.output = nn.Linear(hidden_size, output_size)

    def forward(
        self,
        h: torch.Tensor,
        lengths: torch.Tensor,
        initial_state: tuple[torch.Tensor, torch.Tensor] | None = None,
    ) -> torch.Tensor:
        out, _ = self.lstm(h, initial_state)
        mask = length_mask(lengths, h.shape[1], h.device)[:, :, None]
        return self.output(out) * mask


def masked_mse(
    pred: torch.Tensor,
    target: torch.Tensor,
    lengths: torch.Tensor,
    reduction: str = "mean",
) -> torch.Tensor:
    """Mean squared error over valid steps only (padding never counts).

    Parameters
    ----------
    pred, target : tensors of shape (batch, steps, features)
    lengths : int tensor of shape (batch,)
    reduction : {"mean", "none"}
        "mean": one number, the mean over all valid steps and features of the
        batch (each valid step weighs the same). "none": one number per
        sequence, the mean over its own valid steps and features.
    """
    mask = length_mask(lengths, pred.shape[1], pred.device)[:, :, None]
    sq = ((pred - target) ** 2) * mask
    n_features = pred.shape[2]
    if reduction == "none":
        return sq.sum(dim=(1, 2)) / (lengths.to(pred.device) * n_features)
    if reduction == "mean":
        return sq.sum() / (lengths.sum().to(pred.device) * n_features)
    raise ValueError(f"reduction must be 'mean' or 'none', got {reduction!r}.")


def masked_cross_entropy(
    logits: torch.Tensor,
    target: torch.Tensor,
    lengths: torch.Tensor | None = None,
    reduction: str = "mean",
) -> torch.Tensor:
    """Cross-entropy of per-step class logits, over valid steps only.

    Parameters
    ----------
    logits : tensor of shape (batch, steps, n_classes)
    target : int64 tensor of shape (batch, steps)
    lengths : int tensor of shape (batch,), optional
        None means every step is valid (label sequences of a fixed length L).
    reduction : {"mean", "none"}
        As in :func:`masked_mse`.
    """
    batch, steps = target.shape
    if lengths is None:
        lengths = torch.full((batch,), steps, dtype=torch.long)
    mask = length_mask(lengths, steps, logits.device)
    ce = nn.functional.cross_entropy(
        logits.reshape(batch * steps, -1), target.reshape(-1), reduction="none"
    ).reshape(batch, steps)
    ce = ce * mask
    if reduction == "none":
        return ce.sum(dim=1) / lengths.to(logits.device)
    if reduction == "mean":
        return ce.sum() / lengths.sum().to(logits.device)
    raise ValueError(f"reduction must be 'mean' or 'none', got {reduction!r}.")
