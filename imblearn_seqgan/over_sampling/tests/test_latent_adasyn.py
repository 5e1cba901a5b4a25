"""Tests of LatentADASYN: ADASYN's plan on codes, the estimator end to end."""

import pickle
import warnings

import numpy as np
import pytest
from imblearn.pipeline import Pipeline
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import FunctionTransformer, StandardScaler

from imblearn_seqgan._nn import TrainingDivergedError, encode_sequences
from imblearn_seqgan.datasets import make_imbalanced_sequences
from imblearn_seqgan.metrics import sequence_summaries
from imblearn_seqgan.over_sampling import LatentADASYN
from imblearn_seqgan.over_sampling._adasyn_plan import adasyn_plan, interpolate_labels
from imblearn_seqgan.utils import check_sequences, pad_sequences, unpad_sequences

# Small and fast settings (a few gradient steps).
FAST = dict(hidden_size=4, max_epochs=2, random_state=0)


def summaries(X):
    """Per-feature standard deviation, slope and mean of each sequence: enough for a
    linear model to find the synthetic data's minority signature (sine + ramp)."""
    seqs = check_sequences(X)
    rows = []
    for values, length in zip(seqs.values, seqs.lengths, strict=True):
        v = values[:length]
        t = np.arange(length) - (length - 1) / 2
        slope = (t[:, None] * (v - v.mean(axis=0))).sum(axis=0) / max((t**2).sum(), 1e-12)
        rows.append(np.r_[v.std(axis=0), slope * length, v.mean(axis=0)])
    return np.array(rows)


def summary_classifier():
    return Pipeline([("summaries", FunctionTransformer(summaries)), ("clf", LogisticRegression())])


@pytest.fixture(scope="module")
def data():
    return make_imbalanced_sequences(200, weights=[0.85], random_state=0)


@pytest.fixture(scope="module")
def fitted(data):
    X, y = data
    sampler = LatentADASYN(hidden_size=32, max_epochs=60, random_state=0)
    X_res, y_res = sampler.fit_resample(X, y)
    return sampler, X_res, y_res


# -- ADASYN's plan on known points ---------------------------------------------------


def test_plan_counts_follow_the_share_of_other_class_neighbours():
    # Minority points 0-3 at growing distance into a cluster of majority points:
    # point 0 is alone among minority, point 3 sits inside the majority.
    rng = np.random.RandomState(0)
    minority = np.array([[-3.0, 0.0], [-2.9, 0.1], [-1.0, 0.0], [0.0, 0.05]])
    minority = np.r_[minority, rng.normal([-3.0, 0.0], 0.05, size=(4, 2))]
    majority = rng.normal([0.0, 0.0], 0.3, size=(30, 2))
    codes = np.r_[minority, majority]
    classes = np.r_[np.ones(len(minority), int), np.zeros(len(majority), int)]
    base, neighbor, weight, ratio = adasyn_plan(
        codes, classes, {1: 40}, 3, np.random.RandomState(0)
    )
    counts = np.bincount(base, minlength=len(codes))
    assert counts.sum() == 40  # exactly the target, despite rounding
    assert counts[len(minority) :].sum() == 0  # only minority samples are bases
    # r_i is the share of majority points among the 3 neighbours...
    assert ratio[3] == 1.0 and ratio[0] == 0.0
    np.testing.assert_array_equal(np.isnan(ratio), classes == 0)
    # ...and counts are r_i / sum(r) * 40, rounded by largest remainders.
    exact = ratio[:8] / ratio[:8].sum() * 40
    assert np.all(np.abs(counts[:8] - exact) < 1)
    r, c = ratio[:8], counts[:8]
    assert np.all(c[:, None] >= c[None, :], where=r[:, None] > r[None, :])
    assert counts[3] > counts[0] == 0
    # Each new point moves towards a same-class neighbour with one weight in [0, 1).
    assert np.all(classes[neighbor] == 1) and np.all(neighbor != base)
    assert np.all((weight >= 0) & (weight < 1))


def test_plan_warns_and_spreads_evenly_when_no_neighbour_is_of_another_class():
    rng = np.random.RandomState(0)
    codes = np.r_[rng.normal(-10, 0.1, size=(6, 2)), rng.normal(10, 0.1, size=(20, 2))]
    classes = np.r_[np.ones(6, int), np.zeros(20, int)]
    with pytest.warns(UserWarning, match="spread evenly"):
        base, *_ = adasyn_plan(codes, classes, {1: 12}, 3, rng)
    np.testing.assert_array_equal(np.bincount(base, minlength=6)[:6], [2] * 6)


def test_plan_excludes_the_query_even_with_duplicate_codes():
    codes = np.zeros((8, 2))  # all identical: the first neighbour may not be self
    classes = np.r_[np.ones(4, int), np.zeros(4, int)]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # ties: ratio may be all zero
        base, neighbor, _, _ = adasyn_plan(codes, classes, {1: 20}, 3, np.random.RandomState(0))
    assert np.all(neighbor != base)


def test_interpolated_labels_take_the_nearer_end():
    y_i = np.array([[0, 0, 1, 2], [0, 1, 1, 0]])
    y_j = np.array([[1, 0, 0, 2], [1, 1, 0, 0]])
    out = interpolate_labels(y_i, y_j, np.array([0.7, 0.5]))
    np.testing.assert_array_equal(out, [y_j[0], y_i[1]])  # a tie goes to the base
    # For 0/1 labels this is rounding y_i + w (y_j - y_i), ties towards y_i.
    w = np.random.RandomState(0).uniform(size=50)
    a, b = np.random.RandomState(1).randint(2, size=(2, 50, 3))
    fractional = a + w[:, None] * (b - a)
    np.testing.assert_array_equal(
        interpolate_labels(a, b, w), np.where(np.abs(fractional - a) <= 0.5, a, b)
    )


# -- the estimator --------------------------------------------------------------------


def test_resampled_output_contract(data, fitted):
    X, y = data
    sampler, X_res, y_res = fitted
    n_minority = int(np.sum(y == 1))
    assert np.bincount(y_res).tolist() == [170, 170]
    # The originals come first, unchanged (NaN padding included), then synthetic ones.
    np.testing.assert_array_equal(X_res[: len(X)], X)
    np.testing.assert_array_equal(y_res[: len(y)], y)
    new = check_sequences(X_res[len(X) :])
    base, neighbor = sampler.sources_, sampler.neighbors_
    assert len(base) == 170 - n_minority
    np.testing.assert_array_equal(new.lengths, check_sequences(X).lengths[base])
    assert np.all(y[base] == 1) and np.all(y[neighbor] == 1)
    assert np.isfinite(new.values).all()
    assert (
        len(sampler.history_) == 60
        and sampler.history_[-1]["train_loss"] < sampler.history_[0]["train_loss"]
    )


def test_synthetic_samples_lie_nearer_the_minority(data, fitted):
    # A classifier trained on real data only (minority = sine + ramp signature)
    # labels the synthetic samples. On held-out real data it recalls ~95% of the
    # minority at a 15% prior; a decoder that ignored the minority's structure
    # would be labelled majority (noise-like) almost always. 80% leaves room for
    # the smoothing of a small autoencoder trained for a few seconds (measured:
    # 87-95% across seeds and sizes).
    X, y = data
    _, X_res, _ = fitted
    X_test, y_test = make_imbalanced_sequences(300, weights=[0.85], random_state=1)
    clf = summary_classifier().fit(X, y)
    assert clf.predict(X_test)[y_test == 1].mean() > 0.9
    assert clf.predict(X_res[len(X) :]).mean() >= 0.8


def test_minority_samples_among_the_majority_get_more_synthetic_samples():
    # Ten sequences drawn from the majority's distribution are labelled minority:
    # in the latent space they lie among majority codes, so ADASYN gives them more
    # synthetic samples than the minority with the class's signature.
    X, y = make_imbalanced_sequences(240, weights=[0.85], random_state=0)
    rng = np.random.RandomState(0)
    hard = rng.choice(np.flatnonzero(y == 0), 10, replace=False)
    y = y.copy()
    y[hard] = 1
    easy = np.setdiff1d(np.flatnonzero(y == 1), hard)
    sampler = LatentADASYN(hidden_size=16, max_epochs=30, random_state=0)
    sampler.fit_resample(X, y)
    counts = np.bincount(sampler.sources_, minlength=len(y))
    ratio = sampler.density_ratio_
    assert ratio[hard].mean() > ratio[easy].mean() + 0.2  # measured 0.94 vs 0.38
    assert counts[hard].mean() > 1.5 * counts[easy].mean()  # measured 6.1 vs 2.4
    # and the counts are ADASYN's allocation of that ratio
    exact = ratio[y == 1] / ratio[y == 1].sum() * counts.sum()
    assert np.all(np.abs(counts[y == 1] - exact) < 1)


def test_label_sequences_mode():
    X, y = make_imbalanced_sequences(120, weights=[0.8], label_sequence_length=4, random_state=0)
    minority_patterns = {tuple(row) for row in y if row.any()}
    assert len(minority_patterns) > 1  # several minority label sequences to mix
    sampler = LatentADASYN(
        label_sequences=True, hidden_size=8, max_epochs=3, k_neighbors=3, random_state=0
    )
    X_res, y_res = sampler.fit_resample(X, y)
    assert y_res.shape == (len(X_res), 4)
    np.testing.assert_array_equal(y_res[: len(y)], y)
    base, neighbor = sampler.sources_, sampler.neighbors_
    w = sampler.interpolation_weights_
    # Neighbours come from the pooled minority, whatever their label sequence...
    assert np.all(y[base].any(axis=1)) and np.all(y[neighbor].any(axis=1))
    assert np.any(np.any(y[base] != y[neighbor], axis=1))
    # ...and each label sequence is the nearer end's (documented rule).
    expected = np.where((w > 0.5)[:, None], y[neighbor], y[base])
    np.testing.assert_array_equal(y_res[len(y) :], expected)
    # Classes are majority label sequence (0) vs the rest (1), balanced exactly.
    n_majority = int(np.sum(~y.any(axis=1)))
    assert sampler.sampling_strategy_ == {1: 2 * n_majority - len(y)}
    assert int(np.sum(~y_res.any(axis=1))) == n_majority == len(y_res) // 2


def test_determinism_and_seed_dependence(data):
    X, y = data
    kwargs = dict(hidden_size=8, max_epochs=3)
    a = LatentADASYN(random_state=3, **kwargs).fit_resample(X, y)[0]
    b = LatentADASYN(random_state=3, **kwargs).fit_resample(X, y)[0]
    c = LatentADASYN(random_state=4, **kwargs).fit_resample(X, y)[0]
    np.testing.assert_array_equal(a, b)  # bit for bit on CPU
    assert not np.allclose(a[len(X) :], c[len(X) :])


def test_pickle_round_trip(fitted):
    sampler, _, _ = fitted
    loaded = pickle.loads(pickle.dumps(sampler))
    assert next(loaded.autoencoder_.parameters()).device.type == "cpu"
    seqs = check_sequences(np.asarray(fitted[1][:20]))
    np.testing.assert_array_equal(
        encode_sequences(loaded.autoencoder_, seqs.values, seqs.lengths),
        encode_sequences(sampler.autoencoder_, seqs.values, seqs.lengths),
    )
    np.testing.assert_array_equal(loaded.sources_, sampler.sources_)
    np.testing.assert_array_equal(loaded.neighbors_, sampler.neighbors_)


def test_input_not_modified_and_containers_round_trip(data):
    X, y = data
    X32 = X.astype(np.float32)
    X_list = unpad_sequences(X32)
    X_pre = pad_sequences(X_list, padding="pre", dtype=np.float32)
    copies = [X32.copy(), [s.copy() for s in X_list], X_pre.copy(), y.copy()]
    kwargs = dict(hidden_size=8, max_epochs=2, random_state=0)
    out_post, y_post = LatentADASYN(**kwargs).fit_resample(X32, y)
    out_list, _ = LatentADASYN(**kwargs).fit_resample(X_list, y)
    out_pre, _ = LatentADASYN(**kwargs).fit_resample(X_pre, y)
    np.testing.assert_array_equal(X32, copies[0])
    for seq, copy in zip(X_list, copies[1], strict=True):
        np.testing.assert_array_equal(seq, copy)
    np.testing.assert_array_equal(X_pre, copies[2])
    np.testing.assert_array_equal(y, copies[3])
    assert out_post.dtype == np.float32 and isinstance(out_list, list)
    assert all(s.dtype == np.float32 for s in out_list)
    # Same synthetic sequences whatever the container or padding side.
    for other in (out_list, out_pre):
        for s, t in zip(
            unpad_sequences(out_post),
            unpad_sequences(other) if not isinstance(other, list) else other,
            strict=True,
        ):
            np.testing.assert_array_equal(s, t)
    assert np.isnan(out_pre[len(X) :, 0]).any()  # new sequences padded at the start too


def test_works_in_an_imblearn_pipeline(data):
    X, y = data
    pipe = Pipeline(
        [
            ("adasyn", LatentADASYN(hidden_size=8, max_epochs=3, random_state=0)),
            ("summaries", FunctionTransformer(summaries)),
            ("clf", LogisticRegression()),
        ]
    )
    pipe.fit(X, y)
    assert pipe.score(X, y) > 0.9
    assert pipe.predict(X).shape == y.shape


def test_class_too_small_for_the_neighbours(data):
    X, y = data
    keep = np.r_[np.flatnonzero(y == 0), np.flatnonzero(y == 1)[:4]]
    with pytest.raises(ValueError, match=r"k_neighbors=5 needs at least 6 .* class 1 has only 4"):
        LatentADASYN(**FAST).fit_resample(X[keep], y[keep])
    # with fewer neighbours the same data works
    LatentADASYN(k_neighbors=3, **FAST).fit_resample(X[keep], y[keep])
    single = np.r_[np.flatnonzero(y == 0), np.flatnonzero(y == 1)[:1]]
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # an error, not also a warning
        with pytest.raises(ValueError, match="class 1: it has 1 sample, and interpolation"):
            LatentADASYN(k_neighbors=1, **FAST).fit_resample(X[single], y[single])


# The data contract's bad inputs, each reported with LatentADASYN's own message.
@pytest.mark.parametrize(
    "make_bad, match",
    [
        (
            lambda X, y: (np.where(np.arange(X.shape[1])[None, :, None] == 2, np.inf, X), y),
            "infinity inside a valid time step: sequence 0, time step 2",
        ),
        (lambda X, y: (X, y[:-1]), "different numbers of sequences: 200 and 199"),
        (lambda X, y: (X[..., None], y), "got 4-D"),
        (lambda X, y: (X, np.zeros_like(y)), "class"),
        (lambda X, y: (X.astype(complex), y), "complex"),
    ],
)
def test_bad_inputs_are_named(data, make_bad, match):
    X, y = data
    X_bad, y_bad = make_bad(X.copy(), y)
    with pytest.raises((ValueError, TypeError), match=match):
        LatentADASYN(**FAST).fit_resample(X_bad, y_bad)


def test_label_sequences_switch_is_explicit(data):
    X, y = data
    y2 = np.c_[y, 1 - y, y]  # not one-vs-all: imbalanced-learn rejects it by default
    with pytest.raises(ValueError, match="Multilabel and multioutput"):
        LatentADASYN(**FAST).fit_resample(X, y2)
    with pytest.raises(ValueError, match=r"expects y of shape \(n_sequences, L\)"):
        LatentADASYN(label_sequences=True, **FAST).fit_resample(X, y)


def test_training_follows_the_shared_style(data, capsys):
    """verbose means what it means for every network; divergence is one error."""
    X, y = data
    LatentADASYN(**FAST).fit_resample(X, y)
    assert capsys.readouterr().out == ""
    LatentADASYN(**{**FAST, "verbose": 1}).fit_resample(X, y)
    out = capsys.readouterr().out
    assert "train_loss" in out and out.count("\n") == 2 + FAST["max_epochs"]
    assert "\x1b[" not in out  # no colour codes when stdout is not a terminal
    with pytest.raises(
        TrainingDivergedError,
        match=r"^LatentADASYN training diverged: the loss became inf in epoch \d+\. Lower lr",
    ):
        LatentADASYN(hidden_size=4, max_epochs=5, lr=1e30, random_state=0).fit_resample(X, y)


def test_training_stops_on_a_plateau_after_a_step_budget(data):
    """The budget is passes over the data, stopped by PlateauStopping on the
    reconstruction loss (its rule is tested in _nn/tests/test_stopping.py);
    ``n_iter_no_change=None`` runs every pass."""
    from imblearn_seqgan._nn import PlateauStopping

    X, y = data
    full = LatentADASYN(hidden_size=4, max_epochs=40, n_iter_no_change=None, random_state=0)
    _, y_res = full.fit_resample(X, y)
    assert len(full.history_) == 40
    assert np.bincount(y_res)[1] == np.bincount(y_res)[0]

    def stopping(n_train, **params):
        net = LatentADASYN(**params).initialize_net(
            4, np.zeros(4), np.ones(4), 0, "cpu", n_train=n_train
        )
        return dict(net.callbacks)["early_stopping"]

    # 80 sequences are 3 steps per pass: windows of 20 passes; 30,000 are 938: of 2
    small, large = stopping(80), stopping(30_000)
    assert isinstance(small, PlateauStopping) and (small.window, large.window) == (20, 2)
    assert small.min_steps == large.min_steps == 2_000 and small.tol == 1e-2
    assert stopping(80, n_iter_no_change=5, tol=0.1).window == 5
    assert "early_stopping" not in dict(
        LatentADASYN(n_iter_no_change=None).initialize_net(4, 0, 1, 0, "cpu").callbacks
    )


def random_walks(n_majority, n_minority, random_state):
    """Issue 19's reproduction: random walks (steps N(0, 0.3^2), 4 features, 15-30
    steps); the minority adds a period-6 sine on feature 0 and a ramp from -1 to 1
    on feature 1. (make_imbalanced_sequences' AR(1) noise is easier: its minority
    pattern survived the earlier early stopping.)"""
    rng = np.random.RandomState(random_state)
    y = rng.permutation(np.r_[np.zeros(n_majority, int), np.ones(n_minority, int)])
    lengths = rng.randint(15, 31, size=len(y))
    X = np.full((len(y), 30, 4), np.nan)
    for i, (label, length) in enumerate(zip(y, lengths, strict=True)):
        walk = np.cumsum(rng.normal(0, 0.3, size=(length, 4)), axis=0)
        if label:
            walk[:, 0] += np.sin(2 * np.pi * np.arange(length) / 6 + rng.uniform(0, 2 * np.pi))
            walk[:, 1] += np.linspace(-1, 1, length)
        X[i, :length] = walk
    return X, y


@pytest.mark.slow  # about 700 passes of the default autoencoder over 80 sequences
def test_default_training_keeps_the_minority_pattern_of_random_walks():
    # The earlier early stopping (best pass so far, patience 20 passes) stopped on a
    # plateau after 118 passes at loss 0.17 and a classifier trained on the real data
    # called none of the synthetic sequences minority; trained on, the loss falls
    # tenfold and the pattern survives (measured: 92% at the default stop, 91-98%
    # from 550 to 1,000 passes).
    X, y = random_walks(400, 80, random_state=0)
    clf = make_pipeline(
        FunctionTransformer(sequence_summaries), StandardScaler(), LogisticRegression()
    ).fit(X, y)
    assert clf.predict(X[y == 1]).mean() == 1.0 and clf.predict(X[y == 0]).mean() == 0.0
    sampler = LatentADASYN(random_state=0)
    X_res, _ = sampler.fit_resample(X, y)
    assert len(sampler.history_) < sampler.max_epochs  # the rule stopped it
    assert clf.predict(X_res[len(y) :]).mean() >= 0.9


def test_n_threads_applies_during_fit_resample_only(data, monkeypatch):
    import torch

    from imblearn_seqgan._nn import AutoencoderNet

    X, y = data
    seen = []
    original = AutoencoderNet.fit

    def spy(self, *args, **kwargs):
        seen.append(torch.get_num_threads())
        return original(self, *args, **kwargs)

    monkeypatch.setattr(AutoencoderNet, "fit", spy)
    before = torch.get_num_threads()
    torch.set_num_threads(2)
    try:
        LatentADASYN(hidden_size=4, max_epochs=1, n_threads=None).fit_resample(X, y)
        LatentADASYN(hidden_size=4, max_epochs=1).fit_resample(X, y)
        assert seen == [2, 1] and torch.get_num_threads() == 2
    finally:
        torch.set_num_threads(before)


class _KeepsNet(LatentADASYN):
    """Keeps the skorch net it trained, to see which optimizer trained it."""

    def initialize_net(self, *args, **kwargs):
        self.net_ = super().initialize_net(*args, **kwargs)
        return self.net_


@pytest.mark.parametrize(
    "optimizer, lr, expected, expected_lr",
    [
        ("adam", None, "Adam", 1e-2),
        ("adadelta", None, "Adadelta", 1.0),  # the paper's (Appendix B)
        ("adadelta", 0.5, "Adadelta", 0.5),
        ("sgd", None, "SGD", 1e-3),
    ],
)
def test_optimizer_trains_the_autoencoder(optimizer, lr, expected, expected_lr):
    import torch

    X, y = make_imbalanced_sequences(40, weights=[0.7], random_state=0)
    optimizer = torch.optim.SGD if optimizer == "sgd" else optimizer
    sampler = _KeepsNet(optimizer=optimizer, lr=lr, **FAST)
    X_res, _ = sampler.fit_resample(X, y)
    used = sampler.net_.optimizer_
    assert type(used).__name__ == expected
    assert used.param_groups[0]["lr"] == expected_lr
    assert np.isfinite(check_sequences(X_res).values).all()
