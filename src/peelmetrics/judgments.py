"""Graded judgments and risk-based inspection.

Under the 2017 interim risk-based approach "not all forces are assessed against every part of
the PEEL effectiveness programme every year" and "Judgments from 2016 remain in place for
areas which were not re-inspected in 2017" (report, "Risk-based inspection"). So the judgment
in force for a question in a year is the latest one assessed on or before that year.
"""

from __future__ import annotations

from collections.abc import Iterable
from enum import StrEnum
from typing import Any, TypeVar

import attrs

from peelmetrics._serde import Serialisable
from peelmetrics.errors import InvalidValueError
from peelmetrics.forces import resolve_force

__all__ = ["Grade", "Judgment", "Question", "current_judgments"]


class Grade(StrEnum):
    """PEEL grades. ``Adequate`` arrived with later inspection cycles."""

    OUTSTANDING = "Outstanding"
    GOOD = "Good"
    ADEQUATE = "Adequate"
    REQUIRES_IMPROVEMENT = "Requires improvement"
    INADEQUATE = "Inadequate"
    UNGRADED = "Ungraded"


class Question(StrEnum):
    """The PEEL effectiveness questions, in the order the report lists them."""

    OVERALL = "Overall effectiveness"
    PREVENTING_CRIME = "Preventing crime and tackling anti-social behaviour"
    INVESTIGATING_CRIME = "Investigating crime and reducing re-offending"
    PROTECTING_VULNERABLE = "Protecting vulnerable people"
    SERIOUS_ORGANISED_CRIME = "Tackling serious and organised crime"
    SPECIALIST_CAPABILITIES = "Specialist capabilities"


E = TypeVar("E", Grade, Question)


def _member(kind: type[E], what: str, value: E | str) -> E:
    """A member of ``kind`` from itself, its value or its name, case-insensitively."""
    if isinstance(value, kind):
        return value
    folded = str(value).strip().casefold()
    for member in kind:
        if folded in (member.value.casefold(), member.name.casefold()):
            return member
    allowed = ", ".join(m.value for m in kind)
    raise InvalidValueError(f"unknown {what} {value!r}; expected one of: {allowed}")


def _grade(value: Grade | str) -> Grade:
    return _member(Grade, "grade", value)


def _question(value: Question | str) -> Question:
    return _member(Question, "PEEL question", value)


def _force_code(value: str) -> str:
    return resolve_force(value).code


@attrs.frozen(slots=True, order=False)
class Judgment(Serialisable):
    """A grade given to a force for a question in the year it was assessed.

    >>> j = Judgment("Hertfordshire", "Protecting vulnerable people", "Requires improvement", 2017)
    >>> j.force, j.grade.value, j.last_inspected
    ('E23000027', 'Requires improvement', 2017)
    """

    force: str = attrs.field(converter=_force_code)
    question: Question = attrs.field(converter=_question)
    grade: Grade = attrs.field(converter=_grade)
    year: int = attrs.field()
    note: str | None = None

    @year.validator
    def _check_year(self, _attribute: Any, value: int) -> None:
        if not 2014 <= value <= 2100:
            raise InvalidValueError(f"judgment year {value} is outside PEEL's years (2014 on)")

    @property
    def last_inspected(self) -> int:
        """Year the question was last inspected (the year this judgment was assessed)."""
        return self.year


def current_judgments(history: Iterable[Judgment], year: int) -> tuple[Judgment, ...]:
    """The judgment in force for each force and question in ``year``.

    The latest judgment assessed on or before ``year`` wins; each result's ``year``
    (``last_inspected``) says when that was. Judgments assessed after ``year`` are ignored.
    Results are ordered by force code, then by the report's question order.

    Examples
    --------
    An invented force's history (the report states no 2016 grade for re-inspected questions):

    >>> history = [
    ...     Judgment("Kent", "PREVENTING_CRIME", "Good", 2016),
    ...     Judgment("Kent", "PROTECTING_VULNERABLE", "Inadequate", 2016),
    ...     Judgment("Kent", "PROTECTING_VULNERABLE", "Requires improvement", 2017),
    ... ]
    >>> current = current_judgments(history, 2017)
    >>> [(j.question.name, j.grade.value, j.last_inspected) for j in current]
    [('PREVENTING_CRIME', 'Good', 2016), ('PROTECTING_VULNERABLE', 'Requires improvement', 2017)]
    """
    latest: dict[tuple[str, Question], Judgment] = {}
    for judgment in history:
        if judgment.year > year:
            continue
        key = (judgment.force, judgment.question)
        held = latest.get(key)
        if held is not None and held.year == judgment.year and held.grade != judgment.grade:
            raise InvalidValueError(
                f"two different {judgment.year} grades for {judgment.force}, "
                f"{judgment.question.value}: {held.grade.value} and {judgment.grade.value}"
            )
        if held is None or judgment.year > held.year:
            latest[key] = judgment
    order = {q: i for i, q in enumerate(Question)}
    return tuple(sorted(latest.values(), key=lambda j: (j.force, order[j.question])))
