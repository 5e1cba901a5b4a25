"""The LSTM autoencoder of :class:`~imblearn_seqgan.over_sampling.LatentADASYN`.

:class:`LatentAutoencoder` maps a sequence to one latent code (the encoder's final
hidden state ``h_T``) and a code back to a sequence of a given length (the decoder
reads the code at every step). It standardises its input with the per-feature mean
and scale it was built with, so it takes and returns sequences in the data's units.
:class:`AutoencoderNet` trains it the package's one way (skorch, see
:mod:`imblearn_seqgan._nn._training`).
"""

from __future__ import annotations

import numpy as np
import torch
from torch import nn

from ._modules import SequenceDecoder, SequenceEncoder, length_mask, masked_mse
from ._training import SequenceNet

__all__ = ["AutoencoderNet", "LatentAutoencoder", "MaskedMSELoss"]


class LatentAutoencoder(nn.Module):
    """LSTM autoencoder of the paper's section 2: the encoder's final hidden state
    ``h_T`` is the latent code, and the decoder reads it at every step.

    Built from the shared :class:`SequenceEncoder` and :class:`SequenceDecoder`.

    Parameters
    ----------
    n_features : int
        Features per time step.
    hidden_size : int
        LSTM units, also the size of the latent code.
    num_layers : int, default=1
        Stacked LSTM layers in the encoder and in the decoder.
    feature_mean, feature_scale : array-like of shape (n_features,), optional
        Standardisation of the input (defaults 0 and 1): the network sees
        ``(x - feature_mean) / feature_scale``, so the learning rate and the latent
        distances do not depend on the data's units.
    """

    def __init__(
        self,
        n_features: int,
        hidden_size: int,
        num_layers: int = 1,
        feature_mean=None,
        feature_scale=None,
    ):
        super().__init__()
        self.encoder = SequenceEncoder(n_features, hidden_size, num_layers)
        self.decoder = SequenceDecoder(hidden_size, hidden_size, n_features, num_layers)
        mean = np.zeros(n_features) if feature_mean is None else feature_mean
        scale = np.ones(n_features) if feature_scale is None else feature_scale
        self.register_buffer("feature_mean", torch.as_tensor(mean, dtype=torch.float32))
        self.register_buffer("feature_scale", torch.as_tensor(scale, dtype=torch.float32))

    @property
    def code_size(self) -> int:
        """Size of a latent code."""
        return self.encoder.output_size

    def standardise(self, values: torch.Tensor, lengths: torch.Tensor) -> torch.Tensor:
        """Standardised float32 batch, trimmed to its longest sequence, zero at padding.

        Parameters
        ----------
        values : tensor of shape (batch, steps, n_features)
            Post-padded sequences in the data's units (any float dtype or device).
        lengths : int tensor of shape (batch,)

        Returns
        -------
        x : float32 tensor of shape (batch, max(lengths), n_features)
        """
        device = self.feature_mean.device
        longest = int(lengths.max())
        x = values[:, :longest].to(device=device, dtype=torch.float32)
        mask = length_mask(lengths, longest, device)[:, :, None]
        return (x - self.feature_mean) / self.feature_scale * mask

    def encode(self, values: torch.Tensor, lengths: torch.Tensor) -> torch.Tensor:
        """Latent code ``h_T`` of each sequence.

        Parameters
        ----------
        values : tensor of shape (batch, steps, n_features)
            Post-padded sequences in the data's units.
        lengths : int tensor of shape (batch,)

        Returns
        -------
        codes : tensor of shape (batch, code_size)
        """
        return self.encoder(self.standardise(values, lengths), lengths)[1]

    def decode(self, codes: torch.Tensor, lengths: torch.Tensor) -> torch.Tensor:
        """Sequences of the given lengths from latent codes, in the data's units.

        Parameters
        ----------
        codes : tensor of shape (batch, code_size)
        lengths : int tensor of shape (batch,)

        Returns
        -------
        values : tensor of shape (batch, max(lengths), n_features)
            Zero at padding steps.
        """
        decoded = self._decode_standardised(codes, lengths)
        mask = length_mask(lengths, decoded.shape[1], decoded.device)[:, :, None]
        return (decoded * self.feature_scale + self.feature_mean) * mask

    def _decode_standardised(self, codes: torch.Tensor, lengths: torch.Tensor) -> torch.Tensor:
        steps = int(lengths.max())
        return self.decoder(codes[:, None, :].expand(-1, steps, -1), lengths)

    def forward(self, values: torch.Tensor, lengths: torch.Tensor) -> torch.Tensor:
        """Reconstruction in standardised units (what the loss compares with
        :meth:`standardise`), from the same input as :meth:`encode`.

        Returns
        -------
        reconstruction : float32 tensor of shape (batch, max(lengths), n_features)
        """
        return self._decode_standardised(self.encode(values, lengths), lengths)


class MaskedMSELoss(nn.Module):
    """:func:`masked_mse` as a criterion: mean squared error over valid steps."""

    def forward(
        self, input: torch.Tensor, target: torch.Tensor, lengths: torch.Tensor
    ) -> torch.Tensor:
        """Mean over all valid steps and features of the batch.

        Parameters
        ----------
        input, target : tensors of shape (batch, steps, features)
        lengths : int tensor of shape (batch,)

        Returns
        -------
        loss : scalar tensor
        """
        return masked_mse(input, target, lengths)


class AutoencoderNet(SequenceNet):
    """The skorch net that trains a :class:`LatentAutoencoder` to reconstruct its input.

    X is a dict ``{"values": (n, steps, n_features), "lengths": (n,)}`` in the data's
    units and there is no y: the target is the standardised input itself
    (:meth:`get_loss`).
    """

    diverged_what = "LatentADASYN"
    diverged_hint = "Lower lr, or check the input's scale."

    def get_loss(self, y_pred, y_true, X=None, training=False):
        """Masked reconstruction error against the standardised input.

        Parameters
        ----------
        y_pred : torch.Tensor
            The reconstruction (standardised units).
        y_true : None
            Unused: an autoencoder's target is its input.
        X : dict
            The batch: ``"values"`` and ``"lengths"``.
        training : bool, default=False
            Whether the loss is for a training step.

        Returns
        -------
        loss : scalar tensor
        """
        target = self.module_.standardise(X["values"], X["lengths"])
        return self.criterion_(y_pred, target, X["lengths"])
