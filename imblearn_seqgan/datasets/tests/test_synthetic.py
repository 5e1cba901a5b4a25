import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import cross_val_score

from imblearn_seqgan.datasets import make_imbalanced_sequences
from imblearn_seqgan.metrics import sequence_summaries
from imblearn_seqgan.utils import check_sequences, sequence_lengths, unpad_sequences


def test_same_seed_same_data_other_seed_other_data():
    X1, y1 = make_imbalanced_sequences(100, random_state=3)
    X2, y2 = make_imbalanced_sequences(100, random_state=3)
    X3, _ = make_imbalanced_sequences(100, random_state=4)
    np.testing.assert_array_equal(X1, X2)  # NaN == NaN for assert_array_equal
    np.testing.assert_array_equal(y1, y2)
    assert X1.shape != X3.shape or not np.array_equal(X1, X3, equal_nan=True)


def test_shapes_dtype_and_class_counts():
    X, y = make_imbalanced_sequences(
        200, n_features=3, min_length=5, max_length=12, dtype=np.float32, random_state=0
    )
    assert X.dtype == np.float32
    assert X.ndim == 3 and X.shape[0] == 200 and X.shape[2] == 3
    assert X.shape[1] == sequence_lengths(X).max() <= 12
    assert y.dtype == np.int64 and y.shape == (200,)
    np.testing.assert_array_equal(np.bincount(y), [180, 20])


def test_multiclass_counts_follow_weights():
    _, y = make_imbalanced_sequences(1000, n_classes=4, weights=(0.85, 0.1, 0.04), random_state=0)
    np.testing.assert_array_equal(np.bincount(y), [850, 100, 40, 10])
    _, y = make_imbalanced_sequences(301, n_classes=3, random_state=0)
    counts = np.bincount(y)
    assert counts.sum() == 301 and counts[0] == 271 and abs(counts[1] - counts[2]) <= 1


@pytest.mark.parametrize("padding", ["post", "pre"])
def test_lengths_in_range_and_padding_side(padding):
    X, _ = make_imbalanced_sequences(
        150, min_length=4, max_length=9, padding=padding, random_state=1
    )
    lengths = sequence_lengths(X)
    assert lengths.min() >= 4 and lengths.max() <= 9
    assert len(np.unique(lengths)) > 1  # really variable length
    padded = np.isnan(X).all(axis=2)
    assert np.isnan(X).any(axis=2).sum() == padded.sum()  # NaN only as whole padding steps
    edge = X[:, -1] if padding == "pre" else X[:, 0]
    assert np.isfinite(edge).all()
    check_sequences(X)  # the library's own validation accepts it


def test_list_output_matches_padded_output():
    X, y = make_imbalanced_sequences(60, random_state=5)
    X_pre, y_pre = make_imbalanced_sequences(60, padding="pre", random_state=5)
    X_list, y_list = make_imbalanced_sequences(60, return_list=True, random_state=5)
    assert isinstance(X_list, list) and all(s.ndim == 2 for s in X_list)
    for a, b, c in zip(unpad_sequences(X), unpad_sequences(X_pre), X_list, strict=True):
        np.testing.assert_array_equal(a, c)
        np.testing.assert_array_equal(b, c)
    np.testing.assert_array_equal(y, y_list)
    np.testing.assert_array_equal(y, y_pre)


def test_binary_minority_pattern_is_learnable():
    X, y = make_imbalanced_sequences(400, weights=(0.8, 0.2), random_state=0)
    features = sequence_summaries(X)
    scores = cross_val_score(
        LogisticRegression(max_iter=1000), features, y, cv=5, scoring="balanced_accuracy"
    )
    assert scores.mean() > 0.9


def test_multiclass_patterns_are_distinct():
    X, y = make_imbalanced_sequences(
        600, n_classes=3, weights=(0.6, 0.2, 0.2), random_state=0, return_list=True
    )
    scores = cross_val_score(
        LogisticRegression(max_iter=2000),
        sequence_summaries(X),
        y,
        cv=5,
        scoring="balanced_accuracy",
    )
    assert scores.mean() > 0.85


def test_class_sep_zero_removes_the_signal():
    X, y = make_imbalanced_sequences(
        400, weights=(0.5, 0.5), class_sep=0.0, random_state=0, return_list=True
    )
    scores = cross_val_score(
        LogisticRegression(max_iter=1000),
        sequence_summaries(X),
        y,
        cv=5,
        scoring="balanced_accuracy",
    )
    assert scores.mean() < 0.65


def test_label_sequences():
    X, Y = make_imbalanced_sequences(300, n_classes=3, label_sequence_length=4, random_state=2)
    assert Y.shape == (300, 4) and Y.dtype == np.int64
    _, y = make_imbalanced_sequences(300, n_classes=3, random_state=2)
    majority = y == 0
    assert (Y[majority] == 0).all()
    # every minority label sequence is non-zero and uses only its own class
    assert (Y[~majority] != 0).any(axis=1).all()
    for k in (1, 2):
        assert set(np.unique(Y[y == k])) <= {0, k}
    # the majority is the most frequent label sequence (paper §2)
    rows, counts = np.unique(Y, axis=0, return_counts=True)
    np.testing.assert_array_equal(rows[np.argmax(counts)], np.zeros(4))
    # X does not depend on whether label sequences are asked for
    X_plain, _ = make_imbalanced_sequences(300, n_classes=3, random_state=2)
    np.testing.assert_array_equal(X, X_plain)


def test_label_sequence_of_length_one_still_marks_every_minority_sequence():
    _, Y = make_imbalanced_sequences(200, label_sequence_length=1, random_state=0)
    _, y = make_imbalanced_sequences(200, random_state=0)
    np.testing.assert_array_equal(Y[:, 0], y)


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"n_samples": 5}, "leaves class 1 without a sequence"),
        ({"weights": (0.5, 0.2, 0.3)}, "n_classes=2 or n_classes - 1 entries"),
        ({"weights": (0.9, 0.2)}, "positive and sum to 1"),
        ({"min_length": 10, "max_length": 5}, "max_length must be an integer >= 10"),
        ({"padding": "middle"}, "'padding' parameter of make_imbalanced_sequences"),
        ({"n_classes": 1}, r"'n_classes' parameter .* range \[2, 9\]"),
        ({"n_classes": 20}, r"'n_classes' parameter .* range \[2, 9\]"),
        ({"label_sequence_length": 0}, r"'label_sequence_length' parameter .* \[1, inf\)"),
        ({"n_features": 2.5}, "'n_features' parameter .* an int in the range"),
        ({"dtype": np.int64}, "dtype must be a floating dtype"),
    ],
)
def test_bad_parameters_say_what_is_wrong(kwargs, message):
    with pytest.raises(ValueError, match=message):
        make_imbalanced_sequences(**{"n_samples": 100, **kwargs})


@settings(max_examples=25, deadline=None)
@given(
    n_samples=st.integers(20, 80),
    n_features=st.integers(1, 5),
    n_classes=st.integers(2, 4),
    min_length=st.integers(1, 6),
    extra=st.integers(0, 6),
    padding=st.sampled_from(["pre", "post"]),
    seed=st.integers(0, 2**31 - 1),
)
def test_any_valid_parameters_give_valid_sequences(
    n_samples, n_features, n_classes, min_length, extra, padding, seed
):
    weights = [0.5] + [0.5 / (n_classes - 1)] * (n_classes - 1)
    X, y = make_imbalanced_sequences(
        n_samples,
        n_features=n_features,
        n_classes=n_classes,
        weights=weights,
        min_length=min_length,
        max_length=min_length + extra,
        padding=padding,
        random_state=seed,
    )
    seqs = check_sequences(X)
    assert seqs.n_sequences == n_samples and seqs.n_features == n_features
    assert seqs.lengths.min() >= min_length and seqs.lengths.max() <= min_length + extra
    assert set(np.unique(y)) == set(range(n_classes))
