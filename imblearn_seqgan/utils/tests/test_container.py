"""The validated sequences write results back in the caller's container, dtype and
padding, originals first and unchanged."""

import numpy as np
import pytest

from imblearn_seqgan.utils import check_sequences, pad_sequences
from imblearn_seqgan.utils.tests.test_validation import _ragged


@pytest.mark.parametrize("padding", ["pre", "post"])
def test_append_keeps_originals_and_layout(padding):
    rng = np.random.default_rng(1)
    X = pad_sequences(_ragged(rng, dtype=np.float32), padding=padding, padding_value=-9.0)
    seqs = check_sequences(X, padding_value=-9.0)
    out = seqs.append(seqs.values[[1]], seqs.lengths[[1]])
    assert out.dtype == np.float32
    np.testing.assert_array_equal(out[:4], X)
    np.testing.assert_array_equal(out[4], X[1])


def test_list_round_trip_returns_list():
    rng = np.random.default_rng(2)
    X = _ragged(rng, dtype=np.float32)
    seqs = check_sequences(X)
    out = seqs.append(seqs.values[:2], seqs.lengths[:2])
    assert isinstance(out, list) and len(out) == 6
    for a, b in zip(out[:4], X, strict=True):
        assert a.dtype == np.float32
        np.testing.assert_array_equal(a, b)
    np.testing.assert_array_equal(out[5], X[1])


@pytest.mark.parametrize("padding", ["pre", "post"])
@pytest.mark.parametrize("as_list", [False, True])
def test_append_chunks_equals_append(padding, as_list):
    rng = np.random.default_rng(4)
    sequences = _ragged(rng, (3, 5, 2, 4, 1))
    X = sequences if as_list else pad_sequences(sequences, padding=padding)
    seqs = check_sequences(X)
    new = np.array([4, 0, 2, 1])
    whole = seqs.append(seqs.values[new], seqs.lengths[new])
    chunks = [
        (seqs.values[new[:1]], seqs.lengths[new[:1]]),
        (seqs.values[new[1:]], seqs.lengths[new[1:]]),
    ]
    chunked = seqs.append_chunks(iter(chunks), seqs.lengths[new])
    if as_list:
        for a, b in zip(whole, chunked, strict=True):
            np.testing.assert_array_equal(a, b)
    else:
        np.testing.assert_array_equal(whole, chunked)
        with pytest.raises(ValueError, match="got 1 new sequences, expected 4"):
            seqs.append_chunks(iter(chunks[:1]), seqs.lengths[new])
