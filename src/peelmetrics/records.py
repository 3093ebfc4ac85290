"""Record-level data into Counts, by a declared spec, on whichever engine holds the records.

A force's analysts hold one row per crime, arrest or DVPO application; data.police.uk holds
one row per street-level crime. The PEEL measures are counts of such rows per force and
month. A :class:`RecordSpec` says, as data, which column is the force, which the date, and
which rows count towards which measure; :func:`count_records` runs it, written once against
narwhals, on a pandas or Polars frame, a Polars LazyFrame or a DuckDB relation, so only the
grouped table reaches Python.

Every row read is used or excluded with its reason (Annex A's rule that nothing is lost
silently, applied to our own reads): its force is not a police force of England and Wales
(or BTP), its date is not ``YYYY-MM`` or ``YYYY-MM-DD``, or it matches no rule.
"""

from __future__ import annotations

import contextlib
import re
import tempfile
from collections.abc import Callable, Iterable, Iterator, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO, TypeVar

import attrs
import pandas as pd

from peelmetrics._convert import strings
from peelmetrics._extras import installed as _installed
from peelmetrics._serde import Serialisable
from peelmetrics.errors import InputFileError, Problem, UnknownMeasureError
from peelmetrics.forces import codes_by_name
from peelmetrics.periods import MONTH_PATTERN

if TYPE_CHECKING:  # pragma: no cover
    from peelmetrics.catalogue import Edition
    from peelmetrics.sources._common import ReadReport

__all__ = [
    "POLICE_UK",
    "SPECS",
    "MeasureRule",
    "RecordSpec",
    "count_records",
    "load_spec",
    "monthly_windows",
    "read_records",
    "scan_records",
]

_FIELD = re.compile(r"\{([^{}]+)\}")
_MONTH = re.compile(rf"^{MONTH_PATTERN}$")


def _conditions(value: Mapping[str, Any] | None) -> dict[str, tuple[str, ...]]:
    return {str(k): strings(v) for k, v in (value or {}).items()}


@attrs.frozen(slots=True)
class MeasureRule(Serialisable):
    """Which rows count towards a measure.

    Attributes
    ----------
    measure
        A measure id of the edition, or a template naming one column in braces
        (``"outcome_{outcome_type}"``): each row counts towards the measure its value
        names; values that name no measure of the edition match nothing.
    where
        Column -> values: a row counts only if each column holds one of its values.
    where_not
        Column -> values: a row whose column holds one of these does not count.

    >>> MeasureRule("domestic_abuse_offences", where={"da_flag": ["Y"]}).columns()
    ('da_flag',)
    """

    measure: str
    where: dict[str, tuple[str, ...]] = attrs.field(factory=dict, converter=_conditions)
    where_not: dict[str, tuple[str, ...]] = attrs.field(factory=dict, converter=_conditions)

    def columns(self) -> tuple[str, ...]:
        """The record columns the rule reads."""
        named = _FIELD.findall(self.measure)
        return tuple(dict.fromkeys([*self.where, *self.where_not, *named]))

    def template(self) -> str | None:
        """The column a templated measure names, or ``None``."""
        named = _FIELD.findall(self.measure)
        if len(named) > 1:
            raise InputFileError([Problem("<spec>", None, None,
                                          f"measure template {self.measure!r} names "
                                          "more than one column")])  # fmt: skip
        return named[0] if named else None

    def values(self, measures: Mapping[str, Any]) -> dict[str, str]:
        """Column value -> measure id, for a templated rule, over the edition's measures."""
        column = self.template()
        if column is None:
            return {}
        head, tail = self.measure.split("{" + column + "}")
        pattern = re.compile(re.escape(head) + "(.+)" + re.escape(tail) + "$")
        return {m.group(1): m.group(0) for m in map(pattern.match, measures) if m}


def _rules(rules: Iterable[MeasureRule]) -> tuple[MeasureRule, ...]:
    return tuple(rules)


@attrs.frozen(slots=True)
class RecordSpec(Serialisable):
    """How a kind of record file maps to measures: data, checked against an edition.

    A force's own crime extract (invented column names):

    >>> spec = RecordSpec(
    ...     name="force crimes",
    ...     force="force",
    ...     date="recorded_on",
    ...     id="crime_ref",
    ...     rules=[
    ...         MeasureRule("recorded_crime", where_not={"offence_group": ["Fraud"]}),
    ...         MeasureRule("domestic_abuse_offences", where={"da_flag": ["Y"]}),
    ...         MeasureRule("outcome_{outcome_type}"),
    ...     ],
    ... )
    >>> spec.check()
    >>> spec.columns()
    ('force', 'recorded_on', 'crime_ref', 'offence_group', 'da_flag', 'outcome_type')

    Attributes
    ----------
    name
        What the spec is called in reports and errors.
    force, date
        The columns holding the force's name or code, and the date (``YYYY-MM`` or
        ``YYYY-MM-DD``).
    rules
        :class:`MeasureRule` s: which rows count towards which measure.
    id
        The column of record ids, checked for ids given on more than one row.
    files
        The names of the spec's files in a folder, CSV or Parquet (a glob such as
        ``"*-street.*"``): a data.police.uk folder also holds outcomes and stop-and-search
        files, which :func:`read_records` then skips and says so. Every file read must hold
        every column the spec reads.
    """

    name: str
    force: str
    date: str
    rules: tuple[MeasureRule, ...] = attrs.field(converter=_rules)
    id: str | None = None
    files: str | None = None

    def columns(self) -> tuple[str, ...]:
        """Every record column the spec reads."""
        named = [self.force, self.date, *([self.id] if self.id else [])]
        return tuple(dict.fromkeys([*named, *(c for r in self.rules for c in r.columns())]))

    def check(self, edition: Edition | str | None = None, columns: Any = None,
              file: str = "<records>") -> None:  # fmt: skip
        """Refuse a rule whose measure the edition lacks, or a column the records lack.

        >>> RecordSpec("x", "force", "month", [MeasureRule("arrests")]).check()
        Traceback (most recent call last):
        ...
        peelmetrics.errors.UnknownMeasureError: unknown measure 'arrests'
        """
        from peelmetrics.catalogue import get

        ed = get(edition)
        measures = {m.id: m for m in ed.measures}
        if not self.rules:
            raise InputFileError([Problem(file, None, None, f"spec {self.name!r} has no rules")])
        for rule in self.rules:
            if rule.template() is None:
                ed.measure(rule.measure)  # UnknownMeasureError, with close ids
            elif not rule.values(measures):
                raise UnknownMeasureError(rule.measure, ())
        if columns is not None:
            missing = [c for c in self.columns() if c not in set(columns)]
            if missing:
                raise InputFileError([
                    Problem(file, None, c, f"spec {self.name!r} reads column {c!r}, "
                            f"which the records lack (they have {', '.join(map(str, columns))})")
                    for c in missing
                ])  # fmt: skip


#: data.police.uk street files (:mod:`peelmetrics.sources.police_uk` reads the files).
POLICE_UK = RecordSpec(
    name="police-uk",
    force="Falls within",
    date="Month",
    id="Crime ID",
    files="*-street.*",  # the monthly CSV files, or Parquet made from them
    rules=(
        MeasureRule("police_uk_asb_incidents", where={"Crime type": ("Anti-social behaviour",)}),
        MeasureRule("police_uk_crimes", where_not={"Crime type": ("Anti-social behaviour",)}),
    ),
)


#: Built-in specs by name (``read --records ... --spec NAME``).
SPECS: Mapping[str, RecordSpec] = {POLICE_UK.name: POLICE_UK}


def load_spec(name_or_path: str | Path) -> RecordSpec:
    """A built-in spec by name (``"police-uk"``) or a spec from a JSON file
    (:meth:`RecordSpec.to_dict`'s layout).

    >>> load_spec("police-uk").force
    'Falls within'
    """
    import json

    if str(name_or_path) in SPECS:
        return SPECS[str(name_or_path)]
    path = Path(name_or_path)
    if not path.is_file():
        raise InputFileError([Problem(str(path), None, None, "no such spec: give a JSON file "
                                      f"or one of {', '.join(SPECS)}")])  # fmt: skip
    try:
        return RecordSpec.from_dict(json.loads(path.read_text(encoding="utf-8")))
    except (ValueError, TypeError, KeyError) as exc:
        raise InputFileError(
            [Problem(str(path), None, None, f"not a record spec: {exc}")]
        ) from None


def scan_records(path: str | Path, *, memory_limit: str = "1GB") -> Any:
    """The CSV or Parquet files of a file, a folder (searched recursively) or a glob, as one
    lazy table on an embedded engine, columns read as text: Parquet on DuckDB, CSV on
    Polars (its CSV reader strips and matches text about three times faster here), each
    falling back to the other, then to pandas (which reads everything into memory).

    On DuckDB, ``memory_limit`` bounds the engine's memory: larger aggregations (the
    duplicate-id check over a national decade groups 60 million id hashes) spill to disk
    rather than take the machine's memory; peak memory stays near the limit.
    """
    files, parquet = _record_files(path, None)
    return _open(_engine(parquet), files, parquet, memory_limit)[0]


def read_records(
    path: str | Path,
    spec: RecordSpec | str = "police-uk",
    edition: Edition | str | None = None,
    *,
    check_ids: bool = True,
    months: tuple[str, str] | None = None,
    memory_limit: str = "1GB",
    progress: TextIO | None = None,
) -> tuple[pd.DataFrame, ReadReport]:
    """Monthly Counts of the record files at ``path`` (file, folder, glob or zip archive of
    CSV or Parquet): :func:`scan_records` then :func:`count_records`, with ``spec`` a
    :class:`RecordSpec`, a built-in name or a JSON spec file.

    The duplicate-id check runs on DuckDB whichever engine counted (when DuckDB is
    installed): it is the one step whose memory grows with the records, and DuckDB bounds
    it to ``memory_limit``. ``progress``, a stream (standard error on a terminal), is sent
    each step's progress every half second (a percentage on DuckDB, the time elsewhere).
    """
    chosen = spec if isinstance(spec, RecordSpec) else load_spec(spec)
    with _unpacked(path, chosen.files) as folder:
        files, parquet = _record_files(folder, chosen.files)
        counts, report = _count_files(files, parquet, chosen, edition, where=str(path),
                                      engine=_engine(parquet), check_ids=check_ids,
                                      months=months, memory_limit=memory_limit,
                                      progress=progress)  # fmt: skip
    if Path(str(path)).is_dir() and chosen.files:
        found = [p for p in Path(str(path)).rglob("*") if p.suffix.lower() in _SUFFIXES]
        skipped = len(found) - len(files)
        if skipped > 0:
            note = f"{skipped} other file(s) in the folder skipped: not named {chosen.files}"
            report = attrs.evolve(report, notes=(*report.notes, note))
    return counts, report


@contextlib.contextmanager
def _unpacked(path: str | Path, pattern: str | None) -> Iterator[str | Path]:
    """``path`` itself, or for a zip archive (a data.police.uk download) a temporary folder
    holding its record files named like ``pattern``."""
    import fnmatch

    if not (Path(str(path)).is_file() and str(path).lower().endswith(".zip")):
        yield path
        return
    from peelmetrics.sources._common import unpacked

    def keep(name: str) -> bool:
        base = Path(name).name.lower()
        return Path(base).suffix in _SUFFIXES and fnmatch.fnmatch(base, (pattern or "*").lower())

    with unpacked(Path(str(path)), keep) as members:
        if not members:
            named = pattern or "*.csv or *.parquet"
            problem = Problem(str(path), None, None, f"an archive with no record files: {named}")
            raise InputFileError([problem])
        yield members[0].parent.parent


def _count_files(
    files: list[str],
    parquet: bool,
    spec: RecordSpec,
    edition: Edition | str | None,
    *,
    where: str,
    engine: str,
    check_ids: bool = True,
    months: tuple[str, str] | None = None,
    memory_limit: str = "1GB",
    progress: TextIO | None = None,
    source: str | None = None,
) -> tuple[pd.DataFrame, ReadReport]:
    """Monthly Counts of record files on ``engine``: every file checked for the spec's
    columns first, every row's width checked by a strict reader, engine errors told as the
    file and line at fault, ids checked on DuckDB when it is not the engine."""
    import narwhals as nw

    _check_files(files, parquet, spec)
    ids_on_duckdb = engine != "duckdb" and _installed("duckdb")

    def counted(tolerant: bool) -> tuple[pd.DataFrame, ReadReport]:
        records, connection = _open(engine, files, parquet, memory_limit, tolerant)
        with _Progress(connection, progress, "counting records"):
            return count_records(records, spec, edition, file=where, months=months,
                                 source=source,
                                 check_ids=check_ids and not ids_on_duckdb)  # fmt: skip

    def repeated(tolerant: bool) -> list[str]:
        assert spec.id is not None
        relation, connection = _duckdb(files, parquet, memory_limit, tolerant)
        with _Progress(connection, progress, f"checking {spec.id} for duplicates"):
            return _duplicates(nw.from_native(relation), spec.id)

    with _engine_errors(where, files, parquet):
        try:
            counts, report = _retried(counted, not parquet and engine == "duckdb")
        except _engine_exceptions():
            if parquet or engine != "duckdb" or not _installed("polars"):
                raise
            engine = "polars"  # DuckDB refuses some CSV Polars reads (mixed line endings)
            counts, report = counted(False)
    with _engine_errors(where, files, parquet):
        if not parquet and engine != "pandas":  # pandas' own reader is already strict
            _check_rows(files, memory_limit, progress)
        if check_ids and spec.id and ids_on_duckdb:
            try:
                notes = _retried(repeated, not parquet)
            except _engine_exceptions():
                # DuckDB refuses some files Polars and pandas read (a CRLF row after an LF
                # header, a lone CR): the ids are then checked where the records were
                # counted, without DuckDB's bound on memory.
                records, _connection = _open(engine, files, parquet, memory_limit)
                frame = nw.from_native(records)
                lazy = frame.lazy() if isinstance(frame, nw.DataFrame) else frame
                notes = _duplicates(lazy, spec.id)
            report = attrs.evolve(report, notes=(*report.notes, *notes))
    return counts, report


def _check_rows(files: list[str], memory_limit: str, progress: TextIO | None = None) -> None:
    """Every CSV row read by a strict reader, which refuses one longer than its header (an
    unquoted comma shifting the fields after it): Polars counting reads only the columns
    asked for and never sees it, and DuckDB lets a row end in one empty field too many
    (the shape of an unquoted comma in a street file's Location, its Context being blank).
    Polars parsing every column refuses both; DuckDB's strict mode where Polars is absent."""
    if _installed("polars"):
        import polars as pl

        frame = pl.scan_csv(files, infer_schema=False, missing_columns="insert")
        with _Progress(None, progress, "checking every row has its fields"):
            frame.select(pl.all().null_count()).collect(engine="streaming")
        return

    def checked(tolerant: bool) -> None:
        relation, connection = _duckdb(files, False, memory_limit, tolerant)
        with _Progress(connection, progress, "checking every row has its fields"):
            relation.aggregate("count(*)").fetchall()

    _retried(checked, True)


_T = TypeVar("_T")


def _retried(run: Callable[[bool], _T], may_retry: bool) -> _T:
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


def _engine_exceptions() -> tuple[type[BaseException], ...]:
    """The errors an engine raises on a file it cannot read (whichever are installed)."""
    import narwhals.exceptions

    found: list[type[BaseException]] = [narwhals.exceptions.NarwhalsError, UnicodeDecodeError]
    if _installed("polars"):
        import polars.exceptions

        found.append(polars.exceptions.PolarsError)
    if _installed("duckdb"):
        import duckdb

        found.append(duckdb.Error)
    if _installed("pyarrow"):
        import pyarrow as pa

        found.append(pa.ArrowException)
    return tuple(found)


@contextlib.contextmanager
def _engine_errors(path: str, files: list[str], parquet: bool) -> Iterator[None]:
    """An engine's error on a file it cannot read, told as ours: the file and line at fault
    where a check of the CSV finds them (not UTF-8, more fields than the header), else the
    engine's own first line."""
    try:
        yield
    except _engine_exceptions() as exc:
        from peelmetrics.sources._common import csv_fault

        found = [] if parquet else [p for p in map(csv_fault, files) if p is not None]
        if not found:
            first = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
            found = [Problem(path, None, None, f"cannot read the records: {first}")]
        raise InputFileError(found) from None


class _Progress:
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

    def __enter__(self) -> _Progress:
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


def _record_files(path: str | Path, pattern: str | None) -> tuple[list[str], bool]:
    """The record files a path names (in a folder, those named like ``pattern``), and
    whether they are Parquet (else CSV)."""
    import fnmatch
    import glob

    text = str(path)
    if Path(text).is_dir():
        files = sorted(str(p) for p in Path(text).rglob("*") if p.suffix.lower() in _SUFFIXES
                       and fnmatch.fnmatch(p.name.lower(), (pattern or "*").lower()))  # fmt: skip
    elif any(c in text for c in "*?["):
        files = sorted(glob.glob(text, recursive=True))
    else:
        files = [text] if Path(text).is_file() else []
    if not files:
        named = f" named {pattern}" if pattern and Path(text).is_dir() else ""
        raise InputFileError([Problem(text, None, None, f"no CSV or Parquet record files{named}")])
    parquet = all(f.lower().endswith(".parquet") for f in files)
    if not parquet and any(f.lower().endswith(".parquet") for f in files):
        raise InputFileError([Problem(text, None, None, "mixes CSV and Parquet files")])
    return files, parquet


def _check_files(files: list[str], parquet: bool, spec: RecordSpec) -> None:
    """Every file holds every column the spec reads: engines reading many files fill a
    column one file lacks with nulls, which would count, say, an outcomes file's rows as
    crimes of no type."""
    problems = []
    for file in files:
        have = set(_parquet_columns(file) if parquet else _csv_columns(file))
        if not have:
            problems.append(Problem(file, 1, None, "has no header row (empty, or not CSV)"))
            continue
        problems += [
            Problem(file, 1, c, f"spec {spec.name!r} reads column {c!r}, which this file lacks")
            for c in spec.columns()
            if c not in have
        ]
    if problems:
        raise InputFileError(problems)


def _csv_columns(path: str) -> list[str]:
    import csv

    line = _header(path).decode("utf-8", errors="replace")
    try:  # names as the engines read them (a spaced name is another name)
        return next(csv.reader([line]), [])
    except csv.Error:  # not a CSV header at all: the spec's columns are then all missing
        return []


def _parquet_columns(path: str) -> list[str]:
    """Column names from the file's footer (pyarrow, else Polars, else DuckDB)."""
    try:
        if _installed("pyarrow"):
            import pyarrow.parquet as pq

            return list(pq.read_schema(path).names)
        if _installed("polars"):
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
        raise InputFileError(
            [Problem(path, None, None, f"not a readable Parquet file: {first}")]
        ) from None


def _engine(parquet: bool) -> str:
    """The installed engine that reads the format fastest: DuckDB for Parquet, Polars for
    CSV, each the other's fallback, then pandas."""
    engines = ("duckdb", "polars") if parquet else ("polars", "duckdb")
    return next((e for e in engines if _installed(e)), "pandas")


def _open(engine: str, files: list[str], parquet: bool, memory_limit: str,
          tolerant: bool = False) -> tuple[Any, Any]:  # fmt: skip
    """The records on ``engine``, and DuckDB's connection when it is DuckDB (else None)."""
    if engine == "duckdb":
        return _duckdb(files, parquet, memory_limit, tolerant)
    if engine == "polars":
        import polars as pl

        if parquet:
            return pl.scan_parquet(files), None
        return pl.scan_csv(files, infer_schema=False, missing_columns="insert"), None
    from peelmetrics.sources._common import read_csv_text

    # The project's strict CSV reader: a row longer than its header is an error naming the
    # line, never a silent index column.
    readers = [pd.read_parquet(f) if parquet else read_csv_text(Path(f)) for f in files]
    return pd.concat(readers, ignore_index=True), None


def _duckdb(files: list[str], parquet: bool, memory_limit: str,
            tolerant: bool = False) -> tuple[Any, Any]:  # fmt: skip
    """A DuckDB relation over the files, on a connection bounded to ``memory_limit``;
    ``tolerant`` reads CSV rows shorter than the header (see :func:`_retried`)."""
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
    names = _csv_columns(files[0])
    if len({_header(f) for f in files}) == 1 and len(set(names)) == len(names):
        # One header for all: columns named, nothing sniffed (a sniffer can misjudge a
        # file with odd rows).
        columns = dict.fromkeys(names, "VARCHAR")
        relation = connection.read_csv(files, auto_detect=False, columns=columns, **dialect)
    else:
        # Matching columns by name costs DuckDB five times the read: only when headers differ.
        relation = connection.read_csv(files, all_varchar=True, union_by_name=True, **dialect)
    return relation, connection


_SUFFIXES = {".csv", ".parquet"}


def _header(path: str) -> bytes:
    with open(path, "rb") as handle:
        return handle.readline().removeprefix(b"\xef\xbb\xbf").rstrip(b"\r\n")


def count_records(
    records: Any,
    spec: RecordSpec,
    edition: Edition | str | None = None,
    *,
    file: str = "<records>",
    source: str | None = None,
    check_ids: bool = True,
    months: tuple[str, str] | None = None,
) -> tuple[pd.DataFrame, ReadReport]:
    """Monthly Counts (``period_months`` 1) of ``records`` by ``spec``.

    ``records`` is any frame narwhals takes: pandas, a Polars DataFrame or LazyFrame, a
    DuckDB relation. Values are compared as text (a number column ``1`` matches ``"1"``).
    ``months``, ``("2016-07", "2017-06")``, keeps the months from the first to the last;
    rows outside them are excluded with that reason. The report's notes name force-months
    with no records among the months the records span, and ids on more than one row.
    ``check_ids=False`` skips the duplicate-id check, most of the time of a large read.

    >>> records = pd.DataFrame({
    ...     "Falls within": ["Hertfordshire Constabulary"] * 3 + ["Nowhere Police"],
    ...     "Month": ["2017-06"] * 4,
    ...     "Crime ID": ["a", "b", "", "c"],
    ...     "Crime type": ["Burglary", "Robbery", "Anti-social behaviour", "Burglary"],
    ... })
    >>> counts, report = count_records(records, POLICE_UK)
    >>> print(counts[["force", "measure", "value"]].to_string(index=False))
        force                 measure  value
    E23000027 police_uk_asb_incidents    1.0
    E23000027        police_uk_crimes    2.0
    >>> report.rows_read, report.rows_used, report.excluded["reason"].tolist()
    (4, 3, ["'Nowhere Police' is not a police force of England and Wales"])
    """
    import narwhals as nw

    from peelmetrics.catalogue import get
    from peelmetrics.counts import COUNTS_COLUMNS, validate_counts

    _check_months(months)
    ed = get(edition)
    frame = nw.from_native(records)
    lazy = frame.lazy() if isinstance(frame, nw.DataFrame) else frame
    names = lazy.collect_schema().names()
    spec.check(ed, names, file)
    measures = {m.id: m for m in ed.measures}
    text = lazy.select(
        [nw.col(c).cast(nw.String).fill_null("").str.strip_chars().alias(c)
         for c in spec.columns()]
    ).with_columns(  # private names: a record column may itself be called "force"
        nw.col(spec.force).alias("_force"), nw.col(spec.date).str.slice(0, 7).alias("_month")
    )  # fmt: skip
    keys = ["_force", "_month"]
    matches = [_expression(rule, rule.values(measures)) for rule in spec.rules]
    # One scan for the row accounting and every plain rule; a templated rule needs its own
    # group-by (one more key), which only it pays for. Each rule's condition is evaluated
    # once per row; "matched any" is the largest of the flags, not the conditions again.
    plain = [i for i, rule in enumerate(spec.rules) if rule.template() is None]
    flags = [m.cast(nw.Int64).alias(f"_rule{i}") for i, m in enumerate(matches)]
    flag_names = [f"_rule{i}" for i in range(len(matches))]
    matched = nw.max_horizontal(*flag_names) if len(flag_names) > 1 else nw.col(flag_names[0])
    totals = _collect(
        text.with_columns(*flags)
        .with_columns(matched.alias("_matched"))
        .group_by(keys)
        .agg(
            nw.len().alias("rows"),
            nw.col("_matched").sum().alias("matched"),
            *[nw.col(f"_rule{i}").sum().alias(f"_rule{i}") for i in plain],
        ),
        lazy,
    )
    if totals.empty:  # no records at all: nothing counted, nothing to account for
        totals = pd.DataFrame({c: pd.Series(dtype=str) for c in keys}).assign(rows=0, matched=0)
        _good, report = _account(totals, spec, file, months)
        return validate_counts(pd.DataFrame({c: [] for c in COUNTS_COLUMNS}), edition=ed), report
    pieces = [
        totals[keys].assign(measure=spec.rules[i].measure, value=totals[f"_rule{i}"]) for i in plain
    ]
    for rule, expression in zip(spec.rules, matches, strict=True):
        column = rule.template()
        if column is None:
            continue
        grouped = _collect(
            text.filter(expression).group_by([*keys, column]).agg(nw.len().alias("value")),
            lazy,
        )
        grouped["measure"] = grouped[column].map(rule.values(measures))
        pieces.append(grouped[[*keys, "measure", "value"]])
    counted = pd.concat(pieces, ignore_index=True)
    # A rule no row of a force-month matched gives no count (as a reader of published
    # tables gives none), not a zero: the records may simply not cover it.
    counted = counted[counted["value"] > 0]
    good, report = _account(totals, spec, file, months)
    summed = (
        counted.merge(good, on=keys)
        .groupby(["_code", "_month", "measure"], as_index=False)[["value"]]
        .sum()
    )
    counts = pd.DataFrame(
        {
            "force": summed["_code"],
            "period_end": pd.to_datetime(summed["_month"], format="%Y-%m") + pd.offsets.MonthEnd(0),
            "period_months": 1,
            "measure": summed["measure"],
            "value": summed["value"].astype("float64"),
            "source": source or f"records ({spec.name}): {file}",
        }
    ).sort_values(["force", "period_end", "measure"], ignore_index=True)
    if spec.id and check_ids:
        report = attrs.evolve(report, notes=(*report.notes, *_duplicates(lazy, spec.id)))
    return validate_counts(counts, edition=ed, file=f"{file} (counted records)"), report


def _check_months(months: tuple[str, str] | None) -> None:
    from peelmetrics.errors import InvalidValueError

    if months is None:
        return
    if (not isinstance(months, tuple | list) or len(months) != 2
            or not all(isinstance(m, str) and _MONTH.match(m) for m in months)):  # fmt: skip
        raise InvalidValueError(f"months are (first, last) as YYYY-MM, not {months!r}")
    if months[0] > months[1]:
        raise InvalidValueError(f"the first month {months[0]} is after the last {months[1]}")


def _expression(rule: MeasureRule, values: Mapping[str, str]) -> Any:
    import narwhals as nw

    conditions = [nw.col(c).is_in(list(v)) for c, v in rule.where.items()]
    conditions += [~nw.col(c).is_in(list(v)) for c, v in rule.where_not.items()]
    named = rule.template()
    if named is not None:
        conditions.append(nw.col(named).is_in(list(values)))
    if not conditions:
        # Row-wise, not a bare literal (a scalar some engines will not filter or sum by);
        # "_force" is never null once read.
        return ~nw.col("_force").is_null()
    expression = conditions[0]
    for condition in conditions[1:]:
        expression = expression & condition
    return expression


def _collect(lazy: Any, native: Any) -> pd.DataFrame:
    """A small grouped result as pandas, whichever engine computed it."""
    if "polars" in type(native.to_native()).__module__:
        # Polars' streaming engine reads files in batches: memory stays flat with size.
        result = lazy.collect(backend="polars", engine="streaming")
    else:
        result = lazy.collect(backend="pandas")
    return pd.DataFrame(result.to_dict(as_series=False))


def _account(
    totals: pd.DataFrame, spec: RecordSpec, file: str, months: tuple[str, str] | None = None
) -> tuple[pd.DataFrame, ReadReport]:
    """Force codes for the (force, month) groups; every row used or excluded with why, and
    a note of the force-months with no records among the months the records span."""
    from peelmetrics.sources._common import ReadReport

    # An engine gives an empty grouping's text columns no type: they are text.
    totals = totals.astype({"_force": str, "_month": str})
    table = totals.assign(_code=totals["_force"].map(codes_by_name(totals["_force"])))
    month_ok = table["_month"].str.match(_MONTH.pattern)
    reasons = pd.Series("", index=table.index, dtype=object)
    unmatched = table["rows"] - table["matched"]
    reasons[~month_ok] = f"{spec.date} is not YYYY-MM or YYYY-MM-DD"
    if months is not None:
        first, last = months
        outside = month_ok & ((table["_month"] < first) | (table["_month"] > last))
        reasons[outside] = f"outside the months asked for ({first} to {last})"
    unknown = table["_code"].isna()
    reasons[unknown] = pd.Series(
        [f"{n!r} is not a police force of England and Wales" for n in table.loc[unknown, "_force"]],
        index=table.index[unknown],
    )
    bad = reasons != ""
    excluded = [(r, int(n)) for r, n in zip(reasons[bad], table.loc[bad, "rows"], strict=True)]
    no_rule = int(unmatched[~bad].sum())
    if no_rule:
        excluded.append((f"matches no rule of spec {spec.name!r}", no_rule))
    listed = pd.DataFrame(excluded, columns=["reason", "count"])
    frame = listed.groupby("reason", as_index=False, sort=False)[["count"]].sum()
    exclusions = pd.DataFrame({"row": pd.Series([None] * len(frame), dtype="Int64"),
                               "reason": frame["reason"], "count": frame["count"]})  # fmt: skip
    good = table.loc[~bad, ["_force", "_month", "_code"]]
    report = ReadReport(file, int(table["rows"].sum()), int(table.loc[~bad, "matched"].sum()),
                        exclusions, _gaps(good))  # fmt: skip
    return good, report


def _gaps(good: pd.DataFrame) -> tuple[str, ...]:
    """The note naming force-months without records, among the months the records span
    (Greater Manchester has no data.police.uk records from July 2019)."""
    from peelmetrics.forces import force_by_code

    if good.empty:
        return ()
    seen = pd.Series(pd.PeriodIndex(good["_month"], freq="M"), index=good.index)
    span = pd.period_range(seen.min(), seen.max(), freq="M")
    named = []
    total = 0
    for code, months in seen.groupby(good["_code"]):
        missing = span.difference(pd.PeriodIndex(months.unique()))
        if len(missing):
            total += len(missing)
            named.append(f"{force_by_code(str(code)).short_name} {_runs(missing)}")
    if not named:
        return ()
    return (f"no records for {total} force-month(s) within {span[0]} to {span[-1]}: "
            + "; ".join(named),)  # fmt: skip


def _duplicates(lazy: Any, id_column: str) -> list[str]:
    """The note on ids given on more than one row, if any. Ids are read as given, not
    stripped: this is the one pass over every distinct id (most of a national read's time
    and memory), kept lean."""
    try:
        ids, rows = repeated_ids(lazy, id_column)
    except Exception as exc:  # an engine at its memory limit: said, not a failed read
        if "OutOfMemory" not in type(exc).__name__:
            raise
        return [
            f"duplicate {id_column} check not done: the engine ran out of memory at its "
            "limit (raise scan_records' memory_limit, or skip with check_ids=False)"
        ]
    return (
        [f"{ids} {id_column}(s) appear on more than one row ({rows} rows); counted as given"]
        if ids
        else []
    )


def repeated_ids(lazy: Any, id_column: str) -> tuple[int, int]:
    """(ids given on more than one row, rows carrying them) in a narwhals LazyFrame; blank
    and missing ids are not ids.

    On DuckDB and Polars the ids are grouped by a 64-bit hash (an eighth of the memory of
    the 64-character data.police.uk ids, and a third of the time), and only ids whose hash
    repeats are then compared exactly, so the answer is exact.
    """
    import narwhals as nw

    native = lazy.to_native()
    module = type(native).__module__
    if module.startswith("duckdb") or module.startswith("_duckdb"):
        return _repeated_ids_duckdb(native, id_column)
    if module.startswith("polars"):
        return _repeated_ids_polars(native, id_column)

    repeated = _collect(
        lazy.select(nw.col(id_column).cast(nw.String).alias("_id"))
        .filter(~nw.col("_id").is_null() & (nw.col("_id") != ""))
        .group_by("_id")
        .agg(nw.len().alias("n"))
        .filter(nw.col("n") > 1)
        .select(nw.len().alias("ids"), nw.col("n").sum().alias("rows")),
        lazy,
    )
    return int(repeated["ids"].iloc[0] or 0), int(repeated["rows"].fillna(0).iloc[0])


#: Up to this many repeated hashes are checked exactly with a list of literals; more, with
#: a second grouping (rare: a file of mostly duplicated ids).
_INLINE_HASHES = 10_000


def _repeated_ids_duckdb(relation: Any, id_column: str) -> tuple[int, int]:
    quoted = '"' + id_column.replace('"', '""') + '"'
    ids = f"SELECT CAST({quoted} AS VARCHAR) AS id FROM _records WHERE {quoted} IS NOT NULL"
    ids = f"SELECT id FROM ({ids}) WHERE id <> ''"
    hashes = f"SELECT hash(id) AS h FROM ({ids}) GROUP BY h HAVING count(*) > 1"
    found = relation.query("_records", hashes).fetchnumpy()["h"]
    if len(found) == 0:
        return 0, 0
    # A few repeated hashes are named as literals; many, by repeating the grouping.
    small = len(found) <= _INLINE_HASHES
    within = ", ".join(str(int(h)) for h in found) if small else hashes
    exact = (
        f"SELECT count(*) AS ids, coalesce(sum(n), 0) AS n FROM (SELECT id, count(*) AS n "
        f"FROM ({ids}) WHERE hash(id) IN ({within}) GROUP BY id HAVING count(*) > 1)"
    )
    row = relation.query("_records", exact).fetchall()[0]
    return int(row[0]), int(row[1])


def _repeated_ids_polars(frame: Any, id_column: str) -> tuple[int, int]:
    import polars as pl

    lazy = frame.lazy()
    ids = lazy.select(pl.col(id_column).cast(pl.String).alias("id")).filter(
        pl.col("id").is_not_null() & (pl.col("id") != "")
    )
    found = (
        ids.group_by(pl.col("id").hash().alias("h"))
        .agg(pl.len().alias("n"))
        .filter(pl.col("n") > 1)
        .select("h")
        .collect(engine="streaming")
    )
    if not len(found):
        return 0, 0
    repeated = (
        ids.filter(pl.col("id").hash().is_in(found["h"].implode()))
        .group_by("id")
        .agg(pl.len().alias("n"))
        .filter(pl.col("n") > 1)
        .select(pl.len().alias("ids"), pl.col("n").sum().alias("rows"))
        .collect(engine="streaming")
    )
    return int(repeated["ids"][0]), int(repeated["rows"][0] or 0)


def monthly_windows(
    monthly: pd.DataFrame, months: int = 12, *, partial: bool = True
) -> tuple[pd.DataFrame, list[str]]:
    """Sum monthly Counts (``period_months`` 1) into windows of ``months`` months ending at
    each month end, for :func:`~peelmetrics.compute` (PEEL's rolling years).

    A force-month is covered when the records had any row for it, judged over the months
    the data span as a whole: Greater Manchester has no data.police.uk records from July
    2019. A window with months not covered is summed from the months it has and names the
    others in the Counts' ``missing_months`` column, so :func:`~peelmetrics.compute` gives
    it status ``partial`` with the months named (``partial=False`` leaves such windows out:
    a dash, "not supplied", where they are used). A window with no covered month is never
    made. The notes returned name each force's partial windows and missing months.

    >>> monthly = pd.DataFrame({
    ...     "force": ["E23000027"] * 3, "measure": ["police_uk_crimes"] * 3,
    ...     "period_end": pd.to_datetime(["2017-01-31", "2017-02-28", "2017-04-30"]),
    ...     "period_months": 1, "value": [5.0, 6.0, 7.0], "source": "x"})
    >>> windows, notes = monthly_windows(monthly, months=2)
    >>> windows[["period_end", "value", "missing_months"]].to_dict("records")[1:]
    [{'period_end': Timestamp('2017-03-31 00:00:00'), 'value': 6.0, 'missing_months': '2017-03'}, \
{'period_end': Timestamp('2017-04-30 00:00:00'), 'value': 7.0, 'missing_months': '2017-03'}]
    >>> print(notes[0])
    E23000027: 2 windows of 2 month(s) ending 31 March 2017 to 30 April 2017 are partial: no
    records for 2017-03
    """
    from peelmetrics.errors import InvalidValueError

    if months < 1:
        raise InvalidValueError(f"a window has at least one month, not {months}")
    frame = monthly[monthly["period_months"] == 1]
    if len(frame) != len(monthly):
        raise InvalidValueError("monthly_windows needs monthly Counts (period_months 1)")
    columns = ["force", "period_end", "period_months", "measure", "value", "source",
               "missing_months"]  # fmt: skip
    if frame.empty:
        return pd.DataFrame({c: [] for c in columns}), []
    months_of = frame["period_end"].dt.to_period("M")
    covered = {f: set(m) for f, m in months_of.groupby(frame["force"])}
    sources = frame.groupby(["force", "measure"])["source"].first()
    out, notes = [], []
    span = pd.period_range(months_of.min(), months_of.max(), freq="M")
    for force, seen in sorted(covered.items()):
        rows = frame[frame["force"] == force]
        table = rows.pivot_table(index=months_of[rows.index], columns="measure",
                                 values="value", aggfunc="sum")  # fmt: skip
        table = table.reindex(span).fillna(0.0)
        sums = table.rolling(months).sum().iloc[months - 1 :]
        present = pd.Series([p in seen for p in span], index=span, dtype="int64")
        have = present.rolling(months).sum().iloc[months - 1 :].to_numpy()
        gaps = _window_gaps(span, present.to_numpy(), months)
        short = (have > 0) & (have < months)
        if short.any():
            ends = sums.index[short]
            what = "are partial" if partial else "not produced"
            notes.append(
                f"{force}: {int(short.sum())} windows of {months} month(s) ending "
                f"{ends[0].end_time:%d %B %Y} to {ends[-1].end_time:%d %B %Y} {what}: no "
                f"records for {_runs([p for p in span if p not in seen])}"
            )
        kept = (have == months) | (short & partial)
        for measure in sums.columns:
            values = sums.loc[kept, measure]
            out.append(pd.DataFrame({
                "force": force, "measure": measure,
                "period_end": values.index.to_timestamp(how="end").normalize(),
                "period_months": months, "value": values.to_numpy(),
                "source": sources[(force, measure)],
                "missing_months": gaps[kept],
            }))  # fmt: skip
    if not out:
        return pd.DataFrame(columns=columns), notes
    windows = pd.concat(out, ignore_index=True)[columns]
    return windows.sort_values(["force", "period_end", "measure"], ignore_index=True), notes


def _window_gaps(span: pd.PeriodIndex, present: Any, months: int) -> Any:
    """Per window of ``months`` ending at each month of ``span`` (from the ``months``-th),
    the missing months as text (blank for none)."""
    import numpy as np

    texts = np.full(max(len(span) - months + 1, 0), "", dtype=object)
    for end in range(months - 1, len(span)):
        window = present[end - months + 1 : end + 1]
        if not window.all() and window.any():
            texts[end - months + 1] = _runs(
                [span[end - months + 1 + int(i)] for i in np.flatnonzero(window == 0)]
            )
    return texts


def _runs(periods: Iterable[pd.Period]) -> str:
    """Months as runs: ``2019-07 to 2019-12, 2020-03`` (the Counts ``missing_months`` form).

    >>> _runs(pd.period_range("2019-07", "2019-09", freq="M").append(
    ...     pd.PeriodIndex(["2020-01"], freq="M")))
    '2019-07 to 2019-09, 2020-01'
    """
    runs: list[list[pd.Period]] = []
    for period in sorted(periods):
        if runs and period == runs[-1][-1] + 1:
            runs[-1].append(period)
        else:
            runs.append([period])
    return ", ".join(str(r[0]) if len(r) == 1 else f"{r[0]} to {r[-1]}" for r in runs)
