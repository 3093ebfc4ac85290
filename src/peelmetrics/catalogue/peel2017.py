"""PEEL: Police effectiveness 2017, as data.

Every metric of the "Force in numbers" page and of the report's text and figures, every rule
of Annex A ("About the data") and of the figure footnotes, the outcome grouping of Figure 1,
and Hertfordshire Constabulary's judgments. Each caveat quotes the sentence it encodes.

Source: HMICFRS, *PEEL: Police effectiveness 2017 – An inspection of Hertfordshire
Constabulary*, March 2018 (ISBN 978-1-78655-542-7).

>>> ed = edition()
>>> ed.metric("dvpo_rate").unit
'order / (hundred * offence)'
>>> [c.id for c in ed.caveats_for("ocgs_per_million")][:3]
['btp_out_of_scope', 'population_mid_2016', 'population_estimate_other_year']
"""

from __future__ import annotations

from datetime import date
from functools import cache
from types import MappingProxyType
from typing import Any

import attrs

from peelmetrics.catalogue import Edition
from peelmetrics.caveats import ALL_METRICS, CaveatKind, DataCaveat
from peelmetrics.denominators import DenominatorChoice, DenominatorRule
from peelmetrics.forces import BTP_CODE, resolve_force
from peelmetrics.judgments import Judgment, Question
from peelmetrics.metrics import Measure, Metric, OutcomeBasis, Presentation
from peelmetrics.outcomes import OutcomeGroup, OutcomeGrouping, OutcomeType
from peelmetrics.periods import Period

__all__ = ["ID", "PERIODS", "edition"]

ID = "peel2017"

#: The periods the report uses, by name.
PERIODS: MappingProxyType[str, Period] = MappingProxyType(
    {
        "year_to_june_2017": Period.year_to(2017, 6),
        "year_to_june_2016": Period.year_to(2016, 6),
        "year_to_march_2017": Period.year_to(2017, 3),
        "year_to_march_2016": Period.year_to(2016, 3),
        "mid_2016": Period.as_at(date(2016, 6, 30)),
        "as_at_july_2017": Period.as_at(date(2017, 7, 1)),
        "as_at_july_2016": Period.as_at(date(2016, 7, 1)),
    }
)
_P17 = PERIODS["year_to_june_2017"]
_P16 = PERIODS["year_to_june_2016"]
_ASB17 = PERIODS["year_to_march_2017"]
_ASB16 = PERIODS["year_to_march_2016"]
_POP = PERIODS["mid_2016"]
_OCG17 = PERIODS["as_at_july_2017"]
_OCG16 = PERIODS["as_at_july_2016"]

_HO_PRC = "Home Office police recorded crime, October 2017 release"
_HO_OUTCOMES = "Home Office crime outcomes data tables, October 2017 release"
_HMICFRS = "HMICFRS data return from the 43 geographic forces, 2017"
_HO_DA = "Home Office domestic abuse-flagged offences, 12 months to 30 June 2017"
_ONS_POP = "ONS mid-2016 population estimates (22 June 2017)"
_ONS_ASB = "ONS police force area data tables, year ending 31 March 2017"


#: The release the report used for each measure, as the readers begin a count's ``source``
#: (a count from any other release is computed "from another release", and says so).
_RELEASES = MappingProxyType(
    {
        "population": "ONS mid-2016 population estimates",
        "adult_female_population": "ONS mid-2016 population estimates",
        "recorded_crime": _HO_PRC,
        "asb_incidents": "ONS police force area data tables, year ending March 2017",
        "domestic_abuse_offences": _HO_DA,
        "outcome_": _HO_OUTCOMES,  # every outcome type, tracked and untracked
        "untracked_outcome_": _HO_OUTCOMES,
        **dict.fromkeys(
            ("calls_for_assistance", "domestic_abuse_incidents", "domestic_abuse_arrests",
             "dvpos_granted", "marac_referrals", "organised_crime_groups", "asb_powers",
             "domestic_abuse_charged", "crimes_investigated_remotely",
             "marac_referrals_from_police"),
            _HMICFRS,
        ),
    }
)  # fmt: skip


def _released(measure: Measure) -> Measure:
    key = measure.id if measure.id in _RELEASES else measure.id.rstrip("0123456789")
    return attrs.evolve(measure, release=_RELEASES.get(key, ""))


def _codes(*names: str) -> tuple[str, ...]:
    return tuple(resolve_force(n).code for n in names)


def _measures() -> tuple[Measure, ...]:
    base = [
        Measure(
            id="population",
            title="Resident population",
            unit="person",
            description=_ONS_POP,
            default_months=0,
        ),
        Measure(
            id="transient_population",
            title="Transient population (City of London only)",
            unit="person",
            description="Added to City of London's resident population (Annex A, 'Population').",
            default_months=0,
        ),
        Measure(
            id="adult_female_population",
            title="Adult female population (aged 16 and over)",
            unit="adult_female",
            description=(
                "Females aged 16 and over, the MARAC rate's denominator as SafeLives defines it."
            ),
            default_months=0,
        ),
        Measure(
            id="recorded_crime",
            title="Police recorded crime excluding fraud",
            unit="offence",
            description="Offences recorded in the period, fraud excluded (Annex A).",
        ),
        Measure(
            id="calls_for_assistance",
            title="Calls for assistance",
            unit="incident",
            description=_HMICFRS,
        ),
        Measure(
            id="asb_incidents",
            title="Anti-social behaviour incidents",
            unit="incident",
            description=_ONS_ASB,
        ),
        Measure(
            id="domestic_abuse_incidents",
            title="Domestic abuse incidents",
            unit="incident",
            description=_HMICFRS,
        ),
        Measure(
            id="domestic_abuse_offences",
            title="Domestic abuse-related offences",
            unit="offence",
            description=_HO_DA,
        ),
        Measure(
            id="domestic_abuse_arrests",
            title="Domestic abuse arrests",
            unit="arrest",
            description=_HMICFRS,
        ),
        Measure(
            id="dvpos_granted",
            title="DVPOs granted by the courts",
            unit="order",
            description=_HMICFRS,
        ),
        Measure(
            id="marac_referrals", title="MARAC referrals", unit="referral", description=_HMICFRS
        ),
        Measure(
            id="organised_crime_groups",
            title="Organised crime groups",
            unit="ocg",
            description=_HMICFRS,
            default_months=0,
        ),
        Measure(
            id="asb_powers",
            title="Anti-social behaviour powers used",
            unit="power",
            description=_HMICFRS,
        ),
        Measure(
            id="domestic_abuse_charged",
            title=(
                "Domestic abuse-related offences charged/summonsed (outcomes recorded in the "
                "period)"
            ),
            unit="offence",
            description="Outcomes recorded in the period for domestic abuse-related offences, "
            "whenever the offence was recorded (Annex A: untracked).",
            basis=OutcomeBasis.UNTRACKED,
        ),
        Measure(
            id="crimes_investigated_remotely",
            title="Crimes investigated over the telephone or at a police station",
            unit="offence",
            description="The force's own figure (Investigating crime: Initial investigation).",
        ),
        Measure(
            id="marac_referrals_from_police",
            title="MARAC referrals made by the police",
            unit="referral",
            description="Referrals from the police rather than from partner organisations.",
        ),
        Measure(
            id="nfib_referrals",
            title="Cases the National Fraud Intelligence Bureau referred to the force",
            unit="case",
            description="The force's own figure (Investigating crime: Initial investigation).",
        ),
        Measure(
            id="police_uk_crimes",
            title="Street-level crimes published on data.police.uk",
            unit="offence",
            description=(
                "Record-level data most analysts hold; not the Home Office returns HMICFRS used."
            ),
            default_months=1,
        ),
        Measure(
            id="police_uk_asb_incidents",
            title="Anti-social behaviour incidents published on data.police.uk",
            unit="incident",
            description="Record-level data most analysts hold; not the ONS tables HMICFRS used.",
            default_months=1,
        ),
    ]
    tracked = [
        Measure(
            id=t.measure_id,
            title=f"Outcome {int(t)}: {t.label}",
            unit="offence",
            description="Outcomes assigned so far to offences recorded in the period (tracked).",
            basis=OutcomeBasis.TRACKED,
        )
        for t in OutcomeType
    ]
    untracked = [
        Measure(
            id=f"untracked_{t.measure_id}",
            title=f"Outcome {int(t)} recorded in the period: {t.label}",
            unit="offence",
            description=(
                "Outcomes recorded in the period, whenever the offence was recorded (untracked)."
            ),
            basis=OutcomeBasis.UNTRACKED,
        )
        for t in OutcomeType
    ]
    return tuple(map(_released, (*base, *tracked, *untracked)))


_GROUPING = OutcomeGrouping(
    ID,
    (
        OutcomeGroup("charged_summonsed", "Charged/summonsed", (1,)),
        OutcomeGroup("taken_into_consideration", "Taken into consideration", (4,)),
        OutcomeGroup("out_of_court_formal", "Out-of-court (formal)", (2, 3, 6, 7)),
        OutcomeGroup("out_of_court_informal", "Out-of-court (informal)", (8,)),
    ),
)

#: Figure 1's "investigations where action was taken" (footnote 7), as outcome measure ids.
ACTION_TAKEN = tuple(m for g in _GROUPING for m in g.measure_ids)
_OUT_OF_COURT = (
    *_GROUPING.group("out_of_court_formal").measure_ids,
    *_GROUPING.group("out_of_court_informal").measure_ids,
)

#: Annex A, "Population": mid-2016 for the report's own periods; for any other period the
#: latest estimate on or before the period starts (as ONS's own force tables do).
_POPULATION_RULE = DenominatorRule(
    fixed=_POP,
    fixed_for=(_P17, _P16, _ASB17, _ASB16, _OCG17, _OCG16),
    otherwise=DenominatorChoice.LATEST_ON_OR_BEFORE_START,
    tolerance_months=12,
)
#: Annex A, "Population": City of London's transient population is added to its residents.
_BY_POPULATION: dict[str, Any] = {
    "denominator_rule": _POPULATION_RULE,
    "denominator_plus": ("transient_population",),
}

_WHOLE = Presentation(0, "number")
_ONE_DP = Presentation(1, "number")
_PCT = Presentation(0, "percent")
_CHANGE = Presentation(0, "signed_percent")


def _metrics() -> tuple[Metric, ...]:
    fin = "Force in numbers"
    return (
        Metric(
            id="calls_for_assistance_per_1000",
            title="Calls for assistance: incidents per 1,000 population",
            kind="rate",
            numerator="calls_for_assistance",
            denominator="population",
            scale="thousand",
            unit="incident / (thousand * person)",
            period=_P17,
            presentation=_WHOLE,
            source=_HMICFRS,
            section=fin,
            **_BY_POPULATION,
        ),
        Metric(
            id="asb_incidents_per_1000",
            title="Anti-social behaviour incidents per 1,000 population",
            kind="rate",
            numerator="asb_incidents",
            denominator="population",
            scale="thousand",
            unit="incident / (thousand * person)",
            period=_ASB17,
            presentation=_WHOLE,
            source=_ONS_ASB,
            section=fin,
            **_BY_POPULATION,
        ),
        Metric(
            id="asb_incidents_change",
            title="Change in ASB incidents",
            kind="change",
            numerator="asb_incidents",
            denominator=None,
            scale="percent",
            unit="percent",
            period=_ASB17,
            presentation=_CHANGE,
            source=_ONS_ASB,
            section=fin,
        ),
        Metric(
            id="recorded_crime_per_1000",
            title="Crimes (excluding fraud) recorded per 1,000 population",
            kind="rate",
            numerator="recorded_crime",
            denominator="population",
            scale="thousand",
            unit="offence / (thousand * person)",
            period=_P17,
            presentation=_WHOLE,
            source=_HO_PRC,
            section=fin,
            **_BY_POPULATION,
        ),
        Metric(
            id="recorded_crime_change",
            title="Change in recorded crime (excluding fraud)",
            kind="change",
            numerator="recorded_crime",
            denominator=None,
            scale="percent",
            unit="percent",
            period=_P17,
            presentation=_CHANGE,
            source=_HO_PRC,
            section=fin,
        ),
        Metric(
            id="charged_summonsed_share",
            title="Charged/summonsed, as a proportion of outcomes for offences recorded",
            kind="share",
            numerator="outcome_1",
            denominator="recorded_crime",
            scale="percent",
            unit="percent",
            period=_P17,
            presentation=_PCT,
            source=_HO_OUTCOMES,
            section=fin,
            basis="tracked",
        ),
        Metric(
            id="victim_does_not_support_share",
            title="Evidential difficulties: suspect identified but victim does not support action",
            kind="share",
            numerator="outcome_16",
            denominator="recorded_crime",
            scale="percent",
            unit="percent",
            period=_P17,
            presentation=_PCT,
            source=_HO_OUTCOMES,
            section=fin,
            basis="tracked",
        ),
        Metric(
            id="no_suspect_identified_share",
            title="Investigation completed but no suspect identified",
            kind="share",
            numerator="outcome_18",
            denominator="recorded_crime",
            scale="percent",
            unit="percent",
            period=_P17,
            presentation=_PCT,
            source=_HO_OUTCOMES,
            section=fin,
            basis="tracked",
        ),
        Metric(
            id="taken_into_consideration_share",
            title="Taken into consideration, as a proportion of outcomes for offences recorded",
            kind="share",
            numerator="outcome_4",
            denominator="recorded_crime",
            scale="percent",
            unit="percent",
            period=_P17,
            presentation=_PCT,
            source=_HO_OUTCOMES,
            section="Figure 1",
            basis="tracked",
        ),
        Metric(
            id="out_of_court_share",
            title=(
                "Out-of-court (formal and informal), as a proportion of outcomes for offences "
                "recorded"
            ),
            kind="share",
            numerator=_OUT_OF_COURT,
            denominator="recorded_crime",
            scale="percent",
            unit="percent",
            period=_P17,
            presentation=_PCT,
            source=_HO_OUTCOMES,
            section="Figure 1",
            basis="tracked",
        ),
        Metric(
            id="action_taken_share",
            title="Proportion of investigations where action was taken (Figure 1)",
            kind="share",
            numerator=ACTION_TAKEN,
            denominator="recorded_crime",
            scale="percent",
            unit="percent",
            period=_P17,
            presentation=_PCT,
            source=_HO_OUTCOMES,
            section="Figure 1",
            basis="tracked",
            components=(
                "charged_summonsed_share",
                "out_of_court_share",
                "taken_into_consideration_share",
            ),
        ),
        Metric(
            id="domestic_abuse_incidents_per_1000",
            title="Domestic abuse incidents per 1,000 population",
            kind="rate",
            numerator="domestic_abuse_incidents",
            denominator="population",
            scale="thousand",
            unit="incident / (thousand * person)",
            period=_P17,
            presentation=_WHOLE,
            source=_HMICFRS,
            section=fin,
            **_BY_POPULATION,
        ),
        Metric(
            id="domestic_abuse_share_of_crime",
            title="Domestic abuse as a percentage of all recorded crime (excluding fraud)",
            kind="share",
            numerator="domestic_abuse_offences",
            denominator="recorded_crime",
            scale="percent",
            unit="percent",
            period=_P17,
            presentation=_PCT,
            source=_HO_DA,
            section=fin,
        ),
        Metric(
            id="domestic_abuse_arrest_rate",
            title="Domestic abuse arrests per 100 domestic abuse-related offences (Figure 2)",
            kind="rate",
            numerator="domestic_abuse_arrests",
            denominator="domestic_abuse_offences",
            scale="hundred",
            unit="arrest / (hundred * offence)",
            period=_P17,
            presentation=_ONE_DP,
            source=_HMICFRS,
            section="Protecting vulnerable people: Initial response; Figure 2",
        ),
        Metric(
            id="dvpo_rate",
            title="DVPOs granted per 100 domestic abuse-related offences",
            kind="rate",
            numerator="dvpos_granted",
            denominator="domestic_abuse_offences",
            scale="hundred",
            unit="order / (hundred * offence)",
            period=_P17,
            presentation=_ONE_DP,
            source=_HMICFRS,
            section=(
                "Protecting vulnerable people: Investigating crimes involving vulnerable people"
            ),
        ),
        Metric(
            id="marac_referral_rate",
            title="MARAC referrals per 10,000 adult females",
            kind="rate",
            numerator="marac_referrals",
            denominator="adult_female_population",
            scale="ten_thousand",
            unit="referral / (ten_thousand * adult_female)",
            period=_ASB17,
            presentation=_ONE_DP,
            source=_HMICFRS,
            section="Protecting vulnerable people: Partnership working",
            denominator_rule=_POPULATION_RULE,
            benchmark=40.0,
            assumptions=(
                "The report does not name the MARAC data's source; the HMICFRS data return "
                "is assumed.",
            ),
        ),
        Metric(
            id="marac_referral_change",
            title="Change in MARAC referrals per 10,000 adult females",
            kind="change",
            numerator="marac_referrals",
            denominator=None,
            scale="percent",
            unit="percent",
            period=_ASB17,
            presentation=Presentation(1, "signed_percent"),
            source=_HMICFRS,
            section="Protecting vulnerable people: Partnership working",
            compared_with=_P16,
            assumptions=(
                "The change of referral counts stands for the change of the rate: the report "
                "gives no adult female population for the earlier window.",
            ),
        ),
        Metric(
            id="domestic_abuse_charge_rate",
            title="Domestic abuse-related offences charged/summonsed, per 100 such offences",
            kind="share",
            numerator="domestic_abuse_charged",
            denominator="domestic_abuse_offences",
            scale="percent",
            unit="percent",
            period=_P17,
            presentation=_PCT,
            # Annex A, Domestic abuse: "Data relating to domestic abuse arrests and outcomes
            # were collected directly from all 43 geographic police forces"; the offences
            # below the line are the Home Office's domestic abuse-flagged offences.
            source=f"{_HMICFRS} (charges); {_HO_DA} (offences)",
            section=(
                "Protecting vulnerable people: Investigating crimes involving vulnerable people"
            ),
            basis="untracked",
        ),
        Metric(
            id="remote_investigation_share",
            title="Crimes investigated over the telephone or at a police station",
            kind="share",
            numerator="crimes_investigated_remotely",
            denominator="recorded_crime",
            scale="percent",
            unit="percent",
            period=_P17,
            presentation=_PCT,
            source="The force's figures",
            section="Investigating crime and reducing re-offending: Initial investigation",
        ),
        Metric(
            id="marac_police_referral_share",
            title="MARAC referrals made by the police, as a proportion of all referrals",
            kind="share",
            numerator="marac_referrals_from_police",
            denominator="marac_referrals",
            scale="percent",
            unit="percent",
            period=_ASB17,
            presentation=_PCT,
            source=_HMICFRS,
            section="Protecting vulnerable people: Partnership working",
            assumptions=(
                "'Three-quarters of all referrals' is read as the 12 months to 31 March 2017, "
                "the window of the referral rate beside it.",
            ),
        ),
        Metric(
            id="ocgs_per_million",
            title="Organised crime groups per 1 million population",
            kind="rate",
            numerator="organised_crime_groups",
            denominator="population",
            scale="million",
            unit="ocg / (million * person)",
            period=_OCG17,
            presentation=_WHOLE,
            source=_HMICFRS,
            section=fin,
            **_BY_POPULATION,
        ),
        Metric(
            id="asb_powers_per_million",
            title="Anti-social behaviour powers used per 1 million population",
            kind="rate",
            numerator="asb_powers",
            denominator="population",
            scale="million",
            unit="power / (million * person)",
            period=_P17,
            presentation=_WHOLE,
            source=_HMICFRS,
            section="Annex A, Figures in the report",
            **_BY_POPULATION,
        ),
    )


#: The "Force in numbers" page in print order, then the rates the report's text quotes.
PANEL = (
    "calls_for_assistance_per_1000",
    "asb_incidents_per_1000",
    "asb_incidents_change",
    "recorded_crime_per_1000",
    "recorded_crime_change",
    "charged_summonsed_share",
    "victim_does_not_support_share",
    "no_suspect_identified_share",
    "domestic_abuse_incidents_per_1000",
    "domestic_abuse_share_of_crime",
    "ocgs_per_million",
    "domestic_abuse_arrest_rate",
    "dvpo_rate",
    "marac_referral_rate",
)

_OUTCOME_SHARES = (
    "charged_summonsed_share",
    "taken_into_consideration_share",
    "out_of_court_share",
    "victim_does_not_support_share",
    "no_suspect_identified_share",
    "action_taken_share",
)
_POPULATION_RATES = (
    "calls_for_assistance_per_1000",
    "asb_incidents_per_1000",
    "recorded_crime_per_1000",
    "domestic_abuse_incidents_per_1000",
    "ocgs_per_million",
    "asb_powers_per_million",
)
_DA_OFFENCE_METRICS = ("domestic_abuse_share_of_crime", "domestic_abuse_arrest_rate", "dvpo_rate")
_ASB_INCIDENTS = ("asb_incidents_per_1000", "asb_incidents_change")
_CRIME = ("recorded_crime_per_1000", "recorded_crime_change")

_A = "Annex A"


def _caveats() -> tuple[DataCaveat, ...]:
    k = CaveatKind
    return (
        DataCaveat(
            id="btp_out_of_scope",
            kind=k.OUT_OF_SCOPE,
            text="British Transport Police was outside the scope of inspection. Any aggregated "
            "totals for England and Wales exclude British Transport Police data, so will "
            "differ from those published by the Home Office.",
            section=f"{_A}, Data in the report",
            forces=(BTP_CODE,),
            metrics=(ALL_METRICS,),
            excluded_from_national=True,
        ),
        DataCaveat(
            id="population_mid_2016",
            kind=k.DEFINITION,
            text="For all uses of population as a denominator in our calculations, unless "
            "otherwise noted, we use Office for National Statistics (ONS) mid-2016 "
            "population estimates.",
            section=f"{_A}, Population",
            metrics=(*_POPULATION_RATES, "marac_referral_rate"),
            applies_if_denominator_at=_POP,
        ),
        DataCaveat(
            id="population_estimate_other_year",
            kind=k.ESTIMATED,
            text="For all uses of population as a denominator in our calculations, unless "
            "otherwise noted, we use Office for National Statistics (ONS) mid-2016 "
            "population estimates. These were the most recent data available at the time of "
            "the inspection.",
            section=f"{_A}, Population",
            metrics=(*_POPULATION_RATES, "marac_referral_rate"),
            applies_if_denominator_estimated=True,
            detail="The population this rate is divided by is a stand-in: the report's "
            "mid-2016 estimate was not supplied for the report's own period, or no estimate "
            "was supplied within 12 months of the period's start. The row's "
            "denominator_period names the estimate used.",
        ),
        DataCaveat(
            id="city_of_london_population_basis",
            kind=k.PARTIAL,
            text="For the specific case of City of London Police, we include both resident and "
            "transient population within our calculations.",
            section=f"{_A}, Population",
            forces=_codes("City of London"),
            metrics=_POPULATION_RATES,
            applies_if_missing="transient_population",
            hides_value=True,
            detail="No transient population was supplied: the rate would use City of "
            "London's resident population only, a base the report does not use, so it is "
            "not shown (ask for partial values to see it).",
        ),
        DataCaveat(
            id="fraud_excluded",
            kind=k.DEFINITION,
            text="Total police-recorded crime includes all crime, except fraud offences, recorded "
            "by all police forces in England and Wales.",
            section=f"{_A}, Recorded crime and crime outcomes",
            metrics=(*_CRIME, *_OUTCOME_SHARES, "domestic_abuse_share_of_crime"),
        ),
        DataCaveat(
            id="recorded_crime_recording_improvements",
            kind=k.SERIES_BREAK,
            text="Data referring to police-recorded crime should be treated with care, as recent "
            "increases may be attributed to the renewed focus on the quality and compliance "
            "of crime recording since HMICFRS' national inspection of crime data in 2014.",
            section=f"{_A}, Recorded crime and crime outcomes",
            metrics=_CRIME,
        ),
        DataCaveat(
            id="suffolk_no_outcomes_2017",
            kind=k.NOT_SUPPLIED,
            text="Suffolk Constabulary was unable to submit 2017 outcomes data to the Home Office "
            "due to data quality issues, relating to the changing of its crime recording "
            "system to Athena. Therefore Suffolk Constabulary has been excluded from the "
            "England and Wales figure.",
            section=f"{_A}, Recorded crime and crime outcomes; Figure 1 footnote 8",
            forces=_codes("Suffolk"),
            metrics=_OUTCOME_SHARES,
            periods=(_P17,),
            excluded_from_national=True,
        ),
        DataCaveat(
            id="dorset_no_outcomes_2016",
            kind=k.NOT_SUPPLIED,
            text="Dorset Police was unable to provide 2016 crimes outcome data, because it had "
            "difficulty with the recording of crime outcomes for the 12 months to 30 June "
            "2016.",
            section=(
                f"{_A}, Proportion of investigations where action was taken; Figure 1 footnote 8"
            ),
            forces=_codes("Dorset"),
            metrics=_OUTCOME_SHARES,
            periods=(_P16,),
            excluded_from_national=True,
        ),
        DataCaveat(
            id="outcomes_tracked_provisional",
            kind=k.PROVISIONAL,
            text="Crime outcome proportions show the percentage of crimes recorded in the 12 "
            "months to 30 June 2017 that have been assigned each outcome. This means that "
            "each crime is tracked or linked to its outcome. Therefore these data are subject "
            "to change, as more crimes are assigned outcomes over time.",
            section=f"{_A}, Recorded crime and crime outcomes",
            metrics=_OUTCOME_SHARES,
        ),
        DataCaveat(
            id="domestic_abuse_outcomes_untracked",
            kind=k.DEFINITION,
            text="Direct comparisons should not be made between general crime outcomes and "
            "domestic abuse-related outcomes. Domestic abuse-related outcomes are based on "
            "the number of outcomes for domestic-abuse related offences recorded in the 12 "
            "months to 30 June 2017, irrespective of when the crime was recorded.",
            section=f"{_A}, Recorded crime and crime outcomes",
            metrics=("domestic_abuse_charge_rate",),
        ),
        DataCaveat(
            id="outcomes_data_hub",
            kind=k.NOTE,
            text="Under the new framework, 37 police forces in England and Wales provide outcomes "
            "data through the Home Office data hub (HODH) on a monthly basis. All other "
            "forces provide these data via a manual return also occurring on a monthly basis.",
            section=f"{_A}, Recorded crime and crime outcomes",
            metrics=_OUTCOME_SHARES,
        ),
        DataCaveat(
            id="asb_incidents_recorded_by_police",
            kind=k.NOTE,
            text="Incident counts should be interpreted as incidents recorded by the police, "
            "rather than reflecting the true level of victimisation. Other agencies also deal "
            "with ASB incidents (for example, local authorities and social landlords), but "
            "incidents reported to these agencies will not generally be included in police "
            "data.",
            section=f"{_A}, Anti-social behaviour",
            metrics=_ASB_INCIDENTS,
        ),
        DataCaveat(
            id="domestic_abuse_arrests_per_offence",
            kind=k.NOTE,
            text="It is also possible to have more than one arrest per offence. In addition, the "
            "reader should note the increase in police-recorded crime which affected the "
            "majority of forces over the last year. This may mean arrest rates are higher "
            "than the figures suggest.",
            section=f"{_A}, Domestic abuse arrest rate",
            metrics=("domestic_abuse_arrest_rate",),
        ),
        DataCaveat(
            id="cambridgeshire_arrests_2016_manual_audit",
            kind=k.NOTE,
            text="Cambridgeshire Constabulary was unable to provide 2016 domestic abuse arrest "
            "data due to a recording problem that meant it could only obtain accurate data "
            "from a manual audit of its custody records.",
            section=f"{_A}, Domestic abuse arrest rate",
            forces=_codes("Cambridgeshire"),
            metrics=("domestic_abuse_arrest_rate",),
            periods=(_P16,),
        ),
        DataCaveat(
            id="city_of_london_ocgs_nfib",
            kind=k.NOTE,
            text="As at 1 July 2017 City of London Police had recorded 46 OCGs. However during "
            "the inspection we found that only six OCGs were within the force's geographical "
            "area and the remaining 40 were part of the National Fraud Intelligence Bureau's "
            "remit.",
            section=f"{_A}, Organised crime groups",
            forces=_codes("City of London"),
            metrics=("ocgs_per_million",),
            periods=(_OCG17,),
        ),
        DataCaveat(
            id="public_survey_fieldwork",
            kind=k.NOTE,
            text="HMICFRS commissioned Ipsos MORI to survey attitudes towards policing between 21 "
            "July and 15 August 2017. Respondents were drawn from an online panel and results "
            "were weighted by age, gender and work status to match the population profile of "
            "the force area.",
            section=f"{_A}, Ipsos MORI survey of public attitudes towards policing",
        ),
        DataCaveat(
            id="file_review_crimes",
            kind=k.NOTE,
            text="We randomly selected files from crimes recorded between 1 January 2017 and 31 "
            "March 2017",
            section=f"{_A}, Review of crime files",
            detail="Theft from person, rape (including attempts), stalking, harassment, "
            "common assault, grievous bodily harm (wounding) and actual bodily harm.",
        ),
        DataCaveat(
            id="out_of_court_disposals_pilot",
            kind=k.NOTE,
            text="Leicestershire, Staffordshire and West Yorkshire forces participated in the "
            "Ministry of Justice's out of court disposals pilot. This means they no longer "
            "issued simple cautions or cannabis/khat warnings and they restrict their use of "
            "penalty notices for disorder as disposal options for adult offenders, as part "
            "of the pilot.",
            section=f"{_A}, Recorded crime and crime outcomes",
            forces=_codes("Leicestershire", "Staffordshire", "West Yorkshire"),
            metrics=_OUTCOME_SHARES,
        ),
        DataCaveat(
            id="out_of_court_disposals_limited",
            kind=k.NOTE,
            text="Other forces subsequently also limited their use of some out of court disposals. "
            "Therefore, the outcomes data should be viewed with this in mind.",
            section=f"{_A}, Recorded crime and crime outcomes",
            metrics=_OUTCOME_SHARES,
        ),
        DataCaveat(
            id="north_yorkshire_domestic_abuse_not_comparable",
            kind=k.NOT_COMPARABLE,
            text="As North Yorkshire Police's data on domestic abuse are not comparable with "
            "other forces, we have excluded the data.",
            section=f"{_A}, Domestic abuse; Figure 2 footnote 12",
            forces=_codes("North Yorkshire"),
            # "The force extracted data for HMICFRS on the powers and outcomes used to deal
            # with these offences by using an enhanced search": outcomes (charges) too.
            metrics=(*_DA_OFFENCE_METRICS, "domestic_abuse_charge_rate"),
            excluded_from_national=True,
        ),
        DataCaveat(
            id="domestic_abuse_arrests_not_supplied_2017",
            kind=k.NOT_SUPPLIED,
            text="Durham, Lancashire, Warwickshire and West Mercia forces were unable to provide "
            "2017 domestic abuse arrest data.",
            section="Figure 2 footnote 11; Annex A, Domestic abuse arrest rate",
            forces=_codes("Durham", "Lancashire", "Warwickshire", "West Mercia"),
            metrics=("domestic_abuse_arrest_rate",),
            periods=(_P17,),
            excluded_from_national=True,
        ),
        DataCaveat(
            id="domestic_abuse_arrests_not_supplied_2016",
            kind=k.NOT_SUPPLIED,
            text="Cambridgeshire, Derbyshire, Durham and Gloucestershire forces were unable to "
            "provide 2016 domestic abuse arrest data.",
            section="Figure 2 footnote 11; Annex A, Domestic abuse arrest rate",
            forces=_codes("Cambridgeshire", "Derbyshire", "Durham", "Gloucestershire"),
            metrics=("domestic_abuse_arrest_rate",),
            periods=(_P16,),
            excluded_from_national=True,
        ),
        DataCaveat(
            id="lancashire_domestic_abuse_arrests_2016",
            kind=k.NOTE,
            text="Lancashire Constabulary had difficulty in identifying all domestic abuse-flagged "
            "arrests. This affected 23 days in the 12 months to 30 June 2016. The force "
            "investigated this and confirmed that the impact on the 2016 data provided to "
            "HMICFRS would be marginal and that these are the most reliable data it can "
            "provide.",
            section=f"{_A}, Domestic abuse arrest rate",
            forces=_codes("Lancashire"),
            metrics=("domestic_abuse_arrest_rate",),
            periods=(_P16,),
            detail="23 days of the 12 months affected; the report calls the impact marginal "
            "and uses the data as they are.",
        ),
        DataCaveat(
            id="domestic_abuse_arrests_not_linked",
            kind=k.DEFINITION,
            text="The arrest rate is calculated using a common time period for arrests and "
            "offences. It is important to note that each arrest is not necessarily directly "
            "linked to its specific domestic abuse offence recorded in the 12 months to 30 "
            "June 2017 in this calculation.",
            section=f"{_A}, Domestic abuse arrest rate",
            metrics=("domestic_abuse_arrest_rate",),
        ),
        DataCaveat(
            id="domestic_abuse_offences_recent",
            kind=k.NOTE,
            text="The Home Office has provided HMICFRS with data on domestic abuse-related "
            "offences recorded in the 12 months to 30 June 2017. These data are more recent "
            "than those published by the Office for National Statistics.",
            section="Figure 2 footnote 13",
            metrics=(*_DA_OFFENCE_METRICS, "domestic_abuse_charge_rate"),
        ),
        DataCaveat(
            id="marac_period_mismatch",
            kind=k.PERIOD_MISMATCH,
            text="However, the rate of referrals decreased by 8.8 percent, to 27.6 referrals per "
            "10,000 adult females, in the 12 months to 31 March 2017 compared with the 12 "
            "months to 30 June 2016.",
            section="Protecting vulnerable people: Partnership working",
            # The mismatch is between the two windows a change compares; a single window
            # (the rate itself) has none.
            metrics=("marac_referral_change",),
        ),
        DataCaveat(
            id="city_of_london_ocgs_not_comparable",
            kind=k.NOT_COMPARABLE,
            text="City of London Police is excluded from the England and Wales rate as its OCG "
            "data are not comparable with other forces due to size and its wider national "
            "remit.",
            section=f"{_A}, Organised crime groups",
            forces=_codes("City of London"),
            metrics=("ocgs_per_million",),
            excluded_from_national=True,
        ),
        DataCaveat(
            id="warwickshire_west_mercia_ocgs_2016_combined",
            kind=k.COMBINED_WITH,
            text="For data relating to 2016 the number of OCGs in Warwickshire Police and West "
            "Mercia Police force areas is a combined total of OCGs for the two force areas. "
            "The OCGs per 1 million population rate is based upon their areas' combined "
            "population.",
            section=f"{_A}, Rate of organised crime groups",
            forces=_codes("Warwickshire", "West Mercia"),
            metrics=("ocgs_per_million",),
            periods=(_OCG16,),
            detail="Assumption: the report gives no date for its 2016 OCG counts; as at 1 "
            "July 2016 mirrors the 2017 figure's 'as at 1 July 2017'.",
        ),
        DataCaveat(
            id="asb_powers_not_supplied",
            kind=k.NOT_SUPPLIED,
            text="Bedfordshire Police, Greater Manchester Police and the Metropolitan Police "
            "Service were unable to provide data on anti-social behaviour powers as the "
            "data are not held centrally within each force.",
            section=f"{_A}, Rate of ASB powers",
            forces=_codes("Bedfordshire", "Greater Manchester", "Metropolitan Police"),
            metrics=("asb_powers_per_million",),
            periods=(_P17,),
            excluded_from_national=True,
        ),
        DataCaveat(
            id="greater_manchester_asb_powers_not_supplied_2016",
            kind=k.NOT_SUPPLIED,
            text="Greater Manchester Police was unable to provide any 2016 ASB use of powers data.",
            section=f"{_A}, Rate of ASB powers",
            forces=_codes("Greater Manchester"),
            metrics=("asb_powers_per_million",),
            periods=(_P16,),
            excluded_from_national=True,
        ),
        DataCaveat(
            id="suffolk_asb_powers_southern_area_only",
            kind=k.NOT_COMPARABLE,
            text="Suffolk Constabulary was only able to provide data for the southern area of the "
            "force in 2017. Therefore its data are excluded.",
            section=f"{_A}, Rate of ASB powers",
            forces=_codes("Suffolk"),
            metrics=("asb_powers_per_million",),
            periods=(_P17,),
            excluded_from_national=True,
            detail="southern area of the force only",
        ),
        DataCaveat(
            id="asb_powers_partial_gloucestershire_hertfordshire",
            kind=k.PARTIAL,
            text="Gloucestershire Constabulary and Hertfordshire Constabulary were unable to "
            "obtain data regarding the number of civil injunctions as their local "
            "authorities lead the application of these.",
            section=f"{_A}, Rate of ASB powers",
            forces=_codes("Gloucestershire", "Hertfordshire"),
            metrics=("asb_powers_per_million",),
            periods=(_P17,),
            detail="missing: civil injunctions",
        ),
        DataCaveat(
            id="asb_powers_partial_humberside",
            kind=k.PARTIAL,
            text="Humberside Police was unable to provide data on community protection notices "
            "and civil injunction notices as its local authorities lead the application of "
            "these. The force does not collect data on criminal behaviour orders and "
            "dispersal orders.",
            section=f"{_A}, Rate of ASB powers",
            forces=_codes("Humberside"),
            metrics=("asb_powers_per_million",),
            periods=(_P17,),
            detail="missing: community protection notices, civil injunctions, criminal "
            "behaviour orders, dispersal orders",
        ),
        DataCaveat(
            id="asb_powers_partial_merseyside",
            kind=k.PARTIAL,
            text="Merseyside Police was unable to provide data on dispersal orders as these "
            "orders are attached to individual crime files.",
            section=f"{_A}, Rate of ASB powers",
            forces=_codes("Merseyside"),
            metrics=("asb_powers_per_million",),
            periods=(_P17,),
            detail="missing: dispersal orders",
        ),
        DataCaveat(
            id="asb_powers_police_only",
            kind=k.NOTE,
            text="The ASB powers data provided in this report covers police data. Therefore, "
            "results should be treated with caution as they may not include instances where "
            "local authorities exercised these powers.",
            section=f"{_A}, Rate of ASB powers",
            metrics=("asb_powers_per_million",),
        ),
        DataCaveat(
            id="warwickshire_asb_2016_estimated",
            kind=k.ESTIMATED,
            text="These incidents have been distributed pro rata for Warwickshire, so that two "
            "percent of ASB incidents in the reporting year for 2015-16 is estimated.",
            section=f"{_A}, Anti-social behaviour",
            forces=_codes("Warwickshire"),
            metrics=_ASB_INCIDENTS,
            periods=(_ASB16,),
            detail="2% of incidents estimated",
        ),
        DataCaveat(
            id="asb_incidents_quality_assurance",
            kind=k.NOTE,
            text="Forces record incidents under NSIR in accordance with the same victim-focused "
            "approach that applies for recorded crime, although these data are not subject "
            "to the same quality assurance as the main recorded crime collection.",
            section=f"{_A}, Anti-social behaviour",
            metrics=_ASB_INCIDENTS,
        ),
        DataCaveat(
            id="calls_for_assistance_breakdown_changed",
            kind=k.SERIES_BREAK,
            text="In 2017, the data requested from forces contained a different breakdown of "
            "occurrences where the police were called to an incident.",
            section=f"{_A}, Calls for assistance",
            # The heading reads "Calls for assistance (including those for domestic abuse)".
            metrics=("calls_for_assistance_per_1000", "domestic_abuse_incidents_per_1000"),
        ),
        DataCaveat(
            id="staff_survey_sample",
            kind=k.SMALL_SAMPLE,
            text="This survey was a non-statistical, voluntary sample which means that results "
            "may not be representative of the workforce population. The number of responses "
            "varied between 16 and 1,678 across forces.",
            section=f"{_A}, Survey of police staff",
        ),
        DataCaveat(
            id="public_survey_sample",
            kind=k.SMALL_SAMPLE,
            text="The sampling method used is not a statistical random sample and the sample size "
            "was small, varying between 300 and 321 individuals in each force area.",
            section=f"{_A}, Ipsos MORI survey of public attitudes towards policing",
        ),
        DataCaveat(
            id="file_review_sample",
            kind=k.SMALL_SAMPLE,
            text="Due to the small sample size of cases selected per force, we did not use "
            "results from the file review as the sole basis for assessing individual force "
            "performance, but alongside other evidence gathered.",
            section=f"{_A}, Review of crime files",
            detail="60 files per force, 90 in the Metropolitan Police Service, West Midlands "
            "and West Yorkshire: 2,670 by that rule, against the 2,700 stated.",
        ),
    )


def _judgments() -> tuple[Judgment, ...]:
    herts = "Hertfordshire"
    table = (
        ("Preventing crime and tackling anti-social behaviour", "Good", 2016, None),
        ("Investigating crime and reducing re-offending", "Good", 2017, None),
        ("Protecting vulnerable people", "Requires improvement", 2017, None),
        ("Tackling serious and organised crime", "Good", 2016, None),
        ("Specialist capabilities", "Ungraded", 2017, None),
        (
            "Overall effectiveness",
            "Good",
            2017,
            "The overall grade was a graphic lost in the text extraction; the summary's "
            "wording ('good at keeping people safe and at reducing crime') implies Good.",
        ),
    )
    return tuple(Judgment(herts, q, g, y, note) for q, g, y, note in table)


@cache
def edition() -> Edition:
    """The PEEL effectiveness 2017 edition (built and checked once per process)."""
    return Edition(
        id=ID,
        title="PEEL: Police effectiveness 2017",
        measures=_measures(),
        metrics=_metrics(),
        caveats=_caveats(),
        outcome_grouping=_GROUPING,
        judgments=_judgments(),
        panel=PANEL,
        # Its units are checked with pint by tests/catalogue/test_edition.py.
        check_units=False,
        bundled="peel2017",
        own_figures="PEEL effectiveness 2017",
        questions=[q.value for q in Question],
        units={
            "ocg": "organised crime group",
            "power": "anti-social behaviour power used",
            "case": "case referred for investigation (fraud referrals from the NFIB)",
        },
    )
