"""A small, obviously-correct compute engine: the specification the columnar engine is
checked against (tests/test_compute_reference.py).

One force, one period, one metric at a time, with plain dicts and scalar arithmetic. It is
slow on purpose: every rule is written the way the report states it, so that a difference
from :func:`peelmetrics.compute` is a bug in the fast engine (or a rule to discuss).
"""

from __future__ import annotations

import math
from datetime import date
from typing import Any

import pandas as pd

from peelmetrics.catalogue import Edition
from peelmetrics.caveats import ALL_METRICS, CaveatKind, DataCaveat, Status, worst_status
from peelmetrics.denominators import DenominatorChoice, DenominatorRule
from peelmetrics.forces import ENGLAND_AND_WALES_CODE, all_forces
from peelmetrics.metrics import Metric, MetricKind
from peelmetrics.periods import Period

Key = tuple[str, Period, str]


def reference_compute(
    counts: pd.DataFrame, metric_ids: list[str], edition: Edition, national: str = "complete"
) -> list[dict[str, Any]]:
    values: dict[Key, float] = {}
    sources: dict[Key, str] = {}
    for row in counts.itertuples(index=False):
        key = (row.force, Period(row.period_end.date(), int(row.period_months)), row.measure)
        values[key] = float(row.value)
        sources[key] = row.source
    rows: list[dict[str, Any]] = []
    for metric in (edition.metric(m) for m in metric_ids):
        for period in _periods(metric, values):
            rows.extend(_metric_rows(metric, period, values, sources, edition, national))
    return rows


def _periods(metric: Metric, values: dict[Key, float]) -> list[Period]:
    found = {
        p for (_f, p, m) in values if m in metric.numerator and p.months == metric.period.months
    }
    return sorted(found | {metric.period})


def _numerator(
    metric: Metric, force: str, period: Period, values: dict[Key, float]
) -> tuple[float, list[Key]]:
    known = {m for (_f, p, m) in values if p == period}
    keys = [(force, period, m) for m in metric.numerator]
    parts = [values.get(k) for k in keys]
    read = [k for k in keys if k in values]  # a row names the source of every count it read
    if all(p is None for p in parts):
        return math.nan, read
    if any(p is None and k[2] not in known for p, k in zip(parts, keys, strict=True)):
        return math.nan, read
    return sum(p for p in parts if p is not None), read


def _choose(rule: DenominatorRule, period: Period, dates: list[date]) -> tuple[date | None, bool]:
    preferred = rule.preferred(period)
    if preferred is not None and preferred in dates:
        return preferred, False
    target = rule.target(period)
    before = [d for d in dates if d <= target]
    after = [d for d in dates if d >= target]
    if rule.otherwise is DenominatorChoice.NEAREST_TO_MIDPOINT:
        candidates = ([max(before)] if before else []) + ([min(after)] if after else [])
        pick = min(candidates, key=lambda d: (abs((d - target).days), d)) if candidates else None
    else:
        pick = max(before) if before else (min(after) if after else None)
    if pick is None:
        return None, False
    gap = abs((pick.year * 12 + pick.month) - (target.year * 12 + target.month))
    return pick, gap > rule.tolerance_months or preferred is not None


def _denominator(
    metric: Metric, force: str, period: Period, values: dict[Key, float]
) -> tuple[float, Period | None, bool, list[Key]]:
    if metric.kind is MetricKind.CHANGE:
        previous = metric.base_for(period)
        den, keys = _numerator(metric, force, previous, values)
        return den, previous, False, keys
    assert metric.denominator is not None
    estimated = False
    if metric.denominator_rule is None:
        at: Period | None = period
    else:
        dates = [
            p.end
            for (f, p, m) in values
            if f == force and m == metric.denominator and p.months == 0
        ]
        chosen, estimated = _choose(metric.denominator_rule, period, dates)
        at = Period.as_at(chosen) if chosen else None
    if at is None:
        return math.nan, None, False, []
    main = (force, at, metric.denominator)
    extras = [(force, at, m) for m in metric.denominator_plus if (force, at, m) in values]
    read = [k for k in (main, *extras) if k in values]
    if main not in values:
        return math.nan, at, estimated, read
    return values[main] + sum(values[k] for k in extras), at, estimated, read


def _applies(
    caveat: DataCaveat,
    metric: Metric,
    period: Period,
    force: str,
    missing: set[str],
    estimated: bool,
    den_at: Period | None = None,
) -> bool:
    periods = [period, metric.base_for(period)] if metric.kind is MetricKind.CHANGE else [period]
    if not any(caveat.applies_to(metric.id, p, force) for p in periods):
        return False
    if caveat.applies_if_missing is not None and caveat.applies_if_missing not in missing:
        return False
    at = caveat.applies_if_denominator_at
    if at is not None and (den_at is None or den_at.end != at.end):
        return False
    return not caveat.applies_if_denominator_estimated or estimated


def _metric_rows(
    metric: Metric,
    period: Period,
    values: dict[Key, float],
    sources: dict[Key, str],
    edition: Edition,
    national: str,
) -> list[dict[str, Any]]:
    with_data = {
        f for (f, p, m) in values if m in metric.numerator and p.months == metric.period.months
    }
    forces = [f for f in all_forces() if f.geographic or f.code in with_data]
    entries: dict[str, dict[str, Any]] = {}
    for force in all_forces():
        num, num_keys = _numerator(metric, force.code, period, values)
        den, den_at, estimated, den_keys = _denominator(metric, force.code, period, values)
        missing = set()
        for caveat in edition.caveats:
            m = caveat.applies_if_missing
            if m and (den_at is None or (force.code, den_at, m) not in values):
                missing.add(m)
        applied = [
            c for c in edition.caveats
            if (ALL_METRICS in c.metrics or metric.id in c.metrics)
            and _applies(c, metric, period, force.code, missing, estimated, den_at)
        ]  # fmt: skip
        entries[force.code] = {
            "force": force, "num": num, "den": den, "den_at": den_at, "estimated": estimated,
            "caveats": applied, "keys": num_keys + den_keys, "unit": force.code,
        }  # fmt: skip
    for caveat in edition.caveats:
        if caveat.kind is not CaveatKind.COMBINED_WITH or not caveat.applies_to(metric.id, period):
            continue
        members = [entries[c] for c in caveat.forces]
        given = {m["num"] for m in members if not math.isnan(m["num"])}
        assert len(given) <= 1, "the engine raises for clashing combined counts"
        num = given.pop() if given else math.nan
        den = sum(m["den"] for m in members)
        for member in members:
            member.update(num=num, den=den, unit=caveat.id)
    for entry in entries.values():
        entry["value"] = _value(metric, entry["num"], entry["den"])
        entry["status"] = _status(entry)
    rows = [_force_row(metric, period, entries[f.code], sources) for f in forces]
    rows.append(_national_row(metric, period, forces, entries, sources, edition, national))
    return rows


def _value(metric: Metric, num: float, den: float) -> float:
    if math.isnan(num) or math.isnan(den) or den == 0:
        return math.nan
    if metric.kind is MetricKind.CHANGE:
        return (num / den - 1.0) * 100.0
    return num / den * metric.scale.factor


def _status(entry: dict[str, Any]) -> Status:
    statuses = [c.status for c in entry["caveats"]]
    if entry["estimated"]:
        statuses.append(Status.ESTIMATED)
    if math.isnan(entry["value"]):
        statuses.append(Status.NOT_SUPPLIED)
    elif Status.NOT_SUPPLIED in statuses:
        statuses = [s for s in statuses if s is not Status.NOT_SUPPLIED] + [Status.EXCLUDED]
    return worst_status(statuses)


def _sources(keys: list[Key], sources: dict[Key, str]) -> str:
    return "; ".join(sorted({sources[k] for k in keys}))


def _den_months(metric: Metric) -> int:
    return 0 if metric.denominator_rule is not None else metric.period.months


def _force_row(
    metric: Metric, period: Period, entry: dict[str, Any], sources: dict[Key, str]
) -> dict[str, Any]:
    status: Status = entry["status"]
    den_at = entry["den_at"]
    return {
        "force": entry["force"].code,
        "metric": metric.id,
        "period_end": period.end,
        "period_months": period.months,
        "value": entry["value"],
        "display": metric.display(
            math.nan
            if status.shows_dash or any(c.hides_value for c in entry["caveats"])
            else entry["value"]
        ),
        "numerator": entry["num"],
        "denominator": entry["den"],
        "denominator_period": None if den_at is None else den_at.end,
        "denominator_months": _den_months(metric),
        "status": status.value,
        "caveats": tuple(c.id for c in entry["caveats"]),
        "excluded": None,
        "source": _sources(entry["keys"], sources),
    }


def _national_row(
    metric: Metric,
    period: Period,
    forces: list[Any],
    entries: dict[str, dict[str, Any]],
    sources: dict[Key, str],
    edition: Edition,
    national: str,
) -> dict[str, Any]:
    excluded: list[dict[str, str]] = []
    units: dict[str, tuple[float, float]] = {}
    ids: set[str] = set()
    keys: list[Key] = []
    dates: set[date] = set()
    missing = estimated = False
    order = [f for f in all_forces() if f not in forces] + forces
    for force in order:
        entry = entries[force.code]
        excluding = [c for c in entry["caveats"] if c.excluded_from_national]
        if excluding or not force.geographic:
            ids.update(c.id for c in excluding)
            reason = "; ".join(c.id for c in excluding) or "not a geographic force"
            excluded.append({"force": force.code, "reason": reason})
            continue
        if entry["status"].shows_dash or math.isnan(entry["num"]) or math.isnan(entry["den"]):
            excluded.append({"force": force.code, "reason": "no data supplied"})
            missing = True
            continue
        ids.update(c.id for c in entry["caveats"])
        keys.extend(entry["keys"])
        dates.add(entry["den_at"].end)
        estimated = estimated or entry["estimated"]
        units.setdefault(entry["unit"], (entry["num"], entry["den"]))
    num = math.fsum(n for n, _ in units.values())
    den = math.fsum(d for _, d in units.values())
    value = _value(metric, num, den) if units else math.nan
    status = Status.PARTIAL if missing else Status.OK
    if estimated:
        status = worst_status([status, Status.ESTIMATED])
    if not units or (missing and national == "complete"):
        status, value, num, den = Status.NOT_SUPPLIED, math.nan, math.nan, math.nan
    return {
        "force": ENGLAND_AND_WALES_CODE,
        "metric": metric.id,
        "period_end": period.end,
        "period_months": period.months,
        "value": value,
        "display": metric.display(value),
        "numerator": num,
        "denominator": den,
        "denominator_period": dates.pop() if len(dates) == 1 else None,
        "denominator_months": _den_months(metric),
        "status": status.value,
        "caveats": tuple(c.id for c in edition.caveats if c.id in ids),
        "excluded": tuple(excluded),
        "source": _sources(keys, sources),
    }
