"""The classifier's network pieces: batch_size="auto" (opt-in: 64 on the CPU; on CUDA as
large as the data allow with at least 16 batches per epoch), and the encoder's run over
mixed lengths."""

import pytest
import torch

from imblearn_seqgan._nn import auto_batch_size


@pytest.mark.parametrize(
    "n_sequences, expected",
    [(300, 64), (2047, 64), (2048, 128), (4096, 256), (16384, 1024), (2_000_000, 1024)],
)
def test_auto_batch_size_on_cuda_keeps_16_batches_per_epoch(n_sequences, expected):
    batch = auto_batch_size(n_sequences, torch.device("cuda"))
    assert batch == expected
    assert batch == 64 or n_sequences // batch >= 16


def test_auto_batch_size_on_cpu_is_64_whatever_the_data():
    assert auto_batch_size(2_000_000, torch.device("cpu")) == 64


@pytest.mark.parametrize(
    "device",
    [
        "cpu",
        pytest.param(
            "cuda",
            marks=pytest.mark.skipif(
                not torch.cuda.is_available(), reason="needs a CUDA device; the CPU case runs"
            ),
        ),
    ],
)
@pytest.mark.parametrize("bidirectional", [False, True])
@pytest.mark.parametrize("num_layers", [1, 2])
def test_lstm_to_each_end_matches_packing_in_values_and_gradients(
    num_layers, bidirectional, device
):
    """The segment-by-segment run gives what pack_padded_sequence gives (outputs,
    each sequence's final state, every gradient), so replacing packing for speed
    changed no model; ties, a length-1 sequence and padding after the longest."""
    from torch.nn.utils.rnn import pack_padded_sequence, pad_packed_sequence

    from imblearn_seqgan._nn._seq2seq import lstm_to_each_end

    torch.manual_seed(0)
    lstm = torch.nn.LSTM(3, 8, num_layers, batch_first=True, bidirectional=bidirectional)
    lstm = lstm.to(device)
    values = torch.randn(7, 13, 3, device=device)
    lengths = torch.tensor([5, 12, 3, 5, 9, 1, 11])

    def run(forward):
        x = values.clone().requires_grad_(True)
        lstm.zero_grad()
        outputs, (h, c) = forward(x)
        (outputs.sum() + 2 * h.sum() + (c**2).sum()).backward()
        return [outputs, h, c, x.grad, *(p.grad for p in lstm.parameters())]

    def packed(x):
        out, state = lstm(pack_padded_sequence(x, lengths, batch_first=True, enforce_sorted=False))
        return pad_packed_sequence(out, batch_first=True, total_length=13)[0], state

    segmented = run(lambda x: lstm_to_each_end(lstm, x, lengths))
    reference = run(packed)
    assert segmented[0].shape == (7, 13, 16 if bidirectional else 8)
    assert (segmented[0][2, 3:] == 0).all()  # padding steps are zero
    # cuDNN may compute in TF32 (torch.backends.cudnn.allow_tf32), rounding differently
    # for the two ways of cutting the batch
    tolerance = 1e-5 if device == "cpu" else 2e-3
    for ours, theirs in zip(segmented, reference, strict=True):
        torch.testing.assert_close(ours, theirs, rtol=tolerance, atol=tolerance)


def test_mixed_length_backward_work_does_not_grow_with_the_steps():
    """The encoder's mixed-length run costs operator calls per distinct length, not per
    time step: torch's packed LSTM slices (and in its backward zero-fills a
    batch-sized gradient) at every step, quadratic time in the length on CPU
    (pytorch/pytorch#149194)."""
    from torch.nn.utils.rnn import pack_padded_sequence
    from torch.profiler import ProfilerActivity, profile

    from imblearn_seqgan._nn import AttentionSeq2Seq

    torch.manual_seed(0)
    model = AttentionSeq2Seq(n_features=2, class_mask=[[True, True]], hidden_size=8)

    def operator_calls(forward, steps):
        values = torch.randn(6, steps, 2)
        lengths = torch.tensor([steps, steps - 1, steps - 1, steps // 2, steps // 2, 7])
        forward(values, lengths).sum().backward()  # warm-up: lazy initialisation
        with profile(activities=[ProfilerActivity.CPU]) as prof:
            forward(values, lengths).sum().backward()
        return sum(event.count for event in prof.key_averages())

    def packed(values, lengths):
        return model.encoder(pack_padded_sequence(values, lengths, batch_first=True))[0].data

    # what is guarded against: packing's calls grow with the steps (about 115 per step)
    assert operator_calls(packed, 400) > 5 * operator_calls(packed, 50)
    # the model's own: four distinct lengths either way
    assert operator_calls(model, 400) == operator_calls(model, 50)
