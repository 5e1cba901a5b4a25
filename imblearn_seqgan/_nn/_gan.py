"""SequenceGAN: the paper's WGAN-GP with autoencoder (section 2.2.1, eq. 1) as a
skorch ``NeuralNet`` (the package's :class:`~._training.SequenceNet`) with three
modules and three optimizers.

skorch's conventions for several modules (its customisation guide, "e.g. training
GANs"): the generator is ``module_``, the critic ``critic_`` and the decoder
``decoder_``; their optimizers are ``optimizer_``, ``optimizer_critic_`` and
``optimizer_decoder_``, so ``optimizer_critic__lr`` or ``decoder__...`` reach them
through ``set_params``. ``train_step`` steps one of them per batch, in turn (the
steps themselves: :mod:`._gan_steps`). It trains in :class:`~._training.SequenceNet`'s
epoch loop, through that loop's hooks. What differs from a plain ``NeuralNet``, and why:

* the training budget is a number of optimisation steps (``max_steps``), not
  epochs, so it does not depend on the data size (the samples' quality
  follows the steps taken, not the passes); ``max_epochs`` (passes) and
  ``n_iter_no_change`` (skorch's ``EarlyStopping`` on the autoencoder loss)
  can end it sooner; an epoch is a pass over the data rounded up to a multiple
  of three steps (one of each kind), cut from one stream of batches
  (:class:`~._batching.BatchStream`);
* the history keeps each epoch's mean of every loss, not per-batch losses
  (a step has one of three kinds of loss);
* a non-finite loss rolls the epoch back (see ``max_restarts``) before the
  package's divergence error is raised;
* the epoch table (``verbose=1``) leaves out the critic's total loss: with the
  lazy penalty it jumps between about 0 and ``lambda_gp * gp_every`` times the
  penalty from one critic step to the next, which reads as divergence. The
  Wasserstein estimate and the penalty are shown apart instead.
"""

from __future__ import annotations

import copy
import math

import numpy as np
import torch
from sklearn.base import clone
from torch.utils.data import Dataset

from ._batching import BatchStream
from ._callbacks import StepProgressBar, TerminalPrintLog, early_stopping
from ._gan_inference import GANInferenceMixin
from ._gan_modules import CodeCritic, CodeDecoder, CodeGenerator, CodeReconstructionLoss
from ._gan_steps import (
    GANStepsMixin,
    _Batch,  # noqa: F401  (benchmarks/bench_novelty_critic.py imports it)
)
from ._training import SequenceNet
from ._utils import seeded

__all__ = ["SequenceGAN"]

# history columns the epoch table leaves out
_NOT_PRINTED = ("critic_loss", "instance_noise", "restarts", "train_batch_count")

# per-epoch means recorded in the history (over the steps that computed them)
_LOSS_KEYS = (
    "critic_loss",
    "generator_loss",
    "autoencoder_loss",
    "wasserstein",
    "gradient_penalty",
)


class _SequenceData(Dataset):
    """The training sequences as arrays: post-padded values, lengths, labels."""

    def __init__(self, values, lengths, labels=None):
        self.values, self.lengths, self.labels = values, lengths, labels

    def __len__(self):
        return len(self.lengths)

    def __getitem__(self, i):
        return self.values[i], self.lengths[i]


class SequenceGAN(GANStepsMixin, GANInferenceMixin, SequenceNet):
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
        Used for all three modules, with betas (0.5, 0.9) as the authors' code.
    lr : float, default=2e-3
        Generator learning rate; ``optimizer_critic__lr`` (default 5e-4) and
        ``optimizer_decoder__lr`` (default 2e-3) set the other two.
    critic_hidden_size : int, optional
        Units per direction of the critic's bidirectional LSTM; default
        ``hidden_size // 2``.
    lambda_gp, mu, gradient_penalty, penalty_estimate, gp_every, drift_weight, \
            generator_penalty, loss_weight_schedule, hidden_size, num_layers, \
            batch_size, max_steps, max_epochs, n_iter_no_change, tol, \
            instance_noise, verbose
        As the parameters of these names of
        :class:`~imblearn_seqgan.over_sampling.SeqGANOverSampler`, which hands
        them over unchanged (a clone of ``loss_weight_schedule`` is added to the
        callbacks).
    noise_decay : float, default=0.5
        The instance noise decays linearly to 0 at this share of the budget.
    device : str, default="cpu"
        A torch device (the estimators resolve their ``"auto"`` first).
    random_state : None, int or RandomState
        Seeds the weights, the batches and the noise.
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
        One row per epoch: the means over the epoch's steps of
        ``critic_loss``, ``generator_loss``, ``autoencoder_loss``,
        ``wasserstein`` (critic estimate D(real) - D(fake)) and
        ``gradient_penalty``, then ``instance_noise``, ``steps``, ``restarts``,
        ``dur``. Every loss is a number in every row: an epoch in which no step
        computed one (the last epoch, cut by ``max_steps`` before its decoder
        step; the penalty, computed every ``gp_every``-th critic step) repeats
        the latest earlier value, and NaN stands before the first. E.g.
        ``np.round(history_[:, "autoencoder_loss"], 3)``.
    n_steps_ : int
        Optimisation steps taken.
    device_ : torch.device
    module_, critic_, decoder_ : torch modules
        Generator (also ``generator_``), critic and decoder.
    """

    diverged_what = "GAN"
    diverged_hint = "Lower lr_generator/lr_critic, mu or lambda_gp, or check the input scale."

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
                callback = TerminalPrintLog(keys_ignored=_NOT_PRINTED, not_yet=_LOSS_KEYS)
            if name == "progress_bar":
                callback = StepProgressBar()
            callbacks.append((name, callback))
        if self.n_iter_no_change is not None:
            stopping = early_stopping(
                "autoencoder_loss", self.n_iter_no_change, self.tol, self.verbose
            )
            callbacks.append(("early_stopping", stopping))
        if self.loss_weight_schedule is not None:
            # a clone: the estimator's schedule keeps no state from this fit
            callbacks.append(("loss_weight_schedule", clone(self.loss_weight_schedule)))
        return callbacks

    def initialize_module(self):
        """Build the generator (``module_``), ``critic_`` and ``decoder_`` (in that
        order: the order the seeded weights are drawn in)."""
        n_classes, h, n_features = self.n_label_classes_, self.hidden_size, self.n_features_
        layers, critic_h = self.num_layers, self.critic_hidden_size or max(1, h // 2)
        arguments = {
            "module": dict(n_features=n_features, hidden_size=h, num_layers=layers),
            "critic": dict(code_size=h, hidden_size=critic_h, with_labels=bool(n_classes)),
            "decoder": dict(code_size=h, hidden_size=h, n_features=n_features, num_layers=layers),
        }
        arguments["module"]["n_label_classes"] = arguments["decoder"]["n_classes"] = n_classes
        for name in ("module", "critic", "decoder"):
            module = getattr(self, name)(**{**arguments[name], **self.get_params_for(name)})
            setattr(self, f"{name}_", module)
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

    def get_iterator(self, dataset, training=False):
        """Training: the batches of one epoch (see the module docstring)."""
        n_batches = math.ceil(len(dataset) / self.batch_size)

        def make_batch(idx):
            return self.make_batch(
                dataset.values, dataset.lengths, dataset.labels, idx, self.device_
            )

        return BatchStream(
            dataset.lengths,
            self.batch_size,
            3 * math.ceil(n_batches / 3),
            rng=self.batch_rng_,
            make_batch=make_batch,
            stop=lambda: self.steps_ >= self.budget_steps_,
        )

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
        del self.batch_rng_, self.latest_losses_
        del self.optimizer_, self.optimizer_critic_, self.optimizer_decoder_
        self._set_training(False)
        return self

    # ----------------------------------------------- hooks of SequenceNet's loop
    def on_train_begin(self, net, X=None, y=None, **kwargs):
        """Start the step counters and put the modules in training mode."""
        self.steps_, self.restarts_, self.critic_steps_ = 0, 0, 0
        self.latest_losses_ = {}
        self._set_training(True)

    def on_train_end(self, net, X=None, y=None, **kwargs):
        """Keep the number of steps taken (also when early stopping ended training)."""
        self.n_steps_ = self.steps_

    def get_epochs(self, iterator_train):
        """As many epochs as the step budget fills; the last may be cut short."""
        return math.ceil(self.budget_steps_ / len(iterator_train))

    def get_batch_size(self, batch):
        """Sequences in a batch."""
        return len(batch)

    def get_step_losses(self, step, prefix):
        """The step's own losses (``generator_loss``, ``critic_loss``...), without
        the ``loss`` they repeat."""
        return {key: value for key, value in step.items() if key != "loss"}

    def record_batch_losses(self, prefix, row, size, losses):
        """Nothing per step: the history keeps the epochs' means."""

    def record_epoch_losses(self, prefix, losses):
        """Record each loss's mean over the epoch's steps that computed it.

        An epoch without a step of some kind (the last one, when ``max_steps``
        cuts it before its decoder step; the gradient penalty, computed every
        ``gp_every``-th critic step) repeats the latest earlier value, so every
        row holds every loss as a number; NaN before a loss's first value.
        """
        for key in _LOSS_KEYS:
            values = [step[key] for step in losses if key in step]
            if values:
                self.latest_losses_[key] = _float32_mean(values)
            self.history.record(key, self.latest_losses_.get(key, math.nan))

    def on_epoch_end(self, net, dataset_train=None, dataset_valid=None, **kwargs):
        """Record the noise level, the steps taken and the restarts so far."""
        self.history.record("instance_noise", self.current_instance_noise(self.steps_))
        self.history.record("steps", self.steps_)
        self.history.record("restarts", self.restarts_)

    def get_snapshot(self):
        """The modules, optimizers and step count as the epoch begins (None with
        ``max_restarts=0``)."""
        if not self.max_restarts:
            return None
        return copy.deepcopy(
            {
                "modules": [m.state_dict() for m in self._gan_modules()],
                "optimizers": [o.state_dict() for o in self._gan_optimizers()],
                "steps": self.steps_,
            }
        )

    def restart_epoch(self, snapshot):
        """Restore ``snapshot`` with halved learning rates, at most
        ``max_restarts`` times in a fit (the batches continue where the failed
        epoch stopped); whether to retry the epoch."""
        self.restarts_ += 1
        if snapshot is None or self.restarts_ > self.max_restarts:
            return False
        for module, state in zip(self._gan_modules(), snapshot["modules"], strict=True):
            module.load_state_dict(state)
        for opt, state in zip(self._gan_optimizers(), snapshot["optimizers"], strict=True):
            opt.load_state_dict(state)
            for group in opt.param_groups:
                group["lr"] *= 0.5
        self.steps_ = snapshot["steps"]
        return True

    def get_divergence_context(self):
        """The step and the restarts tried, for the divergence message."""
        return (
            f"at step {self.steps_}, after {self.restarts_ - 1} restart(s) "
            "with halved learning rates"
        )

    def _gan_modules(self):
        return self.module_, self.critic_, self.decoder_

    def _gan_optimizers(self):
        return self.optimizer_, self.optimizer_critic_, self.optimizer_decoder_


def _float32_mean(values):
    """Mean of float32 losses, summed in float32 in step order as the device adds
    them (the recorded means do not depend on where the sum is taken)."""
    total = np.float32(0.0)
    for value in values:
        total = np.float32(total + np.float32(value))
    return float(total) / len(values)
