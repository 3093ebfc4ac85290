"""Home Office quarterly open data tables: recorded crime and outcomes."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pandas as pd
import pytest

from peelmetrics.errors import InputFileError
from peelmetrics.sources import _common, read_outcomes, read_recorded_crime_quarterly

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
    # Kent lacks Q1 2016/17 and its 2017/18 Q1 is N/a: no complete window.
    assert "E23000032" not in set(counts.force)
    assert report.rows_read == 11
    assert report.by_reason() == {
        "count is N/a in the source": 1,
        "national fraud body, not attributable to a force (Annex A)": 1,
        "fraud offences are excluded from recorded crime (Annex A)": 1,
    }


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


def test_outcome_header_synonyms(tmp_path: Path) -> None:
    path = tmp_path / "outcomes.csv"
    _outcome_frame("force outcomes for offences  recorded in the QUARTER").to_csv(path, index=False)
    counts, _ = read_outcomes(path)
    assert counts.set_index("measure").at["outcome_1", "value"] == 50.0


def test_decompression_bomb_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "bomb.xlsx"
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/worksheets/sheet1.xml", b"0" * 5_000_000)
    with pytest.raises(InputFileError, match="decompression bomb"):
        read_recorded_crime_quarterly(path)
    monkeypatch.setattr(_common, "MAX_FILE_BYTES", 10)
    with pytest.raises(InputFileError, match="the limit is 10"):
        read_recorded_crime_quarterly(path)


def test_not_a_spreadsheet(tmp_path: Path) -> None:
    pytest.importorskip("python_calamine")
    path = tmp_path / "fake.xlsx"
    path.write_bytes(b"not a zip")
    with pytest.raises(InputFileError, match="not a valid spreadsheet"):
        read_recorded_crime_quarterly(path)
