"""Over-samplers for variable-length, multi-feature sequences.

``LatentADASYN`` and ``LossWeightSchedule`` (the GAN's μ/λ schedule, a skorch
callback) are imported on first use (PEP 562): their modules load torch, and
importing the torch-free ``SeqGANOverSampler`` should not.
"""

import importlib

from ._seqgan import SeqGANOverSampler

__all__ = ["LatentADASYN", "LossWeightSchedule", "SeqGANOverSampler"]


def __getattr__(name):
    if name == "LatentADASYN":
        return importlib.import_module("._latent_adasyn", __name__).LatentADASYN
    if name == "LossWeightSchedule":
        return importlib.import_module("imblearn_seqgan._nn._loss_weights").LossWeightSchedule
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__():
    return sorted(__all__)
