"""The networks of the paper's GAN with autoencoder (section 2.2.1, eq. 1).

* :class:`CodeGenerator`: LSTM encoder over x (and, with label sequences, an LSTM
  over the one-hot labels that also reads the x summary); noise z enters as the
  initial cell state. z = 0 gives the real code, z ~ N(0, I) a fake one.
* :class:`CodeCritic`: bidirectional LSTM over the codes, dense head, one number.
* :class:`CodeDecoder`: the autoencoder's decoder, codes -> x (and label logits).
* :class:`CodeReconstructionLoss`: the autoencoder term of eq. (1), the criterion
  of :class:`~imblearn_seqgan._nn.SequenceGAN`.
"""

from __future__ import annotations

import torch
from torch import nn

from ._modules import SequenceDecoder, SequenceEncoder, masked_cross_entropy, masked_mse

__all__ = ["CodeGenerator", "CodeCritic", "CodeDecoder", "CodeReconstructionLoss"]


class CodeGenerator(nn.Module):
    """Generator G(z, x, y) -> (h_x, h_y): the codes the critic and decoder read.

    Parameters
    ----------
    n_features : int
        Features per time step of x.
    hidden_size : int
        Code size: units of the LSTMs.
    num_layers : int
        Layers of the LSTMs; z has one initial cell state per layer.
    n_label_classes : int, default=0
        0: sequences only (h_y is None). Otherwise label sequences of that many
        classes per step are encoded too (paper's seq2seq generator).
    """

    def __init__(self, n_features, hidden_size, num_layers, n_label_classes=0):
        super().__init__()
        self.hidden_size = hidden_size
        self.num_layers = num_layers
        self.n_label_classes = n_label_classes
        self.encoder = SequenceEncoder(n_features, hidden_size, num_layers)
        self.label_encoder = (
            SequenceEncoder(n_label_classes + hidden_size, hidden_size, num_layers)
            if n_label_classes
            else None
        )

    def noise(self, batch_size, device, generator=None):
        """z ~ N(0, I) of shape (num_layers, batch, hidden_size).

        Parameters
        ----------
        batch_size : int
        device : torch.device
        generator : torch.Generator, optional
            Draws z; torch's global RNG when None.

        Returns
        -------
        z : tensor of shape (num_layers, batch_size, hidden_size)
        """
        return torch.randn(
            self.num_layers,
            batch_size,
            self.hidden_size,
            device=device,
            generator=generator,
        )

    def forward(self, x, lengths, y_onehot=None, z=None):
        """Codes of a batch; ``z=None`` is z = 0 (the real code).

        Parameters
        ----------
        x : tensor of shape (batch, steps, n_features)
            Post-padded with zeros.
        lengths : int tensor of shape (batch,)
        y_onehot : tensor of shape (batch, L, n_label_classes), optional
        z : tensor of shape (num_layers, batch, hidden_size), optional
            Initial cell state.

        Returns
        -------
        h_x : tensor of shape (batch, steps, hidden_size)
        h_y : tensor of shape (batch, L, hidden_size) or None
        """
        state = None if z is None else (torch.zeros_like(z), z)
        hx, last = self.encoder(x, lengths, state)
        if self.label_encoder is None:
            return hx, None
        n_labels = y_onehot.shape[1]
        inputs = torch.cat([y_onehot, last[:, None, :].expand(-1, n_labels, -1)], 2)
        full = torch.full((x.shape[0],), n_labels, dtype=torch.long)
        hy, _ = self.label_encoder(inputs, full, state)
        return hx, hy


class CodeCritic(nn.Module):
    """Critic D(h_x, h_y) -> one real number per sequence (WGAN, no sigmoid).

    Parameters
    ----------
    code_size : int
        Size of the codes it reads (the generator's ``hidden_size``).
    hidden_size : int
        Units per direction of its bidirectional LSTMs.
    with_labels : bool, default=False
        Whether it also reads label-sequence codes h_y.
    """

    def __init__(self, code_size, hidden_size, with_labels=False):
        super().__init__()
        self.encoder = SequenceEncoder(code_size, hidden_size, bidirectional=True)
        self.label_encoder = (
            SequenceEncoder(code_size, hidden_size, bidirectional=True) if with_labels else None
        )
        width = 2 * hidden_size * (2 if with_labels else 1)
        self.head = nn.Sequential(
            nn.Linear(width, hidden_size), nn.LeakyReLU(0.2), nn.Linear(hidden_size, 1)
        )

    def forward(self, hx, lengths, hy=None):
        """Critic value of each sequence's codes.

        Parameters
        ----------
        hx : tensor of shape (batch, steps, code_size)
        lengths : int tensor of shape (batch,)
        hy : tensor of shape (batch, L, code_size), optional

        Returns
        -------
        scores : tensor of shape (batch,)
        """
        _, summary = self.encoder(hx, lengths)
        if self.label_encoder is not None:
            full = torch.full((hy.shape[0],), hy.shape[1], dtype=torch.long)
            _, summary_y = self.label_encoder(hy, full)
            summary = torch.cat([summary, summary_y], dim=1)
        return self.head(summary)[:, 0]


class CodeDecoder(nn.Module):
    """The autoencoder's decoder: codes -> x (and per-step label logits).

    Parameters
    ----------
    code_size : int
        Size of the codes it reads.
    hidden_size : int
        Units of its LSTMs.
    n_features : int
        Features per time step of x.
    num_layers : int
        Layers of its LSTMs.
    n_classes : int, default=0
        Label classes per step; 0 decodes x only.
    """

    def __init__(self, code_size, hidden_size, n_features, num_layers, n_classes=0):
        super().__init__()
        self.x_decoder = SequenceDecoder(code_size, hidden_size, n_features, num_layers)
        self.y_decoder = (
            SequenceDecoder(code_size, hidden_size, n_classes, num_layers) if n_classes else None
        )

    def forward(self, hx, lengths, hy=None):
        """Decode codes.

        Parameters
        ----------
        hx : tensor of shape (batch, steps, code_size)
        lengths : int tensor of shape (batch,)
        hy : tensor of shape (batch, L, code_size), optional

        Returns
        -------
        x_hat : tensor of shape (batch, steps, n_features)
            Zero at padding steps.
        y_logits : tensor of shape (batch, L, n_classes) or None
        """
        x_hat = self.x_decoder(hx, lengths)
        if self.y_decoder is None:
            return x_hat, None
        full = torch.full((hy.shape[0],), hy.shape[1], dtype=torch.long)
        return x_hat, self.y_decoder(hy, full)


class CodeReconstructionLoss(nn.Module):
    """Autoencoder loss: masked MSE over the valid steps (plus label cross-entropy).

    Parameters
    ----------
    reduction : {"mean", "none"}, default="mean"
        "mean": one number for the batch; "none": one number per sequence.
    """

    def __init__(self, reduction="mean"):
        super().__init__()
        self.reduction = reduction

    def forward(self, x_hat, y_logits, x, lengths, y=None, reduction=None):
        """Loss of the decoded ``(x_hat, y_logits)`` against the batch ``(x, y)``.

        Parameters
        ----------
        x_hat, x : tensor of shape (batch, steps, n_features)
        y_logits : tensor of shape (batch, L, n_label_classes) or None
        lengths : int tensor of shape (batch,)
        y : int tensor of shape (batch, L) or None
        reduction : {"mean", "none"}, optional
            Overrides ``self.reduction`` for this call.

        Returns
        -------
        loss : tensor, scalar or of shape (batch,)
        """
        reduction = reduction or self.reduction
        loss = masked_mse(x_hat, x, lengths, reduction=reduction)
        if y_logits is not None:
            loss = loss + masked_cross_entropy(y_logits, y, reduction=reduction)
        return loss
