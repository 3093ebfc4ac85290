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
        Measure(id="population", title="Resident population", unit="person", default_months=0),
        Measure(id="recorded_crime", title="Recorded crime excluding fraud", unit="offence"),
        Measure(
            id="police_uk_crimes", title="Street-level crimes", unit="offence", default_months=1
        ),
        # A measure the 2017 edition lacks.
        Measure(id="emergency_calls", title="Emergency calls answered", unit="incident"),
    )
    metrics = (
        Metric(
            id="crime_rate",
            title="Crimes per 1,000 people",
            kind="rate",
            numerator="recorded_crime",
            denominator="population",
            scale="thousand",
            unit="offence / (thousand * person)",
            period=YEAR,
            presentation=Presentation(1, "number"),
            source=SOURCE,
            section="Toy: crime",
            denominator_rule=RULE,
        ),
        Metric(
            id="crime_change",
            title="Change in crime",
            kind="change",
            numerator="recorded_crime",
            denominator=None,
            scale="percent",
            unit="percent",
            period=YEAR,
            presentation=Presentation(0, "signed_percent"),
            source=SOURCE,
            section="Toy: crime",
        ),
        # A metric the 2017 edition lacks: a monthly street-crime rate per million.
        Metric(
            id="street_crime_per_million",
            title="Street crimes per million people, per month",
            kind="rate",
            numerator="police_uk_crimes",
            denominator="population",
            scale="million",
            unit="offence / (million * person)",
            period=MONTH,
            presentation=Presentation(0, "number"),
            source=SOURCE,
            section="Toy: street crime",
            denominator_rule=RULE,
        ),
        # The unit left empty: the edition derives it from the measures and the scale.
        Metric(
            id="emergency_calls_per_1000",
            title="Emergency calls per 1,000 people",
            kind="rate",
            numerator="emergency_calls",
            denominator="population",
            scale="thousand",
            unit="",
            period=YEAR,
            presentation=Presentation(0, "number"),
            source=SOURCE,
            section="Toy: calls",
            denominator_rule=RULE,
        ),
    )
    caveats = (
        DataCaveat(
            id="btp_elsewhere",
            kind=CaveatKind.OUT_OF_SCOPE,
            text="BTP is outside this toy report.",
            section="Toy annex",
            forces=(BTP_CODE,),
            metrics=(ALL_METRICS,),
            excluded_from_national=True,
        ),
        DataCaveat(
            id="devon_not_comparable",
            kind=CaveatKind.NOT_COMPARABLE,
            text="Devon and Cornwall's toy data are not comparable.",
            section="Toy annex",
            forces=(DEVON,),
            metrics=("crime_rate",),
            excluded_from_national=True,
        ),
        DataCaveat(
            id="toy_population_stand_in",
            kind=CaveatKind.ESTIMATED,
            text="The toy report divides by mid-2021 populations.",
            section="Toy annex",
            metrics=(ALL_METRICS,),
            applies_if_denominator_estimated=True,
        ),
    )
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
