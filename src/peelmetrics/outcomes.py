"""Home Office crime outcome types (0–22) and an edition's grouping of them.

The types follow the Home Office Counting Rules. Groupings belong to a report edition,
because the Home Office regrouped types over time (later tables moved cannabis/khat
warnings from formal to informal out-of-court): the PEEL 2017 grouping lives in
:mod:`peelmetrics.catalogue.peel2017`.

>>> OutcomeType(16).label
'Evidential difficulties: suspect identified, victim does not support further action'
>>> OutcomeType.CHARGED_SUMMONSED.measure_id
'outcome_1'
"""

from __future__ import annotations

from collections.abc import Iterator
from enum import IntEnum
from types import MappingProxyType
from typing import Any

import attrs

from peelmetrics._serde import Serialisable
from peelmetrics.errors import InvalidValueError

__all__ = ["OutcomeGroup", "OutcomeGrouping", "OutcomeType"]

_LABELS = MappingProxyType(
    {
        0: "Not yet assigned an outcome",
        1: "Charged/summonsed",
        2: "Caution – youths",
        3: "Caution – adults",
        4: "Taken into consideration",
        5: "The offender has died",
        6: "Penalty notice for disorder",
        7: "Cannabis/khat warning",
        8: "Community resolution",
        9: "Prosecution not in the public interest (CPS)",
        10: "Formal action against the offender is not in the public interest (police)",
        11: "Prosecution prevented – suspect under age",
        12: "Prosecution prevented – suspect too ill",
        13: "Prosecution prevented – victim or key witness dead or too ill",
        14: (
            "Evidential difficulties: suspect not identified, victim does not support further "
            "action"
        ),
        15: "Evidential difficulties: suspect identified, victim supports action",
        16: "Evidential difficulties: suspect identified, victim does not support further action",
        17: "Prosecution time limit expired",
        18: "Investigation complete – no suspect identified",
        19: "Fraud: National Fraud Intelligence Bureau filed",
        20: "Action undertaken by another body",
        21: "Further investigation not in the public interest (police decision)",
        22: "Diversionary, educational or intervention activity",
    }
)


class OutcomeType(IntEnum):
    """A Home Office outcome type, numbered as in the Counting Rules."""

    NOT_YET_ASSIGNED = 0
    CHARGED_SUMMONSED = 1
    CAUTION_YOUTH = 2
    CAUTION_ADULT = 3
    TAKEN_INTO_CONSIDERATION = 4
    OFFENDER_DIED = 5
    PENALTY_NOTICE = 6
    CANNABIS_KHAT_WARNING = 7
    COMMUNITY_RESOLUTION = 8
    NOT_IN_PUBLIC_INTEREST_CPS = 9
    NOT_IN_PUBLIC_INTEREST_POLICE = 10
    PREVENTED_UNDER_AGE = 11
    PREVENTED_SUSPECT_ILL = 12
    PREVENTED_VICTIM_ILL = 13
    EVIDENTIAL_NO_SUSPECT_NO_SUPPORT = 14
    EVIDENTIAL_VICTIM_SUPPORTS = 15
    EVIDENTIAL_VICTIM_DOES_NOT_SUPPORT = 16
    TIME_LIMIT_EXPIRED = 17
    NO_SUSPECT_IDENTIFIED = 18
    FRAUD_NFIB_FILED = 19
    OTHER_BODY = 20
    FURTHER_INVESTIGATION_NOT_IN_PUBLIC_INTEREST = 21
    DIVERSIONARY = 22

    @property
    def label(self) -> str:
        """The outcome's description."""
        return _LABELS[int(self)]

    @property
    def measure_id(self) -> str:
        """The Counts measure id holding this outcome's (tracked) count."""
        return f"outcome_{int(self)}"


def _to_types(values: Any) -> tuple[OutcomeType, ...]:
    try:
        return tuple(OutcomeType(int(v)) for v in values)
    except ValueError as exc:
        raise InvalidValueError(f"outcome types must be integers 0 to 22: {exc}") from exc


@attrs.frozen(slots=True)
class OutcomeGroup(Serialisable):
    """A named set of outcome types, as a report groups them ("Out-of-court (formal)")."""

    id: str
    title: str
    types: tuple[OutcomeType, ...] = attrs.field(converter=_to_types)

    @types.validator
    def _check(self, _attribute: Any, value: tuple[OutcomeType, ...]) -> None:
        if not value:
            raise InvalidValueError(f"outcome group {self.id!r} has no outcome types")

    @property
    def measure_ids(self) -> tuple[str, ...]:
        """The Counts measure ids the group sums."""
        return tuple(t.measure_id for t in self.types)


@attrs.frozen(slots=True)
class OutcomeGrouping(Serialisable):
    """An edition's grouping of outcome types; no type may sit in two groups."""

    edition: str
    groups: tuple[OutcomeGroup, ...] = attrs.field()

    @groups.validator
    def _check(self, _attribute: Any, value: tuple[OutcomeGroup, ...]) -> None:
        seen: dict[OutcomeType, str] = {}
        for group in value:
            for t in group.types:
                if t in seen:
                    raise InvalidValueError(
                        f"outcome type {int(t)} is in both {seen[t]!r} and {group.id!r}"
                    )
                seen[t] = group.id

    def __iter__(self) -> Iterator[OutcomeGroup]:
        return iter(self.groups)

    def group(self, group_id: str) -> OutcomeGroup:
        """Return the group called ``group_id``."""
        for g in self.groups:
            if g.id == group_id:
                return g
        import difflib

        from peelmetrics.errors import UnknownGroupError

        known = [g.id for g in self.groups]
        raise UnknownGroupError(group_id, difflib.get_close_matches(group_id, known, n=3))
