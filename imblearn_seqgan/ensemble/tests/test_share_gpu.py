"""Members sharing one GPU: fitted at once in threads with their own CUDA streams
(``share_gpu``); on the CPU the members go through ``n_jobs`` as before."""

import numpy as np
import pytest
import torch

from imblearn_seqgan.classification import Seq2SeqClassifier
from imblearn_seqgan.datasets import make_imbalanced_sequences
from imblearn_seqgan.ensemble import BalancedSequenceBaggingClassifier
from imblearn_seqgan.utils import validate_sequences


@pytest.fixture(scope="module")
def data():
    return make_imbalanced_sequences(
        200, weights=[0.85], min_length=4, max_length=12, random_state=0
    )


def bagging(device, share_gpu):
    member = Seq2SeqClassifier(hidden_size=8, max_epochs=3, batch_size=16, device=device)
    return BalancedSequenceBaggingClassifier(
        member, n_estimators=4, share_gpu=share_gpu, random_state=0
    )


def test_members_on_the_cpu_do_not_use_the_gpu_path(data, monkeypatch):
    def fail(*args, **kwargs):
        raise AssertionError("the CUDA-stream path ran for CPU members")

    monkeypatch.setattr(BalancedSequenceBaggingClassifier, "_fit_members_sharing_gpu", fail)
    X, y = data
    bag = bagging("cpu", share_gpu=True).fit(X, y)
    assert len(bag.estimators_) == 4


@pytest.mark.skipif(not torch.cuda.is_available(), reason="needs a CUDA device")
def test_members_sharing_a_gpu_match_members_one_after_another(data):
    X, y = data
    torch.manual_seed(123)
    rng_state, threads = torch.get_rng_state(), torch.get_num_threads()
    shared = bagging("cuda", share_gpu=True).fit(X, y)
    assert torch.equal(torch.get_rng_state(), rng_state)
    assert torch.get_num_threads() == threads
    alone = bagging("cuda", share_gpu=False).fit(X, y)
    assert all(next(m.net_.module_.parameters()).device.type == "cuda" for m in shared.estimators_)
    # Same seeds, same member data: the same models up to CUDA's rounding.
    np.testing.assert_allclose(shared.predict_proba(X), alone.predict_proba(X), atol=1e-3)


def test_members_fitted_in_threads_equal_members_one_after_another(data):
    """The threads of the GPU path, run on the CPU (no streams there): the same
    members, bit for bit, and the caller's torch RNG and thread count kept."""
    X, y = data
    alone = bagging("cpu", share_gpu=False).fit(X, y)
    threaded = bagging("cpu", share_gpu=False)
    threaded._validate_estimator()
    seqs = validate_sequences(threaded, X, reset=True)
    members = [
        threaded._make_member(seed)
        for seed in np.random.RandomState(0).randint(np.iinfo(np.int32).max, size=4)
    ]
    threaded.estimators_samples_ = alone.estimators_samples_
    torch.manual_seed(123)
    rng_state, threads = torch.get_rng_state(), torch.get_num_threads()
    fitted = threaded._fit_members_sharing_gpu(members, seqs, np.asarray(y), torch.device("cpu"))
    assert torch.equal(torch.get_rng_state(), rng_state)
    assert torch.get_num_threads() == threads
    for a, b in zip(alone.estimators_, fitted, strict=True):
        np.testing.assert_array_equal(a.predict_proba(X), b.predict_proba(X))
