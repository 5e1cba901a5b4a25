"""Length-bucketed mini-batches: cost follows the valid time steps.

``pack_padded_sequence`` was measured at 2.5x the fused LSTM kernel on CPU.
Grouping sequences of similar length and trimming each batch to its own longest
sequence keeps the fused kernel (padded input, no packing) while the padding
left inside a batch is small, so an epoch costs about what its valid steps cost.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

import numpy as np
import torch
from torch.utils.data import Subset

from ._utils import to_tensor

__all__ = [
    "BatchStream",
    "LengthBucketedLoader",
    "iter_batches",
    "length_bucketed_batches",
    "trim_batch",
]


def length_bucketed_batches(
    lengths: np.ndarray,
    batch_size: int,
    *,
    rng: np.random.Generator | None = None,
    pool_size: int = 16,
) -> list[np.ndarray]:
    """Split sample indices into batches of similar sequence length.

    Parameters
    ----------
    lengths : ndarray of shape (n_samples,)
        Valid steps of each sequence.
    batch_size : int
        Samples per batch (the last batch of each pool may be smaller).
    rng : numpy Generator, optional
        When given, samples are shuffled into pools of ``pool_size * batch_size``,
        sorted by length inside each pool and the batches' order is shuffled
        ("sortish" batching: random batches that still share a length). When None,
        indices are sorted by length once (deterministic, e.g. for inference).
    pool_size : int, default=16
        Batches per pool. Larger pools give tighter length groups, smaller pools
        more random batch composition.

    Returns
    -------
    batches : list of ndarray of int
        Indices of each batch; together a permutation of ``range(n_samples)``.

    Examples
    --------
    >>> import numpy as np
    >>> from imblearn_seqgan._nn import length_bucketed_batches
    >>> [b.tolist() for b in length_bucketed_batches(np.array([5, 1, 4, 2]), 2)]
    [[1, 3], [2, 0]]
    """
    lengths = np.asarray(lengths)
    n = len(lengths)
    if rng is None:
        order = np.argsort(lengths, kind="stable")
        return [order[i : i + batch_size] for i in range(0, n, batch_size)]
    perm = rng.permutation(n)
    pool = max(1, pool_size) * batch_size
    batches = []
    for start in range(0, n, pool):
        chunk = perm[start : start + pool]
        chunk = chunk[np.argsort(lengths[chunk], kind="stable")]
        batches.extend(chunk[i : i + batch_size] for i in range(0, len(chunk), batch_size))
    return [batches[i] for i in rng.permutation(len(batches))]


def trim_batch(
    values: np.ndarray | torch.Tensor,
    lengths: np.ndarray,
    indices: np.ndarray,
    device: torch.device,
) -> tuple[torch.Tensor, torch.Tensor]:
    """The batch ``indices`` as tensors, cut to the batch's own longest sequence.

    Parameters
    ----------
    values : array of shape (n_samples, max_length, n_features)
        Post-padded sequences (padding holds zeros).
    lengths : ndarray of shape (n_samples,)
    indices : ndarray of int
    device : torch.device

    Returns
    -------
    x : float32 tensor of shape (batch, batch_max_length, n_features)
    batch_lengths : int64 tensor of shape (batch,), on CPU
        Lengths stay on CPU: indexing and masks are built from them cheaply.
    """
    batch_lengths = np.asarray(lengths)[indices]
    longest = int(batch_lengths.max())
    x = values[indices, :longest]
    return to_tensor(x, device), torch.as_tensor(batch_lengths, dtype=torch.long)


def iter_batches(
    values: np.ndarray,
    lengths: np.ndarray,
    batch_size: int,
    device: torch.device,
    *,
    rng: np.random.Generator | None = None,
) -> Iterator[tuple[np.ndarray, torch.Tensor, torch.Tensor]]:
    """Yield ``(indices, x, lengths)`` length-bucketed, trimmed batches.

    Parameters
    ----------
    values : ndarray of shape (n_samples, max_length, n_features)
        Post-padded sequences (padding holds zeros).
    lengths : ndarray of shape (n_samples,)
    batch_size : int
    device : torch.device
    rng : numpy Generator, optional
        Shuffles as :func:`length_bucketed_batches`; None gives a deterministic
        order (sorted by length).

    Yields
    ------
    indices : ndarray of int
        The batch's rows; scatter results back with them.
    x : float32 tensor of shape (batch, batch_max_length, n_features)
    lengths : int64 tensor of shape (batch,), on CPU
    """
    for idx in length_bucketed_batches(lengths, batch_size, rng=rng):
        x, lens = trim_batch(values, lengths, idx, device)
        yield idx, x, lens


class LengthBucketedLoader:
    """skorch iterator (``iterator_train``, ``iterator_valid``) over length-bucketed
    batches.

    Shuffled batches of similar length (:func:`length_bucketed_batches`), so most
    batches carry little padding and cost follows the valid time steps. Batches are
    sliced from the arrays at once rather than collated item by item (a
    DataLoader's per-item collation cost as much as a small model's step).

    The dataset's entries may be numpy arrays (each batch is cut on the host and
    skorch copies it to the net's device) or torch tensors, e.g. put on the
    training device once per fit: batches are then ``index_select`` of those
    tensors by an index tensor copied to their device once per epoch, so an epoch
    makes no per-batch host-to-device copies and no per-batch Python collation.

    Parameters
    ----------
    dataset : skorch.dataset.Dataset or torch.utils.data.Subset of one
        Its ``X`` is a dict of arrays or tensors with a ``"lengths"`` entry; ``y``
        an array, a tensor or None.
    batch_size : int
        Sequences per batch.
    shuffle : bool, default=True
        True: sortish batches in a new random order each epoch (training). False:
        consecutive batches in the dataset's order (prediction and validation;
        sort the data by length first so that a batch shares a length).
    rng : numpy Generator, torch Generator or None, default=None
        The shuffling's source. None: each epoch draws a seed from torch's global
        RNG (seeded by the estimator), so each epoch gets a new order. A
        ``torch.Generator`` gives the epoch's seed the same way from its own state
        (the same order as the global RNG in that state, without sharing it with
        other threads). A numpy Generator is used as is. Either advances from epoch
        to epoch when the same one is passed again (skorch passes
        ``iterator_train__rng`` to every epoch's loader).
    pool_size : int, default=16
        See :func:`length_bucketed_batches`.

    Yields
    ------
    X : dict of torch.Tensor
        The batch's rows of each entry of ``dataset.X``: on the CPU for numpy
        entries (skorch moves them to the net's device), on their own device for
        tensor entries.
    y : torch.Tensor or None
    """

    def __init__(
        self,
        dataset,
        batch_size: int,
        *,
        shuffle: bool = True,
        rng: np.random.Generator | None = None,
        pool_size: int = 16,
    ):
        self.batch_size = batch_size
        self.shuffle = shuffle
        self.rng = rng
        self.pool_size = pool_size
        self.X, self.y, self.indices = _dataset_arrays(dataset)
        self.lengths = _host_array(self.X["lengths"])[self.indices]

    def batches(self) -> list[np.ndarray]:
        """This epoch's batches as positions into the dataset (its row indices)."""
        if not self.shuffle:
            n = len(self.indices)
            return [self.indices[i : i + self.batch_size] for i in range(0, n, self.batch_size)]
        rng = self.rng
        if rng is None or isinstance(rng, torch.Generator):
            seed = torch.randint(0, 2**31 - 1, (1,), generator=rng)
            rng = np.random.default_rng(int(seed))
        batches = length_bucketed_batches(
            self.lengths, self.batch_size, rng=rng, pool_size=self.pool_size
        )
        return [self.indices[batch] for batch in batches]

    def __iter__(self):
        batches = self.batches()
        if not batches:
            return
        rows = np.concatenate(batches)
        # One index array per device for the whole epoch; a batch is a view of it.
        on_device = {}

        def take(value, start, stop):
            if not isinstance(value, torch.Tensor):
                return torch.as_tensor(value[rows[start:stop]])
            if value.device not in on_device:
                on_device[value.device] = torch.as_tensor(rows).to(value.device)
            return value.index_select(0, on_device[value.device][start:stop])

        start = 0
        for batch in batches:
            stop = start + len(batch)
            X = {key: take(value, start, stop) for key, value in self.X.items()}
            yield X, None if self.y is None else take(self.y, start, stop)
            start = stop

    def __len__(self):
        n = len(self.lengths)
        if not self.shuffle:
            return -(-n // self.batch_size)
        # Each pool of pool_size * batch_size sequences ends with a partial batch.
        pool = self.pool_size * self.batch_size
        sizes = [min(pool, n - start) for start in range(0, n, pool)]
        return sum(-(-size // self.batch_size) for size in sizes)


class BatchStream:
    """Epochs of ``batches_per_epoch`` batches cut from one endless stream of
    shuffled, length-bucketed batches (a net's training iterator).

    Each pass over the data is shuffled anew (:func:`length_bucketed_batches`)
    and the stream runs on across epochs, so an epoch need not start a pass and a
    retried epoch (after a roll-back) gets new batches rather than the failed
    ones. Used where an epoch is a number of steps rather than a pass (the GAN's
    step budget).

    Parameters
    ----------
    lengths : ndarray of shape (n_samples,)
        Valid steps of each sequence.
    batch_size : int
    batches_per_epoch : int
    rng : numpy Generator
        The shuffling's source, advanced pass after pass.
    make_batch : callable
        ``make_batch(indices)``: the batch the net's ``train_step`` takes.
    stop : callable, optional
        Called before each batch; True ends the epoch early (a spent budget).
    """

    def __init__(
        self,
        lengths: np.ndarray,
        batch_size: int,
        batches_per_epoch: int,
        *,
        rng: np.random.Generator,
        make_batch: Callable,
        stop: Callable[[], bool] | None = None,
    ):
        self.batches_per_epoch = batches_per_epoch
        self.make_batch = make_batch
        self.stop = stop
        self._stream = self._endless(lengths, batch_size, rng)

    @staticmethod
    def _endless(lengths, batch_size, rng):
        while True:
            yield from length_bucketed_batches(lengths, batch_size, rng=rng)

    def __iter__(self):
        for _ in range(self.batches_per_epoch):
            if self.stop is not None and self.stop():
                return
            yield self.make_batch(next(self._stream))

    def __len__(self):
        return self.batches_per_epoch


def _host_array(value) -> np.ndarray:
    if isinstance(value, torch.Tensor):
        return value.detach().cpu().numpy()
    return np.asarray(value)


def _dataset_arrays(dataset) -> tuple[dict, np.ndarray | None, np.ndarray]:
    """The (X dict, y, row indices) behind a skorch Dataset or a Subset of one."""
    if isinstance(dataset, Subset):
        X, y, indices = _dataset_arrays(dataset.dataset)
        return X, y, indices[np.asarray(dataset.indices)]
    y = dataset.y
    if y is not None and not isinstance(y, torch.Tensor):
        y = np.asarray(y)
    return dataset.X, y, np.arange(len(dataset.X["lengths"]))
