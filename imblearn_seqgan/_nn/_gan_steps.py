"""The optimisation steps of :class:`~imblearn_seqgan._nn.SequenceGAN` (paper
eq. 1) and what they share: the standardised batch, codes, critic scores, the
penalty.

A mixin of the net, as :mod:`._gan_inference` is: it reads the net's modules
(``module_`` the generator, ``critic_``, ``decoder_``), optimizers, ``criterion_``
and parameters (``mu``, ``lambda_gp``, ``gp_every``...). ``train_step`` runs a
generator, a critic and a decoder step in turn, one per batch; each step reads its
own batch and returns its losses as scalar tensors left on the device. The
critic's penalty is either a finite difference of the critic along the real-fake
direction, scored in the same critic call as the real and fake codes
(first-order backward only, the default), or the exact gradient norm (a
second-order gradient, taken with cuDNN off).
"""

from __future__ import annotations

import contextlib

import numpy as np
import torch
from torch.nn import functional as F

from ._batching import trim_batch
from ._modules import length_mask
from ._utils import to_tensor

__all__ = ["GANStepsMixin"]

# the finite-difference penalty's step, as a share of the real-fake distance
_FD_STEP = 0.05


class _Batch:
    """One trimmed, standardised batch on the device."""

    __slots__ = ("x", "lengths", "y", "y_onehot")

    def __init__(self, x, lengths, y, y_onehot):
        self.x, self.lengths, self.y, self.y_onehot = x, lengths, y, y_onehot

    def __len__(self):
        return self.x.shape[0]


class GANStepsMixin:
    """Generator, critic and decoder steps of a :class:`SequenceGAN`."""

    _STEP_KINDS = ("generator", "critic", "decoder")

    def _fit_scaler(self, values, lengths):
        # per-feature standardisation over the valid steps
        mask = np.arange(values.shape[1]) < lengths[:, None]
        valid = values[mask]
        self.mean_ = valid.mean(axis=0).astype(np.float32)
        scale = valid.std(axis=0).astype(np.float32)
        self.scale_ = np.where(scale > 1e-12, scale, 1.0).astype(np.float32)

    def make_batch(self, values, lengths, labels, idx, device):
        """The sequences ``idx`` as a standardised, trimmed batch on ``device``."""
        x, lens = trim_batch(values, lengths, idx, device)
        mean = to_tensor(self.mean_, device)
        scale = to_tensor(self.scale_, device)
        x = (x - mean) / scale * length_mask(lens, x.shape[1], device)[:, :, None]
        if labels is None:
            return _Batch(x, lens, None, None)
        y = torch.as_tensor(labels[idx], dtype=torch.long, device=device)
        return _Batch(x, lens, y, F.one_hot(y, self.n_label_classes_).float())

    def train_step(self, batch, **fit_params):
        """One optimisation step: generator, critic and decoder in turn.

        Parameters
        ----------
        batch : _Batch
            From :meth:`get_iterator`.
        **fit_params : dict
            Unused.

        Returns
        -------
        step : dict
            ``loss`` and the step's losses, scalar tensors left on the device.
        """
        kind = self._STEP_KINDS[self.steps_ % 3]
        out = getattr(self, f"train_step_{kind}")(batch, self.steps_)
        self.steps_ += 1
        return out

    def get_codes(self, batch, noisy, generator=None):
        """The batch's real (``noisy=False``: z = 0) or fake codes."""
        z = None
        if noisy:
            z = self.module_.noise(batch.x.shape[0], batch.x.device, generator)
        return self.module_(batch.x, batch.lengths, batch.y_onehot, z)

    def get_autoencoder_loss(self, batch, codes, reduction="mean"):
        """The criterion on the decoded ``codes`` against the batch."""
        x_hat, y_logits = self.decoder_(codes[0], batch.lengths, codes[1])
        return self.criterion_(x_hat, y_logits, batch.x, batch.lengths, batch.y, reduction)

    def _noisy(self, codes, sigma):
        if sigma <= 0:
            return codes
        return tuple(None if c is None else c + sigma * torch.randn_like(c) for c in codes)

    def _cudnn_off(self):
        # cuDNN's LSTM has no double backward: the penalty pass runs without it.
        if self.device_.type == "cuda":
            return torch.backends.cudnn.flags(enabled=False)
        return contextlib.nullcontext()

    def get_penalty_points(self, real, fake):
        """The codes where the penalty is taken (``gradient_penalty``): random
        interpolates of each sequence's real and fake code, or the real code."""
        if self.gradient_penalty == "real":
            return real
        eps = torch.rand(real[0].shape[0], 1, 1, device=real[0].device)
        return tuple(
            None if r is None else eps * r + (1 - eps) * f for r, f in zip(real, fake, strict=True)
        )

    def get_gradient_penalty(self, batch, real, fake, detach=True):
        """Exact penalty ``mean((||∇D|| - 1)^2)`` at the penalty points (a double
        backward through the critic, with cuDNN off); ``detach=False`` keeps the
        points' graph, so the penalty reaches the generator too."""
        points = self.get_penalty_points(real, fake)
        inputs = [
            p.detach().requires_grad_(True) if detach else p for p in points if p is not None
        ]
        with self._cudnn_off():
            score = self.critic_(inputs[0], batch.lengths, *inputs[1:])
            grads = torch.autograd.grad(score.sum(), inputs, create_graph=True)
        sq = sum(g.pow(2).sum(dim=(1, 2)) for g in grads)
        return ((torch.sqrt(sq + 1e-12) - 1) ** 2).mean()

    def get_finite_difference_points(self, real, fake):
        """The points ``p + h u`` and ``p - h u`` of the finite-difference penalty
        and their distance ``2h``, per sequence (``u``: the unit direction from the
        fake to the real code, ``h``: ``_FD_STEP`` times their distance)."""
        points = self.get_penalty_points(real, fake)
        diffs = [None if r is None else r - f for r, f in zip(real, fake, strict=True)]
        dist = torch.sqrt(sum(d.pow(2).sum(dim=(1, 2)) for d in diffs if d is not None))
        pairs = list(zip(points, diffs, strict=True))
        plus = tuple(None if p is None else p + _FD_STEP * d for p, d in pairs)
        minus = tuple(None if p is None else p - _FD_STEP * d for p, d in pairs)
        # floor: a vanishing real-fake distance would only amplify rounding
        return plus, minus, 2 * _FD_STEP * dist.clamp_min(1e-3)

    def current_instance_noise(self, step):
        """Std of the instance noise at optimisation step ``step``."""
        horizon = self.noise_decay * getattr(self, "budget_steps_", self.max_steps)
        if horizon <= 0:
            return 0.0
        return float(self.instance_noise * max(0.0, 1.0 - step / horizon))

    @staticmethod
    def _requires_grad(module, flag):
        for p in module.parameters():
            p.requires_grad_(flag)

    # ----------------------------------------------------------- train steps
    def get_code_pair(self, batch):
        """Real (z = 0) and fake (z ~ N(0, I)) codes of the same batch.

        One generator call on the batch stacked twice: half the sequential LSTM
        steps of two calls, which is what costs on CPU.
        """
        n = batch.x.shape[0]
        z = self.module_.noise(n, batch.x.device)
        z = torch.cat([torch.zeros_like(z), z], dim=1)
        y = None if batch.y_onehot is None else torch.cat([batch.y_onehot] * 2)
        codes = self.module_(torch.cat([batch.x, batch.x]), torch.cat([batch.lengths] * 2), y, z)
        real = tuple(None if c is None else c[:n] for c in codes)
        fake = tuple(None if c is None else c[n:] for c in codes)
        return real, fake

    def get_critic_pair(self, batch, real, fake, *more):
        """Critic scores of real and fake codes (and of any ``more`` code
        tuples of the same batch), in one critic call on all of them."""
        sets = (real, fake, *more)
        n = real[0].shape[0]
        hy = None if real[1] is None else torch.cat([c[1] for c in sets])
        hx = torch.cat([c[0] for c in sets])
        scores = self.critic_(hx, torch.cat([batch.lengths] * len(sets)), hy)
        return scores.split(n)

    def train_step_generator(self, batch, step):
        """Encoder update on the adversarial and μ-weighted autoencoder terms.

        Returns
        -------
        out : dict
            ``loss`` and ``generator_loss`` (the same scalar tensor).
        """
        self._requires_grad(self.critic_, False)
        self._requires_grad(self.decoder_, False)
        opt = self.optimizer_
        opt.zero_grad(set_to_none=True)
        sigma = self.current_instance_noise(step)
        real, fake = self.get_code_pair(batch)
        noisy = self._noisy(real, sigma), self._noisy(fake, sigma)
        d_real, d_fake = self.get_critic_pair(batch, *noisy)
        ae = self.get_autoencoder_loss(batch, real)
        loss = d_real.mean() - d_fake.mean() + self.mu * ae
        backward_context = contextlib.nullcontext()
        # the paper's "all terms" (off by default, as in the authors' code)
        if self.generator_penalty and self.lambda_gp > 0 and (step // 3) % self.gp_every == 0:
            gp = self.get_generator_penalty(batch, *noisy)
            loss = loss + self.lambda_gp * self.gp_every * gp
            if self.penalty_estimate == "exact":
                backward_context = self._cudnn_off()
        with backward_context:
            loss.backward()
        opt.step()
        self._requires_grad(self.critic_, True)
        self._requires_grad(self.decoder_, True)
        loss = loss.detach()
        return {"loss": loss, "generator_loss": loss}

    def get_generator_penalty(self, batch, real, fake):
        """The penalty (``penalty_estimate``) at the penalty points of the codes
        ``real`` and ``fake``, differentiable in the generator's weights (the
        critic's are frozen in the generator's step)."""
        if self.penalty_estimate == "finite_difference":
            plus, minus, width = self.get_finite_difference_points(real, fake)
            d_plus, d_minus = self.get_critic_pair(batch, plus, minus)
            return ((d_plus - d_minus) / width - 1).pow(2).mean()
        return self.get_gradient_penalty(batch, real, fake, detach=False)

    def train_step_critic(self, batch, step):
        """Critic update on the adversarial and (lazy) penalty terms of eq. (1).

        Returns
        -------
        out : dict
            ``loss``, ``critic_loss``, ``wasserstein`` and, on the steps that
            compute it, ``gradient_penalty`` (scalar tensors on the device).
        """
        opt = self.optimizer_critic_
        opt.zero_grad(set_to_none=True)
        sigma = self.current_instance_noise(step)
        self.critic_steps_ += 1
        penalise = self.lambda_gp > 0 and self.critic_steps_ % self.gp_every == 0
        finite_difference = penalise and self.penalty_estimate == "finite_difference"
        with torch.no_grad():
            real, fake = self.get_code_pair(batch)
            real, fake = self._noisy(real, sigma), self._noisy(fake, sigma)
            if finite_difference:
                plus, minus, width = self.get_finite_difference_points(real, fake)
        if finite_difference:
            d_real, d_fake, d_plus, d_minus = self.get_critic_pair(batch, real, fake, plus, minus)
        else:
            d_real, d_fake = self.get_critic_pair(batch, real, fake)
        wasserstein = d_real.mean() - d_fake.mean()
        # drift term (Karras et al. 2018, not in eq. 1) keeps critic values near zero
        loss = -wasserstein + self.drift_weight * (d_real**2).mean()
        out = {"wasserstein": wasserstein.detach()}
        backward_context = contextlib.nullcontext()
        if finite_difference:
            gp = ((d_plus - d_minus) / width - 1).pow(2).mean()
        elif penalise:
            gp = self.get_gradient_penalty(batch, real, fake)
            # the double backward runs here: keep cuDNN off for it as well
            backward_context = self._cudnn_off()
        if penalise:
            loss = loss + self.lambda_gp * self.gp_every * gp
            out["gradient_penalty"] = gp.detach()
        with backward_context:
            loss.backward()
        opt.step()
        out["loss"] = out["critic_loss"] = loss.detach()
        return out

    def train_step_decoder(self, batch, step):
        """Decoder update on the autoencoder term; the shared encoder is fixed.

        Returns
        -------
        out : dict
            ``loss`` and ``autoencoder_loss`` (the same scalar tensor).
        """
        opt = self.optimizer_decoder_
        opt.zero_grad(set_to_none=True)
        with torch.no_grad():
            real = self.get_codes(batch, noisy=False)
        loss = self.get_autoencoder_loss(batch, real)
        loss.backward()
        opt.step()
        loss = loss.detach()
        return {"loss": loss, "autoencoder_loss": loss}
