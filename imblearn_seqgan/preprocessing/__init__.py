"""Transformers of sequences: scaling, and the layout of other libraries.

* :class:`SequenceStandardScaler`: each feature to zero mean and unit variance over
  the valid steps of all sequences, padding kept.
* :class:`ToChannelsFirst`: the library's ``(n, timesteps, features)`` sequences
  as aeon's ``(n, channels, timepoints)`` collections, inside a pipeline.
"""

from ._channels_first import ToChannelsFirst
from ._scaler import SequenceStandardScaler

__all__ = ["SequenceStandardScaler", "ToChannelsFirst"]
