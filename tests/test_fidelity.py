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
        pm.datasets.peel2017(),
        pm.make_counts([(CITY, "2016-06-30", 0, "transient_population", 350_000, "mine")]),
    )
    full = pm.force_in_numbers("City of London", counts).set_index("metric")
    assert full.loc["recorded_crime_per_1000", "status"] == "ok"
    assert full.loc["recorded_crime_per_1000", "display"] != "–"


def test_city_of_london_stays_in_england_and_wales() -> None:
    results = pm.compute(pm.datasets.peel2017(), ["recorded_crime_per_1000"])
    national = results[(results.force == "K04000001")
                       & (results.period_end == "2017-06-30")].iloc[0]  # fmt: skip
    assert CITY not in {e["force"] for e in national.excluded}


def test_changes_print_as_the_report_does() -> None:
    # Force in numbers: "+23%" and "-0.05%".
    change = pm.edition().metric("asb_incidents_change")
    assert change.display(22.6) == "+23%"
    assert change.display(-0.0512) == "-0.05%"
    # "Change in ASB incidents 12 months to 31 March 2016 against 12 months to 31 March 2017"
    assert change.period_label() == (
        "12 months to 31 March 2016 against 12 months to 31 March 2017"
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
