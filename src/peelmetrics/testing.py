"""What a downstream test suite needs to check figures against the report: the helpers the
project's own tests use.

- :func:`assert_agrees`: a computed value prints as the published figure, at the figure's
  own precision ("0.7", "12%", "-8.8%"), rounding half away from zero as the report does.
- :func:`counts_for`: Counts for one force and period in one line.
- :func:`assert_results_equal`: two results frames hold the same figures, row order aside,
  with the differing rows named.

A test file a user can copy (``test_my_force.py``)::

    import peelmetrics as pm
    from peelmetrics.testing import assert_agrees, counts_for

    def test_dvpo_rate_matches_the_report():
        # "Hertfordshire had 68 DVPOs granted ... a rate of 0.7 per 100" (9,658 offences)
        counts = counts_for("Hertfordshire", "2017-06-30",
                            dvpos_granted=68, domestic_abuse_offences=9658)
        results = pm.compute(counts, ["dvpo_rate"])
        herts = results[results.force == "E23000027"].value.iloc[0]
        assert_agrees(herts, "0.7", what="Hertfordshire DVPOs per 100 offences")

The same, run here:

>>> import peelmetrics as pm
>>> counts = counts_for("Hertfordshire", "2017-06-30", dvpos_granted=68,
...                     domestic_abuse_offences=9658)
>>> results = pm.compute(counts, ["dvpo_rate"])
>>> assert_agrees(results[results.force == "E23000027"].value.iloc[0], "0.7")
>>> assert_agrees(0.75, "0.7", what="a rate")
Traceback (most recent call last):
...
AssertionError: a rate: computed 0.75 prints as 0.8 at the published precision, not 0.7
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import pandas as pd

from peelmetrics.calc import agrees_with_published, published_precision, round_half_away
from peelmetrics.errors import InvalidValueError, shorten

if TYPE_CHECKING:  # pragma: no cover
    from peelmetrics.catalogue import Edition

__all__ = ["assert_agrees", "assert_results_equal", "counts_for"]

#: The columns that identify one figure in results.
_KEYS = ["force", "metric", "period_end", "period_months"]


def assert_agrees(value: float, published: str, *, what: str = "value") -> None:
    """Assert that ``value`` prints as ``published`` at the published figure's precision.

    Raises
    ------
    AssertionError
        Naming ``what``, the computed value, how it prints and the published figure.
    """
    if not isinstance(published, str):
        raise InvalidValueError(f"published: the figure as printed, e.g. '0.7' or '12%', not "
                                f"{shorten(published)}")  # fmt: skip
    if agrees_with_published(value, published):
        return
    places = published_precision(published)
    shown = (
        "nothing (NaN)" if pd.isna(value) else f"{round_half_away(float(value), places):.{places}f}"
    )
    raise AssertionError(
        f"{what}: computed {value!r} prints as {shown} at the published precision, not {published}"
    )


def counts_for(
    force: str,
    period_end: str,
    *,
    months: int = 12,
    source: str = "test",
    edition: Edition | str | None = None,
    **values: float,
) -> pd.DataFrame:
    """Counts for one force and one period, one keyword per measure (populations and other
    as-at measures take ``period_months`` 0 whatever ``months`` says).

    >>> counts_for("Kent", "2017-06-30", dvpos_granted=12)[["force", "measure", "value"]]
           force        measure  value
    0  E23000032  dvpos_granted   12.0
    """
    from peelmetrics.catalogue import get
    from peelmetrics.counts import make_counts

    if not values:
        raise InvalidValueError("counts_for needs at least one measure=value")
    ed = get(edition)
    known = {m.id: m for m in ed.measures}
    rows = [
        (force, period_end, 0 if id_ in known and known[id_].default_months == 0 else months,
         id_, value, source)
        for id_, value in values.items()
    ]  # fmt: skip
    return make_counts(rows, edition=ed)


def assert_results_equal(
    left: pd.DataFrame,
    right: pd.DataFrame,
    *,
    columns: tuple[str, ...] = ("value", "display", "status"),
    rtol: float = 1e-9,
) -> None:
    """Assert two results frames (from :func:`peelmetrics.compute`) hold the same figures
    for the same keys, whatever their row order: ``columns`` compared, numbers to ``rtol``.

    >>> import peelmetrics as pm
    >>> a = pm.compute(counts_for("Kent", "2017-06-30", dvpos_granted=12,
    ...                           domestic_abuse_offences=1000), ["dvpo_rate"])
    >>> assert_results_equal(a, a.iloc[::-1])
    """
    for name, frame in (("left", left), ("right", right)):
        missing = [c for c in (*_KEYS, *columns) if c not in getattr(frame, "columns", ())]
        if not isinstance(frame, pd.DataFrame) or missing:
            raise InvalidValueError(f"{name}: a results frame with columns "
                                    f"{', '.join((*_KEYS, *columns))}")  # fmt: skip
    merged = left[[*_KEYS, *columns]].merge(
        right[[*_KEYS, *columns]], on=_KEYS, how="outer", suffixes=("_left", "_right"),
        indicator=True,
    )  # fmt: skip
    problems: list[str] = []
    one_side = merged[merged["_merge"] != "both"]
    for row in one_side.head(10).to_dict("records"):
        side = "left" if row["_merge"] == "left_only" else "right"
        problems.append(f"only in {side}: {_key(row)}")
    both = merged[merged["_merge"] == "both"]
    for column in columns:
        a, b = both[f"{column}_left"], both[f"{column}_right"]
        if pd.api.types.is_numeric_dtype(a) and pd.api.types.is_numeric_dtype(b):
            same = (a.isna() & b.isna()) | ((a - b).abs() <= rtol * b.abs().clip(lower=1.0))
        else:
            same = (a.isna() & b.isna()) | (a.astype(object) == b.astype(object))
        for row in both[~same.to_numpy()].head(10).to_dict("records"):
            problems.append(f"{column} differs at {_key(row)}: {row[f'{column}_left']!r} "
                            f"against {row[f'{column}_right']!r}")  # fmt: skip
    if problems:
        raise AssertionError("results differ:\n  " + "\n  ".join(problems))


def _key(row: Mapping[Any, Any]) -> str:
    return (f"{row['force']} {row['metric']} {pd.Timestamp(row['period_end']).date()} "
            f"({row['period_months']} months)")  # fmt: skip
