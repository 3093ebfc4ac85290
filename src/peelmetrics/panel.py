"""The "Force in numbers" panel: one force's figures beside England and Wales and beside what
the report published.

The panel is a tidy DataFrame, one row per metric of the edition's panel (the report's
"Force in numbers" page, then the rates its text quotes: domestic abuse arrests and DVPOs per
100 domestic abuse-related offences, MARAC referrals per 10,000 adult females). It never
computes a metric itself: it selects rows of :func:`peelmetrics.compute` results.

Columns: ``metric``, ``title``, ``period``, ``period_end``, ``unit``, ``force``,
``force_name``, ``value``, ``display``, ``status``, ``caveats``, ``ew_value``,
``ew_display``, ``ew_status``, ``ew_excluded`` (forces left out of England and Wales),
``published``, ``ew_published``, ``agrees``, ``ew_agrees`` (``None`` where nothing was
published or nothing computed), ``published_note``, ``release_note`` (where a figure was
computed from a release other than the report's, the sentence naming both; see
:mod:`peelmetrics.releases`) and ``benchmark``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, Literal

import numpy as np
import pandas as pd

from peelmetrics._convert import expect_bool, expect_frame, expect_level
from peelmetrics.calc import agrees_with_published
from peelmetrics.compute import compute, periods_held_by_metric
from peelmetrics.counts import validate_counts
from peelmetrics.errors import InvalidValueError, shorten
from peelmetrics.forces import ENGLAND_AND_WALES_CODE, Force, resolve_force
from peelmetrics.metrics import Metric
from peelmetrics.periods import Period, PeriodChoice, not_covered, parse_period

if TYPE_CHECKING:  # pragma: no cover
    from peelmetrics.catalogue import Edition

__all__ = ["PANEL_COLUMNS", "Panel", "force_in_numbers", "summarise"]

PANEL_COLUMNS = (
    "metric", "title", "period", "period_end", "unit", "force", "force_name", "value",
    "display", "status", "caveats", "ew_value", "ew_display", "ew_status", "ew_excluded",
    "published", "ew_published", "agrees", "ew_agrees", "published_note", "release_note",
    "benchmark",
    "reason", "source", "lower", "upper", "comparison", "peer_display", "peers",
    "trend", "trend_change", "trend_lower", "trend_upper", "trend_unit", "trend_from",
    "trend_method", "ew_trend",
)  # fmt: skip


def force_in_numbers(
    force: str | Force,
    counts: pd.DataFrame | None = None,
    edition: Edition | str | None = None,
    *,
    period: PeriodChoice | Period | date | str | None = None,
    published: pd.DataFrame | None = None,
    national: Literal["complete", "available"] = "complete",
    show_partial: bool = False,
    ci: float | None = None,
    peers: Mapping[str, Sequence[str]] | None = None,
    peer_method: Literal["ratio_of_sums", "mean_of_rates"] = "ratio_of_sums",
    trend: int | None = None,
) -> pd.DataFrame:
    """The Force-in-numbers panel for ``force``.

    Parameters
    ----------
    force
        Any spelling :func:`~peelmetrics.resolve_force` accepts.
    counts
        Counts to compute from (default: the bundled :func:`peelmetrics.datasets.peel2017`).
        Pass several sources with :func:`~peelmetrics.concat_counts`.
    edition
        Catalogue edition (default: PEEL 2017).
    published
        Published figures to compare with (default: the bundled PEEL 2017 table when the
        edition is PEEL 2017); columns as :func:`peelmetrics.datasets.published`.
    period
        The period to show, in any form of :func:`~peelmetrics.periods.parse_period`
        (``"2018-03-31"``, ``"2018-03"``, ``"March 2018"``, ``"2017/18"``, ``"latest"``):
        every metric for the window of its own length ending then (as at that date for
        as-at metrics); ``latest`` takes each metric's latest window in the data. Default
        (``None`` or ``"report"``): the report's own periods. A date the data do not reach
        for any metric raises :class:`~peelmetrics.errors.PeriodNotCoveredError`.
    national
        Passed to :func:`~peelmetrics.compute`.
    ci
        A confidence level (0.95): the rows gain ``lower``, ``upper`` and ``comparison``
        with England and Wales (see :mod:`peelmetrics.intervals`).
    peers, peer_method
        Peer groups (force code -> peer codes, see :func:`peelmetrics.peers.read_peers`):
        the rows gain ``peer_display`` and ``peers`` (the forces used), by ratio of sums
        or, if asked, the mean of the peers' rates.
    trend
        A number of yearly windows (5): the rows gain ``trend`` ("rising", "falling", "no
        significant change" or why not assessed), ``trend_change`` with its interval and
        unit, ``trend_from`` and ``ew_trend`` (England and Wales's word); see
        :mod:`peelmetrics.trends`.

    Examples
    --------
    >>> panel = force_in_numbers("Hertfordshire")
    >>> row = panel.set_index("metric").loc["dvpo_rate"]
    >>> row.display, row.published, row.agrees
    ('0.7', '0.7', True)
    >>> share = panel.set_index("metric").loc["domestic_abuse_share_of_crime"]
    >>> share.display, share.agrees
    ('12%', True)
    """
    from peelmetrics import datasets
    from peelmetrics.catalogue import get as get_edition

    ed = get_edition(edition)
    target = resolve_force(force)
    if ci is not None:
        expect_level(ci)
    expect_bool(show_partial, "show_partial")
    if published is not None:
        lacking = {"force", "metric", "period_end", "published"} - set(
            expect_frame(published, "published").columns)  # fmt: skip
        if lacking:
            raise InvalidValueError(f"published: lacks columns {', '.join(sorted(lacking))} "
                                    "(see datasets.published)")  # fmt: skip
    if peers is not None and not isinstance(peers, Mapping):
        raise InvalidValueError(f"peers: a mapping of force -> peer forces, not {shorten(peers)}")
    if trend is not None and (isinstance(trend, bool) or not isinstance(trend, int)):
        raise InvalidValueError(f"trend: a whole number of yearly windows, not {shorten(trend)}")
    # Checked where it comes in: an empty or wrong frame is a typed error naming what is
    # missing, as compute gives, never a KeyError from the period scan.
    counts = datasets.counts(ed) if counts is None else validate_counts(counts, edition=ed)
    if published is None and ed.bundled is not None:
        published = datasets.published(ed)
    choice = parse_period(period)
    held = periods_held_by_metric(counts, [ed.metric(m) for m in ed.panel])
    wanted = {m: choice.for_metric(ed.metric(m), held[m]) for m in ed.panel}
    if choice.kind == "date" and not any(wanted[m] in held[m] for m in ed.panel):
        first = wanted[ed.panel[0]]
        raise not_covered(first, [p for h in held.values() for p in h], "panel figures")
    history = range(trend or 1)  # a trend reads the yearly windows before the one shown
    windows = [(ed.metric(m), p.shifted(-12 * i)) for m, p in wanted.items() for i in history]
    results = compute(
        _needed(counts, windows),
        list(ed.panel),
        ed,
        national=national,
        show_partial=show_partial,
        ci=ci,
    )
    if peers:
        from peelmetrics.peers import peer_rows

        group = {target.code: tuple(peers.get(target.code, ()))}
        peer_table = peer_rows(results, group, ed, method=peer_method)
        results = results.merge(
            peer_table, on=["force", "metric", "period_end", "period_months"], how="left"
        )
    # Each table is indexed once by (force, metric, period end); rows are then looked up.
    mine = results[results.force.isin([target.code, ENGLAND_AND_WALES_CODE])]
    if trend is not None:
        from peelmetrics.trends import add_trends

        shown = pd.Series(list(zip(mine.metric, mine.period_end, mine.period_months, strict=True)),
                          index=mine.index).isin(
            {(m, pd.Timestamp(p.end), p.months) for m, p in wanted.items()})  # fmt: skip
        mine = add_trends(mine[shown], mine, ed, windows=trend, level=ci or 0.95)
    lookup = _by_key(mine)
    printed = (
        {}
        if published is None
        else _by_key(published[published.force.isin([target.code, ENGLAND_AND_WALES_CODE])])
    )
    rows = [_panel_row(ed, m, when, target, lookup, printed, held[m]) for m, when in wanted.items()]
    return Panel(pd.DataFrame(rows, columns=list(PANEL_COLUMNS)))


class Panel(pd.DataFrame):
    """The Force-in-numbers panel: a DataFrame with one row per panel metric.

    Every pandas operation works as usual (and gives a plain DataFrame); the panel itself
    prints as the report's table, in a terminal and (as HTML) in a notebook, instead of 28
    columns cut off with "...".

    A service returns :meth:`records` (NaN as ``None``: strict JSON), not
    ``to_dict(orient="records")``, whose NaN a JSON encoder refuses.

    >>> panel = force_in_numbers("Hertfordshire")
    >>> isinstance(panel, pd.DataFrame), "DVPOs granted" in repr(panel)
    (True, True)
    >>> import json
    >>> row = panel.records()[0]
    >>> row["metric"], row["value"], json.loads(json.dumps(row, allow_nan=False))["value"]
    ('calls_for_assistance_per_1000', None, None)
    """

    def records(self) -> list[dict[str, Any]]:
        """The rows as JSON-ready dicts: NaN as ``None``, dates as ISO text, tuples as lists
        (what ``peelmetrics force-in-numbers --format json`` prints)."""
        from peelmetrics.report import panel_records

        return panel_records(self)

    def json(self) -> str:
        """:meth:`records` as strict JSON text (no NaN), ending with a newline."""
        from peelmetrics.report import panel_to_json

        return panel_to_json(self)

    def __repr__(self) -> str:
        if not set(_SHOWN) <= set(self.columns):  # pragma: no cover - columns dropped
            return super().__repr__()
        from peelmetrics.report import panel_to_table

        return panel_to_table(self)

    def _repr_html_(self) -> str | None:
        if not set(_SHOWN) <= set(self.columns) or self.empty:  # pragma: no cover
            html: str | None = pd.DataFrame(self)._repr_html_()  # type: ignore[operator]
            return html
        from peelmetrics._display import html_table

        force = str(self["force_name"].iloc[0])
        rows = [[r[c] for c in _SHOWN] for r in self.to_dict("records")]
        published = [("" if p is None or p != p else p) for p in self["published"]]
        rows = [[*r[:4], p, r[5]] for r, p in zip(rows, published, strict=True)]
        headers = ["Metric", "Period", force, "England and Wales", "Published", "Status"]
        return html_table(headers, rows, f"{force}: Force in numbers")


#: Columns the panel shows when printed.
_SHOWN = ("title", "period", "display", "ew_display", "published", "status")


def _needed(counts: pd.DataFrame, periods: Iterable[tuple[Metric, Period]]) -> pd.DataFrame:
    """The counts the panel can read: its windows, the years before them (for changes) and
    every as-at count (populations, whichever year a rule picks). A panel is one period;
    computing the other sixty the Counts may hold would only cost time."""
    # One integer per (end day, months) key, so the rows are found by one membership test.
    wanted_keys = np.array(
        [np.datetime64(p.end, "D").astype(np.int64) * 16 + p.months
         for m, q in periods for p in (q, m.base_for(q))],
        dtype=np.int64,
    )  # fmt: skip
    ends = counts["period_end"].to_numpy("datetime64[D]").astype(np.int64)
    months = counts["period_months"].to_numpy(np.int64)
    wanted = np.isin(ends * 16 + months, wanted_keys) | (months == 0)
    needed: pd.DataFrame = counts[wanted]
    return needed


_Key = tuple[str, str, pd.Timestamp]
#: What a panel row shows where the counts hold nothing at all for its period.
_NOTHING = MappingProxyType(
    {"value": float("nan"), "display": "–", "status": "not_supplied", "caveats": (),
     "excluded": (), "source": ""}
)  # fmt: skip


def _by_key(table: pd.DataFrame) -> dict[_Key, dict[Any, Any]]:
    records = table.to_dict("records")
    return {(str(r["force"]), str(r["metric"]), pd.Timestamp(r["period_end"])): r for r in records}


def _published(printed: Mapping[_Key, Mapping[str, Any]], key: _Key) -> tuple[str | None, str]:
    row = printed.get(key)
    if row is None:
        return None, ""
    note = str(row.get("note", "") or "")
    if str(row.get("certainty", "stated")) != "stated":
        # How the figure was attributed is the data's provenance (datasets.published's
        # note); a reader of the panel needs only to know it was matched, not stated.
        note = (
            "The report shows this figure in a chart; matched to this row by its place "
            "there, the match is likely but not certain."
        )
    return str(row["published"]), note


def _sentence(text: str) -> str:
    text = text.strip()
    return text[:1].upper() + text[1:] + ("" if text.endswith(".") else ".")


def _agrees(value: float, published: str | None) -> bool | None:
    if published is None or value != value:  # NaN: nothing computed to compare
        return None
    return agrees_with_published(value, published)


def _panel_row(
    edition: Edition,
    metric_id: str,
    period: Period,
    force: Force,
    results: Mapping[_Key, Mapping[str, Any]],
    printed: Mapping[_Key, Mapping[str, Any]],
    held: Sequence[Period] = (),
) -> dict[str, Any]:
    metric = edition.metric(metric_id)
    end = pd.Timestamp(period.end)
    mine = results.get((force.code, metric_id, end), _NOTHING)
    national = results.get((ENGLAND_AND_WALES_CODE, metric_id, end), _NOTHING)
    pub, note = _published(printed, (force.code, metric_id, end))
    ew_pub, ew_note = _published(printed, (ENGLAND_AND_WALES_CODE, metric_id, end))
    # A row computed from a release other than the report's says so, naming both.
    releases = [str(r.get("release_note") or "") for r in (mine, national)]
    release = " ".join(dict.fromkeys(r for r in releases if r))
    return {
        "metric": metric_id,
        "title": metric.title,
        "period": metric.period_label(period),
        "period_end": end,
        "unit": metric.unit,
        "force": force.code,
        "force_name": force.name,
        "value": mine["value"],
        "display": mine["display"],
        "status": mine["status"],
        "caveats": mine["caveats"],
        "ew_value": national["value"],
        "ew_display": national["display"],
        "ew_status": national["status"],
        "ew_excluded": national["excluded"],
        "published": pub,
        "ew_published": ew_pub,
        "agrees": _agrees(mine["value"], pub),
        "ew_agrees": _agrees(national["value"], ew_pub),
        "published_note": _sentence(note or ew_note) if (note or ew_note) else "",
        "release_note": release,
        "benchmark": metric.benchmark,
        "reason": _reason(edition, metric_id, mine, national, _beyond(period, held)),
        "source": mine["source"],
        "lower": mine.get("lower"),
        "upper": mine.get("upper"),
        "comparison": mine.get("comparison"),
        "peer_display": mine.get("peer_display"),
        "peers": mine.get("peers"),
        "trend": mine.get("trend"),
        "trend_change": mine.get("trend_change"),
        "trend_lower": mine.get("trend_lower"),
        "trend_upper": mine.get("trend_upper"),
        "trend_unit": mine.get("trend_unit"),
        "trend_from": _iso(mine.get("trend_from")),
        "trend_method": mine.get("trend_method"),
        "ew_trend": national.get("trend"),
    }


def _iso(day: Any) -> str | None:
    return None if day is None or pd.isna(day) else pd.Timestamp(day).date().isoformat()


def _beyond(period: Period, held: Sequence[Period]) -> str:
    """Where a window lies outside the data, the sentence that says so."""
    if not held or period in held:
        return ""
    if period > max(held):
        return f"The latest data are {_for(max(held))}."
    if period < min(held):
        return f"The earliest data are {_for(min(held))}."
    return ""


def _for(period: Period) -> str:
    return str(period) if period.is_as_at else f"for the {period}"


def _unfilled(edition: Edition, metric_id: str, row: Mapping[str, Any]) -> str:
    """Which measures a dash with no count waits for, by title (``peelmetrics metrics
    --measures`` gives each title's id for a Counts file)."""
    metric = edition.metric(metric_id)
    titles = {m.id: m.title for m in edition.measures}
    change = metric.kind.value == "change"
    wanted = [titles.get(m, m) for m in metric.numerator] if pd.isna(row.get("numerator")) else []
    if pd.isna(row.get("denominator")):
        wanted += (
            [f"{titles.get(m, m)} for the year before" for m in metric.numerator]
            if change
            else [titles.get(metric.denominator or "", metric.denominator or "")]
        )
    needed = "; ".join(dict.fromkeys(w for w in wanted if w))
    return "No count was supplied for this period" + (f"; it needs: {needed}." if needed else ".")


def _reason(
    edition: Edition,
    metric_id: str,
    row: Mapping[str, Any],
    national: Mapping[str, Any] | None = None,
    beyond: str = "",
) -> str:
    """Why a value is not shown as a figure, or is partial (the force's or England and
    Wales's), in words (empty otherwise)."""
    gaps = row.get("missing_months") or ""
    partial = [f"Partial: no records for {gaps}."] if gaps else []
    ew_gaps = (national or {}).get("missing_months") or ""
    if ew_gaps:
        partial.append(f"England and Wales partial: no records for {ew_gaps}.")
    if row["display"] != "–":
        return " ".join(partial)
    caveats = [edition.caveat(str(c)) for c in row["caveats"]]
    # The reason that decides the dash comes first and alone: a value "not comparable" is
    # a dash even with partial values asked for, so "ask for partial values to see it"
    # (a hidden base) would mislead beside it (City of London's OCGs, Annex A).
    deciding = [c for c in caveats if c.status.shows_dash]
    said = [c.detail or c.text for c in deciding or [c for c in caveats if c.hides_value]]
    if not said and pd.isna(row["value"]):
        said.append(beyond or _unfilled(edition, metric_id, row))
    return " ".join(dict.fromkeys(said + partial))


def summarise(panel: pd.DataFrame, level: float | None = None) -> list[str]:
    """How the force compares with England and Wales, in words: one sentence per metric
    with both figures (with the comparison test's result where intervals were asked for),
    then one naming the metrics without a figure. For the top of a page a reader has five
    minutes for.

    ``level`` is the interval level the panel was computed with (``ci``), said beside each
    comparison.

    >>> lines = summarise(force_in_numbers("Hertfordshire", ci=0.95), level=0.95)
    >>> print(lines[0])  # doctest: +NORMALIZE_WHITESPACE
    Anti-social behaviour incidents per 1,000 population: 29 against 31 for England and
    Wales (lower at the 95% level).
    >>> print(lines[1])
    Change in ASB incidents: +24% against +0.12% for England and Wales.
    """
    said: list[str] = []
    missing: list[str] = []
    for row in panel.to_dict("records"):
        mine, theirs = str(row["display"]), str(row["ew_display"])
        if mine == "–":
            missing.append(str(row["title"]))
            continue
        line = f"{row['title']}: {mine}"
        line += f" against {theirs} for England and Wales" if theirs != "–" else (
            " (no England and Wales figure)")  # fmt: skip
        compared = str(row.get("comparison") or "")
        if compared in ("higher", "lower", "similar"):
            line += f" ({compared} at the {level:.0%} level)" if level else f" ({compared})"
        said.append(line + ".")
    if missing:
        said.append(f"No figure for {len(missing)} of {len(panel)} metrics (a dash below): "
                    f"{'; '.join(missing)}.")  # fmt: skip
    return said
