"""Shared test fixtures of the package's families."""

import pytest
import torch


@pytest.fixture(autouse=True)
def _one_torch_thread():
    # The test models are tiny: on a 2-core machine shared with other processes,
    # two OpenMP threads waiting on each other made a batch up to 20x slower than
    # one thread. Restored afterwards so other tests keep their setting. Only the
    # thread count: the library's denormal flush would break hypothesis, which
    # refuses to draw floats while the CPU flushes them.
    previous = torch.get_num_threads()
    torch.set_num_threads(1)
    try:
        yield
    finally:
        torch.set_num_threads(previous)


def pytest_collection_modifyitems(config, items):
    """Skip the doctests of a module whose data packages are not installed.

    A loader module lists the packages it reads in ``REQUIRED_PACKAGES`` (import
    names); its examples cannot run without them, so they are skipped with the pip
    commands as the reason instead of failing.
    """
    from imblearn_seqgan.datasets._base import missing_packages

    for item in items:
        if not isinstance(item, pytest.DoctestItem):
            continue
        required = item.dtest.globs.get("REQUIRED_PACKAGES")
        missing = missing_packages(tuple(required)) if required else []
        if missing:
            item.add_marker(pytest.mark.skip(reason="needs: " + "; ".join(missing)))
