"""Judgments under risk-based inspection."""

from __future__ import annotations

import pytest

from peelmetrics import Grade, InvalidValueError, Judgment, Question, current_judgments, edition

# Report, "Effectiveness overview", judgments table.
HERTFORDSHIRE_2017 = [
    (Question.PREVENTING_CRIME, Grade.GOOD, 2016),
    (Question.INVESTIGATING_CRIME, Grade.GOOD, 2017),
    (Question.PROTECTING_VULNERABLE, Grade.REQUIRES_IMPROVEMENT, 2017),
    (Question.SERIOUS_ORGANISED_CRIME, Grade.GOOD, 2016),
    (Question.SPECIALIST_CAPABILITIES, Grade.UNGRADED, 2017),
]


def test_hertfordshire_table_from_2016_and_2017_history() -> None:
    history = [Judgment("Hertfordshire", q, g, y) for q, g, y in HERTFORDSHIRE_2017] + [
        # 2016 judgments later superseded by the 2017 inspection (grades illustrative).
        Judgment("Hertfordshire", Question.INVESTIGATING_CRIME, "Requires improvement", 2016),
        Judgment("Hertfordshire", Question.PROTECTING_VULNERABLE, "Inadequate", 2016),
        Judgment("Hertfordshire", Question.SPECIALIST_CAPABILITIES, "Ungraded", 2016),
        # A 2018 judgment must not leak into 2017.
        Judgment("Hertfordshire", Question.PREVENTING_CRIME, "Outstanding", 2018),
    ]
    current = current_judgments(history, 2017)
    assert [(j.question, j.grade, j.last_inspected) for j in current] == HERTFORDSHIRE_2017


def test_catalogue_judgments_reproduce_report_table() -> None:
    current = current_judgments(edition().judgments, 2017)
    table = [
        (j.question, j.grade, j.last_inspected) for j in current if j.question != Question.OVERALL
    ]
    assert table == HERTFORDSHIRE_2017


def test_unknown_grade_rejected() -> None:
    with pytest.raises(InvalidValueError, match="unknown grade 'Great'"):
        Judgment("Hertfordshire", Question.OVERALL, "Great", 2017)


def test_year_before_peel_rejected() -> None:
    with pytest.raises(InvalidValueError, match="outside PEEL"):
        Judgment("Hertfordshire", Question.OVERALL, "Good", 1999)


def test_conflicting_same_year_grades_rejected() -> None:
    history = [
        Judgment("Hertfordshire", Question.OVERALL, "Good", 2017),
        Judgment("Hertfordshire", Question.OVERALL, "Inadequate", 2017),
    ]
    with pytest.raises(InvalidValueError, match="two different 2017 grades"):
        current_judgments(history, 2017)


def test_round_trip() -> None:
    j = Judgment(
        "Hertfordshire", "Protecting vulnerable people", "Requires improvement", 2017, note="n"
    )
    assert Judgment.from_dict(j.to_dict()) == j
    assert j.to_dict()["grade"] == "Requires improvement"
