"""Readers for the published tables: each turns one file into Counts and accounts for every
row (rows read = rows used + rows excluded, with reasons) in a :class:`ReadReport`.

=========================================  ============================================
reader                                     file
=========================================  ============================================
:func:`read_recorded_crime_pfa`            Home Office ``rec-crime-pfa.csv`` (rolling years)
:func:`read_recorded_crime_quarterly`      Home Office recorded crime open data tables
:func:`read_outcomes`                      Home Office crime outcomes open data tables
:func:`read_population`                    ONS mid-year estimates (MYE2) + LAD -> PFA lookup
:func:`read_ons_pfa_tables`                ONS police force area data tables (P1, P3, P7, P9)
:func:`read_police_uk`                     data.police.uk street files (file, folder or zip)
:func:`read_counts_csv`                    the tidy Counts users write by hand (CSV or workbook)
:func:`read_counts_parquet`                Counts as Parquet (``write_counts_parquet``)
:func:`read_records`                       record files (one row per crime, ...) by a
                                           :class:`RecordSpec` (CSV or Parquet, file,
                                           folder, glob or zip)
=========================================  ============================================

:func:`read_any` recognises a file's format from its content and calls the reader;
:func:`read_combined` reads several sources into one Counts, the later laid over the
earlier (``peelmetrics read``), :func:`compare_files` reconciles two releases
(``peelmetrics compare``) and :func:`write_counts` writes Counts as CSV or Parquet. A
published table and a record spec are two front doors onto one path: files are found by
:func:`~peelmetrics.sources.files.find_files`, archives unpacked by one bounded unpacker,
headers read by one reader, records scanned by one engine choice, every row accounted for
in one :class:`ReadReport` shape, force names resolved by
:func:`peelmetrics.forces.resolve_names`.

Every reader returns ``(counts, report)`` and raises one
:class:`~peelmetrics.errors.InputFileError` listing every problem with file, row and column.
Nothing in a file is executed or evaluated; zipped spreadsheets that would expand beyond
1 GiB (or 200 times their size) are refused.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # pragma: no cover
    from peelmetrics.sources.account import ReadReport
    from peelmetrics.sources.combined import compare_files, read_combined, write_counts
    from peelmetrics.sources.counts_csv import read_counts_csv
    from peelmetrics.sources.counts_parquet import read_counts_parquet, write_counts_parquet
    from peelmetrics.sources.detect import FORMATS, detect_format, read_any
    from peelmetrics.sources.ons_pfa import read_ons_pfa_tables
    from peelmetrics.sources.outcomes import read_outcomes
    from peelmetrics.sources.police_uk import aggregate_police_uk, read_police_uk
    from peelmetrics.sources.population import read_population
    from peelmetrics.sources.prc import read_recorded_crime_pfa
    from peelmetrics.sources.prc_quarterly import read_recorded_crime_quarterly
    from peelmetrics.sources.records import (
        MeasureRule,
        RecordSpec,
        count_records,
        load_spec,
        read_records,
        scan_records,
    )

#: Where each public name lives. The package imports a reader only when it is first used
#: (PEP 562), so ``peelmetrics.sources.files`` or the command line's parser costs nothing.
_HOMES = {
    "ReadReport": "account",
    "compare_files": "combined",
    "read_combined": "combined",
    "write_counts": "combined",
    "read_counts_csv": "counts_csv",
    "read_counts_parquet": "counts_parquet",
    "write_counts_parquet": "counts_parquet",
    "FORMATS": "detect",
    "detect_format": "detect",
    "read_any": "detect",
    "read_ons_pfa_tables": "ons_pfa",
    "read_outcomes": "outcomes",
    "aggregate_police_uk": "police_uk",
    "read_police_uk": "police_uk",
    "read_population": "population",
    "read_recorded_crime_pfa": "prc",
    "read_recorded_crime_quarterly": "prc_quarterly",
    "MeasureRule": "records",
    "RecordSpec": "records",
    "count_records": "records",
    "load_spec": "records",
    "read_records": "records",
    "scan_records": "records",
}


def __getattr__(name: str) -> Any:
    import importlib

    if name in _HOMES:
        return getattr(importlib.import_module(f"peelmetrics.sources.{_HOMES[name]}"), name)
    raise AttributeError(f"module 'peelmetrics.sources' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted({*globals(), *_HOMES})


__all__ = [
    "FORMATS",
    "MeasureRule",
    "ReadReport",
    "RecordSpec",
    "aggregate_police_uk",
    "compare_files",
    "count_records",
    "detect_format",
    "load_spec",
    "read_any",
    "read_combined",
    "read_counts_csv",
    "read_counts_parquet",
    "read_ons_pfa_tables",
    "read_outcomes",
    "read_police_uk",
    "read_population",
    "read_recorded_crime_pfa",
    "read_recorded_crime_quarterly",
    "read_records",
    "scan_records",
    "write_counts",
    "write_counts_parquet",
]
