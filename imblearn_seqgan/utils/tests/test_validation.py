"""Tests of the sequence data contract's validation: what X may be, the errors that
name the problem and where, the caller's data left alone."""

import warnings

import numpy as np
import pytest
from sklearn.utils._param_validation import InvalidParameterError

from imblearn_seqgan.utils import (
    check_label_sequences,
    check_sequence_target,
    check_sequences,
    pad_sequences,
    sequence_mask,
)


def _ragged(rng, lengths=(3, 5, 1, 4), n_features=2, dtype=np.float64):
    return [rng.normal(size=(n, n_features)).astype(dtype) for n in lengths]


def _nan_inside_valid_step():
    X = pad_sequences(_ragged(np.random.default_rng(0)))
    X[2, 0, 1] = np.nan
    return X


def _inf_inside_valid_step():
    X = pad_sequences(_ragged(np.random.default_rng(0)))
    X[1, 3, 0] = np.inf
    return X


def _all_nan_step_between_valid_steps():
    X = pad_sequences(_ragged(np.random.default_rng(0)))
    X[1, 2, :] = np.nan
    return X


def _valid_step_between_padding():
    X = pad_sequences(_ragged(np.random.default_rng(0)))
    X[2, 0, :] = np.nan  # sequence 2 has 1 valid step: now it has none at step 0
    X[2, 2, :] = 1.0  # a valid step between padding steps
    return X


def _empty_sequence():
    X = pad_sequences(_ragged(np.random.default_rng(0)))
    X[3, :, :] = np.nan
    return X


BAD_X = [
    pytest.param(_nan_inside_valid_step(), ValueError, r"NaN.*sequence 2, time step 0", id="nan"),
    pytest.param(
        _inf_inside_valid_step(), ValueError, r"infinity.*sequence 1, time step 3", id="inf"
    ),
    pytest.param(
        _all_nan_step_between_valid_steps(),
        ValueError,
        r"sequence 1, time step 2 is all NaN between valid",
        id="nan-step-inside",
    ),
    pytest.param(
        _valid_step_between_padding(),
        ValueError,
        r"sequence 2 has padding at both ends",
        id="sandwich",
    ),
    pytest.param(
        _empty_sequence(), ValueError, r"sequence 3 has no valid time step", id="empty-seq"
    ),
    pytest.param(np.ones(5), ValueError, r"got 1-D input", id="1d"),
    pytest.param(np.ones((2, 3, 4, 5)), ValueError, r"got 4-D input", id="4d"),
    pytest.param(
        [np.ones((2, 3)), np.ones((4, 2))],
        ValueError,
        r"different numbers of features: sequence 0 has 3, sequence 1 has 2",
        id="ragged-features",
    ),
    pytest.param(np.array([[["a", "b"]]]), TypeError, r"strings are not numeric", id="str"),
    pytest.param(np.ones((2, 3, 1), dtype=complex), ValueError, r"complex", id="complex"),
    pytest.param(
        np.array([[[{"a": 1}]]], dtype=object),
        (TypeError, ValueError),
        r"float|number",
        id="object",
    ),
    pytest.param(
        [["the", "cat"], ["a"]], TypeError, r"X\[0\]\[0\] is the string 'the'", id="tokens"
    ),
    pytest.param(
        [np.ones((2, 1)), np.array([["a"], ["b"]])],
        TypeError,
        r"X\[1\] has dtype <U1: strings",
        id="token-sequence",
    ),
    pytest.param(
        [[["a"], ["b"]]], TypeError, r"X\[0\]\[0\]\[0\] is the string 'a'", id="nested-tokens"
    ),
    pytest.param(
        [[1.0, 2.0], [3.0]],
        ValueError,
        r"X is a list of items of different lengths \(X\[0\] has 2, X\[1\] has 1\)",
        id="ragged-1d-lists",
    ),
    pytest.param(
        [np.ones(3), np.ones(2)],
        ValueError,
        r"different lengths .* not 2-D sequences",
        id="ragged-1d-arrays",
    ),
    pytest.param(
        np.array([np.ones(3), np.ones(2)], dtype=object),
        ValueError,
        r"X is an? object array of items of different lengths .* not 2-D sequences",
        id="ragged-1d-object-array",
    ),
    pytest.param([], ValueError, r"X is empty", id="empty-list"),
    pytest.param(np.empty((0, 3, 2)), ValueError, r"0 sample", id="empty-array"),
    pytest.param(
        [np.ones((0, 2))], ValueError, r"sequence 0 has no valid time step", id="empty-list-seq"
    ),
    pytest.param(
        [np.ones((2, 2)), np.array([[1.0, np.nan]])],
        ValueError,
        r"NaN.*sequence 1, time step 0, feature 1",
        id="nan-in-list",
    ),
]


@pytest.mark.parametrize("X, error, message", BAD_X)
def test_bad_X_error_names_problem_and_place(X, error, message):
    ragged = isinstance(X, list) or X.dtype == object
    before = [np.copy(x) for x in X] if ragged else np.copy(X)
    with pytest.raises(error, match=message):
        check_sequences(X)
    # the caller's data is untouched even when validation fails
    if ragged:
        for a, b in zip(X, before, strict=True):
            np.testing.assert_array_equal(a, b)
    else:
        np.testing.assert_array_equal(X, before)


@pytest.mark.parametrize(
    "call, message",
    [
        (lambda: pad_sequences([np.ones((2, 1))], padding="middle"), r"'padding' parameter"),
        (lambda: pad_sequences([np.ones((2, 1))], max_length=0), r"'max_length' parameter"),
        (lambda: sequence_mask(np.ones((1, 2, 1)), padding_value="x"), r"'padding_value'"),
        (lambda: check_sequences(np.ones((1, 2, 1)), input_name=3), r"'input_name' parameter"),
        (lambda: check_sequence_target([0, 1], 2, label_sequences="yes"), r"'label_sequences'"),
        (lambda: check_label_sequences([[0], [1]], -1), r"'n_sequences' parameter"),
    ],
)
def test_bad_parameters_are_named(call, message):
    # scikit-learn's parameter validation: the error names the parameter and the
    # accepted values (what X holds is checked by check_sequences, above)
    with pytest.raises(InvalidParameterError, match=message):
        call()


def test_mixed_padding_sides_rejected():
    rng = np.random.default_rng(0)
    pre = pad_sequences(_ragged(rng, (2, 4)), padding="pre")
    post = pad_sequences(_ragged(rng, (3, 4)), padding="post")
    with pytest.raises(ValueError, match=r"mixes padding sides: sequence 0 .* start"):
        check_sequences(np.concatenate([pre, post]))


def test_padding_value_other_than_nan():
    X = np.array([[[1.0], [0.0], [2.0], [-1.0]], [[0.0], [0.0], [3.0], [-1.0]]])
    seqs = check_sequences(X, padding_value=-1.0)
    # an interior step equal to padding_value is data, only the edge run is padding
    np.testing.assert_array_equal(seqs.lengths, [3, 3])
    with pytest.raises(ValueError, match=r"NaN.*sequence 0, time step 1"):
        check_sequences(np.where(X == 0.0, np.nan, X)[:1], padding_value=-1.0)


def test_two_d_input_is_sequences_of_one_step():
    X = np.arange(6.0).reshape(3, 2)
    seqs = check_sequences(X)
    assert seqs.values.shape == (3, 1, 2)
    np.testing.assert_array_equal(seqs.lengths, [1, 1, 1])
    out = seqs.append(seqs.values[:1] + 10, seqs.lengths[:1])
    np.testing.assert_array_equal(out, np.vstack([X, X[:1] + 10]))


def test_caller_array_not_modified():
    rng = np.random.default_rng(3)
    X = pad_sequences(_ragged(rng), padding="pre")
    before = X.copy()
    seqs = check_sequences(X)
    seqs.values[:] = 0.0
    seqs.append(seqs.values, seqs.lengths)
    np.testing.assert_array_equal(X, before)


def test_integer_input_becomes_float():
    seqs = check_sequences(np.ones((2, 3, 1), dtype=np.int64))
    assert seqs.dtype == np.float64


def test_validate_sequences_feature_mismatch_worded_as_scikit_learn():
    # scikit-learn's check_n_features_in_after_fitting matches this wording.
    from imblearn_seqgan.utils import validate_sequences

    class Estimator:
        pass

    estimator = Estimator()
    validate_sequences(estimator, np.zeros((3, 4, 2)), reset=True)
    assert estimator.n_features_in_ == 2
    with pytest.raises(ValueError, match="X has 1 features, but Estimator is expecting 2"):
        validate_sequences(estimator, np.zeros((3, 4, 1)), reset=False)


# --- 2-D X whose rows look like univariate sequences ----------------------------


def _univariate_rows(kind):
    """(300, 20) arrays meant as 300 univariate sequences of 20 steps."""
    if kind == "random_walk":
        return np.cumsum(np.random.default_rng(0).normal(size=(300, 20)), axis=1)
    from imblearn_seqgan.datasets import make_imbalanced_sequences

    X, _ = make_imbalanced_sequences(
        300, n_features=1, min_length=20, max_length=20, random_state=0
    )
    return X[:, :, 0]


@pytest.mark.parametrize("kind", ["random_walk", "make_imbalanced_sequences"])
def test_two_d_rows_that_look_like_sequences_warn_once_at_fit(kind):
    from imblearn_seqgan.classification import Seq2SeqClassifier

    X = _univariate_rows(kind)
    y = np.arange(300) % 2
    clf = Seq2SeqClassifier(hidden_size=4, max_epochs=1, random_state=0)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        clf.fit(X, y)
    messages = [str(w.message) for w in caught if issubclass(w.category, UserWarning)]
    assert len(messages) == 1, messages
    assert "read as 300 sequences of one time step with 20 features" in messages[0]
    assert "pass X[:, :, None] (shape (300, 20, 1))" in messages[0]
    assert clf.n_features_in_ == 20  # a hint only: 2-D keeps its meaning
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        clf.predict(X)  # at fit only
        Seq2SeqClassifier(hidden_size=4, max_epochs=1).fit(X[:, :, None], y)


def _tabular(name):
    from sklearn import datasets

    if name == "breast_cancer":  # 30 columns, correlated neighbours, on many scales
        return datasets.load_breast_cancer().data
    if name == "digits":  # 64 pixels
        return datasets.load_digits().data
    if name == "classification":
        return datasets.make_classification(300, n_features=20, random_state=0)[0]
    return datasets.make_blobs(300, n_features=20, random_state=0)[0]


@pytest.mark.parametrize("name", ["breast_cancer", "digits", "classification", "blobs"])
def test_tabular_two_d_input_does_not_warn(name):
    from imblearn_seqgan.utils import validate_sequences

    class Estimator:
        pass

    with warnings.catch_warnings():
        warnings.simplefilter("error")
        validate_sequences(Estimator(), _tabular(name), reset=True)
        # one-step sequences said explicitly never warn
        validate_sequences(Estimator(), _univariate_rows("random_walk")[:, None, :], reset=True)


def test_nan_padded_rows_of_a_two_d_array_error_says_how_to_pass_them():
    X = _univariate_rows("random_walk")
    X[0, 15:] = np.nan  # a univariate sequence of 15 steps, NaN-padded, as a row
    hint = r"sequence 0, time step 0, feature 15 .* X\[:, :, None\]"
    with pytest.raises(ValueError, match=hint):
        check_sequences(X)
