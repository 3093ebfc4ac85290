"""Speed and memory benchmarks, run on demand (never part of the test suite).

    python benchmarks/run.py [--rows 1000000]

Targets (2-core, 24 GiB machine):

* ``import peelmetrics``: within 150 ms of ``import pandas``;
* ``peelmetrics force-in-numbers Hertfordshire``: within 1.3x of a bare ``import pandas``;
* ``compute`` of every metric on the bundled dataset: under 1 s;
* the rolling-year PFA reader on the real 46,470-row file: under 2 s;
* the quarterly outcomes reader on ``--rows`` synthetic rows (default one million): under
  15 s and 2 GiB peak memory, i.e. one vectorised group-by, not a loop per force.
"""

from __future__ import annotations

import argparse
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REFERENCE = Path(__file__).resolve().parents[2] / "shared" / "reference" / "data"


def _side_by_side(floor: list[str], ours: list[str], runs: int = 21) -> tuple[float, float, float]:
    """Fresh processes of ``floor`` and ``ours`` run alternately ``runs`` times each (so a
    busy spell on a shared machine hits both alike): the best wall time of each, and the
    median of the paired ratios."""
    import statistics

    def wall(argv: list[str]) -> float:
        start = time.perf_counter()
        subprocess.run(argv, capture_output=True, check=True)
        return time.perf_counter() - start

    pairs = [(wall(floor), wall(ours)) for _ in range(runs)]
    return (min(p[0] for p in pairs), min(p[1] for p in pairs),
            statistics.median(o / f for f, o in pairs))  # fmt: skip


def _timed(label: str, target: float, func, *args):  # type: ignore[no-untyped-def]
    # Peak resident memory of the process so far (tracemalloc would slow pandas several-fold).
    start = time.perf_counter()
    result = func(*args)
    elapsed = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    verdict = "ok" if elapsed <= target else "SLOW"
    print(
        f"{label:<48} {elapsed:8.3f} s  process peak {peak:5.0f} MiB  "
        f"target {target:g} s  {verdict}"
    )
    return result


def _synthetic_outcomes(path: Path, rows: int) -> None:
    sys.path.insert(0, str(Path(__file__).parent))
    from readers import write_outcomes

    write_outcomes(path, rows)


def main() -> None:
    parser = argparse.ArgumentParser(description="peelmetrics benchmarks")
    parser.add_argument("--rows", type=int, default=1_000_000)
    args = parser.parse_args()

    pandas_time, ours, _paired = _side_by_side(
        [sys.executable, "-c", "import pandas"], [sys.executable, "-c", "import peelmetrics"], 11
    )
    print(f"{'import pandas / import peelmetrics':<48} {pandas_time:8.3f} s / {ours:.3f} s  "
          f"(+{(ours - pandas_time) * 1000:.0f} ms; target +150 ms)")  # fmt: skip
    floor, main_job, paired = _side_by_side(
        [sys.executable, "-c", "import pandas"],
        [sys.executable, "-m", "peelmetrics", "force-in-numbers", "Hertfordshire"],
    )
    print(f"{'python -c import pandas / force-in-numbers':<48} {floor:8.3f} s / "
          f"{main_job:.3f} s  ratio of best {main_job / floor:.2f}, median of pairs "
          f"{paired:.2f} (target 1.3)")  # fmt: skip

    import peelmetrics as pm
    from peelmetrics.sources import read_outcomes, read_recorded_crime_pfa

    counts = pm.datasets.counts("peel2017")
    _timed("compute(all metrics, bundled data)", 1.0, pm.compute, counts)
    if (REFERENCE / "rec-crime-pfa.csv").exists():
        _timed("read_recorded_crime_pfa(real file)", 2.0, read_recorded_crime_pfa,
               REFERENCE / "rec-crime-pfa.csv")  # fmt: skip
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "outcomes.csv"
        _synthetic_outcomes(path, args.rows)
        _timed(f"read_outcomes({args.rows:,} rows)", 15.0, read_outcomes, path)


if __name__ == "__main__":
    main()
