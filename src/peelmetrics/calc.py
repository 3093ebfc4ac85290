"""Pure calculations: counts in, numbers out. No I/O, no state, no knowledge of files.

Each function takes scalars or pandas Series (a Series keeps its index) and returns the same
kind. Missing or zero denominators give NaN, never an exception or ``inf``: the caller
decides what a missing value means (a result's ``status`` says it). Negative counts are
an error, because no published count is negative.

Units are in brackets in each docstring. Values stay unrounded; :func:`round_half_away`
is for rendering only.
"""

from __future__ import annotations

import math
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any, TypeVar, overload

import numpy as np
import pandas as pd

from peelmetrics.errors import InvalidValueError, shorten

__all__ = [
    "agrees_with_published",
    "percent_change",
    "published_precision",
    "rate",
    "ratio_of_sums",
    "round_half_away",
    "share",
]

Number = TypeVar("Number", float, "pd.Series[float]", np.ndarray)


def _check_number(value: object, name: str) -> None:
    if isinstance(value, pd.Series | np.ndarray):
        if not pd.api.types.is_numeric_dtype(value.dtype):
            raise InvalidValueError(f"{name} must hold numbers, not {value.dtype} values")
    elif isinstance(value, bool) or not isinstance(value, int | float | np.number):
        raise InvalidValueError(f"{name} must be a number, not {shorten(value)}")


def _check_non_negative(value: float | pd.Series[float] | np.ndarray, name: str) -> None:
    _check_number(value, name)
    if isinstance(value, np.ndarray):
        negative = np.flatnonzero(value.astype("float64") < 0)
        if len(negative):
            raise InvalidValueError(
                f"{name} must not be negative; got {value[negative[0]]!r} at position "
                f"{int(negative[0])}"
            )
    elif isinstance(value, pd.Series):
        # On the numbers themselves: a boolean Series and its filter cost more than the sum.
        negative = np.flatnonzero(value.to_numpy(dtype="float64", na_value=np.nan) < 0)
        if len(negative):
            raise InvalidValueError(
                f"{name} must not be negative; got {value.iloc[negative[0]]!r} at index "
                f"{value.index[negative[0]]!r}"
            )
    elif not (value is None or (isinstance(value, float) and math.isnan(value))) and value < 0:
        raise InvalidValueError(f"{name} must not be negative; got {value!r}")


def _floats(value: float | pd.Series[float] | np.ndarray) -> Any:
    if isinstance(value, np.ndarray):
        return value.astype("float64", copy=False)
    if isinstance(value, pd.Series):
        return value.to_numpy(dtype="float64", na_value=np.nan)
    return float(value)


@overload
def rate(numerator: float, denominator: float, per: float = ...) -> float: ...
@overload
def rate(
    numerator: pd.Series[float], denominator: pd.Series[float] | float, per: float = ...
) -> pd.Series[float]: ...
@overload
def rate(numerator: float, denominator: pd.Series[float], per: float = ...) -> pd.Series[float]: ...
@overload
def rate(numerator: np.ndarray, denominator: np.ndarray, per: float = ...) -> np.ndarray: ...


def rate(
    numerator: float | pd.Series[float] | np.ndarray,
    denominator: float | pd.Series[float] | np.ndarray,
    per: float = 1.0,
) -> float | pd.Series[float] | np.ndarray:
    """Events per ``per`` units of the denominator: ``numerator / denominator * per``.

    Used for every rate the report prints: crimes per 1,000 population (``per=1000``), arrests
    and DVPOs per 100 domestic abuse-related offences (``per=100``), MARAC referrals per
    10,000 adult females, OCGs per million population. Report, "Force in numbers"; Annex A,
    "Population".

    Parameters
    ----------
    numerator : float, Series or array
        Count of events [offences, incidents, arrests, orders, referrals, groups].
    denominator : float, Series or array
        Count it is scaled by [persons, adult females, offences]; arrays pair with arrays
        of the same length (what :func:`peelmetrics.compute` holds, no index to align).
    per : float
        Scale [dimensionless], e.g. 100, 1,000, 10,000 or 1,000,000.

    Returns
    -------
    float, Series or array
        [events per ``per`` denominator units]; NaN where the denominator is zero or missing.

    Examples
    --------
    >>> round(rate(68, 9658, per=100), 3)  # DVPOs per 100 domestic abuse-related offences
    0.704
    >>> rate(5, 0)
    nan
    """
    _check_non_negative(numerator, "numerator")
    _check_non_negative(denominator, "denominator")
    if isinstance(per, bool) or not isinstance(per, int | float | np.number):
        raise InvalidValueError(f"per must be one positive number, not {shorten(per)}")
    if not per > 0:
        raise InvalidValueError(f"per must be positive; got {shorten(per)}")
    if isinstance(numerator, np.ndarray) and isinstance(denominator, np.ndarray):
        if numerator.shape != denominator.shape:
            raise InvalidValueError(f"numerator and denominator arrays differ in shape: "
                                    f"{numerator.shape} and {denominator.shape}")  # fmt: skip
        num_a, den_a = _floats(numerator), _floats(denominator)
        with np.errstate(divide="ignore", invalid="ignore"):
            result: np.ndarray = num_a / np.where(den_a > 0, den_a, np.nan) * per
        return result
    if isinstance(numerator, np.ndarray) or isinstance(denominator, np.ndarray):
        raise InvalidValueError("an array pairs with an array: pass Series to align by index")
    if isinstance(numerator, pd.Series) or isinstance(denominator, pd.Series):
        if isinstance(numerator, pd.Series) and isinstance(denominator, pd.Series):
            if not numerator.index.equals(denominator.index):  # aligned as pandas would
                numerator, denominator = numerator.align(denominator)
            index = numerator.index
        else:
            index = numerator.index if isinstance(numerator, pd.Series) else denominator.index  # type: ignore[union-attr]
        num = _floats(numerator)
        den = _floats(denominator)
        with np.errstate(divide="ignore", invalid="ignore"):
            ratio = num / np.where(den > 0, den, np.nan) * per
        return pd.Series(ratio, index=index, dtype="float64")
    num_f, den_f = float(numerator), float(denominator)
    if math.isnan(den_f) or den_f == 0:
        return math.nan
    return num_f / den_f * per


def share(part: Number, total: Number) -> Number:
    """Proportion of ``total`` that ``part`` is [percent].

    Outcome shares ("Charged/summonsed", Figure 1's "investigations where action was taken")
    and domestic abuse as a percentage of recorded crime. NaN where ``total`` is zero.

    >>> round(share(9658, 77604), 2)
    12.45
    """
    return rate(part, total, per=100.0)


def percent_change(current: Number, previous: Number) -> Number:
    """Change from ``previous`` to ``current`` [percent], e.g. recorded crime year on year.

    "Change in recorded crime 12 months to 30 June 2016 against 12 months to 30 June 2017"
    (report, "Force in numbers"). NaN where ``previous`` is zero or missing.

    >>> round(percent_change(9658, 8282), 1)  # domestic abuse offences, 2016 -> 2017
    16.6
    """
    _check_non_negative(current, "current")
    _check_non_negative(previous, "previous")
    ratio = rate(current, previous, per=1.0)
    return (ratio - 1.0) * 100.0


def ratio_of_sums(
    numerator: pd.Series[float],
    denominator: pd.Series[float],
    per: float = 1.0,
    groups: pd.Series[str] | None = None,
) -> float | pd.Series[float]:
    """Aggregate rate of a group: ``sum(numerator) / sum(denominator) * per``.

    This is how every England and Wales figure is built (Annex A, "Data in the report":
    "Any aggregated totals for England and Wales exclude British Transport Police data");
    it is never a mean of the forces' rates. Pairs where either side is missing are left
    out of both sums, so a force without data does not dilute the rate.

    Parameters
    ----------
    numerator, denominator : Series
        Counts per member, aligned on the index.
    per : float
        Scale [dimensionless].
    groups : Series of str, optional
        Group label per member; with it, one ratio per group (a Series indexed by group).

    Examples
    --------
    >>> num = pd.Series([10.0, 30.0]); den = pd.Series([1000.0, 1000.0])
    >>> ratio_of_sums(num, den, per=1000)
    20.0
    """
    for series, name in ((numerator, "numerator"), (denominator, "denominator")):
        if not isinstance(series, pd.Series):
            raise InvalidValueError(f"{name}: a Series of counts, not {shorten(series)}")
    _check_non_negative(numerator, "numerator")
    _check_non_negative(denominator, "denominator")
    if groups is not None and not isinstance(groups, pd.Series):
        raise InvalidValueError(f"groups: a Series of labels, not {shorten(groups)}")
    frame = pd.DataFrame({"num": numerator.astype("float64"), "den": denominator.astype("float64")})
    keep = frame["num"].notna() & frame["den"].notna()
    if groups is None:
        used = frame[keep]
        return rate(float(used["num"].sum()), float(used["den"].sum()), per=per)
    codes, labels = pd.factorize(groups[keep], sort=True)
    sums = {
        side: pd.Series(
            np.bincount(codes, weights=frame.loc[keep, side].to_numpy(), minlength=len(labels)),
            index=pd.Index(labels, name="group"),
        )
        for side in ("num", "den")
    }
    return rate(sums["num"], sums["den"], per=per)


def round_half_away(value: float, decimals: int = 0) -> float:
    """Round half away from zero, as published tables do (``0.25 -> 0.3``, ``12.5 -> 13``).

    Python's :func:`round` and numpy round half to even (``round(0.25, 1) == 0.2``). The
    value is rounded through its shortest decimal representation, so ``0.15`` (stored as
    0.1499999...) still rounds to ``0.2`` as a person reading "0.15" expects. NaN stays NaN.

    >>> round_half_away(0.25, 1), round_half_away(12.5), round_half_away(-2.5)
    (0.3, 13.0, -3.0)
    """
    _check_number(value, "value")
    if isinstance(value, pd.Series):
        raise InvalidValueError("value: one number (round a Series with .map)")
    if isinstance(decimals, bool) or not isinstance(decimals, int | np.integer):
        raise InvalidValueError(f"decimals: a whole number, not {shorten(decimals)}")
    if not -20 <= decimals <= 20:
        raise InvalidValueError(f"decimals: between -20 and 20, not {decimals}")
    if math.isnan(value) or math.isinf(value):
        return value
    quantum = Decimal(1).scaleb(-decimals)
    return float(Decimal(repr(float(value))).quantize(quantum, rounding=ROUND_HALF_UP))


def published_precision(published: str) -> int:
    """Number of decimal places a published figure is printed with (``"0.7" -> 1``).

    >>> published_precision("12%"), published_precision("27.6"), published_precision("+16.6%")
    (0, 1, 1)
    """
    if not isinstance(published, str):
        raise InvalidValueError(f"published: the figure as printed, such as '0.7' or '12%', "
                                f"not {shorten(published)}")  # fmt: skip
    number = published.strip().replace(",", "").rstrip("%").strip()
    return len(number.split(".", 1)[1]) if "." in number else 0


def _parse_published(published: str) -> float:
    text = published.strip().replace(",", "").replace("\u2212", "-").rstrip("%").strip()
    try:
        return float(Decimal(text))
    except (InvalidOperation, ValueError) as exc:
        raise InvalidValueError(f"published figure {shorten(published)} is not a number") from exc


def agrees_with_published(value: float, published: str) -> bool:
    """True if ``value`` rounds (half away from zero) to the published figure.

    The published precision is read from the figure itself: ``"0.7"`` has one decimal
    place, ``"12%"`` none. NaN never agrees.

    >>> agrees_with_published(0.704, "0.7"), agrees_with_published(12.44, "12%")
    (True, True)
    >>> agrees_with_published(0.75, "0.7")
    False
    """
    decimals = published_precision(published)  # checks the figure first
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return False
    _check_number(value, "value")
    if isinstance(value, pd.Series):
        raise InvalidValueError("value: one number, not a Series")
    if math.isnan(value):
        return False
    return round_half_away(float(value), decimals) == round_half_away(
        _parse_published(published), decimals
    )
