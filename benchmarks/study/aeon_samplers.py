"""aeon's time-series over-samplers (SMOTE, ADASYN, ESMOTE, OHIT) as imbalanced-learn
samplers on the library's sequences, so that the study can put them in a pipeline:
``Pipeline([("sampler", AeonSampler("esmote")), ("clf", classifier)])``.

aeon's samplers are collection transformers: ``fit_transform(X, y)`` on a
``(n_cases, 1, n_timepoints)`` array returns the tuple ``(X_resampled, y_resampled)``,
the input first, then new series for every class but the majority until each has
the majority's size. They take one channel and equal lengths only; this wrapper
refuses anything else with a message saying so.
"""

from __future__ import annotations

import importlib
import numbers
from collections import OrderedDict

import numpy as np
from imblearn.over_sampling.base import BaseOverSampler
from sklearn.utils._param_validation import StrOptions

from imblearn_seqgan.base import BaseSequenceSampler, SyntheticSequences

__all__ = ["AEON_SAMPLERS", "AeonSampler"]

# method -> aeon class in aeon.transformations.collection.imbalance
AEON_SAMPLERS = {"smote": "SMOTE", "adasyn": "ADASYN", "esmote": "ESMOTE", "ohit": "OHIT"}


class AeonSampler(BaseSequenceSampler):
    """One of aeon's over-samplers on univariate, equal-length sequences.

    Parameters
    ----------
    method : {"smote", "adasyn", "esmote", "ohit"}, default="esmote"
        aeon's ``SMOTE``, ``ADASYN``, ``ESMOTE`` (SMOTE along an elastic TWE
        alignment) or ``OHIT`` (high-density clusters, shrinkage covariances).
    sampling_strategy : float, str, dict or callable, default="auto"
        imbalanced-learn's; the number of new series per class it gives is
        handed to aeon's sampler (aeon's own is always "auto"). ADASYN spreads
        that number over the minority series, so it may differ by a few.
    random_state : int, RandomState instance or None, default=None
        Seed of aeon's sampler.
    params : dict or None, default=None
        Other parameters of aeon's class (e.g. ``{"n_neighbors": 3}``).
    label_sequences : bool, default=False
        Must stay False: aeon's samplers take one class per series.
    padding_value : float, default=np.nan
        Value marking padding steps of 3-D input.

    Attributes
    ----------
    sampler_ : aeon collection transformer
        The fitted aeon sampler.
    sampling_strategy_ : dict
        Number of new series per class.
    """

    _parameter_constraints: dict = {
        **BaseOverSampler._parameter_constraints,
        "method": [StrOptions(set(AEON_SAMPLERS))],
        "params": [dict, None],
        "label_sequences": ["boolean"],
        "padding_value": [numbers.Real],
    }

    def __init__(
        self,
        method="esmote",
        *,
        sampling_strategy="auto",
        random_state=None,
        params=None,
        label_sequences=False,
        padding_value=np.nan,
    ):
        self.method = method
        self.sampling_strategy = sampling_strategy
        self.random_state = random_state
        self.params = params
        self.label_sequences = label_sequences
        self.padding_value = padding_value

    def _fit_resample(self, X, y):
        name = AEON_SAMPLERS[self.method]
        if self.label_sequences:
            raise ValueError(f"aeon's {name} takes one class per series, not label sequences.")
        if X.n_features != 1:
            raise ValueError(
                f"aeon's {name} takes univariate series: X has {X.n_features} features per "
                "time step."
            )
        if not (X.lengths == X.lengths[0]).all():
            raise ValueError(
                f"aeon's {name} takes series of equal length: the lengths here run from "
                f"{X.lengths.min()} to {X.lengths.max()} (resample them first, e.g. with "
                "imblearn_seqgan.utils.resample_sequences)."
            )
        try:
            module = importlib.import_module("aeon.transformations.collection.imbalance")
        except ModuleNotFoundError as exc:
            raise ModuleNotFoundError(
                f"AeonSampler({self.method!r}) needs aeon: pip install aeon", name="aeon"
            ) from exc
        wanted = {c: int(n) for c, n in self.sampling_strategy_.items() if n > 0}
        if not wanted:
            return SyntheticSequences.empty()
        params = self.params or {}
        self.sampler_ = getattr(module, name)(random_state=self.random_state, **params)
        series = np.ascontiguousarray(X.values.transpose(0, 2, 1), dtype=np.float64)
        self.sampler_.fit(series, y)
        # aeon always balances every class to the majority's size; its transform
        # generates what sampling_strategy_ asks, so imbalanced-learn's counts go there
        self.sampler_.sampling_strategy_ = OrderedDict(sorted(wanted.items()))
        X_res, y_res = self.sampler_.transform(series, y)
        n = X.n_sequences
        new = np.asarray(X_res[n:]).transpose(0, 2, 1)
        return SyntheticSequences.from_arrays(new, np.full(len(new), new.shape[1]), y_res[n:])
