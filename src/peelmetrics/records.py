"""Moved: record specs and counting live in :mod:`peelmetrics.sources.records`, rolling
windows in :mod:`peelmetrics.periods`. These names stay importable from here."""

from __future__ import annotations

from peelmetrics.periods import monthly_windows
from peelmetrics.sources.records import (
    POLICE_UK,
    SPECS,
    MeasureRule,
    RecordSpec,
    count_records,
    load_spec,
    read_records,
    repeated_ids,
    scan_records,
)

__all__ = [
    "POLICE_UK",
    "SPECS",
    "MeasureRule",
    "RecordSpec",
    "count_records",
    "load_spec",
    "monthly_windows",
    "read_records",
    "repeated_ids",
    "scan_records",
]
