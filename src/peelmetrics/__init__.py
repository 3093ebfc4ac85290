"""peelmetrics: HMICFRS PEEL inspection metrics as typed, tested Python.

The public API, re-exported here:

>>> import peelmetrics
>>> peelmetrics.resolve_force("Hertfordshire Constabulary").code
'E23000027'
>>> round(peelmetrics.rate(68, 9658, per=100), 1)
0.7
>>> peelmetrics.edition().metric("dvpo_rate").title
'DVPOs granted per 100 domestic abuse-related offences'
"""

from __future__ import annotations

from typing import Any

from peelmetrics import datasets, trends
from peelmetrics.calc import (
    agrees_with_published,
    percent_change,
    rate,
    ratio_of_sums,
    round_half_away,
    share,
)
from peelmetrics.catalogue import Edition, editions
from peelmetrics.catalogue import get as edition
from peelmetrics.caveats import CaveatKind, DataCaveat, Status
from peelmetrics.compute import compute
from peelmetrics.counts import (
    compare_counts,
    concat_counts,
    make_counts,
    update_counts,
    validate_counts,
)
from peelmetrics.errors import (
    EditionError,
    IncomparableError,
    InputFileError,
    InvalidValueError,
    PeelMetricsError,
    PeelMetricsWarning,
    PeriodNotCoveredError,
    Problem,
    UnknownCaveatError,
    UnknownEditionError,
    UnknownForceError,
    UnknownGroupError,
    UnknownMeasureError,
    UnknownMetricError,
)
from peelmetrics.forces import ENGLAND_AND_WALES_CODE, Force, all_forces, resolve_force
from peelmetrics.judgments import Grade, Judgment, Question, current_judgments
from peelmetrics.metrics import (
    Measure,
    Metric,
    MetricKind,
    OutcomeBasis,
    Presentation,
    Scale,
    check_comparable,
)
from peelmetrics.outcomes import OutcomeGroup, OutcomeGrouping, OutcomeType
from peelmetrics.page import report_html
from peelmetrics.panel import force_in_numbers
from peelmetrics.periods import Period, PeriodChoice, parse_period

__version__ = "0.1.0"

#: Reading is imported on first use (``pm.sources``, ``pm.read_any``...): a script that only
#: computes from bundled data does not pay for the readers' imports.
_READING = frozenset(
    {"ReadReport", "read_any", "read_records", "count_records", "RecordSpec", "MeasureRule",
     "load_spec", "detect_format"}
)  # fmt: skip


def __getattr__(name: str) -> Any:
    import importlib

    if name == "sources":
        return importlib.import_module("peelmetrics.sources")
    if name in _READING:
        return getattr(importlib.import_module("peelmetrics.sources"), name)
    raise AttributeError(f"module 'peelmetrics' has no attribute {name!r}")


__all__ = [
    "ENGLAND_AND_WALES_CODE",
    "CaveatKind",
    "DataCaveat",
    "Edition",
    "EditionError",
    "Force",
    "Grade",
    "IncomparableError",
    "InputFileError",
    "InvalidValueError",
    "Judgment",
    "Measure",
    "MeasureRule",
    "Metric",
    "MetricKind",
    "OutcomeBasis",
    "OutcomeGroup",
    "OutcomeGrouping",
    "OutcomeType",
    "PeelMetricsError",
    "PeelMetricsWarning",
    "Period",
    "PeriodChoice",
    "PeriodNotCoveredError",
    "Presentation",
    "Problem",
    "Question",
    "ReadReport",
    "RecordSpec",
    "Scale",
    "Status",
    "UnknownCaveatError",
    "UnknownEditionError",
    "UnknownForceError",
    "UnknownGroupError",
    "UnknownMeasureError",
    "UnknownMetricError",
    "__version__",
    "agrees_with_published",
    "all_forces",
    "check_comparable",
    "compare_counts",
    "compute",
    "concat_counts",
    "count_records",
    "current_judgments",
    "datasets",
    "detect_format",
    "edition",
    "editions",
    "force_in_numbers",
    "load_spec",
    "make_counts",
    "parse_period",
    "percent_change",
    "rate",
    "ratio_of_sums",
    "read_any",
    "read_records",
    "report_html",
    "resolve_force",
    "round_half_away",
    "share",
    "sources",
    "trends",
    "update_counts",
    "validate_counts",
]
