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
    read_ons_pfa_tables,
    read_outcomes,
    read_population,
    read_recorded_crime_pfa,
)

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "src" / "peelmetrics" / "data"
ONS_TABLES = "ons_pfa/policeforceareatablesyearendingmarch2018v2.xlsx"
OUTCOMES = "home_office/prc-outcomes-open-data-mar2018-2017-18-snakecase.csv.gz"
#: Said beside a published figure computed from a later release than the report used.
LATER_RELEASE = "computed from a later release than the report used"


def _measure_order(measure: str) -> tuple[bool, int]:
    """outcome_0 ... outcome_21, then untracked_outcome_0 ..."""
    return measure.startswith("untracked"), int(measure.rsplit("_", 1)[1])


def _reconciliation(report: ReadReport) -> dict[str, object]:
    return {
        "rows_read": report.rows_read,
        "rows_used": report.rows_used,
        "rows_excluded": report.by_reason(),
        "notes": list(report.notes),
    }


def build(reference: Path) -> tuple[pd.DataFrame, dict[str, object]]:
    """Return the bundled Counts and their provenance record."""
    crime, crime_report = read_recorded_crime_pfa(reference / "rec-crime-pfa.csv")
    population, population_report = read_population(
        reference / "ons_ukmidyearestimates2016.xls",
        reference / "ons_lad17_csp17_pfa17_lookup_jan2017_v2.csv",
    )
    ons, ons_report = read_ons_pfa_tables(reference / ONS_TABLES, tables=["P7", "P9"])
    # Keep the unrounded mid-2016 estimates the report used; P9's other years are rounded to
    # 100 and are the only ones at hand.
    mid_2016 = pd.Timestamp("2016-06-30")
    ons = ons[~((ons.measure == "population") & (ons.period_end == mid_2016))]
    outcomes, outcomes_report = read_outcomes(reference / OUTCOMES)
    stated, stated_report = read_counts_csv(ROOT / "scripts" / "report_counts.csv")
    counts = concat_counts(population, ons, crime, outcomes, stated)
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
                "measures": ["asb_incidents", "population"],
                "file": ONS_TABLES.split("/")[-1],
                "release": "ONS, Crime in England and Wales: year ending March 2018, police "
                "force area data tables (v2); Table P7 anti-social behaviour incidents "
                "(years ending March 2008 to 2018) and Table P9 mid-year populations "
                "(2002 to 2015; rounded to the nearest 100)",
                "derived": "Read by read_ons_pfa_tables; mid-2016 is taken from the unrounded "
                "MYE2 release above instead. The report used the year ending March 2017 "
                "edition; P7's figures for earlier years may have been revised since.",
                "revision_note": LATER_RELEASE + " (ONS year ending March 2018 edition)",
                "reconciliation": _reconciliation(ons_report),
            },
            {
                "measures": ["recorded_crime"],
                "file": "rec-crime-pfa.csv",
                "release": "Home Office police recorded crime by PFA, rolling years to "
                "31 December 2018 (early 2019 release; later revisions than the October "
                "2017 release the report used)",
                "derived": "All offence rows except fraud, summed per force for every rolling "
                "year in the file; British Transport Police kept as 'BTP'; the fraud bodies "
                "excluded.",
                "revision_note": LATER_RELEASE + " (Home Office, early 2019)",
                "reconciliation": _reconciliation(crime_report),
            },
            {
                "measures": sorted(outcomes["measure"].unique(), key=_measure_order),
                "file": OUTCOMES.split("/")[-1],
                "release": "Home Office crime outcomes open data, 2017/18 sheet of "
                "prc-outcomes-open-data-mar2018-tables.ods (a third-party snake_case copy)",
                "derived": "Four quarters of 2017/18 summed per force and outcome type: the "
                "12 months to 31 March 2018, tracked ('offences') and untracked bases.",
                "reconciliation": _reconciliation(outcomes_report),
            },
            {
                "measures": sorted(stated["measure"].unique()),
                "file": "scripts/report_counts.csv",
                "release": "HMICFRS, PEEL: Police effectiveness 2017 - Hertfordshire "
                "Constabulary (March 2018)",
                "derived": "Counts stated in the report's text: Hertfordshire's, and City of "
                "London's 46 OCGs from Annex A.",
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
