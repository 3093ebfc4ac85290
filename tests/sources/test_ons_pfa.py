"""ONS police force area data tables: every layout of the editions we hold, by content."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from peelmetrics import InputFileError, resolve_force
from peelmetrics.sources import read_ons_pfa_tables

EDITIONS = {
    "march2018": "policeforceareatablesyearendingmarch2018v2.xlsx",
    "june2018": "policeforceareadatatablesyearendingjune2018corrected.xlsx",
    "march2019": "policeforceareatablesyeendingmarch2019.xlsx",
}
HERTS = resolve_force("Hertfordshire").code


def _value(counts: pd.DataFrame, force: str, measure: str, end: str) -> float:
    hit = counts[(counts.force == force) & (counts.measure == measure)
                 & (counts.period_end == pd.Timestamp(end))]  # fmt: skip
    assert len(hit) == 1, (force, measure, end)
    return float(hit.value.iloc[0])


@pytest.fixture(scope="module")
def march2018(reference_dir: Path) -> tuple[pd.DataFrame, object]:
    return read_ons_pfa_tables(reference_dir / "ons_pfa" / EDITIONS["march2018"])


@pytest.mark.reference
def test_march_2018_facts(march2018: tuple[pd.DataFrame, object]) -> None:
    counts, report = march2018
    # README facts: P1 Hertfordshire 82,859; P7 ASB 27,139 (YE Mar 2016) and 33,646 (2017);
    # P9 Hertfordshire mid-2016 1,176,400.
    assert _value(counts, HERTS, "recorded_crime", "2018-03-31") == 82859
    assert _value(counts, HERTS, "asb_incidents", "2016-03-31") == 27139
    assert _value(counts, HERTS, "asb_incidents", "2017-03-31") == 33646
    assert _value(counts, HERTS, "population", "2016-06-30") == 1176400
    asb = counts[(counts.measure == "asb_incidents") & (counts.force != "BTP")]
    by_year = asb.groupby("period_end").value.sum()
    assert by_year[pd.Timestamp("2016-03-31")] == 1793868  # E&W excluding BTP
    assert by_year[pd.Timestamp("2017-03-31")] == 1796078
    assert sorted(asb.period_end.dt.year.unique()) == list(range(2008, 2019))
    pop = counts[counts.measure == "population"]
    assert sorted(pop.period_end.dt.year.unique()) == list(range(2002, 2017))
    assert (pop.groupby("period_end").force.nunique() == 43).all()
    # The E&W row includes BTP in P1 (footnote 8): the reader says so.
    assert any("P1" in n and "British Transport Police add up" in n and "4,876,282" in n
               for n in report.notes)  # fmt: skip
    assert report.rows_read == report.rows_used + report.rows_excluded


@pytest.mark.reference
def test_every_row_is_accounted_for(march2018: tuple[pd.DataFrame, object]) -> None:
    _counts, report = march2018
    reasons = {r.split("]: ")[-1] for r in report.by_reason()}
    assert reasons == {
        "England and Wales total (used to reconcile the forces)",
        "England, Wales or a region: an aggregate of forces",
        "title, footnote or source text",
        "blank row",
    } or reasons <= {
        "England and Wales total (used to reconcile the forces)",
        "England, Wales or a region: an aggregate of forces",
        "title, footnote or source text",
        "blank row",
    }


@pytest.mark.reference
def test_june_2018_corrected_edition(reference_dir: Path) -> None:
    counts, report = read_ons_pfa_tables(reference_dir / "ons_pfa" / EDITIONS["june2018"])
    assert set(counts.measure) == {"recorded_crime", "population"}
    assert counts[counts.measure == "recorded_crime"].period_end.unique().tolist() == [
        pd.Timestamp("2018-06-30")
    ]
    # P3's header names mid-2017: population as at 30 June 2017.
    assert counts[counts.measure == "population"].period_end.unique().tolist() == [
        pd.Timestamp("2017-06-30")
    ]
    assert "table P7 is not in this edition" in report.notes


@pytest.mark.reference
def test_march_2019_edition_without_area_codes(reference_dir: Path) -> None:
    # P7 has no Area Code column and "West Midlands" names a region and a force.
    counts, _report = read_ons_pfa_tables(reference_dir / "ons_pfa" / EDITIONS["march2019"])
    wm = resolve_force("West Midlands").code
    assert _value(counts, wm, "asb_incidents", "2008-03-31") == 172034  # the force, not 353,082
    assert _value(counts, HERTS, "recorded_crime", "2019-03-31") == 86020
    asb = counts[(counts.measure == "asb_incidents") & (counts.force != "BTP")]
    assert asb.groupby("period_end").value.sum()[pd.Timestamp("2008-03-31")] == 3873916


def _workbook(path: Path, rows: list[list[object]], sheet: str = "Table P1 ") -> Path:
    title = ["Table P1: Police recorded crime, number of offences, year ending March 20181,2"]
    header = [["Area Code", "Area Name", "Total recorded crime (excluding fraud)4"]]
    frame = pd.DataFrame([[*title, None, None], [None] * 3, *header, *rows])
    frame.to_excel(path, sheet_name=sheet, header=False, index=False)
    return path


def _rows(value: object = 10) -> list[list[object]]:
    from peelmetrics import all_forces

    forces = [[f.code, f.short_name + "7", value] for f in all_forces(geographic_only=True)]
    return [["K04000001", "ENGLAND AND WALES8", 430 + 5], *forces, [None, "British Transport "
            "Police", 5], ["Source: Home Office", None, None]]  # fmt: skip


def test_a_written_table_is_read_and_reconciled(tmp_path: Path) -> None:
    counts, report = read_ons_pfa_tables(_workbook(tmp_path / "t.xlsx", _rows()), tables=["P1"])
    assert len(counts) == 44
    assert (counts.period_end == pd.Timestamp("2018-03-31")).all()
    assert report.by_reason() == {
        "England and Wales total (used to reconcile the forces)": 1,
        "title, footnote or source text": 1,
    }


def test_an_accessible_edition_with_note_markers(tmp_path: Path) -> None:
    """Later ONS tables follow the accessibility standard: "[note 3]" markers instead of
    glued footnote digits, "[x]" for not available: read as the older layout is."""
    from peelmetrics import all_forces

    forces = [[f.code, f"{f.short_name} [note 7]", 10] for f in all_forces(geographic_only=True)]
    forces[0][2] = "[x]"
    rows = [["K04000001", "England and Wales [note 8]", 420 + 5], *forces,
            [None, "British Transport Police", 5]]  # fmt: skip
    path = tmp_path / "t.xlsx"
    title = ["Table P1: Police recorded crime, year ending March 2018 [note 1, 2]", None, None]
    header = ["Area Code", "Area Name", "Total recorded crime (excluding fraud) [note 4]"]
    pd.DataFrame([title, header, *rows]).to_excel(path, sheet_name="Table P1", header=False,
                                                  index=False)  # fmt: skip
    counts, report = read_ons_pfa_tables(path, tables=["P1"])
    assert len(counts) == 43  # 42 forces with a figure, and BTP
    assert (counts.period_end == pd.Timestamp("2018-03-31")).all()
    assert report.by_reason()["no figure for this force ('..' in every column read)"] == 1
    assert any("not reconciled" in n for n in report.notes)  # a force without a figure


def test_a_table_that_does_not_add_up_fails(tmp_path: Path) -> None:
    rows = _rows()
    rows[5][2] = 1000  # one force misread
    with pytest.raises(InputFileError, match="do not add up"):
        read_ons_pfa_tables(_workbook(tmp_path / "t.xlsx", rows), tables=["P1"])


def test_a_bad_cell_names_its_row(tmp_path: Path) -> None:
    rows = _rows()
    rows[3][2] = "12a"
    with pytest.raises(InputFileError, match=r"row 7.*'12a' is neither a number nor"):
        read_ons_pfa_tables(_workbook(tmp_path / "t.xlsx", rows), tables=["P1"])


def test_code_and_name_must_agree(tmp_path: Path) -> None:
    rows = _rows()
    rows[3][0] = "E23000027"  # a code that belongs to Hertfordshire, beside another name
    with pytest.raises(InputFileError, match="does not match the name"):
        read_ons_pfa_tables(_workbook(tmp_path / "t.xlsx", rows), tables=["P1"])


@pytest.mark.reference
def test_home_office_table_reconciles_with_ons_p1(
    reference_dir: Path, march2018: tuple[pd.DataFrame, object]
) -> None:
    from peelmetrics import compare_counts
    from peelmetrics.sources import read_recorded_crime_quarterly

    ons = march2018[0]
    ons = ons[ons.measure == "recorded_crime"]
    ho, _ = read_recorded_crime_quarterly(
        reference_dir / "home_office" / "prc-pfa-mar2013-onwards-tables201718.csv"
    )
    table = compare_counts(ons, ho, names=("ons", "home_office"))
    forces = table[table.force != "BTP"]
    # README facts: 24 forces agree exactly; the rest differ by later revisions, up to 8.9%
    # for City of London, most under 1%.
    assert (forces.difference == 0).sum() == 24
    worst = forces.loc[forces.relative.abs().idxmax()]
    assert worst.force == resolve_force("City of London").code
    assert round(abs(worst.relative) * 100, 1) == 8.9
    assert (forces.relative.abs() < 0.01).sum() >= 38


def test_an_unseen_p7_layout(tmp_path: Path) -> None:
    # Four-digit years, abbreviated months, names only (no area codes), a region named like a
    # force, and the E&W row excluding BTP.
    from peelmetrics import all_forces

    forces = all_forces(geographic_only=True)
    title = ["Table P7: Anti-social behaviour incidents, year ending Mar 2019 to year ending "
             "Mar 20201,2", None, None]  # fmt: skip
    header = [None, "April 2018 to March 2019", "April 2019 to March 2020"]
    sub = [None, "Number of incidents", "Number of incidents"]
    rows = [["ENGLAND AND WALES (exc. BTP)", 43 * 10, 43 * 20], [None, None, None],
            ["West Midlands", 999, 999]]  # fmt: skip
    rows += [[f.short_name + "3", 10, 20] for f in forces]
    rows += [["British Transport Police", "..", 5], ["Source: Home Office", None, None]]
    path = tmp_path / "p7.xlsx"
    pd.DataFrame([title, [None] * 3, header, sub, *rows]).to_excel(
        path, sheet_name="P7", header=False, index=False
    )
    counts, report = read_ons_pfa_tables(path, tables=["P7"])
    ends = sorted(counts.period_end.dt.year.unique())
    assert ends == [2019, 2020]
    wm = resolve_force("West Midlands").code
    assert _value(counts, wm, "asb_incidents", "2020-03-31") == 20  # the force, not the region
    assert len(counts[counts.period_end == "2020-03-31"]) == 44  # 43 forces and BTP
    assert any("43 forces add up" in n for n in report.notes)
