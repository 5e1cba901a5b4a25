"""The paper's GAN with autoencoder (section 2.2.1, eq. 1) and its trainer.

Modules
-------
* :class:`CodeGenerator`: LSTM encoder over x (and, with label sequences, an LSTM
  over the one-hot labels that also reads the x summary); noise z enters as the
  initial cell state. z = 0 gives the real code, z ~ N(0, I) a fake one.
* :class:`CodeCritic`: bidirectional LSTM over the codes, dense head, one number.
* :class:`CodeDecoder`: the autoencoder's decoder, codes -> x (and label logits).

Trainer
-------
:class:`SequenceGAN` fits the three on sequences (one model for all the
sequences it is given) and exposes ``generate``, ``critic_score`` and
``reconstruction_error`` for the over-sampler and the novelty detector.

Why not skorch's ``NeuralNet``: its ``train_step`` is one optimizer stepping one
loss. This scheme steps three optimizers on three different batches, and the
critic's loss needs a second-order gradient (the penalty) taken with cuDNN
disabled; forcing that into ``NeuralNet`` means overriding ``train_step``,
``get_loss``, ``initialize_optimizer`` and the batch iterator, i.e. all of it.
skorch's :class:`~skorch.history.History` records the per-epoch losses.
"""

from __future__ import annotations

import contextlib
import copy
import math
import time

import numpy as np
import torch
from skorch.history import History
from torch import nn
from torch.nn import functional as F

from ._batching import length_bucketed_batches, trim_batch
from ._modules import (
    SequenceDecoder,
    SequenceEncoder,
    length_mask,
    masked_cross_entropy,
    masked_mse,
)
from ._utils import resolve_device, seeded, to_tensor, torch_seed

__all__ = ["CodeGenerator", "CodeCritic", "CodeDecoder", "SequenceGAN"]


class CodeGenerator(nn.Module):
    """Generator G(z, x, y) -> (h_x, h_y): the codes the critic and decoder read.

    Parameters
    ----------
    n_features : int
    hidden_size : int
    num_layers : int
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
        """z ~ N(0, I) of shape (num_layers, batch, hidden_size)."""
        return torch.randn(
            self.num_layers,
            batch_size,
            self.hidden_size,
            device=device,
            generator=generator,
        )

    def forward(self, x, lengths, y_onehot=None, z=None):
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
    """Critic D(h_x, h_y) -> one real number per sequence (WGAN, no sigmoid)."""

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
        _, summary = self.encoder(hx, lengths)
        if self.label_encoder is not None:
            full = torch.full((hy.shape[0],), hy.shape[1], dtype=torch.long)
            _, summary_y = self.label_encoder(hy, full)
            summary = torch.cat([summary, summary_y], dim=1)
        return self.head(summary)[:, 0]


class CodeDecoder(nn.Module):
    """The autoencoder's decoder: codes -> x (and per-step label logits)."""

    def __init__(self, code_size, hidden_size, n_features, num_layers, n_classes=0):
        super().__init__()
        self.x_decoder = SequenceDecoder(code_size, hidden_size, n_features, num_layers)
        self.y_decoder = (
            SequenceDecoder(code_size, hidden_size, n_classes, num_layers) if n_classes else None
        )

    def forward(self, hx, lengths, hy=None):
        x_hat = self.x_decoder(hx, lengths)
        if self.y_decoder is None:
            return x_hat, None
        full = torch.full((hy.shape[0],), hy.shape[1], dtype=torch.long)
        return x_hat, self.y_decoder(hy, full)


class _Batch:
    """One trimmed, standardised batch on the device."""

    __slots__ = ("x", "lengths", "y", "y_onehot")

    def __init__(self, x, lengths, y, y_onehot):
        self.x, self.lengths, self.y, self.y_onehot = x, lengths, y, y_onehot


class SequenceGAN:
    """WGAN-GP with autoencoder on variable-length sequences (paper eq. 1).

    Plain trainer object (not a scikit-learn estimator): the estimators own the
    validation and pass it ``Sequences.values`` / ``Sequences.lengths``.

    Parameters
    ----------
    hidden_size : int, default=64
        Code size (generator LSTM units); the decoder uses the same.
    num_layers : int, default=2
        Layers of the generator and decoder LSTMs.
    critic_hidden_size : int, optional
        Units per direction of the critic's bidirectional LSTM; default
        ``hidden_size // 2``.
    lambda_gp : float, default=10.0
        Gradient-penalty weight λ.
    mu : float, default=10.0
        Autoencoder weight μ in the generator's loss.
    gradient_penalty : {"interpolates", "real"}, default="interpolates"
        Where the penalty ``(||∇D|| - 1)^2`` is taken: on random interpolates of
        paired real and fake codes (Gulrajani et al.) or at the real code (the
        paper's eq. 1). Interpolates constrain the critic where the generator
        reads its gradient (between real and fake codes); at real codes only,
        the critic may grow arbitrarily steep around the fake ones.
    gp_every : int, default=4
        Lazy regularisation: the penalty is computed every ``gp_every``-th
        critic step with weight ``lambda_gp * gp_every`` (NOTES.md: the double
        backward through the LSTM critic costs ~10x its forward + backward).
    lr_generator, lr_critic, lr_decoder : float, default=2e-3, 5e-4, 2e-3
        Adam learning rates; the critic's is lower than the generator's (paper).
    betas : tuple, default=(0.5, 0.9)
        Adam betas (the paper's code).
    batch_size : int, default=64
    max_steps : int, default=900
        Training budget in optimisation steps (generator, critic and decoder
        steps together; each kind gets a third). Counting steps rather than
        epochs makes the budget independent of the data size.
    instance_noise : float, default=1.0
        Std of Gaussian noise added to the codes the critic reads; decays
        linearly to 0 at ``noise_decay * max_steps`` steps.
    noise_decay : float, default=0.5
    device : str, default="auto"
    random_state : None, int or RandomState
    verbose : int, default=0
        > 0 shows a tqdm progress bar over the steps with the latest losses.
    max_restarts : int, default=3
        Divergence guard: on a non-finite loss, the modules and optimizers
        return to the start of the epoch, learning rates are halved and the
        epoch is retried; after ``max_restarts`` such retries a
        ``FloatingPointError`` is raised. Generation never returns NaN.

    Attributes
    ----------
    history_ : skorch.history.History
        One row per epoch (a pass over the data, at least three batches):
        ``critic_loss``, ``generator_loss``, ``autoencoder_loss``,
        ``wasserstein`` (critic estimate D(real) - D(fake)),
        ``gradient_penalty``, ``instance_noise``, ``steps``, ``dur``.
        E.g. ``history_[:, "autoencoder_loss"]``.
    n_steps_ : int
    device_ : torch.device
    generator_, critic_, decoder_ : torch modules
    """

    _STEP_KINDS = ("generator", "critic", "decoder")

    def __init__(
        self,
        *,
        hidden_size=64,
        num_layers=2,
        critic_hidden_size=None,
        lambda_gp=10.0,
        mu=10.0,
        gradient_penalty="interpolates",
        gp_every=4,
        lr_generator=2e-3,
        lr_critic=5e-4,
        lr_decoder=2e-3,
        betas=(0.5, 0.9),
        batch_size=64,
        max_steps=900,
        instance_noise=1.0,
        noise_decay=0.5,
        device="auto",
        random_state=None,
        verbose=0,
        max_restarts=3,
    ):
        self.hidden_size = hidden_size
        self.num_layers = num_layers
        self.critic_hidden_size = critic_hidden_size
        self.lambda_gp = lambda_gp
        self.mu = mu
        self.gradient_penalty = gradient_penalty
        self.gp_every = gp_every
        self.lr_generator = lr_generator
        self.lr_critic = lr_critic
        self.lr_decoder = lr_decoder
        self.betas = betas
        self.batch_size = batch_size
        self.max_steps = max_steps
        self.instance_noise = instance_noise
        self.noise_decay = noise_decay
        self.device = device
        self.random_state = random_state
        self.verbose = verbose
        self.max_restarts = max_restarts

    # ------------------------------------------------------------------ setup
    def initialize_module(self):
        n_classes = self.n_label_classes_
        h = self.hidden_size
        self.generator_ = CodeGenerator(self.n_features_, h, self.num_layers, n_classes).to(
            self.device_
        )
        self.critic_ = CodeCritic(
            h, self.critic_hidden_size or max(1, h // 2), with_labels=bool(n_classes)
        ).to(self.device_)
        self.decoder_ = CodeDecoder(h, h, self.n_features_, self.num_layers, n_classes).to(
            self.device_
        )

    def initialize_optimizer(self):
        adam = torch.optim.Adam
        self.optimizers_ = {
            "generator": adam(
                self.generator_.parameters(), lr=self.lr_generator, betas=self.betas
            ),
            "critic": adam(self.critic_.parameters(), lr=self.lr_critic, betas=self.betas),
            "decoder": adam(self.decoder_.parameters(), lr=self.lr_decoder, betas=self.betas),
        }

    def _fit_scaler(self, values, lengths):
        mask = np.arange(values.shape[1]) < lengths[:, None]
        valid = values[mask]
        self.mean_ = valid.mean(axis=0).astype(np.float32)
        scale = valid.std(axis=0).astype(np.float32)
        self.scale_ = np.where(scale > 1e-12, scale, 1.0).astype(np.float32)

    def _make_batch(self, values, lengths, labels, idx, device):
        x, lens = trim_batch(values, lengths, idx, device)
        mean = to_tensor(self.mean_, device)
        scale = to_tensor(self.scale_, device)
        x = (x - mean) / scale * length_mask(lens, x.shape[1], device)[:, :, None]
        if labels is None:
            return _Batch(x, lens, None, None)
        y = torch.as_tensor(labels[idx], dtype=torch.long, device=device)
        return _Batch(x, lens, y, F.one_hot(y, self.n_label_classes_).float())

    # --------------------------------------------------------------- pieces
    def get_codes(self, batch, noisy, generator=None):
        z = None
        if noisy:
            z = self.generator_.noise(batch.x.shape[0], batch.x.device, generator)
        return self.generator_(batch.x, batch.lengths, batch.y_onehot, z)

    def get_autoencoder_loss(self, batch, codes, reduction="mean"):
        x_hat, y_logits = self.decoder_(codes[0], batch.lengths, codes[1])
        loss = masked_mse(x_hat, batch.x, batch.lengths, reduction=reduction)
        if y_logits is not None:
            loss = loss + masked_cross_entropy(y_logits, batch.y, reduction=reduction)
        return loss

    def _noisy(self, codes, sigma):
        if sigma <= 0:
            return codes
        return tuple(None if c is None else c + sigma * torch.randn_like(c) for c in codes)

    def _cudnn_off(self):
        # cuDNN's LSTM has no double backward: the penalty pass runs without it.
        if self.device_.type == "cuda":
            return torch.backends.cudnn.flags(enabled=False)
        return contextlib.nullcontext()

    def get_gradient_penalty(self, batch, real, fake):
        if self.gradient_penalty == "real":
            points = [c for c in real]
        else:
            eps = torch.rand(real[0].shape[0], 1, 1, device=real[0].device)
            points = [
                None if r is None else eps * r + (1 - eps) * f
                for r, f in zip(real, fake, strict=True)
            ]
        inputs = [p.detach().requires_grad_(True) for p in points if p is not None]
        with self._cudnn_off():
            score = self.critic_(inputs[0], batch.lengths, *inputs[1:])
            grads = torch.autograd.grad(score.sum(), inputs, create_graph=True)
        sq = sum(g.pow(2).sum(dim=(1, 2)) for g in grads)
        return ((torch.sqrt(sq + 1e-12) - 1) ** 2).mean()

    def current_instance_noise(self, step):
        horizon = self.noise_decay * self.max_steps
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
        z = self.generator_.noise(n, batch.x.device)
        z = torch.cat([torch.zeros_like(z), z], dim=1)
        y = None if batch.y_onehot is None else torch.cat([batch.y_onehot] * 2)
        codes = self.generator_(
            torch.cat([batch.x, batch.x]), torch.cat([batch.lengths] * 2), y, z
        )
        real = tuple(None if c is None else c[:n] for c in codes)
        fake = tuple(None if c is None else c[n:] for c in codes)
        return real, fake

    def get_critic_pair(self, batch, real, fake):
        """Critic scores of real and fake codes, in one call on both."""
        n = real[0].shape[0]
        hy = None if real[1] is None else torch.cat([real[1], fake[1]])
        scores = self.critic_(torch.cat([real[0], fake[0]]), torch.cat([batch.lengths] * 2), hy)
        return scores[:n], scores[n:]

    def train_step_generator(self, batch, step):
        """Encoder update on all terms of eq. (1): adversarial + μ · autoencoder."""
        self._requires_grad(self.critic_, False)
        self._requires_grad(self.decoder_, False)
        opt = self.optimizers_["generator"]
        opt.zero_grad(set_to_none=True)
        sigma = self.current_instance_noise(step)
        real, fake = self.get_code_pair(batch)
        d_real, d_fake = self.get_critic_pair(
            batch, self._noisy(real, sigma), self._noisy(fake, sigma)
        )
        ae = self.get_autoencoder_loss(batch, real)
        loss = d_real.mean() - d_fake.mean() + self.mu * ae
        loss.backward()
        opt.step()
        self._requires_grad(self.critic_, True)
        self._requires_grad(self.decoder_, True)
        return {"generator_loss": loss.item()}

    def train_step_critic(self, batch, step):
        """Critic update on the first three terms of eq. (1) (lazy penalty)."""
        opt = self.optimizers_["critic"]
        opt.zero_grad(set_to_none=True)
        sigma = self.current_instance_noise(step)
        with torch.no_grad():
            real, fake = self.get_code_pair(batch)
            real, fake = self._noisy(real, sigma), self._noisy(fake, sigma)
        d_real, d_fake = self.get_critic_pair(batch, real, fake)
        wasserstein = d_real.mean() - d_fake.mean()
        # small drift term (Karras et al. 2018) keeps critic values near zero
        loss = -wasserstein + 1e-3 * (d_real**2).mean()
        out = {"wasserstein": wasserstein.item()}
        self._critic_steps += 1
        backward_context = contextlib.nullcontext()
        if self.lambda_gp > 0 and self._critic_steps % self.gp_every == 0:
            gp = self.get_gradient_penalty(batch, real, fake)
            loss = loss + self.lambda_gp * self.gp_every * gp
            out["gradient_penalty"] = gp.item()
            # the double backward runs here: keep cuDNN off for it as well
            backward_context = self._cudnn_off()
        with backward_context:
            loss.backward()
        opt.step()
        out["critic_loss"] = loss.item()
        return out

    def train_step_decoder(self, batch, step):
        """Decoder update on the autoencoder term; the shared encoder is fixed."""
        opt = self.optimizers_["decoder"]
        opt.zero_grad(set_to_none=True)
        with torch.no_grad():
            real = self.get_codes(batch, noisy=False)
        loss = self.get_autoencoder_loss(batch, real)
        loss.backward()
        opt.step()
        return {"autoencoder_loss": loss.item()}

    @staticmethod
    def _with_lengths(codes, batch):
        return codes[0], batch.lengths, codes[1]

    # -------------------------------------------------------------------- fit
    def fit(self, values, lengths, labels=None, n_label_classes=None):
        """Train on sequences (and label sequences).

        Parameters
        ----------
        values : ndarray of shape (n, max_length, n_features)
            Post-padded with zeros (``Sequences.values``).
        lengths : ndarray of shape (n,)
        labels : int ndarray of shape (n, L), optional
            Label sequences as class indices ``0 .. n_label_classes - 1``.
        n_label_classes : int, optional
            Default ``labels.max() + 1``.

        Returns
        -------
        self
        """
        values = np.asarray(values, dtype=np.float32)
        lengths = np.asarray(lengths, dtype=np.int64)
        self.n_features_ = values.shape[2]
        if labels is not None:
            labels = np.asarray(labels, dtype=np.int64)
            self.n_label_classes_ = int(n_label_classes or labels.max() + 1)
            self.label_length_ = labels.shape[1]
        else:
            self.n_label_classes_ = 0
            self.label_length_ = 0
        self.device_ = resolve_device(self.device)
        self._fit_scaler(values, lengths)
        with seeded(self.random_state, self.device_) as seed:
            rng = np.random.default_rng(seed)
            self.initialize_module()
            self.initialize_optimizer()
            self._fit_loop(values, lengths, labels, rng)
        del self.optimizers_  # not needed after training; keeps pickles small
        for module in (self.generator_, self.critic_, self.decoder_):
            module.eval()
        return self

    def _batch_stream(self, lengths, rng):
        while True:
            yield from length_bucketed_batches(lengths, self.batch_size, rng=rng)

    def _snapshot(self):
        return copy.deepcopy(
            {
                "generator": self.generator_.state_dict(),
                "critic": self.critic_.state_dict(),
                "decoder": self.decoder_.state_dict(),
                "optimizers": {k: o.state_dict() for k, o in self.optimizers_.items()},
            }
        )

    def _restore(self, snapshot):
        self.generator_.load_state_dict(snapshot["generator"])
        self.critic_.load_state_dict(snapshot["critic"])
        self.decoder_.load_state_dict(snapshot["decoder"])
        for name, opt in self.optimizers_.items():
            opt.load_state_dict(snapshot["optimizers"][name])
            for group in opt.param_groups:
                group["lr"] *= 0.5

    def _fit_loop(self, values, lengths, labels, rng):
        from tqdm.auto import tqdm

        self.history_ = History()
        n_batches = math.ceil(len(lengths) / self.batch_size)
        batches_per_epoch = 3 * math.ceil(n_batches / 3)
        stream = self._batch_stream(lengths, rng)
        step, restarts = 0, 0
        self._critic_steps = 0
        for module in (self.generator_, self.critic_, self.decoder_):
            module.train()
        bar = tqdm(total=self.max_steps, disable=not self.verbose, unit="step")
        try:
            while step < self.max_steps:
                snapshot = self._snapshot() if self.max_restarts else None
                start_step, start = step, time.perf_counter()
                records = {}
                diverged = False
                for _ in range(batches_per_epoch):
                    if step >= self.max_steps:
                        break
                    batch = self._make_batch(values, lengths, labels, next(stream), self.device_)
                    kind = self._STEP_KINDS[step % 3]
                    out = getattr(self, f"train_step_{kind}")(batch, step)
                    step += 1
                    if not all(math.isfinite(v) for v in out.values()):
                        diverged = True
                        break
                    for key, value in out.items():
                        records.setdefault(key, []).append(value)
                if diverged:
                    restarts += 1
                    if snapshot is None or restarts > self.max_restarts:
                        raise FloatingPointError(
                            f"GAN training diverged (non-finite loss at step {step}) "
                            f"after {restarts - 1} restart(s) with halved learning "
                            "rates. Lower lr_generator/lr_critic, mu or lambda_gp, "
                            "or check the input scale."
                        )
                    self._restore(snapshot)
                    bar.update(start_step - step)
                    step = start_step
                    continue
                self.history_.new_epoch()
                self.history_.record("epoch", len(self.history_))
                for key in (
                    "critic_loss",
                    "generator_loss",
                    "autoencoder_loss",
                    "wasserstein",
                    "gradient_penalty",
                ):
                    vals = records.get(key)
                    self.history_.record(key, float(np.mean(vals)) if vals else None)
                self.history_.record("instance_noise", self.current_instance_noise(step))
                self.history_.record("steps", step)
                self.history_.record("restarts", restarts)
                self.history_.record("dur", time.perf_counter() - start)
                bar.update(step - start_step)
                bar.set_postfix(
                    critic=self.history_[-1, "critic_loss"],
                    ae=self.history_[-1, "autoencoder_loss"],
                    refresh=False,
                )
        finally:
            bar.close()
        self.n_steps_ = step

    # ------------------------------------------------------------- inference
    def _inference_device(self):
        device = self.device_
        if device.type == "cuda" and not torch.cuda.is_available():
            device = torch.device("cpu")
        for module in (self.generator_, self.critic_, self.decoder_):
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
                batch = self._make_batch(values, lengths, labels, idx, device)
                out[idx] = fn(batch).double().cpu().numpy()
        return out

    def critic_score(self, values, lengths, labels=None, batch_size=1024):
        """Critic output at each sequence's real code (z = 0); higher = more real.

        Returns
        -------
        scores : ndarray of shape (n,), float64
        """
        return self._per_sample(
            values,
            lengths,
            labels,
            batch_size,
            lambda b: self.critic_(*self._with_lengths(self.get_codes(b, noisy=False), b)),
        )

    def reconstruction_error(self, values, lengths, labels=None, batch_size=1024):
        """Autoencoder error per sequence: mean squared error over its valid steps
        and features in standardised units (plus label cross-entropy).

        Returns
        -------
        errors : ndarray of shape (n,), float64
        """
        return self._per_sample(
            values,
            lengths,
            labels,
            batch_size,
            lambda b: self.get_autoencoder_loss(
                b, self.get_codes(b, noisy=False), reduction="none"
            ),
        )

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
    ):
        """Decode noisy codes of real sequences into new ones (streamed in batches).

        Parameters
        ----------
        values, lengths, labels : as in :meth:`fit`
            The source sequences (usually the training ones).
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

        Returns
        -------
        new_values : ndarray of shape (n_new, max source length, n_features)
            Post-padded with zeros, in the original (unstandardised) units.
        new_lengths : ndarray of shape (n_new,)
            Each synthetic sequence has its source's length.
        new_labels : int ndarray of shape (n_new, L) or None
            Decoded label sequences (argmax per step).
        sources : ndarray of shape (n_new,)
        """
        values = np.asarray(values)
        lengths = np.asarray(lengths, dtype=np.int64)
        labels = None if labels is None else np.asarray(labels, dtype=np.int64)
        if sources is None:
            sources = np.repeat(np.arange(len(lengths)), n_per_sample)
        sources = np.asarray(sources, dtype=np.intp)
        if isinstance(rng, np.random.Generator):
            seed = int(rng.integers(0, 2**62))
        else:
            seed = torch_seed(rng)
        device = self._inference_device()
        noise = torch.Generator(device=device)
        noise.manual_seed(seed)
        new_lengths = lengths[sources]
        n_new = len(sources)
        longest = int(new_lengths.max(initial=1))
        new_values = np.zeros((n_new, longest, self.n_features_), dtype=dtype)
        new_labels = None if labels is None else np.zeros((n_new, labels.shape[1]), np.int64)
        mean = to_tensor(self.mean_, device)
        scale = to_tensor(self.scale_, device)
        with torch.no_grad():
            for rows in length_bucketed_batches(new_lengths, batch_size):
                batch = self._make_batch(values, lengths, labels, sources[rows], device)
                codes = self.get_codes(batch, noisy=True, generator=noise)
                x_hat, y_logits = self.decoder_(codes[0], batch.lengths, codes[1])
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

    # ---------------------------------------------------------------- pickle
    def __getstate__(self):
        state = self.__dict__.copy()
        for name in ("generator_", "critic_", "decoder_"):
            module = state.get(name)
            if module is not None and next(module.parameters()).device.type != "cpu":
                state[name] = copy.deepcopy(module).to("cpu")
        state.pop("optimizers_", None)
        return state
