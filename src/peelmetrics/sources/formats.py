"""The formats :func:`~peelmetrics.sources.read_any` knows, with what each is: data, in a
module of its own, so the command line can list them without importing a reader."""

from __future__ import annotations

from types import MappingProxyType

__all__ = ["FORMATS"]

#: The formats :func:`~peelmetrics.sources.read_any` knows, with what each is.
FORMATS = MappingProxyType(
    {
        "counts": "tidy Counts, CSV or a workbook (force, period_end, measure, value, ...)",
        "counts-parquet": "Counts as Parquet (as `read --output counts.parquet` writes)",
        "prc-rolling": "Home Office recorded crime by PFA, rolling years (rec-crime-pfa.csv)",
        "prc-quarterly": "Home Office police recorded crime open data tables (quarterly)",
        "outcomes": "Home Office crime outcomes open data tables (quarterly)",
        "ons-pfa": "ONS police force area data tables workbook",
        "police-uk": "data.police.uk street-level crime files (file, folder or zip)",
    }
)
