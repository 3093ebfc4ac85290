"""What a user sees keeps to the report: each test quotes the sentence it checks."""

from __future__ import annotations

import json

import pytest

import peelmetrics as pm
from peelmetrics.cli import main

CITY = pm.resolve_force("City of London").code


def test_city_of_london_rate_on_the_wrong_base_is_not_a_figure() -> None:
    # Annex A, Population: "For the specific case of City of London Police, we include both
    # resident and transient population within our calculations." None is bundled.
    panel = pm.force_in_numbers("City of London").set_index("metric")
    row = panel.loc["recorded_crime_per_1000"]
    assert row.display == "–"
    assert row.status == "partial"
    assert row.value == pytest.approx(5615 / 9.401, rel=0.01)  # kept, unrounded
    assert "transient population" in row.reason
    shown = pm.force_in_numbers("City of London", show_partial=True).set_index("metric")
    assert shown.loc["recorded_crime_per_1000", "display"] == "597"
    # With the transient population supplied, the rate is a figure again.
    counts = pm.concat_counts(
        pm.datasets.counts("peel2017"),
        pm.make_counts([(CITY, "2016-06-30", 0, "transient_population", 350_000, "mine")]),
    )
    full = pm.force_in_numbers("City of London", counts).set_index("metric")
    assert full.loc["recorded_crime_per_1000", "status"] == "ok"
    assert full.loc["recorded_crime_per_1000", "display"] != "–"


def test_city_of_london_stays_in_england_and_wales() -> None:
    results = pm.compute(pm.datasets.counts("peel2017"), ["recorded_crime_per_1000"])
    national = results[(results.force == "K04000001")
                       & (results.period_end == "2017-06-30")].iloc[0]  # fmt: skip
    assert CITY not in {e["force"] for e in national.excluded}


def test_changes_print_as_the_report_does() -> None:
    # Force in numbers: "+23%" and "-0.05%".
    change = pm.edition().metric("asb_incidents_change")
    assert change.display(22.6) == "+23%"
    assert change.display(-0.0512) == "-0.05%"
    # The graphic's label, "Change in ASB incidents 12 months to 31 March 2016 against 12
    # months to 31 March 2017", names the base first; the text says it the other way round
    # ("in the 12 months to 31 March 2017 compared with the 12 months to 30 June 2016"), the
    # order a reader expects (issue 21, rule 9).
    assert change.period_label() == (
        "12 months to 31 March 2017 compared with 12 months to 31 March 2016"
    )


def test_outputs_name_the_data_actually_used() -> None:
    # Annex A: "... are taken from the October 2017 Home Office data release"; the bundled
    # counts are a 2019 release, and outputs say so.
    panel = pm.force_in_numbers("Kent").set_index("metric")
    assert "rec-crime-pfa.csv" in panel.loc["recorded_crime_per_1000", "source"]
    out = __import__("io").StringIO()
    assert main(["force-in-numbers", "Kent"], out=out) == 0
    assert "Data used:" in out.getvalue()
    assert "rec-crime-pfa.csv" in out.getvalue()
    out = __import__("io").StringIO()
    assert main(["metrics", "--format", "json"], out=out) == 0
    crime = next(m for m in json.loads(out.getvalue()) if m["id"] == "recorded_crime_per_1000")
    assert "as the report used" in crime["source"]


def test_the_marac_change_compares_the_windows_the_report_compares() -> None:
    # "the rate of referrals decreased by 8.8 percent, to 27.6 referrals per 10,000 adult
    # females, in the 12 months to 31 March 2017 compared with the 12 months to 30 June 2016"
    change = pm.edition().metric("marac_referral_change")
    assert change.period_label() == (
        "12 months to 31 March 2017 compared with 12 months to 30 June 2016"
    )
    counts = pm.make_counts([
        ("Hertfordshire", "2017-03-31", 12, "marac_referrals", 912, "invented"),
        ("Hertfordshire", "2016-06-30", 12, "marac_referrals", 1000, "invented"),
    ])  # fmt: skip
    row = pm.compute(counts, ["marac_referral_change"])
    herts = row[(row.force == "E23000027") & (row.period_end == "2017-03-31")].iloc[0]
    assert herts.display == "-8.8%"
    assert herts.denominator_period == __import__("pandas").Timestamp("2016-06-30")


def test_domestic_abuse_outcomes_are_untracked_and_not_compared_with_general_ones() -> None:
    # "Direct comparisons should not be made between general crime outcomes and domestic
    # abuse-related outcomes."
    ed = pm.edition()
    assert ed.caveat("domestic_abuse_outcomes_untracked").metrics == ("domestic_abuse_charge_rate",)
    with pytest.raises(pm.IncomparableError, match="tracked"):
        pm.check_comparable(ed.metric("domestic_abuse_charge_rate"),
                            ed.metric("charged_summonsed_share"))  # fmt: skip


@pytest.mark.parametrize(
    ("caveat_id", "quoted"),
    [
        ("outcomes_data_hub", "37 police forces in England and Wales provide outcomes data"),
        ("asb_incidents_recorded_by_police", "rather than reflecting the true level of"),
        ("domestic_abuse_arrests_per_offence", "more than one arrest per offence"),
        ("cambridgeshire_arrests_2016_manual_audit", "a manual audit of its custody records"),
        ("city_of_london_ocgs_nfib", "only six OCGs were within the force's geographical area"),
        ("public_survey_fieldwork", "between 21 July and 15 August 2017"),
        ("file_review_crimes", "between 1 January 2017 and 31 March 2017"),
    ],
)
def test_the_reports_other_rules_are_data(caveat_id: str, quoted: str) -> None:
    assert quoted in " ".join(pm.edition().caveat(caveat_id).text.split())


def test_the_published_table_holds_every_number_the_text_states() -> None:
    published = pm.datasets.published("peel2017").set_index("metric")
    assert published.loc["marac_referral_change", "published"] == "-8.8%"
    assert published.loc["remote_investigation_share", "published"] == "38%"
    assert published.loc["marac_police_referral_share", "certainty"] == "likely"
    counts = pm.datasets.counts("peel2017")
    stated = counts[counts.source.str.startswith("PEEL effectiveness 2017")]
    assert {"nfib_referrals", "organised_crime_groups"} <= set(stated.measure)
    assert stated[stated.measure == "nfib_referrals"].value.tolist() == [1052.0]
    # "As at 1 July 2017 City of London Police had recorded 46 OCGs"
    city = stated[stated.measure == "organised_crime_groups"]
    assert (city.force.tolist(), city.value.tolist()) == ([CITY], [46.0])


def test_assumptions_are_listed_with_the_metric() -> None:
    out = __import__("io").StringIO()
    assert main(["metrics", "--format", "json"], out=out) == 0
    marac = next(m for m in json.loads(out.getvalue()) if m["id"] == "marac_referral_rate")
    assert any("assumed" in a for a in marac["assumptions"])
