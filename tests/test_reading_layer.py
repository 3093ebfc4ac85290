"""One reading layer (issue 20): one account, one force resolver, one path for street files
and record specs; and the hostile-record classes of issue 22 fixed at that path."""

from __future__ import annotations

import os
import zipfile
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import peelmetrics as pm
from peelmetrics import InputFileError, UnknownForceError
from peelmetrics.forces import force_codes, resolve_force, resolve_names
from peelmetrics.sources.account import ReadReport, excluded_rows, exclusions
from peelmetrics.sources.records import MeasureRule, RecordSpec, count_records, read_records

HERTS = "E23000027"

SPEC = RecordSpec(
    name="outcomes",
    force="force",
    date="recorded_on",
    rules=[MeasureRule("recorded_crime"), MeasureRule("outcome_{outcome_type}")],
)


# -- one account ----------------------------------------------------------------------


@st.composite
def _reports(draw: st.DrawFn) -> ReadReport:
    """A report of either kind a reader gives: one entry per excluded row (with its line),
    or one entry per reason with a count (records at scale)."""
    used = draw(st.integers(0, 50))
    if draw(st.booleans()):
        lines = draw(st.lists(st.integers(2, 10**6), max_size=20))
        excluded = exclusions(pd.Series(lines, dtype="int64"), "blank row")
        dropped = len(lines)
    else:
        by_reason = draw(st.dictionaries(st.sampled_from(["a", "b", "c"]), st.integers(0, 10**6)))
        excluded = excluded_rows(by_reason)
        dropped = sum(by_reason.values())
    return ReadReport(draw(st.sampled_from(["x.csv", "y.csv [P1]"])), used + dropped, used,
                      excluded)  # fmt: skip


@settings(max_examples=80, deadline=None)
@given(st.lists(_reports(), min_size=1, max_size=5))
def test_a_merge_of_any_reports_keeps_rows_read_equal_to_used_plus_excluded(
    reports: list[ReadReport],
) -> None:
    merged = ReadReport.merge(reports, "all")
    assert merged.rows_read == sum(r.rows_read for r in reports)
    assert merged.rows_read == merged.rows_used + merged.rows_excluded
    assert list(merged.excluded.columns) == ["row", "reason", "count"]
    assert sum(merged.by_reason().values()) == merged.rows_excluded


def test_the_two_kinds_of_exclusion_merge_into_one_shape() -> None:
    """The case that raised "8 rows read but 5 used and 2 excluded" before."""
    by_row = ReadReport("a.csv", 3, 2, exclusions(pd.Series([4]), "blank row"))
    by_reason = ReadReport("b", 5, 3, excluded_rows({"no rule": 2}))
    merged = ReadReport.merge([by_row, by_reason], "both")
    assert (merged.rows_read, merged.rows_used, merged.rows_excluded) == (8, 5, 3)
    assert merged.excluded["row"].tolist()[0] == 4
    assert pd.isna(merged.excluded["row"].tolist()[1])


# -- one force resolver ---------------------------------------------------------------


@pytest.mark.parametrize("name", ["Police Scotland", "police scotland", "PSNI"])
def test_forces_outside_england_and_wales_are_named_as_such(name: str) -> None:
    with pytest.raises(UnknownForceError, match="not a police force of England and Wales") as e:
        resolve_force(name)
    assert not e.value.suggestions  # not "West Midlands" or "Cleveland"


def test_england_and_wales_has_one_answer_everywhere() -> None:
    with pytest.raises(UnknownForceError, match="England and Wales is not a force"):
        resolve_force("England & Wales")
    assert force_codes(["Herts", "England & Wales", "K04000001"], england_and_wales=True) == [
        HERTS, "K04000001", "K04000001"]  # fmt: skip
    _codes, problems = resolve_names(pd.Series(["Herts", "Police Scotland", "Police Scotland"]),
                                    pd.Series([2, 3, 4]), "f.csv", "force")  # fmt: skip
    assert len(problems) == 1
    assert problems[0].row == 3
    assert "Police Scotland is not a police force of England and Wales" in problems[0].message
    assert problems[0].message.endswith("(2 row(s))")


def test_the_reading_api_is_reachable_from_the_package() -> None:
    """issue 24 item 9: ``pm.sources...`` as docs/reading.md writes it."""
    assert pm.sources.read_recorded_crime_quarterly is not None
    assert pm.read_records is read_records
    assert pm.count_records is count_records


# -- records: the hostile classes ------------------------------------------------------


def test_a_float_outcome_column_keeps_its_outcomes() -> None:
    """pandas writes an integer column with a gap as 1.0, 16.0: still outcomes 1 and 16."""
    records = pd.DataFrame({"force": ["Herts"] * 3, "recorded_on": ["2017-06"] * 3,
                            "outcome_type": [1.0, 16.0, None]})  # fmt: skip
    counts, report = count_records(records, SPEC)
    values = dict(zip(counts.measure, counts.value, strict=True))
    assert values == {"outcome_1": 1.0, "outcome_16": 1.0, "recorded_crime": 3.0}
    assert report.rows_used == 3


@pytest.mark.parametrize("bad", ["2018-01-99", "2018-02-30", "2018-01xyz", "2018-13"])
def test_a_malformed_date_is_excluded_not_read_as_its_month(bad: str) -> None:
    records = pd.DataFrame({"force": ["Herts", "Herts"], "recorded_on": ["2018-01-31", bad],
                            "outcome_type": ["1", "1"]})  # fmt: skip
    counts, report = count_records(records, SPEC)
    assert counts[counts.measure == "recorded_crime"].value.tolist() == [1.0]
    assert report.by_reason() == {"recorded_on is not YYYY-MM or YYYY-MM-DD": 1}


def test_two_rules_of_one_measure_count_a_row_once_and_say_so() -> None:
    spec = RecordSpec(name="twice", force="force", date="recorded_on", rules=[
        MeasureRule("recorded_crime", where={"kind": ["A"]}),
        MeasureRule("recorded_crime", where={"flag": ["Y"]}),
    ])  # fmt: skip
    records = pd.DataFrame({"force": ["Herts"] * 3, "recorded_on": ["2017-06"] * 3,
                            "kind": ["A", "A", "B"], "flag": ["Y", "N", "Y"]})  # fmt: skip
    counts, report = count_records(records, spec)
    assert counts.value.tolist() == [3.0]  # not 4: the first row matches both rules
    assert "1 row(s) match more than one rule of measure 'recorded_crime'" in report.notes[-1]


def _csv(path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("force,recorded_on,outcome_type\nHerts,2017-06,1\n", encoding="utf-8")
    return path


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes here")
def test_a_pipe_among_record_files_is_refused_not_waited_on(tmp_path: Path) -> None:
    _csv(tmp_path / "a.csv")
    os.mkfifo(tmp_path / "b.csv")
    with pytest.raises(InputFileError, match=r"b\.csv: not a regular file"):
        read_records(tmp_path, SPEC)


def test_an_unreadable_subfolder_is_refused_not_skipped(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A folder the user may not list (root lists all, so the refusal is simulated)."""
    _csv(tmp_path / "a.csv")
    walk = os.walk

    def refusing(top: str, onerror: object = None, **kwargs: object) -> object:
        denied = PermissionError(13, "Permission denied", str(tmp_path / "locked"))
        onerror(denied)  # type: ignore[operator]
        return walk(top, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(os, "walk", refusing)
    with pytest.raises(InputFileError, match="locked: cannot read the folder: Permission denied"):
        read_records(tmp_path, SPEC)


def test_an_archive_inside_the_records_archive_is_refused(tmp_path: Path) -> None:
    inner = tmp_path / "inner.zip"
    with zipfile.ZipFile(inner, "w") as book:
        book.write(_csv(tmp_path / "x" / "a.csv"), "a.csv")
    outer = tmp_path / "outer.zip"
    with zipfile.ZipFile(outer, "w") as book:
        book.write(_csv(tmp_path / "y" / "b.csv"), "b.csv")
        book.write(inner, "2017/inner.zip")
    with pytest.raises(InputFileError, match=r"holds 1 archive\(s\) inside it"):
        read_records(outer, SPEC)


def test_an_unsupported_compression_method_is_a_typed_error(tmp_path: Path) -> None:
    archive = tmp_path / "odd.zip"
    with zipfile.ZipFile(archive, "w") as book:
        book.writestr("a.csv", "force,recorded_on,outcome_type\nHerts,2017-06,1\n")
    data = bytearray(archive.read_bytes())
    # Compression method 99 (AES) in the local and central headers.
    data[8:10] = (99).to_bytes(2, "little")
    central = data.find(b"PK\x01\x02")
    data[central + 10 : central + 12] = (99).to_bytes(2, "little")
    archive.write_bytes(bytes(data))
    with pytest.raises(InputFileError, match="not a readable zip archive"):
        read_records(archive, SPEC)


def test_street_parquet_folders_are_read_by_every_door(tmp_path: Path) -> None:
    """``read_police_uk``, ``read_any`` and ``read --records`` take the same folder."""
    pytest.importorskip("pyarrow", reason="writing Parquet needs pyarrow")
    from peelmetrics.sources import read_any, read_police_uk

    header = "Crime ID,Month,Reported by,Falls within,Crime type,Last outcome category\n"
    rows = "a,2024-01,Herts,Hertfordshire Constabulary,Burglary,Under investigation\n"
    csv = tmp_path / "c" / "2024-01-hertfordshire-street.csv"
    csv.parent.mkdir()
    csv.write_text(header + rows, encoding="utf-8")
    folder = tmp_path / "p"
    folder.mkdir()
    pd.read_csv(csv, dtype=str).to_parquet(folder / "2024-01-hertfordshire-street.parquet")
    by_street, _ = read_police_uk(folder)
    by_any, _ = read_any(folder)
    by_spec, _ = read_records(folder, "police-uk")
    assert by_street.value.tolist() == by_any.value.tolist() == by_spec.value.tolist() == [1.0]
    # The same Counts, source included, whichever door: one spec, one label.
    pd.testing.assert_frame_equal(by_street, by_spec)
    assert by_spec["source"].tolist() == ["data.police.uk street-level crime: p"]
    # On the command line, a street folder among the files is counted as --records counts
    # it (the same windows, months and checks): the two commands write the same file.
    from peelmetrics.cli import main

    written = {}
    for name, args in {"files": [str(folder)], "records": ["--records", str(folder)]}.items():
        out = tmp_path / f"{name}.csv"
        assert main(["-q", "read", *args, "--output", str(out)]) == 0
        written[name] = out.read_text()
    assert written["files"] == written["records"]
    assert ",police_uk_crimes,1," in written["files"]


def test_one_parquet_street_file_is_read_as_one_csv_street_file_is(tmp_path: Path) -> None:
    """A Parquet file made from a street file is records, not Counts: recognised by its
    columns, at every door."""
    pytest.importorskip("pyarrow", reason="writing Parquet needs pyarrow")
    from peelmetrics.sources import read_any, read_combined

    header = "Crime ID,Month,Reported by,Falls within,Crime type,Last outcome category\n"
    csv = tmp_path / "2024-01-kent-street.csv"
    csv.write_text(header + "a,2024-01,Kent,Kent Police,Burglary,\nb,2024-01,Kent,Kent Police,"
                   "Anti-social behaviour,\n")  # fmt: skip
    parquet = tmp_path / "2024-01-kent-street.parquet"
    pd.read_csv(csv, dtype=str, keep_default_na=False).to_parquet(parquet)
    assert pm.sources.detect_format(parquet) == "police-uk"
    by_csv, _ = read_any(csv)
    by_parquet, _ = read_any(parquet)
    pd.testing.assert_frame_equal(by_parquet.drop(columns="source"), by_csv.drop(columns="source"))
    combined, _ = read_combined([parquet])
    assert combined["value"].tolist() == [1.0, 1.0]
    counts = tmp_path / "counts.parquet"
    pm.sources.write_counts(by_csv, counts)
    assert pm.sources.detect_format(counts) == "counts-parquet"  # Counts stay Counts


@pytest.mark.parametrize("engine", ["polars", "duckdb", "pandas"])
def test_gzipped_street_files_in_a_folder_are_records(tmp_path: Path, engine: str) -> None:
    """A folder of street files gzipped to save room (one plain beside them) is read as the
    plain folder is, on every engine; one gzipped file alone was read, a folder of them
    was refused as "a folder of 2 files and no street files"."""
    import gzip

    from peelmetrics._extras import installed

    if engine != "pandas" and not installed(engine):
        pytest.skip(f"{engine} is not installed")
    header = "Crime ID,Month,Reported by,Falls within,Crime type,Last outcome category\n"
    plain, packed = tmp_path / "plain", tmp_path / "packed"
    plain.mkdir()
    packed.mkdir()
    for n, force in enumerate(("Kent Police", "Essex Police", "Surrey Police")):
        name = f"2024-01-{force.split()[0].lower()}-street.csv"
        text = header + "".join(f"{force[0]}{i},2024-01,x,{force},Robbery,\n" for i in range(n + 1))
        (plain / name).write_text(text)
        if n:
            (packed / f"{name}.gz").write_bytes(gzip.compress(text.encode()))
        else:
            (packed / name).write_text(text)
    expected, _ = read_records(plain, "police-uk", engine=engine)
    counts, report = read_records(packed, "police-uk", engine=engine)
    pd.testing.assert_frame_equal(counts.drop(columns="source"), expected.drop(columns="source"))
    assert report.rows_read == 6
    combined, _ = pm.sources.read_combined([packed], windows="1")
    assert sorted(combined["value"]) == [1.0, 2.0, 3.0]


def test_street_files_are_counted_over_the_same_windows_at_every_door(tmp_path: Path) -> None:
    """``peelmetrics read``, every command's ``--counts`` and ``read_combined`` count street
    files over one default: the months and the rolling years (a year of twelve months)."""
    from peelmetrics.cli import main
    from peelmetrics.sources import read_combined
    from peelmetrics.sources.combined import RECORD_WINDOWS

    header = "Crime ID,Month,Reported by,Falls within,Crime type,Last outcome category\n"
    for month in range(1, 13):
        path = tmp_path / "p" / f"2024-{month:02d}-kent-street.csv"
        path.parent.mkdir(exist_ok=True)
        path.write_text(header + f"k{month},2024-{month:02d},Kent,Kent Police,Robbery,\n")
    out = tmp_path / "read.csv"
    assert main(["-q", "read", str(tmp_path / "p"), "--output", str(out)]) == 0
    by_command = pd.read_csv(out)
    combined, _ = read_combined([tmp_path / "p"])
    assert RECORD_WINDOWS == (1, 12)
    assert sorted(combined["period_months"].unique()) == [1, 12]
    year = combined[(combined.period_months == 12) & (combined.measure == "police_uk_crimes")]
    assert year[["period_end", "value"]].to_dict("records") == [
        {"period_end": pd.Timestamp("2024-12-31"), "value": 12.0}
    ]
    assert len(by_command) == len(combined) == 13
    monthly, _ = read_combined([tmp_path / "p"], windows="1")
    assert set(monthly["period_months"]) == {1}
    with pytest.raises(pm.errors.InvalidValueError, match="window lengths are among"):
        read_combined([tmp_path / "p"], windows=(7,))


def test_a_missing_path_is_said_alike_at_every_door(tmp_path: Path) -> None:
    """Not "no record files" from one door and "no such file" from another."""
    missing = tmp_path / "nope.csv"
    for read in (pm.read_any, pm.read_records, lambda p: pm.sources.read_combined([p])):
        with pytest.raises(pm.errors.MissingFileError, match=r"nope\.csv: no such file"):
            read(missing)


def test_a_broken_archive_is_said_alike_at_every_door(tmp_path: Path) -> None:
    """One opener of zip archives: not "not a valid zip archive" from one door and "not a
    readable zip archive" from another."""
    broken = tmp_path / "broken.zip"
    broken.write_bytes(b"PK\x03\x04 not really")
    doors = (pm.read_any, pm.read_records, pm.sources.detect_format,
             lambda p: pm.sources.read_combined([p]))  # fmt: skip
    for read in doors:
        with pytest.raises(InputFileError, match=r"broken\.zip: not a readable zip archive"):
            read(broken)


def test_gzip_bounds_hold_whatever_the_name(tmp_path: Path) -> None:
    """A gzip is read by its bytes, so its bounds are checked by its bytes: a bomb named
    .csv is refused as one, and a file cut short says so (its size field is no size)."""
    import gzip

    bomb = tmp_path / "counts.csv"
    bomb.write_bytes(gzip.compress(b"force,period_end,measure,value\n" + b"0" * 20_000_000))
    with pytest.raises(InputFileError, match="refused as a possible decompression bomb"):
        pm.read_any(bomb)
    whole = gzip.compress(
        b"force,period_end,measure,value\nKent,2017-06-30,dvpos_granted,1\n", mtime=0
    )
    cut = tmp_path / "cut.csv.gz"
    cut.write_bytes(whole[:30])
    with pytest.raises(InputFileError, match="not a whole gzip file"):
        pm.read_any(cut)


def test_panel_records_are_strict_json() -> None:
    """issue 24 item 5: a service returning the panel's rows never meets NaN."""
    import json

    panel = pm.force_in_numbers("Hertfordshire", ci=0.95)
    text = json.dumps(panel.records(), allow_nan=False)
    assert json.loads(text)[0]["value"] is None  # calls for assistance: no count
    assert panel.json() == json.dumps(panel.records(), indent=2, ensure_ascii=False) + "\n"


@pytest.mark.parametrize("engine", ["polars", "duckdb", "pandas"])
def test_a_header_with_an_escaped_quote_is_one_name_on_every_engine(
    tmp_path: Path, engine: str
) -> None:
    """Polars kept the doubled quote of '"for""ce"' and refused the column."""
    if engine != "pandas":
        pytest.importorskip(engine, reason=f"{engine} is not installed")
    path = tmp_path / "q.csv"
    path.write_text('"for""ce",d\nKent,2017-06\n', encoding="utf-8")
    spec = RecordSpec(name="q", force='for"ce', date="d", rules=[MeasureRule("recorded_crime")])
    counts, _report = read_records(path, spec, engine=engine, check_ids=False)
    assert counts.value.tolist() == [1.0]


@pytest.mark.parametrize("engine", ["polars", "duckdb", "pandas"])
def test_a_utf16_record_file_is_said_to_be_not_utf8(tmp_path: Path, engine: str) -> None:
    if engine != "pandas":
        pytest.importorskip(engine, reason=f"{engine} is not installed")
    path = tmp_path / "u16.csv"
    path.write_bytes("force,recorded_on,outcome_type\nKent,2017-06,1\n".encode("utf-16"))
    with pytest.raises(InputFileError, match=r"u16\.csv, row 1: not UTF-8 text"):
        read_records(path, SPEC, engine=engine)


def test_an_unclosed_quote_is_named_where_it_opens(tmp_path: Path) -> None:
    from peelmetrics.sources import read_counts_csv

    rows = ["force,period_end,measure,value,source"]
    rows += [f"Kent,2017-06-30,dvpos_granted,{i},s{i}" for i in range(38)]
    rows += ['Kent,2017-06-30,dvpos_granted,3,"never closed'] + ["Kent,2017-06-30,x,1,y"] * 20
    path = tmp_path / "unclosed.csv"
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    with pytest.raises(InputFileError, match=r"unclosed\.csv, row 40: cannot read as CSV: a "):
        read_counts_csv(path)


def test_a_rolling_year_row_given_twice_is_an_error_not_a_sum(tmp_path: Path) -> None:
    from peelmetrics.sources import read_recorded_crime_pfa

    header = "12 months ending,PFA,Region,Offence,Rolling year total number of offences\n"
    row = "30-06-2017,Hertfordshire,East,Robbery,100\n"
    path = tmp_path / "twice.csv"
    path.write_text(header + row + "\n" + "30-06-2017,Kent,South East,Robbery,5\n" + row,
                    encoding="utf-8")  # fmt: skip
    with pytest.raises(
        InputFileError, match=r"twice\.csv, row 5, column 'Offence'.*first at row 2"
    ):
        read_recorded_crime_pfa(path)


def test_a_renamed_fraud_label_is_still_fraud(tmp_path: Path) -> None:
    from peelmetrics.sources import read_recorded_crime_pfa

    header = "12 months ending,PFA,Region,Offence,Rolling year total number of offences\n"
    path = tmp_path / "fraud.csv"
    path.write_text(header + "30-06-2017,Kent,South East,Robbery,5\n"
                    "30-06-2017,Kent,South East,Fraud and computer misuse,7\n",
                    encoding="utf-8")  # fmt: skip
    counts, report = read_recorded_crime_pfa(path)
    assert counts.value.tolist() == [5.0]
    assert report.by_reason() == {"fraud offences are excluded from recorded crime (Annex A)": 1}


# -- archives at every door -------------------------------------------------------------

_COUNTS_CSV = "force,period_end,measure,value,source\nKent,2017-06-30,dvpos_granted,12,mine\n"


def _zip(path: Path, members: dict[str, str]) -> Path:
    with zipfile.ZipFile(path, "w") as archive:
        for name, text in members.items():
            archive.writestr(name, text)
    return path


def test_a_table_sent_as_a_zip_reads_as_the_table(tmp_path: Path) -> None:
    """An archive holding one published table (beside an archiver's bookkeeping) is read
    as that table, by read_any and the command line alike; the report names the member."""
    plain = tmp_path / "mine.csv"
    plain.write_text(_COUNTS_CSV)
    archive = _zip(tmp_path / "mine.zip", {"data/mine.csv": _COUNTS_CSV,
                                           "__MACOSX/data/._mine.csv": "junk"})  # fmt: skip
    expected, _ = pm.read_any(plain)
    counts, report = pm.read_any(archive)
    pd.testing.assert_frame_equal(counts, expected)
    assert report.file == f"{archive} [mine.csv]"
    assert report.rows_used == 1
    assert pm.sources.detect_format(archive) == "counts"
    combined, _ = pm.sources.read_combined([archive])
    assert combined["value"].tolist() == [12.0]


def test_an_archive_of_several_tables_says_how_to_order_them(tmp_path: Path) -> None:
    archive = _zip(tmp_path / "two.zip", {"a.csv": _COUNTS_CSV, "b.csv": _COUNTS_CSV})
    with pytest.raises(InputFileError, match=r"an archive of 2 files \('a.csv', 'b.csv'\).*"
                       r"in the order to lay them over"):  # fmt: skip
        pm.read_any(archive)
    with pytest.raises(InputFileError, match="an archive with no files"):
        pm.read_any(_zip(tmp_path / "empty.zip", {"__MACOSX/._x": ""}))


def test_a_folder_is_read_as_an_archive_is(tmp_path: Path) -> None:
    """A folder holding one published table (beside bookkeeping) is read as that table, by
    read_any, detect_format and read_combined alike; several are refused with the command
    that orders them; an empty folder is said to be empty."""
    folder = tmp_path / "one"
    (folder / "data").mkdir(parents=True)
    (folder / "data" / "mine.csv").write_text(_COUNTS_CSV)
    (folder / ".DS_Store").write_bytes(b"\x00junk")
    counts, report = pm.read_any(folder)
    assert counts["value"].tolist() == [12.0]
    assert report.file == str(folder / "data" / "mine.csv")
    assert pm.sources.detect_format(folder) == "counts"
    combined, _ = pm.sources.read_combined([folder])
    assert combined["value"].tolist() == [12.0]
    (folder / "later.csv").write_text(_COUNTS_CSV.replace(",12,", ",13,"))
    with pytest.raises(InputFileError) as caught:
        pm.read_any(folder)
    (problem,) = caught.value.problems  # its message whole (a line is cut at 300 characters)
    message = problem.message
    assert "a folder of 2 files and no street files" in message
    assert f"peelmetrics read {folder / 'data' / 'mine.csv'} {folder / 'later.csv'}" in message
    (tmp_path / "empty").mkdir()
    with pytest.raises(InputFileError, match="a folder with no files"):
        pm.read_any(tmp_path / "empty")


def test_a_bad_cell_in_an_archive_is_named_inside_it(tmp_path: Path) -> None:
    """Not the temporary copy the member was read from: the archive and the member."""
    archive = _zip(tmp_path / "bad.zip", {"bad.csv": _COUNTS_CSV.replace(",12,", ",x,")})
    with pytest.raises(InputFileError) as caught:
        pm.read_any(archive)
    (problem,) = caught.value.problems
    assert (problem.file, problem.row, problem.column) == (f"{archive} [bad.csv]", 2, "value")
    assert "peelmetrics-" not in str(caught.value)
