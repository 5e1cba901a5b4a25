"""LossWeightSchedule: the paper's "adjust μ and λ" as a skorch callback.

The paper (section 2.2.1) monitors the generator's, critic's and autoencoder's
losses "and adjust[s] μ and λ to prevent the discriminator from learning too
quickly and to ensure that the autoencoder loss decreases", without a rule;
the authors' public code keeps both constant. This module's rule is the
library's own, written out in the class docstring.
"""

from __future__ import annotations

import math

from skorch.callbacks import Callback

__all__ = ["LossWeightSchedule"]


class LossWeightSchedule(Callback):
    """Adjust the GAN's μ (``mu``) and λ (``lambda_gp``) from its monitored losses.

    A skorch callback for the GAN of
    :class:`~imblearn_seqgan.over_sampling.SeqGANOverSampler` and
    :class:`~imblearn_seqgan.novelty.GANNoveltyDetector` (pass it as their
    ``loss_weight_schedule``). The rule, checked at the end of the first
    epoch after every ``window`` optimisation steps (steps of all three kinds,
    so a check covers the same amount of training whatever the data size):

    * the window's losses are the means, over the window's epochs, of the
      history's ``autoencoder_loss`` and ``wasserstein`` (the critic's estimate
      ``D(real) - D(fake)``);
    * **μ**: if the autoencoder loss did not fall by at least ``min_decrease``
      (relative) from the previous window, ``mu *= factor``;
    * **λ**: if the Wasserstein estimate rose by more than
      ``max_wasserstein_rise`` from the previous window (the critic is pulling
      away from the generator: learning too quickly), ``lambda_gp *= factor``;
    * both are bounded: at most ``max_ratio`` times their value at the start of
      training; nothing is lowered.

    The first window only sets the reference. Every epoch's row of the history
    records the ``mu`` and ``lambda_gp`` in force at its end. The GAN's own
    ``mu`` and ``lambda_gp`` are restored when training ends, so fitting does
    not change its parameters; read the schedule's effect in the history.

    Parameters
    ----------
    window : int, default=90
        Optimisation steps between checks (a tenth of the default budget of
        900 steps).
    factor : float, default=1.5
        Multiplier applied to μ or λ when its condition holds.
    min_decrease : float, default=0.01
        Relative fall of the autoencoder loss, window over window, below which
        μ is raised.
    max_wasserstein_rise : float, default=0.01
        Rise of the Wasserstein estimate, window over window, above which λ is
        raised. With the default instance noise and drift term the estimate
        stays within about ±0.02 (measured on the signature data set of the
        User Guide), so 0.01 is a clear trend, not noise between windows.
    max_ratio : float, default=10.0
        Bound of μ and λ, relative to their values when training starts.

    Examples
    --------
    >>> from imblearn_seqgan.datasets import make_imbalanced_sequences
    >>> from imblearn_seqgan.over_sampling import LossWeightSchedule, SeqGANOverSampler
    >>> X, y = make_imbalanced_sequences(60, max_length=12, random_state=0)
    >>> schedule = LossWeightSchedule(window=6)
    >>> sampler = SeqGANOverSampler(
    ...     max_steps=30, hidden_size=16, loss_weight_schedule=schedule, random_state=0
    ... )
    >>> _ = sampler.fit_resample(X, y)
    >>> mu = sampler.history_[:, "mu"]  # μ in force at the end of each epoch
    >>> len(mu) == len(sampler.history_), min(mu) >= sampler.mu
    (True, True)
    """

    def __init__(
        self,
        window=90,
        factor=1.5,
        min_decrease=0.01,
        max_wasserstein_rise=0.01,
        max_ratio=10.0,
    ):
        self.window = window
        self.factor = factor
        self.min_decrease = min_decrease
        self.max_wasserstein_rise = max_wasserstein_rise
        self.max_ratio = max_ratio

    def on_train_begin(self, net, X=None, y=None, **kwargs):
        """Remember the starting μ and λ; no reference window yet."""
        self.initial_ = {"mu": net.mu, "lambda_gp": net.lambda_gp}
        self.checked_at_ = 0
        self.previous_ = None

    def on_epoch_end(self, net, dataset_train=None, dataset_valid=None, **kwargs):
        """Apply the rule when a window is complete; record μ and λ."""
        steps = net.history[-1, "steps"]
        if steps - self.checked_at_ >= self.window:
            current = self.window_means(net.history, self.checked_at_)
            if self.previous_ is not None:
                self.adjust(net, self.previous_, current)
            self.previous_, self.checked_at_ = current, steps
        net.history.record("mu", net.mu)
        net.history.record("lambda_gp", net.lambda_gp)

    @staticmethod
    def window_means(history, after_step):
        """Mean ``autoencoder_loss`` and ``wasserstein`` of the epochs that ended
        after ``after_step`` steps (NaN where no epoch recorded one).

        Returns
        -------
        means : dict
        """
        rows = [row for row in history if row["steps"] > after_step]
        means = {}
        for key in ("autoencoder_loss", "wasserstein"):
            values = [row[key] for row in rows if row.get(key) is not None]
            means[key] = sum(values) / len(values) if values else math.nan
        return means

    def adjust(self, net, previous, current):
        """Apply the rule to ``net.mu`` and ``net.lambda_gp`` given two
        consecutive windows' means (see the class docstring)."""
        stalled = (
            current["autoencoder_loss"] > (1 - self.min_decrease) * previous["autoencoder_loss"]
        )
        if stalled:
            net.mu = self._raised(net.mu, "mu")
        rise = current["wasserstein"] - previous["wasserstein"]
        if rise > self.max_wasserstein_rise:
            net.lambda_gp = self._raised(net.lambda_gp, "lambda_gp")

    def _raised(self, value, name):
        return min(value * self.factor, self.initial_[name] * self.max_ratio)

    def on_train_end(self, net, X=None, y=None, **kwargs):
        """Give the GAN back its own μ and λ (the history keeps the schedule's)."""
        net.mu, net.lambda_gp = self.initial_["mu"], self.initial_["lambda_gp"]
