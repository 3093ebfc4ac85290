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

__all__ = ["LEVELS", "compare", "poisson_interval", "wilson_interval", "z_value"]

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
    level = expect_level(level, "level")
    return float(_scipy_stats().norm.ppf(1 - (1 - level) / 2))


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
