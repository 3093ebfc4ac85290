"""The unit registry: separate dimensions for what is counted, scales as printed."""

from __future__ import annotations

import subprocess
import sys

import pint
import pytest

from peelmetrics import units


def test_offence_rate_plus_incident_rate_is_an_error() -> None:
    crime = units.quantity(66.0, "offence / (thousand * person)")
    incidents = units.quantity(282.0, "incident / (thousand * person)")
    with pytest.raises(pint.DimensionalityError):
        _ = crime + incidents


def test_adult_females_are_not_persons() -> None:
    with pytest.raises(pint.DimensionalityError):
        units.check_same_dimension("referral / adult_female", "referral / person")


@pytest.mark.parametrize(
    ("unit", "expected"),
    [
        ("order / (hundred * offence)", 0.70408),
        ("order / (thousand * offence)", 7.0408),
        ("order / (ten_thousand * offence)", 70.408),
        ("order / (million * offence)", 7040.8),
    ],
)
def test_scales(unit: str, expected: float) -> None:
    q = units.quantity(68 / 9658, "order / offence").to(unit)
    assert q.magnitude == pytest.approx(expected, rel=1e-4)


def test_percent() -> None:
    assert units.quantity(9658 / 77604, "offence / offence").to("percent").magnitude == (
        pytest.approx(12.445, abs=1e-3)
    )


def test_registry_has_no_default_units() -> None:
    with pytest.raises(pint.UndefinedUnitError):
        units.registry().parse_units("metre")


def test_registry_is_one_object() -> None:
    assert units.registry() is units.registry()


def test_import_does_not_load_pint_pandera_or_matplotlib() -> None:
    heavy = "('pint', 'pandera', 'matplotlib', 'cattrs', 'narwhals', 'polars', 'duckdb')"
    code = f"import sys, peelmetrics; print(sorted(m for m in {heavy} if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
