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
from collections.abc import Callable, Iterable, Iterator, Mapping
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO, TypedDict, TypeVar, Unpack

import attrs
import numpy as np
import pandas as pd

from peelmetrics._convert import expect_bool, expect_path, strings
from peelmetrics._extras import installed as _installed
from peelmetrics._serde import Serialisable
from peelmetrics.errors import (
    InputFileError,
    InvalidValueError,
    Problem,
    UnknownMeasureError,
    shorten,
)
from peelmetrics.forces import codes_by_name
from peelmetrics.periods import MONTH_PATTERN, month_runs, parse_month_range
from peelmetrics.sources.account import ReadReport, excluded_rows
from peelmetrics.sources.engines import (
    Progress,
    check_rows,
    choose_engine,
    collect,
    duckdb_relation,
    engine_errors,
    engine_exceptions,
    open_records,
    parquet_columns,
    retried,
)
from peelmetrics.sources.files import (
    csv_header,
    find_files,
    folder_files,
    is_record_file,
    unpacked,
    zip_names,
)

if TYPE_CHECKING:  # pragma: no cover
    from peelmetrics.catalogue import Edition

_FIELD = re.compile(r"\{([^{}]+)\}")


_DATE = re.compile(rf"^{MONTH_PATTERN}(?:-\d{{2}})?$")


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
            raise InputFileError.at(
                "<spec>", f"measure template {shorten(self.measure)} names more than one column"
            )
        return named[0] if named else None

    def values(self, measures: Mapping[str, Any]) -> dict[str, str]:
        """Column value -> measure id, for a templated rule, over the edition's measures.

        A whole number is also matched as a float writes it (``16.0``): pandas writes an
        integer column with a gap that way, and every outcome would otherwise match nothing.

        >>> MeasureRule("outcome_{outcome_type}").values({"outcome_16": None})
        {'16': 'outcome_16', '16.0': 'outcome_16'}
        """
        column = self.template()
        if column is None:
            return {}
        head, tail = self.measure.split("{" + column + "}")
        pattern = re.compile(re.escape(head) + "(.+)" + re.escape(tail) + "$")
        found = {m.group(1): m.group(0) for m in map(pattern.match, measures) if m}
        floats = {f"{v}.0": m for v, m in found.items() if v.isdigit() and f"{v}.0" not in found}
        return found | floats


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
    title
        What the records are, as the Counts' ``source`` names them before the file's name
        (default ``records (NAME)``).
    """

    name: str
    force: str
    date: str
    rules: tuple[MeasureRule, ...] = attrs.field(converter=_rules)
    id: str | None = None
    files: str | None = None
    title: str | None = None

    def source(self, where: str) -> str:
        """The Counts' ``source`` for records read from ``where``: the title and the name of
        the file or folder, as every published table's reader names its own.

        >>> POLICE_UK.source("data/2018-12"), RecordSpec("mine", "f", "d", []).source("x.csv")
        ('data.police.uk street-level crime: 2018-12', 'records (mine): x.csv')
        """
        return f"{self.title or f'records ({self.name})'}: {Path(where).name or where}"

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
            raise InputFileError.at(file, f"spec {shorten(self.name)} has no rules")
        for rule in self.rules:
            if rule.template() is None:
                ed.measure(rule.measure)  # UnknownMeasureError, with close ids
            elif not rule.values(measures):
                raise UnknownMeasureError(rule.measure, ())
        if columns is not None:
            missing = [c for c in self.columns() if c not in set(columns)]
            if missing:
                raise InputFileError([
                    Problem(file, None, c, f"spec {shorten(self.name)} reads column {shorten(c)}, "
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
    title="data.police.uk street-level crime",
    rules=(
        MeasureRule("police_uk_asb_incidents", where={"Crime type": ("Anti-social behaviour",)}),
        # A row without a crime type (cut short, or a blank cell) is no crime of any type:
        # excluded as matching no rule, never counted as a crime.
        MeasureRule("police_uk_crimes", where_not={"Crime type": ("Anti-social behaviour", "")}),
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

    if isinstance(name_or_path, str) and name_or_path in SPECS:
        return SPECS[name_or_path]
    path = expect_path(name_or_path, "spec")
    if not path.is_file():
        raise InputFileError.at(
            str(path), f"no such spec: give a JSON file or one of {', '.join(SPECS)}"
        )
    try:
        # A byte-order mark is how some editors save UTF-8; a nesting too deep for the
        # parser is refused like any other malformed spec.
        return RecordSpec.from_dict(json.loads(path.read_text(encoding="utf-8-sig")))
    except RecursionError:
        raise InputFileError.at(
            str(path), "not a record spec: nested too deeply to be one"
        ) from None
    except (ValueError, TypeError, KeyError) as exc:
        raise InputFileError.at(str(path), f"not a record spec: {exc}") from None


def scan_records(path: str | Path, *, memory_limit: str = "1GB") -> Any:
    """The CSV or Parquet files of a file, a folder (searched recursively) or a glob, as one
    lazy table on an embedded engine, columns read as text: Parquet on DuckDB, CSV on
    Polars (its CSV reader strips and matches text about three times faster here), each
    falling back to the other, then to pandas (which reads everything into memory).

    On DuckDB, ``memory_limit`` bounds the engine's memory: larger aggregations (the
    duplicate-id check over a national decade groups 60 million id hashes) spill to disk
    rather than take the machine's memory; peak memory stays near the limit.
    """
    files, parquet = find_files(path, None)
    return open_records(choose_engine("auto", parquet), files, parquet, memory_limit)[0]


class CountOptions(TypedDict, total=False):
    """How records are counted: :func:`read_records`' keywords, passed on as they are."""

    engine: str
    check_ids: bool
    months: tuple[str, str] | None
    memory_limit: str
    progress: TextIO | None
    source: str | None


def read_records(
    path: str | Path,
    spec: RecordSpec | str = "police-uk",
    edition: Edition | str | None = None,
    *,
    engine: str = "auto",
    check_ids: bool = True,
    months: tuple[str, str] | None = None,
    memory_limit: str = "1GB",
    progress: TextIO | None = None,
    source: str | None = None,
) -> tuple[pd.DataFrame, ReadReport]:
    """Monthly Counts of the record files at ``path`` (file, folder, glob or zip archive of
    CSV or Parquet): :func:`scan_records` then :func:`count_records`, with ``spec`` a
    :class:`RecordSpec`, a built-in name or a JSON spec file.

    ``engine`` is ``"polars"``, ``"duckdb"``, ``"pandas"`` or ``"auto"`` (the fastest
    installed for the format). The duplicate-id check runs on DuckDB whichever engine
    counted (when DuckDB is installed): it is the one step whose memory grows with the
    records, and DuckDB bounds it to ``memory_limit``. ``progress``, a stream (standard
    error on a terminal), is sent each step's progress every half second (a percentage on
    DuckDB, the time elsewhere). ``source`` is the Counts' ``source`` text.
    """
    chosen = spec if isinstance(spec, RecordSpec) else load_spec(spec)
    with record_files(path, chosen) as (files, parquet):
        counts, report = count_files(files, parquet, chosen, edition, where=str(path),
                                     engine=engine, check_ids=check_ids, months=months,
                                     memory_limit=memory_limit, progress=progress,
                                     source=source)  # fmt: skip
    held = Path(str(path))
    archive = _is_archive(held)
    if chosen.files and (held.is_dir() or archive):
        # Nothing is passed over unsaid: the other record files beside those counted (a
        # data.police.uk download holds outcomes and stop-and-search files too).
        names = zip_names(held) if archive else [p.name for p in folder_files(held)]
        skipped = sum(is_record_file(n, None) for n in names) - len(files)
        if skipped > 0:
            place = "archive" if archive else "folder"
            note = f"{skipped} other file(s) in the {place} skipped: not named {chosen.files}"
            report = attrs.evolve(report, notes=(*report.notes, note))
    return counts, report


def _is_archive(path: Path) -> bool:
    """Whether record files are given as a zip archive (read unpacked, its members named)."""
    return path.is_file() and path.name.lower().endswith(".zip")


@contextlib.contextmanager
def record_files(path: str | Path, spec: RecordSpec) -> Iterator[tuple[list[str], bool]]:
    """The record files ``path`` names for ``spec`` (see :func:`~peelmetrics.sources.files.
    find_files`), a zip archive unpacked for the block, and whether they are Parquet."""
    if not _is_archive(Path(str(path))):
        yield find_files(path, spec.files)
        return
    # Records in an archive inside it would go unread.
    nested = [n for n in zip_names(Path(str(path))) if n.lower().endswith(".zip")]
    if nested:
        raise InputFileError.at(
            str(path),
            f"holds {len(nested)} archive(s) inside it ({shorten(nested[0])}); unpack those "
            "and read the folder",
        )
    with unpacked(Path(str(path)), lambda name: is_record_file(name, spec.files)) as members:
        if not members:
            named = spec.files or "*.csv or *.parquet"
            raise InputFileError.at(str(path), f"an archive with no record files: {named}")
        yield find_files(members[0].parent.parent, spec.files)


def count_files(
    files: list[str],
    parquet: bool,
    spec: RecordSpec,
    edition: Edition | str | None,
    *,
    where: str,
    **options: Unpack[CountOptions],
) -> tuple[pd.DataFrame, ReadReport]:
    """Monthly Counts of record files: :func:`count_records` run by :func:`scan_files`
    (``options`` as :func:`read_records` takes them), the id check's notes added."""
    months, source = options.get("months"), options.get("source")
    (counts, report), _engine, (_ids, notes) = scan_files(
        files, parquet, spec, where,
        lambda records, every: count_records(records, spec, edition, file=where, months=months,
                                             source=source, check_ids=False, every_column=every),
        engine=options.get("engine", "auto"), check_ids=options.get("check_ids", True),
        memory_limit=options.get("memory_limit", "1GB"), progress=options.get("progress"),
    )  # fmt: skip
    return counts, attrs.evolve(report, notes=(*report.notes, *notes))


_T = TypeVar("_T")


def scan_files(
    files: list[str],
    parquet: bool,
    spec: RecordSpec,
    where: str,
    run: Callable[[Any, bool], _T],
    *,
    engine: str = "auto",
    check_ids: bool = True,
    memory_limit: str = "1GB",
    progress: TextIO | None = None,
) -> tuple[_T, str, tuple[tuple[int, int], list[str]]]:
    """The one way record files are read: ``run(records, every_column)`` over them on the
    engine chosen for the format, after every file is checked for the spec's columns.
    Every row's width is checked (``every_column`` asks a Polars count to parse every
    column, a strict reader follows DuckDB, pandas' reader is strict); engine errors are
    told as the file and line at fault; the spec's ids are then checked, on DuckDB when it
    is installed (bounded to ``memory_limit``). Returns ``run``'s result, the engine, and
    the ids given on more than one row (ids, rows) with the note saying so."""
    import narwhals as nw

    engine = choose_engine(engine, parquet)
    check_files(files, parquet, spec)
    ids_on_duckdb = engine != "duckdb" and _installed("duckdb")

    def ran(tolerant: bool) -> tuple[_T, Any, Any]:
        records, connection = open_records(engine, files, parquet, memory_limit, tolerant)
        with Progress(connection, progress, "counting records"):
            return run(records, not parquet and engine == "polars"), records, connection

    def repeated(tolerant: bool) -> tuple[tuple[int, int], list[str]]:
        assert spec.id is not None
        relation, connection = duckdb_relation(files, parquet, memory_limit, tolerant)
        with Progress(connection, progress, f"checking {spec.id} for duplicates"):
            return _duplicates(nw.from_native(relation), spec.id)

    with engine_errors(where, files, parquet):
        try:
            result, records, _connection = retried(ran, not parquet and engine == "duckdb")
        except engine_exceptions():
            if parquet or engine != "duckdb" or not _installed("polars"):
                raise
            engine = "polars"  # DuckDB refuses some CSV Polars reads (mixed line endings)
            result, records, _connection = ran(False)
    ids: tuple[tuple[int, int], list[str]] = ((0, 0), [])
    with engine_errors(where, files, parquet):
        if not parquet and engine == "duckdb":
            check_rows(files, memory_limit, progress)
        if check_ids and spec.id and ids_on_duckdb:
            try:
                ids = retried(repeated, not parquet)
            except engine_exceptions():
                # DuckDB refuses some files Polars and pandas read (a CRLF row after an LF
                # header, a lone CR): the ids are then checked where the records were
                # counted, without DuckDB's bound on memory.
                ids = _duplicates(lazy_frame(records), spec.id)
        elif check_ids and spec.id:
            ids = _duplicates(lazy_frame(records), spec.id)
    return result, engine, ids


def lazy_frame(native: Any) -> Any:
    """A narwhals LazyFrame over any frame an engine gives."""
    import narwhals as nw

    frame = nw.from_native(native)
    return frame.lazy() if isinstance(frame, nw.DataFrame) else frame


def check_files(files: list[str], parquet: bool, spec: RecordSpec) -> None:
    """Every file holds every column the spec reads: engines reading many files fill a
    column one file lacks with nulls, which would count, say, an outcomes file's rows as
    crimes of no type."""
    problems = []
    for file in files:
        have = set(parquet_columns(file) if parquet else csv_header(Path(file)))
        if not have:
            problems.append(Problem(file, 1, None, "has no header row (empty, or not CSV)"))
            continue
        problems += [
            Problem(
                file,
                1,
                c,
                f"spec {shorten(spec.name)} reads column {shorten(c)}, which this file lacks",
            )
            for c in spec.columns()
            if c not in have
        ]
    if problems:
        raise InputFileError(problems)


def count_records(
    records: Any,
    spec: RecordSpec,
    edition: Edition | str | None = None,
    *,
    file: str = "<records>",
    source: str | None = None,
    check_ids: bool = True,
    months: tuple[str, str] | None = None,
    every_column: bool = False,
) -> tuple[pd.DataFrame, ReadReport]:
    """Monthly Counts (``period_months`` 1) of ``records`` by ``spec``.

    ``records`` is any frame narwhals takes: pandas, a Polars DataFrame or LazyFrame, a
    DuckDB relation. Values are compared as text (a number column ``1`` matches ``"1"``).
    ``months``, ``("2016-07", "2017-06")``, keeps the months from the first to the last;
    rows outside them are excluded with that reason. The report's notes name force-months
    with no records among the months the records span, and ids on more than one row.
    ``check_ids=False`` skips the duplicate-id check, most of the time of a large read.
    ``every_column=True`` has a Polars CSV scan parse every column, not only those the spec
    reads, so a row with more fields than its header (an unquoted comma) is refused in the
    counting pass itself (:func:`read_records` asks for it; the scan takes about half as
    long again, instead of a second pass as long as the first).

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

    from peelmetrics.catalogue import get
    from peelmetrics.counts import COUNTS_COLUMNS, validate_counts

    months = None if months is None else parse_month_range(months)
    ed = get(edition)
    expect_bool(check_ids, "check_ids")
    expect_bool(every_column, "every_column")
    if source is not None and not isinstance(source, str):
        raise InvalidValueError(f"source: text naming the records, not {shorten(source)}")
    if not isinstance(file, str):
        raise InvalidValueError(f"file: text naming the records, not {shorten(file)}")
    if not isinstance(spec, RecordSpec):
        raise InvalidValueError(f"spec: a RecordSpec (see load_spec), not {shorten(spec)}")
    try:
        lazy = lazy_frame(records)
    except TypeError:
        kind = type(records).__name__
        raise InvalidValueError(f"records: a pandas or Polars frame, a Polars LazyFrame or a "
                                f"DuckDB relation, not {kind}") from None  # fmt: skip
    names = lazy.collect_schema().names()
    spec.check(ed, names, file)
    measures = {m.id: m for m in ed.measures}
    # The engine only groups the records by the columns the spec reads, as it holds them;
    # the text work (blanks, stray spaces) and the rules then run once per distinct
    # combination in pandas, not once per record on the engine. Rules read codes and
    # categories, so the combinations are few (a rule on free text would make them many).
    read = (c for rule in spec.rules for c in rule.columns())
    text, rows = group_as_held(lazy, list(dict.fromkeys([spec.force, spec.date, *read])),
                               every_column=every_column)  # fmt: skip
    flags = [_matches(rule, text, rule.values(measures), len(rows)) for rule in spec.rules]
    # A row two rules of one measure both match counts once towards it (and is noted).
    plain: dict[str, list[np.ndarray]] = {}
    for rule, flag in zip(spec.rules, flags, strict=True):
        if rule.template() is None:
            plain.setdefault(rule.measure, []).append(flag)
    keys = ["_force", "_date"]
    # Sorted by force and date: one report, whatever order the engine grouped in.
    totals = pd.DataFrame({
        "_force": text[spec.force], "_date": text[spec.date], "rows": rows,
        "matched": rows * np.logical_or.reduce(flags),
        **{f"_measure_{m}": rows * np.logical_or.reduce(f) for m, f in plain.items()},
        **{f"_twice_{m}": rows * (np.sum(f, axis=0) > 1) for m, f in plain.items() if len(f) > 1},
    }).groupby(keys, as_index=False).sum()  # fmt: skip
    if totals.empty:  # no records at all: nothing counted, nothing to account for
        _good, report = account(totals, spec, file, months)
        return validate_counts(pd.DataFrame({c: [] for c in COUNTS_COLUMNS}), edition=ed), report
    pieces = [totals[keys].assign(measure=m, value=totals[f"_measure_{m}"]) for m in plain]
    overlaps = {m: int(totals[f"_twice_{m}"].sum()) for m in plain if f"_twice_{m}" in totals}
    twice = [f"{n} row(s) match more than one rule of measure {shorten(m)}; each counted once"
             for m, n in overlaps.items() if n]  # fmt: skip
    for rule, flag in zip(spec.rules, flags, strict=True):
        column = rule.template()
        if column is None:
            continue
        named = pd.DataFrame({"_force": text[spec.force][flag], "_date": text[spec.date][flag],
                              "measure": text[column][flag].map(rule.values(measures)),
                              "value": rows[flag]})  # fmt: skip
        pieces.append(named.groupby([*keys, "measure"], as_index=False, sort=False).sum())
    counted = pd.concat(pieces, ignore_index=True)
    # A rule no row of a force-month matched gives no count (as a reader of published
    # tables gives none), not a zero: the records may simply not cover it.
    counted = counted[counted["value"] > 0]
    good, report = account(totals, spec, file, months)
    report = attrs.evolve(report, notes=(*report.notes, *twice))
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
            "source": source or spec.source(file),
        }
    ).sort_values(["force", "period_end", "measure"], ignore_index=True)
    if spec.id and check_ids:
        report = attrs.evolve(report, notes=(*report.notes, *_duplicates(lazy, spec.id)[1]))
    return validate_counts(counts, edition=ed, file=f"{file} (counted records)"), report


def group_as_held(
    lazy: Any, columns: list[str], *, every_column: bool = False
) -> tuple[pd.DataFrame, np.ndarray]:
    """The distinct combinations of ``columns`` in ``lazy`` (a narwhals LazyFrame) as text,
    missing cells blank and stray spaces stripped, and how many records hold each. The
    engine groups the values as it holds them; the text work is then done once per
    combination, not once per record (a combination may appear twice once stripped).
    ``every_column``: see :func:`~peelmetrics.sources.engines.collect`."""
    import narwhals as nw

    keys = [f"_k{i}" for i in range(len(columns))]  # a record column may be called anything
    held = [nw.col(c).cast(nw.String).alias(k) for c, k in zip(columns, keys, strict=True)]
    grouped = collect(lazy.select(held).group_by(keys).agg(nw.len().alias("_rows")), lazy,
                      every_column=every_column)  # fmt: skip
    text = pd.DataFrame({c: grouped[k].fillna("").astype(str).str.strip()
                         for c, k in zip(columns, keys, strict=True)})  # fmt: skip
    return text, grouped["_rows"].to_numpy(np.int64)


def _matches(
    rule: MeasureRule, text: pd.DataFrame, values: Mapping[str, str], size: int
) -> np.ndarray:
    """Which of the grouped rows ``rule`` matches: its ``where`` and ``where_not`` values,
    and for a templated rule a value naming one of the edition's measures."""
    match = np.ones(size, dtype=bool)
    for column, allowed in rule.where.items():
        match &= text[column].isin(allowed).to_numpy()
    for column, refused in rule.where_not.items():
        match &= ~text[column].isin(refused).to_numpy()
    named = rule.template()
    if named is not None:
        match &= text[named].isin(list(values)).to_numpy()
    return match


def account(
    totals: pd.DataFrame, spec: RecordSpec, file: str, months: tuple[str, str] | None = None
) -> tuple[pd.DataFrame, ReadReport]:
    """Force codes and months for the (force, date) groups of ``totals`` (columns
    ``_force``, ``_date``, ``rows``, ``matched``); every row used or excluded with why, and
    a note of the force-months with no records among the months the records span."""
    # An engine gives an empty grouping's text columns no type: they are text.
    totals = totals.astype({"_force": str, "_date": str})
    table = totals.assign(
        _code=totals["_force"].map(codes_by_name(totals["_force"])),
        _month=totals["_date"].map(_months(totals["_date"])),
    )
    month_ok = table["_month"].notna()
    reasons = pd.Series("", index=table.index, dtype=object)
    unmatched = table["rows"] - table["matched"]
    reasons[~month_ok] = f"{spec.date} is not YYYY-MM or YYYY-MM-DD"
    if months is not None:
        first, last = months
        outside = month_ok & ((table["_month"] < first) | (table["_month"] > last))
        reasons[outside] = f"outside the months asked for ({first} to {last})"
    unknown = table["_code"].isna()
    reasons[unknown] = pd.Series(
        [f"{shorten(n)} is not a police force of England and Wales"
         for n in table.loc[unknown, "_force"]],
        index=table.index[unknown],
    )  # fmt: skip
    bad = reasons != ""
    by_reason = pd.Series(table.loc[bad, "rows"].to_numpy(), index=reasons[bad].to_numpy())
    by_reason = by_reason.groupby(level=0, sort=False).sum()
    by_reason[f"matches no rule of spec {shorten(spec.name)}"] = int(unmatched[~bad].sum())
    good = table.loc[~bad, ["_force", "_date", "_code", "_month"]]
    excluded = excluded_rows({str(r): int(n) for r, n in by_reason.items()})
    report = ReadReport(file, int(table["rows"].sum()), int(table.loc[~bad, "matched"].sum()),
                        excluded, _gaps(good))  # fmt: skip
    return good, report


def _months(dates: pd.Series[str]) -> dict[str, str | None]:
    """Each distinct date text's month (``YYYY-MM``), or ``None`` where it is no date:
    ``2018-01-99``, ``2018-02-30`` and ``2018-01xyz`` are refused, not read as January."""
    found: dict[str, str | None] = {}
    for text in dict.fromkeys(dates):
        month = text[:7] if _DATE.match(text) else None
        if month is not None and len(text) > 7:
            try:
                date.fromisoformat(text)
            except ValueError:
                month = None
        found[text] = month
    return found


def _gaps(good: pd.DataFrame) -> tuple[str, ...]:
    """The note naming force-months without records, among the months the records span
    (Greater Manchester has no data.police.uk records from July 2019)."""
    from peelmetrics.forces import force_by_code

    if good.empty:
        return ()
    # On the months' text (YYYY-MM sorts as time): a decade of a national read holds tens
    # of thousands of force-months, each parsed into a Period no more than once.
    held = good[["_code", "_month"]].drop_duplicates()
    span = pd.period_range(held["_month"].min(), held["_month"].max(), freq="M")
    # One grid of forces by months, filled at once: a force-by-force isin over text costs
    # a national read as much as its accounting.
    codes, forces = pd.factorize(held["_code"], sort=True)
    seen = np.zeros((len(forces), len(span)), dtype=bool)
    seen[codes, pd.Index(span.strftime("%Y-%m")).get_indexer(held["_month"])] = True
    named = []
    total = 0
    for code, row in zip(forces, seen, strict=True):
        missing = span[~row]
        if len(missing):
            total += len(missing)
            named.append(f"{force_by_code(str(code)).short_name} {month_runs(missing)}")
    if not named:
        return ()
    return (f"no records for {total} force-month(s) within {span[0]} to {span[-1]}: "
            + "; ".join(named),)  # fmt: skip


def _duplicates(lazy: Any, id_column: str) -> tuple[tuple[int, int], list[str]]:
    """(ids given on more than one row, rows carrying them) and the note saying so, if
    any. Ids are read as given, not stripped: this is the one pass over every distinct id
    (most of a national read's time and memory), kept lean."""
    try:
        ids, rows = repeated_ids(lazy, id_column)
    except Exception as exc:  # an engine at its memory limit: said, not a failed read
        if "OutOfMemory" not in type(exc).__name__:
            raise
        return (0, 0), [
            f"duplicate {id_column} check not done: the engine ran out of memory at its "
            "limit (raise scan_records' memory_limit, or skip with check_ids=False)"
        ]
    note = f"{ids} {id_column}(s) appear on more than one row ({rows} rows); counted as given"
    return (ids, rows), [note] if ids else []


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

    repeated = collect(
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
