"""Over-samplers for variable-length, multi-feature sequences.

``LatentADASYN`` is imported on first use (PEP 562): its module loads torch, and
importing the torch-free ``SeqGANOverSampler`` should not.
"""

import importlib

from ._seqgan import SeqGANOverSampler

__all__ = ["LatentADASYN", "SeqGANOverSampler"]


def __getattr__(name):
    if name == "LatentADASYN":
        return importlib.import_module("._latent_adasyn", __name__).LatentADASYN
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__():
    return sorted(__all__)
