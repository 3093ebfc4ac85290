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
from peelmetrics.compute import check_comparable, compute
from peelmetrics.counts import (
    compare_counts,
    concat_counts,
    make_counts,
    update_counts,
    validate_counts,
)
from peelmetrics.errors import (
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
from peelmetrics.metrics import Measure, Metric, MetricKind, OutcomeBasis, Presentation, Scale
from peelmetrics.outcomes import OutcomeGroup, OutcomeGrouping, OutcomeType
from peelmetrics.page import report_html
from peelmetrics.panel import force_in_numbers
from peelmetrics.periods import Period, PeriodChoice, parse_period

__version__ = "0.1.0"

__all__ = [
    "ENGLAND_AND_WALES_CODE",
    "CaveatKind",
    "DataCaveat",
    "Edition",
    "Force",
    "Grade",
    "IncomparableError",
    "InputFileError",
    "InvalidValueError",
    "Judgment",
    "Measure",
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
    "current_judgments",
    "datasets",
    "edition",
    "editions",
    "force_in_numbers",
    "make_counts",
    "parse_period",
    "percent_change",
    "rate",
    "ratio_of_sums",
    "report_html",
    "resolve_force",
    "round_half_away",
    "share",
    "trends",
    "update_counts",
    "validate_counts",
]
