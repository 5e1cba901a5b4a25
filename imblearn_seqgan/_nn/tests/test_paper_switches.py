"""The switches between the library's GAN and the paper's eq. (1) change what
they say: the drift term, the generator's penalty term, the μ/λ schedule."""

import copy

import numpy as np
import pytest
import torch
from sklearn.base import clone
from skorch.history import History

from imblearn_seqgan._gan_estimator import build_sequence_gan
from imblearn_seqgan._nn import LossWeightSchedule, SequenceGAN
from imblearn_seqgan._nn.tests.test_nn import _toy
from imblearn_seqgan.datasets import make_imbalanced_sequences
from imblearn_seqgan.over_sampling import SeqGANOverSampler


def _ready_gan(**params):
    """A GAN after a few steps, with fresh optimizers and training mode on, so
    that its train steps can be called on a fixed batch; and that batch."""
    values, lengths = _toy()
    params = {"hidden_size": 8, "num_layers": 1, "max_steps": 6, "batch_size": 8, **params}
    gan = SequenceGAN(instance_noise=0.0, random_state=0, **params).fit(values, lengths)
    gan._initialize_optimizer()  # skorch: inside its init context
    gan._set_training(True)
    gan.critic_steps_ = 0
    batch = gan.make_batch(values, lengths, None, np.arange(len(lengths)), torch.device("cpu"))
    return gan, batch


@pytest.mark.parametrize("drift_weight", [0.0, 1e-3, 0.5])
def test_drift_weight_is_the_critic_losss_drift_term(drift_weight):
    """Without the penalty the critic's loss is ``-W + drift_weight * E[D(real)^2]``;
    ``drift_weight=0`` leaves eq. (1)'s adversarial terms alone."""
    gan, batch = _ready_gan(lambda_gp=0.0, drift_weight=drift_weight)
    with torch.no_grad():
        real, _ = gan.get_code_pair(batch)
        d_real = gan.critic_(real[0], batch.lengths)
    out = gan.train_step_critic(batch, 1)
    drift = float(out["critic_loss"] + out["wasserstein"])
    expected = drift_weight * float((d_real**2).mean())
    assert drift == pytest.approx(expected, rel=1e-4, abs=1e-9)
    if drift_weight == 0:
        assert drift == 0.0


@pytest.mark.parametrize("estimate", ["finite_difference", "exact"])
@pytest.mark.parametrize("where", ["real", "interpolates"])
def test_generator_penalty_reaches_the_generators_weights(estimate, where):
    """The penalty at the generator's codes (the paper's G(0, x, y), or
    interpolates) has a gradient in the generator's weights; with
    ``generator_penalty=True`` the generator's step adds it (λ · gp_every · GP),
    moves the generator differently and leaves the critic's weights alone."""
    gan, batch = _ready_gan(gradient_penalty=where, penalty_estimate=estimate, gp_every=1)
    gan._requires_grad(gan.critic_, False)
    torch.manual_seed(0)
    real, fake = gan.get_code_pair(batch)
    gp = gan.get_generator_penalty(batch, real, fake)
    grads = torch.autograd.grad(gp, list(gan.module_.parameters()), allow_unused=True)
    assert sum(float(g.abs().sum()) for g in grads if g is not None) > 0
    gan._requires_grad(gan.critic_, True)

    runs = {}
    for flag in (False, True):
        twin = copy.deepcopy(gan)
        twin.generator_penalty = flag
        critic_before = [p.detach().clone() for p in twin.critic_.parameters()]
        torch.manual_seed(0)
        loss = float(twin.train_step_generator(batch, 0)["generator_loss"])
        for before, after in zip(critic_before, twin.critic_.parameters(), strict=True):
            assert torch.equal(before, after)
        runs[flag] = loss, [p.detach().clone() for p in twin.module_.parameters()]
    assert runs[True][0] > runs[False][0]  # λ · GP ≥ 0 was added
    assert any(not torch.equal(a, b) for a, b in zip(runs[True][1], runs[False][1], strict=True))


def test_generator_penalty_is_off_between_lazy_steps():
    """With ``gp_every=2`` the generator's penalty enters every second generator
    step only (steps 0, 6, ... of the three-kind cycle)."""
    gan, batch = _ready_gan(gp_every=2)
    losses = {}
    for flag in (False, True):
        twin = copy.deepcopy(gan)
        twin.generator_penalty = flag
        torch.manual_seed(0)
        losses[flag] = float(twin.train_step_generator(batch, 3)["generator_loss"])
    assert losses[True] == losses[False]


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


def test_gan_estimators_pass_the_switches_on():
    schedule = LossWeightSchedule(window=30)
    sampler = SeqGANOverSampler(
        drift_weight=0.0, generator_penalty=True, loss_weight_schedule=schedule
    )
    gan = build_sequence_gan(sampler, 0)
    assert (gan.drift_weight, gan.generator_penalty) == (0.0, True)
    assert gan.loss_weight_schedule is schedule
    cloned = clone(sampler).loss_weight_schedule
    assert cloned is not schedule and cloned.get_params() == schedule.get_params()


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
