"""Sphinx configuration for the peelmetrics docs (MyST Markdown, numpydoc docstrings)."""

from __future__ import annotations

project = "peelmetrics"
author = "peelmetrics developers"
copyright = "2026, peelmetrics developers; data Crown copyright (OGL v3.0)"

extensions = [
    "myst_parser",
    "sphinx.ext.autodoc",
    "sphinx.ext.napoleon",
    "sphinx.ext.viewcode",
]
source_suffix = {".md": "markdown"}
exclude_patterns = ["_build", "examples"]
myst_enable_extensions = ["colon_fence"]
myst_heading_anchors = 3

autodoc_member_order = "bysource"
autodoc_typehints = "description"
autodoc_typehints_format = "short"
napoleon_numpy_docstring = True
napoleon_google_docstring = False
napoleon_use_ivar = True
# attrs generates these; documenting them adds noise, not information.
autodoc_default_options = {"members": True, "exclude-members": "__init__, __new__"}
nitpicky = False
suppress_warnings = ["ref.python"]

html_theme = "alabaster"
html_static_path = ["_static"]
