"""Fidelity metrics for synthetic sequences."""

from ._fidelity import discriminative_score, train_on_synthetic_score

__all__ = ["discriminative_score", "train_on_synthetic_score"]
