"""The Force-in-numbers page as one self-contained HTML file.

HMICFRS publishes these figures only inside PDFs. :func:`report_html` writes a page to send
round: the panel beside England and Wales and the published figures, a by-force chart for
each panel metric with the force highlighted (inline SVG, with a text alternative giving its
key figures), the judgments (what is carried forward, what is inferred, what is unknown),
the caveats and the forces left out in words, and the sources and licence.

The page makes no network requests and needs no JavaScript: styles are inline, charts are
inline SVG. It is rendered by Jinja2 with autoescaping, so any text from input files (a
force or source name with HTML or script in it) is shown as text, never run. It reads at
360 px wide and prints on A4. Needs the ``report`` extra (Jinja2 and matplotlib).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import TYPE_CHECKING, Any

import pandas as pd

from peelmetrics.forces import BTP_CODE, ENGLAND_AND_WALES_CODE, force_by_code, resolve_force
from peelmetrics.trends import TREND_WINDOWS, describe

if TYPE_CHECKING:  # pragma: no cover
    from peelmetrics.catalogue import Edition
    from peelmetrics.periods import PeriodChoice

__all__ = ["report_html"]

_WORDS = {
    "not_supplied": "Not supplied.",
    "not_comparable": "Not comparable.",
    "excluded": "Excluded.",
    "partial": "Partial.",
    "estimated": "Estimated.",
}


def report_html(
    force: str,
    counts: pd.DataFrame | None = None,
    edition: Edition | str | None = None,
    *,
    period: PeriodChoice | date | str | None = None,
    ci: float | None = None,
) -> str:
    """The Force-in-numbers page for ``force`` as one HTML document (a string): the panel
    (at ``period``, any form :func:`~peelmetrics.periods.parse_period` reads), by-force
    charts, a small chart over time per metric with its trend, the judgments, the caveats
    and the sources.

    >>> page = report_html("Hertfordshire")
    >>> page.startswith("<!DOCTYPE html>"), "<script" in page, page.count("<svg") >= 2
    (True, False, True)
    """
    from peelmetrics._extras import need

    jinja2 = need("jinja2", "the HTML page", "report")
    need("matplotlib", "the HTML page", "report")
    from peelmetrics import __version__, datasets
    from peelmetrics.catalogue import get
    from peelmetrics.compute import compute
    from peelmetrics.judgments import judgment_rows
    from peelmetrics.panel import force_in_numbers, summarise

    ed = get(edition)
    target = resolve_force(force)
    data = counts if counts is not None else datasets.counts(ed)
    from peelmetrics._extras import installed

    trend = TREND_WINDOWS if installed("statsmodels") else None
    panel = force_in_numbers(target, data, ed, period=period, ci=ci, trend=trend)
    # Where the data reach further than the panel's period, the latest figures stand beside
    # it: a user's own later data fill the report's dashes.
    latest = force_in_numbers(target, data, ed, period="latest").set_index("metric")
    results = compute(data, list(ed.panel), ed)
    year = int(pd.Timestamp(panel["period_end"].max()).year)
    environment = jinja2.Environment(
        loader=jinja2.PackageLoader("peelmetrics", "templates"),
        autoescape=jinja2.select_autoescape(default=True, default_for_string=True),
    )
    judgments = [_judgment(r) for r in judgment_rows(ed.judgments, target.code, year,
                                                       ed.questions)]  # fmt: skip
    notes: dict[str, int] = {}  # filled by the rows, in the order they cite them
    rows = [
        _row({str(k): v for k, v in r.items()}, latest, notes) for r in panel.to_dict("records")
    ]
    page: str = environment.get_template("report.html.j2").render(
        force_name=target.name,
        force_short=target.short_name,
        edition_title=ed.title,
        version=__version__,
        summary=summarise(panel, level=ci),
        rows=rows,
        notes=list(notes),
        later=bool((latest["period_end"] != panel.set_index("metric")["period_end"]).any()),
        charts=_charts(results, panel, target.code, ed),
        trends=_trend_charts(results, panel, target.code, ed),
        trend_method=_TREND_METHOD,
        judgments=judgments,
        year=year,
        caveats=_caveats(panel, ed),
        excluded=_excluded(panel, ed),
        sources=_sources(panel, ed if counts is None else None),
    )
    return page


def _judgment(row: Mapping[str, Any]) -> dict[str, str]:
    """A judgment row (:func:`~peelmetrics.judgments.judgment_rows`) in the page's words."""
    if row["grade"] is None:
        return {"question": row["question"], "grade": "unknown", "year": "",
                "note": "not stated in the catalogue"}  # fmt: skip
    note = f"Inferred: {row['note']}" if row["inferred"] else ""
    return {"question": row["question"], "grade": str(row["grade"]), "year": str(row["year"]),
            "note": note}  # fmt: skip


def _row(
    row: dict[str, Any], latest: pd.DataFrame | None = None, notes: dict[str, int] | None = None
) -> dict[str, Any]:
    """A panel row as the page shows it: short cells, and every longer remark numbered once
    in ``notes`` (text -> number), shared by the rows that make it, as the report's own
    footnotes are."""
    clean = {key: _text(value) for key, value in row.items()}
    if latest is not None and row["metric"] in latest.index:
        later = latest.loc[row["metric"]]
        if pd.Timestamp(later["period_end"]) != pd.Timestamp(row["period_end"]):
            clean |= {"latest_period": str(later["period"]),
                      "latest_display": str(later["display"]),
                      "latest_ew_display": str(later["ew_display"])}  # fmt: skip
    remarks = []
    for key in ("reason", "published_note", "release_note"):
        if clean.get(key):
            remarks.append(clean[key])
    if clean.get("ew_published"):
        remarks.append(f"England and Wales published: {clean['ew_published']}.")
    if clean.get("comparison"):
        remarks.append(f"Against England and Wales: {clean['comparison']}.")
    said = describe(row) if clean["display"] != "–" else ""
    if said and not said.startswith("not assessed"):
        remarks.append(f"Trend: {said}.")
    book = notes if notes is not None else {}
    refs = [book.setdefault(r, len(book) + 1) for r in remarks]
    status = clean["status"]
    short = _WORDS.get(status, status) if status != "ok" else ""
    return {**clean, "agrees": row.get("agrees"), "status_words": short,
            "refs": sorted(set(refs))}  # fmt: skip


def _text(value: Any) -> str:
    """A cell as page text: missing values (None, NaN, NA) are blank, never "nan"."""
    if value is None or (not isinstance(value, (list, tuple, dict)) and pd.isna(value)):
        return ""
    return str(value)


def _charts(
    results: pd.DataFrame, panel: pd.DataFrame, force: str, edition: Edition
) -> list[dict[str, str]]:
    """A compact dot plot per panel metric held for two or more forces; the caption names
    the data drawn and the forces without a figure, in words."""
    from peelmetrics.charts import dots, svg_markup

    charts = []
    for record in panel.to_dict("records"):
        row = {str(k): v for k, v in record.items()}
        metric = str(row["metric"])
        m = edition.metric(metric)
        when = results[(results.metric == metric)
                       & (results.period_end == pd.Timestamp(row["period_end"]))
                       & (results.period_months == m.period.months)]  # fmt: skip
        forces = when[when.force != ENGLAND_AND_WALES_CODE]
        rows = forces[forces.display != "–"]
        if len(rows) < 2:
            continue
        svg = svg_markup(dots(results, metric, highlight=force, edition=edition,
                              period=_period_of(m, row)))  # fmt: skip
        ordered = rows.sort_values("value")
        alt = (
            f"Dot plot of {m.title}, {row['period']}, by force: "
            f"{force_by_code(force).short_name} {row['display']}, England and Wales "
            f"{row['ew_display']}; highest {ordered.iloc[-1].force_name} "
            f"{ordered.iloc[-1].display}, lowest {ordered.iloc[0].force_name} "
            f"{ordered.iloc[0].display}; {len(rows)} forces shown."
        )
        geographic = forces[forces.force != BTP_CODE]  # BTP is out of scope, not missing
        absent = geographic[geographic.display == "–"].force_name.tolist()
        caption = f"{m.title}, {row['period']}."
        if absent:
            caption += f" No figure for {', '.join(absent)}."
        charts.append({"svg": svg, "alt": alt, "caption": caption})
    return charts


_TREND_METHOD = (
    f"A trend says whether a figure has been rising, falling or not changing significantly "
    f"over the last {TREND_WINDOWS} yearly windows (95% interval of the annual change): a "
    "Poisson log-linear regression for rates, a chi-squared test for trend for shares."
)


def _trend_charts(
    results: pd.DataFrame, panel: pd.DataFrame, force: str, edition: Edition
) -> list[dict[str, str]]:
    """A small line chart per panel metric the data hold in three or more periods."""
    from peelmetrics.charts import svg_markup, trend
    from peelmetrics.metrics import MetricKind

    charts = []
    for metric in dict.fromkeys(panel["metric"]):
        m = edition.metric(str(metric))
        mine = results[
            (results.metric == m.id) & (results.force == force) & (results.display != "–")
            & (results.period_months == m.period.months)
        ]  # fmt: skip
        if m.kind is MetricKind.CHANGE or mine["period_end"].nunique() < 3:
            continue
        figure = trend(results, force, m.id, edition=edition, size=(4.2, 2.4), titled=False)
        svg = svg_markup(figure)
        first, last = mine.sort_values("period_end").iloc[[0, -1]].to_dict("records")
        alt = (
            f"Line chart of {m.title} for {force_by_code(force).short_name} and England and "
            f"Wales, {len(mine)} periods from {m.period_label(_period_of(m, first))} "
            f"({first['display']}) to {m.period_label(_period_of(m, last))} ({last['display']})."
        )
        charts.append({"svg": svg, "alt": alt, "caption": f"{m.title}, over time."})
    return charts


def _period_of(metric: Any, row: Mapping[Any, Any]) -> Any:
    from peelmetrics.periods import Period

    return Period(pd.Timestamp(row["period_end"]).date(), metric.period.months)


def _caveats(panel: pd.DataFrame, edition: Edition) -> list[Any]:
    ids = dict.fromkeys(i for ids in panel["caveats"] for i in ids)
    return [edition.caveat(str(i)) for i in ids]


def _excluded(panel: pd.DataFrame, edition: Edition) -> list[str]:
    """One line per metric whose England and Wales figure on the page leaves forces out:
    the metric's title, each force and why, in the caveats' titles (Annex A rule 8: a
    dashed England and Wales figure leaves nobody out, so it gets no line)."""
    lines = []
    for row in panel.to_dict("records"):
        if row["ew_display"] == "–":
            continue
        said: dict[str, list[str]] = {}
        for item in row["ew_excluded"] or ():
            reason = str(item["reason"])
            if reason == "no data supplied":
                continue
            why = edition.caveat(reason).title if reason in _caveat_ids(edition) else reason
            said.setdefault(why, []).append(force_by_code(item["force"]).short_name)
        if said:
            parts = "; ".join(f"{', '.join(names)} ({why})" for why, names in said.items())
            lines.append(f"{row['title']}: leaves out {parts}.")
    return lines


def _caveat_ids(edition: Edition) -> set[str]:
    return {c.id for c in edition.caveats}


def _sources(panel: pd.DataFrame, bundled: Edition | None) -> list[str]:
    """Each source the panel's figures used, once, with its release where the bundle's
    provenance describes the file (never a file of the build itself)."""
    used = dict.fromkeys(
        part for text in panel["source"].fillna("") for part in str(text).split("; ") if part
    )
    releases: dict[str, str] = {}
    if bundled is not None and bundled.bundled:
        from peelmetrics.datasets import provenance

        releases = {str(s["file"]): str(s["release"]) for s in provenance(bundled)["sources"]}
    listed = []
    for source in used:
        release = next((r for f, r in releases.items() if source.endswith(f": {f}")), "")
        listed.append(f"{source} ({release})" if release else source)
    return listed
