"""Time-series augmentation as an over-sampler: each new sequence is a real one of
its class, transformed.

The augmentations and their default settings are those of Iwana and Uchida's
empirical survey (2021) and of its code: jittering, magnitude warping, time
warping (Um et al., 2017), window warping (Le Guennec et al., 2016) and random
guided warping (Iwana and Uchida, 2020), the DTW-based one. Each works on a
sequence's valid steps only and returns a sequence of its source's length.
"""

from __future__ import annotations

import numbers

import numpy as np
from imblearn.utils._docstring import Substitution
from scipy.interpolate import CubicSpline
from sklearn.utils import check_random_state
from sklearn.utils._param_validation import Interval, StrOptions

from ..base import BaseSequenceSampler, SyntheticSequences
from ..utils._docstring import SHARED_DOCS
from ._dtw import dtw_paths
from ._time import interpolate_at, resample_to_lengths

__all__ = ["SequenceAugmenter"]

METHODS = ("jitter", "magnitude_warp", "time_warp", "window_warp", "guided_warp")

# cells of one batch's DTW cost matrices (float64): 32 MiB
_DTW_CELLS = 2**22


@Substitution(**SHARED_DOCS)
class SequenceAugmenter(BaseSequenceSampler):
    """Over-sample with time-series augmentations of real sequences of the class.

    Each new sequence of a class is one real sequence of that class (its source,
    in ``sources_``; every sequence of the class serves in turn) transformed by
    one augmentation, drawn at random from ``method`` for each new sequence. The
    augmentations are those an empirical survey of time-series augmentation for
    neural-network classifiers found most useful, with its default settings
    (Iwana and Uchida, 2021):

    * ``"jitter"``: Gaussian noise added to every value;
    * ``"magnitude_warp"``: every feature multiplied by a smooth random curve
      around 1, a cubic spline through ``magnitude_knots`` random knots (Um et
      al., 2017);
    * ``"time_warp"``: time stretched and compressed smoothly, the speed a cubic
      spline through ``time_warp_knots`` random knots around 1 (Um et al., 2017);
    * ``"window_warp"``: a random window of ``window_ratio`` of the sequence
      sped up or slowed down by a factor of ``window_scales``, the whole then
      resampled to the source's length (Le Guennec et al., 2016);
    * ``"guided_warp"``: random guided warping (Iwana and Uchida, 2020): the
      source is aligned by dynamic time warping (DTW) to another sequence of its
      class drawn at random (its guide, in ``guides_``) and read along the
      alignment, so it takes the guide's timing and keeps its own values. Where
      the best alignment is the diagonal (the source already has the guide's
      timing, common for short or noisy sequences), the source comes back
      unchanged.

    Every augmentation reads only the source's valid steps, and the new sequence
    has its source's length.

    Read more in the :ref:`User Guide <sequence_samplers>`.

    Parameters
    ----------
    {sampling_strategy}
    method : str or list of str, default="all"
        The augmentation, or a list of them to draw one from, uniformly, for each
        new sequence; ``"all"`` is the list of the five.
    jitter_sigma : float, default=0.03
        Standard deviation of the noise, in units of each feature's standard
        deviation over the valid steps of ``X``. The survey's 0.03 is in the units
        of its z-normalised series; measuring it in standard deviations keeps that
        meaning for data in any unit.
    magnitude_sigma : float, default=0.2
        Standard deviation of the random knots (mean 1) of magnitude warping.
    magnitude_knots : int, default=4
        Number of inner knots of the magnitude curve (two more sit at the ends).
    time_warp_sigma : float, default=0.2
        Standard deviation of the random knots (mean 1) of the time-warping speed.
    time_warp_knots : int, default=4
        Number of inner knots of the speed curve.
    window_ratio : float, default=0.1
        Length of the warped window as a share of the sequence's length (at least
        one step).
    window_scales : tuple of float, default=(0.5, 2.0)
        Factors the window's length is multiplied by, one drawn per sequence.
    dtw_window : float or None, default=0.1
        Half-width of the Sakoe-Chiba band of guided warping's DTW, as a share of
        the longer sequence's length (the survey's 10%), widened where two
        lengths differ so that an alignment exists; None for no band.
    {label_sequences}
        A new sequence keeps its source's label sequence (see Notes).
    {padding_value}
    random_state : int, RandomState instance or None, default=None
        Seeds the sources, the augmentations drawn and their random settings.
        With an int, the same sequences are made from run to run.

    Attributes
    ----------
    sampling_strategy_ : dict
        Number of new sequences made for each class (in label-sequence mode,
        ``{{1: n}}`` for the minority).
    n_features_in_ : int
        Number of features per time step.
    sources_ : ndarray of shape (n_synthetic,)
        Index in ``X`` of the sequence each new one was made from.
    methods_ : ndarray of shape (n_synthetic,), dtype str
        The augmentation each new sequence got.
    guides_ : ndarray of shape (n_synthetic,)
        Index in ``X`` of the guide of a guided warp, -1 for other augmentations.

    See Also
    --------
    SequenceSMOTE : New sequences between two of a class.
    SequenceRandomOverSampler : Copies of sequences of the class.

    Notes
    -----
    Differences from the survey's code, all for sequences of several features
    and lengths: time warping draws one speed curve per sequence, not one per
    feature, because the features of a step are measured together and should
    move together; its warp is the running sum of the speed (as Um et al.), so it
    never runs backwards; jittering's noise is relative to each feature's spread
    (see ``jitter_sigma``); DTW's cost is the distance between steps with every
    feature divided by its standard deviation, so no feature dominates the
    alignment by its unit; a guide is first resampled in time to its source's
    length, so that it lends its timing, not its length (aligned to a shorter
    guide, a source read along the path would often come back unchanged). A
    guide is another sequence of the source's class; a class of one sequence is
    its own guide, and its guided warps are copies.
    Sequences of one step are unchanged by the three warps of time.

    Label sequences: in this library a label sequence holds the labels of the
    ``L`` steps *after* a sequence (a forecast target), not one label per input
    step, so warping the input's time does not move them and a new sequence keeps
    its source's label sequence unchanged. (Per-step labels would have to be
    warped with the input; they are not what ``label_sequences`` means.) Guides
    are drawn among all minority sequences, whatever their label sequence.

    The guided warp's DTW is written in numpy (no DTW library is a dependency);
    sources of equal length are aligned together, so its cost grows with the
    number of distinct lengths and the square of the length.

    References
    ----------
    .. [1] B. K. Iwana and S. Uchida, "An empirical survey of data augmentation
       for time series classification with neural networks", PLoS ONE 16(7),
       e0254841, 2021.
    .. [2] T. T. Um et al., "Data augmentation of wearable sensor data for
       Parkinson's disease monitoring using convolutional neural networks",
       ACM ICMI 2017, pp. 216-220.
    .. [3] A. Le Guennec, S. Malinowski and R. Tavenard, "Data augmentation for
       time series classification using convolutional neural networks", ECML/PKDD
       Workshop on Advanced Analytics and Learning on Temporal Data, 2016.
    .. [4] B. K. Iwana and S. Uchida, "Time series data augmentation for neural
       networks by time warping with a discriminative teacher", ICPR 2020.

    Examples
    --------
    >>> import numpy as np
    >>> from imblearn_seqgan.datasets import make_imbalanced_sequences
    >>> from imblearn_seqgan.over_sampling import SequenceAugmenter
    >>> X, y = make_imbalanced_sequences(60, weights=[0.8], return_list=True, random_state=0)
    >>> sampler = SequenceAugmenter(method=["window_warp", "guided_warp"], random_state=0)
    >>> X_res, y_res = sampler.fit_resample(X, y)
    >>> len(X_res), np.bincount(y_res)
    (96, array([48, 48]))
    >>> source = sampler.sources_[0]  # a new sequence keeps its source's length
    >>> str(sampler.methods_[0]), len(X_res[60]) == len(X[source])
    ('window_warp', True)
    """

    _parameter_constraints: dict = {
        **BaseSequenceSampler._parameter_constraints,
        "method": [StrOptions({*METHODS, "all"}), list, tuple],
        "jitter_sigma": [Interval(numbers.Real, 0, None, closed="left")],
        "magnitude_sigma": [Interval(numbers.Real, 0, None, closed="left")],
        "magnitude_knots": [Interval(numbers.Integral, 0, None, closed="left")],
        "time_warp_sigma": [Interval(numbers.Real, 0, None, closed="left")],
        "time_warp_knots": [Interval(numbers.Integral, 0, None, closed="left")],
        "window_ratio": [Interval(numbers.Real, 0, 1, closed="right")],
        "window_scales": [list, tuple],
        "dtw_window": [Interval(numbers.Real, 0, None, closed="left"), None],
        "random_state": ["random_state"],
    }

    def __init__(
        self,
        *,
        sampling_strategy="auto",
        method="all",
        jitter_sigma: float = 0.03,
        magnitude_sigma: float = 0.2,
        magnitude_knots: int = 4,
        time_warp_sigma: float = 0.2,
        time_warp_knots: int = 4,
        window_ratio: float = 0.1,
        window_scales=(0.5, 2.0),
        dtw_window: float | None = 0.1,
        label_sequences: bool = False,
        padding_value: float = np.nan,
        random_state=None,
    ):
        super().__init__(sampling_strategy=sampling_strategy)
        self.method = method
        self.jitter_sigma = jitter_sigma
        self.magnitude_sigma = magnitude_sigma
        self.magnitude_knots = magnitude_knots
        self.time_warp_sigma = time_warp_sigma
        self.time_warp_knots = time_warp_knots
        self.window_ratio = window_ratio
        self.window_scales = window_scales
        self.dtw_window = dtw_window
        self.label_sequences = label_sequences
        self.padding_value = padding_value
        self.random_state = random_state

    def _methods(self) -> list[str]:
        if isinstance(self.method, str):
            return list(METHODS) if self.method == "all" else [self.method]
        methods = list(self.method)
        if not methods:
            raise ValueError("method is an empty list; name at least one augmentation.")
        for name in methods:
            if name not in METHODS:
                raise ValueError(
                    f"method has {name!r}, which is not an augmentation; choose among "
                    f"{', '.join(repr(m) for m in METHODS)}."
                )
        return methods

    def _window_scales(self) -> np.ndarray:
        scales = np.asarray(self.window_scales, dtype=np.float64)
        if scales.ndim != 1 or len(scales) == 0 or not np.all(scales > 0):
            raise ValueError(
                f"window_scales must be a non-empty list of positive factors, got "
                f"{self.window_scales!r}."
            )
        return scales

    def _fit_resample(self, X, y) -> SyntheticSequences:
        """Draw sources and augmentations, and transform the sources.

        Parameters
        ----------
        X : Sequences
            The validated sequences.
        y : ndarray of shape (n_sequences,) or (n_sequences, L)
            Class labels, or label sequences with ``label_sequences=True``.

        Returns
        -------
        synthetic : SyntheticSequences
            The new sequences and their sources' labels (label sequences).
        """
        methods = self._methods()
        scales = self._window_scales()
        groups = self._sampling_target(y)
        rng = check_random_state(self.random_state)
        sources = _balanced_sources(groups, self.sampling_strategy_, rng)
        chosen = rng.randint(len(methods), size=len(sources))
        self.sources_ = sources
        self.methods_ = np.asarray(methods)[chosen]
        self.guides_ = np.full(len(sources), -1, dtype=np.intp)
        if len(sources) == 0:
            return SyntheticSequences.empty()

        values, lengths = X.values, X.lengths.astype(np.int64, copy=False)
        spread = values[X.mask].std(axis=0, dtype=np.float64)
        spread[~(spread > 1e-12)] = 1.0
        src_lengths = lengths[sources]
        out = np.zeros((len(sources), int(src_lengths.max()), X.n_features))
        # one method after another, in a fixed order, so a seed gives the same draws
        for index, name in enumerate(methods):
            rows = np.flatnonzero(chosen == index)
            if len(rows) == 0:
                continue
            src = sources[rows]
            v, n_steps = values[src, : src_lengths[rows].max()], src_lengths[rows]
            if name == "jitter":
                new = _jitter(v, n_steps, rng, self.jitter_sigma * spread)
            elif name == "magnitude_warp":
                new = _magnitude_warp(v, n_steps, rng, self.magnitude_sigma, self.magnitude_knots)
            elif name == "time_warp":
                new = _time_warp(v, n_steps, rng, self.time_warp_sigma, self.time_warp_knots)
            elif name == "window_warp":
                new = _window_warp(v, n_steps, rng, self.window_ratio, scales)
            else:
                guides = _draw_guides(src, groups, rng)
                self.guides_[rows] = guides
                new = _guided_warp(
                    v, n_steps, values[guides], lengths[guides], self.dtw_window, spread
                )
            out[rows, : new.shape[1]] = new
        return SyntheticSequences.from_arrays(out, src_lengths, y[sources])


def _balanced_sources(groups: np.ndarray, strategy: dict, rng) -> np.ndarray:
    """Source of each new sequence: every member of a class ``q`` times, plus ``r``
    distinct members drawn at random, for ``n = q * count + r`` new sequences."""
    sources = []
    for group, n_new in strategy.items():
        members = np.flatnonzero(groups == group)
        if n_new == 0 or len(members) == 0:
            continue
        q, r = divmod(n_new, len(members))
        extra = rng.choice(members, size=r, replace=False)
        sources.append(np.concatenate([np.repeat(members, q), np.sort(extra)]))
    if not sources:
        return np.empty(0, dtype=np.intp)
    return np.concatenate(sources).astype(np.intp)


def _draw_guides(sources: np.ndarray, groups: np.ndarray, rng) -> np.ndarray:
    """A random other member of each source's class (the source itself if alone)."""
    guides = np.empty_like(sources)
    for group in np.unique(groups[sources]):
        rows = np.flatnonzero(groups[sources] == group)
        members = np.flatnonzero(groups == group)
        if len(members) == 1:
            guides[rows] = members[0]
            continue
        # draw among the members but the source: skip over the source's own place
        own = np.searchsorted(members, sources[rows])
        pick = rng.randint(len(members) - 1, size=len(rows))
        guides[rows] = members[pick + (pick >= own)]
    return guides


def _by_length(lengths: np.ndarray):
    """(length, rows) for each distinct length."""
    for length in np.unique(lengths):
        yield int(length), np.flatnonzero(lengths == length)


def _jitter(values, lengths, rng, sigma) -> np.ndarray:
    """Gaussian noise of standard deviation ``sigma`` (per feature) on valid steps."""
    noise = rng.normal(size=values.shape) * sigma
    valid = np.arange(values.shape[1]) < lengths[:, None]
    return np.where(valid[:, :, None], values + noise, 0.0)


def _spline_curves(rng, n_curves: int, length: int, sigma: float, knots: int) -> np.ndarray:
    """``n_curves`` smooth curves of ``length`` steps: cubic splines through
    ``knots + 2`` evenly spaced knots of random height ``N(1, sigma^2)``."""
    heights = rng.normal(1.0, sigma, size=(knots + 2, n_curves))
    at = np.linspace(0.0, max(length - 1, 1), knots + 2)
    return CubicSpline(at, heights, axis=0)(np.arange(length)).T


def _magnitude_warp(values, lengths, rng, sigma, knots) -> np.ndarray:
    """Every feature multiplied by its own smooth random curve around 1."""
    out = np.zeros(values.shape)
    n_features = values.shape[2]
    for length, rows in _by_length(lengths):
        curves = _spline_curves(rng, len(rows) * n_features, length, sigma, knots)
        curves = curves.reshape(len(rows), n_features, length).transpose(0, 2, 1)
        out[rows, :length] = values[rows, :length] * curves
    return out


def _time_warp(values, lengths, rng, sigma, knots) -> np.ndarray:
    """The sequence read at a smooth, increasing random map of its own steps."""
    positions = np.zeros((len(values), values.shape[1]))
    for length, rows in _by_length(lengths):
        if length < 2:
            continue
        speed = np.maximum(_spline_curves(rng, len(rows), length, sigma, knots), 1e-3)
        # the warp is the running sum of the speed, scaled to run from the first
        # step to the last
        elapsed = np.cumsum(speed, axis=1) - speed[:, :1]
        positions[rows, :length] = elapsed / elapsed[:, -1:] * (length - 1)
    out = interpolate_at(values, positions, lengths)
    out[np.arange(values.shape[1])[None, :] >= lengths[:, None]] = 0.0
    return out


def _window_warp(values, lengths, rng, ratio, scales) -> np.ndarray:
    """A random window's steps resampled by a random factor, then the whole sequence
    resampled back to its length (the survey's window warping)."""
    window = np.maximum(np.ceil(ratio * lengths), 1).astype(np.int64)
    start = (rng.uniform(size=len(lengths)) * (lengths - window + 1)).astype(np.int64)
    scale = scales[rng.randint(len(scales), size=len(lengths))]
    warped = np.maximum(np.rint(window * scale), 1).astype(np.int64)
    new_lengths = lengths - window + warped
    # where each step of the warped sequence reads its source
    m = np.arange(int(new_lengths.max()), dtype=np.float64)[None, :]
    start_, window_, warped_ = start[:, None], window[:, None], warped[:, None]
    with np.errstate(divide="ignore", invalid="ignore"):
        inside = np.where(
            warped_ > 1,
            start_ + (m - start_) * (window_ - 1) / (warped_ - 1),
            start_ + (window_ - 1) / 2,
        )
    positions = np.where(
        m < start_, m, np.where(m < start_ + warped_, inside, m - warped_ + window_)
    )
    stretched = interpolate_at(values, positions, lengths)
    return resample_to_lengths(stretched, new_lengths, lengths)


def _guided_warp(values, lengths, guides, guide_lengths, window, spread) -> np.ndarray:
    """Each sequence read along its DTW alignment to its guide, resampled back to its
    own length (random guided warping).

    The guide is first resampled in time to the source's length: reading the source
    along a path to a shorter guide would return the source unchanged whenever the
    path only steps ahead in the source, so only the guide's timing, not its
    length, must differ. For equal lengths this is the survey's guided warp.
    """
    out = np.zeros(values.shape)
    guides = resample_to_lengths(guides, guide_lengths, lengths)
    for length, rows in _by_length(lengths):
        batch = max(1, _DTW_CELLS // (length * length))
        for chunk in np.array_split(rows, -(-len(rows) // batch)):
            source = values[chunk, :length]
            _, along, n_steps = dtw_paths(guides[chunk, :length] / spread, source / spread, window)
            read = np.take_along_axis(source, along[:, :, None], axis=1)
            out[chunk, :length] = resample_to_lengths(read, n_steps, length)
    return out
