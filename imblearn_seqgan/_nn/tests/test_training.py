"""Tests of the one training style: verbose, the divergence error, CPU unpickling."""

import pickle
import warnings

import numpy as np
import pytest
import torch
from skorch.callbacks import PrintLog

from imblearn_seqgan._nn import (
    LengthBucketedLoader,
    SequenceNet,
    TerminalPrintLog,
    TrainingDivergedError,
    raise_if_diverged,
    seeded,
)


class Scale(torch.nn.Module):
    """y = w x on the valid steps' first feature summed: a tiny model to train."""

    def __init__(self):
        super().__init__()
        self.weight = torch.nn.Parameter(torch.ones(1))

    def forward(self, values, lengths):
        return self.weight * values.sum(dim=(1, 2))


def make_net(**kwargs):
    return SequenceNet(
        module=Scale,
        criterion=torch.nn.MSELoss,
        optimizer=torch.optim.SGD,
        lr=kwargs.pop("lr", 1e-3),
        max_epochs=kwargs.pop("max_epochs", 3),
        batch_size=4,
        iterator_train=LengthBucketedLoader,
        train_split=kwargs.pop("train_split", None),
        device="cpu",
        **kwargs,
    )


def make_data(n=12):
    rng = np.random.default_rng(0)
    lengths = rng.integers(1, 6, size=n)
    values = rng.normal(size=(n, 5, 2)).astype(np.float32)
    values[np.arange(5) >= lengths[:, None]] = 0.0
    X = {"values": values, "lengths": lengths}
    return X, (2 * values.sum(axis=(1, 2))).astype(np.float32)


def test_raise_if_diverged_one_wording():
    raise_if_diverged(1.0, "Model", "in epoch 1", "Lower lr.")
    raise_if_diverged(torch.tensor(0.5), "Model", "in epoch 1", "Lower lr.")
    with pytest.raises(TrainingDivergedError) as info:
        raise_if_diverged(torch.tensor(float("nan")), "Model", "at step 7", "Lower lr.")
    assert str(info.value) == "Model training diverged: the loss became nan at step 7. Lower lr."
    assert isinstance(info.value, FloatingPointError)


def test_net_stops_at_a_non_finite_loss():
    X, y = make_data()
    net = make_net(lr=1e30, max_epochs=20)
    with pytest.raises(TrainingDivergedError, match=r"^Network training diverged: .* in epoch"):
        net.fit(X, y)


def test_losses_read_per_epoch_or_per_batch_give_the_same_history(capsys):
    """The loop keeps the losses on the device until the epoch ends, except while
    skorch's progress bar shows each batch's (verbose=2): the same history."""
    X, y = make_data(40)

    def losses(verbose):
        with seeded(0):
            history = make_net(verbose=verbose, train_split=_last_quarter).fit(X, y).history
        return [
            [row["train_loss"], row["valid_loss"]]
            + [b.get("train_loss", b.get("valid_loss")) for b in row["batches"]]
            + [b.get("train_batch_size", b.get("valid_batch_size")) for b in row["batches"]]
            for row in history
        ]

    per_epoch, per_batch = losses(0), losses(2)
    capsys.readouterr()
    assert per_epoch == per_batch
    assert len(per_epoch[0]) == 2 + 2 * (8 + 3)  # 30 training and 10 validation sequences


def _last_quarter(dataset, y=None, **kwargs):
    from torch.utils.data import Subset

    n = len(dataset)
    return Subset(dataset, range(3 * n // 4)), Subset(dataset, range(3 * n // 4, n))


def test_verbose_levels(capsys):
    X, y = make_data()
    make_net(verbose=0).fit(X, y)
    captured = capsys.readouterr()
    assert captured.out == "" and captured.err == ""
    make_net(verbose=1).fit(X, y)
    captured = capsys.readouterr()
    assert "train_loss" in captured.out and captured.out.count("\n") == 5  # header + 3 epochs
    assert captured.err == ""
    make_net(verbose=2).fit(X, y)
    assert "train_loss" in capsys.readouterr().out  # plus a progress bar on stderr


def test_print_log_has_colour_only_on_a_terminal(capsys, monkeypatch):
    X, y = make_data()
    # The loss falls every epoch, so skorch marks each row's train_loss as the best.
    make_net(verbose=1).fit(X, y)
    assert "\x1b[" not in capsys.readouterr().out
    monkeypatch.setattr("sys.stdout.isatty", lambda: True, raising=False)
    make_net(verbose=1).fit(X, y)
    assert "\x1b[" in capsys.readouterr().out
    # skorch's own PrintLog colours whatever stdout is: the reason for the subclass.
    assert dict(make_net().get_default_callbacks())["print_log"].__class__ is TerminalPrintLog
    assert issubclass(TerminalPrintLog, PrintLog)


def test_loader_with_a_generator_reproduces_the_shared_batching():
    X, y = make_data(40)
    net = make_net(iterator_train__rng=np.random.default_rng(3))
    net.initialize()
    dataset = net.get_dataset(X, y)
    expected_rng = np.random.default_rng(3)
    from imblearn_seqgan._nn import length_bucketed_batches

    for _ in range(2):  # the same Generator advances from epoch to epoch
        batches = [b["lengths"].numpy() for b, _ in net.get_iterator(dataset, training=True)]
        expected = length_bucketed_batches(X["lengths"], 4, rng=expected_rng)
        assert [b.tolist() for b in batches] == [X["lengths"][e].tolist() for e in expected]
    loader = net.get_iterator(dataset, training=True)
    assert len(loader) == len(list(loader)) == 10


def test_loader_without_a_generator_follows_torch_seed():
    X, y = make_data(40)
    net = make_net()
    net.initialize()
    dataset = net.get_dataset(X, y)

    def epoch_order(seed):
        with seeded(seed):
            return [b["lengths"].tolist() for b, _ in net.get_iterator(dataset, training=True)]

    assert epoch_order(0) == epoch_order(0)
    assert epoch_order(0) != epoch_order(1)


def test_cuda_fitted_net_unpickles_on_cpu_silently(monkeypatch):
    X, y = make_data()
    net = make_net().fit(X, y)
    expected = net.predict(X)
    net.device = "cuda"  # as if fitted on a GPU; pickled tensors map to the CPU
    blob = pickle.dumps(net)
    monkeypatch.setattr(torch.cuda, "is_available", lambda: False)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        loaded = pickle.loads(blob)
    assert loaded.device == "cpu"
    np.testing.assert_array_equal(loaded.predict(X), expected)
