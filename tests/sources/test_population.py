"""ONS mid-year population estimates summed to forces."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from peelmetrics.errors import InputFileError
from peelmetrics.sources import read_population

pytest.importorskip("python_calamine")
openpyxl = pytest.importorskip("openpyxl")

AGES = list(range(91))


def _workbook(
    tmp_path: Path,
    districts: dict[str, list[int]],
    ew_total_delta: int = 0,
    names: tuple[str, str] = ("MYE2 - All", "MYE2 - F"),
    above: int = 4,
) -> Path:
    """A small MYE-shaped workbook: rows of (code, name, all ages, 0..90) per sheet, the
    header below ``above`` title rows (four in mid-2016)."""
    book = openpyxl.Workbook()
    book.remove(book.active)
    for sheet_name, share in zip(names, (1.0, 0.5), strict=True):
        ws = book.create_sheet(sheet_name)
        ws.append(["MYE2: Population estimates: Persons by single year of age, mid-2016"])
        for _ in range(above - 1):
            ws.append([])
        ws.append(["Code", "Name", "All ages", *AGES])
        totals = [0] * 91
        body = []
        for code, per_age in districts.items():
            ages = [int(a * share) for a in per_age]
            totals = [t + a for t, a in zip(totals, ages, strict=True)]
            body.append([code, code, sum(ages), *ages])
        ws.append(["K04000001", "ENGLAND AND WALES", sum(totals) + ew_total_delta, *totals])
        ws.append(["E12000006", "EAST", sum(totals), *totals])
        ws.append(["S12000033", "Aberdeen City", 5, *([0] * 90), 5])
        for row in body:
            ws.append(row)
    path = tmp_path / "mye.xlsx"
    book.save(path)
    return path


def _lookup(tmp_path: Path, mapping: dict[str, str]) -> Path:
    path = tmp_path / "lookup.csv"
    lines = ["\ufeffLAD17CD,LAD17NM,PFA17CD,PFA17NM"]
    lines += [f"{lad},{lad},{pfa},x" for lad, pfa in mapping.items()]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_sums_districts_and_adult_females(tmp_path: Path) -> None:
    districts = {"E07000095": [10] * 91, "E07000096": [20] * 91, "E06000055": [2] * 91}
    mapping = {"E07000095": "E23000027", "E07000096": "E23000027", "E06000055": "E23000026"}
    counts, report = read_population(_workbook(tmp_path, districts), _lookup(tmp_path, mapping))
    values = counts.set_index(["force", "measure"])["value"]
    assert values[("E23000027", "population")] == 30 * 91
    # Females are half of each age; aged 16 to 90+ is 75 single-year columns.
    assert values[("E23000027", "adult_female_population")] == 15 * 75
    assert (counts.period_end == pd.Timestamp("2016-06-30")).all()
    assert (counts.period_months == 0).all()
    assert report.rows_read == 2 * 6
    assert report.rows_used == 2 * 3
    assert report.by_reason()["MYE2 - All: outside England and Wales"] == 1


def test_adult_age_is_a_parameter(tmp_path: Path) -> None:
    districts = {"E07000095": [10] * 91}
    counts, _ = read_population(
        _workbook(tmp_path, districts),
        _lookup(tmp_path, {"E07000095": "E23000027"}),
        adult_min_age=18,
    )
    assert counts.set_index("measure").at["adult_female_population", "value"] == 5 * 73


def test_totals_must_reconcile(tmp_path: Path) -> None:
    districts = {"E07000095": [10] * 91}
    book = _workbook(tmp_path, districts, ew_total_delta=7)
    with pytest.raises(InputFileError, match="England and Wales is 917"):
        read_population(book, _lookup(tmp_path, {"E07000095": "E23000027"}))


def test_lookup_district_missing_from_workbook(tmp_path: Path) -> None:
    book = _workbook(tmp_path, {"E07000095": [1] * 91})
    lookup = _lookup(tmp_path, {"E07000095": "E23000027", "E07000999": "E23000027"})
    with pytest.raises(InputFileError, match="lookup district E07000999 is not in the sheet"):
        read_population(book, lookup)


@pytest.mark.reference
def test_real_workbook_golden_values(reference_dir: Path) -> None:
    counts, report = read_population(
        reference_dir / "ons_ukmidyearestimates2016.xls",
        reference_dir / "ons_lad17_csp17_pfa17_lookup_jan2017_v2.csv",
    )
    assert report.rows_read == report.rows_used + report.rows_excluded
    assert report.rows_used == 2 * 348
    population = counts[counts.measure == "population"].set_index("force")["value"]
    assert population["E23000027"] == 1_176_720
    assert population.sum() == 58_381_217
    assert len(population) == 43
    females = counts[counts.measure == "adult_female_population"].set_index("force")["value"]
    assert 0.40 < females["E23000027"] / population["E23000027"] < 0.42


def test_a_sheet_shorter_than_its_header(tmp_path: Path) -> None:
    from peelmetrics import InputFileError

    workbook = tmp_path / "mye.xlsx"
    with pd.ExcelWriter(workbook) as writer:
        pd.DataFrame([["Mid-2016"], ["y"]]).to_excel(writer, sheet_name="MYE2 - All",
                                                      header=False, index=False)  # fmt: skip
        pd.DataFrame([["Mid-2016"]]).to_excel(writer, sheet_name="MYE2 - F", header=False,
                                              index=False)  # fmt: skip
    lookup = tmp_path / "lookup.csv"
    lookup.write_text("LAD17CD,PFA17CD\nE06000001,E23000013\n")
    with pytest.raises(InputFileError, match=r"\[MYE2 - All\]: no header row naming Code and "
                       "All ages in its first 30 rows; not an ONS MYE2 sheet"):  # fmt: skip
        read_population(workbook, lookup)


def test_a_later_edition_names_its_sheets_and_header_rows_otherwise(tmp_path: Path) -> None:
    """Later MYE workbooks call the sheets "MYE2 - Persons" and "MYE2 - Females" and put a
    longer title above the header: the same counts, found by content; a workbook with
    neither name says which names it looked for."""
    from peelmetrics import InputFileError

    districts = {"E07000095": [10] * 91, "E06000055": [2] * 91}
    lookup = _lookup(tmp_path, {"E07000095": "E23000027", "E06000055": "E23000026"})
    expected, _ = read_population(_workbook(tmp_path, districts), lookup)
    later = _workbook(tmp_path, districts, names=("MYE2 - Persons", "MYE2 - Females"), above=7)
    counts, report = read_population(later, lookup)
    pd.testing.assert_frame_equal(counts.drop(columns="source"), expected.drop(columns="source"))
    assert counts["period_end"].iloc[0] == pd.Timestamp("2016-06-30")
    assert report.rows_read == 2 * 5
    odd = _workbook(tmp_path, districts, names=("Persons", "MYE2 - F"))
    with pytest.raises(InputFileError, match="no sheet named 'MYE2 - All' or 'MYE2 - Persons'"):
        read_population(odd, lookup)


def test_a_lookup_of_any_year_is_read_alike(tmp_path: Path) -> None:
    """ONS names the lookup's code columns by the codes' year (LAD17CD, LAD21CD, PFA21CD):
    any one year is read; two years of one kind are refused, naming both."""
    from peelmetrics import InputFileError

    districts = {"E07000095": [10] * 91, "E06000055": [2] * 91}
    workbook = _workbook(tmp_path, districts)
    lookup = _lookup(tmp_path, {"E07000095": "E23000027", "E06000055": "E23000026"})
    expected, _ = read_population(workbook, lookup)
    later = tmp_path / "later.csv"
    later.write_text(lookup.read_text(encoding="utf-8").replace("17CD", "21CD"), encoding="utf-8")
    counts, _ = read_population(workbook, later)
    pd.testing.assert_frame_equal(counts, expected)
    both = tmp_path / "both.csv"
    both.write_text("LAD17CD,LAD21CD,PFA21CD\nE07000095,E07000095,E23000027\n")
    with pytest.raises(InputFileError, match=r"LAD codes of two years \(LAD17CD, LAD21CD\)"):
        read_population(workbook, both)


def test_a_lookup_kept_in_a_workbook(tmp_path: Path) -> None:
    """ONS gives its lookups as CSV and as workbooks: the first sheet holding the code
    columns is read, below any title; a district given two forces is told at its row."""
    districts = {"E07000095": [10] * 91, "E06000055": [2] * 91}
    workbook = _workbook(tmp_path, districts)
    mapping = {"E07000095": "E23000027", "E06000055": "E23000026"}
    expected, _ = read_population(workbook, _lookup(tmp_path, mapping))
    book = openpyxl.Workbook()
    book.active.title = "Notes"
    book.active.append(["About this lookup"])
    sheet = book.create_sheet("LAD17_PFA17")
    sheet.append(["Local authority district to police force area, January 2017"])
    sheet.append([])
    sheet.append(["LAD17CD", "LAD17NM", "PFA17CD", "PFA17NM"])
    for lad, pfa in mapping.items():
        sheet.append([lad, lad, pfa, "x"])
    path = tmp_path / "lookup.xlsx"
    book.save(path)
    counts, _ = read_population(workbook, path)
    pd.testing.assert_frame_equal(counts, expected)
    sheet.append(["E07000095", "E07000095", "E23000026", "x"])  # now given two forces
    book.save(path)
    with pytest.raises(InputFileError, match=r"lookup\.xlsx \[LAD17_PFA17\], row 4, column 'lad'"):
        read_population(workbook, path)
    empty = openpyxl.Workbook()
    empty.active.append(["Nothing here"])
    empty.save(path)
    with pytest.raises(InputFileError, match=r"no sheet holds the lookup's columns"):
        read_population(workbook, path)


def test_the_workbook_and_its_lookup_are_read_together_at_every_door(tmp_path: Path) -> None:
    """``peelmetrics read WORKBOOK LOOKUP`` (either order) and ``--counts`` read population
    as read_population does; either file alone is refused with how to give both, where it
    was "not a format peelmetrics reads"."""
    from peelmetrics.cli import main
    from peelmetrics.sources import read_any, read_combined

    districts = {"E07000095": [10] * 91, "E06000055": [2] * 91}
    workbook = _workbook(tmp_path, districts)
    lookup = _lookup(tmp_path, {"E07000095": "E23000027", "E06000055": "E23000026"})
    expected, _ = read_population(workbook, lookup)
    for given in ([workbook, lookup], [lookup, workbook]):
        counts, _ = read_combined(given)
        pd.testing.assert_frame_equal(counts, expected)
    assert main(["read", str(lookup), str(workbook), "--output", str(tmp_path / "out.csv")]) == 0
    assert len(pd.read_csv(tmp_path / "out.csv")) == len(expected)
    for alone, part in ((workbook, "workbook"), (lookup, "lookup")):
        for read in (read_any, lambda path: read_combined([path])):
            with pytest.raises(InputFileError, match=f"an ONS population {part}: .* give both"):
                read(alone)
    with pytest.raises(InputFileError, match="a second ONS population workbook before its pair"):
        read_combined([workbook, workbook, lookup])
