"""Transformers that change the layout of sequences for other libraries.

* :class:`ToChannelsFirst`: the library's ``(n, timesteps, features)`` sequences
  as aeon's ``(n, channels, timepoints)`` collections, inside a pipeline.
"""

from ._channels_first import ToChannelsFirst

__all__ = ["ToChannelsFirst"]
