"""Sphinx configuration of the imblearn-seqgan documentation.

Build with ``make -C docs html`` (or ``sphinx-build -W -b html docs docs/_build/html``).
sphinx-gallery runs the cheap examples (``examples/plot_*.py``, a minute or two) so that
their pages show their figures and output; the others are rendered without being run.
``make -C docs html-noplot`` runs none.
"""

import os
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))  # document the working tree even without an install
sys.path.insert(0, str(HERE))

from api_reference import write_api_reference  # noqa: E402

import imblearn_seqgan  # noqa: E402

project = "imblearn-seqgan"
author = "imblearn-seqgan developers"
copyright = "2026, imblearn-seqgan developers"
release = imblearn_seqgan.__version__
version = ".".join(release.split(".")[:2])

extensions = [
    "sphinx.ext.autodoc",
    "sphinx.ext.autosummary",
    "sphinx.ext.intersphinx",
    "sphinx.ext.mathjax",
    "sphinx.ext.viewcode",
    "numpydoc",
    "sphinx_gallery.gen_gallery",
]

# The API reference is written from each family's __all__ (see api_reference.py).
write_api_reference(HERE / "generated" / "api.rst")

templates_path = ["_templates"]
exclude_patterns = ["_build", "generated/*.examples", "auto_examples/*.ipynb"]
root_doc = "index"

# autodoc / autosummary / numpydoc
autosummary_generate = True
autodoc_default_options = {"members": True, "inherited-members": False}
autodoc_typehints = "none"  # numpydoc's Parameters sections already say the types
numpydoc_show_class_members = False
numpydoc_class_members_toctree = False
numpydoc_xref_param_type = False

# Offline builds: no intersphinx inventories are fetched unless asked for.
intersphinx_mapping = {}
if os.environ.get("SPHINX_INTERSPHINX"):
    intersphinx_mapping = {
        "python": ("https://docs.python.org/3", None),
        "numpy": ("https://numpy.org/doc/stable", None),
        "sklearn": ("https://scikit-learn.org/stable", None),
        "imblearn": ("https://imbalanced-learn.org/stable", None),
    }

# sphinx-gallery: run the examples named plot_*.py (cheap: seconds of training on small
# data) so that their pages show figures and output; the rest (e.g. demo.py, which loads
# real data and takes minutes) is rendered without being run.
sphinx_gallery_conf = {
    "examples_dirs": str(ROOT / "examples"),
    "gallery_dirs": "auto_examples",
    "filename_pattern": r"/plot_",
    "download_all_examples": False,
    "within_subsection_order": "FileNameSortKey",
    "write_computation_times": False,  # no build output in the source tree
}

html_theme = "pydata_sphinx_theme"
html_title = f"imblearn-seqgan {release}"
html_static_path = ["_static"]
html_css_files = ["custom.css"]  # compact result tables
html_theme_options = {"navigation_with_keys": False}


def _skip_metadata_request_methods(app, what, name, obj, skip, options):
    """Hide scikit-learn's generated ``set_*_request`` methods (metadata routing)."""
    if name.startswith("set_") and name.endswith("_request"):
        return True
    return skip


def setup(app):
    app.connect("autodoc-skip-member", _skip_metadata_request_methods)
