"""Tests of SequenceGAN's training: its history and what verbose prints."""

import contextlib
import io
import math

import numpy as np

from imblearn_seqgan._nn import SequenceGAN

LOSSES = ("critic_loss", "generator_loss", "autoencoder_loss", "wasserstein", "gradient_penalty")


def _toy(n=24, max_length=9, n_features=3, seed=0):
    rng = np.random.default_rng(seed)
    lengths = rng.integers(2, max_length + 1, size=n)
    values = rng.standard_normal((n, max_length, n_features)).astype(np.float32)
    values *= (np.arange(max_length) < lengths[:, None])[:, :, None]
    return values, lengths


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
