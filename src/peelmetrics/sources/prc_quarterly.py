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

import numpy as np
import pandas as pd

from peelmetrics.errors import InputFileError
from peelmetrics.sources import long_tables as long
from peelmetrics.sources.account import ReadReport
from peelmetrics.sources.numbers import is_na, parse_counts

__all__ = ["read_recorded_crime_quarterly"]

SOURCE = "Home Office police recorded crime open data tables"
COLUMNS = MappingProxyType({**long.LONG_COLUMNS, "value": ("Number of Offences", "Offences")})


def _sheet(
    frame: pd.DataFrame, rows: pd.Series[int], where: str
) -> tuple[pd.DataFrame, ReadReport]:
    ends, reasons, used, codes, problems = long.sheet_rows(
        frame, rows, where, is_na(frame["value"]), "count is N/a in the source"
    )
    # Quarters can carry small negative counts where cancelled records outnumber new ones
    # (published adjustments): summed as published; a negative year is refused later.
    numbers, bad = parse_counts(frame["value"], rows, where, "Number of Offences",
                                allow_negative=True, among=used.to_numpy())  # fmt: skip
    problems += bad
    if problems:
        raise InputFileError(problems)
    values = numbers.to_numpy("float64")
    return long.sheet_result(
        frame, rows, where, (ends, reasons, used, codes), [used.to_numpy()],
        measure=pd.Categorical.from_codes(np.zeros(len(values), dtype=np.int8),
                                          pd.Index(["recorded_crime"])),
        value=values, counted=int((values < 0).sum()),
        note="used row(s) carry negative quarterly counts (published adjustments), summed as "
        "published",
    )  # fmt: skip


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
    return long.read_rolling_years(Path(path), COLUMNS, _sheet, SOURCE, sheets)
