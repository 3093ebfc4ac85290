"""One rule for combining sources (issue 20): the later file wins, every replacement is
reported by file, a conflict inside one file stays an error naming the file and both rows."""

from __future__ import annotations

import io
from pathlib import Path

import pandas as pd
import pytest

from peelmetrics.cli import main
from peelmetrics.counts import make_counts, overlay_counts
from peelmetrics.errors import InputFileError, InvalidValueError
from peelmetrics.sources import read_any

HEADER = "force,period_end,period_months,measure,value,source\n"


def _run(*argv: str) -> tuple[int, str]:
    out = io.StringIO()
    return main(list(argv), out=out), out.getvalue()


def _files(tmp_path: Path) -> tuple[Path, Path]:
    first = tmp_path / "first.csv"
    first.write_text(
        HEADER + "Kent,2018-03-31,12,recorded_crime,100,ONS\n"
        "Kent,2018-03-31,12,asb_incidents,50,ONS\n"
    )
    second = tmp_path / "second.csv"
    second.write_text(
        HEADER + "Kent,2018-03-31,12,recorded_crime,103,HO\n"
        "Surrey,2018-03-31,12,recorded_crime,70,HO\n"
    )
    return first, second


def test_later_wins_and_the_replacement_is_said(tmp_path: Path) -> None:
    first, second = _files(tmp_path)
    layers = [(str(p), read_any(p)[0]) for p in (first, second)]
    combined, said = overlay_counts(layers)
    kent = combined[(combined.force == "E23000032") & (combined.measure == "recorded_crime")]
    assert kent.value.tolist() == [103.0]
    assert kent.source.tolist() == ["HO"]
    assert len(combined) == 3  # Kent ASB kept from the first, Surrey added by the second
    assert said[0].replaced == 1
    assert said[0].changed == 1
    assert said[0].largest == 3.0
    assert said[0].measures == (("recorded_crime", 1, "ONS", "HO"),)


def test_read_several_files_uses_the_rule(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    first, second = _files(tmp_path)
    status, text = _run("read", str(first), str(second))
    assert status == 0
    rows = pd.read_csv(io.StringIO(text))
    assert rows.loc[
        (rows.force == "E23000032") & (rows.measure == "recorded_crime"), "value"
    ].tolist() == [103.0]
    err = capsys.readouterr().err
    assert f"{second}: replaced 1 earlier count(s); 1 differ, the most by +3" in err
    assert "recorded_crime: 1 ('ONS' -> 'HO')" in err
    # The same files the other way round: the other file wins.
    status, text = _run("read", str(second), str(first))
    rows = pd.read_csv(io.StringIO(text))
    assert rows.loc[
        (rows.force == "E23000032") & (rows.measure == "recorded_crime"), "value"
    ].tolist() == [100.0]


def test_counts_over_the_bundle_say_the_measure_and_both_releases(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    mine = tmp_path / "population.csv"
    mine.write_text(HEADER + "Kent,2016-06-30,0,population,1600000,my estimate\n")
    status, _ = _run("force-in-numbers", "Kent", "--counts", str(mine))
    assert status == 0
    err = capsys.readouterr().err
    assert f"{mine}: replaced 1 earlier count(s)" in err
    assert "population: 1 ('ONS mid-2016 population estimates (MYE2)" in err
    assert "-> 'my estimate')" in err


def test_a_conflict_inside_one_file_names_the_file_and_both_rows(tmp_path: Path) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text(
        HEADER + "Kent,2018-03-31,12,recorded_crime,100,a\n"
        "Kent,2018-03-31,12,recorded_crime,101,a\n"
    )
    status, _ = _run("read", str(bad))
    assert status == 2
    with pytest.raises(InputFileError, match=r"bad\.csv, row 3: duplicate .*row 2"):
        overlay_counts([("bad.csv", pd.read_csv(bad).assign(force="E23000032"))])


def test_compare_command(tmp_path: Path) -> None:
    first, second = _files(tmp_path)
    status, text = _run("compare", str(first), str(second))
    assert status == 0
    table = pd.read_csv(io.StringIO(text))
    kent = table[(table.force == "E23000032") & (table.measure == "recorded_crime")].iloc[0]
    assert (kent["first.csv"], kent["second.csv"], kent.difference) == (100.0, 103.0, 3.0)
    assert kent.relative == pytest.approx(0.03)
    assert len(table) == 3  # the one revision and the two keys only one file holds


def test_layers_are_name_frame_pairs() -> None:
    frame = make_counts([("Kent", "2018-03-31", 12, "recorded_crime", 1, "a")])
    with pytest.raises(InvalidValueError, match="pairs"):
        overlay_counts(frame)  # type: ignore[arg-type]


@pytest.mark.reference
def test_three_real_files_read_together(
    reference_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    pytest.importorskip("python_calamine")
    files = [
        reference_dir / "ons_pfa" / "policeforceareatablesyearendingmarch2018v2.xlsx",
        reference_dir / "home_office" / "prc-pfa-mar2013-onwards-tables201718.csv",
        reference_dir / "home_office" / "prc-outcomes-open-data-mar2018-2017-18-snakecase.csv.gz",
    ]
    status, text = _run("read", *map(str, files))
    assert status == 0  # was "44 problems in input: <combined counts> ... duplicate count"
    err = capsys.readouterr().err
    # The Home Office table replaces ONS P1's 44 recorded-crime counts (43 forces and BTP);
    # 24 forces agree exactly (reference README), so 20 differ.
    assert f"{files[1]}: replaced 44 earlier count(s); 20 differ" in err
    rows = pd.read_csv(io.StringIO(text))
    herts = rows[
        (rows.force == "E23000027")
        & (rows.measure == "recorded_crime")
        & (rows.period_end == "2018-03-31")
        & (rows.period_months == 12)
    ]
    assert herts.value.tolist() == [82_859.0]
    assert herts.source.str.startswith("Home Office").all()
