"""The LSTM autoencoder of :class:`~imblearn_seqgan.over_sampling.LatentADASYN`.

:class:`LatentAutoencoder` maps a sequence to one latent code (the encoder's final
hidden state ``h_T``) and a code back to a sequence of a given length (the decoder
reads the code at every step). It standardises its input with the per-feature mean
and scale it was built with, so it takes and returns sequences in the data's units.
With ``n_classes`` it also has a linear head that classifies the code, trained jointly
so that the codes keep the classes apart. :class:`AutoencoderNet` trains it the
package's one way (skorch, see :mod:`imblearn_seqgan._nn._training`) and
:func:`latent_autoencoder_net` builds it with LatentADASYN's early stopping;
:func:`encode_sequences` and :func:`decode_codes` map between sequences and codes, and
:func:`decode_change` decodes the change a new code makes to a source sequence.
"""

from __future__ import annotations

import math

import numpy as np
import torch
from torch import nn
from torch.nn import functional as F

from ._batching import LengthBucketedLoader, iter_batches, length_bucketed_batches
from ._callbacks import write_line
from ._modules import SequenceDecoder, SequenceEncoder, length_mask, masked_mse
from ._stopping import PlateauStopping
from ._training import SequenceNet, resolve_optimizer
from ._utils import to_tensor

__all__ = [
    "AutoencoderNet",
    "LatentAutoencoder",
    "MaskedMSELoss",
    "decode_change",
    "decode_codes",
    "encode_sequences",
    "feature_standardisation",
    "latent_autoencoder_net",
]

# early stopping's window is at most the passes that make this many steps
PATIENCE_STEPS = 600
# Early stopping may not stop before this many optimisation steps. The loss of this
# LSTM autoencoder has plateaus of hundreds of steps before it falls tenfold, which
# no look at the last passes can see past: on 80 minority random walks it sat near
# 0.15 around step 400 and reached 0.01 by step 1,700, where the synthetic sequences
# first kept the minority's pattern. At 30,000 sequences this is under 3 passes.
MIN_STEPS = 2_000


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
    n_classes : int, optional
        With it, a linear head maps a code to ``n_classes`` logits (``classify``)
        and :meth:`forward` returns them beside the reconstruction. Built after the
        encoder and decoder, so that they start from the same weights as without it.
    """

    def __init__(
        self,
        n_features: int,
        hidden_size: int,
        num_layers: int = 1,
        feature_mean=None,
        feature_scale=None,
        n_classes: int | None = None,
    ):
        super().__init__()
        self.encoder = SequenceEncoder(n_features, hidden_size, num_layers)
        self.decoder = SequenceDecoder(hidden_size, hidden_size, n_features, num_layers)
        code_size = self.encoder.output_size
        self.classify = None if n_classes is None else nn.Linear(code_size, n_classes)
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

    def forward(self, values: torch.Tensor, lengths: torch.Tensor):
        """Reconstruction in standardised units (what the loss compares with
        :meth:`standardise`), from the same input as :meth:`encode`.

        Returns
        -------
        reconstruction : float32 tensor of shape (batch, max(lengths), n_features)
        logits : float32 tensor of shape (batch, n_classes)
            The class head's output on the codes; returned (after the
            reconstruction, as a tuple) only when the module has a head.
        """
        codes = self.encode(values, lengths)
        reconstruction = self._decode_standardised(codes, lengths)
        if self.classify is None:
            return reconstruction
        return reconstruction, self.classify(codes)


def decode_change(
    module: LatentAutoencoder,
    codes: np.ndarray,
    source_codes: np.ndarray,
    source_values: np.ndarray,
    lengths: np.ndarray,
    dtype=np.float64,
    batch_size: int = 256,
) -> np.ndarray:
    """``x_s + D(c) - D(c_s)``: each source plus the change its new code makes to its
    decoding, in the data's units.

    The decoder smooths what it reconstructs; adding only the difference of two
    decodings to the real source keeps the source's detail. A code equal to its
    source's gives the source back.

    Parameters
    ----------
    module : LatentAutoencoder
    codes, source_codes : ndarray of shape (n, code_size)
        The new codes and the codes of their sources.
    source_values : ndarray of shape (n, steps, n_features)
        The sources, post-padded with zeros, in the data's units.
    lengths : ndarray of shape (n,)
        The sources' lengths (those of the new sequences).
    dtype : dtype, default=np.float64
        The output's dtype.
    batch_size : int, default=256
        Codes decoded at once (length-sorted batches, no gradient).

    Returns
    -------
    values : ndarray of shape (n, max(lengths), n_features)
        Zero at padding steps.
    """
    device = module.feature_mean.device
    longest = int(lengths.max())
    out = np.zeros((len(codes), longest, source_values.shape[2]), dtype=dtype)
    with torch.no_grad():
        for idx in length_bucketed_batches(lengths, batch_size):
            lens = torch.as_tensor(lengths[idx])
            # both decodings in one call: the same kernels round both alike
            pair = to_tensor(np.r_[codes[idx], source_codes[idx]], device)
            both = module.decode(pair, lens.repeat(2))
            new, old = both[: len(idx)], both[len(idx) :]
            steps = new.shape[1]
            out[idx, :steps] = source_values[idx, :steps] + (new - old).cpu().numpy()
    return out


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
    units. The target is the standardised input itself (:meth:`get_loss`); y is None,
    or, for a module with a class head, each sequence's class index (0 ...
    n_classes - 1), and the loss adds ``class_separation`` times the head's
    cross-entropy on the codes.

    Parameters
    ----------
    *args, **kwargs
        skorch's ``NeuralNet`` parameters.
    class_separation : float, default=0.0
        Weight of the class head's cross-entropy in the loss.
    """

    diverged_what = "LatentADASYN"
    diverged_hint = "Lower lr, or check the input's scale."

    def __init__(self, *args, class_separation: float = 0.0, **kwargs):
        super().__init__(*args, **kwargs)
        self.class_separation = class_separation

    def get_loss(self, y_pred, y_true, X=None, training=False):
        """Masked reconstruction error against the standardised input.

        Parameters
        ----------
        y_pred : torch.Tensor or tuple of torch.Tensor
            The reconstruction (standardised units), and the class head's logits
            when the module has one.
        y_true : None or int tensor of shape (batch,)
            The sequences' class indices, for the class head.
        X : dict
            The batch: ``"values"`` and ``"lengths"``.
        training : bool, default=False
            Whether the loss is for a training step.

        Returns
        -------
        loss : scalar tensor
        """
        logits = None
        if isinstance(y_pred, tuple):
            y_pred, logits = y_pred
        target = self.module_.standardise(X["values"], X["lengths"])
        loss = self.criterion_(y_pred, target, X["lengths"])
        if logits is not None:
            classes = y_true.to(device=logits.device, dtype=torch.long)
            loss = loss + self.class_separation * F.cross_entropy(logits, classes)
        return loss


def feature_standardisation(values: np.ndarray, lengths: np.ndarray):
    """Per-feature mean and scale over the valid steps (a constant feature's scale is 1).

    The autoencoder standardises with them so that the learning rate and the latent
    distances do not depend on the data's units.

    Parameters
    ----------
    values : ndarray of shape (n, steps, n_features)
    lengths : ndarray of shape (n,)

    Returns
    -------
    feature_mean, feature_scale : ndarray of shape (n_features,)
    """
    valid = np.arange(values.shape[1]) < lengths[:, None]
    feature_mean = values[valid].mean(axis=0)
    feature_scale = values[valid].std(axis=0)
    feature_scale[feature_scale < 1e-12] = 1.0
    return feature_mean, feature_scale


def _silent(*args, **kwargs):
    """Early stopping's message sink at ``verbose=0``."""


def latent_autoencoder_net(
    *,
    n_features: int,
    feature_mean: np.ndarray,
    feature_scale: np.ndarray,
    seed: int,
    device,
    hidden_size: int,
    num_layers: int,
    n_classes: int | None,
    class_separation: float,
    optimizer,
    lr: float | None,
    max_epochs: int,
    batch_size: int,
    n_iter_no_change: int | None,
    tol: float,
    n_train: int | None,
    verbose: int,
) -> AutoencoderNet:
    """The unfitted :class:`AutoencoderNet` of LatentADASYN's parameters.

    Early stopping (:class:`PlateauStopping`) compares the loss's medians over windows
    of ``n_iter_no_change`` passes, or of as many passes as make ``PATIENCE_STEPS``
    optimisation steps if that is fewer (at least 2), and never stops before
    ``MIN_STEPS`` steps; ``n_iter_no_change=None`` trains ``max_epochs`` passes.

    Parameters
    ----------
    n_features : int
        Features per time step.
    feature_mean, feature_scale : ndarray of shape (n_features,)
        The autoencoder's input standardisation.
    seed : int
        Seeds the batches' shuffling (one Generator for the whole fit).
    device : torch.device or str
        Where to train.
    hidden_size, num_layers : int
        The LSTMs' size (the code has ``hidden_size`` entries) and depth.
    n_classes : int or None
        Classes of the class head; None: no head.
    class_separation : float
        Weight of the class head's cross-entropy in the loss.
    optimizer : str or torch optimizer class
        As :func:`resolve_optimizer` reads it; Adam's default learning rate here is
        1e-2.
    lr : float or None
        None: the optimizer's default.
    max_epochs, batch_size : int
        Passes at most; sequences per batch.
    n_iter_no_change : int or None
        Early stopping's window in passes; None: no early stopping.
    tol : float
        Relative fall of the windowed loss that counts as progress.
    n_train : int or None
        Training sequences (sets the window in passes); None: ``n_iter_no_change``.
    verbose : int
        skorch's verbosity; at 0 early stopping prints nothing either.

    Returns
    -------
    net : AutoencoderNet
    """
    optimizer, default_lr, _ = resolve_optimizer(optimizer, adam_lr=1e-2)
    callbacks = []
    if n_iter_no_change is not None:
        window = n_iter_no_change
        if n_train is not None:
            passes = math.ceil(PATIENCE_STEPS / math.ceil(n_train / batch_size))
            window = min(window, max(2, passes))
        stopping = PlateauStopping(
            window, min_steps=MIN_STEPS, tol=tol, sink=write_line if verbose else _silent
        )
        callbacks.append(("early_stopping", stopping))
    head = {} if n_classes is None else {"module__n_classes": n_classes}
    return AutoencoderNet(
        module=LatentAutoencoder,
        module__n_features=n_features,
        module__hidden_size=hidden_size,
        module__num_layers=num_layers,
        module__feature_mean=feature_mean,
        module__feature_scale=feature_scale,
        **head,
        class_separation=class_separation,
        criterion=MaskedMSELoss,
        optimizer=optimizer,
        lr=default_lr if lr is None else lr,
        max_epochs=max_epochs,
        batch_size=batch_size,
        iterator_train=LengthBucketedLoader,
        iterator_train__rng=np.random.default_rng(seed),
        train_split=None,
        callbacks=callbacks,
        device=str(device),
        verbose=verbose,
    )


def encode_sequences(
    module: LatentAutoencoder, values: np.ndarray, lengths: np.ndarray, batch_size: int = 256
) -> np.ndarray:
    """The latent code of every sequence (length-sorted batches, no gradient).

    Parameters
    ----------
    module : LatentAutoencoder
    values : ndarray of shape (n, steps, n_features)
        Post-padded with zeros, in the data's units.
    lengths : ndarray of shape (n,)
    batch_size : int, default=256

    Returns
    -------
    codes : ndarray of shape (n, code_size)
    """
    device = module.feature_mean.device
    codes = np.empty((len(values), module.code_size))
    with torch.no_grad():
        for idx, x, lens in iter_batches(values, lengths, batch_size, device):
            codes[idx] = module.encode(x, lens).cpu().numpy()
    return codes


def decode_codes(
    module: LatentAutoencoder,
    codes: np.ndarray,
    lengths: np.ndarray,
    n_features: int,
    dtype=np.float64,
    batch_size: int = 256,
) -> np.ndarray:
    """Sequences of the given lengths from latent codes, in the data's units.

    Decoded in length-sorted batches (no gradient) straight into the output array.

    Parameters
    ----------
    module : LatentAutoencoder
    codes : ndarray of shape (n, code_size)
    lengths : ndarray of shape (n,)
        The length of each decoded sequence.
    n_features : int
    dtype : dtype, default=np.float64
        The output's dtype.
    batch_size : int, default=256

    Returns
    -------
    values : ndarray of shape (n, max(lengths), n_features)
        Zero at padding steps.
    """
    device = module.feature_mean.device
    out = np.zeros((len(codes), int(lengths.max()), n_features), dtype=dtype)
    with torch.no_grad():
        for idx in length_bucketed_batches(lengths, batch_size):
            lens = torch.as_tensor(lengths[idx])
            decoded = module.decode(to_tensor(codes[idx], device), lens)
            out[idx, : decoded.shape[1]] = decoded.cpu().numpy()
    return out
