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
import re
from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from numbers import Integral
from typing import TYPE_CHECKING, Any, Literal

import attrs

from peelmetrics.errors import InvalidValueError, PeriodNotCoveredError, shorten

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "ALLOWED_MONTHS",
    "MONTH_PATTERN",
    "PERIOD_FORMS",
    "Period",
    "PeriodChoice",
    "month_runs",
    "monthly_windows",
    "parse_date",
    "parse_month_range",
    "parse_period",
    "parse_window_lengths",
]

#: Window lengths the published tables use: as-at (0), month, quarter, rolling year.
ALLOWED_MONTHS = (0, 1, 3, 12)
#: A calendar month as records and Counts write it, ``YYYY-MM`` (a regular expression,
#: unanchored, no groups).
MONTH_PATTERN = r"\d{4}-(?:0[1-9]|1[0-2])"


def parse_month_range(value: str | Sequence[str]) -> tuple[str, str]:
    """The first and last month of a range, from ``"2016-07:2017-06"`` or a pair of
    ``YYYY-MM`` texts (``--months`` and ``read_records(months=...)`` alike).

    >>> parse_month_range("2016-07 : 2017-06")
    ('2016-07', '2017-06')
    >>> parse_month_range(("2017-06", "2016-07"))
    Traceback (most recent call last):
    ...
    peelmetrics.errors.InvalidValueError: the first month 2017-06 is after the last 2016-07
    """
    parts = value.split(":") if isinstance(value, str) else value
    if (not isinstance(parts, Sequence) or len(parts) != 2
            or not all(isinstance(p, str) and re.fullmatch(MONTH_PATTERN, p.strip())
                       for p in parts)):  # fmt: skip
        raise InvalidValueError(f"months are FIRST:LAST as YYYY-MM (2016-07:2017-06), not "
                                f"{shorten(value)}")  # fmt: skip
    first, last = (p.strip() for p in parts)
    if first > last:
        raise InvalidValueError(f"the first month {first} is after the last {last}")
    return first, last


def parse_window_lengths(value: str | Iterable[int]) -> tuple[int, ...]:
    """Window lengths in months to sum monthly counts into, from ``"1,12"`` or numbers:
    only lengths Counts allow (1, 3, 12).

    >>> parse_window_lengths("1, 12")
    (1, 12)
    """
    allowed = [m for m in ALLOWED_MONTHS if m > 0]
    parts = value.split(",") if isinstance(value, str) else value
    try:
        lengths = tuple(int(str(p).strip()) for p in parts if str(p).strip())
    except (TypeError, ValueError):
        lengths = ()
    if not lengths or any(m not in allowed for m in lengths):
        raise InvalidValueError(f"window lengths are among {allowed}, not {shorten(value)}")
    return lengths


def _month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


#: Dates a period may end on: those pandas can hold (1677-2262), with room either side.
EARLIEST, LATEST = date(1800, 1, 1), date(2199, 12, 31)


#: The ways of naming a period that every command and function accepts, for messages.
PERIOD_FORMS = (
    "2018-03-31",
    "2018-03",
    "March 2018",
    "Mar 2018",
    "31/03/2018",
    "31 March 2018",
    "2017/18 (the financial year: 12 months to 31 March 2018)",
    "latest (the latest window the data cover, per metric)",
    "report (the edition's own periods)",
)

_MONTHS = {
    **{name.lower(): i for i, name in enumerate(calendar.month_name) if name},
    **{name.lower(): i for i, name in enumerate(calendar.month_abbr) if name},
    "sept": 9,
}
# numpy writes a datetime64[ns] as 2017-06-30T00:00:00.000000000: midnight is still the day.
_ISO = re.compile(r"(\d{4})-(\d{2})-(\d{2})(?:[t ]00:00(?::00(?:\.0+)?)?)?")
_YEAR_MONTH = re.compile(r"(\d{4})-(\d{1,2})")
_DAY_MONTH_YEAR = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})")
_MONTH_YEAR = re.compile(r"(?:(\d{1,2})\s+)?([a-z]+)\.?,?\s+(\d{4})")
_FINANCIAL_YEAR = re.compile(r"(?:fy\s*)?(\d{4})\s*/\s*(\d{2}|\d{4})")


def _forms_error(text: object, what: str = "a period") -> InvalidValueError:
    forms = "; ".join(PERIOD_FORMS)
    return InvalidValueError(f"{shorten(text)} is not {what}; accepted forms: {forms}")


def _day(year: int, month: int, day: int | None, text: object) -> date:
    """The date named by its parts; the month's last day when ``day`` is None."""
    try:
        return _month_end(year, month) if day is None else date(year, month, day)
    except ValueError:
        raise _forms_error(text, "a date") from None


def parse_date(text: date | str) -> date:
    """The day named by ``text``, in any form of the period grammar but ``latest`` and
    ``report``: a month or a financial year names its last day.

    >>> parse_date("2018-03"), parse_date("March 2018"), parse_date("31/03/2018")
    (datetime.date(2018, 3, 31), datetime.date(2018, 3, 31), datetime.date(2018, 3, 31))
    >>> parse_date("2017/18"), parse_date("30 June 2017")
    (datetime.date(2018, 3, 31), datetime.date(2017, 6, 30))
    >>> parse_date("2017-06-30xyz")
    Traceback (most recent call last):
    ...
    peelmetrics.errors.InvalidValueError: '2017-06-30xyz' is not a date; accepted forms: ...
    """
    if isinstance(value := text, date):
        day = value.date() if hasattr(value, "date") and callable(value.date) else value
    elif not isinstance(text, str):
        raise _forms_error(text, "a date")
    else:
        day = _parse_day(text)
    if not EARLIEST <= day <= LATEST:
        raise InvalidValueError(f"period end {day} is outside {EARLIEST.year}-{LATEST.year}")
    return day


def _parse_day(text: str) -> date:
    clean = " ".join(text.strip().lower().split())
    if found := _ISO.fullmatch(clean):
        return _day(int(found[1]), int(found[2]), int(found[3]), text)
    if found := _YEAR_MONTH.fullmatch(clean):
        return _day(int(found[1]), int(found[2]), None, text)
    if found := _DAY_MONTH_YEAR.fullmatch(clean):
        return _day(int(found[3]), int(found[2]), int(found[1]), text)
    if (found := _MONTH_YEAR.fullmatch(clean)) and found[2] in _MONTHS:
        day = int(found[1]) if found[1] else None
        return _day(int(found[3]), _MONTHS[found[2]], day, text)
    if found := _FINANCIAL_YEAR.fullmatch(clean):
        first, second = int(found[1]), int(found[2])
        if second % 100 == (first + 1) % 100 and (second < 100 or second == first + 1):
            return _month_end(first + 1, 3)  # a UK financial year ends on 31 March
    raise _forms_error(text, "a date")


@attrs.frozen(slots=True, order=True)
class Period:
    """A reporting window: ``months`` months ending on ``end``, or as at ``end`` (``months=0``).

    Raises
    ------
    InvalidValueError
        When ``months`` is not one of 0, 1, 3 or 12 (a "7-month year" is a typo, not a
        period), or a window does not end on the last day of a month.
    """

    end: date = attrs.field(converter=parse_date)
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
        return cls(parse_date(day), 0)

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
            raise InvalidValueError(
                f"a period is {{'end': ..., 'months': ...}}, not {shorten(data)}"
            )
        return cls(data["end"], data["months"])


def _shift_day(day: date, year: int, month: int) -> date:
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


@attrs.frozen(slots=True)
class PeriodChoice:
    """A period as a user names it, before it meets a metric: a window end date, the
    latest window the data cover, or the edition's own (report) periods.

    Made by :func:`parse_period`; :meth:`for_metric` turns it into each metric's window.

    >>> choice = parse_period("March 2018")
    >>> choice.kind, choice.end
    ('date', datetime.date(2018, 3, 31))
    """

    kind: Literal["date", "latest", "report"]
    end: date | None = None
    text: str = ""

    def for_metric(self, metric: Any, held: Iterable[Period] = ()) -> Period:
        """The window of ``metric`` this choice names. ``held`` are the windows the data
        hold for the metric (see :func:`peelmetrics.compute.periods_held`): ``latest`` takes
        the last of them (the report's period when there are none)."""
        own: Period = metric.period
        if self.kind == "report":
            return own
        if self.kind == "latest":
            return max(held, default=own)
        assert self.end is not None
        return Period(self.end, own.months)  # months 0: as at that date

    def __str__(self) -> str:
        return self.text or (self.kind if self.end is None else self.end.isoformat())


def parse_period(value: PeriodChoice | Period | date | str | None) -> PeriodChoice:
    """The one period grammar of the API and every command.

    Accepts ``2018-03-31``, ``2018-03``, ``March 2018``, ``Mar 2018``, ``31/03/2018``,
    ``31 March 2018``, a financial year ``2017/18`` (the 12 months to 31 March 2018),
    ``latest`` (the latest window the data cover, per metric) and ``report`` (the edition's
    own periods; also ``None``). A month names its last day: a rolling window ends there.

    >>> from peelmetrics import edition
    >>> str(parse_period("2017/18").for_metric(edition().metric("recorded_crime_per_1000")))
    '12 months to 31 March 2018'
    >>> parse_period("latest").kind, parse_period(None).kind
    ('latest', 'report')
    >>> parse_period("next year")
    Traceback (most recent call last):
    ...
    peelmetrics.errors.InvalidValueError: 'next year' is not a period; accepted forms: ...
    """
    if isinstance(value, PeriodChoice):
        return value
    if value is None:
        return PeriodChoice("report")
    if isinstance(value, Period):
        return PeriodChoice("date", value.end, str(value))
    if isinstance(value, str):
        word = value.strip().lower()
        if word in ("latest", "report"):
            return PeriodChoice("latest" if word == "latest" else "report", None, word)
        try:
            return PeriodChoice("date", _parse_day(value), value.strip())
        except InvalidValueError:
            raise _forms_error(value) from None
    if isinstance(value, date):
        return PeriodChoice("date", parse_date(value), "")
    raise _forms_error(value)


def not_covered(asked: Period, held: Iterable[Period], what: str) -> PeriodNotCoveredError:
    """The error for a window the data do not reach, naming the latest one they cover."""
    last = max(held, default=None)
    latest = f"the latest they cover is the {last}" if last else "they hold none"
    return PeriodNotCoveredError(f"the data hold no {what} for the {asked}: {latest}")


# Counts over months: rolling windows from monthly counts (records read by month).


def monthly_windows(
    monthly: pd.DataFrame, months: int = 12, *, partial: bool = True
) -> tuple[pd.DataFrame, list[str]]:
    """Sum monthly Counts (``period_months`` 1) into windows of ``months`` months ending at
    each month end, for :func:`~peelmetrics.compute` (PEEL's rolling years).

    A force-month is covered when the records had any row for it, judged over the months
    the data span as a whole: Greater Manchester has no data.police.uk records from July
    2019. A window with months not covered is summed from the months it has and names the
    others in the Counts' ``missing_months`` column, so :func:`~peelmetrics.compute` gives
    it status ``partial`` with the months named (``partial=False`` leaves such windows out:
    a dash, "not supplied", where they are used). A window with no covered month is never
    made. The notes returned name each force's partial windows and missing months.

    >>> import pandas as pd
    >>> monthly = pd.DataFrame({
    ...     "force": ["E23000027"] * 3, "measure": ["police_uk_crimes"] * 3,
    ...     "period_end": pd.to_datetime(["2017-01-31", "2017-02-28", "2017-04-30"]),
    ...     "period_months": 1, "value": [5.0, 6.0, 7.0], "source": "x"})
    >>> windows, notes = monthly_windows(monthly, months=2)
    >>> windows[["period_end", "value", "missing_months"]].to_dict("records")[1:]
    [{'period_end': Timestamp('2017-03-31 00:00:00'), 'value': 6.0, 'missing_months': '2017-03'}, \
{'period_end': Timestamp('2017-04-30 00:00:00'), 'value': 7.0, 'missing_months': '2017-03'}]
    >>> print(notes[0])
    E23000027: 2 windows of 2 month(s) ending 31 March 2017 to 30 April 2017 are partial: no
    records for 2017-03
    """
    import pandas as pd

    if isinstance(months, bool) or not isinstance(months, Integral) or months < 1:
        raise InvalidValueError(f"months: a window has a whole number of months (1 or more), "
                                f"not {shorten(months)}")  # fmt: skip
    months = int(months)
    needed = {"force", "period_end", "period_months", "measure", "value", "source"}
    if not isinstance(monthly, pd.DataFrame) or not needed <= set(monthly.columns):
        raise InvalidValueError(f"monthly: Counts with columns {', '.join(sorted(needed))}, not "
                                f"{shorten(type(monthly).__name__)}")  # fmt: skip
    frame = monthly[monthly["period_months"] == 1]
    if len(frame) != len(monthly):
        raise InvalidValueError("monthly_windows needs monthly Counts (period_months 1)")
    ends = pd.to_datetime(frame["period_end"], errors="coerce")
    if ends.isna().any():
        # A window from a month that is not there would be a window of nothing said.
        raise InvalidValueError(f"monthly: {int(ends.isna().sum())} row(s) have no period_end "
                                "month; every monthly count needs its month")  # fmt: skip
    frame = frame.assign(period_end=ends)
    columns = ["force", "period_end", "period_months", "measure", "value", "source",
               "missing_months"]  # fmt: skip
    if frame.empty:
        return pd.DataFrame({c: [] for c in columns}), []
    months_of = frame["period_end"].dt.to_period("M")
    covered = {f: set(m) for f, m in months_of.groupby(frame["force"])}
    sources = frame.groupby(["force", "measure"])["source"].first()
    out, notes = [], []
    span = pd.period_range(months_of.min(), months_of.max(), freq="M")
    if len(span) < months:  # said, not an output short of the windows asked for alone
        held = f"{span[0]}" if len(span) == 1 else f"{span[0]} to {span[-1]}"
        return pd.DataFrame(columns=columns), [
            f"no window of {months} months: the records span {len(span)} month(s) ({held})"
        ]
    for force, seen in sorted(covered.items()):
        rows = frame[frame["force"] == force]
        table = rows.pivot_table(index=months_of[rows.index], columns="measure",
                                 values="value", aggfunc="sum")  # fmt: skip
        table = table.reindex(span).fillna(0.0)
        sums = table.rolling(months).sum().iloc[months - 1 :]
        present = pd.Series([p in seen for p in span], index=span, dtype="int64")
        have = present.rolling(months).sum().iloc[months - 1 :].to_numpy()
        gaps = _window_gaps(span, present.to_numpy(), months)
        short = (have > 0) & (have < months)
        if short.any():
            ends = sums.index[short]
            what = "are partial" if partial else "not produced"
            notes.append(
                f"{force}: {int(short.sum())} windows of {months} month(s) ending "
                f"{ends[0].end_time:%d %B %Y} to {ends[-1].end_time:%d %B %Y} {what}: no "
                f"records for {month_runs([p for p in span if p not in seen])}"
            )
        kept = (have == months) | (short & partial)
        for measure in sums.columns:
            values = sums.loc[kept, measure]
            out.append(pd.DataFrame({
                "force": force, "measure": measure,
                "period_end": values.index.to_timestamp(how="end").normalize(),
                "period_months": months, "value": values.to_numpy(),
                "source": sources[(force, measure)],
                "missing_months": gaps[kept],
            }))  # fmt: skip
    if not out:
        return pd.DataFrame(columns=columns), notes
    windows = pd.concat(out, ignore_index=True)[columns]
    return windows.sort_values(["force", "period_end", "measure"], ignore_index=True), notes


def _window_gaps(span: pd.PeriodIndex, present: Any, months: int) -> Any:
    """Per window of ``months`` ending at each month of ``span`` (from the ``months``-th),
    the missing months as text (blank for none)."""
    import numpy as np

    texts = np.full(max(len(span) - months + 1, 0), "", dtype=object)
    for end in range(months - 1, len(span)):
        window = present[end - months + 1 : end + 1]
        if not window.all() and window.any():
            texts[end - months + 1] = month_runs(
                [span[end - months + 1 + int(i)] for i in np.flatnonzero(window == 0)]
            )
    return texts


def month_runs(periods: Iterable[pd.Period]) -> str:
    """Months as runs: ``2019-07 to 2019-12, 2020-03`` (the Counts ``missing_months`` form).

    >>> import pandas as pd
    >>> month_runs(pd.period_range("2019-07", "2019-09", freq="M").append(
    ...     pd.PeriodIndex(["2020-01"], freq="M")))
    '2019-07 to 2019-09, 2020-01'
    """
    runs: list[list[pd.Period]] = []
    for period in sorted(periods):
        if runs and period == runs[-1][-1] + 1:
            runs[-1].append(period)
        else:
            runs.append([period])
    return ", ".join(str(r[0]) if len(r) == 1 else f"{r[0]} to {r[-1]}" for r in runs)
