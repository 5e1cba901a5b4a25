"""batch_size="auto" (opt-in): 64 on the CPU; on CUDA as large as the data allow with at
least 16 batches per epoch."""

import pytest
import torch

from imblearn_seqgan._nn import auto_batch_size


@pytest.mark.parametrize(
    "n_sequences, expected",
    [(300, 64), (2047, 64), (2048, 128), (4096, 256), (16384, 1024), (2_000_000, 1024)],
)
def test_auto_batch_size_on_cuda_keeps_16_batches_per_epoch(n_sequences, expected):
    batch = auto_batch_size(n_sequences, torch.device("cuda"))
    assert batch == expected
    assert batch == 64 or n_sequences // batch >= 16


def test_auto_batch_size_on_cpu_is_64_whatever_the_data():
    assert auto_batch_size(2_000_000, torch.device("cpu")) == 64
