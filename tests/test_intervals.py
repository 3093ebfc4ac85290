"""Confidence intervals against values computed independently, and their invariants."""

from __future__ import annotations

import math
from statistics import NormalDist

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

pytest.importorskip("scipy")

import peelmetrics as pm
from peelmetrics.intervals import compare, poisson_interval, wilson_interval

Z95 = NormalDist().inv_cdf(0.975)


def _wilson_by_hand(k: float, n: float, z: float = Z95) -> tuple[float, float]:
    p = k / n
    centre, spread = 2 * n * p + z * z, z * math.sqrt(z * z + 4 * n * p * (1 - p))
    return (centre - spread) / (2 * (n + z * z)), (centre + spread) / (2 * (n + z * z))


def _byar_by_hand(k: float, z: float = Z95) -> tuple[float, float]:
    lower = k * (1 - 1 / (9 * k) - z / (3 * math.sqrt(k))) ** 3
    upper = (k + 1) * (1 - 1 / (9 * (k + 1)) + z / (3 * math.sqrt(k + 1))) ** 3
    return lower, upper


@pytest.mark.parametrize(
    ("k", "lower", "upper"),
    [
        # Exact Poisson limits for small counts (published tables, 95%).
        (0, 0.0, 3.6889),  # upper = -ln(0.025)
        (1, 0.0253, 5.5716),
        (5, 1.6235, 11.6683),
        (9, 4.1154, 17.0848),
    ],
)
def test_exact_poisson_below_ten(k: int, lower: float, upper: float) -> None:
    low, up, method = poisson_interval(pd.Series([float(k)]))
    assert (round(low[0], 4), round(up[0], 4)) == (lower, upper)
    assert method[0] == "exact Poisson"


@pytest.mark.parametrize("k", [10, 68, 4452, 77604])
def test_byars_method_from_ten(k: int) -> None:
    low, up, method = poisson_interval(pd.Series([float(k)]))
    expected = _byar_by_hand(k)
    assert low[0] == pytest.approx(expected[0], rel=1e-9)
    assert up[0] == pytest.approx(expected[1], rel=1e-9)
    assert method[0] == "Byar's method"


@pytest.mark.parametrize(("k", "n"), [(0, 50), (1, 10), (68, 9658), (9658, 77604), (50, 50)])
def test_wilson_score(k: int, n: int) -> None:
    low, up = wilson_interval(pd.Series([float(k)]), pd.Series([float(n)]))
    expected = _wilson_by_hand(k, n)
    assert (low[0], up[0]) == pytest.approx(expected, rel=1e-9, abs=1e-12)


def test_a_dvpo_rate_and_its_interval() -> None:
    # 68 DVPOs / 9,658 offences = 0.7 per 100; Byar's 95% limits, per 100.
    counts = pm.make_counts([
        ("Hertfordshire", "2017-06-30", 12, "dvpos_granted", 68, "report"),
        ("Hertfordshire", "2017-06-30", 12, "domestic_abuse_offences", 9658, "report"),
    ])  # fmt: skip
    row = pm.compute(counts, ["dvpo_rate"], ci=0.95)
    herts = row[row.force == "E23000027"].iloc[0]
    low, up = _byar_by_hand(68)
    assert herts.lower == pytest.approx(low / 9658 * 100)
    assert herts.upper == pytest.approx(up / 9658 * 100)
    assert herts.ci_method == "Byar's method"
    assert herts.comparison == "not compared: no England and Wales value"


def test_comparison_with_england_and_wales() -> None:
    results = pm.compute(pm.datasets.counts("peel2017"), ["recorded_crime_per_1000"], ci=0.95)
    year = results[results.period_end == "2017-06-30"].set_index("force")
    assert year.loc["E23000027", "comparison"] == "lower"  # 66 against 76, thousands of crimes
    assert year.loc["K04000001", "comparison"] == "not compared: England and Wales itself"
    city = year.loc[pm.resolve_force("City of London").code]
    assert (city.comparison, pd.isna(city.lower)) == ("not compared: no value", True)
    assert compare(pd.Series([1.0]), pd.Series([3.0]), pd.Series([2.0]))[0] == "similar"


@settings(max_examples=100, deadline=None)
@given(st.integers(0, 100_000), st.integers(1, 1_000_000))
def test_interval_invariants(k: int, n: int) -> None:
    events, total = pd.Series([float(k)]), pd.Series([float(n)])
    low95, up95, _ = poisson_interval(events, 0.95)
    low99, up99, _ = poisson_interval(events, 0.998)
    assert low95[0] <= k <= up95[0]  # contains the estimate
    assert low99[0] <= low95[0]
    assert up99[0] >= up95[0]
    if k <= n:
        wl, wu = wilson_interval(events, total)
        assert wl[0] - 1e-12 <= k / n <= wu[0] + 1e-12
        # Ten times the data at the same share: narrower.
        nl, nu = wilson_interval(events * 10, total * 10)
        assert nu[0] - nl[0] <= wu[0] - wl[0] + 1e-12


def test_the_panel_shows_intervals_when_asked() -> None:
    import io

    from peelmetrics.cli import main

    out = io.StringIO()
    assert main(["force-in-numbers", "Hertfordshire", "--ci", "--format", "json"], out=out) == 0
    import json

    rows = {r["metric"]: r for r in json.loads(out.getvalue())}
    crime = rows["recorded_crime_per_1000"]
    assert crime["comparison"] == "lower"
    assert crime["lower"] < crime["value"] < crime["upper"]
    out = io.StringIO()
    assert main(["force-in-numbers", "Hertfordshire"], out=out) == 0
    assert "lower (" not in out.getvalue()  # only when asked
