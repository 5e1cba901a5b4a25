"""Ensembles for imbalanced sequence classification."""

from ._bagging import BalancedSequenceBaggingClassifier

__all__ = ["BalancedSequenceBaggingClassifier"]
