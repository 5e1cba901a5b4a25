"""Tests of the targets: label sequences, their codes, and the errors."""

import warnings

import numpy as np
import pytest

from imblearn_seqgan.utils import (
    check_label_sequences,
    check_sequence_target,
    encode_label_sequences,
    encode_sequence_target,
)


@pytest.mark.parametrize(
    "y, message",
    [
        ([[0, 1], [1, 0, 1]], r"label sequence 1 has 3 labels but label sequence 0 has 2"),
        (np.zeros((3, 2)), r"X and y have different numbers of sequences: 2 and 3"),
        (np.zeros(2), r"must be 2-D"),
        (np.array([[0.0, np.nan], [1.0, 0.0]]), r"NaN or infinity at sequence 0, label 1"),
    ],
)
def test_bad_label_sequences(y, message):
    with pytest.raises(ValueError, match=message):
        check_label_sequences(y, 2)


@pytest.mark.parametrize("bad", [np.nan, np.inf])
def test_non_finite_labels_are_rejected_before_any_cast(bad):
    # scikit-learn's target check would cast NaN to int first, with a RuntimeWarning
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with pytest.raises(ValueError, match=r"y contains NaN or infinity at sequence 1\."):
            check_sequence_target(np.array([0.0, bad, 1.0]), 3)


def test_encode_label_sequences_round_trip():
    y = np.array([[0, 0], [1, 0], [0, 0], [1, 1]])
    codes, patterns = encode_label_sequences(y)
    np.testing.assert_array_equal(patterns[codes], y)
    assert codes.shape == (4,)


def test_encode_label_sequences_string_labels():
    y = np.array([["b", "a"], ["a", "a"], ["b", "a"]], dtype=object)
    codes, patterns = encode_label_sequences(y)
    np.testing.assert_array_equal(codes, [1, 0, 1])
    np.testing.assert_array_equal(patterns[codes], y)


def test_encode_sequence_target_per_position():
    y = np.array([["a", "x"], ["b", "x"], ["a", "y"]])
    y_checked, classes, codes = encode_sequence_target(y, 3)
    np.testing.assert_array_equal(y_checked, y)
    assert [c.tolist() for c in classes] == [["a", "b"], ["x", "y"]]
    np.testing.assert_array_equal(codes, [[0, 0], [1, 0], [0, 1]])
    # one class in each position is still two label sequences
    encode_sequence_target([[0, 1], [1, 0]], 2)
    with pytest.raises(
        ValueError, match=r"Model needs at least 2 classes .* only one class: \[0, 1\]"
    ):
        encode_sequence_target([[0, 1], [0, 1]], 2, estimator_name="Model")
    with pytest.raises(ValueError, match=r"at least 2 classes .* \['a'\]"):
        encode_sequence_target(["a", "a"], 2)
