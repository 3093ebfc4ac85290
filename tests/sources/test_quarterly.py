"""Home Office quarterly open data tables: recorded crime and outcomes."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from peelmetrics._extras import installed
from peelmetrics.errors import InputFileError
from peelmetrics.sources import read_outcomes, read_recorded_crime_quarterly

CRIME_HEADER = [
    "Financial Year", "Financial Quarter", "Force Name", "Offence Description", "Offence Group",
    "Offence Subgroup", "Offence Code", "Number of Offences",
]  # fmt: skip


def _crime_rows(year: str, quarter: int, force: str, n: int | str) -> list[object]:
    return [year, quarter, force, "Robbery of business property", "Robbery", "Robbery", "5A", n]


def _crime_frame() -> pd.DataFrame:
    rows = [_crime_rows("2016/17", q, "Hertfordshire", 10 * q) for q in (1, 2, 3, 4)]
    rows += [_crime_rows("2017/18", 1, "Hertfordshire", 50)]
    rows += [_crime_rows("2016/17", q, "Kent", 1) for q in (2, 3, 4)]
    rows += [_crime_rows("2017/18", 1, "Kent", "N/a")]
    rows += [["2016/17", 1, "Action Fraud", "Fraud", "Fraud", "Fraud: Action Fraud", "53", 999]]
    rows += [
        [
            "2016/17",
            1,
            "Hertfordshire",
            "Cheque fraud",
            "Fraud offences",
            "Fraud: Action Fraud",
            "53",
            3,
        ]
    ]
    return pd.DataFrame(rows, columns=CRIME_HEADER)


def test_quarters_sum_to_rolling_years_from_csv(tmp_path: Path) -> None:
    path = tmp_path / "prc.csv"
    _crime_frame().to_csv(path, index=False)
    counts, report = read_recorded_crime_quarterly(path)
    herts = counts[counts.force == "E23000027"].set_index("period_end")["value"]
    assert herts.to_dict() == {pd.Timestamp("2017-03-31"): 100.0, pd.Timestamp("2017-06-30"): 140.0}
    # Kent lacks Q1 2016/17 and its 2017/18 Q1 is N/a: no complete window, and said so.
    assert "E23000032" not in set(counts.force)
    assert report.notes == (
        "2 rolling year(s) of a force and measure left out: a quarter of the four not given "
        "(such as recorded_crime for E23000032 to 31 March 2017: 3 of 4 quarters)",
    )
    assert report.rows_read == 11
    assert report.by_reason() == {
        "count is N/a in the source": 1,
        "national fraud body, not attributable to a force (Annex A)": 1,
        "fraud offences are excluded from recorded crime (Annex A)": 1,
    }


@pytest.mark.parametrize("name", ["prc.csv.gz", "prc.csv"])
def test_gzip_is_known_by_its_bytes_not_its_name(tmp_path: Path, name: str) -> None:
    import gzip

    plain = tmp_path / "plain.csv"
    _crime_frame().to_csv(plain, index=False)
    packed = tmp_path / name
    packed.write_bytes(gzip.compress(plain.read_bytes()))
    expected, _ = read_recorded_crime_quarterly(plain)
    counts, report = read_recorded_crime_quarterly(packed)
    pd.testing.assert_frame_equal(counts.drop(columns="source"), expected.drop(columns="source"))
    assert report.rows_read == 11


def test_one_sheet_per_financial_year_xlsx(tmp_path: Path) -> None:
    pytest.importorskip("openpyxl")
    pytest.importorskip("python_calamine")
    frame = _crime_frame()
    path = tmp_path / "prc.xlsx"
    with pd.ExcelWriter(path) as writer:
        for year, part in frame.groupby("Financial Year"):
            part.to_excel(writer, sheet_name=str(year).replace("/", "-"), index=False)
    counts, report = read_recorded_crime_quarterly(path)
    herts = counts[counts.force == "E23000027"].set_index("period_end")["value"]
    assert herts[pd.Timestamp("2017-06-30")] == 140.0
    assert report.rows_read == 11
    assert report.rows_used == 8


def _as_published(frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` laid out as a published sheet: a title and a blank row above the header, a
    blank row and a source line below the data."""
    width = len(frame.columns)
    title = [["Police recorded crime by force, England and Wales"] + [None] * (width - 1)]
    foot = [[None] * width, ["Source: Home Office, police recorded crime"] + [None] * (width - 1)]
    rows = [*title, [None] * width, list(frame.columns), *frame.to_numpy().tolist(), *foot]
    return pd.DataFrame(rows)


#: The spreadsheet kinds the Home Office has published these tables in, and the package
#: pandas writes each with (the readers themselves use calamine for both).
WORKBOOKS = [pytest.param(".xlsx", "openpyxl", id="xlsx"), pytest.param(".ods", "odf", id="ods")]


@pytest.mark.parametrize(("suffix", "writer"), WORKBOOKS)
def test_a_published_workbook_cover_sheet_title_and_source_line(
    tmp_path: Path, suffix: str, writer: str
) -> None:
    pytest.importorskip(writer)
    pytest.importorskip("python_calamine")
    path = tmp_path / f"prc{suffix}"
    with pd.ExcelWriter(path) as writer:
        pd.DataFrame([["Police recorded crime open data tables"], ["Contents"]]).to_excel(
            writer, sheet_name="Cover sheet", index=False, header=False
        )
        _as_published(_crime_frame()).to_excel(writer, sheet_name="2016-17", index=False,
                                               header=False)  # fmt: skip
    counts, report = read_recorded_crime_quarterly(path)
    herts = counts[counts.force == "E23000027"].set_index("period_end")["value"]
    assert herts.to_dict() == {pd.Timestamp("2017-03-31"): 100.0, pd.Timestamp("2017-06-30"): 140.0}
    # The 11 rows, the blank row and the source line are accounted for; the title and the
    # header are no rows of the table.
    assert report.rows_read == 13
    assert report.by_reason()["a note below the table, not data"] == 1
    assert report.by_reason()["blank row"] == 1
    assert "sheet(s) without the table's header skipped: 'Cover sheet'" in report.notes
    # Rows are numbered as the sheet shows them: the header is on row 3.
    bad = _crime_frame()
    bad.loc[1, "Force Name"] = "Hertfordshir"
    _as_published(bad).to_excel(path, sheet_name="2016-17", index=False, header=False)
    with pytest.raises(InputFileError, match=r"row 5, column 'Force Name'"):
        read_recorded_crime_quarterly(path)
    twice = _crime_frame()
    twice.columns = [*CRIME_HEADER[:3], "Force Name", *CRIME_HEADER[4:]]
    _as_published(twice).to_excel(path, sheet_name="2016-17", index=False, header=False)
    with pytest.raises(InputFileError, match=r"row 3, column 'Force Name': header repeats"):
        read_recorded_crime_quarterly(path)


def test_a_sheet_short_of_columns_is_refused_not_skipped(tmp_path: Path) -> None:
    pytest.importorskip("openpyxl")
    pytest.importorskip("python_calamine")
    path = tmp_path / "prc.xlsx"
    _as_published(_crime_frame().drop(columns="Offence Code")).to_excel(
        path, sheet_name="2016-17", index=False, header=False
    )
    with pytest.raises(InputFileError, match=r"\[2016-17\], row 3, column 'Offence Code'"):
        read_recorded_crime_quarterly(path)
    # A workbook with no table at all says what it looked for.
    pd.DataFrame([["Notes"], ["These tables"]]).to_excel(path, index=False, header=False)
    with pytest.raises(InputFileError, match="no sheet holds the table's header"):
        read_recorded_crime_quarterly(path)


@pytest.mark.parametrize("last", ["2017/", "2017/18", "5"])
def test_a_row_cut_short_is_no_note(tmp_path: Path, last: str) -> None:
    path = tmp_path / "prc.csv"
    path.write_text(_crime_frame().to_csv(index=False) + last + "\n")
    with pytest.raises(InputFileError, match="row 13"):
        read_recorded_crime_quarterly(path)


def test_a_table_of_too_few_quarters_says_it_makes_no_year(tmp_path: Path) -> None:
    """Three quarters (the latest year of a table published mid-year) make no rolling
    year: no counts, and the reason in the report, never an empty output alone."""
    from peelmetrics.sources import read_combined

    path = tmp_path / "prc.csv"
    frame = _crime_frame()
    frame[(frame["Financial Year"] == "2016/17") & (frame["Financial Quarter"] < 4)].to_csv(
        path, index=False
    )
    counts, report = read_recorded_crime_quarterly(path)
    assert counts.empty
    assert report.notes == (
        "the table's quarters (30 June 2016 to 31 December 2016) make no rolling year: four "
        "consecutive quarters are needed",
    )
    said: list[str] = []
    read_combined([path], note=said.append)
    assert said[0].endswith("gave no counts")


@pytest.mark.parametrize("mark", ["[x]", "..", " [z] ", "N/A - Offence code expired"])
def test_a_count_marked_not_given_is_excluded_not_misread(tmp_path: Path, mark: str) -> None:
    """ "[x]" (the statistical standard's not available), ".." (ONS) and the Home Office's
    N/a all mark no count: the row is excluded with that reason, never an error or a 0."""
    frame = _crime_frame()
    frame["Number of Offences"] = frame["Number of Offences"].astype(object)
    frame.loc[7, "Number of Offences"] = mark  # Kent 2016/17 Q4
    path = tmp_path / "prc.csv"
    frame.to_csv(path, index=False)
    _counts, report = read_recorded_crime_quarterly(path)
    # With Kent's 2017/18 Q1, "N/a" in the frame as made.
    assert report.by_reason()["count is N/a in the source"] == 2


def test_bad_quarter_and_force(tmp_path: Path) -> None:
    frame = _crime_frame()
    frame.loc[0, "Financial Year"] = "year one"
    frame.loc[1, "Force Name"] = "Hertfordshir"
    path = tmp_path / "prc.csv"
    frame.to_csv(path, index=False)
    with pytest.raises(InputFileError) as info:
        read_recorded_crime_quarterly(path)
    problems = {(p.row, p.column) for p in info.value.problems}
    assert problems == {(2, "Financial Year"), (3, "Force Name")}


OUTCOME_HEADER = [
    *CRIME_HEADER[:-1],
    "Outcome Description",
    "Outcome Group",
    "Outcome Type",
    "Force outcomes for offences recorded in quarter",
    "Force outcomes recorded in quarter",
]


def _outcome_frame(tracked_header: str = OUTCOME_HEADER[-2]) -> pd.DataFrame:
    rows = []
    for q in (1, 2, 3, 4):
        rows.append(["2016/17", q, "Hertfordshire", "Robbery", "Robbery", "Robbery", "5A",
                     "Charged/Summonsed", "Charged/Summonsed", "1", 5 * q, 6 * q])  # fmt: skip
        expired = "N/A - Offence code expired"
        rows.append(["2016/17", q, "Hertfordshire", "Robbery", "Robbery", "Robbery", "5A",
                     "No suspect", "Investigation complete", "18", q, expired])  # fmt: skip
    rows.append(["2016/17", 1, "Hertfordshire", "Robbery", "Robbery", "Robbery", "5A",
                 "x", "x", "16", "N/A", "N/A"])  # fmt: skip
    header = [*OUTCOME_HEADER[:-2], tracked_header, OUTCOME_HEADER[-1]]
    return pd.DataFrame(rows, columns=header)


def test_outcomes_tracked_and_untracked_are_separate_measures(tmp_path: Path) -> None:
    path = tmp_path / "outcomes.csv"
    _outcome_frame().to_csv(path, index=False)
    counts, report = read_outcomes(path)
    values = counts.set_index("measure")["value"]
    assert values["outcome_1"] == 50.0  # tracked, four quarters
    assert values["untracked_outcome_1"] == 60.0
    assert values["outcome_18"] == 10.0
    assert "untracked_outcome_18" not in values  # N/A on that basis: never guessed
    assert (counts.period_end == pd.Timestamp("2017-03-31")).all()
    assert report.by_reason() == {"both outcome counts are N/A in the source": 1}
    assert any("N/A on one basis only" in n for n in report.notes)


@pytest.mark.parametrize(("suffix", "writer"), WORKBOOKS)
def test_outcomes_workbook_as_published_reads_as_its_csv(
    tmp_path: Path, suffix: str, writer: str
) -> None:
    """The outcomes tables come as a workbook (``prc-outcomes-open-data-mar2018-tables.ods``):
    a cover sheet, then the table with a title above it; recognised by content and read
    to the same Counts as the same rows in CSV, numbers stored as numbers."""
    pytest.importorskip(writer)
    pytest.importorskip("python_calamine")
    from peelmetrics.sources import detect_format, read_any

    frame = _outcome_frame()
    plain = tmp_path / "outcomes.csv"
    frame.to_csv(plain, index=False)
    numeric = frame.assign(**{"Outcome Type": frame["Outcome Type"].astype(int)})
    path = tmp_path / f"prc-outcomes-open-data-mar2017-tables{suffix}"
    with pd.ExcelWriter(path, engine=writer) as book:
        pd.DataFrame([["Crime outcomes open data"], ["See the user guide"]]).to_excel(
            book, sheet_name="Contents", index=False, header=False
        )
        _as_published(numeric).to_excel(book, sheet_name="2016-17", index=False, header=False)
    assert detect_format(path) == "outcomes"
    counts, report = read_any(path)
    expected, _ = read_outcomes(plain)
    pd.testing.assert_frame_equal(counts.drop(columns="source"), expected.drop(columns="source"))
    assert report.rows_read == len(frame) + 2  # the blank row and the source line below
    assert report.by_reason()["both outcome counts are N/A in the source"] == 1


def test_outcome_header_synonyms(tmp_path: Path) -> None:
    path = tmp_path / "outcomes.csv"
    _outcome_frame("force outcomes for offences  recorded in the QUARTER").to_csv(path, index=False)
    counts, _ = read_outcomes(path)
    assert counts.set_index("measure").at["outcome_1", "value"] == 50.0


def test_decompression_bomb_refused(tmp_path: Path) -> None:
    path = tmp_path / "bomb.xlsx"
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/worksheets/sheet1.xml", b"0" * 5_000_000)
    with pytest.raises(InputFileError, match="decompression bomb"):
        read_recorded_crime_quarterly(path)


def test_not_a_spreadsheet(tmp_path: Path) -> None:
    pytest.importorskip("python_calamine")
    path = tmp_path / "fake.xlsx"
    path.write_bytes(b"not a zip")
    with pytest.raises(InputFileError, match="not a valid spreadsheet"):
        read_recorded_crime_quarterly(path)


# --- what real tables do --------------------------------------------------------------


def test_a_repeated_row_is_refused_not_added(tmp_path: Path) -> None:
    frame = _crime_frame()
    frame = pd.concat([frame, frame.iloc[[0]]], ignore_index=True)  # Herts Q1 again
    path = tmp_path / "prc.csv"
    frame.to_csv(path, index=False)
    with pytest.raises(InputFileError, match=r"row 13.*duplicate row.*already given at .* row 2"):
        read_recorded_crime_quarterly(path)


def test_merged_offence_codes_repeat_once_per_code(tmp_path: Path) -> None:
    # The Home Office gives homicide as four rows labelled "1/4.1/4.10/4.2" per quarter.
    homicide = ["Homicide", "Violence against the person", "Homicide", "1/4.1/4.10/4.2"]
    rows = [["2016/17", q, "Kent", *homicide, n] for q in (1, 2, 3, 4) for n in (1, 0, 2, 0)]
    path = tmp_path / "prc.csv"
    pd.DataFrame(rows, columns=CRIME_HEADER).to_csv(path, index=False)
    counts, _ = read_recorded_crime_quarterly(path)
    assert counts.value.tolist() == [12.0]  # 3 a quarter, four quarters
    rows.append(["2016/17", 1, "Kent", *homicide, 5])  # a fifth row is one too many
    pd.DataFrame(rows, columns=CRIME_HEADER).to_csv(path, index=False)
    with pytest.raises(InputFileError, match="duplicate row"):
        read_recorded_crime_quarterly(path)


def test_same_year_on_two_sheets_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "prc.xlsx"
    with pd.ExcelWriter(path) as writer:
        _crime_frame().to_excel(writer, sheet_name="2016-17", index=False)
        _crime_frame().to_excel(writer, sheet_name="copy", index=False)
    with pytest.raises(InputFileError, match=r"\[copy\].*duplicate row"):
        read_recorded_crime_quarterly(path)


def test_negative_quarters_are_published_adjustments(tmp_path: Path) -> None:
    rows = [_crime_rows("2016/17", q, "Kent", n) for q, n in ((1, 5), (2, -1), (3, 2), (4, 1))]
    path = tmp_path / "prc.csv"
    pd.DataFrame(rows, columns=CRIME_HEADER).to_csv(path, index=False)
    counts, report = read_recorded_crime_quarterly(path)
    assert counts.value.tolist() == [7.0]
    assert any("negative quarterly counts" in n for n in report.notes)


@pytest.mark.parametrize(
    ("year", "quarter"),
    [("2016/17", "11"), ("2016/17", "2014"), ("2016xyz", "1"), ("2016/19", "1"), ("", "1")],
)
def test_loose_quarters_are_refused(tmp_path: Path, year: str, quarter: str) -> None:
    rows = [[year, quarter, "Kent", "Robbery", "Robbery", "Robbery", "5A", 1]]
    path = tmp_path / "prc.csv"
    pd.DataFrame(rows, columns=CRIME_HEADER).to_csv(path, index=False)
    with pytest.raises(InputFileError, match="cannot read quarter"):
        read_recorded_crime_quarterly(path)


@pytest.mark.parametrize("cell", ["-3", "1.5", "1 to 3", "2e1", "23", "x"])
def test_loose_outcome_types_are_refused(tmp_path: Path, cell: str) -> None:
    header = [*CRIME_HEADER[:-1], "Outcome Type", "Force outcomes for offences recorded in "
              "quarter", "Force outcomes recorded in quarter"]  # fmt: skip
    rows = [["2016/17", q, "Kent", "Robbery", "Robbery", "Robbery", "5A", cell, 1, 1]
            for q in (1, 2, 3, 4)]  # fmt: skip
    path = tmp_path / "outcomes.csv"
    pd.DataFrame(rows, columns=header).to_csv(path, index=False)
    with pytest.raises(InputFileError, match="is not an outcome type"):
        read_outcomes(path)


# --- the real 2017/18 tables (../shared/reference/data/home_office) ----------------------

HOME_OFFICE = "home_office"


@pytest.mark.reference
def test_real_recorded_crime_2017_18(reference_dir: Path) -> None:
    path = reference_dir / HOME_OFFICE / "prc-pfa-mar2013-onwards-tables201718.csv"
    counts, report = read_recorded_crime_quarterly(path)
    herts = counts[(counts.force == "E23000027")]
    # README fact: Hertfordshire, year ending March 2018, crime excluding fraud: 82,859.
    assert herts.set_index("period_end").value.to_dict() == {pd.Timestamp("2018-03-31"): 82859.0}
    assert len(counts) == 44  # the 43 forces and British Transport Police
    assert report.rows_read == report.rows_used + report.rows_excluded
    # Action Fraud, CIFAS and UK Finance, and one row of Financial Fraud Action UK (UK
    # Finance's former name): every fraud row is a fraud body's, none a force's.
    assert report.by_reason() == {"national fraud body, not attributable to a force (Annex A)": 12}
    assert any("negative quarterly counts" in n for n in report.notes)


@pytest.mark.reference
def test_real_outcomes_2017_18(reference_dir: Path) -> None:
    path = reference_dir / HOME_OFFICE / "prc-outcomes-open-data-mar2018-2017-18-snakecase.csv.gz"
    counts, report = read_outcomes(path)
    herts = counts[counts.force == "E23000027"].set_index("measure").value
    tracked = herts[[m for m in herts.index if not m.startswith("untracked")]]
    # README facts: 82,859 offences recorded (all outcome types, type 0 included), and
    # charged/summonsed 11.1%, outcome 16 18.0%, outcome 18 44.7% of them.
    assert tracked.sum() == 82859.0
    shares = {n: round(100 * herts[f"outcome_{n}"] / 82859, 1) for n in (1, 16, 18)}
    assert shares == {1: 11.1, 16: 18.0, 18: 44.7}
    assert report.rows_read == 450913
    assert report.by_reason() == {"blank row": 1}
    assert "outcome_0" not in counts[counts.force == "E23000033"].measure.tolist()
    assert any("E23000033" in n and "-70" in n for n in report.notes)  # Sussex, reported
    assert counts.force.nunique() == 44


def _both_ways(reader: object, path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The reader gives the same Counts and report with pyarrow's CSV reader and without."""
    from peelmetrics.sources import files

    fast = reader(path)  # type: ignore[operator]
    monkeypatch.setattr(files, "installed", lambda module: module != "pyarrow")
    plain = reader(path)  # type: ignore[operator]
    monkeypatch.undo()
    pd.testing.assert_frame_equal(fast[0], plain[0])
    assert (fast[1].rows_read, fast[1].rows_used, fast[1].notes) == (
        plain[1].rows_read, plain[1].rows_used, plain[1].notes)  # fmt: skip
    pd.testing.assert_frame_equal(fast[1].excluded, plain[1].excluded)


def test_pyarrow_and_pandas_read_long_tables_alike(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    pytest.importorskip("pyarrow", reason="the fast path needs pyarrow")
    crime, outcomes = tmp_path / "prc.csv", tmp_path / "outcomes.csv"
    _crime_frame().to_csv(crime, index=False)
    # Quoted commas and newlines, a BOM, blank and "NA" rows: read alike both ways.
    frame = _outcome_frame()
    frame.loc[0, "Offence Description"] = 'Robbery, "armed"\nof business'
    text = (
        "\ufeff" + frame.to_csv(index=False) + ",,,,,,,,,,,\nNA,NA,NA,NA,NA,NA,NA,NA,NA,NA,NA,NA\n"
    )
    outcomes.write_text(text, encoding="utf-8")
    _both_ways(read_recorded_crime_quarterly, crime, monkeypatch)
    _both_ways(read_outcomes, outcomes, monkeypatch)
    latin = tmp_path / "latin.csv"
    latin.write_bytes(crime.read_bytes().replace(b"Kent", b"K\xe9nt"))
    with pytest.raises(InputFileError, match=r"latin\.csv, row \d+: not UTF-8 text"):
        read_recorded_crime_quarterly(latin)  # refused by pyarrow, told by the plain reader


def test_a_sheet_saved_as_csv_with_its_title_reads_alike(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A sheet saved as CSV keeps the title (and a blank line) above its header: the table
    reads as without them, both ways, and rows keep the line numbers an editor shows."""
    from peelmetrics.sources import detect_format

    plain, titled = tmp_path / "plain.csv", tmp_path / "titled.csv"
    _crime_frame().to_csv(plain, index=False)
    titled.write_text('"Police recorded crime, 2016/17",,\n\n' + plain.read_text())
    assert detect_format(titled) == "prc-quarterly"
    expected, expected_report = read_recorded_crime_quarterly(plain)
    counts, report = read_recorded_crime_quarterly(titled)
    pd.testing.assert_frame_equal(counts.drop(columns="source"), expected.drop(columns="source"))
    assert report.rows_read == expected_report.rows_read == 11
    assert sorted(report.excluded["row"]) == [
        r + 2 for r in sorted(expected_report.excluded["row"])
    ]
    if installed("pyarrow"):
        _both_ways(read_recorded_crime_quarterly, titled, monkeypatch)
    bad = _crime_frame()
    bad.loc[1, "Force Name"] = "Hertfordshir"
    bad_csv = tmp_path / "bad.csv"
    bad_csv.write_text("Police recorded crime\n\n" + bad.to_csv(index=False))
    with pytest.raises(InputFileError, match=r"bad\.csv, row 5, column 'Force Name'"):
        read_recorded_crime_quarterly(bad_csv)


def test_quoted_newlines_where_blocks_are_cut_read_alike(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """pyarrow cuts a CSV into blocks at newlines; a quoted newline where a block is cut
    must not split its row (the read is retried with newlines allowed in values)."""
    pytest.importorskip("pyarrow", reason="the fast path needs pyarrow")
    import peelmetrics as pm

    forces = [f.short_name for f in pm.all_forces()][:40]
    rows = [
        ["2016/17", q, force, f"Offence {code},\n{'x' * (100 + code % 50)}", "Robbery", "Robbery",
         f"{code}A", code % 7]
        for q in (1, 2, 3, 4) for force in forces for code in range(120)
    ]  # fmt: skip
    path = tmp_path / "prc.csv"
    pd.DataFrame(rows, columns=CRIME_HEADER).to_csv(path, index=False)
    assert path.stat().st_size > 3 * 2**20  # several of pyarrow's 1 MiB blocks
    _both_ways(read_recorded_crime_quarterly, path, monkeypatch)
    counts, _ = read_recorded_crime_quarterly(path)
    assert len(counts) == 40
    assert set(counts["value"]) == {sum(c % 7 for c in range(120)) * 4}


@pytest.mark.reference
def test_real_long_tables_read_alike_with_and_without_pyarrow(
    reference_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    pytest.importorskip("pyarrow", reason="the fast path needs pyarrow")
    folder = reference_dir / "home_office"
    crime = folder / "prc-pfa-mar2013-onwards-tables201718.csv"
    outcomes = folder / "prc-outcomes-open-data-mar2018-2017-18-snakecase.csv.gz"
    _both_ways(read_recorded_crime_quarterly, crime, monkeypatch)
    _both_ways(read_outcomes, outcomes, monkeypatch)


_QUARTER_ENDS = list(pd.date_range("2015-06-30", periods=5, freq="QE"))


@st.composite
def _quarterly(draw: st.DrawFn) -> pd.DataFrame:
    n = draw(st.integers(0, 80))
    # Missing keys and values rarer than present ones: windows need four quarters present.
    key = st.sampled_from(["E23000032", "E23000027", "E23000001", "E23000032", None])
    value = st.integers(-6, 50).map(lambda v: float("nan") if v == -6 else float(v))
    frame = pd.DataFrame({
        "force": draw(st.lists(key, min_size=n, max_size=n)),
        "measure": draw(st.lists(st.sampled_from(["b", "a", "b", None]), min_size=n, max_size=n)),
        "period_end": draw(st.lists(st.sampled_from([*_QUARTER_ENDS, pd.NaT]), min_size=n,
                                    max_size=n)),
        "value": draw(st.lists(value, min_size=n, max_size=n)),
    })  # fmt: skip
    frame["period_end"] = pd.to_datetime(frame["period_end"])
    if draw(st.booleans()):  # as the readers give them: categorical keys
        frame = frame.astype({"force": "category", "measure": "category", "period_end": "category"})
    return frame


@given(_quarterly())
@settings(max_examples=150, deadline=None)
def test_rolling_years_match_a_plain_group_by(quarterly: pd.DataFrame) -> None:
    """The dense-array sums equal a pandas group-by of each force, measure and quarter,
    summed over four consecutive quarters where all four are present; rows missing a key
    or a value count nowhere."""
    from peelmetrics.sources.long_tables import rolling_years

    plain = quarterly.astype({"force": object, "measure": object, "period_end": "datetime64[ns]"})
    sums = plain.dropna().groupby(["force", "measure", "period_end"])["value"].sum()
    expected = {}
    for (force, measure, end), _ in sums.items():
        window = [end - pd.offsets.QuarterEnd(k) for k in range(4)]
        if all((force, measure, q) in sums.index for q in window):
            expected[(force, measure, end)] = sum(sums[(force, measure, q)] for q in window)
    got = rolling_years(quarterly)
    assert set(got["period_months"]) <= {12}
    assert {
        (f, m, pd.Timestamp(e)): v
        for f, m, e, v in zip(
            got["force"], got["measure"], got["period_end"], got["value"], strict=True
        )
    } == expected
    # Sorted by window end, then force and measure, as Counts are kept.
    assert list(zip(got["period_end"], got["force"], got["measure"], strict=True)) == sorted(
        zip(got["period_end"], got["force"], got["measure"], strict=True)
    )


@pytest.mark.parametrize("offences", [3, 3000])  # few keys: tallied; many: sorted
def test_duplicate_rows_are_found_however_many_keys(offences: int) -> None:
    """Both ways of finding repeated keys refuse the one repeated row and name both rows,
    and let a merged offence label repeat once per code it names."""
    from peelmetrics.sources.long_tables import _refuse_duplicates

    codes = [f"{n}A" for n in range(offences)] + ["1/4.1"] * 2
    n = len(codes)
    quarterly = pd.DataFrame({
        "force": pd.Categorical(["E23000027"] * n),
        "period_end": pd.Categorical([pd.Timestamp("2017-03-31")] * n),
        "measure": pd.Categorical(["outcome_1"] * n),
        "value": 1.0,
        "offence_code": pd.Categorical(codes),
        "_where": pd.Categorical(["t.csv"] * n),
        "_row": range(2, n + 2),
    })  # fmt: skip
    _refuse_duplicates(quarterly)  # "1/4.1" names two codes: two rows are allowed
    repeated = pd.concat([quarterly, quarterly.iloc[[1]]], ignore_index=True)
    repeated["_row"] = range(2, n + 3)
    with pytest.raises(InputFileError) as caught:
        _refuse_duplicates(repeated)
    (problem,) = caught.value.problems
    assert problem.row == n + 2
    assert "offence code '1A' (outcome_1) already given at t.csv row 3" in str(problem)
