"""SMOTE for sequences of any length (imbalanced-learn's SMOTE does the work)."""

from __future__ import annotations

import numpy as np
from imblearn.over_sampling import SMOTE
from imblearn.utils._docstring import Substitution

from ..utils._docstring import SHARED_DOCS
from ._interpolation import NEIGHBORS_CONSTRAINT, _ImblearnInterpolationSampler

__all__ = ["SequenceSMOTE"]

_INTERPOLATION_NOTES = """Sequences of equal length are flattened, each ``(T, F)`` sequence one
    vector of ``T * F`` values, as the paper runs SMOTE; the result is then
    exactly imbalanced-learn's on the flattened vectors.

    Sequences of different lengths are never padded into the interpolation:
    each sequence's valid steps are resampled linearly in time to the longest
    length (``common_length_``), the neighbours are searched and the new
    sequence interpolated there, ``x_i + w (x_j - x_i)``; the new sequence's
    length is ``round(L_i + w (L_j - L_i))`` with the same ``w``, so it lies
    between its two ends' lengths, and its common-length values are resampled
    back to that length. The length is interpolated as an extra column that
    the neighbour search does not see, so imbalanced-learn draws the base
    sequences, the neighbours and the weights as it does for any data.

    In label-sequence mode the minority is every label sequence other than the
    majority's: neighbours are taken across all of them, and a new sequence's
    label sequence is, at each step, the label of the nearer end (``y_j[t]``
    when ``w > 0.5``, else ``y_i[t]``; the paper's ``y_i + w (y_j - y_i)`` made
    valid, as in :class:`LatentADASYN`). The labels are interpolated one-hot
    encoded as extra columns too; ``w = 0.5`` exactly, a tie, goes to the
    smaller label. Equal-length data also take this path in label-sequence
    mode."""

_INTERPOLATION_ATTRIBUTES = """sampling_strategy_ : dict
        Number of new sequences asked of each class (in label-sequence mode,
        ``{{1: n}}`` for the minority).
    n_features_in_ : int
        Number of features per time step.
    common_length_ : int
        The length the sequences were interpolated at: the longest one's.
    sampler_ : {sampler}
        The fitted imbalanced-learn sampler, run on the flattened
        (common-length) sequences and, for different lengths or label
        sequences, the extra columns."""


@Substitution(
    **SHARED_DOCS,
    notes=_INTERPOLATION_NOTES,
    attributes=_INTERPOLATION_ATTRIBUTES.format(sampler="imblearn.over_sampling.SMOTE"),
)
class SequenceSMOTE(_ImblearnInterpolationSampler):
    """SMOTE for multi-feature sequences of equal or different lengths.

    Each new sequence of a class is ``x_i + w (x_j - x_i)`` for a random sequence
    ``x_i`` of the class, ``x_j`` one of its ``k_neighbors`` nearest sequences of
    the same class and a random weight ``w ~ U[0, 1)`` (Chawla et al., 2002).
    imbalanced-learn's :class:`~imblearn.over_sampling.SMOTE` makes every choice;
    this class brings the sequences to it and back.

    Read more in the :ref:`User Guide <sequence_samplers>`.

    Parameters
    ----------
    {sampling_strategy}
    k_neighbors : int or object, default=5
        SMOTE's K: the number of nearest sequences of the same class a new one
        may be interpolated towards, or a nearest-neighbours estimator (as in
        imbalanced-learn). Every over-sampled class needs at least
        ``k_neighbors + 1`` sequences.
    label_sequences : bool, default=False
        Read a 2-D ``y`` of shape ``(n_sequences, L)`` as one label sequence per
        sequence (see Notes). When False, a 2-D ``y`` is read as imbalanced-learn
        does (one-vs-all encoded classes).
    {padding_value}
    random_state : int, RandomState instance or None, default=None
        Passed to imbalanced-learn's SMOTE: with an int, the same sequences are
        made from run to run.

    Attributes
    ----------
    {attributes}

    See Also
    --------
    SequenceADASYN : More new sequences near the other classes.
    SequenceAugmenter : New sequences from one real sequence each.
    imblearn.over_sampling.SMOTE : SMOTE on flat feature vectors.

    Notes
    -----
    {notes}

    References
    ----------
    .. [1] N. V. Chawla, K. W. Bowyer, L. O. Hall and W. P. Kegelmeyer, "SMOTE:
       synthetic minority over-sampling technique", JAIR 16, 2002, pp. 321-357.

    Examples
    --------
    >>> import numpy as np
    >>> from imblearn_seqgan.datasets import make_imbalanced_sequences
    >>> from imblearn_seqgan.over_sampling import SequenceSMOTE
    >>> X, y = make_imbalanced_sequences(60, weights=[0.8], return_list=True, random_state=0)
    >>> [len(seq) for seq in X[:4]], np.bincount(y)
    ([14, 15, 16, 18], array([48, 12]))
    >>> X_res, y_res = SequenceSMOTE(random_state=0).fit_resample(X, y)
    >>> len(X_res), np.bincount(y_res)
    (96, array([48, 48]))
    >>> lengths = np.array([len(seq) for seq in X])
    >>> new_lengths = np.array([len(seq) for seq in X_res[60:]])
    >>> bool(
    ...     lengths[y == 1].min()
    ...     <= new_lengths.min()
    ...     <= new_lengths.max()
    ...     <= lengths[y == 1].max()
    ... )
    True
    """

    _imblearn_sampler = SMOTE
    _neighbors_param = "k_neighbors"

    _parameter_constraints: dict = {
        **_ImblearnInterpolationSampler._parameter_constraints,
        "k_neighbors": NEIGHBORS_CONSTRAINT,
        "random_state": ["random_state"],
    }

    def __init__(
        self,
        *,
        sampling_strategy="auto",
        k_neighbors=5,
        label_sequences: bool = False,
        padding_value: float = np.nan,
        random_state=None,
    ):
        super().__init__(sampling_strategy=sampling_strategy)
        self.k_neighbors = k_neighbors
        self.label_sequences = label_sequences
        self.padding_value = padding_value
        self.random_state = random_state
