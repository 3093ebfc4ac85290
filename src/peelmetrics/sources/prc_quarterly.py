"""Home Office police recorded crime open data tables (quarterly, long format).

Columns: ``Financial Year | Financial Quarter | Force Name | Offence Description | Offence
Group | Offence Subgroup | Offence Code | Number of Offences``; one sheet per financial year
(CSV, ODS, XLSX or XLS). Four quarters are summed into rolling 12-month ``recorded_crime``
(crime excluding fraud, Annex A). Fraud bodies' rows and fraud offence rows are reported as
excluded; ``N/a`` counts are reported, never guessed.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from types import MappingProxyType

import pandas as pd

from peelmetrics.counts import validate_counts
from peelmetrics.errors import InputFileError
from peelmetrics.sources._common import ReadReport, exclusions, parse_counts, resolve_names
from peelmetrics.sources._quarterly import FRAUD_BODIES, quarter_dates, read_long, rolling_years

__all__ = ["read_recorded_crime_quarterly"]

SOURCE = "Home Office police recorded crime open data tables"
COLUMNS = MappingProxyType(
    {
        "financial_year": ("Financial Year",),
        "quarter": ("Financial Quarter", "Quarter"),
        "force": ("Force Name", "Force", "PFA"),
        "offence_group": ("Offence Group",),
        "offence_subgroup": ("Offence Subgroup",),
        "value": ("Number of Offences", "Offences"),
    }
)


def _is_na(text: pd.Series[str]) -> pd.Series[bool]:
    return text.str.strip().str.casefold().str.startswith("n/a")


def fraud_rows(frame: pd.DataFrame) -> tuple[pd.Series[bool], pd.Series[bool]]:
    """(rows of national fraud bodies, fraud offence rows) in a long Home Office table."""
    body = frame["force"].str.strip().str.casefold().isin(FRAUD_BODIES)
    offence = frame["offence_group"].str.strip().str.casefold().str.startswith("fraud") | frame[
        "offence_subgroup"
    ].str.strip().str.casefold().str.startswith("fraud")
    return body, offence & ~body


def _sheet(
    frame: pd.DataFrame, rows: pd.Series[int], where: str
) -> tuple[pd.DataFrame, ReadReport]:
    ends, problems = quarter_dates(frame, rows, where)
    body, fraud = fraud_rows(frame)
    na = _is_na(frame["value"])
    reasons = pd.Series("", index=frame.index, dtype=str)
    reasons[na] = "count is N/a in the source"
    reasons[fraud] = "fraud offences are excluded from recorded crime (Annex A)"
    reasons[body] = "national fraud body, not attributable to a force (Annex A)"
    used = reasons == ""
    codes, bad = resolve_names(
        frame.loc[used, "force"].str.strip(), rows[used], where, "Force Name"
    )
    problems += bad
    values, bad = parse_counts(frame.loc[used, "value"], rows[used], where, "Number of Offences")
    problems += bad
    if problems:
        raise InputFileError(problems)
    quarterly = pd.DataFrame(
        {"force": codes, "period_end": ends[used], "measure": "recorded_crime", "value": values}
    )
    report = ReadReport(where, len(frame), int(used.sum()), exclusions(rows[~used], reasons[~used]))
    return quarterly, report


def read_recorded_crime_quarterly(
    path: str | Path, sheets: Sequence[str] | None = None
) -> tuple[pd.DataFrame, ReadReport]:
    """Read quarterly recorded crime tables into rolling-year ``recorded_crime`` Counts.

    Parameters
    ----------
    path
        CSV, or a spreadsheet with one sheet per financial year (needs the ``excel`` extra).
    sheets
        Sheet names to read (default: every sheet).

    Returns
    -------
    counts, report
        Counts of 12-month windows ending at each quarter end for which all four quarters
        are present, and the reconciliation report.
    """
    path = Path(path)
    quarterly, report = read_long(path, COLUMNS, _sheet, sheets)
    grouped = quarterly.groupby(["force", "measure", "period_end"], as_index=False).agg(
        value=("value", "sum")
    )
    counts = rolling_years(grouped).assign(source=f"{SOURCE}: {path.name}")
    return validate_counts(counts, file=f"{path} (derived counts)"), report
