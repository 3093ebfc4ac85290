"""Home Office open data tables in long format: one row per force, quarter and offence (and
outcome), one sheet per financial year. Shared by the recorded crime and outcomes readers."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from datetime import date
from pathlib import Path
from types import MappingProxyType

import pandas as pd

from peelmetrics.errors import InputFileError, Problem
from peelmetrics.sources._common import (
    ReadReport,
    is_spreadsheet,
    match_columns,
    read_csv_text,
    read_sheets,
)

FRAUD_BODIES = ("action fraud", "cifas", "uk finance")

#: Columns every Home Office long table has (canonical name -> accepted headers).
LONG_COLUMNS = MappingProxyType(
    {
        "financial_year": ("Financial Year",),
        "quarter": ("Financial Quarter", "Quarter"),
        "force": ("Force Name", "Force", "PFA"),
        "offence_group": ("Offence Group",),
        "offence_subgroup": ("Offence Subgroup",),
    }
)

_QUARTER_END = MappingProxyType({1: (0, 6, 30), 2: (0, 9, 30), 3: (0, 12, 31), 4: (1, 3, 31)})

#: Processes one sheet: (frame with canonical columns, 1-based row numbers, where) ->
#: (quarterly counts with force, period_end, measure, value; report).
SheetReader = Callable[[pd.DataFrame, "pd.Series[int]", str], tuple[pd.DataFrame, ReadReport]]


def is_na(text: pd.Series[str]) -> pd.Series[bool]:
    """Cells the Home Office marks as not available ("N/a", "N/A - Offence code expired")."""
    return text.str.strip().str.casefold().str.startswith("n/a")


def fraud_rows(frame: pd.DataFrame) -> tuple[pd.Series[bool], pd.Series[bool]]:
    """(rows of national fraud bodies, fraud offence rows) in a long Home Office table."""
    body = frame["force"].str.strip().str.casefold().isin(FRAUD_BODIES)
    group = frame["offence_group"].str.strip().str.casefold()
    subgroup = frame["offence_subgroup"].str.strip().str.casefold()
    offence = group.str.startswith("fraud") | subgroup.str.startswith("fraud")
    return body, offence & ~body


def exclusion_reasons(frame: pd.DataFrame, na: pd.Series[bool], na_reason: str) -> pd.Series[str]:
    """Why each row is left out ("" for used rows): N/A counts, then fraud (Annex A: recorded
    crime excludes fraud; the national fraud bodies' data belong to no force)."""
    body, fraud = fraud_rows(frame)
    reasons = pd.Series("", index=frame.index, dtype=str)
    reasons[na] = na_reason
    reasons[fraud] = "fraud offences are excluded from recorded crime (Annex A)"
    reasons[body] = "national fraud body, not attributable to a force (Annex A)"
    return reasons


def quarter_end(financial_year: str, quarter: str) -> date | None:
    """Last day of a financial quarter: ("2016/17", "1") -> 30 June 2016; None if unreadable.

    >>> quarter_end("2016/17", "4"), quarter_end("2016-17", "Q2"), quarter_end("x", "1")
    (datetime.date(2017, 3, 31), datetime.date(2016, 9, 30), None)
    """
    year = re.match(r"\s*(\d{4})", str(financial_year))
    q = re.search(r"([1-4])\s*$", str(quarter).strip())
    if not year or not q:
        return None
    offset, month, day = _QUARTER_END[int(q.group(1))]
    return date(int(year.group(1)) + offset, month, day)


def read_long(
    path: Path,
    columns: Mapping[str, Sequence[str]],
    reader: SheetReader,
    sheets: Sequence[str] | None = None,
) -> tuple[pd.DataFrame, ReadReport]:
    """Read every sheet (or the CSV) with ``reader`` and stack the quarterly counts."""
    if is_spreadsheet(path):
        tables = read_sheets(path, sheets, dtype=str, keep_default_na=False)
        offset = 2  # header on the first row of each sheet
    else:
        tables = {path.name: read_csv_text(path)}
        offset = 2
    frames, reports = [], []
    problems: list[Problem] = []
    for name, table in tables.items():
        where = f"{path} [{name}]" if is_spreadsheet(path) else str(path)
        if table.empty and len(table.columns) == 0:
            continue
        try:
            renamed = table.rename(columns=match_columns(table.columns, columns, where))
            rows = pd.Series(range(offset, len(table) + offset), index=table.index)
            frame, report = reader(renamed, rows, where)
        except InputFileError as exc:
            problems.extend(exc.problems)
            continue
        frames.append(frame)
        reports.append(report)
    if problems:
        raise InputFileError(problems)
    if not frames:
        raise InputFileError([Problem(str(path), None, None, "no sheet with data")])
    return pd.concat(frames, ignore_index=True), ReadReport.merge(reports, str(path))


def quarter_dates(
    frame: pd.DataFrame, rows: pd.Series[int], where: str
) -> tuple[pd.Series[pd.Timestamp], list[Problem]]:
    """Quarter end dates from ``financial_year`` and ``quarter`` columns."""
    # Each distinct (year, quarter) pair is parsed once: long tables repeat them on every row.
    pairs = frame["financial_year"].astype(str) + "\x1f" + frame["quarter"].astype(str)
    parsed = {p: quarter_end(*p.split("\x1f")) for p in pairs.unique()}
    ends = pd.to_datetime(pd.Series(parsed, dtype=object))
    series = pd.Series(pairs.map(ends).to_numpy(), index=frame.index).astype("datetime64[ns]")
    problems = [
        Problem(
            where,
            int(rows[i]),
            "Financial Year",
            f"cannot read quarter {frame.at[i, 'financial_year']!r} Q{frame.at[i, 'quarter']!r}",
        )
        for i in frame.index[series.isna()]
    ]
    return series, problems


def rolling_years(quarterly: pd.DataFrame) -> pd.DataFrame:
    """Sum four consecutive quarters into 12-month windows ending at each quarter end.

    A window is produced only where all four quarters are present for that force and
    measure; the windows are Counts rows with ``period_months`` 12.
    """
    if quarterly.empty:
        return quarterly.assign(period_months=pd.Series(dtype="int64"))
    table = quarterly.pivot_table(
        index=["force", "measure"], columns="period_end", values="value", aggfunc="sum"
    )
    ends = sorted(table.columns)
    out = []
    for end in ends:
        stamp = pd.Timestamp(end)
        window = [stamp] + [stamp - pd.offsets.QuarterEnd(k) for k in range(1, 4)]
        if not all(w in table.columns for w in window):
            continue
        block = table[window]
        complete = block.notna().all(axis=1)
        summed = block[complete].sum(axis=1)
        out.append(summed.rename("value").reset_index().assign(period_end=end))
    if not out:
        return pd.DataFrame(columns=["force", "measure", "value", "period_end", "period_months"])
    result = pd.concat(out, ignore_index=True)
    return result.assign(period_months=12)


def read_rolling_years(
    path: Path,
    columns: Mapping[str, Sequence[str]],
    reader: SheetReader,
    source: str,
    sheets: Sequence[str] | None = None,
) -> tuple[pd.DataFrame, ReadReport]:
    """Read a long table with ``reader``, sum each force's quarters into rolling years and
    return validated Counts with the reconciliation report."""
    from peelmetrics.counts import validate_counts

    quarterly, report = read_long(path, columns, reader, sheets)
    grouped = quarterly.groupby(["force", "measure", "period_end"], as_index=False).agg(
        value=("value", "sum")
    )
    counts = rolling_years(grouped).assign(source=f"{source}: {path.name}")
    return validate_counts(counts, file=f"{path} (derived counts)"), report
