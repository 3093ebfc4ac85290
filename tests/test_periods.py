"""Reporting periods."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from peelmetrics import InvalidValueError, Period


def test_year_to_june_2017() -> None:
    p = Period.year_to(2017, 6)
    assert (p.start, p.end, p.months) == (date(2016, 7, 1), date(2017, 6, 30), 12)
    assert str(p) == "12 months to 30 June 2017"
    assert p.previous() == Period.year_to(2016, 6)


def test_as_at() -> None:
    p = Period.as_at(date(2017, 7, 1))
    assert p.is_as_at
    assert p.start == p.end
    assert str(p) == "as at 1 July 2017"
    assert p.previous() == Period.as_at("2016-07-01")


def test_seven_months_rejected() -> None:
    with pytest.raises(InvalidValueError, match="7 months is not allowed"):
        Period(date(2017, 6, 30), 7)


def test_window_must_end_at_month_end() -> None:
    with pytest.raises(InvalidValueError, match="last day of a month"):
        Period(date(2017, 6, 29), 12)


def test_bad_date_string() -> None:
    # The period grammar (issue 23) reads 30/06/2017; a date it cannot read lists the forms.
    assert Period("30/06/2017", 12) == Period.year_to(2017, 6)
    with pytest.raises(InvalidValueError, match="accepted forms: 2018-03-31; 2018-03"):
        Period("30th of June 2017", 12)
    with pytest.raises(InvalidValueError, match="'2017-06-30xyz' is not a date"):
        Period("2017-06-30xyz", 12)  # issue 22: once read as 2017-06-30


@given(st.integers(2000, 2030), st.integers(1, 12), st.sampled_from([1, 3, 12]))
def test_dict_round_trip_and_shift(year: int, month: int, months: int) -> None:
    p = Period.year_to(year, month)
    p = Period(p.end, months)
    assert Period.from_dict(p.to_dict()) == p
    assert p.shifted(12).shifted(-12) == p
    assert p.previous().end.year == year - 1
