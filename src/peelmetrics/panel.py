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
published or nothing computed), ``published_note`` and ``benchmark``.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any, Literal

import pandas as pd

from peelmetrics.calc import agrees_with_published
from peelmetrics.compute import compute
from peelmetrics.forces import ENGLAND_AND_WALES_CODE, Force, resolve_force
from peelmetrics.periods import Period

if TYPE_CHECKING:  # pragma: no cover
    from peelmetrics.catalogue import Edition

__all__ = ["PANEL_COLUMNS", "force_in_numbers"]

PANEL_COLUMNS = (
    "metric", "title", "period", "period_end", "unit", "force", "force_name", "value",
    "display", "status", "caveats", "ew_value", "ew_display", "ew_status", "ew_excluded",
    "published", "ew_published", "agrees", "ew_agrees", "published_note", "benchmark",
)  # fmt: skip


def force_in_numbers(
    force: str | Force,
    counts: pd.DataFrame | None = None,
    edition: Edition | None = None,
    *,
    period: date | str | None = None,
    published: pd.DataFrame | None = None,
    national: Literal["complete", "available"] = "complete",
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
        edition is PEEL 2017); columns as :func:`peelmetrics.datasets.peel2017_published`.
    period
        End date to recompute the panel for (``"2018-03-31"``): every metric for the window
        of its own length ending then (as at that date for as-at metrics). Default: the
        report's own periods.
    national
        Passed to :func:`~peelmetrics.compute`.

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
    from peelmetrics.catalogue.peel2017 import edition as peel2017

    edition = edition or peel2017()
    target = resolve_force(force)
    bundled = counts is None
    if counts is None:
        counts = datasets.peel2017()
    if published is None:
        published = datasets.peel2017_published() if edition.id == "peel2017" else None
    results = compute(counts, list(edition.panel), edition, national=national)
    revisions = _revision_notes() if bundled else {}
    rows = []
    for metric_id in edition.panel:
        metric = edition.metric(metric_id)
        when = metric.period if period is None else _period_ending(period, metric.period.months)
        rows.append(_panel_row(edition, metric_id, when, target, results, published, revisions))
    return pd.DataFrame(rows, columns=list(PANEL_COLUMNS))


def _period_ending(end: date | str, months: int) -> Period:
    day = pd.Timestamp(end).date()
    return Period.as_at(day) if months == 0 else Period(day, months)


def _revision_notes() -> dict[str, str]:
    """File name -> note, for bundled files of a later release than the report used."""
    from peelmetrics.datasets import peel2017_provenance

    return {
        str(s["file"]): str(s["revision_note"])
        for s in peel2017_provenance()["sources"]
        if s.get("revision_note")
    }


def _pick(results: pd.DataFrame, force: str, metric: str, end: pd.Timestamp) -> pd.Series[Any]:
    hit = results[
        (results.force == force) & (results.metric == metric) & (results.period_end == end)
    ]
    if hit.empty:  # no count at all for the period: a row of dashes, said as such
        return pd.Series(
            {"value": float("nan"), "display": "–", "status": "not_supplied", "caveats": (),
             "excluded": (), "source": ""}
        )  # fmt: skip
    return hit.iloc[0]


def _published(
    published: pd.DataFrame | None, force: str, metric: str, end: pd.Timestamp
) -> tuple[str | None, str]:
    if published is None or published.empty:
        return None, ""
    hit = published[
        (published.force == force) & (published.metric == metric) & (published.period_end == end)
    ]
    if hit.empty:
        return None, ""
    row = hit.iloc[0]
    note = str(row.get("note", "") or "")
    if str(row.get("certainty", "stated")) != "stated":
        note = f"attribution {row['certainty']}: {note}".strip()
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
    results: pd.DataFrame,
    published: pd.DataFrame | None,
    revisions: dict[str, str],
) -> dict[str, Any]:
    metric = edition.metric(metric_id)
    end = pd.Timestamp(period.end)
    mine = _pick(results, force.code, metric_id, end)
    national = _pick(results, ENGLAND_AND_WALES_CODE, metric_id, end)
    pub, note = _published(published, force.code, metric_id, end)
    ew_pub, ew_note = _published(published, ENGLAND_AND_WALES_CODE, metric_id, end)
    if pub is not None or ew_pub is not None:
        # Say so where a compared figure rests on a later release than the report's.
        sources = " ".join(str(row.source) for row in (mine, national) if not pd.isna(row.value))
        later = [text for file, text in revisions.items() if file in sources]
        note = " ".join(_sentence(n) for n in (note or ew_note, *later) if n)
        ew_note = ""
    return {
        "metric": metric_id,
        "title": metric.title,
        "period": str(period),
        "period_end": end,
        "unit": metric.unit,
        "force": force.code,
        "force_name": force.name,
        "value": mine.value,
        "display": mine.display,
        "status": mine.status,
        "caveats": mine.caveats,
        "ew_value": national.value,
        "ew_display": national.display,
        "ew_status": national.status,
        "ew_excluded": national.excluded,
        "published": pub,
        "ew_published": ew_pub,
        "agrees": _agrees(mine.value, pub),
        "ew_agrees": _agrees(national.value, ew_pub),
        "published_note": note or ew_note,
        "benchmark": metric.benchmark,
    }
