"""Over-samplers for variable-length, multi-feature sequences.

``LatentADASYN`` and ``LossWeightSchedule`` (the GAN's μ/λ schedule, a skorch
callback) are imported on first use (PEP 562): their modules load torch, and
importing the torch-free ``SeqGANOverSampler`` and the interpolating and
augmenting samplers (numpy, scikit-learn and imbalanced-learn only) should not.
"""

import importlib

from ._augment import SequenceAugmenter
from ._random_over import SequenceRandomOverSampler
from ._seqgan import SeqGANOverSampler
from ._sequence_adasyn import SequenceADASYN
from ._sequence_smote import SequenceSMOTE

__all__ = [
    "LatentADASYN",
    "LossWeightSchedule",
    "SeqGANOverSampler",
    "SequenceADASYN",
    "SequenceAugmenter",
    "SequenceRandomOverSampler",
    "SequenceSMOTE",
]


def __getattr__(name):
    if name == "LatentADASYN":
        return importlib.import_module("._latent_adasyn", __name__).LatentADASYN
    if name == "LossWeightSchedule":
        return importlib.import_module("imblearn_seqgan._nn._loss_weights").LossWeightSchedule
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__():
    return sorted(__all__)
