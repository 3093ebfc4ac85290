"""Counts as Parquet: what `read --records --output counts.parquet` writes and compute reads."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from peelmetrics.counts import make_counts
from peelmetrics.errors import InputFileError
from peelmetrics.sources import detect_format, read_any, read_counts_parquet, write_counts_parquet

pytest.importorskip("pyarrow", reason="Parquet needs pyarrow (the records extra)")

COUNTS = make_counts([
    ("Hertfordshire", "2017-06-30", 12, "recorded_crime", 85_000, "force extract"),
    ("Kent", "2017-06-30", 1, "recorded_crime", 9_000, "force extract"),
    ("Kent", "2016-06-30", 0, "population", 1_500_000, "ONS"),
])  # fmt: skip


def test_round_trip_with_the_missing_months(tmp_path: Path) -> None:
    path = tmp_path / "counts.parquet"
    counts = COUNTS.assign(missing_months=["2016-10 to 2016-11", "", ""])
    write_counts_parquet(counts, path)
    assert detect_format(path) == "counts-parquet"
    again, report = read_any(path)
    pd.testing.assert_frame_equal(again, counts)
    assert (report.rows_read, report.rows_used, report.notes) == (3, 3, ())


def test_a_bad_file_names_the_file_row_and_column(tmp_path: Path) -> None:
    broken = tmp_path / "broken.parquet"
    broken.write_bytes(b"PAR1 this is not parquet at all PAR1")
    with pytest.raises(InputFileError, match=r"broken\.parquet.*not a readable Parquet file"):
        read_counts_parquet(broken)
    bad = tmp_path / "bad.parquet"
    frame = COUNTS.assign(value=[1.0, -5.0, 3.0])
    frame.to_parquet(bad, index=False)
    with pytest.raises(InputFileError) as caught:
        read_counts_parquet(bad)
    assert "bad.parquet, row 2, column 'value': -5.0 counts must not be negative" in str(
        caught.value
    )
    short = tmp_path / "short.parquet"
    COUNTS.drop(columns=["measure"]).assign(extra=1).to_parquet(short, index=False)
    with pytest.raises(InputFileError, match="column 'measure': required column is missing"):
        read_counts_parquet(short)
    wider = tmp_path / "wider.parquet"
    COUNTS.assign(note="x").to_parquet(wider, index=False)
    assert read_counts_parquet(wider)[1].notes == (
        "column 'note' is not part of Counts and was ignored",
    )


_months = st.sampled_from(["", "2019-07", "2019-07 to 2019-12", "2018-01, 2018-03 to 2018-04"])


@settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.lists(st.tuples(st.integers(0, 10**12), _months), min_size=1, max_size=20))
def test_any_counts_round_trip(tmp_path: Path, rows: list[tuple[int, str]]) -> None:
    counts = make_counts([
        ("Kent", f"{2000 + i}-06-30", 12, "recorded_crime", value, f"source {i % 3}")
        for i, (value, _m) in enumerate(rows)
    ]).assign(missing_months=[m for _v, m in rows])  # fmt: skip
    path = tmp_path / "counts.parquet"
    write_counts_parquet(counts, path)
    pd.testing.assert_frame_equal(read_counts_parquet(path)[0], counts)


def test_record_level_parquet_points_at_read_records(tmp_path: Path) -> None:
    path = tmp_path / "2018-12-kent-street.parquet"
    pd.DataFrame({"Crime ID": ["a"], "Month": ["2018-12"], "Falls within": ["Kent Police"],
                  "Crime type": ["Burglary"]}).to_parquet(path)  # fmt: skip
    # The Counts reader itself points at the record reader; read_any (every door) reads a
    # street file's Parquet as the street file it was made from.
    with pytest.raises(InputFileError, match=r"read --records FILE --spec NAME"):
        read_counts_parquet(path)
    counts, _ = read_any(path)
    assert counts[["force", "measure", "value"]].to_dict("records") == [
        {"force": "E23000032", "measure": "police_uk_crimes", "value": 1.0}
    ]
