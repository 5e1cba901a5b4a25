"""imbalanced-learn samplers on flattened equal-length sequences, as the paper does
for its SMOTE and ADASYN baselines: each sequence of T steps x n features becomes
one vector of T*n values, the sampler runs, and new vectors are folded back."""

from __future__ import annotations

import numpy as np
from imblearn.base import BaseSampler
from imblearn.over_sampling import RandomOverSampler
from sklearn.base import clone

from imblearn_seqgan.utils import check_sequences, encode_label_sequences


class WrappingSampler(BaseSampler):
    """An over-sampler that runs another sampler (``sampler``) on sequences."""

    _sampling_type = "over-sampling"
    _parameter_constraints: dict = {"sampler": [object]}

    def __init__(self, sampler=None):
        self.sampler = sampler

    def fit_resample(self, X, y, **params):
        # BaseSampler.fit_resample validates X as 2-D and rejects sequences, so the
        # validation is check_sequences' (or the wrapped sampler's) in _fit_resample.
        return self._fit_resample(X, y)


class FlattenedSampler(WrappingSampler):
    """Apply an imbalanced-learn sampler to flattened equal-length sequences."""

    def _fit_resample(self, X, y):
        y = np.asarray(y)
        if y.ndim == 2:
            # label sequences: each distinct one is a class for the sampler
            codes, patterns = encode_label_sequences(y)
            X_res, codes_res = self._fit_resample(X, codes)
            return X_res, patterns[codes_res]
        seqs = check_sequences(X)
        lengths = seqs.lengths
        self.sampler_ = clone(self.sampler)
        if isinstance(self.sampler_, RandomOverSampler):
            # Duplicating whole sequences needs no flattening, so any lengths work.
            n = len(lengths)
            _, y_res = self.sampler_.fit_resample(np.arange(n)[:, None], y)
            new = self.sampler_.sample_indices_[n:]
            return seqs.append(seqs.values[new], lengths[new]), y_res
        if not (lengths == lengths[0]).all():
            raise ValueError(
                "FlattenedSampler needs sequences of equal length; got lengths "
                f"{lengths.min()} to {lengths.max()}."
            )
        n, t, f = seqs.values.shape
        flat_res, y_res = self.sampler_.fit_resample(seqs.values.reshape(n, t * f), y)
        new = flat_res[n:].reshape(-1, t, f)
        return seqs.append(new, np.full(len(new), t)), y_res
