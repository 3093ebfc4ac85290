"""A force over time, and whether its figure is changing.

:func:`over_time` lays out every period the results hold for a force, beside England and
Wales (and its peers); :func:`add_trends` says, for each row, whether the figure has been
rising or falling over the last ``windows`` yearly windows that do not overlap (the window
shown and those 12, 24, ... months before it):

* **Rates** (events per population or per offence): a **Poisson log-linear regression** of
  the counts on the year, with the log of the denominator as offset (statsmodels' GLM). The
  annual change is ``exp(b) - 1`` [percent a year], its interval ``exp(b ± z se) - 1``.
* **Shares** (a part of a whole): the **chi-squared test for trend** (Cochran–Armitage) of
  the events ``k_i`` out of ``n_i`` on the year scores ``x_i``. The slope in proportion a
  year is ``b = Σ n_i (p_i - P)(x_i - x̄) / Σ n_i (x_i - x̄)²``, with ``P = Σk/Σn`` and
  ``x̄ = Σ n_i x_i / Σ n``; its variance ``P(1 - P) / Σ n_i (x_i - x̄)²`` and
  ``χ² = b² / var(b)`` on 1 degree of freedom. The annual change is ``100 b``
  [percentage points a year].

The word is neutral: "rising" when the interval lies above zero, "falling" when below, "no
significant change" when it contains zero. The report never calls more recorded crime
worse, so nothing here colours or grades a direction. Police counts are large: a steady
change of a percent a year is usually significant, so read the size of the change too.

Changes (one year against the one before) get no trend: they are already a comparison.

statsmodels and scipy (the ``stats`` extra) are imported only here, when a trend is asked.

References
----------
Armitage (1955), *Biometrics* 11, 375-386; Agresti, *Categorical Data Analysis* (2013),
sections 3.4.6 (linear trend in proportions) and 4.3 (Poisson loglinear models for rates).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from peelmetrics.caveats import Status
from peelmetrics.errors import InvalidValueError, shorten
from peelmetrics.forces import ENGLAND_AND_WALES_CODE, resolve_force
from peelmetrics.metrics import MetricKind
from peelmetrics.periods import Period

if TYPE_CHECKING:  # pragma: no cover
    from peelmetrics.catalogue import Edition

__all__ = [
    "TREND_COLUMNS",
    "TREND_WINDOWS",
    "Trend",
    "add_trends",
    "describe",
    "over_time",
    "poisson_trend",
    "share_trend",
    "trend_table",
]

#: Yearly windows a trend is fitted over by default: five years.
TREND_WINDOWS = 5
#: Columns :func:`add_trends` adds to results.
TREND_COLUMNS = (
    "trend", "trend_change", "trend_lower", "trend_upper", "trend_p", "trend_unit",
    "trend_method", "trend_from",
)  # fmt: skip
RISING, FALLING, STEADY = "rising", "falling", "no significant change"
_POISSON = "Poisson log-linear regression of counts on year, log denominator as offset"
_ARMITAGE = "chi-squared test for trend in proportions (Cochran-Armitage)"
_DASHED = frozenset(s.value for s in Status if s.shows_dash)


class Trend(dict[str, Any]):
    """One trend: the keys of :data:`TREND_COLUMNS` (a plain dict with a readable repr)."""

    def __repr__(self) -> str:
        if not self["trend"].startswith(("rising", "falling", "no significant")):
            return f"Trend({self['trend']!r})"
        return (
            f"Trend({self['trend']!r}, {self['trend_change']:+.2f} {self['trend_unit']}, "
            f"interval {self['trend_lower']:+.2f} to {self['trend_upper']:+.2f})"
        )


def _level(level: float) -> float:
    if isinstance(level, bool) or not isinstance(level, int | float) or not 0 < level < 1:
        raise InvalidValueError(f"a confidence level is a number between 0 and 1, not {level!r}")
    return float(level)


def _word(lower: float, upper: float) -> str:
    return RISING if lower > 0 else FALLING if upper < 0 else STEADY


def _years(years: Sequence[float] | np.ndarray) -> np.ndarray:
    x = np.asarray(years, dtype="float64")
    if x.ndim != 1 or len(x) < 3 or len(np.unique(x)) != len(x) or not np.isfinite(x).all():
        raise InvalidValueError("a trend needs three or more distinct, finite years")
    return x


def poisson_trend(
    years: Sequence[float] | np.ndarray,
    events: Sequence[float] | np.ndarray,
    exposure: Sequence[float] | np.ndarray,
    level: float = 0.95,
) -> Trend:
    """Annual change of a rate [percent a year]: Poisson log-linear regression of ``events``
    on ``years`` with ``log(exposure)`` as offset.

    >>> t = poisson_trend([0, 1, 2, 3, 4], [100, 110, 120, 125, 140], [1e5] * 5)
    >>> t["trend"], round(t["trend_change"], 2), round(t["trend_p"], 4)
    ('rising', 8.33, 0.006)
    """
    from peelmetrics._extras import need

    sm = need("statsmodels.api", "trends over time", "stats")
    stats = need("scipy.stats", "trends over time", "stats")
    x = _years(years)
    k = np.asarray(events, dtype="float64")
    n = np.asarray(exposure, dtype="float64")
    if k.shape != x.shape or n.shape != x.shape:
        raise InvalidValueError("years, events and exposure must be the same length")
    if not (np.isfinite(k).all() and (k >= 0).all() and np.isfinite(n).all() and (n > 0).all()):
        raise InvalidValueError("a rate's trend needs counts >= 0 and denominators > 0")
    z = float(stats.norm.ppf(1 - (1 - _level(level)) / 2))
    design = sm.add_constant(x - x.min(), has_constant="add")
    fit = sm.GLM(k, design, family=sm.families.Poisson(), offset=np.log(n)).fit()
    slope, se = float(fit.params[1]), float(fit.bse[1])
    lower, upper = slope - z * se, slope + z * se
    return Trend(
        trend=_word(lower, upper),
        trend_change=100 * float(np.expm1(slope)),
        trend_lower=100 * float(np.expm1(lower)),
        trend_upper=100 * float(np.expm1(upper)),
        trend_p=float(fit.pvalues[1]),
        trend_unit="% a year",
        trend_method=_POISSON,
    )


def share_trend(
    years: Sequence[float] | np.ndarray,
    events: Sequence[float] | np.ndarray,
    totals: Sequence[float] | np.ndarray,
    level: float = 0.95,
) -> Trend:
    """Annual change of a share [percentage points a year]: the chi-squared test for trend
    (Cochran–Armitage) of ``events`` out of ``totals`` on the ``years``.

    >>> t = share_trend([0, 1, 2, 3, 4], [10, 12, 14, 15, 18], [100] * 5)
    >>> t["trend"], round(t["trend_change"], 2), round(t["trend_p"], 4)
    ('no significant change', 1.9, 0.0815)
    """
    from peelmetrics._extras import need

    stats = need("scipy.stats", "trends over time", "stats")
    x = _years(years)
    k = np.asarray(events, dtype="float64")
    n = np.asarray(totals, dtype="float64")
    if k.shape != x.shape or n.shape != x.shape:
        raise InvalidValueError("years, events and totals must be the same length")
    if not (np.isfinite(k).all() and np.isfinite(n).all() and (n > 0).all()):
        raise InvalidValueError("a share's trend needs finite counts and totals > 0")
    if ((k < 0) | (k > n)).any():
        raise InvalidValueError("a share's events must lie between 0 and its total")
    big_n, pooled = n.sum(), k.sum() / n.sum()
    centre = (n * x).sum() / big_n
    spread = (n * (x - centre) ** 2).sum()
    slope = float((n * (k / n - pooled) * (x - centre)).sum() / spread)
    variance = float(pooled * (1 - pooled) / spread)
    z = float(stats.norm.ppf(1 - (1 - _level(level)) / 2))
    if variance == 0:  # every share 0% or 100%: nothing varies, nothing to test
        return Trend(trend=STEADY, trend_change=0.0, trend_lower=0.0, trend_upper=0.0,
                     trend_p=1.0, trend_unit="percentage points a year",
                     trend_method=_ARMITAGE)  # fmt: skip
    se = variance**0.5
    lower, upper = slope - z * se, slope + z * se
    return Trend(
        trend=_word(lower, upper),
        trend_change=100 * slope,
        trend_lower=100 * lower,
        trend_upper=100 * upper,
        trend_p=float(stats.chi2.sf(slope**2 / variance, 1)),
        trend_unit="percentage points a year",
        trend_method=_ARMITAGE,
    )


def _not_assessed(why: str) -> Trend:
    return Trend(trend=f"not assessed: {why}", trend_change=np.nan, trend_lower=np.nan,
                 trend_upper=np.nan, trend_p=np.nan, trend_unit="", trend_method="",
                 trend_from=pd.NaT)  # fmt: skip


def add_trends(
    rows: pd.DataFrame,
    history: pd.DataFrame | None = None,
    edition: Edition | str | None = None,
    *,
    windows: int = TREND_WINDOWS,
    level: float = 0.95,
) -> pd.DataFrame:
    """``rows`` of :func:`peelmetrics.compute` results with the columns of
    :data:`TREND_COLUMNS`: for each row, the trend over the ``windows`` yearly windows
    ending with the row's own (the row's period and those 12, 24, ... months before it),
    read from ``history`` (default: ``rows`` itself; pass the full results when ``rows``
    is one period of them).

    Every window must have a figure (not a dash) for the trend to be assessed; otherwise
    ``trend`` says why not. A fit per row: filter ``rows`` to the periods you show.

    >>> import peelmetrics as pm
    >>> results = pm.compute(pm.datasets.counts(), ["recorded_crime_per_1000"])
    >>> herts = results[(results.force == "E23000027")
    ...                 & (results.period_end == "2018-03-31")]
    >>> row = add_trends(herts, results).iloc[0]
    >>> row.trend, row.trend_unit, str(row.trend_from.date())
    ('rising', '% a year', '2014-03-31')
    """
    from peelmetrics.catalogue import for_results

    if not isinstance(rows, pd.DataFrame):
        raise InvalidValueError(f"rows must be a results DataFrame, not {type(rows).__name__}")
    if isinstance(windows, bool) or not isinstance(windows, int) or not 3 <= windows <= 50:
        raise InvalidValueError(f"windows is a whole number from 3 to 50, not {shorten(windows)}")
    _level(level)
    history = rows if history is None else history
    ed = for_results(history, edition)
    usable = history[
        history["value"].notna()
        & ~history["status"].isin(_DASHED)
        & history["numerator"].notna()
        & (history["denominator"] > 0)
    ]
    index = usable.set_index(["force", "metric", "period_months", "period_end"])[
        ["numerator", "denominator"]
    ]
    index = index[~index.index.duplicated()]
    found: list[Trend] = []
    for row in rows[["force", "metric", "period_end", "period_months"]].itertuples(index=False):
        found.append(_trend_of(ed, index, row, windows, level))
    table = pd.DataFrame(found, index=rows.index, columns=list(TREND_COLUMNS))
    return pd.concat([rows.drop(columns=list(TREND_COLUMNS), errors="ignore"), table], axis=1)


def _trend_of(edition: Edition, index: pd.DataFrame, row: Any, windows: int, level: float) -> Trend:
    metric = edition.metric(str(row.metric))
    if metric.kind is MetricKind.CHANGE:
        return _not_assessed("a change is already a comparison of two years")
    months = int(row.period_months)
    end = pd.Timestamp(row.period_end)
    try:
        last = Period(end, months)
    except InvalidValueError:
        return _not_assessed("not a window of the period grammar")
    ends = [pd.Timestamp(last.shifted(-12 * i).end) for i in range(windows)][::-1]
    keys = [(row.force, row.metric, months, e) for e in ends]
    have = index.reindex(pd.MultiIndex.from_tuples(keys, names=index.index.names))
    held = int(have["numerator"].notna().sum())
    if held < windows:
        return _not_assessed(f"{held} of the {windows} yearly windows have a figure")
    years = np.arange(windows, dtype="float64")
    k, n = have["numerator"].to_numpy(float), have["denominator"].to_numpy(float)
    if metric.kind is MetricKind.SHARE:
        found = share_trend(years, k, n, level)
    else:
        found = poisson_trend(years, k, n, level)
    found["trend_from"] = ends[0]
    return found


def over_time(
    results: pd.DataFrame,
    force: str,
    metric: str,
    *,
    peers: Mapping[str, Sequence[str]] | None = None,
    edition: Edition | str | None = None,
) -> pd.DataFrame:
    """Every period ``results`` hold for ``force``'s ``metric``, beside England and Wales
    (and its peers' figure, ratio of sums, when ``peers`` are given), oldest first.

    Columns: ``period_end``, ``period``, ``series`` (the force's name, "England and
    Wales", or "Peers of <force>"), ``force``, ``value``, ``display``, ``status``, and
    ``lower``/``upper`` where the results carry intervals.

    >>> import peelmetrics as pm
    >>> results = pm.compute(pm.datasets.counts(), ["recorded_crime_per_1000"])
    >>> table = over_time(results, "Hertfordshire", "recorded_crime_per_1000")
    >>> table.groupby("series").period_end.agg(["min", "max"]).astype(str)
                                      min         max
    series
    England and Wales          2003-03-31  2018-12-31
    Hertfordshire Constabulary 2003-03-31  2018-12-31
    """
    from peelmetrics.catalogue import for_results

    if not isinstance(results, pd.DataFrame):
        raise InvalidValueError(f"results must be a DataFrame, not {type(results).__name__}")
    ed = for_results(results, edition)
    m = ed.metric(metric)
    target = resolve_force(force)
    rows = results[(results["metric"] == m.id) & (results["period_months"] == m.period.months)]
    if peers:
        from peelmetrics.peers import peer_rows

        group = {target.code: tuple(peers.get(target.code, ()))}
        table = peer_rows(rows, group, ed)
        mine = table[table["force"] == target.code]
        peer_series = pd.DataFrame({
            "period_end": mine["period_end"], "series": f"Peers of {target.short_name}",
            "force": "", "value": mine["peer_value"], "display": mine["peer_display"],
            "status": "",
        })  # fmt: skip
    else:
        peer_series = None
    shown = rows[rows["force"].isin([target.code, ENGLAND_AND_WALES_CODE])].copy()
    if shown.empty:
        raise InvalidValueError(f"the results hold no {m.id} for {target.name}")
    shown["series"] = np.where(
        shown["force"] == ENGLAND_AND_WALES_CODE, "England and Wales", target.name
    )
    columns = ["period_end", "series", "force", "value", "display", "status"]
    columns += [c for c in ("lower", "upper", *TREND_COLUMNS) if c in shown.columns]
    parts = [shown[columns]] + ([peer_series] if peer_series is not None else [])
    table = pd.concat(parts, ignore_index=True)
    table["period"] = [
        str(m.period_label(Period(end, m.period.months))) for end in table["period_end"]
    ]
    order = ["period_end", "period", *[c for c in columns if c != "period_end"]]
    return table.sort_values(["series", "period_end"], kind="stable")[order].reset_index(drop=True)


def describe(row: Mapping[Any, Any]) -> str:
    """A row's trend in words: "rising, +2.1% a year (+1.5 to +2.7) since 2014"; the
    reason where it was not assessed; empty where no trend was asked for.

    >>> describe({"trend": "rising", "trend_change": 2.08, "trend_lower": 1.5,
    ...           "trend_upper": 2.7, "trend_unit": "% a year",
    ...           "trend_from": pd.Timestamp("2014-03-31")})
    'rising, +2.1% a year (+1.5 to +2.7) over the yearly windows since 2014-03-31'
    """
    word = row.get("trend")
    if not isinstance(word, str) or not word:
        return ""
    if word.startswith("not assessed"):
        return word
    unit = str(row["trend_unit"])
    gap = "" if unit.startswith("%") else " "
    since = pd.Timestamp(row["trend_from"]).date().isoformat()
    return (
        f"{word}, {float(row['trend_change']):+.1f}{gap}{unit} "
        f"({float(row['trend_lower']):+.1f} to {float(row['trend_upper']):+.1f}) over the "
        f"yearly windows since {since}"
    )


def trend_table(
    results: pd.DataFrame,
    force: str,
    metrics: Sequence[str] | str | None = None,
    edition: Edition | str | None = None,
    *,
    peers: Mapping[str, Sequence[str]] | None = None,
    windows: int | None = TREND_WINDOWS,
    level: float = 0.95,
) -> pd.DataFrame:
    """A force over time: :func:`over_time` for each of ``metrics`` (default: every metric
    of ``results`` that is not a change) with a ``metric`` column; ``windows`` (5; ``None``
    for none) adds the trend over that many yearly windows ending at each period, for the
    force and England and Wales (:func:`add_trends`, at ``level``). Compute ``results``
    with ``ci=`` for ``lower``/``upper``.

    >>> import peelmetrics as pm
    >>> results = pm.compute(pm.datasets.counts(), ["recorded_crime_per_1000"])
    >>> table = trend_table(results, "Hertfordshire")
    >>> years = table[table.series == "Hertfordshire Constabulary"].period_end.dt.year
    >>> int(years.min()), int(years.max())
    (2003, 2018)
    """
    from peelmetrics.catalogue import for_results

    if not isinstance(results, pd.DataFrame):
        raise InvalidValueError(f"results must be a DataFrame, not {type(results).__name__}")
    ed = for_results(results, edition)
    if isinstance(metrics, str):
        metrics = [metrics]
    present = list(dict.fromkeys(results["metric"].astype(str)))
    chosen = (
        [m.id for m in map(ed.metric, metrics)]
        if metrics
        else [m for m in present if ed.metric(m).kind is not MetricKind.CHANGE]
    )
    if windows is not None:
        mine = results["force"].isin([resolve_force(force).code, ENGLAND_AND_WALES_CODE])
        mine &= results["metric"].isin(chosen)
        annotated = add_trends(results[mine], results, ed, windows=windows, level=level)
        results = pd.concat([annotated, results[~mine]])
    parts = []
    for metric_id in chosen:
        try:
            table = over_time(results, force, metric_id, peers=peers, edition=ed)
        except InvalidValueError:
            if len(chosen) == 1:
                raise
            continue  # a metric the data hold nothing of for the force: left out
        parts.append(table.assign(metric=metric_id))
    if not parts:
        raise InvalidValueError(f"the results hold none of {', '.join(chosen)} for {force}")
    table = pd.concat(parts, ignore_index=True)
    return table[["metric", *[c for c in table.columns if c != "metric"]]]
