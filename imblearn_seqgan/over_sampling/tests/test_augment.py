"""Tests of SequenceAugmenter: each augmentation on known sequences, the DTW, the
sampler's contract."""

import warnings

import numpy as np
import pandas as pd
import pytest

from imblearn_seqgan.datasets import make_imbalanced_sequences
from imblearn_seqgan.over_sampling import SequenceAugmenter
from imblearn_seqgan.over_sampling._augment import METHODS
from imblearn_seqgan.over_sampling._dtw import dtw_paths
from imblearn_seqgan.utils import pad_sequences


@pytest.fixture(scope="module")
def ragged_data():
    return make_imbalanced_sequences(120, weights=[0.8], return_list=True, random_state=0)


def known_class(make_minority, lengths, n_features=1):
    """Majority noise and a minority whose sequences ``make_minority(length)`` gives."""
    rng = np.random.RandomState(0)
    majority = [rng.normal(size=(12, n_features)) for _ in range(10)]
    minority = [make_minority(length) for length in lengths]
    y = np.r_[np.zeros(len(majority), int), np.ones(len(minority), int)]
    return majority + minority, y


def augment(X, y, method, **params):
    sampler = SequenceAugmenter(method=method, random_state=0, **params)
    X_res, y_res = sampler.fit_resample(X, y)
    return sampler, X_res[len(y) :], y_res[len(y) :]


# -- the contract every augmentation keeps -------------------------------------------


@pytest.mark.parametrize("method", METHODS)
def test_each_augmentation_keeps_the_source_length_and_class(ragged_data, method):
    X, y = ragged_data
    sampler, new, y_new = augment(X, y, method)
    sources = sampler.sources_
    assert len(new) == np.sum(y == 0) - np.sum(y == 1) == len(sources)
    assert np.all(y[sources] == 1) and np.all(y_new == 1)
    # every minority sequence serves as a source in turn
    counts = np.bincount(sources, minlength=len(y))[y == 1]
    assert counts.max() - counts.min() <= 1
    assert all(len(seq) == len(X[s]) for seq, s in zip(new, sources, strict=True))
    assert all(np.isfinite(seq).all() for seq in new)
    assert np.all(sampler.methods_ == method)
    changed = [not np.array_equal(seq, X[s]) for seq, s in zip(new, sources, strict=True)]
    # a guided warp whose alignment is the diagonal returns its source (documented)
    assert np.mean(changed) > (0.5 if method == "guided_warp" else 0.999)


@pytest.mark.parametrize("method", [*METHODS, "all"])
def test_repeatable_under_random_state(ragged_data, method):
    X, y = ragged_data
    first = augment(X, y, method)[1]
    again = augment(X, y, method)[1]
    other = SequenceAugmenter(method=method, random_state=1).fit_resample(X, y)[0][len(y) :]
    assert all(np.array_equal(a, b) for a, b in zip(first, again, strict=True))
    assert not all(
        len(a) == len(b) and np.array_equal(a, b) for a, b in zip(first, other, strict=True)
    )


def test_a_list_of_methods_is_drawn_from(ragged_data):
    X, y = ragged_data
    sampler, _, _ = augment(X, y, "all")
    drawn, counts = np.unique(sampler.methods_, return_counts=True)
    assert set(drawn) == set(METHODS) and counts.min() > 2
    np.testing.assert_array_equal(sampler.guides_ >= 0, sampler.methods_ == "guided_warp")


# -- each augmentation on sequences whose result is known ----------------------------


def test_jitter_adds_noise_scaled_to_each_feature():
    scales = np.array([1.0, 100.0])
    rng = np.random.RandomState(1)
    X, y = known_class(lambda n: rng.normal(size=(n, 2)) * scales, [30] * 8, n_features=2)
    X = [x * scales for x in X[:10]] + X[10:]
    sampler, new, _ = augment(X, y, "jitter", jitter_sigma=0.1)
    noise = np.concatenate([seq - X[s] for seq, s in zip(new, sampler.sources_, strict=True)])
    spread = np.concatenate(X).std(axis=0)
    np.testing.assert_allclose(noise.std(axis=0) / spread, 0.1, rtol=0.15)
    np.testing.assert_allclose(noise.mean(axis=0) / spread, 0.0, atol=0.03)


def test_magnitude_warp_multiplies_by_a_smooth_curve_around_one():
    X, y = known_class(lambda n: np.full((n, 3), 2.0), [40] * 6, n_features=3)
    _, new, _ = augment(X, y, "magnitude_warp")
    curves = np.stack(new) / 2.0  # (n_new, 40, 3): the curves themselves
    assert abs(curves.mean() - 1.0) < 0.05 and 0.1 < curves.std() < 0.35
    # smooth: step-to-step changes are small beside the curves' spread (noise would
    # change by more than the spread itself)
    assert np.abs(np.diff(curves, axis=1)).mean() < 0.3 * curves.std()
    # one curve per feature
    assert not np.allclose(curves[:, :, 0], curves[:, :, 1])


@pytest.mark.parametrize("method", ["time_warp", "window_warp"])
def test_warps_of_time_move_values_along_time_only(method):
    # a ramp stays an increasing ramp with the same first and last values; the
    # values in between move in time
    X, y = known_class(lambda n: np.linspace(0.0, 1.0, n)[:, None], [20, 25, 30, 35, 40])
    sampler, new, _ = augment(X, y, method)
    moved = 0
    for seq, s in zip(new, sampler.sources_, strict=True):
        assert seq[0, 0] == pytest.approx(0.0) and seq[-1, 0] == pytest.approx(1.0)
        assert np.all(np.diff(seq[:, 0]) >= -1e-12)
        moved += not np.allclose(seq, X[s])
    assert moved == len(new)


def test_time_warp_moves_all_features_together():
    X, y = known_class(lambda n: np.repeat(np.sin(np.arange(n))[:, None], 3, axis=1), [30] * 6, 3)
    _, new, _ = augment(X, y, "time_warp")
    for seq in new:
        np.testing.assert_allclose(seq[:, 0], seq[:, 1])
        np.testing.assert_allclose(seq[:, 0], seq[:, 2])


def test_window_warp_stretches_one_window():
    # A window of 10 steps of the ramp becomes 20 (its 10 values spread over 20
    # steps: slope 9/19 of the rest's); the 110 steps are then read back at 100.
    X, y = known_class(lambda n: np.arange(n, dtype=float)[:, None], [100] * 6)
    _, new, _ = augment(X, y, "window_warp", window_scales=(2.0,))
    for seq in new:
        slopes = np.round(np.diff(seq[:, 0]), 6)
        kinds = np.unique(slopes)
        assert len(kinds) <= 4  # the window, the rest, and the steps across
        assert np.isclose(np.median(slopes), 109 / 99, rtol=1e-3)
        assert np.isclose(slopes.min() / np.median(slopes), 9 / 19, rtol=0.02)
        assert np.sum(slopes < 0.9) >= 15  # the stretched window


def test_guided_warp_takes_the_guides_timing():
    # A bump early in the source, late in its guide: the warped source keeps its
    # values (the bump's height) and moves the bump towards the guide's place (part
    # of the way: the source read along the path is longer than the source, and
    # resampling it back to the source's length pulls the bump back).
    def bump(centre, n=40):
        return np.exp(-0.5 * ((np.arange(n) - centre) / 2.0) ** 2)[:, None]

    rng = np.random.RandomState(0)
    X = [rng.normal(scale=0.1, size=(40, 1)) for _ in range(6)] + [bump(12), bump(26)]
    y = np.r_[np.zeros(6, int), 1, 1]
    sampler, new, _ = augment(X, y, "guided_warp", dtw_window=None)
    for seq, s, g in zip(new, sampler.sources_, sampler.guides_, strict=True):
        assert g != s and y[g] == 1
        assert seq.max() == pytest.approx(1.0, abs=0.05)
        here, there, now = X[s].argmax(), X[g].argmax(), seq.argmax()
        assert min(here, there) < now < max(here, there)
        assert abs(now - there) <= abs(here - there) - 5


def test_guided_warp_aligns_sources_with_guides_of_other_lengths():
    X, y = make_imbalanced_sequences(80, weights=[0.7], return_list=True, random_state=2)
    sampler, new, _ = augment(X, y, "guided_warp")
    lengths = np.array([len(x) for x in X])
    assert np.any(lengths[sampler.guides_] != lengths[sampler.sources_])
    assert all(len(seq) == len(X[s]) for seq, s in zip(new, sampler.sources_, strict=True))


# -- the DTW -------------------------------------------------------------------------


def reference_dtw_path(reference, query, half_width):
    """Textbook DTW, one cell at a time (Euclidean step cost; ties: diagonal, then
    the row above; a band |i - j| <= half_width)."""
    n, m = len(reference), len(query)
    cost = np.full((n + 1, m + 1), np.inf)
    cost[0, 0] = 0.0
    for i in range(1, n + 1):
        for j in range(max(1, i - half_width), min(m, i + half_width) + 1):
            step = np.linalg.norm(reference[i - 1] - query[j - 1])
            cost[i, j] = step + min(cost[i - 1, j - 1], cost[i - 1, j], cost[i, j - 1])
    i, j, path = n, m, [(n - 1, m - 1)]
    while i > 1 or j > 1:
        move = np.argmin([cost[i - 1, j - 1], cost[i - 1, j], cost[i, j - 1]])
        i, j = (i - 1, j - 1) if move == 0 else (i - 1, j) if move == 1 else (i, j - 1)
        path.insert(0, (i - 1, j - 1))
    return np.array(path)


@pytest.mark.parametrize("length, window, half_width", [(15, None, 15), (30, 0.1, 3)])
def test_dtw_paths_match_the_textbook_recursion(length, window, half_width):
    # the query is the reference read at a random increasing map, plus noise: the
    # alignment bends
    rng = np.random.RandomState(0)
    reference = np.cumsum(rng.normal(size=(8, length, 2)), axis=1)
    speed = rng.uniform(0.2, 1.8, size=(8, length))
    warp = np.cumsum(speed, axis=1) - speed[:, :1]
    warp = warp / warp[:, -1:] * (length - 1)
    query = np.stack(
        [
            np.stack([np.interp(w, np.arange(length), r[:, f]) for f in range(2)], 1)
            for w, r in zip(warp, reference, strict=True)
        ]
    ) + rng.normal(scale=0.1, size=(8, length, 2))
    ref_index, query_index, n_steps = dtw_paths(reference, query, window)
    assert np.sum(n_steps > length) >= 6  # the paths do bend
    for b in range(8):
        expected = reference_dtw_path(reference[b], query[b], half_width)
        assert n_steps[b] == len(expected)
        np.testing.assert_array_equal(ref_index[b, : n_steps[b]], expected[:, 0])
        np.testing.assert_array_equal(query_index[b, : n_steps[b]], expected[:, 1])
        assert np.all(ref_index[b, n_steps[b] :] == length - 1)


def test_dtw_paths_between_different_lengths_reach_both_ends():
    rng = np.random.RandomState(0)
    for n_ref, n_query in [(5, 30), (30, 5), (1, 7), (7, 1)]:
        ref_index, query_index, n_steps = dtw_paths(
            rng.normal(size=(3, n_ref, 2)), rng.normal(size=(3, n_query, 2)), 0.1
        )
        for b in range(3):
            steps = np.c_[ref_index[b, : n_steps[b]], query_index[b, : n_steps[b]]]
            assert tuple(steps[0]) == (0, 0) and tuple(steps[-1]) == (n_ref - 1, n_query - 1)
            moves = {tuple(move) for move in np.diff(steps, axis=0)}
            assert moves <= {(1, 1), (1, 0), (0, 1)}


# -- label sequences, input forms, errors --------------------------------------------


def test_label_sequences_are_kept_from_the_source():
    X, y = make_imbalanced_sequences(
        120, weights=[0.8], label_sequence_length=3, return_list=True, random_state=0
    )
    sampler = SequenceAugmenter(label_sequences=True, random_state=0)
    X_res, y_res = sampler.fit_resample(X, y)
    n = len(y)
    np.testing.assert_array_equal(y_res[n:], y[sampler.sources_])
    assert not (y[sampler.sources_] == [0, 0, 0]).all(axis=1).any()
    guided = sampler.guides_ >= 0
    assert not (y[sampler.guides_[guided]] == [0, 0, 0]).all(axis=1).any()


def test_input_forms_padding_dtype_and_pandas(ragged_data):
    X, y = ragged_data
    X32 = [x.astype(np.float32) for x in X]
    n = len(y)
    from_list = SequenceAugmenter(random_state=0).fit_resample(X32, y)[0]
    assert all(seq.dtype == np.float32 for seq in from_list)
    post = pad_sequences(X32, padding="post", dtype=np.float32)
    pre = pad_sequences(X32, padding="pre", dtype=np.float32)
    X_post, y_post = SequenceAugmenter(random_state=0).fit_resample(post, pd.Series(y, name="c"))
    X_pre, _ = SequenceAugmenter(random_state=0).fit_resample(pre, y)
    assert X_post.dtype == X_pre.dtype == np.float32
    assert isinstance(y_post, pd.Series) and y_post.name == "c"
    np.testing.assert_array_equal(
        X_post, pad_sequences(from_list, padding="post", dtype=np.float32)
    )
    np.testing.assert_array_equal(X_pre, pad_sequences(from_list, padding="pre", dtype=np.float32))
    np.testing.assert_array_equal(post, pad_sequences(X32, padding="post", dtype=np.float32))
    assert all(np.array_equal(a, b) for a, b in zip(from_list[:n], X32, strict=True))


def test_a_class_of_one_sequence_is_its_own_guide():
    X, y = known_class(lambda n: np.sin(np.arange(n))[:, None], [20])
    with pytest.warns(UserWarning, match="class 1 has a single sequence"):
        sampler, new, _ = augment(X, y, "guided_warp")
    assert np.all(sampler.guides_ == sampler.sources_)
    assert all(np.array_equal(seq, X[-1]) for seq in new)


@pytest.mark.parametrize(
    "params, match",
    [
        ({"method": ["jitter", "warp"]}, "method has 'warp', which is not an augmentation"),
        ({"method": []}, "method is an empty list"),
        ({"method": "shuffle"}, "The 'method' parameter"),
        ({"window_scales": (0.5, -2.0)}, "window_scales must be a non-empty list of positive"),
        ({"jitter_sigma": -1.0}, "The 'jitter_sigma' parameter"),
        ({"window_ratio": 0.0}, "The 'window_ratio' parameter"),
    ],
)
def test_bad_parameters_are_named(ragged_data, params, match):
    X, y = ragged_data
    with warnings.catch_warnings(), pytest.raises(ValueError, match=match):
        SequenceAugmenter(**params).fit_resample(X, y)
