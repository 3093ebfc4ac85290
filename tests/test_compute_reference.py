"""The columnar engine equals the obviously-correct reference engine on random Counts.

Random Counts mix every hard case: forces left out by Annex A, the combined Warwickshire /
West Mercia OCG count, City of London's transient population, outcome measures missing for
some forces, British Transport Police, populations of other years, and the two national
modes. Any difference is a bug in one engine or a rule to settle.
"""

from __future__ import annotations

import math
from datetime import date
from typing import Any

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from peelmetrics import InvalidValueError, all_forces, compute, edition, make_counts, resolve_force

from .reference_engine import reference_compute

ED = edition()
FORCES = [f.code for f in all_forces()]
GEOGRAPHIC = [f.code for f in all_forces(geographic_only=True)]
# The report's own periods come up more often than the others: that is where the caveats are.
WINDOW_ENDS = ["2003-03-31", "2015-06-30", "2018-03-31", "2018-06-30"] + 2 * [
    "2016-03-31", "2016-06-30", "2017-03-31", "2017-06-30"]  # fmt: skip
AS_AT = ["2001-06-30", "2015-06-30", "2017-06-30"] + 2 * ["2016-06-30", "2016-07-01", "2017-07-01"]
#: Forces some Annex A rule names, and British Transport Police.
NAMED = sorted({f for c in ED.caveats for f in c.forces} | {"BTP"})
SOURCES = ["ONS", "Home Office", "HMICFRS"]
WARKS, WEST_MERCIA = resolve_force("Warwickshire").code, resolve_force("West Mercia").code

COMPARED = ("force", "metric", "period_end", "period_months", "display", "denominator_period",
            "denominator_months", "status", "caveats", "excluded", "source")  # fmt: skip
NUMBERS = ("value", "numerator", "denominator")


def _slots(metric_ids: list[str]) -> list[tuple[str, str, int]]:
    """Every (measure, end, months) the chosen metrics can read."""
    slots = []
    for measure in sorted({m for mid in metric_ids for m in ED.metric(mid).measures}):
        if ED.measure(measure).default_months == 0:
            slots += [(measure, end, 0) for end in AS_AT]
        else:
            slots += [(measure, end, 12) for end in WINDOW_ENDS]
            slots.append((measure, "2017-06-30", 3))  # other windows are read by no metric
    return slots


@st.composite
def scenarios(draw: st.DrawFn) -> tuple[list[str], pd.DataFrame, str]:
    metric_ids = draw(st.lists(st.sampled_from([m.id for m in ED.metrics]), min_size=1,
                               max_size=3, unique=True))  # fmt: skip
    slots = _slots(metric_ids)
    records: dict[tuple[str, str, int, str], tuple[float, str]] = {}
    # A few slots filled for every geographic force, so England and Wales can be complete.
    for measure, end, months in draw(st.lists(st.sampled_from(slots), max_size=4, unique=True)):
        for force in GEOGRAPHIC:
            records[(force, end, months, measure)] = (
                float(draw(st.integers(0, 50_000))),
                draw(st.sampled_from(SOURCES)),
            )
    # Then scattered counts, British Transport Police and the combined OCG forces included.
    scattered = st.tuples(
        st.one_of(st.sampled_from(NAMED), st.sampled_from(FORCES)),
        st.sampled_from(slots),
        st.integers(0, 50_000),
        st.sampled_from(SOURCES),
    )
    for force, (measure, end, months), value, source in draw(st.lists(scattered, max_size=60)):
        records[(force, end, months, measure)] = (float(value), source)
    # Some counts removed again, so outcome groups and populations have holes.
    for key in draw(st.lists(st.sampled_from(sorted(records)), max_size=8)) if records else []:
        records.pop(key, None)
    rows = [(f, e, m, meas, v, s) for (f, e, m, meas), (v, s) in sorted(records.items())]
    national = draw(st.sampled_from(["complete", "available"]))
    return metric_ids, make_counts(rows), national


def _engine_records(results: pd.DataFrame) -> list[dict[str, Any]]:
    records = []
    for row in results.to_dict("records"):
        row["period_end"] = row["period_end"].date()
        den = row["denominator_period"]
        row["denominator_period"] = None if pd.isna(den) else den.date()
        records.append(row)
    return records


def _same_number(a: float, b: float) -> bool:
    if math.isnan(a) or math.isnan(b):
        return math.isnan(a) and math.isnan(b)
    return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-9)


def _combined_clash(counts: pd.DataFrame) -> bool:
    ocgs = counts[(counts.measure == "organised_crime_groups")
                  & (counts.period_end == pd.Timestamp("2016-07-01"))
                  & counts.force.isin([WARKS, WEST_MERCIA])]  # fmt: skip
    return ocgs["value"].nunique() > 1


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(scenarios())
def test_columnar_engine_equals_reference(scenario: tuple[list[str], pd.DataFrame, str]) -> None:
    metric_ids, counts, national = scenario
    if _combined_clash(counts) and "ocgs_per_million" in metric_ids:
        with pytest.raises(InvalidValueError, match="combined count"):
            compute(counts, metric_ids, national=national)  # type: ignore[arg-type]
        return
    ours = _engine_records(compute(counts, metric_ids, national=national))  # type: ignore[arg-type]
    expected = reference_compute(counts, metric_ids, ED, national)
    assert len(ours) == len(expected)
    for got, want in zip(ours, expected, strict=True):
        for column in COMPARED:
            assert got[column] == want[column], (column, got, want)
        for column in NUMBERS:
            assert _same_number(got[column], want[column]), (column, got, want)


def test_reference_agrees_on_the_bundled_data() -> None:
    from peelmetrics import datasets

    counts = datasets.counts("peel2017")
    ids = [m.id for m in ED.metrics]
    ours = _engine_records(compute(counts, ids))
    expected = reference_compute(counts, ids, ED)
    assert [(r["force"], r["metric"], r["period_end"]) for r in ours] == [
        (r["force"], r["metric"], r["period_end"]) for r in expected
    ]
    assert [r["display"] for r in ours] == [r["display"] for r in expected]
    assert date(2016, 6, 30) in {r["denominator_period"] for r in ours}
