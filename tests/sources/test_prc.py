"""Rolling-year recorded crime by PFA (rec-crime-pfa.csv)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from peelmetrics.errors import InputFileError
from peelmetrics.sources import read_recorded_crime_pfa

HEADER = "12 months ending,PFA,Region,Offence,Rolling year total number of offences\n"


def _write(tmp_path: Path, body: str, name: str = "prc.csv") -> Path:
    path = tmp_path / name
    path.write_text(HEADER + body, encoding="utf-8")
    return path


def test_excludes_fraud_keeps_btp_and_both_burglary_schemes(tmp_path: Path) -> None:
    path = _write(tmp_path, (
        "30-06-2017,Hertfordshire,East,Domestic burglary,100\n"
        "30-06-2017,Hertfordshire,East,Residential burglary,50\n"
        "30-06-2017,Hertfordshire,East,Fraud offences,7\n"
        "30-06-2017,British Transport Police,British Transport Police,Robbery,3\n"
        "30-06-2017,Action Fraud,Fraud: Action Fraud,Action Fraud,900\n"
        "30-06-2016,London City of,London,Robbery,4\n"
    ))  # fmt: skip
    counts, report = read_recorded_crime_pfa(path)
    values = counts.set_index(["force", "period_end"])["value"]
    assert values[("E23000027", pd.Timestamp("2017-06-30"))] == 150.0
    assert values[("BTP", pd.Timestamp("2017-06-30"))] == 3.0
    assert values[("E23000034", pd.Timestamp("2016-06-30"))] == 4.0
    assert (counts.measure == "recorded_crime").all()
    assert (counts.period_months == 12).all()
    assert report.rows_read == 6
    assert report.rows_used == 4
    assert report.by_reason() == {
        "fraud offences are excluded from recorded crime (Annex A)": 1,
        "national fraud body, not attributable to a force (Annex A)": 1,
    }
    assert sorted(report.excluded["row"]) == [4, 6]


def test_period_selection_is_reported(tmp_path: Path) -> None:
    path = _write(
        tmp_path, "30-06-2017,Kent,South East,Robbery,10\n30-06-2016,Kent,South East,Robbery,9\n"
    )
    counts, report = read_recorded_crime_pfa(path, periods=["2017-06-30"])
    assert counts["value"].tolist() == [10.0]
    assert report.by_reason() == {"year end not selected": 1}


def test_bad_rows_reported_together(tmp_path: Path) -> None:
    path = _write(tmp_path, (
        "30-06-2017,Kent,South East,Robbery,ten\n"
        "30/06/17,Kent,South East,Robbery,10\n"
        "30-06-2017,Kentt,South East,Robbery,10\n"
    ))  # fmt: skip
    with pytest.raises(InputFileError) as info:
        read_recorded_crime_pfa(path)
    text = str(info.value)
    assert "3 problems" in text
    assert (
        f"{path}, row 2, column 'Rolling year total number of offences': 'ten' is not a number"
        in text
    )
    assert "row 3, column '12 months ending': '30/06/17' is not a date" in text
    assert "row 4, column 'PFA': unknown force 'Kentt'; did you mean 'Kent'" in text


def test_missing_column(tmp_path: Path) -> None:
    path = tmp_path / "x.csv"
    path.write_text("12 months ending,PFA,Offence\n30-06-2017,Kent,Robbery\n", encoding="utf-8")
    with pytest.raises(InputFileError, match="column 'Region': required column is missing"):
        read_recorded_crime_pfa(path)


@pytest.mark.reference
def test_real_file_golden_values(reference_dir: Path) -> None:
    counts, report = read_recorded_crime_pfa(reference_dir / "rec-crime-pfa.csv")
    assert report.rows_read == report.rows_used + report.rows_excluded == 46469
    values = counts.set_index(["force", "period_end"])["value"]
    # Reference notes: Hertfordshire recorded 77,604 crimes excluding fraud to 30 June 2017.
    assert values[("E23000027", pd.Timestamp("2017-06-30"))] == 77604
    assert values[("E23000027", pd.Timestamp("2016-06-30"))] == 65068
    june = counts[counts.period_end == pd.Timestamp("2017-06-30")]
    assert set(june.force) == {f"E23{n:06d}" for n in range(1, 40)} | {
        f"W15{n:06d}" for n in range(1, 5)
    } | {"BTP"}
    assert "national fraud body, not attributable to a force (Annex A)" in report.by_reason()


def test_dates_are_read_as_every_reader_reads_them(tmp_path: Path) -> None:
    """Day first as published, or ISO as a tool re-saving the file writes it: one year."""
    rows = "".join(f"{d},Kent,South East,{o},{n}\n" for d, o, n in
                   (("30-06-2017", "Robbery", 4), ("30/06/2017", "Arson", 5),
                    ("2017-06-30", "Shoplifting", 6)))  # fmt: skip
    counts, _report = read_recorded_crime_pfa(_write(tmp_path, rows))
    assert counts[["period_end", "value"]].to_dict("records") == [
        {"period_end": pd.Timestamp("2017-06-30"), "value": 15.0}
    ]


@pytest.mark.parametrize("mark", ["N/a", "[x]", ".."])
def test_a_count_marked_not_given_is_excluded(tmp_path: Path, mark: str) -> None:
    rows = f"30-06-2017,Kent,South East,Robbery,4\n30-06-2017,Kent,South East,Arson,{mark}\n"
    counts, report = read_recorded_crime_pfa(_write(tmp_path, rows))
    assert counts["value"].tolist() == [4.0]
    assert report.by_reason() == {"count is N/a in the source": 1}
    assert report.excluded["row"].tolist() == [3]


@pytest.mark.parametrize(
    ("suffix", "writer"),
    [pytest.param(".xlsx", "openpyxl", id="xlsx"), pytest.param(".ods", "odf", id="ods")],
)
def test_a_workbook_as_published(tmp_path: Path, suffix: str, writer: str) -> None:
    """The table kept in a workbook: a cover sheet, a title above the header, dates as
    dates and counts as numbers, a blank row and a source line below; read as its CSV is,
    rows numbered as the sheet shows them. It was recognised, then refused as "not UTF-8"."""
    pytest.importorskip(writer)
    pytest.importorskip("python_calamine")
    from datetime import datetime

    from peelmetrics.sources import detect_format, read_any

    header = HEADER.strip().split(",")
    data = [
        [datetime(2017, 6, 30), "Hertfordshire", "East", "Robbery", 100],
        [datetime(2017, 6, 30), "Hertfordshire", "East", "Fraud offences", 7],
        [datetime(2017, 6, 30), "Action Fraud", "Fraud: Action Fraud", "Action Fraud", 900],
        [datetime(2016, 6, 30), "Kent", "South East", "Robbery", 9],
    ]
    gap = [None] * 4
    sheet = [["Police recorded crime, rolling years", *gap], [None, *gap], header, *data,
             [None, *gap], ["Source: Home Office, police recorded crime", *gap]]  # fmt: skip
    path = tmp_path / f"rec-crime-pfa{suffix}"
    with pd.ExcelWriter(path, engine=writer) as book:
        pd.DataFrame([["Contents"], ["Notes"]]).to_excel(book, sheet_name="Cover", index=False,
                                                         header=False)  # fmt: skip
        pd.DataFrame(sheet).to_excel(book, sheet_name="Data", index=False, header=False)
    assert detect_format(path) == "prc-rolling"
    counts, report = read_any(path)
    values = counts.set_index(["force", "period_end"])["value"]
    assert values.to_dict() == {
        ("E23000027", pd.Timestamp("2017-06-30")): 100.0,
        ("E23000032", pd.Timestamp("2016-06-30")): 9.0,
    }
    assert report.rows_read == 6  # four rows of data, the blank row and the source line
    assert report.by_reason() == {
        "fraud offences are excluded from recorded crime (Annex A)": 1,
        "national fraud body, not attributable to a force (Annex A)": 1,
        "blank row": 1,
        "a note below the table, not data": 1,
    }
    assert sorted(report.excluded["row"].dropna().astype(int)) == [5, 6, 8, 9]
    assert "sheet(s) without the table's header skipped: 'Cover'" in report.notes
    data[3][1] = "Kentt"
    sheet[6] = data[3]
    pd.DataFrame(sheet).to_excel(path, sheet_name="Data", index=False, header=False)
    with pytest.raises(InputFileError, match=r"rec-crime-pfa\.\w+ \[Data\], row 7, column 'PFA'"):
        read_recorded_crime_pfa(path)


def test_a_title_above_the_header_as_a_sheet_saved_as_csv_keeps_it(tmp_path: Path) -> None:
    """Rows keep the lines an editor shows: below a title and a blank line, past a blank
    line and a quoted newline in the data."""
    path = tmp_path / "rec-crime-pfa.csv"
    path.write_text(
        "Police recorded crime by PFA\n\n" + HEADER + "30-06-2017,Kent,South East,Robbery,10\n"
        '\n30-06-2017,Kent,South East,"Theft\nfrom the person",5\n'
        "30-06-2017,Kentt,South East,Robbery,1\n",
        encoding="utf-8",
    )
    with pytest.raises(InputFileError, match=r"row 8, column 'PFA': unknown force 'Kentt'"):
        read_recorded_crime_pfa(path)
    fixed = path.read_text(encoding="utf-8").replace(
        "Kentt,South East,Robbery", "Kent,South East,Drugs"
    )
    path.write_text(fixed, encoding="utf-8")
    counts, report = read_recorded_crime_pfa(path)
    assert counts["value"].tolist() == [16.0]
    assert (report.rows_read, report.rows_used) == (3, 3)
