"""The public API at its boundary (issue 22): every function re-exported by ``peelmetrics``,
each argument in turn given a value of the wrong type, raises a PeelMetricsError subclass
(or works) and never lets the value reach pandas or numpy as a traceback. Every message is
bounded, whatever the input."""

from __future__ import annotations

import inspect
import threading
from collections.abc import Callable
from typing import Any

import pandas as pd
import pytest

import peelmetrics as pm
from peelmetrics import PeelMetricsError

HUGE = "x" * 100_000
#: Values of the wrong type (or the right type, wrong in content) for any argument.
BAD: tuple[Any, ...] = (
    None, True, 7, -1.5, float("nan"), "", HUGE, "\x00\x1b[31m", b"bytes", [1, 2, 3],
    ("a", "b"), {"a": 1}, object(), pd.DataFrame(), pd.DataFrame({"x": [1]}), pd.Series([1]),
)  # fmt: skip


def _counts() -> pd.DataFrame:
    return pm.make_counts([
        ("Hertfordshire", "2017-06-30", 12, "dvpos_granted", 68, "report"),
        ("Hertfordshire", "2017-06-30", 12, "domestic_abuse_offences", 9658, "report"),
    ])  # fmt: skip


def _results() -> pd.DataFrame:
    return pm.compute(_counts(), ["dvpo_rate"])


#: A valid call of each public function: the arguments each bad value stands in for.
VALID: dict[str, Callable[[], tuple[tuple[Any, ...], dict[str, Any]]]] = {
    "agrees_with_published": lambda: ((0.7, "0.7"), {}),
    "all_forces": lambda: ((), {}),
    "check_comparable": lambda: ((_results(), _results()), {}),
    "compare_counts": lambda: ((_counts(), _counts()), {}),
    "compute": lambda: ((_counts(), ["dvpo_rate"]), {}),
    "concat_counts": lambda: ((_counts(),), {}),
    "count_records": lambda: (
        (
            pd.DataFrame(
                {
                    "Falls within": ["Kent"],
                    "Month": ["2017-06"],
                    "Crime ID": ["a"],
                    "Crime type": ["Burglary"],
                }
            ),
            pm.load_spec("police-uk"),
        ),
        {},
    ),
    "current_judgments": lambda: ((pm.edition().judgments, 2017), {}),
    "detect_format": lambda: (("tests/fuzz/corpus/empty.csv",), {}),
    "edition": lambda: (("peel2017",), {}),
    "editions": lambda: ((), {}),
    "force_in_numbers": lambda: (("Hertfordshire", _counts()), {}),
    "load_spec": lambda: (("police-uk",), {}),
    "make_counts": lambda: (([("Kent", "2017-06-30", 12, "dvpos_granted", 1, "x")],), {}),
    "parse_period": lambda: (("2017-06",), {}),
    "percent_change": lambda: ((110.0, 100.0), {}),
    "rate": lambda: ((68.0, 9658.0), {"per": 100}),
    "ratio_of_sums": lambda: ((pd.Series([1.0, 2.0]), pd.Series([10.0, 20.0])), {}),
    "read_any": lambda: (("tests/fuzz/corpus/empty.csv",), {}),
    "resolve_force": lambda: (("Herts",), {}),
    "round_half_away": lambda: ((0.25, 1), {}),
    "share": lambda: ((1.0, 4.0), {}),
    "update_counts": lambda: ((_counts(), _counts()), {}),
    "validate_counts": lambda: ((_counts(),), {}),
}
#: Public callables that build model objects or render; walked through their own tests.
SKIPPED = {"report_html", "read_records"}


#: Functions of the submodules each command calls (every command is one Python call), with
#: a valid call: walked like the re-exported ones.
COMMAND_CALLS: dict[str, Callable[[], tuple[tuple[Any, ...], dict[str, Any]]]] = {
    "listings.metrics_listing": lambda: ((), {"measures": True, "form": "json"}),
    "listings.caveats_listing": lambda: ((), {"metric": "dvpo_rate", "force": "Kent"}),
    "listings.forces_listing": lambda: (("json",), {}),
    "listings.judgments_listing": lambda: (("Herts",), {"year": 2017, "form": "table"}),
    "report.render": lambda: ((_results(), "json"), {"kind": "results"}),
    "periods.parse_month_range": lambda: (("2017-01:2017-06",), {}),
    "periods.parse_window_lengths": lambda: (("1,12",), {}),
    "compute.periods_held_by_metric": lambda: ((_counts(), [pm.edition().metric("dvpo_rate")]),
                                               {}),
    "sources.read_combined": lambda: ((["tests/fuzz/corpus/empty.csv"],), {"bundled": True}),
    "sources.write_counts": lambda: ((_counts(), "/dev/null"), {}),
    "sources.compare_files": lambda: (("tests/fuzz/corpus/empty.csv",
                                       "tests/fuzz/corpus/empty.csv"), {"changed_only": True}),
}  # fmt: skip


def _public_functions() -> list[str]:
    names = [n for n in pm.__all__ if inspect.isfunction(getattr(pm, n, None))]
    return sorted(n for n in names if n not in SKIPPED)


def test_every_public_function_has_a_valid_call() -> None:
    assert set(_public_functions()) <= set(VALID), set(_public_functions()) - set(VALID)


def _function(name: str) -> Callable[..., Any]:
    """A re-exported function by name, or ``module.function`` of a submodule."""
    import importlib

    if "." not in name:
        return getattr(pm, name)  # type: ignore[no-any-return]
    module, function = name.rsplit(".", 1)
    return getattr(importlib.import_module(f"peelmetrics.{module}"), function)  # type: ignore[no-any-return]


def _calls() -> dict[str, Callable[[], tuple[tuple[Any, ...], dict[str, Any]]]]:
    return {**{n: VALID[n] for n in _public_functions()}, **COMMAND_CALLS}


def _cases() -> list[Any]:
    cases = []
    for name, valid in _calls().items():
        args, kwargs = valid()
        signature = inspect.signature(_function(name))
        params = [p for p in signature.parameters.values() if p.kind is not p.VAR_KEYWORD]
        slots = [("arg", i) for i in range(len(args))] + [("kw", k) for k in kwargs]
        slots += [("kw", p.name) for p in params if p.kind is p.KEYWORD_ONLY
                  and p.name not in kwargs]  # fmt: skip
        cases += [pytest.param(name, slot, id=f"{name}-{slot[1]}") for slot in slots]
    return cases


@pytest.mark.parametrize(("name", "slot"), _cases())
def test_a_wrong_value_is_a_typed_error(name: str, slot: tuple[str, Any]) -> None:
    func = _function(name)
    for bad in BAD:
        args, kwargs = _calls()[name]()
        if slot[0] == "arg":
            args = (*args[: slot[1]], bad, *args[slot[1] + 1 :])
        else:
            kwargs = {**kwargs, slot[1]: bad}
        try:
            func(*args, **kwargs)
        except PeelMetricsError as exc:
            said = str(exc)
            assert len(said) < 2_000, f"{name}: an unbounded message ({len(said)})"
        except Exception as exc:  # pragma: no cover - the failure being tested for
            pytest.fail(f"{name}({slot[1]}={pm.errors.shorten(bad)}) raised "
                        f"{type(exc).__name__}: {pm.errors.shorten(str(exc), 200)}")  # fmt: skip


def test_compute_and_the_panel_agree_across_threads() -> None:
    """compute and force_in_numbers from 8 threads at once give what one thread gives."""
    counts = pm.datasets.counts("peel2017")
    expected = pm.force_in_numbers("Hertfordshire", counts).to_json(date_format="iso")
    found: list[str] = []
    errors: list[BaseException] = []

    def work() -> None:
        try:
            found.append(pm.force_in_numbers("Hertfordshire", counts).to_json(date_format="iso"))
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=work) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    assert found == [expected] * 8


def test_the_page_is_the_same_from_four_threads() -> None:
    """report_html from several threads at once: matplotlib's global settings are never
    shared mid-render (labels drawn as glyph outlines in 1 call in 16 to 24 before)."""
    pytest.importorskip("matplotlib", reason="the page needs the report extra")
    pytest.importorskip("jinja2", reason="the page needs the report extra")
    expected = pm.report_html("Hertfordshire")
    pages: list[str] = []
    threads = [threading.Thread(target=lambda: pages.append(pm.report_html("Hertfordshire")))
               for _ in range(4)]  # fmt: skip
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert pages == [expected] * 4
