"""imblearn-seqgan: imbalanced-learn for variable-length, multi-feature sequences.

Estimators are imported lazily (PEP 562) so that ``import imblearn_seqgan`` stays
fast and never initialises torch or CUDA.
"""

import importlib

__version__ = "0.1.0.dev0"

# public name -> subpackage that defines it
_LAZY = {
    "SeqGANOverSampler": "over_sampling",
    "LatentADASYN": "over_sampling",
    "SequenceSMOTE": "over_sampling",
    "SequenceADASYN": "over_sampling",
    "SequenceRandomOverSampler": "over_sampling",
    "SequenceAugmenter": "over_sampling",
    "GANNoveltyDetector": "novelty",
    "Seq2SeqClassifier": "classification",
    "BalancedSequenceBaggingClassifier": "ensemble",
}

_SUBPACKAGES = (
    "classification",
    "datasets",
    "ensemble",
    "metrics",
    "novelty",
    "over_sampling",
    "preprocessing",
    "utils",
)

__all__ = [*_LAZY, *_SUBPACKAGES, "__version__"]


def __getattr__(name):
    if name in _SUBPACKAGES:
        return importlib.import_module(f".{name}", __name__)
    if name in _LAZY:
        return getattr(importlib.import_module(f".{_LAZY[name]}", __name__), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__():
    return sorted(__all__)
