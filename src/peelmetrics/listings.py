"""The catalogue as a person reads it: metrics, measures and caveats (Annex A's rules), each
with the release the report used and, where data ship with the edition, the release the
bundled counts come from; editions, forces and a force's judgments. Each ``*_listing``
function is what one command prints (``peelmetrics metrics``, ``metrics --measures``,
``caveats``, ``editions``, ``forces``, ``judgments``), as text or JSON; a notebook or a
service can call them, or take the rows (``*_rows``) themselves.

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

import json
import textwrap
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any, Literal, cast

from peelmetrics._convert import expect_bool, expect_choice
from peelmetrics.errors import InvalidValueError, shorten
from peelmetrics.forces import all_forces, force_by_code, resolve_force

if TYPE_CHECKING:  # pragma: no cover
    from peelmetrics.catalogue import Edition
    from peelmetrics.forces import Force
    from peelmetrics.periods import Period, PeriodChoice

__all__ = [
    "as_text",
    "caveat_rows",
    "caveats_listing",
    "editions_listing",
    "forces_listing",
    "judgments_listing",
    "listing",
    "measure_rows",
    "metric_rows",
    "metrics_listing",
]

Form = Literal["table", "json"]

_METRIC_FIELDS = ("title", "unit", "period", "basis", "source", "report_releases",
                  "bundled_releases", "measures", "caveats", "assumptions")  # fmt: skip
_MEASURE_FIELDS = ("title", "unit", "months", "report_release", "bundled_releases", "metrics")
_CAVEAT_FIELDS = ("id", "kind", "section", "forces", "metrics", "periods",
                  "excluded_from_national", "text", "detail")  # fmt: skip


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


def listing(
    rows: Sequence[Mapping[str, Any]], heading: str, fields: Sequence[str], form: Form = "table"
) -> str:
    """Rows as :func:`as_text` gives them (``form="table"``) or as indented JSON, ending
    with a newline."""
    if _form(form) == "json":
        return json.dumps(list(rows), indent=2) + "\n"
    return as_text(rows, heading, fields) + "\n"


def _form(form: Any) -> Form:
    return cast(Form, expect_choice(form, "form", ("table", "json")))


def _edition(edition: Edition | str | None) -> Edition:
    from peelmetrics.catalogue import get

    return get(edition)


def metrics_listing(
    edition: Edition | str | None = None, *, measures: bool = False, form: Form = "table"
) -> str:
    """The metric catalogue (``peelmetrics metrics``), or its measures with ``measures``
    (``metrics --measures``: the ids a Counts file uses, and the metrics each fills).

    >>> print(metrics_listing(measures=True).splitlines()[0])
    population
    """
    ed = _edition(edition)
    if expect_bool(measures, "measures"):
        return listing(measure_rows(ed), "id", _MEASURE_FIELDS, form)
    return listing(metric_rows(ed), "id", _METRIC_FIELDS, form)


def caveats_listing(
    edition: Edition | str | None = None,
    *,
    metric: str | None = None,
    force: str | None = None,
    form: Form = "table",
) -> str:
    """Annex A's rules (``peelmetrics caveats``), those touching ``metric`` and ``force``
    when given: :func:`caveat_rows` under their titles."""
    rows = caveat_rows(_edition(edition), metric=metric, force=force)
    return listing(rows, "title", _CAVEAT_FIELDS, form)


def editions_listing() -> str:
    """The editions the catalogue knows (``peelmetrics editions``); one that cannot be
    built is listed with why, never hiding the others.

    >>> print(editions_listing().splitlines()[2])
    peel2017  PEEL: Police effectiveness 2017  yes           default
    """
    from peelmetrics.catalogue import DEFAULT, editions, get
    from peelmetrics.errors import PeelMetricsError
    from peelmetrics.report import table

    rows = []
    for name in editions():
        try:  # one broken plug-in never hides the others
            ed = get(name)
            rows.append([name, ed.title, "yes" if ed.bundled else "no",
                         "default" if name == DEFAULT else ""])  # fmt: skip
        except PeelMetricsError as exc:
            rows.append([name, f"cannot be built: {exc}", "", ""])
    return table(["Edition", "Title", "Bundled data", ""], rows)


def forces_listing(form: Form = "table") -> str:
    """The forces and their codes (``peelmetrics forces``)."""
    from peelmetrics.report import table

    forces = all_forces()
    if _form(form) == "json":
        return listing([f.to_dict() for f in forces], "code", (), "json")
    rows = [[f.code, f.short_name, f.name + ("" if f.geographic else " (not geographic)")]
            for f in forces]  # fmt: skip
    return table(["Code", "Force", "Full name"], rows)


def judgments_listing(
    force: str | Force,
    edition: Edition | str | None = None,
    *,
    year: int | None = None,
    period: PeriodChoice | Period | str | None = None,
    form: Form = "table",
) -> str:
    """The judgments in force for ``force`` (``peelmetrics judgments``): in ``year``, or
    in the year ``period`` ends (``latest`` and ``report``, like no year at all: the
    edition's newest judgments). A year after the edition's newest says the grades are
    carried forward; a grade the catalogue does not state is ``unknown``, and an inferred
    one carries its note.

    >>> print(judgments_listing("Herts").splitlines()[0])
    Hertfordshire Constabulary: judgments in force in 2017
    """
    from peelmetrics.judgments import carried_forward, judgment_rows
    from peelmetrics.periods import parse_period
    from peelmetrics.report import table

    target, ed, form = resolve_force(force), _edition(edition), _form(form)
    if year is not None and (isinstance(year, bool) or not isinstance(year, int)):
        raise InvalidValueError(f"year: a whole year such as 2017, not {shorten(year)}")
    newest = max((j.year for j in ed.judgments), default=None)
    choice = None if period is None else parse_period(period)
    if choice is not None and choice.end is not None:
        in_force = choice.end.year
    elif year is None or choice is not None:  # latest, report: the edition's year
        in_force = newest if newest is not None else 0
    else:
        in_force = year
    rows = judgment_rows(ed.judgments, target.code, in_force, ed.questions)
    if form == "json":
        return listing(rows, "question", (), "json")
    notes: dict[str, int] = {}
    table_rows = []
    for row in rows:
        mark = ""
        if row["inferred"]:
            mark = f" [{notes.setdefault(str(row['note']), len(notes) + 1)}] inferred"
        grade = "unknown" if row["grade"] is None else str(row["grade"])
        table_rows.append([str(row["question"]), grade + mark,
                           "" if row["year"] is None else str(row["year"])])  # fmt: skip
    text = f"{target.name}: judgments in force in {in_force}\n\n"
    forward = carried_forward(ed.title, newest, in_force)
    if forward:
        text += textwrap.fill(forward, 100) + "\n\n"
    text += table(["Question", "Grade", "Last inspected"], table_rows, wrap=[52, 30, None])
    if any(r["grade"] is None for r in rows):
        text += ("unknown: the report does not state this grade (it gives the grades in "
                 "force when written).\n")  # fmt: skip
    for note, n in notes.items():
        text += textwrap.fill(f"[{n}] {note}", 100, subsequent_indent="    ") + "\n"
    return text
