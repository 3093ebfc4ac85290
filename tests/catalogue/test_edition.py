"""An edition checks its own declarations when it is built."""

from __future__ import annotations

import attrs
import pytest

from peelmetrics import InvalidValueError, edition
from peelmetrics.catalogue import Edition


def _rebuild(**changes: object) -> Edition:
    ed = edition()
    fields = {f.name: getattr(ed, f.name) for f in attrs.fields(Edition)}
    fields["check_units"] = True  # the shipped edition skips pint at run time; not here
    fields.update(changes)
    return Edition(**fields)  # type: ignore[arg-type]


def test_peel2017_is_consistent() -> None:
    # Units included: the shipped edition is built without pint at run time, so this test
    # is what checks its units.
    rebuilt = _rebuild()
    assert rebuilt.id == "peel2017"
    assert rebuilt.check_units


def test_wrong_unit_is_caught() -> None:
    dvpo = edition().metric("dvpo_rate")
    bad = attrs.evolve(dvpo, unit="arrest / (hundred * offence)")
    metrics = tuple(bad if m.id == "dvpo_rate" else m for m in edition().metrics)
    with pytest.raises(InvalidValueError, match="metric dvpo_rate: unit"):
        _rebuild(metrics=metrics)


def test_unknown_measure_and_panel_metric_are_caught() -> None:
    dvpo = attrs.evolve(edition().metric("dvpo_rate"), numerator=("dvpos",))
    metrics = tuple(dvpo if m.id == "dvpo_rate" else m for m in edition().metrics)
    with pytest.raises(InvalidValueError, match="reads unknown measures"):
        _rebuild(metrics=metrics)
    with pytest.raises(InvalidValueError, match="panel names unknown metrics"):
        _rebuild(panel=("dvpo_rates",))


def test_components_must_add_up() -> None:
    action = attrs.evolve(
        edition().metric("action_taken_share"), components=("charged_summonsed_share",)
    )
    metrics = tuple(action if m.id == "action_taken_share" else m for m in edition().metrics)
    with pytest.raises(InvalidValueError, match="do not add up"):
        _rebuild(metrics=metrics)


def test_caveat_naming_unknown_metric_is_caught() -> None:
    caveat = attrs.evolve(edition().caveat("marac_period_mismatch"), metrics=("marac_rate",))
    caveats = tuple(caveat if c.id == "marac_period_mismatch" else c for c in edition().caveats)
    with pytest.raises(InvalidValueError, match="names unknown metrics"):
        _rebuild(caveats=caveats)
