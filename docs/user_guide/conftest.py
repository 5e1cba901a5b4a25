"""Skip the examples of a user-guide page whose optional packages are missing.

The pages' examples run as doctests (``--doctest-glob=*.rst``); a page that needs
an optional package is listed here with the packages (import names), and its
examples are skipped with the pip command as the reason instead of failing.
"""

import importlib.util

import pytest

# page -> (import names its examples need, how to install them)
REQUIRED_PACKAGES = {
    "aeon.rst": (("aeon", "numba"), "pip install aeon (in the [datasets] extra)"),
}


def pytest_collection_modifyitems(config, items):
    for item in items:
        if not isinstance(item, pytest.DoctestItem) or item.path.name not in REQUIRED_PACKAGES:
            continue
        modules, command = REQUIRED_PACKAGES[item.path.name]
        if any(importlib.util.find_spec(m) is None for m in modules):
            item.add_marker(pytest.mark.skip(reason=f"needs: {command}"))
