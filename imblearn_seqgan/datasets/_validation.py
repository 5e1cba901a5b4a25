"""Parameter checks that ``validate_params`` cannot express, shared by the
generator and the loaders."""

from __future__ import annotations

import numbers
from typing import Any

import numpy as np


def check_int(value: Any, name: str, minimum: int, *, allow_none: bool = False) -> int | None:
    """``value`` as an int >= ``minimum`` (or None when allowed), else a ValueError."""
    if value is None and allow_none:
        return None
    if not isinstance(value, numbers.Integral) or isinstance(value, bool) or value < minimum:
        what = "None or an integer" if allow_none else "an integer"
        raise ValueError(f"{name} must be {what} >= {minimum}, got {value!r}.")
    return int(value)


def check_float_dtype(dtype: Any) -> np.dtype:
    """A floating dtype (NaN padding needs one), else a ValueError."""
    try:
        resolved = np.dtype(dtype)
    except TypeError as exc:
        raise ValueError(f"dtype must be a floating dtype, got {dtype!r}.") from exc
    if resolved.kind != "f":
        raise ValueError(
            f"dtype must be a floating dtype such as np.float32 (NaN marks padding), "
            f"got {resolved}."
        )
    return resolved
