"""The PEEL 2017 catalogue: the report's metrics and Annex A rules, as data."""

from __future__ import annotations

import pytest

from peelmetrics import CaveatKind, Period, edition, resolve_force
from peelmetrics.catalogue.peel2017 import PERIODS

ED = edition()

METRIC_IDS = [
    "calls_for_assistance_per_1000", "asb_incidents_per_1000", "asb_incidents_change",
    "recorded_crime_per_1000", "recorded_crime_change", "charged_summonsed_share",
    "victim_does_not_support_share", "no_suspect_identified_share",
    "taken_into_consideration_share", "out_of_court_share", "action_taken_share",
    "domestic_abuse_incidents_per_1000", "domestic_abuse_share_of_crime",
    "domestic_abuse_arrest_rate", "dvpo_rate", "marac_referral_rate",
    # The report's other figures (issue: "Rules and metrics the report has that the catalogue
    # lacks"): the MARAC change, the domestic abuse charge rate, remote investigation and the
    # police share of MARAC referrals.
    "marac_referral_change", "domestic_abuse_charge_rate", "remote_investigation_share",
    "marac_police_referral_share", "ocgs_per_million", "asb_powers_per_million",
]  # fmt: skip


def test_every_metric_of_the_issue_is_declared() -> None:
    # The first issue's 16 metrics, Figure 1's two other components (for the stacked chart)
    # and the figures the report's text states.
    assert [m.id for m in ED.metrics] == METRIC_IDS


def test_figure_1_components_add_up() -> None:
    action = ED.metric("action_taken_share")
    parts = [ED.metric(c) for c in action.components]
    assert sorted(m for p in parts for m in p.numerator) == sorted(action.numerator)


def test_measures_vocabulary() -> None:
    ids = {m.id for m in ED.measures}
    for expected in [
        "population", "transient_population", "adult_female_population", "recorded_crime",
        "calls_for_assistance", "asb_incidents", "domestic_abuse_incidents",
        "domestic_abuse_offences", "domestic_abuse_arrests", "dvpos_granted", "marac_referrals",
        "organised_crime_groups", "asb_powers",
    ]:  # fmt: skip
        assert expected in ids
    assert {f"outcome_{n}" for n in range(23)} <= ids


@pytest.mark.parametrize(
    ("metric", "unit", "period"),
    [
        ("recorded_crime_per_1000", "offence / (thousand * person)", "12 months to 30 June 2017"),
        ("asb_incidents_per_1000", "incident / (thousand * person)", "12 months to 31 March 2017"),
        ("domestic_abuse_arrest_rate", "arrest / (hundred * offence)", "12 months to 30 June 2017"),
        ("dvpo_rate", "order / (hundred * offence)", "12 months to 30 June 2017"),
        (
            "marac_referral_rate",
            "referral / (ten_thousand * adult_female)",
            "12 months to 31 March 2017",
        ),
        ("ocgs_per_million", "ocg / (million * person)", "as at 1 July 2017"),
        ("charged_summonsed_share", "percent", "12 months to 30 June 2017"),
    ],
)
def test_units_and_periods(metric: str, unit: str, period: str) -> None:
    m = ED.metric(metric)
    assert m.unit == unit
    assert str(m.period) == period


def test_population_denominator_is_mid_2016() -> None:
    # Annex A, Population: "we use ... mid-2016 population estimates"
    own = [PERIODS[k] for k in PERIODS if k != "mid_2016"]
    for metric in ED.metrics:
        if metric.denominator in ("population", "adult_female_population"):
            rule = metric.denominator_rule
            assert rule is not None
            assert rule.fixed == PERIODS["mid_2016"]
            assert all(rule.preferred(p) == PERIODS["mid_2016"].end for p in own)
            # "For the specific case of City of London Police, we include both resident and
            # transient population within our calculations."
            expected = ("transient_population",) if metric.denominator == "population" else ()
            assert metric.denominator_plus == expected


def test_outcome_shares_are_tracked() -> None:
    for mid in ("charged_summonsed_share", "victim_does_not_support_share",
                "no_suspect_identified_share", "action_taken_share"):  # fmt: skip
        assert ED.metric(mid).basis is not None
        assert ED.metric(mid).basis.value == "tracked"


def test_caveats_quote_the_report() -> None:
    seed = pytest.importorskip("pathlib").Path(__file__).resolve().parents[3] / "shared" / "seed"
    path = seed / "peel-effectiveness-2017-hertfordshire.txt"
    if not path.exists():
        pytest.skip("seed report not present beside the repository")
    text = " ".join(path.read_text(encoding="utf-8").split())
    for caveat in ED.caveats:
        assert " ".join(caveat.text.split()) in text, caveat.id


def _caveat_forces(caveat_id: str) -> set[str]:
    return {resolve_force(c).short_name for c in ED.caveat(caveat_id).forces}


@pytest.mark.parametrize(
    ("caveat_id", "forces", "kind", "excluded"),
    [
        ("btp_out_of_scope", {"British Transport Police"}, CaveatKind.OUT_OF_SCOPE, True),
        ("suffolk_no_outcomes_2017", {"Suffolk"}, CaveatKind.NOT_SUPPLIED, True),
        ("dorset_no_outcomes_2016", {"Dorset"}, CaveatKind.NOT_SUPPLIED, True),
        ("north_yorkshire_domestic_abuse_not_comparable", {"North Yorkshire"},
         CaveatKind.NOT_COMPARABLE, True),
        ("domestic_abuse_arrests_not_supplied_2017",
         {"Durham", "Lancashire", "Warwickshire", "West Mercia"}, CaveatKind.NOT_SUPPLIED, True),
        ("domestic_abuse_arrests_not_supplied_2016",
         {"Cambridgeshire", "Derbyshire", "Durham", "Gloucestershire"},
         CaveatKind.NOT_SUPPLIED, True),
        # "the impact on the 2016 data provided to HMICFRS would be marginal and ... these
        # are the most reliable data it can provide": a note, not partial data.
        ("lancashire_domestic_abuse_arrests_2016", {"Lancashire"}, CaveatKind.NOTE, False),
        ("out_of_court_disposals_pilot", {"Leicestershire", "Staffordshire", "West Yorkshire"},
         CaveatKind.NOTE, False),
        ("city_of_london_ocgs_not_comparable", {"City of London"}, CaveatKind.NOT_COMPARABLE,
         True),
        ("warwickshire_west_mercia_ocgs_2016_combined", {"Warwickshire", "West Mercia"},
         CaveatKind.COMBINED_WITH, False),
        ("asb_powers_not_supplied", {"Bedfordshire", "Greater Manchester", "Metropolitan Police"},
         CaveatKind.NOT_SUPPLIED, True),
        # "Greater Manchester Police was unable to provide any 2016 ASB use of powers data."
        ("greater_manchester_asb_powers_not_supplied_2016", {"Greater Manchester"},
         CaveatKind.NOT_SUPPLIED, True),
        ("suffolk_asb_powers_southern_area_only", {"Suffolk"}, CaveatKind.NOT_COMPARABLE, True),
        ("asb_powers_partial_gloucestershire_hertfordshire", {"Gloucestershire", "Hertfordshire"},
         CaveatKind.PARTIAL, False),
        ("asb_powers_partial_humberside", {"Humberside"}, CaveatKind.PARTIAL, False),
        ("asb_powers_partial_merseyside", {"Merseyside"}, CaveatKind.PARTIAL, False),
        ("warwickshire_asb_2016_estimated", {"Warwickshire"}, CaveatKind.ESTIMATED, False),
    ],
)  # fmt: skip
def test_annex_a_rules(caveat_id: str, forces: set[str], kind: CaveatKind, excluded: bool) -> None:
    caveat = ED.caveat(caveat_id)
    assert _caveat_forces(caveat_id) == forces
    assert caveat.kind is kind
    assert caveat.excluded_from_national is excluded


def test_partial_asb_powers_name_missing_components() -> None:
    assert "civil injunctions" in (
        ED.caveat("asb_powers_partial_gloucestershire_hertfordshire").detail or ""
    )
    assert "dispersal orders" in (ED.caveat("asb_powers_partial_merseyside").detail or "")


def test_informational_caveats_exist() -> None:
    for caveat_id, kind in [
        ("fraud_excluded", CaveatKind.DEFINITION),
        ("outcomes_tracked_provisional", CaveatKind.PROVISIONAL),
        ("domestic_abuse_outcomes_untracked", CaveatKind.DEFINITION),
        ("asb_incidents_quality_assurance", CaveatKind.NOTE),
        ("calls_for_assistance_breakdown_changed", CaveatKind.SERIES_BREAK),
        ("recorded_crime_recording_improvements", CaveatKind.SERIES_BREAK),
        ("marac_period_mismatch", CaveatKind.PERIOD_MISMATCH),
        ("staff_survey_sample", CaveatKind.SMALL_SAMPLE),
        ("public_survey_sample", CaveatKind.SMALL_SAMPLE),
        ("file_review_sample", CaveatKind.SMALL_SAMPLE),
    ]:
        assert ED.caveat(caveat_id).kind is kind


def test_survey_caveats_touch_no_metric() -> None:
    for metric in ED.metrics:
        assert "staff_survey_sample" not in [c.id for c in ED.caveats_for(metric.id)]


def test_marac_benchmark_and_periods() -> None:
    marac = ED.metric("marac_referral_rate")
    assert marac.benchmark == 40.0
    assert marac.period == Period.year_to(2017, 3)


def test_unknown_metric_suggests() -> None:
    from peelmetrics import UnknownMetricError

    with pytest.raises(UnknownMetricError, match="dvpo_rate"):
        ED.metric("dvpo_rates")


def test_asb_powers_2016_exclusion_names_only_greater_manchester() -> None:
    # Annex A names Bedfordshire, Greater Manchester and the Metropolitan Police for 2017,
    # and only "Greater Manchester Police was unable to provide any 2016 ASB use of powers
    # data" for 2016.
    p16 = PERIODS["year_to_june_2016"]
    applies = {
        resolve_force(f).short_name
        for c in ED.caveats_for("asb_powers_per_million")
        if c.excluded_from_national and p16 in c.periods
        for f in c.forces
    }
    assert applies == {"Greater Manchester"}


def test_out_of_court_disposals_note_reaches_every_force() -> None:
    # "Other forces subsequently also limited their use of some out of court disposals.
    # Therefore, the outcomes data should be viewed with this in mind."
    caveat = ED.caveat("out_of_court_disposals_limited")
    assert caveat.forces == ()
    assert "charged_summonsed_share" in caveat.metrics


def test_assumptions_are_marked_as_such() -> None:
    # The report gives no date for the 2016 OCG counts.
    assert "Assumption" in (ED.caveat("warwickshire_west_mercia_ocgs_2016_combined").detail or "")
