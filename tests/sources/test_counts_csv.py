"""The tidy Counts CSV users write by hand."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from peelmetrics.errors import InputFileError
from peelmetrics.sources import read_counts_csv


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "counts.csv"
    path.write_text(text, encoding="utf-8")
    return path


def test_reads_names_defaults_and_blank_rows(tmp_path: Path) -> None:
    path = _write(tmp_path, (
        "force,period_end,measure,value\n"
        "Hertfordshire Constabulary,2017-06-30,dvpos_granted,68\n"
        "\n"
        "London, City of,01/07/2017,organised_crime_groups,46\n"
    ).replace("London, City of", '"London, City of"'))  # fmt: skip
    counts, report = read_counts_csv(path)
    assert counts["force"].tolist() == ["E23000027", "E23000034"]
    assert counts["period_months"].tolist() == [12, 0]  # OCGs are counted as at a date
    assert counts["period_end"].tolist() == [pd.Timestamp("2017-06-30"), pd.Timestamp("2017-07-01")]
    assert counts["source"].tolist() == ["counts.csv", "counts.csv"]
    assert (report.rows_read, report.rows_used) == (3, 2)
    assert report.by_reason() == {"blank row": 1}


@pytest.mark.parametrize(
    ("row", "column", "message"),
    [
        ("Hertz,2017-06-30,dvpos_granted,1,12", "force", "unknown force 'Hertz'"),
        ("Kent,2017-06-30,dvpo,1,12", "measure", "unknown measure 'dvpo'"),
        ("Kent,30-06-2017x,dvpos_granted,1,12", "period_end", "is not a date"),
        ("Kent,2017-06-30,dvpos_granted,many,12", "value", "'many' is not a number"),
        ("Kent,2017-06-30,dvpos_granted,-4,12", "value", "must not be negative"),
        ("Kent,2017-06-30,dvpos_granted,4,7", "period_months", "not an allowed window length"),
        ("Kent,2017-06-29,dvpos_granted,4,12", "period_end", "last day of a month"),
    ],
)
def test_each_bad_input_names_file_row_and_column(
    tmp_path: Path, row: str, column: str, message: str
) -> None:
    path = _write(
        tmp_path,
        "force,period_end,measure,value,period_months\nKent,2017-06-30,recorded_crime,5,12\n"
        + row
        + "\n",
    )
    with pytest.raises(InputFileError) as info:
        read_counts_csv(path)
    problem = info.value.problems[0]
    assert (problem.file, problem.row, problem.column) == (str(path), 3, column)
    assert message in problem.message


def test_duplicates_and_all_problems_at_once(tmp_path: Path) -> None:
    path = _write(tmp_path, (
        "force,period_end,measure,value\n"
        "Kent,2017-06-30,dvpos_granted,1\n"
        "kent,2017-06-30,dvpos_granted,2\n"
        "Nowhere,2017-06-30,dvpos_granted,2\n"
        "Kent,2017-06-30,dvpos_granted,x\n"
    ))  # fmt: skip
    with pytest.raises(InputFileError) as info:
        read_counts_csv(path)
    rows = [p.row for p in info.value.problems]
    assert rows == [4, 5]  # file-level problems first; duplicates once those are fixed
    path = _write(
        tmp_path,
        "force,period_end,measure,value\nKent,2017-06-30,dvpos_granted,1\nkent,2017-06-30,dvpos_granted,2\n",
    )
    with pytest.raises(InputFileError, match=r"row 3: duplicate count .* \(first given at row 2\)"):
        read_counts_csv(path)


def test_missing_columns(tmp_path: Path) -> None:
    path = _write(tmp_path, "force,date,measure\nKent,2017-06-30,dvpos_granted\n")
    with pytest.raises(InputFileError) as info:
        read_counts_csv(path)
    assert {p.column for p in info.value.problems} == {"period_end", "value"}


def test_extra_columns_are_noted(tmp_path: Path) -> None:
    path = _write(
        tmp_path, "force,period_end,measure,value,comment\nKent,2017-06-30,dvpos_granted,1,hi\n"
    )
    _, report = read_counts_csv(path)
    assert report.notes == ("column 'comment' is not part of Counts and was ignored",)


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError):
        read_counts_csv(tmp_path / "nope.csv")


def test_rows_are_named_as_an_editor_shows_them(tmp_path: Path) -> None:
    path = tmp_path / "counts.csv"
    path.write_text(
        "force,period_end,measure,value,source\n"
        'Kent,2017-06-30,dvpos_granted,1,"two\nlines"\n'  # a quoted newline: lines 2-3
        "\n"  # a blank line: 4
        "Kent,2016-06-30,dvpos_granted,x,ok\n",  # line 5
        encoding="utf-8",
    )
    with pytest.raises(InputFileError, match=r"row 5, column 'value'"):
        read_counts_csv(path)


def test_not_utf8_names_the_line(tmp_path: Path) -> None:
    path = tmp_path / "counts.csv"
    path.write_bytes(b"force,period_end,measure,value\nKent,2017-06-30,dvpos_granted,1\n"
                     b"K\xe9nt,2016-06-30,dvpos_granted,1\n")  # fmt: skip
    with pytest.raises(InputFileError, match=r"row 3: not UTF-8 text"):
        read_counts_csv(path)


def test_a_row_longer_than_the_header(tmp_path: Path) -> None:
    path = tmp_path / "counts.csv"
    path.write_text("force,period_end,measure,value\nKent,2017-06-30,dvpos_granted,1,5\n")
    with pytest.raises(InputFileError, match=r"row 2: 5 fields but the header has 4"):
        read_counts_csv(path)


def test_a_gzipped_counts_file_is_read_and_its_lines_named(tmp_path: Path) -> None:
    """Known by its bytes, not its name: the rows are read and a bad cell is named by the
    line it is on, as in the plain file (the line count read the gzip bytes as text)."""
    import gzip

    from peelmetrics.sources import read_any

    text = ('force,period_end,measure,value,source\nKent,2017-06-30,dvpos_granted,12,"a\nb"\n'
            "Hertfordshire,2017-06-30,dvpos_granted,x,mine\n")  # fmt: skip
    for name in ("counts.csv.gz", "counts.csv"):
        path = tmp_path / name
        path.write_bytes(gzip.compress(text.replace(",x,", ",3,").encode()))
        counts, report = read_any(path)
        assert sorted(counts["value"]) == [3.0, 12.0]
        assert report.rows_used == 2
        path.write_bytes(gzip.compress(text.encode()))
        with pytest.raises(InputFileError) as caught:
            read_any(path)
        (problem,) = caught.value.problems
        assert (problem.row, problem.column) == (4, "value")  # the quoted newline counted


def test_a_csv_saved_by_excel_with_empty_columns_is_read(tmp_path: Path) -> None:
    """Excel leaves cleared columns as ",," with blank headers: they name nothing, so they
    are no repeated header; the blank row is excluded as such."""
    from peelmetrics.sources import read_counts_csv

    path = tmp_path / "excel.csv"
    path.write_bytes(b"\xef\xbb\xbfforce,period_end,measure,value,,\r\n"
                     b'Kent,30/06/2017,dvpos_granted,"1,234",,\r\n,,,,,\r\n')  # fmt: skip
    counts, report = read_counts_csv(path)
    assert counts[["force", "value"]].to_dict("records") == [
        {"force": "E23000032", "value": 1234.0}
    ]
    assert report.by_reason() == {"blank row": 1}


def test_counts_kept_in_a_workbook(tmp_path: Path) -> None:
    """Analysts keep Counts in Excel: every sheet with the Counts header is read (below a
    title, dates as Excel dates), other sheets named as skipped; rows are numbered as the
    sheet shows them, and two sheets may not give one count twice."""
    pytest.importorskip("openpyxl")
    pytest.importorskip("python_calamine")
    from peelmetrics.sources import read_any

    header = ["force", "period_end", "measure", "value"]
    day = pd.Timestamp("2017-06-30")

    def sheet(*rows: list[object]) -> pd.DataFrame:
        return pd.DataFrame([["Domestic abuse data", None, None, None], header, *rows])

    path = tmp_path / "counts.xlsx"
    with pd.ExcelWriter(path) as writer:
        pd.DataFrame([["About these counts"]]).to_excel(writer, sheet_name="About",
                                                        index=False, header=False)  # fmt: skip
        sheet(["Kent", day, "dvpos_granted", 12]).to_excel(writer, sheet_name="Kent",
                                                           index=False, header=False)  # fmt: skip
        sheet(["Herts", day, "dvpos_granted", 68]).to_excel(
            writer, sheet_name="Herts", index=False, header=False
        )
    counts, report = read_any(path)
    assert sorted(zip(counts.force, counts.value, strict=True)) == [
        ("E23000027", 68.0), ("E23000032", 12.0)
    ]  # fmt: skip
    assert set(counts.period_end) == {day}
    assert (report.rows_read, report.rows_used) == (2, 2)
    assert "sheet(s) without the Counts header skipped: 'About'" in report.notes
    with pd.ExcelWriter(path) as writer:
        sheet(["Kent", day, "dvpos_granted", 12], ["Kentt", day, "dvpos_granted", 1]).to_excel(
            writer, sheet_name="A", index=False, header=False
        )
    with pytest.raises(InputFileError, match=r"\[A\], row 4, column 'force': unknown force"):
        read_counts_csv(path)
    with pd.ExcelWriter(path) as writer:
        for name in ("A", "B"):
            kent = sheet(["Kent", day, "dvpos_granted", 12])
            kent.to_excel(writer, sheet_name=name, index=False, header=False)
    with pytest.raises(InputFileError, match="duplicate"):
        read_counts_csv(path)


def test_a_negative_zero_is_zero(tmp_path: Path) -> None:
    """A count of "-0" (a spreadsheet's rounding of a small adjustment) is no negative
    count: read as 0 and written back as 0, not "-0"."""
    from peelmetrics.report import counts_to_csv

    path = tmp_path / "counts.csv"
    path.write_text("force,period_end,measure,value\nHerts,2017-06-30,recorded_crime,-0\n")
    counts, _ = read_counts_csv(path)
    assert str(counts.at[0, "value"]) == "0.0"
    assert counts_to_csv(counts).splitlines()[1].split(",")[4] == "0"
