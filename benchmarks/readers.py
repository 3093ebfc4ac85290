"""Benchmark of the long-table readers against a plain pandas floor, run on demand.

    python benchmarks/readers.py [--rows 1000000 10000000] [--repeat 5]

For each size, a synthetic Home Office outcomes table (real layout, unique keys: 44 forces,
8 quarters, 22 outcome types and as many offence codes as the size needs) is written once,
then read in a fresh process each by

* ``read_outcomes`` (validation, exclusions with reasons, rolling years, Counts), and
* two floors, each ``pandas.read_csv`` and one group-by summing both bases per force,
  outcome type and quarter, fraud rows dropped: text read as pandas' own string type
  (Arrow-backed where pyarrow is installed, pandas 3's default), and text read as Python
  objects (``dtype=object``, pandas 2's default and the floor without pyarrow).

It prints time and peak resident memory side by side, and our ratios to each floor
(target: within 1.5x of the floor in time and 1.2x in memory): the ratio of the best times
over ``--repeat`` alternating pairs of fresh processes, and the median of the paired ratios.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

import numpy as np
import pandas as pd

OURS = """
import time
from peelmetrics.sources import read_outcomes
start = time.perf_counter()
counts, report = read_outcomes({path!r})
print(time.perf_counter() - start, {peak})
"""

FLOOR = """
import time
import pandas as pd
start = time.perf_counter()
frame = pd.read_csv({path!r}, dtype={text})
frame = frame[~frame["Offence Group"].str.startswith("Fraud")]
sums = frame.groupby(["Force Name", "Outcome Type", "Financial Year", "Financial Quarter"])[
    ["Force outcomes for offences recorded in quarter", "Force outcomes recorded in quarter"]
].sum()
print(time.perf_counter() - start, {peak})
"""
# Peak resident memory of this process alone. Not getrusage's ru_maxrss: Linux carries the
# parent's high-water mark across fork and exec, so every child would report the parent's.
PEAK = "[int(l.split()[1]) / 1024 for l in open('/proc/self/status') if l.startswith('VmHWM')][0]"


def write_outcomes(path: Path, rows: int, seed: int = 0) -> None:
    """A synthetic outcomes table of ``rows`` rows with the real headers and unique keys."""
    import peelmetrics as pm

    rng = np.random.default_rng(seed)
    forces = [f.short_name for f in pm.all_forces()]
    quarters = [(y, q) for y in ("2016/17", "2017/18") for q in (1, 2, 3, 4)]
    per_code = len(forces) * len(quarters) * 22
    codes = [f"{n}A" for n in range(-(-rows // per_code))]
    index = pd.MultiIndex.from_product(
        [range(len(quarters)), forces, codes, range(22)],
        names=["quarter", "Force Name", "Offence Code", "Outcome Type"],
    ).to_frame(index=False).iloc[:rows]  # fmt: skip
    year = np.array([y for y, _ in quarters])[index["quarter"]]
    quarter = np.array([q for _, q in quarters])[index["quarter"]]
    frame = pd.DataFrame({
        "Financial Year": year,
        "Financial Quarter": quarter,
        "Force Name": index["Force Name"],
        "Offence Description": "Robbery of business property",
        "Offence Group": "Robbery",
        "Offence Subgroup": "Robbery",
        "Offence Code": index["Offence Code"],
        "Outcome Description": "x",
        "Outcome Group": "x",
        "Outcome Type": index["Outcome Type"],
        "Force outcomes for offences recorded in quarter": rng.integers(0, 50, rows),
        "Force outcomes recorded in quarter": rng.integers(0, 50, rows),
    })  # fmt: skip
    frame.to_csv(path, index=False)


def measure(template: str, **values: object) -> tuple[float, float]:
    """Run ``template`` (formatted with ``values`` and ``peak``) in a fresh process; its
    printed seconds and peak MiB."""
    code = template.format(peak=PEAK, **values)
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    if result.returncode:
        raise RuntimeError(result.stderr)
    seconds, mib = map(float, result.stdout.split())
    return seconds, mib


#: The floors' text columns: pandas' own string type (inferred), or Python objects.
_TEXT_COLUMNS = (
    "Financial Year",
    "Force Name",
    "Offence Description",
    "Offence Group",
    "Offence Subgroup",
    "Offence Code",
    "Outcome Description",
    "Outcome Group",
)
FLOORS = {"str": None, "object": dict.fromkeys(_TEXT_COLUMNS, "object")}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rows", type=int, nargs="+", default=[1_000_000])
    parser.add_argument("--repeat", type=int, default=5, help="pairs of runs per floor")
    args = parser.parse_args()
    print("rows        floor    ours s  floor s  ratio  median   ours MiB  floor MiB  ratio")
    with tempfile.TemporaryDirectory() as folder:
        for rows in args.rows:
            path = Path(folder) / f"outcomes-{rows}.csv"
            write_outcomes(path, rows)
            for name, text in FLOORS.items():
                # Ours and the floor one after the other, so a busy spell hits both alike;
                # the best of each and the median of the paired ratios, as benchmarks/run.py.
                pairs = [(measure(OURS, path=str(path)), measure(FLOOR, path=str(path), text=text))
                         for _ in range(args.repeat)]  # fmt: skip
                ours_s, floor_s = min(o[0] for o, _ in pairs), min(f[0] for _, f in pairs)
                ours_mib, floor_mib = max(o[1] for o, _ in pairs), max(f[1] for _, f in pairs)
                median = statistics.median(o[0] / f[0] for o, f in pairs)
                print(f"{rows:>10,}  {name:>6}  {ours_s:7.2f}  {floor_s:7.2f}  "
                      f"{ours_s / floor_s:5.2f}  {median:6.2f}  {ours_mib:9.0f}  {floor_mib:9.0f}  "
                      f"{ours_mib / floor_mib:5.2f}")  # fmt: skip
            path.unlink()


if __name__ == "__main__":
    main()
