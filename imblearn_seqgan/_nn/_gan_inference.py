"""What a trained SequenceGAN is used for: new sequences, critic scores and
reconstruction errors, streamed in length-bucketed batches."""

from __future__ import annotations

import numpy as np
import torch

from ._batching import length_bucketed_batches
from ._modules import length_mask
from ._utils import to_tensor, torch_seed

__all__ = ["GANInferenceMixin"]


class GANInferenceMixin:
    """``generate``, ``critic_score`` and ``reconstruction_error`` of a trained
    :class:`~imblearn_seqgan._nn.SequenceGAN`.

    They run on ``device_`` when it is available and on the CPU otherwise (a
    GAN trained on a GPU and unpickled on a machine without one).
    """

    def _critic_at_real_codes(self, batch):
        codes = self.get_codes(batch, noisy=False)
        return self.critic_(codes[0], batch.lengths, codes[1])

    def _inference_device(self):
        device = self.device_
        if device.type == "cuda" and not torch.cuda.is_available():
            device = torch.device("cpu")
        for module in self._gan_modules():
            module.to(device)
        return device

    def _per_sample(self, values, lengths, labels, batch_size, fn):
        values = np.asarray(values)
        lengths = np.asarray(lengths, dtype=np.int64)
        labels = None if labels is None else np.asarray(labels, dtype=np.int64)
        device = self._inference_device()
        out = np.empty(len(lengths), dtype=np.float64)
        with torch.no_grad():
            for idx in length_bucketed_batches(lengths, batch_size):
                batch = self.make_batch(values, lengths, labels, idx, device)
                out[idx] = fn(batch).double().cpu().numpy()
        return out

    def _reconstruction_errors(self, batch):
        codes = self.get_codes(batch, noisy=False)
        return self.get_autoencoder_loss(batch, codes, reduction="none")

    def critic_score(self, values, lengths, labels=None, batch_size=1024):
        """Critic output at each sequence's real code (z = 0); higher = more real.

        Parameters
        ----------
        values : ndarray of shape (n, max_length, n_features)
            Post-padded with zeros, in the data's units.
        lengths : ndarray of shape (n,)
        labels : int ndarray of shape (n, L), optional
            Label sequences as class indices (when the GAN was fitted on some).
        batch_size : int, default=1024
            Sequences per batch.

        Returns
        -------
        scores : ndarray of shape (n,), float64
        """
        return self._per_sample(values, lengths, labels, batch_size, self._critic_at_real_codes)

    def reconstruction_error(self, values, lengths, labels=None, batch_size=1024):
        """Autoencoder error per sequence: mean squared error over its valid steps
        and features in standardised units (plus label cross-entropy).

        Parameters
        ----------
        values, lengths, labels, batch_size
            As in :meth:`critic_score`.

        Returns
        -------
        errors : ndarray of shape (n,), float64
        """
        return self._per_sample(values, lengths, labels, batch_size, self._reconstruction_errors)

    def pooled_codes(self, values, lengths, labels=None, batch_size=1024):
        """Each sequence's real code (z = 0) averaged over its valid steps: one
        vector per sequence, where neighbours are looked for.

        Parameters
        ----------
        values, lengths, labels, batch_size
            As in :meth:`critic_score`.

        Returns
        -------
        pooled : ndarray of shape (n, hidden_size), float64
        """
        values = np.asarray(values)
        lengths = np.asarray(lengths, dtype=np.int64)
        labels = None if labels is None else np.asarray(labels, dtype=np.int64)
        device = self._inference_device()
        out = np.empty((len(lengths), self.hidden_size), dtype=np.float64)
        with torch.no_grad():
            for idx in length_bucketed_batches(lengths, batch_size):
                batch = self.make_batch(values, lengths, labels, idx, device)
                codes = self.get_codes(batch, noisy=False)[0]
                mask = length_mask(batch.lengths, codes.shape[1], device)[:, :, None]
                pooled = (codes * mask).sum(1) / batch.lengths.to(device)[:, None]
                out[idx] = pooled.double().cpu().numpy()
        return out

    def generate(
        self,
        values,
        lengths,
        labels=None,
        n_per_sample=1,
        rng=None,
        sources=None,
        batch_size=1024,
        dtype=np.float32,
        partners=None,
        weights=None,
        decode="sequence",
    ):
        """Decode new codes of real sequences into new sequences (streamed in batches).

        The new code of a synthetic sequence is its source's code with noise z
        (the paper), or, with ``partners``, a point between its source's real
        code and its partner's (the partner's code resampled in time to the
        source's length): ``c_s + w (c_p - c_s)``.

        Parameters
        ----------
        values, lengths, labels
            The source sequences (usually the training ones), as in
            :meth:`critic_score`.
        n_per_sample : int, default=1
            Synthetic sequences per source (ignored when ``sources`` is given).
        rng : None, int, RandomState or numpy Generator
            Seeds the noise z.
        sources : int ndarray, optional
            Index of the source of each synthetic sequence (repeats allowed).
        batch_size : int, default=1024
            Sources per batch; memory stays near the output's size.
        dtype : numpy dtype, default=float32
            dtype of the returned values.
        partners : int ndarray of shape (n_new,), optional
            Index of each synthetic sequence's partner (needs ``sources``); no
            noise is drawn then.
        weights : float ndarray of shape (n_new,), optional
            The interpolation weight ``w`` of each synthetic sequence (with
            ``partners``).
        decode : {"sequence", "change"}, default="sequence"
            ``"sequence"``: the decoded new code is the new sequence.
            ``"change"``: the source plus the change the new code makes to the
            decoded source, ``x_s + D(c_new) - D(c_s)``: the source's detail,
            which the decoder smooths away, is kept.

        Returns
        -------
        new_values : ndarray of shape (n_new, max source length, n_features)
            Post-padded with zeros, in the original (unstandardised) units.
        new_lengths : ndarray of shape (n_new,)
            Each synthetic sequence has its source's length.
        new_labels : int ndarray of shape (n_new, L) or None
            Decoded label sequences (argmax per step).
        sources : ndarray of shape (n_new,)
            Index of each synthetic sequence's source.
        """
        values = np.asarray(values)
        lengths = np.asarray(lengths, dtype=np.int64)
        labels = None if labels is None else np.asarray(labels, dtype=np.int64)
        if sources is None:
            sources = np.repeat(np.arange(len(lengths)), n_per_sample)
        sources = np.asarray(sources, dtype=np.intp)
        device = self._inference_device()
        noise = None
        if partners is None:
            if isinstance(rng, np.random.Generator):
                seed = int(rng.integers(0, 2**62))
            else:
                seed = torch_seed(rng)
            noise = torch.Generator(device=device)
            noise.manual_seed(seed)
        else:
            partners = np.asarray(partners, dtype=np.intp)
            weights = np.asarray(weights, dtype=np.float64)
        new_lengths = lengths[sources]
        n_new = len(sources)
        longest = int(new_lengths.max(initial=1))
        new_values = np.zeros((n_new, longest, self.n_features_), dtype=dtype)
        new_labels = None if labels is None else np.zeros((n_new, labels.shape[1]), np.int64)
        mean = to_tensor(self.mean_, device)
        scale = to_tensor(self.scale_, device)
        with torch.no_grad():
            for rows in length_bucketed_batches(new_lengths, batch_size):
                batch = self.make_batch(values, lengths, labels, sources[rows], device)
                if partners is None:
                    codes = self.get_codes(batch, noisy=True, generator=noise)
                else:
                    codes = self._interpolated_codes(
                        batch, values, lengths, labels, partners[rows], weights[rows], device
                    )
                x_hat, y_logits = self.decoder_(codes[0], batch.lengths, codes[1])
                if decode == "change":
                    real = self.get_codes(batch, noisy=False)
                    x_hat = batch.x + x_hat - self.decoder_(real[0], batch.lengths, real[1])[0]
                x_hat = (x_hat * scale + mean) * length_mask(
                    batch.lengths, x_hat.shape[1], device
                )[:, :, None]
                if not torch.isfinite(x_hat).all():
                    raise FloatingPointError(
                        "The generator produced non-finite values; the GAN is "
                        "unusable (retrain with lower learning rates)."
                    )
                new_values[rows, : x_hat.shape[1]] = x_hat.cpu().numpy()
                if new_labels is not None:
                    new_labels[rows] = y_logits.argmax(dim=2).cpu().numpy()
        return new_values, new_lengths, new_labels, sources

    def _interpolated_codes(self, batch, values, lengths, labels, partners, weights, device):
        """``c_s + w (c_p - c_s)`` for the batch's sources ``s`` and their partners
        ``p``, the partners' codes resampled in time to their sources' lengths."""
        source_codes = self.get_codes(batch, noisy=False)
        partner_batch = self.make_batch(values, lengths, labels, partners, device)
        partner_codes = self.get_codes(partner_batch, noisy=False)
        w = torch.as_tensor(weights, dtype=source_codes[0].dtype, device=device)[:, None, None]
        x_code = _resample_in_time(
            partner_codes[0], partner_batch.lengths, batch.lengths, source_codes[0].shape[1]
        )
        mixed = [source_codes[0] + w * (x_code - source_codes[0])]
        # label codes run over the label sequence, the same length for every sequence
        if source_codes[1] is None:
            mixed.append(None)
        else:
            mixed.append(source_codes[1] + w * (partner_codes[1] - source_codes[1]))
        return tuple(mixed)


def _resample_in_time(codes, from_lengths, to_lengths, n_steps):
    """Each row's valid steps (``from_lengths``) linearly resampled to ``to_lengths``
    steps, post-padded to ``n_steps``; the first and last steps are kept."""
    device = codes.device
    from_lengths = from_lengths.to(device)
    to_lengths = to_lengths.to(device)
    t = torch.arange(n_steps, device=device, dtype=codes.dtype)[None, :]
    span = (to_lengths[:, None] - 1).clamp(min=1).to(codes.dtype)
    position = (t / span).clamp(max=1.0) * (from_lengths[:, None] - 1).to(codes.dtype)
    low = position.floor().long()
    high = torch.minimum(low + 1, from_lengths[:, None] - 1)
    frac = (position - low.to(codes.dtype))[:, :, None]
    size = codes.shape[2]
    at_low = codes.gather(1, low[:, :, None].expand(-1, -1, size))
    at_high = codes.gather(1, high[:, :, None].expand(-1, -1, size))
    return at_low * (1 - frac) + at_high * frac
