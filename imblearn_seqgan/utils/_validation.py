"""The sequence data contract: what X may be, checked once, with errors that say where.

* X is a 3-D float array ``(n_sequences, n_timesteps, n_features)`` padded with
  ``padding_value`` (NaN by default) at the start ("pre") or the end ("post"), a
  list of 2-D arrays of different lengths (or a 1-D object array or pandas Series
  holding them, returned as such), or a 2-D array read as sequences of one time
  step.
* A time step is padding when *every* feature equals ``padding_value`` and it
  belongs to the leading or trailing run of such steps. With a NaN padding value an
  all-NaN step in the middle of a sequence is an error (missing data); with another
  padding value it is ordinary data (a real all-zero step, say).
* Models consume the sequences post-padded with zeros plus their lengths
  (:class:`~imblearn_seqgan.utils.Sequences`).
"""

from __future__ import annotations

import numbers
import warnings
from typing import Any

import numpy as np
from sklearn.utils._param_validation import validate_params
from sklearn.utils.validation import _check_feature_names, check_array

from ._container import Padding, Sequences, _Layout

__all__ = ["check_sequences", "validate_sequences"]

_FLOAT_DTYPES = (np.float64, np.float32)


def _is_missing(values: np.ndarray, padding_value: float) -> np.ndarray:
    """Element-wise "equals the padding value", NaN-aware."""
    if _is_nan(padding_value):
        return np.isnan(values)
    return values == padding_value


def _is_nan(value: Any) -> bool:
    return isinstance(value, numbers.Real) and np.isnan(value)


def _check_padding_value(padding_value: Any) -> float:
    if not isinstance(padding_value, numbers.Real) or isinstance(padding_value, bool):
        raise TypeError(f"padding_value must be a real number or NaN, got {padding_value!r}.")
    if np.isinf(padding_value):
        raise ValueError("padding_value must be finite or NaN, got infinity.")
    return float(padding_value)


def _describe(padding_value: float) -> str:
    return "NaN" if _is_nan(padding_value) else repr(padding_value)


def _first_different(lengths: list) -> int | None:
    """Index of the first item whose length differs from the first item's."""
    return next((i for i, n in enumerate(lengths) if n != lengths[0]), None)


def _holder(X: Any) -> str | None:
    """Which ragged collection ``X`` is: ``"list"`` (list or tuple), ``"ndarray"``
    (1-D object array) or ``"series"`` (pandas Series of objects); None otherwise."""
    if isinstance(X, (list, tuple)):
        return "list"
    if isinstance(X, np.ndarray) and X.dtype == object and X.ndim == 1:
        return "ndarray"
    # a pandas Series without importing pandas
    if (
        type(X).__name__ == "Series"
        and hasattr(X, "to_numpy")
        and getattr(X, "dtype", None) == np.dtype("O")
    ):
        return "series"
    return None


def _items(X: Any) -> list:
    """The items of a ragged collection, by position (a Series' index is ignored)."""
    return list(X.to_numpy() if _holder(X) == "series" else X)


def _is_list_of_sequences(X: Any) -> bool:
    if _holder(X) is None or len(X) == 0:
        return False
    first = _items(X)[0]
    return not np.isscalar(first) and np.ndim(first) == 2


def _as_float_array(X: Any, input_name: str, *, allow_nd: bool) -> np.ndarray:
    """dtype checks and conversion, delegated to scikit-learn's check_array."""
    if isinstance(X, np.ndarray) and X.dtype.kind in "US":
        raise TypeError(
            f"{input_name} has dtype {X.dtype}: strings are not numeric sequences; "
            "convert them to numbers first."
        )
    if isinstance(X, np.ndarray) and X.dtype.kind == "c":
        # ValueError with scikit-learn's wording (its check_complex_data matches it).
        raise ValueError(f"Complex data not supported: {input_name} has complex dtype {X.dtype}.")
    try:
        return check_array(
            X,
            accept_sparse=False,
            dtype=_FLOAT_DTYPES,
            ensure_all_finite=False,
            allow_nd=allow_nd,
            ensure_2d=False,
            ensure_min_samples=1,
            ensure_min_features=1,
            input_name=input_name,
        )
    except (TypeError, ValueError) as exc:
        # numpy's own messages ("could not convert string to float", "setting an
        # array element with a sequence ... inhomogeneous shape") say neither what
        # the contract expects nor where the input breaks it.
        _explain_unconvertible(X, input_name, exc)
        raise


def _explain_unconvertible(X: Any, input_name: str, exc: Exception) -> None:
    """Raise the library's error for strings or ragged non-2-D items, if that is
    why ``X`` could not be converted; return otherwise."""
    path = _first_string(X)
    if path is not None:
        where = input_name + "".join(f"[{i}]" for i in path[0])
        raise TypeError(
            f"{where} is the string {path[1]!r}: sequences must be numeric; encode "
            "tokens or categories as numbers first (e.g. one-hot or embedding "
            "vectors, one row of features per time step)."
        ) from exc
    if _holder(X) is not None:
        items = _items(X)
        lengths = [len(item) if hasattr(item, "__len__") else None for item in items]
        odd = _first_different(lengths)
        kind = {"list": "a list", "ndarray": "an object array", "series": "a Series"}[_holder(X)]
        if odd is not None:
            raise ValueError(
                f"{input_name} is {kind} of items of different lengths ({input_name}[0] "
                f"has {lengths[0]}, {input_name}[{odd}] has {lengths[odd]}) that are not "
                "2-D sequences: give each sequence as a 2-D array (length_i, n_features), "
                "e.g. np.reshape(sequence, (-1, 1)) for one feature per time step."
            ) from exc


def _first_string(X: Any, path: tuple = ()) -> tuple[tuple, Any] | None:
    """Index path and value of the first string in nested lists, tuples and object
    arrays (numeric arrays are skipped whole), or None."""
    if isinstance(X, (str, bytes)):
        return path, X
    if isinstance(X, np.ndarray):
        if X.dtype.kind in "US":
            return path + np.unravel_index(0, X.shape), X.flat[0]
        if X.dtype.kind != "O":
            return None
    if isinstance(X, (list, tuple, np.ndarray)):
        for i, item in enumerate(X):
            found = _first_string(item, (*path, i))
            if found is not None:
                return found
    return None


def _check_finite_valid(values: np.ndarray, valid: np.ndarray, input_name: str) -> None:
    """NaN or infinity inside a valid step is an error naming sequence, step, feature."""
    bad = ~np.isfinite(values) & valid[..., None]
    if bad.any():
        seq, step, feature = (int(i) for i in np.argwhere(bad)[0])
        what = "NaN" if np.isnan(values[seq, step, feature]) else "infinity"
        raise ValueError(
            f"{input_name} contains {what} inside a valid time step: sequence {seq}, "
            f"time step {step}, feature {feature} ({int(bad.sum())} such value(s) in "
            "all). Only padding steps (every feature equal to padding_value, at the "
            "start or end of a sequence) may hold missing values"
            + (
                ": fill real gaps first (e.g. carry the last value forward), and cut "
                "features padded to different lengths to a common length per sequence."
                if what == "NaN"
                else "."
            )
        )


def _valid_span(
    array: np.ndarray, padding_value: float, input_name: str
) -> tuple[np.ndarray, np.ndarray, Padding | None]:
    """Start and stop of each sequence's valid steps in a padded 3-D array."""
    n, n_timesteps, _ = array.shape
    is_pad_step = _is_missing(array, padding_value).all(axis=2)
    steps = np.arange(n_timesteps)
    valid_any = ~is_pad_step
    empty = ~valid_any.any(axis=1)
    if empty.any():
        seq = int(np.flatnonzero(empty)[0])
        raise ValueError(
            f"{input_name}: sequence {seq} has no valid time step (every step has all "
            f"features equal to padding_value={_describe(padding_value)}); "
            f"{int(empty.sum())} such sequence(s) in all. Remove empty sequences."
        )
    start = np.where(valid_any, steps, n_timesteps).min(axis=1)
    stop = np.where(valid_any, steps, -1).max(axis=1) + 1
    lead, trail = start > 0, stop < n_timesteps
    both = lead & trail
    if both.any():
        seq = int(np.flatnonzero(both)[0])
        raise ValueError(
            f"{input_name}: sequence {seq} has padding at both ends (valid time steps "
            f"{int(start[seq])} to {int(stop[seq]) - 1} of {n_timesteps} lie between "
            "padding steps); padding must sit only at the start ('pre') or only at "
            "the end ('post')."
        )
    if lead.any() and trail.any():
        pre, post = int(np.flatnonzero(lead)[0]), int(np.flatnonzero(trail)[0])
        raise ValueError(
            f"{input_name} mixes padding sides: sequence {pre} is padded at the start "
            f"and sequence {post} at the end; use one side for all sequences."
        )
    side: Padding | None = "pre" if lead.any() else ("post" if trail.any() else None)
    if _is_nan(padding_value):
        # Inside the valid span an all-NaN step cannot be padding: it is missing data.
        inner = is_pad_step & (steps >= start[:, None]) & (steps < stop[:, None])
        if inner.any():
            seq, step = (int(i) for i in np.argwhere(inner)[0])
            raise ValueError(
                f"{input_name}: sequence {seq}, time step {step} is all NaN between "
                "valid time steps; padding (NaN steps) may sit only at the start or "
                "the end of a sequence, and NaN is not allowed inside valid steps."
            )
    return start, stop, side


# X: any object; what it holds is checked here, naming the sequence and time step
# (validate_params cannot say where). padding_value: _check_padding_value also
# rejects booleans and infinity.
@validate_params(
    {"X": "no_validation", "padding_value": [numbers.Real], "input_name": [str]},
    prefer_skip_nested_validation=True,
)
def check_sequences(
    X: Any,
    *,
    padding_value: float = np.nan,
    input_name: str = "X",
) -> Sequences:
    """Validate X under the data contract and convert it for the models.

    Parameters
    ----------
    X : array-like of shape (n_sequences, n_timesteps, n_features), list of \
            array-like of shape (length_i, n_features), or array-like of shape \
            (n_samples, n_features)
        Padded 3-D sequences, a ragged list of sequences (or a 1-D object
        array or pandas Series holding them), or 2-D data read as sequences of
        one time step.
    padding_value : float, default=np.nan
        Value marking padding steps in 3-D input (all features equal to it).
    input_name : str, default="X"
        Name used in error messages.

    Returns
    -------
    sequences : Sequences
        Post-padded zero-filled values, lengths and how to convert results back.

    Raises
    ------
    ValueError, TypeError
        With a message naming what is wrong and where (sequence, time step).
    """
    padding_value = _check_padding_value(padding_value)
    if X is None:
        raise ValueError(f"{input_name} is None; expected sequences.")
    if hasattr(X, "__len__") and not hasattr(X, "shape") and len(X) == 0:
        raise ValueError(f"{input_name} is empty: at least one sequence is required.")

    if _is_list_of_sequences(X):
        return _check_sequence_list(
            _items(X),
            padding_value,
            input_name,
            holder=_holder(X),
            series_name=getattr(X, "name", None),
        )

    array = _as_float_array(X, input_name, allow_nd=True)
    if array.ndim == 2:
        array3d = array[:, None, :]
        container = "array2d"
    elif array.ndim == 3:
        array3d = array
        container = "array"
    else:
        raise ValueError(
            f"{input_name} must be 3-D (n_sequences, n_timesteps, n_features), a list "
            f"of 2-D sequences, or 2-D (n_samples, n_features); got {array.ndim}-D "
            f"input of shape {array.shape}."
            + (
                " Reshape your data, e.g. X.reshape(1, -1, n_features) for a single sequence."
                if array.ndim == 1
                else ""
            )
        )
    n, n_timesteps, n_features = array3d.shape
    if n_timesteps == 0 or n_features == 0:
        raise ValueError(f"{input_name} of shape {array.shape} has no time step or no feature.")
    try:
        start, stop, side = _valid_span(array3d, padding_value, input_name)
        lengths = (stop - start).astype(np.int64)
        values = _to_post_padded(array3d, start, lengths)
        if not np.isfinite(values).all():
            # padding is zero in ``values``, so the cheap check above only fails on bad
            # valid steps; locate them in the caller's own time steps for the message
            steps = np.arange(n_timesteps)
            valid_orig = (steps >= start[:, None]) & (steps < stop[:, None])
            _check_finite_valid(array3d, valid_orig, input_name)
    except ValueError as exc:
        if container != "array2d":
            raise
        # NaN-padded univariate sequences given as rows of a 2-D array end up here
        raise ValueError(
            f"{exc} {input_name} is 2-D, read as sequences of one time step; if its rows "
            f"are univariate sequences, pass {input_name}[:, :, None]."
        ) from exc
    layout = _Layout(container, array.dtype, side or "post", padding_value, n_timesteps)
    return Sequences(values, lengths, array, layout)


def _to_post_padded(array3d: np.ndarray, start: np.ndarray, lengths: np.ndarray) -> np.ndarray:
    """Shift each sequence to start at step 0, trim to the longest, fill with zeros."""
    max_length = int(lengths.max())
    steps = np.arange(max_length)
    index = np.minimum(start[:, None] + steps, array3d.shape[1] - 1)
    values = np.take_along_axis(array3d, index[:, :, None], axis=1)
    values = np.where((steps < lengths[:, None])[:, :, None], values, 0.0).astype(
        array3d.dtype, copy=False
    )
    return values


def _check_sequence_list(
    X: list,
    padding_value: float,
    input_name: str,
    *,
    holder: str = "list",
    series_name: Any = None,
) -> Sequences:
    arrays = []
    for i, seq in enumerate(X):
        name = f"{input_name}[{i}]"
        if not np.isscalar(seq) and np.ndim(seq) != 2:
            raise ValueError(
                f"{name} has {np.ndim(seq)} dimension(s); every sequence of a list "
                "must be 2-D (length, n_features)."
            )
        if len(seq) == 0:
            raise ValueError(f"{input_name}: sequence {i} has no valid time step (length 0).")
        if isinstance(seq, np.ndarray) and seq.dtype in _FLOAT_DTYPES and seq.shape[1] > 0:
            # Fast path: check_array per sequence dominated the cost on long lists
            # (thousands of sequences); finiteness is checked for all at once below.
            arrays.append(seq)
        else:
            arrays.append(_as_float_array(seq, name, allow_nd=False))
    n_features = {a.shape[1] for a in arrays}
    if len(n_features) > 1:
        first = arrays[0].shape[1]
        odd = next(i for i, a in enumerate(arrays) if a.shape[1] != first)
        raise ValueError(
            f"{input_name}: sequences have different numbers of features: sequence 0 "
            f"has {first}, sequence {odd} has {arrays[odd].shape[1]}."
        )
    dtype = np.result_type(*[a.dtype for a in arrays])
    lengths = np.array([len(a) for a in arrays], dtype=np.int64)
    values = np.zeros((len(arrays), int(lengths.max()), arrays[0].shape[1]), dtype=dtype)
    for i, a in enumerate(arrays):
        values[i, : len(a)] = a
    if not np.isfinite(values).all():  # padding is zero, so only valid steps can fail
        _check_finite_valid(values, np.arange(values.shape[1]) < lengths[:, None], input_name)
    layout = _Layout("list", dtype, "post", padding_value, int(lengths.max()), holder, series_name)
    return Sequences(values, lengths, arrays, layout)


@validate_params(
    {
        "estimator": "no_validation",
        "X": "no_validation",  # checked by check_sequences
        "reset": ["boolean"],
        "padding_value": [numbers.Real],
    },
    prefer_skip_nested_validation=True,
)
def validate_sequences(
    estimator: Any,
    X: Any,
    *,
    reset: bool,
    padding_value: float = np.nan,
) -> Sequences:
    """check_sequences plus the fitted-attribute bookkeeping of ``validate_data``.

    scikit-learn's ``validate_data`` counts features as ``X.shape[1]``, which is
    the time axis of 3-D input, so ``n_features_in_`` (features per time step) is
    kept here; feature names of a 2-D DataFrame still go through scikit-learn.
    """
    if getattr(X, "ndim", None) == 2 or hasattr(X, "columns"):
        _check_feature_names(estimator, X, reset=reset)
    seqs = check_sequences(X, padding_value=padding_value)
    if reset and seqs.container == "array2d":
        _warn_if_rows_look_like_sequences(seqs.values[:, 0, :])
    if reset:
        estimator.n_features_in_ = seqs.n_features
    elif hasattr(estimator, "n_features_in_") and seqs.n_features != estimator.n_features_in_:
        raise ValueError(
            # Worded as scikit-learn's validate_data (its estimator checks match it).
            f"X has {seqs.n_features} features, but {type(estimator).__name__} is "
            f"expecting {estimator.n_features_in_} features as input (features per "
            "time step)."
        )
    return seqs


# A 2-D X is read as one-step sequences (scikit-learn's meaning of 2-D input), but an
# (n, T) array of n univariate sequences is the likelier intent when its columns
# behave like consecutive steps of one signal: many of them, on one scale, each
# correlated with the next. Tabular data rarely passes all three tests (make_blobs,
# make_classification and the estimator checks' random data: mean neighbour correlation
# about 0; digits' pixels 0.27; breast cancer 0.50 but scales 1,000x apart), while
# a noisy sine, a random walk and Japanese Vowels' first feature score 0.86, 0.93 and
# 0.97. Judged on the first rows only: it is a hint, not a check.
_MIN_STEP_COLUMNS = 10
_MIN_NEIGHBOUR_CORRELATION = 0.5
_MAX_SCALE_RATIO = 10.0
_ROWS_JUDGED = 2000


def _warn_if_rows_look_like_sequences(array: np.ndarray) -> None:
    """Warn when the rows of a 2-D X look like univariate sequences (see above)."""
    n, n_columns = array.shape
    if n_columns < _MIN_STEP_COLUMNS or n < _MIN_STEP_COLUMNS:
        return
    rows = array[:_ROWS_JUDGED].astype(np.float64)
    std = rows.std(axis=0)
    if std.min() <= 0 or std.max() > _MAX_SCALE_RATIO * std.min():
        return
    z = (rows - rows.mean(axis=0)) / std
    correlation = float((z[:, :-1] * z[:, 1:]).mean(axis=0).mean())
    if correlation < _MIN_NEIGHBOUR_CORRELATION:
        return
    warnings.warn(
        f"X is 2-D, so it is read as {n} sequences of one time step with {n_columns} "
        f"features, but its columns look like the time steps of one signal (on one "
        f"scale, neighbouring columns correlated: {correlation:.2f} on average). If "
        f"each row is a univariate sequence, pass X[:, :, None] (shape ({n}, "
        f"{n_columns}, 1)); if you do mean one-step sequences, pass X[:, None, :] "
        "(shape (n, 1, n_features)), which this warning leaves alone.",
        UserWarning,
        stacklevel=4,  # the estimator's fit (behind validate_params' wrapper)
    )
