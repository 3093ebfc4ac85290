"""Issue 22's classes, one test each where the reading-layer tests do not already hold one:
editions, intervals, peers, the command line, order independence, CSV written for people,
and bounded messages."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import peelmetrics as pm
from peelmetrics import EditionError, InvalidValueError, PeelMetricsError
from peelmetrics.catalogue import _FACTORIES, register
from peelmetrics.cli import main


@pytest.fixture
def clean_registry() -> object:
    saved = dict(_FACTORIES)
    yield None
    _FACTORIES.clear()
    _FACTORIES.update(saved)


def test_editions_survive_a_broken_plugin(clean_registry: object) -> None:
    register("broken2099", lambda: 1 / 0)  # type: ignore[arg-type, return-value]
    register("notanedition", lambda: "peel")  # type: ignore[arg-type, return-value]
    with pytest.raises(EditionError, match=r"broken2099.*ZeroDivisionError"):
        pm.edition("broken2099")
    with pytest.raises(EditionError, match="returned str, not an Edition"):
        pm.edition("notanedition")
    out = io.StringIO()
    assert main(["editions"], out=out) == 0
    assert "peel2017" in out.getvalue()
    assert "cannot be built" in out.getvalue()


@pytest.mark.parametrize("bad", [None, "", 7])
def test_register_refuses_a_bad_id(bad: object, clean_registry: object) -> None:
    with pytest.raises(InvalidValueError, match="edition_id"):
        register(bad, lambda: pm.edition())  # type: ignore[arg-type]


def test_register_never_replaces_a_built_in_in_silence(clean_registry: object) -> None:
    with pytest.raises(InvalidValueError, match="already registered"):
        register("peel2017", lambda: pm.edition())
    register("peel2017", lambda: pm.edition.__wrapped__() if False else _built(), replace=True)


def _built() -> pm.Edition:
    from peelmetrics.catalogue.peel2017 import edition

    return edition()


@pytest.mark.parametrize("level", ["0.95", 95, 0, 1, True, None, float("nan")])
def test_interval_levels_are_checked(level: object) -> None:
    from peelmetrics.intervals import z_value

    with pytest.raises(InvalidValueError, match="level"):
        z_value(level)  # type: ignore[arg-type]


def test_peers_keyed_by_name_are_resolved() -> None:
    from peelmetrics.peers import peer_rows

    results = pm.compute(pm.datasets.counts("peel2017"), ["recorded_crime_per_1000"])
    by_name = peer_rows(results, {"Hertfordshire": ["Essex", "Kent"]})
    from peelmetrics.forces import force_codes

    by_code = peer_rows(results, {"E23000027": force_codes(["Essex", "Kent"])})
    assert by_name["peer_value"].notna().any()
    pd.testing.assert_frame_equal(by_name, by_code)


@pytest.mark.parametrize("argv", [["compute", "--force", ""], ["compute", "--metric", " "],
                                  ["trend", "", "--metric", "dvpo_rate"]])  # fmt: skip
def test_empty_arguments_are_refused(argv: list[str]) -> None:
    with pytest.raises(SystemExit) as exit_:
        main(argv, out=io.StringIO())
    assert exit_.value.code == 2


def test_a_closed_standard_output_is_said(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr("sys.stdout", None)
    assert main(["forces"]) == 2
    assert "standard output is closed" in capsys.readouterr().err


_ROWS = [
    ("Hertfordshire", "2017-06-30", 12, "dvpos_granted", 68, "report"),
    ("Hertfordshire", "2017-06-30", 12, "domestic_abuse_offences", 9658, "report"),
    ("Kent", "2017-06-30", 12, "dvpos_granted", 12, "force return"),
    ("Kent", "2017-06-30", 12, "domestic_abuse_offences", 1000, '=HYPERLINK("x")'),
]


@settings(max_examples=25, deadline=None)
@given(st.permutations(_ROWS))
def test_compute_json_does_not_depend_on_row_order(rows: list[tuple[object, ...]]) -> None:
    from peelmetrics.report import results_to_json

    first = results_to_json(pm.compute(pm.make_counts(_ROWS), ["dvpo_rate"]))
    assert results_to_json(pm.compute(pm.make_counts(rows), ["dvpo_rate"])) == first


def test_formula_cells_are_defused_in_csv_and_exact_in_json(tmp_path: Path) -> None:
    from peelmetrics.report import results_to_csv, results_to_json

    results = pm.compute(pm.make_counts(_ROWS), ["dvpo_rate"])
    csv_text = results_to_csv(results)
    assert "'=HYPERLINK" in csv_text
    assert ",=HYPERLINK" not in csv_text
    kent = next(r for r in json.loads(results_to_json(results)) if r["force"] == "E23000032")
    assert '=HYPERLINK("x")' in kent["source"]  # JSON keeps the text exactly


@settings(max_examples=30, deadline=None)
@given(st.text(min_size=1, max_size=5).map(lambda s: s * 20_000))
def test_messages_are_bounded_whatever_is_echoed(huge: str) -> None:
    for call in (lambda: pm.resolve_force(huge), lambda: pm.edition().metric(huge),
                 lambda: pm.parse_period(huge),
                 lambda: pm.make_counts([(huge, huge, 12, huge, huge, huge)])):  # fmt: skip
        with pytest.raises(PeelMetricsError) as caught:
            call()
        assert len(str(caught.value)) <= 2_000
        assert "\x00" not in str(caught.value)
