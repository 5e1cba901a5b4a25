"""Shared test fixtures of the package's families."""

import pytest
import torch


@pytest.fixture(autouse=True)
def _one_torch_thread():
    # The test models are tiny: on a 2-core machine shared with other processes,
    # two OpenMP threads waiting on each other made a batch up to 20x slower than
    # one thread. Restored afterwards so other tests keep their setting.
    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(threads)
