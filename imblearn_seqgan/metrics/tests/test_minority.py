import numpy as np
import pytest
from sklearn.dummy import DummyClassifier
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import FunctionTransformer

from imblearn_seqgan.datasets import make_imbalanced_sequences
from imblearn_seqgan.metrics import minority_share, sequence_summaries


class _Fixed:
    """A fitted classifier whose predictions are given."""

    def __init__(self, predictions):
        self.predictions = np.asarray(predictions)

    def fit(self, X, y):
        return self

    def predict(self, X):
        return self.predictions[: len(X)]


def test_share_of_the_sequences_predicted_minority():
    X = np.zeros((5, 3, 2))
    assert minority_share(_Fixed([1, 0, 1, 1, 0]), X) == 0.6
    assert minority_share(_Fixed(["a", "b", "b", "b", "b"]), X, minority_label="a") == 0.2
    assert minority_share(_Fixed([0, 0, 0, 0, 0]), X) == 0.0


def test_real_minority_is_called_minority_and_the_majority_is_not():
    X, y = make_imbalanced_sequences(300, weights=[0.5], random_state=0)
    clf = make_pipeline(FunctionTransformer(sequence_summaries), LogisticRegression())
    clf.fit(X, y)
    X_new, y_new = make_imbalanced_sequences(100, weights=[0.5], random_state=1, return_list=True)
    minority = [s for s, label in zip(X_new, y_new, strict=True) if label == 1]
    majority = [s for s, label in zip(X_new, y_new, strict=True) if label == 0]
    assert minority_share(clf, minority) > 0.9
    assert minority_share(clf, majority) < 0.1
    # always-majority classifier: nothing is called minority
    always = DummyClassifier(strategy="constant", constant=0).fit(np.zeros((2, 1)), [0, 1])
    assert minority_share(always, np.zeros((4, 1))) == 0.0


def test_errors_name_the_problem():
    with pytest.raises(ValueError, match=r"one predicted label per sequence.*\(4, 3\)"):
        minority_share(_Fixed(np.zeros((4, 3))), np.zeros((4, 3, 1)))
    with pytest.raises(ValueError, match="at least one sequence"):
        minority_share(_Fixed([]), np.zeros((0, 3, 1)))
    with pytest.raises(ValueError, match="estimator"):
        minority_share(object(), np.zeros((4, 3, 1)))
