"""Tests of the sequence-sampler template: one validation, one ``_fit_resample`` on
the validated arrays, one conversion back to the caller's containers."""

import warnings

import numpy as np
import pytest
from imblearn.pipeline import make_pipeline
from sklearn.base import clone
from sklearn.linear_model import LogisticRegression
from sklearn.utils import check_random_state

from imblearn_seqgan.base import BaseSequenceSampler, SyntheticSequences
from imblearn_seqgan.datasets import make_imbalanced_sequences
from imblearn_seqgan.utils import Sequences, pad_sequences, unpad_sequences


class RandomDuplication(BaseSequenceSampler):
    """Over-samples by copying randomly drawn sequences of each targeted class."""

    _parameter_constraints: dict = {
        **BaseSequenceSampler._parameter_constraints,
        "chunk_size": [int],
    }

    def __init__(
        self,
        *,
        sampling_strategy="auto",
        label_sequences=False,
        padding_value=np.nan,
        chunk_size=1000,
        random_state=None,
    ):
        super().__init__(sampling_strategy=sampling_strategy)
        self.label_sequences = label_sequences
        self.padding_value = padding_value
        self.chunk_size = chunk_size
        self.random_state = random_state

    def _fit_resample(self, X, y):
        self.calls_ = [*getattr(self, "calls_", []), (X, y)]
        rng = check_random_state(self.random_state)
        target = self._sampling_target(y)
        sources = np.concatenate(
            [
                rng.choice(np.flatnonzero(target == cls), size=n, replace=True)
                for cls, n in self.sampling_strategy_.items()
            ]
            or [np.zeros(0, dtype=np.intp)]
        ).astype(np.intp)
        self.sources_ = sources

        def chunks():  # a generator, as a sampler that generates chunk by chunk
            for start in range(0, len(sources), self.chunk_size):
                part = sources[start : start + self.chunk_size]
                yield X.values[part], X.lengths[part], y[part]

        return SyntheticSequences(X.lengths[sources], chunks())


def _data(n=40, label_sequences=False):
    return make_imbalanced_sequences(
        n,
        weights=(0.75,),
        min_length=3,
        max_length=9,
        n_features=2,
        label_sequence_length=4 if label_sequences else None,
        random_state=0,
    )


def _expected(X_list, sources):
    return [*X_list, *(X_list[i] for i in sources)]


def _object_array(sequences):
    held = np.empty(len(sequences), dtype=object)
    for i, seq in enumerate(sequences):
        held[i] = seq
    return held


@pytest.mark.parametrize(
    "container", ["post", "pre", "list", "list-of-float32", "object-array", "series"]
)
def test_round_trip_of_every_container(container):
    X, y = _data()
    sequences = unpad_sequences(X)
    if container in ("post", "pre"):
        X_in = pad_sequences(sequences, padding=container, padding_value=-5.0)
        sampler = RandomDuplication(random_state=0, padding_value=-5.0, chunk_size=3)
    else:
        dtype = np.float32 if container == "list-of-float32" else np.float64
        X_in = [s.astype(dtype) for s in sequences]
        if container == "object-array":
            X_in = _object_array(X_in)
        if container == "series":
            pd = pytest.importorskip("pandas")
            # a long table grouped into sequences: a Series of 2-D arrays, any index
            X_in = pd.Series(X_in, index=[f"id{i}" for i in range(len(X_in))], name="seq")
        sampler = RandomDuplication(random_state=0, chunk_size=3)
    ragged = container not in ("post", "pre")
    before = [np.copy(x) for x in X_in] if ragged else np.copy(X_in)
    X_res, y_res = sampler.fit_resample(X_in, y)

    n_new = sampler.sampling_strategy_[1]
    assert n_new == np.sum(y == 0) - np.sum(y == 1) > 0
    np.testing.assert_array_equal(y_res, np.r_[y, y[sampler.sources_]])
    expected = _expected(sequences, sampler.sources_)
    if ragged:
        # returned in the kind of collection given (a Series keeps its name)
        assert type(X_res) is type(X_in) and len(X_res) == len(expected)
        if container == "series":
            assert X_res.name == "seq"
        if container == "object-array":
            assert X_res.shape == (len(expected),)
        for got, want in zip(X_res, expected, strict=True):
            assert got.dtype == before[0].dtype
            np.testing.assert_array_equal(got, want.astype(got.dtype))
        for a, b in zip(X_in, before, strict=True):  # the caller's data is untouched
            np.testing.assert_array_equal(a, b)
    else:
        assert X_res.dtype == X_in.dtype
        want = pad_sequences(expected, padding=container, padding_value=-5.0)
        np.testing.assert_array_equal(X_res, want)
        np.testing.assert_array_equal(X_res[: len(X_in)], X_in)
        np.testing.assert_array_equal(X_in, before)


def test_label_sequences_round_trip_and_groups():
    X, Y = _data(label_sequences=True)
    sampler = RandomDuplication(label_sequences=True, random_state=0, chunk_size=4)
    X_res, Y_res = sampler.fit_resample(X, Y)
    target = sampler._sampling_target(Y)
    # the majority label sequence is group 0, every other label sequence group 1
    assert set(sampler.sampling_strategy_) == {1}
    assert np.all(target[sampler.sources_] == 1)
    np.testing.assert_array_equal(Y_res, np.r_[Y, Y[sampler.sources_]])
    np.testing.assert_array_equal(
        X_res, pad_sequences(_expected(unpad_sequences(X), sampler.sources_))
    )
    # a list of label sequences comes back as a list
    _, Y_list = clone(sampler).fit_resample(X, Y.tolist())
    assert Y_list == Y_res.tolist()


def test_fit_resample_validates_once_and_calls_fit_resample_once_with_arrays():
    X, y = _data()
    sampler = RandomDuplication(random_state=0)
    sampler.fit_resample(unpad_sequences(X), list(y))
    assert len(sampler.calls_) == 1
    X_seen, y_seen = sampler.calls_[0]
    assert isinstance(X_seen, Sequences)
    assert isinstance(X_seen.values, np.ndarray) and X_seen.values.ndim == 3
    assert isinstance(y_seen, np.ndarray) and y_seen.shape == (len(y),)
    assert sampler.n_features_in_ == 2


def test_y_and_two_d_X_come_back_in_the_callers_types():
    pd = pytest.importorskip("pandas", reason="needs: pip install pandas")
    rng = np.random.default_rng(0)
    X = pd.DataFrame(rng.normal(size=(20, 3)), columns=["a", "b", "c"])
    y = pd.Series([0] * 15 + [1] * 5, name="target")
    X_res, y_res = RandomDuplication(random_state=0).fit_resample(X, y)
    assert isinstance(X_res, pd.DataFrame) and list(X_res.columns) == ["a", "b", "c"]
    assert isinstance(y_res, pd.Series) and y_res.name == "target"
    assert len(X_res) == len(y_res) == 30
    _, y_list = RandomDuplication(random_state=0).fit_resample(X.to_numpy(), y.tolist())
    assert isinstance(y_list, list)


def test_one_vs_all_y_is_returned_encoded():
    X, y = make_imbalanced_sequences(
        40, n_classes=3, weights=(0.6, 0.3), max_length=10, random_state=0
    )
    y_ova = np.eye(3, dtype=int)[y]
    _, y_res = RandomDuplication(random_state=0).fit_resample(X, y_ova)
    assert y_res.shape == (3 * np.sum(y == 0), 3)
    np.testing.assert_array_equal(y_res.sum(axis=1), 1)


def test_nothing_to_generate():
    X, y = _data()
    strategy = {1: int(np.sum(y == 1))}  # as many as there are
    X_res, y_res = RandomDuplication(sampling_strategy=strategy).fit_resample(X, y)
    np.testing.assert_array_equal(X_res, X)
    np.testing.assert_array_equal(y_res, y)
    assert X_res is not X


def test_fit_computes_the_strategy_without_resampling():
    X, y = _data()
    sampler = RandomDuplication().fit(X, y)
    assert sampler.sampling_strategy_ == {1: int(np.sum(y == 0) - np.sum(y == 1))}
    assert not hasattr(sampler, "calls_")


def test_minority_of_one_sequence_warns_naming_the_class():
    X, y = _data()
    y = np.where(np.arange(len(y)) == np.flatnonzero(y == 1)[0], 7, 0)
    with pytest.warns(UserWarning, match="class 7 has a single sequence"):
        RandomDuplication(random_state=0).fit_resample(X, y)
    # a class of one sequence left out of the strategy is not over-sampled: no warning
    y[:3] = 5
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        RandomDuplication(sampling_strategy={5: 40}, random_state=0).fit_resample(X, y)


@pytest.mark.parametrize(
    "y, label_sequences, error",
    [
        (None, False, "RandomDuplication requires y to be passed"),
        (np.zeros(3), False, "different numbers of sequences: 40 and 3"),
        (np.linspace(0, 1, 40), False, "Unknown label type"),
        (np.zeros(40), True, r"expects y of shape \(n_sequences, L\)"),
        (np.zeros((40, 3)), True, "single distinct label sequence"),
        # label sequences without the switch: the error names it
        (np.eye(40, 3, dtype=int) + np.eye(40, 3, k=1, dtype=int), False, "label_sequences=True"),
        (np.tile([0, 2, 1], (40, 1)), False, "label_sequences=True"),
    ],
)
def test_bad_y(y, label_sequences, error):
    X, _ = _data()
    with pytest.raises(ValueError, match=error):
        RandomDuplication(label_sequences=label_sequences).fit_resample(X, y)


def test_in_an_imbalanced_learn_pipeline():
    X, y = make_imbalanced_sequences(
        60, weights=(0.8,), min_length=1, max_length=1, random_state=0
    )
    X2d = X[:, 0, :]
    pipe = make_pipeline(RandomDuplication(random_state=0), LogisticRegression())
    assert pipe.fit(X2d, y).score(X2d, y) > 0.5


def test_tags():
    tags = RandomDuplication().__sklearn_tags__()
    assert tags.input_tags.three_d_array
    assert not tags.input_tags.sparse
    assert not tags.input_tags.allow_nan
    assert not tags.non_deterministic  # no device: nothing trains on CUDA
