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
exclude_patterns = ["_build", "examples", "_generated"]
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


def _over_time(app: object) -> None:
    """Draw the "A force over time" page's chart and table from the bundled data at build
    time, with the same commands the page shows, so the page never shows stale figures."""
    import contextlib
    import io
    from pathlib import Path

    from peelmetrics.cli import main

    folder = Path(__file__).parent / "_generated"
    folder.mkdir(exist_ok=True)
    quiet = io.StringIO()
    with contextlib.redirect_stderr(quiet):
        main(["trend", "Hertfordshire", "--metric", "asb_incidents_per_1000", "--ci",
              "--output", str(folder / "trend-hertfordshire-asb.png")], out=quiet)  # fmt: skip
        table = io.StringIO()
        main(["trend", "Hertfordshire", "--metric", "asb_incidents_per_1000"], out=table)
    (folder / "trend-hertfordshire-asb.txt").write_text(table.getvalue(), encoding="utf-8")


#: The gallery: every chart kind and the page, each drawn at build time by the one command
#: docs/gallery.md prints beside it (the image name, then the command's arguments).
GALLERY = (
    ("bars.png", ["chart", "recorded_crime_per_1000", "--highlight", "Hertfordshire"]),
    ("dots.png", ["chart", "recorded_crime_per_1000", "--dots", "--highlight", "Hertfordshire"]),
    ("funnel.png", ["chart", "recorded_crime_per_1000", "--funnel", "--highlight",
                    "Hertfordshire"]),
    ("funnel-overdispersion.png", ["chart", "recorded_crime_per_1000", "--funnel",
                                   "--overdispersion", "--highlight", "Hertfordshire"]),
    ("change.png", ["chart", "recorded_crime_change", "--highlight", "Hertfordshire"]),
    ("trend.png", ["trend", "Hertfordshire", "--metric", "recorded_crime_per_1000", "--ci"]),
    ("page.html", ["report", "Hertfordshire"]),
)  # fmt: skip


def _gallery(app: object) -> None:
    import contextlib
    import io
    from pathlib import Path

    from peelmetrics.cli import main

    folder = Path(__file__).parent / "_generated"
    folder.mkdir(exist_ok=True)
    quiet = io.StringIO()
    with contextlib.redirect_stderr(quiet):
        for name, args in GALLERY:
            main([*args, "--output", str(folder / name)], out=quiet)


def setup(app: object) -> None:
    app.connect("builder-inited", _over_time)  # type: ignore[attr-defined]
    app.connect("builder-inited", _gallery)  # type: ignore[attr-defined]
