"""By-force bar charts like the report's Figures 1 and 2.

Forces are sorted from highest to lowest, England and Wales is a reference line, the
inspected force is highlighted (colour, hatching and a bold label, so it shows without
colour), and forces the caveats exclude are left out with a note under the chart that names
them and why. Titles and notes come from the catalogue, never from the caller.

Needs the ``charts`` extra (``pip install "peelmetrics[charts]"``); matplotlib is imported
only here, and only the object-oriented API is used, so no global backend is touched.
"""

from __future__ import annotations

import math
import textwrap
import threading
from collections.abc import Mapping, Sequence
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

import pandas as pd

from peelmetrics.caveats import Status
from peelmetrics.errors import InvalidValueError
from peelmetrics.forces import ENGLAND_AND_WALES_CODE, resolve_force
from peelmetrics.periods import Period

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.figure import Figure

    from peelmetrics.catalogue import Edition
    from peelmetrics.metrics import Metric
    from peelmetrics.periods import PeriodChoice

__all__ = [
    "PALETTE",
    "by_force",
    "dots",
    "funnel",
    "metric_chart",
    "save_figure",
    "svg_markup",
    "trend",
]

#: Okabe-Ito colours, safe for the common forms of colour blindness.
PALETTE = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442")
_GREY = "#9A9A9A"
_HIGHLIGHT = "#D55E00"
_DASH_STATUSES = frozenset(s.value for s in Status if s.shows_dash)


def _rows(results: pd.DataFrame, metric: str, period: Period) -> pd.DataFrame:
    return results[
        (results.metric == metric)
        & (results.period_end == pd.Timestamp(period.end))
        & (results.period_months == period.months)
    ]


def _drawable(forces: pd.DataFrame) -> pd.DataFrame:
    """Rows with a figure to draw: not dashed, nor hidden for a base the report does not use."""
    return forces[
        forces.value.notna() & ~forces.status.isin(_DASH_STATUSES) & (forces.display != "–")
    ]


def _label(metric: Metric) -> str:
    if metric.scale.value == "percent":
        return f"{metric.title} (%)"
    return metric.title


def metric_chart(
    counts: pd.DataFrame | None,
    metric: str,
    *,
    kind: Literal["bars", "funnel", "dots"] = "bars",
    highlight: str | None = None,
    previous: bool = False,
    stack: bool = False,
    overdispersion: bool = False,
    period: PeriodChoice | Period | date | str | None = None,
    show_partial: bool = False,
    edition: Edition | str | None = None,
) -> Figure:
    """A chart of ``metric`` by force, computed from ``counts`` (default: the bundled data)
    at ``period`` (any form of :func:`~peelmetrics.periods.parse_period`; default the
    report's): bars (:func:`by_force`, with ``previous`` and ``stack``), a funnel
    (:func:`funnel`, with ``overdispersion``) or dots (:func:`dots`). What
    ``peelmetrics chart`` draws.

    >>> figure = metric_chart(None, "dvpo_rate", kind="dots", highlight="Herts")
    >>> figure.axes[0].get_xlabel().split(",")[0]
    'DVPOs granted per 100 domestic abuse-related offences'
    """
    from peelmetrics._convert import expect_choice
    from peelmetrics._extras import need
    from peelmetrics.catalogue import get
    from peelmetrics.compute import chosen_period, compute
    from peelmetrics.datasets import counts as bundled

    need("matplotlib", "charts", "charts")
    expect_choice(kind, "kind", ("bars", "funnel", "dots"))
    ed = get(edition)
    chosen = ed.metric(metric)
    counts = bundled(ed) if counts is None else counts
    results = compute(counts, [chosen.id, *chosen.components], ed, show_partial=show_partial)
    when = chosen_period(chosen, period, counts)
    if kind == "funnel":
        return funnel(results, chosen.id, highlight, edition=ed, overdispersion=overdispersion,
                      period=when)  # fmt: skip
    if kind == "dots":
        return dots(results, chosen.id, highlight, edition=ed, period=when)
    return by_force(results, chosen.id, highlight=highlight, previous=previous, stack=stack,
                    edition=ed, period=when)  # fmt: skip


def by_force(
    results: pd.DataFrame,
    metric: str,
    highlight: str | None = None,
    previous: bool | Period | None = None,
    stack: bool | None = None,
    *,
    period: Period | None = None,
    edition: Edition | str | None = None,
) -> Figure:
    """A horizontal bar chart of ``metric`` by force, highest first.

    Parameters
    ----------
    results
        Output of :func:`peelmetrics.compute` holding the metric (and, for ``stack``, its
        components; for ``previous``, the earlier period).
    metric
        Metric id.
    highlight
        Force to highlight (any spelling).
    previous
        ``True`` for markers at the value a year earlier, or the :class:`Period` to mark;
        ``None`` or ``False`` for none.
    stack
        ``True`` to split each bar into the metric's components (Figure 1).
    period
        Period to draw (default: the metric's headline period).
    edition
        Catalogue edition (default: the one the results carry in their ``edition``
        column, else the catalogue default).

    Returns
    -------
    matplotlib.figure.Figure
        Save it with ``fig.savefig("chart.png", dpi=150)``.

    Raises
    ------
    InvalidValueError
        When the results hold no value of the metric for the period, or ``stack`` is asked
        of a metric without components.
    """
    from matplotlib.patches import Patch

    from peelmetrics._chart_figure import Chart
    from peelmetrics.catalogue import for_results

    edition = for_results(results, edition)
    m = edition.metric(metric)
    period = period or m.period
    rows = _rows(results, metric, period)
    forces = rows[(rows.force != ENGLAND_AND_WALES_CODE)]
    shown = _drawable(forces)
    if shown.empty:
        raise InvalidValueError(f"no {metric} values for {period} in the results to chart")
    shown = shown.sort_values(["value", "force_name"], ascending=[True, False])
    national = rows[rows.force == ENGLAND_AND_WALES_CODE]
    target = resolve_force(highlight).code if highlight else None

    names = [
        f"{n}*" if s != Status.OK.value else n
        for n, s in zip(shown.force_name, shown.status, strict=True)
    ]
    footnote = _footnote(edition, m, rows, shown)
    note_height = 0.14 * (footnote.count("\n") + 1) + 0.1
    height = max(4.0, 0.24 * len(shown) + 2.4) + note_height
    fig = Chart(figsize=(8.0, height), dpi=150, layout="constrained")
    ax, note_ax = fig.subplots(2, 1, height_ratios=[height - note_height, note_height])
    note_ax.axis("off")
    note_ax.text(0.0, 1.0, footnote, fontsize=6.5, va="top", ha="left", gid="footnote",
                 transform=note_ax.transAxes)  # fmt: skip
    y = list(range(len(shown)))
    highlighted = [code == target for code in shown.force]

    if stack:
        if not m.components:
            raise InvalidValueError(f"{metric} has no components to stack")
        left = pd.Series(0.0, index=shown.force)
        for colour, component in zip(PALETTE, m.components, strict=False):
            part = _rows(results, component, period).set_index("force")["value"]
            part = part.reindex(shown.force).fillna(0.0)
            label = edition.metric(component).title.split(",")[0]
            bars = ax.barh(
                y, part.to_numpy(), left=left.to_numpy(), color=colour, label=label, gid=component
            )
            _mark(bars, highlighted)
            left = left + part.to_numpy()
    else:
        colours = [_HIGHLIGHT if h else PALETTE[0] for h in highlighted]
        bars = ax.barh(y, shown.value.to_numpy(), color=colours, gid=metric)
        _mark(bars, highlighted)

    ax.set_yticks(y, names)
    for tick, is_target in zip(ax.get_yticklabels(), highlighted, strict=True):
        if is_target:
            tick.set_fontweight("bold")
    ax.tick_params(axis="y", labelsize=7)
    ax.set_ylim(-0.7, len(shown) - 0.3)
    ax.set_xlabel(f"{_label(m)}\n{period}", fontsize=8)
    ax.grid(axis="x", color="#DDDDDD", linewidth=0.6)
    ax.set_axisbelow(True)

    handles: list[Any] = []
    if not national.empty and not math.isnan(float(national.value.iloc[0])):
        value = float(national.value.iloc[0])
        line = ax.axvline(
            value, color="black", linestyle="--", linewidth=1.2, gid="england_and_wales"
        )
        line.set_label(f"England and Wales ({m.display(value)})")
        handles.append(line)
    if previous:
        earlier = previous if isinstance(previous, Period) else period.previous()
        before = _rows(results, metric, earlier).set_index("force")
        before = before[before.value.notna() & ~before.status.isin(_DASH_STATUSES)]
        xs = [before.value.get(code, float("nan")) for code in shown.force]
        marks = ax.scatter(xs, y, marker="D", s=14, color="black", zorder=3, gid="previous",
                           label=f"{earlier}")  # fmt: skip
        handles.append(marks)
    if target is not None and target in set(shown.force):
        name = shown.loc[shown.force == target, "force_name"].iloc[0]
        handles.append(Patch(facecolor="white", edgecolor="black", hatch="///", label=name))
    if stack:
        handles = [h for h in ax.get_legend_handles_labels()[0] if h not in handles] + handles
    if handles:
        ax.legend(handles=handles, fontsize=7, loc="lower right", framealpha=0.9)

    ax.set_title(f"{m.title}, by force", fontsize=10, loc="left")
    return fig


def dots(
    results: pd.DataFrame,
    metric: str,
    highlight: str | None = None,
    *,
    period: Period | None = None,
    edition: Edition | str | None = None,
) -> Figure:
    """A compact dot plot of ``metric`` by force: one dot per force on one axis, England and
    Wales as a dashed line, the highlighted force larger and named, the highest and lowest
    named. A fixed, modest height (a page of several charts prints on a few A4 pages); the
    forces left out are for the caller to say (see :func:`by_force` for every name).

    >>> import peelmetrics as pm
    >>> results = pm.compute(pm.datasets.counts("peel2017"), ["recorded_crime_per_1000"])
    >>> fig = dots(results, "recorded_crime_per_1000", highlight="Hertfordshire")
    >>> [round(float(x), 1) for x in fig.get_size_inches()]
    [8.0, 1.7]
    """
    from peelmetrics._chart_figure import Chart
    from peelmetrics.catalogue import for_results

    edition = for_results(results, edition)
    m = edition.metric(metric)
    period = period or m.period
    rows = _rows(results, metric, period)
    shown = _drawable(rows[rows.force != ENGLAND_AND_WALES_CODE]).sort_values("value")
    if shown.empty:
        raise InvalidValueError(f"no {metric} values for {period} in the results to chart")
    target = resolve_force(highlight).code if highlight else None
    fig = Chart(figsize=(8.0, 1.7), dpi=150, layout="constrained")
    ax = fig.subplots()
    values = shown.value.to_numpy(dtype=float)
    mine = (shown.force == target).to_numpy()
    ax.scatter(values[~mine], [0] * int((~mine).sum()), s=22, color=PALETTE[0], alpha=0.75,
               edgecolor="white", linewidth=0.4, gid=metric, zorder=2)  # fmt: skip
    national = rows[rows.force == ENGLAND_AND_WALES_CODE]
    if not national.empty and not math.isnan(float(national.value.iloc[0])):
        value = float(national.value.iloc[0])
        ax.axvline(value, color="black", linestyle="--", linewidth=1.0, gid="england_and_wales")
        ax.annotate(f"England and Wales {m.display(value)}", (value, 0.6), xytext=(3, 0),
                    textcoords="offset points", ha="left", fontsize=7)  # fmt: skip
    for i in dict.fromkeys([0, len(shown) - 1]):  # the lowest and the highest
        row = shown.iloc[i]
        if row.force != target:
            ax.annotate(f"{row.force_name} {row.display}", (row.value, 0), xytext=(0, -14),
                        textcoords="offset points", ha="center", fontsize=6.5,
                        color="#404040")  # fmt: skip
    if mine.any():
        row = shown[mine].iloc[0]
        ax.scatter([row.value], [0], s=90, color=_HIGHLIGHT, marker="D", edgecolor="black",
                   zorder=3, gid="highlight")  # fmt: skip
        ax.annotate(
            f"{row.force_name} {row.display}",
            (row.value, 0),
            xytext=(0, 12),
            textcoords="offset points",
            ha="center",
            fontsize=8,
            fontweight="bold",
        )
    ax.set_ylim(-1, 1)
    ax.set_yticks([])
    for side in ("left", "right", "top"):
        ax.spines[side].set_visible(False)
    ax.tick_params(axis="x", labelsize=7)
    ax.set_xlabel(f"{_label(m)}, {period}: {len(shown)} forces", fontsize=7.5)
    return fig


def _mark(bars: Any, highlighted: Sequence[bool]) -> None:
    for bar, is_target in zip(bars, highlighted, strict=True):
        if is_target:
            bar.set_hatch("///")
            bar.set_edgecolor("black")
            bar.set_linewidth(0.8)


def _footnote(edition: Edition, metric: Metric, rows: pd.DataFrame, shown: pd.DataFrame) -> str:
    """The data drawn (release and file) beside what the report used, the forces left out
    and why, and what an asterisk means: in titles, never ids."""
    from peelmetrics.releases import report_releases

    drawn = shown if not shown.empty else rows
    used = sorted({s for text in drawn["source"].dropna() for s in str(text).split("; ") if s})
    lines = [f"Data: {'; '.join(used) or 'none'}."]
    report = "; ".join(report_releases(metric, edition)) or metric.source
    other = "release_note" in drawn.columns and drawn["release_note"].fillna("").ne("").any()
    lines.append(f"The report used {report}" + ("; these figures come from another release."
                                                if other else "."))  # fmt: skip
    left_out = rows[(rows.force != ENGLAND_AND_WALES_CODE) & ~rows.force.isin(shown.force)]
    reasons: dict[str, list[str]] = {}
    for row in left_out.to_dict("records"):
        excluding = [
            c
            for c in (edition.caveat(i) for i in row["caveats"])
            if c.status.shows_dash or c.hides_value
        ]
        reason = "; ".join(c.title for c in excluding) if excluding else "no data supplied"
        reasons.setdefault(reason, []).append(str(row["force_name"]))
    for reason, names in sorted(reasons.items()):
        lines.append(f"Not shown ({reason}): {', '.join(sorted(names))}.")
    for row in shown[shown.status != Status.OK.value].to_dict("records"):
        status = str(row["status"])
        notes = [
            c.title for c in (edition.caveat(i) for i in row["caveats"]) if c.status.value == status
        ]
        lines.append(f"* {row['force_name']}: {status.replace('_', ' ')} ({'; '.join(notes)}).")
    national = rows[rows.force == ENGLAND_AND_WALES_CODE]
    if not national.empty:
        lines.append(
            "England and Wales is the ratio of sums over the forces shown and excludes British "
            "Transport Police (Annex A)."
        )
    return "\n".join(textwrap.fill(line, 150) for line in lines)


#: Control-limit levels drawn on a funnel plot (PHE's convention).
FUNNEL_LEVELS = (0.95, 0.998)


def funnel(
    results: pd.DataFrame,
    metric: str,
    highlight: str | None = None,
    *,
    period: Period | None = None,
    edition: Edition | str | None = None,
    overdispersion: bool = False,
) -> Figure:
    """A funnel plot: each force's value against its denominator, with control limits at
    95% and 99.8% around England and Wales.

    Limits use the normal approximation to the Poisson (rates) or binomial (shares) count at
    the England and Wales value: ``r ± z sqrt(r s / n)`` for a rate per ``s``, and
    ``r ± z 100 sqrt(p (1 - p) / n)`` for a share ``r = 100 p``; at police force sizes
    (thousands of events) it differs little from exact limits. Police counts are large, so
    plain limits are narrow and flag most forces; ``overdispersion=True`` widens them by the
    **multiplicative** factor ``sqrt(phi)``, ``phi`` the mean squared z-score of the forces
    after winsorising 10% at each end (Spiegelhalter, *Statistics in Medicine* 24, 2005).

    Forces without a figure are left out and named in the footnote, as on the bar chart.
    """
    import numpy as np

    from peelmetrics._chart_figure import Chart
    from peelmetrics.catalogue import for_results
    from peelmetrics.intervals import funnel_limits
    from peelmetrics.intervals import overdispersion as dispersion
    from peelmetrics.metrics import MetricKind

    edition = for_results(results, edition)
    m = edition.metric(metric)
    if m.kind is MetricKind.CHANGE:
        raise InvalidValueError(f"{metric} is a change: a funnel plot needs a rate or a share")
    period = period or m.period
    rows = _rows(results, metric, period)
    forces = rows[rows.force != ENGLAND_AND_WALES_CODE]
    shown = _drawable(forces)
    shown = shown[shown.denominator > 0]
    national = rows[rows.force == ENGLAND_AND_WALES_CODE]
    if shown.empty or national.empty or pd.isna(national.value.iloc[0]):
        raise InvalidValueError(
            f"a funnel plot of {metric} for {period} needs force values and an England and "
            "Wales value"
        )
    centre = float(national.value.iloc[0])
    n = shown.denominator.to_numpy(dtype=float)
    y = shown.value.to_numpy(dtype=float)
    share, per = m.kind is MetricKind.SHARE, m.scale.factor
    phi = dispersion(y, n, centre, share=share, per=per) if overdispersion else 1.0
    grid = np.geomspace(n.min() / 1.3, n.max() * 1.3, 200)
    fig = Chart(figsize=(8.0, 6.2), dpi=150, layout="constrained")
    grid_spec = fig.add_gridspec(2, 1, height_ratios=[1, 0.2])
    ax = fig.add_subplot(grid_spec[0])
    note_ax = fig.add_subplot(grid_spec[1])
    note_ax.axis("off")
    ax.set_xscale("log")
    ax.axhline(centre, color=_GREY, linewidth=1.0, label=f"England and Wales ({m.display(centre)})")
    for level, style in zip(FUNNEL_LEVELS, ("--", ":"), strict=True):
        low, high = funnel_limits(centre, grid, level, share=share, per=per, phi=phi)
        label = f"{level:.1%} limits".replace(".0%", "%")
        ax.plot(grid, high, style, color="black", linewidth=0.8, label=label)
        ax.plot(grid, low, style, color="black", linewidth=0.8)
    target = resolve_force(highlight).code if highlight else None
    mine = (shown.force == target).to_numpy()
    ax.scatter(n[~mine], y[~mine], s=14, color=PALETTE[0], alpha=0.8, label="Forces")
    if mine.any():
        ax.scatter(n[mine], y[mine], s=60, color=_HIGHLIGHT, marker="D", edgecolor="black",
                   label=str(shown.force_name[mine].iloc[0]), zorder=3)  # fmt: skip
    # Forces outside the outer limits are named: a reader must tell them apart.
    low, high = funnel_limits(centre, n, FUNNEL_LEVELS[-1], share=share, per=per, phi=phi)
    outside = (y < low) | (y > high)
    for x_, y_, name in zip(n[outside], y[outside], shown.force_name[outside], strict=True):
        ax.annotate(str(name), (x_, y_), xytext=(3, 2), textcoords="offset points", fontsize=5.5,
                    gid="outlier")  # fmt: skip
    below = edition.measure(m.denominator).title if m.denominator else "denominator"
    ax.set_xlabel(f"{below} (log scale)", fontsize=8)
    ax.set_ylabel(_label(m), fontsize=8)
    ax.grid(color="#DDDDDD", linewidth=0.6)
    ax.legend(fontsize=7, loc="upper right")
    method = "normal approximation"
    if overdispersion:
        method += f", widened for over-dispersion (multiplicative, phi = {phi:.1f})"
    else:
        method += (f"; {int(outside.sum())} of {len(y)} forces lie outside the 99.8% limits. "
                   "With denominators this large the limits are narrow, so real differences "
                   "between forces (not chance) put most outside; ask for over-dispersion "
                   "to widen them")  # fmt: skip
    limits = textwrap.fill(f"Control limits: {method}.", 150)
    note = f"{_footnote(edition, m, rows, shown)}\n{limits}"
    note_ax.text(0.0, 1.0, note, fontsize=6, va="top", ha="left", transform=note_ax.transAxes)
    ax.set_title(f"{m.title}: funnel plot, {period}", fontsize=10, loc="left")
    return fig


def trend(
    results: pd.DataFrame,
    force: str,
    metric: str,
    *,
    peers: Mapping[str, Sequence[str]] | None = None,
    edition: Edition | str | None = None,
    size: tuple[float, float] = (8.0, 4.2),
    titled: bool = True,
) -> Figure:
    """A force's ``metric`` over every period the results hold, beside England and Wales
    (and its peers' figure with ``peers``), as lines; interval bands where the results
    carry ``lower``/``upper`` (``compute(..., ci=0.95)``). The table behind it is
    :func:`peelmetrics.trends.over_time`; dashed periods are gaps in the line.
    ``titled=False`` leaves the title and axis label to the caller's caption (a small
    chart on a page, whose caption names the metric).
    """
    from peelmetrics._chart_figure import Chart
    from peelmetrics.catalogue import for_results
    from peelmetrics.trends import over_time

    ed = for_results(results, edition)
    m = ed.metric(metric)
    table = over_time(results, force, metric, peers=peers, edition=ed)
    drawn = table["value"].where(~table["status"].isin(_DASH_STATUSES) & (table["display"] != "–"))
    if drawn.isna().all():
        raise InvalidValueError(f"no {metric} values for {force} in the results to chart")
    fig = Chart(figsize=size, dpi=150, layout="constrained")
    ax = fig.add_subplot()
    styles = {"England and Wales": ("black", "--", "o")}
    for i, (series, part) in enumerate(table.assign(drawn=drawn).groupby("series", sort=False)):
        mine = series not in styles and not str(series).startswith("Peers")
        colour, line, marker = styles.get(
            str(series), (_HIGHLIGHT if mine else PALETTE[2 + i % 3], "-" if mine else ":", "o")
        )
        ends = pd.to_datetime(part["period_end"])
        ax.plot(ends, part["drawn"], line, color=colour, marker=marker, markersize=2.5,
                linewidth=1.6 if mine else 1.1, label=str(series))  # fmt: skip
        if {"lower", "upper"} <= set(part.columns) and part["lower"].notna().any():
            ax.fill_between(ends, part["lower"].astype(float), part["upper"].astype(float),
                            color=colour, alpha=0.15, linewidth=0)  # fmt: skip
    ax.tick_params(labelsize=7)
    ax.grid(color="#DDDDDD", linewidth=0.6)
    ax.legend(fontsize=7, loc="best")
    if titled:
        ax.set_ylabel(_label(m), fontsize=8)
        ax.set_title(f"{m.title}: {resolve_force(force).name} over time", fontsize=10,
                     loc="left")  # fmt: skip
    return fig


#: matplotlib's settings (``rc_context``) are one global dict: two threads saving at once
#: would each see the other's (labels drawn as glyph outlines, ids from another salt).
#: Saving is serialised; drawing the figures stays parallel.
_RENDERING = threading.Lock()


#: What each file a chart is saved as leaves out of its metadata (no creation date), by
#: suffix; the suffixes are the files :func:`save_figure` writes.
_UNDATED: Mapping[str, Mapping[str, None]] = {
    ".png": {},
    ".svg": {"Date": None},
    ".pdf": {"CreationDate": None},
}
SAVED_AS = tuple(_UNDATED)


def save_figure(figure: Figure, path: str | Path, *, dpi: int = 150) -> None:
    """Save ``figure`` as PNG, SVG or PDF (by ``path``'s suffix), byte-identical for the
    same chart: no creation date in the metadata and SVG ids from a fixed salt, so outputs
    can be diffed and cached."""
    from peelmetrics._extras import need

    matplotlib = need("matplotlib", "charts", "charts")
    target = Path(path)
    if target.suffix.lower() not in SAVED_AS:
        raise InvalidValueError(
            f"path: a chart is saved as .png, .svg or .pdf, not {target.name!r}"
        )
    with _RENDERING, matplotlib.rc_context({"svg.hashsalt": "peelmetrics"}):
        figure.savefig(target, dpi=dpi, metadata=_UNDATED[target.suffix.lower()])


def svg_markup(figure: Figure) -> str:
    """``figure`` as an ``<svg>`` element to put inline in HTML (no XML header or doctype),
    byte-identical for the same chart, like :func:`save_figure`. Labels stay text (not glyph
    outlines), so the page is small, searchable and read by screen readers."""
    import io

    import matplotlib

    buffer = io.StringIO()
    with _RENDERING, matplotlib.rc_context({"svg.hashsalt": "peelmetrics", "svg.fonttype": "none"}):
        figure.savefig(buffer, format="svg", metadata={"Date": None})
    text = buffer.getvalue()
    return text[text.index("<svg") :]
