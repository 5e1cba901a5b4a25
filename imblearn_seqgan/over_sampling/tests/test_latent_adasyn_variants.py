"""Tests of LatentADASYN's variants (issue 19): n_per_sample as a ratio, SMOTE's even
interpolation, decoding the change, the realistic-candidate filter, and an autoencoder
on every class with a class-separation head."""

import numpy as np
import pytest

from imblearn_seqgan._nn import encode_sequences
from imblearn_seqgan.datasets import make_imbalanced_sequences
from imblearn_seqgan.over_sampling import LatentADASYN
from imblearn_seqgan.utils import check_sequences

# Small and fast settings (a few gradient steps).
FAST = dict(hidden_size=4, max_epochs=2, random_state=0)


@pytest.fixture(scope="module")
def data():
    return make_imbalanced_sequences(200, weights=[0.85], random_state=0)


def test_n_per_sample_as_a_ratio(data):
    X, y = data
    n_minority = int((y == 1).sum())
    for ratio in (0.5, 1.5, 2):
        sampler = LatentADASYN(n_per_sample=ratio, **FAST)
        _, y_res = sampler.fit_resample(X, y)
        assert len(y_res) - len(y) == round(ratio * n_minority)
        assert sampler.sampling_strategy_ == {1: round(ratio * n_minority)}


def test_smote_interpolation_spreads_the_samples_evenly(data):
    X, y = data
    adasyn = LatentADASYN(**FAST).fit(X, y)
    smote = LatentADASYN(interpolation="smote", **FAST)
    _, y_res = smote.fit_resample(X, y)
    counts = np.bincount(smote.sources_, minlength=len(y))[y == 1]
    assert counts.sum() == adasyn.sampling_strategy_[1] == np.sum(y_res == 1) - np.sum(y == 1)
    assert counts.max() - counts.min() == 1  # 140 over 30: 4 or 5 each
    # the density ratio is still measured, but no longer sets the counts
    assert np.isfinite(smote.density_ratio_[y == 1]).all()


def test_decode_change_keeps_the_base_samples_detail(data):
    from imblearn_seqgan._nn import decode_change

    X, y = data
    params = dict(hidden_size=8, max_epochs=5, random_state=0)
    plain = LatentADASYN(**params)
    change = LatentADASYN(decode="change", **params)
    X_plain, _ = plain.fit_resample(X, y)
    X_change, y_change = change.fit_resample(X, y)
    # the same autoencoder and plan; only the decoding differs
    np.testing.assert_array_equal(change.sources_, plain.sources_)
    np.testing.assert_array_equal(change.neighbors_, plain.neighbors_)
    np.testing.assert_array_equal(change.interpolation_weights_, plain.interpolation_weights_)
    seqs = check_sequences(X)
    base = change.sources_
    new = check_sequences(X_change[len(y) :])
    np.testing.assert_array_equal(new.lengths, seqs.lengths[base])
    near = np.abs(new.values - seqs.values[base]).mean()
    far = np.abs(check_sequences(X_plain[len(y) :]).values - seqs.values[base]).mean()
    assert near < far
    # a code left where it was gives its sequence back, detail and all
    codes = encode_sequences(change.autoencoder_, seqs.values, seqs.lengths)
    same = decode_change(change.autoencoder_, codes, codes, seqs.values, seqs.lengths)
    np.testing.assert_allclose(same, seqs.values, atol=1e-5)


def test_candidate_filter_keeps_one_candidate_per_planned_sample(data):
    X, y = data
    plain = LatentADASYN(**FAST)
    plain.fit_resample(X, y)
    params = dict(candidate_filter="realistic", n_candidates=3, **FAST)
    filtered = LatentADASYN(**params)
    X_res, y_res = filtered.fit_resample(X, y)
    assert np.bincount(y_res).tolist() == [170, 170]
    assert set(filtered.filter_diagnostics_) == {"valid_share", "groups_without_valid"}
    # ADASYN's allocation is the plan's: the same base samples, as many times each
    base, neighbor = filtered.sources_, filtered.neighbors_
    np.testing.assert_array_equal(base, plain.sources_)
    assert np.all(y[neighbor] == 1) and np.all(neighbor != base)
    weight = filtered.interpolation_weights_
    assert len(weight) == len(base) and np.all((weight >= 0) & (weight < 1))
    np.testing.assert_array_equal(LatentADASYN(**params).fit_resample(X, y)[0], X_res)
    assert plain.filter_diagnostics_ is None


def test_autoencoder_on_all_classes_with_a_class_head(data):
    X, y = data
    seqs = check_sequences(X)
    params = dict(hidden_size=8, max_epochs=30, random_state=0)
    # with the classes kept apart, few minority codes have majority neighbours:
    # DeepSMOTE's even allocation rather than ADASYN's
    separated = LatentADASYN(
        autoencoder_classes="all", class_separation=1.0, interpolation="smote", **params
    )
    _, y_res = separated.fit_resample(X, y)
    assert np.bincount(y_res).tolist() == [170, 170]
    # trained on every sequence: standardised with the mean of all their steps
    np.testing.assert_allclose(
        separated.autoencoder_.feature_mean.numpy(), seqs.values[seqs.mask].mean(axis=0), rtol=1e-5
    )
    # the head, trained with the autoencoder, tells the classes apart from the codes
    import torch

    codes = encode_sequences(separated.autoencoder_, seqs.values, seqs.lengths)
    with torch.no_grad():
        logits = separated.autoencoder_.classify(torch.as_tensor(codes, dtype=torch.float32))
    assert (logits.argmax(1).numpy() == y).mean() > 0.9
    assert LatentADASYN(autoencoder_classes="all", **FAST).fit_resample(X, y)[1].shape == (340,)
    plain = LatentADASYN(**FAST)
    plain.fit_resample(X, y)
    assert plain.autoencoder_.classify is None
    with pytest.raises(ValueError, match="class_separation=0.5 needs sequences of two classes"):
        LatentADASYN(class_separation=0.5, **FAST).fit_resample(X, y)
    # several classes to over-sample are enough for the head
    X3, y3 = make_imbalanced_sequences(120, n_classes=3, weights=[0.7, 0.15], random_state=0)
    three = LatentADASYN(class_separation=0.5, k_neighbors=3, **FAST)
    _, y3_res = three.fit_resample(X3, y3)
    assert np.bincount(y3_res).tolist() == [84, 84, 84]
    assert three.autoencoder_.classify.out_features == 2


def test_variants_in_label_sequence_mode():
    X, y = make_imbalanced_sequences(120, weights=[0.8], label_sequence_length=4, random_state=0)
    for params in (
        {"decode": "change", "interpolation": "smote"},
        {"candidate_filter": "realistic", "n_candidates": 2},
        {"autoencoder_classes": "all", "class_separation": 1.0, "n_per_sample": 1},
    ):
        sampler = LatentADASYN(
            label_sequences=True, hidden_size=8, max_epochs=3, k_neighbors=3, random_state=0
        ).set_params(**params)
        X_res, y_res = sampler.fit_resample(X, y)
        new = y_res[len(y) :]
        assert len(new) == sampler.sampling_strategy_[1] == len(X_res) - len(y)
        assert (new != 0).any(axis=1).all()  # every new label sequence is a minority one
        base, neighbor = sampler.sources_, sampler.neighbors_
        expected = np.where((sampler.interpolation_weights_ > 0.5)[:, None], y[neighbor], y[base])
        np.testing.assert_array_equal(new, expected)
