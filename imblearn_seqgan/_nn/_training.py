"""The one training style of the package: every network trains through skorch.

Every estimator that trains a torch module builds a :class:`SequenceNet` (a
:class:`skorch.NeuralNet`) in ``fit`` and follows these conventions, so that a user
meets the same behaviour whichever estimator they fit:

Loop, history, callbacks
    skorch's ``NeuralNet.fit`` runs :meth:`SequenceNet.fit_loop`, the one epoch loop
    of every net (skorch's, with the hooks below); the estimator exposes the net's
    :class:`skorch.history.History` as ``history_`` (``"epoch"``, ``"train_loss"``,
    ``"dur"`` and whatever a subclass records). Customise through skorch's small
    methods: ``initialize_module``/``initialize_optimizer`` (several modules and
    optimizers by skorch's naming convention, e.g. ``critic_`` and
    ``optimizer_critic_``), ``train_step``/``train_step_single``, ``get_loss``,
    ``get_iterator``/``iterator_train`` (e.g.
    :class:`~imblearn_seqgan._nn.LengthBucketedLoader`), and the loop's own hooks:
    ``get_epochs`` (a budget other than ``max_epochs``), ``get_step_losses`` and
    ``record_batch_losses``/``record_epoch_losses`` (what a step's losses are and
    where they go in the history), ``get_snapshot``/``restart_epoch`` (roll a
    diverged epoch back) and ``get_divergence_context``.

Losses stay on the device
    skorch reads every batch's loss with ``.item()``, which makes the host wait for a
    GPU at every batch. Here a step's losses stay where they were computed until the
    epoch ends, then reach the host in one transfer; only when skorch's progress bar
    shows each batch's loss (``verbose >= 2``) are they read batch by batch. The
    values written to the history are the same either way.

``verbose``
    ``0``: silent. ``1``: skorch's per-epoch table (one line per epoch), coloured only
    when standard output is a terminal (no ANSI codes in a pipe or a log file).
    ``2`` and more: also skorch's per-batch progress bar (tqdm, on standard error).
    :meth:`SequenceNet.get_default_callbacks` implements this; a net only has to be
    given the estimator's ``verbose``.

Divergence
    A non-finite training loss ends the epoch; unless the net rolls the epoch back
    (:meth:`SequenceNet.restart_epoch`: the GAN restarts from a snapshot with halved
    learning rates), training stops with :class:`TrainingDivergedError` (a
    ``FloatingPointError``) worded by :func:`raise_if_diverged`: no estimator returns
    a model trained on from NaN weights. Subclasses set ``diverged_what`` (who
    diverged) and ``diverged_hint`` (what to change).

Device
    The estimator's ``device`` parameter goes through
    :func:`~imblearn_seqgan._nn.resolve_device` (``"auto"``: CUDA when available)
    and the net gets ``str(device)``. A net fitted on a GPU and unpickled on a machine
    without CUDA moves to the CPU silently (:meth:`SequenceNet.__setstate__`):
    predicting on the CPU is the only thing such a machine can do.

Seeding and threads
    ``net.fit`` runs inside :func:`~imblearn_seqgan._nn.seeded` (module
    initialisation, dropout and anything drawn from torch's RNG follow from
    ``random_state``; the caller's RNG is restored) and inside
    :func:`~imblearn_seqgan._nn.torch_cpu_settings` when the estimator has an
    ``n_threads`` parameter; prediction runs inside ``torch_cpu_settings`` too.

Example of a net for a new module::

    class MyNet(SequenceNet):
        diverged_what = "MyEstimator"
        diverged_hint = "Lower lr."


    net = MyNet(
        module=MyModule,
        criterion=MyLoss,
        lr=1e-3,
        train_split=None,
        iterator_train=LengthBucketedLoader,
        device=str(device),
        verbose=verbose,
    )
    with seeded(random_state, device), torch_cpu_settings(n_threads):
        net.fit(X, y)
"""

from __future__ import annotations

import math
from collections import defaultdict

import torch
from skorch import NeuralNet
from skorch.callbacks import ProgressBar
from skorch.dataset import get_len

from ._callbacks import TerminalPrintLog

__all__ = [
    "SequenceNet",
    "TrainingDivergedError",
    "raise_if_diverged",
    "resolve_optimizer",
]


def resolve_optimizer(optimizer, *, adam_lr: float, fused_adam: bool = False):
    """The optimizer class, its default learning rate and extra arguments.

    Parameters
    ----------
    optimizer : {"adam", "adadelta"} or torch optimizer class
        As the estimators' ``optimizer`` parameter takes it.
    adam_lr : float
        The estimator's default learning rate for Adam.
    fused_adam : bool, default=False
        torch's fused Adam: one operator call per step instead of about a dozen per
        parameter tensor; the same update, rounded differently in the last bits.

    Returns
    -------
    optimizer_class, default_lr, optimizer_kwargs
        Adadelta's default rate is torch's and the paper's 1.0; another class gets 1e-3.
    """
    if optimizer == "adam":
        return torch.optim.Adam, adam_lr, ({"fused": True} if fused_adam else {})
    if optimizer == "adadelta":
        return torch.optim.Adadelta, 1.0, {}
    return optimizer, 1e-3, {}


class TrainingDivergedError(FloatingPointError):
    """Training produced a non-finite loss and was stopped.

    A ``FloatingPointError``, so code that catches numerical failures still catches
    it.
    """


def raise_if_diverged(loss, what: str, where: str, hint: str) -> None:
    """Raise :class:`TrainingDivergedError` when ``loss`` is not finite.

    Parameters
    ----------
    loss : float or torch.Tensor
        A scalar training loss.
    what : str
        Who trained, e.g. ``"Seq2SeqClassifier"``; starts the message.
    where : str
        When it happened, e.g. ``"in epoch 3"`` or ``"at step 120"``.
    hint : str
        What the user can change, e.g. ``"Lower lr."``.

    Raises
    ------
    TrainingDivergedError
        ``"{what} training diverged: the loss became {loss} {where}. {hint}"``.
    """
    value = float(loss.detach()) if isinstance(loss, torch.Tensor) else float(loss)
    if not math.isfinite(value):
        raise TrainingDivergedError(
            f"{what} training diverged: the loss became {value} {where}. {hint}"
        )


class _NonFiniteLoss(Exception):
    """A training step's loss was not finite (handled by ``SequenceNet.fit_loop``)."""

    def __init__(self, loss: float):
        super().__init__(loss)
        self.loss = loss


def _host_floats(values: list) -> list[float]:
    """Scalar tensors (on any device) and numbers as Python floats, in one transfer
    per device and dtype rather than one ``.item()`` each."""
    floats = [None] * len(values)
    groups = defaultdict(list)
    for i, value in enumerate(values):
        if isinstance(value, torch.Tensor):
            groups[value.device, value.dtype].append(i)
        else:
            floats[i] = float(value)
    for rows in groups.values():
        stacked = torch.stack([values[i].detach().reshape(()) for i in rows])
        for i, value in zip(rows, stacked.tolist(), strict=True):
            floats[i] = float(value)
    return floats


class SequenceNet(NeuralNet):
    """:class:`skorch.NeuralNet` with the package's conventions (see the module).

    Differences from ``NeuralNet``: ``verbose`` as described in the module
    docstring (:meth:`get_default_callbacks`); one epoch loop (:meth:`fit_loop`,
    :meth:`run_single_epoch`) that keeps the losses on the device and raises
    :class:`TrainingDivergedError` at a non-finite training loss, with hooks for a
    step budget, several losses per step and rolling a diverged epoch back; and a
    GPU-fitted net unpickles on a CPU-only machine without warnings
    (:meth:`__setstate__`). Everything else is skorch's; subclass it as a skorch net.
    """

    #: Who is training, for the divergence message.
    diverged_what = "Network"
    #: What the user can change when the loss diverges.
    diverged_hint = "Lower lr, or scale the input features."

    def get_default_callbacks(self):
        """skorch's default callbacks with :class:`TerminalPrintLog`, plus a progress
        bar when ``verbose >= 2``.

        Returns
        -------
        callbacks : list of (str, skorch.callbacks.Callback)
        """
        callbacks = [
            (name, TerminalPrintLog() if name == "print_log" else callback)
            for name, callback in super().get_default_callbacks()
        ]
        if self.verbose >= 2:
            callbacks.append(("progress_bar", ProgressBar()))
        return callbacks

    # ------------------------------------------------------------ the epoch loop
    def fit_loop(self, X, y=None, epochs=None, **fit_params):
        """skorch's fit loop, the one every net of the package trains with.

        As ``NeuralNet.fit_loop``: split, one iterator per phase, then epochs of a
        training and a validation pass between ``on_epoch_begin`` and
        ``on_epoch_end``. Added: the number of epochs comes from :meth:`get_epochs`,
        and an epoch whose training loss is not finite is rolled back and retried
        when :meth:`restart_epoch` says so (its history row is dropped; the retry
        gets the same epoch number), else :class:`TrainingDivergedError` is raised.

        Parameters
        ----------
        X, y : input data and target
            As for ``NeuralNet.fit``.
        epochs : int, optional
            Epochs to train; default :meth:`get_epochs`.
        **fit_params : dict
            Passed to ``get_split_datasets`` and the step functions. skorch's
            metadata routing is not supported: the estimators pass none.

        Returns
        -------
        self : SequenceNet

        Raises
        ------
        TrainingDivergedError
            When a training loss is not finite and the epoch is not retried.
        """
        fit_params.pop("_routing_method", None)  # skorch >= 1.2 passes its entry point
        self.check_data(X, y)
        self.check_training_readiness()
        dataset_train, dataset_valid = self.get_split_datasets(X, y, **fit_params)
        on_epoch_kwargs = {"dataset_train": dataset_train, "dataset_valid": dataset_valid}
        iterator_train = self.get_iterator(dataset_train, training=True)
        iterator_valid = None
        if dataset_valid is not None:
            iterator_valid = self.get_iterator(dataset_valid, training=False)
        epochs = self.get_epochs(iterator_train) if epochs is None else epochs
        done = 0
        while done < epochs:
            snapshot = self.get_snapshot()
            self.notify("on_epoch_begin", **on_epoch_kwargs)
            try:
                self.run_single_epoch(iterator_train, True, "train", self.train_step, **fit_params)
            except _NonFiniteLoss as diverged:
                if not self.restart_epoch(snapshot):
                    raise_if_diverged(
                        diverged.loss,
                        self.diverged_what,
                        self.get_divergence_context(),
                        self.diverged_hint,
                    )
                del self.history[-1]
                continue
            self.run_single_epoch(
                iterator_valid, False, "valid", self.validation_step, **fit_params
            )
            self.notify("on_epoch_end", **on_epoch_kwargs)
            done += 1
        return self

    def run_single_epoch(self, iterator, training, prefix, step_fn, **fit_params):
        """One pass of ``step_fn`` over ``iterator``, the losses kept on the device.

        Each step's losses (:meth:`get_step_losses`) stay where they were computed;
        they reach the host together at the end of the pass, or after each batch
        while a progress bar shows them (:meth:`records_each_batch`), and are
        written by :meth:`record_batch_losses` and :meth:`record_epoch_losses`.

        Parameters
        ----------
        iterator : iterable or None
            The pass's batches; None skips the phase.
        training : bool
            Whether this is the training pass (only its losses must be finite).
        prefix : str
            ``"train"`` or ``"valid"``.
        step_fn : callable
            ``train_step`` or ``validation_step``.
        **fit_params : dict
            Passed to ``step_fn``.

        Raises
        ------
        _NonFiniteLoss
            A training loss was not finite; :meth:`fit_loop` handles it.
        """
        if iterator is None:
            return
        each_batch = self.records_each_batch()
        pending, recorded = [], []
        for batch in iterator:
            self.notify("on_batch_begin", batch=batch, training=training)
            step = step_fn(batch, **fit_params)
            row = len(self.history[-1]["batches"]) - 1
            pending.append((row, self.get_batch_size(batch), self.get_step_losses(step, prefix)))
            if each_batch:
                recorded += self._record_batches(pending, prefix, training)
                pending = []
            self.notify("on_batch_end", batch=batch, training=training, **step)
        recorded += self._record_batches(pending, prefix, training)
        self.history.record(f"{prefix}_batch_count", len(recorded))
        self.record_epoch_losses(prefix, recorded)

    def _record_batches(self, pending, prefix, training) -> list[dict]:
        """Bring the pending batches' losses to the host, check them, record them."""
        keys = [list(losses) for _, _, losses in pending]
        values = _host_floats([v for _, _, losses in pending for v in losses.values()])
        recorded, start = [], 0
        for (row, size, _), names in zip(pending, keys, strict=True):
            losses = dict(zip(names, values[start : start + len(names)], strict=True))
            start += len(names)
            if training:
                for value in losses.values():
                    if not math.isfinite(value):
                        raise _NonFiniteLoss(value)
            self.record_batch_losses(prefix, row, size, losses)
            recorded.append(losses)
        return recorded

    # ------------------------------------------------------------ the loop's hooks
    def get_epochs(self, iterator_train) -> int:
        """Number of epochs :meth:`fit_loop` trains for: ``max_epochs``.

        Parameters
        ----------
        iterator_train : iterable
            The training batches (a net with a step budget counts them).

        Returns
        -------
        epochs : int
        """
        return self.max_epochs

    def get_batch_size(self, batch) -> int:
        """Number of samples in ``batch`` (skorch's ``{prefix}_batch_size``).

        Parameters
        ----------
        batch : object
            A batch of the iterator.

        Returns
        -------
        size : int
        """
        return get_len(batch[0]) if isinstance(batch, (tuple, list)) else get_len(batch)

    def get_step_losses(self, step: dict, prefix: str) -> dict:
        """The losses of one step to record: skorch's ``{prefix}_loss``.

        Parameters
        ----------
        step : dict
            What ``train_step`` or ``validation_step`` returned.
        prefix : str
            ``"train"`` or ``"valid"``.

        Returns
        -------
        losses : dict of str to scalar tensor or float
            Left on the device; read once per epoch.
        """
        return {f"{prefix}_loss": step["loss"]}

    def records_each_batch(self) -> bool:
        """Whether each batch's losses are read as soon as it ends: only for
        skorch's progress bar, which shows the latest batch's loss.

        Returns
        -------
        each_batch : bool
        """
        return any(isinstance(callback, ProgressBar) for _, callback in self.callbacks_)

    def record_batch_losses(self, prefix: str, row: int, size: int, losses: dict) -> None:
        """Write one batch's losses into its history entry, where skorch writes them.

        Parameters
        ----------
        prefix : str
            ``"train"`` or ``"valid"``.
        row : int
            The batch's index in the epoch's ``"batches"``.
        size : int
            The batch's number of samples.
        losses : dict of str to float
        """
        entry = self.history[-1]["batches"][row]
        entry.update(losses)
        entry[f"{prefix}_batch_size"] = size

    def record_epoch_losses(self, prefix: str, losses: list) -> None:
        """Record epoch-level losses: none here (skorch's ``train_loss`` and
        ``valid_loss`` callbacks average the batches' at the epoch's end).

        Parameters
        ----------
        prefix : str
            ``"train"`` or ``"valid"``.
        losses : list of dict of str to float
            Each batch's losses, in order.
        """

    def get_snapshot(self):
        """What a diverged epoch rolls back to, taken as each epoch begins: None,
        no roll-back.

        Returns
        -------
        snapshot : object or None
        """
        return None

    def restart_epoch(self, snapshot) -> bool:
        """Roll back to ``snapshot`` after a non-finite training loss; return
        whether to retry the epoch (False here: raise).

        Parameters
        ----------
        snapshot : object or None
            What :meth:`get_snapshot` returned as the epoch began.

        Returns
        -------
        retry : bool
        """
        return False

    def get_divergence_context(self) -> str:
        """When the loss diverged, for :class:`TrainingDivergedError`'s message.

        Returns
        -------
        where : str
            e.g. ``"in epoch 3"``.
        """
        return f"in epoch {max(len(self.history), 1)}"

    def __setstate__(self, state):
        """Unpickle; a net fitted on CUDA loads on the CPU when CUDA is missing.

        Loaded on CUDA, its recurrent layers' weights are compacted into the one
        buffer cuDNN uses, as ``.to(device)`` would have done.

        skorch does the same fallback but warns (``DeviceWarning``) twice on every
        load; here the fallback is the expected use (fit on a GPU, predict
        anywhere), so it is silent.

        Parameters
        ----------
        state : dict
            What ``__getstate__`` saved.
        """
        device = state.get("device")
        on_cuda = device is not None and torch.device(device).type == "cuda"
        if on_cuda and not torch.cuda.is_available():
            state = {**state, "device": "cpu"}
        super().__setstate__(state)
        # torch.load puts an LSTM's weights on CUDA one tensor at a time, not in the one
        # buffer cuDNN wants; without this every call warns and copies them (seen on an
        # H200). ``.to(device)`` would compact them, loading does not.
        for name in self._modules:
            module = getattr(self, name + "_", None)
            if isinstance(module, torch.nn.Module):
                for layer in module.modules():
                    if isinstance(layer, torch.nn.RNNBase):
                        layer.flatten_parameters()
