"""Denominators in time: which as-at count (a population estimate) divides a period's count.

Annex A, "Population": "For all uses of population as a denominator in our calculations,
unless otherwise noted, we use Office for National Statistics (ONS) mid-2016 population
estimates. These were the most recent data available at the time of the inspection."

A metric whose denominator is counted as at a date (a population, adult females) declares a
:class:`DenominatorRule`: the report's fixed as-at date for the report's own periods, and a
stated rule for every other period, so that the 12 months to March 2003 are never divided by
the mid-2016 population without a word. :func:`choose_denominators` applies a rule to many
forces and periods at once; each choice says which estimate it used and whether that
estimate is *estimated* (the rule's preferred date was not supplied, or the nearest estimate
is further than ``tolerance_months`` from the period).

>>> from datetime import date
>>> rule = DenominatorRule(fixed=Period.as_at(date(2016, 6, 30)),
...                        fixed_for=(Period.year_to(2017, 6),))
>>> rule.target(Period.year_to(2018, 3))  # latest estimate on or before the window's start
datetime.date(2017, 4, 1)
>>> rule.preferred(Period.year_to(2017, 6))
datetime.date(2016, 6, 30)
"""

from __future__ import annotations

from datetime import date, timedelta
from enum import StrEnum
from typing import Any

import attrs
import numpy as np
import pandas as pd

from peelmetrics._serde import Serialisable
from peelmetrics.periods import Period

__all__ = ["DenominatorChoice", "DenominatorRule", "choose_denominators", "choose_estimates"]


class DenominatorChoice(StrEnum):
    """How an as-at denominator is chosen for a period the report did not use."""

    #: The latest estimate dated on or before the first day of the window (for an as-at
    #: period, the as-at date): the estimate an analyst would have had at the start of the
    #: period, as ONS's own police force area tables do. If none is that early, the earliest
    #: estimate after it.
    LATEST_ON_OR_BEFORE_START = "latest_on_or_before_start"
    #: The estimate dated nearest the middle of the window (earlier one on a tie).
    NEAREST_TO_MIDPOINT = "nearest_to_midpoint"


def _periods(values: Any) -> tuple[Period, ...]:
    items = (values,) if isinstance(values, Period) else tuple(values)
    return tuple(v if isinstance(v, Period) else Period.from_dict(v) for v in items)


@attrs.frozen(slots=True, kw_only=True)
class DenominatorRule(Serialisable):
    """How a metric's as-at denominator is chosen for each period.

    Attributes
    ----------
    fixed
        The as-at date the report divides by for its own periods (Annex A, "Population":
        ONS mid-2016, as at 30 June 2016); ``None`` when the report fixes none.
    fixed_for
        The report's own periods, for which ``fixed`` is used.
    otherwise
        The rule for every other period (:class:`DenominatorChoice`).
    tolerance_months
        An estimate dated more than this many months from the rule's target date is
        *estimated*: the row's status says so and the edition's estimated-denominator
        caveat is attached.
    """

    fixed: Period | None = attrs.field(default=None)
    fixed_for: tuple[Period, ...] = attrs.field(default=(), converter=_periods)
    otherwise: DenominatorChoice = attrs.field(
        default=DenominatorChoice.LATEST_ON_OR_BEFORE_START, converter=DenominatorChoice
    )
    tolerance_months: int = attrs.field(default=12, validator=attrs.validators.ge(0))

    @fixed.validator
    def _check_fixed(self, _attribute: Any, value: Period | None) -> None:
        from peelmetrics.errors import InvalidValueError

        if value is not None and not value.is_as_at:
            raise InvalidValueError(f"a fixed denominator date must be as at a date, not {value}")
        if value is None and self.fixed_for:
            raise InvalidValueError("fixed_for needs a fixed as-at date")

    def preferred(self, period: Period) -> date | None:
        """The fixed as-at date if ``period`` is one of the report's own, else ``None``."""
        if self.fixed is not None and period in self.fixed_for:
            return self.fixed.end
        return None

    def target(self, period: Period) -> date:
        """The date the ``otherwise`` rule measures from for ``period``."""
        if self.otherwise is DenominatorChoice.NEAREST_TO_MIDPOINT and not period.is_as_at:
            end_exclusive = period.end + timedelta(days=1)
            return period.start + (end_exclusive - period.start) / 2
        return period.start


def choose_denominators(
    rule: DenominatorRule,
    wanted: pd.DataFrame,
    available: pd.DataFrame,
) -> pd.DataFrame:
    """Choose the estimate each (force, period) is divided by, for all rows at once.

    Parameters
    ----------
    rule
        The metric's rule.
    wanted
        Columns ``force``, ``preferred`` (:meth:`DenominatorRule.preferred` of the row's
        period as a datetime, NaT where the report fixes none) and ``target``
        (:meth:`DenominatorRule.target`). The index is kept.
    available
        Columns ``force`` and ``date``: the as-at dates for which the denominator was
        supplied.

    Returns
    -------
    DataFrame
        ``wanted``'s index with ``date`` (the estimate used, NaT where none exists) and
        ``estimated`` (bool).

    Examples
    --------
    >>> rule = DenominatorRule()
    >>> wanted = pd.DataFrame({"force": ["A", "A"],
    ...     "preferred": pd.to_datetime([None, None]),
    ...     "target": pd.to_datetime(["2002-04-01", "2017-07-01"])})
    >>> available = pd.DataFrame({"force": ["A", "A"],
    ...     "date": pd.to_datetime(["2016-06-30", "2017-06-30"])})
    >>> chosen = choose_denominators(rule, wanted, available)
    >>> chosen["date"].dt.year.tolist(), chosen["estimated"].tolist()
    ([2016, 2017], [True, False])
    """
    codes, _names = pd.factorize(
        pd.concat([wanted["force"], available["force"]], ignore_index=True).astype(object)
    )
    dates, estimated = choose_estimates(
        rule,
        codes[: len(wanted)],
        _as_datetimes(wanted["preferred"]),
        _as_datetimes(wanted["target"]),
        codes[len(wanted) :],
        _as_datetimes(available["date"]),
    )
    return pd.DataFrame({"date": dates, "estimated": estimated}, index=wanted.index)


def choose_estimates(
    rule: DenominatorRule,
    want_force: np.ndarray,
    preferred: np.ndarray,
    target: np.ndarray,
    have_force: np.ndarray,
    have_date: np.ndarray,
) -> tuple[np.ndarray, np.ndarray]:
    """:func:`choose_denominators` on arrays, the form compute holds them in: forces as
    integer codes shared by both sides, dates as ``datetime64`` (NaT for no preferred
    date). Returns the chosen date per wanted row (NaT where none exists) and whether it
    is estimated.

    >>> day = lambda *d: np.array(d, dtype="datetime64[ns]")
    >>> dates, estimated = choose_estimates(DenominatorRule(), np.array([0, 0]),
    ...     day("NaT", "NaT"), day("2002-04-01", "2017-07-01"),
    ...     np.array([0, 0]), day("2016-06-30", "2017-06-30"))
    >>> dates.astype("datetime64[Y]").tolist(), estimated.tolist()
    ([datetime.date(2016, 1, 1), datetime.date(2017, 1, 1)], [True, False])
    """
    n = len(want_force)
    have_day = _days(have_date)
    # Available estimates as one sorted key per (force, day): a search finds, for every
    # row at once, the estimate on or before its target and the one on or after it.
    span = np.int64(10**7)  # days: far more than the calendar holds
    # Days shifted to be positive, so that each force's keys stay in its own range.
    shift = np.int64(5 * 10**6)
    have = np.unique(np.asarray(have_force, dtype=np.int64) * span + have_day + shift)
    preferred_day = _days(preferred)
    has_preferred = preferred_day != _NO_DAY
    same = np.asarray(want_force, dtype=np.int64) * span
    hit = has_preferred & np.isin(same + preferred_day + shift, have)
    target_day = _days(target)
    key = same + target_day + shift
    if len(have):
        before_at = np.searchsorted(have, key, side="right") - 1
        after_at = np.searchsorted(have, key, side="left")
        before = np.where(before_at >= 0, have[before_at.clip(0)], -1)
        after = np.where(after_at < len(have), have[after_at.clip(0, len(have) - 1)], -1)
    else:
        before = after = np.full(n, -1, dtype=np.int64)
    before_ok = (before >= same) & (before < same + span)
    after_ok = (after >= same) & (after < same + span)
    if rule.otherwise is DenominatorChoice.NEAREST_TO_MIDPOINT:
        take_after = after_ok & (~before_ok | ((after - key) < (key - before)))
    else:
        take_after = after_ok & ~before_ok
    chosen = np.where(take_after, after, np.where(before_ok, before, -1))
    day = np.where(hit, preferred_day, np.where(chosen >= 0, chosen - same - shift, _NO_DAY))
    found = day != _NO_DAY
    dates = np.where(found, day, 0).astype("datetime64[D]").astype("datetime64[ns]")
    dates[~found] = np.datetime64("NaT")
    gap = np.abs(_month_number(dates) - _month_number(_as_dates(target_day)))
    estimated = ~hit & found & ((gap > rule.tolerance_months) | has_preferred)
    return dates, estimated


_NO_DAY = np.int64(-(10**6))


def _as_datetimes(values: pd.Series[Any]) -> np.ndarray:
    result: np.ndarray = pd.to_datetime(values).to_numpy("datetime64[ns]")
    return result


def _days(dates: np.ndarray) -> np.ndarray:
    """Days since 1970 of each ``datetime64`` date; ``_NO_DAY`` where missing."""
    days = dates.astype("datetime64[D]").astype(np.int64)
    result: np.ndarray = np.where(np.isnat(dates), _NO_DAY, days)
    return result


def _as_dates(days: np.ndarray) -> np.ndarray:
    result: np.ndarray = days.astype("datetime64[D]")
    return result


def _month_number(dates: np.ndarray) -> np.ndarray:
    """Months since year 0 (NaT gives a huge number, compared only where a date exists)."""
    months = dates.astype("datetime64[M]").astype(np.int64)
    result: np.ndarray = months
    return result
