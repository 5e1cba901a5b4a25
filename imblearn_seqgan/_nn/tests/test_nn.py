"""Tests of the shared torch building blocks."""

import numpy as np
import pytest
import torch

from imblearn_seqgan._nn import (
    SequenceDecoder,
    SequenceEncoder,
    length_bucketed_batches,
    masked_cross_entropy,
    masked_mse,
    resolve_device,
    reverse_padded,
    seeded,
    trim_batch,
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


def test_length_bucketed_batches_cover_all_and_group_lengths():
    rng = np.random.default_rng(0)
    lengths = rng.integers(1, 100, size=500)
    batches = length_bucketed_batches(lengths, 32, rng=np.random.default_rng(1))
    assert sorted(np.concatenate(batches).tolist()) == list(range(500))
    spread = np.mean([np.ptp(lengths[b]) for b in batches])
    assert spread < 0.3 * np.ptp(lengths)
    values = np.zeros((500, 100, 2), dtype=np.float32)
    x, lens = trim_batch(values, lengths, batches[0], torch.device("cpu"))
    assert x.shape[1] == lengths[batches[0]].max()


def test_resolve_device_and_seeded():
    assert resolve_device("cpu").type == "cpu"
    assert resolve_device("auto").type in ("cpu", "cuda")
    if not torch.cuda.is_available():
        with pytest.raises(ValueError, match="CUDA"):
            resolve_device("cuda")
    with pytest.raises(ValueError, match="device"):
        resolve_device("nonsense")
    before = torch.random.get_rng_state()
    with seeded(3):
        a = torch.randn(3)
    with seeded(3):
        b = torch.randn(3)
    assert torch.equal(a, b)
    assert torch.equal(before, torch.random.get_rng_state())


def _toy(n=24, max_length=9, n_features=3, seed=0):
    rng = np.random.default_rng(seed)
    lengths = rng.integers(2, max_length + 1, size=n)
    values = rng.standard_normal((n, max_length, n_features)).astype(np.float32)
    values *= (np.arange(max_length) < lengths[:, None])[:, :, None]
    return values, lengths


@pytest.mark.parametrize("with_labels", [False, True])
def test_sequence_gan_api(with_labels):
    from imblearn_seqgan._nn import SequenceGAN

    values, lengths = _toy()
    labels = (
        np.random.default_rng(1).integers(0, 3, size=(len(lengths), 4)) if with_labels else None
    )
    gan = SequenceGAN(hidden_size=8, num_layers=1, max_steps=9, batch_size=8, random_state=0)
    gan.fit(values, lengths, labels)
    assert gan.n_steps_ == 9 and len(gan.history_) == 3  # 3 batches per epoch
    scores = gan.critic_score(values, lengths, labels)
    errors = gan.reconstruction_error(values, lengths, labels)
    assert scores.shape == errors.shape == (len(lengths),)
    assert np.isfinite(scores).all() and (errors > 0).all()
    # per-sample results do not depend on the batch a sequence lands in
    np.testing.assert_allclose(
        gan.reconstruction_error(values[:5], lengths[:5], None if labels is None else labels[:5]),
        errors[:5],
        rtol=1e-5,
    )
    new_values, new_lengths, new_labels, sources = gan.generate(
        values, lengths, labels, n_per_sample=2, rng=0
    )
    assert new_values.shape[0] == 2 * len(lengths)
    np.testing.assert_array_equal(new_lengths, lengths[sources])
    assert np.isfinite(new_values).all()
    mask = np.arange(new_values.shape[1]) < new_lengths[:, None]
    assert (new_values[~mask] == 0).all()
    if with_labels:
        assert new_labels.shape == (2 * len(lengths), 4) and new_labels.max() < 3
    else:
        assert new_labels is None
    again = gan.generate(values, lengths, labels, n_per_sample=2, rng=0)[0]
    np.testing.assert_array_equal(again, new_values)


def test_finite_difference_penalty_is_the_critics_slope_along_real_minus_fake():
    """The finite-difference penalty's slope is the critic's directional
    derivative along the unit real-fake direction (checked against autograd)."""
    from imblearn_seqgan._nn import SequenceGAN

    values, lengths = _toy()
    gan = SequenceGAN(hidden_size=8, num_layers=1, max_steps=3, batch_size=8, random_state=0)
    gan.fit(values, lengths)
    batch = gan.make_batch(values, lengths, None, np.arange(len(lengths)), torch.device("cpu"))
    torch.manual_seed(0)
    with torch.no_grad():
        real, fake = gan.get_code_pair(batch)
        plus, minus, width = gan.get_finite_difference_points(real, fake)
        d_plus, d_minus = gan.get_critic_pair(batch, plus, minus)
    slope = ((d_plus - d_minus) / width).double()
    # the points' centre and the unit direction, for autograd's exact derivative
    centre = (plus[0] + minus[0]) / 2
    direction = real[0] - fake[0]
    unit = direction / direction.flatten(1).norm(dim=1)[:, None, None]
    _, exact = torch.autograd.functional.jvp(
        lambda h: gan.critic_(h, batch.lengths), (centre,), (unit,)
    )
    np.testing.assert_allclose(slope.numpy(), exact.double().numpy(), rtol=0.05, atol=2e-3)


@pytest.mark.parametrize("estimate", ["finite_difference", "exact"])
def test_gan_keeps_losses_on_the_device_until_the_epoch_ends(estimate, monkeypatch):
    """No .item() per step: one host transfer (``tolist``) per epoch. (Adam's
    step counters call ``.item()``, but they live on the CPU, so those calls
    never wait for a GPU; they are not counted.)"""
    import traceback

    from imblearn_seqgan._nn import SequenceGAN

    values, lengths = _toy()
    calls = {"item": 0, "tolist": 0}
    for name in calls:
        original = getattr(torch.Tensor, name)

        def spy(self, *args, _name=name, _original=original, **kwargs):
            caller = traceback.extract_stack(limit=2)[0].filename
            if "torch/optim" not in caller.replace("\\", "/"):
                calls[_name] += 1
            return _original(self, *args, **kwargs)

        monkeypatch.setattr(torch.Tensor, name, spy)
    gan = SequenceGAN(
        hidden_size=8,
        num_layers=1,
        max_steps=24,
        batch_size=8,
        gp_every=1,
        penalty_estimate=estimate,
        random_state=0,
    ).fit(values, lengths)
    assert calls == {"item": 0, "tolist": len(gan.history_)}
    penalties = gan.history_[:, "gradient_penalty"]
    assert len(penalties) == 8 and all(np.isfinite(p) and p >= 0 for p in penalties)


@pytest.mark.skipif(not torch.cuda.is_available(), reason="needs CUDA")
@pytest.mark.parametrize("estimate", ["finite_difference", "exact"])
def test_gan_penalties_train_on_cuda(estimate):
    """The finite-difference penalty runs with cuDNN on (first-order backward
    only); the exact one turns cuDNN off for its double backward."""
    from imblearn_seqgan._nn import SequenceGAN

    values, lengths = _toy()
    gan = SequenceGAN(
        hidden_size=8,
        num_layers=1,
        max_steps=12,
        batch_size=8,
        gp_every=1,
        penalty_estimate=estimate,
        device="cuda",
        random_state=0,
    ).fit(values, lengths)
    assert np.isfinite(gan.history_[:, "gradient_penalty"]).all()


def test_gan_budget_in_passes_and_stopping_on_the_autoencoder_loss():
    from imblearn_seqgan._nn import SequenceGAN

    values, lengths = _toy()  # 24 sequences, batch 8: 3 steps per pass
    params = dict(hidden_size=8, num_layers=1, batch_size=8, random_state=0)
    by_passes = SequenceGAN(**params, max_epochs=4).fit(values, lengths)
    assert by_passes.n_steps_ == 12 and len(by_passes.history_) == 4
    # the smaller of the two budgets wins
    assert SequenceGAN(**params, max_epochs=4, max_steps=6).fit(values, lengths).n_steps_ == 6
    # a 90% improvement per pass is never reached: stops after 1 + 2 passes
    stopped = SequenceGAN(**params, max_steps=300, n_iter_no_change=2, tol=0.9)
    stopped.fit(values, lengths)
    assert stopped.n_steps_ == 9 and len(stopped.history_) == 3
    assert np.isfinite(stopped.generate(values, lengths)[0]).all()
