"""Parameter descriptions shared by several docstrings, filled in with
imbalanced-learn's :class:`~imblearn.utils._docstring.Substitution`.

Use them as ``{name}`` fields of a docstring decorated with
``@Substitution(**SHARED_DOCS)`` (or with the few fields it needs); each piece
starts at the parameter's name and carries the indentation of a class
docstring's parameter (4 spaces before the name, 8 before its description), but
``X_sequences`` and ``y_sampler``, which carry a method's (8 and 12).
Literal braces of a docstring passed through ``Substitution`` are written ``{{ }}``.
"""

from __future__ import annotations

__all__ = ["SHARED_DOCS"]

_SAMPLING_STRATEGY = """sampling_strategy : float, str, dict or callable, default="auto"
        As in imbalanced-learn's over-samplers: how many sequences each class
        should have after resampling (``"auto"``: every class but the majority
        up to the majority's size). With ``label_sequences=True`` the classes are
        ``0``, the majority (most frequent) label sequence, and ``1``, every
        other label sequence (the paper's minority)."""

_LABEL_SEQUENCES = """label_sequences : bool, default=False
        If True, ``y`` is a 2-D array ``(n_sequences, L)`` holding one label
        sequence per sequence (the paper's seq2seq setting). If False, ``y``
        holds one label per sequence; a 2-D 0/1 ``y`` is then read as a
        one-vs-all encoding, as everywhere in imbalanced-learn."""

_PADDING_VALUE = """padding_value : float, default=np.nan
        Value marking padding steps of 3-D input (every feature equal to it)."""

_DEVICE = """device : str or torch.device, default="auto"
        Torch device; ``"auto"`` uses CUDA when available, else the CPU."""

_RANDOM_STATE = """random_state : int, RandomState instance or None, default=None
        Seeds every random choice of the estimator (weights, batches, noise).
        On CPU, equal integer seeds give bit-identical results."""

# Method docstrings' X and y: 8 spaces before the name, 12 before the description.
_X_SEQUENCES = """X : array-like of shape (n_sequences, n_timesteps, n_features), list of \
                array-like of shape (length_i, n_features), or array-like of \
                shape (n_samples, n_features)
            Sequences, padded with ``padding_value`` (at the start or the end)."""

_Y_SAMPLER = """y : array-like of shape (n_sequences,), or (n_sequences, L) with \
                ``label_sequences=True``
            Class of each sequence, or its label sequence."""

SHARED_DOCS = {
    "sampling_strategy": _SAMPLING_STRATEGY,
    "label_sequences": _LABEL_SEQUENCES,
    "padding_value": _PADDING_VALUE,
    "device": _DEVICE,
    "random_state": _RANDOM_STATE,
    "X_sequences": _X_SEQUENCES,
    "y_sampler": _Y_SAMPLER,
}
