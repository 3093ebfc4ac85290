"""data.police.uk street files: counts by force and month on every backend."""

from __future__ import annotations

import importlib.util
import zipfile
from pathlib import Path

import pandas as pd
import pytest

from peelmetrics import InputFileError
from peelmetrics.sources import aggregate_police_uk, read_police_uk

HEADER = ("Crime ID,Month,Reported by,Falls within,Longitude,Latitude,Location,LSOA code,"
          "LSOA name,Crime type,Last outcome category,Context")  # fmt: skip
BACKENDS = [
    pytest.param(b, marks=pytest.mark.skipif(
        importlib.util.find_spec(b) is None, reason=f"{b} is not installed"))
    for b in ("polars", "duckdb", "pandas")
]  # fmt: skip


def _street(path: Path, month: str, force: str, rows: list[tuple[str, str, str]]) -> Path:
    lines = [HEADER] + [
        f"{cid},{month},{force},{force},-0.1,51.5,On or near X,E01000001,Area 001A,{kind},"
        f"{outcome},"
        for cid, kind, outcome in rows
    ]
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _folder(root: Path) -> Path:
    herts = "Hertfordshire Constabulary"
    _street(root / "2024-01" / "2024-01-hertfordshire-street.csv", "2024-01", herts, [
        ("a1", "Burglary", "Under investigation"),
        ("a2", "Burglary", "Under investigation"),
        ("", "Anti-social behaviour", ""),
    ])  # fmt: skip
    _street(root / "2024-03" / "2024-03-hertfordshire-street.csv", "2024-03", herts, [
        ("a3", "Robbery", "Unable to prosecute suspect"),
        ("a3", "Robbery", "Unable to prosecute suspect"),  # the same Crime ID twice
        ("b1", "Robbery", "Unable to prosecute suspect"),
    ])  # fmt: skip
    _street(root / "2024-03" / "2024-03-atlantis-street.csv", "2024-03", "Atlantis Police",
            [("z1", "Burglary", "Under investigation")])  # fmt: skip
    return root


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_folder_of_months(tmp_path: Path, backend: str) -> None:
    records = aggregate_police_uk(_folder(tmp_path / "data"), backend=backend)  # type: ignore[arg-type]
    assert records.backend == backend
    table = records.breakdown
    assert table["count"].sum() == 6
    assert table[table.crime_type == "Robbery"]["count"].sum() == 3
    assert records.duplicate_ids == (1, 2)
    # Atlantis is no force: reported with its rows, never dropped in silence.
    assert records.report.by_reason() == {
        "'Atlantis Police' is not a police force of England and Wales": 1
    }
    # The breakdown and the counts account for the rows in the same words.
    _, counted = read_police_uk(tmp_path / "data", backend=backend)  # type: ignore[arg-type]
    assert counted.by_reason() == records.report.by_reason()
    assert records.report.rows_read == 7
    # February has no file for either name seen.
    assert ("hertfordshire", "2024-02") in records.missing_files
    assert any("no file for" in n for n in records.report.notes)


@pytest.mark.parametrize("backend", BACKENDS)
def test_counts_per_month(tmp_path: Path, backend: str) -> None:
    counts, _ = read_police_uk(_folder(tmp_path / "data"), backend=backend)  # type: ignore[arg-type]
    table = counts.set_index(["period_end", "measure"]).value
    assert table[(pd.Timestamp("2024-01-31"), "police_uk_crimes")] == 2
    assert table[(pd.Timestamp("2024-01-31"), "police_uk_asb_incidents")] == 1
    assert table[(pd.Timestamp("2024-03-31"), "police_uk_crimes")] == 3
    assert (counts.period_months == 1).all()


def test_a_monthly_archive_zip(tmp_path: Path) -> None:
    folder = _folder(tmp_path / "data")
    archive = tmp_path / "2024-03.zip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as z:
        for path in folder.rglob("*.csv"):
            z.write(path, path.relative_to(folder))
        z.writestr("2024-03/2024-03-hertfordshire-outcomes.csv", "Crime ID,Month\n")
    counts, report = read_police_uk(archive)
    assert counts.value.sum() == 6
    assert report.rows_read == 7


def test_no_street_files_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(InputFileError, match=r"no \*-street\.csv files"):
        read_police_uk(tmp_path)


def test_unknown_backend(tmp_path: Path) -> None:
    with pytest.raises(InputFileError, match="unknown backend"):
        read_police_uk(_folder(tmp_path), backend="spark")  # type: ignore[arg-type]


@pytest.mark.reference
@pytest.mark.parametrize("backend", BACKENDS)
def test_real_december_2018(reference_dir: Path, backend: str) -> None:
    counts, report = read_police_uk(reference_dir / "police_uk" / "2018-12", backend=backend)  # type: ignore[arg-type]
    herts = counts[counts.force == "E23000027"].set_index("measure").value
    # README fact: Hertfordshire, December 2018: 8,965 rows, 1,790 of them ASB.
    assert herts["police_uk_asb_incidents"] == 1790
    assert herts.sum() == 8965
    assert report.rows_read == report.rows_used == 8965 + 7603 + 4911


@pytest.mark.reference
def test_real_city_of_london_2024(reference_dir: Path) -> None:
    records = aggregate_police_uk(reference_dir / "police_uk" / "city-of-london")
    assert records.breakdown.month.dt.month.nunique() == 12
    assert records.missing_files == ()
    assert set(records.breakdown.force) == {"E23000034"}


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_shifted_row_is_refused_on_every_backend(tmp_path: Path, backend: str) -> None:
    """An unquoted comma shifts a street row's fields: refused by file and line on every
    engine and by both readers, never read into the wrong columns."""
    folder = _folder(tmp_path / "data")
    bad = folder / "2024-01" / "2024-01-hertfordshire-street.csv"
    # "On or near Park, Road" unquoted: the blank Context becomes a thirteenth field.
    row = ("zz,2024-01,Herts,Hertfordshire Constabulary,-0.1,51.5,On or near Park, Road,"
           "E01000001,Area 001A,Burglary,Under investigation,\n")  # fmt: skip
    bad.write_text(bad.read_text() + row)
    for reader in (read_police_uk, aggregate_police_uk):
        with pytest.raises(InputFileError, match=r"2024-01-hertfordshire-street\.csv, row \d+: "
                           r"13 fields but the header has 12"):  # fmt: skip
            reader(folder, backend=backend)  # type: ignore[operator]
