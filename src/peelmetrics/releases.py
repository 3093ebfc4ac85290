"""Releases: which publication a count came from, and whether it is the one the report used.

A published table is revised in later releases (the Home Office revises recorded crime at
every quarterly release; ONS re-publishes its force tables each year), so a figure computed
from a later release can differ from the report's, even in sign. A Counts row names its
release in ``source`` (as every reader writes it: publisher, table and edition, then the
file); each measure of an edition declares the release the report used
(:attr:`~peelmetrics.metrics.Measure.release`), and an edition may name how counts quoted
from the report itself begin (:attr:`~peelmetrics.catalogue.Edition.own_figures`).

A result whose counts all come from the report's releases says nothing extra; any other
carries, in words, the release it was computed from and the one the report used.

>>> import peelmetrics as pm
>>> ed = pm.edition()
>>> crime = ed.measure("recorded_crime")
>>> is_report_release("Home Office police recorded crime by PFA (rolling year): x.csv", crime, ed)
False
>>> is_report_release("PEEL effectiveness 2017, Hertfordshire: '68 DVPOs'", crime, ed)
True
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pragma: no cover
    from peelmetrics.catalogue import Edition
    from peelmetrics.metrics import Measure, Metric

__all__ = ["is_report_release", "release_note", "report_releases"]


def is_report_release(source: str, measure: Measure, edition: Edition) -> bool:
    """Whether a count with this ``source`` is of the release the report used for
    ``measure`` (a measure that declares none is never said to differ)."""
    text = str(source).strip()
    if edition.own_figures and text.startswith(edition.own_figures):
        return True
    return not measure.release or text.startswith(measure.release)


def report_releases(metric: Metric, edition: Edition) -> list[str]:
    """The releases the report used for ``metric``'s numerator and denominator, in that
    order, each once."""
    measures = {m.id: m for m in edition.measures}
    ids = [*metric.numerator, *([metric.denominator] if metric.denominator else [])]
    found = [measures[i].release for i in ids if i in measures and measures[i].release]
    return list(dict.fromkeys(found))


def release_note(
    sources: Iterable[str], metric: Metric, edition: Edition, used_by_report: str = ""
) -> str:
    """The sentence a row computed from other releases carries: what it was computed from
    (each source once) and what the report used (``used_by_report``, or every release of
    the metric's measures); ``""`` when ``sources`` is empty.

    >>> import peelmetrics as pm
    >>> ed = pm.edition()
    >>> print(release_note(["ONS police force area data tables, year ending March 2018 "
    ...                     "(Table P7): p.xlsx"], ed.metric("asb_incidents_per_1000"), ed))
    ... # doctest: +NORMALIZE_WHITESPACE
    Computed from ONS police force area data tables, year ending March 2018 (Table P7):
    p.xlsx; the report used ONS police force area data tables, year ending March 2017 and
    ONS mid-2016 population estimates.
    """
    used = list(dict.fromkeys(s.strip() for s in sources if str(s).strip()))
    if not used:
        return ""
    report = [used_by_report] if used_by_report else report_releases(metric, edition)
    said = " and ".join(report) if report else "the sources its Annex A names"
    return f"Computed from {'; '.join(used)}; the report used {said}."
