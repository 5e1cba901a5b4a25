"""Tests of the linear resampling in time shared by the samplers."""

import numpy as np

from imblearn_seqgan.over_sampling._time import interpolate_at, resample_to_lengths


def test_resampling_to_its_own_length_is_exact_and_padding_is_never_read():
    rng = np.random.RandomState(0)
    values = rng.normal(size=(5, 9, 3))
    lengths = np.array([9, 1, 4, 7, 2])
    values[np.arange(9)[None, :] >= lengths[:, None]] = 1e9  # padding must not leak
    out = resample_to_lengths(values, lengths, lengths)
    for i, length in enumerate(lengths):
        np.testing.assert_array_equal(out[i, :length], values[i, :length])
        assert np.all(out[i, length:] == 0)


def test_resampling_a_ramp_keeps_it_a_ramp_with_the_same_ends():
    lengths = np.array([4, 10])
    values = np.zeros((2, 10, 1))
    values[0, :4, 0] = np.linspace(2.0, 5.0, 4)
    values[1, :, 0] = np.linspace(-1.0, 1.0, 10)
    out = resample_to_lengths(values, lengths, np.array([13, 3]))
    np.testing.assert_allclose(out[0, :, 0], np.linspace(2.0, 5.0, 13))
    np.testing.assert_allclose(out[1, :3, 0], [-1.0, 0.0, 1.0])
    # one step: the middle of the sequence
    np.testing.assert_allclose(resample_to_lengths(values, lengths, 1)[:, 0, 0], [3.5, 0.0])


def test_interpolate_at_mixes_the_two_neighbouring_steps():
    values = np.arange(6.0).reshape(1, 6, 1) ** 2
    read = interpolate_at(values, np.array([[0.0, 2.5, 3.25, 9.0]]), np.array([5]))
    np.testing.assert_allclose(read[0, :, 0], [0.0, 6.5, 10.75, 16.0])  # clipped at 4
