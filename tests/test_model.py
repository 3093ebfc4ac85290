"""Every model type validates at construction and round-trips through JSON-compatible dicts."""

from __future__ import annotations

import json
from typing import Any

import pytest

from peelmetrics import (
    CaveatKind,
    DataCaveat,
    InvalidValueError,
    Measure,
    Metric,
    OutcomeGroup,
    OutcomeGrouping,
    OutcomeType,
    Period,
    Presentation,
    Status,
    edition,
)
from peelmetrics.caveats import worst_status


def _round_trip(value: Any) -> None:
    data = value.to_dict()
    assert json.loads(json.dumps(data)) == data  # JSON-compatible
    assert type(value).from_dict(data) == value


@pytest.mark.parametrize("metric", edition().metrics, ids=lambda m: m.id)
def test_metric_round_trip(metric: Metric) -> None:
    _round_trip(metric)


@pytest.mark.parametrize("caveat", edition().caveats, ids=lambda c: c.id)
def test_caveat_round_trip(caveat: DataCaveat) -> None:
    _round_trip(caveat)


def test_measures_grouping_round_trip() -> None:
    for measure in edition().measures:
        _round_trip(measure)
    _round_trip(edition().outcome_grouping)


def test_edition_dict_is_json() -> None:
    data = edition().to_dict()
    assert json.loads(json.dumps(data))["id"] == "peel2017"


def test_from_dict_rejects_bad_values() -> None:
    data = edition().metric("dvpo_rate").to_dict()
    data["period"] = {"end": "2017-06-30", "months": 7}
    with pytest.raises(InvalidValueError):
        Metric.from_dict(data)
    data = edition().metric("dvpo_rate").to_dict()
    data["unexpected"] = 1
    with pytest.raises(InvalidValueError):
        Metric.from_dict(data)


def test_outcome_types() -> None:
    assert len(OutcomeType) == 23
    assert OutcomeType(18).label.startswith("Investigation complete")
    with pytest.raises(InvalidValueError, match="0 to 22"):
        OutcomeGroup("bad", "Bad", (23,))


def test_outcome_type_in_two_groups_rejected() -> None:
    with pytest.raises(InvalidValueError, match="outcome type 1 is in both"):
        OutcomeGrouping("x", (OutcomeGroup("a", "A", (1,)), OutcomeGroup("b", "B", (1, 2))))


def test_peel2017_action_taken_grouping() -> None:
    # Figure 1 footnote 7 and the reference notes: formal = 2, 3, 6, 7; informal = 8.
    grouping = edition().outcome_grouping
    assert grouping.group("out_of_court_formal").types == (2, 3, 6, 7)
    assert grouping.group("out_of_court_informal").types == (8,)
    assert edition().metric("action_taken_share").numerator == (
        "outcome_1",
        "outcome_4",
        "outcome_2",
        "outcome_3",
        "outcome_6",
        "outcome_7",
        "outcome_8",
    )


def test_metric_validation() -> None:
    base = edition().metric("dvpo_rate")
    with pytest.raises(InvalidValueError, match="needs a denominator"):
        Metric.from_dict({**base.to_dict(), "denominator": None})
    with pytest.raises(InvalidValueError, match="must be in percent"):
        Metric.from_dict({**base.to_dict(), "kind": "share"})


def test_measure_id_must_be_identifier() -> None:
    with pytest.raises(ValueError, match="must match"):
        Measure(id="Bad Id", title="x", unit="offence")


def test_presentation() -> None:
    assert Presentation(1, "number").format(0.25) == "0.3"
    assert Presentation(0, "percent").format(12.5) == "13%"
    # The report prints "-0.05%": a change below the precision is not printed as none.
    assert Presentation(0, "signed_percent").format(-0.4) == "-0.4%"
    assert Presentation(0, "signed_percent").format(0) == "0%"
    assert Presentation(2, "signed_percent").format(-0.049) == "-0.05%"
    assert Presentation(0, "number").format(1234.6) == "1,235"
    assert Presentation(0, "number").format(None) == "–"


def test_combined_caveat_needs_two_forces() -> None:
    with pytest.raises(InvalidValueError, match="two or more forces"):
        DataCaveat(
            id="x",
            kind=CaveatKind.COMBINED_WITH,
            text="Some sentence here.",
            section="A",
            forces=("E23000017",),
        )


def test_caveat_applies_to() -> None:
    caveat = edition().caveat("suffolk_no_outcomes_2017")
    assert caveat.applies_to("charged_summonsed_share", Period.year_to(2017, 6), "E23000025")
    assert not caveat.applies_to("charged_summonsed_share", Period.year_to(2016, 6), "E23000025")
    assert not caveat.applies_to("charged_summonsed_share", Period.year_to(2017, 6), "E23000027")
    assert not caveat.applies_to("dvpo_rate", Period.year_to(2017, 6), "E23000025")


def test_worst_status() -> None:
    assert worst_status([]) is Status.OK
    assert worst_status([Status.ESTIMATED, Status.EXCLUDED, Status.PARTIAL]) is Status.EXCLUDED


# --- no silent coercion (hostile inputs) -----------------------------------------------


@pytest.mark.parametrize(
    ("field", "value"),
    [("geographic", "false"), ("name", None), ("short_name", 12), ("geographic", 0)],
)
def test_force_from_dict_refuses_coercions(field: str, value: object) -> None:
    from peelmetrics import Force, resolve_force

    data = {**resolve_force("Kent").to_dict(), field: value}
    with pytest.raises(InvalidValueError):
        Force.from_dict(data)


def test_one_string_is_one_item_not_its_letters() -> None:
    from peelmetrics import Force

    assert Force("E23000027", "x", "y", aliases="Herts").aliases == ("Herts",)
    data = {**edition().metric("dvpo_rate").to_dict(), "numerator": "dvpos_granted"}
    assert Metric.from_dict(data).numerator == ("dvpos_granted",)


@pytest.mark.parametrize("months", [12.9, True, "12", None])
def test_period_months_must_be_a_whole_number(months: object) -> None:
    with pytest.raises(InvalidValueError):
        Period.from_dict({"end": "2017-06-30", "months": months})
    if months is not None:
        with pytest.raises(InvalidValueError):
            Period("2017-06-30", months)  # type: ignore[arg-type]


@pytest.mark.parametrize("data", [None, [], "x", {"end": "2017-06-30"}])
def test_from_dict_of_the_wrong_shape(data: object) -> None:
    with pytest.raises(InvalidValueError):
        Period.from_dict(data)  # type: ignore[arg-type]
    with pytest.raises(InvalidValueError):
        Measure.from_dict(data)  # type: ignore[arg-type]


def test_enums_compare_equal_to_their_text() -> None:
    from peelmetrics import Scale

    assert Status.OK == "ok"
    assert Scale.PER_100 == "hundred"
    assert {"ok": 1}[Status.OK] == 1
