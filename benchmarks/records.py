"""Benchmark of record counting (issue 14) against the engines' own floor, run on demand.

    python benchmarks/records.py [--rows 6000000 60000000] [--months 120] [--csv] [--data DIR]
        [--repeat N]

For each size, a synthetic data.police.uk decade is generated once with DuckDB (monthly
Parquet files, or CSV with ``--csv``; realistic cardinalities: 44 "Falls within" names
weighted by force size, 14 crime types, 26 outcome categories with blanks for anti-social
behaviour, 64-hex Crime IDs, ~35k LSOAs), then counted per force, month and measure
(crimes, anti-social behaviour incidents), each in a fresh process, by

* ``ours``: ``read_records(glob, POLICE_UK)`` (narwhals on DuckDB for Parquet, on Polars
  for CSV; the row accounting; the duplicate Crime ID check on DuckDB, bounded to 1 GB),
* ``ours-no-ids``: the same with ``check_ids=False``,
* ``duckdb-sql``: one hand-written DuckDB SQL group-by, handed to pandas,
* ``polars``: one hand-written Polars lazy group-by, streaming.

It prints time (the best of ``--repeat`` rounds) and peak resident memory (VmHWM) side by
side, each one's ratio to the fastest floor, and the median over rounds of its ratio to
that round's fastest floor. The data are generated, never committed.
"""

from __future__ import annotations

import argparse
import contextlib
import statistics
import tempfile
from collections.abc import Iterator
from pathlib import Path

from readers import measure  # the same fresh-process timing and VmHWM reading

OURS = """
import time
from peelmetrics.sources.records import POLICE_UK, read_records
import narwhals, polars, duckdb  # imported before the clock starts, as the floors' engines are
start = time.perf_counter()
counts, report = read_records({glob!r}, POLICE_UK, check_ids={ids})
assert report.rows_read == {rows}, report.rows_read
print(time.perf_counter() - start, {peak})
"""

DUCKDB = """
import time, duckdb
duckdb.execute("SET enable_progress_bar = false")
start = time.perf_counter()
frame = duckdb.sql('''
  SELECT "Falls within", "Month",
         sum(CASE WHEN "Crime type" = 'Anti-social behaviour' THEN 1 ELSE 0 END) AS asb,
         sum(CASE WHEN "Crime type" <> 'Anti-social behaviour' THEN 1 ELSE 0 END) AS crimes
  FROM {reader}({glob!r}) GROUP BY ALL''').df()
print(time.perf_counter() - start, {peak})
"""

POLARS = """
import time, polars as pl
start = time.perf_counter()
asb = pl.col("Crime type") == "Anti-social behaviour"
frame = (pl.{scan}({glob!r}).group_by("Falls within", "Month")
         .agg(asb.sum().alias("asb"), (~asb).sum().alias("crimes"))
         .collect(engine="streaming"))
print(time.perf_counter() - start, {peak})
"""

GENERATE = """
CREATE TEMP TABLE forces AS SELECT * FROM (VALUES {forces}) t(name, weight);
CREATE TEMP TABLE cum AS SELECT name, sum(weight) OVER (ORDER BY name) / sum(weight) OVER ()
    AS upto FROM forces;
"""

CRIME_TYPES = [
    "Anti-social behaviour", "Bicycle theft", "Burglary", "Criminal damage and arson",
    "Drugs", "Other crime", "Other theft", "Possession of weapons", "Public order",
    "Robbery", "Shoplifting", "Theft from the person", "Vehicle crime",
    "Violence and sexual offences",
]  # fmt: skip
OUTCOMES = [f"Outcome category {i}" for i in range(26)]


def generate(folder: Path, rows: int, months: int, csv: bool) -> str:
    """Monthly files of ``rows`` rows in total; returns the glob that finds them."""
    import duckdb

    import peelmetrics as pm

    forces = [f for f in pm.all_forces() if f.geographic] + [
        f for f in pm.all_forces() if not f.geographic
    ][:1]
    names = [f.name.replace("'", "''") for f in forces][:44]
    weights = [1 + (i * 7919) % 23 for i in range(len(names))]  # uneven, like force sizes
    connection = duckdb.connect()
    values = ", ".join(f"('{n}', {w})" for n, w in zip(names, weights, strict=True))
    connection.execute(GENERATE.format(forces=values))
    types = "[" + ", ".join(f"'{t}'" for t in CRIME_TYPES) + "]"
    outcomes = "[" + ", ".join(f"'{o}'" for o in OUTCOMES) + "]"
    per_month = rows // months
    for m in range(months):
        month = f"{2010 + m // 12}-{m % 12 + 1:02d}"
        target = folder / f"{month}-street.{'csv' if csv else 'parquet'}"
        fmt = "(HEADER, DELIMITER ',')" if csv else "(FORMAT PARQUET)"
        connection.execute(f"""
            COPY (
              WITH r AS (SELECT i, random() AS u, random() AS v FROM range({per_month}) t(i))
              SELECT
                CASE WHEN kind = 1 THEN '' ELSE md5(i::VARCHAR || '{month}') ||
                     md5('{month}' || i::VARCHAR) END AS "Crime ID",
                '{month}' AS "Month",
                force AS "Reported by", force AS "Falls within",
                'E01' || lpad(((v * 35000)::INT)::VARCHAR, 6, '0') AS "LSOA code",
                {types}[kind] AS "Crime type",
                CASE WHEN kind = 1 THEN '' ELSE {outcomes}[1 + (v * 26)::INT % 26] END
                    AS "Last outcome category"
              FROM (SELECT r.*, 1 + (v * 1000)::INT % 14 AS kind,
                           (SELECT min(name) FROM cum WHERE upto >= u) AS force FROM r)
            ) TO '{target}' {fmt}
        """)
    return str(folder / ("*-street.csv" if csv else "*-street.parquet"))


@contextlib.contextmanager
def _folder(data: Path | None, rows: int, csv: bool) -> Iterator[tuple[Path, bool]]:
    """Where the files go (a temporary folder unless --data), and whether they exist."""
    if data is None:
        with tempfile.TemporaryDirectory() as folder:
            yield Path(folder), False
        return
    folder = data / f"{rows}-{'csv' if csv else 'parquet'}"
    ready = folder.is_dir() and any(folder.iterdir())
    folder.mkdir(parents=True, exist_ok=True)
    yield folder, ready


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rows", type=int, nargs="+", default=[6_000_000])
    parser.add_argument("--months", type=int, default=120)
    parser.add_argument("--repeat", type=int, default=1, help="rounds of every job")
    parser.add_argument("--csv", action="store_true", help="monthly CSV files, as published")
    parser.add_argument(
        "--data",
        type=Path,
        metavar="DIR",
        help="keep the generated files in DIR/<rows>/ and reuse them on the next run",
    )
    args = parser.parse_args()
    reader = "read_csv" if args.csv else "read_parquet"
    scan = "scan_csv" if args.csv else "scan_parquet"
    print(
        f"{'rows':>12}  {'job':<12} {'seconds':>8} {'x fastest':>9} {'median':>7} {'peak MiB':>9}"
    )
    for rows in args.rows:
        with _folder(args.data, rows, args.csv) as (folder, ready):
            suffix = "csv" if args.csv else "parquet"
            glob = (
                str(folder / f"*-street.{suffix}")
                if ready
                else generate(folder, rows, args.months, args.csv)
            )
            total = rows // args.months * args.months
            jobs = {
                "ours": (OURS, {"glob": glob, "rows": total, "ids": True}),
                "ours-no-ids": (OURS, {"glob": glob, "rows": total, "ids": False}),
                "duckdb-sql": (DUCKDB, {"glob": glob, "reader": reader}),
                "polars": (POLARS, {"glob": glob, "scan": scan}),
            }
            # Round after round of every job, so a busy spell hits all alike: the best of
            # each, and the median over rounds of each one's ratio to that round's fastest
            # floor (as benchmarks/readers.py).
            rounds = [{job: measure(t, **v) for job, (t, v) in jobs.items()}
                      for _ in range(args.repeat)]  # fmt: skip
            fastest = min(min(r[f][0] for r in rounds) for f in ("duckdb-sql", "polars"))
            for job in jobs:
                seconds = min(r[job][0] for r in rounds)
                mib = max(r[job][1] for r in rounds)
                median = statistics.median(
                    r[job][0] / min(r["duckdb-sql"][0], r["polars"][0]) for r in rounds
                )
                print(f"{total:>12,}  {job:<12} {seconds:8.2f} {seconds / fastest:9.2f} "
                      f"{median:7.2f} {mib:9.0f}")  # fmt: skip


if __name__ == "__main__":
    main()
