"""The GAN estimators hand their parameters to the SequenceGAN they build."""

import pytest
from sklearn.base import clone

from imblearn_seqgan._gan_estimator import GAN_PARAMETER_CONSTRAINTS
from imblearn_seqgan._nn import LossWeightSchedule
from imblearn_seqgan.novelty import GANNoveltyDetector
from imblearn_seqgan.over_sampling import SeqGANOverSampler

# what the estimators use themselves, or hand over under another name
_NOT_HANDED_OVER = {"padding_value", "n_threads", "random_state", "device"}
_RENAMED = {"lr_generator": "lr", "lr_critic": "optimizer_critic__lr"}
_RENAMED["lr_decoder"] = "optimizer_decoder__lr"


def test_gan_estimators_pass_the_switches_on():
    schedule = LossWeightSchedule(window=30)
    sampler = SeqGANOverSampler(
        drift_weight=0.0, generator_penalty=True, loss_weight_schedule=schedule
    )
    gan = sampler._build_gan(0)
    assert (gan.drift_weight, gan.generator_penalty, gan.random_state) == (0.0, True, 0)
    assert gan.loss_weight_schedule is schedule
    cloned = clone(sampler).loss_weight_schedule
    assert cloned is not schedule and cloned.get_params() == schedule.get_params()


@pytest.mark.parametrize("estimator", [SeqGANOverSampler, GANNoveltyDetector])
def test_every_gan_parameter_reaches_the_gan(estimator):
    # values unlike every default, so a parameter left out of _build_gan shows
    names = set(GAN_PARAMETER_CONSTRAINTS) - _NOT_HANDED_OVER
    params = {}
    for i, name in enumerate(sorted(names)):
        default = estimator().get_params()[name]
        if isinstance(default, bool):
            params[name] = not default
        elif name == "gradient_penalty":
            params[name] = "real"
        elif name == "penalty_estimate":
            params[name] = "exact"
        elif name == "loss_weight_schedule":
            params[name] = LossWeightSchedule(window=7)
        elif isinstance(default, float):
            params[name] = default + 0.5 + i
        else:
            params[name] = (default or 0) + 2 + i
    gan_params = estimator(**params, device="cpu")._build_gan(3).get_params(deep=False)
    for name, value in params.items():
        assert gan_params[_RENAMED.get(name, name)] is value or (
            gan_params[_RENAMED.get(name, name)] == value
        ), name
    assert gan_params["device"] == "cpu" and gan_params["random_state"] == 3
