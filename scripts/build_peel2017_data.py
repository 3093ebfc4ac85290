"""Build the PEEL 2017 dataset shipped in ``src/peelmetrics/data`` from the published files.

Run from the repository root, with the reference files beside it::

    python scripts/build_peel2017_data.py [--reference ../shared/reference/data]

It runs the package's own readers (so the bundled data is exactly what a user would get from
the same files), keeps the periods the 2017 report uses, adds the counts the report itself
states (``scripts/report_counts.csv``), and writes:

* ``peel2017_counts.csv`` - the Counts table;
* ``peel2017_provenance.json`` - which file and release each measure came from, what was
  derived, and each reader's reconciliation (rows read, used, excluded by reason).

The output is deterministic: running it twice gives identical files.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import pandas as pd

from peelmetrics.counts import concat_counts
from peelmetrics.sources import (
    ReadReport,
    read_counts_csv,
    read_population,
    read_recorded_crime_pfa,
)

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "src" / "peelmetrics" / "data"
YEARS = ["2016-06-30", "2017-06-30"]


def _reconciliation(report: ReadReport) -> dict[str, object]:
    return {
        "rows_read": report.rows_read,
        "rows_used": report.rows_used,
        "rows_excluded": report.by_reason(),
        "notes": list(report.notes),
    }


def build(reference: Path) -> tuple[pd.DataFrame, dict[str, object]]:
    """Return the bundled Counts and their provenance record."""
    crime, crime_report = read_recorded_crime_pfa(reference / "rec-crime-pfa.csv", periods=YEARS)
    population, population_report = read_population(
        reference / "ons_ukmidyearestimates2016.xls",
        reference / "ons_lad17_csp17_pfa17_lookup_jan2017_v2.csv",
    )
    stated, stated_report = read_counts_csv(ROOT / "scripts" / "report_counts.csv")
    counts = concat_counts(population, crime, stated)
    counts = counts.sort_values(["measure", "period_end", "force"], ignore_index=True)
    provenance: dict[str, object] = {
        "dataset": "peel2017",
        "built_by": "scripts/build_peel2017_data.py",
        "sources": [
            {
                "measures": ["population", "adult_female_population"],
                "file": "ons_ukmidyearestimates2016.xls",
                "release": "ONS, Population Estimates for UK, England and Wales, Scotland and "
                "Northern Ireland: Mid-2016 (22 June 2017)",
                "lookup": "ons_lad17_csp17_pfa17_lookup_jan2017_v2.csv (ONS, January 2017)",
                "derived": "MYE2 districts summed to police force areas; adult females are "
                "females aged 16 and over; England and Wales reconciles to K04000001 "
                "(58,381,217).",
                "reconciliation": _reconciliation(population_report),
            },
            {
                "measures": ["recorded_crime"],
                "file": "rec-crime-pfa.csv",
                "release": "Home Office police recorded crime by PFA, rolling years to "
                "31 December 2018 (early 2019 release; later revisions than the October "
                "2017 release the report used)",
                "derived": "All offence rows except fraud, summed per force for the 12 months "
                "to 30 June 2016 and 2017; British Transport Police kept as 'BTP'; the fraud "
                "bodies excluded.",
                "reconciliation": _reconciliation(crime_report),
            },
            {
                "measures": ["domestic_abuse_offences", "dvpos_granted"],
                "file": "scripts/report_counts.csv",
                "release": "HMICFRS, PEEL: Police effectiveness 2017 - Hertfordshire "
                "Constabulary (March 2018)",
                "derived": "Counts stated in the report's text, Hertfordshire only.",
                "reconciliation": _reconciliation(stated_report),
            },
        ],
    }
    return counts, provenance


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--reference", type=Path, default=ROOT.parent / "shared" / "reference" / "data"
    )
    args = parser.parse_args()
    counts, provenance = build(args.reference)
    out = counts.assign(period_end=counts["period_end"].dt.strftime("%Y-%m-%d"))
    out.to_csv(OUT / "peel2017_counts.csv", index=False, lineterminator="\n", float_format="%.0f")
    (OUT / "peel2017_provenance.json").write_text(
        json.dumps(provenance, indent=2) + "\n", encoding="utf-8"
    )
    print(f"wrote {len(out)} counts to {OUT / 'peel2017_counts.csv'}")


if __name__ == "__main__":
    main()
