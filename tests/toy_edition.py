"""A toy second edition, defined only for the tests: a five-point scale, other periods and
questions, a metric the 2017 edition lacks and different caveats. Generic code must run it
unchanged (issue "Editions as plug-ins")."""

from __future__ import annotations

from datetime import date

from peelmetrics.catalogue import Edition, register
from peelmetrics.caveats import ALL_METRICS, CaveatKind, DataCaveat
from peelmetrics.denominators import DenominatorRule
from peelmetrics.forces import BTP_CODE, resolve_force
from peelmetrics.judgments import FIVE_POINT, Judgment
from peelmetrics.metrics import Measure, Metric, Presentation
from peelmetrics.outcomes import OutcomeGroup, OutcomeGrouping
from peelmetrics.periods import Period

ID = "toy2023"
YEAR = Period.year_to(2023, 3)
MONTH = Period(date(2023, 3, 31), 1)
MID_2021 = Period.as_at(date(2021, 6, 30))
RULE = DenominatorRule(fixed=MID_2021, fixed_for=(YEAR, MONTH))
SOURCE = "toy tables"
DEVON = resolve_force("Devon and Cornwall").code


def edition() -> Edition:
    measures = (
        Measure("population", "Resident population", "person", default_months=0),
        Measure("recorded_crime", "Recorded crime excluding fraud", "offence"),
        Measure("police_uk_crimes", "Street-level crimes", "offence", default_months=1),
        # A measure the 2017 edition lacks.
        Measure("emergency_calls", "Emergency calls answered", "incident"),
    )
    metrics = (
        Metric("crime_rate", "Crimes per 1,000 people", "rate", "recorded_crime", "population",
               "thousand", "offence / (thousand * person)", YEAR, Presentation(1, "number"),
               SOURCE, "Toy: crime", denominator_rule=RULE),
        Metric("crime_change", "Change in crime", "change", "recorded_crime", None, "percent",
               "percent", YEAR, Presentation(0, "signed_percent"), SOURCE, "Toy: crime"),
        # A metric the 2017 edition lacks: a monthly street-crime rate per million.
        Metric("street_crime_per_million", "Street crimes per million people, per month",
               "rate", "police_uk_crimes", "population", "million",
               "offence / (million * person)", MONTH, Presentation(0, "number"), SOURCE,
               "Toy: street crime", denominator_rule=RULE),
        # The unit left empty: the edition derives it from the measures and the scale.
        Metric("emergency_calls_per_1000", "Emergency calls per 1,000 people", "rate",
               "emergency_calls", "population", "thousand", "",
               YEAR, Presentation(0, "number"), SOURCE, "Toy: calls", denominator_rule=RULE),
    )  # fmt: skip
    caveats = (
        DataCaveat("btp_elsewhere", CaveatKind.OUT_OF_SCOPE, "BTP is outside this toy report.",
                   "Toy annex", forces=(BTP_CODE,), metrics=(ALL_METRICS,),
                   excluded_from_national=True),
        DataCaveat("devon_not_comparable", CaveatKind.NOT_COMPARABLE,
                   "Devon and Cornwall's toy data are not comparable.", "Toy annex",
                   forces=(DEVON,), metrics=("crime_rate",), excluded_from_national=True),
        DataCaveat("toy_population_stand_in", CaveatKind.ESTIMATED,
                   "The toy report divides by mid-2021 populations.", "Toy annex",
                   metrics=(ALL_METRICS,),
                   applies_if_denominator_estimated=True),
    )  # fmt: skip
    return Edition(
        id=ID,
        title="Toy PEEL 2023",
        measures=measures,
        metrics=metrics,
        caveats=caveats,
        outcome_grouping=OutcomeGrouping(ID, (OutcomeGroup("charged", "Charged", (1,)),)),
        population_period=MID_2021,
        judgments=(Judgment("Kent", "Responding to the public", "Adequate", 2023),),
        panel=("crime_rate", "crime_change", "street_crime_per_million"),
        questions=("Responding to the public", "Investigating crime"),
        grades=FIVE_POINT,
    )


register(ID, edition)
