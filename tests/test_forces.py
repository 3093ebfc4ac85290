"""The force registry and the resolver for every publisher's spelling."""

from __future__ import annotations

import csv

import pytest
from hypothesis import given
from hypothesis import strategies as st

from peelmetrics import Force, UnknownForceError, all_forces, resolve_force
from peelmetrics.forces import force_by_code, normalise_name


def test_43_geographic_forces_plus_btp() -> None:
    forces = all_forces()
    assert len(forces) == 44
    assert len(all_forces(geographic_only=True)) == 43
    btp = resolve_force("British Transport Police")
    assert not btp.geographic
    assert btp not in all_forces(geographic_only=True)


@pytest.mark.parametrize(
    ("name", "code"),
    [
        ("Hertfordshire", "E23000027"),
        ("Hertfordshire Constabulary", "E23000027"),
        ("hertfordshire", "E23000027"),
        ("E23000027", "E23000027"),
        ("e23000027", "E23000027"),
        ("London, City of", "E23000034"),
        ("City of London", "E23000034"),
        ("City of London Police", "E23000034"),
        ("Devon & Cornwall", "E23000035"),
        ("Devon and Cornwall", "E23000035"),
        ("Devon & Cornwall Police", "E23000035"),
        ("devon-and-cornwall", "E23000035"),
        ("Metropolitan Police Service", "E23000001"),
        ("Metropolitan Police", "E23000001"),
        ("Dyfed-Powys", "W15000004"),
        ("  dyfed powys  ", "W15000004"),
        ("BTP", "BTP"),
    ],
)
def test_resolves_every_publishers_spelling(name: str, code: str) -> None:
    assert resolve_force(name).code == code


def test_unknown_force_suggests_closest() -> None:
    with pytest.raises(UnknownForceError) as info:
        resolve_force("Hertfordshir")
    assert info.value.suggestions[0] == "Hertfordshire"
    assert "did you mean 'Hertfordshire'" in str(info.value)
    assert isinstance(info.value, LookupError)


def test_unknown_code() -> None:
    with pytest.raises(UnknownForceError):
        force_by_code("E23000099")


def test_invalid_code_rejected_at_construction() -> None:
    with pytest.raises(ValueError, match="not an ONS PFA code"):
        Force(code="X1", name="Nowhere Police", short_name="Nowhere")


@given(st.sampled_from([(f, n) for f in all_forces() for n in f.names()]))
def test_every_alias_round_trips(pair: tuple[Force, str]) -> None:
    force, spelling = pair
    assert resolve_force(spelling) is force
    assert resolve_force(spelling.upper()) is force
    assert resolve_force(f" {spelling.lower()} ") is force
    assert resolve_force(force.code) is force


def test_force_dict_round_trip() -> None:
    for force in all_forces():
        assert Force.from_dict(force.to_dict()) == force


def test_normalise_name() -> None:
    assert normalise_name("Devon & Cornwall") == normalise_name("devon and cornwall")


@pytest.mark.reference
def test_registry_agrees_with_reference_table(reference_dir) -> None:  # type: ignore[no-untyped-def]
    with open(reference_dir / "forces_43.csv", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert len(rows) == 43
    for row in rows:
        force = resolve_force(row["pfa17cd"])
        assert resolve_force(row["ons_pfa17nm"]) is force
        assert resolve_force(row["home_office_prc_name"]) is force
        assert resolve_force(row["police_uk_force_name"]) is force
        assert resolve_force(row["police_uk_id"]) is force
        assert force.region == row["region"]
        assert force.country == row["country"]


@pytest.mark.parametrize(
    "name",
    ["Hampshire and Isle of Wight Constabulary", "Hampshire & Isle of Wight Constabulary",
     "hampshire-and-isle-of-wight"],
)  # fmt: skip
def test_a_force_renamed_later_is_the_same_force(name: str) -> None:
    """Hampshire Constabulary became Hampshire and Isle of Wight Constabulary in 2022;
    later data.police.uk files and Home Office tables use the new name."""
    assert resolve_force(name).code == "E23000030"
