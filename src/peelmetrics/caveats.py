"""Annex A rules as data: which forces, metrics and periods a caveat touches, and its effect.

The report's dash means either "not supplied" or "not comparable" (Annex A, "Force in
numbers": "A dash in this graphic indicates that a force was not able to supply HMICFRS with
data or the data supplied by the forces were not comparable"). The library keeps the two
apart as :class:`CaveatKind` values and renders both as a dash.
"""

from __future__ import annotations

from collections.abc import Iterable
from enum import StrEnum
from types import MappingProxyType
from typing import Any, ClassVar

import attrs

from peelmetrics._convert import strings
from peelmetrics._display import Shown
from peelmetrics._serde import Serialisable
from peelmetrics.errors import InvalidValueError
from peelmetrics.periods import Period

__all__ = ["ALL_METRICS", "CaveatKind", "DataCaveat", "Status", "worst_status"]


#: Wildcard for :attr:`DataCaveat.metrics`: the caveat covers every metric.
ALL_METRICS = "*"


class Status(StrEnum):
    """What a result's value is worth, from best to worst."""

    OK = "ok"
    ESTIMATED = "estimated"
    PARTIAL = "partial"
    NOT_SUPPLIED = "not_supplied"
    NOT_COMPARABLE = "not_comparable"
    EXCLUDED = "excluded"

    @property
    def shows_dash(self) -> bool:
        """True where the report prints a dash instead of a number."""
        return self in (Status.NOT_SUPPLIED, Status.NOT_COMPARABLE, Status.EXCLUDED)


_SEVERITY = MappingProxyType({s: i for i, s in enumerate(Status)})


def worst_status(statuses: Iterable[Status]) -> Status:
    """The most severe of ``statuses`` (``OK`` for none).

    >>> worst_status([Status.PARTIAL, Status.NOT_COMPARABLE]).value
    'not_comparable'
    """
    return max(statuses, key=_SEVERITY.__getitem__, default=Status.OK)


class CaveatKind(StrEnum):
    """The kinds of caveat Annex A states, each with the status it gives a force's value.

    ``DEFINITION`` and ``NOTE`` are informational: they explain how a figure is built or
    how to read it, and leave the value's status ``ok``.
    """

    NOT_SUPPLIED = "not_supplied"
    NOT_COMPARABLE = "not_comparable"
    PARTIAL = "partial"
    ESTIMATED = "estimated"
    COMBINED_WITH = "combined_with"
    OUT_OF_SCOPE = "out_of_scope"
    PROVISIONAL = "provisional"
    SERIES_BREAK = "series_break"
    PERIOD_MISMATCH = "period_mismatch"
    SMALL_SAMPLE = "small_sample"
    DEFINITION = "definition"
    NOTE = "note"

    @property
    def status(self) -> Status:
        """Status a value gets from a caveat of this kind (``OK``: informational only)."""
        return _KIND_STATUS.get(self, Status.OK)


_KIND_STATUS = MappingProxyType(
    {
        CaveatKind.NOT_SUPPLIED: Status.NOT_SUPPLIED,
        CaveatKind.NOT_COMPARABLE: Status.NOT_COMPARABLE,
        CaveatKind.OUT_OF_SCOPE: Status.EXCLUDED,
        CaveatKind.PARTIAL: Status.PARTIAL,
        CaveatKind.ESTIMATED: Status.ESTIMATED,
    }
)


def _period(value: Period | dict[str, Any]) -> Period:
    return value if isinstance(value, Period) else Period.from_dict(value)


def _periods(values: Iterable[Period | dict[str, Any]]) -> tuple[Period, ...]:
    return tuple(v if isinstance(v, Period) else Period.from_dict(v) for v in values)


@attrs.frozen(slots=True, repr=False, kw_only=True)
class DataCaveat(Shown, Serialisable):
    """One rule from the report's Annex A (or a figure footnote), as data.

    Attributes
    ----------
    id
        Stable identifier, listed in results' ``caveats`` column.
    kind
        What the rule says about the data (:class:`CaveatKind`).
    text
        The sentence of the report the rule encodes, quoted.
    section
        Where the sentence is: "Annex A, Domestic abuse", "Figure 2 footnote 11"...
    forces
        ONS codes of the forces it applies to; empty means every force.
    metrics
        Metric ids it applies to; ``("*",)`` means every metric, empty means none (a
        caveat about fieldwork evidence rather than a published figure).
    periods
        Periods it applies to; empty means every period.
    excluded_from_national
        True if the forces' data are left out of the England and Wales figure.
    applies_if_missing
        A measure id: the caveat applies only where that measure was not supplied
        (City of London's population is resident-only unless transient population is given).
    detail
        Extra facts the rule carries, e.g. which components of partial data are missing.
    applies_if_denominator_estimated
        The caveat applies only where the row's as-at denominator is a stand-in: not the
        estimate the metric's :class:`~peelmetrics.denominators.DenominatorRule` prefers,
        or dated far from the period (Annex A, "Population").
    hides_value
        The value is on a base the report would not print (City of London's rates without
        its transient population): a dash is shown, with ``detail`` as the reason, unless
        the user asks for partial values. The value itself stays in results.
    applies_if_denominator_at
        The caveat applies only where the row's denominator is the estimate as at this
        date: "we use ONS mid-2016 population estimates" is true of a 2017 rate, not of a
        2003 one divided by the mid-2002 estimate.
    """

    _shown: ClassVar[tuple[str, ...]] = ("id", "section", "text")

    id: str = attrs.field(validator=attrs.validators.matches_re(r"^[a-z0-9_]+$"))
    kind: CaveatKind = attrs.field(converter=CaveatKind)
    text: str = attrs.field(validator=attrs.validators.min_len(10))
    section: str
    forces: tuple[str, ...] = attrs.field(default=(), converter=strings)
    metrics: tuple[str, ...] = attrs.field(default=(), converter=strings)
    periods: tuple[Period, ...] = attrs.field(default=(), converter=_periods)
    excluded_from_national: bool = False
    applies_if_missing: str | None = None
    detail: str | None = None
    applies_if_denominator_estimated: bool = False
    hides_value: bool = False
    applies_if_denominator_at: Period | None = attrs.field(
        default=None, converter=attrs.converters.optional(_period)
    )

    @property
    def title(self) -> str:
        """The rule in a few words for a reader (the first sentence of its ``text``, cut at a
        word near 90 characters): what charts, the panel and the page show, never the id.

        >>> import peelmetrics as pm
        >>> pm.edition().caveat("north_yorkshire_domestic_abuse_not_comparable").title
        "As North Yorkshire Police's data on domestic abuse are not comparable with other forces …"
        """
        first = self.text.split(". ")[0].rstrip(".")
        if len(first) <= 90:
            return first
        return first[:90].rsplit(" ", 1)[0].rstrip(",;:") + " …"

    def __attrs_post_init__(self) -> None:
        if self.kind is CaveatKind.COMBINED_WITH and len(self.forces) < 2:
            raise InvalidValueError(f"caveat {self.id!r}: combined_with needs two or more forces")
        if self.applies_if_missing and self.applies_if_denominator_estimated:
            raise InvalidValueError(f"caveat {self.id!r}: give one condition, not two")

    def applies_to(self, metric: str, period: Period, force: str | None = None) -> bool:
        """True if the caveat covers ``metric`` in ``period`` (for ``force``, if given)."""
        if ALL_METRICS not in self.metrics and metric not in self.metrics:
            return False
        if self.periods and period not in self.periods:
            return False
        return force is None or not self.forces or force in self.forces

    @property
    def status(self) -> Status:
        """Status the caveat gives the values it covers."""
        return self.kind.status
