"""Regenerate tests/fixtures/published/: small extracts of the real published tables, so the
checks against published figures run on every machine (a fresh clone has no ../shared).

Run from the project root with ../shared/reference/data present:

    python scripts/build_published_fixtures.py

Only the rows the checks need are kept; tests/fixtures/published/README.md names each
original file, its release and SHA-256 (printed here too).
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import pandas as pd

REFERENCE = Path("../shared/reference/data")
OUT = Path("tests/fixtures/published")


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    # Home Office rolling years: every row of the two windows the report compares.
    crime = REFERENCE / "rec-crime-pfa.csv"
    lines = crime.read_text(encoding="utf-8").splitlines(keepends=True)
    kept = [lines[0], *(ln for ln in lines[1:] if ln.startswith(("30-06-2017,", "30-06-2016,")))]
    (OUT / "rec-crime-pfa-june-2016-2017.csv").write_text("".join(kept), encoding="utf-8")
    # ONS mid-2016: the districts of England and Wales and the total they reconcile to.
    lookup = REFERENCE / "ons_lad17_csp17_pfa17_lookup_jan2017_v2.csv"
    districts = pd.read_csv(lookup, dtype=str, encoding="utf-8-sig")
    districts[["LAD17CD", "PFA17CD"]].to_csv(OUT / "lad-pfa-lookup-2017.csv", index=False)
    book = REFERENCE / "ons_ukmidyearestimates2016.xls"
    sheets = pd.read_excel(book, sheet_name=["MYE2 - All", "MYE2 - F"], header=None,
                           engine="calamine")  # fmt: skip
    with pd.ExcelWriter(OUT / "mye2-mid-2016-england-wales.xlsx") as writer:
        for name, sheet in sheets.items():
            codes = sheet.iloc[5:, 0].astype(str)
            wanted = codes.isin(set(districts["LAD17CD"])) | (codes == "K04000001")
            extract = pd.concat([sheet.iloc[:5], sheet.iloc[5:][wanted]])
            extract.to_excel(writer, sheet_name=name, header=False, index=False)
    for original in (crime, lookup, book):
        print(f"{original.name}: {_sha256(original)}")


if __name__ == "__main__":
    main()
