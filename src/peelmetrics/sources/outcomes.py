"""Home Office crime outcomes open data tables (quarterly, long format).

The recorded crime columns plus ``Outcome Description | Outcome Group | Outcome Type |
Force outcomes for offences recorded in quarter | Force outcomes recorded in quarter``.

The first count is the **tracked** basis (outcomes assigned so far to offences recorded in
the quarter), used for the Force-in-numbers outcome shares and Figure 1: measures
``outcome_N``. The second is **untracked** (outcomes assigned in the quarter whenever the
offence was recorded): measures ``untracked_outcome_N``. Annex A: "Direct comparisons should
not be made between general crime outcomes and domestic abuse-related outcomes" — the two
bases never share a measure id. Header wording changes between editions, so headers are
matched by normalised synonyms. ``N/A`` cells (for example "N/A - Offence code expired") are
reported as excluded, never guessed.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path
from types import MappingProxyType

import numpy as np
import pandas as pd

from peelmetrics.errors import InputFileError, Problem
from peelmetrics.sources import long_tables as long
from peelmetrics.sources.account import ReadReport
from peelmetrics.sources.numbers import by_label, is_na, parse_counts

__all__ = ["read_outcomes"]

SOURCE = "Home Office crime outcomes open data tables"
_TRACKED = (
    "Force outcomes for offences recorded in quarter",
    # A third-party snake_case copy renames the tracked column "offences".
    "offences",
    "Force outcomes for offences recorded in the quarter",
    "Outcomes for offences recorded in quarter",
    "Force outcomes for investigations opened in the quarter",
)
_UNTRACKED = (
    "Force outcomes recorded in quarter",
    "Force outcomes recorded in the quarter",
    "Outcomes recorded in quarter",
    "Force outcomes for investigations closed in the quarter",
    "Force outcomes for investigations closed in quarter",
)
COLUMNS = MappingProxyType(
    {
        **long.LONG_COLUMNS,
        "outcome_type": ("Outcome Type", "Outcome Type Number", "Outcome"),
        "tracked": _TRACKED,
        "untracked": _UNTRACKED,
    }
)


#: Both bases' measure ids, one categorical vocabulary for every sheet and basis.
_MEASURES = pd.Index([f"{p}outcome_{n}" for p in ("", "untracked_") for n in range(23)])


def _outcome_numbers(labels: pd.Series[str]) -> pd.Series[float]:
    """Outcome type numbers from cells such as "16", "16.0" or "Outcome 16"; anything else
    ("-3", "1.5", "1 to 3", "2e1") is not an outcome type.

    >>> _outcome_numbers(pd.Series(["16", "1.0", "Outcome 8", "-3", "1.5", "1 to 3"])).tolist()
    [16.0, 1.0, 8.0, nan, nan, nan]
    """
    digits = labels.str.extract(r"^\s*(?:outcome\s*(?:type\s*)?)?(\d{1,2})(?:\.0+)?\s*$",
                                flags=re.I, expand=False)  # fmt: skip
    return pd.to_numeric(pd.Series(digits), errors="coerce").astype("float64")


def _sheet(
    frame: pd.DataFrame, rows: pd.Series[int], where: str
) -> tuple[pd.DataFrame, ReadReport]:
    tracked_na, untracked_na = is_na(frame["tracked"]), is_na(frame["untracked"])
    ends, reasons, used, codes, problems = long.sheet_rows(
        frame, rows, where, tracked_na & untracked_na, "both outcome counts are N/A in the source"
    )
    # Each distinct cell is read once; an outcome type is a small code per row, -1 if none.
    at_label, numbers = by_label(frame["outcome_type"], _outcome_numbers)
    per_label = np.where(numbers <= 22, numbers, -1)  # NaN compares false: -1
    type_code = per_label.astype(np.int8)[at_label]
    valid_type = type_code >= 0
    if (per_label < 0).any():
        problems += Problem.at_cells(where, rows, "Outcome Type", frame["outcome_type"],
                                     pd.Series(~valid_type, index=frame.index),
                                     " is not an outcome type 0-22")  # fmt: skip
    # Each basis's used rows: a block of quarterly rows each, the numbers parsed straight
    # into one array (no per-basis copies to join).
    taken = [used.to_numpy() & ~na.to_numpy() & valid_type for na in (tracked_na, untracked_na)]
    ends_at = np.cumsum([0, *(int(mask.sum()) for mask in taken)])
    value = np.empty(ends_at[-1])
    for basis, column in enumerate(("tracked", "untracked")):
        # Rows carry negative counts where outcomes are reassigned (published adjustments).
        problems += parse_counts(frame[column], rows, where, column, allow_negative=True,
                                 among=taken[basis],
                                 out=value[ends_at[basis] : ends_at[basis + 1]])[1]  # fmt: skip
    if problems:
        raise InputFileError(problems)
    # untracked_outcome_N follow the 23 tracked measures.
    measure = np.concatenate([type_code[mask] + 23 * basis for basis, mask in enumerate(taken)])
    return long.sheet_result(
        frame, rows, where, (ends, reasons, used, codes), taken,
        measure=pd.Categorical.from_codes(measure, categories=_MEASURES, validate=False),
        value=value,
        counted=int((used & (tracked_na ^ untracked_na)).sum()),
        note="used row(s) have N/A on one basis only; that basis leaves them out",
    )  # fmt: skip


def read_outcomes(
    path: str | Path, sheets: Sequence[str] | None = None
) -> tuple[pd.DataFrame, ReadReport]:
    """Read outcomes tables into rolling-year Counts on both bases.

    Returns
    -------
    counts, report
        ``outcome_N`` (tracked) and ``untracked_outcome_N`` Counts for 12-month windows with
        all four quarters present, and the reconciliation report.
    """
    return long.read_rolling_years(Path(path), COLUMNS, _sheet, SOURCE, sheets)
