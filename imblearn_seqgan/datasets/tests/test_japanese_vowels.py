"""Tests of load_japanese_vowels.

A test that reads the data set is skipped, with the pip command in its reason, when
the data package is not installed; the checks that run before any file is read
run everywhere.
"""

import numpy as np
import pytest

from imblearn_seqgan.datasets import _japanese_vowels, load_japanese_vowels
from imblearn_seqgan.datasets.tests.test_base import _needs
from imblearn_seqgan.utils import check_sequences, sequence_lengths

pytestmark = pytest.mark.datasets


needs_vowels = _needs(*_japanese_vowels.REQUIRED_PACKAGES)


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
