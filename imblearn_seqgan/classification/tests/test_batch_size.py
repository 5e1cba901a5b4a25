"""batch_size="auto" (opt-in): 64 on the CPU; on CUDA as large as the data allow with at
least 16 batches per epoch, Adam's default learning rate scaled by sqrt(batch / 64)."""

import numpy as np
import pytest
import torch

from imblearn_seqgan._nn import auto_batch_size
from imblearn_seqgan.classification import Seq2SeqClassifier
from imblearn_seqgan.datasets import make_imbalanced_sequences


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


def test_auto_resolves_at_fit_and_scales_only_adams_default_lr():
    X, y = make_imbalanced_sequences(80, weights=[0.8], max_length=10, random_state=0)
    clf = Seq2SeqClassifier(
        hidden_size=4, max_epochs=1, batch_size="auto", device="cpu", random_state=0
    )
    clf.fit(X, y)
    assert clf.batch_size_ == 64
    assert clf.net_.lr == pytest.approx(3e-3)
    # What a CUDA fit would use, computed without a GPU.
    clf.batch_size_ = 1024
    assert clf._default_lr(3e-3) == pytest.approx(3e-3 * 4)
    assert Seq2SeqClassifier().batch_size == 64  # the default: F1 dropped with "auto"
    fixed = Seq2SeqClassifier(batch_size=1024)
    fixed.batch_size_ = 1024
    assert fixed._default_lr(3e-3) == 3e-3
    np.testing.assert_array_equal(
        Seq2SeqClassifier(hidden_size=4, max_epochs=1, batch_size=64, random_state=0)
        .fit(X, y)
        .predict_proba(X),
        clf.predict_proba(X),
    )
