"""Rules of Annex A the catalogue once got wrong (issue 21), each with the sentence it encodes."""

from __future__ import annotations

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
