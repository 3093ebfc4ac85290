"""Counts as Parquet: the columnar twin of the tidy Counts CSV.

A national read of record files (``peelmetrics read --records ... --output counts.parquet``)
writes Counts here; ``--counts counts.parquet`` reads them back into :func:`compute`. The
columns are the Counts columns (:mod:`peelmetrics.counts`), with ``period_end`` a date and
the optional ``missing_months``. Needs pyarrow (``pip install "peelmetrics[records]"``).

>>> import tempfile, pathlib
>>> from peelmetrics.counts import make_counts
>>> counts = make_counts([("Kent", "2017-06-30", 12, "dvpos_granted", 12, "force return")])
>>> path = pathlib.Path(tempfile.mkdtemp()) / "counts.parquet"
>>> write_counts_parquet(counts, path)
>>> again, report = read_counts_parquet(path)
>>> again.equals(counts), report.rows_used
(True, 1)
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from peelmetrics._extras import need
from peelmetrics.counts import COUNTS_COLUMNS, OPTIONAL_COLUMNS, validate_counts
from peelmetrics.errors import InputFileError, shorten
from peelmetrics.sources.account import ReadReport, exclusions
from peelmetrics.sources.files import check_file

if TYPE_CHECKING:  # pragma: no cover
    from peelmetrics.catalogue import Edition

__all__ = ["read_counts_parquet", "write_counts_parquet"]


def _pyarrow() -> None:
    need("pyarrow", "Parquet", "records")


def write_counts_parquet(counts: pd.DataFrame, path: str | Path) -> None:
    """Write validated Counts to ``path`` as Parquet (created or replaced)."""
    _pyarrow()
    counts = validate_counts(counts, check_measures=False)
    counts.to_parquet(path, index=False)


def read_counts_parquet(
    path: str | Path, *, edition: Edition | str | None = None
) -> tuple[pd.DataFrame, ReadReport]:
    """Read Counts from a Parquet file; rows are numbered from 1 in errors.

    Raises
    ------
    InputFileError
        When the file is not readable Parquet, lacks a Counts column, or breaks a Counts
        rule (every problem at once, with its row and column).
    """
    _pyarrow()
    import pyarrow as pa
    import pyarrow.parquet as pq

    path = Path(path)
    file = str(path)
    check_file(path)
    try:
        names = pq.read_schema(path).names
        wanted = [c for c in (*COUNTS_COLUMNS, *OPTIONAL_COLUMNS) if c in names]
        frame = pq.read_table(path, columns=wanted).to_pandas()
    except (pa.ArrowException, OSError, ValueError) as exc:
        raise InputFileError.at(file, f"not a readable Parquet file: {exc}") from None
    if not set(COUNTS_COLUMNS) & set(names):
        # Record-level Parquet (one row per crime) is counted by a spec, not read as Counts.
        raise InputFileError.at(
            file,
            "has none of the Counts columns "
            f"({', '.join(COUNTS_COLUMNS)}); record files are counted with "
            "`peelmetrics read --records FILE --spec NAME`",
        )
    rows = pd.Series(range(1, len(frame) + 1), index=frame.index)
    counts = validate_counts(frame, edition=edition, file=file, rows=rows)
    extra = [c for c in names if c not in wanted]
    notes = tuple(f"column {shorten(c)} is not part of Counts and was ignored" for c in extra)
    return counts, ReadReport(file, len(frame), len(frame), exclusions(rows[:0], ""), notes)
