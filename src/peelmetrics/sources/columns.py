"""Column headers: matched to a reader's canonical names through synonyms, case, spacing
and punctuation ignored; a header given twice is an error, not a guess."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path

import pandas as pd

from peelmetrics.errors import InputFileError, Problem, shorten

__all__ = [
    "below_header",
    "duplicated_headers",
    "find_header",
    "header_sheets",
    "match_columns",
    "normalise_header",
]

#: How far down a sheet its header row is looked for: past a title and a few notes.
HEADER_SEARCH_ROWS = 30


def duplicated_headers(headers: Sequence[object], file: str, row: int = 1) -> list[Problem]:
    """Two columns with the same (normalised) header: which one holds the data is a guess,
    so it is an error, told at the header's ``row``."""
    seen: dict[str, str] = {}
    problems = []
    for header in headers:
        key = normalise_header(header)
        if not key:  # a blank header names nothing (Excel leaves empty columns ",,")
            continue
        if key in seen:
            problems.append(Problem(file, row, str(header), f"header repeats {shorten(seen[key])}"))
        else:
            seen[key] = str(header)
    return problems


def normalise_header(name: object) -> str:
    """Fold a column header for matching: case, spacing and punctuation ignored."""
    return " ".join(re.sub(r"[^0-9a-z]+", " ", str(name).casefold()).split())


def match_columns(
    columns: Iterable[object], spec: Mapping[str, Sequence[str]], file: str
) -> dict[str, str]:
    """Map each canonical column of ``spec`` to the file's header that is one of its synonyms.

    Raises
    ------
    InputFileError
        Naming every required column that is missing and the headers the file has.
    """
    present = {normalise_header(c): str(c) for c in columns}
    found: dict[str, str] = {}
    problems = []
    for canonical, synonyms in spec.items():
        hit = next((present[s] for s in map(normalise_header, synonyms) if s in present), None)
        if hit is None:
            problems.append(
                Problem(
                    file,
                    None,
                    synonyms[0],
                    f"required column is missing (accepted headers: {', '.join(synonyms)}; "
                    f"found: {', '.join(map(str, columns))})",
                )
            )
        else:
            found[hit] = canonical
    if problems:
        raise InputFileError(problems)
    return found


def find_header(
    rows: pd.DataFrame | Sequence[Sequence[object]], spec: Mapping[str, Sequence[str]], where: str
) -> int | None:
    """The position of a sheet's header row (a sheet read with ``header=None``, or a CSV's
    first rows): the first of its first :data:`HEADER_SEARCH_ROWS` rows holding a header
    for every column of ``spec``.
    Published workbooks put a title and notes above a table, and a notes or cover sheet
    beside the tables: a sheet no row of which holds half the columns is no table of this
    kind (``None``); one whose best row holds at least half is one missing the rest, told
    at that row.

    >>> import pandas as pd
    >>> rows = pd.DataFrame([["Recorded crime, 2017/18", ""], ["Year", "Count"], ["2017", "5"]])
    >>> find_header(rows, {"year": ["Year"], "value": ["Count", "Number"]}, "t.xlsx [1]")
    1
    >>> find_header(rows.iloc[:1], {"year": ["Year"], "value": ["Count"]}, "t.xlsx [1]") is None
    True
    """
    wanted = [{normalise_header(s) for s in synonyms} for synonyms in spec.values()]
    head: Sequence[Sequence[object]] = (
        rows[:HEADER_SEARCH_ROWS] if isinstance(rows, Sequence)
        else rows.head(HEADER_SEARCH_ROWS).to_numpy().tolist()
    )  # fmt: skip
    best, best_hits = 0, 0
    for position, row in enumerate(head):
        cells = {normalise_header(c) for c in row}
        hits = sum(1 for synonyms in wanted if synonyms & cells)
        if hits == len(wanted):
            return position
        if hits > best_hits:
            best, best_hits = position, hits
    if 2 * best_hits < len(wanted):
        return None
    try:
        match_columns(list(head[best]), spec, where)
    except InputFileError as exc:  # told at the row a person sees
        raise InputFileError(
            Problem(p.file, best + 1, p.column, p.message) for p in exc.problems
        ) from None
    return best  # pragma: no cover - a row short of a column is refused above


def below_header(cells: pd.DataFrame, at: int, where: str) -> pd.DataFrame:
    """The table under a sheet's header row ``at`` (the sheet read with ``header=None``),
    its columns named by that row: stray spaces stripped, a blank header named as pandas
    names one (``Unnamed: 3``). A header given twice is refused at its row.

    >>> import pandas as pd
    >>> cells = pd.DataFrame([["Title", None], ["Year ", None], ["2017", "x"]])
    >>> below_header(cells, 1, "t.xlsx [1]").columns.tolist()
    ['Year', 'Unnamed: 1']
    """
    held = cells.iloc[at].fillna("").astype(str) if len(cells) else pd.Series([], dtype=str)
    names = [c.strip() for c in held]
    names = [name or f"Unnamed: {i}" for i, name in enumerate(names)]
    repeated = duplicated_headers(names, where, at + 1)
    if repeated:
        raise InputFileError(repeated)
    return cells.iloc[at + 1 :].set_axis(names, axis=1)


def header_sheets(
    path: Path, spec: Mapping[str, Sequence[str]], sheets: Sequence[str] | None = None
) -> tuple[list[tuple[str, pd.DataFrame, int]], list[str]]:
    """A workbook's tables of the kind ``spec`` names, as published: for every sheet with a
    header row for them (:func:`find_header`), where it is (``file [sheet]``), the cells
    below that row as text (:func:`below_header`; blank cells ``""``) and the row the sheet
    shows its first data row on; and the names of the sheets without one (a cover or notes
    sheet), for the report's notes. A sheet asked for by name in ``sheets`` is read from its
    first row, never passed over: its missing columns are then told."""
    from peelmetrics.sources.files import read_sheets

    tables = []
    skipped = []
    for name, cells in read_sheets(path, sheets, header=None, dtype=str,
                                   keep_default_na=False).items():  # fmt: skip
        where = f"{path} [{name}]"
        at = find_header(cells, spec, where)
        if at is None and sheets is None:
            skipped.append(name)
            continue
        at = at or 0
        tables.append((where, below_header(cells.fillna(""), at, where), at + 2))
    return tables, skipped
