"""Counts: the one interchange table between readers and calculations.

A tidy pandas DataFrame, one row per force, period and measure:

=================  =====================================================================
``force``          ONS PFA code (readers resolve names to codes)
``period_end``     last day of the window, or the as-at date (``datetime64``)
``period_months``  12 for a rolling year, 3 for a quarter, 0 for as-at
``measure``        a measure id of the catalogue edition
``value``          non-negative count (float64)
``source``         where the number came from (table and release)
=================  =====================================================================

One column is optional: ``missing_months``, on a window summed from monthly records, names
the months of the window the records did not cover for the force (``"2019-07 to
2019-12"``, runs of months joined by ``", "``; blank when none). :func:`compute` gives a
metric read from such a count status ``partial`` and names the months.

:func:`validate_counts` checks the contract, declared once as a table of rules, column-wise,
and reports every problem at once as one :class:`~peelmetrics.errors.InputFileError` (plain
pandas: pandera's import alone cost a quarter of a second on every command).

>>> counts = make_counts([
...     ("Hertfordshire", "2017-06-30", 12, "dvpos_granted", 68, "report"),
...     ("Hertfordshire", "2017-06-30", 12, "domestic_abuse_offences", 9658, "report"),
... ])
>>> print(counts[["force", "measure", "value"]].to_string(index=False))
    force                 measure  value
E23000027           dvpos_granted   68.0
E23000027 domestic_abuse_offences 9658.0
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

import attrs
import numpy as np
import pandas as pd

from peelmetrics.errors import InputFileError, InvalidValueError, Problem, shorten
from peelmetrics.forces import all_forces, force_by_code, resolve_force
from peelmetrics.periods import ALLOWED_MONTHS, MONTH_PATTERN

if TYPE_CHECKING:  # pragma: no cover
    from peelmetrics.catalogue import Edition

__all__ = [
    "COUNTS_COLUMNS",
    "KEY_COLUMNS",
    "OPTIONAL_COLUMNS",
    "Replacement",
    "compare_counts",
    "concat_counts",
    "make_counts",
    "overlay_counts",
    "update_counts",
    "validate_counts",
]

COUNTS_COLUMNS = ("force", "period_end", "period_months", "measure", "value", "source")
#: Columns that identify a count: one value per key.
KEY_COLUMNS = ("force", "period_end", "period_months", "measure")
#: Columns a Counts frame may carry; kept by :func:`validate_counts` when present.
OPTIONAL_COLUMNS = ("missing_months",)

#: A list of months or runs of months: ``2019-07``, ``2019-07 to 2019-12, 2020-03``.
_RUN = rf"{MONTH_PATTERN}(?: to {MONTH_PATTERN})?"
_MONTH_LIST = rf"^{_RUN}(?:, {_RUN})*$"


#: Larger than any count a police force publishes (England and Wales records about 6
#: million crimes a year); beyond it a value is a typo, and rounding would overflow.
MAX_COUNT = 1e15


@attrs.frozen
class _Rule:
    """One rule of the Counts contract: which column, which rows break it, and what to say."""

    column: str
    broken: Callable[[pd.DataFrame, frozenset[str], frozenset[str]], pd.Series[bool]]
    message: str
    show_value: bool = True


#: The Counts contract, declared once (checked column-wise, every problem reported).
_RULES = (
    _Rule(
        "force",
        lambda f, forces, _m: ~f["force"].isin(forces),
        "is not a known force code (ONS PFA code or BTP); readers resolve names with resolve_force",
    ),
    _Rule(
        "measure",
        lambda f, _f, measures: ~f["measure"].isin(measures),
        "is not a measure id of the edition (see `peelmetrics metrics`)",
    ),
    _Rule(
        "period_months",
        lambda f, _f, _m: ~f["period_months"].isin(ALLOWED_MONTHS),
        f"is not an allowed window length {ALLOWED_MONTHS}",
    ),
    _Rule(
        "period_end",
        lambda f, _f, _m: (f["period_months"] > 0) & ~f["period_end"].dt.is_month_end,
        "a window must end on the last day of a month",
        show_value=False,
    ),
    _Rule("value", lambda f, _f, _m: f["value"] < 0, "counts must not be negative"),
    _Rule(
        "missing_months",
        lambda f, _f, _m: (
            (f["missing_months"] != "") & ~f["missing_months"].str.match(_MONTH_LIST)
            if "missing_months" in f.columns
            else pd.Series(False, index=f.index)
        ),
        "is not a list of months (YYYY-MM, or YYYY-MM to YYYY-MM, joined by ', ')",
    ),
    _Rule(
        "value",
        lambda f, _f, _m: ~np.isfinite(f["value"]) | (f["value"] > MAX_COUNT),
        f"is not a finite count below {MAX_COUNT:.0e}",
    ),
)


_NOT_A = MappingProxyType(
    {
        "date": "is not a date (YYYY-MM-DD)",
        "int": "is not a whole number of months",
        "num": "is not a number",
    }
)


def validate_counts(
    frame: pd.DataFrame,
    *,
    edition: Edition | str | None = None,
    file: str = "<counts>",
    rows: pd.Series[int] | None = None,
    check_measures: bool = True,
) -> pd.DataFrame:
    """Check ``frame`` against the Counts contract and return it with canonical dtypes.

    Parameters
    ----------
    frame
        A Counts frame (see the module docs).
    edition
        Catalogue edition whose measure ids are allowed (default: PEEL 2017).
    file
        Name used in error messages.
    rows
        Row numbers in ``file`` of each row of ``frame`` (aligned on the index), so errors
        point at the line a person would open; default: the frame's position plus 2.
    check_measures
        Check measure ids against the edition. Readers of published tables pass ``False``:
        their measures are fixed by the table, and whichever edition computes from them
        checks the ids then.

    Raises
    ------
    InputFileError
        Listing every problem: missing columns, bad codes, unknown measures, negative or
        non-finite values, windows of a length other than 0, 1, 3 or 12 months, duplicates.
    """
    from peelmetrics.catalogue import get as get_edition

    edition = get_edition(edition)
    if not isinstance(check_measures, bool):
        raise InvalidValueError(f"check_measures: True or False, not {shorten(check_measures)}")
    if isinstance(frame, tuple) and frame and isinstance(frame[0], pd.DataFrame):
        raise InputFileError.at(
            file,
            "Counts must be a DataFrame, and a "
            "tuple arrived: update_counts and read_any return "
            "(counts, ...); pass the first item",
        )
    if not isinstance(frame, pd.DataFrame) or isinstance(frame.columns, pd.MultiIndex):
        raise InputFileError.at(
            file,
            "Counts must be a DataFrame with one "
            "header row (force, period_end, ...), not "
            f"{type(frame).__name__}",
        )
    if not frame.index.is_unique:  # rows are named by position, never by a repeated label
        frame = frame.reset_index(drop=True)
    repeated = sorted({str(c) for c in frame.columns[frame.columns.duplicated()]})
    missing = [c for c in COUNTS_COLUMNS if c not in frame.columns]
    if missing or repeated:
        raise InputFileError(
            [Problem(file, None, c, "required column is missing") for c in missing]
            + [Problem(file, None, c, "column given twice") for c in repeated]
        )
    optional = [c for c in OPTIONAL_COLUMNS if c in frame.columns]
    canonical = frame.loc[:, [*COUNTS_COLUMNS, *optional]].copy()
    if optional:
        canonical["missing_months"] = canonical["missing_months"].fillna("").astype(str)
    canonical["force"] = canonical["force"].astype(str)
    canonical["measure"] = canonical["measure"].astype(str)
    canonical["source"] = canonical["source"].fillna("").astype(str)
    problems: list[Problem] = []
    line = rows if rows is not None else pd.Series(range(2, len(frame) + 2), index=frame.index)
    unreadable: set[Any] = set()
    for column, kind in (("period_end", "date"), ("period_months", "int"), ("value", "num")):
        converted, bad = _coerce(canonical[column], kind)
        canonical[column] = converted
        unreadable.update(bad)
        problems.extend(
            Problem(file, int(line[i]), column, f"{_shown(frame.at[i, column])} {_NOT_A[kind]}")
            for i in bad
        )
    # The rules are checked on the rows that could be read, so every problem is told at once.
    if unreadable:
        canonical = canonical.drop(index=list(unreadable))
    canonical["period_months"] = canonical["period_months"].astype("int64")
    problems += _duplicates(canonical, file, line)
    forces = frozenset(f.code for f in all_forces())
    measures = frozenset(m.id for m in edition.measures)
    for rule in _RULES:
        if rule.column == "measure" and not check_measures:
            continue
        broken = rule.broken(canonical, forces, measures).to_numpy(dtype=bool)
        problems.extend(
            Problem(
                file,
                int(line[i]),
                rule.column,
                f"{_shown(frame.at[i, rule.column])} {rule.message}"
                if rule.show_value
                else rule.message,
            )
            for i in canonical.index[broken]
        )
    if problems:
        raise InputFileError(sorted(problems, key=lambda p: (p.row or 0, p.column or "")))
    return canonical.reset_index(drop=True)


def _shown(value: Any) -> str:
    """A cell as a person would recognise it: 7.5, not np.float64(7.5)."""
    return repr(value.item() if isinstance(value, np.generic) else value)


def _duplicates(frame: pd.DataFrame, file: str, line: pd.Series[int]) -> list[Problem]:
    repeated = frame.index[frame.duplicated(list(KEY_COLUMNS), keep="first")]
    if repeated.empty:
        return []
    keys = [frame[k] for k in KEY_COLUMNS]
    first = pd.Series(frame.index, index=frame.index).groupby(keys).transform("first")
    return [
        Problem(
            file,
            int(line[i]),
            None,
            f"duplicate count for force {frame.at[i, 'force']!s}, measure "
            f"{shorten(frame.at[i, 'measure'])}, period ending "
            f"{str(frame.at[i, 'period_end'])[:10]}"
            f" (first given at row {int(line[first[i]])})",
        )
        for i in repeated
    ]


_DAY_NS = 86_400 * 10**9


def parse_dates(values: pd.Series[Any]) -> pd.Series[Any]:
    """Dates as every reader reads them, so the API and files agree: ISO ``YYYY-MM-DD`` (a
    midnight time part tolerated), UK ``DD/MM/YYYY`` or ``DD-MM-YYYY`` (the Home Office's
    rolling-year file); datetimes kept (a time-zone-aware one as its local date). Anything
    else, ``20170630`` or ``07/01/2017 12:30`` included, is NaT for the caller to report.

    >>> parse_dates(pd.Series(["2017-06-30", "01/07/2017", "31-03-2003", "20170630"])).dt.date
    0    2017-06-30
    1    2017-07-01
    2    2003-03-31
    3           NaT
    dtype: object
    """
    if isinstance(values.dtype, pd.DatetimeTZDtype):
        values = values.dt.tz_localize(None)
    if pd.api.types.is_datetime64_any_dtype(values.dtype):
        values = values.astype("datetime64[ns]")
        # Dates already at midnight (Counts read or validated before) are kept as they are.
        if not (values.to_numpy().view(np.int64) % _DAY_NS).any():
            return values
        return values.dt.normalize()
    # Counts repeat a few dates on many rows: each distinct value is parsed once.
    codes, uniques = pd.factorize(values, use_na_sentinel=True)
    distinct = pd.Series(list(uniques), dtype=object)
    text = distinct.map(lambda v: v.isoformat()[:10] if hasattr(v, "isoformat") else str(v))
    text = text.str.strip().str.replace(r"[ T]00:00(:00)?$", "", regex=True)
    iso = pd.to_datetime(text, format="%Y-%m-%d", errors="coerce")
    for uk in ("%d/%m/%Y", "%d-%m-%Y"):
        iso = iso.fillna(pd.to_datetime(text, format=uk, errors="coerce"))
    # NaT goes last, so a missing value's code, -1, picks it by NumPy's indexing.
    parsed = np.append(iso.to_numpy("datetime64[ns]"), np.datetime64("NaT", "ns"))
    return pd.Series(parsed[codes], index=values.index)


def _coerce(series: pd.Series[Any], kind: str) -> tuple[pd.Series[Any], list[Any]]:
    if kind in ("int", "num") and series.dtype.kind in "iu":  # whole numbers as they are
        return series.astype("float64"), []
    out: pd.Series[Any] = (
        parse_dates(series) if kind == "date" else pd.to_numeric(series, errors="coerce")
    )
    missing = out.isna()
    if kind in ("int", "num") and series.dtype == object:
        # True is not the count 1, nor False a zero: a flag in a number's place is an error.
        missing |= series.map(lambda v: isinstance(v, bool | np.bool_)).astype(bool)
    elif kind in ("int", "num") and pd.api.types.is_bool_dtype(series):
        missing |= True
    if kind == "int":
        numbers = out.astype("float64")
        missing |= ~np.isfinite(numbers.fillna(0)) | (numbers != numbers.round())
    bad = list(series.index[missing])
    if kind in ("int", "num"):
        out = out.astype("float64")
    return out, bad


def make_counts(
    records: Iterable[Sequence[Any]] | pd.DataFrame,
    *,
    edition: Edition | str | None = None,
) -> pd.DataFrame:
    """Build validated Counts from ``(force, period_end, period_months, measure, value,
    source)`` tuples (or a frame with those columns); force names are resolved to codes.

    Records are numbered as the rows of a CSV file with a header (the first record is row
    2), with the same messages as :func:`~peelmetrics.sources.read_counts_csv`, and every
    problem is reported at once.

    Raises
    ------
    InputFileError
        When a record has the wrong number of fields, a force name is unknown or any
        Counts rule is broken.
    """
    file = "<records>"
    if isinstance(records, pd.DataFrame):
        frame = records.copy()
    elif isinstance(records, str | bytes) or not isinstance(records, Iterable):
        raise InputFileError.at(file, "records must be a DataFrame or a list of tuples")
    else:
        rows = list(records)
        width = len(COUNTS_COLUMNS)
        wrong = [
            Problem(file, i + 2, None, f"{len(r)} fields; expected {width}: "
                    f"{', '.join(COUNTS_COLUMNS)}")
            if isinstance(r, Sequence) and not isinstance(r, str)
            else Problem(file, i + 2, None, f"{shorten(r)} is not a record of {width} fields")
            for i, r in enumerate(rows)
            if not (isinstance(r, Sequence) and not isinstance(r, str) and len(r) == width)
        ]  # fmt: skip
        if wrong:
            raise InputFileError(wrong)
        frame = pd.DataFrame(rows, columns=list(COUNTS_COLUMNS))
    if "force" not in frame.columns:
        raise InputFileError.at(file, "required column is missing", column="force")
    if "source" not in frame.columns:
        frame["source"] = ""
    from peelmetrics.forces import resolve_names

    line = pd.Series(range(2, len(frame) + 2), index=frame.index)
    codes, problems = resolve_names(frame["force"].astype(str).str.strip(), line, file, "force")
    if problems:
        # Check the rest too, so that every problem is told at once.
        known = frame.assign(force=resolve_force("Kent").code)
        try:
            validate_counts(known, edition=edition, file=file)
        except InputFileError as exc:
            problems += [p for p in exc.problems if p.column != "force"]
        raise InputFileError(sorted(problems, key=lambda p: (p.row or 0, p.column or "")))
    frame["force"] = codes.astype(str)
    return validate_counts(frame, edition=edition, file=file)


def concat_counts(*frames: pd.DataFrame, edition: Edition | str | None = None) -> pd.DataFrame:
    """Stack several Counts; a count given twice for the same key is an error, not a sum."""
    for number, frame in enumerate(frames, start=1):
        if not isinstance(frame, pd.DataFrame):  # said for the argument, as validate_counts
            validate_counts(frame, edition=edition, file=f"<counts argument {number}>")
    if not frames:
        return pd.DataFrame({c: pd.Series(dtype=object) for c in COUNTS_COLUMNS}).pipe(
            validate_counts, edition=edition
        )
    return validate_counts(
        pd.concat(frames, ignore_index=True), edition=edition, file="<combined counts>"
    )


def update_counts(
    base: pd.DataFrame, new: pd.DataFrame, *, edition: Edition | str | None = None
) -> tuple[pd.DataFrame, int]:
    """``base`` with ``new`` laid over it: a count in ``new`` replaces the count in ``base``
    with the same force, period and measure; other rows of both are kept.

    Returns the combined Counts and how many rows of ``base`` were replaced.

    >>> old = make_counts([("Kent", "2017-06-30", 12, "dvpos_granted", 1, "a")])
    >>> new = make_counts([("Kent", "2017-06-30", 12, "dvpos_granted", 2, "b")])
    >>> combined, replaced = update_counts(old, new)
    >>> combined.value.tolist(), replaced
    ([2.0], 1)
    """
    base = validate_counts(base, edition=edition, file="<base counts>")
    new = validate_counts(new, edition=edition, file="<new counts>")
    keys = list(KEY_COLUMNS)
    marker = base.merge(new[keys].drop_duplicates(), on=keys, how="left", indicator=True)
    replaced = (marker["_merge"] == "both").to_numpy()
    kept = base[~replaced]
    combined = concat_counts(kept, new, edition=edition) if len(kept) or len(new) else kept
    return combined, int(replaced.sum())


def compare_counts(
    left: pd.DataFrame, right: pd.DataFrame, *, names: tuple[str, str] = ("left", "right")
) -> pd.DataFrame:
    """Reconcile two Counts for the same things: one row per key either holds.

    Published tables disagree where one is a later release (the Home Office revises
    counts after ONS publishes): this says where, by how much, and which keys only one
    side has. It reports; it never fails.

    Returns
    -------
    DataFrame
        ``force``, ``period_end``, ``period_months``, ``measure``, the two values (columns
        named by ``names``), ``difference`` (right - left) and ``relative`` (difference
        over left), sorted by key.

    >>> a = make_counts([("Kent", "2018-03-31", 12, "recorded_crime", 100, "ONS")])
    >>> b = make_counts([("Kent", "2018-03-31", 12, "recorded_crime", 103, "HO")])
    >>> compare_counts(a, b, names=("ons", "ho"))[["ons", "ho", "difference", "relative"]]
         ons     ho  difference  relative
    0  100.0  103.0         3.0      0.03
    """
    left = validate_counts(left, file="<left counts>", check_measures=False)
    right = validate_counts(right, file="<right counts>", check_measures=False)
    named = isinstance(names, tuple | list) and len(names) == 2
    if not named or not all(isinstance(n, str) and n for n in names) or names[0] == names[1]:
        raise InvalidValueError(f"names: two different column names, not {shorten(names)}")
    keys = list(KEY_COLUMNS)
    first, second = names
    merged = left[[*keys, "value"]].merge(
        right[[*keys, "value"]], on=keys, how="outer", suffixes=("_l", "_r")
    )
    merged = merged.rename(columns={"value_l": first, "value_r": second})
    merged["difference"] = merged[second] - merged[first]
    merged["relative"] = merged["difference"] / merged[first].where(merged[first] != 0)
    return merged.sort_values(keys, ignore_index=True)


@attrs.frozen
class Replacement:
    """What one source replaced when laid over the ones before it (the combining rule).

    ``replaced`` counts (force, period, measure) keys the earlier sources also gave;
    ``changed`` how many of them with a different value; ``largest`` the largest absolute
    difference (later minus earlier) and ``where`` its key in words; ``measures`` the
    replaced counts per measure with the earlier and the later ``source`` texts (so a
    population swapped for another estimate is named with both releases).
    """

    file: str
    replaced: int
    changed: int
    largest: float
    where: str
    measures: tuple[tuple[str, int, str, str], ...]

    def __str__(self) -> str:
        if not self.replaced:
            return f"{self.file}: replaced nothing"
        diff = (
            f"; {self.changed} differ, the most by {self.largest:+,.10g} ({self.where})"
            if self.changed
            else "; all equal"
        )
        lines = [f"{self.file}: replaced {self.replaced} earlier count(s){diff}"]
        for measure, n, before, after in self.measures:
            swap = f" ({shorten(before, 160)} -> {shorten(after, 160)})" if before != after else ""
            lines.append(f"  {measure}: {n}{swap}")
        return "\n".join(lines)


def overlay_counts(
    layers: Sequence[tuple[str, pd.DataFrame]], *, edition: Edition | str | None = None
) -> tuple[pd.DataFrame, list[Replacement]]:
    """Combine named Counts by the one rule for combining sources: where two give the same
    force, period and measure, **the one given later wins**, and each replacement is
    reported by the name of the source that made it, with how many counts it replaced, how
    many differ and the largest difference (a reconciliation, as :func:`compare_counts`).
    A conflict inside one source is not resolved here: each reader refuses it, naming the
    file and both rows.

    The rule of ``peelmetrics read A B C``, of repeated ``--counts`` and of this function.

    >>> ons = make_counts([("Kent", "2018-03-31", 12, "recorded_crime", 100, "ONS P1")])
    >>> ho = make_counts([("Kent", "2018-03-31", 12, "recorded_crime", 103, "HO table")])
    >>> combined, said = overlay_counts([("ons.xlsx", ons), ("ho.csv", ho)])
    >>> combined.value.tolist()
    [103.0]
    >>> print(said[0])  # doctest: +NORMALIZE_WHITESPACE
    ho.csv: replaced 1 earlier count(s); 1 differ, the most by +3 (Kent Police,
    recorded_crime, 2018-03-31)
      recorded_crime: 1 ('ONS P1' -> 'HO table')
    """
    if isinstance(layers, pd.DataFrame) or not all(
        isinstance(layer, tuple) and len(layer) == 2 for layer in layers
    ):
        raise InvalidValueError("layers are (name, Counts) pairs, earliest first")
    if not layers:
        return concat_counts(edition=edition), []
    combined = validate_counts(layers[0][1], edition=edition, file=layers[0][0])
    said = []
    for name, frame in layers[1:]:
        frame = validate_counts(frame, edition=edition, file=name)
        said.append(_replacement(name, combined, frame))
        combined, _ = update_counts(combined, frame, edition=edition)
    return combined, said


def _replacement(name: str, before: pd.DataFrame, after: pd.DataFrame) -> Replacement:
    keys = list(KEY_COLUMNS)
    both = before[[*keys, "value", "source"]].merge(
        after[[*keys, "value", "source"]], on=keys, suffixes=("_before", "_after")
    )
    difference = both["value_after"] - both["value_before"]
    changed = difference.ne(0) & difference.notna()
    largest, where = 0.0, ""
    if changed.any():
        at = int(np.nanargmax(difference.abs().to_numpy()))
        row = both.iloc[at]
        largest = float(difference.iloc[at])
        where = (
            f"{force_by_code(str(row['force'])).name}, {row['measure']}, "
            f"{pd.Timestamp(row['period_end']).date().isoformat()}"
        )
    groups = both.groupby("measure", sort=True)
    measures = tuple(
        (str(measure), len(part), _sources(part["source_before"]), _sources(part["source_after"]))
        for measure, part in groups
    )
    return Replacement(name, len(both), int(changed.sum()), largest, where, measures)


def _sources(texts: pd.Series[Any]) -> str:
    distinct = sorted(set(map(str, texts)))
    return distinct[0] if len(distinct) == 1 else f"{len(distinct)} sources"
