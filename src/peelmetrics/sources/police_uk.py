"""data.police.uk street-level crime files: records turned into counts by force and month.

Each monthly street file has one row per crime (and per anti-social behaviour incident,
whose ``Crime ID`` is blank): ``Crime ID, Month, Reported by, Falls within, Longitude,
Latitude, Location, LSOA code, LSOA name, Crime type, Last outcome category, Context``. They
come as one file, a folder of ``YYYY-MM/`` folders (as the site's archive unpacks), or the
monthly archive zip itself.

The aggregation is written once against `narwhals <https://narwhals-dev.github.io/narwhals/>`_,
so the same code runs lazily and column-wise on Polars, DuckDB or pandas: the files are
scanned, grouped by force, month, crime type and last outcome category, and only the small
grouped table reaches Python. Reported, never hidden: rows whose "Falls within" is not a
force, rows whose month is unreadable, Crime IDs given more than once, and force-months with
no file among the files read.

These are **not** the figures HMICFRS used for PEEL (those come from the Home Office returns,
Annex A): they give their own measures, ``police_uk_crimes`` and ``police_uk_asb_incidents``
per calendar month.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any, Literal

import attrs
import pandas as pd

from peelmetrics.sources.account import ReadReport
from peelmetrics.sources.engines import choose_engine
from peelmetrics.sources.records import (
    POLICE_UK,
    account,
    count_files,
    group_as_held,
    lazy_frame,
    record_files,
    scan_files,
)

__all__ = ["Backend", "PoliceUkRecords", "aggregate_police_uk", "read_police_uk"]

Backend = Literal["auto", "polars", "duckdb", "pandas"]
_KEYS = ["_force", "_date", "crime_type", "outcome"]
_FILE = re.compile(r"(\d{4}-\d{2})-(.+)-street\.(?:csv|parquet)$", re.I)


@attrs.frozen(eq=False)
class PoliceUkRecords:
    """What a read of street files found.

    Attributes
    ----------
    breakdown
        One row per force, month, crime type and last outcome category: ``force`` (ONS
        code), ``month`` (last day of the month), ``crime_type``, ``outcome`` (blank for
        anti-social behaviour) and ``count``.
    report
        Every row read is in ``breakdown`` or excluded with its reason.
    duplicate_ids
        Crime IDs given on more than one row, and the rows that carry them.
    missing_files
        (force, month) pairs with no file, among the forces and months the files cover.
    backend
        The engine that scanned the files.
    """

    breakdown: pd.DataFrame
    report: ReadReport
    duplicate_ids: tuple[int, int]
    missing_files: tuple[tuple[str, str], ...]
    backend: str


def read_police_uk(
    source: str | Path, *, backend: Backend = "auto"
) -> tuple[pd.DataFrame, ReadReport]:
    """Read street files into monthly Counts of ``police_uk_crimes`` and
    ``police_uk_asb_incidents`` per force: the built-in ``police-uk`` record spec
    (:data:`~peelmetrics.sources.records.POLICE_UK`) read by
    :func:`~peelmetrics.sources.records.read_records`' pipeline.

    Parameters
    ----------
    source
        A street file (CSV or Parquet), a folder holding them (searched recursively), or a
        monthly archive zip.
    backend
        ``"polars"``, ``"duckdb"`` or ``"pandas"``; ``"auto"`` takes the fastest installed
        (Polars and DuckDB stream files larger than memory).

    Returns
    -------
    counts, report
        Counts with ``period_months`` 1, and the reconciliation report.
    """
    source = Path(source)
    with record_files(source, POLICE_UK) as (files, parquet):
        counts, report = count_files(files, parquet, POLICE_UK, None, where=str(source),
                                     engine=backend)  # fmt: skip
        names = [Path(f).name for f in files]
        read = f"{len(names)} file(s) read with {choose_engine(backend, parquet)}"
    missing = _missing_note(_missing_files(names))
    return counts, attrs.evolve(report, notes=(read, *report.notes, *missing))


def aggregate_police_uk(source: str | Path, *, backend: Backend = "auto") -> PoliceUkRecords:
    """Scan street files and group them by force, month, crime type and last outcome.

    The files are found, checked and scanned as :func:`read_police_uk` reads them (one
    pipeline, :func:`~peelmetrics.sources.records.scan_files`), and every row is accounted
    for by the same rules. See there for the parameters.
    """
    source = Path(source)
    with record_files(source, POLICE_UK) as (files, parquet):
        grouped, engine, (duplicate_ids, id_notes) = scan_files(
            files, parquet, POLICE_UK, str(source), _grouped, engine=backend
        )
        names = [Path(f).name for f in files]
    breakdown, report = _resolve(grouped, str(source))
    missing = _missing_files(names)
    notes = [f"{len(names)} file(s) read with {engine}", *id_notes, *_missing_note(missing)]
    return PoliceUkRecords(
        breakdown=breakdown,
        report=attrs.evolve(report, notes=(*notes, *report.notes)),
        duplicate_ids=duplicate_ids,
        missing_files=missing,
        backend=engine,
    )


def _grouped(records: Any, every_column: bool) -> pd.DataFrame:
    """The records grouped by force, month, crime type and outcome as held, then stripped
    per distinct group, as :func:`~peelmetrics.sources.records.count_records` groups."""
    text, rows = group_as_held(lazy_frame(records), list(_COLUMNS), every_column=every_column)
    grouped = pd.DataFrame(dict(zip(_KEYS, (text[c] for c in _COLUMNS), strict=True)))
    return grouped.assign(count=rows).groupby(_KEYS, as_index=False, sort=False)[["count"]].sum()


#: The street file's columns the breakdown reads, in ``_KEYS`` order.
_COLUMNS = (POLICE_UK.force, POLICE_UK.date, "Crime type", "Last outcome category")


def _missing_note(missing: tuple[tuple[str, str], ...]) -> list[str]:
    if not missing:
        return []
    shown = ", ".join(f"{f} {m}" for f, m in missing[:12])
    more = f" and {len(missing) - 12} more" if len(missing) > 12 else ""
    return [f"no file for {len(missing)} force-month(s): {shown}{more}"]


def _resolve(grouped: pd.DataFrame, where: str) -> tuple[pd.DataFrame, ReadReport]:
    """Force codes and month ends for the grouped table; the rest reported with the same
    reasons as :func:`~peelmetrics.sources.records.count_records` gives (one accounting)."""
    keys = ["_force", "_date"]
    totals = grouped.groupby(keys, as_index=False, sort=False).agg(rows=("count", "sum"))
    totals["matched"] = totals["rows"]  # the spec's two rules split every row
    good, report = account(totals, POLICE_UK, where)
    breakdown = grouped.merge(good, on=keys)
    table = pd.DataFrame(
        {
            "force": breakdown["_code"],
            "month": pd.to_datetime(breakdown["_month"], format="%Y-%m") + pd.offsets.MonthEnd(0),
            "crime_type": breakdown["crime_type"],
            "outcome": breakdown["outcome"],
            "count": breakdown["count"].astype("int64"),
        }
    )
    # Daily dates within a month are one month here, as in the Counts.
    keys = ["force", "month", "crime_type", "outcome"]
    return table.groupby(keys, as_index=False, sort=True)[["count"]].sum(), report


def _missing_files(names: list[str]) -> tuple[tuple[str, str], ...]:
    """Force-months with no file, among the forces and months the file names cover."""
    found = {(m.group(2).lower(), m.group(1)) for m in map(_FILE.search, names) if m}
    if not found:
        return ()
    forces = sorted({f for f, _m in found})
    months = sorted({m for _f, m in found})
    span = pd.period_range(months[0], months[-1], freq="M").strftime("%Y-%m").tolist()
    return tuple((f, m) for f in forces for m in span if (f, m) not in found)
