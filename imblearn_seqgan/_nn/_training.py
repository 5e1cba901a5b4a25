"""The one training style of the package: every network trains through skorch.

Every estimator that trains a torch module builds a :class:`SequenceNet` (a
:class:`skorch.NeuralNet`) in ``fit`` and follows these conventions, so that a user
meets the same behaviour whichever estimator they fit:

Loop, history, callbacks
    skorch's ``NeuralNet.fit`` runs the loop; the estimator exposes the net's
    :class:`skorch.history.History` as ``history_`` (``"epoch"``, ``"train_loss"``,
    ``"dur"`` and whatever a subclass records). Customise through skorch's small
    methods only: ``initialize_module``/``initialize_optimizer`` (several modules and
    optimizers by skorch's naming convention, e.g. ``generator_`` and
    ``optimizer_generator_``), ``train_step``/``train_step_single``, ``get_loss``,
    ``iterator_train`` (e.g. :class:`~imblearn_seqgan._nn.LengthBucketedLoader`).

``verbose``
    ``0``: silent. ``1``: skorch's per-epoch table (one line per epoch), coloured only
    when standard output is a terminal (no ANSI codes in a pipe or a log file).
    ``2`` and more: also skorch's per-batch progress bar (tqdm, on standard error).
    :meth:`SequenceNet.get_default_callbacks` implements this; a net only has to be
    given the estimator's ``verbose``.

Divergence
    A non-finite training loss stops training at once with
    :class:`TrainingDivergedError` (a ``FloatingPointError``) worded by
    :func:`raise_if_diverged`: no estimator returns a model trained on from NaN
    weights. A net may first try to recover (the GAN restarts from a snapshot with
    halved learning rates), but what it raises in the end is this error. Subclasses
    set ``diverged_what`` (who diverged) and ``diverged_hint`` (what to change).

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
    :func:`~imblearn_seqgan._nn.torch_threads` when the estimator has an
    ``n_threads`` parameter; prediction runs inside ``torch_threads`` too.

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
    with seeded(random_state, device), torch_threads(n_threads):
        net.fit(X, y)
"""

from __future__ import annotations

import math
import sys

import torch
from skorch import NeuralNet
from skorch.callbacks import PrintLog, ProgressBar

__all__ = [
    "SequenceNet",
    "TerminalPrintLog",
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


class TerminalPrintLog(PrintLog):
    """skorch's per-epoch table, with colour only when standard output is a terminal.

    :class:`skorch.callbacks.PrintLog` highlights the best loss with ANSI codes
    unconditionally, which puts escape sequences into pipes and log files. Without a
    terminal the table is the same, uncoloured.
    """

    def format_row(self, row, key, color):
        """Format one cell; drop the best-value highlight when not on a terminal.

        Parameters
        ----------
        row : dict
            The epoch's history row.
        key : str
            The column.
        color : str
            The ANSI code skorch would use for this column.

        Returns
        -------
        cell : str
        """
        if not _stdout_is_terminal():
            row = {**row, f"{key}_best": False}
        return super().format_row(row, key, color)


def _stdout_is_terminal() -> bool:
    isatty = getattr(sys.stdout, "isatty", None)
    return bool(isatty and isatty())


class SequenceNet(NeuralNet):
    """:class:`skorch.NeuralNet` with the package's conventions (see the module).

    Differences from ``NeuralNet``: ``verbose`` as described in the module
    docstring (:meth:`get_default_callbacks`), a non-finite training loss raises
    :class:`TrainingDivergedError` (:meth:`get_loss`), and a GPU-fitted net
    unpickles on a CPU-only machine without warnings (:meth:`__setstate__`).
    Everything else is skorch's; subclass it as a skorch net.
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

    def get_loss(self, y_pred, y_true, X=None, training=False):
        """skorch's loss; while training, raise at a non-finite value.

        Parameters
        ----------
        y_pred : torch.Tensor
            The module's output.
        y_true : torch.Tensor
            The target.
        X : object, optional
            The batch's input (for losses that need e.g. the lengths).
        training : bool, default=False
            Whether the loss is computed for a training step.

        Returns
        -------
        loss : torch.Tensor
            Scalar loss.
        """
        loss = super().get_loss(y_pred, y_true, X=X, training=training)
        if training:
            self.check_finite(loss)
        return loss

    def check_finite(self, loss) -> None:
        """Raise :class:`TrainingDivergedError` when a training loss is not finite.

        Parameters
        ----------
        loss : float or torch.Tensor
            The loss of the current training batch.
        """
        raise_if_diverged(
            loss,
            self.diverged_what,
            f"in epoch {max(len(self.history), 1)}",
            self.diverged_hint,
        )

    def __setstate__(self, state):
        """Unpickle; a net fitted on CUDA loads on the CPU when CUDA is missing.

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
