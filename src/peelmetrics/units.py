"""The one unit registry of peelmetrics, built from scratch and only when first asked for.

What the report counts are different things, so each is a base dimension of its own: an
offence rate added to an incident rate is a :class:`pint.DimensionalityError`, as it
should be. Adult females are their own dimension (``[adult_female]``), not persons with a
filter: the MARAC rate's denominator is not interchangeable with a population, and
dividing referrals by persons where adult females are meant is a mistake the registry
should catch.

Scales (per 100, per 1,000, per 10,000, per million, percent) are dimensionless units, so a
rate's unit reads as it is printed: ``"arrest / (hundred * offence)"``.

DataFrame columns stay plain floats; units travel as strings (the ``unit`` column of
results). Pint is imported only when :func:`registry` is first called, so
``import peelmetrics`` stays cheap.

>>> from peelmetrics.units import quantity
>>> q = quantity(68 / 9658, "order / offence").to("order / (hundred * offence)")
>>> round(q.magnitude, 3)
0.704
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # pragma: no cover
    import pint

__all__ = [
    "BASE_UNITS",
    "SCALES",
    "SCALE_FACTORS",
    "check_same_dimension",
    "check_same_unit",
    "declare",
    "quantity",
    "registry",
]

#: Things every edition counts: unit name -> (base dimension, meaning). An edition declares
#: its own further units (:attr:`~peelmetrics.catalogue.Edition.units`; PEEL 2017's OCGs,
#: ASB powers and NFIB cases) and :func:`declare` adds them.
BASE_UNITS: MappingProxyType[str, tuple[str, str]] = MappingProxyType(
    {
        "person": ("[person]", "resident (or resident plus transient) population"),
        "adult_female": ("[adult_female]", "females aged 16 and over"),
        "offence": ("[offence]", "notifiable offence recorded by the police"),
        "incident": ("[incident]", "incident recorded by the police (calls, ASB, domestic abuse)"),
        "arrest": ("[arrest]", "arrest"),
        "order": ("[order]", "domestic violence protection order granted by a court"),
        "referral": ("[referral]", "referral to a multi-agency risk assessment conference"),
    }
)

#: The scales published rates are printed at, declared once: unit name -> the multiplier
#: from a plain ratio to the printed figure (68 DVPOs / 9,658 offences x 100 = 0.7 per 100).
SCALE_FACTORS: MappingProxyType[str, float] = MappingProxyType(
    {
        "percent": 100.0,
        "hundred": 100.0,
        "thousand": 1_000.0,
        "ten_thousand": 10_000.0,
        "million": 1_000_000.0,
    }
)
#: The same scales as units of the registry: "percent" is a hundredth (a value in percent
#: times 0.01 is the ratio); "per hundred" divides by a hundred of the denominator.
SCALES: MappingProxyType[str, float] = MappingProxyType(
    {name: (1 / f if name == "percent" else f) for name, f in SCALE_FACTORS.items()}
)


#: Units editions declared: defined in the registry when it is built, or at once if it is.
_DECLARED: dict[str, tuple[str, str]] = {}


def declare(units: Mapping[str, str]) -> None:
    """Add an edition's own counted things (unit name -> meaning), each its own dimension.
    Declaring a name again is harmless; pint is not imported until a unit is used.

    >>> declare({"ocg": "organised crime group"})
    >>> check_same_dimension("ocg / (million * person)", "ocg / person")
    """
    for name, meaning in units.items():
        if name in BASE_UNITS or name in _DECLARED:
            continue
        _DECLARED[name] = (f"[{name}]", meaning)
        if registry.cache_info().currsize:  # already built: define it there too
            registry().define(f"{name} = [{name}]")


@cache
def registry() -> pint.UnitRegistry[Any]:
    """Return the package's unit registry (built once per process, on first use).

    It holds only the units above: none of pint's default definitions are loaded, which
    saves about 300 ms and keeps metres and seconds out of police statistics.
    """
    import pint

    ureg: pint.UnitRegistry[Any] = pint.UnitRegistry(None)
    for name, (dimension, _meaning) in {**BASE_UNITS, **_DECLARED}.items():
        ureg.define(f"{name} = {dimension}")
    for name, factor in SCALES.items():
        ureg.define(f"{name} = {factor!r}")
    return ureg


def quantity(value: Any, unit: str) -> pint.Quantity[Any]:
    """Attach ``unit`` (a string such as ``"offence / (thousand * person)"``) to ``value``."""
    return registry().Quantity(value, unit)


def check_same_unit(unit_a: str, unit_b: str) -> None:
    """Raise :class:`pint.DimensionalityError` unless both units are the same, scale included:
    per 1,000 and per million measure the same thing but are not the same figure.

    >>> check_same_unit("offence / (thousand * person)", "offence / (person * thousand)")
    >>> check_same_unit("offence / (thousand * person)", "offence / (million * person)")
    Traceback (most recent call last):
    ...
    pint.errors.DimensionalityError: ...
    """
    check_same_dimension(unit_a, unit_b)
    factor = float(quantity(1.0, unit_a).to(unit_b).magnitude)
    if abs(factor - 1.0) > 1e-9:
        import pint

        raise pint.DimensionalityError(
            unit_a, unit_b, extra_msg=f": same thing counted, but at a scale {factor:g} times"
        )


def check_same_dimension(unit_a: str, unit_b: str) -> None:
    """Raise :class:`pint.DimensionalityError` unless both unit strings measure the same thing.

    >>> check_same_dimension("offence / (thousand * person)", "offence / person")
    >>> check_same_dimension("offence / person", "incident / person")
    Traceback (most recent call last):
    ...
    pint.errors.DimensionalityError: ...
    """
    ureg = registry()
    a, b = ureg.parse_units(unit_a), ureg.parse_units(unit_b)
    if a.dimensionality != b.dimensionality:
        import pint

        raise pint.DimensionalityError(unit_a, unit_b, str(a.dimensionality), str(b.dimensionality))
