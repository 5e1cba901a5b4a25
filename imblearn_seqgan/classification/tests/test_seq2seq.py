"""Tests of Seq2SeqClassifier: the data contract, determinism (also in threads),
batch_size="auto", label sequences, and a minority F1 well above chance on learnable
data (the estimator checks are in imblearn_seqgan/tests/test_common.py)."""

import pickle
import warnings
from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pytest
import torch
from sklearn.base import clone
from sklearn.metrics import f1_score
from sklearn.model_selection import GridSearchCV, train_test_split
from sklearn.utils import compute_class_weight
from skorch.callbacks import EarlyStopping

from imblearn_seqgan.classification import Seq2SeqClassifier
from imblearn_seqgan.datasets import make_imbalanced_sequences
from imblearn_seqgan.ensemble import BalancedSequenceBaggingClassifier
from imblearn_seqgan.utils import pad_sequences, unpad_sequences


@pytest.fixture(scope="module")
def data():
    """300 sequences of 4 features, lengths 5-20, 10% minority with a sine/ramp
    signature, split in half (stratified)."""
    X, y = make_imbalanced_sequences(
        300, weights=[0.9], min_length=5, max_length=20, random_state=0
    )
    return train_test_split(X, y, test_size=0.5, stratify=y, random_state=0)


@pytest.fixture(scope="module")
def fitted(data):
    X_train, _, y_train, _ = data
    return Seq2SeqClassifier(hidden_size=16, max_epochs=5, random_state=0).fit(X_train, y_train)


def test_every_input_format_trains_the_same_model(data):
    X, _, y, _ = data
    sequences = unpad_sequences(X)
    formats = {
        "post": X,
        "pre": pad_sequences(sequences, padding="pre"),
        "list": sequences,
        "float32": X.astype(np.float32),
        "zero-padded": pad_sequences(sequences, padding_value=0.0, max_length=25),
    }
    reference = None
    for name, X_format in formats.items():
        padding_value = 0.0 if name == "zero-padded" else np.nan
        clf = Seq2SeqClassifier(
            hidden_size=8, max_epochs=2, random_state=0, padding_value=padding_value
        )
        proba = clf.fit(X_format, y).predict_proba(X_format)
        if reference is None:
            reference = proba
        np.testing.assert_array_equal(proba, reference, err_msg=name)


def test_padding_does_not_leak_into_predictions(fitted, data):
    _, X, _, _ = data
    proba = fitted.predict_proba(X)
    sequences = unpad_sequences(X)
    # Longer padding, the other side, and each sequence alone give the same output.
    longer = pad_sequences(sequences, padding="pre", max_length=X.shape[1] + 7)
    np.testing.assert_allclose(fitted.predict_proba(longer), proba, rtol=1e-5, atol=1e-6)
    alone = np.concatenate([fitted.predict_proba(seq[None]) for seq in sequences[:20]])
    np.testing.assert_allclose(alone, proba[:20], rtol=1e-5, atol=1e-6)
    # Garbage in the padding is ignored when padding is marked by another value.
    garbage = pad_sequences(sequences, padding_value=-999.0)
    fitted_999 = clone(fitted).set_params(padding_value=-999.0)
    fitted_999.fit(pad_sequences(unpad_sequences(data[0]), padding_value=-999.0), data[2])
    np.testing.assert_allclose(fitted_999.predict_proba(garbage), proba, rtol=1e-5, atol=1e-6)


def test_bidirectional_stacked_encoder_ignores_padding_too(data):
    X, X_test, y, _ = data
    clf = Seq2SeqClassifier(
        hidden_size=8, num_layers=2, bidirectional=True, dropout=0.2, max_epochs=2, random_state=0
    ).fit(X, y)
    assert clf.net_.module_.encoder.bidirectional
    proba = clf.predict_proba(X_test[:10])
    alone = np.concatenate([clf.predict_proba(seq[None]) for seq in unpad_sequences(X_test[:10])])
    np.testing.assert_allclose(alone, proba, rtol=1e-5, atol=1e-6)


def test_sequence_length_may_differ_between_fit_and_predict(fitted):
    rng = np.random.default_rng(0)
    longer = [rng.normal(size=(n, 4)) for n in (40, 3, 1)]
    proba = fitted.predict_proba(longer)
    assert proba.shape == (3, 2)
    np.testing.assert_allclose(proba.sum(axis=1), 1.0)


def test_caller_arrays_not_modified(data):
    X, _, y, _ = data
    X_list = unpad_sequences(X)
    copies = (X.copy(), [s.copy() for s in X_list], y.copy())
    clf = Seq2SeqClassifier(hidden_size=8, max_epochs=1, random_state=0)
    clf.fit(X, y).predict(X)
    clf.fit(X_list, y).predict_proba(X_list)
    np.testing.assert_array_equal(X, copies[0])
    for seq, copy in zip(X_list, copies[1], strict=True):
        np.testing.assert_array_equal(seq, copy)
    np.testing.assert_array_equal(y, copies[2])


def test_random_state_repeatable_and_global_rng_untouched(data):
    X, _, y, _ = data
    before = torch.random.get_rng_state()
    first = Seq2SeqClassifier(hidden_size=8, max_epochs=3, random_state=3).fit(X, y)
    second = Seq2SeqClassifier(hidden_size=8, max_epochs=3, random_state=3).fit(X, y)
    other = Seq2SeqClassifier(hidden_size=8, max_epochs=3, random_state=4).fit(X, y)
    assert torch.equal(torch.random.get_rng_state(), before)
    np.testing.assert_array_equal(first.predict_proba(X), second.predict_proba(X))
    assert not np.array_equal(first.predict_proba(X), other.predict_proba(X))


def test_n_threads_applies_during_fit_and_predict_only(data, monkeypatch):
    from imblearn_seqgan._nn._seq2seq import Seq2SeqNet

    X, _, y, _ = data
    seen = []
    for method in ("partial_fit", "forward"):
        original = getattr(Seq2SeqNet, method)

        def spy(self, *args, _original=original, **kwargs):
            seen.append(torch.get_num_threads())
            return _original(self, *args, **kwargs)

        monkeypatch.setattr(Seq2SeqNet, method, spy)
    torch.set_num_threads(2)
    Seq2SeqClassifier(hidden_size=4, max_epochs=1, n_threads=None).fit(X, y).predict(X)
    Seq2SeqClassifier(hidden_size=4, max_epochs=1).fit(X, y).predict(X)
    assert seen == [2, 2, 1, 1]
    assert torch.get_num_threads() == 2


def test_device_auto_and_bad_device(fitted, data):
    expected = "cuda" if torch.cuda.is_available() else "cpu"
    assert torch.device(fitted.net_.device).type == expected
    if not torch.cuda.is_available():
        with pytest.raises(ValueError, match="CUDA"):
            Seq2SeqClassifier(device="cuda", max_epochs=1).fit(data[0], data[2])


def test_internal_split_and_dropout_are_repeatable():
    X, y = make_imbalanced_sequences(
        120, weights=[0.8], min_length=4, max_length=12, random_state=0
    )

    def proba():
        clf = Seq2SeqClassifier(
            hidden_size=8,
            max_epochs=3,
            batch_size=16,
            train_split=0.25,
            dropout=0.3,
            random_state=0,
        )
        return clf.fit(X, y).predict_proba(X), clf.history_[:, "valid_loss"]

    (first, first_valid), (second, second_valid) = proba(), proba()
    np.testing.assert_array_equal(first, second)
    assert first_valid == second_valid


def test_fits_in_threads_equal_fits_one_after_another():
    X, y = make_imbalanced_sequences(
        120, weights=[0.8], min_length=4, max_length=12, random_state=0
    )

    def fit(seed):
        clf = Seq2SeqClassifier(hidden_size=8, max_epochs=4, batch_size=16, random_state=seed)
        return clf.fit(X, y).predict_proba(X)

    seeds = [0, 1, 2, 3]
    alone = [fit(seed) for seed in seeds]
    with ThreadPoolExecutor(max_workers=len(seeds)) as pool:
        together = list(pool.map(fit, seeds))
    for seed, a, b in zip(seeds, alone, together, strict=True):
        np.testing.assert_array_equal(a, b, err_msg=f"random_state={seed}")
    assert not np.array_equal(alone[0], alone[1])  # the seeds do differ


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
        Seq2SeqClassifier(hidden_size=4, max_epochs=1, batch_size=64, device="cpu", random_state=0)
        .fit(X, y)
        .predict_proba(X),
        clf.predict_proba(X),
    )


def test_pickle_round_trip_predicts_the_same(fitted, data):
    X = data[1]
    loaded = pickle.loads(pickle.dumps(fitted))
    np.testing.assert_array_equal(loaded.predict_proba(X), fitted.predict_proba(X))
    assert next(loaded.net_.module_.parameters()).device.type in ("cpu", "cuda")


def test_history_records_losses_and_stratified_validation(data):
    X, _, y, _ = data
    clf = Seq2SeqClassifier(
        hidden_size=8,
        max_epochs=30,
        train_split=0.3,
        callbacks=[EarlyStopping(patience=2, threshold=0.5)],
        random_state=0,
    ).fit(X, y)
    assert "valid_loss" in clf.history_[-1]
    # EarlyStopping on the validation loss stopped before max_epochs.
    assert len(clf.history_) < 30
    # Stratified: the minority is present in the validation batches.
    valid_size = sum(
        b["valid_batch_size"] for b in clf.history_[0]["batches"] if "valid_batch_size" in b
    )
    assert valid_size == pytest.approx(0.3 * len(y), abs=1)


def test_default_uses_all_training_data(fitted, data):
    n_train = len(data[2])
    assert sum(b["train_batch_size"] for b in fitted.history_[0]["batches"]) == n_train
    assert "valid_loss" not in fitted.history_[-1]


def test_balanced_class_weight_from_training_labels(fitted, data):
    y = data[2]
    expected = compute_class_weight("balanced", classes=np.array([0, 1]), y=y)
    np.testing.assert_allclose(fitted.class_weight_, expected[None, :])
    assert fitted.class_weight_[0, 1] > 4 * fitted.class_weight_[0, 0]


def test_explicit_and_per_position_class_weight(data):
    X, _, y, _ = data
    clf = Seq2SeqClassifier(class_weight={1: 5.0}, max_epochs=1, hidden_size=4).fit(X, y)
    np.testing.assert_allclose(clf.class_weight_, [[1.0, 5.0]])
    clf.set_params(class_weight=None).fit(X, y)
    np.testing.assert_allclose(clf.class_weight_, [[1.0, 1.0]])
    y2 = np.stack([y, np.zeros_like(y), 2 * y], axis=1)
    clf.set_params(class_weight=[{1: 3.0}, None, {2: 7.0}]).fit(X, y2)
    np.testing.assert_allclose(clf.class_weight_, [[1, 3], [1, 0], [1, 7]])
    with pytest.raises(ValueError, match="list of one dict per output position"):
        clf.set_params(class_weight={1: 2.0}).fit(X, y2)
    with pytest.raises(ValueError, match="has 1 dicts but y has 3 output positions"):
        clf.set_params(class_weight=[{1: 2.0}]).fit(X, y2)


def test_divergence_stops_with_a_clear_error(data):
    X, _, y, _ = data
    with pytest.raises(FloatingPointError, match="diverged.*Lower lr"):
        Seq2SeqClassifier(optimizer=torch.optim.SGD, lr=1e38, max_epochs=3).fit(X, y)
    # Finite in float64 but infinite once cast to float32 for the network.
    with (
        pytest.warns(UserWarning, match=r"far from unit scale.*feature 0 \(inf\)"),
        pytest.raises(ValueError, match="beyond float32's range.*sequence 0, time step 0"),
    ):
        Seq2SeqClassifier(max_epochs=1).fit(X * 1e300, y)


def test_features_far_from_unit_scale_warn_naming_them(data):
    """Raw units saturate the LSTM (on Crop in units it learned nothing): fit says which
    features and what to do; unit-scale data and the scaler in front stay silent."""
    from sklearn.pipeline import make_pipeline

    from imblearn_seqgan.preprocessing import SequenceStandardScaler

    X, _, y, _ = data
    X_units = X.copy()
    X_units[:, :, 2] = 240.0 + 3.0 * X[:, :, 2]  # a voltage in volts (padding stays NaN)
    passed = X_units.copy()
    clf = Seq2SeqClassifier(hidden_size=8, max_epochs=1, random_state=0)
    with pytest.warns(
        UserWarning, match=r"far from unit scale.*feature 2 \(24\d\)\. .*SequenceStandardScaler"
    ):
        clf.fit(X_units, y)
    np.testing.assert_array_equal(X_units, passed)  # the input is not modified
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        clf.fit(X, y)
        make_pipeline(SequenceStandardScaler(), clf).fit(X_units, y)
    # an ensemble warns once for all of X, not once per member
    ensemble = BalancedSequenceBaggingClassifier(clf, n_estimators=3, random_state=0)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        ensemble.fit(X_units, y)
    messages = [str(w.message) for w in caught if "far from unit scale" in str(w.message)]
    assert len(messages) == 1 and messages[0].startswith("BalancedSequenceBaggingClassifier")


def test_string_labels(data):
    X, _, y, _ = data
    labels = np.where(y == 1, "rare", "common")
    clf = Seq2SeqClassifier(hidden_size=8, max_epochs=2, random_state=0).fit(X, labels)
    assert list(clf.classes_) == ["common", "rare"]
    assert set(clf.predict(X)) <= {"common", "rare"}


def test_bad_targets_are_rejected_with_a_clear_message(data):
    X, _, y, _ = data
    clf = Seq2SeqClassifier(max_epochs=1)
    with pytest.raises(ValueError, match="only one class"):
        clf.fit(X, np.zeros_like(y))
    with pytest.raises(ValueError, match="different numbers of sequences"):
        clf.fit(X, np.stack([y, y], axis=1)[:-1])
    with pytest.raises(ValueError, match="Unknown label type"):
        clf.fit(X, np.linspace(0, 1, len(y)))
    with pytest.raises(ValueError, match="all label sequences must have the same length"):
        clf.fit(X[:2], [[0, 1], [1]])


def test_label_sequences_end_to_end():
    X, y = make_imbalanced_sequences(
        400, weights=[0.8], min_length=5, max_length=20, label_sequence_length=3, random_state=1
    )
    X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.5, random_state=0)
    clf = Seq2SeqClassifier(hidden_size=32, max_epochs=20, random_state=0).fit(X_train, y_train)
    assert clf.n_outputs_ == 3
    assert [list(c) for c in clf.classes_] == [[0, 1]] * 3
    y_pred = clf.predict(X_test)
    assert y_pred.shape == y_test.shape
    proba = clf.predict_proba(X_test)
    assert len(proba) == 3
    for position_proba in proba:
        assert position_proba.shape == (len(X_test), 2)
        np.testing.assert_allclose(position_proba.sum(axis=1), 1.0)
    np.testing.assert_array_equal(y_pred, np.stack([p.argmax(axis=1) for p in proba], axis=1))
    assert clf.score(X_test, y_test) == np.mean(np.all(y_pred == y_test, axis=1))
    # Each position's minority label is the sine's sign a step further on; a
    # trivial predictor scores F1 <= 2p / (1 + p) ~ 0.2 at this prevalence; the
    # model measured 0.61-0.69 over 5 seeds.
    assert f1_score(y_test.ravel(), y_pred.ravel()) > 0.5


def test_label_sequences_with_different_classes_per_position(data):
    X, _, y, _ = data
    y2 = np.stack([y, np.where(y == 1, "b", "a"), np.full(len(y), 7)], axis=1).astype(object)
    clf = Seq2SeqClassifier(hidden_size=8, max_epochs=2, random_state=0).fit(X, y2)
    proba = clf.predict_proba(X)
    assert [p.shape[1] for p in proba] == [2, 2, 1]
    np.testing.assert_allclose(proba[2], 1.0)
    assert set(clf.predict(X)[:, 1]) <= {"a", "b"}


def test_minority_f1_well_above_chance_on_synthetic_data(data):
    X_train, X_test, y_train, y_test = data
    clf = Seq2SeqClassifier(hidden_size=32, max_epochs=20, random_state=0).fit(X_train, y_train)
    assert f1_score(y_test, clf.predict(X_test)) > 0.6


# The same held-out split of real data as the ensemble's test: each family's
# test stands alone and states its own model.
def test_minority_f1_well_above_chance_on_japanese_vowels():
    pytest.importorskip("aeon")
    from imblearn_seqgan.datasets import load_japanese_vowels

    X, y = load_japanese_vowels(minority_fraction=0.05, random_state=0)
    X_train, X_test, y_train, y_test = train_test_split(
        X, y, test_size=0.5, stratify=y, random_state=0
    )
    clf = Seq2SeqClassifier(hidden_size=32, max_epochs=40, random_state=0).fit(X_train, y_train)
    assert f1_score(y_test, clf.predict(X_test)) > 0.6


def test_grid_search_and_clone(data):
    X, _, y, _ = data
    search = GridSearchCV(
        Seq2SeqClassifier(max_epochs=3, random_state=0),
        {"hidden_size": [4, 8], "num_layers": [1, 2]},
        cv=2,
        scoring="f1",
    ).fit(X, y)
    assert set(search.cv_results_["param_hidden_size"]) == {4, 8}
    best = search.best_estimator_
    assert best.net_.module_.encoder.num_layers == best.num_layers
    assert clone(best).get_params() == best.get_params()


def test_verbose_prints_the_epoch_table(data, capsys):
    X, _, y, _ = data
    Seq2SeqClassifier(hidden_size=4, max_epochs=2, verbose=1, random_state=0).fit(X, y)
    out = capsys.readouterr().out
    assert "train_loss" in out and out.count("\n") >= 4
    assert "\x1b[" not in out  # no colour codes when stdout is not a terminal
    Seq2SeqClassifier(hidden_size=4, max_epochs=2, random_state=0).fit(X, y)
    assert capsys.readouterr().out == ""


def test_gpu_fitted_model_unpickles_on_a_cpu_only_machine(fitted, data, monkeypatch):
    """A model fitted on CUDA, loaded where torch has no CUDA: no warning, same
    predictions. Simulated: a CPU fit whose net says it lives on "cuda" (what a GPU
    fit stores), loaded with ``torch.cuda.is_available`` reporting False."""
    _, X_test, _, _ = data
    expected = fitted.predict_proba(X_test)
    gpu_fitted = pickle.loads(pickle.dumps(fitted))
    gpu_fitted.net_.device = "cuda"
    blob = pickle.dumps(gpu_fitted)
    monkeypatch.setattr(torch.cuda, "is_available", lambda: False)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        loaded = pickle.loads(blob)
        proba = loaded.predict_proba(X_test)
    assert loaded.net_.device == "cpu"
    if torch.device(fitted.net_.device).type == "cuda":
        # a real GPU fit (device="auto" on a GPU machine): CUDA's and the CPU's
        # arithmetic differ in the last digits (8e-6 on an H200)
        np.testing.assert_allclose(proba, expected, atol=1e-4)
    else:
        np.testing.assert_array_equal(proba, expected)


# The defect exists only on CUDA (cuDNN's weight buffer); it ran on an H200, see
# docs/_static/gpu_h200/tests_after_fix.log.
@pytest.mark.skipif(not torch.cuda.is_available(), reason="needs a CUDA device")
def test_unpickled_on_cuda_keeps_cudnn_weights_in_one_buffer(fitted, data):
    """torch.load places an LSTM's weights one tensor at a time; unless they are
    compacted again, every call on CUDA warns and copies them."""
    _, X_test, _, _ = data
    loaded = pickle.loads(pickle.dumps(fitted))
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        np.testing.assert_allclose(loaded.predict_proba(X_test), fitted.predict_proba(X_test))
