"""Every checkable figure the report prints, checked on committed extracts of the real
published tables (tests/fixtures/published; its README names each original file, release
and SHA-256): these run on a fresh clone and from the installed package, with no
../shared (issue 21, "verification that runs everywhere")."""

from __future__ import annotations

import math
from pathlib import Path

import pandas as pd
import pytest

import peelmetrics as pm
from peelmetrics.sources import read_population, read_recorded_crime_pfa
from peelmetrics.testing import assert_agrees, assert_results_equal, counts_for

FIXTURES = Path(__file__).parent / "fixtures" / "published"
HERTS, EW = "E23000027", "K04000001"
JUNE_2017, JUNE_2016 = pd.Timestamp("2017-06-30"), pd.Timestamp("2016-06-30")


@pytest.fixture(scope="module")
def crime() -> pd.DataFrame:
    counts, report = read_recorded_crime_pfa(FIXTURES / "rec-crime-pfa-june-2016-2017.csv")
    assert report.rows_read == report.rows_used + report.rows_excluded == 1854
    return counts


@pytest.fixture(scope="module")
def population() -> pd.DataFrame:
    counts, _report = read_population(
        FIXTURES / "mye2-mid-2016-england-wales.xlsx", FIXTURES / "lad-pfa-lookup-2017.csv"
    )
    return counts


def _value(counts: pd.DataFrame, force: str, measure: str, end: pd.Timestamp) -> float:
    rows = counts[(counts.force == force) & (counts.measure == measure)
                  & (counts.period_end == end)]  # fmt: skip
    return float(rows.value.sum())


def test_hertfordshire_recorded_crime_excluding_fraud(crime: pd.DataFrame) -> None:
    # Reference notes: "Hertfordshire recorded 77,604 crimes excluding fraud in the 12
    # months to 30 June 2017".
    assert _value(crime, HERTS, "recorded_crime", JUNE_2017) == 77_604
    assert _value(crime, HERTS, "recorded_crime", JUNE_2016) == 65_068
    # Annex A: the fraud bodies and British Transport Police are not forces of the total.
    assert {"BTP"} < set(crime.force)
    assert len(set(crime.force) - {"BTP"}) == 43


def test_mid_2016_population_reconciles_with_england_and_wales(population: pd.DataFrame) -> None:
    people = population[population.measure == "population"].set_index("force").value
    assert people[HERTS] == 1_176_720
    assert people.sum() == 58_381_217  # ONS's England and Wales total, K04000001


def test_domestic_abuse_share_of_crime_12_percent(crime: pd.DataFrame) -> None:
    # "increased from 8,282 in 2016 to 9,658 in 2017"; Force in numbers: 12% (force).
    counts = pm.concat_counts(crime, counts_for("Hertfordshire", "2017-06-30",
                                                domestic_abuse_offences=9658))  # fmt: skip
    results = pm.compute(counts, ["domestic_abuse_share_of_crime"])
    herts = results[(results.force == HERTS) & (results.period_end == JUNE_2017)]
    assert herts.value.iloc[0] == pytest.approx(9658 / 77604 * 100)
    assert_agrees(herts.value.iloc[0], "12%", what="Hertfordshire domestic abuse share")


def test_england_and_wales_share_11_percent_bounds_the_offences(crime: pd.DataFrame) -> None:
    """The report prints England and Wales at 11%: with the 43 forces' crime from the
    table, the domestic abuse-related offences it implies lie in one band, and the metric
    prints 11% exactly across that band and not outside it."""
    forces = crime[(crime.period_end == JUNE_2017) & (crime.force != "BTP")]
    total = float(forces.value.sum())
    low, high = math.ceil(0.105 * total), math.ceil(0.115 * total) - 1
    for offences, printed in ((low, "11%"), (high, "11%"), (low - 1, "10%"), (high + 1, "12%")):
        share = offences / total * 100
        assert_agrees(share, printed, what=f"{offences} of {total:.0f}")


@pytest.mark.parametrize(
    ("arrests", "offences", "published"),
    [(4452, 9658, "46.1"), (4750, 8282, "57.4"), (4757, 8282, "57.4")],
)
def test_domestic_abuse_arrest_rates_46_1_and_57_4(
    arrests: int, offences: int, published: str
) -> None:
    # "Hertfordshire Constabulary made 46.1 arrests (compared with 57.4 in the 12 months to
    # 30 June 2016)" per 100 domestic abuse-related offences (9,658 in 2017, 8,282 in 2016):
    # 4,750 to 4,757 arrests print 57.4 on 8,282 offences.
    counts = counts_for("Hertfordshire", "2017-06-30", domestic_abuse_arrests=arrests,
                        domestic_abuse_offences=offences)  # fmt: skip
    results = pm.compute(counts, ["domestic_abuse_arrest_rate"])
    assert_agrees(results[results.force == HERTS].value.iloc[0], published)


def test_4749_arrests_would_not_print_57_4() -> None:
    counts = counts_for("Hertfordshire", "2016-06-30", domestic_abuse_arrests=4749,
                        domestic_abuse_offences=8282)  # fmt: skip
    results = pm.compute(counts, ["domestic_abuse_arrest_rate"])
    value = results[results.force == HERTS].value.iloc[0]
    with pytest.raises(AssertionError, match=r"prints as 57\.3"):
        assert_agrees(value, "57.4")


@pytest.mark.parametrize(("force", "published"), [(HERTS, "17"), (EW, "15")])
def test_domestic_abuse_incidents_per_1000_17_and_15(
    population: pd.DataFrame, force: str, published: str
) -> None:
    """17 (Hertfordshire) and 15 (England and Wales) per 1,000 people: on the mid-2016
    estimates, the incident counts they imply print as published at both ends of the band."""
    people = population[population.measure == "population"].set_index("force").value
    base = float(people[HERTS] if force == HERTS else people.sum())
    figure = int(published)
    for incidents in (
        math.ceil((figure - 0.5) * base / 1000),
        math.ceil((figure + 0.5) * base / 1000) - 1,
    ):
        assert_agrees(incidents / base * 1000, published, what=f"{incidents} incidents")


def test_the_dvpo_rates_0_7_and_0_8() -> None:
    # "68 DVPOs granted ... a rate of 0.7 DVPOs per 100 domestic abuse-related offences ...
    # the England and Wales rate of 0.8".
    counts = counts_for("Hertfordshire", "2017-06-30", dvpos_granted=68,
                        domestic_abuse_offences=9658)  # fmt: skip
    results = pm.compute(counts, ["dvpo_rate"])
    assert_agrees(results[results.force == HERTS].value.iloc[0], "0.7")


def test_published_figures_agree_with_the_bundled_computation() -> None:
    """The panel marks agreement for every figure it has a count for, and the testing
    helper compares a results frame with itself in any order."""
    panel = pm.force_in_numbers("Hertfordshire").set_index("metric")
    assert panel.loc["dvpo_rate", "agrees"] is True
    assert panel.loc["domestic_abuse_share_of_crime", "agrees"] is True
    results = pm.compute(pm.datasets.counts("peel2017"), ["dvpo_rate"])
    assert_results_equal(results, results.sample(frac=1.0, random_state=1))
    changed = results.assign(value=results.value + 1.0)
    with pytest.raises(AssertionError, match="value differs at E23000027 dvpo_rate"):
        assert_results_equal(results, changed)
