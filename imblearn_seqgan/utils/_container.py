"""The validated form of the sequences and the way back to the caller's container.

Models consume the sequences post-padded with zeros plus their lengths; results go
back to the caller's container (3-D array, ragged list or 2-D array), dtype,
padding side and padding value.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np

__all__ = ["Sequences"]

Padding = Literal["pre", "post"]
Container = Literal["array", "list", "array2d"]
# What held a ragged collection: a list (or tuple), a 1-D object array, or a pandas
# Series of 2-D arrays (a long table grouped into sequences gives one).
Holder = Literal["list", "ndarray", "series"]


@dataclass(frozen=True)
class _Layout:
    """How the caller gave X, so that outputs go back the same way."""

    container: Container
    dtype: np.dtype
    padding: Padding
    padding_value: float
    n_timesteps: int
    holder: Holder = "list"
    name: Any = None  # a Series' name, kept on the Series returned

    def hold(self, sequences: list[np.ndarray]) -> list | np.ndarray | Any:
        """Ragged ``sequences`` in the kind of collection the caller gave."""
        if self.holder == "list":
            return sequences
        # filled item by item: np.array(sequences, dtype=object) would stack
        # equal-length sequences into one 3-D object array
        held = np.empty(len(sequences), dtype=object)
        for i, seq in enumerate(sequences):
            held[i] = seq
        if self.holder == "ndarray":
            return held
        import pandas as pd  # only reached when the caller passed a Series

        return pd.Series(held, name=self.name, dtype=object)


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
    def container(self) -> Container:
        """How the caller gave X: ``"array"`` (3-D), ``"list"`` (ragged collection of
        2-D arrays: a list, a 1-D object array or a pandas Series, each returned as
        given) or ``"array2d"`` (2-D, sequences of one time step)."""
        return self._layout.container

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
            return layout.hold(
                [
                    np.array(values[i, :length], dtype=layout.dtype)
                    for i, length in enumerate(lengths)
                ]
            )
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

    def append_chunks(self, chunks: Iterable[Any], lengths: np.ndarray) -> np.ndarray | list:
        """Like :meth:`append`, with the new sequences given as an iterable of
        ``(values, lengths)`` chunks whose lengths, concatenated, are ``lengths``.

        For array input the result is allocated once and each chunk is written
        into it as it comes, so a generator of chunks keeps the peak memory near
        the output's size plus one chunk.
        """
        layout = self._layout
        lengths = np.asarray(lengths, dtype=np.int64)
        if layout.container == "list":
            originals = [np.array(seq, dtype=self.dtype) for seq in self.original]
            new = [
                np.array(values[i, :length], dtype=self.dtype)
                for values, chunk_lengths in chunks
                for i, length in enumerate(np.asarray(chunk_lengths, dtype=np.int64))
            ]
            return layout.hold(originals + new)
        if layout.container == "array2d":
            parts = [self.to_caller(np.asarray(v), np.asarray(n)) for v, n in chunks]
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
            return self._layout.hold(
                [np.array(self.original[i], dtype=self.dtype) for i in indices]
            )
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
