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
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Literal

import attrs
import pandas as pd

from peelmetrics._extras import installed
from peelmetrics.errors import InputFileError, Problem, UnknownMeasureError
from peelmetrics.sources._common import (
    ReadReport,
    check_file,
    csv_fault,
    match_columns,
    unpacked,
)

__all__ = ["Backend", "PoliceUkRecords", "aggregate_police_uk", "read_police_uk"]

SOURCE = "data.police.uk street-level crime"
Backend = Literal["auto", "polars", "duckdb", "pandas"]
_ASB = "Anti-social behaviour"
_COLUMNS = {
    "crime_id": ("Crime ID",),
    "month": ("Month",),
    "falls_within": ("Falls within",),
    "crime_type": ("Crime type",),
    "outcome": ("Last outcome category",),
}
_KEYS = ["falls_within", "month", "crime_type", "outcome"]
_FILE = re.compile(r"(\d{4}-\d{2})-(.+)-street\.csv$", re.I)


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
    ``police_uk_asb_incidents`` per force.

    Parameters
    ----------
    source
        A street CSV, a folder holding them (searched recursively), or a monthly archive zip.
    backend
        ``"polars"``, ``"duckdb"`` or ``"pandas"``; ``"auto"`` takes the first installed, in
        that order (Polars and DuckDB stream files larger than memory).

    Returns
    -------
    counts, report
        Counts with ``period_months`` 1, and the reconciliation report.
    """
    from peelmetrics.records import POLICE_UK, _count_files

    source = Path(source)
    engine = _engine(backend)
    with _read_street_files(source, engine) as files:
        # The record reader's checks: every file has the columns, every row its fields.
        counts, report = _count_files([str(f) for f in files], False, POLICE_UK, None,
                                      where=str(source), engine=engine,
                                      source=f"{SOURCE}: {source.name}")  # fmt: skip
        names = [f.name for f in files]
    notes = [f"{len(names)} file(s) read with {engine}", *report.notes, *_missing_note(names)]
    return counts, attrs.evolve(report, notes=tuple(notes))


def aggregate_police_uk(source: str | Path, *, backend: Backend = "auto") -> PoliceUkRecords:
    """Scan street files and group them by force, month, crime type and last outcome.

    See :func:`read_police_uk` for the parameters.
    """
    source = Path(source)
    engine = _engine(backend)
    with _read_street_files(source, engine) as files:
        grouped, duplicate_ids = _aggregate(files, engine)
        names = [f.name for f in files]
    breakdown, report = _resolve(grouped, str(source))
    missing = _missing_files(names)
    notes = [f"{len(names)} file(s) read with {engine}"]
    if duplicate_ids[0]:
        notes.append(f"{duplicate_ids[0]} Crime ID(s) appear on more than one row "
                     f"({duplicate_ids[1]} rows); counted as published")  # fmt: skip
    notes += _missing_note(names)
    return PoliceUkRecords(
        breakdown=breakdown,
        report=attrs.evolve(report, notes=tuple(notes)),
        duplicate_ids=duplicate_ids,
        missing_files=missing,
        backend=engine,
    )


@contextmanager
def _read_street_files(source: Path, engine: str) -> Iterator[list[Path]]:
    """The street files of ``source`` for the block that reads them; none is an error, and
    the engine's own parse errors inside the block are told as ours."""
    with _street_files(source) as files:
        if not files:
            raise InputFileError([Problem(str(source), None, None, "no *-street.csv files")])
        try:
            yield files
        except (InputFileError, UnknownMeasureError):
            raise
        except Exception as exc:
            # Where a check of the files finds the line at fault, that is what is said.
            found = [p for p in map(csv_fault, files) if p is not None]
            first = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
            message = f"cannot read as street files ({engine}): {first}"
            raise InputFileError(found or [Problem(str(source), None, None, message)]) from None


def _missing_note(names: list[str]) -> list[str]:
    missing = _missing_files(names)
    if not missing:
        return []
    shown = ", ".join(f"{f} {m}" for f, m in missing[:12])
    more = f" and {len(missing) - 12} more" if len(missing) > 12 else ""
    return [f"no file for {len(missing)} force-month(s): {shown}{more}"]


def _engine(backend: Backend) -> str:
    if backend not in ("auto", "polars", "duckdb", "pandas"):
        raise InputFileError(
            [
                Problem(
                    "<backend>",
                    None,
                    None,
                    f"unknown backend {backend!r}; use polars, duckdb, pandas or auto",
                )
            ]
        )
    from peelmetrics.records import _engine as fastest_for

    if backend == "auto":
        return fastest_for(parquet=False)  # the record reader's choice for CSV
    if installed(backend):
        return backend
    raise InputFileError(
        [Problem("<backend>", None, None, f"{backend} is not installed: pip install {backend}")]
    )


@contextmanager
def _street_files(source: Path) -> Iterator[list[Path]]:
    """The street CSVs of a file, a folder or an archive (unpacked to a temporary folder,
    with the same bounds on expansion as spreadsheets)."""
    if source.is_dir():
        yield sorted(p for p in source.rglob("*.csv") if p.name.lower().endswith("-street.csv"))
        return
    check_file(source)
    if source.suffix.lower() != ".zip":
        yield [source]
        return
    with unpacked(source, lambda name: name.lower().endswith("-street.csv")) as paths:
        yield paths


def _scan(files: list[Path], engine: str) -> Any:
    """A narwhals LazyFrame over the files' text columns, read as the record reader reads
    them (the CSV dialect given to DuckDB, pandas' strict reader)."""
    import narwhals as nw

    from peelmetrics.records import _open

    native, _connection = _open(engine, [str(f) for f in files], False, "1GB")
    frame = nw.from_native(native)
    return frame.lazy() if isinstance(frame, nw.DataFrame) else frame


def _aggregate(files: list[Path], engine: str) -> tuple[pd.DataFrame, tuple[int, int]]:
    import narwhals as nw

    from peelmetrics.records import POLICE_UK, _check_files, _check_rows, _collect, repeated_ids

    paths = [str(f) for f in files]
    _check_files(paths, False, POLICE_UK)
    if engine != "pandas":  # pandas' own reader is already strict
        _check_rows(paths, "1GB")
    lazy = _scan(files, engine)
    renames = match_columns(lazy.collect_schema().names(), _COLUMNS, str(files[0]))
    lazy = (
        lazy.rename(renames)
        .select([nw.col(c).fill_null("").str.strip_chars() for c in ("crime_id", *_KEYS)])
        .with_columns(nw.col("month").str.slice(0, 7))
    )  # as count_records reads a date
    grouped = _collect(lazy.group_by(_KEYS).agg(nw.len().alias("count")), lazy)
    return grouped, repeated_ids(lazy, "crime_id")


def _resolve(grouped: pd.DataFrame, where: str) -> tuple[pd.DataFrame, ReadReport]:
    """Force codes and month ends for the grouped table; the rest reported with the same
    reasons as :func:`~peelmetrics.records.count_records` gives (one accounting for both)."""
    from peelmetrics.records import POLICE_UK, _account

    keys = ["falls_within", "month"]
    totals = (
        grouped.groupby(keys, as_index=False, sort=False)
        .agg(rows=("count", "sum"))
        .rename(columns={"falls_within": "_force", "month": "_month"})
    )
    totals["matched"] = totals["rows"]  # the spec's two rules split every row
    good, report = _account(totals, POLICE_UK, where)
    breakdown = grouped.merge(good, left_on=keys, right_on=["_force", "_month"])
    breakdown = pd.DataFrame(
        {
            "force": breakdown["_code"],
            "month": pd.to_datetime(breakdown["_month"], format="%Y-%m") + pd.offsets.MonthEnd(0),
            "crime_type": breakdown["crime_type"],
            "outcome": breakdown["outcome"],
            "count": breakdown["count"].astype("int64"),
        }
    ).sort_values(["force", "month", "crime_type", "outcome"], ignore_index=True)
    return breakdown, report


def _missing_files(names: list[str]) -> tuple[tuple[str, str], ...]:
    """Force-months with no file, among the forces and months the file names cover."""
    found = {(m.group(2).lower(), m.group(1)) for m in map(_FILE.search, names) if m}
    if not found:
        return ()
    forces = sorted({f for f, _m in found})
    months = sorted({m for _f, m in found})
    span = pd.period_range(months[0], months[-1], freq="M").strftime("%Y-%m").tolist()
    return tuple((f, m) for f in forces for m in span if (f, m) not in found)
