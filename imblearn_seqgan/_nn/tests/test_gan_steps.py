"""The switches between the library's GAN steps and the paper's eq. (1) change
what they say: the drift term and the generator's penalty term."""

import copy

import numpy as np
import pytest
import torch

from imblearn_seqgan._nn import SequenceGAN
from imblearn_seqgan._nn.tests.test_gan import _toy


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
