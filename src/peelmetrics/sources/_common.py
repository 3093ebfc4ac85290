"""What every reader shares: safe table loading, header matching, force resolution and the
reconciliation report (rows read = rows used + rows excluded)."""

from __future__ import annotations

import contextlib
import io
import re
import zipfile
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

import attrs
import numpy as np
import pandas as pd

from peelmetrics._extras import installed
from peelmetrics.errors import InputFileError, Problem, UnknownForceError
from peelmetrics.forces import resolve_force

#: A zipped spreadsheet (xlsx, ods) that would expand beyond this is refused.
MAX_UNCOMPRESSED_BYTES = 1024 * 1024 * 1024
#: ...or that expands more than this many times its size (a "zip bomb").
MAX_COMPRESSION_RATIO = 200

_SPREADSHEETS = frozenset({".xlsx", ".xlsm", ".xls", ".xlsb", ".ods"})


@attrs.frozen(eq=False)
class ReadReport:
    """Reconciliation of one read: every input row is used or excluded with a reason.

    Attributes
    ----------
    file
        The file (or sheet) read.
    rows_read
        Data rows in the input (header rows not counted).
    rows_used
        Rows that contributed to the Counts.
    excluded
        One row per excluded input row: ``row`` (line or spreadsheet row number) and
        ``reason``; readers of records at scale give one row per reason and a ``count``.
    notes
        Facts about used rows worth knowing (published negative adjustments, say).
    """

    file: str
    rows_read: int
    rows_used: int
    excluded: pd.DataFrame = attrs.field(repr=False)
    notes: tuple[str, ...] = ()

    def __attrs_post_init__(self) -> None:
        if self.rows_read != self.rows_used + self.rows_excluded:
            raise AssertionError(  # a reader bug, never a user error
                f"{self.file}: {self.rows_read} rows read but {self.rows_used} used and "
                f"{self.rows_excluded} excluded"
            )

    @property
    def rows_excluded(self) -> int:
        """Number of input rows not used."""
        if "count" in self.excluded.columns:
            return int(self.excluded["count"].sum())
        return len(self.excluded)

    def by_reason(self) -> dict[str, int]:
        """Excluded row counts per reason, most frequent first."""
        weights = (
            self.excluded["count"]
            if "count" in self.excluded.columns
            else pd.Series(1, index=self.excluded.index)
        )
        counts = weights.groupby(self.excluded["reason"]).sum().sort_values(ascending=False)
        return {str(k): int(v) for k, v in counts.items()}

    def summary(self, max_notes: int | None = None) -> str:
        """One paragraph a person can read: what was used and what was left out and why
        (at most ``max_notes`` notes, then how many more there are)."""
        lines = [
            f"{self.file}: {self.rows_read} rows read, {self.rows_used} used, "
            f"{self.rows_excluded} excluded"
        ]
        lines += [f"  {n} excluded: {reason}" for reason, n in self.by_reason().items()]
        shown = self.notes if max_notes is None else self.notes[:max_notes]
        lines += [f"  note: {note}" for note in shown]
        if len(shown) < len(self.notes):
            lines.append(f"  ... and {len(self.notes) - len(shown)} more note(s)")
        return "\n".join(lines)

    @staticmethod
    def merge(reports: Sequence[ReadReport], file: str) -> ReadReport:
        """Combine the reports of several sheets of one file (reasons say which sheet)."""
        if len(reports) == 1:
            only = reports[0]
            return ReadReport(file, only.rows_read, only.rows_used, only.excluded, only.notes)
        excluded = [
            r.excluded.assign(reason=_part(r.file, file) + ": " + r.excluded["reason"])
            for r in reports
        ]
        return ReadReport(
            file,
            sum(r.rows_read for r in reports),
            sum(r.rows_used for r in reports),
            pd.concat(excluded, ignore_index=True) if excluded else _no_exclusions(),
            tuple(f"{_part(r.file, file)}: {note}" for r in reports for note in r.notes),
        )


def _part(part: str, whole: str) -> str:
    """ "book.xlsx [Table P7]" within "book.xlsx" -> "[Table P7]"."""
    return part[len(whole) :].strip() or part if part.startswith(whole) else part


def _no_exclusions() -> pd.DataFrame:
    return pd.DataFrame({"row": pd.Series(dtype="int64"), "reason": pd.Series(dtype=str)})


def exclusions(rows: pd.Series[int], reasons: pd.Series[str] | str) -> pd.DataFrame:
    """Frame of excluded rows for a :class:`ReadReport`."""
    reason = reasons if isinstance(reasons, pd.Series) else pd.Series(reasons, index=rows.index)
    return pd.DataFrame({"row": rows.astype("int64").to_numpy(), "reason": reason.to_numpy()})


def on_labels(
    series: pd.Series[Any],
    func: Callable[[pd.Series[str]], pd.Series[Any]],
    *,
    category: bool = False,
) -> pd.Series[Any]:
    """``func`` applied to each distinct label of ``series`` once, spread back to every row.

    Published long tables repeat a few dozen labels (force names, offence groups, quarters)
    on hundreds of thousands of rows; text work per label instead of per row keeps a read
    close to the cost of parsing the file. Missing cells reach ``func`` as ``""``. With
    ``category=True`` the result is categorical (for text results used as keys).

    >>> on_labels(pd.Series([" Kent", "Kent ", " Kent"]), lambda s: s.str.strip()).tolist()
    ['Kent', 'Kent', 'Kent']
    """
    codes, uniques = pd.factorize(series, use_na_sentinel=True)
    labels = pd.Series(pd.Index(uniques).astype(str), dtype=object)
    mapped = func(pd.concat([labels, pd.Series([""], dtype=object)], ignore_index=True))
    at = np.where(codes < 0, len(labels), codes)
    if category:
        result_codes, results = pd.factorize(mapped, use_na_sentinel=True)
        values = pd.Categorical.from_codes(result_codes[at], categories=pd.Index(results))
        return pd.Series(values, index=series.index)
    return pd.Series(mapped.to_numpy()[at], index=series.index)


def duplicated_headers(headers: Sequence[object], file: str) -> list[Problem]:
    """Two columns with the same (normalised) header: which one holds the data is a guess,
    so it is an error."""
    seen: dict[str, str] = {}
    problems = []
    for header in headers:
        key = normalise_header(header)
        if key in seen:
            problems.append(Problem(file, 1, str(header), f"header repeats {seen[key]!r}"))
        else:
            seen[key] = str(header)
    return problems


def csv_header(path: Path) -> list[str]:
    """The first row of a CSV as written (pandas would rename a repeated header)."""
    import csv
    import gzip
    import io

    check_file(path)
    with path.open("rb") as head:  # two bytes, not the whole file
        raw = head.read(2)
    opener: Any = gzip.open if raw.startswith(b"\x1f\x8b") else open
    try:
        with opener(path, "rb") as handle:  # bytes first: only the header line is decoded
            line = handle.readline(1 << 20).decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InputFileError([Problem(str(path), 1, None, "not UTF-8 text; save the file as "
                                      "UTF-8 (CSV UTF-8 in Excel)")]) from None  # fmt: skip
    except (OSError, EOFError) as exc:
        raise InputFileError([Problem(str(path), 1, None, f"cannot read: {exc}")]) from None
    try:
        return next(csv.reader(io.StringIO(line, newline="")), [])
    except csv.Error as exc:
        raise InputFileError(
            [Problem(str(path), 1, None, f"cannot read the header: {exc}")]
        ) from None


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


def check_file(path: Path) -> None:
    """Refuse files that are missing, not regular files (a FIFO or a device would block or
    never end), or zipped spreadsheets that would expand without bound; never executes or
    evaluates anything in the file. Size alone is no reason: a real 10-million-row table is
    several GB."""
    if not path.exists():
        raise FileNotFoundError(f"{path}: no such file")
    if not path.is_file():
        raise InputFileError(
            [Problem(str(path), None, None, "not a regular file (a folder, pipe or device)")]
        )
    size = path.stat().st_size
    if path.suffix.lower() == ".gz" and size >= 18:
        # gzip records the expanded size (modulo 4 GiB) in its last four bytes.
        with path.open("rb") as handle:
            handle.seek(-4, 2)
            expanded = int.from_bytes(handle.read(4), "little")
        if expanded > MAX_COMPRESSION_RATIO * size:
            raise InputFileError(
                [
                    Problem(
                        str(path),
                        None,
                        None,
                        f"would expand to {expanded} bytes from {size}; "
                        "refused as a possible decompression bomb",
                    )
                ]
            )
    if path.suffix.lower() in {".xlsx", ".xlsm", ".ods"}:
        try:
            with zipfile.ZipFile(path) as archive:
                expanded = sum(info.file_size for info in archive.infolist())
        except zipfile.BadZipFile:
            raise InputFileError(
                [Problem(str(path), None, None, "not a valid spreadsheet (bad zip container)")]
            ) from None
        if expanded > MAX_UNCOMPRESSED_BYTES or expanded > MAX_COMPRESSION_RATIO * max(size, 1):
            raise InputFileError(
                [
                    Problem(
                        str(path),
                        None,
                        None,
                        f"spreadsheet would expand to {expanded} bytes from {size}; refused "
                        "as a possible decompression bomb",
                    )
                ]
            )


def read_csv_text(path: Path, **kwargs: Any) -> pd.DataFrame:
    """Read a CSV with every cell as text (no type guessing), BOM tolerated.

    Not ``dtype="category"``: pandas would infer the categories' type and turn "2e1" into
    20.0; convert text columns to categories after reading instead."""
    check_file(path)
    options: dict[str, Any] = {
        "dtype": str,
        "keep_default_na": False,
        "encoding": "utf-8-sig",
        # A row with more fields than the header is an error, never a silent index column.
        "index_col": False,
    }
    options.update(kwargs)
    import warnings

    try:
        with warnings.catch_warnings():
            # pandas drops the extra fields of a too-long row with only a warning.
            warnings.simplefilter("error", pd.errors.ParserWarning)
            frame: pd.DataFrame = pd.read_csv(path, **options)
        return frame
    except UnicodeDecodeError as exc:
        raise InputFileError([_not_utf8(path, exc)]) from None
    except pd.errors.ParserWarning:
        raise InputFileError([_too_long_row(path)]) from None
    except (pd.errors.ParserError, pd.errors.EmptyDataError, ValueError, OSError, EOFError) as exc:
        fault = csv_fault(path) if isinstance(exc, pd.errors.ParserError) else None
        raise InputFileError(
            [fault or Problem(str(path), None, None, f"cannot parse as CSV: {exc}")]
        ) from None


def read_csv_labels(path: Path, columns: list[str]) -> pd.DataFrame:
    """``columns`` of a CSV as categorical text, as ``read_csv_text(path, usecols=columns)
    .astype("category")`` gives them (categories sorted, blanks as ""), read by pyarrow's
    multi-threaded CSV reader into dictionaries when it is installed: a long table repeats
    a few dozen labels on every row. Anything pyarrow refuses (not UTF-8, a row longer than
    the header, ...) is read again the plain way, whose errors name the line."""
    if not installed("pyarrow"):
        return read_csv_text(path, usecols=columns).astype("category")
    import pyarrow as pa
    import pyarrow.csv as pacsv

    check_file(path)
    label = pa.dictionary(pa.int32(), pa.string())
    try:
        table = pacsv.read_csv(
            path,
            parse_options=pacsv.ParseOptions(newlines_in_values=True),
            convert_options=pacsv.ConvertOptions(
                column_types=dict.fromkeys(columns, label),
                include_columns=columns,
                strings_can_be_null=False,
                quoted_strings_can_be_null=False,
            ),
        )
    except (pa.ArrowException, OSError, ValueError):
        return read_csv_text(path, usecols=columns).astype("category")
    frame: pd.DataFrame = table.to_pandas()
    for column in frame.columns:
        values = frame[column].cat
        frame[column] = values.set_categories(sorted(values.categories.astype(str)))
    return frame


def _not_utf8(path: Path, exc: UnicodeDecodeError) -> Problem:
    """The line a person sees in an editor, not a byte offset."""
    return csv_fault(path) or Problem(
        str(path), None, None, f"not UTF-8 text ({exc.reason}); save the file as UTF-8"
    )


def _too_long_row(path: Path) -> Problem:
    return csv_fault(path) or Problem(
        str(path), None, None, "a row has more fields than the header"
    )


@contextlib.contextmanager
def unpacked(archive: Path, keep: Callable[[str], bool]) -> Iterator[list[Path]]:
    """The members of a zip archive whose names ``keep`` accepts, unpacked to a temporary
    folder for the block (removed after): expansion bounded as for spreadsheets, no path
    taken from the archive, members streamed rather than read whole."""
    import shutil
    import tempfile
    import zipfile

    check_file(archive)
    try:
        with zipfile.ZipFile(archive) as book:
            members = [m for m in book.infolist() if not m.is_dir() and keep(m.filename)]
            expanded = sum(m.file_size for m in members)
            size = archive.stat().st_size
            if expanded > MAX_UNCOMPRESSED_BYTES * 16 or expanded > MAX_COMPRESSION_RATIO * size:
                raise InputFileError([Problem(str(archive), None, None, f"archive would expand "
                                      f"to {expanded} bytes from {size}; refused as a possible "
                                      "decompression bomb")])  # fmt: skip
            with tempfile.TemporaryDirectory(prefix="peelmetrics-") as folder:
                paths = []
                for number, member in enumerate(members):
                    # A folder each: two members may share a name in different folders.
                    target = Path(folder) / f"{number:05d}" / Path(member.filename).name
                    target.parent.mkdir()
                    with book.open(member) as source, target.open("wb") as sink:
                        shutil.copyfileobj(source, sink, 1 << 20)
                    paths.append(target)
                yield sorted(paths, key=lambda p: (p.name, p.parent.name))
    except (zipfile.BadZipFile, EOFError) as exc:
        raise InputFileError([Problem(str(archive), None, None, f"not a readable zip archive: "
                                      f"{exc}")]) from None  # fmt: skip


def csv_fault(path: Path | str) -> Problem | None:
    """The first line of a CSV file that no reader should take: not UTF-8, or more fields
    than the header (the line a person sees in an editor). Streams the file: called after
    a reader or engine has failed, to say where."""
    import csv
    import gzip

    with open(path, "rb") as head:
        zipped = head.read(2) == b"\x1f\x8b"
    opener: Any = gzip.open if zipped else open
    try:
        with opener(path, "rb") as handle:
            for number, line in enumerate(handle, start=1):
                try:
                    line.decode("utf-8")
                except UnicodeDecodeError as exc:
                    bad = line[exc.start : exc.start + 1]
                    return Problem(str(path), number, None, f"not UTF-8 text (byte {bad!r}); "
                                   "save the file as UTF-8 (CSV UTF-8 in Excel)")  # fmt: skip
    except (OSError, EOFError):
        return Problem(str(path), None, None, "not a readable gzip file")
    # pandas ends a row at a lone carriage return, as Python's csv does; Polars and DuckDB
    # end rows only at a line feed. A fault is looked for both ways.
    for lone_cr_ends_row in (True, False):
        with opener(path, "rb") as raw:
            text = io.TextIOWrapper(raw, encoding="utf-8-sig", newline="")
            # Binary lines end only at line feeds, and are streamed like the text.
            lines: Iterable[str] = text if lone_cr_ends_row else (
                _lf_only(line.decode("utf-8")) for line in raw
            )  # fmt: skip
            reader = csv.reader(lines, strict=True)  # an unclosed quote is an error here
            try:
                width = len(next(reader, []))
                for row in reader:
                    if len(row) > width:
                        return Problem(
                            str(path), reader.line_num, None,
                            f"{len(row)} fields but the header has {width}; a comma inside "
                            "a number or text must be quoted",
                        )  # fmt: skip
            except csv.Error as exc:
                return Problem(str(path), reader.line_num, None, f"cannot read as CSV: {exc}")
    return None


def _lf_only(line: str) -> str:
    """One line-feed-ended line for Python's csv with a lone carriage return kept as data
    (csv would end the row there): a CRLF ending dropped, other CRs replaced."""
    body = line.removeprefix("\ufeff").removesuffix("\n").removesuffix("\r")
    return body.replace("\r", "\ufffd") + "\n"


def record_lines(path: Path, records: int) -> pd.Series[int]:
    """The line on which each data record starts (the header is line 1), counting blank
    lines and newlines inside quoted cells as an editor does."""
    import csv

    text = path.read_text(encoding="utf-8-sig")
    if '"' not in text:
        return pd.Series(range(2, records + 2))
    reader = csv.reader(io.StringIO(text, newline=""))
    starts, previous = [], 0
    try:
        for _row in reader:
            starts.append(previous + 1)
            previous = reader.line_num
    except csv.Error:  # pandas read it; fall back to counting records
        return pd.Series(range(2, records + 2))
    if len(starts) < records + 1:
        return pd.Series(range(2, records + 2))
    return pd.Series(starts[1 : records + 1])


def read_sheets(
    path: Path, sheets: Sequence[str] | None = None, **kwargs: Any
) -> dict[str, pd.DataFrame]:
    """Read spreadsheet sheets through ``pandas.read_excel`` with the calamine engine.

    Needs the ``excel`` extra (``pip install "peelmetrics[excel]"``).
    """
    check_file(path)
    try:
        import python_calamine  # noqa: F401
    except ImportError:
        raise InputFileError(
            [
                Problem(
                    str(path),
                    None,
                    None,
                    'reading spreadsheets needs python-calamine: pip install "peelmetrics[excel]"',
                )
            ]
        ) from None
    try:
        book = pd.ExcelFile(path, engine="calamine")
        names = list(sheets) if sheets is not None else [str(s) for s in book.sheet_names]
        missing = [s for s in names if s not in book.sheet_names]
        if missing:
            raise InputFileError(
                Problem(str(path), None, None, f"no sheet {s!r}; sheets are {book.sheet_names}")
                for s in missing
            )
        return {name: pd.read_excel(book, sheet_name=name, **kwargs) for name in names}
    except InputFileError:
        raise
    except Exception as exc:  # calamine raises its own error types for corrupt files
        raise InputFileError(
            [Problem(str(path), None, None, f"cannot read spreadsheet: {exc}")]
        ) from None


def is_spreadsheet(path: Path) -> bool:
    """True for the spreadsheet formats the readers accept."""
    return path.suffix.lower() in _SPREADSHEETS


#: Unknown names beyond this many are listed without "did you mean" suggestions.
_SUGGEST_AT_MOST = 50


def resolve_names(
    names: pd.Series[str], rows: pd.Series[int], file: str, column: str
) -> tuple[pd.Series[str], list[Problem]]:
    """Force codes for a column of force names, resolving each distinct name once (the
    first row and the number of rows of an unknown name come from one pass, so many
    distinct bad names cost linear time)."""
    positions, uniques = pd.factorize(names, use_na_sentinel=False)
    first = np.full(len(uniques), -1, dtype=np.int64)
    first[positions[::-1]] = np.arange(len(positions))[::-1]
    sizes = np.bincount(positions, minlength=len(uniques))
    line = rows.to_numpy()
    resolved: list[str | None] = []
    problems: list[Problem] = []
    for i, name in enumerate(uniques):
        try:
            # Suggestions cost a fuzzy match each: the first few unknown names get them.
            suggest = len(problems) < _SUGGEST_AT_MOST
            resolved.append(resolve_force(str(name), suggest=suggest).code)
        except UnknownForceError as exc:
            resolved.append(None)
            text = str(exc)
            problems.append(
                Problem(file, int(line[first[i]]), column, f"{text} ({int(sizes[i])} row(s))")
            )
    if problems:
        return pd.Series(dtype=object), problems
    values = (
        pd.Categorical.from_codes(positions, categories=pd.Index(resolved).unique())
        if len(set(resolved)) == len(resolved)
        else pd.Categorical(np.asarray(resolved)[positions])
    )
    return pd.Series(values, index=names.index), problems


#: A count as published: digits with optional valid thousands grouping ("1,234,567"), an
#: optional sign and decimal part. "1,5", "12,34" and "1.234,5" are not numbers here:
#: stripping their commas would misread them.
_NUMBER = re.compile(r"^[+-]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?$")


def _numbers(text: pd.Series[str]) -> pd.Series[float]:
    stripped = text.str.strip()
    valid = stripped.str.match(_NUMBER)
    cleaned = stripped.where(valid, "").str.replace(",", "", regex=False)
    return pd.to_numeric(cleaned, errors="coerce").where(valid)


def parse_counts(
    values: pd.Series[str],
    rows: pd.Series[int],
    file: str,
    column: str,
    *,
    allow_negative: bool = False,
) -> tuple[pd.Series[float], list[Problem]]:
    """Numbers from text cells ("1,234" accepted, "1,5" not); problems name each bad row.

    Counts must not be negative unless ``allow_negative`` (a publisher's adjustment rows).
    """
    numbers = on_labels(values, _numbers).astype("float64")
    problems = [
        Problem(file, int(rows[i]), column, f"{values[i]!r} is not a number")
        for i in values.index[numbers.isna()]
    ]
    problems += [
        Problem(file, int(rows[i]), column, f"{values[i]!r}: counts must not be negative")
        for i in values.index[numbers < 0]
        if not allow_negative
    ]
    from peelmetrics.counts import MAX_COUNT

    problems += [
        Problem(file, int(rows[i]), column, f"{values[i]!r} is too large for a count")
        for i in values.index[numbers.abs() > MAX_COUNT]
    ]
    return numbers.astype("float64"), problems
