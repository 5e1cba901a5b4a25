"""Former home of the label-sequence score mixin, kept for modules that import it
from here; it lives in :mod:`imblearn_seqgan.base`."""

from ..base import LabelSequenceScoreMixin

__all__ = ["LabelSequenceScoreMixin"]
