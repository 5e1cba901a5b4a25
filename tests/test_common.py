"""scikit-learn's and imbalanced-learn's estimator checks on the library's estimators.

One place for both suites, as in scikit-learn's and imbalanced-learn's own
``tests/test_common.py``. Each estimator gets settings small enough that a check
trains in about a second; the family tests beside each estimator test what it does.
"""

import pytest
from imblearn.utils.estimator_checks import estimator_checks_generator
from sklearn.utils.estimator_checks import parametrize_with_checks

from imblearn_seqgan.classification import Seq2SeqClassifier
from imblearn_seqgan.ensemble import BalancedSequenceBaggingClassifier
from imblearn_seqgan.novelty import GANNoveltyDetector
from imblearn_seqgan.over_sampling import (
    LatentADASYN,
    SeqGANOverSampler,
    SequenceADASYN,
    SequenceAugmenter,
    SequenceRandomOverSampler,
    SequenceSMOTE,
)
from imblearn_seqgan.preprocessing import ToChannelsFirst

# Small and quick: the classifiers reach the checks' accuracy on their blobs
# (> 0.83); the GANs take a few gradient steps, enough for every code path.
CLASSIFIER = dict(hidden_size=16, max_epochs=10, batch_size=64, lr=0.03)

ESTIMATORS = [
    SeqGANOverSampler(max_steps=6, hidden_size=8, num_layers=1, batch_size=128, random_state=0),
    LatentADASYN(hidden_size=4, max_epochs=2, random_state=0),
    SequenceSMOTE(random_state=0),
    SequenceADASYN(random_state=0),
    SequenceRandomOverSampler(random_state=0),
    SequenceAugmenter(random_state=0),
    GANNoveltyDetector(hidden_size=4, num_layers=1, max_steps=3, random_state=0),
    Seq2SeqClassifier(**CLASSIFIER, random_state=0),
    BalancedSequenceBaggingClassifier(
        Seq2SeqClassifier(**CLASSIFIER), n_estimators=2, random_state=0
    ),
    ToChannelsFirst(),
]

# imbalanced-learn's checks are for samplers and classifiers; GANNoveltyDetector
# is an outlier detector (predict gives +1/-1, not the labels it was fitted on)
# (they yield no check for a transformer such as ToChannelsFirst)
IMBLEARN_CHECKED = [est for est in ESTIMATORS if not isinstance(est, GANNoveltyDetector)]

_LABEL_SEQUENCES = (
    "A 2-D y holds label sequences, one per sequence (the paper's seq2seq setting): "
    "it is accepted by design, not rejected as multilabel/multioutput."
)

# {estimator class name: {check name: why it is expected to fail}}
EXPECTED_FAILED_CHECKS = {
    sampler: {
        "check_samplers_pandas_sparse": (
            "Sequences are dense: a sparse DataFrame is rejected with a TypeError like "
            "any sparse input (input_tags.sparse is False; this imbalanced-learn check "
            "runs on the dataframe tag alone)."
        ),
    }
    for sampler in (
        "SeqGANOverSampler",
        "LatentADASYN",
        "SequenceSMOTE",
        "SequenceADASYN",
        "SequenceRandomOverSampler",
        "SequenceAugmenter",
    )
}
for classifier in ("Seq2SeqClassifier", "BalancedSequenceBaggingClassifier"):
    EXPECTED_FAILED_CHECKS[classifier] = {
        "check_classifier_on_multilabel_or_multioutput_targets": _LABEL_SEQUENCES
    }


def _expected_failed_checks(estimator):
    return EXPECTED_FAILED_CHECKS.get(type(estimator).__name__, {})


@parametrize_with_checks(ESTIMATORS, expected_failed_checks=_expected_failed_checks)
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
        expected_failed_checks=_expected_failed_checks(estimator),
    ):
        yield item if hasattr(item, "values") else pytest.param(*item)


@pytest.mark.parametrize("estimator, check", _imblearn_checks(IMBLEARN_CHECKED))
def test_imblearn_estimator_checks(estimator, check):
    check(estimator)
