"""ONS mid-year population estimates (MYE2 sheets) summed to Police Force Areas.

Annex A, "Population": "For all uses of population as a denominator in our calculations,
unless otherwise noted, we use Office for National Statistics (ONS) mid-2016 population
estimates." The workbook gives single years of age by local authority district; the ONS
district -> community safety partnership -> PFA lookup sums districts into forces.

Produces ``population`` (all persons) and ``adult_female_population`` (females aged
``adult_min_age`` and over; 16 by default, the age SafeLives counts adult women from when it
sets its MARAC referral benchmark) per force, as at 30 June of the estimate's year.

The England and Wales total of the forces must equal the workbook's own ``K04000001`` row,
or the reader fails: a district missing from the lookup, or a lookup of the wrong year, is
caught here rather than in a rate.
"""

from __future__ import annotations

import contextlib
import re
from datetime import date
from pathlib import Path
from types import MappingProxyType
from typing import Literal

import pandas as pd

from peelmetrics.counts import validate_counts
from peelmetrics.errors import InputFileError, Problem, shorten
from peelmetrics.forces import ENGLAND_AND_WALES_CODE
from peelmetrics.sources.account import ReadReport, exclusions
from peelmetrics.sources.columns import (
    HEADER_SEARCH_ROWS,
    below_header,
    find_header,
    match_columns,
    normalise_header,
)
from peelmetrics.sources.files import csv_rows, is_spreadsheet, read_csv_text, read_sheets
from peelmetrics.sources.numbers import parse_counts

__all__ = ["POPULATION_PAIR", "population_part", "read_population"]

#: What a person is told who gives one of the two files ONS population is read from.
POPULATION_PAIR = (
    "an ONS population {part}: population is read from the mid-year estimates workbook "
    "and its district-to-force lookup together: give both (peelmetrics read WORKBOOK "
    "LOOKUP, or read_population(workbook, lookup))"
)

#: The two sheets read, by the names editions give them (mid-2016 "MYE2 - All"; later
#: editions "MYE2 - Persons").
_SHEETS = MappingProxyType(
    {"persons": ("MYE2 - All", "MYE2 - Persons"), "females": ("MYE2 - F", "MYE2 - Females")}
)
#: The header row of an MYE2 sheet, found by content (row 5 in mid-2016, lower in later
#: editions, below a longer title).
_HEADER = MappingProxyType({"code": ("Code",), "all": ("All ages",)})
_LOOKUP = MappingProxyType(
    {
        "lad": ("LADyyCD", "LADCD", "Local authority code"),
        "pfa": ("PFAyyCD", "PFACD", "Police force area code"),
    }
)
#: ONS names a lookup's code columns by the year of the codes: LAD17CD, PFA21CD.
_CODE_YEAR = re.compile(r"^(LAD|PFA)\d{2}CD$", re.I)


def read_population(
    workbook: str | Path,
    lookup: str | Path,
    *,
    adult_min_age: int = 16,
    year: int | None = None,
) -> tuple[pd.DataFrame, ReadReport]:
    """Read an ONS MYE workbook (``.xls``/``.xlsx``) and a LAD -> PFA lookup.

    Parameters
    ----------
    workbook
        The "Population Estimates for UK, England and Wales, Scotland and Northern Ireland"
        workbook with sheets ``MYE2 - All`` and ``MYE2 - F``.
    lookup
        ONS local authority district to police force area lookup: CSV, or a workbook
        (its first sheet holding the code columns, below any title).
    adult_min_age
        Youngest age counted in ``adult_female_population`` (the oldest column is "90+").
    year
        Estimate year; read from the workbook's title ("mid-2016") when not given.

    Returns
    -------
    counts, report
        Counts with ``population`` and ``adult_female_population`` per force, as at 30 June,
        and the reconciliation report over both sheets.

    Raises
    ------
    InputFileError
        Missing sheets or columns, non-numeric cells in used rows, lookup districts absent
        from the workbook, or force totals that do not reconcile with England and Wales.
    """
    workbook, lookup = Path(workbook), Path(lookup)
    if not 0 <= adult_min_age <= 90:
        raise InputFileError.at(str(workbook), "adult_min_age must be 0 to 90")
    lk, where, first = _lookup_table(lookup)
    lk = lk.set_axis(_yearless(lk.columns, lookup), axis=1)
    lk = lk.rename(columns=match_columns(lk.columns, _LOOKUP, where))
    lad, pfa = lk["lad"].str.strip(), lk["pfa"].str.strip()
    # A district given twice with two forces: which force it belongs to is a guess.
    pairs = pd.DataFrame({"lad": lad, "pfa": pfa}).drop_duplicates()
    torn = pairs[pairs["lad"].duplicated(keep=False)]
    if not torn.empty:
        raise InputFileError(
            Problem(where, first + int(i), "lad", f"district {shorten(code)} is given to "
                    f"more than one force ({', '.join(sorted(group['pfa']))})")
            for code, group in list(torn.groupby("lad", sort=True))[:20]
            for i in [group.index[0]]
        )  # fmt: skip
    districts = dict(zip(lad, pfa, strict=True))

    if year is not None and (isinstance(year, bool) or not isinstance(year, int)):
        raise InputFileError.at(
            str(workbook), f"year must be a whole number such as 2016, not {shorten(year)}"
        )
    sheets = read_sheets(workbook, lambda held: _mye2_sheets(held, workbook), header=None,
                         dtype=object)  # fmt: skip
    persons_sheet, females_sheet = sheets
    at = {}
    for name, sheet in sheets.items():
        found = find_header(sheet, _HEADER, f"{workbook} [{name}]")
        if found is None:
            raise InputFileError.at(
                f"{workbook} [{name}]",
                f"no header row naming Code and All ages in its first {HEADER_SEARCH_ROWS} rows; "
                "not an ONS MYE2 sheet",
            )
        at[name] = found
    if year is None:
        year = _year_from_title(sheets[persons_sheet].iloc[: at[persons_sheet]], workbook)
    if not 1900 <= year <= 2200:  # an estimate year, not a typo's date out of range
        raise InputFileError.at(
            str(workbook), f"{year} is not a mid-year estimate's year (1900 to 2200)"
        )
    as_at = date(year, 6, 30)
    source = f"ONS mid-{year} population estimates (MYE2): {workbook.name}"

    persons, persons_report = _sheet_totals(
        sheets[persons_sheet], at[persons_sheet], workbook, persons_sheet, districts, None
    )
    females, females_report = _sheet_totals(
        sheets[females_sheet], at[females_sheet], workbook, females_sheet, districts,
        adult_min_age,
    )  # fmt: skip
    frames = []
    for measure, (by_force, _total) in (
        ("population", persons),
        ("adult_female_population", females),
    ):
        frames.append(
            pd.DataFrame({"force": by_force.index, "value": by_force.to_numpy()}).assign(
                period_end=pd.Timestamp(as_at), period_months=0, measure=measure, source=source
            )
        )
    counts = pd.concat(frames, ignore_index=True)
    report = ReadReport.merge([persons_report, females_report], str(workbook))
    return validate_counts(
        counts, file=f"{workbook} (derived counts)", check_measures=False
    ), report


def population_part(path: str | Path) -> Literal["workbook", "lookup"] | None:
    """Which of :func:`read_population`'s two files ``path`` is, by its content: an ONS
    mid-year estimates ``"workbook"`` (a sheet headed ``Code`` and ``All ages``), a
    district-to-force ``"lookup"`` (``LADyyCD`` and ``PFAyyCD`` columns), or neither
    (``None``, also for a file that cannot be read: its reader says why)."""
    path = Path(path)
    heads: list[pd.DataFrame] = []
    with contextlib.suppress(InputFileError, OSError, ValueError):
        if is_spreadsheet(path):
            sheets = read_sheets(path, header=None, dtype=str, keep_default_na=False,
                                 nrows=HEADER_SEARCH_ROWS)  # fmt: skip
            heads = [frame.fillna("") for frame in sheets.values()]
        else:
            heads = [pd.DataFrame(csv_rows(path, 1))]
    for head in heads:
        # A row naming some of a table's columns is told as an error by find_header: here
        # it only means "not this file".
        with contextlib.suppress(InputFileError):
            if find_header(head, _HEADER, str(path)) is not None:
                return "workbook"
        with contextlib.suppress(InputFileError):
            if find_header(head.map(_yearless_name), _LOOKUP, str(path)) is not None:
                return "lookup"
    return None


def _lookup_table(lookup: Path) -> tuple[pd.DataFrame, str, int]:
    """The lookup's rows as text (index from 0), where they are, and the row or line of the
    first: a CSV, or the first sheet of a workbook (ONS gives lookups as both) holding the
    code columns, below any title."""
    if not is_spreadsheet(lookup):
        return read_csv_text(lookup), str(lookup), 2
    for name, cells in read_sheets(lookup, header=None, dtype=str, keep_default_na=False).items():
        where = f"{lookup} [{name}]"
        head = cells.head(HEADER_SEARCH_ROWS).fillna("").map(_yearless_name)
        at = find_header(head, _LOOKUP, where)
        if at is not None:
            return below_header(cells.fillna(""), at, where).reset_index(drop=True), where, at + 2
    columns = ", ".join(synonyms[0] for synonyms in _LOOKUP.values())
    raise InputFileError.at(str(lookup), f"no sheet holds the lookup's columns ({columns})")


def _yearless_name(header: object) -> object:
    """A code column's header without its year (LAD17CD -> LADyyCD); others as they are."""
    hit = _CODE_YEAR.match(str(header).strip())
    return f"{hit.group(1).upper()}yyCD" if hit else header


def _yearless(columns: pd.Index, lookup: Path) -> pd.Index:
    """The lookup's headers with the year taken out of its one district and one force code
    column (LAD17CD -> LADyyCD): a lookup of any year is read alike. Two years' columns of a
    kind are refused: which the workbook's districts are is a guess."""
    found: dict[str, list[str]] = {}
    for column in columns:
        if hit := _CODE_YEAR.match(str(column).strip()):
            found.setdefault(hit.group(1).upper(), []).append(str(column))
    twice = {kind: named for kind, named in found.items() if len(named) > 1}
    if twice:
        raise InputFileError(
            Problem(str(lookup), 1, named[1], f"{kind} codes of two years ({', '.join(named)}): "
                    "give the lookup of the workbook's year only")
            for kind, named in twice.items()
        )  # fmt: skip
    return pd.Index([_yearless_name(c) for c in columns])


def _mye2_sheets(held: list[str], workbook: Path) -> list[str]:
    """The persons and females MYE2 sheets among a workbook's sheets, by any name an
    edition gives them."""
    names = {normalise_header(n): n for n in held}
    chosen = [next((names[k] for k in map(normalise_header, v) if k in names), None)
              for v in _SHEETS.values()]  # fmt: skip
    problems = [
        Problem(str(workbook), None, None,
                f"no sheet named {' or '.join(map(repr, spellings))}; sheets are {held}")
        for spellings, found in zip(_SHEETS.values(), chosen, strict=True) if found is None
    ]  # fmt: skip
    if problems:
        raise InputFileError(problems)
    return [c for c in chosen if c is not None]


def _year_from_title(title: pd.DataFrame, path: Path) -> int:
    """The estimate's year, from "mid-2016" in the rows above the header."""
    for cell in title.to_numpy().ravel():
        match = re.search(r"mid-(\d{4})", str(cell), re.I)
        if match:
            return int(match.group(1))
    raise InputFileError.at(str(path), "cannot find 'mid-YYYY' in the sheet title; pass year=")


def _sheet_totals(
    sheet: pd.DataFrame,
    at: int,
    path: Path,
    name: str,
    districts: dict[str, str],
    min_age: int | None,
) -> tuple[tuple[pd.Series[float], float], ReadReport]:
    where = f"{path} [{name}]"
    # Two "All ages" columns are refused: which holds the data is a guess.
    data = below_header(sheet, at, where)
    header = list(data.columns)
    blank = data.isna().all(axis=1)
    match_columns(data.columns, {"code": ("Code",), "all": ("All ages",)}, where)
    rows = pd.Series(data.index + 1, index=data.index)  # 1-based spreadsheet rows
    codes = data["Code"].astype(str).str.strip()
    if min_age is None:
        age_columns = ["All ages"]
    else:
        ages = {c: _age(c) for c in header}
        age_columns = [c for c, a in ages.items() if a is not None and a >= min_age]
        if not any(ages[c] == 90 for c in age_columns):
            raise InputFileError.at(where, "no 90 (90+) age column", row=at + 1)
    is_district = codes.isin(districts)
    is_total = codes == ENGLAND_AND_WALES_CODE
    problems: list[Problem] = []
    values = pd.Series(0.0, index=data.index)
    for column in age_columns:
        parsed, bad = parse_counts(
            data.loc[is_district | is_total, column].astype(str), rows, where, column
        )
        problems += bad
        values = values.add(parsed, fill_value=0.0)
    missing = sorted(set(districts) - set(codes))
    problems += [
        Problem(where, None, "Code", f"lookup district {c} is not in the sheet") for c in missing
    ]
    if problems:
        raise InputFileError(problems)

    by_force = values[is_district].groupby(codes[is_district].map(districts)).sum().sort_index()
    if not is_total.any():
        raise InputFileError.at(
            where, f"no {ENGLAND_AND_WALES_CODE} row to reconcile with", column="Code"
        )
    total = float(values[is_total].sum())
    if abs(by_force.sum() - total) > 0.5:
        raise InputFileError.at(
            where,
            f"forces sum to {by_force.sum():,.0f} but England and Wales is {total:,.0f}: "
            "the lookup does not cover the workbook's districts",
            row=int(rows[is_total].iloc[0]),
            column="Code",
        )
    reasons = pd.Series("", index=data.index, dtype=str)
    reasons[is_total] = "England and Wales total (used to reconcile the force totals)"
    outside = ~is_district & ~is_total
    reasons[outside & codes.str[:1].isin(["S", "N"])] = "outside England and Wales"
    reasons[outside & codes.isin(["K02000001", "K03000001"])] = "outside England and Wales"
    reasons[outside & (reasons == "")] = "aggregate of districts (country, region or county)"
    reasons[blank] = "blank row"
    used = reasons == ""
    report = ReadReport(name, len(data), int(used.sum()), exclusions(rows[~used], reasons[~used]))
    return (by_force, total), report


def _age(column: str) -> int | None:
    match = re.fullmatch(r"(\d+)(\.0)?\+?", column)
    return int(match.group(1)) if match else None
