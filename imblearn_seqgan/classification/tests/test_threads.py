"""Seq2SeqClassifier fitted from several threads at once (an ensemble's members
sharing a GPU do so): each fit gives what it gives alone."""

from concurrent.futures import ThreadPoolExecutor

import numpy as np

from imblearn_seqgan.classification import Seq2SeqClassifier
from imblearn_seqgan.datasets import make_imbalanced_sequences


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
