"""Early stopping that does not take a plateau for the end of training.

skorch's ``EarlyStopping`` stops when no pass beat the best loss so far by ``tol``
for ``patience`` passes. On a small data set an LSTM autoencoder's per-pass loss is
noisy and its curve has plateaus that last hundreds of optimisation steps before the
loss falls tenfold: one lucky low pass on a plateau is enough for that rule to stop
(LatentADASYN's user guide shows a case where none of the synthetic sequences then
kept the minority's pattern). No rule that looks at the last few passes can see past
a plateau, so :class:`PlateauStopping`

* never stops before ``min_steps`` optimisation steps, a budget counted in steps
  because what a network learns follows its updates, not its passes (on a large data
  set it is a few passes, which training takes anyway);
* then compares the median loss of the last ``window`` passes with the median of the
  ``window`` passes before, not the latest pass with the best one: a median follows
  the trend, not one noisy pass, and the rule stops when the trend has flattened
  (the loss then falls by less than ``tol`` per window: a tenfold fall would take
  more than ``log(10) / tol`` windows);
* keeps the weights of the pass with the lowest loss when it stops, so that a stop
  just after one of Adam's loss spikes does not keep the spiked weights.
"""

from __future__ import annotations

from copy import deepcopy

import numpy as np
from skorch.callbacks import Callback

from ._callbacks import write_line

__all__ = ["PlateauStopping", "loss_has_plateaued"]


def loss_has_plateaued(losses, window: int, tol: float) -> bool:
    """Whether the median of the last ``window`` losses is not below the median of
    the ``window`` before by more than ``tol`` (relative).

    Parameters
    ----------
    losses : array-like of shape (n_passes,)
        The per-pass losses, oldest first.
    window : int
        Passes per window.
    tol : float
        The relative fall of the median that counts as progress.

    Returns
    -------
    plateaued : bool
        False while fewer than ``2 * window`` losses are known.

    Examples
    --------
    >>> from imblearn_seqgan._nn import loss_has_plateaued
    >>> loss_has_plateaued([1.0, 0.9, 0.8, 0.7], window=2, tol=0.01)
    False
    >>> loss_has_plateaued([1.0, 0.5, 0.5, 0.5, 0.5, 0.5], window=2, tol=0.01)
    True
    """
    losses = np.asarray(losses, dtype=np.float64)
    if len(losses) < 2 * window:
        return False
    recent = np.median(losses[len(losses) - window :])
    before = np.median(losses[len(losses) - 2 * window : len(losses) - window])
    return bool(recent > (1.0 - tol) * before)


class PlateauStopping(Callback):
    """Stop training when the monitored loss has stopped falling (see the module).

    Parameters
    ----------
    window : int
        Passes per window of :func:`loss_has_plateaued`.
    min_steps : int, default=0
        Optimisation steps (batches) before the rule may stop training.
    tol : float, default=1e-2
        Relative fall of the window's median that counts as progress.
    monitor : str, default="train_loss"
        The history's column (lower is better).
    sink : callable, default=write_line
        Where the stopping message goes (only when the net is verbose): by
        default standard output, above any progress bar.

    Attributes
    ----------
    steps_ : int
        Optimisation steps so far.
    stopped_epoch_ : int or None
        The pass after which training stopped (None: it was not stopped).
    best_epoch_ : int
        The pass with the lowest loss, whose weights the module keeps on a stop.
    """

    def __init__(
        self,
        window: int,
        min_steps: int = 0,
        tol: float = 1e-2,
        monitor: str = "train_loss",
        sink=write_line,
    ):
        self.window = window
        self.min_steps = min_steps
        self.tol = tol
        self.monitor = monitor
        self.sink = sink

    def on_train_begin(self, net, **kwargs):
        self.steps_ = 0
        self.stopped_epoch_ = None
        self.best_epoch_ = 0
        self.best_loss_ = np.inf
        self.best_weights_ = None

    def on_epoch_end(self, net, **kwargs):
        row = net.history[-1]
        # SequenceNet counts the training batches; a plain skorch net lists them
        self.steps_ += row.get("train_batch_count", len(row["batches"]))
        loss = row[self.monitor]
        if loss < self.best_loss_:
            self.best_loss_, self.best_epoch_ = loss, row["epoch"]
            self.best_weights_ = deepcopy(net.module_.state_dict())
        if self.steps_ < self.min_steps:
            return
        if loss_has_plateaued(net.history[:, self.monitor], self.window, self.tol):
            self.stopped_epoch_ = row["epoch"]
            if net.verbose:
                self.sink(
                    f"Stopping since the median {self.monitor} of the last {self.window} "
                    f"epochs fell by less than {self.tol:g} (relative) below that of the "
                    f"{self.window} before; keeping the weights of epoch {self.best_epoch_}."
                )
            raise KeyboardInterrupt

    def on_train_end(self, net, **kwargs):
        if self.stopped_epoch_ is not None and self.best_weights_ is not None:
            net.module_.load_state_dict(self.best_weights_)
        self.best_weights_ = None  # a fitted net need not carry a copy of its weights
