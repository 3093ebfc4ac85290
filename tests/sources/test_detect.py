"""Recognising a file's format from its content."""

from __future__ import annotations

import gzip
import re
from pathlib import Path

import pandas as pd
import pytest

from peelmetrics import InputFileError
from peelmetrics.sources import detect_format, read_any

CASES = {
    "counts": "force,period_end,measure,value\nKent,2017-06-30,dvpos_granted,1\n",
    "prc-rolling": "12 months ending,PFA,Region,Offence,Rolling year total number of offences\n",
    "prc-quarterly": "Financial Year,Financial Quarter,Force Name,Offence Description,Offence "
    "Group,Offence Subgroup,Offence Code,Number of Offences\n",
    "outcomes": "financial_year,financial_quarter,force_name,offence_group,outcome_type,offences\n",
    "police-uk": "Crime ID,Month,Reported by,Falls within,Crime type,Last outcome category\n",
}


@pytest.mark.parametrize(("expected", "text"), CASES.items())
def test_csv_headers(tmp_path: Path, expected: str, text: str) -> None:
    plain = tmp_path / "file.txt"  # the name says nothing; the content does
    plain.write_text(text, encoding="utf-8")
    assert detect_format(plain) == expected
    packed = tmp_path / "file.gz"
    packed.write_bytes(gzip.compress(text.encode()))
    assert detect_format(packed) == expected


def test_spreadsheets(tmp_path: Path) -> None:
    ons = tmp_path / "ons.xlsx"
    with pd.ExcelWriter(ons) as writer:
        pd.DataFrame({"a": [1]}).to_excel(writer, sheet_name="Notes")
        pd.DataFrame({"a": [1]}).to_excel(writer, sheet_name="Table P1 ")
    assert detect_format(ons) == "ons-pfa"
    quarterly = tmp_path / "ho.xlsx"
    header = CASES["prc-quarterly"].strip().split(",")
    pd.DataFrame([["2017/18", 1, "Kent", "x", "x", "x", "1", 3]], columns=header).to_excel(
        quarterly, sheet_name="2017-18", index=False
    )
    assert detect_format(quarterly) == "prc-quarterly"


def test_a_workbook_is_known_past_its_cover_sheet_and_title(tmp_path: Path) -> None:
    """A contents table on a cover sheet has three cells to a row too: the known header is
    looked for in every row a reader would look in, not taken from the first full row."""
    book = tmp_path / "ho.xlsx"
    header = CASES["prc-quarterly"].strip().split(",")
    with pd.ExcelWriter(book) as writer:
        contents = [["Sheet", "Title", "Period"], ["2017-18", "Recorded crime", "2017/18"]]
        pd.DataFrame(contents).to_excel(writer, sheet_name="Cover", index=False, header=False)
        gap = [None] * (len(header) - 1)
        table = [["Recorded crime, 2017/18", *gap], [None, *gap], header, ["2017/18", 1, *gap[1:]]]
        pd.DataFrame(table).to_excel(writer, sheet_name="2017-18", index=False, header=False)
    assert detect_format(book) == "prc-quarterly"
    # With no known header anywhere, the first full row is what the error shows.
    with pd.ExcelWriter(book) as writer:
        pd.DataFrame(contents).to_excel(writer, sheet_name="Cover", index=False, header=False)
    with pytest.raises(InputFileError, match=r"\[Cover\], row 1: not a format .*Sheet, Title"):
        detect_format(book)


def test_a_spreadsheet_under_another_name_is_told_so(tmp_path: Path) -> None:
    """Not "an archive of 9 files ('[Content_Types].xml', ...)" nor "not UTF-8 text": the
    type its bytes say, and the name to give it."""
    book = tmp_path / "ons.xlsx"
    pd.DataFrame({"a": [1]}).to_excel(book, sheet_name="Table P1")
    odd = tmp_path / "ons.csv"
    odd.write_bytes(book.read_bytes())
    old = tmp_path / "old.csv"
    old.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504))
    for path, suffix in ((odd, ".xlsx"), (old, ".xls")):
        for read in (detect_format, read_any):
            with pytest.raises(InputFileError, match=rf"a spreadsheet \({suffix}\) by its "
                               rf"content: rename it to end in \{suffix}"):  # fmt: skip
                read(path)


@pytest.mark.parametrize("content", [b"", b"\n\n", b"a;b\n1;2\n"])
def test_unknown_or_empty(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "x.csv"
    path.write_bytes(content)
    with pytest.raises(InputFileError):
        read_any(path)


def test_format_can_be_forced(tmp_path: Path) -> None:
    path = tmp_path / "x.csv"
    path.write_text(CASES["counts"])
    counts, _ = read_any(path, "counts")
    assert counts.value.tolist() == [1.0]
    with pytest.raises(InputFileError, match="unknown format 'excel'"):
        read_any(path, "excel")


def test_non_regular_files_and_bombs_are_refused(tmp_path: Path) -> None:
    import os

    fifo = tmp_path / "pipe.csv"
    os.mkfifo(fifo)
    with pytest.raises(InputFileError, match="not a regular file"):
        read_any(fifo)  # would block forever if opened
    bomb = tmp_path / "bomb.csv.gz"
    bomb.write_bytes(gzip.compress(b"force,period_end,measure,value\n" + b"\n" * 5_000_000))
    with pytest.raises(InputFileError, match="decompression bomb"):
        read_any(bomb)


def test_a_repeated_header_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "prc.csv"
    path.write_text(CASES["prc-quarterly"].strip() + ",Number of Offences\n")
    with pytest.raises(InputFileError, match="header repeats 'Number of Offences'"):
        read_any(path)


@pytest.mark.parametrize("separator", [";", "\t"])
def test_a_csv_of_another_separator_is_told_so(tmp_path: Path, separator: str) -> None:
    path = tmp_path / "counts.csv"
    path.write_text(separator.join(["force", "period_end", "measure", "value"]) + "\n")
    told = re.escape(f"separated by {separator!r}, not commas")
    with pytest.raises(InputFileError, match=told):
        detect_format(path)


def test_a_records_only_file_says_how_to_count_it(tmp_path: Path) -> None:
    """data.police.uk outcomes files sit beside the street files: told what they are and
    how to count them, not only "not a format"."""
    path = tmp_path / "2018-01-kent-outcomes.csv"
    path.write_text("Crime ID,Month,Reported by,Falls within,Longitude,Latitude,Location,"
                    "LSOA code,LSOA name,Outcome type\n")  # fmt: skip
    with pytest.raises(InputFileError, match=r"row 1: a data.police.uk outcomes file: no "
                       r"built-in spec counts it .*--records FILE --spec SPEC.json"):  # fmt: skip
        read_any(path)
