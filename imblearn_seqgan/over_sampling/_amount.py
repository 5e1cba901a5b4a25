"""``n_per_sample``: an amount of synthetic data per real sequence, shared by the
generating samplers (SeqGANOverSampler, LatentADASYN), which take it beside
imbalanced-learn's ``sampling_strategy``."""

from __future__ import annotations

from collections import Counter


class PerSampleAmountMixin:
    """Replaces ``sampling_strategy``'s counts by ``n_per_sample`` new sequences per
    sequence of each targeted class, when ``n_per_sample`` is set."""

    def _compute_sampling_strategy(self, target):
        """``sampling_strategy``'s counts, or ``n_per_sample`` per targeted sequence.

        Parameters
        ----------
        target : ndarray of shape (n_sequences,)
            The classes ``sampling_strategy`` refers to.

        Returns
        -------
        sampling_strategy : dict
            ``class -> number of new sequences``.
        """
        strategy = super()._compute_sampling_strategy(target)
        if self.n_per_sample is not None:
            counts = Counter(target.tolist())
            strategy = {c: int(round(self.n_per_sample * counts[c])) for c in strategy}
        return strategy
