"""Hostile inputs: every reader, every nasty file, never a traceback.

The promise: a clear :class:`~peelmetrics.PeelMetricsError` naming file, row and column, or
a result whose report accounts for every row. Nothing else escapes. The corpus in
``corpus/`` holds files written for this (empty, only newlines, BOM, repeated header, quoted
newlines, huge numbers, commas that are not thousands separators, Latin-1, far dates,
infinite months, unknown codes, NUL bytes, a gzip bomb, a truncated gzip, a fake
spreadsheet, Parquet truncated, of junk, of wrong types, of far dates); hypothesis adds
random ones.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from peelmetrics import PeelMetricsError
from peelmetrics.sources import FORMATS, read_any

CORPUS = Path(__file__).parent / "corpus"
FILES = sorted(p for p in CORPUS.iterdir() if p.is_file())


def _read(path: Path, format: str | None) -> None:
    try:
        counts, report = read_any(path, format)
    except PeelMetricsError as exc:
        text = str(exc)
        assert text.strip(), "an error must say what is wrong"
        assert "Traceback" not in text
        return
    assert report.rows_read == report.rows_used + report.rows_excluded
    assert counts["value"].ge(0).all()


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_recognition_never_crashes(path: Path) -> None:
    _read(path, None)


@pytest.mark.parametrize("format", sorted(FORMATS))
@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_every_reader_on_every_file(path: Path, format: str) -> None:
    _read(path, format)


HEADER = "force,period_end,measure,value,period_months,source\n"
cells = st.one_of(
    st.sampled_from(["Kent", "E23000032", "BTP", "", " ", "NA", "2017-06-30", "01/07/2017",
                     "dvpos_granted", "population", "12", "0", "-1", "1,5", "1e27", "inf",
                     "nan", '"', "\u2013", "\x00"]),
    st.text(max_size=12),
)  # fmt: skip


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow,
          HealthCheck.function_scoped_fixture])  # fmt: skip
@given(st.lists(st.lists(cells, min_size=0, max_size=8), max_size=8))
def test_random_counts_files(tmp_path: Path, rows: list[list[str]]) -> None:
    path = tmp_path / "random.csv"
    body = "".join(",".join(r) + "\n" for r in rows)
    path.write_text(HEADER + body, encoding="utf-8", errors="surrogatepass")
    _read(path, "counts")


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow,
          HealthCheck.function_scoped_fixture])  # fmt: skip
@given(st.binary(max_size=400))
def test_random_bytes(tmp_path: Path, data: bytes) -> None:
    path = tmp_path / "random.csv"
    path.write_bytes(data)
    _read(path, None)


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow,
          HealthCheck.function_scoped_fixture])  # fmt: skip
@given(st.binary(max_size=400), st.booleans())
def test_random_bytes_that_claim_to_be_parquet(tmp_path: Path, data: bytes, tail: bool) -> None:
    path = tmp_path / "random.parquet"
    path.write_bytes(b"PAR1" + data + (b"PAR1" if tail else b""))
    _read(path, None)
