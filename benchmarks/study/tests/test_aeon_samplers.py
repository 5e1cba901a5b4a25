"""aeon's over-samplers wrapped for the study (benchmarks/study/aeon_samplers.py)."""

import importlib.util

import numpy as np
import pytest
from imblearn.pipeline import Pipeline
from sklearn.linear_model import LogisticRegression
from sklearn.preprocessing import FunctionTransformer

from benchmarks.study.aeon_samplers import AeonSampler
from imblearn_seqgan.datasets import make_imbalanced_sequences

pytestmark = pytest.mark.skipif(
    # aeon installed with --no-deps (enough for load_japanese_vowels) lacks numba
    not all(importlib.util.find_spec(m) for m in ("aeon", "numba")),
    reason="needs aeon with its dependencies: pip install aeon (in the [datasets] extra)",
)


def _univariate(n=80, seed=0, dtype=np.float64):
    return make_imbalanced_sequences(
        n,
        n_features=1,
        weights=(0.85,),
        min_length=16,
        max_length=16,
        random_state=seed,
        dtype=dtype,
    )


@pytest.mark.slow  # the first ESMOTE call compiles aeon's TWE distance with numba
# OHIT copies (with replacement) the minority series it finds outside any dense
# cluster and draws new ones only from the clusters: about half are copies here
@pytest.mark.parametrize("method, share_new", [("esmote", 0.9), ("ohit", 0.3)])
def test_aeon_sampler_balances_with_new_series(method, share_new):
    X, y = _univariate(dtype=np.float32)
    n_min, n_maj = int((y == 1).sum()), int((y == 0).sum())
    X_res, y_res = AeonSampler(method, random_state=0).fit_resample(X, y)
    assert X_res.dtype == np.float32 and X_res.shape == (2 * n_maj, 16, 1)
    np.testing.assert_array_equal(np.bincount(y_res), [n_maj, n_maj])
    np.testing.assert_array_equal(X_res[: len(y)], X)  # originals first, unchanged
    new = X_res[len(y) :]
    assert np.isfinite(new).all() and (y_res[len(y) :] == 1).all()
    # new series, not (only) copies of minority ones
    minority = X[y == 1].reshape(n_min, -1)
    distances = np.linalg.norm(new.reshape(len(new), 1, -1) - minority[None], axis=2)
    assert (distances.min(axis=1) > 1e-6).mean() > share_new
    X_again, _ = AeonSampler(method, random_state=0).fit_resample(X, y)
    np.testing.assert_array_equal(X_again, X_res)


def test_sampling_strategy_and_other_labels_are_honoured():
    X, y = _univariate()
    labels = np.where(y == 1, "fault", "normal")
    sampler = AeonSampler("ohit", sampling_strategy=0.5, random_state=0)
    X_res, y_res = sampler.fit_resample(X, labels)
    n_maj = int((y == 0).sum())
    expected = int(0.5 * n_maj) - int((y == 1).sum())
    assert sampler.sampling_strategy_ == {"fault": expected}
    assert len(X_res) == len(y) + expected and (y_res[len(y) :] == "fault").all()


def test_in_a_pipeline_with_a_classifier():
    X, y = _univariate()
    flatten = FunctionTransformer(lambda X: np.asarray(X).reshape(len(X), -1))
    pipe = Pipeline(
        [("sampler", AeonSampler("ohit", random_state=0)), ("flat", flatten)]
        + [("clf", LogisticRegression(max_iter=1000))]
    ).fit(X, y)
    assert pipe.predict_proba(X).shape == (len(y), 2)
    # the classifier was fitted on the balanced set
    assert list(np.bincount(pipe.predict(X))) != [len(y), 0]


def test_refuses_what_aeon_cannot_take():
    X, y = _univariate()
    multivariate = np.concatenate([X, X], axis=2)
    with pytest.raises(ValueError, match="aeon's OHIT takes univariate series: X has 2 features"):
        AeonSampler("ohit").fit_resample(multivariate, y)
    ragged = [x[: 10 + i % 6] for i, x in enumerate(X)]
    with pytest.raises(ValueError, match="equal length: the lengths here run from 10 to 15"):
        AeonSampler("esmote").fit_resample(ragged, y)
    with pytest.raises(ValueError, match="not label sequences"):
        AeonSampler("ohit", label_sequences=True).fit_resample(X, np.c_[y, y])
    with pytest.raises(ValueError, match="'method' parameter of AeonSampler must be"):
        AeonSampler("rose").fit_resample(X, y)
