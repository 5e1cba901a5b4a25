"""Loader of the Japanese Vowels data set (shipped by aeon)."""

from __future__ import annotations

import functools
import numbers
from pathlib import Path
from typing import Any, Literal

import numpy as np
from imblearn.utils._docstring import Substitution
from sklearn.utils._param_validation import Interval, StrOptions, validate_params

from ._base import (
    LOADER_DOCS,
    REAL_SEQUENCES_CONSTRAINTS,
    RandomState,
    _as_output,
    _imbalance_indices,
    _package_dir,
)
from ._validation import check_float_dtype

__all__ = ["load_japanese_vowels"]

# packages the loader (and its doctest) needs, by import name
REQUIRED_PACKAGES = ("aeon",)


def _read_ts(path: Path) -> tuple[list[np.ndarray], np.ndarray]:
    """Parse a multivariate ``.ts`` file (sktime/aeon format), one case per line."""
    sequences, labels = [], []
    in_data = False
    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.strip()
            if not line or line.startswith("#"):
                continue
            if not in_data:
                in_data = line.lower().startswith("@data")
                continue
            *channels, label = line.split(":")
            # channels-first in the file; the library wants (length, n_features)
            sequences.append(np.array([c.split(",") for c in channels], dtype=np.float64).T)
            labels.append(int(label))
    return sequences, np.array(labels, dtype=np.int64)


@functools.lru_cache(maxsize=1)
def _japanese_vowels_raw() -> tuple[tuple[np.ndarray, ...], np.ndarray, np.ndarray]:
    root = _package_dir("aeon", "aeon", loader="load_japanese_vowels")
    folder = root / "datasets" / "data" / "JapaneseVowels"
    train_X, train_y = _read_ts(folder / "JapaneseVowels_TRAIN.ts")
    test_X, test_y = _read_ts(folder / "JapaneseVowels_TEST.ts")
    is_test = np.r_[np.zeros(len(train_y), bool), np.ones(len(test_y), bool)]
    return tuple(train_X + test_X), np.r_[train_y, test_y], is_test


@Substitution(**LOADER_DOCS)
@validate_params(
    {
        "minority_class": [Interval(numbers.Integral, 1, 9, closed="both"), None],
        "subset": [StrOptions({"all", "train", "test"})],
        **REAL_SEQUENCES_CONSTRAINTS,
    },
    prefer_skip_nested_validation=True,
)
def load_japanese_vowels(
    *,
    minority_class: int | None = 1,
    minority_fraction: float | None = 0.05,
    subset: Literal["all", "train", "test"] = "all",
    padding: Literal["pre", "post"] = "post",
    return_list: bool = False,
    dtype: Any = np.float32,
    random_state: RandomState = None,
) -> tuple[np.ndarray | list[np.ndarray], np.ndarray]:
    """Load the Japanese Vowels data set, one speaker against the rest.

    640 utterances of the vowels "ae" by 9 male speakers (UCI), each a sequence of
    7 to 29 time steps of 12 LPC cepstrum coefficients. The file shipped by the
    ``aeon`` package is read directly (aeon is not imported) and transposed from
    aeon's channels-first layout to ``(length, n_features)``. The files are
    parsed once per process, in under a second.

    Parameters
    ----------
    minority_class : int in 1..9 or None, default=1
        Speaker whose utterances form the minority class (label 1); all other
        speakers form the majority (label 0). ``None`` returns all speakers with
        their labels 1..9 (then ``minority_fraction`` must be None).
    minority_fraction : float in (0, 1) or None, default=0.05
        Share of minority sequences in the result, {minority_fraction_how}
        With the defaults, 30 of the 61 utterances of speaker 1 against all 579
        of the other speakers. ``None`` keeps every sequence (speaker 1 is then
        9.5% of the data).
    subset : {{"all", "train", "test"}}, default="all"
        The original train (270 utterances) or test (370) split, or both.
    padding : {{"post", "pre"}}, default="post"
        Side of the NaN padding of the 3-D output.
    {return_list}
    {dtype_float32}
    random_state : int, RandomState instance or None, default=None
        Seed of the under-sampling.

    Returns
    -------
    X : ndarray of shape (n_sequences, max_length, 12) or list of ndarray
        NaN-padded sequences (or a list of unpadded ones), in file order
        (train file, then test file); ``max_length`` is that of the longest
        sequence returned (at most 29).
    y : ndarray of shape (n_sequences,), dtype int64
        1 for the minority speaker, 0 for the others (or the speaker, 1..9).

    Raises
    ------
    ModuleNotFoundError
        If ``aeon`` is not installed (``pip install aeon``).

    Examples
    --------
    >>> from imblearn_seqgan.datasets import load_japanese_vowels
    >>> X, y = load_japanese_vowels(random_state=0)
    >>> X.shape, int(y.sum())
    ((609, 26, 12), 30)
    """
    dtype = check_float_dtype(dtype)
    sequences, speakers, is_test = _japanese_vowels_raw()
    keep = np.ones(len(speakers), bool) if subset == "all" else is_test == (subset == "test")
    rows = np.flatnonzero(keep)
    if minority_class is None:
        if minority_fraction is not None:
            raise ValueError(
                "minority_fraction needs a minority_class; use minority_fraction=None to "
                "load all nine speakers."
            )
        y = speakers[rows]
    else:
        y = (speakers[rows] == minority_class).astype(np.int64)
        chosen = _imbalance_indices(y.astype(bool), minority_fraction, random_state)
        rows, y = rows[chosen], y[chosen]
    X = _as_output(
        [sequences[i] for i in rows], padding=padding, return_list=return_list, dtype=dtype
    )
    return X, y
