"""Confidence intervals for rates and shares, and the comparison with England and Wales.

Public health analysts' conventions (PHE's *Technical Guide: Confidence Intervals*, and its
Fingertips tool), applied to police figures:

* **Shares** (a part of a whole: outcome shares, domestic abuse as a share of crime) use the
  **Wilson score** interval for a proportion ``p = k / n`` at level ``1 - a`` with
  ``z = Φ⁻¹(1 - a/2)``::

      (2np + z² ± z·sqrt(z² + 4np(1 - p))) / (2(n + z²))

* **Rates** (events per population or per offence, which may exceed 100 per 100) treat the
  count ``k`` as Poisson: the **exact** interval below 10 events, ``χ²(a/2; 2k)/2`` to
  ``χ²(1 - a/2; 2k + 2)/2``, and **Byar's** approximation from 10 events::

      lower = k (1 - 1/(9k) - z/(3 sqrt k))³
      upper = (k + 1) (1 - 1/(9(k + 1)) + z/(3 sqrt(k + 1)))³

  then divided by the denominator and scaled.

* **Changes** get no interval here: the two years' counts are not independent samples of
  one rate, and no method is both sound and simple; the row says so.

A force is "higher" or "lower" than England and Wales when its interval excludes the England
and Wales value (Fingertips' "compared with England"), "similar" when it contains it, and
"not compared" (with the reason) where there is no interval.

scipy (the ``stats`` extra) provides the distributions; it is imported only here, when used.

References
----------
Public Health England, *Technical Guide: Confidence Intervals* (2018); Breslow and Day (1987)
for Byar's method; Wilson (1927), *J. Am. Stat. Assoc.* 22, 209-212.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from peelmetrics._convert import expect_level

__all__ = [
    "LEVELS",
    "compare",
    "funnel_limits",
    "funnel_spread",
    "overdispersion",
    "poisson_interval",
    "wilson_interval",
    "z_value",
]

#: Levels PHE publishes at; any level strictly between 0 and 1 is accepted.
LEVELS = (0.95, 0.998)
#: Below this many events a rate takes the exact Poisson interval; from it, Byar's.
EXACT_BELOW = 10


def _scipy_stats() -> Any:
    from peelmetrics._extras import need

    return need("scipy.stats", "confidence intervals", "stats")


def z_value(level: float) -> float:
    """The normal quantile for a two-sided ``level`` (1.96 for 0.95).

    >>> round(z_value(0.95), 4), round(z_value(0.998), 4)
    (1.96, 3.0902)
    """
    from statistics import NormalDist

    level = expect_level(level, "level")
    return NormalDist().inv_cdf(1 - (1 - level) / 2)


def funnel_spread(centre: float, sizes: Any, *, share: bool, per: float = 100.0) -> np.ndarray:
    """One standard error at ``centre`` for a unit of each size (a funnel's width at 1 z):
    the normal approximation to the Poisson count of a rate per ``per``,
    ``sqrt(r per / n)``, or to the binomial count of a share in percent,
    ``100 sqrt(p (1 - p) / n)`` with ``r = 100 p`` (Spiegelhalter, *Statistics in Medicine*
    24, 2005; at police force sizes, thousands of events, close to exact limits).

    >>> round(float(funnel_spread(10.0, 10_000, share=True)[0]), 3)
    0.3
    """
    n = np.atleast_1d(np.asarray(sizes, dtype=float))
    if share:
        p = centre / 100
        return np.asarray(100 * np.sqrt(p * (1 - p) / n))
    return np.asarray(np.sqrt(centre * per / n))


def overdispersion(
    values: Any,
    sizes: Any,
    centre: float,
    *,
    share: bool,
    per: float = 100.0,
    trim: float = 0.1,
) -> float:
    """The multiplicative over-dispersion factor ``phi``: the mean squared z-score of the
    units about ``centre`` after winsorising ``trim`` at each end, never below 1
    (Spiegelhalter 2005). Police counts are large, so plain limits are narrow and flag
    most forces; limits widened by ``sqrt(phi)`` flag only what the spread between forces
    does not explain.

    >>> overdispersion([10.0, 10.0], [100, 100], 10.0, share=True)
    1.0
    """  # fmt: skip
    y = np.asarray(values, dtype=float)
    z = np.sort((y - centre) / funnel_spread(centre, sizes, share=share, per=per))
    cut = int(len(z) * trim)
    if len(z) > 2 * cut:
        z = np.clip(z, z[cut], z[len(z) - 1 - cut])
    return max(1.0, float(np.mean(z**2))) if len(z) else 1.0


def funnel_limits(
    centre: float,
    sizes: Any,
    level: float,
    *,
    share: bool,
    per: float = 100.0,
    phi: float = 1.0,
) -> tuple[np.ndarray, np.ndarray]:
    """Lower and upper control limits at ``level`` for units of each size: ``centre ± z
    sqrt(phi) spread`` (a share's lower limit never below 0).

    >>> low, high = funnel_limits(10.0, [10_000], 0.95, share=True)
    >>> round(float(low[0]), 2), round(float(high[0]), 2)
    (9.41, 10.59)
    """  # fmt: skip
    width = z_value(level) * funnel_spread(centre, sizes, share=share, per=per) * np.sqrt(phi)
    return np.maximum(centre - width, 0.0), centre + width


def wilson_interval(
    events: pd.Series[float], total: pd.Series[float], level: float = 0.95
) -> tuple[pd.Series[float], pd.Series[float]]:
    """Wilson score interval of the proportion ``events / total`` [proportion, 0 to 1].

    NaN where ``total`` is not positive or ``events`` exceeds it (not a proportion).

    >>> lower, upper = wilson_interval(pd.Series([68.0]), pd.Series([9658.0]))
    >>> round(float(lower[0]) * 100, 3), round(float(upper[0]) * 100, 3)
    (0.556, 0.892)
    """
    z = z_value(level)
    k, n = events.astype("float64"), total.astype("float64")
    valid = (n > 0) & (k >= 0) & (k <= n)
    n_safe = n.where(valid)
    p = k / n_safe
    centre = 2 * n_safe * p + z * z
    spread = z * np.sqrt(z * z + 4 * n_safe * p * (1 - p))
    denominator = 2 * (n_safe + z * z)
    return (centre - spread) / denominator, (centre + spread) / denominator


def poisson_interval(
    events: pd.Series[float], level: float = 0.95
) -> tuple[pd.Series[float], pd.Series[float], pd.Series[str]]:
    """Interval of a Poisson count [events]: exact below 10 events, Byar's from 10.

    Returns the lower and upper counts and the method used per row.

    >>> lower, upper, method = poisson_interval(pd.Series([0.0, 1.0, 10.0]))
    >>> [round(float(x), 4) for x in upper], list(method)
    ([3.6889, 5.5716, 18.3915], ['exact Poisson', 'exact Poisson', "Byar's method"])
    """
    stats = _scipy_stats()
    z = z_value(level)
    alpha = 1 - level
    k = events.astype("float64")
    exact = k < EXACT_BELOW
    low_exact = pd.Series(stats.chi2.ppf(alpha / 2, 2 * k) / 2, index=k.index).where(k > 0, 0.0)
    up_exact = pd.Series(stats.chi2.ppf(1 - alpha / 2, 2 * k + 2) / 2, index=k.index)
    k_pos = k.where(k > 0)
    low_byar = k_pos * (1 - 1 / (9 * k_pos) - z / (3 * np.sqrt(k_pos))) ** 3
    up_byar = (k + 1) * (1 - 1 / (9 * (k + 1)) + z / (3 * np.sqrt(k + 1))) ** 3
    lower = low_exact.where(exact, low_byar).where(k >= 0)
    upper = up_exact.where(exact, up_byar).where(k >= 0)
    method: pd.Series[str] = pd.Series(
        np.where(exact, "exact Poisson", "Byar's method"), index=k.index, dtype=object
    )
    low: pd.Series[float] = lower.astype("float64")
    up: pd.Series[float] = upper.astype("float64")
    return low, up, method


def compare(
    lower: pd.Series[float], upper: pd.Series[float], national: pd.Series[float]
) -> pd.Series[str]:
    """ "higher", "lower" or "similar" against the England and Wales value; "" where either
    side is missing (the caller says why).

    >>> compare(pd.Series([1.0, 5.0, 0.0]), pd.Series([2.0, 6.0, 9.0]), pd.Series([3.0] * 3))
    0     lower
    1    higher
    2   similar
    dtype: object
    """
    out = pd.Series("", index=lower.index, dtype=object)
    known = lower.notna() & upper.notna() & national.notna()
    out[known & (lower > national)] = "higher"
    out[known & (upper < national)] = "lower"
    out[known & (lower <= national) & (upper >= national)] = "similar"
    return out
