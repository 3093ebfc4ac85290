"""Benchmark of ``compute`` against a hand-written pandas floor, run on demand.

    python benchmarks/compute_engine.py [--quick]

Three measurements, each printed with the floor beside it (same data, same run):

1. 44 forces x every metric x 60 quarterly 12-month windows (about 150,000 counts):
   target 0.5 s for ``compute``.
2. Cost against the number of counts, 10,000 to 1,000,000: the curve should be linear
   (time per 1,000 counts roughly flat).
3. The ratio to the floor: a plain pandas pivot / group-by computing the same rates and the
   same England and Wales ratios of sums, without statuses, caveats, display strings or
   sources. Target: within 2x.

Times are the best of several runs; absolute times on a shared machine mean little, the
ratio and the shape of the curve are what to read.
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd

import peelmetrics as pm
from peelmetrics.periods import Period


def _synthetic_counts(n_periods: int, seed: int = 0) -> pd.DataFrame:
    """Every measure of every metric, for every force, at ``n_periods`` quarterly ends;
    mid-year populations for each year the windows touch."""
    edition = pm.edition()
    rng = np.random.default_rng(seed)
    codes = [f.code for f in pm.all_forces()]
    measures = sorted(m.id for m in edition.measures)  # read by a metric or not
    windowed = [m for m in measures if edition.measure(m).default_months == 12]
    as_at = [m for m in measures if edition.measure(m).default_months == 0]
    ends = [Period.year_to(2017, 6).shifted(-3 * i).end for i in range(n_periods)]
    years = sorted({e.year - 1 for e in ends} | {e.year for e in ends})
    snap = [pd.Timestamp(f"{y}-06-30") for y in years] + [pd.Timestamp("2017-07-01")]
    parts = [
        pd.MultiIndex.from_product([codes, pd.to_datetime(ends), windowed]).to_frame(index=False)
        .assign(period_months=12),
        pd.MultiIndex.from_product([codes, snap, as_at]).to_frame(index=False)
        .assign(period_months=0),
    ]  # fmt: skip
    frame = pd.concat(parts, ignore_index=True)
    frame.columns = ["force", "period_end", "measure", "period_months"]
    frame["value"] = rng.integers(1, 100_000, len(frame)).astype("float64")
    frame["source"] = "synthetic"
    return pm.validate_counts(frame[list(pm.counts.COUNTS_COLUMNS)])


def _floor(counts: pd.DataFrame, metrics: list[pm.Metric]) -> pd.DataFrame:
    """The same rates and England and Wales ratios of sums in plain pandas."""
    geographic = {f.code for f in pm.all_forces(geographic_only=True)}
    wide = counts.pivot_table(
        index=["force", "period_end", "period_months"], columns="measure", values="value",
        aggfunc="first",
    )  # fmt: skip
    windows = wide.xs(12, level="period_months")
    snapshots = wide.xs(0, level="period_months")
    out = []
    for metric in metrics:
        table = windows if metric.period.months == 12 else snapshots
        num = table.reindex(columns=list(metric.numerator)).sum(axis=1, min_count=1)
        if metric.kind is pm.MetricKind.CHANGE:
            prev = num.copy()
            prev.index = prev.index.set_levels(
                prev.index.levels[1] + pd.DateOffset(years=1), level=1
            )
            den = prev.reindex(num.index)
        elif metric.denominator_rule is not None:
            pop = snapshots[metric.denominator].dropna().reset_index()
            pop.columns = ["force", "date", "den"]
            left = num.rename("num").reset_index().sort_values("period_end")
            left["start"] = left["period_end"] - pd.DateOffset(years=1)
            merged = pd.merge_asof(
                left.sort_values("start"), pop.sort_values("date"), left_on="start",
                right_on="date", by="force",
            )  # fmt: skip
            den = merged.set_index(["force", "period_end"])["den"].reindex(num.index)
        else:
            den = table[metric.denominator].reindex(num.index)
        frame = pd.DataFrame({"num": num, "den": den}).reset_index()
        frame["value"] = frame["num"] / frame["den"] * metric.scale.factor
        national = (
            frame[frame["force"].isin(geographic)].dropna(subset=["num", "den"])
            .groupby("period_end")[["num", "den"]].sum()
        )  # fmt: skip
        national["value"] = national["num"] / national["den"] * metric.scale.factor
        national["force"] = pm.ENGLAND_AND_WALES_CODE
        out.append(pd.concat([frame, national.reset_index()]).assign(metric=metric.id))
    return pd.concat(out, ignore_index=True)


def _best(func: Callable[..., Any], *args: Any, repeat: int = 3) -> tuple[float, Any]:
    best, result = float("inf"), None
    for _ in range(repeat):
        start = time.perf_counter()
        result = func(*args)
        best = min(best, time.perf_counter() - start)
    return best, result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="stop the curve at 250,000 counts")
    args = parser.parse_args()
    metrics = list(pm.edition().metrics)

    counts = _synthetic_counts(60)
    ours, results = _best(pm.compute, counts)
    floor, _ = _best(_floor, counts, metrics)
    verdict = "ok" if ours <= 0.5 else "SLOW"
    print(f"44 forces x {len(metrics)} metrics x 60 periods: {len(counts):,} counts -> "
          f"{len(results):,} results")  # fmt: skip
    print(f"  compute {ours:.3f} s (target 0.5 s: {verdict}); pandas floor {floor:.3f} s; "
          f"ratio {ours / floor:.2f}x (target 2x)")  # fmt: skip

    print("\ncounts      compute s   floor s   ratio   compute us per 1,000 counts")
    per_period = len(counts) / 60
    sizes = [10_000, 30_000, 100_000, 250_000] + ([] if args.quick else [500_000, 1_000_000])
    for size in sizes:
        data = _synthetic_counts(max(2, round(size / per_period)))
        ours, _ = _best(pm.compute, data, repeat=2)
        floor, _ = _best(_floor, data, metrics, repeat=2)
        print(f"{len(data):>9,}   {ours:9.3f}   {floor:7.3f}   {ours / floor:5.2f}   "
              f"{ours / len(data) * 1e9 / 1000:8.1f}")  # fmt: skip


if __name__ == "__main__":
    main()
