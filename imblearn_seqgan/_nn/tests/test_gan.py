"""Tests of SequenceGAN: its API, its training loop's hooks, its history and what
verbose prints."""

import contextlib
import io
import math

import numpy as np
import pytest
import torch

from imblearn_seqgan._nn import SequenceGAN

LOSSES = ("critic_loss", "generator_loss", "autoencoder_loss", "wasserstein", "gradient_penalty")


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


def test_every_epoch_row_holds_every_loss_as_a_number():
    values, lengths = _toy()  # 24 sequences in batches of 8: epochs of 3 steps
    # 10 steps: the fourth epoch is cut after its generator step (no critic, no
    # decoder step); the penalty comes every second critic step
    gan = SequenceGAN(
        hidden_size=8, num_layers=1, batch_size=8, max_steps=10, gp_every=2, random_state=0
    )
    history = gan.fit(values, lengths).history_
    assert gan.n_steps_ == 10 and history[:, "steps"] == [3, 6, 9, 10]
    for key in LOSSES:
        column = history[:, key]
        assert all(isinstance(value, float) for value in column), key
        np.round(column, 3)  # the user guide's training check
    # an epoch without a step of a kind repeats the latest value; NaN before the first
    assert history[-1, "autoencoder_loss"] == history[-2, "autoencoder_loss"]
    assert history[-1, "wasserstein"] == history[-2, "wasserstein"]
    assert history[-1, "generator_loss"] != history[-2, "generator_loss"]
    penalty = history[:, "gradient_penalty"]
    assert math.isnan(penalty[0]) and penalty[2] == penalty[1] and not math.isnan(penalty[1])


def test_stopping_on_the_autoencoder_loss_survives_a_cut_last_epoch():
    values, lengths = _toy()
    # skorch's EarlyStopping compared None with a float when the cut last epoch
    # had no autoencoder loss
    gan = SequenceGAN(
        hidden_size=8,
        num_layers=1,
        batch_size=8,
        max_steps=10,
        n_iter_no_change=5,
        random_state=0,
    )
    assert gan.fit(values, lengths).n_steps_ == 10


def _as_terminal_shows(text):
    """The lines a terminal shows for ``text``: a carriage return goes back to the
    line's start, where the next characters overwrite the old ones."""
    lines = []
    for line in text.split("\n"):
        screen = ""
        for part in line.split("\r"):
            screen = part + screen[len(part) :]
        lines.append(screen.rstrip())
    return [line for line in lines if line]


def test_verbose_2_prints_the_table_above_the_progress_bar():
    values, lengths = _toy()
    out = io.StringIO()  # a terminal shows standard output and error together
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(out):
        SequenceGAN(
            hidden_size=8, num_layers=1, batch_size=8, max_steps=9, verbose=2, random_state=0
        ).fit(values, lengths)
    shown = _as_terminal_shows(out.getvalue())
    bars = [line for line in shown if "step/s" in line or "?step" in line]
    table = [line for line in shown if line not in bars]
    # header, rule and one row per epoch, none of them written into the bar's line
    assert len(table) == 2 + 3 and table[0].split()[0] == "epoch"
    assert [row.split()[0] for row in table[2:]] == ["1", "2", "3"]
    # the bar stays below the table and is shown once, finished
    assert shown[-1] in bars and len(bars) == 1 and "9/9" in bars[0]
