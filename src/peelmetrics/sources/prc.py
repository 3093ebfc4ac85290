"""Home Office police recorded crime by Police Force Area, rolling 12-month totals.

The ``rec-crime-pfa.csv`` layout: ``12 months ending`` (DD-MM-YYYY; DD/MM/YYYY and ISO read),
``PFA``, ``Region``, ``Offence``, ``Rolling year total number of offences``.
Produces ``recorded_crime`` (crime excluding fraud) per force per rolling year.

Annex A, "Recorded crime and crime outcomes": "Total police-recorded crime includes all crime,
except fraud offences". Fraud has been recorded nationally by Action Fraud (with CIFAS and UK
Finance) since the year ending March 2014, so their rows and every force's "Fraud offences"
rows are reported as excluded, with the reason. British Transport Police keeps its rows
(code ``BTP``); compute leaves it out of England and Wales figures. Burglary before and after
the April 2017 reclassification (domestic/non-domestic, residential/non-residential) both
count.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from functools import partial
from pathlib import Path
from types import MappingProxyType
from typing import Any

import pandas as pd

from peelmetrics.counts import parse_dates, validate_counts
from peelmetrics.errors import InputFileError, Problem, shorten
from peelmetrics.forces import is_fraud_body, is_fraud_offence, resolve_names
from peelmetrics.sources.account import ReadReport, exclusions, read_parts
from peelmetrics.sources.columns import (
    HEADER_SEARCH_ROWS,
    find_header,
    header_sheets,
    match_columns,
)
from peelmetrics.sources.files import csv_rows, is_spreadsheet, read_csv_text, record_lines
from peelmetrics.sources.long_tables import set_aside
from peelmetrics.sources.numbers import is_na, parse_counts

__all__ = ["read_recorded_crime_pfa"]

SOURCE = "Home Office police recorded crime by PFA (rolling year)"

_COLUMNS = MappingProxyType(
    {
        "period_end": ("12 months ending", "Rolling year ending", "Year ending"),
        "pfa": ("PFA", "Police Force Area", "Force Name", "Force"),
        "region": ("Region",),
        "offence": ("Offence", "Offence group", "Offence Description"),
        "value": ("Rolling year total number of offences", "Number of offences", "Offences"),
    }
)


def _period_ends(periods: Iterable[date | str]) -> list[pd.Timestamp]:
    from peelmetrics.errors import InvalidValueError

    given = list([periods] if isinstance(periods, str | date) else periods)
    parsed = parse_dates(pd.Series(given, dtype=object))
    bad = [g for g, p in zip(given, parsed, strict=True) if pd.isna(p)]
    if bad:
        raise InvalidValueError(f"periods must be dates (YYYY-MM-DD); not {shorten(bad[0])}")
    return list(parsed)


def read_recorded_crime_pfa(
    path: str | Path, periods: Iterable[date | str] | None = None
) -> tuple[pd.DataFrame, ReadReport]:
    """Read the rolling-year PFA file into Counts of ``recorded_crime`` (excluding fraud).

    Parameters
    ----------
    path
        The CSV file, or a workbook of it as published (every sheet holding the table,
        below any title; blank rows and a source line below it excluded with the reason).
    periods
        Year-end dates to keep (e.g. ``["2016-06-30", "2017-06-30"]``); rows of other years
        are reported as excluded. Default: every year in the file.

    Returns
    -------
    counts, report
        Counts (one row per force and year end, British Transport Police included) and the
        reconciliation report.

    Raises
    ------
    InputFileError
        Listing every bad row: unparseable dates, unknown forces, non-numeric or negative
        counts, missing columns.
    """
    path = Path(path)
    if is_spreadsheet(path):
        # A workbook as published: each sheet holding the table, below any title.
        tables, skipped = header_sheets(path, _COLUMNS)

        def sheet(part: tuple[str, pd.DataFrame, int]) -> tuple[pd.DataFrame, ReadReport]:
            where, table, first = part
            table = table.rename(columns=match_columns(table.columns, _COLUMNS, where))
            rows = pd.Series(range(first, first + len(table)), index=table.index)
            return set_aside(partial(_rolling_years, name=path.name, periods=periods),
                             table, rows, where)  # fmt: skip

        heading = ", ".join(synonyms[0] for synonyms in _COLUMNS.values())
        nothing = f"no sheet holds the table's header ({heading})"
        counts, report = read_parts(tables, sheet, str(path), nothing, skipped)
        # Sheets may not give one force and year twice between them either.
        return validate_counts(counts, file=str(path), check_measures=False), report
    # A sheet saved as CSV keeps the title above its header.
    at = find_header(csv_rows(path, HEADER_SEARCH_ROWS), _COLUMNS, str(path)) or 0
    raw = read_csv_text(path, skiprows=at)
    raw = raw.rename(columns=match_columns(raw.columns, _COLUMNS, str(path)))
    lines = record_lines(path, len(raw), blank_lines=False, skip=at)
    rows = pd.Series(lines.to_numpy(), index=raw.index)
    return _rolling_years(raw, rows, str(path), path.name, periods)


def _rolling_years(
    raw: pd.DataFrame,
    rows: pd.Series[int],
    file: str,
    name: str,
    periods: Iterable[date | str] | None,
) -> tuple[pd.DataFrame, ReadReport]:
    """Counts of ``recorded_crime`` and the account from one table of text cells (columns
    renamed to the canonical names) whose rows are numbered ``rows`` in ``file``."""
    problems: list[Problem] = []

    # Dates as every reader reads them: day first as the file writes them (DD-MM-YYYY or
    # DD/MM/YYYY), or ISO as a tool re-saving it may (2017-06-30); nothing else is guessed.
    ends = parse_dates(raw["period_end"])
    problems += Problem.at_cells(file, rows, "12 months ending", raw["period_end"], ends.isna(),
                                 " is not a date (DD-MM-YYYY or YYYY-MM-DD)")  # fmt: skip
    # Offence rows can carry small negative rolling totals where cancelled records outnumber
    # new ones; they are published figures, so they are summed as published and noted.
    # A count marked not given ("N/a", "[x]", "..") is no count: excluded as the quarterly
    # tables exclude it (read as 0 here, never used).
    not_given = is_na(raw["value"])
    values, bad = parse_counts(
        raw["value"].where(~not_given, "0"),
        rows,
        file,
        "Rolling year total number of offences",
        allow_negative=True,
    )
    problems += bad

    fraud_body = is_fraud_body(raw["pfa"]) | raw["region"].str.startswith("Fraud:")
    fraud_offence = is_fraud_offence(raw["offence"])
    wanted = pd.Series(True, index=raw.index)
    if periods is not None:
        keep = set(_period_ends(periods))
        wanted = ends.isin(keep)

    codes, bad = resolve_names(raw["pfa"][~fraud_body], rows[~fraud_body], file, "PFA")
    problems += bad
    if problems:
        raise InputFileError(problems)

    reasons = pd.Series("", index=raw.index, dtype=str)
    reasons[not_given] = "count is N/a in the source"
    # A rolling year ends on the last day of a month. The published file has at least one
    # date that does not ("30-12-2017"); its rows are reported, not guessed into a period.
    not_month_end = ~ends.dt.is_month_end
    reasons[not_month_end] = (
        "'12 months ending' " + raw["period_end"] + " is not the last day of a month"
    )
    reasons[~wanted] = "year end not selected"
    reasons[fraud_offence & wanted] = "fraud offences are excluded from recorded crime (Annex A)"
    reasons[fraud_body & wanted] = "national fraud body, not attributable to a force (Annex A)"
    used = reasons == ""
    # A row given twice would be summed into the force's total: an error naming both rows.
    keys = pd.DataFrame({"pfa": raw["pfa"].str.strip().str.casefold(), "end": ends,
                         "offence": raw["offence"].str.strip().str.casefold()})[used]  # fmt: skip
    twice = keys.duplicated(keep=False)
    if twice.any():
        first = keys[twice].groupby(list(keys.columns), sort=False).groups

        def said(ids: Any) -> Problem:
            what = f"{shorten(raw.at[ids[0], 'pfa'])}, {shorten(raw.at[ids[0], 'offence'])}"
            when, first_row = shorten(raw.at[ids[0], "period_end"]), int(rows[ids[0]])
            message = f"{what} to {when} given twice (first at row {first_row}); never summed"
            return Problem(file, int(rows[ids[1]]), "Offence", message)

        raise InputFileError(said(ids) for ids in list(first.values())[:20])

    frame = pd.DataFrame({"force": codes[used], "period_end": ends[used], "value": values[used]})
    counts = (
        frame.groupby(["force", "period_end"], as_index=False, sort=True)["value"]
        .sum()
        .assign(period_months=12, measure="recorded_crime", source=f"{SOURCE}: {name}")
    )
    negative = int((used & (values < 0)).sum())
    notes = (
        (
            f"{negative} used offence row(s) carry negative rolling totals (published "
            "adjustments); summed as published",
        )
        if negative
        else ()
    )
    report = ReadReport(
        file, len(raw), int(used.sum()), exclusions(rows[~used], reasons[~used]), notes
    )
    return validate_counts(counts, file=f"{file} (derived counts)", check_measures=False), report
