"""By-force charts, checked through the figure's artists and one image comparison."""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from peelmetrics import InvalidValueError, all_forces, compute, make_counts, resolve_force
from peelmetrics.datasets import counts as _bundled

pytest.importorskip("matplotlib")
from matplotlib.testing.compare import compare_images

from peelmetrics.charts import by_force

BASELINE = Path(__file__).parent / "baseline" / "recorded_crime_per_1000.png"
FORCES = all_forces(geographic_only=True)


@pytest.fixture(scope="module")
def crime() -> pd.DataFrame:
    return compute(_bundled("peel2017"), ["recorded_crime_per_1000"])


def _bars(fig, gid: str) -> list:  # type: ignore[no-untyped-def]
    return [p for c in fig.axes[0].containers for p in c if p.get_gid() == gid]


def _labels(fig) -> list[str]:  # type: ignore[no-untyped-def]
    return [t.get_text() for t in fig.axes[0].get_yticklabels()]


def test_recorded_crime_chart(crime: pd.DataFrame) -> None:
    fig = by_force(crime, "recorded_crime_per_1000", highlight="Hertfordshire")
    bars = _bars(fig, "recorded_crime_per_1000")
    # Every force but City of London, whose rate on its resident population alone is not a
    # figure the report would print (Annex A, Population); BTP never drawn.
    assert len(bars) == 42
    widths = [b.get_width() for b in bars]
    assert widths == sorted(widths)  # drawn bottom-up, so the highest is at the top
    labels = _labels(fig)
    assert "City of London" not in labels
    assert "City of London*" not in labels
    herts = labels.index("Hertfordshire")
    assert bars[herts].get_hatch() == "///"
    assert bars[herts].get_facecolor() != bars[herts - 1].get_facecolor()
    assert fig.axes[0].get_yticklabels()[herts].get_fontweight() == "bold"
    line = next(ln for ln in fig.axes[0].lines if ln.get_gid() == "england_and_wales")
    national = crime[
        (crime.force == "K04000001") & (crime.period_end == pd.Timestamp("2017-06-30"))
    ]
    assert line.get_xdata()[0] == pytest.approx(national.value.iloc[0])
    footnote = next(t for t in fig.axes[1].texts if t.get_gid() == "footnote").get_text()
    # Titles, never ids (issue 21 item 4); the data drawn named beside the report's release.
    assert "Not shown (For the specific case of City of London Police" in footnote
    assert "): City of London." in footnote
    assert "city_of_london_population_basis" not in footnote
    assert "Data: Home Office police recorded crime by PFA (rolling year): rec-crime-pfa.csv" in (
        footnote.replace("\n", " ")
    )
    assert "The report used Home Office police recorded crime, October 2017 release; ONS " in (
        footnote.replace("\n", " ")
    )
    assert "12 months to 30 June 2017" in fig.axes[0].get_xlabel()


def _arrest_results() -> pd.DataFrame:
    records = []
    for i, force in enumerate(FORCES):
        records.append((force.code, "2017-06-30", 12, "domestic_abuse_offences", 1000.0, "t"))
        records.append((force.code, "2016-06-30", 12, "domestic_abuse_offences", 1000.0, "t"))
        if force.short_name not in {"Durham", "Lancashire", "Warwickshire", "West Mercia"}:
            records.append((force.code, "2017-06-30", 12, "domestic_abuse_arrests", 300.0 + i, "t"))
        if force.short_name not in {"Cambridgeshire", "Derbyshire", "Durham", "Gloucestershire"}:
            records.append((force.code, "2016-06-30", 12, "domestic_abuse_arrests", 350.0 + i, "t"))
    return compute(make_counts(records), ["domestic_abuse_arrest_rate"])


def test_figure_2_leaves_out_excluded_forces_and_says_so() -> None:
    results = _arrest_results()
    fig = by_force(results, "domestic_abuse_arrest_rate", highlight="Hertfordshire", previous=True)
    bars = _bars(fig, "domestic_abuse_arrest_rate")
    assert len(bars) == 43 - 5
    labels = _labels(fig)
    for name in ("North Yorkshire", "Durham", "Lancashire", "Warwickshire", "West Mercia"):
        assert name not in labels
    footnote = fig.axes[1].texts[0].get_text()
    assert (
        "Not shown (As North Yorkshire Police's data on domestic abuse are not comparable with "
        "other forces …): North Yorkshire." in footnote.replace("\n", " ")
    )
    assert "Durham, Lancashire, Warwickshire, West Mercia" in footnote
    markers = next(c for c in fig.axes[0].collections if c.get_gid() == "previous")
    offsets = markers.get_offsets()
    gloucs = labels.index("Gloucestershire")
    assert np.ma.getmaskarray(offsets)[gloucs].all()  # no 2016 data for Gloucestershire
    herts = labels.index("Hertfordshire")
    i = [f.short_name for f in FORCES].index("Hertfordshire")
    assert offsets[herts][0] == pytest.approx((350 + i) / 10)


def test_stacked_components_add_up_to_the_total() -> None:
    records = []
    for force in FORCES:
        records.append((force.code, "2017-06-30", 12, "recorded_crime", 1000.0, "t"))
        for n, v in ((1, 100.0), (4, 10.0), (3, 20.0), (8, 30.0), (2, 0.0), (6, 0.0), (7, 0.0)):
            records.append((force.code, "2017-06-30", 12, f"outcome_{n}", v, "t"))
    metrics = [
        "action_taken_share",
        "charged_summonsed_share",
        "out_of_court_share",
        "taken_into_consideration_share",
    ]
    results = compute(make_counts(records), metrics)
    fig = by_force(results, "action_taken_share", stack=True, highlight="Kent")
    ax = fig.axes[0]
    assert len(ax.containers) == 3
    suffolk_gone = "Suffolk" not in _labels(fig)
    assert suffolk_gone
    first = [c[0] for c in ax.containers]
    assert [b.get_width() for b in first] == pytest.approx([10.0, 5.0, 1.0])
    assert first[-1].get_x() + first[-1].get_width() == pytest.approx(16.0)


def test_errors() -> None:
    results = _arrest_results()
    with pytest.raises(InvalidValueError, match="no components"):
        by_force(results, "domestic_abuse_arrest_rate", stack=True)
    with pytest.raises(InvalidValueError, match="no dvpo_rate values"):
        by_force(results, "dvpo_rate")


def test_image_matches_baseline(crime: pd.DataFrame, tmp_path: Path) -> None:
    fig = by_force(crime, "recorded_crime_per_1000", highlight="Hertfordshire")
    actual = tmp_path / "recorded_crime_per_1000.png"
    fig.savefig(actual, dpi=60)
    if os.environ.get("PEELMETRICS_UPDATE_BASELINE"):
        BASELINE.write_bytes(actual.read_bytes())
    assert compare_images(str(BASELINE), str(actual), tol=12) is None


def test_cli_writes_png_and_svg(tmp_path: Path) -> None:
    from peelmetrics.cli import main

    for name in ("crime.png", "crime.svg"):
        assert main(["chart", "recorded_crime_per_1000", "--highlight", "Hertfordshire",
                     "--output", str(tmp_path / name)]) == 0  # fmt: skip
        assert (tmp_path / name).stat().st_size > 10_000
    png = (tmp_path / "crime.png").read_bytes()
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    assert (
        resolve_force("Hertfordshire").short_name.encode() in (tmp_path / "crime.svg").read_bytes()
    )


def test_svg_and_png_are_byte_identical_between_runs(tmp_path: Path) -> None:
    import io

    from peelmetrics.cli import main

    for suffix in (".svg", ".png"):
        outputs = []
        for n in range(2):
            target = tmp_path / f"chart{n}{suffix}"
            status = main(["-q", "chart", "recorded_crime_per_1000", "--output", str(target)],
                          out=io.StringIO())  # fmt: skip
            assert status == 0
            outputs.append(target.read_bytes())
        assert outputs[0] == outputs[1], suffix


def test_funnel_limits_at_the_right_heights() -> None:
    from statistics import NormalDist

    from peelmetrics.charts import funnel

    results = compute(_bundled("peel2017"), ["recorded_crime_per_1000"])
    figure = funnel(results, "recorded_crime_per_1000", highlight="Hertfordshire")
    ax = figure.axes[0]
    year = results[results.period_end == "2017-06-30"]
    centre = float(year[year.force == "K04000001"].value.iloc[0])
    limits = [line for line in ax.lines if len(line.get_xdata()) > 2]
    assert len(limits) == 4  # 95% and 99.8%, above and below
    for line, level, sign in zip(limits, (0.95, 0.95, 0.998, 0.998), (1, -1, 1, -1),
                                 strict=True):  # fmt: skip
        z = NormalDist().inv_cdf(1 - (1 - level) / 2)
        x, y = line.get_xdata(), line.get_ydata()
        for i in (0, len(x) - 1):  # two denominators
            expected = centre + sign * z * np.sqrt(centre * 1000 / x[i])
            assert y[i] == pytest.approx(expected)
    # Every force with a figure is a point; City of London (no transient population) is not,
    # and is named in the footnote.
    points = sum(len(c.get_offsets()) for c in ax.collections)
    assert points == 42
    note = figure.axes[1].texts[0].get_text()
    assert "City of London" in note
    # Asked for, its resident-only rate is drawn too: all 43 forces.
    partial = compute(_bundled("peel2017"), ["recorded_crime_per_1000"], show_partial=True)
    drawn = funnel(partial, "recorded_crime_per_1000", highlight="Hertfordshire")
    assert sum(len(c.get_offsets()) for c in drawn.axes[0].collections) == 43
    wider = funnel(results, "recorded_crime_per_1000", overdispersion=True)
    assert "multiplicative" in wider.axes[1].texts[0].get_text()
    with pytest.raises(InvalidValueError, match="a change"):
        funnel(compute(_bundled("peel2017"), ["recorded_crime_change"]), "recorded_crime_change")
