"""The bundled PEEL 2017 dataset and published figures."""

from __future__ import annotations

import sys
from pathlib import Path

import pandas as pd
import pytest

from peelmetrics import compute
from peelmetrics.datasets import counts as _bundled
from peelmetrics.datasets import provenance as _provenance
from peelmetrics.datasets import published as _published

ROOT = Path(__file__).resolve().parents[1]


def _value(counts: pd.DataFrame, force: str, measure: str, end: str) -> float:
    hit = counts[
        (counts.force == force)
        & (counts.measure == measure)
        & (counts.period_end == pd.Timestamp(end))
    ]
    assert len(hit) == 1
    return float(hit.value.iloc[0])


def test_golden_counts() -> None:
    counts = _bundled("peel2017")
    assert _value(counts, "E23000027", "population", "2016-06-30") == 1_176_720
    mid_2016 = counts[(counts.measure == "population") & (counts.period_end == "2016-06-30")]
    assert mid_2016.value.sum() == 58_381_217  # unrounded MYE2, as the report used
    assert _value(counts, "E23000027", "population", "2015-06-30") == 1_165_300  # ONS P9
    # ONS P7 (README facts): Hertfordshire 27,139 and 33,646; E&W excluding BTP 1,796,078.
    assert _value(counts, "E23000027", "asb_incidents", "2016-03-31") == 27_139
    assert _value(counts, "E23000027", "asb_incidents", "2017-03-31") == 33_646
    asb_2017 = counts[(counts.measure == "asb_incidents") & (counts.period_end == "2017-03-31")]
    assert asb_2017[asb_2017.force != "BTP"].value.sum() == 1_796_078
    # Home Office outcomes 2017/18: Hertfordshire's 82,859 offences by outcome type.
    herts = counts[(counts.force == "E23000027") & (counts.period_end == "2018-03-31")]
    tracked = herts[herts.measure.str.match(r"^outcome_\d+$")]
    assert tracked.value.sum() == 82_859
    assert _value(counts, "E23000027", "recorded_crime", "2018-03-31") == 82_859
    assert _value(counts, "E23000027", "recorded_crime", "2017-06-30") == 77_604
    assert _value(counts, "E23000027", "domestic_abuse_offences", "2017-06-30") == 9_658
    assert _value(counts, "E23000027", "domestic_abuse_offences", "2016-06-30") == 8_282
    assert _value(counts, "E23000027", "dvpos_granted", "2017-06-30") == 68


def test_coverage() -> None:
    counts = _bundled("peel2017")
    for measure in ("population", "adult_female_population"):
        assert counts[counts.measure == measure].force.nunique() == 43
    crime = counts[counts.measure == "recorded_crime"]
    per_year = crime.groupby("period_end").force.nunique()
    assert (per_year == 44).all()  # 43 + BTP, every rolling year
    assert per_year.index.min() == pd.Timestamp("2003-03-31")
    assert pd.Timestamp("2017-06-30") in per_year.index
    asb = counts[counts.measure == "asb_incidents"].groupby("period_end").force.nunique()
    assert asb.index.year.tolist() == list(range(2008, 2019))
    assert asb.min() == 43


def test_bundled_panel_values() -> None:
    results = compute(
        _bundled("peel2017"),
        ["domestic_abuse_share_of_crime", "dvpo_rate", "recorded_crime_per_1000"],
    )
    herts = results[
        (results.force == "E23000027") & (results.period_end == pd.Timestamp("2017-06-30"))
    ]
    by_metric = herts.set_index("metric")
    assert by_metric.at["dvpo_rate", "display"] == "0.7"
    assert by_metric.at["domestic_abuse_share_of_crime", "display"] == "12%"
    assert by_metric.at["recorded_crime_per_1000", "value"] == pytest.approx(77604 / 1176.720)


def test_published_table() -> None:
    published = _published("peel2017")
    assert set(published.certainty) == {"stated", "likely"}
    row = published[(published.metric == "dvpo_rate") & (published.force == "K04000001")].iloc[0]
    assert row.published == "0.8"
    for unattributable in ("282", "28", "31", "+23%", "-0.05%", "47"):
        assert unattributable not in set(published.published)


def test_provenance_names_every_measure() -> None:
    provenance = _provenance("peel2017")
    measures = {m for source in provenance["sources"] for m in source["measures"]}
    assert measures == set(_bundled("peel2017").measure)
    for source in provenance["sources"]:
        recon = source["reconciliation"]
        assert recon["rows_read"] == recon["rows_used"] + sum(recon["rows_excluded"].values())


@pytest.mark.reference
def test_build_script_regenerates_bundled_data(reference_dir: Path) -> None:
    sys.path.insert(0, str(ROOT / "scripts"))
    try:
        import build_peel2017_data as build
    finally:
        sys.path.pop(0)
    counts, provenance = build.build(reference_dir)
    pd.testing.assert_frame_equal(
        counts.reset_index(drop=True),
        _bundled("peel2017").sort_values(["measure", "period_end", "force"], ignore_index=True),
    )
    assert provenance == _provenance("peel2017")


def test_bundled_counts_are_already_valid() -> None:
    """datasets.counts reads the bundled file without validating it on every load: the
    file must be exactly what validation gives (dtypes, order, no problem to report)."""
    from peelmetrics.catalogue import editions, get
    from peelmetrics.counts import validate_counts

    bundled = [get(e) for e in editions() if get(e).bundled]
    assert bundled
    for ed in bundled:
        loaded = _bundled(ed)
        pd.testing.assert_frame_equal(loaded, validate_counts(loaded, edition=ed))
        assert loaded["period_end"].dtype == "datetime64[ns]"
