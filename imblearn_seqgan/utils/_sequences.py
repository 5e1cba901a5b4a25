"""The sequence data contract: validation, masks, lengths and conversions.

Every estimator of the library reads X and y through this module, so the rules
of DESIGN.md ("Data") live in one place:

* X is a 3-D float array ``(n_sequences, n_timesteps, n_features)`` padded with
  ``padding_value`` (NaN by default) at the start ("pre") or the end ("post"), a
  list of 2-D arrays of different lengths, or a 2-D array read as sequences of one
  time step.
* A time step is padding when *every* feature equals ``padding_value`` and it
  belongs to the leading or trailing run of such steps. With a NaN padding value an
  all-NaN step in the middle of a sequence is an error (missing data); with another
  padding value it is ordinary data (a real all-zero step, say).
* Models consume the sequences post-padded with zeros plus their lengths; results
  go back to the caller's container, dtype, padding side and padding value.
"""

from __future__ import annotations

import numbers
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
from sklearn.utils.validation import check_array

__all__ = [
    "Sequences",
    "check_sequences",
    "check_label_sequences",
    "pad_sequences",
    "sequence_mask",
    "sequence_lengths",
    "unpad_sequences",
    "validate_sequences",
    "encode_label_sequences",
    "is_label_sequences",
]

Padding = Literal["pre", "post"]
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


@dataclass(frozen=True)
class _Layout:
    """How the caller gave X, so that outputs go back the same way."""

    container: Literal["array", "list", "array2d"]
    dtype: np.dtype
    padding: Padding
    padding_value: float
    n_timesteps: int


@dataclass(frozen=True)
class Sequences:
    """Validated sequences in the form the models consume.

    Attributes
    ----------
    values : ndarray of shape (n_sequences, max_length, n_features)
        The sequences post-padded with zeros (padding never holds NaN, so it can be
        fed to a network as is and masked out of losses).
    lengths : ndarray of shape (n_sequences,), dtype int64
        Number of valid time steps of each sequence.
    original : ndarray of shape (n_sequences, n_timesteps, n_features) or None
        The caller's 3-D or 2-D array after dtype conversion (not a copy when no
        conversion was needed), kept so samplers can return the originals
        unchanged; None for list input.
    """

    values: np.ndarray
    lengths: np.ndarray
    original: np.ndarray | list | None
    _layout: _Layout

    @property
    def n_sequences(self) -> int:
        return self.values.shape[0]

    @property
    def n_features(self) -> int:
        return self.values.shape[2]

    @property
    def dtype(self) -> np.dtype:
        """The dtype results are returned in (float32 stays float32)."""
        return self._layout.dtype

    @property
    def mask(self) -> np.ndarray:
        """Boolean mask ``(n_sequences, max_length)`` of valid (post-padded) steps."""
        return np.arange(self.values.shape[1]) < self.lengths[:, None]

    def to_caller(self, values: np.ndarray, lengths: np.ndarray) -> np.ndarray | list:
        """Turn model output (post-padded ``values`` + ``lengths``) into the caller's
        container, dtype, padding side and padding value."""
        layout = self._layout
        values = np.asarray(values)
        lengths = np.asarray(lengths, dtype=np.int64)
        if layout.container == "list":
            return [
                np.array(values[i, :length], dtype=layout.dtype)
                for i, length in enumerate(lengths)
            ]
        if layout.container == "array2d":
            return np.array(values[:, 0, :], dtype=layout.dtype)
        n_timesteps = max(layout.n_timesteps, int(lengths.max(initial=0)))
        out = np.full(
            (len(lengths), n_timesteps, values.shape[2]), layout.padding_value, layout.dtype
        )
        _write_padded(out, values, lengths, layout.padding)
        return out

    def append(self, values: np.ndarray, lengths: np.ndarray) -> np.ndarray | list:
        """The caller's sequences, unchanged and in order, followed by new ones."""
        lengths = np.asarray(lengths, dtype=np.int64)
        return self.append_chunks([(values, lengths)], lengths)

    def append_chunks(self, chunks: Any, lengths: np.ndarray) -> np.ndarray | list:
        """Like :meth:`append`, with the new sequences given as an iterable of
        ``(values, lengths)`` chunks whose lengths, concatenated, are ``lengths``.

        For array input the result is allocated once and each chunk is written
        into it as it comes, so a generator of chunks keeps the peak memory near
        the output's size plus one chunk.
        """
        layout = self._layout
        lengths = np.asarray(lengths, dtype=np.int64)
        if layout.container in ("list", "array2d"):
            parts = [self.to_caller(np.asarray(v), np.asarray(n)) for v, n in chunks]
            if layout.container == "list":
                originals = [np.array(seq, dtype=self.dtype) for seq in self.original]
                return originals + [seq for part in parts for seq in part]
            return np.concatenate([self.original, *parts])
        n_original = self.n_sequences
        n_timesteps = max(layout.n_timesteps, int(lengths.max(initial=0)))
        out = np.full(
            (n_original + len(lengths), n_timesteps, self.n_features),
            layout.padding_value,
            layout.dtype,
        )
        if n_timesteps == self.original.shape[1]:
            out[:n_original] = self.original
        else:
            # Synthetic sequences never outgrow their sources, so this only
            # happens when a caller appends longer sequences than it passed.
            _write_padded(out[:n_original], self.values, self.lengths, layout.padding)
        start = n_original
        for values, chunk_lengths in chunks:
            chunk_lengths = np.asarray(chunk_lengths, dtype=np.int64)
            stop = start + len(chunk_lengths)
            if not np.array_equal(chunk_lengths, lengths[start - n_original : stop - n_original]):
                raise ValueError("append_chunks: chunk lengths do not match `lengths`.")
            _write_padded(out[start:stop], np.asarray(values), chunk_lengths, layout.padding)
            start = stop
        if start != len(out):
            raise ValueError(
                f"append_chunks: got {start - n_original} new sequences, expected {len(lengths)}."
            )
        return out

    def take(self, indices: np.ndarray) -> np.ndarray | list:
        """The caller's sequences at ``indices``, in the caller's container."""
        indices = np.asarray(indices, dtype=np.intp)
        if self._layout.container == "list":
            return [np.array(self.original[i], dtype=self.dtype) for i in indices]
        return self.original[indices]


def _write_padded(out: np.ndarray, values: np.ndarray, lengths: np.ndarray, padding: str):
    """Copy post-padded ``values`` into ``out`` (already filled with the padding
    value) on the requested side. Rows are copied a length group at a time, so the
    only temporary is one group's slice, never a full-size gathered copy."""
    n_timesteps = out.shape[1]
    for length in np.unique(lengths):
        rows = np.flatnonzero(lengths == length)
        target = slice(0, length) if padding == "post" else slice(n_timesteps - length, None)
        out[rows, target] = values[rows, :length]


def _is_list_of_sequences(X: Any) -> bool:
    if not isinstance(X, (list, tuple)) or len(X) == 0:
        return False
    first = X[0]
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
            "start or end of a sequence) may hold missing values."
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
        Padded 3-D sequences, a ragged list of sequences, or 2-D data read as
        sequences of one time step.
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
        return _check_sequence_list(X, padding_value, input_name)

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
    start, stop, side = _valid_span(array3d, padding_value, input_name)
    lengths = (stop - start).astype(np.int64)
    values = _to_post_padded(array3d, start, lengths)
    if not np.isfinite(values).all():
        # padding is zero in ``values``, so the cheap check above only fails on bad
        # valid steps; locate them in the caller's own time steps for the message
        steps = np.arange(n_timesteps)
        valid_orig = (steps >= start[:, None]) & (steps < stop[:, None])
        _check_finite_valid(array3d, valid_orig, input_name)
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


def _check_sequence_list(X: list, padding_value: float, input_name: str) -> Sequences:
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
    layout = _Layout("list", dtype, "post", padding_value, int(lengths.max()))
    return Sequences(values, lengths, arrays, layout)


def check_label_sequences(y: Any, n_sequences: int, *, input_name: str = "y") -> np.ndarray:
    """Validate 2-D label sequences ``(n_sequences, L)``; return them as an array.

    A ragged list (label sequences of different lengths) is rejected with the index
    of the first sequence whose length differs.
    """
    if isinstance(y, (list, tuple)) and y and not np.isscalar(y[0]):
        lengths = [len(row) for row in y]
        odd = next((i for i, length in enumerate(lengths) if length != lengths[0]), None)
        if odd is not None:
            raise ValueError(
                f"{input_name}: label sequence {odd} has {lengths[odd]} labels but "
                f"label sequence 0 has {lengths[0]}; all label sequences must have "
                "the same length L."
            )
    array = np.asarray(y)
    if array.dtype.kind == "c":
        raise TypeError(f"{input_name} has complex dtype {array.dtype}; labels must be classes.")
    if array.ndim != 2:
        raise ValueError(
            f"{input_name} must be 2-D (n_sequences, L) label sequences, got shape {array.shape}."
        )
    if array.shape[1] == 0:
        raise ValueError(f"{input_name} has label sequences of length 0.")
    if array.shape[0] != n_sequences:
        raise ValueError(
            f"X and {input_name} have different numbers of sequences: {n_sequences} "
            f"and {array.shape[0]}."
        )
    if array.dtype.kind == "f" and not np.isfinite(array).all():
        seq, step = (int(i) for i in np.argwhere(~np.isfinite(array))[0])
        raise ValueError(f"{input_name} contains NaN or infinity at sequence {seq}, label {step}.")
    return array


def pad_sequences(
    sequences: Any,
    *,
    padding: Padding = "post",
    padding_value: float = np.nan,
    dtype: Any = None,
    max_length: int | None = None,
) -> np.ndarray:
    """Pad a ragged list of 2-D sequences into one 3-D array.

    Parameters
    ----------
    sequences : list of array-like of shape (length_i, n_features)
        The sequences; each needs at least one time step.
    padding : {"pre", "post"}, default="post"
        Pad at the start ("pre") or the end ("post") of each sequence.
    padding_value : float, default=np.nan
        Value written into every feature of a padding step.
    dtype : dtype, default=None
        Output dtype; by default the common float dtype of the sequences.
    max_length : int, default=None
        Number of time steps of the output; by default the longest sequence.

    Returns
    -------
    X : ndarray of shape (n_sequences, max_length, n_features)

    Examples
    --------
    >>> import numpy as np
    >>> from imblearn_seqgan.utils import pad_sequences
    >>> X = pad_sequences([np.ones((2, 1)), np.ones((3, 1))], padding="pre")
    >>> X[:, :, 0]
    array([[nan,  1.,  1.],
           [ 1.,  1.,  1.]])
    """
    if padding not in ("pre", "post"):
        raise ValueError(f"padding must be 'pre' or 'post', got {padding!r}.")
    padding_value = _check_padding_value(padding_value)
    checked = (
        _check_sequence_list(list(sequences), padding_value, "sequences")
        if _is_list_of_sequences(sequences)
        else None
    )
    if checked is None:
        raise TypeError(
            "pad_sequences expects a non-empty list of 2-D arrays (length, n_features)."
        )
    values, lengths = checked.values, checked.lengths
    longest = int(lengths.max())
    if max_length is None:
        max_length = longest
    elif max_length < longest:
        raise ValueError(
            f"max_length={max_length} is shorter than the longest sequence ({longest} steps)."
        )
    dtype = np.dtype(dtype) if dtype is not None else np.result_type(values.dtype, np.float32)
    out = np.full((len(lengths), max_length, values.shape[2]), padding_value, dtype=dtype)
    _write_padded(out, values, lengths, padding)
    return out


def sequence_mask(X: Any, *, padding_value: float = np.nan) -> np.ndarray:
    """Boolean mask of valid time steps, in X's own layout.

    Parameters
    ----------
    X : array-like of shape (n_sequences, n_timesteps, n_features)
        Padded sequences.
    padding_value : float, default=np.nan
        Value marking padding steps.

    Returns
    -------
    mask : ndarray of shape (n_sequences, n_timesteps), dtype bool
        True where the step is valid (not padding).

    Examples
    --------
    >>> import numpy as np
    >>> from imblearn_seqgan.utils import sequence_mask
    >>> X = np.array([[[1.0], [np.nan]], [[2.0], [3.0]]])
    >>> sequence_mask(X)
    array([[ True, False],
           [ True,  True]])
    """
    seqs = check_sequences(X, padding_value=padding_value)
    if seqs._layout.container == "list":
        raise TypeError("sequence_mask expects a padded array; a list has no padding.")
    n_timesteps = seqs._layout.n_timesteps
    steps = np.arange(n_timesteps)
    if seqs._layout.padding == "pre":
        return steps >= (n_timesteps - seqs.lengths)[:, None]
    return steps < seqs.lengths[:, None]


def sequence_lengths(X: Any, *, padding_value: float = np.nan) -> np.ndarray:
    """Number of valid time steps of each sequence.

    Examples
    --------
    >>> import numpy as np
    >>> from imblearn_seqgan.utils import sequence_lengths
    >>> sequence_lengths(np.array([[[1.0], [np.nan]], [[2.0], [3.0]]]))
    array([1, 2])
    """
    return check_sequences(X, padding_value=padding_value).lengths.copy()


def unpad_sequences(X: Any, *, padding_value: float = np.nan) -> list[np.ndarray]:
    """Split padded sequences into a list of 2-D arrays without padding.

    Examples
    --------
    >>> import numpy as np
    >>> from imblearn_seqgan.utils import unpad_sequences
    >>> [s.shape for s in unpad_sequences(np.array([[[1.0], [np.nan]], [[2.0], [3.0]]]))]
    [(1, 1), (2, 1)]
    """
    seqs = check_sequences(X, padding_value=padding_value)
    return [np.array(seqs.values[i, :length]) for i, length in enumerate(seqs.lengths)]


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
    from sklearn.utils.validation import _check_feature_names

    if getattr(X, "ndim", None) == 2 or hasattr(X, "columns"):
        _check_feature_names(estimator, X, reset=reset)
    seqs = check_sequences(X, padding_value=padding_value)
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


def is_label_sequences(y: Any) -> bool:
    """Whether ``y`` holds a label sequence per input (2-D), not one label each.

    Ragged lists of label sequences count too, so that
    :func:`check_label_sequences` can name the odd one out.
    """
    if isinstance(y, (list, tuple)):
        return len(y) > 0 and not np.isscalar(y[0]) and np.ndim(y[0]) == 1
    return np.asarray(y).ndim == 2


class LabelSequenceScoreMixin:
    """``score`` for classifiers that take label sequences: plain accuracy for 1-D
    y, otherwise the share of sequences whose whole label sequence is predicted
    right (as ``MultiOutputClassifier.score``). Goes before ``ClassifierMixin``."""

    def score(self, X: Any, y: Any, sample_weight: Any = None) -> float:
        if not getattr(self, "_multi_output", False):
            return super().score(X, y, sample_weight=sample_weight)
        y_pred = self.predict(X)
        correct = np.all(y_pred == np.asarray(y, dtype=y_pred.dtype), axis=1)
        return float(np.average(correct, weights=sample_weight))


def encode_label_sequences(y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Map each label sequence (row of ``y``) to an integer code.

    Returns ``codes`` of shape (n_sequences,) and ``patterns`` (the distinct label
    sequences, ``patterns[codes] == y``). Codes let imbalanced-learn's
    sampling-strategy machinery treat each distinct label sequence as a class; the
    majority is the most frequent label sequence (paper, section 2).
    """
    y = np.asarray(y)
    if y.dtype.kind != "O":
        patterns, codes = np.unique(y, axis=0, return_inverse=True)
        return codes.reshape(-1), patterns
    # np.unique(axis=0) rejects object arrays (string labels): code each column
    # first; the order of the patterns is the same (lexicographic by column).
    columns = np.stack([np.unique(c, return_inverse=True)[1].reshape(-1) for c in y.T], axis=1)
    _, first, codes = np.unique(columns, axis=0, return_index=True, return_inverse=True)
    return codes.reshape(-1), y[first]
