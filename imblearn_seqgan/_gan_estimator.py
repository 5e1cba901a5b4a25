"""What the estimators built on the shared SequenceGAN (the over-sampler and the
novelty detector) have in common: the GAN's parameters, their constraints and how
a SequenceGAN is built from them. Kept torch-free so importing an estimator's
module does not load torch."""

from __future__ import annotations

import numbers
from typing import Any

from sklearn.utils._param_validation import Interval, StrOptions

_POSITIVE_INT = Interval(numbers.Integral, 1, None, closed="left")
_NON_NEGATIVE = Interval(numbers.Real, 0, None, closed="left")
_POSITIVE = Interval(numbers.Real, 0, None, closed="neither")

GAN_PARAMETER_CONSTRAINTS: dict = {
    "lambda_gp": [_NON_NEGATIVE],
    "mu": [_NON_NEGATIVE],
    "gradient_penalty": [StrOptions({"interpolates", "real"})],
    "gp_every": [_POSITIVE_INT],
    "hidden_size": [_POSITIVE_INT],
    "num_layers": [_POSITIVE_INT],
    "lr_generator": [_POSITIVE],
    "lr_critic": [_POSITIVE],
    "lr_decoder": [_POSITIVE],
    "batch_size": [_POSITIVE_INT],
    "max_steps": [_POSITIVE_INT],
    "instance_noise": [_NON_NEGATIVE],
    "padding_value": [numbers.Real],
    "device": [str],
    "random_state": ["random_state"],
    "verbose": ["verbose"],
}

# estimator parameters handed to SequenceGAN unchanged
_GAN_ARGUMENTS = (
    "lambda_gp",
    "mu",
    "gradient_penalty",
    "gp_every",
    "hidden_size",
    "num_layers",
    "batch_size",
    "max_steps",
    "instance_noise",
    "verbose",
)


def build_sequence_gan(estimator: Any, seed: int) -> Any:
    """A SequenceGAN configured from ``estimator``'s parameters, seeded with ``seed``.

    Parameters
    ----------
    estimator : SeqGANOverSampler or GANNoveltyDetector
        Its GAN parameters (``GAN_PARAMETER_CONSTRAINTS``) are read.
    seed : int
        The GAN's ``random_state``.

    Returns
    -------
    gan : SequenceGAN
        Not fitted. The learning rates go to skorch's optimizer parameters:
        ``lr`` (the generator, skorch's main module), ``critic_optimizer__lr``
        and ``decoder_optimizer__lr``.
    """
    from ._nn import SequenceGAN, resolve_device

    return SequenceGAN(
        **{name: getattr(estimator, name) for name in _GAN_ARGUMENTS},
        lr=estimator.lr_generator,
        critic_optimizer__lr=estimator.lr_critic,
        decoder_optimizer__lr=estimator.lr_decoder,
        device=str(resolve_device(estimator.device)),
        random_state=seed,
    )
