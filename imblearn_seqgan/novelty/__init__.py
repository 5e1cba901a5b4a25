"""Novelty (outlier) detection for variable-length, multi-feature sequences."""

from ._gan_novelty import GANNoveltyDetector

__all__ = ["GANNoveltyDetector"]
