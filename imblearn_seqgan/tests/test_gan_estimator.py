"""The GAN estimators hand their switches to the SequenceGAN they build."""

from sklearn.base import clone

from imblearn_seqgan._gan_estimator import build_sequence_gan
from imblearn_seqgan._nn import LossWeightSchedule
from imblearn_seqgan.over_sampling import SeqGANOverSampler


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
