"""Tests of SequenceSMOTE and SequenceADASYN: imbalanced-learn's samplers on equal
lengths, interpolation of variable-length sequences, label sequences, errors."""

import warnings

import numpy as np
import pandas as pd
import pytest
from imblearn.over_sampling import ADASYN, SMOTE
from sklearn.neighbors import NearestNeighbors

from imblearn_seqgan.datasets import make_imbalanced_sequences
from imblearn_seqgan.over_sampling import SequenceADASYN, SequenceSMOTE
from imblearn_seqgan.over_sampling._interpolation import _NeighborsOnLeadingColumns
from imblearn_seqgan.utils import check_sequences, majority_mask, pad_sequences

SAMPLERS = [SequenceSMOTE, SequenceADASYN]


def three_per_minority_sequence(y):
    """The study's amount of synthetic data (3 new per minority sequence)."""
    values, counts = np.unique(y, return_counts=True)
    majority = values[np.argmax(counts)]
    return {v: 4 * c for v, c in zip(values, counts, strict=True) if v != majority}


def flattened_reference(sampler, X, y):
    """imbalanced-learn's sampler on flattened equal-length sequences, folded back:
    what the study's SMOTE and ADASYN rows ran before these samplers existed."""
    seqs = check_sequences(X)
    n, t, f = seqs.values.shape
    flat_res, y_res = sampler.fit_resample(seqs.values.reshape(n, t * f), y)
    new = flat_res[n:].reshape(-1, t, f)
    return seqs.append(new, np.full(len(new), t)), y_res


@pytest.fixture(scope="module")
def equal_data():
    return make_imbalanced_sequences(
        150, weights=[0.85], min_length=12, max_length=12, random_state=0
    )


@pytest.fixture(scope="module")
def ragged_data():
    return make_imbalanced_sequences(150, weights=[0.8], return_list=True, random_state=1)


def lengths_of(X):
    return np.array([len(seq) for seq in X])


# -- equal lengths: exactly imbalanced-learn on flattened sequences -----------------


@pytest.mark.parametrize("seed", [0, 1, 2])
@pytest.mark.parametrize("strategy", ["auto", 0.6, three_per_minority_sequence])
@pytest.mark.parametrize("dtype", [np.float64, np.float32])
@pytest.mark.parametrize("ours, theirs", [(SequenceSMOTE, SMOTE), (SequenceADASYN, ADASYN)])
def test_equal_lengths_match_imblearn_on_flattened_sequences(
    equal_data, ours, theirs, dtype, strategy, seed
):
    X, y = equal_data
    X = X.astype(dtype)
    X_res, y_res = ours(sampling_strategy=strategy, random_state=seed).fit_resample(X, y)
    X_ref, y_ref = flattened_reference(theirs(sampling_strategy=strategy, random_state=seed), X, y)
    assert X_res.dtype == X_ref.dtype == dtype
    np.testing.assert_array_equal(X_res, X_ref)
    np.testing.assert_array_equal(y_res, y_ref)


@pytest.mark.parametrize("ours, theirs", [(SequenceSMOTE, SMOTE), (SequenceADASYN, ADASYN)])
def test_equal_lengths_match_imblearn_with_pre_padding_and_three_classes(ours, theirs):
    X, y = make_imbalanced_sequences(
        200, n_classes=3, weights=[0.7, 0.2], min_length=8, max_length=8, random_state=3
    )
    X_pre = np.concatenate([np.full((len(X), 2, X.shape[2]), np.nan), X], axis=1)
    neighbors = {"k_neighbors" if theirs is SMOTE else "n_neighbors": 3}
    X_res, y_res = ours(random_state=0, **neighbors).fit_resample(X_pre, y)
    X_ref, y_ref = flattened_reference(theirs(random_state=0, **neighbors), X, y)
    n = len(y)
    np.testing.assert_array_equal(X_res[:n], X_pre)  # the caller's padding is kept
    np.testing.assert_array_equal(X_res[n:, 2:], X_ref[n:])
    assert np.isnan(X_res[n:, :2]).all()
    np.testing.assert_array_equal(y_res, y_ref)


# -- variable lengths ---------------------------------------------------------------


@pytest.mark.parametrize("Sampler", SAMPLERS)
def test_variable_lengths_give_new_sequences_within_the_minority_lengths(ragged_data, Sampler):
    X, y = ragged_data
    X_res, y_res = Sampler(random_state=0).fit_resample(X, y)
    n = len(y)
    assert isinstance(X_res, list) and len(X_res) == len(y_res)
    for original, returned in zip(X, X_res[:n], strict=True):
        np.testing.assert_array_equal(original, returned)
    new, new_lengths = X_res[n:], lengths_of(X_res[n:])
    assert np.all(y_res[n:] == 1) and len(new) > 0
    minority = lengths_of(X)[y == 1]
    assert minority.min() <= new_lengths.min() and new_lengths.max() <= minority.max()
    assert len(np.unique(new_lengths)) > 5  # lengths are interpolated, not copied
    # none is a copy of a real sequence
    for seq in new:
        same_length = [x for x in X if len(x) == len(seq)]
        assert not any(np.allclose(seq, x) for x in same_length)


def test_variable_lengths_interpolate_values_and_length_with_one_weight():
    # Two minority sequences: 0.0 for 10 steps and 1.0 for 20 steps. A new one is
    # w everywhere and round(10 + 10 w) long: the same w for values and length.
    majority = [np.full((15, 1), 5.0 + i) for i in range(6)]
    X = majority + [np.zeros((10, 1)), np.ones((20, 1))]
    y = np.r_[np.zeros(6, int), 1, 1]
    X_res, _ = SequenceSMOTE(k_neighbors=1, random_state=0).fit_resample(X, y)
    for seq in X_res[8:]:
        w = seq[0, 0]
        np.testing.assert_allclose(seq, w)
        assert len(seq) == np.rint(10 + 10 * w)


@pytest.mark.parametrize("Sampler", SAMPLERS)
def test_variable_lengths_are_repeatable_and_follow_the_seed(ragged_data, Sampler):
    X, y = ragged_data
    first = Sampler(random_state=0).fit_resample(X, y)[0]
    again = Sampler(random_state=0).fit_resample(X, y)[0]
    other = Sampler(random_state=1).fit_resample(X, y)[0]
    n = len(y)
    assert all(np.array_equal(a, b) for a, b in zip(first, again, strict=True))
    assert any(
        len(a) != len(b) or not np.array_equal(a, b)
        for a, b in zip(first[n:], other[n:], strict=True)
    )


@pytest.mark.parametrize("Sampler", SAMPLERS)
def test_padding_never_enters_the_interpolation(ragged_data, Sampler):
    # a ragged list, post- and pre-padded arrays and another padding value give the
    # same new sequences, in the caller's dtype and padding
    X, y = ragged_data
    X = [x.astype(np.float32) for x in X]
    n = len(y)
    from_list, _ = Sampler(random_state=0).fit_resample(X, y)
    assert all(seq.dtype == np.float32 for seq in from_list)
    expected = pad_sequences(from_list[n:], padding="post", dtype=np.float32)
    post = pad_sequences(X, padding="post", dtype=np.float32)
    X_post, _ = Sampler(random_state=0).fit_resample(post, y)
    assert X_post.dtype == np.float32
    np.testing.assert_array_equal(X_post[n:, : expected.shape[1]], expected)
    assert np.isnan(X_post[n:, expected.shape[1] :]).all()
    X_other, _ = Sampler(padding_value=-7.0, random_state=0).fit_resample(
        np.nan_to_num(post, nan=-7.0), y
    )
    np.testing.assert_array_equal(np.where(X_other == -7.0, np.nan, X_other), X_post)
    pre = pad_sequences(X, padding="pre", dtype=np.float32)
    X_pre, _ = Sampler(random_state=0).fit_resample(pre, y)
    for a, b in zip(X_pre[n:], X_post[n:], strict=True):  # the same, right-aligned
        np.testing.assert_array_equal(a[~np.isnan(a).all(1)], b[~np.isnan(b).all(1)])
        assert np.isnan(a[: np.isnan(a).all(1).sum()]).all()


@pytest.mark.parametrize("Sampler", SAMPLERS)
def test_pandas_target_and_input_left_untouched(ragged_data, Sampler):
    X, y = ragged_data
    X_copy = [x.copy() for x in X]
    y_series = pd.Series(y, name="label")
    _, y_res = Sampler(random_state=0).fit_resample(X, y_series)
    assert isinstance(y_res, pd.Series) and y_res.name == "label"
    assert all(np.array_equal(a, b) for a, b in zip(X, X_copy, strict=True))
    np.testing.assert_array_equal(y_series, y)


# -- label sequences ----------------------------------------------------------------


def test_label_sequences_take_the_nearer_end():
    # Two minority sequences with label sequences [0, 1] and [1, 1]: a new sequence
    # w of the way from the first gets the second's labels exactly when w > 0.5.
    majority = [np.full((15, 1), 5.0 + i) for i in range(6)]
    X = majority + [np.zeros((10, 1)), np.ones((20, 1))]
    y = np.array([[0, 0]] * 6 + [[0, 1], [1, 1]])
    X_res, y_res = SequenceSMOTE(k_neighbors=1, label_sequences=True, random_state=0).fit_resample(
        X, y
    )
    weights = np.array([seq[0, 0] for seq in X_res[8:]])
    assert 0.2 < (weights > 0.5).mean() < 0.8
    np.testing.assert_array_equal(y_res[8:], np.where(weights[:, None] > 0.5, [1, 1], [0, 1]))


@pytest.mark.parametrize("Sampler", SAMPLERS)
def test_label_sequence_mode_on_equal_lengths_matches_majority_vs_rest(equal_data, Sampler):
    # label-sequence mode interpolates the label columns beside the values, unseen by
    # the neighbour search: the values are those of majority-vs-rest class labels
    X, y = equal_data
    rng = np.random.RandomState(0)
    y2 = np.where(y[:, None] == 1, rng.randint(0, 2, size=(len(y), 3)) | [1, 0, 0], 0)
    groups = (~majority_mask(y2)[0]).astype(int)
    X_lab, y_lab = Sampler(label_sequences=True, random_state=0).fit_resample(X, y2)
    X_cls, _ = Sampler(random_state=0).fit_resample(X, groups)
    np.testing.assert_allclose(X_lab, X_cls, rtol=1e-12)
    minority = {tuple(row) for row in y2[groups == 1]}
    assert all(tuple(row) in minority for row in y_lab[len(y) :])


# -- the neighbour search sees the values only --------------------------------------


def test_neighbours_ignore_the_appended_columns():
    rng = np.random.RandomState(0)
    values = rng.normal(size=(30, 6))
    extra = rng.normal(scale=100.0, size=(30, 2))  # would dominate any distance
    wrapped = _NeighborsOnLeadingColumns(NearestNeighbors(n_neighbors=4), n_columns=6)
    got = wrapped.fit(np.hstack([values, extra])).kneighbors(
        np.hstack([values, extra]), return_distance=False
    )
    expected = NearestNeighbors(n_neighbors=4).fit(values).kneighbors(return_distance=False)
    np.testing.assert_array_equal(got[:, 1:], expected[:, :3])
    assert wrapped.n_neighbors == 4


def test_a_neighbours_estimator_is_accepted(ragged_data):
    X, y = ragged_data
    by_int = SequenceSMOTE(k_neighbors=3, random_state=0).fit_resample(X, y)[0]
    by_object = SequenceSMOTE(
        k_neighbors=NearestNeighbors(n_neighbors=4), random_state=0
    ).fit_resample(X, y)[0]
    assert all(np.array_equal(a, b) for a, b in zip(by_int, by_object, strict=True))


# -- errors -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "Sampler, param", [(SequenceSMOTE, "k_neighbors"), (SequenceADASYN, "n_neighbors")]
)
def test_class_too_small_for_the_neighbours(ragged_data, Sampler, param):
    X, y = ragged_data
    keep = np.r_[np.flatnonzero(y == 0), np.flatnonzero(y == 1)[:4]]
    X_small, y_small = [X[i] for i in keep], y[keep]
    with pytest.raises(
        ValueError, match=rf"{param}=5 needs at least 6 sequences .* class 1 has only 4"
    ):
        Sampler(random_state=0).fit_resample(X_small, y_small)
    Sampler(random_state=0, **{param: 3}).fit_resample(X_small, y_small)
    single = np.r_[np.flatnonzero(y == 0), np.flatnonzero(y == 1)[:1]]
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # an error, not also a warning
        with pytest.raises(ValueError, match="class 1: it has 1 sequence, and interpolation"):
            Sampler(random_state=0, **{param: 1}).fit_resample([X[i] for i in single], y[single])


def test_label_sequence_minority_too_small_is_named():
    X, y = make_imbalanced_sequences(
        40, weights=[0.9], label_sequence_length=2, return_list=True, random_state=0
    )
    with pytest.raises(ValueError, match=r"the minority \(every label sequence other"):
        SequenceSMOTE(label_sequences=True).fit_resample(X, y)


def test_nothing_to_generate(ragged_data):
    X, y = ragged_data
    sampler = SequenceSMOTE(sampling_strategy={1: int(np.sum(y == 1))}, random_state=0)
    X_res, y_res = sampler.fit_resample(X, y)
    assert len(X_res) == len(X) and sampler.sampling_strategy_ == {1: 0}
