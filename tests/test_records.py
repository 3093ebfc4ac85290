"""Record specs: records counted into measures as data, the same on every engine (issue 14)."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from typing import Any

import attrs
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from peelmetrics import InputFileError, UnknownMeasureError
from peelmetrics.records import POLICE_UK, MeasureRule, RecordSpec, count_records
from peelmetrics.sources import read_police_uk

HERTS, KENT = "E23000027", "E23000032"

FORCE_CRIMES = RecordSpec(
    name="force crimes",
    force="force",
    date="recorded_on",
    id="crime_ref",
    rules=[
        MeasureRule("recorded_crime", where_not={"offence_group": ["Fraud"]}),
        MeasureRule("domestic_abuse_offences", where={"da_flag": ["Y"]},
                    where_not={"offence_group": ["Fraud"]}),
        MeasureRule("outcome_{outcome_type}", where_not={"offence_group": ["Fraud"]}),
    ],
)  # fmt: skip

EXTRACT = pd.DataFrame(
    {
        "crime_ref": ["c1", "c2", "c3", "c4", "c5", "c6", "c6", "c7"],
        "force": ["Hertfordshire", "Herts", "Hertfordshire", "Hertfordshire", "Kent",
                  "Kent", "Kent", "Gotham"],
        "recorded_on": ["2017-06-02", "2017-06-30", "2017-05-01", "2017-06-15", "2017-06-01",
                        "2017-13-01", "2017-06-03", "2017-06-01"],
        "offence_group": ["Violence", "Violence", "Theft", "Fraud", "Theft", "Theft", "Theft",
                          "Theft"],
        "da_flag": ["Y", "N", "Y", "Y", "N", "N", "", "N"],
        "outcome_type": ["1", "16", "", "1", "99", "1", "18", "1"],
    }
)  # fmt: skip


def _engines() -> list[Any]:
    params: list[Any] = [pytest.param(lambda f: f, id="pandas")]
    if importlib.util.find_spec("polars"):
        import polars as pl

        # From plain lists: pandas 3's string columns would need pyarrow to convert.
        params += [pytest.param(lambda f: pl.DataFrame(f.to_dict("list")), id="polars"),
                   pytest.param(lambda f: pl.DataFrame(f.to_dict("list")).lazy(),
                                id="polars-lazy")]  # fmt: skip
    if importlib.util.find_spec("duckdb"):
        import duckdb

        def relation(frame: pd.DataFrame) -> Any:
            connection = duckdb.connect()
            connection.register("records", frame)
            return connection.table("records")

        params.append(pytest.param(relation, id="duckdb"))
    return params


def _by_key(counts: pd.DataFrame) -> dict[tuple[str, str, str], float]:
    return {(r.force, r.period_end.strftime("%Y-%m"), r.measure): r.value
            for r in counts.itertuples()}  # fmt: skip


@pytest.mark.parametrize("engine", _engines())
def test_a_force_extract_counted_by_hand(engine: Any) -> None:
    counts, report = count_records(engine(EXTRACT), FORCE_CRIMES, file="extract.csv")
    # By hand: Herts June has c1 (DA, outcome 1) and c2 (outcome 16); May has c3 (DA, no
    # outcome yet); c4 is fraud. Kent June has c5 (outcome 99 is no outcome type) and the
    # second c6 (outcome 18); the first c6 has month 13; Gotham is no force.
    assert _by_key(counts) == {
        (HERTS, "2017-05", "domestic_abuse_offences"): 1.0,
        (HERTS, "2017-05", "recorded_crime"): 1.0,
        (HERTS, "2017-06", "domestic_abuse_offences"): 1.0,
        (HERTS, "2017-06", "outcome_1"): 1.0,
        (HERTS, "2017-06", "outcome_16"): 1.0,
        (HERTS, "2017-06", "recorded_crime"): 2.0,
        (KENT, "2017-06", "outcome_18"): 1.0,
        (KENT, "2017-06", "recorded_crime"): 2.0,
    }
    assert set(counts.period_months) == {1}
    assert report.rows_read == 8
    assert report.rows_used == 5  # c1, c2, c3, c5, second c6
    reasons = dict(zip(report.excluded.reason, report.excluded["count"], strict=True))
    assert reasons == {
        "recorded_on is not YYYY-MM or YYYY-MM-DD": 1,
        "'Gotham' is not a police force of England and Wales": 1,
        "matches no rule of spec 'force crimes'": 1,  # c4, fraud
    }
    assert any("crime_ref(s) appear on more than one row (2 rows)" in n for n in report.notes)
    _, unchecked = count_records(engine(EXTRACT), FORCE_CRIMES, check_ids=False)
    assert not any("crime_ref" in n for n in unchecked.notes)
    # Kent has no records for May: said, not hidden.
    assert unchecked.notes == ("no records for 1 force-month(s) within 2017-05 to 2017-06: "
                               "Kent 2017-05",)  # fmt: skip
    june, report = count_records(engine(EXTRACT), FORCE_CRIMES, months=("2017-06", "2017-06"))
    assert set(june.period_end) == {pd.Timestamp("2017-06-30")}
    assert report.by_reason()["outside the months asked for (2017-06 to 2017-06)"] == 1  # c3
    assert report.rows_used == 4
    assert report.rows_read == report.rows_used + report.rows_excluded


def test_every_engine_gives_the_same_counts() -> None:
    results = [count_records(p.values[0](EXTRACT), FORCE_CRIMES)[0] for p in _engines()]
    for other in results[1:]:
        pd.testing.assert_frame_equal(results[0], other)


def test_every_engine_gives_the_same_report_for_blanks_and_spaces() -> None:
    """Missing cells and stray spaces are dealt with after the engine groups the records:
    " Herts " is Hertfordshire, a missing force is excluded as "''", and the report (its
    exclusions in order) is the same whatever engine grouped them, in whatever order."""
    extract = EXTRACT.assign(  # Python objects: None stays None for every engine
        force=pd.Series([" Hertfordshire ", "Herts", None, "Hertfordshire", "Kent", "Kent",
                         "Kent", None], dtype=object),
        offence_group=pd.Series([None, *EXTRACT["offence_group"][1:]], dtype=object),
    )  # fmt: skip
    runs = [count_records(p.values[0](extract), FORCE_CRIMES) for p in _engines()]
    counts, report = runs[0]
    assert report.by_reason()["'' is not a police force of England and Wales"] == 2
    herts = counts[(counts.force == "E23000027") & (counts.measure == "recorded_crime")]
    assert herts.value.tolist() == [2.0]  # c1 (a missing group is no fraud) and c2
    for other_counts, other_report in runs[1:]:
        pd.testing.assert_frame_equal(counts, other_counts)
        pd.testing.assert_frame_equal(report.excluded, other_report.excluded)


def test_the_police_uk_spec_equals_the_street_reader(tmp_path: Path) -> None:
    from tests.sources.test_police_uk import _folder

    folder = _folder(tmp_path / "streets")
    expected, expected_report = read_police_uk(folder, backend="pandas")
    records = pd.concat(
        [pd.read_csv(p, dtype=str, keep_default_na=False) for p in sorted(folder.rglob("*.csv"))]
    )
    counts, report = count_records(records, POLICE_UK)
    assert _by_key(counts) == _by_key(expected)
    assert (report.rows_read, report.rows_used) == (
        expected_report.rows_read,
        expected_report.rows_used,
    )


def test_a_spec_is_checked_against_the_edition_and_the_records() -> None:
    with pytest.raises(UnknownMeasureError, match="arrests"):
        RecordSpec("s", "force", "date", [MeasureRule("arrests")]).check()
    with pytest.raises(UnknownMeasureError, match="nothing_"):
        RecordSpec("s", "force", "date", [MeasureRule("nothing_{x}")]).check()
    with pytest.raises(InputFileError) as caught:
        count_records(EXTRACT.drop(columns=["da_flag"]), FORCE_CRIMES, file="extract.csv")
    message = str(caught.value)
    assert "extract.csv" in message
    assert "'da_flag'" in message
    assert "'force crimes'" in message


def test_a_spec_round_trips_as_data() -> None:
    assert RecordSpec.from_dict(FORCE_CRIMES.to_dict()) == FORCE_CRIMES
    assert RecordSpec.from_dict(POLICE_UK.to_dict()) == POLICE_UK


_force = st.sampled_from(["Hertfordshire", "Kent", "Atlantis"])
_kind = st.sampled_from(["Burglary", "Anti-social behaviour", "Robbery"])
_month = st.sampled_from(["2024-01", "2024-02", "2024-1", ""])


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(_force, _kind, _month), min_size=1, max_size=40))
def test_every_row_is_counted_once_or_excluded(rows: list[tuple[str, str, str]]) -> None:
    frame = pd.DataFrame(rows, columns=["Falls within", "Crime type", "Month"]).assign(
        **{"Crime ID": ""}
    )
    counts, report = count_records(frame, POLICE_UK)
    good = frame[(frame["Falls within"] != "Atlantis")
                 & frame["Month"].str.fullmatch(r"\d{4}-\d{2}")]  # fmt: skip
    assert counts.value.sum() == len(good)  # the two rules split every good row
    assert report.rows_read == len(frame) == report.rows_used + report.rows_excluded


@pytest.mark.reference
def test_real_street_files_count_their_rows(reference_dir: Path) -> None:
    folder = reference_dir / "police_uk"
    files = sorted(folder.rglob("*-street.csv"))
    assert files
    for path in files:
        records = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
        counts, report = count_records(records, POLICE_UK, file=path.name)
        assert counts.value.sum() == len(records) == report.rows_used, path.name


def test_the_read_command_counts_records_by_a_spec_file(tmp_path: Path) -> None:
    import io
    import json

    from peelmetrics.cli import main

    spec = RecordSpec(
        "arrests", "force", "arrested_on", [MeasureRule("domestic_abuse_arrests")]
    )  # no condition: every row
    (tmp_path / "spec.json").write_text(json.dumps(spec.to_dict()), encoding="utf-8")
    folder = tmp_path / "arrests"
    folder.mkdir()
    (folder / "june.csv").write_text(
        "force,arrested_on\nHertfordshire,2017-06-01\nHertfordshire,2017-06-30\nKent,2017-06-09\n"
    )
    (folder / "july.csv").write_text("force,arrested_on\nHertfordshire,2017-07-01\n")
    out = io.StringIO()
    status = main(["-q", "read", "--records", str(folder), "--spec", str(tmp_path / "spec.json")],
                  out=out)  # fmt: skip
    assert status == 0
    counts = pd.read_csv(io.StringIO(out.getvalue()))
    assert sorted(zip(counts.force, counts.period_end, counts.value, strict=True)) == [
        (HERTS, "2017-06-30", 2),
        (HERTS, "2017-07-31", 1),
        (KENT, "2017-06-30", 1),
    ]
    again = io.StringIO()
    status = main(["-q", "read", "--records", str(folder), "--spec", str(tmp_path / "spec.json"),
                   "--no-id-check"], out=again)  # fmt: skip
    assert status == 0
    assert again.getvalue() == out.getvalue()
    (tmp_path / "bad.json").write_text('{"name": "x"}')
    assert main(["read", "--records", str(folder), "--spec", str(tmp_path / "bad.json")],
                out=io.StringIO()) == 2  # fmt: skip
    assert main(["read", "--records", str(tmp_path / "none")], out=io.StringIO()) == 2
    assert main(["read"], out=io.StringIO()) == 2


def test_rolling_years_from_months_name_the_missing_months() -> None:
    from peelmetrics.records import monthly_windows

    months = pd.period_range("2018-07", "2019-12", freq="M")
    rows = []
    for force in ("Hertfordshire", "Greater Manchester"):
        for i, month in enumerate(months):
            if force == "Greater Manchester" and month >= pd.Period("2019-07", "M"):
                continue  # no data.police.uk records from July 2019
            rows += [(force, f"{month}", "Burglary")] * (i + 1)
    frame = pd.DataFrame(rows, columns=["Falls within", "Month", "Crime type"]).assign(
        **{"Crime ID": ""}
    )
    monthly, report = count_records(frame, POLICE_UK)
    assert report.notes == ("no records for 6 force-month(s) within 2018-07 to 2019-12: "
                            "Greater Manchester 2019-07 to 2019-12",)  # fmt: skip
    windows, notes = monthly_windows(monthly)
    herts = windows[windows.force == HERTS].set_index("period_end").value
    # Windows ending June 2019 .. December 2019: months 1..12, then 2..13, ... by hand.
    assert len(herts) == 7
    assert herts[pd.Timestamp("2019-06-30")] == sum(range(1, 13))
    assert herts[pd.Timestamp("2019-12-31")] == sum(range(7, 19))
    gmp = windows[windows.force == "E23000005"].set_index("period_end")
    # From July 2019 Greater Manchester's rolling years are partial, their months named.
    assert gmp.value[pd.Timestamp("2019-06-30")] == sum(range(1, 13))
    assert gmp.value[pd.Timestamp("2019-09-30")] == sum(range(4, 13))
    assert gmp.missing_months[pd.Timestamp("2019-06-30")] == ""
    assert gmp.missing_months[pd.Timestamp("2019-09-30")] == "2019-07 to 2019-09"
    assert gmp.missing_months[pd.Timestamp("2019-12-31")] == "2019-07 to 2019-12"
    assert set(herts.index) == set(gmp.index)
    assert set(windows.period_months) == {12}
    assert notes == ["E23000005: 6 windows of 12 month(s) ending 31 July 2019 to 31 December "
                     "2019 are partial: no records for 2019-07 to 2019-12"]  # fmt: skip
    strict, strict_notes = monthly_windows(monthly, partial=False)
    assert strict[strict.force == "E23000005"].period_end.tolist() == [pd.Timestamp("2019-06-30")]
    assert strict_notes[0].endswith("not produced: no records for 2019-07 to 2019-12")
    holes = monthly[~((monthly.force == HERTS) & (monthly.period_end == "2019-03-31"))]
    windows, notes = monthly_windows(holes, partial=False)
    assert notes[1] == (f"{HERTS}: 7 windows of 12 month(s) ending 30 June 2019 to "
                        "31 December 2019 not produced: no records for 2019-03")  # fmt: skip
    assert HERTS not in set(windows.force)  # every window from June 2019 holds March 2019


def test_a_partial_window_is_a_partial_result_with_its_months_named() -> None:
    """Issue 14: a metric whose window has a missing force-month is ``partial``, months named,
    in the results, the JSON and the panel, and England and Wales says which force."""
    from peelmetrics import compute, make_counts
    from peelmetrics.panel import force_in_numbers
    from peelmetrics.records import monthly_windows

    months = pd.period_range("2016-07", "2017-06", freq="M").to_timestamp(how="end").normalize()
    monthly = pd.DataFrame({
        "force": HERTS, "measure": "recorded_crime", "period_end": months,
        "period_months": 1, "value": 1000.0, "source": "force extract",
    }).drop(index=[3, 4])  # fmt: skip  # no records for October and November 2016
    windows, _ = monthly_windows(monthly)
    assert windows.value.tolist() == [10_000.0]
    population = make_counts([("Hertfordshire", "2016-06-30", 0, "population", 1_000_000, "ONS")])
    counts = pd.concat([windows, population], ignore_index=True)
    results = compute(counts, ["recorded_crime_per_1000"])
    herts = results[(results.force == HERTS) & (results.period_end == "2017-06-30")].iloc[0]
    assert (herts.value, herts.display, herts.status) == (10.0, "10", "partial")
    assert herts.missing_months == "2016-10 to 2016-11"
    national = compute(counts, ["recorded_crime_per_1000"], national="available")
    ew = national[national.force == "K04000001"].iloc[0]
    assert ew.status == "partial"
    assert ew.missing_months == "Hertfordshire: 2016-10 to 2016-11"
    complete = make_counts([("Hertfordshire", "2017-06-30", 12, "recorded_crime", 12_000, "x")])
    whole = compute(pd.concat([complete, population]), ["recorded_crime_per_1000"])
    assert whole[whole.force == HERTS].iloc[0].status == "ok"
    assert whole[whole.force == HERTS].iloc[0].missing_months == ""
    panel = force_in_numbers("Hertfordshire", counts)
    row = panel[panel.metric == "recorded_crime_per_1000"].iloc[0]
    assert row.reason == "Partial: no records for 2016-10 to 2016-11."
    from peelmetrics import datasets
    from peelmetrics.counts import update_counts

    bundled, _ = update_counts(datasets.counts(), windows)  # every other force complete
    kent = force_in_numbers("Kent", bundled)
    row = kent[kent.metric == "recorded_crime_per_1000"].iloc[0]
    assert (row.status, row.ew_status) == ("ok", "partial")
    assert (
        row.reason == "England and Wales partial: no records for Hertfordshire: 2016-10 to 2016-11."
    )


@settings(max_examples=40, deadline=None)
@given(st.lists(st.integers(0, 50), min_size=1, max_size=30), st.integers(1, 12))
def test_a_window_is_the_sum_of_its_months(values: list[int], months: int) -> None:
    from peelmetrics.records import monthly_windows

    monthly = pd.DataFrame({
        "force": HERTS, "measure": "police_uk_crimes",
        "period_end": pd.period_range("2015-01", periods=len(values), freq="M")
        .to_timestamp(how="end").normalize(),
        "period_months": 1, "value": [float(v) for v in values], "source": "s",
    })  # fmt: skip
    windows, notes = monthly_windows(monthly, months)
    # Every month is covered: no window is partial; months too few for one are said to be.
    too_few = f"no window of {months} months: the records span {len(values)} month(s)"
    assert len(notes) == (0 if len(values) >= months else 1)
    assert all(n.startswith(too_few) for n in notes)
    expected = [float(sum(values[i - months + 1 : i + 1])) for i in range(months - 1, len(values))]
    assert windows.value.tolist() == expected


def test_the_same_spec_on_a_local_dask_cluster() -> None:
    """The distributed engine: Dask (narwhals runs the same expressions on it; Dask reads
    the same CSV and Parquet files and has a local cluster that needs no service)."""
    dd = pytest.importorskip("dask.dataframe", reason="dask[dataframe] is not installed")
    distributed = pytest.importorskip("distributed", reason="distributed is not installed")
    import warnings

    expected, expected_report = count_records(EXTRACT, FORCE_CRIMES)
    with (
        distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                 dashboard_address=None) as cluster,
        distributed.Client(cluster),
        warnings.catch_warnings(),
    ):  # fmt: skip
        # narwhals says Dask support will move to a separate package one day.
        warnings.simplefilter("ignore", FutureWarning)
        counts, report = count_records(dd.from_pandas(EXTRACT, npartitions=3), FORCE_CRIMES)
    pd.testing.assert_frame_equal(counts, expected)
    assert (report.rows_read, report.rows_used, report.notes) == (
        expected_report.rows_read,
        expected_report.rows_used,
        expected_report.notes,
    )


def test_scanned_files_with_columns_in_another_order(tmp_path: Path) -> None:
    from peelmetrics.records import scan_records

    (tmp_path / "a.csv").write_text("Falls within,Month,Crime ID,Crime type\n"
                                    "Kent Police,2024-01,x1,Burglary\n")  # fmt: skip
    (tmp_path / "b.csv").write_text("\ufeffCrime type,Month,Falls within,Crime ID\n"
                                    "Anti-social behaviour,2024-01,Kent Police,\n")  # fmt: skip
    counts, report = count_records(scan_records(tmp_path), POLICE_UK)
    assert _by_key(counts) == {(KENT, "2024-01", "police_uk_crimes"): 1.0,
                               (KENT, "2024-01", "police_uk_asb_incidents"): 1.0}  # fmt: skip
    assert report.rows_read == 2


_ids = st.lists(st.sampled_from(["a", "b", "c", "d", "", None, "a b", "é"]), max_size=30)


@settings(max_examples=40, deadline=None)
@given(_ids, st.booleans())
def test_repeated_ids_are_exact_on_every_engine(ids: list[str | None], inline: bool) -> None:
    """DuckDB and Polars group by a 64-bit hash first, then compare the candidates exactly;
    pandas (and Dask) group the ids themselves. All agree with counting by hand."""
    from collections import Counter

    import narwhals as nw

    from peelmetrics.sources import records

    counted = Counter(i for i in ids if i)
    expected = (sum(1 for n in counted.values() if n > 1),
                sum(n for n in counted.values() if n > 1))  # fmt: skip
    frame = pd.DataFrame({"Crime ID": pd.Series(ids, dtype=object)})
    old = records._INLINE_HASHES
    records._INLINE_HASHES = old if inline else 0  # the path for many repeated hashes
    try:
        for engine in _engines():
            native = engine.values[0](frame)
            assert records.repeated_ids(nw.from_native(native).lazy(), "Crime ID") == expected
    finally:
        records._INLINE_HASHES = old


def test_read_records_shows_progress_on_a_stream() -> None:
    """The progress of a long DuckDB read goes to the stream given (the CLI gives standard
    error on a terminal only), never to standard output."""
    import io

    duckdb = pytest.importorskip("duckdb", reason="duckdb is not installed")
    from peelmetrics.sources.engines import Progress as _Progress

    connection = duckdb.connect()
    connection.execute("SET enable_progress_bar = true")
    connection.execute("SET enable_progress_bar_print = false")
    for rows in (2 * 10**8, 10**9):  # a fraction of a second; longer on a faster machine
        stream = io.StringIO()
        with _Progress(connection, stream, every=0.01) as progress:
            connection.sql(f"SELECT max(hash(range)) FROM range({rows})").fetchall()
        if progress.shown:
            break
    text = stream.getvalue()
    assert progress.shown, "a long query showed no progress"
    assert text.startswith("\rpeelmetrics: reading records: ")
    assert text.endswith("\n")
    assert "% of this pass" in text
    import time

    ticker = io.StringIO()
    with _Progress(None, ticker, "counting records", every=0.01):  # Polars, pandas: the time
        time.sleep(0.1)
    assert ticker.getvalue().startswith("\rpeelmetrics: counting records: 0 s")
    quiet = io.StringIO()
    with _Progress(None, quiet):  # a step quicker than the first tick says nothing
        pass
    assert quiet.getvalue() == ""


def test_read_records_checks_ids_whichever_engine_counts(tmp_path: Path) -> None:
    """CSV is counted on Polars; its duplicate ids are still found (on DuckDB, bounded)."""
    from peelmetrics.records import read_records

    folder = tmp_path / "extracts"
    folder.mkdir()
    EXTRACT.iloc[:4].to_csv(folder / "a.csv", index=False)
    EXTRACT.iloc[4:].to_csv(folder / "b.csv", index=False)
    counts, report = read_records(folder, FORCE_CRIMES)
    expected, expected_report = count_records(EXTRACT, FORCE_CRIMES)
    assert _by_key(counts) == _by_key(expected)
    assert (report.rows_read, report.rows_used) == (8, 5)
    assert "1 crime_ref(s) appear on more than one row (2 rows); counted as given" in report.notes
    _, unchecked = read_records(folder, FORCE_CRIMES, check_ids=False)
    assert not any("crime_ref" in n for n in unchecked.notes)
    if importlib.util.find_spec("pyarrow"):  # Parquet: counted and checked on DuckDB
        EXTRACT.to_parquet(tmp_path / "all.parquet")
        counts, report = read_records(tmp_path / "all.parquet", FORCE_CRIMES)
        assert _by_key(counts) == _by_key(expected)
        assert report.notes == expected_report.notes


def test_records_to_parquet_feed_compute_with_partial_years(tmp_path: Path) -> None:
    """The CLI path: records -> monthly and rolling-year Counts as Parquet -> compute, a
    year missing a month partial with the month named."""
    import io
    import json

    pytest.importorskip("pyarrow", reason="Parquet needs pyarrow (the records extra)")
    from peelmetrics.cli import main

    spec = RecordSpec("crimes", "force", "recorded_on", [MeasureRule("recorded_crime")])
    (tmp_path / "spec.json").write_text(json.dumps(spec.to_dict()), encoding="utf-8")
    folder = tmp_path / "crimes"
    folder.mkdir()
    months = [str(p) for p in pd.period_range("2016-07", "2017-06", freq="M")]
    for i, month in enumerate(months):
        rows = [("Hertfordshire", f"{month}-15")] * (100 + i)
        if month != "2016-10":  # Kent's extract lacks October 2016
            rows += [("Kent", f"{month}-01")] * 10
        pd.DataFrame(rows, columns=["force", "recorded_on"]).to_csv(
            folder / f"{month}.csv", index=False
        )
    out = tmp_path / "counts.parquet"
    status = main(["-q", "read", "--records", str(folder), "--spec", str(tmp_path / "spec.json"),
                   "--output", str(out)], out=io.StringIO())  # fmt: skip
    assert status == 0
    from peelmetrics.sources import read_counts_parquet

    counts = read_counts_parquet(out)[0]
    year = counts[counts.period_months == 12].set_index("force")
    assert year.value[HERTS] == sum(range(100, 112))
    assert (year.value[KENT], year.missing_months[KENT]) == (110, "2016-10")
    assert len(counts[counts.period_months == 1]) == 12 + 11
    text = io.StringIO()
    assert main(["compute", "--counts", str(out), "--metric", "recorded_crime_per_1000",
                 "--force", "Hertfordshire,Kent", "--format", "json"], out=text) == 0  # fmt: skip
    rows = {(r["force"], r["period_end"]): r for r in json.loads(text.getvalue())}
    herts, kent = rows[(HERTS, "2017-06-30")], rows[(KENT, "2017-06-30")]
    assert (herts["numerator"], herts["status"], herts["missing_months"]) == (1266, "ok", "")
    assert (kent["numerator"], kent["status"], kent["missing_months"]) == (
        110,
        "partial",
        "2016-10",
    )
    ew = rows[("K04000001", "2017-06-30")]
    assert ew["status"] == "partial"
    assert ew["missing_months"] == "Kent: 2016-10"
    with pytest.raises(SystemExit):  # argparse: "window lengths are among [1, 3, 12]"
        main(["read", "--records", str(folder), "--windows", "5"], out=io.StringIO())
    with pytest.raises(SystemExit):  # argparse: "is not FIRST:LAST"
        main(["read", "--records", str(folder), "--months", "2017-06:2016-07"], out=io.StringIO())
    text = io.StringIO()
    assert main(["-q", "read", "--records", str(folder), "--spec", str(tmp_path / "spec.json"),
                 "--months", "2017-01:2017-06", "--windows", "1"], out=text) == 0  # fmt: skip
    assert sorted(pd.read_csv(io.StringIO(text.getvalue())).period_end.unique()) == [
        f"{m}" for m in pd.period_range("2017-01", "2017-06", freq="M").to_timestamp(how="end")
        .strftime("%Y-%m-%d")
    ]  # fmt: skip


SPECS_DIR = Path(__file__).parent.parent / "docs" / "examples" / "specs"


def _spread(count: int, months: list[str], day: str) -> list[str]:
    """``count`` dates spread over ``months`` as evenly as whole rows allow."""
    return [f"{months[i * len(months) // count]}-{day}" for i in range(count)]


def test_the_example_specs_give_the_reports_rates_from_records() -> None:
    """docs/examples/specs: a force's crime, arrest and DVPO extracts, counted by the example
    specs, give the report's figures. Hertfordshire, 12 months to 30 June 2017: 68 DVPOs
    granted and 9,658 domestic abuse-related offences (report, "Protecting vulnerable
    people") = 0.7 per 100; 46.1 arrests per 100 such offences is 4,452 arrests (the
    report gives the rate only; 4,452 / 9,658 = 46.097)."""
    from peelmetrics import compute, datasets
    from peelmetrics.counts import update_counts
    from peelmetrics.records import load_spec, monthly_windows

    months = [str(p) for p in pd.period_range("2016-07", "2017-06", freq="M")]
    herts = "Hertfordshire Constabulary"
    crimes = pd.DataFrame({"recorded_on": _spread(9_658, months, "03"), "da_flag": "Y",
                           "offence_group": "Violence", "outcome_type": ""})  # fmt: skip
    others = pd.DataFrame({"recorded_on": _spread(500, months, "09"), "da_flag": "N",
                           "offence_group": "Theft", "outcome_type": "1"})  # fmt: skip
    fraud = pd.DataFrame({"recorded_on": _spread(40, months, "11"), "da_flag": "Y",
                          "offence_group": "Fraud", "outcome_type": "1"})  # fmt: skip
    crime_extract = pd.concat([crimes, others, fraud], ignore_index=True)
    crime_extract["force"] = herts
    crime_extract["crime_ref"] = [f"c{i}" for i in range(len(crime_extract))]
    arrests = pd.DataFrame({"arrested_on": _spread(4_452 + 300, months, "20"),
                            "da_flag": ["Y"] * 4_452 + ["N"] * 300, "force": "Herts"})  # fmt: skip
    arrests["arrest_ref"] = [f"a{i}" for i in range(len(arrests))]
    dvpos = pd.DataFrame({"decided_on": _spread(68 + 9, months, "28"), "force": herts,
                          "decision": ["Granted"] * 68 + ["Refused"] * 9})  # fmt: skip
    dvpos["application_ref"] = [f"d{i}" for i in range(len(dvpos))]
    monthly = []
    for name, extract in [("force-crimes", crime_extract), ("force-arrests", arrests),
                          ("force-dvpos", dvpos)]:  # fmt: skip
        spec = load_spec(SPECS_DIR / f"{name}.json")
        counts, report = count_records(extract, spec, file=f"{name}.csv")
        assert report.rows_read == len(extract)
        monthly.append(counts)
    windows, notes = monthly_windows(pd.concat(monthly, ignore_index=True))
    assert notes == []
    year = windows.set_index("measure").value
    assert year["recorded_crime"] == 9_658 + 500  # fraud is not recorded crime (Annex A)
    assert year["domestic_abuse_offences"] == 9_658
    assert year["outcome_1"] == 500
    assert year["dvpos_granted"] == 68
    counts, replaced = update_counts(datasets.counts(), windows)
    assert replaced >= 3  # the report's own counts, replaced by the records'
    results = compute(counts, ["dvpo_rate", "domestic_abuse_arrest_rate"])
    mine = results[(results.force == HERTS) & (results.period_end == "2017-06-30")]
    shown = dict(zip(mine.metric, mine.display, strict=True))
    assert shown == {"dvpo_rate": "0.7", "domestic_abuse_arrest_rate": "46.1"}
    assert set(mine.status) == {"ok"}
    assert all("records (force" in s for s in mine.source)
    for path in sorted(SPECS_DIR.glob("*.json")):
        load_spec(path).check()  # every example spec is valid against the edition


def test_hostile_column_names_are_only_names() -> None:
    """Column names reach DuckDB's SQL (the id check) quoted, never as SQL."""
    duckdb = pytest.importorskip("duckdb", reason="duckdb is not installed")
    name = 'ref"; DROP TABLE x; --'
    frame = pd.DataFrame({"force": ["Kent"] * 3, "on": ["2017-06-01"] * 3, name: ["a", "a", "b"]})
    spec = RecordSpec("odd", "force", "on", [MeasureRule("recorded_crime")], id=name)
    connection = duckdb.connect()
    connection.register("records", frame)
    counts, report = count_records(connection.table("records"), spec)
    assert counts.value.tolist() == [3.0]
    assert report.notes == (f"1 {name}(s) appear on more than one row (2 rows); counted as given",)


@pytest.mark.reference
def test_real_files_read_from_disk_and_windowed(reference_dir: Path) -> None:
    """read_records on the real folders (CSV on Polars, ids on DuckDB): every row counted
    (README: Hertfordshire December 2018 has 8,965 rows, 1,790 anti-social behaviour), and
    City of London's twelve months of 2024 make one complete rolling year."""
    from peelmetrics.records import monthly_windows, read_records

    counts, report = read_records(reference_dir / "police_uk" / "2018-12", POLICE_UK)
    herts = counts[counts.force == HERTS].set_index("measure").value
    assert (herts.sum(), herts["police_uk_asb_incidents"]) == (8965, 1790)
    plain = sum(len(pd.read_csv(p, dtype=str)) for p in
                (reference_dir / "police_uk" / "2018-12").glob("*-street.csv"))  # fmt: skip
    assert report.rows_read == report.rows_used == counts.value.sum() == plain
    city_folder = reference_dir / "police_uk" / "city-of-london"
    city, city_report = read_records(city_folder, POLICE_UK)
    assert (
        city_report.rows_read
        == city.value.sum()
        == sum(len(pd.read_csv(p, dtype=str)) for p in city_folder.glob("*.csv"))
    )
    assert not any("no records" in n for n in city_report.notes)
    year, notes = monthly_windows(city)
    assert notes == []
    assert year.period_end.unique().tolist() == [pd.Timestamp("2024-12-31")]
    assert year.value.sum() == city.value.sum()
    assert set(year.missing_months) == {""}


def test_a_police_uk_folder_reads_only_its_street_files(tmp_path: Path) -> None:
    """An unpacked data.police.uk archive also holds outcomes and stop-and-search files:
    the built-in spec reads only ``*-street.*`` and says what it skipped; a file lacking
    a column the spec reads is refused by name, never read as nulls."""
    from peelmetrics.records import read_records
    from tests.sources.test_police_uk import _folder

    folder = _folder(tmp_path / "archive")
    expected, expected_report = read_police_uk(folder, backend="pandas")
    (folder / "2024-01" / "2024-01-hertfordshire-outcomes.csv").write_text(
        "Crime ID,Month,Reported by,Falls within,Outcome type\n"
        "a1,2024-01,Hertfordshire Constabulary,Hertfordshire Constabulary,Charged\n"
    )
    (folder / "2024-01" / "2024-01-hertfordshire-stop-and-search.csv").write_text(
        "Type,Date,Part of a policing operation\nPerson search,2024-01-02,False\n"
    )
    counts, report = read_records(folder, POLICE_UK)
    assert _by_key(counts) == _by_key(expected)
    assert report.rows_read == expected_report.rows_read
    assert "2 other file(s) in the folder skipped: not named *-street.*" in report.notes
    # The same download as an archive: the same counts, the same files skipped and said.
    import shutil

    archive = Path(shutil.make_archive(str(tmp_path / "download"), "zip", folder))
    zipped, zipped_report = read_records(archive, POLICE_UK)
    assert _by_key(zipped) == _by_key(expected)
    assert "2 other file(s) in the archive skipped: not named *-street.*" in zipped_report.notes
    with pytest.raises(InputFileError) as caught:
        read_records(folder / "2024-01" / "*.csv", POLICE_UK)  # a glob names its files
    message = str(caught.value)
    assert "2024-01-hertfordshire-outcomes.csv, row 1, column 'Crime type'" in message
    assert "spec 'police-uk' reads column 'Crime type', which this file lacks" in message
    with pytest.raises(InputFileError, match="no CSV or Parquet record files named"):
        read_records(tmp_path, attrs.evolve(POLICE_UK, files="*-nothing.csv"))


def test_parquet_record_files_are_checked_one_by_one(tmp_path: Path) -> None:
    pytest.importorskip("pyarrow", reason="writing Parquet needs pyarrow")
    from peelmetrics.records import read_records

    EXTRACT.to_parquet(tmp_path / "a.parquet")
    EXTRACT.drop(columns=["da_flag"]).to_parquet(tmp_path / "b.parquet")
    with pytest.raises(InputFileError, match=r"b\.parquet, row 1, column 'da_flag'"):
        read_records(tmp_path, FORCE_CRIMES)
    (tmp_path / "b.parquet").write_bytes(b"PAR1 not really PAR1")
    with pytest.raises(InputFileError, match=r"b\.parquet: not a readable Parquet file"):
        read_records(tmp_path, FORCE_CRIMES)
    (tmp_path / "b.parquet").unlink()
    counts, report = read_records(tmp_path, FORCE_CRIMES)
    assert report.rows_read == len(EXTRACT)
    assert _by_key(counts) == _by_key(count_records(EXTRACT, FORCE_CRIMES)[0])


_HEADER = b"force,recorded_on,offence_group,da_flag,outcome_type,crime_ref\n"
HOSTILE_RECORDS = {
    "empty": (b"", "row 1: has no header row"),
    "header_only": (_HEADER, None),
    "latin1": (_HEADER + b"Kent,2017-06-01,Th\xe9ft,Y,1,a\n", "row 2: not UTF-8 text"),
    "ragged": (_HEADER + b"Kent,2017-06-01,Theft,Y,1,a,extra,more\n",
               "row 2: 8 fields but the header has 6"),
    "short_row": (_HEADER + b"Kent\nKent,2017-06-01,Theft,Y,1,b\n", None),
    "quoted_newline": (_HEADER + b'Kent,2017-06-01,"The\nft",Y,1,a\n', None),
    "bom": (b"\xef\xbb\xbf" + _HEADER + b"Kent,2017-06-01,Theft,Y,1,a\n", None),
    "nul": (_HEADER + b"Kent,2017-06-01,Th\x00eft,Y,1,a\n", None),
    "lone_carriage_return": (_HEADER + b"Kent,2017-06-01,Theft,Y,1,a\n\r", None),
    "unclosed_quote": (_HEADER + b'Kent,2017-06-01,"Theft,Y,1,a\n', "row 2: cannot read as CSV"),
    "mixed_line_endings": (_HEADER + b"Kent,2017-06-01,Theft,Y,1,a\r\nKent,2017-06-02,Theft,Y,1,b\n"
                           b"0\r\n", None),
    "garbage": (bytes(range(256)) * 3, "row 1, column 'force': spec 'force crimes' reads"),
}  # fmt: skip


@pytest.mark.parametrize("engine", ["polars", "duckdb", "pandas"])
@pytest.mark.parametrize("name", sorted(HOSTILE_RECORDS))
def test_hostile_record_files_are_refused_by_file_and_line_or_accounted_for(
    tmp_path: Path, name: str, engine: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Record files as force systems export them, at their worst: a typed error naming the
    file and line, or every row used or excluded, on whichever engine counts. Never a
    traceback."""
    from functools import partial

    from peelmetrics.sources.records import read_records as read

    if engine != "pandas":
        pytest.importorskip(engine, reason=f"{engine} is not installed")
    read_records = partial(read, engine=engine)

    data, expected = HOSTILE_RECORDS[name]
    path = tmp_path / f"{name}.csv"
    path.write_bytes(data)
    # Without the id check (a second reader that might catch what the first let by).
    if expected is not None:
        with pytest.raises(InputFileError) as caught:
            read_records(path, FORCE_CRIMES, check_ids=False)
        assert f"{name}.csv, {expected}" in str(caught.value)
        return
    counts, report = read_records(path, FORCE_CRIMES, check_ids=False)
    assert report.rows_read == report.rows_used + report.rows_excluded
    assert counts.value.sum() <= report.rows_used * len(FORCE_CRIMES.rules)


_cell = st.one_of(st.sampled_from(["Kent", "Herts", "2017-06-01", "2017-06", "", " Y ", "Y",
                                   "Fraud", "1", '"', "\n", ",", "\u2013"]),
                  st.text(max_size=6))  # fmt: skip


@settings(max_examples=60, deadline=None)
@given(st.lists(st.lists(_cell, min_size=0, max_size=8), max_size=8), st.booleans())
def test_random_record_files_never_crash(rows: list[list[str]], latin1: bool) -> None:
    import csv
    import io
    import tempfile

    text = io.StringIO()
    writer = csv.writer(text, lineterminator="\n")
    writer.writerow(["force", "recorded_on", "offence_group", "da_flag", "outcome_type",
                     "crime_ref"])  # fmt: skip
    writer.writerows(rows)
    data = text.getvalue().encode("latin-1" if latin1 else "utf-8", errors="replace")
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "records.csv"
        path.write_bytes(data)
        outcome = _read_or_refusal(path)
    if isinstance(outcome, str):
        assert "records.csv, " in outcome
    else:
        assert outcome.rows_read == outcome.rows_used + outcome.rows_excluded


def _read_or_refusal(path: Path) -> Any:
    """The read report, or the refusal's text."""
    from peelmetrics.records import read_records

    try:
        return read_records(path, FORCE_CRIMES)[1]
    except InputFileError as exc:
        return str(exc)


def test_a_longer_row_is_caught_by_polars_alone(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Without DuckDB (no id pass to read every field), Polars parses every column once to
    see each row's width: Polars reading only the spec's columns would not."""
    pytest.importorskip("polars", reason="polars is not installed")
    from peelmetrics.sources import records

    monkeypatch.setattr(records, "_installed", lambda module: module != "duckdb")
    path = tmp_path / "shifted.csv"
    path.write_bytes(
        _HEADER + b"Kent,2017-06-01,Theft,Y,1,a\nKent,2017-06-01,Theft, Burglary,Y,1,b\n"
    )
    with pytest.raises(InputFileError, match=r"shifted\.csv, row 3: 7 fields but the header has 6"):
        records.read_records(path, FORCE_CRIMES, check_ids=False)
    path.write_bytes(_HEADER + b"Kent,2017-06-01,Theft,Y,1,a\n")
    counts, _report = records.read_records(path, FORCE_CRIMES, check_ids=False)
    assert counts.value.sum() == 3  # recorded crime, domestic abuse, outcome 1


def test_a_folder_of_monthly_street_parquet_is_read_by_the_built_in_spec(tmp_path: Path) -> None:
    """Monthly street files converted to Parquet one by one keep their names' shape."""
    duckdb = pytest.importorskip("duckdb", reason="duckdb is not installed")
    from peelmetrics.records import read_records
    from tests.sources.test_police_uk import _folder

    folder = _folder(tmp_path / "csv")
    expected, expected_report = read_police_uk(folder, backend="pandas")
    target = tmp_path / "parquet"
    target.mkdir()
    for path in folder.rglob("*-street.csv"):
        parquet = target / path.with_suffix(".parquet").name
        duckdb.sql(f"COPY (FROM read_csv('{path}', all_varchar=true)) TO '{parquet}'")
    counts, report = read_records(target, POLICE_UK)
    assert _by_key(counts) == _by_key(expected)
    assert report.rows_read == expected_report.rows_read == 7
    assert report.rows_read == expected_report.rows_read == 7


def test_a_data_police_uk_archive_is_read_as_it_is_downloaded(tmp_path: Path) -> None:
    """The monthly zip from data.police.uk (street, outcomes and stop-and-search files in
    YYYY-MM folders): its street files counted, the rest left in the archive."""
    import zipfile

    from peelmetrics.records import read_records
    from tests.sources.test_police_uk import _folder

    folder = _folder(tmp_path / "data")
    expected, expected_report = read_police_uk(folder, backend="pandas")
    archive = tmp_path / "download.zip"
    with zipfile.ZipFile(archive, "w") as book:
        for path in sorted(folder.rglob("*.csv")):
            book.write(path, path.relative_to(folder).as_posix())
        book.writestr("2024-01/2024-01-hertfordshire-outcomes.csv", "Crime ID,Month\na1,2024-01\n")
    counts, report = read_records(archive, POLICE_UK)
    assert _by_key(counts) == _by_key(expected)
    assert report.rows_read == expected_report.rows_read
    assert report.file == str(archive)
    with pytest.raises(InputFileError, match=r"an archive with no record files: \*-nothing"):
        read_records(archive, attrs.evolve(POLICE_UK, files="*-nothing.*"))
    (tmp_path / "broken.zip").write_bytes(b"PK\x03\x04 not really")
    with pytest.raises(InputFileError, match=r"broken\.zip: not a readable zip archive"):
        read_records(tmp_path / "broken.zip", POLICE_UK)


def test_forces_outside_england_and_wales_are_excluded_by_name() -> None:
    """data.police.uk also publishes Northern Ireland; British Transport Police counts."""
    frame = pd.DataFrame({
        "Falls within": ["Police Service of Northern Ireland", "British Transport Police",
                         "Metropolitan Police Service", "Dyfed-Powys Police"],
        "Month": ["2018-12"] * 4, "Crime ID": ["a", "b", "c", "d"],
        "Crime type": ["Burglary"] * 4,
    })  # fmt: skip
    counts, report = count_records(frame, POLICE_UK)
    assert sorted(counts.force) == ["BTP", "E23000001", "W15000004"]
    assert report.by_reason() == {
        "'Police Service of Northern Ireland' is not a police force of England and Wales": 1
    }


def test_a_street_row_without_a_crime_type_is_no_crime(tmp_path: Path) -> None:
    """A row cut short before its crime type (engines fill the missing cells with nothing)
    or with the cell blank is excluded as matching no rule, never counted as a crime."""
    from peelmetrics.records import read_records

    path = tmp_path / "2018-12-hertfordshire-street.csv"
    header = "Crime ID,Month,Reported by,Falls within,Crime type,Last outcome category\n"
    herts = "Hertfordshire Constabulary"
    path.write_text(
        header + f"a,2018-12,{herts},{herts},Burglary,Under investigation\n"
        f",2018-12,{herts},{herts},Anti-social behaviour,\n"
        f"b,2018-12,{herts},{herts},  ,Under investigation\n"
        f"c,2018-12,{herts},{herts}\n",
        encoding="utf-8",
    )
    for engine in ("pandas", "polars", "duckdb"):
        counts, report = read_records(path, POLICE_UK, engine=engine)
        assert counts.set_index("measure")["value"].to_dict() == {
            "police_uk_asb_incidents": 1.0,
            "police_uk_crimes": 1.0,
        }, engine
        assert (report.rows_read, report.rows_used) == (4, 2), engine
        assert report.by_reason() == {"matches no rule of spec 'police-uk'": 2}, engine
