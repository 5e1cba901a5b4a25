"""Tests of BalancedSequenceBaggingClassifier: balanced members, label sequences,
samplers before and inside the ensemble, parallel and Dask execution, members sharing a
GPU, and a minority F1 well above chance (the estimator checks are in
imblearn_seqgan/tests/test_common.py)."""

import pickle

import joblib
import numpy as np
import pytest
import torch
from imblearn import FunctionSampler
from imblearn.pipeline import Pipeline
from sklearn.base import clone
from sklearn.metrics import f1_score
from sklearn.model_selection import GridSearchCV, cross_val_score, train_test_split

from imblearn_seqgan.classification import Seq2SeqClassifier
from imblearn_seqgan.datasets import make_imbalanced_sequences
from imblearn_seqgan.ensemble import BalancedSequenceBaggingClassifier
from imblearn_seqgan.over_sampling import SequenceSMOTE
from imblearn_seqgan.utils import unpad_sequences, validate_sequences


@pytest.fixture(scope="module")
def data():
    X, y = make_imbalanced_sequences(
        300, weights=[0.9], min_length=5, max_length=20, random_state=0
    )
    return train_test_split(X, y, test_size=0.5, stratify=y, random_state=0)


def small_bag(**params):
    member = Seq2SeqClassifier(hidden_size=16, max_epochs=15)
    return BalancedSequenceBaggingClassifier(member, **{"n_estimators": 3, **params})


def duplicate_minority(X, y):
    """A sequence-aware sampler (3-D X as is): repeat every non-majority sequence."""
    values, counts = np.unique(y, return_counts=True)
    keep = y != values[counts.argmax()]
    return np.concatenate([X, X[keep]]), np.concatenate([y, y[keep]])


class CountingSampler(FunctionSampler):
    fits = 0

    def __init__(self):
        super().__init__(func=duplicate_minority, validate=False)

    def fit_resample(self, X, y, **params):
        type(self).fits += 1
        return super().fit_resample(X, y, **params)


def test_each_member_gets_all_minority_and_a_random_equal_part_of_majority(data):
    X, _, y, _ = data
    bag = small_bag(n_estimators=4, random_state=0).fit(X, y)
    minority = set(np.flatnonzero(y == 1))
    majority_parts = []
    for idx, member in zip(bag.estimators_samples_, bag.estimators_, strict=True):
        assert minority <= set(idx)
        majority = sorted(set(idx) - minority)
        assert len(majority) == len(minority)
        majority_parts.append(tuple(majority))
        assert member.n_features_in_ == X.shape[2]
    assert len(set(majority_parts)) == 4  # different random subsets
    # Members get their own seeds, derived from random_state.
    seeds = {m.random_state for m in bag.estimators_}
    assert len(seeds) == 4 and None not in seeds


def test_sampling_strategy_ratio_and_replacement(data):
    X, _, y, _ = data
    bag = small_bag(n_estimators=2, sampling_strategy=0.5, replacement=True, random_state=0)
    bag.set_params(estimator__max_epochs=1).fit(X, y)
    n_minority = int(y.sum())
    for idx in bag.estimators_samples_:
        assert len(idx) == n_minority + 2 * n_minority


def test_partition_splits_the_majority_into_disjoint_parts(data):
    X, _, y, _ = data
    bag = small_bag(n_estimators=3, sampling_strategy="partition", random_state=0)
    bag.set_params(estimator__max_epochs=1).fit(X, y)
    minority = set(np.flatnonzero(y == 1))
    parts = [set(idx) - minority for idx in bag.estimators_samples_]
    for idx in bag.estimators_samples_:
        assert minority <= set(idx)
    # disjoint, nearly equal, and together every majority sequence once
    assert sum(len(p) for p in parts) == len(set().union(*parts)) == int((y == 0).sum())
    assert max(map(len, parts)) - min(map(len, parts)) <= 1
    # a member's majority share does not depend on how much minority there is
    y_more = y.copy()
    y_more[np.flatnonzero(y == 0)[:5]] = 1
    bag_more = clone(bag).fit(X, y_more)
    sizes = [len(idx) - int(y_more.sum()) for idx in bag_more.estimators_samples_]
    assert sum(sizes) == int((y_more == 0).sum())


def test_partition_rejects_replacement_and_too_few_majority(data):
    X, _, y, _ = data
    with pytest.raises(ValueError, match="replacement=True"):
        small_bag(sampling_strategy="partition", replacement=True).fit(X, y)
    # the majority (label 0) has 2 sequences, too few for 3 parts
    with pytest.raises(ValueError, match="at least n_estimators=3 majority"):
        small_bag(n_estimators=3, sampling_strategy="partition").fit(X[:4], [0, 0, 1, 2])


def test_default_member_is_seq2seq_classifier(data):
    X, _, y, _ = data
    bag = BalancedSequenceBaggingClassifier(n_estimators=1, random_state=0)
    assert bag.estimator is None
    bag.set_params(n_estimators=1)
    with pytest.raises(ValueError, match="n_estimators"):
        BalancedSequenceBaggingClassifier(n_estimators=0).fit(X, y)
    assert isinstance(bag._make_member(0), Seq2SeqClassifier)


def test_multiclass_majority_against_the_rest():
    # The paper's definition for any y: the most frequent class is the majority,
    # every other class is minority and kept whole.
    X, y = make_imbalanced_sequences(
        120, n_classes=3, weights=[0.6, 0.3], min_length=3, max_length=6, random_state=0
    )
    bag = small_bag(n_estimators=2, random_state=0).set_params(estimator__max_epochs=1)
    bag.fit(X, y)
    for idx in bag.estimators_samples_:
        assert set(np.flatnonzero(y != 0)) <= set(idx)
        assert (y[idx] == 0).sum() == (y != 0).sum()
    assert bag.predict_proba(X).shape == (120, 3)


def test_list_input_and_pickle(data):
    X, X_test, y, _ = data
    bag = small_bag(random_state=0).fit(unpad_sequences(X), y)
    proba = bag.predict_proba(unpad_sequences(X_test))
    np.testing.assert_allclose(proba.sum(axis=1), 1.0)
    np.testing.assert_allclose(bag.predict_proba(X_test), proba, rtol=1e-5, atol=1e-6)
    loaded = pickle.loads(pickle.dumps(bag))
    np.testing.assert_array_equal(loaded.predict_proba(X_test), bag.predict_proba(X_test))


def test_series_of_sequences_from_a_grouped_long_table_in_cross_validation(data):
    # A long table (one row per time step) grouped by sequence id gives a pandas
    # Series of 2-D arrays indexed by the ids: usable as X as it is.
    pd = pytest.importorskip("pandas")
    X, _, y, _ = data
    sequences = unpad_sequences(X)
    long = pd.concat(
        [
            pd.DataFrame(seq, columns=["a", "b", "c", "d"]).assign(id=f"s{i:03d}")
            for i, seq in enumerate(sequences)
        ]
    )
    X_series = long.groupby("id")[["a", "b", "c", "d"]].apply(lambda g: g.to_numpy())
    assert X_series.index[0] == "s000" and X_series.dtype == object
    pipe = Pipeline(
        [("sampler", SequenceSMOTE(random_state=0)), ("bag", small_bag(random_state=0))]
    ).set_params(bag__estimator__max_epochs=2, bag__n_estimators=2)
    scores = cross_val_score(pipe, X_series, y, cv=2, scoring="average_precision")
    assert scores.shape == (2,) and np.all((scores >= 0) & (scores <= 1))
    # the same numbers as the list of the same sequences
    np.testing.assert_allclose(
        pipe.fit(X_series, y).predict_proba(X_series),
        clone(pipe).fit(sequences, y).predict_proba(sequences),
        rtol=1e-5,
        atol=1e-6,
    )


def test_label_sequences_majority_sequence_vs_the_rest():
    X, y = make_imbalanced_sequences(
        300, weights=[0.85], min_length=5, max_length=15, label_sequence_length=3, random_state=2
    )
    X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.5, random_state=0)
    bag = small_bag(random_state=0).fit(X_train, y_train)
    majority = np.all(y_train == 0, axis=1)
    for idx in bag.estimators_samples_:
        # Every non-majority label sequence, plus as many majority ones.
        assert set(np.flatnonzero(~majority)) <= set(idx)
        assert majority[idx].sum() == (~majority).sum()
    y_pred = bag.predict(X_test)
    assert y_pred.shape == y_test.shape
    assert bag.score(X_test, y_test) == np.mean(np.all(y_pred == y_test, axis=1))
    proba = bag.predict_proba(X_test)
    assert [p.shape for p in proba] == [(len(X_test), 2)] * 3
    np.testing.assert_allclose(sum(p.sum() for p in proba), 3 * len(X_test))
    # A trivial predictor gets F1 <= 2p / (1 + p) ~ 0.25 on these labels.
    assert f1_score(y_test.ravel(), y_pred.ravel()) > 0.5
    with pytest.raises(ValueError, match="sampling_strategy"):
        small_bag(sampling_strategy={0: 10}).fit(X_train, y_train)


def test_sampler_before_the_ensemble_is_fitted_once(data):
    X, X_test, y, _ = data
    CountingSampler.fits = 0
    pipe = Pipeline([("sampler", CountingSampler()), ("bag", small_bag(random_state=0))])
    pipe.fit(X, y)
    assert CountingSampler.fits == 1
    # The members saw the oversampled minority (two copies of each).
    assert len(pipe[-1].estimators_samples_[0]) == 4 * int(y.sum())
    assert pipe.predict(X_test).shape == (len(X_test),)


def test_sampler_inside_each_member(data):
    X, X_test, y, _ = data
    CountingSampler.fits = 0
    bag = small_bag(sampler=CountingSampler(), random_state=0).fit(X, y)
    assert CountingSampler.fits == 3
    member = bag.estimators_[0]
    assert isinstance(member, Pipeline)
    assert list(member.named_steps) == ["sampler", "classifier"]
    assert bag.predict_proba(X_test).shape == (len(X_test), 2)


def test_paper_compositions_with_the_gan_oversampler():
    from imblearn_seqgan.over_sampling import SeqGANOverSampler

    X, y = make_imbalanced_sequences(
        150, weights=[0.9], min_length=5, max_length=15, random_state=0
    )
    gan = SeqGANOverSampler(sampling_strategy=0.3, max_steps=20, hidden_size=8, random_state=0)
    member = Seq2SeqClassifier(hidden_size=8, max_epochs=3)
    # Trained once, before the ensemble: members see real + synthetic minority.
    pipe = Pipeline(
        [("gan", gan), ("bag", BalancedSequenceBaggingClassifier(member, n_estimators=2))]
    ).fit(X, y)
    n_minority_after = int(round(0.3 * (y == 0).sum()))
    assert [len(i) for i in pipe[-1].estimators_samples_] == [2 * n_minority_after] * 2
    assert pipe.predict(X).shape == (150,)
    # Inside each member, on that member's data (twice as much majority as minority,
    # which the member's GAN then balances).
    bag = BalancedSequenceBaggingClassifier(
        member,
        n_estimators=2,
        sampling_strategy=0.5,
        sampler=clone(gan).set_params(sampling_strategy="auto"),
        random_state=0,
    ).fit(X, y)
    for estimator in bag.estimators_:
        assert isinstance(estimator[0], SeqGANOverSampler)
        assert estimator[0].random_state is not None
    assert bag.predict_proba(X).shape == (150, 2)
    # Label sequences: the GAN's label-sequence mode, then the ensemble.
    X, Y = make_imbalanced_sequences(
        150, weights=[0.85], min_length=5, max_length=15, label_sequence_length=3, random_state=0
    )
    pipe = Pipeline(
        [
            ("gan", clone(gan).set_params(label_sequences=True, sampling_strategy=0.5)),
            ("bag", BalancedSequenceBaggingClassifier(member, n_estimators=2, random_state=0)),
        ]
    ).fit(X, Y)
    assert pipe.predict(X).shape == (150, 3)


def test_grid_search_over_member_parameters(data):
    X, _, y, _ = data
    search = GridSearchCV(
        small_bag(n_estimators=2, random_state=0).set_params(estimator__max_epochs=2),
        {"estimator__hidden_size": [4, 8]},
        cv=2,
        scoring="f1",
    ).fit(X, y)
    assert search.best_estimator_.estimators_[0].hidden_size in (4, 8)
    assert clone(search.best_estimator_).get_params()["estimator__hidden_size"] in (4, 8)


def test_probabilities_in_parallel_equal_those_of_one_job(data):
    X, X_test, y, _ = data
    bag = small_bag(random_state=0).set_params(estimator__max_epochs=2).fit(X, y)
    one_job = bag.predict_proba(X_test)
    with joblib.parallel_config(backend="loky"):
        in_parallel = bag.set_params(n_jobs=2).predict_proba(X_test)
    np.testing.assert_array_equal(in_parallel, one_job)


def test_members_fitted_on_a_dask_cluster(data):
    """The path a user takes when one machine is not enough: joblib's Dask backend."""
    distributed = pytest.importorskip("distributed")
    X, X_test, y, _ = data
    bag = small_bag(random_state=0).set_params(estimator__max_epochs=3)
    expected = clone(bag).fit(X, y).predict_proba(X_test)
    with (
        distributed.LocalCluster(
            n_workers=2, processes=True, threads_per_worker=1, dashboard_address=None
        ) as cluster,
        distributed.Client(cluster),
        joblib.parallel_config(backend="dask"),
    ):
        bag.set_params(n_jobs=-1).fit(X, y)
    np.testing.assert_array_equal(bag.predict_proba(X_test), expected)


# --- members sharing a GPU ---------------------------------------------------------
# fitted at once in threads with their own CUDA streams (share_gpu); on the CPU the
# members go through n_jobs


@pytest.fixture(scope="module")
def gpu_data():
    return make_imbalanced_sequences(
        200, weights=[0.85], min_length=4, max_length=12, random_state=0
    )


def bagging(device, share_gpu):
    member = Seq2SeqClassifier(hidden_size=8, max_epochs=3, batch_size=16, device=device)
    return BalancedSequenceBaggingClassifier(
        member, n_estimators=4, share_gpu=share_gpu, random_state=0
    )


def test_members_on_the_cpu_do_not_use_the_gpu_path(gpu_data, monkeypatch):
    def fail(*args, **kwargs):
        raise AssertionError("the CUDA-stream path ran for CPU members")

    monkeypatch.setattr(BalancedSequenceBaggingClassifier, "_fit_members_sharing_gpu", fail)
    X, y = gpu_data
    bag = bagging("cpu", share_gpu=True).fit(X, y)
    assert len(bag.estimators_) == 4


@pytest.mark.skipif(not torch.cuda.is_available(), reason="needs a CUDA device")
def test_members_sharing_a_gpu_match_members_one_after_another(gpu_data):
    X, y = gpu_data
    torch.manual_seed(123)
    rng_state, threads = torch.get_rng_state(), torch.get_num_threads()
    shared = bagging("cuda", share_gpu=True).fit(X, y)
    assert torch.equal(torch.get_rng_state(), rng_state)
    assert torch.get_num_threads() == threads
    alone = bagging("cuda", share_gpu=False).fit(X, y)
    assert all(next(m.net_.module_.parameters()).device.type == "cuda" for m in shared.estimators_)
    # Same seeds, same member data: the same models up to CUDA's rounding.
    np.testing.assert_allclose(shared.predict_proba(X), alone.predict_proba(X), atol=1e-3)


def test_members_fitted_in_threads_equal_members_one_after_another(gpu_data):
    """The threads of the GPU path, run on the CPU (no streams there): the same
    members, bit for bit, and the caller's torch RNG and thread count kept."""
    X, y = gpu_data
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


def test_minority_f1_well_above_chance_on_synthetic_data(data):
    X_train, X_test, y_train, y_test = data
    bag = BalancedSequenceBaggingClassifier(
        Seq2SeqClassifier(hidden_size=32, max_epochs=60), n_estimators=5, random_state=0
    ).fit(X_train, y_train)
    assert f1_score(y_test, bag.predict(X_test)) > 0.5


# The same held-out split of real data as the classifier's test: each family's
# test stands alone and states its own model.
def test_minority_f1_well_above_chance_on_japanese_vowels():
    pytest.importorskip("aeon")
    from imblearn_seqgan.datasets import load_japanese_vowels

    X, y = load_japanese_vowels(minority_fraction=0.05, random_state=0)
    X_train, X_test, y_train, y_test = train_test_split(
        X, y, test_size=0.5, stratify=y, random_state=0
    )
    bag = BalancedSequenceBaggingClassifier(
        Seq2SeqClassifier(hidden_size=32, max_epochs=60), n_estimators=5, random_state=0
    ).fit(X_train, y_train)
    assert f1_score(y_test, bag.predict(X_test)) > 0.5
