"""SequenceGAN: the paper's WGAN-GP with autoencoder (section 2.2.1, eq. 1) as a
skorch ``NeuralNet`` (the package's :class:`~._training.SequenceNet`) with three
modules and three optimizers.

skorch's conventions for several modules (its customisation guide, "e.g. training
GANs"): the generator is ``module_``, the critic ``critic_`` and the decoder
``decoder_``; their optimizers are ``optimizer_``, ``optimizer_critic_`` and
``optimizer_decoder_``, so ``optimizer_critic__lr`` or ``decoder__...`` reach them
through ``set_params``. ``train_step`` steps one of them per batch, in turn.
What differs from a plain ``NeuralNet``, and why:

* the training budget is a number of optimisation steps (``max_steps``), not
  epochs, so it does not depend on the data size (the samples' quality
  follows the steps taken, not the passes); ``max_epochs`` (passes) and
  ``n_iter_no_change`` (skorch's ``EarlyStopping`` on the autoencoder loss)
  can end it sooner; an epoch is a pass over the
  data rounded up to a multiple of three steps (one of each kind);
* each step kind reads its own batch; the critic's penalty is either a
  finite difference of the critic along the real-fake direction, scored in the
  same critic call as the real and fake codes (first-order backward only, the
  default), or the exact gradient norm (a second-order gradient, taken with
  cuDNN off);
* the losses stay on the device during an epoch (one host sync per epoch,
  where the epoch's means are recorded and checked), so a GPU is never kept
  waiting by a per-step ``.item()``;
* a non-finite loss rolls the epoch back (see ``max_restarts``) before the
  package's divergence error is raised;
* the epoch table (``verbose=1``) leaves out the critic's total loss: with the
  lazy penalty it jumps between about 0 and ``lambda_gp * gp_every`` times the
  penalty from one critic step to the next, which reads as divergence. The
  Wasserstein estimate and the penalty are shown apart instead.
"""

from __future__ import annotations

import contextlib
import copy
import math

import numpy as np
import torch
from sklearn.base import clone
from skorch.callbacks import EarlyStopping
from torch.nn import functional as F
from torch.utils.data import Dataset

from ._batching import length_bucketed_batches, trim_batch
from ._gan_callbacks import StepProgressBar
from ._gan_inference import GANInferenceMixin
from ._gan_modules import CodeCritic, CodeDecoder, CodeGenerator, CodeReconstructionLoss
from ._modules import length_mask
from ._training import SequenceNet, TerminalPrintLog, raise_if_diverged
from ._utils import seeded, to_tensor

__all__ = ["SequenceGAN"]

# history columns the epoch table leaves out
_NOT_PRINTED = ("critic_loss", "instance_noise", "restarts", "train_batch_count")

# the finite-difference penalty's step, as a share of the real-fake distance
_FD_STEP = 0.05

# per-epoch means recorded in the history (averaged over the steps that have them)
_LOSS_KEYS = (
    "critic_loss",
    "generator_loss",
    "autoencoder_loss",
    "wasserstein",
    "gradient_penalty",
)


class _Batch:
    """One trimmed, standardised batch on the device."""

    __slots__ = ("x", "lengths", "y", "y_onehot")

    def __init__(self, x, lengths, y, y_onehot):
        self.x, self.lengths, self.y, self.y_onehot = x, lengths, y, y_onehot

    def __len__(self):
        return self.x.shape[0]


class _SequenceData(Dataset):
    """The training sequences as arrays: post-padded values, lengths, labels."""

    def __init__(self, values, lengths, labels=None):
        self.values, self.lengths, self.labels = values, lengths, labels

    def __len__(self):
        return len(self.lengths)

    def __getitem__(self, i):
        return self.values[i], self.lengths[i]


class _EpochBatches:
    """The batches of one epoch, read from an endless stream of length-bucketed
    batches (one shuffle per pass over the data, continued across epochs and
    restarts) and cut where the step budget ends."""

    def __init__(self, net, data, batches_per_epoch):
        self.net, self.data, self.batches_per_epoch = net, data, batches_per_epoch
        self._stream = self._endless(data.lengths, net.batch_size, net.batch_rng_)

    @staticmethod
    def _endless(lengths, batch_size, rng):
        while True:
            yield from length_bucketed_batches(lengths, batch_size, rng=rng)

    def __iter__(self):
        net, data = self.net, self.data
        for _ in range(self.batches_per_epoch):
            if net.steps_ >= net.budget_steps_:
                return
            idx = next(self._stream)
            yield net.make_batch(data.values, data.lengths, data.labels, idx, net.device_)

    def __len__(self):
        return self.batches_per_epoch


class SequenceGAN(GANInferenceMixin, SequenceNet):
    """WGAN-GP with autoencoder on variable-length sequences (paper eq. 1).

    Not a scikit-learn estimator on its own: the estimators validate the data
    and pass it ``Sequences.values`` / ``Sequences.lengths``.

    Parameters
    ----------
    module, critic, decoder : nn.Module class, default=CodeGenerator, CodeCritic, \
            CodeDecoder
        The generator, critic and decoder; built at fit from the data's shape
        and the sizes below (``module__*``, ``critic__*``, ``decoder__*``
        override their arguments).
    criterion : nn.Module class, default=CodeReconstructionLoss
        The autoencoder term of eq. (1).
    optimizer : torch optimizer class, default=torch.optim.Adam
        Used for all three modules.
    lr : float, default=2e-3
        Generator learning rate; ``optimizer_critic__lr`` (default 5e-4) and
        ``optimizer_decoder__lr`` (default 2e-3) set the other two. The critic's
        is lower than the generator's (paper).
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
    penalty_estimate : {"finite_difference", "exact"}, default="finite_difference"
        How the slope in ``(slope - 1)^2`` is obtained. ``"exact"``: the norm of
        the critic's gradient at the penalty points (Gulrajani et al.); its
        double backward through the LSTM critic runs step by step (cuDNN has no
        double backward), so its cost grows with the sequence length.
        ``"finite_difference"``: the critic's slope along the direction from the
        fake to the real code, ``(D(p + h u) - D(p - h u)) / 2h`` at the same
        points ``p`` (``u`` the unit direction, ``h`` a twentieth of the
        real-fake distance); the two extra critic inputs join the real and fake
        codes in one critic call, so the penalty needs no extra kernel
        launches and only a first-order backward. The optimal WGAN critic has
        slope 1 exactly along these directions.
    gp_every : int, default=4
        Lazy regularisation: the penalty is computed every ``gp_every``-th
        critic step with weight ``lambda_gp * gp_every``.
    drift_weight : float, default=1e-3
        Weight of the drift term ``E[D(real)^2]`` in the critic's loss (Karras
        et al. 2018), which keeps the critic's values near zero; not in the
        paper's eq. (1): 0 gives the paper's critic loss.
    generator_penalty : bool, default=False
        Add the penalty term ``lambda_gp * GP`` to the generator's loss too
        (every ``gp_every``-th generator step, weight ``lambda_gp * gp_every``),
        as the paper's "all terms" reads; the penalty points are codes of the
        generator, so it gets a gradient from it. False: the generator's loss
        is the adversarial and autoencoder terms (as the authors' code).
    loss_weight_schedule : LossWeightSchedule or None, default=None
        A skorch callback that adjusts ``mu`` and ``lambda_gp`` during training
        from the monitored losses (see
        :class:`~imblearn_seqgan._nn.LossWeightSchedule` for its rule); a clone
        of it is added to the callbacks. None: ``mu`` and ``lambda_gp`` stay
        fixed.
    batch_size : int, default=64
    max_steps : int, default=900
        Training budget in optimisation steps (generator, critic and decoder
        steps together; each kind gets a third).
    max_epochs : int or None, default=None
        A budget in passes over the data instead: training ends after this
        many epochs (an epoch is a pass over the data, rounded up to a multiple
        of three steps) or ``max_steps`` steps, whichever comes first.
    n_iter_no_change : int or None, default=None
        Stop when the epoch's autoencoder loss has not improved on its best by
        more than ``tol`` (relative) for this many epochs (skorch's
        ``EarlyStopping``; the autoencoder loss is the one loss of the GAN that
        settles as it trains, the Wasserstein estimate does not). None: train
        the whole budget.
    tol : float, default=1e-2
        Relative improvement that counts for ``n_iter_no_change``.
    instance_noise : float, default=1.0
        Std of Gaussian noise added to the codes the critic reads; decays
        linearly to 0 at ``noise_decay`` times the step budget.
    noise_decay : float, default=0.5
    device : str, default="cpu"
        A torch device (the estimators resolve their ``"auto"`` first).
    random_state : None, int or RandomState
        Seeds the weights, the batches and the noise.
    verbose : int, default=0
        0: silent; 1: skorch's table, one line per epoch, with the generator's
        and autoencoder's losses, the critic's Wasserstein estimate and the
        gradient penalty (averaged over the critic steps that computed one,
        blank when none did); 2: also a progress bar over the ``max_steps``
        steps (:class:`~._gan_callbacks.StepProgressBar`).
    max_restarts : int, default=3
        Divergence guard: on a non-finite loss, the modules and optimizers
        return to the start of the epoch, learning rates are halved and the
        epoch is retried; after ``max_restarts`` such retries
        :class:`~._training.TrainingDivergedError` is raised. Generation never
        returns NaN.
    **kwargs
        skorch's other parameters (``callbacks``, ``optimizer_critic__betas``...).

    Attributes
    ----------
    history_ : skorch.history.History
        One row per epoch: ``critic_loss``, ``generator_loss``,
        ``autoencoder_loss``, ``wasserstein`` (critic estimate D(real) -
        D(fake)), ``gradient_penalty``, ``instance_noise``, ``steps``,
        ``restarts``, ``dur``. E.g. ``history_[:, "autoencoder_loss"]``.
    n_steps_ : int
        Optimisation steps taken.
    device_ : torch.device
    module_, critic_, decoder_ : torch modules
        Generator (also ``generator_``), critic and decoder.
    """

    _STEP_KINDS = ("generator", "critic", "decoder")
    diverged_what = "GAN"
    diverged_hint = "Lower lr_generator/lr_critic, mu or lambda_gp, or check the input scale."

    # One line per parameter, stored unchanged, as scikit-learn's get_params and clone
    # require: the estimators that expose these settings repeat their names on purpose.
    def __init__(
        self,
        module=CodeGenerator,
        *,
        critic=CodeCritic,
        decoder=CodeDecoder,
        criterion=CodeReconstructionLoss,
        optimizer=torch.optim.Adam,
        lr=2e-3,
        hidden_size=64,
        num_layers=2,
        critic_hidden_size=None,
        lambda_gp=10.0,
        mu=10.0,
        gradient_penalty="interpolates",
        penalty_estimate="finite_difference",
        gp_every=4,
        drift_weight=1e-3,
        generator_penalty=False,
        loss_weight_schedule=None,
        batch_size=64,
        max_steps=900,
        max_epochs=None,
        n_iter_no_change=None,
        tol=1e-2,
        instance_noise=1.0,
        noise_decay=0.5,
        device="cpu",
        random_state=None,
        verbose=0,
        max_restarts=3,
        **kwargs,
    ):
        # the authors' code (utils/tf_models_seq2seq.py): Adam(0.5, 0.9) for all
        # three, a slower critic
        kwargs.setdefault("optimizer__betas", (0.5, 0.9))
        kwargs.setdefault("optimizer_critic__lr", 5e-4)
        kwargs.setdefault("optimizer_critic__betas", (0.5, 0.9))
        kwargs.setdefault("optimizer_decoder__lr", 2e-3)
        kwargs.setdefault("optimizer_decoder__betas", (0.5, 0.9))
        super().__init__(
            module,
            criterion,
            optimizer=optimizer,
            lr=lr,
            batch_size=batch_size,
            train_split=None,
            verbose=verbose,
            device=device,
            **kwargs,
        )
        self.critic = critic
        self.decoder = decoder
        self.hidden_size = hidden_size
        self.num_layers = num_layers
        self.critic_hidden_size = critic_hidden_size
        self.lambda_gp = lambda_gp
        self.mu = mu
        self.gradient_penalty = gradient_penalty
        self.penalty_estimate = penalty_estimate
        self.gp_every = gp_every
        self.drift_weight = drift_weight
        self.generator_penalty = generator_penalty
        self.loss_weight_schedule = loss_weight_schedule
        self.max_steps = max_steps
        self.max_epochs = max_epochs
        self.n_iter_no_change = n_iter_no_change
        self.tol = tol
        self.instance_noise = instance_noise
        self.noise_decay = noise_decay
        self.random_state = random_state
        self.max_restarts = max_restarts

    @property
    def generator_(self):
        """The generator, skorch's main ``module_``."""
        return self.module_

    # ------------------------------------------------------------------ setup
    def get_default_callbacks(self):
        """The package's callbacks (see :mod:`._training`), for a step budget.

        skorch's train/valid loss scoring is left out (a step's loss is one of
        three kinds); the epoch table leaves out the critic's total loss (see the
        module docstring); ``verbose >= 2`` shows a bar over the whole budget
        rather than over each (three-step) epoch.

        Returns
        -------
        callbacks : list of (str, skorch.callbacks.Callback)
        """
        callbacks = []
        for name, callback in super().get_default_callbacks():
            if name in ("train_loss", "valid_loss"):
                continue
            if name == "print_log":
                callback = TerminalPrintLog(keys_ignored=_NOT_PRINTED)
            if name == "progress_bar":
                callback = StepProgressBar()
            callbacks.append((name, callback))
        if self.n_iter_no_change is not None:
            stopping = EarlyStopping(
                monitor="autoencoder_loss",
                patience=self.n_iter_no_change,
                threshold=self.tol,
                sink=print if self.verbose else _silent,
            )
            callbacks.append(("early_stopping", stopping))
        if self.loss_weight_schedule is not None:
            # a clone: the estimator's schedule keeps no state from this fit
            callbacks.append(("loss_weight_schedule", clone(self.loss_weight_schedule)))
        return callbacks

    def initialize_module(self):
        """Build the generator (``module_``), ``critic_`` and ``decoder_`` (in that
        order: the order the seeded weights are drawn in)."""
        n_classes, h = self.n_label_classes_, self.hidden_size
        self.module_ = self.module(
            **{
                "n_features": self.n_features_,
                "hidden_size": h,
                "num_layers": self.num_layers,
                "n_label_classes": n_classes,
                **self.get_params_for("module"),
            }
        )
        self.critic_ = self.critic(
            **{
                "code_size": h,
                "hidden_size": self.critic_hidden_size or max(1, h // 2),
                "with_labels": bool(n_classes),
                **self.get_params_for("critic"),
            }
        )
        self.decoder_ = self.decoder(
            **{
                "code_size": h,
                "hidden_size": h,
                "n_features": self.n_features_,
                "num_layers": self.num_layers,
                "n_classes": n_classes,
                **self.get_params_for("decoder"),
            }
        )
        return self

    def initialize_optimizer(self, *args, **kwargs):
        """One optimizer per module: ``optimizer_`` (generator),
        ``optimizer_critic_`` and ``optimizer_decoder_``.

        Returns
        -------
        self : SequenceGAN
        """
        for name, module in (
            ("optimizer", self.module_),
            ("optimizer_critic", self.critic_),
            ("optimizer_decoder", self.decoder_),
        ):
            groups, params = self.get_params_for_optimizer(name, module.named_parameters())
            setattr(self, f"{name}_", self.optimizer(*groups, **params))
        return self

    def _fit_scaler(self, values, lengths):
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

    def get_iterator(self, dataset, training=False):
        """Training: the batches of one epoch (see the module docstring)."""
        n_batches = math.ceil(len(dataset) / self.batch_size)
        return _EpochBatches(self, dataset, 3 * math.ceil(n_batches / 3))

    # --------------------------------------------------------------- pieces
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
            ``loss`` and the step's losses, scalar tensors left on the device
            (:meth:`run_single_epoch` sums them there).
        """
        kind = self._STEP_KINDS[self.steps_ % 3]
        out = getattr(self, f"train_step_{kind}")(batch, self.steps_)
        self.steps_ += 1
        return out

    def run_single_epoch(self, iterator, training, prefix, step_fn, **fit_params):
        """skorch's epoch loop without its per-batch ``.item()``: each loss is
        summed on the device and the epoch's means reach the host once, at its
        end (``epoch_means_``), where a non-finite one rolls the epoch back.

        Raises
        ------
        _NonFiniteLoss
            When an epoch's loss is not finite; :meth:`fit_loop` rolls it back.
        """
        sums, counts, batch_count = {}, {}, 0
        for batch in iterator:
            self.notify("on_batch_begin", batch=batch, training=training)
            step = step_fn(batch, **fit_params)
            for key, value in step.items():
                if key != "loss":
                    value = value.detach() if isinstance(value, torch.Tensor) else value
                    sums[key] = sums.get(key, 0.0) + value
                    counts[key] = counts.get(key, 0) + 1
            self.notify("on_batch_end", batch=batch, training=training, **step)
            batch_count += 1
        self.history.record(f"{prefix}_batch_count", batch_count)
        keys = list(sums)
        # the epoch's one host sync
        totals = torch.stack([torch.as_tensor(sums[k], device="cpu").float() for k in keys])
        means = {k: t / counts[k] for k, t in zip(keys, totals.tolist(), strict=True)}
        for value in means.values():
            if not math.isfinite(value):
                raise _NonFiniteLoss(value)
        self.epoch_means_ = means

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
        self : SequenceGAN
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
        self.device_ = torch.device(self.device)
        self._fit_scaler(values, lengths)
        self.budget_steps_ = self.max_steps
        if self.max_epochs is not None:
            steps_per_epoch = 3 * math.ceil(math.ceil(len(lengths) / self.batch_size) / 3)
            self.budget_steps_ = min(self.max_steps, self.max_epochs * steps_per_epoch)
        with seeded(self.random_state, self.device_) as seed:
            self.batch_rng_ = np.random.default_rng(seed)
            super().fit(_SequenceData(values, lengths, labels))
        # not needed after training; keeps pickles small
        del self.batch_rng_, self.epoch_means_
        del self.optimizer_, self.optimizer_critic_, self.optimizer_decoder_
        self._set_training(False)
        return self

    def fit_loop(self, X, y=None, epochs=None, **fit_params):
        """Train until the step budget (``max_steps``, or ``max_epochs`` passes),
        epoch by epoch, or until ``n_iter_no_change`` stops it.

        A non-finite loss restores the modules and optimizers saved at the
        start of the epoch, halves the learning rates and retries the epoch
        (the batches continue where the failed epoch stopped).

        Parameters
        ----------
        X : _SequenceData
            The training sequences.
        y, epochs : None
            Unused (the budget is ``max_steps``).
        **fit_params : dict
            Unused.

        Returns
        -------
        self : SequenceGAN

        Raises
        ------
        TrainingDivergedError
            When the loss is still not finite after ``max_restarts`` restarts.
        """
        self.check_training_readiness()
        dataset = self.get_dataset(X)
        on_epoch_kwargs = {"dataset_train": dataset, "dataset_valid": None}
        epoch_batches = self.get_iterator(dataset, training=True)
        self.steps_, self.restarts_, self.critic_steps_ = 0, 0, 0
        self._set_training(True)
        try:
            self._train_epochs(epoch_batches, on_epoch_kwargs)
        finally:
            # also when EarlyStopping ends training (skorch's KeyboardInterrupt)
            self.n_steps_ = self.steps_
        return self

    def _train_epochs(self, epoch_batches, on_epoch_kwargs):
        while self.steps_ < self.budget_steps_:
            snapshot = self._snapshot() if self.max_restarts else None
            start_step = self.steps_
            self.notify("on_epoch_begin", **on_epoch_kwargs)
            try:
                self.run_single_epoch(
                    epoch_batches, training=True, prefix="train", step_fn=self.train_step
                )
            except _NonFiniteLoss as diverged:
                self.restarts_ += 1
                if snapshot is None or self.restarts_ > self.max_restarts:
                    raise_if_diverged(
                        diverged.args[0],
                        self.diverged_what,
                        f"at step {self.steps_}, after {self.restarts_ - 1} restart(s) "
                        "with halved learning rates",
                        self.diverged_hint,
                    )
                self._restore(snapshot)
                del self.history[-1]
                self.steps_ = start_step
                continue
            self.notify("on_epoch_end", **on_epoch_kwargs)

    def on_epoch_end(self, net, dataset_train=None, dataset_valid=None, **kwargs):
        """Record the epoch's mean losses, noise level, steps and restarts."""
        means = self.epoch_means_
        for key in _LOSS_KEYS:
            self.history.record(key, means.get(key))
        self.history.record("instance_noise", self.current_instance_noise(self.steps_))
        self.history.record("steps", self.steps_)
        self.history.record("restarts", self.restarts_)

    def _snapshot(self):
        return copy.deepcopy(
            {
                "modules": [m.state_dict() for m in self._gan_modules()],
                "optimizers": [o.state_dict() for o in self._gan_optimizers()],
            }
        )

    def _restore(self, snapshot):
        for module, state in zip(self._gan_modules(), snapshot["modules"], strict=True):
            module.load_state_dict(state)
        for opt, state in zip(self._gan_optimizers(), snapshot["optimizers"], strict=True):
            opt.load_state_dict(state)
            for group in opt.param_groups:
                group["lr"] *= 0.5

    def _gan_modules(self):
        return self.module_, self.critic_, self.decoder_

    def _gan_optimizers(self):
        return self.optimizer_, self.optimizer_critic_, self.optimizer_decoder_


def _silent(*args, **kwargs):
    """EarlyStopping's message sink at ``verbose=0``."""


class _NonFiniteLoss(Exception):
    """A training step produced a non-finite loss (handled by ``fit_loop``)."""
