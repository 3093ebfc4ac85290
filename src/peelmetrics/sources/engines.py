"""The engines that scan record files: one choice (Polars for CSV, DuckDB for Parquet, each
the other's fallback, then pandas), one way to open files on it, one translation of an
engine's error into the file and line at fault, and the progress of a long step."""

from __future__ import annotations

import contextlib
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, TextIO, TypeVar

import pandas as pd

from peelmetrics._extras import installed
from peelmetrics.errors import InputFileError, Problem, shorten
from peelmetrics.sources.files import csv_header, read_csv_text

__all__ = [
    "ENGINES",
    "Progress",
    "check_rows",
    "choose_engine",
    "collect",
    "duckdb_relation",
    "engine_errors",
    "engine_exceptions",
    "open_records",
    "parquet_columns",
    "retried",
]

#: The engines a read can be asked for (``"auto"`` chooses).
ENGINES = ("auto", "polars", "duckdb", "pandas")


def check_rows(files: list[str], memory_limit: str, progress: TextIO | None = None) -> None:
    """Every CSV row read by a strict reader, which refuses one longer than its header (an
    unquoted comma shifting the fields after it): Polars counting reads only the columns
    asked for and never sees it, and DuckDB lets a row end in one empty field too many
    (the shape of an unquoted comma in a street file's Location, its Context being blank).
    Polars parsing every column refuses both; DuckDB's strict mode where Polars is absent."""
    if installed("polars"):
        import polars as pl

        frame = pl.scan_csv(files, infer_schema=False, missing_columns="insert")
        with Progress(None, progress, "checking every row has its fields"):
            frame.select(pl.all().null_count()).collect(engine="streaming")
        return

    def checked(tolerant: bool) -> None:
        relation, connection = duckdb_relation(files, False, memory_limit, tolerant)
        with Progress(connection, progress, "checking every row has its fields"):
            relation.aggregate("count(*)").fetchall()

    retried(checked, True)


_T = TypeVar("_T")


def retried(run: Callable[[bool], _T], may_retry: bool) -> _T:
    """``run(False)``; if DuckDB refuses a CSV file that way, ``run(True)``: DuckDB reads
    short rows (padded with nulls, as Polars reads them) only one file per thread, so the
    fast way is tried first."""
    if not may_retry:
        return run(False)
    import duckdb

    try:
        return run(False)
    except duckdb.Error:
        return run(True)


def engine_exceptions() -> tuple[type[BaseException], ...]:
    """The errors an engine raises on a file it cannot read (whichever are installed)."""
    import narwhals.exceptions

    found: list[type[BaseException]] = [narwhals.exceptions.NarwhalsError, UnicodeDecodeError]
    if installed("polars"):
        import polars.exceptions

        found.append(polars.exceptions.PolarsError)
    if installed("duckdb"):
        import duckdb

        found.append(duckdb.Error)
    if installed("pyarrow"):
        import pyarrow as pa

        found.append(pa.ArrowException)
    return tuple(found)


@contextlib.contextmanager
def engine_errors(path: str, files: list[str], parquet: bool) -> Iterator[None]:
    """An engine's error on a file it cannot read, told as ours: the file and line at fault
    where a check of the CSV finds them (not UTF-8, more fields than the header), else the
    engine's own first line."""
    try:
        yield
    except engine_exceptions() as exc:
        from peelmetrics.sources.files import csv_fault

        found = [] if parquet else [p for p in map(csv_fault, files) if p is not None]
        if not found:
            first = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
            found = [Problem(path, None, None, f"cannot read the records: {first}")]
        raise InputFileError(found) from None


class Progress:
    """Shows a long step on a stream as one line rewritten in place, from a daemon thread:
    DuckDB's progress of the running query, or the time taken on other engines. (DuckDB's
    own bar writes to standard output, where Counts may be going.)"""

    def __init__(self, connection: Any, stream: TextIO | None, label: str = "reading records",
                 every: float = 0.5) -> None:  # fmt: skip
        import threading

        self._connection, self._stream, self._every = connection, stream, every
        self._label = label
        self._done = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self.shown = False

    def __enter__(self) -> Progress:
        if self._stream is not None:
            self._thread.start()
        return self

    def __exit__(self, *_exc: object) -> None:
        self._done.set()
        if self._thread.is_alive():
            self._thread.join()
        if self.shown and self._stream is not None:
            self._stream.write("\n")
            self._stream.flush()

    def _run(self) -> None:
        import time

        assert self._stream is not None
        start = time.monotonic()
        while not self._done.wait(self._every):
            elapsed = f"{time.monotonic() - start:.0f} s"
            if self._connection is None:
                line = f"{self._label}: {elapsed}"
            else:
                percent = self._connection.query_progress()
                if percent < 0:
                    continue
                line = f"{self._label}: {percent:3.0f}% of this pass, {elapsed}"
            self._stream.write(f"\rpeelmetrics: {line}")
            self._stream.flush()
            self.shown = True


def parquet_columns(path: str) -> list[str]:
    """Column names from the file's footer (pyarrow, else Polars, else DuckDB)."""
    try:
        if installed("pyarrow"):
            import pyarrow.parquet as pq

            return list(pq.read_schema(path).names)
        if installed("polars"):
            import polars as pl

            return list(pl.read_parquet_schema(path))
        import duckdb

        rows = (
            duckdb.connect()
            .execute(  # one file's schema, its path a parameter
                "DESCRIBE SELECT * FROM read_parquet(?)", [path]
            )
            .fetchall()
        )
        return [str(r[0]) for r in rows]
    except Exception as exc:  # a corrupt footer: said for the file, not as a traceback
        first = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise InputFileError.at(path, f"not a readable Parquet file: {first}") from None


def choose_engine(engine: str, parquet: bool) -> str:
    """The engine a read runs on: ``engine`` itself when installed, or for ``"auto"`` the
    installed engine that reads the format fastest (DuckDB for Parquet, Polars for CSV,
    each the other's fallback, then pandas).

    >>> choose_engine("pandas", parquet=False)
    'pandas'
    """
    if not isinstance(engine, str) or engine not in ENGINES:
        problem = f"unknown backend {shorten(engine)}; use polars, duckdb, pandas or auto"
        raise InputFileError.at("<engine>", problem)
    if engine == "auto":
        engines = ("duckdb", "polars") if parquet else ("polars", "duckdb")
        return next((e for e in engines if installed(e)), "pandas")
    if engine != "pandas" and not installed(engine):
        raise InputFileError.at("<engine>", f"{engine} is not installed: pip install {engine}")
    return engine


def open_records(engine: str, files: list[str], parquet: bool, memory_limit: str,
          tolerant: bool = False) -> tuple[Any, Any]:  # fmt: skip
    """The records on ``engine``, and DuckDB's connection when it is DuckDB (else None)."""
    if engine == "duckdb":
        return duckdb_relation(files, parquet, memory_limit, tolerant)
    if engine == "polars":
        import polars as pl

        if parquet:
            return pl.scan_parquet(files), None
        headers = {tuple(csv_header(Path(f))) for f in files}
        named: dict[str, Any] = {}
        if len(headers) == 1 and any('"' in h for h in next(iter(headers))):
            # Polars keeps a header's doubled quote ("for""ce" as for""ce); the names are
            # those every other reader gives.
            named = {"new_columns": list(next(iter(headers)))}
        frame = pl.scan_csv(files, infer_schema=False, missing_columns="insert", **named)
        return frame, None

    # The project's strict CSV reader: a row longer than its header is an error naming the
    # line, never a silent index column.
    readers = [pd.read_parquet(f) if parquet else read_csv_text(Path(f)) for f in files]
    return pd.concat(readers, ignore_index=True), None


def duckdb_relation(files: list[str], parquet: bool, memory_limit: str,
            tolerant: bool = False) -> tuple[Any, Any]:  # fmt: skip
    """A DuckDB relation over the files, on a connection bounded to ``memory_limit``;
    ``tolerant`` reads CSV rows shorter than the header (see :func:`retried`)."""
    import duckdb

    connection = duckdb.connect()
    # Progress is tracked (for query_progress) but never printed: DuckDB's own bar
    # writes to standard output, where Counts CSV may be going.
    connection.execute("SET enable_progress_bar = true")
    connection.execute("SET enable_progress_bar_print = false")
    connection.execute("SET preserve_insertion_order = false")  # lets it stream
    connection.execute("SET memory_limit = ?", [memory_limit])
    # An in-memory database has nowhere to spill unless told.
    spill = Path(tempfile.gettempdir()) / "peelmetrics-duckdb"
    connection.execute("SET temp_directory = ?", [str(spill)])
    if parquet:
        return connection.read_parquet(files, union_by_name=True), connection
    # The dialect is given, not sniffed: every engine reads the same RFC 4180 files.
    dialect: dict[str, Any] = {"header": True, "sep": ",", "quotechar": '"', "escapechar": '"'}
    if tolerant:
        dialect |= {"null_padding": True, "parallel": False}
    headers = [tuple(csv_header(Path(f))) for f in files]
    names = list(headers[0])
    if len(set(headers)) == 1 and len(set(names)) == len(names):
        # One header for all: columns named, nothing sniffed (a sniffer can misjudge a
        # file with odd rows).
        columns = dict.fromkeys(names, "VARCHAR")
        relation = connection.read_csv(files, auto_detect=False, columns=columns, **dialect)
    else:
        # Matching columns by name costs DuckDB five times the read: only when headers differ.
        relation = connection.read_csv(files, all_varchar=True, union_by_name=True, **dialect)
    return relation, connection


def collect(lazy: Any, native: Any, *, every_column: bool = False) -> pd.DataFrame:
    """A small grouped result as pandas, whichever engine computed it. ``every_column``:
    Polars parses every column of a CSV scan, not only those asked for, and so refuses a
    row longer than its header in this one pass (see :func:`check_rows`)."""
    if "polars" in type(native.to_native()).__module__:
        import polars as pl

        # Polars' streaming engine reads files in batches: memory stays flat with size.
        options: dict[str, Any] = {"engine": "streaming"}
        if every_column:
            flags = getattr(pl, "QueryOptFlags", None)  # Polars 1.31 and later
            options |= ({"optimizations": flags(projection_pushdown=False)} if flags
                        else {"projection_pushdown": False})  # fmt: skip
        result = lazy.collect(backend="polars", **options)
    else:
        # DuckDB and pandas hand over a pandas frame: taken as it is, not rebuilt column by
        # column (that cost a national Parquet read a tenth of its time).
        frame: pd.DataFrame = lazy.collect(backend="pandas").to_native()
        return frame.reset_index(drop=True)
    # Column by column as arrays: not through Python lists (a grouped decade of street
    # files is some 300,000 cells, boxed one by one), and no pyarrow needed for Polars.
    return pd.DataFrame({name: result[name].to_numpy() for name in result.columns})
