"""Tests of SequenceRandomOverSampler: imbalanced-learn's draws, whole sequences."""

import numpy as np
import pandas as pd
import pytest
from imblearn.over_sampling import RandomOverSampler

from imblearn_seqgan.datasets import make_imbalanced_sequences
from imblearn_seqgan.over_sampling import SequenceRandomOverSampler
from imblearn_seqgan.utils import check_sequences, encode_label_sequences, pad_sequences


def three_per_minority_sequence(y):
    """The study's amount of synthetic data (3 new per minority sequence)."""
    values, counts = np.unique(y, return_counts=True)
    majority = values[np.argmax(counts)]
    return {v: 4 * c for v, c in zip(values, counts, strict=True) if v != majority}


def index_reference(sampler, X, y):
    """imbalanced-learn's RandomOverSampler on sequence indices, the copies appended:
    what the study's random_over row ran before this sampler existed."""
    seqs = check_sequences(X)
    n = len(seqs.lengths)
    _, y_res = sampler.fit_resample(np.arange(n)[:, None], y)
    new = sampler.sample_indices_[n:]
    return seqs.append(seqs.values[new], seqs.lengths[new]), y_res


@pytest.fixture(scope="module")
def ragged_data():
    return make_imbalanced_sequences(120, weights=[0.8], return_list=True, random_state=0)


@pytest.mark.parametrize("seed", [0, 1, 2])
@pytest.mark.parametrize("strategy", ["auto", 0.5, three_per_minority_sequence])
@pytest.mark.parametrize("as_list", [False, True])
def test_matches_imblearn_random_over_sampler_on_indices(ragged_data, as_list, strategy, seed):
    X, y = ragged_data
    if not as_list:
        X = pad_sequences(X)
    sampler = SequenceRandomOverSampler(sampling_strategy=strategy, random_state=seed)
    X_res, y_res = sampler.fit_resample(X, y)
    reference = RandomOverSampler(sampling_strategy=strategy, random_state=seed)
    X_ref, y_ref = index_reference(reference, X, y)
    np.testing.assert_array_equal(sampler.sample_indices_, reference.sample_indices_)
    np.testing.assert_array_equal(y_res, y_ref)
    if as_list:
        assert all(np.array_equal(a, b) for a, b in zip(X_res, X_ref, strict=True))
    else:
        np.testing.assert_array_equal(X_res, X_ref)


def test_label_sequences_per_distinct_label_sequence_as_the_study_ran():
    # The study ran random over-sampling of label sequences with every distinct label
    # sequence as a class; encoding them to codes gives exactly that.
    X, y = make_imbalanced_sequences(
        150, weights=[0.8], label_sequence_length=3, return_list=True, random_state=0
    )
    codes, patterns = encode_label_sequences(y)
    ours = SequenceRandomOverSampler(
        sampling_strategy=three_per_minority_sequence, random_state=0
    ).fit_resample(X, codes)
    reference = RandomOverSampler(sampling_strategy=three_per_minority_sequence, random_state=0)
    X_ref, codes_ref = index_reference(reference, X, codes)
    assert all(np.array_equal(a, b) for a, b in zip(ours[0], X_ref, strict=True))
    np.testing.assert_array_equal(patterns[ours[1]], patterns[codes_ref])


def test_label_sequence_mode_copies_label_sequences(ragged_data):
    X, _ = ragged_data
    _, y = make_imbalanced_sequences(
        120, weights=[0.8], label_sequence_length=3, return_list=True, random_state=0
    )
    sampler = SequenceRandomOverSampler(label_sequences=True, random_state=0)
    X_res, y_res = sampler.fit_resample(X, y)
    n = len(y)
    new = sampler.sample_indices_[n:]
    is_minority = ~(y == np.array([0, 0, 0])).all(axis=1)
    assert is_minority[new].all() and len(new) == (~is_minority).sum() - is_minority.sum()
    np.testing.assert_array_equal(y_res[n:], y[new])
    assert all(np.array_equal(X_res[n + i], X[j]) for i, j in enumerate(new))


def test_whole_sequences_in_the_callers_form(ragged_data):
    X, y = ragged_data
    X32 = check_sequences([x.astype(np.float32) for x in X])
    pre = np.full((len(X), 35, 4), np.nan, dtype=np.float32)
    for i, length in enumerate(X32.lengths):
        pre[i, 35 - length :] = X32.values[i, :length]
    y_series = pd.Series(y, name="label")
    sampler = SequenceRandomOverSampler(random_state=0)
    X_res, y_res = sampler.fit_resample(pre, y_series)
    assert X_res.dtype == np.float32 and X_res.shape[1] == 35
    assert isinstance(y_res, pd.Series) and y_res.name == "label"
    np.testing.assert_array_equal(X_res, pre[sampler.sample_indices_])
