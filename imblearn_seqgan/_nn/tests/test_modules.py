"""Tests of the LSTM encoder and decoder over padded batches and the masked losses."""

import numpy as np
import pytest
import torch

from imblearn_seqgan._nn import (
    SequenceDecoder,
    SequenceEncoder,
    masked_cross_entropy,
    masked_mse,
    reverse_padded,
)


@pytest.mark.parametrize("bidirectional", [False, True])
def test_encoder_ignores_padding(bidirectional):
    torch.manual_seed(0)
    enc = SequenceEncoder(3, 5, num_layers=2, bidirectional=bidirectional)
    x = torch.randn(2, 7, 3)
    lengths = torch.tensor([7, 4])
    x[1, 4:] = 0.0
    h, last = enc(x, lengths)
    h_alone, last_alone = enc(x[1:, :4], lengths[1:])
    torch.testing.assert_close(h[1, :4], h_alone[0])
    torch.testing.assert_close(last[1], last_alone[0])
    assert torch.all(h[1, 4:] == 0)
    # padding content never matters
    x2 = x.clone()
    x2[1, 4:] = 123.0
    torch.testing.assert_close(enc(x2, lengths)[1], last)


def test_initial_state_changes_codes():
    enc = SequenceEncoder(2, 4)
    x, lengths = torch.randn(3, 5, 2), torch.tensor([5, 3, 1])
    z = torch.randn(1, 3, 4)
    h0 = enc(x, lengths)[0]
    hz = enc(x, lengths, (torch.zeros_like(z), z))[0]
    assert not torch.allclose(h0, hz)


def test_reverse_padded_is_involution():
    x = torch.arange(12.0).reshape(2, 6, 1)
    lengths = torch.tensor([6, 3])
    r = reverse_padded(x, lengths)
    assert r[1, :3, 0].tolist() == [8.0, 7.0, 6.0]
    assert r[1, 3:, 0].tolist() == [9.0, 10.0, 11.0]
    torch.testing.assert_close(reverse_padded(r, lengths), x)


def test_decoder_zero_at_padding():
    dec = SequenceDecoder(4, 6, 3)
    out = dec(torch.randn(2, 5, 4), torch.tensor([5, 2]))
    assert out.shape == (2, 5, 3) and torch.all(out[1, 2:] == 0)


def test_masked_losses_skip_padding():
    pred = torch.zeros(2, 4, 1)
    target = torch.ones(2, 4, 1)
    target[1, 2:] = 100.0  # padding of sequence 1
    lengths = torch.tensor([4, 2])
    assert masked_mse(pred, target, lengths).item() == pytest.approx(1.0)
    assert masked_mse(pred, target, lengths, reduction="none").tolist() == [1.0, 1.0]
    logits = torch.zeros(2, 3, 2)
    target = torch.zeros(2, 3, dtype=torch.long)
    assert masked_cross_entropy(logits, target).item() == pytest.approx(np.log(2))
