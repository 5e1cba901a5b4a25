"""Tests of length-bucketed batching."""

import numpy as np
import torch

from imblearn_seqgan._nn import length_bucketed_batches, trim_batch


def test_length_bucketed_batches_cover_all_and_group_lengths():
    rng = np.random.default_rng(0)
    lengths = rng.integers(1, 100, size=500)
    batches = length_bucketed_batches(lengths, 32, rng=np.random.default_rng(1))
    assert sorted(np.concatenate(batches).tolist()) == list(range(500))
    spread = np.mean([np.ptp(lengths[b]) for b in batches])
    assert spread < 0.3 * np.ptp(lengths)
    values = np.zeros((500, 100, 2), dtype=np.float32)
    x, lens = trim_batch(values, lengths, batches[0], torch.device("cpu"))
    assert x.shape[1] == lengths[batches[0]].max()
