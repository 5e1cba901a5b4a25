"""Tests of SeqGANOverSampler: conventions, the minority signature, label sequences."""

import pickle
import subprocess
import sys

import numpy as np
import pytest
import torch
from imblearn.pipeline import Pipeline
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GridSearchCV, StratifiedKFold
from sklearn.preprocessing import FunctionTransformer, StandardScaler

from imblearn_seqgan._nn import SequenceGAN
from imblearn_seqgan.classification import Seq2SeqClassifier
from imblearn_seqgan.datasets import make_imbalanced_sequences
from imblearn_seqgan.over_sampling import SeqGANOverSampler
from imblearn_seqgan.utils import check_sequences, pad_sequences, unpad_sequences


@pytest.fixture(autouse=True, scope="module")
def one_torch_thread():
    """One intra-op thread: on the shared 2-core CI machine two threads contend
    with other processes and ran the small LSTMs of these tests ~10x slower."""
    before = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(before)


# A few gradient steps of a tiny GAN: enough to exercise every code path. (The
# scikit-learn and imbalanced-learn estimator checks are in imblearn_seqgan/tests/test_common.py.)
FAST = dict(max_steps=6, hidden_size=8, num_layers=1, batch_size=128, random_state=0)


def summaries(X):
    """Per-feature mean, std, slope and step-to-step roughness of each sequence:
    enough for a linear model to see the synthetic data's minority signature
    (a sine on one feature and a ramp on another)."""
    seqs = check_sequences(X)
    v, lengths = seqs.values.astype(np.float64), seqs.lengths
    mask = seqs.mask[:, :, None]
    n = lengths[:, None]
    mean = (v * mask).sum(1) / n
    centred = (v - mean[:, None]) * mask
    std = np.sqrt((centred**2).sum(1) / n)
    t = (np.arange(v.shape[1])[None, :] - (lengths[:, None] - 1) / 2)[:, :, None] * mask
    slope = (t * centred).sum(1) / np.maximum((t**2).sum(1), 1e-12) * n
    rough = np.sqrt(((np.diff(v, axis=1) * mask[:, 1:]) ** 2).sum(1) / n)
    return np.hstack([mean, std, slope, rough])


def summary_classifier():
    return Pipeline(
        [
            ("summaries", FunctionTransformer(summaries)),
            ("scale", StandardScaler()),
            ("clf", LogisticRegression(max_iter=1000)),
        ]
    )


@pytest.fixture(scope="module")
def small_data():
    return make_imbalanced_sequences(60, min_length=4, max_length=10, random_state=0)


def test_pipeline_grid_search_over_lambda_and_mu():
    X, y = make_imbalanced_sequences(
        120, weights=[0.75], min_length=5, max_length=12, random_state=1
    )
    # the canonical use: the over-sampler before the library's seq2seq classifier
    clf = Seq2SeqClassifier(hidden_size=8, max_epochs=3, random_state=0)
    pipe = Pipeline([("gan", SeqGANOverSampler(**FAST)), ("clf", clf)])
    grid = GridSearchCV(
        pipe,
        {"gan__lambda_gp": [1, 10], "gan__mu": [0.1, 1]},
        scoring="f1",
        cv=StratifiedKFold(2, shuffle=True, random_state=0),
    ).fit(X, y)
    assert set(grid.cv_results_["param_gan__mu"]) == {0.1, 1}
    assert grid.best_estimator_.named_steps["gan"].gan_ is not None
    assert np.isfinite(grid.cv_results_["mean_test_score"]).all()


@pytest.fixture(scope="module")
def signature_run():
    """The paper's setting on data with a known minority pattern (the data set's
    minority has a sine of period 6 on one feature and a ramp on another);
    defaults except a smaller code size, so it trains in well under a minute."""
    X, y = make_imbalanced_sequences(
        400, weights=[0.8], min_length=20, max_length=30, random_state=0
    )
    sampler = SeqGANOverSampler(n_per_sample=3, hidden_size=32, random_state=0)
    X_res, y_res = sampler.fit_resample(X, y)
    return X, y, X_res, y_res, sampler


def test_synthetic_samples_carry_minority_signature(signature_run):
    X, y, X_res, y_res, sampler = signature_run
    n = len(y)
    assert (y_res[n:] == 1).all() and len(y_res) - n == 3 * (y == 1).sum()
    clf = summary_classifier().fit(X, y)
    assert clf.score(X, y) > 0.95  # the signature is learnable from real data
    rate = (clf.predict(X_res[n:]) == 1).mean()
    assert rate >= 0.9, f"only {rate:.0%} of synthetic sequences look like the minority"


def test_synthetic_samples_are_not_copies(signature_run):
    X, y, X_res, y_res, sampler = signature_run
    n = len(y)
    real = check_sequences(X)
    new = check_sequences(X_res[n:])
    # synthetic sequences keep their source's length
    np.testing.assert_array_equal(new.lengths, real.lengths[sampler.sources_])
    flat_real = real.values.reshape(n, -1)
    flat_new = new.values.reshape(len(new.lengths), -1)
    dist = np.sqrt(((flat_new[:, None, :] - flat_real[None, :, :]) ** 2).mean(axis=2))
    # typical distance between two different real minority sequences
    minority = flat_real[y == 1]
    spread = np.sqrt(((minority[:, None] - minority[None]) ** 2).mean(axis=2))
    typical = np.median(spread[np.triu_indices(len(minority), 1)])
    # measured: nearest 28% (closest) to 40% (median) of that distance away
    assert dist.min() > 0.15 * typical
    # and the noise makes the three children of one source differ
    first = np.flatnonzero(sampler.sources_ == sampler.sources_[0])
    assert not np.allclose(flat_new[first[0]], flat_new[first[1]])


def test_history_records_losses(signature_run):
    *_, sampler = signature_run
    history = sampler.history_
    assert len(history) > 10
    ae = history[:, "autoencoder_loss"]
    assert np.isfinite(ae).all() and ae[-1] < 0.5 * ae[0]
    critic = [v for v in history[:, "critic_loss"] if v is not None]
    generator = [v for v in history[:, "generator_loss"] if v is not None]
    assert len(critic) == len(generator) == len(history)
    assert history[-1, "steps"] == sampler.max_steps == sampler.gan_.n_steps_


def test_label_sequence_mode_generates_plausible_labels():
    X, Y = make_imbalanced_sequences(
        300,
        weights=[0.75],
        min_length=12,
        max_length=20,
        label_sequence_length=4,
        random_state=0,
    )
    sampler = SeqGANOverSampler(
        label_sequences=True, n_per_sample=2, hidden_size=16, max_steps=450, random_state=0
    )
    X_res, Y_res = sampler.fit_resample(X, Y)
    n = len(Y)
    minority = (Y != 0).any(axis=1)
    assert Y_res.shape == (n + 2 * minority.sum(), 4)
    synthetic = Y_res[n:]
    assert set(np.unique(synthetic)) <= set(np.unique(Y))
    # every synthetic label sequence stays minority (not the all-zero majority)
    assert (synthetic != 0).any(axis=1).all()
    # Per-step frequency of the minority label: with ~150 synthetic sequences the
    # sampling error of a frequency is at most 0.5 / sqrt(150) = 0.04; 0.15 allows
    # that three times over plus a decoder that is not perfect after 450 steps.
    real_freq = (Y[minority] == 1).mean(axis=0)
    synthetic_freq = (synthetic == 1).mean(axis=0)
    np.testing.assert_allclose(synthetic_freq, real_freq, atol=0.15)
    assert sampler.label_classes_.tolist() == [0, 1]


def test_label_sequence_mode_needs_the_switch(small_data):
    X, _ = small_data
    rng = np.random.default_rng(0)
    Y = rng.integers(0, 3, size=(len(X), 4))
    with pytest.raises(ValueError):  # imbalanced-learn's multilabel/multioutput error
        SeqGANOverSampler(**FAST).fit_resample(X, Y)
    with pytest.raises(ValueError, match="single distinct label sequence"):
        SeqGANOverSampler(label_sequences=True, **FAST).fit_resample(X, np.zeros((len(X), 4)))


def test_pickle_round_trip_generates_the_same(small_data):
    X, y = small_data
    sampler = SeqGANOverSampler(**FAST)
    sampler.fit_resample(X, y)
    loaded = pickle.loads(pickle.dumps(sampler))
    seqs = check_sequences(X)
    a = sampler.gan_.generate(seqs.values, seqs.lengths, rng=3)[0]
    b = loaded.gan_.generate(seqs.values, seqs.lengths, rng=3)[0]
    np.testing.assert_array_equal(a, b)
    np.testing.assert_array_equal(
        sampler.gan_.critic_score(seqs.values, seqs.lengths),
        loaded.gan_.critic_score(seqs.values, seqs.lengths),
    )


def test_random_state_gives_identical_results_and_input_untouched(small_data):
    X, y = small_data
    X_before, y_before = X.copy(), y.copy()
    X1, y1 = SeqGANOverSampler(**FAST).fit_resample(X, y)
    X2, y2 = SeqGANOverSampler(**FAST).fit_resample(X, y)
    np.testing.assert_array_equal(X1, X2)  # NaN padding compares equal here
    np.testing.assert_array_equal(y1, y2)
    np.testing.assert_array_equal(X, X_before)
    np.testing.assert_array_equal(y, y_before)
    X3, _ = SeqGANOverSampler(**{**FAST, "random_state": 1}).fit_resample(X, y)
    assert not np.array_equal(X1, X3, equal_nan=True)


def test_originals_first_unchanged_and_container_kept(small_data):
    X, y = small_data
    X32 = X.astype(np.float32)
    X_res, y_res = SeqGANOverSampler(**FAST).fit_resample(X32, y)
    assert X_res.dtype == np.float32
    np.testing.assert_array_equal(X_res[: len(X)], X32)
    assert not np.isnan(check_sequences(X_res).values).any()
    as_list = unpad_sequences(X)
    L_res, y_list = SeqGANOverSampler(**FAST).fit_resample(as_list, y)
    assert isinstance(L_res, list) and len(L_res) == len(y_list)
    for original, returned in zip(as_list, L_res[: len(X)], strict=True):
        np.testing.assert_array_equal(original, returned)


def test_pre_and_post_padding_give_the_same_synthetic_data(small_data):
    X, y = small_data  # post-padded
    X_pre = pad_sequences(unpad_sequences(X), padding="pre", max_length=X.shape[1])
    post_res, y_post = SeqGANOverSampler(**FAST).fit_resample(X, y)
    pre_res, y_pre = SeqGANOverSampler(**FAST).fit_resample(X_pre, y)
    np.testing.assert_array_equal(y_post, y_pre)
    assert np.isnan(pre_res[len(X) :, 0]).any()  # padding stayed at the front
    for a, b in zip(unpad_sequences(post_res), unpad_sequences(pre_res), strict=True):
        np.testing.assert_array_equal(a, b)


def test_n_per_sample_and_several_minority_classes():
    X, y = make_imbalanced_sequences(
        90, n_classes=3, weights=[0.7, 0.2], min_length=4, max_length=8, random_state=0
    )
    counts = np.bincount(y)
    sampler = SeqGANOverSampler(n_per_sample=2, **FAST)
    _, y_res = sampler.fit_resample(X, y)
    np.testing.assert_array_equal(np.bincount(y_res), [counts[0], 3 * counts[1], 3 * counts[2]])
    # each synthetic sequence takes its source's class
    np.testing.assert_array_equal(y_res[len(y) :], y[sampler.sources_])
    assert sampler.sampling_strategy_ == {1: 2 * counts[1], 2: 2 * counts[2]}


def test_verbose_prints_readable_losses(small_data, capsys):
    X, y = small_data
    SeqGANOverSampler(**{**FAST, "verbose": 1}).fit_resample(X, y)
    table = capsys.readouterr().out.splitlines()
    header = table[0].split()
    # the critic's total loss jumps with the lazy penalty: its parts are shown instead
    assert {"wasserstein", "gradient_penalty", "autoencoder_loss"} <= set(header)
    assert "critic_loss" not in header
    assert len(table) == 2 + FAST["max_steps"] // 3  # header, rule, one line per epoch
    assert "\x1b[" not in "".join(table)  # no colour codes outside a terminal

    SeqGANOverSampler(**{**FAST, "verbose": 2}).fit_resample(X, y)
    bar = capsys.readouterr().err
    assert f"{FAST['max_steps']}/{FAST['max_steps']}" in bar and "wasserstein=" in bar


def test_import_does_not_load_torch():
    code = (
        "import sys\n"
        "import imblearn_seqgan.over_sampling._seqgan\n"
        "from imblearn_seqgan.over_sampling import SeqGANOverSampler\n"
        "SeqGANOverSampler(max_steps=3).get_params()\n"
        "print('torch' in sys.modules)"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert out.strip() == "False"


class _NaNOnce(SequenceGAN):
    """Critic loss turns NaN at the given calls, as a diverging run would."""

    bad_calls = (2,)

    def train_step_critic(self, batch, step):
        self._calls = getattr(self, "_calls", 0) + 1
        out = super().train_step_critic(batch, step)
        if self._calls in self.bad_calls:
            out["critic_loss"] = float("nan")
        return out


def test_divergence_is_recovered_or_reported(small_data, monkeypatch):
    X, y = small_data
    seqs = check_sequences(X)
    gan = _NaNOnce(max_steps=12, hidden_size=8, num_layers=1, random_state=0)
    gan.fit(seqs.values, seqs.lengths)
    assert gan.history_[-1, "restarts"] == 1 and gan.n_steps_ == 12
    assert np.isfinite(gan.generate(seqs.values, seqs.lengths)[0]).all()

    class _AlwaysNaN(_NaNOnce):
        bad_calls = range(1000)

    with pytest.raises(FloatingPointError, match="diverged"):
        _AlwaysNaN(max_steps=12, hidden_size=8, num_layers=1, random_state=0).fit(
            seqs.values, seqs.lengths
        )


def test_bad_input_is_reported(small_data):
    X, y = small_data
    with pytest.raises(ValueError, match="different numbers|inconsistent"):
        SeqGANOverSampler(**FAST).fit_resample(X, y[:-1])
    with pytest.raises(ValueError, match="class"):
        SeqGANOverSampler(**FAST).fit_resample(X, np.zeros(len(X)))
    bad = X.copy()
    bad[3, 1, 2] = np.inf
    with pytest.raises(ValueError, match="sequence 3"):
        SeqGANOverSampler(**FAST).fit_resample(bad, y)


def test_gan_learns_from_every_sequence_of_the_class_it_over_samples(monkeypatch):
    """20 minority sequences, 5 to generate (``sampling_strategy={1: 25}``): the
    5 are made from 5 sources, but the GAN learns the class from all 20 (the
    paper trains it on the minority set)."""
    X, y = make_imbalanced_sequences(
        60, weights=[2 / 3], min_length=4, max_length=8, random_state=0
    )
    assert np.bincount(y).tolist() == [40, 20]
    trained_on = []
    fit = SequenceGAN.fit

    def recording_fit(self, values, lengths, *args, **kwargs):
        trained_on.append(np.array(values))
        return fit(self, values, lengths, *args, **kwargs)

    monkeypatch.setattr(SequenceGAN, "fit", recording_fit)
    sampler = SeqGANOverSampler(sampling_strategy={1: 25}, **FAST)
    _, y_res = sampler.fit_resample(X, y)
    assert np.bincount(y_res).tolist() == [40, 25]
    assert len(np.unique(sampler.sources_)) == 5
    (values,) = trained_on
    np.testing.assert_array_equal(values, check_sequences(X).values[y == 1])


def test_n_threads_applies_during_training_and_generation_only(small_data, monkeypatch):
    """The classifier's threads policy: ``n_threads`` (default 1) while the GAN
    trains and generates, the caller's count before and after."""
    X, y = small_data
    seen = []
    for method in ("fit", "generate"):
        original = getattr(SequenceGAN, method)

        def spy(self, *args, _original=original, **kwargs):
            seen.append(torch.get_num_threads())
            return _original(self, *args, **kwargs)

        monkeypatch.setattr(SequenceGAN, method, spy)
    torch.set_num_threads(2)
    try:
        SeqGANOverSampler(**FAST, n_threads=None).fit_resample(X, y)
        SeqGANOverSampler(**FAST).fit_resample(X, y)
        assert seen == [2, 2, 1, 1]
        assert torch.get_num_threads() == 2
    finally:
        torch.set_num_threads(1)


def test_exact_penalty_is_offered_beside_the_finite_difference(small_data):
    X, y = small_data
    exact = SeqGANOverSampler(**{**FAST, "max_steps": 24, "gp_every": 1})
    exact.set_params(penalty_estimate="exact").fit_resample(X, y)
    assert np.isfinite(exact.history_[:, "gradient_penalty"]).all()
    with pytest.raises(ValueError, match="penalty_estimate"):
        SeqGANOverSampler(**FAST, penalty_estimate="second_order").fit_resample(X, y)


def test_a_budget_below_the_needed_steps_warns_once_per_fit(small_data):
    import warnings

    from imblearn_seqgan._gan_estimator import MIN_GAN_STEPS, warn_short_budget

    X, y = small_data
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        SeqGANOverSampler(**FAST).fit_resample(X, y)
    budget = [w for w in caught if "max_steps" in str(w.message)]
    assert [str(w.message) for w in budget] == [
        f"SeqGANOverSampler(max_steps=6) trains the GAN for fewer than {MIN_GAN_STEPS} "
        "steps, too few for its samples to carry the minority's pattern reliably; set "
        "max_steps=900 (the default) or more (the user guide's 'A budget in steps' has "
        "the measurements)."
    ]
    assert budget[0].filename == __file__  # points at the caller's line
    # one step below the threshold warns, the threshold and the default do not
    # (checked without training)
    with pytest.warns(UserWarning, match=f"fewer than {MIN_GAN_STEPS} steps"):
        warn_short_budget(SeqGANOverSampler(max_steps=MIN_GAN_STEPS - 1), stacklevel=1)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        warn_short_budget(SeqGANOverSampler(max_steps=MIN_GAN_STEPS), stacklevel=1)
        warn_short_budget(SeqGANOverSampler(), stacklevel=1)


# -- generator variants (new_codes, decode, candidate_filter, a ratio for n_per_sample)


def test_n_per_sample_as_a_ratio(small_data):
    X, y = small_data
    n_minority = int((y == 1).sum())
    for ratio in (0.5, 1.5):
        sampler = SeqGANOverSampler(n_per_sample=ratio, **FAST)
        _, y_res = sampler.fit_resample(X, y)
        assert len(y_res) - len(y) == round(ratio * n_minority)
        assert sampler.sampling_strategy_ == {1: round(ratio * n_minority)}


def test_codes_from_neighbours_interpolate_within_the_class():
    X, y = make_imbalanced_sequences(
        120, weights=[0.6, 0.4], min_length=4, max_length=10, random_state=2
    )
    sampler = SeqGANOverSampler(new_codes="neighbours", k_neighbors=3, n_per_sample=2, **FAST)
    X_res, y_res = sampler.fit_resample(X, y)
    sources, partners = sampler.sources_, sampler.partners_
    assert len(partners) == len(sources) == len(y_res) - len(y)
    assert (partners != sources).all()
    np.testing.assert_array_equal(y[partners], y[sources])
    weights = sampler.interpolation_weights_
    assert ((weights >= 0) & (weights < 1)).all()
    # each partner is among the source's 3 nearest in the code space
    train = np.flatnonzero(y == 1)
    pooled = sampler.gan_.pooled_codes(
        check_sequences(X).values[train], check_sequences(X).lengths[train]
    )
    for source, partner in zip(sources[:10], partners[:10], strict=True):
        d = np.linalg.norm(pooled - pooled[np.searchsorted(train, source)], axis=1)
        rank = np.argsort(d).tolist().index(np.searchsorted(train, partner))
        assert 1 <= rank <= 3
    # synthetic sequences keep their source's length
    np.testing.assert_array_equal(
        check_sequences(X_res[len(y) :]).lengths, check_sequences(X).lengths[sources]
    )
    again = SeqGANOverSampler(new_codes="neighbours", k_neighbors=3, n_per_sample=2, **FAST)
    np.testing.assert_array_equal(again.fit_resample(X, y)[0], X_res)


def test_decoding_the_change_of_an_unchanged_code_returns_the_source(small_data):
    X, y = small_data
    sampler = SeqGANOverSampler(n_per_sample=1, **FAST)
    sampler.fit_resample(X, y)
    seqs = check_sequences(X)
    train = np.flatnonzero(y == 1)
    values, lengths = seqs.values[train], seqs.lengths[train]
    rows = np.arange(len(train))
    # interpolating a code with itself (w = 0) leaves it unchanged: x_s + D(c_s) - D(c_s)
    new, new_lengths, _, _ = sampler.gan_.generate(
        values,
        lengths,
        sources=rows,
        partners=rows,
        weights=np.zeros(len(rows)),
        decode="change",
        dtype=np.float64,
    )
    np.testing.assert_allclose(new, values, atol=1e-5)
    # while decoding the sequence itself gives the decoder's reconstruction
    decoded, _, _, _ = sampler.gan_.generate(
        values, lengths, sources=rows, partners=rows, weights=np.zeros(len(rows))
    )
    assert not np.allclose(decoded, values, atol=1e-2)


def test_decode_change_keeps_the_source_detail(small_data):
    X, y = small_data
    plain = SeqGANOverSampler(n_per_sample=1, **FAST)
    change = SeqGANOverSampler(n_per_sample=1, decode="change", **FAST)
    n = len(y)
    X_plain, _ = plain.fit_resample(X, y)
    X_change, _ = change.fit_resample(X, y)
    seqs = check_sequences(X)
    source = seqs.values[change.sources_]
    # the same GAN and noise: a change-decoded sequence is its source plus the
    # difference of two decodings, so it is nearer its source than the plain decoding
    near = np.abs(check_sequences(X_change[n:]).values - source).mean()
    far = np.abs(check_sequences(X_plain[n:]).values - source).mean()
    assert near < far


def test_candidate_filter_keeps_one_candidate_per_synthetic_sequence(small_data):
    X, y = small_data
    sampler = SeqGANOverSampler(
        n_per_sample=2, candidate_filter="realistic", n_candidates=3, **FAST
    )
    X_res, y_res = sampler.fit_resample(X, y)
    assert len(y_res) - len(y) == 2 * (y == 1).sum()
    assert (y_res[len(y) :] == 1).all()
    assert set(sampler.filter_diagnostics_) == {"valid_share", "groups_without_valid"}
    again = SeqGANOverSampler(n_per_sample=2, candidate_filter="realistic", n_candidates=3, **FAST)
    np.testing.assert_array_equal(again.fit_resample(X, y)[0], X_res)


def test_variants_in_label_sequence_mode():
    X, y = make_imbalanced_sequences(80, weights=[0.7], min_length=4, max_length=8, random_state=3)
    y_seq = np.stack([y, np.roll(y, 1) * y, y], axis=1)
    for params in (
        {"new_codes": "neighbours", "decode": "change"},
        {"candidate_filter": "realistic", "n_candidates": 2},
    ):
        sampler = SeqGANOverSampler(label_sequences=True, n_per_sample=1, **params, **FAST)
        X_res, y_res = sampler.fit_resample(X, y_seq)
        new = y_res[len(y) :]
        assert new.shape == (int((y_seq != 0).any(axis=1).sum()), 3)
        # every new label sequence is a minority one (not all zero)
        assert (new != 0).any(axis=1).all()
