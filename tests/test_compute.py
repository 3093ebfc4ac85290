"""compute(): force values, statuses, caveats and England and Wales figures under Annex A."""

from __future__ import annotations

import math
from collections.abc import Iterable

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from peelmetrics import (
    ENGLAND_AND_WALES_CODE,
    IncomparableError,
    Metric,
    all_forces,
    check_comparable,
    compute,
    edition,
    make_counts,
    resolve_force,
)
from peelmetrics.catalogue.peel2017 import PERIODS

ED = edition()
FORCES = all_forces(geographic_only=True)
P17, P16 = "2017-06-30", "2016-06-30"
POP = "2016-06-30"


def _all_forces(measure: str, end: str, months: int, value: float = 1000.0) -> list[tuple]:
    return [(f.code, end, months, measure, value, "test") for f in FORCES]


def _row(results: pd.DataFrame, force: str, metric: str, end: str) -> pd.Series:
    code = force if force == ENGLAND_AND_WALES_CODE else resolve_force(force).code
    hit = results[
        (results.force == code)
        & (results.metric == metric)
        & (results.period_end == pd.Timestamp(end))
    ]
    assert len(hit) == 1, (force, metric, end)
    return hit.iloc[0]


def _national(results: pd.DataFrame, metric: str, end: str) -> pd.Series:
    return _row(results, ENGLAND_AND_WALES_CODE, metric, end)


def _excluded(row: pd.Series) -> dict[str, str]:
    return {e["force"]: e["reason"] for e in row["excluded"]}


def _outcome_counts(extra: Iterable[tuple] = ()) -> pd.DataFrame:
    records = _all_forces("recorded_crime", P17, 12, 1000) + _all_forces("outcome_1", P17, 12, 100)
    return make_counts([*records, *extra])


def test_force_rate_and_national_ratio_of_sums() -> None:
    records = [
        (f.code, POP, 0, "population", 1000.0 * (i + 1), "t") for i, f in enumerate(FORCES)
    ] + [(f.code, P17, 12, "recorded_crime", 50.0 * (i + 1), "t") for i, f in enumerate(FORCES)]
    results = compute(make_counts(records), ["recorded_crime_per_1000"])
    herts = _row(results, "Hertfordshire", "recorded_crime_per_1000", P17)
    assert herts.value == pytest.approx(50.0)
    assert herts.status == "ok"
    assert herts.unit == "offence / (thousand * person)"
    national = _national(results, "recorded_crime_per_1000", P17)
    assert national.value == pytest.approx(50.0)
    assert national.status == "ok"
    # City of London has no transient population here: flagged, still in the national sum.
    city = _row(results, "City of London", "recorded_crime_per_1000", P17)
    assert city.status == "partial"
    assert "city_of_london_population_basis" in city.caveats
    assert _excluded(national) == {"BTP": "btp_out_of_scope"}


def test_suffolk_2017_outcomes_do_not_move_national_share() -> None:
    base = compute(_outcome_counts(), ["charged_summonsed_share"])
    suffolk = resolve_force("Suffolk").code
    boosted = _outcome_counts()
    boosted.loc[(boosted.force == suffolk) & (boosted.measure == "outcome_1"), "value"] = 999.0
    moved = compute(boosted, ["charged_summonsed_share"])
    assert _national(moved, "charged_summonsed_share", P17).value == pytest.approx(
        _national(base, "charged_summonsed_share", P17).value
    )
    assert _national(base, "charged_summonsed_share", P17).value == pytest.approx(10.0)
    assert _excluded(_national(base, "charged_summonsed_share", P17))[suffolk] == (
        "suffolk_no_outcomes_2017"
    )
    row = _row(moved, "Suffolk", "charged_summonsed_share", P17)
    assert row.status == "excluded"  # supplied, but the report had none: kept out, dashed
    assert row.value == pytest.approx(99.9)
    assert row.display == "–"


def test_suffolk_without_data_is_not_supplied() -> None:
    counts = _outcome_counts()
    counts = counts[
        ~((counts.force == resolve_force("Suffolk").code) & (counts.measure == "outcome_1"))
    ]
    results = compute(counts, ["charged_summonsed_share"])
    row = _row(results, "Suffolk", "charged_summonsed_share", P17)
    assert (row.status, row.display) == ("not_supplied", "–")
    assert _national(results, "charged_summonsed_share", P17).status == "ok"


def test_btp_never_moves_national() -> None:
    base = make_counts(_all_forces("recorded_crime", P17, 12) + _all_forces("population", POP, 0))
    with_btp = make_counts(
        [
            *base.itertuples(index=False, name=None),
            ("BTP", P17, 12, "recorded_crime", 1000000000.0, "t"),
            ("BTP", POP, 0, "population", 1.0, "t"),
        ]
    )
    a = _national(compute(base, ["recorded_crime_per_1000"]), "recorded_crime_per_1000", P17)
    results = compute(with_btp, ["recorded_crime_per_1000"])
    b = _national(results, "recorded_crime_per_1000", P17)
    assert a.value == pytest.approx(b.value)
    assert a.value == pytest.approx(1000.0)
    btp = _row(results, "BTP", "recorded_crime_per_1000", P17)
    assert btp.status == "excluded"


def _da_counts(arrests: float = 500.0, extra: Iterable[tuple] = ()) -> pd.DataFrame:
    records = _all_forces("domestic_abuse_offences", P17, 12, 1000.0)
    records += [
        (f.code, P17, 12, "domestic_abuse_arrests", arrests, "t")
        for f in FORCES
        if f.short_name not in {"Durham", "Lancashire", "Warwickshire", "West Mercia"}
    ]
    return make_counts([*records, *extra])


def test_north_yorkshire_arrests_never_enter_figure_2() -> None:
    counts = _da_counts()
    ny = resolve_force("North Yorkshire").code
    base = _national(
        compute(counts, ["domestic_abuse_arrest_rate"]), "domestic_abuse_arrest_rate", P17
    )
    counts.loc[(counts.force == ny) & (counts.measure == "domestic_abuse_arrests"), "value"] = 1e6
    results = compute(counts, ["domestic_abuse_arrest_rate"])
    national = _national(results, "domestic_abuse_arrest_rate", P17)
    assert national.value == pytest.approx(base.value)
    assert national.value == pytest.approx(50.0)
    assert national.status == "ok"
    excluded = _excluded(national)
    assert excluded[ny] == "north_yorkshire_domestic_abuse_not_comparable"
    for name in ("Durham", "Lancashire", "Warwickshire", "West Mercia"):
        assert excluded[resolve_force(name).code] == "domestic_abuse_arrests_not_supplied_2017"
    row = _row(results, "North Yorkshire", "domestic_abuse_arrest_rate", P17)
    assert (row.status, row.display) == ("not_comparable", "–")


def test_lancashire_2016_arrests_are_used_as_they_are() -> None:
    # "the impact on the 2016 data provided to HMICFRS would be marginal and ... these are
    # the most reliable data it can provide": informational, the value stands.
    records = _all_forces("domestic_abuse_offences", P16, 12, 1000.0) + [
        (f.code, P16, 12, "domestic_abuse_arrests", 400.0, "t")
        for f in FORCES
        if f.short_name not in {"Cambridgeshire", "Derbyshire", "Durham", "Gloucestershire"}
    ]
    results = compute(make_counts(records), ["domestic_abuse_arrest_rate"])
    lancs = _row(results, "Lancashire", "domestic_abuse_arrest_rate", P16)
    assert lancs.status == "ok"
    assert "lancashire_domestic_abuse_arrests_2016" in lancs.caveats
    national = _national(results, "domestic_abuse_arrest_rate", P16)
    assert resolve_force("Lancashire").code not in _excluded(national)
    assert national.value == pytest.approx(40.0)


def test_warwickshire_west_mercia_combined_2016_ocgs() -> None:
    warks, wm = resolve_force("Warwickshire").code, resolve_force("West Mercia").code
    records = [(f.code, POP, 0, "population", 1_000_000.0, "t") for f in FORCES]
    records = [r for r in records if r[0] not in (warks, wm)]
    records += [
        (warks, POP, 0, "population", 554_000.0, "t"),
        (wm, POP, 0, "population", 1_246_000.0, "t"),
    ]
    ocg = [
        (f.code, "2016-07-01", 0, "organised_crime_groups", 10.0, "t")
        for f in FORCES
        if f.code not in (warks, wm)
    ]
    ocg.append((warks, "2016-07-01", 0, "organised_crime_groups", 36.0, "t"))  # the combined total
    results = compute(make_counts(records + ocg), ["ocgs_per_million"])
    for code in (warks, wm):
        row = _row(results, code, "ocgs_per_million", "2016-07-01")
        assert row.value == pytest.approx(36 / 1.8)  # 36 OCGs over 1.8 million combined
        assert row.display == "20"
        assert "warwickshire_west_mercia_ocgs_2016_combined" in row.caveats
    national = _national(results, "ocgs_per_million", "2016-07-01")
    # 40 other forces (City excluded) x 10 OCGs + 36 once, over their populations.
    assert national.value == pytest.approx((40 * 10 + 36) / (40 + 1.8))
    assert resolve_force("City of London").code in _excluded(national)


def test_combined_counts_that_disagree_raise() -> None:
    warks, wm = resolve_force("Warwickshire").code, resolve_force("West Mercia").code
    counts = make_counts(
        [
            (warks, "2016-07-01", 0, "organised_crime_groups", 36.0, "t"),
            (wm, "2016-07-01", 0, "organised_crime_groups", 30.0, "t"),
        ]
    )
    with pytest.raises(ValueError, match="combined count"):
        compute(counts, ["ocgs_per_million"])


def test_city_of_london_transient_population() -> None:
    city = resolve_force("City of London").code
    counts = make_counts(
        [
            (city, POP, 0, "population", 9_000.0, "t"),
            (city, POP, 0, "transient_population", 351_000.0, "t"),
            (city, P17, 12, "recorded_crime", 7_200.0, "t"),
        ]
    )
    row = _row(compute(counts, ["recorded_crime_per_1000"]), city, "recorded_crime_per_1000", P17)
    assert row.value == pytest.approx(20.0)
    assert row.denominator == 360_000.0
    assert "city_of_london_population_basis" not in row.caveats
    assert row.status == "ok"


def test_national_needs_complete_coverage_by_default() -> None:
    counts = make_counts(
        [
            ("Hertfordshire", P17, 12, "dvpos_granted", 68, "report"),
            ("Hertfordshire", P17, 12, "domestic_abuse_offences", 9658, "report"),
        ]
    )
    strict = _national(compute(counts, ["dvpo_rate"]), "dvpo_rate", P17)
    assert strict.status == "not_supplied"
    assert math.isnan(strict.value)
    assert _excluded(strict)[resolve_force("Bedfordshire").code] == "no data supplied"
    loose = _national(compute(counts, ["dvpo_rate"], national="available"), "dvpo_rate", P17)
    assert loose.status == "partial"
    assert loose.value == pytest.approx(100 * 68 / 9658)


def test_change_metric_and_estimated_base() -> None:
    records = _all_forces("asb_incidents", "2017-03-31", 12, 1230.0) + _all_forces(
        "asb_incidents", "2016-03-31", 12, 1000.0
    )
    results = compute(make_counts(records), ["asb_incidents_change"])
    row = _row(results, "Hertfordshire", "asb_incidents_change", "2017-03-31")
    assert row.value == pytest.approx(23.0)
    assert row.display == "+23%"
    warks = _row(results, "Warwickshire", "asb_incidents_change", "2017-03-31")
    assert warks.status == "estimated"  # its 2015-16 base is 2% estimated (Annex A)
    assert _national(results, "asb_incidents_change", "2017-03-31").value == pytest.approx(23.0)


def test_outcome_group_members_missing_for_one_force_count_as_zero() -> None:
    records = _all_forces("recorded_crime", P17, 12, 1000.0)
    for n in (1, 2, 3, 4, 6, 7):
        records += _all_forces(f"outcome_{n}", P17, 12, 10.0)
    records.append(("Hertfordshire", P17, 12, "outcome_8", 50.0, "t"))
    results = compute(make_counts(records), ["action_taken_share"])
    # Long tables omit zero rows: Kent has no outcome_8 row, so its 8 counts as 0.
    assert _row(results, "Hertfordshire", "action_taken_share", P17).value == pytest.approx(11.0)
    assert _row(results, "Kent", "action_taken_share", P17).value == pytest.approx(6.0)


def test_outcome_group_member_absent_everywhere_is_not_supplied() -> None:
    records = _all_forces("recorded_crime", P17, 12, 1000.0) + _all_forces(
        "outcome_1", P17, 12, 1.0
    )
    results = compute(make_counts(records), ["action_taken_share"])
    row = _row(results, "Hertfordshire", "action_taken_share", P17)
    # Only charged/summonsed was supplied: Figure 1 cannot be built from it alone.
    assert (row.status, row.display) == ("not_supplied", "–")


def test_rounding_at_boundaries() -> None:
    counts = make_counts(
        [
            ("Hertfordshire", P17, 12, "dvpos_granted", 25, "t"),
            ("Hertfordshire", P17, 12, "domestic_abuse_offences", 10_000, "t"),
            ("Hertfordshire", P17, 12, "recorded_crime", 1_000, "t"),
            ("Hertfordshire", P17, 12, "outcome_1", 125, "t"),
        ]
    )
    results = compute(counts, ["dvpo_rate", "charged_summonsed_share"])
    assert _row(results, "Hertfordshire", "dvpo_rate", P17).display == "0.3"  # 0.25 per 100
    assert _row(results, "Hertfordshire", "charged_summonsed_share", P17).display == "13%"  # 12.5%


def test_results_are_deterministic_and_typed() -> None:
    counts = _da_counts()
    a = compute(counts, ["domestic_abuse_arrest_rate"])
    b = compute(counts.sample(frac=1, random_state=1), ["domestic_abuse_arrest_rate"])
    pd.testing.assert_frame_equal(a, b)
    assert a["value"].dtype == "float64"
    assert list(a.columns)[:4] == ["force", "force_name", "metric", "period_end"]


def test_unknown_metric() -> None:
    from peelmetrics import UnknownMetricError

    with pytest.raises(UnknownMetricError):
        compute(_da_counts(), ["arrest_rate"])


def test_tracked_and_untracked_are_incomparable() -> None:
    tracked = ED.metric("charged_summonsed_share")
    untracked = Metric.from_dict(
        {**tracked.to_dict(), "id": "da_charged_share", "numerator": ["untracked_outcome_1"],
         "basis": "untracked"}
    )  # fmt: skip
    with pytest.raises(IncomparableError, match="tracked"):
        check_comparable(tracked, untracked)


def test_different_periods_and_units_are_incomparable() -> None:
    with pytest.raises(IncomparableError, match="covers"):
        check_comparable(
            ED.metric("dvpo_rate"),
            ED.metric("dvpo_rate"),
            PERIODS["year_to_june_2017"],
            PERIODS["year_to_march_2017"],
        )
    check_comparable(
        ED.metric("dvpo_rate"), ED.metric("dvpo_rate"), PERIODS["year_to_june_2017"],
        PERIODS["year_to_june_2016"], allow_different_periods=True,
    )  # fmt: skip
    with pytest.raises(IncomparableError, match="order"):
        check_comparable(ED.metric("dvpo_rate"), ED.metric("domestic_abuse_arrest_rate"))


@settings(max_examples=40, deadline=None)
@given(
    st.lists(st.integers(0, 5000), min_size=43, max_size=43),
    st.lists(st.integers(1, 20000), min_size=43, max_size=43),
    st.booleans(),
)
def test_national_is_ratio_of_sums_of_included_forces(
    arrests: list[int], offences: list[int], ny_extreme: bool
) -> None:
    records = []
    for force, a, o in zip(FORCES, arrests, offences, strict=True):
        records.append((force.code, P17, 12, "domestic_abuse_offences", float(o), "t"))
        records.append((force.code, P17, 12, "domestic_abuse_arrests", float(a), "t"))
    if ny_extreme:
        records.append(("BTP", P17, 12, "domestic_abuse_arrests", 1e7, "t"))
    results = compute(make_counts(records), ["domestic_abuse_arrest_rate"])
    national = _national(results, "domestic_abuse_arrest_rate", P17)
    left_out = set(_excluded(national))
    included = [
        (a, o) for f, a, o in zip(FORCES, arrests, offences, strict=True) if f.code not in left_out
    ]
    assert len(included) == 43 - 5  # North Yorkshire and the four forces without 2017 data
    expected = 100 * sum(a for a, _ in included) / sum(o for _, o in included)
    assert national.value == pytest.approx(expected)


# --- denominators in time (Annex A, "Population") ----------------------------------------


def _herts_crime(end: str, populations: dict[str, float]) -> pd.Series:
    records = [("Hertfordshire", end, 12, "recorded_crime", 66_000.0, "HO")]
    records += [("Hertfordshire", d, 0, "population", v, f"ONS {d[:4]}") for d, v in
                populations.items()]  # fmt: skip
    results = compute(make_counts(records), ["recorded_crime_per_1000"])
    return _row(results, "Hertfordshire", "recorded_crime_per_1000", end)


def test_a_far_period_is_not_silently_divided_by_mid_2016() -> None:
    # 12 months to March 2003 with only the mid-2016 estimate: the rate is a stand-in.
    row = _herts_crime("2003-03-31", {POP: 1_100_000.0})
    assert row.value == pytest.approx(60.0)
    assert row.status == "estimated"
    assert "population_estimate_other_year" in row.caveats
    assert row.denominator_period == pd.Timestamp(POP)
    assert row.denominator_months == 0


def test_other_periods_use_the_latest_estimate_before_they_start() -> None:
    pops = {"2001-06-30": 1_000_000.0, "2002-06-30": 1_050_000.0, POP: 1_100_000.0}
    # April 2002 to March 2003 starts after mid-2001 and before mid-2002.
    row = _herts_crime("2003-03-31", pops)
    assert (row.denominator_period, row.value, row.status) == (
        pd.Timestamp("2001-06-30"),
        pytest.approx(66.0),
        "ok",
    )
    assert "ONS 2001" in row.source
    assert "ONS 2016" not in row.source
    # A user's mid-2017 estimate is used for the year to June 2018, which starts July 2017.
    pops = {POP: 1_100_000.0, "2017-06-30": 1_200_000.0}
    row = _herts_crime("2018-06-30", pops)
    assert (row.denominator_period, row.value, row.status) == (
        pd.Timestamp("2017-06-30"),
        pytest.approx(55.0),
        "ok",
    )


def test_the_reports_own_period_keeps_mid_2016() -> None:
    pops = {POP: 1_100_000.0, "2017-06-30": 1_200_000.0}
    row = _herts_crime(P17, pops)
    assert (row.denominator_period, row.value, row.status) == (
        pd.Timestamp(POP),
        pytest.approx(60.0),
        "ok",
    )
    # Without the report's estimate, a later one stands in and says so.
    row = _herts_crime(P17, {"2017-06-30": 1_200_000.0})
    assert (row.denominator_period, row.status) == (pd.Timestamp("2017-06-30"), "estimated")
    assert "population_estimate_other_year" in row.caveats


def test_national_row_names_the_shared_denominator() -> None:
    records = _all_forces("recorded_crime", "2018-06-30", 12, 50.0) + _all_forces(
        "population", "2017-06-30", 0, 1000.0
    )
    results = compute(make_counts(records), ["recorded_crime_per_1000"])
    national = _national(results, "recorded_crime_per_1000", "2018-06-30")
    assert (national.value, national.status) == (pytest.approx(50.0), "ok")
    assert national.denominator_period == pd.Timestamp("2017-06-30")
    # The report's own period has no mid-2016 estimate here: every force stands in.
    records = _all_forces("recorded_crime", P17, 12, 50.0) + _all_forces(
        "population", "2017-06-30", 0, 1000.0
    )
    results = compute(make_counts(records), ["recorded_crime_per_1000"])
    assert _national(results, "recorded_crime_per_1000", P17).status == "estimated"


# --- model rules, whatever an edition declares -------------------------------------------


def test_a_non_geographic_force_never_moves_national_even_without_a_caveat() -> None:
    import attrs

    forgetful = attrs.evolve(ED, caveats=tuple(c for c in ED.caveats if c.id != "btp_out_of_scope"))
    base = _all_forces("recorded_crime", P17, 12) + _all_forces("population", POP, 0)
    btp = [("BTP", P17, 12, "recorded_crime", 1e9, "t"), ("BTP", POP, 0, "population", 1.0, "t")]
    results = compute(make_counts(base + btp), ["recorded_crime_per_1000"], forgetful)
    national = _national(results, "recorded_crime_per_1000", P17)
    assert national.value == pytest.approx(1000.0)
    assert _excluded(national)["BTP"] == "not a geographic force"
    assert national.numerator == pytest.approx(43 * 1000.0)


# --- provenance ---------------------------------------------------------------------------


def test_rows_name_their_sources_and_window() -> None:
    records = [
        ("Hertfordshire", P17, 12, "dvpos_granted", 68, "HMICFRS return"),
        ("Hertfordshire", P17, 12, "domestic_abuse_offences", 9658, "Home Office DA data"),
        ("Hertfordshire", "2017-07-01", 0, "organised_crime_groups", 56, "HMICFRS return"),
        ("Hertfordshire", POP, 0, "population", 1_176_720, "ONS MYE2"),
    ]
    results = compute(make_counts(records), ["dvpo_rate", "ocgs_per_million"])
    dvpo = _row(results, "Hertfordshire", "dvpo_rate", P17)
    assert dvpo.source == "HMICFRS return; Home Office DA data"
    assert (dvpo.period_months, dvpo.denominator_period) == (12, pd.Timestamp(P17))
    ocg = _row(results, "Hertfordshire", "ocgs_per_million", "2017-07-01")
    assert ocg.source == "HMICFRS return; ONS MYE2"
    assert (ocg.period_months, ocg.denominator_months) == (0, 0)
    assert ocg.display == "48"  # 56 / 1,176,720 x 1,000,000 = 47.6
