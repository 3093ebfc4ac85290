"""Home Office open data tables in long format: one row per force, quarter and offence (and
outcome), one sheet per financial year. What the recorded crime and outcomes readers share:
reading the sheets, the rows every sheet starts from (:func:`sheet_rows`), the duplicate
check and rolling years."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from datetime import date
from pathlib import Path
from types import MappingProxyType
from typing import Any, cast

import attrs
import numpy as np
import numpy.typing as npt
import pandas as pd

from peelmetrics.errors import InputFileError, Problem, shorten
from peelmetrics.forces import is_fraud_body, is_fraud_offence, resolve_names
from peelmetrics.sources.account import ReadReport, exclusions, read_parts
from peelmetrics.sources.columns import (
    HEADER_SEARCH_ROWS,
    duplicated_headers,
    find_header,
    header_sheets,
    match_columns,
)
from peelmetrics.sources.files import csv_rows, is_spreadsheet, read_csv_labels
from peelmetrics.sources.numbers import label_codes, on_labels

#: Columns every Home Office long table has (canonical name -> accepted headers).
LONG_COLUMNS = MappingProxyType(
    {
        "financial_year": ("Financial Year",),
        "quarter": ("Financial Quarter", "Quarter"),
        "force": ("Force Name", "Force", "PFA"),
        "offence_group": ("Offence Group",),
        "offence_subgroup": ("Offence Subgroup",),
        "offence_code": ("Offence Code",),
    }
)
#: Columns that identify one row of a long table: a second row with the same key is a
#: duplicate, which would otherwise be added into the year.
ROW_KEY = ("force", "period_end", "measure", "offence_code")

#: "2016/17", "2016-17", "2016/2017" or "2016": the financial year starting in April 2016.
_FINANCIAL_YEAR = re.compile(r"((?:19|20)\d{2})(?:\s*[/-]\s*(\d{2}|\d{4}))?")
#: "1", "1.0", "Q1": a quarter of the financial year.
_QUARTER = re.compile(r"(?:q\s*)?([1-4])(?:\.0+)?", re.I)
_QUARTER_END = MappingProxyType({1: (0, 6, 30), 2: (0, 9, 30), 3: (0, 12, 31), 4: (1, 3, 31)})

#: Processes one sheet: (frame with canonical columns, 1-based row numbers, where) ->
#: (quarterly counts with force, period_end, measure, value; report).
SheetReader = Callable[[pd.DataFrame, "pd.Series[int]", str], tuple[pd.DataFrame, ReadReport]]


#: What an empty cell holds, as read: nothing, or "NA" as R writes a missing value (and
#: "nan" as a number cell left empty reads).
_NOTHING = ("", "na", "nan")


def blank_rows(frame: pd.DataFrame) -> pd.Series[bool]:
    """Rows with nothing in any cell (empty, or "NA" as R writes a missing value)."""

    def nothing(column: pd.Series[Any]) -> pd.Series[bool]:
        return on_labels(column, lambda s: s.str.strip().str.casefold().isin(_NOTHING)).astype(bool)

    if not len(frame.columns):
        return pd.Series(True, index=frame.index)
    # The first column rules out almost every row; the others are read for the rest only.
    empty = nothing(frame[frame.columns[0]])
    for column in frame.columns[1:]:
        if not empty.any():
            break
        empty[empty] = nothing(frame.loc[empty, column]).to_numpy()
    return empty


#: At most this many one-cell rows end a table (a source line, footnotes): more is data
#: gone wrong, told row by row as any other.
_NOTE_ROWS = 20


def notes_below(frame: pd.DataFrame, blank: pd.Series[bool]) -> pd.Series[bool]:
    """The rows after a table's last data row that fill one cell only, with words: the
    source line and footnotes a published sheet ends with ("Source: Home Office"), not
    data. ``blank``: the blank rows, passed over. Only the last rows are read."""
    below = np.zeros(len(frame), dtype=bool)
    for position in np.flatnonzero(~blank.to_numpy())[::-1][: _NOTE_ROWS + 1]:
        cells = frame.iloc[position].astype(str).str.strip()
        filled = cells[~cells.str.casefold().isin(_NOTHING)]
        # Words, not a value: a file cut short in its last row's first cell is no note.
        if len(filled) != 1 or not re.search(r"[^\W\d_]+\s+\S", filled.iloc[0]):
            break
        below[position] = True
    if below.sum() > _NOTE_ROWS:
        below[:] = False
    return pd.Series(below, index=frame.index, dtype=bool)


def set_aside(
    reader: SheetReader, table: pd.DataFrame, rows: pd.Series[int], where: str
) -> tuple[pd.DataFrame, ReadReport]:
    """``reader(table, rows, where)`` over the rows of a table that hold data: its blank
    rows and the notes below it (a published sheet's source line) are read and excluded,
    each with its reason."""
    blank = blank_rows(table)
    notes = notes_below(table, blank)
    if not blank.any() and not notes.any():  # the usual case: no copy of a million rows
        return reader(table, rows, where)
    kept = ~(blank | notes)
    frame, report = reader(table[kept], rows[kept], where)
    report = report.excluding(rows[blank], "blank row")
    return frame, report.excluding(rows[notes], "a note below the table, not data")


def fraud_rows(frame: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """(rows of national fraud bodies, fraud offence rows) in a long Home Office table.
    Each column's labels are tested once (:func:`on_labels`)."""

    def fraud(column: str) -> np.ndarray:
        return on_labels(frame[column], is_fraud_offence).to_numpy(dtype=bool)

    # is_fraud_body and is_fraud_offence read case and stray spaces themselves.
    body = on_labels(frame["force"], is_fraud_body).to_numpy(dtype=bool)
    offence = fraud("offence_group") | fraud("offence_subgroup")
    return body, offence & ~body


def exclusion_reasons(frame: pd.DataFrame, na: pd.Series[bool], na_reason: str) -> pd.Series[str]:
    """Why each row is left out ("" for used rows): N/A counts, then fraud (Annex A: recorded
    crime excludes fraud; the national fraud bodies' data belong to no force). Categorical:
    a million rows hold four reasons."""
    body, fraud = fraud_rows(frame)
    code = np.zeros(len(frame), dtype=np.int8)
    code[na.to_numpy(dtype=bool)] = 1
    code[fraud] = 2
    code[body] = 3
    labels = ["", na_reason, "fraud offences are excluded from recorded crime (Annex A)",
              "national fraud body, not attributable to a force (Annex A)"]  # fmt: skip
    return pd.Series(pd.Categorical.from_codes(code, categories=pd.Index(labels)),
                     index=frame.index, copy=False)  # fmt: skip


def used_forces(
    frame: pd.DataFrame, rows: pd.Series[int], used: pd.Series[bool], where: str
) -> tuple[pd.Series[Any], list[Problem]]:
    """Each row's force as an ONS code, missing where the row is not ``used``; each
    distinct name resolved once (:func:`peelmetrics.forces.resolve_names`, which reads
    stray spaces as a person would), and a problem for each used row naming none."""
    return resolve_names(frame["force"], rows, where, "Force Name", among=used.to_numpy())


def sheet_rows(
    frame: pd.DataFrame, rows: pd.Series[int], where: str, na: pd.Series[bool], na_reason: str
) -> tuple[pd.Series[Any], pd.Series[str], pd.Series[bool], pd.Series[Any], list[Problem]]:
    """What every long sheet reader starts from: each row's quarter end, why it is left out
    ("" if used; :func:`exclusion_reasons`, ``na`` rows for ``na_reason``), which rows are
    used, each row's force code (missing where not used), and the problems found so far."""
    ends, problems = quarter_dates(frame, rows, where)
    reasons = exclusion_reasons(frame, na, na_reason)
    used = reasons == ""
    codes, bad = used_forces(frame, rows, used, where)
    return ends, reasons, used, codes, problems + bad


def sheet_result(
    frame: pd.DataFrame,
    rows: pd.Series[int],
    where: str,
    start: tuple[pd.Series[Any], pd.Series[str], pd.Series[bool], pd.Series[Any]],
    taken: Sequence[np.ndarray],
    *,
    measure: Any,
    value: np.ndarray,
    counted: int = 0,
    note: str = "",
) -> tuple[pd.DataFrame, ReadReport]:
    """What a sheet reader returns, from what :func:`sheet_rows` gave (``start``: quarter
    ends, reasons, used rows, force codes): the quarterly rows, one block per boolean mask
    in ``taken`` (a row may be taken once per measure), with force code, quarter end,
    ``measure``, ``value``, the stripped offence code (with the measure, the row's key) and
    where the row is, for the duplicate check to name; and the sheet's account, with
    ``note`` after the number of rows it concerns when ``counted`` is not zero. Built on
    codes: a sheet of a million rows repeats a few dozen labels."""
    ends, reasons, used, codes = start
    offence = on_labels(frame["offence_code"], lambda s: s.str.strip(), category=True)

    def stacked(values: np.ndarray) -> np.ndarray:
        # Selected by mask, block by block: no array of a million row positions is built.
        return np.concatenate([values[mask] for mask in taken])

    def labelled(series: pd.Series[Any]) -> pd.Categorical:
        # Codes known to be in range: a million of them are not checked again.
        picked = stacked(series.cat.codes.to_numpy())
        return pd.Categorical.from_codes(picked, series.cat.categories, validate=False)

    quarterly = pd.DataFrame({
        "force": labelled(codes),
        "period_end": labelled(ends),
        "measure": measure,
        "value": value,
        "offence_code": labelled(offence),
        "_where": pd.Categorical.from_codes(np.zeros(len(value), dtype=np.int8),
                                            pd.Index([where])),
        "_row": stacked(rows.to_numpy()),
    }, copy=False)  # fmt: skip
    report = ReadReport(where, len(frame), int(used.sum()),
                        exclusions(rows[~used], reasons[~used]),
                        (f"{counted} {note}",) if counted else ())  # fmt: skip
    return quarterly, report


def quarter_end(financial_year: str, quarter: str) -> date | None:
    """Last day of a financial quarter: ("2016/17", "1") -> 30 June 2016; None if unreadable.

    >>> quarter_end("2016/17", "4"), quarter_end("2016-17", "Q2"), quarter_end("x", "1")
    (datetime.date(2017, 3, 31), datetime.date(2016, 9, 30), None)
    >>> quarter_end("2016/17", "11"), quarter_end("2016xyz", "1"), quarter_end("2016/17", "1.0")
    (None, None, datetime.date(2016, 6, 30))
    """
    year = _FINANCIAL_YEAR.fullmatch(str(financial_year).strip())
    q = _QUARTER.fullmatch(str(quarter).strip())
    if not year or not q:
        return None
    start = int(year.group(1))
    if year.group(2) is not None and int(year.group(2)) % 100 != (start + 1) % 100:
        return None  # "2016/18" names no financial year
    offset, month, day = _QUARTER_END[int(q.group(1))]
    return date(start + offset, month, day)


def read_long(
    path: Path,
    columns: Mapping[str, Sequence[str]],
    reader: SheetReader,
    sheets: Sequence[str] | None = None,
) -> tuple[pd.DataFrame, ReadReport]:
    """Read every sheet (or the CSV) with ``reader`` and stack the quarterly counts.

    A sheet's header is the first row naming every column (a published workbook may put a
    title above it); a sheet without one (a cover or notes sheet) is skipped and named in
    the report's notes, unless it was asked for by name in ``sheets``."""
    if is_spreadsheet(path):
        parts, skipped = header_sheets(path, columns, sheets)
    else:
        # A sheet saved as CSV keeps the title above its header.
        head = csv_rows(path, HEADER_SEARCH_ROWS)
        at = find_header(head, columns, str(path)) or 0
        header = head[at] if head else []
        repeated = duplicated_headers(header, str(path), at + 1)
        if repeated:
            raise InputFileError(repeated)
        # Only the columns the reader needs are parsed.
        wanted = list(match_columns(header, columns, str(path)))
        parts, skipped = [(str(path), read_csv_labels(path, wanted, skip=at), at + 2)], []

    def sheet(part: tuple[str, pd.DataFrame, int]) -> tuple[pd.DataFrame, ReadReport] | None:
        where, table, offset = part
        if table.empty and len(table.columns) == 0:
            return None
        # Long tables repeat a few dozen labels on every row: text work is done once per label.
        if not (table.dtypes == "category").all():
            table = table.astype("category")
        renamed = table.rename(columns=match_columns(table.columns, columns, where))
        # 32-bit line numbers where they fit: a million of them are carried per measure.
        width = np.int32 if len(table) + offset < np.iinfo(np.int32).max else np.int64
        numbers = np.arange(offset, len(table) + offset, dtype=width)
        rows = cast("pd.Series[int]", pd.Series(numbers, index=table.index, copy=False))
        return set_aside(reader, renamed, rows, where)

    nothing = "no sheet with data" if not skipped else (
        f"no sheet holds the table's header ({', '.join(s[0] for s in columns.values())}) "
        f"in its first {HEADER_SEARCH_ROWS} rows"
    )  # fmt: skip
    quarterly, report = read_parts(parts, sheet, str(path), nothing, skipped)
    _refuse_duplicates(quarterly)
    return quarterly.drop(columns=["_where", "_row"]), report


def _refuse_duplicates(quarterly: pd.DataFrame) -> None:
    """The same force, quarter, offence (and outcome) twice, on one sheet or two, would be
    added into the year: refuse it and name both rows.

    The Home Office gives one row per original offence code under a merged label: homicide
    is four rows labelled ``1/4.1/4.10/4.2`` for every force and quarter. A label may repeat
    as many times as it names codes; a further row is a duplicate."""
    keys = list(ROW_KEY)
    # One integer per key, from each column's codes: hashing integers is cheap. Composed in
    # the order a published table sorts its rows (quarter, force, offence, outcome), so the
    # keys come nearly in order and are counted walking memory in order, not at random. A
    # missing cell's -1 is to be code 0: the 1 added to each column's codes is added to the
    # keys once, after. 32-bit where the keys fit: every array here is fresh memory, which
    # costs a national table more to touch than to compute.
    columns = [
        label_codes(quarterly[c]) for c in ("period_end", "force", "offence_code", "measure")
    ]
    sizes = [len(labels) + 1 for _codes, labels in columns]
    space = int(np.prod(sizes, dtype=np.float64))
    width = np.int32 if space < np.iinfo(np.int32).max else np.int64
    key: npt.NDArray[np.signedinteger[Any]] = columns[0][0].astype(width)
    shift = 1
    for (codes, _labels), size in zip(columns[1:], sizes[1:], strict=True):
        key *= size
        key += codes
        shift = shift * size + 1
    key += shift
    # Keys met more than once, where the keys are few (a long table's quarters x forces x
    # offences x measures): marked in a table of flags first, the usual case being no key
    # met twice; only if some are, counted to find which. Else found by sorting the keys
    # themselves (several times cheaper than sorting positions, or hashing a million of
    # them). The rows holding them are then found by hashing only those few keys.
    if space <= 2 * len(key) + 1024:
        met = np.zeros(space, dtype=bool)
        met[key] = True
        if np.count_nonzero(met) == len(key):
            return
        repeats = np.flatnonzero(np.bincount(key, minlength=space) > 1)
    else:
        ordered = np.sort(key)
        repeats = ordered[1:][ordered[1:] == ordered[:-1]]
    if not len(repeats):
        return
    shared = pd.Series(key).isin(repeats).to_numpy()
    quarterly = quarterly[shared]
    allowed = on_labels(quarterly["offence_code"], lambda s: s.str.count("/") + 1)
    seen = pd.Series(key[shared], index=quarterly.index).groupby(key[shared]).cumcount() + 1
    extra = seen > allowed
    if not extra.any():
        return
    first = quarterly.groupby(keys, sort=False)[["_where", "_row"]].transform("first")
    records = quarterly[extra].to_dict("records")
    first_where = first["_where"].astype(str).to_dict()
    first_row = first["_row"].astype("int64").to_dict()
    raise InputFileError(
        Problem(
            str(row["_where"]),
            int(row["_row"]),
            None,
            f"duplicate row: force {row['force']}, quarter ending "
            f"{row['period_end']:%Y-%m-%d}, offence code {shorten(row['offence_code'])} "
            f"({row['measure']}) already given at {first_where[i]} row {first_row[i]}",
        )
        for i, row in zip(quarterly.index[extra], records, strict=True)
    )


def quarter_dates(
    frame: pd.DataFrame, rows: pd.Series[int], where: str
) -> tuple[pd.Series[pd.Timestamp], list[Problem]]:
    """Quarter end dates from ``financial_year`` and ``quarter`` columns."""
    # Each distinct (year, quarter) pair is parsed once: long tables repeat them on every row.
    years, year_labels = label_codes(frame["financial_year"])
    quarters, quarter_labels = label_codes(frame["quarter"])
    width = len(quarter_labels) + 1  # code -1 (a blank cell) shifted to 0
    size = (len(year_labels) + 1) * width
    # In place, in the narrowest type the few pairs fit: no temporaries of a million rows.
    pair = years.astype(np.min_scalar_type(-size))
    pair += 1
    pair *= width
    pair += quarters
    pair += 1
    table = np.full(size, np.datetime64("NaT"), dtype="datetime64[ns]")
    for at in np.flatnonzero(np.bincount(pair, minlength=len(table))).tolist():
        year, quarter = divmod(at, width)
        end = quarter_end(str(year_labels[year - 1]) if year else "",
                          str(quarter_labels[quarter - 1]) if quarter else "")  # fmt: skip
        if end is not None:
            table[at] = np.datetime64(end, "ns")
    # Categorical: the few quarter ends are sorted once here, and the duplicate check and
    # the rolling years take their codes without hashing a million dates.
    known = ~np.isnat(table)
    ends, code = np.unique(table[known], return_inverse=True)
    code_of = np.full(len(table), -1, dtype=np.min_scalar_type(-len(ends) - 1))
    code_of[known] = code
    dtype = pd.CategoricalDtype(pd.DatetimeIndex(ends))
    series = pd.Series(pd.Categorical.from_codes(code_of[pair], dtype=dtype, validate=False),
                       index=frame.index, copy=False)  # fmt: skip
    problems = [
        Problem(
            where,
            int(rows[i]),
            "Financial Year",
            f"cannot read quarter {shorten(frame.at[i, 'financial_year'])} "
            f"Q{shorten(frame.at[i, 'quarter'])}",
        )
        for i in frame.index[series.isna()]
    ]
    return series, problems


def _label_order(values: pd.Series[Any]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Each row's code into the distinct labels of ``values`` (-1 for a missing cell), the
    labels (dates as dates, anything else as text), and the order that sorts the labels:
    the few labels are sorted, not the million codes."""
    codes, uniques = label_codes(values)
    index = pd.Index(uniques)
    dates = index.dtype.kind == "M"
    labels = index.to_numpy() if dates else np.asarray(index.astype(str), dtype=object)
    return codes, labels, np.argsort(labels, kind="stable")


def rolling_years(quarterly: pd.DataFrame, notes: list[str] | None = None) -> pd.DataFrame:
    """Sum each force's and measure's rows by quarter, then four consecutive quarters into
    12-month windows ending at each quarter end.

    A window is produced only where all four quarters are present for that force and
    measure; the windows are Counts rows with ``period_months`` 12, by window end, then
    force and measure. The sums are taken on a dense (force x measure x quarter) array:
    a long table holds a few dozen forces, measures and quarters on a million rows.
    ``notes``, a list, is given what no window was made of: quarters that make no year,
    and force-measures short of a quarter.
    """
    columns = ["force", "measure", "value", "period_end", "period_months"]
    if quarterly.empty:
        return pd.DataFrame({c: pd.Series(dtype=object) for c in columns}).astype(
            {"value": "float64", "period_end": "datetime64[ns]", "period_months": "int64"}
        )
    # Categorical columns give their codes; the sums are taken in the labels' own order
    # and the small array is then put in sorted order.
    (force_at, forces, by_force), (measure_at, measures, by_measure), (end_at, ends, by_end) = (
        _label_order(quarterly[c]) for c in ("force", "measure", "period_end")
    )
    shape = (len(forces), len(measures), len(ends))
    values = quarterly["value"].to_numpy("float64")
    cell = force_at.astype(np.int64) * shape[1]
    cell += measure_at
    cell *= shape[2]
    cell += end_at
    # A row without a key or a value is no count (as a group-by drops it); readers give
    # none, so the mask is built only when one is there.
    if min(force_at.min(), measure_at.min(), end_at.min()) < 0 or np.isnan(values).any():
        kept = (force_at >= 0) & (measure_at >= 0) & (end_at >= 0) & ~np.isnan(values)
        cell, values = cell[kept], values[kept]
    order = np.ix_(by_force, by_measure, by_end)
    summed = np.bincount(cell, weights=values, minlength=np.prod(shape)).reshape(shape)[order]
    present = (np.bincount(cell, minlength=np.prod(shape)).reshape(shape) > 0)[order]
    forces, measures = forces[by_force], measures[by_measure]
    stamps = pd.DatetimeIndex(ends[by_end])
    at = {stamp: i for i, stamp in enumerate(stamps)}
    parts: list[tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]] = []
    short: list[tuple[int, int, int, int]] = []  # (force, measure, window end, quarters given)
    for i, stamp in enumerate(stamps):
        window = [at.get(stamp - pd.offsets.QuarterEnd(k)) for k in range(1, 4)]
        if any(w is None for w in window):
            continue
        quarters = [i, *(w for w in window if w is not None)]
        given = present[:, :, quarters].sum(axis=2)
        f, m = np.nonzero(given == 4)
        parts.append((f, m, summed[:, :, quarters].sum(axis=2)[f, m], np.full(len(f), i)))
        partly = zip(*np.nonzero((given > 0) & (given < 4)), strict=True)
        short += [(a, b, i, int(given[a, b])) for a, b in partly]
    if notes is not None:
        if not parts:
            notes.append(f"the table's quarters ({stamps[0]:%d %B %Y} to {stamps[-1]:%d %B %Y}) "
                         "make no rolling year: four consecutive quarters are needed")  # fmt: skip
        elif short:
            a, b, i, n = short[0]
            notes.append(f"{len(short)} rolling year(s) of a force and measure left out: a "
                         f"quarter of the four not given (such as {measures[b]} for {forces[a]} "
                         f"to {stamps[i]:%d %B %Y}: {n} of 4 quarters)")  # fmt: skip
    if not parts:
        return rolling_years(quarterly.iloc[:0])
    f, m, value, end = (np.concatenate(column) for column in zip(*parts, strict=True))
    return pd.DataFrame({"force": forces[f], "measure": measures[m], "value": value,
                         "period_end": stamps[end], "period_months": 12})  # fmt: skip


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
    notes: list[str] = []
    counts = rolling_years(quarterly, notes).assign(source=f"{source}: {path.name}")
    # Published adjustments can leave a year below zero (outcomes "not yet assigned" fall as
    # outcomes are assigned): such a window is no count. It is left out and said so.
    negative = counts["value"] < 0
    notes += [
        f"{m} for {f} in the 12 months to {e:%d %B %Y} sums to {v:g}, below zero; left out"
        for f, m, e, v in zip(counts["force"][negative], counts["measure"][negative],
                              counts["period_end"][negative], counts["value"][negative],
                              strict=True)
    ]  # fmt: skip
    if notes:
        report = attrs.evolve(report, notes=(*report.notes, *notes))
    counts = counts[~negative]
    return validate_counts(counts, file=f"{path} (derived counts)", check_measures=False), report
