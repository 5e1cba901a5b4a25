"""The sequence data contract: validation, the validated container, padding, targets.

* :mod:`._validation` checks X once (:func:`check_sequences`,
  :func:`validate_sequences`);
* :mod:`._container` holds the validated sequences and writes results back to the
  caller's container (:class:`Sequences`);
* :mod:`._padding` converts between ragged lists and padded arrays;
* :mod:`._labels` checks targets and finds the majority;
* :mod:`._resample` brings sequences to a common number of steps.
"""

from ._container import Sequences
from ._labels import (
    check_label_sequences,
    check_sequence_target,
    encode_label_sequences,
    encode_sequence_target,
    is_label_sequences,
    majority_mask,
)
from ._padding import pad_sequences, sequence_lengths, sequence_mask, unpad_sequences
from ._resample import resample_sequences
from ._validation import check_sequences, validate_sequences

__all__ = [
    "Sequences",
    "check_label_sequences",
    "check_sequence_target",
    "check_sequences",
    "encode_label_sequences",
    "encode_sequence_target",
    "is_label_sequences",
    "majority_mask",
    "pad_sequences",
    "resample_sequences",
    "sequence_lengths",
    "sequence_mask",
    "unpad_sequences",
    "validate_sequences",
]
