"""Peer groups: the peers' figure is the ratio of sums over the listed peers (or the mean of
their rates, if asked), and says which forces it used."""

from __future__ import annotations

from pathlib import Path

import pytest

import peelmetrics as pm
from peelmetrics.peers import peer_rows, read_peers

HERTS, ESSEX, KENT, BEDS = (pm.resolve_force(n).code for n in
                            ("Hertfordshire", "Essex", "Kent", "Bedfordshire"))  # fmt: skip
CITY = pm.resolve_force("City of London").code


def test_ratio_of_sums_over_the_listed_peers() -> None:
    results = pm.compute(pm.datasets.counts("peel2017"), ["recorded_crime_per_1000"])
    year = results[results.period_end == "2017-06-30"].set_index("force")
    group = {HERTS: (ESSEX, KENT, BEDS)}
    row = peer_rows(results, group)
    row = row[row.period_end == "2017-06-30"].iloc[0]
    listed = year.loc[[ESSEX, KENT, BEDS]]
    assert row.peer_value == pytest.approx(listed.numerator.sum() / listed.denominator.sum() * 1000)
    assert row.peers == (ESSEX, KENT, BEDS)
    assert row.peer_method == "ratio of sums"
    mean = peer_rows(results, group, method="mean_of_rates")
    assert mean[mean.period_end == "2017-06-30"].iloc[0].peer_value == pytest.approx(
        listed.value.mean()
    )


def test_peers_without_a_figure_are_left_out_and_membership_is_not_symmetric() -> None:
    results = pm.compute(pm.datasets.counts("peel2017"), ["recorded_crime_per_1000"])
    # City of London's rate is not a figure without its transient population.
    rows = peer_rows(results, {HERTS: (CITY, KENT), KENT: (ESSEX,)})
    year = rows[rows.period_end == "2017-06-30"].set_index("force")
    assert year.loc[HERTS, "peers"] == (KENT,)
    assert year.loc[KENT, "peers"] == (ESSEX,)  # Kent's peers are not Hertfordshire's


def test_read_peers_and_the_panel(tmp_path: Path) -> None:
    path = tmp_path / "peers.csv"
    path.write_text("force,peer\nHerts,Essex\nHertfordshire,Kent\nHerts,Kent\n")
    assert read_peers(path) == {HERTS: (ESSEX, KENT)}
    panel = pm.force_in_numbers("Hertfordshire", peers=read_peers(path)).set_index("metric")
    assert panel.loc["recorded_crime_per_1000", "peers"] == (ESSEX, KENT)
    bad = tmp_path / "bad.csv"
    bad.write_text("force,peer\nHerts,Herts\n")
    with pytest.raises(pm.InputFileError, match="not its own peer"):
        read_peers(bad)
    bad.write_text("force,peer\nHerts,Atlantis\n")
    with pytest.raises(pm.InputFileError, match="unknown force 'Atlantis'"):
        read_peers(bad)


def test_peers_on_the_command_line(tmp_path: Path) -> None:
    import io

    from peelmetrics.cli import main

    path = tmp_path / "peers.csv"
    path.write_text("force,peer\nHerts,Essex\nHerts,Kent\n")
    results = pm.compute(pm.datasets.counts("peel2017"), ["recorded_crime_per_1000"])
    year = results[results.period_end == "2017-06-30"].set_index("force").loc[[ESSEX, KENT]]
    expected = (
        pm.edition()
        .metric("recorded_crime_per_1000")
        .display(year.numerator.sum() / year.denominator.sum() * 1000)
    )
    out = io.StringIO()
    assert main(["force-in-numbers", "Herts", "--peers", str(path)], out=out) == 0
    text = out.getvalue()
    assert f"peers {expected}" in text  # the notes column wraps the names below
    assert "(Essex," in text
