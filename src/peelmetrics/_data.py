"""Access to the tables shipped inside the package (``peelmetrics/data``)."""

from __future__ import annotations

import csv
import io
from importlib import resources


def read_text(name: str) -> str:
    """Return the text of a bundled data file."""
    return (
        resources.files("peelmetrics").joinpath("data").joinpath(name).read_text(encoding="utf-8")
    )


def read_csv_rows(name: str) -> list[dict[str, str]]:
    """Return a bundled CSV as a list of row dicts (no pandas needed)."""
    return list(csv.DictReader(io.StringIO(read_text(name))))
