"""A second edition runs through everything generic, unchanged: compute, the panel, charts,
readers and every command."""

from __future__ import annotations

import io
import json
from pathlib import Path

import attrs
import pandas as pd
import pytest

import peelmetrics as pm
from peelmetrics.cli import main

from . import toy_edition as toy

KENT = pm.resolve_force("Kent").code


def _counts() -> pd.DataFrame:
    records = []
    for force in pm.all_forces(geographic_only=True):
        records += [
            (force.code, "2021-06-30", 0, "population", 1_000_000, "toy census"),
            (force.code, "2023-03-31", 12, "recorded_crime", 80_000, "toy crime"),
            (force.code, "2022-03-31", 12, "recorded_crime", 64_000, "toy crime"),
            (force.code, "2023-03-31", 1, "police_uk_crimes", 7_000, "toy street"),
            (force.code, "2023-03-31", 12, "emergency_calls", 90_000, "toy calls"),
        ]
    return pm.make_counts(records, edition=toy.ID)


def _run(*argv: str) -> tuple[int, str]:
    out = io.StringIO()
    return main(["--edition", toy.ID, *argv], out=out), out.getvalue()


def test_the_registry_knows_it() -> None:
    assert toy.ID in pm.editions()
    assert pm.edition(toy.ID).title == "Toy PEEL 2023"
    assert pm.edition().id == "peel2017"  # the documented default is unchanged


def test_compute_follows_the_toy_rules() -> None:
    results = pm.compute(_counts(), edition=toy.ID)
    assert set(results.edition) == {toy.ID}
    results = results[results.period_end == "2023-03-31"]
    kent = results[(results.force == KENT) & (results.metric == "crime_rate")].iloc[0]
    assert (kent.display, kent.status) == ("80.0", "ok")
    national = results[(results.force == "K04000001") & (results.metric == "crime_rate")].iloc[0]
    assert {e["force"]: e["reason"] for e in national.excluded}[toy.DEVON] == (
        "devon_not_comparable"
    )
    street = results[(results.force == KENT) & (results.metric == "street_crime_per_million")]
    assert street.iloc[0].display == "7,000"
    change = results[(results.force == KENT) & (results.metric == "crime_change")].iloc[0]
    assert change.display == "+25%"


def test_the_panel_and_chart() -> None:
    panel = pm.force_in_numbers("Kent", _counts(), toy.ID).set_index("metric")
    assert list(panel.index) == ["crime_rate", "crime_change", "street_crime_per_million"]
    assert panel.loc["crime_rate", "display"] == "80.0"
    assert panel.loc["crime_rate", "published"] is None  # nothing published for the toy
    with pytest.raises(pm.InvalidValueError, match="no data ships with edition 'toy2023'"):
        pm.force_in_numbers("Kent", edition=toy.ID)
    pytest.importorskip("matplotlib")
    from peelmetrics.charts import by_force

    results = pm.compute(_counts(), ["crime_rate"], toy.ID)
    figure = by_force(results, "crime_rate", highlight="Kent", edition=toy.ID)
    assert figure.axes
    # Without edition=, the chart follows the edition the results carry, not the default.
    assert by_force(results, "crime_rate").axes


def test_readers_feed_it(tmp_path: Path) -> None:
    street = tmp_path / "2023-03" / "2023-03-kent-street.csv"
    street.parent.mkdir()
    street.write_text(
        "Crime ID,Month,Reported by,Falls within,Crime type,Last outcome category\n"
        "a,2023-03,Kent Police,Kent Police,Burglary,Under investigation\n",
        encoding="utf-8",
    )
    counts, _ = pm.sources.read_police_uk(tmp_path, backend="pandas")
    counts = pm.concat_counts(
        counts,
        pm.make_counts([(KENT, "2021-06-30", 0, "population", 2_000_000, "toy")], edition=toy.ID),
        edition=toy.ID,
    )
    results = pm.compute(counts, ["street_crime_per_million"], toy.ID)
    kent = results[results.force == KENT].iloc[0]
    assert kent.value == pytest.approx(0.5)  # one street crime in two million people
    assert kent.display == "1"  # half away from zero


def test_every_command(tmp_path: Path) -> None:
    counts_file = tmp_path / "toy.csv"
    from peelmetrics.report import counts_to_csv

    counts_file.write_text(counts_to_csv(_counts()), encoding="utf-8")
    status, text = _run("metrics")
    assert status == 0
    assert "street_crime_per_million" in text
    status, text = _run("judgments", "Kent", "--year", "2023")
    assert status == 0
    assert "Responding to the public" in text
    assert "Adequate" in text
    status, text = _run("compute", "--counts", str(counts_file), "--metric",
                        "crime_rate,emergency_calls_per_1000", "--force", "Kent", "--format",
                        "json")  # fmt: skip
    assert status == 0
    records = json.loads(text)
    assert {r["edition"] for r in records} == {toy.ID}
    calls = next(r for r in records if r["metric"] == "emergency_calls_per_1000"
                 and r["force"] == KENT)  # fmt: skip
    assert calls["display"] == "90"
    # The 2017 edition has no such measure: the same file is refused there, said clearly.
    assert main(["compute", "--counts", str(counts_file)], out=io.StringIO()) == 2
    status, text = _run("force-in-numbers", "Kent", "--counts", str(counts_file))
    assert status == 0
    assert "Crimes per 1,000 people" in text
    status, text = _run("editions")
    assert toy.ID in text
    status, _ = _run("data")
    assert status == 2  # nothing ships with the toy: said, not a traceback
    status, text = _run("read", str(counts_file), "--output", str(tmp_path / "again.csv"))
    assert status == 0
    pytest.importorskip("matplotlib")
    status, _ = _run("-q", "chart", "crime_rate", "--counts", str(counts_file), "--output",
                     str(tmp_path / "toy.svg"))  # fmt: skip
    assert status == 0
    pytest.importorskip("jinja2")
    status, page = _run("-q", "report", "Kent", "--counts", str(counts_file))
    assert status == 0
    assert "Crimes per 1,000 people" in page
    assert "Responding to the public" in page  # the toy's own questions, not the 2017 ones
    assert "Preventing crime" not in page


def test_grades_belong_to_their_scale() -> None:
    # Adequate exists only on the five-point scale.
    peel = pm.edition()
    wrong = attrs.evolve(peel.judgments[0], grade=pm.Grade.ADEQUATE)
    fields = {f.name: getattr(peel, f.name) for f in attrs.fields(pm.Edition)}
    fields["judgments"] = (wrong,)
    with pytest.raises(pm.InvalidValueError, match="not on peel2017's scale"):
        pm.Edition(**fields)
    from peelmetrics.judgments import check_same_scale

    with pytest.raises(pm.IncomparableError, match="must not be compared"):
        check_same_scale(peel.grades, pm.edition(toy.ID).grades)
    # A question outside the edition is refused too.
    fields["judgments"] = (pm.Judgment("Kent", "Responding to the public", "Good", 2017),)
    with pytest.raises(pm.InvalidValueError, match="not a question of peel2017"):
        pm.Edition(**fields)


def test_a_unit_left_out_is_derived_from_measures_and_scale() -> None:
    assert pm.edition(toy.ID).metric("emergency_calls_per_1000").unit == (
        "incident / (thousand * person)"
    )
