"""The first hour (issue 24): each friction a new user met, replayed as written, meets a
typed error that names the argument and what was expected, or works."""

from __future__ import annotations

import io
import json
import sys
from pathlib import Path

import pandas as pd
import pytest

import peelmetrics as pm
from peelmetrics.cli import main


def _run(*argv: str) -> tuple[int, str]:
    out = io.StringIO()
    return main(list(argv), out=out), out.getvalue()


def test_1_a_chart_without_matplotlib_names_the_extra(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setitem(sys.modules, "matplotlib", None)  # as on a plain install
    status, _out = _run("chart", "recorded_crime_per_1000", "--output", str(tmp_path / "p.png"))
    assert status == 2
    assert 'charts needs matplotlib: pip install "peelmetrics[charts]"' in capsys.readouterr().err


def test_1_a_trend_chart_without_matplotlib_names_the_extra(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    for module in ("matplotlib", "matplotlib.figure"):
        monkeypatch.setitem(sys.modules, module, None)  # as on a plain install
    monkeypatch.delitem(sys.modules, "peelmetrics._chart_figure", raising=False)
    status, _out = _run("trend", "Kent", "--metric", "recorded_crime_per_1000",
                        "--output", str(tmp_path / "t.png"))  # fmt: skip
    assert status == 2
    assert 'charts needs matplotlib: pip install "peelmetrics[charts]"' in capsys.readouterr().err


def test_1_a_chart_saved_under_another_suffix_is_refused_by_name(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    status, _out = _run("chart", "recorded_crime_per_1000", "--output", str(tmp_path / "p.txt"))
    assert status == 2
    assert "a chart is saved as .png, .svg or .pdf, not 'p.txt'" in capsys.readouterr().err
    assert not (tmp_path / "p.txt").exists()


def test_2_an_empty_frame_lists_the_missing_columns() -> None:
    with pytest.raises(pm.InputFileError, match="column 'force': required column is missing"):
        pm.force_in_numbers("Kent", pd.DataFrame())


def test_3_a_level_given_as_text_is_named() -> None:
    with pytest.raises(pm.InvalidValueError, match="ci: a confidence level between 0 and 1"):
        pm.force_in_numbers("Kent", ci="0.95")  # type: ignore[arg-type]


def test_4_the_tuple_update_counts_returns_is_named() -> None:
    counts = pm.datasets.counts("peel2017")
    updated = pm.update_counts(counts, counts.head(2))
    with pytest.raises(pm.InputFileError, match="a tuple arrived: update_counts"):
        pm.concat_counts(updated, counts)  # type: ignore[arg-type]
    combined, replaced = updated
    assert replaced == 2
    assert len(combined) == len(counts)


def test_5_a_service_gets_strict_json() -> None:
    panel = pm.force_in_numbers("Kent")
    with pytest.raises((ValueError, TypeError)):  # NaN and Timestamps: not JSON
        json.dumps(panel.to_dict(orient="records"), allow_nan=False)  # pandas' own records
    assert json.loads(json.dumps(panel.records(), allow_nan=False))[0]["metric"]


def test_6_a_dash_names_its_measures_and_measures_are_listed() -> None:
    panel = pm.force_in_numbers("Kent").set_index("metric")
    assert panel.loc["dvpo_rate", "reason"] == (
        "No count was supplied for this period; it needs: DVPOs granted by the courts; "
        "Domestic abuse-related offences."
    )
    status, text = _run("metrics", "--measures", "--format", "json")
    assert status == 0
    measures = {m["id"]: m for m in json.loads(text)}
    assert "dvpo_rate" in measures["dvpos_granted"]["metrics"]


def test_8_forces_outside_england_and_wales_are_named_as_such() -> None:
    with pytest.raises(pm.UnknownForceError, match="Police Scotland is not a police force of Engl"):
        pm.resolve_force("Police Scotland")


def test_9_the_reading_docs_run_as_written() -> None:
    assert callable(pm.sources.read_recorded_crime_quarterly)
