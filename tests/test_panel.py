"""The Force-in-numbers panel and its renderings."""

from __future__ import annotations

import json
import math

import pandas as pd
import pytest

import peelmetrics as pm
from peelmetrics import concat_counts, make_counts
from peelmetrics.datasets import counts as _bundled
from peelmetrics.panel import PANEL_COLUMNS, force_in_numbers
from peelmetrics.report import panel_to_csv, panel_to_json, panel_to_table


@pytest.fixture(scope="module")
def panel() -> pd.DataFrame:
    return force_in_numbers("Hertfordshire")


def test_rows_and_columns(panel: pd.DataFrame) -> None:
    assert list(panel.columns) == list(PANEL_COLUMNS)
    assert panel.metric.tolist()[-3:] == [
        "domestic_abuse_arrest_rate",
        "dvpo_rate",
        "marac_referral_rate",
    ]
    assert len(panel) == 14


def test_computed_beside_published(panel: pd.DataFrame) -> None:
    rows = panel.set_index("metric")
    dvpo = rows.loc["dvpo_rate"]
    assert (dvpo.display, dvpo.published, dvpo.agrees) == ("0.7", "0.7", True)
    assert dvpo.ew_published == "0.8"
    assert dvpo.ew_agrees is None  # nothing computed for England and Wales
    share = rows.loc["domestic_abuse_share_of_crime"]
    assert (share.display, share.published, share.agrees) == ("12%", "12%", True)
    crime = rows.loc["recorded_crime_per_1000"]
    assert crime.value == pytest.approx(65.949, abs=1e-3)
    assert crime.ew_status == "ok"
    assert crime.ew_value == pytest.approx(76.39, abs=0.01)  # 2019 release, BTP out
    assert rows.loc["recorded_crime_change", "display"] == "+19%"
    marac = rows.loc["marac_referral_rate"]
    assert (marac.display, marac.status, marac.published, marac.benchmark) == (
        "–",
        "not_supplied",
        "27.6",
        40.0,
    )
    assert "likely" in rows.loc["charged_summonsed_share", "published_note"]


def test_own_counts(panel: pd.DataFrame) -> None:
    theirs = make_counts(
        [("Hertfordshire", "2017-06-30", 12, "domestic_abuse_arrests", 4452, "force")]
    )
    mine = force_in_numbers(
        "Hertfordshire Constabulary", concat_counts(_bundled("peel2017"), theirs)
    )
    arrests = mine.set_index("metric").loc["domestic_abuse_arrest_rate"]
    assert arrests.value == pytest.approx(46.097, abs=1e-3)
    assert (arrests.display, arrests.agrees) == ("46.1", True)


def test_table_rendering(panel: pd.DataFrame) -> None:
    text = panel_to_table(panel)
    assert text.startswith("Hertfordshire Constabulary: Force in numbers")
    assert "0.7 ✓" in text
    assert "not supplied" in text
    assert "–  not supplied or not comparable" in text
    assert panel_to_table(panel) == text  # deterministic


def test_json_and_csv(panel: pd.DataFrame) -> None:
    records = json.loads(panel_to_json(panel))
    assert records[12]["metric"] == "dvpo_rate"
    assert records[0]["value"] is None
    assert not any(isinstance(v, float) and math.isnan(v) for r in records for v in r.values())
    csv = panel_to_csv(panel)
    assert csv.splitlines()[0].startswith("metric,title,period,period_end")
    assert len(csv.splitlines()) == 15


def _panel_displays(period: str | None) -> pd.DataFrame:
    """Every force's panel at once (one compute, as force_in_numbers does per force)."""
    from peelmetrics import compute, edition

    ed = edition()
    results = compute(_bundled("peel2017"), list(ed.panel))
    wanted = [(m, pd.Timestamp(period or ed.metric(m).period.end)) for m in ed.panel]
    mask = pd.Series(False, index=results.index)
    for metric, end in wanted:
        mask |= (results.metric == metric) & (results.period_end == end)
    return results[mask].pivot(index="force", columns="metric", values="display")


def test_every_force_has_at_least_four_computed_rows() -> None:
    displays = _panel_displays(None).drop(index=["K04000001", "BTP"], errors="ignore")
    assert len(displays) == 43
    computed = (displays != "–").sum(axis=1)
    # City of London's population rates are dashes until its transient population is
    # supplied (Annex A, Population); with --partial they show.
    city = pm.resolve_force("City of London").code
    assert computed.drop(index=city).min() >= 4, computed.sort_values().head()
    shown = force_in_numbers("City of London", show_partial=True)
    assert (shown.display != "–").sum() >= 4
    # Spot-check through the panel itself.
    assert (force_in_numbers("Kent").display != "–").sum() >= 4


def test_panel_for_the_year_ending_march_2018_has_outcome_shares() -> None:
    shares = ["charged_summonsed_share", "victim_does_not_support_share",
              "no_suspect_identified_share"]  # fmt: skip
    displays = _panel_displays("2018-03-31").drop(index=["BTP"], errors="ignore")
    assert len(displays) == 44  # 43 forces and England and Wales
    assert (displays[shares] != "–").all().all()
    herts = force_in_numbers("Hertfordshire", period="2018-03-31").set_index("metric")
    # README facts: 11.1%, 18.0% and 44.7% of Hertfordshire's 82,859 offences.
    assert herts.loc[shares, "display"].tolist() == ["11%", "18%", "45%"]
    assert herts.loc["charged_summonsed_share", "period"] == "12 months to 31 March 2018"
    assert herts.loc["recorded_crime_per_1000", "value"] == pytest.approx(82859 / 1176.720)


def test_a_later_release_is_said_beside_the_published_figure() -> None:
    panel = force_in_numbers("Hertfordshire").set_index("metric")
    # Issue 21: the release the row was computed from, and the report's, in its own column.
    note = panel.loc["domestic_abuse_share_of_crime", "release_note"]
    assert "Computed from Home Office police recorded crime by PFA (rolling year)" in note
    assert "the report used Home Office police recorded crime, October 2017 release" in note
    # Counts the report itself states: the report's release, no remark.
    assert panel.loc["dvpo_rate", "release_note"] == ""
