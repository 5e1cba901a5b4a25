"""scikit-learn's and imbalanced-learn's estimator checks, and the parameter docs, of
every public estimator of the package.

The estimators are found, not listed: each family's ``__all__`` is walked and every
public class that is a scikit-learn estimator defined here is checked, as
imbalanced-learn's ``imblearn.utils.testing.all_estimators`` finds its own. Each
gets small budgets by parameter name (scikit-learn's own common tests set
``max_iter`` the same way), so a check trains in about a second; the family tests
beside each estimator test what it does.
"""

import inspect

import pytest
from imblearn.utils.estimator_checks import estimator_checks_generator
from sklearn.base import BaseEstimator, is_outlier_detector
from sklearn.utils.estimator_checks import parametrize_with_checks

import imblearn_seqgan
from imblearn_seqgan.base import BaseSequenceSampler, LabelSequenceScoreMixin
from imblearn_seqgan.classification import Seq2SeqClassifier


def all_estimators():
    """``(name, class)`` of every public estimator, sorted by name."""
    found = {}
    for package in imblearn_seqgan.__all__:
        module = getattr(imblearn_seqgan, package)
        if not inspect.ismodule(module):
            continue
        for name in module.__all__:
            cls = getattr(module, name)
            if (
                inspect.isclass(cls)
                and issubclass(cls, BaseEstimator)
                and cls.__module__.startswith("imblearn_seqgan.")
                and not inspect.isabstract(cls)
            ):
                found[name] = cls
    return sorted(found.items())


# Small and quick, wherever an estimator has the parameter: the classifiers reach the
# checks' accuracy on their blobs (> 0.83); the GANs take a few gradient steps,
# enough for every code path.
SMALL = dict(
    hidden_size=16,
    num_layers=1,
    max_epochs=10,
    max_steps=6,
    lr=0.03,
    batch_size=64,
    n_estimators=2,
    random_state=0,
)


def small(cls):
    """An instance of ``cls`` with the ``SMALL`` settings it has parameters for; a
    meta-estimator's member is the default classifier, made small the same way."""
    params = cls().get_params(deep=False)
    settings = {key: value for key, value in SMALL.items() if key in params}
    if "estimator" in params:
        settings["estimator"] = small(Seq2SeqClassifier).set_params(random_state=None)
    return cls(**settings)


ESTIMATORS = [small(cls) for _, cls in all_estimators()]

_SPARSE_DATAFRAME = (
    "Sequences are dense: a sparse DataFrame is rejected with a TypeError like any "
    "sparse input (input_tags.sparse is False; this imbalanced-learn check runs on "
    "the dataframe tag alone)."
)
_LABEL_SEQUENCES = (
    "A 2-D y holds label sequences, one per sequence (the paper's seq2seq setting): "
    "it is accepted by design, not rejected as multilabel/multioutput."
)


def expected_failed_checks(estimator):
    """{check name: why it is expected to fail} for ``estimator``."""
    if isinstance(estimator, BaseSequenceSampler):
        return {"check_samplers_pandas_sparse": _SPARSE_DATAFRAME}
    if isinstance(estimator, LabelSequenceScoreMixin):
        return {"check_classifier_on_multilabel_or_multioutput_targets": _LABEL_SEQUENCES}
    return {}


def test_estimators_are_found():
    names = [name for name, _ in all_estimators()]
    for name in imblearn_seqgan._LAZY:  # the top-level package's estimators
        assert name in names
    assert "BaseSequenceSampler" not in names and "LossWeightSchedule" not in names


# some of scikit-learn's checks scale their data by 100 on purpose; the warning that
# raw units draw is tested on its own (classification/tests/test_seq2seq.py)
@pytest.mark.filterwarnings("ignore:.*features far from unit scale:UserWarning")
@parametrize_with_checks(ESTIMATORS, expected_failed_checks=expected_failed_checks)
def test_sklearn_estimator_checks(estimator, check):
    check(estimator)


def _imblearn_checks(estimators):
    # imbalanced-learn's parametrize_with_checks hands pytest a generator, which
    # pytest deprecates; the same checks, as a list
    return [
        pytest.param(
            *params.values,
            marks=params.marks,
            id=f"{type(estimator).__name__}-{params.values[1].func.__name__}",
        )
        for estimator in estimators
        for params in _as_params(estimator)
    ]


def _as_params(estimator):
    for item in estimator_checks_generator(
        estimator,
        legacy=True,
        mark="xfail",
        expected_failed_checks=expected_failed_checks(estimator),
    ):
        yield item if hasattr(item, "values") else pytest.param(*item)


# imbalanced-learn's checks are for samplers and classifiers: an outlier detector's
# predict gives +1/-1, not the labels it was fitted on
@pytest.mark.parametrize(
    "estimator, check",
    _imblearn_checks([est for est in ESTIMATORS if not is_outlier_detector(est)]),
)
def test_imblearn_estimator_checks(estimator, check):
    check(estimator)


def _public_methods(cls):
    return [
        name
        for name, member in inspect.getmembers(cls, inspect.isfunction)
        if not name.startswith("_") and member.__module__.startswith("imblearn_seqgan.")
    ]


@pytest.mark.parametrize("name, cls", all_estimators())
def test_parameters_are_documented(name, cls):
    """numpydoc's validation: every parameter of the constructor and of each public
    method documented (PR01), none documented that does not exist (PR02)."""
    validate = pytest.importorskip("numpydoc.validate", reason="needs numpydoc").validate
    problems = []
    for target in [name] + [f"{name}.{method}" for method in _public_methods(cls)]:
        for code, message in validate(f"{cls.__module__}.{target}")["errors"]:
            if code in ("PR01", "PR02"):
                problems.append(f"{target}: {message}")
    assert not problems, "\n".join(problems)
