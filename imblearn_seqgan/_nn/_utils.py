"""Device, seeding, CPU settings and tensor conversion shared by the torch models."""

from __future__ import annotations

import contextlib
import numbers
import os
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor

import numpy as np
import torch

from ..utils._random import draw_seed

__all__ = [
    "cuda_device",
    "resolve_device",
    "run_on_cuda_streams",
    "seeded",
    "torch_seed",
    "torch_cpu_settings",
    "threaded_iter",
    "to_tensor",
    "trains_on_cuda",
]


def resolve_device(device: str | torch.device | None = "auto") -> torch.device:
    """Turn a user's ``device`` parameter into a :class:`torch.device`.

    Parameters
    ----------
    device : {"auto", "cpu", "cuda", "cuda:N", "mps"}, torch.device or None
        ``"auto"`` (and None) pick CUDA when available, else CPU. Anything else
        is passed to :class:`torch.device`; asking for CUDA on a machine without
        it raises a ``ValueError`` instead of failing later inside torch.

    Returns
    -------
    device : torch.device
    """
    if device is None or (isinstance(device, str) and device == "auto"):
        return torch.device("cuda" if torch.cuda.is_available() else "cpu")
    try:
        resolved = torch.device(device)
    except (RuntimeError, TypeError) as exc:
        raise ValueError(
            f"device={device!r} is not a valid torch device; use 'auto', 'cpu' or 'cuda'."
        ) from exc
    if resolved.type == "cuda" and not torch.cuda.is_available():
        raise ValueError(
            f"device={device!r} asks for CUDA but torch reports no CUDA device; use "
            "device='auto' or 'cpu'."
        )
    return resolved


def trains_on_cuda(device) -> bool:
    """Whether an estimator's ``device`` parameter means CUDA on this machine.

    For ``__sklearn_tags__`` (CUDA results are not bit-identical): never raises,
    an invalid device fails at fit instead.
    """
    try:
        return resolve_device(device).type == "cuda"
    except ValueError:
        return False


def cuda_device(device) -> torch.device | None:
    """The CUDA device an estimator's ``device`` parameter trains on, or None
    (the CPU, or no ``device`` at all)."""
    if device is None or not trains_on_cuda(device):
        return None
    return resolve_device(device)


def run_on_cuda_streams(tasks: list[Callable], device: torch.device) -> list:
    """Run ``tasks`` all at once, each in a thread with its own CUDA stream.

    One small model leaves most of a GPU idle (its time goes to launching
    kernels); models side by side overlap their launches and their kernels. The
    threads of this process are used whatever joblib backend is configured: the
    tasks share this process's CUDA context. Each task seeds torch's global RNG and
    sets its thread count while the others run, so the caller's RNG state and
    thread count are restored afterwards. On a CPU ``device`` (the tests) the
    threads run without streams.

    Parameters
    ----------
    tasks : list of callable
        Called without arguments.
    device : torch.device

    Returns
    -------
    results : list
        Each task's return value, in order.
    """
    threads = torch.get_num_threads()
    cuda = [device.index or 0] if device.type == "cuda" else []
    with torch.random.fork_rng(devices=cuda):
        try:
            with ThreadPoolExecutor(max_workers=len(tasks)) as pool:
                futures = [pool.submit(_on_own_stream, task, device) for task in tasks]
                return [future.result() for future in futures]
        finally:
            torch.set_num_threads(threads)


def _on_own_stream(task: Callable, device: torch.device):
    if device.type != "cuda":
        return task()
    stream = torch.cuda.Stream(device=device)
    with torch.cuda.stream(stream):
        result = task()
    stream.synchronize()
    return result


def torch_seed(random_state) -> int:
    """A 62-bit integer seed for torch, from two of ``random_state``'s seeds
    (:func:`~imblearn_seqgan.utils._random.draw_seed`).

    Drawing (rather than using an int directly) lets a RandomState instance
    advance, as scikit-learn does with ``check_random_state``.
    """
    high, low = draw_seed(random_state, size=2)
    return int(high) * (2**31) + int(low)


@contextlib.contextmanager
def seeded(random_state, device: torch.device | None = None) -> Iterator[int]:
    """Run a block with torch's global RNG seeded from ``random_state``.

    Module initialisation, dropout and ``torch.randn`` inside the block are then
    repeatable, bit for bit on CPU. The caller's global RNG state is restored on
    exit (``torch.random.fork_rng``), so fitting an estimator never changes what
    other torch code draws.

    Parameters
    ----------
    random_state : None, int or numpy RandomState
        As in scikit-learn. None gives a fresh non-repeatable seed.
    device : torch.device, optional
        When a CUDA device, its RNG is forked and seeded too.

    Yields
    ------
    seed : int
        The seed used, e.g. to seed a :class:`numpy.random.Generator` for
        index shuffling so the whole run follows from one ``random_state``.
    """
    seed = torch_seed(random_state)
    cuda = [device.index or 0] if device is not None and device.type == "cuda" else []
    with torch.random.fork_rng(devices=cuda):
        torch.manual_seed(seed)
        yield seed


# Flush float32's denormal numbers (below about 1e-38) to zero inside the library's
# blocks. Saturated LSTM gates, as unscaled features give (Power's voltage is near
# 240), drive gradients into that range, where x86 arithmetic is tens of times
# slower: an ensemble member on Power's raw windows trained 3.9 times faster with
# them flushed, same scores (python -m benchmarks.investigations.denormals). torch
# sets the CPU's flag but has no getter, hence _flushes_denormals. The environment
# variable IMBLEARN_SEQGAN_FLUSH_DENORMALS=0, read at import, turns it off (the
# benchmark's comparison; exact IEEE arithmetic).
FLUSH_DENORMALS = os.environ.get("IMBLEARN_SEQGAN_FLUSH_DENORMALS", "1") != "0"


def _flushes_denormals() -> bool:
    """Whether this thread's CPU flushes denormal floats to zero now."""
    tiny = torch.tensor([1e-39], dtype=torch.float32)  # a denormal float32
    return bool((tiny * 1.0)[0] == 0)


@contextlib.contextmanager
def torch_cpu_settings(n_threads: int | None) -> Iterator[None]:
    """Run a block with torch's CPU settings for the library's models.

    Torch's intra-op thread count is ``n_threads``, and denormal float32
    numbers are flushed to zero (``torch.set_flush_denormal``) in the calling
    thread, which is where the work of ``n_threads=1`` runs. Both are restored
    on exit.

    Parameters
    ----------
    n_threads : int or None
        Threads for the block; None leaves torch's thread count alone.
    """
    restore_flush = None
    if FLUSH_DENORMALS and not _flushes_denormals():
        # False where the CPU has no such mode: nothing to restore then
        restore_flush = False if torch.set_flush_denormal(True) else None
    previous = torch.get_num_threads()
    if n_threads is not None:
        torch.set_num_threads(n_threads)
    try:
        yield
    finally:
        if n_threads is not None:
            torch.set_num_threads(previous)
        if restore_flush is not None:
            torch.set_flush_denormal(restore_flush)


def threaded_iter(iterable, n_threads: int | None) -> Iterator:
    """Yield from ``iterable`` with each item computed inside
    :func:`torch_cpu_settings` (for outputs made lazily, chunk by chunk, after
    ``fit_resample``'s own block has ended); the caller's count holds between
    items.

    Parameters
    ----------
    iterable : iterable
    n_threads : int or None
        As for :func:`torch_cpu_settings`.
    """
    iterator = iter(iterable)
    while True:
        with torch_cpu_settings(n_threads):
            item = next(iterator, _END)
        if item is _END:
            return
        yield item


_END = object()


def to_tensor(array, device: torch.device, dtype=torch.float32) -> torch.Tensor:
    """numpy array (or tensor) -> tensor on ``device`` (no copy when already there)."""
    if isinstance(array, torch.Tensor):
        return array.to(device=device, dtype=dtype)
    if isinstance(array, numbers.Number):
        return torch.tensor(array, device=device, dtype=dtype)
    return torch.as_tensor(np.asarray(array), dtype=dtype, device=device)
