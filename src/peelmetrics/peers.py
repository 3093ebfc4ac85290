"""Peer groups: a force beside the forces it is fairly compared with.

HMICFRS compares each force with its "most similar group" (up to seven peers; membership
is not symmetric; City of London has none). No machine-readable list is published, so a
user supplies one: a CSV of ``force,peer`` rows (any spelling of either), one row per peer.
Any grouping works.

A peer row is the **ratio of sums** over the peers that have a figure (as England and Wales
is), or, if asked, the **mean of their rates** (as the old HMIC comparator did). Each row
says which method and which forces it used.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Literal

import numpy as np
import pandas as pd

from peelmetrics import calc
from peelmetrics._convert import strings
from peelmetrics.errors import InputFileError, InvalidValueError, Problem
from peelmetrics.forces import ENGLAND_AND_WALES_CODE, resolve_force

if TYPE_CHECKING:  # pragma: no cover
    from peelmetrics.catalogue import Edition

__all__ = ["PEER_COLUMNS", "peer_rows", "read_peers"]

Method = Literal["ratio_of_sums", "mean_of_rates"]
PEER_COLUMNS = ("force", "metric", "period_end", "period_months", "peer_value",
                "peer_display", "peer_method", "peers")  # fmt: skip


def read_peers(path: str | Path) -> dict[str, tuple[str, ...]]:
    """Peer groups from a ``force,peer`` CSV: force code -> peer codes, in file order.

    >>> import tempfile, pathlib
    >>> file = pathlib.Path(tempfile.mkdtemp()) / "peers.csv"
    >>> _ = file.write_text("force,peer\\nHerts,Essex\\nHertfordshire,Kent\\n")
    >>> read_peers(file)
    {'E23000027': ('E23000028', 'E23000032')}
    """
    from peelmetrics.forces import resolve_names
    from peelmetrics.sources.columns import duplicated_headers
    from peelmetrics.sources.files import read_csv_text

    path = Path(path)
    table = read_csv_text(path)
    problems = duplicated_headers(list(table.columns), str(path))
    columns = {c.strip().casefold(): c for c in table.columns}
    missing = [c for c in ("force", "peer") if c not in columns]
    problems += [Problem(str(path), 1, c, "required column is missing") for c in missing]
    if problems:
        raise InputFileError(problems)
    rows = pd.Series(range(2, len(table) + 2), index=table.index)
    forces, bad = resolve_names(table[columns["force"]].str.strip(), rows, str(path), "force")
    peers, bad_peers = resolve_names(table[columns["peer"]].str.strip(), rows, str(path), "peer")
    problems = bad + bad_peers
    if problems:
        raise InputFileError(problems)
    same = forces.astype(str) == peers.astype(str)
    if same.any():
        raise InputFileError(
            Problem(str(path), int(rows[i]), "peer", "a force is not its own peer")
            for i in same[same].index
        )
    groups: dict[str, tuple[str, ...]] = {}
    for force, peer in zip(forces.astype(str), peers.astype(str), strict=True):
        if peer not in groups.get(force, ()):
            groups[force] = (*groups.get(force, ()), peer)
    return groups


def peer_rows(
    results: pd.DataFrame,
    peers: Mapping[str, Sequence[str]],
    edition: Edition | str | None = None,
    *,
    method: Method = "ratio_of_sums",
) -> pd.DataFrame:
    """One row per force with peers, metric and period: the peers' figure.

    Peers without a figure (dashed) are left out of the sum and of ``peers``; a group with
    none gives NaN. Columns: :data:`PEER_COLUMNS`.
    """
    from peelmetrics.catalogue import for_results
    from peelmetrics.metrics import MetricKind

    if method not in ("ratio_of_sums", "mean_of_rates"):
        raise InvalidValueError(
            f"method must be 'ratio_of_sums' or 'mean_of_rates', not {method!r}"
        )
    ed = for_results(results, edition)
    if not isinstance(peers, Mapping):
        raise InvalidValueError(f"peers: a mapping of force -> peer forces (read_peers gives "
                                f"one), not {type(peers).__name__}")  # fmt: skip
    # Keys and members in any spelling, resolved once: a group keyed by "Kent" would
    # otherwise match no result and give NaN everywhere without a word.
    peers = {
        resolve_force(force).code: tuple(resolve_force(p).code for p in strings(group))
        for force, group in peers.items()
    }
    usable = results[
        (results["force"] != ENGLAND_AND_WALES_CODE)
        & (results["display"] != "–")
        & results["value"].notna()
    ]
    membership = pd.DataFrame(
        [(force, peer) for force, group in peers.items() for peer in group],
        columns=["group", "force"],
    )
    joined = membership.merge(usable, on="force")
    keys = ["group", "metric", "period_end", "period_months"]
    grouped = joined.groupby(keys, sort=True)
    sums = grouped[["numerator", "denominator"]].sum()
    frame = sums.reset_index().rename(columns={"group": "force_"})
    frame["peers"] = grouped["force"].agg(tuple).to_numpy()
    metrics = {m.id: m for m in ed.metrics}
    kinds = frame["metric"].map({k: m.kind for k, m in metrics.items()})
    factors = frame["metric"].map({k: m.scale.factor for k, m in metrics.items()})
    if method == "mean_of_rates":
        value = grouped["value"].mean().to_numpy()
    else:
        # The group's figure as a force's is computed: a ratio of the summed counts, a
        # change through calc.percent_change.
        num, den = (
            sums["numerator"].reset_index(drop=True),
            sums["denominator"].reset_index(drop=True),
        )
        change = (kinds == MetricKind.CHANGE).to_numpy()
        value = np.where(change, calc.percent_change(num, den).to_numpy(),
                         calc.rate(num, den, per=1.0).to_numpy() * factors.to_numpy())  # fmt: skip
    frame["peer_value"] = value
    frame["peer_display"] = [
        metrics[str(m)].display(float(v)) for m, v in zip(frame["metric"], value, strict=True)
    ]
    frame["peer_method"] = method.replace("_", " ")
    frame = frame.rename(columns={"force_": "force"}).loc[:, list(PEER_COLUMNS)]
    frame["peer_value"] = frame["peer_value"].astype("float64")
    return frame.replace({"peer_value": {np.inf: np.nan}})
