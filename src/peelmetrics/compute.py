"""Counts in, Results out: every metric for every force, and England and Wales.

England and Wales (``K04000001``) is a ratio of sums over the forces the edition's caveats
let in, never a mean of rates (Annex A, "Data in the report"), and each England and Wales
row lists the forces it left out and why. Nothing is a silent NaN: a missing input gives
status ``not_supplied``, an Annex A exclusion ``not_comparable`` or ``excluded``, partial
data ``partial``.

Results columns
---------------
``force``, ``force_name``, ``metric``, ``period_end``, ``period_months``, ``value``
(unrounded), ``display`` (as the report prints it), ``unit``, ``numerator``,
``denominator``, ``status``, ``caveats`` (tuple of caveat ids) and ``excluded`` (England
and Wales rows: tuple of ``{"force", "reason"}`` dicts; ``None`` on force rows).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any, Literal

import pandas as pd

from peelmetrics import calc
from peelmetrics.caveats import CaveatKind, DataCaveat, Status, worst_status
from peelmetrics.counts import validate_counts
from peelmetrics.errors import IncomparableError, InvalidValueError
from peelmetrics.forces import ENGLAND_AND_WALES_CODE, Force, all_forces, resolve_force
from peelmetrics.metrics import Metric, MetricKind
from peelmetrics.periods import Period

if TYPE_CHECKING:  # pragma: no cover
    from peelmetrics.catalogue import Edition

__all__ = ["RESULT_COLUMNS", "check_comparable", "compute"]

RESULT_COLUMNS = (
    "force",
    "force_name",
    "metric",
    "period_end",
    "period_months",
    "value",
    "display",
    "unit",
    "numerator",
    "denominator",
    "status",
    "caveats",
    "excluded",
)

_Key = tuple[str, Period, str]
_NO_DATA = "no data supplied"


def compute(
    counts: pd.DataFrame,
    metrics: Iterable[str] | None = None,
    edition: Edition | None = None,
    *,
    national: Literal["complete", "available"] = "complete",
) -> pd.DataFrame:
    """Compute ``metrics`` (default: all of the edition's) from ``counts``.

    Every metric gets a row per geographic force (and British Transport Police where it has
    data) for each period its numerator is counted in, plus the report's headline period,
    and an England and Wales row per period.

    Parameters
    ----------
    counts
        A Counts frame (see :mod:`peelmetrics.counts`); validated here.
    metrics
        Metric ids to compute; unknown ids raise UnknownMetricError.
    edition
        Catalogue edition (default: PEEL 2017).
    national
        ``"complete"`` (default): an England and Wales value only when every force the
        caveats do not exclude has data; otherwise NaN with status ``not_supplied``, so a
        handful of forces never masquerades as the national figure. ``"available"``: the
        ratio of sums over the forces that have data, with status ``partial``.

    Examples
    --------
    >>> from peelmetrics.counts import make_counts
    >>> counts = make_counts([
    ...     ("Hertfordshire", "2017-06-30", 12, "dvpos_granted", 68, "report"),
    ...     ("Hertfordshire", "2017-06-30", 12, "domestic_abuse_offences", 9658, "report"),
    ... ])
    >>> results = compute(counts, ["dvpo_rate"])
    >>> herts = results[results.force == "E23000027"].iloc[0]
    >>> float(round(herts.value, 3)), herts.display, herts.status
    (0.704, '0.7', 'ok')
    >>> results[results.force == "K04000001"].iloc[0].status
    'not_supplied'
    """
    if national not in ("complete", "available"):
        raise InvalidValueError(f"national must be 'complete' or 'available', not {national!r}")
    if edition is None:
        from peelmetrics.catalogue.peel2017 import edition as default_edition

        edition = default_edition()
    chosen = list(edition.metrics) if metrics is None else [edition.metric(m) for m in metrics]
    frame = validate_counts(counts, edition=edition)
    values = _index(frame)
    rows: list[dict[str, Any]] = []
    for metric in chosen:
        for period in _periods(metric, values):
            rows.extend(_metric_rows(metric, period, values, edition, national))
    result = pd.DataFrame(rows, columns=list(RESULT_COLUMNS))
    result["period_end"] = pd.to_datetime(result["period_end"]).astype("datetime64[ns]")
    for column in ("value", "numerator", "denominator"):
        result[column] = result[column].astype("float64")
    result["period_months"] = result["period_months"].astype("int64")
    return result


def _index(frame: pd.DataFrame) -> dict[_Key, float]:
    return {
        (force, Period(end.date(), int(months)), measure): float(value)
        for force, end, months, measure, value in zip(
            frame["force"],
            frame["period_end"],
            frame["period_months"],
            frame["measure"],
            frame["value"],
            strict=True,
        )
    }


def _periods(metric: Metric, values: Mapping[_Key, float]) -> list[Period]:
    found = {
        period
        for (_force, period, measure) in values
        if measure in metric.numerator and period.months == metric.period.months
    }
    found.add(metric.period)
    return sorted(found)


def _present(values: Mapping[_Key, float], period: Period) -> set[str]:
    return {measure for (_f, p, measure) in values if p == period}


def _numerator(
    metric: Metric, force: str, period: Period, values: Mapping[_Key, float], known: set[str]
) -> float:
    """Sum of the numerator measures. A measure the source omits for this force counts as
    zero only when it is counted for some force in the period (long tables leave out zero
    rows); if no numerator measure is present for the force, the value is missing."""
    parts = [values.get((force, period, m)) for m in metric.numerator]
    if all(p is None for p in parts):
        return math.nan
    if any(p is None and m not in known for p, m in zip(parts, metric.numerator, strict=True)):
        return math.nan
    return float(sum(p for p in parts if p is not None))


def _metric_rows(
    metric: Metric,
    period: Period,
    values: Mapping[_Key, float],
    edition: Edition,
    national: str,
) -> list[dict[str, Any]]:
    known = _present(values, period)
    previous = period.previous()
    known_previous = _present(values, previous)
    den_period = metric.denominator_period or period
    forces = [
        f
        for f in all_forces()
        if f.geographic or any(k[0] == f.code and k[2] in metric.numerator for k in values)
    ]
    per_force: dict[str, dict[str, Any]] = {}
    for force in forces:
        num = _numerator(metric, force.code, period, values, known)
        applied = _caveats(edition, metric, period, force.code, values, den_period)
        if metric.kind is MetricKind.CHANGE:
            den = _numerator(metric, force.code, previous, values, known_previous)
            value = calc.percent_change(num, den)
        else:
            assert metric.denominator is not None
            den = values.get((force.code, den_period, metric.denominator), math.nan)
            if metric.denominator == "population":
                den += values.get((force.code, den_period, "transient_population"), 0.0)
            value = calc.rate(num, den, per=metric.scale.factor)
        per_force[force.code] = {"num": num, "den": den, "value": value, "caveats": applied}
    _apply_combined(metric, per_force, edition, period)
    for entry in per_force.values():
        entry["status"] = _force_status(entry)
    rows = [_force_row(metric, period, force, per_force[force.code]) for force in forces]
    rows.append(_national_row(metric, period, forces, per_force, edition, national))
    return rows


def _caveats(
    edition: Edition,
    metric: Metric,
    period: Period,
    force: str,
    values: Mapping[_Key, float],
    den_period: Period,
) -> list[DataCaveat]:
    periods = [period, period.previous()] if metric.kind is MetricKind.CHANGE else [period]
    applied = []
    for caveat in edition.caveats:
        if not any(caveat.applies_to(metric.id, p, force) for p in periods):
            continue
        missing = caveat.applies_if_missing
        if missing is not None and (force, den_period, missing) in values:
            continue
        applied.append(caveat)
    return applied


def _apply_combined(
    metric: Metric, per_force: dict[str, dict[str, Any]], edition: Edition, period: Period
) -> None:
    """Annex A, "Rate of organised crime groups": where forces reported one combined
    count, every member gets the combined count over the members' combined denominator."""
    for caveat in edition.caveats:
        if caveat.kind is not CaveatKind.COMBINED_WITH or not caveat.applies_to(metric.id, period):
            continue
        members = [per_force[c] for c in caveat.forces if c in per_force]
        given = {m["num"] for m in members if not math.isnan(m["num"])}
        if len(given) > 1:
            raise InvalidValueError(
                f"{caveat.id}: the forces reported one combined count, but different counts "
                f"were supplied ({sorted(given)}); give the combined count once or identically"
            )
        num = given.pop() if given else math.nan
        den = math.fsum(m["den"] for m in members)
        for member in members:
            member.update(num=num, den=den, value=calc.rate(num, den, per=metric.scale.factor))
            member["group"] = caveat.id


def _force_status(entry: Mapping[str, Any]) -> Status:
    statuses = [c.status for c in entry["caveats"]]
    if math.isnan(entry["value"]):
        statuses.append(Status.NOT_SUPPLIED)
    elif Status.NOT_SUPPLIED in statuses:
        # The report had no data here; a value supplied now is shown but kept out.
        statuses = [s for s in statuses if s is not Status.NOT_SUPPLIED] + [Status.EXCLUDED]
    return worst_status(statuses)


def _force_row(
    metric: Metric, period: Period, force: Force, entry: Mapping[str, Any]
) -> dict[str, Any]:
    status: Status = entry["status"]
    # The report prints a dash for these; the unrounded value stays in ``value``.
    display = metric.display(math.nan if status.shows_dash else entry["value"])
    return {
        "force": force.code,
        "force_name": force.short_name,
        "metric": metric.id,
        "period_end": period.end,
        "period_months": period.months,
        "value": entry["value"],
        "display": display,
        "unit": metric.unit,
        "numerator": entry["num"],
        "denominator": entry["den"],
        "status": status.value,
        "caveats": tuple(c.id for c in entry["caveats"]),
        "excluded": None,
    }


def _national_row(
    metric: Metric,
    period: Period,
    forces: list[Force],
    per_force: Mapping[str, Mapping[str, Any]],
    edition: Edition,
    national: str,
) -> dict[str, Any]:
    excluded: list[dict[str, str]] = []
    units: dict[str, tuple[float, float]] = {}
    caveat_ids: dict[str, None] = {}
    missing_without_reason = False
    btp_caveats = _caveats(edition, metric, period, "BTP", {}, period)
    for force in [f for f in all_forces() if f not in forces] + forces:
        entry = per_force.get(force.code)
        applied = entry["caveats"] if entry else btp_caveats
        excluding = [c for c in applied if c.excluded_from_national]
        if excluding:
            caveat_ids.update(dict.fromkeys(c.id for c in excluding))
            reason = "; ".join(c.id for c in excluding)
            excluded.append({"force": force.code, "reason": reason})
            continue
        assert entry is not None  # only BTP lacks an entry, and BTP is always excluded
        if entry["status"].shows_dash or math.isnan(entry["num"]) or math.isnan(entry["den"]):
            excluded.append({"force": force.code, "reason": _NO_DATA})
            missing_without_reason = True
            continue
        caveat_ids.update(dict.fromkeys(c.id for c in applied))
        units.setdefault(entry.get("group", force.code), (entry["num"], entry["den"]))
    num = math.fsum(n for n, _d in units.values())
    den = math.fsum(d for _n, d in units.values())
    if metric.kind is MetricKind.CHANGE:
        value = calc.percent_change(num, den) if units else math.nan
    else:
        value = calc.rate(num, den, per=metric.scale.factor) if units else math.nan
    status = Status.OK
    if not units or (missing_without_reason and national == "complete"):
        status, value, num, den = Status.NOT_SUPPLIED, math.nan, math.nan, math.nan
    elif missing_without_reason:
        status = Status.PARTIAL
    return {
        "force": ENGLAND_AND_WALES_CODE,
        "force_name": "England and Wales",
        "metric": metric.id,
        "period_end": period.end,
        "period_months": period.months,
        "value": value,
        "display": metric.display(value),
        "unit": metric.unit,
        "numerator": num,
        "denominator": den,
        "status": status.value,
        "caveats": tuple(c.id for c in edition.caveats if c.id in caveat_ids),
        "excluded": tuple(excluded),
    }


def check_comparable(
    left: Metric,
    right: Metric,
    left_period: Period | None = None,
    right_period: Period | None = None,
    *,
    allow_different_periods: bool = False,
) -> None:
    """Raise :class:`IncomparableError` unless two metrics' values may be compared.

    Values are comparable when they measure the same thing (same unit dimension), on the
    same outcome basis (Annex A: "Direct comparisons should not be made between general
    crime outcomes and domestic abuse-related outcomes"), for the same period. A
    year-on-year comparison passes ``allow_different_periods=True``; windows of different
    lengths are never comparable.

    >>> from peelmetrics.catalogue.peel2017 import edition
    >>> ed = edition()
    >>> check_comparable(ed.metric("dvpo_rate"), ed.metric("domestic_abuse_arrest_rate"))
    Traceback (most recent call last):
    ...
    peelmetrics.errors.IncomparableError: dvpo_rate is in 'order / (hundred * offence)' but ...
    """
    import pint

    from peelmetrics.units import check_same_dimension

    try:
        check_same_dimension(left.unit, right.unit)
    except pint.DimensionalityError:
        raise IncomparableError(
            f"{left.id} is in {left.unit!r} but {right.id} is in {right.unit!r}"
        ) from None
    if left.basis != right.basis:
        raise IncomparableError(
            f"{left.id} is on the {_basis(left)} outcome basis but {right.id} is on the "
            f"{_basis(right)} basis; Annex A: direct comparisons should not be made between "
            "tracked and untracked outcomes"
        )
    lp, rp = left_period or left.period, right_period or right.period
    if lp.months != rp.months or (lp != rp and not allow_different_periods):
        raise IncomparableError(f"{left.id} covers {lp} but {right.id} covers {rp}")


def _basis(metric: Metric) -> str:
    return metric.basis.value if metric.basis else "no"


def resolve_forces(names: Iterable[str]) -> list[str]:
    """ONS codes for force names (England and Wales accepted as ``K04000001``)."""
    codes = []
    for name in names:
        folded = name.strip().casefold()
        if folded in {"k04000001", "england and wales", "england & wales"}:
            codes.append(ENGLAND_AND_WALES_CODE)
        else:
            codes.append(resolve_force(name).code)
    return codes
