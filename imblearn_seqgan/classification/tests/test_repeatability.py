"""random_state makes a CPU fit repeatable bit for bit, whatever the options."""

import numpy as np

from imblearn_seqgan.classification import Seq2SeqClassifier
from imblearn_seqgan.datasets import make_imbalanced_sequences


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
