"""ADASYN for sequences of any length (imbalanced-learn's ADASYN does the work)."""

from __future__ import annotations

import numpy as np
from imblearn.over_sampling import ADASYN
from imblearn.utils._docstring import Substitution

from ..utils._docstring import SHARED_DOCS
from ._interpolation import NEIGHBORS_CONSTRAINT, _ImblearnInterpolationSampler
from ._sequence_smote import _INTERPOLATION_ATTRIBUTES, _INTERPOLATION_NOTES

__all__ = ["SequenceADASYN"]


@Substitution(
    **SHARED_DOCS,
    notes=_INTERPOLATION_NOTES.replace("runs SMOTE", "runs SMOTE and ADASYN"),
    attributes=_INTERPOLATION_ATTRIBUTES.format(sampler="imblearn.over_sampling.ADASYN"),
)
class SequenceADASYN(_ImblearnInterpolationSampler):
    """ADASYN for multi-feature sequences of equal or different lengths.

    As :class:`SequenceSMOTE`, but each sequence ``x_i`` of the class is the base
    of a number of new sequences proportional to the share of other-class
    sequences among its ``n_neighbors`` nearest sequences (He et al., 2008), so
    sequences near the other classes get more. imbalanced-learn's
    :class:`~imblearn.over_sampling.ADASYN` makes every choice; this class brings
    the sequences to it and back.

    Read more in the :ref:`User Guide <sequence_samplers>`.

    Parameters
    ----------
    {sampling_strategy}
    n_neighbors : int or object, default=5
        ADASYN's K: the neighbourhood that measures how many other-class
        sequences surround a sequence, and the candidates it is interpolated
        with; or a nearest-neighbours estimator (as in imbalanced-learn). Every
        over-sampled class needs at least ``n_neighbors + 1`` sequences.
    label_sequences : bool, default=False
        Read a 2-D ``y`` of shape ``(n_sequences, L)`` as one label sequence per
        sequence (see Notes): the majority label sequence is the "other class"
        of ADASYN's ratio. When False, a 2-D ``y`` is read as imbalanced-learn
        does (one-vs-all encoded classes).
    {padding_value}
    random_state : int, RandomState instance or None, default=None
        Passed to imbalanced-learn's ADASYN: with an int, the same sequences are
        made from run to run.

    Attributes
    ----------
    {attributes}

    See Also
    --------
    SequenceSMOTE : New sequences spread evenly over the class.
    LatentADASYN : ADASYN in an autoencoder's latent space (the paper's).
    imblearn.over_sampling.ADASYN : ADASYN on flat feature vectors.

    Notes
    -----
    imbalanced-learn's ADASYN rounds each sequence's share of the new ones, so
    a class may get more or fewer new sequences than ``sampling_strategy`` asks
    for, by up to a few percent: the rounding errors of sequences with similar
    neighbourhoods go the same way (36,892 instead of 36,000 for 4,000 random
    minority sequences among 40,000; :class:`SequenceSMOTE` and
    :class:`LatentADASYN` make exactly what is asked). ``sampling_strategy_``
    holds what was asked; ADASYN raises an error
    when no sequence of a class has another class among its neighbours.

    {notes}

    References
    ----------
    .. [1] H. He, Y. Bai, E. A. Garcia and S. Li, "ADASYN: Adaptive synthetic
       sampling approach for imbalanced learning", IJCNN 2008, pp. 1322-1328.

    Examples
    --------
    >>> import numpy as np
    >>> from imblearn_seqgan.datasets import make_imbalanced_sequences
    >>> from imblearn_seqgan.over_sampling import SequenceADASYN
    >>> X, y = make_imbalanced_sequences(60, weights=[0.8], return_list=True, random_state=0)
    >>> X_res, y_res = SequenceADASYN(random_state=0).fit_resample(X, y)
    >>> len(X_res), np.bincount(y_res)
    (96, array([48, 48]))
    """

    _imblearn_sampler = ADASYN
    _neighbors_param = "n_neighbors"

    _parameter_constraints: dict = {
        **_ImblearnInterpolationSampler._parameter_constraints,
        "n_neighbors": NEIGHBORS_CONSTRAINT,
        "random_state": ["random_state"],
    }

    def __init__(
        self,
        *,
        sampling_strategy="auto",
        n_neighbors=5,
        label_sequences: bool = False,
        padding_value: float = np.nan,
        random_state=None,
    ):
        super().__init__(sampling_strategy=sampling_strategy)
        self.n_neighbors = n_neighbors
        self.label_sequences = label_sequences
        self.padding_value = padding_value
        self.random_state = random_state
