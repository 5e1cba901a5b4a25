"""Neural classifiers for variable-length, multi-feature sequences."""

from ._seq2seq import Seq2SeqClassifier

__all__ = ["Seq2SeqClassifier"]
