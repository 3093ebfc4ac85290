"""Files as the readers meet them: refused when unsafe (missing, a pipe, a decompression
bomb), unpacked from archives with bounds, read as text (CSV, gzip, spreadsheets), and a
fault told as the file and line a person can open in an editor."""

from __future__ import annotations

import contextlib
import io
import zipfile
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

import pandas as pd

from peelmetrics._extras import installed
from peelmetrics.errors import InputFileError, MissingFileError, Problem, shorten

__all__ = [
    "MAX_COMPRESSION_RATIO",
    "MAX_UNCOMPRESSED_BYTES",
    "check_file",
    "csv_fault",
    "csv_header",
    "csv_rows",
    "find_files",
    "folder_files",
    "is_record_file",
    "is_spreadsheet",
    "named_as",
    "read_csv_labels",
    "read_csv_text",
    "read_sheets",
    "record_lines",
    "stdin_file",
    "unpacked",
    "workbook_suffix",
    "zip_names",
]

#: A zipped spreadsheet (xlsx, ods) that would expand beyond this is refused.
MAX_UNCOMPRESSED_BYTES = 1024 * 1024 * 1024

#: ...or that expands more than this many times its size (a "zip bomb").
MAX_COMPRESSION_RATIO = 200
#: Deflate's own limit (about 1,032 to 1): a gzip trailer claiming more was cut short.
_DEFLATE_MAX_RATIO = 1100

_SPREADSHEETS = frozenset({".xlsx", ".xlsm", ".xls", ".xlsb", ".ods"})


def check_file(path: Path) -> None:
    """Refuse files that are missing, not regular files (a FIFO or a device would block or
    never end), or zipped spreadsheets that would expand without bound; never executes or
    evaluates anything in the file. Size alone is no reason: a real 10-million-row table is
    several GB."""
    try:
        exists, regular = path.exists(), path.is_file()
    except OSError as exc:  # a name too long, a loop of links: said, never a traceback
        raise InputFileError.at(
            shorten(str(path), 200), f"cannot open: {exc.strerror or exc}"
        ) from None
    if not exists:
        raise MissingFileError.at(str(path), "no such file")
    if not regular:
        raise InputFileError.at(str(path), "not a regular file (a folder, pipe or device)")
    size = path.stat().st_size
    if size >= 18 and _gzipped(path):  # by its bytes: a gzip named .csv is read as gzip
        # gzip records the expanded size (modulo 4 GiB) in its last four bytes.
        with path.open("rb") as handle:
            handle.seek(-4, 2)
            expanded = int.from_bytes(handle.read(4), "little")
        if expanded > _DEFLATE_MAX_RATIO * size:  # no deflate stream expands that far
            cut = "not a whole gzip file (cut short or damaged): download it again"
            raise InputFileError.at(str(path), cut)
        if expanded > MAX_COMPRESSION_RATIO * size:
            raise InputFileError.at(
                str(path),
                f"would expand to {expanded} bytes from {size}; "
                "refused as a possible decompression bomb",
            )
    if path.suffix.lower() in {".xlsx", ".xlsm", ".ods"}:
        try:
            with zipfile.ZipFile(path) as archive:
                expanded = sum(info.file_size for info in archive.infolist())
        except zipfile.BadZipFile:
            raise InputFileError.at(
                str(path), "not a valid spreadsheet (bad zip container)"
            ) from None
        if expanded > MAX_UNCOMPRESSED_BYTES or expanded > MAX_COMPRESSION_RATIO * max(size, 1):
            raise InputFileError.at(
                str(path),
                f"spreadsheet would expand to {expanded} bytes from {size}; refused "
                "as a possible decompression bomb",
            )


def _gzipped(path: Path | str) -> bool:
    """Whether a file is gzip, known by its first two bytes whatever its name (a server's
    ``counts.csv`` may be gzip): every reader of a CSV opens it by this."""
    with open(path, "rb") as head:  # two bytes, not the whole file
        return head.read(2) == b"\x1f\x8b"


def _opener(path: Path | str) -> Any:
    """How to open a CSV's bytes: ``gzip.open`` for a gzip file, else ``open``."""
    import gzip

    return gzip.open if _gzipped(path) else open


def csv_header(path: Path) -> list[str]:
    """The first row of a CSV as written (pandas would rename a repeated header)."""
    rows = csv_rows(path, 1)
    return rows[0] if rows else []


def csv_rows(path: Path, limit: int) -> list[list[str]]:
    """The first ``limit`` rows of a CSV as written, a blank line an empty row: where a
    header is looked for (below a title, as a sheet saved as CSV may have one). Only those
    lines are read and decoded, each at most a megabyte."""
    import csv

    check_file(path)
    lines = []
    try:
        with _opener(path)(path, "rb") as handle:  # bytes first: only these lines are decoded
            for number in range(1, limit + 1):
                raw = handle.readline(1 << 20)
                if not raw:
                    break
                lines.append(raw.decode("utf-8-sig" if number == 1 else "utf-8"))
    except UnicodeDecodeError:
        raise InputFileError.at(
            str(path),
            "not UTF-8 text; save the file as UTF-8 (CSV UTF-8 in Excel)",
            row=len(lines) + 1,
        ) from None
    except (OSError, EOFError) as exc:
        raise InputFileError.at(str(path), f"cannot read: {exc}", row=1) from None
    try:
        return list(csv.reader(io.StringIO("".join(lines), newline="")))
    except csv.Error as exc:
        raise InputFileError.at(str(path), f"cannot read the header: {exc}", row=1) from None


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
    if _gzipped(path):  # pandas would go by the name
        options["compression"] = "gzip"
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


def read_csv_labels(path: Path, columns: list[str], skip: int = 0) -> pd.DataFrame:
    """``columns`` of a CSV as categorical text, as ``read_csv_text(path, usecols=columns)
    .astype("category")`` gives them (blanks as ""; categories in the order met, which no
    reader depends on), read by pyarrow's multi-threaded CSV reader into dictionaries when
    it is installed: a long table repeats a few dozen labels on every row. Anything pyarrow
    refuses (not UTF-8, a row longer than the header, ...) is read again the plain way,
    whose errors name the line. ``skip``: lines above the header (a title)."""
    if not installed("pyarrow"):
        return read_csv_text(path, usecols=columns, skiprows=skip).astype("category")
    import pyarrow as pa
    import pyarrow.csv as pacsv

    check_file(path)
    label = pa.dictionary(pa.int32(), pa.string())
    convert = pacsv.ConvertOptions(
        column_types=dict.fromkeys(columns, label),
        include_columns=columns,
        strings_can_be_null=False,
        quoted_strings_can_be_null=False,
    )
    # Rows are first cut at every newline, in parallel (a third of the read saved on two
    # cores). A quoted newline inside a block is still read as part of its value; one where
    # a block is cut leaves the parser out of step with the cut, which pyarrow refuses: a
    # file holding a quote is then read again with values allowed to hold newlines.
    gzipped = _gzipped(path)  # pyarrow would go by the name
    for newlines_in_values in (False, True):
        if newlines_in_values and not _has_quote(path):
            break  # refused for another reason (not UTF-8, a long row): told below
        try:
            table = pacsv.read_csv(
                pa.input_stream(str(path), compression="gzip") if gzipped else path,
                read_options=pacsv.ReadOptions(skip_rows=skip),
                parse_options=pacsv.ParseOptions(newlines_in_values=newlines_in_values),
                convert_options=convert,
            )
        except (pa.ArrowException, OSError, ValueError):
            continue
        frame: pd.DataFrame = table.to_pandas()
        return frame
    return read_csv_text(path, usecols=columns, skiprows=skip).astype("category")


def _has_quote(path: Path) -> bool:
    """Whether a (plain) file holds a double quote anywhere, found without reading it into
    memory; a compressed file is taken to hold one."""
    import mmap

    if path.stat().st_size == 0:
        return False
    if _gzipped(path) or path.suffix.lower() in {".zip", ".bz2", ".xz"}:
        return True
    with path.open("rb") as handle, mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ) as m:
        return m.find(b'"') >= 0


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
    taken from the archive, members streamed rather than read whole. A problem in a member
    names it inside the archive (``archive [name]``), not the temporary copy."""
    import tempfile

    check_file(archive)
    with tempfile.TemporaryDirectory(prefix="peelmetrics-") as folder:
        members = _unpack(archive, keep, Path(folder))
        names = {str(m): f"{archive} [{m.name}]" for m in members} | {folder: str(archive)}
        with named_as(names):
            yield members


@contextlib.contextmanager
def stdin_file(limit: int) -> Iterator[Path]:
    """Standard input copied to a temporary file for the block (a reader needs a file it
    can read twice; a pipe may never end, so at most ``limit`` bytes), named ``<stdin>`` in
    any problem."""
    import sys
    import tempfile

    with tempfile.TemporaryDirectory(prefix="peelmetrics-") as folder:
        path = Path(folder) / "stdin"
        size = 0
        with path.open("wb") as sink:
            while chunk := sys.stdin.buffer.read(1 << 20):
                size += len(chunk)
                if size > limit:
                    raise InputFileError.at("<stdin>", f"more than {limit} bytes")
                sink.write(chunk)
        # Spreadsheets and archives are read by their name's type, and a pipe has no name:
        # the copy is named by what its bytes are.
        path = path.rename(path.with_suffix(_suffix_by_content(path)))
        with named_as({str(path): "<stdin>", folder: "<stdin>"}):
            yield path


#: The first bytes of the files known by them: an Excel 97-2003 workbook, and Parquet.
OLE2_MAGIC = b"\xd0\xcf\x11\xe0"
PARQUET_MAGIC = b"PAR1"


def workbook_suffix(names: Iterable[str]) -> str | None:
    """``.ods`` or ``.xlsx`` when a zip archive's member names are a workbook's parts (a
    workbook is itself a zip archive), else ``None``."""
    held = set(names)
    if "mimetype" in held:
        return ".ods"
    return ".xlsx" if "[Content_Types].xml" in held else None


def _suffix_by_content(path: Path) -> str:
    """``.xlsx``, ``.ods``, ``.xls``, ``.parquet`` or ``.zip`` by the file's bytes; else
    ``.csv`` (gzipped or not: CSV is known by its bytes wherever it is read)."""
    with path.open("rb") as handle:
        head = handle.read(4)
    if (known := {OLE2_MAGIC: ".xls", PARQUET_MAGIC: ".parquet"}.get(head)) is not None:
        return known
    if not head.startswith(b"PK"):
        return ".csv"
    try:
        return workbook_suffix(zip_names(path)) or ".zip"
    except InputFileError:
        return ".zip"  # refused as an archive, where it is read, with the reason


@contextlib.contextmanager
def named_as(names: Mapping[str, str]) -> Iterator[None]:
    """Problems raised in the block with each temporary path of ``names`` written as what
    the person gave (longest first: a member's path before its folder's)."""
    import attrs

    try:
        yield
    except InputFileError as exc:

        def told(text: str) -> str:
            for temporary in sorted(names, key=len, reverse=True):
                text = text.replace(temporary, names[temporary])
            return text

        problems = [attrs.evolve(p, file=told(p.file), message=told(p.message))
                    for p in exc.problems]  # fmt: skip
        raise type(exc)(problems) from None


@contextlib.contextmanager
def _zip(archive: Path) -> Iterator[zipfile.ZipFile]:
    """A zip archive opened: whatever is wrong with it (not a zip, cut short, an encrypted
    member, a compression method the standard library lacks) told one way."""
    try:
        with zipfile.ZipFile(archive) as book:
            yield book
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, RuntimeError,
            NotImplementedError) as exc:  # fmt: skip
        raise InputFileError.at(
            str(archive), f"not a readable zip archive: {shorten(str(exc))}"
        ) from None


def zip_names(archive: Path) -> list[str]:
    """The names of a zip archive's members, read from its directory (nothing unpacked)."""
    with _zip(archive) as book:
        return book.namelist()


def _unpack(archive: Path, keep: Callable[[str], bool], folder: Path) -> list[Path]:
    import shutil

    with _zip(archive) as book:
        members = [m for m in book.infolist() if not m.is_dir() and keep(m.filename)]
        expanded = sum(m.file_size for m in members)
        size = archive.stat().st_size
        if expanded > MAX_UNCOMPRESSED_BYTES * 16 or expanded > MAX_COMPRESSION_RATIO * size:
            raise InputFileError.at(
                str(archive),
                f"archive would expand to {expanded} bytes from {size}; refused as a possible "
                "decompression bomb",
            )
        paths = []
        for number, member in enumerate(members):
            # A folder each: two members may share a name in different folders.
            target = folder / f"{number:05d}" / Path(member.filename).name
            target.parent.mkdir()
            with book.open(member) as source, target.open("wb") as sink:
                shutil.copyfileobj(source, sink, 1 << 20)
            paths.append(target)
        return sorted(paths, key=lambda p: (p.name, p.parent.name))


def csv_fault(path: Path | str) -> Problem | None:
    """The first line of a CSV file that no reader should take: not UTF-8, or more fields
    than the header (the line a person sees in an editor). Streams the file: called after
    a reader or engine has failed, to say where."""
    import csv

    opener = _opener(path)
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
            start = 1  # the line the record being read began on
            try:
                width = len(next(reader, []))
                start = reader.line_num + 1
                for row in reader:
                    if len(row) > width:
                        return Problem(
                            str(path), reader.line_num, None,
                            f"{len(row)} fields but the header has {width}; a comma inside "
                            "a number or text must be quoted",
                        )  # fmt: skip
                    start = reader.line_num + 1
            except csv.Error as exc:
                if "unexpected end of data" in str(exc):
                    # Python's csv finds an unclosed quote only at the end of the file; the
                    # quote was opened on the line its record began.
                    return Problem(str(path), start, None, "cannot read as CSV: a quote "
                                   "opened on this line is never closed")  # fmt: skip
                return Problem(str(path), reader.line_num, None, f"cannot read as CSV: {exc}")
    return None


def _lf_only(line: str) -> str:
    """One line-feed-ended line for Python's csv with a lone carriage return kept as data
    (csv would end the row there): a CRLF ending dropped, other CRs replaced."""
    body = line.removeprefix("\ufeff").removesuffix("\n").removesuffix("\r")
    return body.replace("\r", "\ufffd") + "\n"


def record_lines(
    path: Path, records: int, *, blank_lines: bool = True, skip: int = 0
) -> pd.Series[int]:
    """The line on which each data record starts (the header is line ``skip`` + 1: below
    a title of ``skip`` lines), counting blank lines and newlines inside quoted cells as an
    editor does. With ``blank_lines=False`` blank lines are not records (pandas' default
    skips them), so the records after one keep the line a person sees, not one less."""
    import csv

    with _opener(path)(path, "rb") as handle:  # a gzip file too, as pandas read it
        text = handle.read().decode("utf-8-sig")
    plain = pd.Series(range(skip + 2, records + skip + 2))
    if '"' not in text:
        if blank_lines:
            return plain
        lines = enumerate(text.splitlines(), start=1)
        numbers = [n for n, line in lines if n > skip + 1 and line.strip()]
        return pd.Series(numbers[:records]) if len(numbers) >= records else plain
    reader = csv.reader(io.StringIO(text, newline=""))
    starts, previous = [], 0
    try:
        for row in reader:
            if previous > skip and (blank_lines or row):
                starts.append(previous + 1)
            previous = reader.line_num
    except csv.Error:  # pandas read it; fall back to counting records
        return plain
    if len(starts) < records:
        return plain
    return pd.Series(starts[:records])


def read_sheets(
    path: Path,
    sheets: Sequence[str] | Callable[[list[str]], Sequence[str]] | None = None,
    **kwargs: Any,
) -> dict[str, pd.DataFrame]:
    """Read spreadsheet sheets through ``pandas.read_excel`` with the calamine engine:
    every sheet, the ``sheets`` named, or those a function of the workbook's sheet names
    chooses (a reader that knows its sheets by several names, as editions name them).

    Needs the ``excel`` extra (``pip install "peelmetrics[excel]"``).
    """
    check_file(path)
    try:
        import python_calamine  # noqa: F401
    except ImportError:
        raise InputFileError.at(
            str(path),
            'reading spreadsheets needs python-calamine: pip install "peelmetrics[excel]"',
        ) from None
    try:
        book = pd.ExcelFile(path, engine="calamine")
        held = [str(s) for s in book.sheet_names]
        names = held if sheets is None else list(sheets(held) if callable(sheets) else sheets)
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
        raise InputFileError.at(str(path), f"cannot read spreadsheet: {exc}") from None


def is_spreadsheet(path: Path) -> bool:
    """True for the spreadsheet formats the readers accept."""
    return path.suffix.lower() in _SPREADSHEETS


#: The file types records come in (a CSV may be gzipped: a decade of street files is tens
#: of gigabytes as text).
RECORD_SUFFIXES = (".csv", ".csv.gz", ".parquet")


def is_record_file(name: str, pattern: str | None) -> bool:
    """A CSV (or gzipped CSV) or Parquet file named like ``pattern`` (``*-street.*``; any
    with ``None``), case ignored: the one test of a name, for folders and archives alike.

    >>> is_record_file("2018-12-kent-street.csv.gz", "*-street.*")
    True
    """
    import fnmatch

    base = Path(name).name.lower()
    return base.endswith(RECORD_SUFFIXES) and fnmatch.fnmatch(base, (pattern or "*").lower())


def find_files(path: str | Path, pattern: str | None) -> tuple[list[str], bool]:
    """The record files a path names (a file, a glob, or in a folder searched recursively
    those named like ``pattern``), and whether they are Parquet (else CSV). Anything that
    is not a regular file (a pipe would block the read), and a folder that cannot be read,
    is refused by name rather than skipped."""
    import glob

    text = str(path)
    if Path(text).is_dir():
        files = sorted(str(p) for p in folder_files(Path(text)) if is_record_file(p.name, pattern))
    elif any(c in text for c in "*?["):
        files = sorted(glob.glob(text, recursive=True))
    else:
        files = [text]  # one file, refused by check_file below as any door refuses it
    if not files:
        named = f" named {pattern}" if pattern and Path(text).is_dir() else ""
        if named and pattern and pattern.endswith(".*"):
            named += f" (no {pattern[:-2]}.csv files, nor {pattern[:-2]}.parquet)"
        raise InputFileError.at(text, f"no CSV or Parquet record files{named}")
    for file in files:
        check_file(Path(file))
    parquet = all(f.lower().endswith(".parquet") for f in files)
    if not parquet and any(f.lower().endswith(".parquet") for f in files):
        raise InputFileError.at(text, "mixes CSV and Parquet files")
    return files, parquet


def folder_files(folder: Path) -> Iterator[Path]:
    """Every file under ``folder``, however deep: the one way a folder is searched, for
    records and published tables alike. A subfolder that cannot be listed is an error (its
    files would be missing from every count without a word)."""
    import os

    def refuse(exc: OSError) -> None:
        raise InputFileError.at(
            str(exc.filename or folder), f"cannot read the folder: {exc.strerror or exc}"
        )

    for root, _dirs, names in os.walk(folder, onerror=refuse):
        yield from (Path(root) / n for n in names)
