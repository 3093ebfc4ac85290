"""One door for every supported file: the format is recognised from the content.

:func:`detect_format` looks at what a file holds, not at its name: the header of a CSV
(compressed or not), the sheet names and header row of a spreadsheet, the files inside a
folder or an archive (street files, or one published table, read as that table; several
tables are refused with how to order them). :func:`read_any` then calls the reader for
that format.

==================  ==============================================  ========================
format              recognised by                                   reader
==================  ==============================================  ========================
``counts``          ``force, period_end, measure, value`` columns   :func:`read_counts_csv`
``counts-parquet``  a Parquet file (``PAR1``) of other columns      :func:`read_counts_parquet`
``prc-rolling``     ``12 months ending`` and ``Rolling year total`` :func:`read_recorded_crime_pfa`
``prc-quarterly``   ``Financial Year`` and ``Number of Offences``   :func:`read_recorded_crime_quarterly`
``outcomes``        ``Financial Year`` and ``Outcome Type``         :func:`read_outcomes`
``ons-pfa``         sheets named ``Table P1`` … (or ``P1`` …)       :func:`read_ons_pfa_tables`
``police-uk``       ``Crime ID``, ``Falls within``, ``Crime type``  :func:`read_police_uk`
                    (a CSV, or Parquet made from one)
==================  ==============================================  ========================

ONS mid-year population workbooks need a second file (the district lookup): given alone,
either is refused with how to give both; :func:`~peelmetrics.sources.read_combined` (and
``peelmetrics read``) reads the two together, :func:`~peelmetrics.sources.read_population`
directly.
"""  # noqa: E501

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Literal, NoReturn

import attrs
import pandas as pd

from peelmetrics._convert import expect_path
from peelmetrics.errors import InputFileError, shorten
from peelmetrics.sources.account import ReadReport
from peelmetrics.sources.columns import HEADER_SEARCH_ROWS, normalise_header
from peelmetrics.sources.files import (
    OLE2_MAGIC,
    PARQUET_MAGIC,
    check_file,
    csv_rows,
    folder_files,
    is_record_file,
    is_spreadsheet,
    read_sheets,
    unpacked,
    workbook_suffix,
    zip_names,
)
from peelmetrics.sources.formats import FORMATS
from peelmetrics.sources.population import POPULATION_PAIR, population_part
from peelmetrics.sources.records import POLICE_UK

__all__ = ["FORMATS", "detect_format", "holds_street_files", "read_any"]

Reader = Callable[[Path], tuple[pd.DataFrame, ReadReport]]

if TYPE_CHECKING:  # pragma: no cover
    from peelmetrics.catalogue import Edition


def _readers(edition: Edition | str | None) -> dict[str, Reader]:
    """Each format's reader; a Counts file's measure ids are the ``edition``'s (the
    published tables' readers have their own fixed measures)."""
    from functools import partial

    from peelmetrics.sources.counts_csv import read_counts_csv
    from peelmetrics.sources.counts_parquet import read_counts_parquet
    from peelmetrics.sources.ons_pfa import read_ons_pfa_tables
    from peelmetrics.sources.outcomes import read_outcomes
    from peelmetrics.sources.police_uk import read_police_uk
    from peelmetrics.sources.prc import read_recorded_crime_pfa
    from peelmetrics.sources.prc_quarterly import read_recorded_crime_quarterly

    return {
        "counts": partial(read_counts_csv, edition=edition),
        "counts-parquet": partial(read_counts_parquet, edition=edition),
        "prc-rolling": read_recorded_crime_pfa,
        "prc-quarterly": read_recorded_crime_quarterly,
        "outcomes": read_outcomes,
        "ons-pfa": read_ons_pfa_tables,
        "police-uk": read_police_uk,
    }


# Each format is known by headers it must have (normalised: case, spacing, punctuation).
_SIGNATURES = (
    ("counts", ({"force", "period end", "measure", "value"},)),
    ("police-uk", ({"crime id", "falls within", "crime type"},)),
    ("prc-rolling", ({"12 months ending", "pfa", "offence"},)),
    ("outcomes", ({"financial year", "outcome type"},)),
    ("prc-quarterly", ({"financial year", "number of offences"},)),
)


def detect_format(path: str | Path) -> str:
    """The format of ``path`` (a key of :data:`FORMATS`), recognised from its content.

    Raises
    ------
    InputFileError
        When the content matches no known format; the message lists the headers found.
    """
    with _the_table(expect_path(path)) as (table, _name):
        return _format_of(table)


@contextlib.contextmanager
def _the_table(path: Path) -> Iterator[tuple[Path, str]]:
    """What is read for ``path``, and the name a report gives it: the file itself; the one
    published table a folder holds; the one member of a zip archive of a table, unpacked for
    the block (named ``archive [member]``). Street files, in a folder or an archive, are
    read where they are."""
    if path.is_dir():
        table = _folder_table(path)
        yield (path, str(path)) if table is None else (table, str(table))
        return
    held = None
    # A path that is not there or cannot be opened: the reader's check says which.
    with contextlib.suppress(OSError):
        if path.is_file():
            with path.open("rb") as handle:
                held = _archive_holds(path, handle.read(4))
    if held != "a table":
        yield path, str(path)
        return
    with unpacked(path, _table_member) as members:
        member = _only_member(path, members)
        yield member, f"{path} [{member.name}]"


def _format_of(path: Path) -> str:
    """:func:`detect_format` for a file, or a folder of street files."""
    if path.is_dir():
        return "police-uk"
    check_file(path)
    with path.open("rb") as handle:
        head = handle.read(4)
    if head == PARQUET_MAGIC:
        # Parquet made from street files is records; any other Parquet is Counts.
        return "police-uk" if _known(_parquet_header(path)) == "police-uk" else "counts-parquet"
    if _archive_holds(path, head) == "street files":
        return "police-uk"
    if head == OLE2_MAGIC and not is_spreadsheet(path):
        _misnamed(path, ".xls")
    try:
        if is_spreadsheet(path):
            return _spreadsheet_format(path)
        rows = csv_rows(path, HEADER_SEARCH_ROWS)
        if not any(c.strip() for row in rows for c in row):
            raise InputFileError.at(str(path), "the file is empty", row=1)
        return _first_known({str(path): rows})
    except InputFileError:
        # One of the two files ONS population is read from, given alone: told how to give
        # both, not that peelmetrics reads no such thing.
        part = population_part(path)
        if part is None:
            raise
        raise InputFileError.at(str(path), POPULATION_PAIR.format(part=part)) from None


def holds_street_files(path: str | Path) -> bool:
    """Whether ``path`` is data.police.uk street files (one, or a folder or archive of
    them), told without unpacking anything: they are records, counted by the ``police-uk``
    spec at every door."""
    path = expect_path(path)
    if path.is_dir():
        return _folder_table(path) is None
    check_file(path)
    if is_spreadsheet(path):  # never street files: not opened twice to say so
        return False
    with path.open("rb") as handle:
        held = _archive_holds(path, handle.read(4))
    return held == "street files" if held else detect_format(path) == "police-uk"


def _archive_holds(path: Path, head: bytes) -> Literal["street files", "a table"] | None:
    """What a zip archive (not a spreadsheet, itself a zip) holds, by its members' names:
    data.police.uk street files, or else a published table; ``None`` for any other file."""
    if not head.startswith(b"PK") or is_spreadsheet(path):
        return None
    names = zip_names(path)
    if (suffix := workbook_suffix(names)) is not None:
        _misnamed(path, suffix)
    return "street files" if any(is_record_file(n, POLICE_UK.files) for n in names) else "a table"


def _misnamed(path: Path, suffix: str) -> NoReturn:
    """Refuse a spreadsheet whose name does not say so: spreadsheets are read by their
    name's type, and its parts are no tables."""
    raise InputFileError.at(
        str(path), f"a spreadsheet ({suffix}) by its content: rename it to end in {suffix}"
    )


def _table_member(name: str) -> bool:
    """A file in an archive or a folder that may be a published table: not a folder, nor the
    bookkeeping archivers add (``__MACOSX/``, ``.DS_Store``)."""
    parts = Path(name).parts
    return not name.endswith("/") and not any(p.startswith((".", "__MACOSX")) for p in parts)


def _folder_table(folder: Path) -> Path | None:
    """The one published table a folder holds (as an archive would: bookkeeping such as
    ``.DS_Store`` ignored), or ``None`` for a folder of street files, read as records."""
    files = sorted(p for p in folder_files(folder) if p.is_file())
    if any(is_record_file(p.name, POLICE_UK.files) for p in files):
        return None
    return _only_member(
        folder, [p for p in files if _table_member(p.relative_to(folder).as_posix())]
    )


def _only_member(container: Path, members: list[Path]) -> Path:
    """The one published table an archive or a folder holds. Several are refused: which is
    laid over which is the reader's choice, made by the order of the files given."""
    folder = container.is_dir()
    if len(members) == 1:
        return members[0]
    if not members:
        kind = "a folder" if folder else "an archive"
        raise InputFileError.at(str(container), f"{kind} with no files")
    if folder:  # the command to type, with the folder's own paths
        given = " ".join(str(m) for m in members[:2]) + (" ..." if len(members) > 2 else "")
        why = (f"a folder of {len(members)} files and no street files: give them in the "
               "order to lay them over, the later over the earlier: "
               f"peelmetrics read {given}")  # fmt: skip
    else:
        names = ", ".join(shorten(m.name) for m in members[:5])
        why = (f"an archive of {len(members)} files ({names}{', ...' if len(members) > 5 else ''})"
               " and no street files: unpack it and give the files in the order to lay them "
               "over (peelmetrics read A B)")  # fmt: skip
    raise InputFileError.at(str(container), why)


def _spreadsheet_format(path: Path) -> str:
    """By the sheet names of ONS tables, else as :func:`_first_known` finds it."""
    sheets = read_sheets(path, header=None, dtype=str, keep_default_na=False,
                         nrows=HEADER_SEARCH_ROWS)  # fmt: skip
    if any(_is_table_sheet(name) for name in sheets):
        return "ons-pfa"
    named = {f"{path} [{name}]": frame.to_numpy().tolist() for name, frame in sheets.items()}
    return _first_known(named)


def _first_known(tables: Mapping[str, Sequence[Sequence[object]]]) -> str:
    """The format of the first row, among these tables' first rows, that is a known
    header (looked for where a reader looks: past a cover sheet, a title, notes); when
    none is, the error shows the first full row."""
    first: tuple[list[str], str] | None = None
    for where, rows in tables.items():
        for row in rows:
            cells = [str(c) for c in row if str(c).strip()]
            if len(cells) >= 3 or (cells and first is None and len(tables) == 1):
                with contextlib.suppress(InputFileError):
                    return _by_headers(cells, where)
                first = first or (cells, where)
    return _by_headers(*(first or ([], next(iter(tables), ""))))


def _is_table_sheet(name: str) -> bool:
    import re

    return re.fullmatch(r"\s*(table\s*)?p\d+\s*", name, re.I) is not None


#: Files known by their headers that are not a format of their own: records, counted by a
#: spec (data.police.uk also publishes these beside the street files).
_RECORDS_ONLY = (
    ("a data.police.uk outcomes file", {"crime id", "falls within", "outcome type"}),
    ("a data.police.uk stop and search file", {"object of search", "legislation"}),
)


def _parquet_header(path: Path) -> list[str]:
    """A Parquet file's column names, where an engine to read them is installed (without
    one, the Counts reader says which to install)."""
    from peelmetrics._extras import installed
    from peelmetrics.sources.engines import parquet_columns

    if not any(installed(engine) for engine in ("pyarrow", "polars", "duckdb")):
        return []
    return parquet_columns(str(path))


def _known(headers: list[str]) -> str | None:
    """The format whose headers these are, if any."""
    found = {normalise_header(h) for h in headers}
    return next((n for n, required in _SIGNATURES if any(r <= found for r in required)), None)


def _by_headers(headers: list[str], where: str) -> str:
    if (known := _known(headers)) is not None:
        return known
    found = {normalise_header(h) for h in headers}
    for what, needed in _RECORDS_ONLY:
        if needed <= found:
            raise InputFileError.at(
                where,
                f"{what}: no built-in spec counts it (police-uk counts the street files, "
                "*-street.csv); count it by a spec of your own: peelmetrics read --records "
                "FILE --spec SPEC.json",
                row=1,
            )
    # One header holding another separator: a CSV saved with semicolons or tabs.
    other = next((c for c in ";\t|" if len(headers) == 1 and c in headers[0]), None)
    hint = f" (separated by {other!r}, not commas: save it as comma-separated CSV)" if other else ""
    raise InputFileError.at(
        where,
        f"not a format peelmetrics reads{hint} (headers: {', '.join(headers) or 'none'}); "
        f"known formats: {', '.join(FORMATS)}",
        row=1,
    )


def read_any(
    path: str | Path, format: str | None = None, *, edition: Edition | str | None = None
) -> tuple[pd.DataFrame, ReadReport]:
    """Read any supported file into Counts, recognising its format unless ``format`` is given.

    ``edition`` is the one whose measure ids a Counts CSV written by hand may use (the
    published tables' readers have their own fixed measures).

    Examples
    --------
    >>> import tempfile, pathlib
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (folder / "mine.csv").write_text(
    ...     "force,period_end,measure,value\\nKent,2017-06-30,dvpos_granted,12\\n")
    >>> detect_format(folder / "mine.csv")
    'counts'
    >>> counts, report = read_any(folder / "mine.csv")
    >>> counts.value.tolist(), report.rows_used
    ([12.0], 1)
    """
    with _the_table(expect_path(path)) as (table, name):
        chosen = format or _format_of(table)
        readers = _readers(edition)
        if chosen not in readers:
            known = ", ".join(FORMATS)
            raise InputFileError.at(str(path), f"unknown format {shorten(chosen)}; known: {known}")
        counts, report = readers[chosen](table)
    return counts, report if name == str(table) else attrs.evolve(report, file=name)
