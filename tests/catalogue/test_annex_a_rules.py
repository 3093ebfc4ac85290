"""Rules of Annex A the catalogue once got wrong (issue 21), each with the sentence it encodes."""

from __future__ import annotations

import pandas as pd
import pytest

import peelmetrics as pm
from peelmetrics.counts import make_counts

ED = pm.edition()


def _caveats(metric: str) -> set[str]:
    return {c.id for c in ED.caveats_for(metric)}


def test_north_yorkshire_outcomes_are_excluded_too() -> None:
    # Annex A, Domestic abuse: "The force extracted data for HMICFRS on the powers and
    # outcomes used to deal with these offences by using an enhanced search ... As North
    # Yorkshire Police's data on domestic abuse are not comparable with other forces, we have
    # excluded the data."
    assert "north_yorkshire_domestic_abuse_not_comparable" in _caveats("domestic_abuse_charge_rate")
    counts = make_counts(
        [
            ("North Yorkshire", "2017-06-30", 12, "domestic_abuse_charged", 500, "t"),
            ("North Yorkshire", "2017-06-30", 12, "domestic_abuse_offences", 5000, "t"),
        ]
    )
    results = pm.compute(counts, ["domestic_abuse_charge_rate"])
    row = results[results.force == "E23000009"].iloc[0]
    assert row.status == "not_comparable"
    assert row.display == "–"
    national = results[results.force == "K04000001"].iloc[0]
    assert "E23000009" in {e["force"] for e in national.excluded}


def test_domestic_abuse_charges_come_from_the_forces() -> None:
    # Annex A, Domestic abuse: "Data relating to domestic abuse arrests and outcomes were
    # collected directly from all 43 geographic police forces in England and Wales."
    source = ED.metric("domestic_abuse_charge_rate").source
    assert source.startswith("HMICFRS data return")
    assert "domestic_abuse_offences_recent" in _caveats("domestic_abuse_charge_rate")


def test_marac_period_mismatch_is_on_the_change() -> None:
    # "the rate of referrals decreased by 8.8 percent ... in the 12 months to 31 March 2017
    # compared with the 12 months to 30 June 2016": two windows, so the change's caveat.
    assert "marac_period_mismatch" in _caveats("marac_referral_change")
    assert "marac_period_mismatch" not in _caveats("marac_referral_rate")


def test_calls_breakdown_covers_domestic_abuse_incidents() -> None:
    # Annex A, "Calls for assistance (including those for domestic abuse)": "In 2017, the
    # data requested from forces contained a different breakdown of occurrences".
    assert "calls_for_assistance_breakdown_changed" in _caveats("domestic_abuse_incidents_per_1000")


def test_the_reason_that_decides_the_dash_comes_first() -> None:
    # Annex A, Organised crime groups: "City of London Police is excluded from the England and
    # Wales rate as its OCG data are not comparable with other forces due to size and its
    # wider national remit." Not comparable is a dash even with partial values asked for, so
    # the transient-population note ("ask for partial values to see it") must not lead.
    counts = make_counts([
        ("City of London", "2017-07-01", 0, "organised_crime_groups", 46, "t"),
        ("City of London", "2016-06-30", 0, "population", 7000, "t"),
        ("Kent", "2017-07-01", 0, "organised_crime_groups", 50, "t"),
        ("Kent", "2016-06-30", 0, "population", 1_800_000, "t"),
    ])  # fmt: skip
    for partial in (False, True):
        panel = pm.force_in_numbers("City of London", counts, show_partial=partial)
        row = panel.set_index("metric").loc["ocgs_per_million"]
        assert row.display == "–"
        assert row.reason.startswith("City of London Police is excluded from the England and")
        assert "ask for partial values" not in row.reason


def test_the_mid_2016_caveat_only_where_the_denominator_is_mid_2016() -> None:
    # Annex A, Population: "For all uses of population as a denominator in our calculations,
    # unless otherwise noted, we use Office for National Statistics (ONS) mid-2016 population
    # estimates." True of a 2017 rate; not of a 2003 rate divided by the mid-2002 estimate.
    results = pm.compute(pm.datasets.counts("peel2017"), ["recorded_crime_per_1000"])
    herts = results[results.force == "E23000027"].set_index("period_end")
    assert "population_mid_2016" in herts.loc["2017-06-30", "caveats"]
    assert "population_mid_2016" not in herts.loc["2003-03-31", "caveats"]
    assert herts.loc["2003-03-31", "denominator_period"] == pd.Timestamp("2002-06-30")


def test_the_page_says_who_each_england_and_wales_figure_leaves_out() -> None:
    # Annex A, Data in the report: "Any aggregated totals for England and Wales exclude
    # British Transport Police data" - said per metric whose England and Wales figure the
    # page shows, by the caveat's words, never its id; a dashed figure leaves nobody out.
    pytest.importorskip("jinja2", reason="the page needs the report extra")
    pytest.importorskip("matplotlib", reason="the page needs the report extra")
    page = pm.report_html("Hertfordshire")
    assert ("Crimes (excluding fraud) recorded per 1,000 population: leaves out British "
            "Transport Police (British Transport Police was outside the scope of "
            "inspection).") in page  # fmt: skip
    assert "suffolk_no_outcomes_2017" not in page
    assert "Domestic abuse incidents per 1,000 population: leaves out" not in page


def test_a_change_reads_this_year_against_the_last() -> None:
    # "the rate of referrals decreased by 8.8 percent ... in the 12 months to 31 March 2017
    # compared with the 12 months to 30 June 2016"
    label = ED.metric("recorded_crime_change").period_label()
    assert label == "12 months to 30 June 2017 compared with 12 months to 30 June 2016"
