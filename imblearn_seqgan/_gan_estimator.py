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
_GAN_ARGUMENTS = tuple(
    name for name in GAN_PARAMETER_CONSTRAINTS if name not in ("padding_value", "random_state")
)


def build_sequence_gan(estimator: Any, seed: int) -> Any:
    """A SequenceGAN configured from ``estimator``'s parameters, seeded with ``seed``."""
    from ._nn import SequenceGAN

    return SequenceGAN(
        **{name: getattr(estimator, name) for name in _GAN_ARGUMENTS}, random_state=seed
    )
