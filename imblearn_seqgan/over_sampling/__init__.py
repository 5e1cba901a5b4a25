"""Over-samplers for variable-length, multi-feature sequences."""

from ._latent_adasyn import LatentADASYN
from ._seqgan import SeqGANOverSampler

__all__ = ["LatentADASYN", "SeqGANOverSampler"]
