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
from typing import Any, Literal

import attrs
import numpy as np
import pandas as pd

from peelmetrics._serde import Serialisable
from peelmetrics.periods import Period

__all__ = ["DenominatorChoice", "DenominatorRule", "choose_denominators"]


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


def _month_index(values: pd.Series[Any]) -> pd.Series[Any]:
    index: pd.Series[Any] = values.dt.year * 12 + values.dt.month
    return index


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
    out = pd.DataFrame(index=wanted.index)
    out["date"] = pd.Series(pd.NaT, index=wanted.index, dtype="datetime64[ns]")
    out["estimated"] = False
    if wanted.empty:
        return out
    avail = available[["force", "date"]].drop_duplicates()
    avail = avail.assign(
        force=avail["force"].astype(object), date=avail["date"].astype("datetime64[ns]")
    )
    keys = pd.MultiIndex.from_frame(avail)
    preferred = wanted["preferred"].astype("datetime64[ns]")
    has_preferred = preferred.notna().to_numpy()
    hit = has_preferred & pd.MultiIndex.from_arrays([wanted["force"], preferred]).isin(keys)
    out.loc[hit, "date"] = preferred[hit]
    rest = wanted.loc[~hit, ["force", "target"]]
    if not rest.empty:
        chosen = _by_rule(rule.otherwise, rest, avail)
        out.loc[~hit, "date"] = chosen
        gap = (_month_index(chosen) - _month_index(rest["target"].astype("datetime64[ns]"))).abs()
        far = (gap > rule.tolerance_months).fillna(False).to_numpy()
        # The report's own period without the report's own estimate is estimated, however
        # near the stand-in is.
        out.loc[~hit, "estimated"] = (far | has_preferred[~hit]) & chosen.notna().to_numpy()
    return out


def _by_rule(choice: DenominatorChoice, rest: pd.DataFrame, avail: pd.DataFrame) -> pd.Series[Any]:
    left = rest.assign(
        _row=np.arange(len(rest)),
        force=rest["force"].astype(object),
        target=rest["target"].astype("datetime64[ns]"),
    ).sort_values("target", kind="mergesort")
    right = avail.assign(_date=avail["date"]).sort_values("date", kind="mergesort")

    def asof(direction: Literal["backward", "forward"]) -> pd.Series[Any]:
        merged = pd.merge_asof(
            left, right, left_on="target", right_on="date", by="force", direction=direction
        )
        return pd.Series(merged["_date"].to_numpy(), index=merged["_row"].to_numpy())

    if choice is DenominatorChoice.NEAREST_TO_MIDPOINT:
        before, after = asof("backward"), asof("forward")
        tgt = pd.Series(left["target"].to_numpy(), index=left["_row"].to_numpy())
        later_nearer = (after - tgt).abs() < (tgt - before).abs()
        picked = before.where(~later_nearer.fillna(False) & before.notna(), after)
    else:
        picked = asof("backward").combine_first(asof("forward"))
    picked = picked.sort_index()
    return pd.Series(picked.to_numpy(), index=rest.index, dtype="datetime64[ns]")
