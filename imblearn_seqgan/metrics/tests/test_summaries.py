import numpy as np
import pytest

from imblearn_seqgan.metrics import sequence_summaries
from imblearn_seqgan.utils import pad_sequences, resample_sequences


def test_summaries_of_a_ramp_and_a_constant():
    ramp = np.arange(6.0)[:, None]
    constant = np.full((3, 1), 2.0)
    features = sequence_summaries([ramp, constant])
    mean, std, rise, rough, length = features.T
    np.testing.assert_allclose(mean, [2.5, 2.0])
    np.testing.assert_allclose(std, [np.std(ramp), 0.0])
    np.testing.assert_allclose(rise, [6.0, 0.0])  # slope 1 per step times 6 steps
    np.testing.assert_allclose(rough, [np.sqrt(5 / 6), 0.0])
    np.testing.assert_array_equal(length, [6, 3])


@pytest.mark.parametrize("padding", ["pre", "post"])
def test_padding_never_enters_the_summaries(padding):
    rng = np.random.default_rng(0)
    ragged = [rng.normal(size=(n, 3)) for n in (4, 9, 1, 7)]
    padded = pad_sequences(ragged, padding=padding)
    np.testing.assert_allclose(
        sequence_summaries(padded, n_steps=5), sequence_summaries(ragged, n_steps=5)
    )
    assert sequence_summaries(ragged, n_steps=5).shape == (4, 4 * 3 + 1 + 5 * 3)


def test_resample_keeps_the_ends_and_repeats_a_single_step():
    rng = np.random.default_rng(1)
    ragged = [rng.normal(size=(n, 2)) for n in (1, 3, 10)]
    out = resample_sequences(ragged, 4)
    assert out.shape == (3, 4, 2)
    for seq, res in zip(ragged, out, strict=True):
        np.testing.assert_allclose(res[0], seq[0])
        np.testing.assert_allclose(res[-1], seq[-1])
    np.testing.assert_allclose(out[0], np.repeat(ragged[0], 4, axis=0))
    # the same length resamples to itself
    np.testing.assert_allclose(resample_sequences(ragged[2:], 10)[0], ragged[2])
