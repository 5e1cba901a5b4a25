"""Helpers for the sequence data contract: padding, masks, lengths, validation."""

from ._sequences import (
    Sequences,
    check_label_sequences,
    check_sequences,
    encode_label_sequences,
    is_label_sequences,
    pad_sequences,
    sequence_lengths,
    sequence_mask,
    unpad_sequences,
    validate_sequences,
)

__all__ = [
    "Sequences",
    "check_label_sequences",
    "check_sequences",
    "encode_label_sequences",
    "is_label_sequences",
    "pad_sequences",
    "sequence_lengths",
    "sequence_mask",
    "unpad_sequences",
    "validate_sequences",
]
