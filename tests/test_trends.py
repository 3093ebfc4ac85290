"""A force over time, and whether it is changing (issue 23)."""

from __future__ import annotations

import io
import json
import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import peelmetrics as pm
from peelmetrics.cli import main
from peelmetrics.errors import InvalidValueError
from peelmetrics.trends import add_trends, over_time, poisson_trend, share_trend

pytest.importorskip("statsmodels")


def _run(*argv: str) -> tuple[int, str]:
    out = io.StringIO()
    return main(list(argv), out=out), out.getvalue()


def test_poisson_recovers_an_exact_annual_rise() -> None:
    # Counts rising exactly 10% a year on a steady population: the MLE is exact.
    years = np.arange(5.0)
    events = 1000 * 1.1**years
    found = poisson_trend(years, events, [1e6] * 5)
    assert found["trend_change"] == pytest.approx(10.0, abs=1e-6)
    # By hand: var(b) = 1 / sum(mu_i (x_i - xbar_mu)^2), xbar_mu weighted by mu_i.
    centre = (events * years).sum() / events.sum()
    se = 1 / math.sqrt((events * (years - centre) ** 2).sum())
    assert found["trend_lower"] == pytest.approx(100 * math.expm1(math.log(1.1) - 1.959964 * se))
    assert found["trend_upper"] == pytest.approx(100 * math.expm1(math.log(1.1) + 1.959964 * se))
    assert found["trend"] == "rising"


def test_poisson_uses_the_denominator_as_offset() -> None:
    # The count doubles with the population: the rate is flat.
    found = poisson_trend([0, 1, 2, 3], [100, 200, 300, 400], [1e4, 2e4, 3e4, 4e4])
    assert found["trend_change"] == pytest.approx(0.0, abs=1e-6)
    assert found["trend"] == "no significant change"


def test_poisson_agrees_with_statsmodels_glm() -> None:
    import statsmodels.api as sm

    years = np.arange(6.0)
    events = np.array([812.0, 790, 760, 770, 701, 690])
    exposure = np.array([1.17e6, 1.18e6, 1.18e6, 1.19e6, 1.2e6, 1.2e6])
    fit = sm.GLM(
        events, sm.add_constant(years), family=sm.families.Poisson(), offset=np.log(exposure)
    ).fit()
    found = poisson_trend(years, events, exposure, level=0.998)
    assert found["trend_change"] == pytest.approx(100 * math.expm1(fit.params[1]))
    low, up = fit.conf_int(alpha=0.002)[1]
    assert found["trend_lower"] == pytest.approx(100 * math.expm1(low))
    assert found["trend_upper"] == pytest.approx(100 * math.expm1(up))
    assert found["trend_p"] == pytest.approx(fit.pvalues[1])
    assert found["trend"] == "falling"


def test_share_trend_by_hand() -> None:
    # 10, 12, 14, 15, 18 out of 100 each, years 0-4: P = 69/500, sum n(x - xbar)^2 = 1000,
    # sum n(p - P)(x - xbar) = 19, so b = 0.019 and chi2 = 0.019^2 / (0.138 * 0.862 / 1000).
    found = share_trend([0, 1, 2, 3, 4], [10, 12, 14, 15, 18], [100] * 5)
    assert found["trend_change"] == pytest.approx(1.9)
    chi2 = 0.019**2 / (0.138 * 0.862 / 1000)
    assert chi2 == pytest.approx(3.0347, abs=1e-4)
    from scipy.stats import chi2 as chi2_dist

    assert found["trend_p"] == pytest.approx(chi2_dist.sf(chi2, 1))
    assert found["trend"] == "no significant change"
    assert found["trend_unit"] == "percentage points a year"


@settings(max_examples=40, deadline=None)
@given(
    st.lists(st.integers(0, 500), min_size=3, max_size=8),
    st.integers(500, 5000),
)
def test_share_trend_agrees_with_statsmodels(events: list[int], total: int) -> None:
    from statsmodels.stats.contingency_tables import Table

    k = np.array(events, dtype=float)
    n = np.full(len(k), float(total))
    if k.sum() == 0 or (k == n).all():  # nothing varies: no test (share_trend says steady)
        return
    found = share_trend(np.arange(len(k)), k, n)
    test = Table(np.column_stack([k, n - k]), shift_zeros=False).test_ordinal_association(
        row_scores=np.arange(len(k), dtype=float), col_scores=np.array([0.0, 1.0])
    )
    # Cochran-Armitage = linear-by-linear association x N / (N - 1) (Agresti 2013, 3.4.6).
    big_n = n.sum()
    from scipy.stats import chi2 as chi2_dist

    expected = chi2_dist.sf(test.zscore**2 * big_n / (big_n - 1), 1)
    assert found["trend_p"] == pytest.approx(expected, rel=1e-6, abs=1e-12)


def test_bad_series_raise_typed_errors() -> None:
    with pytest.raises(InvalidValueError, match="three or more"):
        poisson_trend([0, 1], [1, 2], [10, 10])
    with pytest.raises(InvalidValueError, match="denominators > 0"):
        poisson_trend([0, 1, 2], [1, 2, 3], [10, 0, 10])
    with pytest.raises(InvalidValueError, match="between 0 and its total"):
        share_trend([0, 1, 2], [1, 20, 3], [10, 10, 10])
    with pytest.raises(InvalidValueError, match="confidence level"):
        share_trend([0, 1, 2], [1, 2, 3], [10, 10, 10], level="0.95")  # type: ignore[arg-type]


@pytest.fixture(scope="module")
def crime() -> pd.DataFrame:
    return pm.compute(pm.datasets.counts(), ["recorded_crime_per_1000", "recorded_crime_change"])


def test_add_trends_reads_the_yearly_windows_before(crime: pd.DataFrame) -> None:
    herts = crime[
        (crime.force == "E23000027")
        & (crime.period_end == "2018-03-31")
        & (crime.metric == "recorded_crime_per_1000")
    ]
    row = add_trends(herts, crime).iloc[0]
    assert row.trend_from == pd.Timestamp("2014-03-31")
    # The same fit by hand from the five yearly rows of the results.
    years = [pd.Timestamp(f"{y}-03-31") for y in range(2014, 2019)]
    rows = crime[
        (crime.force == "E23000027")
        & crime.period_end.isin(years)
        & (crime.metric == "recorded_crime_per_1000")
    ].sort_values("period_end")
    expected = poisson_trend(np.arange(5), rows.numerator, rows.denominator)
    assert row.trend_change == pytest.approx(expected["trend_change"])
    assert row.trend == "rising"


def test_trends_say_why_not(crime: pd.DataFrame) -> None:
    early = crime[(crime.force == "E23000027") & (crime.period_end == "2005-03-31")]
    rows = add_trends(early, crime).set_index("metric")
    assert rows.loc["recorded_crime_per_1000", "trend"] == (
        "not assessed: 3 of the 5 yearly windows have a figure"
    )
    assert rows.loc["recorded_crime_change", "trend"].startswith("not assessed: a change")


def test_compute_trend_option_adds_columns() -> None:
    counts = pm.datasets.counts()
    counts = counts[counts.period_end >= "2013-01-01"]
    results = pm.compute(counts, ["asb_incidents_per_1000"], trend=5)
    row = results[(results.force == "E23000027") & (results.period_end == "2018-03-31")].iloc[0]
    assert row.trend == "rising"
    assert row.trend_unit == "% a year"
    status, text = _run(
        "compute",
        "--metric",
        "asb_incidents_per_1000",
        "--period",
        "2017/18",
        "--force",
        "Herts",
        "--ci",
        "--format",
        "json",
    )
    assert status == 0
    records = json.loads(text)
    # Issue 22: JSON keeps the intervals CSV has.
    assert {"lower", "upper", "comparison"} <= set(records[0])


def test_over_time_lists_every_rolling_year(crime: pd.DataFrame) -> None:
    table = over_time(crime, "Herts", "recorded_crime_per_1000")
    for series in ("Hertfordshire Constabulary", "England and Wales"):
        years = set(table[table.series == series].period_end.dt.year)
        assert years == set(range(2003, 2019))
    peers = over_time(
        crime, "Herts", "recorded_crime_per_1000", peers={"E23000027": ("E23000026", "E23000029")}
    )
    assert "Peers of Hertfordshire" in set(peers.series)


def test_trend_command_csv_lists_2003_to_2018() -> None:
    status, text = _run(
        "trend", "Hertfordshire", "--metric", "recorded_crime_per_1000", "--format", "csv"
    )
    assert status == 0
    table = pd.read_csv(io.StringIO(text))
    for series in ("Hertfordshire Constabulary", "England and Wales"):
        ends = table.loc[table.series == series, "period_end"]
        assert {int(e[:4]) for e in ends} == set(range(2003, 2019))
    # By hand: 77,604 crimes excluding fraud in the 12 months to 30 June 2017 (reference
    # README) over the mid-2016 population 1,176,720 = 65.95 per 1,000.
    herts = table[(table.series == "Hertfordshire Constabulary")].set_index("period_end")
    assert herts.loc["2017-06-30", "value"] == pytest.approx(77_604 / 1_176_720 * 1000)
    assert herts.loc["2017-06-30", "display"] == 66


def test_trend_command_table_and_chart(tmp_path: Path) -> None:
    status, text = _run("trend", "Herts", "--metric", "asb_incidents_per_1000")
    assert status == 0
    assert "Hertfordshire Constabulary, to 2018-03-31: rising" in text
    assert "Method: Poisson log-linear regression" in text
    pytest.importorskip("matplotlib")
    out = tmp_path / "trend.svg"
    status, text = _run(
        "trend", "Herts", "--metric", "asb_incidents_per_1000", "--ci", "--output", str(out)
    )
    assert status == 0
    assert out.read_text().count("<svg") == 1
    status, _ = _run("trend", "Herts", "--output", str(out))  # a chart needs one metric
    assert status == 2


def test_panel_trend_columns() -> None:
    panel = pm.force_in_numbers("Hertfordshire", period="2018-03", trend=5).set_index("metric")
    asb = panel.loc["asb_incidents_per_1000"]
    assert asb.trend == "rising"
    assert asb.ew_trend == "falling"
    assert asb.trend_from == "2014-03-31"
    text = pm.report.panel_to_table(panel.reset_index())
    assert "Trend: rising" in text
    json.loads(pm.report.panel_to_json(panel.reset_index()))  # JSON-safe
