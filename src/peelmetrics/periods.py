"""Reporting periods: a rolling window ending on a date, or an as-at date.

The report's periods are "12 months to 30 June 2017" (``Period.year_to(2017, 6)``) and
"as at 1 July 2017" (``Period.as_at(date(2017, 7, 1))``). A window ends on the last day of
a month; an as-at date may be any day.

>>> p = Period.year_to(2017, 6)
>>> p
Period(end=datetime.date(2017, 6, 30), months=12)
>>> str(p)
'12 months to 30 June 2017'
>>> str(p.previous())
'12 months to 30 June 2016'
>>> str(Period.as_at(date(2017, 7, 1)))
'as at 1 July 2017'
"""

from __future__ import annotations

import calendar
from collections.abc import Mapping
from datetime import date
from numbers import Integral
from typing import Any

import attrs

from peelmetrics.errors import InvalidValueError

__all__ = ["ALLOWED_MONTHS", "MONTH_PATTERN", "Period"]

#: Window lengths the published tables use: as-at (0), month, quarter, rolling year.
ALLOWED_MONTHS = (0, 1, 3, 12)
#: A calendar month as records and Counts write it, ``YYYY-MM`` (a regular expression,
#: unanchored, no groups).
MONTH_PATTERN = r"\d{4}-(?:0[1-9]|1[0-2])"


def _month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


#: Dates a period may end on: those pandas can hold (1677-2262), with room either side.
EARLIEST, LATEST = date(1800, 1, 1), date(2199, 12, 31)


def _to_date(value: date | str) -> date:
    if isinstance(value, date):
        day = value.date() if hasattr(value, "date") and callable(value.date) else value
    else:
        try:
            day = date.fromisoformat(str(value)[:10])
        except ValueError as exc:
            raise InvalidValueError(
                f"period end {value!r} is not an ISO date (YYYY-MM-DD)"
            ) from exc
    if not EARLIEST <= day <= LATEST:
        raise InvalidValueError(f"period end {day} is outside {EARLIEST.year}-{LATEST.year}")
    return day


@attrs.frozen(slots=True, order=True)
class Period:
    """A reporting window: ``months`` months ending on ``end``, or as at ``end`` (``months=0``).

    Raises
    ------
    InvalidValueError
        When ``months`` is not one of 0, 1, 3 or 12 (a "7-month year" is a typo, not a
        period), or a window does not end on the last day of a month.
    """

    end: date = attrs.field(converter=_to_date)
    months: int = attrs.field(default=12)

    @months.validator
    def _check_months(self, _attribute: Any, value: int) -> None:
        if (
            isinstance(value, bool)
            or not isinstance(value, Integral)
            or value not in ALLOWED_MONTHS
        ):
            raise InvalidValueError(
                f"period of {value} months is not allowed; use one of {ALLOWED_MONTHS} "
                "(0 means 'as at' the end date)"
            )
        if value and self.end != _month_end(self.end.year, self.end.month):
            raise InvalidValueError(
                f"a {value}-month window must end on the last day of a month, not {self.end}"
            )

    @classmethod
    def year_to(cls, year: int, month: int) -> Period:
        """The 12 months to the end of ``month`` in ``year``."""
        return cls(_month_end(year, month), 12)

    @classmethod
    def as_at(cls, day: date | str) -> Period:
        """A snapshot as at ``day`` (``months=0``)."""
        return cls(_to_date(day), 0)

    @property
    def is_as_at(self) -> bool:
        """True for a snapshot rather than a window."""
        return self.months == 0

    @property
    def start(self) -> date:
        """First day of the window (the end date itself for an as-at period)."""
        if self.is_as_at:
            return self.end
        month_index = self.end.year * 12 + self.end.month - 1 - self.months + 1
        return date(month_index // 12, month_index % 12 + 1, 1)

    def shifted(self, months: int) -> Period:
        """The same kind of period moved by ``months`` (negative moves back in time)."""
        index = self.end.year * 12 + self.end.month - 1 + months
        year, month = divmod(index, 12)
        end = _month_end(year, month + 1) if self.months else _shift_day(self.end, year, month + 1)
        return Period(end, self.months)

    def previous(self) -> Period:
        """The period a year earlier: the comparison base of a year-on-year change."""
        return self.shifted(-12)

    def __str__(self) -> str:
        when = f"{self.end.day} {calendar.month_name[self.end.month]} {self.end.year}"
        if self.is_as_at:
            return f"as at {when}"
        return f"{self.months} months to {when}"

    def to_dict(self) -> dict[str, Any]:
        """JSON-compatible dict; inverse of :meth:`from_dict`."""
        return {"end": self.end.isoformat(), "months": self.months}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Period:
        """Rebuild a period from :meth:`to_dict` output."""
        if not isinstance(data, Mapping) or set(data) != {"end", "months"}:
            raise InvalidValueError(f"a period is {{'end': ..., 'months': ...}}, not {data!r}")
        return cls(data["end"], data["months"])


def _shift_day(day: date, year: int, month: int) -> date:
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))
