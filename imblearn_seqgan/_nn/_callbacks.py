"""The package's skorch callbacks and what they print through.

* :class:`TerminalPrintLog`: every net's per-epoch table (``verbose >= 1``);
* :class:`StepProgressBar`: the GAN's bar over its step budget (``verbose >= 2``);
* :func:`early_stopping`: ``n_iter_no_change`` as every estimator means it;
* :func:`write_line`: how they print, above any open progress bar.
"""

from __future__ import annotations

import math
import sys

from skorch.callbacks import Callback, EarlyStopping, PrintLog
from tqdm import tqdm

__all__ = ["StepProgressBar", "TerminalPrintLog", "early_stopping", "write_line"]


def write_line(text: str) -> None:
    """Print a line to standard output above any open progress bar.

    ``print`` would write into the line a tqdm bar is drawn on (the bar keeps the
    cursor at its end); :meth:`tqdm.tqdm.write` clears the bar, prints the line and
    draws the bar again below it. Without a bar it is ``print``.

    Parameters
    ----------
    text : str
    """
    tqdm.write(text)


def _silent(*args, **kwargs):
    """A message sink for ``verbose=0``."""


def early_stopping(monitor: str, patience: int, tol: float, verbose: int) -> EarlyStopping:
    """skorch's ``EarlyStopping`` as every estimator's ``n_iter_no_change`` means it.

    Parameters
    ----------
    monitor : str
        The history's epoch column to watch (lower is better).
    patience : int
        Epochs without an improvement by more than ``tol`` before training stops.
    tol : float
        Relative improvement that counts.
    verbose : int
        Whether to print skorch's message when it stops (above a progress bar).

    Returns
    -------
    callback : skorch.callbacks.EarlyStopping
    """
    return EarlyStopping(
        monitor=monitor,
        patience=patience,
        threshold=tol,
        sink=write_line if verbose else _silent,
    )


class TerminalPrintLog(PrintLog):
    """skorch's per-epoch table, coloured only on a terminal and printed above a bar.

    :class:`skorch.callbacks.PrintLog` highlights the best loss with ANSI codes
    unconditionally, which puts escape sequences into pipes and log files. Without a
    terminal the table is the same, uncoloured. Its lines go through
    :func:`write_line`, so a progress bar (``verbose >= 2``) stays below the table
    instead of having the table written into its line.

    Parameters
    ----------
    keys_ignored, sink, tablefmt, floatfmt, stralign
        As skorch's ``PrintLog``.
    not_yet : tuple of str, default=()
        Columns whose NaN means "not computed yet" (the GAN's penalty before its
        first penalised step): shown blank rather than as ``nan``, which would
        read as divergence.
    """

    def __init__(
        self,
        keys_ignored=None,
        sink=print,
        tablefmt="simple",
        floatfmt=".4f",
        stralign="right",
        not_yet=(),
    ):
        super().__init__(
            keys_ignored=keys_ignored,
            sink=sink,
            tablefmt=tablefmt,
            floatfmt=floatfmt,
            stralign=stralign,
        )
        self.not_yet = not_yet

    def _sink(self, text, verbose):
        # skorch's PrintLog prints through its sink: here, above any progress bar
        if self.sink is print:
            if verbose:
                write_line(text)
        else:
            super()._sink(text, verbose)

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
        value = row[key]
        if key in self.not_yet and isinstance(value, float) and math.isnan(value):
            return ""
        if not _stdout_is_terminal():
            row = {**row, f"{key}_best": False}
        return super().format_row(row, key, color)


def _stdout_is_terminal() -> bool:
    isatty = getattr(sys.stdout, "isatty", None)
    return bool(isatty and isatty())


class StepProgressBar(Callback):
    """A tqdm bar over the optimisation steps with losses a reader can follow.

    The critic's total loss is not shown: with the lazy penalty (``gp_every``)
    it jumps between about 0 and ``lambda_gp * gp_every`` times the penalty from
    one critic step to the next, which reads as divergence. The bar shows its
    parts instead, each as the mean over the latest epoch's steps that have it:

    * ``wasserstein``: the critic's estimate D(real) - D(fake);
    * ``penalty``: the gradient penalty, over the critic steps that computed
      one (the latest such epoch's value until the next);
    * ``autoencoder``: the reconstruction loss;
    * ``generator``: the generator's loss (adversarial + μ · autoencoder).
    """

    _SHOWN = (
        ("wasserstein", "wasserstein"),
        ("penalty", "gradient_penalty"),
        ("autoencoder", "autoencoder_loss"),
        ("generator", "generator_loss"),
    )

    def on_train_begin(self, net, X=None, y=None, **kwargs):
        from tqdm.auto import tqdm

        self.bar_ = tqdm(total=net.budget_steps_, unit="step", leave=True)
        self.shown_ = {}

    def on_batch_end(self, net, batch=None, training=False, **kwargs):
        # steps_ goes back when a diverged epoch is retried
        self.bar_.n = net.steps_
        self.bar_.refresh()

    def on_epoch_end(self, net, dataset_train=None, dataset_valid=None, **kwargs):
        row = net.history[-1]
        for label, key in self._SHOWN:
            value = row.get(key)
            if value is not None and not math.isnan(value):
                self.shown_[label] = f"{value:.3g}"
        shown = {label: self.shown_[label] for label, _ in self._SHOWN if label in self.shown_}
        self.bar_.set_postfix(shown, refresh=True)

    def on_train_end(self, net, X=None, y=None, **kwargs):
        self.bar_.n = net.steps_
        self.bar_.close()
        # a closed bar is of no use to a pickled GAN
        del self.bar_
