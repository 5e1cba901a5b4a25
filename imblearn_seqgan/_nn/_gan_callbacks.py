"""The progress bar of SequenceGAN's training (``verbose > 0``)."""

from __future__ import annotations

from skorch.callbacks import Callback

__all__ = ["StepProgressBar"]


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
            if row.get(key) is not None:
                self.shown_[label] = f"{row[key]:.3g}"
        shown = {label: self.shown_[label] for label, _ in self._SHOWN if label in self.shown_}
        self.bar_.set_postfix(shown, refresh=True)

    def on_train_end(self, net, X=None, y=None, **kwargs):
        self.bar_.n = net.steps_
        self.bar_.close()
        # a closed bar is of no use to a pickled GAN
        del self.bar_
