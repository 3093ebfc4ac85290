"""The catalogue as a person reads it: metrics, measures and caveats (Annex A's rules), each
with the release the report used and, where data ship with the edition, the release the
bundled counts come from. ``peelmetrics metrics``, ``metrics --measures`` and ``caveats``
print these; a notebook or a service can call them directly.

>>> import peelmetrics as pm
>>> rows = caveat_rows(pm.edition(), metric="ocgs_per_million", force="City of London")
>>> [r["id"] for r in rows if r["forces"]][1:]
['city_of_london_ocgs_nfib', 'city_of_london_ocgs_not_comparable']
>>> print(as_text(rows[-1:], "title", ["section", "excluded_from_national"]))
City of London Police is excluded from the England and Wales rate as its OCG data are not …
    section: Annex A, Organised crime groups
    excluded_from_national: yes
"""

from __future__ import annotations

import textwrap
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from peelmetrics.forces import force_by_code, resolve_force

if TYPE_CHECKING:  # pragma: no cover
    from peelmetrics.catalogue import Edition

__all__ = ["as_text", "caveat_rows", "measure_rows", "metric_rows"]


def _bundled_releases(edition: Edition) -> dict[str, list[str]]:
    """Measure id -> the releases its bundled counts come from (file and release)."""
    if edition.bundled is None:
        return {}
    from peelmetrics.datasets import provenance

    found: dict[str, list[str]] = {}
    for source in provenance(edition)["sources"]:
        for measure in source.get("measures", ()):
            found.setdefault(str(measure), []).append(f"{source['file']} ({source['release']})")
    return found


def metric_rows(edition: Edition) -> list[dict[str, Any]]:
    """One row per metric: id, title, unit, period, basis, the report's source and the
    releases it used, the bundled data's releases, caveat ids and assumptions."""
    from peelmetrics.releases import report_releases

    bundled = _bundled_releases(edition)
    return [
        {
            "id": m.id,
            "title": m.title,
            "unit": m.unit,
            "period": m.period_label(),
            "basis": m.basis.value if m.basis else None,
            "source": f"{m.source} (as the report used)",
            "report_releases": report_releases(m, edition),
            "bundled_releases": list(dict.fromkeys(
                r for i in (*m.numerator, m.denominator or "") for r in bundled.get(i, ())
            )),
            "measures": list(dict.fromkeys((*m.numerator, *([m.denominator] if m.denominator
                                                             else []), *m.denominator_plus))),
            "caveats": [c.id for c in edition.caveats_for(m.id)],
            "assumptions": list(m.assumptions),
        }
        for m in edition.metrics
    ]  # fmt: skip


def measure_rows(edition: Edition) -> list[dict[str, Any]]:
    """One row per measure (the ids a Counts file's ``measure`` column takes): title, unit,
    usual window, the release the report used, the bundled releases and the metrics it
    fills (a dash in those metrics' rows is filled by supplying it)."""
    bundled = _bundled_releases(edition)
    uses: dict[str, list[str]] = {}
    for metric in edition.metrics:
        for measure in (*metric.numerator, metric.denominator, *metric.denominator_plus):
            if measure:
                uses.setdefault(measure, []).append(metric.id)
    return [
        {
            "id": m.id,
            "title": m.title,
            "unit": m.unit,
            "months": m.default_months,
            "report_release": m.release,
            "bundled_releases": bundled.get(m.id, []),
            "metrics": list(dict.fromkeys(uses.get(m.id, []))),
        }
        for m in edition.measures
    ]


def caveat_rows(
    edition: Edition, *, metric: str | None = None, force: str | None = None
) -> list[dict[str, Any]]:
    """Annex A's rules as rows, those touching ``metric`` (an id) and ``force`` (any name)
    when given: id, title, kind, section, the quoted text, detail, forces (names), metrics,
    periods and whether the forces are left out of England and Wales."""
    from peelmetrics.caveats import ALL_METRICS

    code = resolve_force(force).code if force is not None else None
    if metric is not None:
        edition.metric(metric)  # an unknown id is an error naming the close ones
    rows = []
    for c in edition.caveats:
        if metric is not None and not (ALL_METRICS in c.metrics or metric in c.metrics):
            continue
        if code is not None and c.forces and code not in c.forces:
            continue
        rows.append({
            "id": c.id,
            "title": c.title,
            "kind": c.kind.value.replace("_", " "),
            "section": c.section,
            "text": c.text,
            "detail": c.detail or "",
            "forces": [force_by_code(f).short_name for f in c.forces],
            "metrics": "every metric" if ALL_METRICS in c.metrics else list(c.metrics),
            "periods": [str(p) for p in c.periods],
            "excluded_from_national": c.excluded_from_national,
        })  # fmt: skip
    return rows


def as_text(rows: Sequence[Mapping[str, Any]], heading: str, fields: Sequence[str]) -> str:
    """Rows as an indented listing, each line within 100 columns: ``heading``'s value,
    then ``field: value`` for each non-empty field (lists joined, booleans as yes/no)."""

    def shown(value: Any) -> str:
        if isinstance(value, bool):
            return "yes" if value else "no"
        if isinstance(value, list | tuple):
            return ", ".join(map(str, value))
        return "" if value is None else str(value)

    lines = []
    for row in rows:
        lines.append(shown(row[heading]))
        for field in fields:
            text = shown(row.get(field))
            if text:
                lines.append(textwrap.fill(f"{field}: {text}", 100, initial_indent="    ",
                                           subsequent_indent="      "))  # fmt: skip
    return "\n".join(lines)
