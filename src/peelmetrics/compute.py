"""Counts in, Results out: every metric for every force and period, and England and Wales.

England and Wales (``K04000001``) is a ratio of sums over the forces the edition's caveats
let in, never a mean of rates (Annex A, "Data in the report"), computed by
:func:`peelmetrics.calc.ratio_of_sums`; each England and Wales row lists the forces it left
out and why. A force that is not geographic (British Transport Police) never enters it,
whatever an edition declares. Nothing is a silent NaN: a missing input gives status
``not_supplied``, an Annex A exclusion ``not_comparable`` or ``excluded``, partial data
``partial``, a stand-in population ``estimated``.

The engine is columnar: Counts are pivoted once to (period, force) x measure, each metric is
computed column-wise over every force and period at once, and caveats are applied as masks.
Its cost grows linearly with the counts; no loop runs per force or per period.

Results columns
---------------
``force``, ``force_name``, ``metric``, ``period_end``, ``period_months``, ``value``
(unrounded), ``display`` (as the report prints it), ``unit``, ``numerator``,
``denominator``, ``denominator_period`` (end or as-at date of the counts below the line:
the population estimate used, the year before for a change; on England and Wales rows the
date every included force shares, else NaT), ``denominator_months`` (0 for an as-at
estimate), ``status``, ``caveats`` (tuple of caveat ids), ``excluded`` (England and Wales
rows: tuple of ``{"force", "reason"}`` dicts; ``None`` on force rows), ``missing_months``
(the months a window summed from monthly records lacks, from the Counts' optional column:
such a row is ``partial``; on England and Wales rows, per force included; blank when
none), ``source`` (the
sources of the counts used, joined by ``"; "``) and ``edition`` (the catalogue edition the
figures follow: results of two editions never mix unnoticed).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from typing import TYPE_CHECKING, Any, Literal

import attrs
import numpy as np
import pandas as pd

from peelmetrics import calc
from peelmetrics._convert import expect_bool, expect_choice, expect_frame, expect_level, strings
from peelmetrics.caveats import ALL_METRICS, CaveatKind, DataCaveat, Status
from peelmetrics.counts import validate_counts
from peelmetrics.denominators import choose_estimates
from peelmetrics.errors import InvalidValueError, shorten
from peelmetrics.forces import ENGLAND_AND_WALES_CODE, Force, all_forces, force_codes
from peelmetrics.metrics import Metric, MetricKind
from peelmetrics.periods import Period, PeriodChoice

if TYPE_CHECKING:  # pragma: no cover
    from peelmetrics.catalogue import Edition

__all__ = [
    "RESULT_COLUMNS",
    "chosen_period",
    "compute",
    "periods_held",
    "periods_held_by_metric",
    "select_period",
]

RESULT_COLUMNS = (
    "force",
    "force_name",
    "metric",
    "period_end",
    "period_months",
    "value",
    "display",
    "unit",
    "numerator",
    "denominator",
    "denominator_period",
    "denominator_months",
    "status",
    "caveats",
    "excluded",
    "missing_months",
    "source",
    "numerator_source",
    "denominator_source",
    "release_note",
    "edition",
)

_NO_DATA = "no data supplied"
_NOT_GEOGRAPHIC = "not a geographic force"
_STATUSES = tuple(Status)
_RANK = {s: i for i, s in enumerate(_STATUSES)}
_NS, _EXCLUDED, _ESTIMATED = (_RANK[Status.NOT_SUPPLIED], _RANK[Status.EXCLUDED],
                              _RANK[Status.ESTIMATED])  # fmt: skip


def compute(
    counts: pd.DataFrame,
    metrics: Iterable[str] | None = None,
    edition: Edition | str | None = None,
    *,
    national: Literal["complete", "available"] = "complete",
    show_partial: bool = False,
    ci: float | None = None,
    trend: int | None = None,
    period: PeriodChoice | Period | date | str | None = None,
    forces: Iterable[str] | None = None,
) -> pd.DataFrame:
    """Compute ``metrics`` (default: all of the edition's) from ``counts``.

    Every metric gets a row per geographic force (and British Transport Police where it has
    data) for each period its numerator is counted in, plus the report's headline period,
    and an England and Wales row per period. A population denominator is chosen per period
    by the metric's :class:`~peelmetrics.denominators.DenominatorRule` (Annex A: mid-2016
    for the report's own periods); ``denominator_period`` names the estimate used.

    Parameters
    ----------
    counts
        A Counts frame (see :mod:`peelmetrics.counts`); validated here.
    metrics
        Metric ids to compute; unknown ids raise UnknownMetricError.
    edition
        Catalogue edition (default: PEEL 2017).
    national
        ``"complete"`` (default): an England and Wales value only when every force the
        caveats do not exclude has data; otherwise NaN with status ``not_supplied``, so a
        handful of forces never masquerades as the national figure. ``"available"``: the
        ratio of sums over the forces that have data, with status ``partial``.
    show_partial
        Print values whose caveats hide them (a rate on a base the report does not use,
        such as City of London's resident-only population) instead of a dash. The
        unrounded ``value`` is in the results either way.
    ci
        A confidence level (0.95, 0.998): adds ``lower``, ``upper``, ``ci_method`` and
        ``comparison`` ("higher", "lower", "similar" than England and Wales, or "not
        compared: <why>"); see :mod:`peelmetrics.intervals`. Never for a dashed value.
    trend
        A number of yearly windows (5): adds the columns of
        :data:`peelmetrics.trends.TREND_COLUMNS`, whether each row's figure has been rising,
        falling or not changing significantly over that many yearly windows ending with
        its own (at the ``ci`` level, 0.95 by default); see :mod:`peelmetrics.trends`. One
        fit per row that has the history, after ``period`` and ``forces`` have chosen the
        rows (the history is every period computed).
    period
        Keep one window per metric (any form :func:`~peelmetrics.periods.parse_period`
        reads: ``"2018-03"``, ``"latest"``, ``"report"``); default every period.
    forces
        Keep these forces (any spelling), and England and Wales beside them.

    Examples
    --------
    >>> from peelmetrics.counts import make_counts
    >>> counts = make_counts([
    ...     ("Hertfordshire", "2017-06-30", 12, "dvpos_granted", 68, "report"),
    ...     ("Hertfordshire", "2017-06-30", 12, "domestic_abuse_offences", 9658, "report"),
    ... ])
    >>> results = compute(counts, ["dvpo_rate"])
    >>> herts = results[results.force == "E23000027"].iloc[0]
    >>> float(round(herts.value, 3)), herts.display, herts.status, herts.source
    (0.704, '0.7', 'ok', 'report')
    >>> results[results.force == "K04000001"].iloc[0].status
    'not_supplied'
    """
    expect_choice(national, "national", ("complete", "available"))
    if ci is not None:
        expect_level(ci)
    from peelmetrics.catalogue import get as get_edition

    edition = get_edition(edition)
    expect_bool(show_partial, "show_partial")
    if isinstance(metrics, str):  # one id, not its letters
        metrics = [metrics]
    if metrics is not None and (isinstance(metrics, Mapping | pd.DataFrame)
                                or not isinstance(metrics, Iterable)):  # fmt: skip
        raise InvalidValueError(f"metrics: metric ids (a list, or one id), not {shorten(metrics)}")
    chosen = list(edition.metrics) if metrics is None else [edition.metric(m) for m in metrics]
    frame = validate_counts(counts, edition=edition)
    registry = [f.code for f in all_forces()]
    store = _Store.build(frame, (m for metric in chosen for m in metric.measures), registry)
    parts = [
        _metric_frame(metric, store, edition, national == "complete", show_partial)
        for metric in chosen
    ]
    if not parts:
        return _empty_results()
    result = _typed(_joined(parts).assign(edition=edition.id))
    result = result if ci is None else _with_intervals(result, edition, ci)
    shown = result
    if period is not None:
        shown = select_period(result, period, frame, edition)
    if forces is not None:
        # England and Wales stays beside the forces asked for: the comparison is the point.
        wanted = [*force_codes(strings(forces), england_and_wales=True), ENGLAND_AND_WALES_CODE]
        shown = shown[shown.force.isin(wanted)]
    if trend is not None:
        from peelmetrics.trends import add_trends

        shown = add_trends(shown, result, edition, windows=trend, level=ci or 0.95)
    return shown


def _with_intervals(results: pd.DataFrame, edition: Edition, level: float) -> pd.DataFrame:
    """Intervals and the comparison with England and Wales (peelmetrics.intervals)."""
    from peelmetrics import intervals

    kinds = results["metric"].map({m.id: m.kind for m in edition.metrics})
    scales = results["metric"].map({m.id: m.scale.factor for m in edition.metrics})
    shown = (results["display"] != "–") & results["value"].notna()
    num, den = results["numerator"], results["denominator"]
    share = shown & (kinds == MetricKind.SHARE)
    rate = shown & (kinds == MetricKind.RATE)
    lower = pd.Series(np.nan, index=results.index)
    upper = pd.Series(np.nan, index=results.index)
    method = pd.Series("", index=results.index, dtype=object)
    if share.any():
        low, up = intervals.wilson_interval(num[share], den[share], level)
        lower[share], upper[share] = low * 100, up * 100
        method[share] = "Wilson score"
    if rate.any():
        low, up, how = intervals.poisson_interval(num[rate], level)
        lower[rate] = low / den[rate] * scales[rate]
        upper[rate] = up / den[rate] * scales[rate]
        method[rate] = how
    keys = ["metric", "period_end", "period_months"]
    national = results[results["force"] == ENGLAND_AND_WALES_CODE].set_index(keys)["value"]
    reference = pd.Series(
        national.reindex(pd.MultiIndex.from_frame(results[keys])).to_numpy(),
        index=results.index,
    )
    comparison = intervals.compare(lower, upper, reference)
    why = np.select(
        [
            results["force"] == ENGLAND_AND_WALES_CODE,
            ~shown,
            kinds == MetricKind.CHANGE,
            reference.isna(),
        ],
        [
            "not compared: England and Wales itself",
            "not compared: no value",
            "not compared: no interval for a change",
            "not compared: no England and Wales value",
        ],
        default="",
    )
    comparison = comparison.where(why == "", pd.Series(why, index=results.index))
    method[shown & (kinds == MetricKind.CHANGE)] = "none: no sound method for a change"
    return results.assign(lower=lower, upper=upper, ci_method=method, comparison=comparison)


def _empty_results() -> pd.DataFrame:
    return _typed(pd.DataFrame({c: pd.Series(dtype=object) for c in RESULT_COLUMNS}))


#: Result columns of text: built as plain object arrays while each metric is assembled and
#: made pandas' text dtype once, at the end (pandas 3 would otherwise convert every piece).
_TEXT = ("force", "force_name", "metric", "display", "unit", "status", "missing_months",
         "source", "numerator_source", "denominator_source", "release_note", "edition")  # fmt: skip


def _frame(columns: dict[str, Any]) -> dict[str, np.ndarray]:
    """A metric's rows as one array per column (a scalar repeated): the arrays of every
    metric are joined and made one DataFrame once (see :func:`_joined`); pandas would
    otherwise build and convert a frame per piece."""
    size = max((len(v) for v in columns.values() if isinstance(v, np.ndarray)), default=0)
    arrays: dict[str, np.ndarray] = {}
    for name, value in columns.items():
        if isinstance(value, np.ndarray):
            arrays[name] = value
        elif isinstance(value, list):  # one Python object per row (exclusions)
            items = np.empty(len(value), dtype=object)
            items[:] = value
            arrays[name] = items
        elif isinstance(value, str) or value is None:
            arrays[name] = np.full(size, value, dtype=object)
        else:
            arrays[name] = np.full(size, value)
    return arrays


def _joined(parts: Sequence[dict[str, np.ndarray]]) -> pd.DataFrame:
    """One frame from the metrics' arrays, text kept as objects until :func:`_typed`."""
    columns: dict[str, Any] = {}
    for name in parts[0]:
        values = np.concatenate([part[name] for part in parts])
        columns[name] = pd.Series(values, dtype=object, copy=False) if (
            name in _TEXT or values.dtype == object) else values  # fmt: skip
    return pd.DataFrame(columns)


def _typed(result: pd.DataFrame) -> pd.DataFrame:
    result = result.loc[:, list(RESULT_COLUMNS)]
    for column in _TEXT:
        result[column] = result[column].astype("str")
    for column in ("period_end", "denominator_period"):
        result[column] = pd.to_datetime(result[column]).astype("datetime64[ns]")
    for column in ("value", "numerator", "denominator"):
        result[column] = result[column].astype("float64")
    for column in ("period_months", "denominator_months"):
        result[column] = result[column].astype("int64")
    return result


# --- the counts, pivoted once -------------------------------------------------------------


@attrs.frozen
class _Cube:
    """Counts of one window length as dense arrays: period end x force x measure.

    Index ``len(ends)`` on the first axis and the last measure column are all-NaN, so a
    period or measure that was not supplied reads as missing without a branch."""

    ends: np.ndarray  # datetime64[ns], sorted, distinct
    values: np.ndarray  # float64 (ends + 1, forces, measures + 1)
    sources: np.ndarray  # source codes as float64, NaN where no count
    known: np.ndarray  # bool (ends + 1, measures + 1): counted for some force then
    gaps: np.ndarray | None  # missing-months codes as float64 (NaN: none); None if none at all

    def positions(self, ends: np.ndarray) -> np.ndarray:
        """Position of each date on the first axis (the all-NaN slab where absent)."""
        size = len(self.ends)
        at = np.searchsorted(self.ends, ends).clip(0, max(size - 1, 0))
        hit = (self.ends[at] == ends) & ~np.isnat(ends) if size else np.zeros(len(ends), bool)
        result: np.ndarray = np.where(hit, at, size)
        return result


@attrs.frozen
class _Store:
    """Counts pivoted once: one :class:`_Cube` per window length."""

    cubes: dict[int, _Cube]
    measures: dict[str, int]
    source_names: np.ndarray
    gap_names: np.ndarray
    #: Denominator choices already made in this call, by (rule, measure, periods): metrics
    #: sharing a population rule share one choice.
    chosen: dict[tuple[Any, ...], tuple[np.ndarray, np.ndarray]] = attrs.field(factory=dict)

    @classmethod
    def build(cls, frame: pd.DataFrame, measures: Iterable[str], codes: Sequence[str]) -> _Store:
        order = {m: i for i, m in enumerate(sorted(set(measures)))}
        frame = frame[frame["measure"].isin(list(order))]
        source_codes, names = pd.factorize(frame["source"], sort=True)
        gap_codes, gap_names = _gap_codes(frame)
        force_at = pd.Index(list(codes)).get_indexer(pd.Index(frame["force"]))
        measure_at = pd.Index(list(order)).get_indexer(pd.Index(frame["measure"]))
        months_of = frame["period_months"].to_numpy()
        ends_of = frame["period_end"].to_numpy("datetime64[ns]")
        values_of = frame["value"].to_numpy("float64")
        cubes = {}
        for months in np.unique(months_of).tolist():
            rows = months_of == months
            ends, end_at = np.unique(ends_of[rows], return_inverse=True)
            shape = (len(ends) + 1, len(codes), len(order) + 1)
            values = np.full(shape, np.nan)
            sources = np.full(shape, np.nan)
            at = (end_at, force_at[rows], measure_at[rows])
            values[at] = values_of[rows]
            sources[at] = source_codes[rows]
            known = ~np.isnan(values).all(axis=1)
            gaps = None
            if gap_codes is not None and (gap_codes[rows] >= 0).any():
                gaps = np.full(shape, np.nan)
                gaps[at] = np.where(gap_codes[rows] >= 0, gap_codes[rows], np.nan)
            cubes[int(months)] = _Cube(ends, values, sources, known, gaps)
        return cls(cubes, order, np.asarray(names, dtype=object), gap_names)

    def _columns(self, measures: Sequence[str]) -> np.ndarray:
        missing = len(self.measures)
        return np.array([self.measures.get(m, missing) for m in measures], dtype=np.int64)

    def take(
        self, months: int, ends: np.ndarray, forces: np.ndarray, measures: Sequence[str]
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Values, source codes and missing-months codes of ``measures`` at each row's
        (end, force): rows x measures each."""
        cube = self.cubes.get(months)
        empty = np.full((len(ends), len(measures)), np.nan)
        if cube is None:
            return empty, empty.copy(), empty.copy()
        at = (cube.positions(ends)[:, None], forces[:, None], self._columns(measures)[None, :])
        return cube.values[at], cube.sources[at], empty if cube.gaps is None else cube.gaps[at]

    def known(self, months: int, ends: np.ndarray, measures: Sequence[str]) -> np.ndarray:
        """Whether each measure is counted for some force at each date: dates x measures."""
        cube = self.cubes.get(months)
        if cube is None:
            return np.zeros((len(ends), len(measures)), dtype=bool)
        result: np.ndarray = cube.known[cube.positions(ends)[:, None], self._columns(measures)]
        return result

    def ends_with(self, months: int, measures: Sequence[str]) -> np.ndarray:
        """Period ends at which any of ``measures`` is counted for some force."""
        cube = self.cubes.get(months)
        if cube is None:
            return np.array([], dtype="datetime64[ns]")
        hit = cube.known[: len(cube.ends)][:, self._columns(measures)].any(axis=1)
        result: np.ndarray = cube.ends[hit]
        return result

    def forces_with(self, months: int, measures: Sequence[str]) -> np.ndarray:
        """Per force position: whether any of ``measures`` is counted for it at any date."""
        cube = self.cubes.get(months)
        if cube is None:
            return np.zeros(0, dtype=bool)
        block = cube.values[:, :, self._columns(measures)]
        result: np.ndarray = ~np.isnan(block).all(axis=(0, 2))
        return result

    def supplied(self, months: int, measure: str) -> tuple[np.ndarray, np.ndarray]:
        """(date, force position) pairs at which ``measure`` was supplied."""
        cube = self.cubes.get(months)
        if cube is None or measure not in self.measures:
            return np.array([], dtype="datetime64[ns]"), np.array([], dtype=np.int64)
        end_at, force_at = np.nonzero(~np.isnan(cube.values[:-1, :, self.measures[measure]]))
        return cube.ends[end_at], force_at


def _gap_codes(frame: pd.DataFrame) -> tuple[np.ndarray | None, np.ndarray]:
    """Codes of the Counts' optional ``missing_months`` texts (-1 for none)."""
    if "missing_months" not in frame.columns:
        return None, np.array([], dtype=object)
    text = frame["missing_months"]
    codes, names = pd.factorize(text.where(text != ""), sort=True)
    return codes, np.asarray(names, dtype=object)


# --- one metric over every force and period -----------------------------------------------


@attrs.define
class _Grid:
    """Every (period, force) pair of one metric, period-major, in registry force order."""

    metric: Metric
    periods: list[Period]
    forces: tuple[Force, ...]

    @property
    def size(self) -> int:
        return len(self.periods) * len(self.forces)

    def ends(self) -> np.ndarray:
        return np.array([p.end for p in self.periods], dtype="datetime64[ns]")

    def period_index(self) -> np.ndarray:
        return np.repeat(np.arange(len(self.periods)), len(self.forces))

    def force_positions(self) -> np.ndarray:
        return np.tile(np.arange(len(self.forces)), len(self.periods))

    def force_codes(self) -> np.ndarray:
        return np.tile(np.array([f.code for f in self.forces], dtype=object), len(self.periods))

    def per_row(self, per_period: np.ndarray) -> np.ndarray:
        result: np.ndarray = np.repeat(per_period, len(self.forces), axis=0)
        return result


def _periods(metric: Metric, store: _Store) -> list[Period]:
    months = metric.period.months
    ends = {pd.Timestamp(e).date() for e in store.ends_with(months, metric.numerator)}
    ends.add(metric.period.end)
    return [Period(end, months) for end in sorted(ends)]


def _sum_parts(values: np.ndarray, known: np.ndarray) -> np.ndarray:
    """Sum of the numerator measures per row. A measure the source omits for a force counts
    as zero only when it is counted for some force in the period (long tables leave out
    zero rows); with no numerator measure at all, the value is missing."""
    absent = np.isnan(values)
    total = np.where(absent, 0.0, values).sum(axis=1)
    missing = absent.all(axis=1) | (absent & ~known).any(axis=1)
    total[missing] = np.nan
    result: np.ndarray = total
    return result


@attrs.define
class _Columns:
    """The per-row arrays of one metric, before England and Wales."""

    num: np.ndarray
    den: np.ndarray
    den_end: np.ndarray  # datetime64[ns], NaT where no denominator was found
    den_months: int
    estimated: np.ndarray
    sources: np.ndarray  # source codes used, one column per count read
    gaps: np.ndarray  # missing-months codes of the counts read, one column per count
    missing: dict[str, np.ndarray]  # measure id -> not supplied at the denominator's period


def _numerator(
    grid: _Grid, store: _Store, ends: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The summed numerator at ``ends`` (one date per period) for every force, and the
    source and missing-months codes of its counts."""
    metric, months = grid.metric, grid.metric.period.months
    values, sources, gaps = store.take(
        months, grid.per_row(ends), grid.force_positions(), metric.numerator
    )
    known = grid.per_row(store.known(months, ends, metric.numerator))
    return _sum_parts(values, known), sources, gaps


def _columns(grid: _Grid, store: _Store, caveats: Sequence[DataCaveat]) -> _Columns:
    metric, months = grid.metric, grid.metric.period.months
    num, num_sources, num_gaps = _numerator(grid, store, grid.ends())
    forces = grid.force_positions()
    if metric.kind is MetricKind.CHANGE:
        previous = np.array([metric.base_for(p).end for p in grid.periods], dtype="datetime64[ns]")
        den, den_sources, den_gaps = _numerator(grid, store, previous)
        den_end, den_months = grid.per_row(previous), months
        estimated = np.zeros(grid.size, dtype=bool)
    else:
        assert metric.denominator is not None  # checked by Metric
        if metric.denominator_rule is None:
            den_end, den_months = grid.per_row(grid.ends()), months
            estimated = np.zeros(grid.size, dtype=bool)
        else:
            den_end, estimated = _chosen_denominators(grid, store)
            den_months = 0
        below = (metric.denominator, *metric.denominator_plus)
        parts, den_sources, den_gaps = store.take(den_months, den_end, forces, below)
        den = parts[:, 0] + np.nansum(parts[:, 1:], axis=1)  # extras where supplied
    conditional = {c.applies_if_missing for c in caveats if c.applies_if_missing}
    missing = {
        m: np.isnan(store.take(den_months, den_end, forces, [m])[0][:, 0]) for m in conditional
    }
    return _Columns(
        num=num,
        den=den,
        den_end=den_end,
        den_months=den_months,
        estimated=estimated,
        sources=np.hstack([num_sources, den_sources]),
        gaps=np.hstack([num_gaps, den_gaps]),
        missing=missing,
    )


def _chosen_denominators(grid: _Grid, store: _Store) -> tuple[np.ndarray, np.ndarray]:
    """Per row, the as-at date of the denominator the metric's rule chooses, and whether
    it is a stand-in (estimated)."""
    rule, metric = grid.metric.denominator_rule, grid.metric
    assert rule is not None
    assert metric.denominator is not None
    key = (rule, metric.denominator, tuple(grid.periods))
    if key not in store.chosen:
        store.chosen[key] = _choose(grid, store)
    return store.chosen[key]


def _choose(grid: _Grid, store: _Store) -> tuple[np.ndarray, np.ndarray]:
    rule, metric = grid.metric.denominator_rule, grid.metric
    assert rule is not None
    assert metric.denominator is not None
    dates, force_at = store.supplied(0, metric.denominator)
    preferred = np.array(
        [np.datetime64("NaT") if d is None else d for d in map(rule.preferred, grid.periods)],
        dtype="datetime64[ns]",
    )
    target = np.array([rule.target(p) for p in grid.periods], dtype="datetime64[ns]")
    return choose_estimates(
        rule,
        grid.force_positions(),
        grid.per_row(preferred),
        grid.per_row(target),
        force_at,
        np.asarray(dates, dtype="datetime64[ns]"),
    )


def _masks(grid: _Grid, cols: _Columns, caveats: Sequence[DataCaveat]) -> np.ndarray:
    """Which caveat applies to which row: a (rows x caveats) boolean matrix."""
    metric = grid.metric
    codes = grid.force_codes()
    ends = np.array([p.end for p in grid.periods], dtype=object)
    previous = np.array([metric.base_for(p).end for p in grid.periods], dtype=object)
    period_of_row = grid.period_index()
    bits = np.ones((grid.size, len(caveats)), dtype=bool)
    for j, caveat in enumerate(caveats):
        if caveat.forces:
            bits[:, j] &= np.isin(codes, caveat.forces)
        if caveat.periods:
            named = np.array(
                [p.end for p in caveat.periods if p.months == metric.period.months], dtype=object
            )
            hit = np.isin(ends, named)
            if metric.kind is MetricKind.CHANGE:
                hit |= np.isin(previous, named)
            bits[:, j] &= hit[period_of_row]
        if caveat.applies_if_missing:
            bits[:, j] &= cols.missing[caveat.applies_if_missing]
        if caveat.applies_if_denominator_estimated:
            bits[:, j] &= cols.estimated
        if caveat.applies_if_denominator_at is not None:
            at = np.datetime64(caveat.applies_if_denominator_at.end, "ns")
            bits[:, j] &= cols.den_end == at
    return bits


def _combine(
    grid: _Grid, cols: _Columns, caveats: Sequence[DataCaveat], bits: np.ndarray
) -> np.ndarray:
    """Annex A, "Rate of organised crime groups": where forces reported one combined count,
    every member gets the combined count over the members' combined denominator. Returns
    the unit each row counts as in England and Wales (a group is counted once)."""
    units = grid.force_codes().copy()
    period_of_row = grid.period_index()
    for j, caveat in enumerate(caveats):
        if caveat.kind is not CaveatKind.COMBINED_WITH:
            continue
        rows = np.flatnonzero(bits[:, j])
        if not len(rows):
            continue
        members = pd.DataFrame({"period": period_of_row[rows], "num": cols.num[rows],
                                "den": cols.den[rows]})  # fmt: skip
        given = members.dropna(subset=["num"]).groupby("period")["num"]
        clash = given.nunique()
        if (clash > 1).any():
            bad = members[members["period"] == clash.index[clash.to_numpy() > 1][0]]["num"]
            raise InvalidValueError(
                f"{caveat.id}: the forces reported one combined count, but different counts "
                f"were supplied ({sorted(bad.dropna().unique().tolist())}); give the combined "
                "count once or identically"
            )
        by_period = members.groupby("period")
        num = by_period["num"].max()
        den = by_period["den"].sum().where(~by_period["den"].apply(lambda d: d.isna().any()))
        cols.num[rows] = num.reindex(members["period"]).to_numpy()
        cols.den[rows] = den.reindex(members["period"]).to_numpy()
        units[rows] = caveat.id
    return units


def _statuses(value: np.ndarray, caveats: Sequence[DataCaveat], bits: np.ndarray,
              estimated: np.ndarray) -> np.ndarray:  # fmt: skip
    """Rank of each row's status: the worst caveat's; a missing value is not supplied; a
    value supplied where the report had none is shown but kept out (excluded)."""
    ranks = np.array([_RANK[c.status] for c in caveats], dtype=np.int64)
    not_supplied = ranks == _NS
    other = np.where(bits & ~not_supplied, ranks, 0).max(axis=1, initial=0)
    has_ns = (bits & not_supplied).any(axis=1)
    other = np.maximum(other, np.where(estimated, _ESTIMATED, 0))
    every = np.maximum(other, np.where(has_ns, _NS, 0))
    result: np.ndarray = np.where(
        np.isnan(value),
        np.maximum(every, _NS),
        np.where(has_ns, np.maximum(other, _EXCLUDED), every),
    )
    return result


def _distinct_rows(bits: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The distinct rows of a boolean matrix and, per row, the index of its distinct row.

    Rows are packed into 63-bit integer keys and factorised by hashing, so the cost is
    linear in the rows."""
    n_rows, n_bits = bits.shape
    if n_bits == 0 or n_rows == 0:
        return bits[:1], np.zeros(n_rows, dtype=np.int64)
    weights = np.left_shift(np.int64(1), np.arange(63, dtype=np.int64))
    keys = [
        bits[:, start : start + 63].astype(np.int64) @ weights[: min(63, n_bits - start)]
        for start in range(0, n_bits, 63)
    ]
    if len(keys) == 1:
        inverse = pd.factorize(keys[0])[0]
    else:
        inverse = pd.MultiIndex.from_arrays(keys).factorize()[0]
    first = np.zeros(int(inverse.max()) + 1, dtype=np.int64)
    first[inverse[::-1]] = np.arange(n_rows)[::-1]
    return bits[first], inverse


def _tuples(bits: np.ndarray, ids: Sequence[str]) -> np.ndarray:
    """Row-wise tuples of the ids whose bit is set, built once per distinct combination."""
    combos, inverse = _distinct_rows(bits)
    labels = np.empty(len(combos), dtype=object)
    labels[:] = [tuple(i for i, b in zip(ids, row, strict=True) if b) for row in combos.tolist()]
    result: np.ndarray = labels[inverse]
    return result


def _used(codes: np.ndarray, n_names: int) -> np.ndarray:
    """Which names each row uses: a (rows x names) boolean matrix from codes (NaN for
    none), one column per count read."""
    used = np.zeros((len(codes), n_names), dtype=bool)
    given = ~np.isnan(codes)
    rows = np.broadcast_to(np.arange(len(codes))[:, None], codes.shape)
    used[rows[given], codes[given].astype(np.int64)] = True
    return used


def _combinations(
    used: Sequence[np.ndarray], names: Sequence[np.ndarray]
) -> tuple[list[list[str]], np.ndarray]:
    """Per matrix of :func:`_used` (rows alike), the ``"; "``-joined names of each distinct
    combination of all the matrices' rows, and per row the index of its combination: text
    is built once per combination, never per row."""
    combos, inverse = _distinct_rows(np.hstack(used))
    texts = []
    start = 0
    for matrix, labels in zip(used, names, strict=True):
        part = combos[:, start : start + matrix.shape[1]].tolist()
        start += matrix.shape[1]
        texts.append(["; ".join(str(n) for n, b in zip(labels, row, strict=True) if b)
                      for row in part])  # fmt: skip
    return texts, inverse


def _name_texts(used: Sequence[np.ndarray], names: Sequence[np.ndarray]) -> list[np.ndarray]:
    """Per matrix of :func:`_used`, the row-wise ``"; "``-joined names."""
    texts, inverse = _combinations(used, names)
    return [np.array(t, dtype=object)[inverse] for t in texts]


def _source_texts(num: np.ndarray, den: np.ndarray, names: np.ndarray) -> dict[str, np.ndarray]:
    """The ``source``, ``numerator_source`` and ``denominator_source`` columns from the
    (rows x names) matrices of the numerator's and the denominator's counts."""
    both, num_text, den_text = _name_texts([num | den, num, den], [names] * 3)
    return {"source": both, "numerator_source": num_text, "denominator_source": den_text}


def _metric_frame(
    metric: Metric, store: _Store, edition: Edition, complete: bool, show_partial: bool
) -> dict[str, np.ndarray]:
    registry = all_forces()
    grid = _Grid(metric, _periods(metric, store), registry)
    caveats = [c for c in edition.caveats if ALL_METRICS in c.metrics or metric.id in c.metrics]
    cols = _columns(grid, store, caveats)
    bits = _masks(grid, cols, caveats)
    units = _combine(grid, cols, caveats, bits)
    if metric.kind is MetricKind.CHANGE:
        value = calc.percent_change(cols.num, cols.den)
    else:
        value = calc.rate(cols.num, cols.den, per=metric.scale.factor)
    (gaps,) = _name_texts([_used(cols.gaps, len(store.gap_names))], [store.gap_names])
    n_num, n_names = len(metric.numerator), len(store.source_names)
    # Which sources each row's numerator and denominator counts came from, side by side.
    used = np.hstack([_used(cols.sources[:, :n_num], n_names),
                      _used(cols.sources[:, n_num:], n_names)])  # fmt: skip
    foreign = _foreign(cols.sources, store.source_names, metric, edition)
    # A window the records do not wholly cover is a partial count, named, never a silent
    # undercount (issue 14: "status partial with the months named").
    rank = np.maximum(
        _statuses(value, caveats, bits, cols.estimated),
        np.where(gaps != "", _RANK[Status.PARTIAL], 0),
    )
    statuses = np.array([s.value for s in _STATUSES], dtype=object)
    dash = np.array([s.shows_dash for s in _STATUSES])[rank]
    hiding = np.array([c.hides_value for c in caveats], dtype=bool)
    hidden = (bits & hiding).any(axis=1) if len(caveats) and not show_partial else False
    with_data = store.forces_with(metric.period.months, metric.numerator)
    geographic = np.array([f.geographic for f in registry])
    shown_force = geographic | with_data if len(with_data) else geographic
    shown = np.tile(shown_force, len(grid.periods))
    period_of_row = grid.period_index()
    forces = _frame(
        {
            "force": grid.force_codes(),
            "force_name": np.tile(np.array([f.short_name for f in registry], dtype=object),
                                  len(grid.periods)),
            "metric": metric.id,
            "period_end": grid.ends()[period_of_row],
            "period_months": metric.period.months,
            "value": value,
            "display": metric.presentation.format_many(np.where(dash | hidden, np.nan, value)),
            "unit": metric.unit,
            "numerator": cols.num,
            "denominator": cols.den,
            "denominator_period": cols.den_end,
            "denominator_months": cols.den_months,
            "status": statuses[rank],
            "caveats": _tuples(bits, [c.id for c in caveats]),
            "excluded": None,
            "missing_months": gaps,
            **_source_texts(used[:, :n_names], used[:, n_names:], store.source_names),
            "release_note": _release_notes(foreign, store.source_names, metric, edition),
            "_order": period_of_row * (len(registry) + 1) + np.tile(np.arange(len(registry)),
                                                                    len(grid.periods)),
        }
    )  # fmt: skip
    national = _national(grid, cols, caveats, bits, units, value, dash, complete, shown_force,
                         store.source_names, used, gaps, foreign, edition)  # fmt: skip
    joined = {k: np.concatenate([forces[k][shown], national[k]]) for k in forces}
    order = np.argsort(joined.pop("_order"), kind="mergesort")
    return {k: v[order] for k, v in joined.items()}


def _foreign(
    sources: np.ndarray, names: np.ndarray, metric: Metric, edition: Edition
) -> np.ndarray:
    """``sources`` (codes into ``names``, one column per count read: the numerator's
    measures, then the denominator's) with NaN wherever the count is of the release the
    report used for its measure (:mod:`peelmetrics.releases`); each other count's code
    stays, paired (after the count columns) with the code of the release the report used,
    into ``names`` extended by the edition's releases (see :func:`_release_notes`)."""
    from peelmetrics.releases import is_report_release

    measures = {m.id: m for m in edition.measures}
    if metric.kind is MetricKind.CHANGE:
        read = [*metric.numerator, *metric.numerator]
    else:
        assert metric.denominator is not None  # checked by Metric
        read = [*metric.numerator, metric.denominator, *metric.denominator_plus]
    releases = _edition_releases(edition)
    foreign = np.full(sources.shape, np.nan)
    used = np.full(sources.shape, np.nan)
    for j, measure_id in enumerate(read[: sources.shape[1]]):
        measure = measures.get(measure_id)
        if measure is None or not len(names):
            continue
        own = np.array([is_report_release(str(n), measure, edition) for n in names])
        codes = sources[:, j]
        given = ~np.isnan(codes)
        other = np.zeros(len(codes), dtype=bool)
        other[given] = ~own[codes[given].astype(np.int64)]
        foreign[other, j] = codes[other]
        used[other, j] = len(names) + releases.index(measure.release)
    return np.hstack([foreign, used])


def _edition_releases(edition: Edition) -> list[str]:
    return list(dict.fromkeys(m.release for m in edition.measures))


def _release_notes(
    foreign: np.ndarray, names: np.ndarray, metric: Metric, edition: Edition
) -> np.ndarray:
    """Per row, the sentence naming the other releases a result was computed from and the
    ones the report used for those counts (blank where every count is the report's)."""
    from peelmetrics.releases import release_note

    width = foreign.shape[1] // 2
    every = np.concatenate([names, np.array(_edition_releases(edition), dtype=object)])
    used = [_used(foreign[:, :width], len(names)), _used(foreign[:, width:], len(every))]
    (texts, report), inverse = _combinations(used, [names, every])
    notes = [release_note([t], metric, edition, r) for t, r in zip(texts, report, strict=True)]
    result: np.ndarray = np.array(notes, dtype=object)[inverse]
    return result


def _national(
    grid: _Grid,
    cols: _Columns,
    caveats: Sequence[DataCaveat],
    bits: np.ndarray,
    units: np.ndarray,
    value: np.ndarray,
    dash: np.ndarray,
    complete: bool,
    shown_force: np.ndarray,
    source_names: np.ndarray,
    used: np.ndarray,
    gaps: np.ndarray,
    foreign: np.ndarray,
    edition: Edition,
) -> dict[str, np.ndarray]:
    """England and Wales rows, one per period: a ratio of sums over the forces let in."""
    metric = grid.metric
    n_periods, n_forces = len(grid.periods), len(grid.forces)
    period_of_row = grid.period_index()
    excluding = np.array([c.excluded_from_national for c in caveats], dtype=bool)
    excluding_bits = bits & excluding
    geographic = np.tile(np.array([f.geographic for f in grid.forces]), n_periods)
    left_out = excluding_bits.any(axis=1) | ~geographic
    missing = ~left_out & (dash | np.isnan(cols.num) | np.isnan(cols.den))
    included = ~left_out & ~missing
    # Forces that reported one combined count are one unit: counted once.
    counted = included.copy()
    if (units != grid.force_codes()).any():
        counted[included] = (
            ~pd.DataFrame({"period": period_of_row[included], "unit": units[included]})
            .duplicated()
            .to_numpy()
        )
    rows = np.flatnonzero(counted)
    num_ew = np.bincount(period_of_row[rows], cols.num[rows], n_periods).astype("float64")
    den_ew = np.bincount(period_of_row[rows], cols.den[rows], n_periods).astype("float64")
    # The same two calculations as each force's: a ratio of the sums (Annex A).
    if metric.kind is MetricKind.CHANGE:
        value_ew = calc.percent_change(num_ew, den_ew)
    else:
        value_ew = calc.rate(num_ew, den_ew, per=metric.scale.factor)
    any_counted = counted.reshape(n_periods, n_forces).any(axis=1)
    any_missing = missing.reshape(n_periods, n_forces).any(axis=1)
    any_estimated = (included & cols.estimated).reshape(n_periods, n_forces).any(axis=1)
    gapped = included & (gaps != "")
    named = _named_gaps(grid, gapped, gaps)
    not_supplied = ~any_counted | (any_missing & complete)
    status = np.where(any_missing | (named != ""), _RANK[Status.PARTIAL], _RANK[Status.OK])
    status = np.maximum(status, np.where(any_estimated, _ESTIMATED, 0))
    status = np.where(not_supplied, _NS, status)
    for array in (value_ew, num_ew, den_ew):
        array[not_supplied] = np.nan
    named[not_supplied] = ""  # no figure, no months to name
    contributing = np.where(included[:, None], bits, excluding_bits & left_out[:, None])
    by_period = np.asarray(contributing.reshape(n_periods, n_forces, -1).any(axis=1))
    caveat_ids = _tuples(by_period, [c.id for c in caveats])
    # The sources of the forces let in, per period (numerator's and denominator's halves).
    in_period = (used & included[:, None]).reshape(n_periods, n_forces, -1).any(axis=1)
    n_names = len(source_names)
    # Count and release halves kept apart: each is reshaped to one row per period.
    half = foreign.shape[1] // 2
    kept = np.where(included[:, None], foreign, np.nan)
    others = np.hstack([kept[:, :half].reshape(n_periods, -1),
                        kept[:, half:].reshape(n_periods, -1)])  # fmt: skip
    return _frame(
        {
            "force": ENGLAND_AND_WALES_CODE,
            "force_name": "England and Wales",
            "metric": metric.id,
            "period_end": grid.ends(),
            "period_months": metric.period.months,
            "value": value_ew,
            "display": metric.presentation.format_many(value_ew),
            "unit": metric.unit,
            "numerator": num_ew,
            "denominator": den_ew,
            "denominator_period": _shared_dates(cols.den_end, included, n_periods, n_forces),
            "denominator_months": cols.den_months,
            "status": np.array([s.value for s in _STATUSES], dtype=object)[status],
            "caveats": caveat_ids,
            "excluded": _exclusions(grid, caveats, excluding_bits, left_out, missing,
                                    shown_force),
            "missing_months": named,
            **_source_texts(in_period[:, :n_names], in_period[:, n_names:], source_names),
            "release_note": _release_notes(others, source_names, metric, edition),
            "_order": np.arange(n_periods) * (n_forces + 1) + n_forces,
        }
    )  # fmt: skip


def _named_gaps(grid: _Grid, gapped: np.ndarray, gaps: np.ndarray) -> np.ndarray:
    """Per period, ``"<force>: <months>"`` for each included force whose counts lack months,
    joined by ``"; "``."""
    named = np.full(len(grid.periods), "", dtype=object)
    if not gapped.any():
        return named
    names = np.tile(np.array([f.short_name for f in grid.forces], dtype=object),
                    len(grid.periods))  # fmt: skip
    period_of_row = grid.period_index()
    for period in np.unique(period_of_row[gapped]).tolist():
        rows = np.flatnonzero(gapped & (period_of_row == period))
        named[period] = "; ".join(f"{names[i]}: {gaps[i]}" for i in rows)
    return named


def _shared_dates(
    dates: np.ndarray, included: np.ndarray, n_periods: int, n_forces: int
) -> np.ndarray:
    """Per period, the date every included row shares; NaT where they differ or none."""
    as_int = dates.astype("int64").reshape(n_periods, n_forces)
    mask = (included & ~np.isnat(dates)).reshape(n_periods, n_forces)
    big = np.iinfo(np.int64).max
    low = np.where(mask, as_int, big).min(axis=1)
    high = np.where(mask, as_int, -big).max(axis=1)
    shared = mask.any(axis=1) & (low == high)
    nat = np.datetime64("NaT").astype("int64")
    result: np.ndarray = np.where(shared, low, nat).astype("datetime64[ns]")
    return result


def _exclusions(
    grid: _Grid,
    caveats: Sequence[DataCaveat],
    excluding_bits: np.ndarray,
    left_out: np.ndarray,
    missing: np.ndarray,
    shown_force: np.ndarray,
) -> list[tuple[dict[str, str], ...]]:
    """Per period, the forces left out of England and Wales and why: forces without a row
    of their own first, then the rest, each in registry order."""
    ids = _tuples(excluding_bits, [c.id for c in caveats])
    reasons = np.full(len(left_out), None, dtype=object)
    reasons[left_out] = ["; ".join(t) or _NOT_GEOGRAPHIC for t in ids[left_out]]
    reasons[missing] = _NO_DATA
    n_forces = len(grid.forces)
    order = sorted(range(n_forces), key=lambda i: (bool(shown_force[i]), i))
    codes = [grid.forces[i].code for i in order]
    table = reasons.reshape(len(grid.periods), n_forces)[:, order]
    return [
        tuple({"force": c, "reason": r} for c, r in zip(codes, row, strict=True) if r is not None)
        for row in table.tolist()
    ]


def periods_held(counts: pd.DataFrame, metric: Metric) -> list[Period]:
    """The windows of ``metric``'s length at which the Counts hold one of its numerator
    measures for some force (a change: in both years), oldest first. ``latest`` chooses
    the last of them.

    >>> from peelmetrics import datasets, edition
    >>> held = periods_held(datasets.counts(), edition().metric("recorded_crime_per_1000"))
    >>> str(held[0]), str(held[-1])
    ('12 months to 31 March 2003', '12 months to 31 December 2018')
    """
    return periods_held_by_metric(counts, [metric])[metric.id]


def periods_held_by_metric(
    counts: pd.DataFrame, metrics: Sequence[Metric]
) -> dict[str, list[Period]]:
    """:func:`periods_held` for several metrics, keyed by metric id, the Counts scanned once.

    >>> from peelmetrics import datasets, edition
    >>> ed = edition()
    >>> held = periods_held_by_metric(datasets.counts(), [ed.metric("dvpo_rate")])
    >>> [str(p) for p in held["dvpo_rate"]]
    ['12 months to 30 June 2017']
    """
    lacking = {"measure", "period_months", "period_end"} - set(expect_frame(counts, "counts"))
    if lacking:
        raise InvalidValueError(f"counts: no column {', '.join(sorted(lacking))} (see "
                                "validate_counts)")  # fmt: skip
    if isinstance(metrics, Metric | str) or not isinstance(metrics, Iterable) or not all(
            isinstance(m, Metric) for m in metrics):  # fmt: skip
        raise InvalidValueError(f"metrics: a list of Metric objects (edition.metric(id)), not "
                                f"{shorten(metrics)}")  # fmt: skip
    keys = counts[["measure", "period_months", "period_end"]].drop_duplicates()
    ends: dict[tuple[str, int], set[date]] = {}
    columns = (keys["measure"], keys["period_months"], pd.to_datetime(keys["period_end"]))
    for measure, months, end in zip(*(c.tolist() for c in columns), strict=True):
        ends.setdefault((str(measure), int(months)), set()).add(end.date())
    result: dict[str, list[Period]] = {}
    for metric in metrics:
        months = metric.period.months
        dates = set().union(*(ends.get((m, months), set()) for m in metric.numerator))
        held = [Period(end, months) for end in sorted(dates)]
        if metric.kind is MetricKind.CHANGE:  # a change needs its base year too
            have = set(held)
            held = [p for p in held if metric.base_for(p) in have]
        result[metric.id] = held
    return result


def chosen_period(
    metric: Metric,
    period: PeriodChoice | Period | date | str | None,
    counts: pd.DataFrame,
) -> Period:
    """The window of ``metric`` that ``period`` names (any form of
    :func:`~peelmetrics.periods.parse_period`), checked against the Counts.

    Raises :class:`~peelmetrics.errors.PeriodNotCoveredError`, naming the latest window
    held, when the Counts do not hold the metric at a date asked for.

    >>> from peelmetrics import datasets, edition
    >>> m = edition().metric("recorded_crime_per_1000")
    >>> str(chosen_period(m, "2017/18", datasets.counts()))
    '12 months to 31 March 2018'
    """
    from peelmetrics.periods import not_covered, parse_period

    choice = parse_period(period)
    held = periods_held(counts, metric)
    when = choice.for_metric(metric, held)
    if choice.kind == "date" and when not in held:
        raise not_covered(when, held, metric.id)
    return when


def select_period(
    results: pd.DataFrame,
    period: PeriodChoice | Period | date | str | None,
    counts: pd.DataFrame,
    edition: Edition | str | None = None,
) -> pd.DataFrame:
    """The rows of ``results`` at the period ``period`` names for each metric (see
    :func:`peelmetrics.periods.parse_period`: a date, ``latest`` or ``report``).

    Raises :class:`~peelmetrics.errors.PeriodNotCoveredError`, naming the latest window
    held, when the Counts hold no metric of ``results`` at that period.
    """
    from peelmetrics.catalogue import get as get_edition
    from peelmetrics.periods import not_covered, parse_period

    edition = get_edition(edition)
    choice = parse_period(period)
    keep = np.zeros(len(results), dtype=bool)
    covered, held_all = False, []
    ids = [str(m) for m in results["metric"].unique().tolist()]
    held_by_metric = periods_held_by_metric(counts, [edition.metric(m) for m in ids])
    for metric_id in ids:
        metric = edition.metric(metric_id)
        held = held_by_metric[metric_id]
        when = choice.for_metric(metric, held)
        covered = covered or when in held or choice.kind == "report"
        held_all += held
        keep |= (
            (results["metric"] == metric_id)
            & (results["period_end"] == pd.Timestamp(when.end))
            & (results["period_months"] == when.months)
        ).to_numpy()
    if not covered and len(results):
        asked = choice.for_metric(edition.metric(str(results["metric"].iloc[0])), held_all)
        raise not_covered(asked, held_all, "figures")
    return results[keep]
