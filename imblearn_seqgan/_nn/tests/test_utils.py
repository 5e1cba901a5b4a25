"""Tests of device resolution and seeding."""

import pytest
import torch

from imblearn_seqgan._nn import resolve_device, seeded


def test_resolve_device_and_seeded():
    assert resolve_device("cpu").type == "cpu"
    assert resolve_device("auto").type in ("cpu", "cuda")
    if not torch.cuda.is_available():
        with pytest.raises(ValueError, match="CUDA"):
            resolve_device("cuda")
    with pytest.raises(ValueError, match="device"):
        resolve_device("nonsense")
    before = torch.random.get_rng_state()
    with seeded(3):
        a = torch.randn(3)
    with seeded(3):
        b = torch.randn(3)
    assert torch.equal(a, b)
    assert torch.equal(before, torch.random.get_rng_state())
