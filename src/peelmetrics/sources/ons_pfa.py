"""ONS "Police force area data tables" workbooks (Crime in England and Wales, year ending
March 2018 onwards; ``.xlsx`` or ``.xls``).

Each edition has a ``Notes`` sheet and tables ``P1`` … ``P10`` (some editions fewer, some
with a ``Correction`` sheet first; sheet names with or without "Table " and with trailing
spaces). The tables are laid out for people: a title, a block of header rows, then one row per
area (England and Wales, England, regions, forces, Wales, British Transport Police) with
footnote digits glued to labels ("Cheshire8", "Apr '16 to Mar '175, 6") and ``..`` where a
figure is not available. This reader finds its way by content, not by fixed cell positions:

========  ==============================================================  ====================
table     what is read                                                    measure
========  ==============================================================  ====================
P1        total recorded crime excluding fraud, the table's 12 months     ``recorded_crime``
P3        the population column (mid-year named in its header)            ``population``
P7        anti-social behaviour incidents, every "Apr 'YY to Mar 'YY"     ``asb_incidents``
P9        mid-year population, every year column                          ``population``
========  ==============================================================  ====================

Every row below a table's header is used (a force, or British Transport Police) or
excluded with its reason (the England and Wales row, used to reconcile; a region or country
aggregate; footnote or source text; a blank row; a force row with no figure). Each value
column is reconciled against the table's England and Wales row: the 43 forces, plus British
Transport Police where the row includes it (ONS P1's row does; P7 gives both), must add up
to it (within the rounding of tables rounded to 100), or the read fails, since a table that
does not add up has been misread.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date
from pathlib import Path
from types import MappingProxyType

import attrs
import numpy as np
import pandas as pd

from peelmetrics.errors import InputFileError, Problem, UnknownForceError, shorten
from peelmetrics.forces import BTP_CODE, ENGLAND_AND_WALES_CODE, all_forces, resolve_force
from peelmetrics.sources.account import ReadReport, exclusions, read_parts
from peelmetrics.sources.files import read_sheets
from peelmetrics.sources.numbers import NOT_GIVEN, parse_numbers

__all__ = ["TABLES", "read_ons_pfa_tables"]

SOURCE = "ONS police force area data tables"
#: The tables this reader understands, and the measure each gives.
TABLES = MappingProxyType(
    {"P1": "recorded_crime", "P3": "population", "P7": "asb_incidents", "P9": "population"}
)
_MONTH_NAMES = ("january", "february", "march", "april", "may", "june", "july", "august",
                "september", "october", "november", "december")  # fmt: skip
#: Month names and their usual abbreviations ("Mar", "Sept") -> month number.
_MONTHS = MappingProxyType(
    {
        **{m: i for i, m in enumerate(_MONTH_NAMES, start=1)},
        **{m[:3]: i for i, m in enumerate(_MONTH_NAMES, start=1)},
        "sept": 9,
    }
)
_CODE = re.compile(r"^[EKWN]\d{8}$")
_FORCE_CODE = re.compile(r"^(E23|W15)\d{6}$")
#: Not available, as ONS tables have written it over the years.
_NOT_AVAILABLE = NOT_GIVEN | {":", "-", "–", "x"}
# "Apr '16 to Mar '175, 6" (two-digit years after an apostrophe; footnote digits may follow)
# or "April 2016 to March 2017" (four digits without one).
_YEAR_PART = r"(?:'\s*(\d{2})|(20\d{2})|(\d{2}))"
_ASB_YEAR = re.compile(rf"apr\w*\s*{_YEAR_PART}\s*(?:to|-|–)\s*mar\w*\s*{_YEAR_PART}", re.I)
_MID_YEAR = re.compile(r"mid(?:[\s-]*year)?[\s-]*(\d{4})", re.I)
_YEAR_ENDING = re.compile(r"year\s+ending\s+([a-z]+)\s*'?\s*(\d+)", re.I)
# Rounded tables (P3, P9: to the nearest 100) may miss their total by half a unit per row.
_ROUNDING = 50.0


@attrs.frozen
class _Area:
    kind: str  # force, national, national_with_btp, national_without_btp, aggregate, text, blank
    code: str | None = None


def read_ons_pfa_tables(
    path: str | Path, tables: Sequence[str] = ("P1", "P3", "P7", "P9")
) -> tuple[pd.DataFrame, ReadReport]:
    """Read an ONS police force area tables workbook into Counts.

    Parameters
    ----------
    path
        The workbook (``.xlsx`` or ``.xls``; needs the ``excel`` extra).
    tables
        Which of :data:`TABLES` to read; those the edition lacks are noted, not an error.

    Returns
    -------
    counts, report
        Counts with source ``"ONS police force area data tables, <title period> (Table
        Pn): <file>"``, and the reconciliation report (every row of every table read).

    Raises
    ------
    InputFileError
        A table whose header cannot be found, a value that is neither a number nor ``..``,
        an area code that disagrees with its name, or forces that do not add up to the
        England and Wales row.
    """
    from peelmetrics.counts import validate_counts

    path = Path(path)
    unknown = [t for t in tables if t not in TABLES]
    if unknown:
        raise InputFileError.at(str(path), f"unknown tables {unknown}; known: {list(TABLES)}")
    sheets = read_sheets(path, header=None, dtype=str, keep_default_na=False)
    by_table = {_table_id(name): name for name in sheets}
    edition = _edition(sheets)
    notes: list[str] = []

    def table(table_id: str) -> tuple[pd.DataFrame, ReadReport] | None:
        name = by_table.get(table_id)
        if name is None:
            notes.append(f"table {table_id} is not in this edition")
            return None
        where = f"{path} [{name.strip()}]"
        return _read_table(table_id, sheets[name], where, path.name, edition)

    frame, merged = read_parts(tables, table, str(path), "none of the tables was found")
    counts = _one_population(frame, notes)
    report = attrs.evolve(merged, notes=(*merged.notes, *notes))
    return validate_counts(counts, file=f"{path} (derived counts)", check_measures=False), report


def _table_id(sheet: str) -> str:
    """``"Table P7 "`` -> ``"P7"``; other sheets keep their own name."""
    hit = re.fullmatch(r"\s*(?:table\s*)?(p\d+)\s*", sheet, re.I)
    return hit.group(1).upper() if hit else sheet.strip()


#: A note marker as later, accessible editions write one: "Cheshire [note 3]".
_NOTE_MARKER = re.compile(r"\s*\[\s*notes?\s*\d+(?:\s*(?:,|and)\s*\d+)*\s*\]", re.I)


def _text(cell: object) -> str:
    """A cell as text: spaces collapsed, note markers ("[note 3]") taken out (the footnote
    digits earlier editions glue to a label are taken out where labels are read)."""
    return " ".join(_NOTE_MARKER.sub("", str(cell)).split())


def _strip_footnotes(label: str) -> str:
    """ "Cheshire8" -> "Cheshire", "ENGLAND AND WALES (inc. BTP)9" -> "... (inc. BTP)"."""
    return re.sub(r"[\d,\s]+$", "", label).strip()


def _classify(label: str, code: str) -> _Area:
    if code and not _CODE.match(code):  # source or footnote text running into the code column
        label, code = label or code, ""
    text = _strip_footnotes(label)
    folded = text.casefold()
    if not text and not code:
        return _Area("blank")
    if code.startswith("K04") or folded.startswith("england and wales"):
        if "exc" in folded and "btp" in folded:
            return _Area("national_without_btp", ENGLAND_AND_WALES_CODE)
        if "inc" in folded and "btp" in folded:
            return _Area("national_with_btp", ENGLAND_AND_WALES_CODE)
        return _Area("national", ENGLAND_AND_WALES_CODE)
    if code and not _FORCE_CODE.match(code):
        return _Area("aggregate", code)
    try:
        force = resolve_force(text)
    except UnknownForceError:
        if code:  # a force code whose name is unknown: trust neither
            return _Area("mismatch", code)
        looks_like_area = bool(re.fullmatch(r"[A-Za-z][A-Za-z ,&'()-]{1,39}", text))
        return _Area("aggregate" if looks_like_area else "text")
    if code and force.code != code:
        return _Area("mismatch", code)
    return _Area("force", force.code)


def _header_and_labels(sheet: pd.DataFrame, where: str) -> tuple[int, int, int | None]:
    """(first data row, label column, code column or None): the label column is the one
    whose cells name the most forces; data start at the first row that names an area."""
    best, label_col = -1, 0
    for col in range(min(4, sheet.shape[1])):
        named = sum(_classify(_text(c), "").kind == "force" for c in sheet.iloc[:, col])
        if named > best:
            best, label_col = named, col
    if best < 30:
        raise InputFileError.at(
            where, "no column of police force names found; not an ONS police force area table"
        )
    code_col = next(
        (c for c in range(label_col)
         if sum(bool(_CODE.match(_text(v))) for v in sheet.iloc[:, c]) >= 30),
        None,
    )  # fmt: skip
    areas = {"force", "national", "national_with_btp", "national_without_btp"}
    first = next(
        i for i, cell in enumerate(sheet.iloc[:, label_col])
        if _classify(_text(cell), "").kind in areas and _has_figures(sheet.iloc[i], label_col)
    )  # fmt: skip
    return first, label_col, code_col


def _has_figures(row: pd.Series[str], label_col: int) -> bool:
    """A data row carries numbers (or '..') beside its label; a subtitle does not."""
    cells = [_text(v) for v in row.iloc[label_col + 1 :]]
    return any(c in _NOT_AVAILABLE or re.fullmatch(r"-?[\d,]+(\.\d+)?", c) for c in cells)


def _year_ending(title: str, where: str) -> date:
    hit = _YEAR_ENDING.search(title)
    month = _MONTHS.get(hit.group(1).casefold()) if hit else None
    if not hit or month is None:
        raise InputFileError.at(
            where, f"cannot find 'year ending <month> <year>' in {shorten(title)}", row=1
        )
    digits = hit.group(2)
    # Footnote digits follow the year: "March 20181,2" is 2018; "June 181,2" is 2018.
    year = int(digits[:4]) if digits[:2] in {"19", "20"} and len(digits) >= 4 else (
        2000 + int(digits[:2])
    )  # fmt: skip
    return (pd.Timestamp(year=year, month=month, day=1) + pd.offsets.MonthEnd(0)).date()


def _value_columns(
    table: str, sheet: pd.DataFrame, first: int, where: str
) -> list[tuple[int, date, int]]:
    """(column, period end, months) of each value column, found in the header rows."""
    header = sheet.iloc[:first]
    cells = [(r, c, _text(v)) for r in range(first) for c, v in enumerate(header.iloc[r])]
    title = next((t for _r, _c, t in cells if t), "")
    found: list[tuple[int, date, int]] = []
    if table == "P1":
        found = [(c, _year_ending(title, where), 12) for _r, c, t in cells
                 if t.casefold().startswith("total recorded crime")][:1]  # fmt: skip
    elif table == "P3":
        for _r, c, t in cells:
            mid = _MID_YEAR.search(t)
            if t.casefold().startswith("population") and mid:
                found = [(c, date(int(mid.group(1)), 6, 30), 0)]
                break
    elif table == "P7":
        for r, c, t in cells:
            hit = _ASB_YEAR.search(t)
            if hit is None:
                continue
            below = [_text(v).casefold() for v in header.iloc[r + 1 :, c]]
            right = [_text(v).casefold() for v in header.iloc[r + 1 :, c + 1]] if c + 1 < \
                header.shape[1] else []  # fmt: skip
            column = c if any(b.startswith("number") for b in below) else (
                c + 1 if any(b.startswith("number") for b in right) else c
            )  # fmt: skip
            two, four, bare = hit.group(4), hit.group(5), hit.group(6)
            year = int(four) if four else 2000 + int(two or bare)
            found.append((column, date(year, 3, 31), 12))
    elif table == "P9":
        found = [(c, date(int(float(t)), 6, 30), 0) for _r, c, t in cells
                 if re.fullmatch(r"(19|20)\d{2}(\.0+)?", t)]  # fmt: skip
    if not found:
        raise InputFileError.at(
            where, f"cannot find the {TABLES[table]} columns of table {table} in its header rows"
        )
    return found


def _read_table(
    table: str, sheet: pd.DataFrame, where: str, file: str, edition: str
) -> tuple[pd.DataFrame, ReadReport]:
    first, label_col, code_col = _header_and_labels(sheet, where)
    columns = _value_columns(table, sheet, first, where)
    body = sheet.iloc[first:]
    rows = pd.Series(np.arange(first + 1, len(sheet) + 1), index=body.index)  # spreadsheet rows
    labels = body.iloc[:, label_col].map(_text)
    codes = body.iloc[:, code_col].map(_text) if code_col is not None else labels.map(lambda _: "")
    areas = _regions_named_like_forces(
        [_classify(label, code) for label, code in zip(labels, codes, strict=True)]
    )
    kinds = pd.Series([a.kind for a in areas], index=body.index)
    problems = [
        Problem(where, int(rows[i]), "Area Name",
                f"area code {shorten(codes[i])} does not match the name {shorten(labels[i])}")
        for i in kinds.index[kinds == "mismatch"]
    ]  # fmt: skip
    values = {}
    for col, _end, _months in columns:
        text = body.iloc[:, col].map(_text)
        numbers = parse_numbers(text)
        counted = kinds.isin(["force", "national", "national_with_btp", "national_without_btp"])
        bad = counted & numbers.isna() & ~text.isin(_NOT_AVAILABLE) & (text != "")
        problems += Problem.at_cells(where, rows, str(sheet.iat[first - 1, col]) or
                                     f"column {col + 1}", text, bad,
                                     " is neither a number nor '..' (not available)")  # fmt: skip
        problems += Problem.at_cells(where, rows, f"column {col + 1}", numbers,
                                     counted & (numbers < 0), " is negative")  # fmt: skip
        values[col] = numbers
    if problems:
        raise InputFileError(problems)
    forces = kinds == "force"
    area_of = dict(zip(body.index, areas, strict=True))
    source = f"{SOURCE}, {edition} (Table {table}): {file}"
    parts, notes = [], []
    for col, end, months in columns:
        numbers = values[col]
        given = forces & numbers.notna()
        parts.append(pd.DataFrame({
            "force": [area_of[i].code for i in given[given].index],
            "period_end": pd.Timestamp(end), "period_months": months,
            "measure": TABLES[table], "value": numbers[given].to_numpy("float64"),
            "source": source,
        }))  # fmt: skip
        notes += _reconcile(table, end, months, kinds, areas, numbers, body.index, where)
    used = forces & pd.concat([values[c].notna() for c, _e, _m in columns], axis=1).any(axis=1)
    reasons = kinds.map(_REASONS).fillna("")
    reasons[forces & ~used] = "no figure for this force ('..' in every column read)"
    excluded = ~used
    report = ReadReport(
        where, len(body), int(used.sum()), exclusions(rows[excluded], reasons[excluded]),
        tuple(notes),
    )  # fmt: skip
    return pd.concat(parts, ignore_index=True), report


def _regions_named_like_forces(areas: list[_Area]) -> list[_Area]:
    """Without area codes, "West Midlands" names a region and a force. Where a force is
    named twice, the row that opens a block (after a blank row or an aggregate) is the
    region; the other is the force."""
    seen: dict[str, list[int]] = {}
    for i, area in enumerate(areas):
        if area.kind == "force" and area.code:
            seen.setdefault(area.code, []).append(i)
    out = list(areas)
    for rows in seen.values():
        if len(rows) < 2:
            continue
        for i in rows:
            before = next((a.kind for a in reversed(out[:i]) if a.kind != "text"), "blank")
            if before in {"blank", "aggregate"} or before.startswith("national"):
                out[i] = _Area("aggregate")
                break
    return out


_REASONS = MappingProxyType(
    {
        "national": "England and Wales total (used to reconcile the forces)",
        "national_with_btp": "England and Wales total (used to reconcile the forces)",
        "national_without_btp": "England and Wales total (used to reconcile the forces)",
        "aggregate": "England, Wales or a region: an aggregate of forces",
        "text": "title, footnote or source text",
        "blank": "blank row",
    }
)


def _edition(sheets: dict[str, pd.DataFrame]) -> str:
    """The workbook's edition, "year ending March 2018", from the last "year ending" in the
    first table title that has one (P7's title runs "year ending March 2008 to year ending
    March 2018")."""
    for sheet in sheets.values():
        title = _text(sheet.iat[0, 0]) if sheet.size else ""
        hits = list(_YEAR_ENDING.finditer(title))
        if hits and _MONTHS.get(hits[-1].group(1).casefold()):
            end = _year_ending(hits[-1].group(0), "")
            return f"year ending {end:%B %Y}"
    return "edition not stated"


def _reconcile(
    table: str,
    end: date,
    months: int,
    kinds: pd.Series[str],
    areas: list[_Area],
    numbers: pd.Series[float],
    index: pd.Index,
    where: str,
) -> list[str]:
    """Forces against the England and Wales row(s); a table that does not add up fails."""
    codes = pd.Series([a.code for a in areas], index=index)
    geographic = {f.code for f in all_forces(geographic_only=True)}
    force_values = numbers[(kinds == "force") & codes.isin(geographic)].dropna()
    btp = numbers[(kinds == "force") & (codes == BTP_CODE)].dropna()
    what = f"table {table}, {'as at' if months == 0 else 'year ending'} {end:%d %B %Y}"
    if len(force_values) < len(geographic):
        return [f"{what}: {len(force_values)} of {len(geographic)} forces have a figure; "
                "not reconciled"]  # fmt: skip
    total = float(force_values.sum())
    with_btp = total + float(btp.sum()) if len(btp) else None
    notes = []
    for i in kinds.index[kinds.str.startswith("national")]:
        stated = numbers[i]
        if pd.isna(stated):
            continue
        kind = kinds[i]
        candidates = {"the 43 forces": total}
        if with_btp is not None and kind != "national_without_btp":
            candidates["the 43 forces and British Transport Police"] = with_btp
        if kind == "national_with_btp":
            candidates.pop("the 43 forces")
        tolerance = _ROUNDING * (len(force_values) + 1) if stated % 100 == 0 else 0.5
        match = next((k for k, v in candidates.items() if abs(v - stated) <= tolerance), None)
        if match is None:
            tried = ", ".join(f"{k} give {v:,.0f}" for k, v in candidates.items())
            raise InputFileError.at(
                where,
                f"{what}: the forces do not add up to the England and Wales row "
                f"({stated:,.0f}; {tried})",
            )
        exact = "" if candidates[match] == stated else " (within the table's rounding)"
        notes.append(f"{what}: {match} add up to England and Wales, {stated:,.0f}{exact}")
    return notes


def _one_population(counts: pd.DataFrame, notes: list[str]) -> pd.DataFrame:
    """P3 repeats one of P9's years: keep one count per key, and fail if they disagree."""
    keys = ["force", "period_end", "period_months", "measure"]
    repeated = counts.duplicated(keys, keep=False)
    if not repeated.any():
        return counts
    clash = counts[repeated].groupby(keys)["value"].nunique()
    if (clash > 1).any():
        raise InputFileError.at(
            "<ONS tables>",
            f"tables disagree on {len(clash[clash > 1])} "
            "population figure(s) for the same force and year",
        )
    notes.append(f"{int(counts.duplicated(keys).sum())} population figure(s) appear in two "
                 "tables with the same value; counted once")  # fmt: skip
    return counts.drop_duplicates(keys, keep="last").reset_index(drop=True)
