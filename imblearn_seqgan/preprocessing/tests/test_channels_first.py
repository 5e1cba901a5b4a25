"""Tests of ToChannelsFirst, alone and between a sampler and aeon's estimators."""

import importlib.util

import numpy as np
import pytest
from imblearn.pipeline import Pipeline
from sklearn.linear_model import LogisticRegression, RidgeClassifierCV
from sklearn.model_selection import TunedThresholdClassifierCV
from sklearn.preprocessing import StandardScaler
from sklearn.utils._param_validation import InvalidParameterError

from imblearn_seqgan.datasets import make_imbalanced_sequences
from imblearn_seqgan.over_sampling import SeqGANOverSampler
from imblearn_seqgan.preprocessing import ToChannelsFirst
from imblearn_seqgan.utils import pad_sequences, resample_sequences, unpad_sequences

needs_aeon = pytest.mark.skipif(
    # aeon installed with --no-deps (enough for load_japanese_vowels) lacks numba
    not all(importlib.util.find_spec(m) for m in ("aeon", "numba")),
    reason="needs aeon with its dependencies: pip install aeon (in the [datasets] extra)",
)


def _ragged(seed=0):
    rng = np.random.default_rng(seed)
    return [rng.normal(size=(length, 3)) for length in (4, 7, 5)]


def test_equal_lengths_give_one_channels_first_array():
    X = np.random.default_rng(0).normal(size=(5, 8, 3)).astype(np.float32)
    before = X.copy()
    out = ToChannelsFirst().fit_transform(X)
    assert out.shape == (5, 3, 8) and out.dtype == np.float32
    np.testing.assert_array_equal(out, X.transpose(0, 2, 1))
    assert out.flags.c_contiguous and not np.shares_memory(out, X)
    out[:] = 0.0
    np.testing.assert_array_equal(X, before)


@pytest.mark.parametrize("padding", ["pre", "post"])
def test_padding_is_dropped_from_equal_and_unequal_lengths(padding):
    ragged = _ragged()
    X = pad_sequences(ragged, padding=padding)  # (3, 7, 3), NaN-padded
    out = ToChannelsFirst().transform(X)
    assert isinstance(out, list) and len(out) == 3
    for seq, channels_first in zip(ragged, out, strict=True):
        np.testing.assert_array_equal(channels_first, seq.T)
    # equal lengths inside a wider padded array: the padding steps are trimmed
    X_equal = pad_sequences([ragged[0], ragged[0] + 1.0], padding=padding)
    X_wide = np.full((2, 9, 3), np.nan)
    X_wide[:, (5 if padding == "pre" else 0) :][:, :4] = X_equal
    out = ToChannelsFirst().transform(X_wide)
    assert isinstance(out, np.ndarray) and out.shape == (2, 3, 4)
    np.testing.assert_array_equal(out[1], ragged[0].T + 1.0)


def test_ragged_list_and_two_dimensional_input():
    ragged = _ragged()
    out = ToChannelsFirst().fit_transform(ragged)
    assert [a.shape for a in out] == [(3, 4), (3, 7), (3, 5)]
    out[0][:] = 0.0
    assert ragged[0][0, 0] != 0.0  # the caller's sequences are not views of the output
    X2 = np.arange(6.0).reshape(3, 2)  # read as one-step sequences
    np.testing.assert_array_equal(ToChannelsFirst().transform(X2), X2[:, :, None])


def test_n_timepoints_resamples_to_a_common_length():
    ragged = _ragged()
    out = ToChannelsFirst(n_timepoints=6).fit_transform(ragged)
    assert out.shape == (3, 3, 6)
    np.testing.assert_allclose(out, resample_sequences(ragged, 6).transpose(0, 2, 1))
    for seq, channels_first in zip(ragged, out, strict=True):  # end points kept
        np.testing.assert_allclose(channels_first[:, [0, -1]], seq[[0, -1]].T)
    X = pad_sequences([s.astype(np.float32) for s in ragged])
    assert ToChannelsFirst(n_timepoints=6).transform(X).dtype == np.float32
    # sequences already of that length come back exactly
    X_equal = np.random.default_rng(1).normal(size=(2, 6, 3))
    np.testing.assert_array_equal(
        ToChannelsFirst(n_timepoints=6).transform(X_equal), X_equal.transpose(0, 2, 1)
    )


def test_stateless_but_checks_features_once_fitted():
    ragged = _ragged()
    unfitted = ToChannelsFirst()
    assert len(unfitted.transform(ragged)) == 3  # no fit needed
    assert unfitted.__sklearn_tags__().requires_fit is False
    fitted = ToChannelsFirst().fit(ragged)
    assert fitted.n_features_in_ == 3
    with pytest.raises(ValueError, match="X has 2 features, but ToChannelsFirst is expecting 3"):
        fitted.transform([s[:, :2] for s in ragged])


def test_bad_input_and_parameters_are_named():
    X = np.zeros((2, 4, 1))
    X[1, 2, 0] = np.inf
    with pytest.raises(ValueError, match="sequence 1"):
        ToChannelsFirst().transform(X)
    with pytest.raises(InvalidParameterError, match="'n_timepoints' parameter"):
        ToChannelsFirst(n_timepoints=0).transform(np.zeros((2, 4, 1)))
    with pytest.raises(InvalidParameterError, match="'n_timepoints' parameter"):
        ToChannelsFirst(n_timepoints=2.5).fit(np.zeros((2, 4, 1)))


# ----------------------------------------------------------------------- with aeon


def _data(n=160, random_state=0):
    return make_imbalanced_sequences(
        n, n_features=2, weights=(0.85,), min_length=14, max_length=20, random_state=random_state
    )


def _tiny_gan():
    return SeqGANOverSampler(
        max_steps=6, hidden_size=8, num_layers=1, batch_size=64, random_state=0
    )


@needs_aeon
@pytest.mark.slow  # numba compiles aeon's kernels on their first call
def test_minirocket_pipeline_after_a_sampler_end_to_end():
    from aeon.transformations.collection.convolution_based import MiniRocket

    X, y = _data()
    X_test, y_test = _data(random_state=1)
    pipe = Pipeline(
        [
            ("sampler", _tiny_gan()),
            ("to_aeon", ToChannelsFirst(n_timepoints=20)),  # MiniRocket needs equal lengths
            ("rocket", MiniRocket(n_kernels=84, random_state=0)),
            ("scale", StandardScaler()),
            ("clf", LogisticRegression(max_iter=1000)),
        ]
    ).fit(X, y)
    proba = pipe.predict_proba(X_test)
    assert proba.shape == (len(y_test), 2)
    np.testing.assert_allclose(proba.sum(axis=1), 1.0)
    # the synthetic patterns are easy: far better than chance on unseen data
    assert (pipe.predict(X_test) == y_test).mean() > 0.9
    # the steps after the sampler were fitted on the balanced training set
    assert pipe.named_steps["scale"].n_samples_seen_ == 2 * int((y == 0).sum())


@needs_aeon
@pytest.mark.slow  # numba compiles aeon's kernels on their first call
def test_minirocket_ridge_pipeline_tuned_threshold():
    from aeon.transformations.collection.convolution_based import MiniRocket

    X, y = _data()
    pipe = Pipeline(
        [
            ("sampler", _tiny_gan()),
            ("to_aeon", ToChannelsFirst(n_timepoints=20)),
            ("rocket", MiniRocket(n_kernels=84, random_state=0)),
            ("scale", StandardScaler()),
            ("clf", RidgeClassifierCV(alphas=np.logspace(-3, 3, 7))),
        ]
    )
    tuned = TunedThresholdClassifierCV(pipe, scoring="f1", cv=2, random_state=0).fit(X, y)
    assert np.isfinite(tuned.best_threshold_)
    scores = tuned.estimator_.decision_function(X)
    assert scores.shape == (len(y),)
    np.testing.assert_array_equal(tuned.predict(X), (scores >= tuned.best_threshold_))


@needs_aeon
@pytest.mark.slow  # numba compiles aeon's kernels on their first call
def test_unequal_lengths_reach_an_aeon_classifier_as_a_list():
    from aeon.classification.distance_based import KNeighborsTimeSeriesClassifier

    X, y = _data(60)
    pipe = Pipeline(
        [("to_aeon", ToChannelsFirst()), ("knn", KNeighborsTimeSeriesClassifier(n_neighbors=1))]
    ).fit(X, y)
    assert isinstance(pipe[0].transform(X), list)  # the lengths differ (14 to 20)
    # 1-NN: every training sequence is its own nearest neighbour
    np.testing.assert_array_equal(pipe.predict(unpad_sequences(X)), y)
