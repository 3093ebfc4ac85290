"""The API refuses what it cannot mean, with peelmetrics errors, never a stray traceback."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

import peelmetrics as pm
from peelmetrics import InputFileError, InvalidValueError, PeelMetricsError


@pytest.mark.parametrize(
    ("records", "message"),
    [
        ([("Kent", "2017-06-30", 12, "dvpos_granted")], r"row 2: 4 fields; expected 6"),
        ([("Kent", "2017-06-30", 12, "dvpos_granted", 1, "s", "x")], r"row 2: 7 fields"),
        ("not records", "records must be a DataFrame or a list of tuples"),
        ([("Kent", "01/07/2017", 0, "organised_crime_groups", 1, "s"),
          ("Kent", 20170630, 12, "dvpos_granted", 1, "s")], r"row 3.*20170630 is not a date"),
    ],
)  # fmt: skip
def test_make_counts_refuses_malformed_records(records: object, message: str) -> None:
    with pytest.raises(InputFileError, match=message):
        pm.make_counts(records)  # type: ignore[arg-type]


def test_make_counts_reports_every_problem_at_once() -> None:
    records = [
        ("Kentt", "2017-06-30", 12, "dvposs", -1, "s"),
        ("Kent", "x", 12, "dvpos_granted", 1, "s"),
        ("Kent", "2017-06-30", 7.5, "dvpos_granted", 1, "s"),
    ]
    with pytest.raises(InputFileError) as caught:
        pm.make_counts(records)
    said = [(p.row, p.column) for p in caught.value.problems]
    assert said == [(2, "force"), (2, "measure"), (2, "value"), (3, "period_end"),
                    (4, "period_months")]  # fmt: skip
    assert "7.5 is not a whole number of months" in str(caught.value)


def test_uk_dates_mean_what_they_say() -> None:
    counts = pm.make_counts([("Kent", "01/07/2017", 0, "organised_crime_groups", 1, "s")])
    assert counts.period_end.tolist() == [pd.Timestamp("2017-07-01")]


def test_time_zone_aware_and_timestamp_dates() -> None:
    frame = pd.DataFrame(
        {"force": ["Kent"], "period_end": [pd.Timestamp("2017-06-30", tz="Europe/London")],
         "period_months": [12], "measure": ["dvpos_granted"], "value": [1.0], "source": ["s"]}
    )  # fmt: skip
    assert pm.make_counts(frame).period_end.tolist() == [pd.Timestamp("2017-06-30")]


@pytest.mark.parametrize("end", ["3000-01-31", "1500-01-31", date(2300, 1, 31)])
def test_periods_outside_the_calendar_pandas_holds(end: object) -> None:
    with pytest.raises(InvalidValueError, match="outside"):
        pm.Period(end, 12)  # type: ignore[arg-type]
    with pytest.raises(PeelMetricsError):
        pm.force_in_numbers("Kent", period=end)  # type: ignore[arg-type]


def test_england_and_wales_is_not_a_force_and_says_so() -> None:
    with pytest.raises(pm.UnknownForceError, match="every result carries it as K04000001"):
        pm.resolve_force("England and Wales")


def test_one_metric_id_is_one_metric() -> None:
    results = pm.compute(pm.datasets.counts("peel2017"), "dvpo_rate")  # type: ignore[arg-type]
    assert set(results.metric) == {"dvpo_rate"}


@pytest.mark.parametrize(("num", "den"), [("1", 2), (1, "2"), (True, 2), (None, 2)])
def test_calculations_need_numbers(num: object, den: object) -> None:
    with pytest.raises(InvalidValueError, match="must be a number"):
        pm.rate(num, den)  # type: ignore[arg-type]


def test_counts_with_a_repeated_or_multiindex_header() -> None:
    frame = pd.DataFrame([["Kent", "2017-06-30", 12, "dvpos_granted", 1.0, "s", 2.0]],
                         columns=[*pm.counts.COUNTS_COLUMNS, "value"])  # fmt: skip
    with pytest.raises(InputFileError, match="column given twice"):
        pm.validate_counts(frame)
    frame = pd.DataFrame([[1, 2]], columns=pd.MultiIndex.from_tuples([("a", "b"), ("c", "d")]))
    with pytest.raises(InputFileError, match="one header row"):
        pm.validate_counts(frame)


def test_a_count_too_large_to_be_a_count() -> None:
    with pytest.raises(InputFileError, match="not a finite count below"):
        pm.make_counts([("Kent", "2017-06-30", 12, "dvpos_granted", 1e27, "s")])


def test_readers_check_their_arguments(tmp_path: pytest.TempPathFactory) -> None:
    from pathlib import Path

    from peelmetrics.sources import read_recorded_crime_pfa

    path = Path(str(tmp_path)) / "prc.csv"
    path.write_text("12 months ending,PFA,Region,Offence,Rolling year total number of offences\n"
                    "31-03-2017,Kent,South East,Robbery,5\n")  # fmt: skip
    with pytest.raises(InvalidValueError, match="periods must be dates"):
        read_recorded_crime_pfa(path, periods=["garbage"])
