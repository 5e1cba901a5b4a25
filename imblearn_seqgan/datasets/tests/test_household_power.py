"""Tests of load_household_power.

A test that reads the data set is skipped, with the pip command in its reason, when
the data package is not installed; the checks that run before any file is read
run everywhere.
"""

import numpy as np
import pytest

from imblearn_seqgan.datasets import _household_power, load_household_power
from imblearn_seqgan.datasets.tests.test_base import _needs

pytestmark = pytest.mark.datasets


needs_power = _needs(*_household_power.REQUIRED_PACKAGES)


@needs_power
def test_household_power_seq2one_windows_and_labels():
    X, y = load_household_power()
    assert X.shape == (103762, 20, 7) and X.dtype == np.float32
    assert y.shape == (103762,) and y.dtype == np.int64
    assert 0.015 < y.mean() < 0.025  # about 2% significant voltage changes
    values, voltage = _household_power._household_power_raw()
    # window i covers minutes 20 i .. 20 i + 19; its label is the change into minute 20 i + 20
    rng = np.random.default_rng(0)
    for i in rng.choice(len(y), 200, replace=False):
        np.testing.assert_array_equal(X[i], values[20 * i : 20 * i + 20])
        assert y[i] == (abs(voltage[20 * i + 20] - voltage[20 * i + 19]) > 1.65)


@needs_power
def test_household_power_seq2seq_label_sequences():
    X, y = load_household_power(task="seq2seq", n_future=4, stride=7, max_samples=5000)
    assert X.shape == (5000, 20, 7) and y.shape == (5000, 4)
    minority = y.any(axis=1)
    assert 0.05 < minority.mean() < 0.1  # the paper's "about 7%"
    _, voltage = _household_power._household_power_raw()
    steps = np.abs(np.diff(voltage)) > 1.65
    # label j of a window starting at minute s is the change into minute s + 20 + j
    full_X, full_y = load_household_power(task="seq2seq", stride=7)
    starts = 7 * np.arange(len(full_y))
    expected = steps[starts[:, None] + 19 + np.arange(4)]
    np.testing.assert_array_equal(full_y, expected)
    assert full_X.shape[0] == len(full_y)


@needs_power
def test_household_power_fraction_sampling_and_features():
    X, y = load_household_power(minority_fraction=0.1, max_samples=2000, random_state=0)
    assert X.shape == (2000, 20, 7) and y.mean() == pytest.approx(0.1, abs=0.002)
    X_again, y_again = load_household_power(
        minority_fraction=0.1, max_samples=2000, random_state=0
    )
    np.testing.assert_array_equal(X, X_again)
    np.testing.assert_array_equal(y, y_again)
    X_v, _ = load_household_power(features=["Voltage"], window=5, threshold=2.0, max_samples=50)
    assert X_v.shape == (50, 5, 1) and (X_v > 200).all()  # volts


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"task": "seq2many"}, "'task' parameter of load_household_power must be"),
        ({"window": 0}, r"'window' parameter .* range \[1, inf\)"),
        ({"stride": -1}, r"'stride' parameter .* range \[1, inf\) or None"),
        ({"features": ["Current"]}, r"unknown: \['Current'\]"),
        ({"max_samples": 1}, r"'max_samples' parameter .* range \[2, inf\) or None"),
        ({"minority_fraction": 0.0}, r"'minority_fraction' parameter .* range \(0.0, 1.0\)"),
    ],
)
def test_household_power_bad_parameters(kwargs, message):
    with pytest.raises(ValueError, match=message):
        load_household_power(**kwargs)
