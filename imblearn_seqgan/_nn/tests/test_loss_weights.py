"""The μ/λ schedule (the paper's "adjust μ and λ") applies its rule and records it."""

from skorch.history import History

from imblearn_seqgan._nn import LossWeightSchedule
from imblearn_seqgan.datasets import make_imbalanced_sequences
from imblearn_seqgan.over_sampling import SeqGANOverSampler


class _Net:
    """What the schedule reads and writes of a SequenceGAN: its history, mu and
    lambda_gp."""

    def __init__(self):
        self.mu, self.lambda_gp, self.history = 10.0, 10.0, History()


def _epoch(net, schedule, steps, autoencoder_loss, wasserstein):
    net.history.new_epoch()
    net.history.record("steps", steps)
    net.history.record("autoencoder_loss", autoencoder_loss)
    net.history.record("wasserstein", wasserstein)
    schedule.on_epoch_end(net)


def test_loss_weight_schedule_applies_its_rule():
    """Windows of 6 steps (two 3-step epochs): the first sets the reference; a
    fall of the autoencoder loss under 1% raises μ, a rise of the Wasserstein
    estimate over 0.01 raises λ; both stop at 10x; training's end restores them."""
    schedule = LossWeightSchedule(window=6, factor=2.0)
    net = _Net()
    schedule.on_train_begin(net)
    _epoch(net, schedule, 3, 1.0, 0.0)
    _epoch(net, schedule, 6, 1.0, 0.0)  # reference window: ae 1.0, W 0.0
    assert (net.mu, net.lambda_gp) == (10.0, 10.0)
    _epoch(net, schedule, 9, 0.995, 0.0)
    _epoch(net, schedule, 12, 0.995, 0.005)  # ae fell 0.5%: μ up; W rose 0.0025
    assert (net.mu, net.lambda_gp) == (20.0, 10.0)
    _epoch(net, schedule, 15, 0.5, 0.1)
    _epoch(net, schedule, 18, 0.5, 0.1)  # ae fell 50%; W rose ~0.1: λ up
    assert (net.mu, net.lambda_gp) == (20.0, 20.0)
    for k in range(8):  # stalled autoencoder, rising W: both up to 10x, no further
        _epoch(net, schedule, 21 + 6 * k, 0.5, 0.2 + k)
        _epoch(net, schedule, 24 + 6 * k, 0.5, 0.2 + k)
    assert (net.mu, net.lambda_gp) == (100.0, 100.0)
    assert net.history[:, "mu"][:6] == [10.0, 10.0, 10.0, 20.0, 20.0, 20.0]
    assert net.history[5, "lambda_gp"] == 20.0
    schedule.on_train_end(net)
    assert (net.mu, net.lambda_gp) == (10.0, 10.0)


def test_schedule_records_mu_and_lambda_and_leaves_the_estimator_unchanged():
    X, y = make_imbalanced_sequences(60, max_length=12, random_state=0)
    schedule = LossWeightSchedule(window=6, min_decrease=0.5)  # μ goes up each window
    sampler = SeqGANOverSampler(
        max_steps=60, hidden_size=8, loss_weight_schedule=schedule, random_state=0
    )
    sampler.fit_resample(X, y)
    history = sampler.history_
    assert len(history[:, "mu"]) == len(history)
    assert history[-1, "mu"] > sampler.mu and history[-1, "mu"] <= 10 * sampler.mu
    # the estimator's schedule and the trained GAN's parameters are untouched
    assert not hasattr(schedule, "initial_")
    assert sampler.gan_.mu == sampler.mu
