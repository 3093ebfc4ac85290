"""An edition checks its own declarations when it is built."""

from __future__ import annotations

from datetime import date

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


def test_a_unit_at_the_wrong_scale_is_caught() -> None:
    # Per 1,000 declared, "per million" typed: the same thing counted, not the same figure.
    crime = edition().metric("recorded_crime_per_1000")
    bad = attrs.evolve(crime, unit="offence / (million * person)")
    metrics = tuple(bad if m.id == crime.id else m for m in edition().metrics)
    with pytest.raises(InvalidValueError, match="metric recorded_crime_per_1000: unit"):
        _rebuild(metrics=metrics)


def test_a_tracked_share_reading_untracked_outcomes_is_caught() -> None:
    share = edition().metric("charged_summonsed_share")
    bad = attrs.evolve(share, numerator=("untracked_outcome_1",))
    metrics = tuple(bad if m.id == share.id else m for m in edition().metrics)
    with pytest.raises(InvalidValueError, match="charged_summonsed_share is on the tracked basis"):
        _rebuild(metrics=metrics)


def test_comparisons_see_scale_and_kind() -> None:
    from peelmetrics import IncomparableError, check_comparable

    ed = edition()
    per_million = attrs.evolve(
        ed.metric("recorded_crime_per_1000"), id="crime_per_million",
        scale="million", unit="offence / (million * person)",
    )  # fmt: skip
    with pytest.raises(IncomparableError, match="million"):
        check_comparable(ed.metric("recorded_crime_per_1000"), per_million)
    with pytest.raises(IncomparableError, match="not a proportion"):
        check_comparable(ed.metric("domestic_abuse_share_of_crime"),
                         ed.metric("recorded_crime_change"))  # fmt: skip


def test_unknown_names_are_typed_errors() -> None:
    from peelmetrics import UnknownCaveatError, UnknownEditionError, UnknownGroupError
    from peelmetrics.catalogue import get

    with pytest.raises(UnknownCaveatError, match="btp_out_of_scope"):
        edition().caveat("btp_out_of_scop")
    with pytest.raises(UnknownGroupError, match="charged_summonsed"):
        edition().outcome_grouping.group("charged_summons")
    with pytest.raises(UnknownEditionError, match="peel2017"):
        get("peel2071")


def test_population_rates_follow_the_editions_population_estimate() -> None:
    """Annex A, "Population": the report divides its own periods by one estimate (ONS
    mid-2016); a metric fixing another is an inconsistent edition."""
    from peelmetrics.periods import Period

    assert edition().population_period == Period.as_at(date(2016, 6, 30))
    assert {m.denominator_rule.fixed for m in edition().metrics if m.denominator_rule} == {
        edition().population_period
    }
    with pytest.raises(InvalidValueError, match="edition's population estimate is"):
        _rebuild(population_period=Period.as_at(date(2017, 6, 30)))
