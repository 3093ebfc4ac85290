"""Data shipped inside the package: no network at run time.

Each edition names its bundle; :func:`counts` gives its Counts, :func:`published` the
figures its report prints, :func:`provenance` where each measure came from. For PEEL 2017,
``counts("peel2017")`` is the Counts the panel is computed from: ONS mid-2016
population (persons and females aged 16+, unrounded) and mid-2002 to mid-2015 populations
(ONS Table P9) for every force; anti-social behaviour incidents for the years ending March
2008 to 2018 (ONS Table P7); Home Office recorded crime excluding fraud for every rolling
year from March 2003 to December 2018, for every force and British Transport Police; Home
Office crime outcomes by type, tracked and untracked, for the year ending March 2018; and
the counts the Hertfordshire report states (domestic abuse-related offences, DVPOs).
``scripts/build_peel2017_data.py`` regenerates it from the published files;
``provenance("peel2017")`` says which file, release and derivation each measure came from;
``published("peel2017")`` is the figures the report prints, so outputs can show "published"
beside "computed".

>>> bundled = counts("peel2017")
>>> herts = bundled[(bundled.force == "E23000027") & (bundled.measure == "population")]
>>> int(herts.set_index("period_end").value["2016-06-30"])
1176720
>>> published("peel2017").query("metric == 'dvpo_rate' and force == 'K04000001'").published.iloc[0]
'0.8'
"""

from __future__ import annotations

import io
import json
from typing import TYPE_CHECKING, Any

import pandas as pd

from peelmetrics._data import read_text
from peelmetrics.counts import COUNTS_COLUMNS, OPTIONAL_COLUMNS
from peelmetrics.errors import InvalidValueError

if TYPE_CHECKING:  # pragma: no cover
    from peelmetrics.catalogue import Edition

__all__ = ["counts", "provenance", "published"]


def _name(edition: Edition | str | None) -> tuple[str, Edition]:
    from peelmetrics.catalogue import get

    ed = get(edition)
    if ed.bundled is None:
        raise InvalidValueError(
            f"no data ships with edition {ed.id!r}; pass your own counts (see `peelmetrics read`)"
        )
    return ed.bundled, ed


def counts(edition: Edition | str | None = None) -> pd.DataFrame:
    """The Counts shipped with ``edition`` (default: the default edition); a new frame on
    every call.

    The file is read straight into the dtypes :func:`~peelmetrics.counts.validate_counts`
    gives, not validated again on every load: it is the build script's output, validated
    when built, and the test suite checks that validating it changes nothing (the main
    job's start-up pays for no check of our own package data)."""
    name, _ed = _name(edition)
    frame = pd.read_csv(
        io.StringIO(read_text(f"{name}_counts.csv")),
        dtype={"force": "str", "period_months": "int64", "measure": "str", "value": "float64",
               "source": "str", "missing_months": "str"},
        keep_default_na=False,
        low_memory=False,  # one pass, not chunks: a third faster on a file this size
    )  # fmt: skip
    frame["period_end"] = pd.to_datetime(frame["period_end"], format="%Y-%m-%d").astype(
        "datetime64[ns]"
    )
    return frame.loc[:, [*COUNTS_COLUMNS, *(c for c in OPTIONAL_COLUMNS if c in frame)]]


def published(edition: Edition | str | None = None) -> pd.DataFrame:
    """Figures the edition's report prints, as printed.

    Columns: ``force`` (ONS code; ``K04000001`` for England and Wales), ``metric``,
    ``period_end``, ``period_months``, ``published`` (text as printed, e.g. ``"12%"``),
    ``certainty`` (``stated``, or ``likely`` where the text extraction lost the layout and
    the attribution rests on print order), ``where`` (report section) and ``note``.
    Figures the extraction could not attribute to a force ("282", "28", "31", "+23%",
    "-0.05%", "47") are deliberately absent.
    """
    name, _ed = _name(edition)
    frame = pd.read_csv(
        io.StringIO(read_text(f"{name}_published.csv")),
        dtype={"published": str, "note": str},
        keep_default_na=False,
    )
    frame["period_end"] = pd.to_datetime(frame["period_end"], format="%Y-%m-%d").astype(
        "datetime64[ns]"
    )
    return frame


def provenance(edition: Edition | str | None = None) -> dict[str, Any]:
    """Where each bundled measure came from: file, release, derivation and reconciliation."""
    name, _ed = _name(edition)
    result: dict[str, Any] = json.loads(read_text(f"{name}_provenance.json"))
    return result
