"""The tidy Counts CSV: the format users write by hand.

For data that is not published as open data (the HMICFRS returns: domestic abuse arrests,
DVPOs, OCGs, MARAC referrals, calls for assistance, ASB powers), a user writes one row per
force, period and measure::

    force,period_end,measure,value,period_months,source
    Hertfordshire,2017-06-30,dvpos_granted,68,12,PEEL 2017 report
    Hertfordshire,2017-07-01,organised_crime_groups,55,0,force return

``force`` is any spelling :func:`~peelmetrics.resolve_force` accepts; ``period_end`` is an
ISO date (``2017-06-30``) or ``30/06/2017``; ``period_months`` defaults to the measure's
usual window (0, "as at", for populations and OCGs; 12 otherwise); ``source`` defaults to
the file name; ``missing_months`` (optional) names months a window's records did not cover.
Every problem in the file is reported at once, with its row and column.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from peelmetrics.counts import parse_dates, validate_counts
from peelmetrics.errors import InputFileError, Problem, shorten
from peelmetrics.forces import resolve_names
from peelmetrics.sources.account import ReadReport, exclusions, read_parts
from peelmetrics.sources.columns import (
    duplicated_headers,
    header_sheets,
    normalise_header,
)
from peelmetrics.sources.files import (
    csv_header,
    is_spreadsheet,
    read_csv_text,
    record_lines,
)
from peelmetrics.sources.numbers import parse_counts

if TYPE_CHECKING:  # pragma: no cover
    from peelmetrics.catalogue import Edition

__all__ = ["read_counts_csv"]

_REQUIRED = ("force", "period_end", "measure", "value")
_OPTIONAL = ("period_months", "source", "missing_months")


def read_counts_csv(
    path: str | Path, *, edition: Edition | str | None = None
) -> tuple[pd.DataFrame, ReadReport]:
    """Read a tidy Counts CSV written by hand, or Counts kept in a workbook (``.xlsx``,
    ``.ods``, ...: every sheet whose header row, within its first rows, names the Counts
    columns; other sheets are skipped and named in the report's notes).

    Returns
    -------
    counts, report
        Validated Counts and the reconciliation report (blank rows are reported as excluded).

    Raises
    ------
    InputFileError
        Listing every problem with file, row and column: missing columns, unknown forces or
        measures, unparseable dates, non-numeric or negative values, window lengths other
        than 0, 1, 3 or 12, duplicate rows for the same force, period and measure.
    """
    from peelmetrics.catalogue import get as get_edition

    edition = get_edition(edition)
    path = Path(path)
    if is_spreadsheet(path):
        return _read_workbook(path, edition)
    file = str(path)
    repeated = duplicated_headers(csv_header(path), file)
    if repeated:
        raise InputFileError(repeated)
    raw = read_csv_text(path, skip_blank_lines=False)
    rows = pd.Series(record_lines(path, len(raw)).to_numpy(), index=raw.index)
    counts, report = _counts(raw, rows, file, path.name, edition)
    return validate_counts(counts, edition=edition, file=file, rows=rows[counts.index]), report


def _read_workbook(path: Path, edition: Edition) -> tuple[pd.DataFrame, ReadReport]:
    """Counts from every sheet of a workbook that has the Counts header."""
    tables, skipped = header_sheets(path, {c: (c,) for c in _REQUIRED})

    def sheet(part: tuple[str, pd.DataFrame, int]) -> tuple[pd.DataFrame, ReadReport]:
        where, raw, first = part
        raw = raw.reset_index(drop=True)
        rows = pd.Series(range(first, first + len(raw)), index=raw.index)
        counts, report = _counts(raw, rows, where, path.name, edition)
        checked = validate_counts(counts, edition=edition, file=where, rows=rows[counts.index])
        return checked, report

    counts, report = read_parts(tables, sheet, str(path), "no sheet has the Counts columns "
                                f"({', '.join(_REQUIRED)}) in its header row", skipped,
                                "the Counts header")  # fmt: skip
    # Sheets may not give one force, period and measure twice between them either.
    return validate_counts(counts, edition=edition, file=str(path)), report


def _counts(
    raw: pd.DataFrame, rows: pd.Series[int], file: str, name: str, edition: Edition
) -> tuple[pd.DataFrame, ReadReport]:
    """Counts (not yet validated; index: ``raw``'s) from a table of text cells whose rows
    are numbered ``rows`` in ``file``; ``name`` is the default ``source``."""
    raw = raw.set_axis([normalise_header(c).replace(" ", "_") for c in raw.columns], axis=1)
    missing = [c for c in _REQUIRED if c not in raw.columns]
    if missing:
        found = ", ".join(raw.columns)
        raise InputFileError(
            Problem(file, int(rows.iloc[0]) - 1 if len(rows) else 1, c,
                    f"required column is missing (found: {found})") for c in missing
        )  # fmt: skip
    extra = [c for c in raw.columns if c not in _REQUIRED + _OPTIONAL]
    blank = (raw.astype(str).apply(lambda col: col.str.strip()) == "").all(axis=1)
    data, data_rows = raw[~blank], rows[~blank]
    problems: list[Problem] = []

    codes, bad = resolve_names(data["force"].str.strip(), data_rows, file, "force")
    problems += bad
    measures = data["measure"].str.strip()
    known = {m.id for m in edition.measures}
    unknown = ~measures.isin(list(known))
    if unknown.any():
        # The first row of each unknown name in one pass: many distinct names stay linear.
        firsts = data_rows[unknown].groupby(measures[unknown].to_numpy(), sort=True).first()
        for n, (name, first) in enumerate(firsts.items()):
            if n >= 50:  # suggestions are a fuzzy match each: the first few names get them
                problems.append(
                    Problem(file, int(first), "measure", f"unknown measure {shorten(name)}")
                )
                continue
            try:
                edition.measure(str(name))
            except LookupError as exc:
                problems.append(Problem(file, int(first), "measure", str(exc)))
    ends = parse_dates(data["period_end"])
    problems += Problem.at_cells(file, data_rows, "period_end", data["period_end"], ends.isna(),
                                 " is not a date (use YYYY-MM-DD)")  # fmt: skip
    values, bad = parse_counts(data["value"], data_rows, file, "value")
    problems += bad
    # A blank period_months takes the measure's usual window; a given one must parse (and
    # validate_counts then checks it is an allowed length).
    months = measures.map({m.id: m.default_months for m in edition.measures}).astype("float64")
    if "period_months" in data.columns:
        text = data["period_months"].str.strip()
        given = text != ""
        parsed, bad = parse_counts(
            text[given], data_rows[given], file, "period_months", allow_negative=True
        )
        problems += bad
        months[given] = parsed
    if problems:
        raise InputFileError(sorted(problems, key=lambda p: (p.row or 0, p.column or "")))

    from peelmetrics.report import undefuse

    source = (
        # The apostrophe our CSV writers put before a formula-like text comes off again:
        # a round trip keeps the source as it was.
        undefuse(data["source"]).where(data["source"].str.strip() != "", name)
        if "source" in data.columns
        else pd.Series(name, index=data.index)
    )
    counts = pd.DataFrame(
        {
            "force": codes,
            "period_end": ends,
            "period_months": months,
            "measure": measures,
            "value": values,
            "source": source,
        }
    )
    if "missing_months" in data.columns:
        counts["missing_months"] = data["missing_months"].str.strip()
    notes = tuple(f"column {shorten(c)} is not part of Counts and was ignored" for c in extra)
    report = ReadReport(file, len(raw), len(data), exclusions(rows[blank], "blank row"), notes)
    return counts, report
