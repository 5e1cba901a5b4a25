"""Tests of device resolution, seeding and the CPU settings."""

import os
import subprocess
import sys

import pytest
import torch

from imblearn_seqgan._nn import resolve_device, seeded, torch_cpu_settings
from imblearn_seqgan._nn._utils import _flushes_denormals

# torch.set_flush_denormal answers False on a CPU without the mode (it needs SSE3 or AArch64)
needs_flush_mode = pytest.mark.skipif(
    not torch.set_flush_denormal(False), reason="this CPU cannot flush denormal floats to zero"
)


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


@needs_flush_mode
@pytest.mark.parametrize("callers_mode", [False, True])
def test_torch_cpu_settings_flush_denormals_inside_and_restore_the_callers_mode(callers_mode):
    threads = torch.get_num_threads()
    torch.set_flush_denormal(callers_mode)
    try:
        assert _flushes_denormals() is callers_mode
        with torch_cpu_settings(1):
            assert _flushes_denormals()
            assert torch.get_num_threads() == 1
            # float32's smallest normal number halved is a denormal: flushed to zero
            assert torch.tensor([1.1754944e-38]).div(2.0).item() == 0.0
        assert _flushes_denormals() is callers_mode
        assert torch.get_num_threads() == threads
        with torch_cpu_settings(None):
            assert _flushes_denormals()
            assert torch.get_num_threads() == threads
        assert _flushes_denormals() is callers_mode
    finally:
        torch.set_flush_denormal(False)


@needs_flush_mode
def test_the_environment_variable_keeps_denormals():
    code = (
        "from imblearn_seqgan._nn import torch_cpu_settings\n"
        "from imblearn_seqgan._nn._utils import _flushes_denormals\n"
        "with torch_cpu_settings(1):\n"
        "    print(_flushes_denormals())\n"
    )
    env = dict(os.environ, IMBLEARN_SEQGAN_FLUSH_DENORMALS="0")
    done = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "False"
