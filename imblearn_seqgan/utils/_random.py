"""The one way the estimators draw a seed from their ``random_state``."""

from __future__ import annotations

import numpy as np
from sklearn.utils import check_random_state

__all__ = ["draw_seed"]

_MAX_SEED = np.iinfo(np.int32).max


def draw_seed(random_state, size: int | None = None):
    """Seed(s) for what an estimator seeds in turn (its networks, members, splits).

    Drawn from ``random_state`` as scikit-learn's ``BaseEnsemble`` seeds its members
    (``randint`` below the int32 maximum): an int gives the same seeds every time, a
    ``RandomState`` advances, None gives fresh ones.

    Parameters
    ----------
    random_state : None, int or numpy RandomState
    size : int, optional
        How many seeds; None gives one.

    Returns
    -------
    seed : int, or ndarray of shape (size,)
    """
    rng = check_random_state(random_state)
    if size is None:
        return int(rng.randint(_MAX_SEED))
    return rng.randint(_MAX_SEED, size=size)
