import numpy as np
import pytest
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import FunctionTransformer
from sklearn.utils._param_validation import InvalidParameterError

from imblearn_seqgan.metrics import (
    discriminative_score,
    nearest_neighbour_ratio,
    train_on_synthetic_score,
)
from imblearn_seqgan.utils import check_sequences, pad_sequences


def _summary(X):
    """Mean and last value of each feature: enough to see the signals below."""
    seqs = check_sequences(X)
    last = seqs.values[np.arange(seqs.n_sequences), seqs.lengths - 1]
    mean = seqs.values.sum(axis=1) / seqs.lengths[:, None]
    return np.hstack([mean, last])


def _classifier():
    return make_pipeline(FunctionTransformer(_summary), LogisticRegression())


def _sequences(rng, n, shift):
    return [rng.normal(shift, 1.0, size=(rng.integers(3, 9), 2)) for _ in range(n)]


def test_discriminative_score_chance_for_same_distribution_and_high_for_shift():
    rng = np.random.default_rng(0)
    real = _sequences(rng, 60, 0.0)
    same = _sequences(rng, 120, 0.0)
    shifted = _sequences(rng, 120, 1.5)
    kwargs = {"estimator": _classifier(), "random_state": 0}
    # 60 vs 120 samples: the balanced accuracy of a classifier with nothing to
    # learn stays within sampling noise of 0.5; a 1.5-sigma mean shift is obvious.
    assert discriminative_score(real, same, **kwargs) < 0.62
    assert discriminative_score(real, shifted, **kwargs) > 0.9


def test_discriminative_score_needs_enough_samples():
    rng = np.random.default_rng(0)
    with pytest.raises(ValueError, match="at least cv=5 real and synthetic"):
        discriminative_score(
            _sequences(rng, 3, 0), _sequences(rng, 10, 0), estimator=_classifier()
        )


def test_bad_parameters_are_named():
    rng = np.random.default_rng(0)
    real, fake = _sequences(rng, 10, 0), _sequences(rng, 10, 0)
    with pytest.raises(InvalidParameterError, match=r"'cv' parameter"):
        discriminative_score(real, fake, cv=1)
    with pytest.raises(InvalidParameterError, match=r"'estimator' parameter"):
        discriminative_score(real, fake, estimator="logistic")
    y = np.r_[np.zeros(10), np.ones(10)]
    with pytest.raises(InvalidParameterError, match=r"'scoring' parameter"):
        train_on_synthetic_score(real + fake, y, fake, y[10:], real + fake, y, scoring="f2")


def test_train_on_synthetic_score_good_and_bad_synthetic_data():
    rng = np.random.default_rng(1)
    X_train = _sequences(rng, 80, 0.0) + _sequences(rng, 20, 2.0)
    y_train = np.r_[np.zeros(80, int), np.ones(20, int)]
    X_test = _sequences(rng, 80, 0.0) + _sequences(rng, 20, 2.0)
    y_test = y_train.copy()
    good = _sequences(rng, 40, 2.0)
    bad = _sequences(rng, 40, -2.0)  # on the wrong side of the majority
    common = {"estimator": _classifier(), "scoring": "f1"}
    good_scores = train_on_synthetic_score(
        X_train, y_train, good, np.ones(40, int), X_test, y_test, **common
    )
    bad_scores = train_on_synthetic_score(
        X_train, y_train, bad, np.ones(40, int), X_test, y_test, **common
    )
    assert good_scores["train_on_real"] > 0.8
    assert good_scores["train_on_synthetic"] > 0.8
    assert bad_scores["train_on_synthetic"] < 0.3
    with pytest.raises(ValueError, match="majority class"):
        train_on_synthetic_score(
            X_train, y_train, good, np.zeros(40, int), X_test, y_test, **common
        )


def test_default_discriminator_auc_near_chance_for_same_distribution_and_high_for_shift():
    rng = np.random.default_rng(2)
    real = _sequences(rng, 80, 0.0)
    same = _sequences(rng, 160, 0.0)
    shifted = _sequences(rng, 160, 1.0)
    assert 0.35 < discriminative_score(real, same, random_state=0) < 0.65
    assert discriminative_score(real, shifted, random_state=0) > 0.9
    accuracy = discriminative_score(real, shifted, scoring="balanced_accuracy", random_state=0)
    assert 0.75 < accuracy <= 1.0


def test_discriminative_score_sees_shape_not_only_level():
    # same per-feature mean and spread, different order in time: a ramp up against
    # the same values ramping down
    rng = np.random.default_rng(3)
    up = np.linspace(-1, 1, 12)[None, :, None] + rng.normal(0, 0.2, size=(60, 12, 1))
    down = up[:, ::-1]
    assert discriminative_score(up, down, random_state=0) > 0.95


def test_nearest_neighbour_ratio_orders_copies_interpolations_and_outliers():
    rng = np.random.default_rng(4)
    real = rng.normal(size=(200, 8, 3))
    i, j = rng.integers(0, 200, size=(2, 300))
    w = rng.random((300, 1, 1))
    between = real[i] + w * (real[j] - real[i])
    far = rng.normal(size=(300, 8, 3)) * 3.0
    assert nearest_neighbour_ratio(real, real[:50]) == pytest.approx(0.0, abs=1e-6)
    assert nearest_neighbour_ratio(real, between) < 1.0
    assert nearest_neighbour_ratio(real, far) > 1.5


def test_nearest_neighbour_ratio_on_variable_lengths_ignores_padding():
    rng = np.random.default_rng(5)
    real = _sequences(rng, 50, 0.0)
    copies = [s.copy() for s in real[:10]]
    # zero up to the rounding of scikit-learn's distance computation
    assert nearest_neighbour_ratio(real, copies) == pytest.approx(0.0, abs=1e-6)
    padded = pad_sequences(real, padding="pre")
    assert nearest_neighbour_ratio(padded, copies) == pytest.approx(0.0, abs=1e-6)


def test_nearest_neighbour_ratio_errors_name_the_problem():
    rng = np.random.default_rng(6)
    real = rng.normal(size=(10, 4, 2))
    with pytest.raises(ValueError, match="at least 2 real sequences"):
        nearest_neighbour_ratio(real[:1], real)
    with pytest.raises(ValueError, match="3 features per step; X_real has 2"):
        nearest_neighbour_ratio(real, rng.normal(size=(5, 4, 3)))
    with pytest.raises(ValueError, match="identical twin"):
        nearest_neighbour_ratio(np.concatenate([real, real]), real)
