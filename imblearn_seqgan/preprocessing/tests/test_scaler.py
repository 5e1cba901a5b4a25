"""Tests of SequenceStandardScaler: statistics over valid steps only, every input form."""

import numpy as np
import pandas as pd
import pytest
from imblearn.pipeline import make_pipeline
from sklearn.exceptions import NotFittedError
from sklearn.preprocessing import StandardScaler

from imblearn_seqgan.classification import Seq2SeqClassifier
from imblearn_seqgan.datasets import make_imbalanced_sequences
from imblearn_seqgan.over_sampling import SequenceSMOTE
from imblearn_seqgan.preprocessing import SequenceStandardScaler
from imblearn_seqgan.utils import pad_sequences


def _ragged(seed=0):
    # features far from zero and on scales 1,000 apart, as raw meter readings are
    rng = np.random.default_rng(seed)
    return [
        np.column_stack([rng.normal(240, 3, length), rng.normal(0, 0.01, length)])
        for length in (4, 9, 6, 2)
    ]


def _pooled(sequences):
    return np.concatenate(sequences)


def test_statistics_are_those_of_the_valid_steps_and_padding_is_kept():
    ragged = _ragged()
    reference = StandardScaler().fit(_pooled(ragged))
    for padding in ("post", "pre"):
        padded = pad_sequences(ragged, padding=padding)
        before = padded.copy()
        scaler = SequenceStandardScaler().fit(padded)
        np.testing.assert_allclose(scaler.mean_, reference.mean_)
        np.testing.assert_allclose(scaler.scale_, reference.scale_)
        np.testing.assert_allclose(scaler.var_, reference.var_)
        assert scaler.n_steps_seen_ == sum(len(x) for x in ragged) == 21
        out = scaler.transform(padded)
        np.testing.assert_array_equal(np.isnan(out), np.isnan(padded))  # padding where it was
        expected = pad_sequences(
            [(x - reference.mean_) / reference.scale_ for x in ragged], padding=padding
        )
        np.testing.assert_allclose(out, expected)
        np.testing.assert_array_equal(padded, before)  # the caller's X untouched
        assert not np.shares_memory(out, padded)


def test_a_ragged_list_stays_a_list_and_inverse_transform_undoes_it():
    ragged = _ragged()
    copies = [x.copy() for x in ragged]
    scaler = SequenceStandardScaler()
    out = scaler.fit_transform(ragged)
    assert isinstance(out, list) and [len(x) for x in out] == [4, 9, 6, 2]
    pooled = _pooled(out)
    np.testing.assert_allclose(pooled.mean(axis=0), 0.0, atol=1e-12)
    np.testing.assert_allclose(pooled.std(axis=0), 1.0)
    back = scaler.inverse_transform(out)
    for original, restored, copy in zip(ragged, back, copies, strict=True):
        np.testing.assert_allclose(restored, original)
        np.testing.assert_array_equal(original, copy)


def test_a_series_of_sequences_comes_back_as_a_series_with_its_name():
    series = pd.Series(_ragged(), name="readings", dtype=object)
    out = SequenceStandardScaler().fit_transform(series)
    assert isinstance(out, pd.Series) and out.name == "readings"
    np.testing.assert_allclose(_pooled(list(out)).mean(axis=0), 0.0, atol=1e-12)


def test_float32_stays_float32_and_a_custom_padding_value_is_kept():
    padded = pad_sequences(_ragged(), padding_value=-1.0).astype(np.float32)
    out = SequenceStandardScaler(padding_value=-1.0).fit_transform(padded)
    assert out.dtype == np.float32
    np.testing.assert_array_equal(out == -1.0, padded == -1.0)
    valid = out[padded[:, :, 0] != -1.0]
    np.testing.assert_allclose(valid.mean(axis=0), 0.0, atol=1e-5)


def test_a_constant_feature_is_divided_by_one_and_the_switches_turn_each_part_off():
    ragged = [np.column_stack([np.full(5, 7.0), np.arange(5.0)]), np.array([[7.0, 1.0]])]
    scaler = SequenceStandardScaler().fit(ragged)
    assert scaler.scale_[0] == 1.0
    np.testing.assert_array_equal(scaler.transform(ragged)[0][:, 0], 0.0)
    centred = SequenceStandardScaler(with_std=False).fit(ragged)
    assert centred.scale_ is None and centred.var_ is None
    np.testing.assert_allclose(centred.transform(ragged)[1], ragged[1] - centred.mean_)
    divided = SequenceStandardScaler(with_mean=False).fit(ragged)
    assert divided.mean_ is None
    np.testing.assert_allclose(divided.transform(ragged)[0], ragged[0] / divided.scale_)


def test_clear_errors_for_an_unfitted_scaler_and_other_features():
    with pytest.raises(NotFittedError):
        SequenceStandardScaler().transform(_ragged())
    scaler = SequenceStandardScaler().fit(_ragged())
    with pytest.raises(ValueError, match="X has 3 features, but SequenceStandardScaler is"):
        scaler.transform([np.zeros((4, 3))])
    with pytest.raises(ValueError, match="NaN"):
        scaler.fit([np.array([[1.0, np.nan], [2.0, 3.0]])])


def test_in_a_pipeline_before_a_sampler_and_the_classifier():
    X, y = make_imbalanced_sequences(120, weights=[0.85, 0.15], random_state=0)
    X_raw = X * np.array([100.0, 1.0, 0.01, 10.0]) + 240.0
    pipeline = make_pipeline(
        SequenceStandardScaler(),
        SequenceSMOTE(random_state=0),
        Seq2SeqClassifier(hidden_size=8, max_epochs=3, random_state=0),
    )
    pipeline.fit(X_raw, y)
    scaler = pipeline[0]
    assert scaler.n_steps_seen_ == int((~np.isnan(X_raw[:, :, 0])).sum())
    proba = pipeline.predict_proba(X_raw)
    assert proba.shape == (120, 2) and np.all(np.isfinite(proba))
