"""Graded judgments and risk-based inspection.

Under the 2017 interim risk-based approach "not all forces are assessed against every part of
the PEEL effectiveness programme every year" and "Judgments from 2016 remain in place for
areas which were not re-inspected in 2017" (report, "Risk-based inspection"). So the judgment
in force for a question in a year is the latest one assessed on or before that year.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from enum import StrEnum
from typing import Any, ClassVar, TypeVar

import attrs

from peelmetrics._display import Shown
from peelmetrics._serde import Serialisable
from peelmetrics.errors import InvalidValueError, shorten
from peelmetrics.forces import resolve_force

__all__ = [
    "FIVE_POINT",
    "FOUR_POINT",
    "Grade",
    "Judgment",
    "Question",
    "carried_forward",
    "check_same_scale",
    "current_judgments",
    "judgment_rows",
]  # fmt: skip


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


def _question(value: Question | str) -> str:
    """A question's wording: a :class:`Question` (or its name) gives the 2017 wording; any
    other text is an edition's own question, checked by that edition."""
    if isinstance(value, Question):
        return value.value
    if not isinstance(value, str) or not value.strip():
        raise InvalidValueError(f"a PEEL question must be its wording, not {value!r}")
    folded = value.strip().casefold()
    for member in Question:
        if folded in (member.value.casefold(), member.name.casefold()):
            return member.value
    return " ".join(value.split())


def _force_code(value: str) -> str:
    return resolve_force(value).code


@attrs.frozen(slots=True, order=False, repr=False)
class Judgment(Shown, Serialisable):
    """A grade given to a force for a question in the year it was assessed.

    >>> j = Judgment("Hertfordshire", "Protecting vulnerable people", "Requires improvement", 2017)
    >>> j.force, j.grade.value, j.last_inspected
    ('E23000027', 'Requires improvement', 2017)
    """

    _shown: ClassVar[tuple[str, ...]] = ("force", "question", "grade", "year")

    force: str = attrs.field(converter=_force_code)
    question: str = attrs.field(converter=_question)
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


def current_judgments(
    history: Iterable[Judgment], year: int, questions: Iterable[str] | None = None
) -> tuple[Judgment, ...]:
    """The judgment in force for each force and question in ``year``.

    The latest judgment assessed on or before ``year`` wins; each result's ``year``
    (``last_inspected``) says when that was. Judgments assessed after ``year`` are ignored.
    Results are ordered by force code, then by ``questions`` (an edition's question order;
    default the 2017 effectiveness questions, then any others by wording).

    Examples
    --------
    An invented force's history (the report states no 2016 grade for re-inspected questions):

    >>> history = [
    ...     Judgment("Kent", "PREVENTING_CRIME", "Good", 2016),
    ...     Judgment("Kent", "PROTECTING_VULNERABLE", "Inadequate", 2016),
    ...     Judgment("Kent", "PROTECTING_VULNERABLE", "Requires improvement", 2017),
    ... ]
    >>> current = current_judgments(history, 2017)
    >>> [(j.question, j.grade.value, j.last_inspected) for j in current]
    [('Preventing crime and tackling anti-social behaviour', 'Good', 2016),
     ('Protecting vulnerable people', 'Requires improvement', 2017)]
    """
    if isinstance(year, bool) or not isinstance(year, int):
        raise InvalidValueError(f"year: a whole year such as 2017, not {shorten(year)}")
    if isinstance(history, str | bytes | Mapping) or not isinstance(history, Iterable):
        raise InvalidValueError(f"history: Judgments, not {shorten(history)}")
    history = list(history)
    wrong = [j for j in history if not isinstance(j, Judgment)]
    if wrong:
        raise InvalidValueError(f"history: Judgments only, not {shorten(wrong[0])}")
    if questions is not None and (
        isinstance(questions, str) or not isinstance(questions, Iterable)
    ):
        raise InvalidValueError(f"questions: question wordings, not {shorten(questions)}")
    latest: dict[tuple[str, str], Judgment] = {}
    for judgment in history:
        if judgment.year > year:
            continue
        key = (judgment.force, judgment.question)
        held = latest.get(key)
        if held is not None and held.year == judgment.year and held.grade != judgment.grade:
            raise InvalidValueError(
                f"two different {judgment.year} grades for {judgment.force}, "
                f"{judgment.question}: {held.grade.value} and {judgment.grade.value}"
            )
        if held is None or judgment.year > held.year:
            latest[key] = judgment
    # Without an edition's order, questions keep the order the history first gives them.
    wording = list(questions) if questions is not None else list(
        dict.fromkeys(j.question for j in history))  # fmt: skip
    order = {q: i for i, q in enumerate(wording)}
    return tuple(
        sorted(latest.values(), key=lambda j: (j.force, order.get(j.question, len(order)),
                                                j.question))
    )  # fmt: skip


#: The grade scale until the 2018/19 integrated assessment.
FOUR_POINT = (Grade.OUTSTANDING, Grade.GOOD, Grade.REQUIRES_IMPROVEMENT, Grade.INADEQUATE)
#: The scale from 2021/22.
FIVE_POINT = (
    Grade.OUTSTANDING,
    Grade.GOOD,
    Grade.ADEQUATE,
    Grade.REQUIRES_IMPROVEMENT,
    Grade.INADEQUATE,
)


def check_same_scale(left: Iterable[Grade], right: Iterable[Grade]) -> None:
    """Raise :class:`~peelmetrics.errors.IncomparableError` unless two editions grade on the
    same scale: HMICFRS introduced a five-point scale in 2021/22 and says grades on it must
    not be compared with earlier ones (a "Good" is not the same judgment on both).

    >>> check_same_scale(FOUR_POINT, FIVE_POINT)
    Traceback (most recent call last):
    ...
    peelmetrics.errors.IncomparableError: grades on different scales ...
    """
    from peelmetrics.errors import IncomparableError

    a, b = (
        [g for g in left if g is not Grade.UNGRADED],
        [g for g in right if g is not Grade.UNGRADED],
    )
    if a != b:
        raise IncomparableError(
            f"grades on different scales ({', '.join(a)} against {', '.join(b)}) must not be "
            "compared: HMICFRS changed the scale and its meaning"
        )


def judgment_rows(
    history: Iterable[Judgment], force: str, year: int, questions: Iterable[str]
) -> list[dict[str, Any]]:
    """Every question's judgment in force for ``force`` (an ONS code) in ``year``, in
    ``questions`` order: what the command line and the page both show. A grade the history
    does not state is ``None``, with a note saying so; an inferred grade keeps its note.

    >>> import peelmetrics as pm
    >>> ed = pm.edition()
    >>> rows = judgment_rows(ed.judgments, "E23000027", 2017, ed.questions)
    >>> rows[0]["question"], rows[0]["grade"], rows[0]["year"], rows[0]["inferred"]
    ('Overall effectiveness', 'Good', 2017, True)
    """
    known = {j.question: j for j in current_judgments(history, year, questions)
             if j.force == force}  # fmt: skip
    rows: list[dict[str, Any]] = []
    for question in questions:
        judgment = known.get(question)
        if judgment is None:
            rows.append({"force": force, "question": question, "grade": None, "year": None,
                         "note": f"not stated in the catalogue for {year} or before",
                         "inferred": False})  # fmt: skip
        else:
            rows.append({"force": force, "question": question, "grade": judgment.grade.value,
                         "year": judgment.year, "note": judgment.note,
                         "inferred": bool(judgment.note)})  # fmt: skip
    return rows


def carried_forward(title: str, newest: int | None, year: int) -> str:
    """The sentence a year after the edition's last judgments needs ("" otherwise): one
    edition's grades say nothing of a later inspection."""
    if newest is None or year <= newest:
        return ""
    return (f"These are the grades of {title} (judgments to {newest}), carried forward: the "
            f"edition holds no inspection after {newest}, so a later one may have changed "
            "them.")  # fmt: skip
