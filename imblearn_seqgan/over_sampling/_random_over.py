"""Random over-sampling of whole sequences (imbalanced-learn's RandomOverSampler
draws which)."""

from __future__ import annotations

import numpy as np
from imblearn.over_sampling import RandomOverSampler
from imblearn.utils._docstring import Substitution

from ..base import BaseSequenceSampler, SyntheticSequences
from ..utils._docstring import SHARED_DOCS

__all__ = ["SequenceRandomOverSampler"]


@Substitution(**SHARED_DOCS)
class SequenceRandomOverSampler(BaseSequenceSampler):
    """Over-sample by duplicating whole sequences of any length, drawn at random.

    imbalanced-learn's :class:`~imblearn.over_sampling.RandomOverSampler` draws,
    with replacement, which sequences of each class are repeated; the copies are
    the sequences themselves, so lengths need not be equal.

    Read more in the :ref:`User Guide <sequence_samplers>`.

    Parameters
    ----------
    {sampling_strategy}
    {label_sequences}
        A copy keeps its label sequence.
    {padding_value}
    random_state : int, RandomState instance or None, default=None
        Passed to imbalanced-learn's RandomOverSampler: with an int, the same
        sequences are drawn from run to run.

    Attributes
    ----------
    sampling_strategy_ : dict
        Number of copies made for each class (in label-sequence mode,
        ``{{1: n}}`` for the minority).
    n_features_in_ : int
        Number of features per time step.
    sample_indices_ : ndarray of shape (n_resampled,)
        Index in ``X`` of every returned sequence: ``0 .. n_sequences - 1`` for
        the originals, then the sequence each copy repeats (imbalanced-learn's
        attribute).

    See Also
    --------
    SequenceSMOTE : New sequences between two of a class.
    SequenceAugmenter : New sequences transformed from one of a class.
    imblearn.over_sampling.RandomOverSampler : The same for flat samples.

    Examples
    --------
    >>> import numpy as np
    >>> from imblearn_seqgan.datasets import make_imbalanced_sequences
    >>> from imblearn_seqgan.over_sampling import SequenceRandomOverSampler
    >>> X, y = make_imbalanced_sequences(60, weights=[0.8], return_list=True, random_state=0)
    >>> sampler = SequenceRandomOverSampler(random_state=0)
    >>> X_res, y_res = sampler.fit_resample(X, y)
    >>> len(X_res), np.bincount(y_res)
    (96, array([48, 48]))
    >>> copy = sampler.sample_indices_[60]
    >>> bool(np.array_equal(X_res[60], X[copy]))
    True
    """

    _parameter_constraints: dict = {
        **BaseSequenceSampler._parameter_constraints,
        "random_state": ["random_state"],
    }

    def __init__(
        self,
        *,
        sampling_strategy="auto",
        label_sequences: bool = False,
        padding_value: float = np.nan,
        random_state=None,
    ):
        super().__init__(sampling_strategy=sampling_strategy)
        self.label_sequences = label_sequences
        self.padding_value = padding_value
        self.random_state = random_state

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.sampler_tags.sample_indices = True
        return tags

    def _fit_resample(self, X, y) -> SyntheticSequences:
        """Draw the sequences to repeat.

        Parameters
        ----------
        X : Sequences
            The validated sequences.
        y : ndarray of shape (n_sequences,) or (n_sequences, L)
            Class labels, or label sequences with ``label_sequences=True``.

        Returns
        -------
        synthetic : SyntheticSequences
            The copies and their labels (label sequences).
        """
        groups = self._sampling_target(y)
        n = len(groups)
        counts = {c: int(np.sum(groups == c)) for c in self.sampling_strategy_}
        sampler = RandomOverSampler(
            sampling_strategy={c: counts[c] + m for c, m in self.sampling_strategy_.items()},
            random_state=self.random_state,
        )
        # the sampler sees each sequence's index, so it never needs the values
        sampler.fit_resample(np.arange(n)[:, None], groups)
        self.sample_indices_ = sampler.sample_indices_
        new = self.sample_indices_[n:]
        if len(new) == 0:
            return SyntheticSequences.empty()
        return SyntheticSequences.from_arrays(X.values[new], X.lengths[new], y[new])
