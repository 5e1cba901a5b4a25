"""Padding, unpadding, lengths and masks are each other's inverses."""

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from imblearn_seqgan.utils import (
    check_sequences,
    pad_sequences,
    sequence_lengths,
    sequence_mask,
    unpad_sequences,
)


@st.composite
def ragged_lists(draw):
    dtype = draw(st.sampled_from([np.float32, np.float64]))
    n_features = draw(st.integers(1, 4))
    lengths = draw(st.lists(st.integers(1, 7), min_size=1, max_size=6))
    elements = st.floats(-1e6, 1e6, allow_nan=False, allow_infinity=False, width=32)
    return [draw(arrays(dtype, (n, n_features), elements=elements)) for n in lengths]


@settings(max_examples=60, deadline=None)
@given(sequences=ragged_lists(), padding=st.sampled_from(["pre", "post"]))
def test_pad_validate_unpad_is_identity(sequences, padding):
    X = pad_sequences(sequences, padding=padding)
    assert X.dtype == sequences[0].dtype
    lengths = np.array([len(s) for s in sequences])
    np.testing.assert_array_equal(sequence_lengths(X), lengths)
    mask = sequence_mask(X)
    np.testing.assert_array_equal(mask.sum(axis=1), lengths)
    if padding == "post":
        assert all(mask[i, : lengths[i]].all() for i in range(len(lengths)))
    else:
        assert all(mask[i, X.shape[1] - lengths[i] :].all() for i in range(len(lengths)))
    for original, back in zip(sequences, unpad_sequences(X), strict=True):
        np.testing.assert_array_equal(original, back)
    seqs = check_sequences(X)
    np.testing.assert_array_equal(seqs.to_caller(seqs.values, seqs.lengths), X)
    from_list = check_sequences(sequences)
    np.testing.assert_array_equal(from_list.values, seqs.values)
    for original, back in zip(
        sequences, from_list.to_caller(seqs.values, seqs.lengths), strict=True
    ):
        np.testing.assert_array_equal(original, back)
