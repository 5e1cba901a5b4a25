"""Tests of the early stopping that looks past a plateau of the loss."""

from copy import deepcopy

import numpy as np
import torch
from skorch.callbacks import Callback

from imblearn_seqgan._nn import (
    LengthBucketedLoader,
    PlateauStopping,
    SequenceNet,
    loss_has_plateaued,
)


def test_a_slow_noisy_fall_is_not_a_plateau_but_a_flat_curve_is():
    rng = np.random.default_rng(0)
    passes = np.arange(300)
    noise = np.exp(rng.normal(0, 0.03, size=len(passes)))
    # falls 0.5% per pass (a tenfold fall takes 460 passes), with 3% noise per pass
    falling = 0.3 * 0.995**passes * noise
    # one lucky pass: skorch's best-so-far rule (tol 1%, patience 20) counts every
    # later pass as a miss until the trend catches up with it, about 45 passes, so
    # it stops at pass 121; the windows' medians do not see it
    falling[100] *= 0.8
    flat = 0.3 * noise
    assert not any(loss_has_plateaued(falling[:e], 20, 0.01) for e in range(1, 301))
    stops = [e for e in range(1, 301) if loss_has_plateaued(flat[:e], 20, 0.01)]
    assert stops and stops[0] < 80
    # nothing is decided before two windows are known
    assert not loss_has_plateaued(flat[:39], 20, 0.01)


def test_a_spike_does_not_end_a_falling_curve():
    losses = 0.9 ** np.arange(10.0)
    losses[-1] = 50.0  # one of Adam's spikes in the latest window
    assert not loss_has_plateaued(losses, 5, 0.01)
    assert loss_has_plateaued(np.r_[losses[:5], losses[:5]], 5, 0.01)  # no fall: a plateau


class Scale(torch.nn.Module):
    """y = w * (sum of the sequence's values): a one-weight model to train."""

    def __init__(self):
        super().__init__()
        self.weight = torch.nn.Parameter(torch.zeros(1))

    def forward(self, values, lengths):
        return self.weight * values.sum(dim=(1, 2))


class WeightsPerEpoch(Callback):
    """Records the module's weight after every epoch."""

    def on_train_begin(self, net, **kwargs):
        self.weights_ = []

    def on_epoch_end(self, net, **kwargs):
        self.weights_.append(deepcopy(net.module_.weight.detach()))


def fit(lr, stopping, max_epochs=30):
    rng = np.random.default_rng(0)
    values = rng.normal(size=(12, 5, 2)).astype(np.float32)
    X = {"values": values, "lengths": np.full(12, 5)}
    y = (2 * values.sum(axis=(1, 2))).astype(np.float32)
    record = WeightsPerEpoch()
    net = SequenceNet(
        module=Scale,
        criterion=torch.nn.MSELoss,
        optimizer=torch.optim.SGD,
        lr=lr,
        max_epochs=max_epochs,
        batch_size=4,  # 3 steps per pass
        iterator_train=LengthBucketedLoader,
        iterator_train__rng=np.random.default_rng(0),
        train_split=None,
        callbacks=[("stopping", stopping), ("record", record)],
        device="cpu",
        verbose=0,
    ).fit(X, y)
    return net, record.weights_


def test_no_stop_before_the_step_budget_and_none_while_the_loss_falls():
    # lr=0: the loss never moves, a plateau from the start
    net, _ = fit(0.0, PlateauStopping(2, min_steps=30))
    assert len(net.history) == 10  # 30 steps of 3 per pass: stopped at the first chance
    net, _ = fit(0.0, PlateauStopping(2))
    assert len(net.history) == 4  # two windows of two passes
    # a small learning rate: the loss falls by more than 1% per window to the end
    net, _ = fit(1e-3, PlateauStopping(2))
    losses = net.history[:, "train_loss"]
    assert len(net.history) == 30 and losses[-1] < 0.5 * losses[0]


def test_a_stop_keeps_the_weights_of_the_best_pass():
    # too large a step: SGD overshoots further each step, the loss rises from pass 1
    stopping = PlateauStopping(2, min_steps=15)
    net, weights = fit(0.15, stopping)
    losses = net.history[:, "train_loss"]
    assert losses[-1] > 10 * losses[0]  # it got worse; the rule stopped it
    assert stopping.stopped_epoch_ == len(net.history) == 5
    assert stopping.best_epoch_ == 1 and int(np.argmin(losses)) == 0
    torch.testing.assert_close(net.module_.weight.detach(), weights[0])
    # without a stop (the cap came first) the last weights stay
    net, weights = fit(0.15, PlateauStopping(2, min_steps=1000), max_epochs=5)
    torch.testing.assert_close(net.module_.weight.detach(), weights[-1])
