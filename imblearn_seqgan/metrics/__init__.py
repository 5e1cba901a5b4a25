"""Measures of synthetic sequences and per-sequence summaries.

* :func:`discriminative_score`: can a classifier tell synthetic from real?
* :func:`nearest_neighbour_ratio`: do synthetic sequences lie among the real ones?
* :func:`train_on_synthetic_score`: can they stand in for the real minority?
* :func:`minority_share`: how many does a classifier of real data call minority?
* :func:`sequence_summaries`: fixed-length features of variable-length sequences.
"""

from ._fidelity import discriminative_score, nearest_neighbour_ratio, train_on_synthetic_score
from ._minority import minority_share
from ._summaries import sequence_summaries

__all__ = [
    "discriminative_score",
    "minority_share",
    "nearest_neighbour_ratio",
    "sequence_summaries",
    "train_on_synthetic_score",
]
