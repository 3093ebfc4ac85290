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

from peelmetrics.catalogue import Edition
from peelmetrics.caveats import ALL_METRICS, CaveatKind, DataCaveat
from peelmetrics.denominators import DenominatorChoice, DenominatorRule
from peelmetrics.forces import BTP_CODE, resolve_force
from peelmetrics.judgments import Judgment
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


def _codes(*names: str) -> tuple[str, ...]:
    return tuple(resolve_force(n).code for n in names)


def _measures() -> tuple[Measure, ...]:
    base = [
        Measure("population", "Resident population", "person", _ONS_POP, default_months=0),
        Measure(
            "transient_population",
            "Transient population (City of London only)",
            "person",
            "Added to City of London's resident population (Annex A, 'Population').",
            default_months=0,
        ),
        Measure(
            "adult_female_population",
            "Adult female population (aged 16 and over)",
            "adult_female",
            "Females aged 16 and over, the MARAC rate's denominator as SafeLives defines it.",
            default_months=0,
        ),
        Measure(
            "recorded_crime",
            "Police recorded crime excluding fraud",
            "offence",
            "Offences recorded in the period, fraud excluded (Annex A).",
        ),
        Measure("calls_for_assistance", "Calls for assistance", "incident", _HMICFRS),
        Measure("asb_incidents", "Anti-social behaviour incidents", "incident", _ONS_ASB),
        Measure("domestic_abuse_incidents", "Domestic abuse incidents", "incident", _HMICFRS),
        Measure("domestic_abuse_offences", "Domestic abuse-related offences", "offence", _HO_DA),
        Measure("domestic_abuse_arrests", "Domestic abuse arrests", "arrest", _HMICFRS),
        Measure("dvpos_granted", "DVPOs granted by the courts", "order", _HMICFRS),
        Measure("marac_referrals", "MARAC referrals", "referral", _HMICFRS),
        Measure(
            "organised_crime_groups", "Organised crime groups", "ocg", _HMICFRS, default_months=0
        ),
        Measure("asb_powers", "Anti-social behaviour powers used", "power", _HMICFRS),
        Measure(
            "domestic_abuse_charged",
            "Domestic abuse-related offences charged/summonsed (outcomes recorded in the period)",
            "offence",
            "Outcomes recorded in the period for domestic abuse-related offences, whenever "
            "the offence was recorded (Annex A: untracked).",
            basis=OutcomeBasis.UNTRACKED,
        ),
        Measure(
            "crimes_investigated_remotely",
            "Crimes investigated over the telephone or at a police station",
            "offence",
            "The force's own figure (Investigating crime: Initial investigation).",
        ),
        Measure(
            "marac_referrals_from_police",
            "MARAC referrals made by the police",
            "referral",
            "Referrals from the police rather than from partner organisations.",
        ),
        Measure(
            "nfib_referrals",
            "Cases the National Fraud Intelligence Bureau referred to the force",
            "case",
            "The force's own figure (Investigating crime: Initial investigation).",
        ),
        Measure(
            "police_uk_crimes",
            "Street-level crimes published on data.police.uk",
            "offence",
            "Record-level data most analysts hold; not the Home Office returns HMICFRS used.",
            default_months=1,
        ),
        Measure(
            "police_uk_asb_incidents",
            "Anti-social behaviour incidents published on data.police.uk",
            "incident",
            "Record-level data most analysts hold; not the ONS tables HMICFRS used.",
            default_months=1,
        ),
    ]
    tracked = [
        Measure(
            t.measure_id,
            f"Outcome {int(t)}: {t.label}",
            "offence",
            "Outcomes assigned so far to offences recorded in the period (tracked).",
            basis=OutcomeBasis.TRACKED,
        )
        for t in OutcomeType
    ]
    untracked = [
        Measure(
            f"untracked_{t.measure_id}",
            f"Outcome {int(t)} recorded in the period: {t.label}",
            "offence",
            "Outcomes recorded in the period, whenever the offence was recorded (untracked).",
            basis=OutcomeBasis.UNTRACKED,
        )
        for t in OutcomeType
    ]
    return (*base, *tracked, *untracked)


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
            "calls_for_assistance_per_1000",
            "Calls for assistance: incidents per 1,000 population",
            "rate",
            "calls_for_assistance",
            "population",
            "thousand",
            "incident / (thousand * person)",
            _P17,
            _WHOLE,
            _HMICFRS,
            fin,
            **_BY_POPULATION,
        ),
        Metric(
            "asb_incidents_per_1000",
            "Anti-social behaviour incidents per 1,000 population",
            "rate",
            "asb_incidents",
            "population",
            "thousand",
            "incident / (thousand * person)",
            _ASB17,
            _WHOLE,
            _ONS_ASB,
            fin,
            **_BY_POPULATION,
        ),
        Metric(
            "asb_incidents_change",
            "Change in ASB incidents",
            "change",
            "asb_incidents",
            None,
            "percent",
            "percent",
            _ASB17,
            _CHANGE,
            _ONS_ASB,
            fin,
        ),
        Metric(
            "recorded_crime_per_1000",
            "Crimes (excluding fraud) recorded per 1,000 population",
            "rate",
            "recorded_crime",
            "population",
            "thousand",
            "offence / (thousand * person)",
            _P17,
            _WHOLE,
            _HO_PRC,
            fin,
            **_BY_POPULATION,
        ),
        Metric(
            "recorded_crime_change",
            "Change in recorded crime (excluding fraud)",
            "change",
            "recorded_crime",
            None,
            "percent",
            "percent",
            _P17,
            _CHANGE,
            _HO_PRC,
            fin,
        ),
        Metric(
            "charged_summonsed_share",
            "Charged/summonsed, as a proportion of outcomes for offences recorded",
            "share",
            "outcome_1",
            "recorded_crime",
            "percent",
            "percent",
            _P17,
            _PCT,
            _HO_OUTCOMES,
            fin,
            basis="tracked",
        ),
        Metric(
            "victim_does_not_support_share",
            "Evidential difficulties: suspect identified but victim does not support action",
            "share",
            "outcome_16",
            "recorded_crime",
            "percent",
            "percent",
            _P17,
            _PCT,
            _HO_OUTCOMES,
            fin,
            basis="tracked",
        ),
        Metric(
            "no_suspect_identified_share",
            "Investigation completed but no suspect identified",
            "share",
            "outcome_18",
            "recorded_crime",
            "percent",
            "percent",
            _P17,
            _PCT,
            _HO_OUTCOMES,
            fin,
            basis="tracked",
        ),
        Metric(
            "taken_into_consideration_share",
            "Taken into consideration, as a proportion of outcomes for offences recorded",
            "share",
            "outcome_4",
            "recorded_crime",
            "percent",
            "percent",
            _P17,
            _PCT,
            _HO_OUTCOMES,
            "Figure 1",
            basis="tracked",
        ),
        Metric(
            "out_of_court_share",
            "Out-of-court (formal and informal), as a proportion of outcomes for offences recorded",
            "share",
            _OUT_OF_COURT,
            "recorded_crime",
            "percent",
            "percent",
            _P17,
            _PCT,
            _HO_OUTCOMES,
            "Figure 1",
            basis="tracked",
        ),
        Metric(
            "action_taken_share",
            "Proportion of investigations where action was taken (Figure 1)",
            "share",
            ACTION_TAKEN,
            "recorded_crime",
            "percent",
            "percent",
            _P17,
            _PCT,
            _HO_OUTCOMES,
            "Figure 1",
            basis="tracked",
            components=(
                "charged_summonsed_share",
                "out_of_court_share",
                "taken_into_consideration_share",
            ),
        ),
        Metric(
            "domestic_abuse_incidents_per_1000",
            "Domestic abuse incidents per 1,000 population",
            "rate",
            "domestic_abuse_incidents",
            "population",
            "thousand",
            "incident / (thousand * person)",
            _P17,
            _WHOLE,
            _HMICFRS,
            fin,
            **_BY_POPULATION,
        ),
        Metric(
            "domestic_abuse_share_of_crime",
            "Domestic abuse as a percentage of all recorded crime (excluding fraud)",
            "share",
            "domestic_abuse_offences",
            "recorded_crime",
            "percent",
            "percent",
            _P17,
            _PCT,
            _HO_DA,
            fin,
        ),
        Metric(
            "domestic_abuse_arrest_rate",
            "Domestic abuse arrests per 100 domestic abuse-related offences (Figure 2)",
            "rate",
            "domestic_abuse_arrests",
            "domestic_abuse_offences",
            "hundred",
            "arrest / (hundred * offence)",
            _P17,
            _ONE_DP,
            _HMICFRS,
            "Protecting vulnerable people: Initial response; Figure 2",
        ),
        Metric(
            "dvpo_rate",
            "DVPOs granted per 100 domestic abuse-related offences",
            "rate",
            "dvpos_granted",
            "domestic_abuse_offences",
            "hundred",
            "order / (hundred * offence)",
            _P17,
            _ONE_DP,
            _HMICFRS,
            "Protecting vulnerable people: Investigating crimes involving vulnerable people",
        ),
        Metric(
            "marac_referral_rate",
            "MARAC referrals per 10,000 adult females",
            "rate",
            "marac_referrals",
            "adult_female_population",
            "ten_thousand",
            "referral / (ten_thousand * adult_female)",
            _ASB17,
            _ONE_DP,
            _HMICFRS,
            "Protecting vulnerable people: Partnership working",
            denominator_rule=_POPULATION_RULE,
            benchmark=40.0,
            assumptions=(
                "The report does not name the MARAC data's source; the HMICFRS data return "
                "is assumed.",
            ),
        ),
        Metric(
            "marac_referral_change",
            "Change in MARAC referrals per 10,000 adult females",
            "change",
            "marac_referrals",
            None,
            "percent",
            "percent",
            _ASB17,
            Presentation(1, "signed_percent"),
            _HMICFRS,
            "Protecting vulnerable people: Partnership working",
            compared_with=_P16,
            assumptions=(
                "The change of referral counts stands for the change of the rate: the report "
                "gives no adult female population for the earlier window.",
            ),
        ),
        Metric(
            "domestic_abuse_charge_rate",
            "Domestic abuse-related offences charged/summonsed, per 100 such offences",
            "share",
            "domestic_abuse_charged",
            "domestic_abuse_offences",
            "percent",
            "percent",
            _P17,
            _PCT,
            # Annex A, Domestic abuse: "Data relating to domestic abuse arrests and outcomes
            # were collected directly from all 43 geographic police forces"; the offences
            # below the line are the Home Office's domestic abuse-flagged offences.
            f"{_HMICFRS} (charges); {_HO_DA} (offences)",
            "Protecting vulnerable people: Investigating crimes involving vulnerable people",
            basis="untracked",
        ),
        Metric(
            "remote_investigation_share",
            "Crimes investigated over the telephone or at a police station",
            "share",
            "crimes_investigated_remotely",
            "recorded_crime",
            "percent",
            "percent",
            _P17,
            _PCT,
            "The force's figures",
            "Investigating crime and reducing re-offending: Initial investigation",
        ),
        Metric(
            "marac_police_referral_share",
            "MARAC referrals made by the police, as a proportion of all referrals",
            "share",
            "marac_referrals_from_police",
            "marac_referrals",
            "percent",
            "percent",
            _ASB17,
            _PCT,
            _HMICFRS,
            "Protecting vulnerable people: Partnership working",
            assumptions=(
                "'Three-quarters of all referrals' is read as the 12 months to 31 March 2017, "
                "the window of the referral rate beside it.",
            ),
        ),
        Metric(
            "ocgs_per_million",
            "Organised crime groups per 1 million population",
            "rate",
            "organised_crime_groups",
            "population",
            "million",
            "ocg / (million * person)",
            _OCG17,
            _WHOLE,
            _HMICFRS,
            fin,
            **_BY_POPULATION,
        ),
        Metric(
            "asb_powers_per_million",
            "Anti-social behaviour powers used per 1 million population",
            "rate",
            "asb_powers",
            "population",
            "million",
            "power / (million * person)",
            _P17,
            _WHOLE,
            _HMICFRS,
            "Annex A, Figures in the report",
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
            "btp_out_of_scope",
            k.OUT_OF_SCOPE,
            "British Transport Police was outside the scope of inspection. Any aggregated "
            "totals for England and Wales exclude British Transport Police data, so will "
            "differ from those published by the Home Office.",
            f"{_A}, Data in the report",
            forces=(BTP_CODE,),
            metrics=(ALL_METRICS,),
            excluded_from_national=True,
        ),
        DataCaveat(
            "population_mid_2016",
            k.DEFINITION,
            "For all uses of population as a denominator in our calculations, unless "
            "otherwise noted, we use Office for National Statistics (ONS) mid-2016 "
            "population estimates.",
            f"{_A}, Population",
            metrics=(*_POPULATION_RATES, "marac_referral_rate"),
        ),
        DataCaveat(
            "population_estimate_other_year",
            k.ESTIMATED,
            "For all uses of population as a denominator in our calculations, unless "
            "otherwise noted, we use Office for National Statistics (ONS) mid-2016 "
            "population estimates. These were the most recent data available at the time of "
            "the inspection.",
            f"{_A}, Population",
            metrics=(*_POPULATION_RATES, "marac_referral_rate"),
            applies_if_denominator_estimated=True,
            detail="The population this rate is divided by is a stand-in: the report's "
            "mid-2016 estimate was not supplied for the report's own period, or no estimate "
            "was supplied within 12 months of the period's start. The row's "
            "denominator_period names the estimate used.",
        ),
        DataCaveat(
            "city_of_london_population_basis",
            k.PARTIAL,
            "For the specific case of City of London Police, we include both resident and "
            "transient population within our calculations.",
            f"{_A}, Population",
            forces=_codes("City of London"),
            metrics=_POPULATION_RATES,
            applies_if_missing="transient_population",
            hides_value=True,
            detail="No transient population was supplied: the rate would use City of "
            "London's resident population only, a base the report does not use, so it is "
            "not shown (ask for partial values to see it).",
        ),
        DataCaveat(
            "fraud_excluded",
            k.DEFINITION,
            "Total police-recorded crime includes all crime, except fraud offences, recorded "
            "by all police forces in England and Wales.",
            f"{_A}, Recorded crime and crime outcomes",
            metrics=(*_CRIME, *_OUTCOME_SHARES, "domestic_abuse_share_of_crime"),
        ),
        DataCaveat(
            "recorded_crime_recording_improvements",
            k.SERIES_BREAK,
            "Data referring to police-recorded crime should be treated with care, as recent "
            "increases may be attributed to the renewed focus on the quality and compliance "
            "of crime recording since HMICFRS' national inspection of crime data in 2014.",
            f"{_A}, Recorded crime and crime outcomes",
            metrics=_CRIME,
        ),
        DataCaveat(
            "suffolk_no_outcomes_2017",
            k.NOT_SUPPLIED,
            "Suffolk Constabulary was unable to submit 2017 outcomes data to the Home Office "
            "due to data quality issues, relating to the changing of its crime recording "
            "system to Athena. Therefore Suffolk Constabulary has been excluded from the "
            "England and Wales figure.",
            f"{_A}, Recorded crime and crime outcomes; Figure 1 footnote 8",
            forces=_codes("Suffolk"),
            metrics=_OUTCOME_SHARES,
            periods=(_P17,),
            excluded_from_national=True,
        ),
        DataCaveat(
            "dorset_no_outcomes_2016",
            k.NOT_SUPPLIED,
            "Dorset Police was unable to provide 2016 crimes outcome data, because it had "
            "difficulty with the recording of crime outcomes for the 12 months to 30 June "
            "2016.",
            f"{_A}, Proportion of investigations where action was taken; Figure 1 footnote 8",
            forces=_codes("Dorset"),
            metrics=_OUTCOME_SHARES,
            periods=(_P16,),
            excluded_from_national=True,
        ),
        DataCaveat(
            "outcomes_tracked_provisional",
            k.PROVISIONAL,
            "Crime outcome proportions show the percentage of crimes recorded in the 12 "
            "months to 30 June 2017 that have been assigned each outcome. This means that "
            "each crime is tracked or linked to its outcome. Therefore these data are subject "
            "to change, as more crimes are assigned outcomes over time.",
            f"{_A}, Recorded crime and crime outcomes",
            metrics=_OUTCOME_SHARES,
        ),
        DataCaveat(
            "domestic_abuse_outcomes_untracked",
            k.DEFINITION,
            "Direct comparisons should not be made between general crime outcomes and "
            "domestic abuse-related outcomes. Domestic abuse-related outcomes are based on "
            "the number of outcomes for domestic-abuse related offences recorded in the 12 "
            "months to 30 June 2017, irrespective of when the crime was recorded.",
            f"{_A}, Recorded crime and crime outcomes",
            metrics=("domestic_abuse_charge_rate",),
        ),
        DataCaveat(
            "outcomes_data_hub",
            k.NOTE,
            "Under the new framework, 37 police forces in England and Wales provide outcomes "
            "data through the Home Office data hub (HODH) on a monthly basis. All other "
            "forces provide these data via a manual return also occurring on a monthly basis.",
            f"{_A}, Recorded crime and crime outcomes",
            metrics=_OUTCOME_SHARES,
        ),
        DataCaveat(
            "asb_incidents_recorded_by_police",
            k.NOTE,
            "Incident counts should be interpreted as incidents recorded by the police, "
            "rather than reflecting the true level of victimisation. Other agencies also deal "
            "with ASB incidents (for example, local authorities and social landlords), but "
            "incidents reported to these agencies will not generally be included in police "
            "data.",
            f"{_A}, Anti-social behaviour",
            metrics=_ASB_INCIDENTS,
        ),
        DataCaveat(
            "domestic_abuse_arrests_per_offence",
            k.NOTE,
            "It is also possible to have more than one arrest per offence. In addition, the "
            "reader should note the increase in police-recorded crime which affected the "
            "majority of forces over the last year. This may mean arrest rates are higher "
            "than the figures suggest.",
            f"{_A}, Domestic abuse arrest rate",
            metrics=("domestic_abuse_arrest_rate",),
        ),
        DataCaveat(
            "cambridgeshire_arrests_2016_manual_audit",
            k.NOTE,
            "Cambridgeshire Constabulary was unable to provide 2016 domestic abuse arrest "
            "data due to a recording problem that meant it could only obtain accurate data "
            "from a manual audit of its custody records.",
            f"{_A}, Domestic abuse arrest rate",
            forces=_codes("Cambridgeshire"),
            metrics=("domestic_abuse_arrest_rate",),
            periods=(_P16,),
        ),
        DataCaveat(
            "city_of_london_ocgs_nfib",
            k.NOTE,
            "As at 1 July 2017 City of London Police had recorded 46 OCGs. However during "
            "the inspection we found that only six OCGs were within the force's geographical "
            "area and the remaining 40 were part of the National Fraud Intelligence Bureau's "
            "remit.",
            f"{_A}, Organised crime groups",
            forces=_codes("City of London"),
            metrics=("ocgs_per_million",),
            periods=(_OCG17,),
        ),
        DataCaveat(
            "public_survey_fieldwork",
            k.NOTE,
            "HMICFRS commissioned Ipsos MORI to survey attitudes towards policing between 21 "
            "July and 15 August 2017. Respondents were drawn from an online panel and results "
            "were weighted by age, gender and work status to match the population profile of "
            "the force area.",
            f"{_A}, Ipsos MORI survey of public attitudes towards policing",
        ),
        DataCaveat(
            "file_review_crimes",
            k.NOTE,
            "We randomly selected files from crimes recorded between 1 January 2017 and 31 "
            "March 2017",
            f"{_A}, Review of crime files",
            detail="Theft from person, rape (including attempts), stalking, harassment, "
            "common assault, grievous bodily harm (wounding) and actual bodily harm.",
        ),
        DataCaveat(
            "out_of_court_disposals_pilot",
            k.NOTE,
            "Leicestershire, Staffordshire and West Yorkshire forces participated in the "
            "Ministry of Justice's out of court disposals pilot. This means they no longer "
            "issued simple cautions or cannabis/khat warnings and they restrict their use of "
            "penalty notices for disorder as disposal options for adult offenders, as part "
            "of the pilot.",
            f"{_A}, Recorded crime and crime outcomes",
            forces=_codes("Leicestershire", "Staffordshire", "West Yorkshire"),
            metrics=_OUTCOME_SHARES,
        ),
        DataCaveat(
            "out_of_court_disposals_limited",
            k.NOTE,
            "Other forces subsequently also limited their use of some out of court disposals. "
            "Therefore, the outcomes data should be viewed with this in mind.",
            f"{_A}, Recorded crime and crime outcomes",
            metrics=_OUTCOME_SHARES,
        ),
        DataCaveat(
            "north_yorkshire_domestic_abuse_not_comparable",
            k.NOT_COMPARABLE,
            "As North Yorkshire Police's data on domestic abuse are not comparable with "
            "other forces, we have excluded the data.",
            f"{_A}, Domestic abuse; Figure 2 footnote 12",
            forces=_codes("North Yorkshire"),
            # "The force extracted data for HMICFRS on the powers and outcomes used to deal
            # with these offences by using an enhanced search": outcomes (charges) too.
            metrics=(*_DA_OFFENCE_METRICS, "domestic_abuse_charge_rate"),
            excluded_from_national=True,
        ),
        DataCaveat(
            "domestic_abuse_arrests_not_supplied_2017",
            k.NOT_SUPPLIED,
            "Durham, Lancashire, Warwickshire and West Mercia forces were unable to provide "
            "2017 domestic abuse arrest data.",
            "Figure 2 footnote 11; Annex A, Domestic abuse arrest rate",
            forces=_codes("Durham", "Lancashire", "Warwickshire", "West Mercia"),
            metrics=("domestic_abuse_arrest_rate",),
            periods=(_P17,),
            excluded_from_national=True,
        ),
        DataCaveat(
            "domestic_abuse_arrests_not_supplied_2016",
            k.NOT_SUPPLIED,
            "Cambridgeshire, Derbyshire, Durham and Gloucestershire forces were unable to "
            "provide 2016 domestic abuse arrest data.",
            "Figure 2 footnote 11; Annex A, Domestic abuse arrest rate",
            forces=_codes("Cambridgeshire", "Derbyshire", "Durham", "Gloucestershire"),
            metrics=("domestic_abuse_arrest_rate",),
            periods=(_P16,),
            excluded_from_national=True,
        ),
        DataCaveat(
            "lancashire_domestic_abuse_arrests_2016",
            k.NOTE,
            "Lancashire Constabulary had difficulty in identifying all domestic abuse-flagged "
            "arrests. This affected 23 days in the 12 months to 30 June 2016. The force "
            "investigated this and confirmed that the impact on the 2016 data provided to "
            "HMICFRS would be marginal and that these are the most reliable data it can "
            "provide.",
            f"{_A}, Domestic abuse arrest rate",
            forces=_codes("Lancashire"),
            metrics=("domestic_abuse_arrest_rate",),
            periods=(_P16,),
            detail="23 days of the 12 months affected; the report calls the impact marginal "
            "and uses the data as they are.",
        ),
        DataCaveat(
            "domestic_abuse_arrests_not_linked",
            k.DEFINITION,
            "The arrest rate is calculated using a common time period for arrests and "
            "offences. It is important to note that each arrest is not necessarily directly "
            "linked to its specific domestic abuse offence recorded in the 12 months to 30 "
            "June 2017 in this calculation.",
            f"{_A}, Domestic abuse arrest rate",
            metrics=("domestic_abuse_arrest_rate",),
        ),
        DataCaveat(
            "domestic_abuse_offences_recent",
            k.NOTE,
            "The Home Office has provided HMICFRS with data on domestic abuse-related "
            "offences recorded in the 12 months to 30 June 2017. These data are more recent "
            "than those published by the Office for National Statistics.",
            "Figure 2 footnote 13",
            metrics=(*_DA_OFFENCE_METRICS, "domestic_abuse_charge_rate"),
        ),
        DataCaveat(
            "marac_period_mismatch",
            k.PERIOD_MISMATCH,
            "However, the rate of referrals decreased by 8.8 percent, to 27.6 referrals per "
            "10,000 adult females, in the 12 months to 31 March 2017 compared with the 12 "
            "months to 30 June 2016.",
            "Protecting vulnerable people: Partnership working",
            # The mismatch is between the two windows a change compares; a single window
            # (the rate itself) has none.
            metrics=("marac_referral_change",),
        ),
        DataCaveat(
            "city_of_london_ocgs_not_comparable",
            k.NOT_COMPARABLE,
            "City of London Police is excluded from the England and Wales rate as its OCG "
            "data are not comparable with other forces due to size and its wider national "
            "remit.",
            f"{_A}, Organised crime groups",
            forces=_codes("City of London"),
            metrics=("ocgs_per_million",),
            excluded_from_national=True,
        ),
        DataCaveat(
            "warwickshire_west_mercia_ocgs_2016_combined",
            k.COMBINED_WITH,
            "For data relating to 2016 the number of OCGs in Warwickshire Police and West "
            "Mercia Police force areas is a combined total of OCGs for the two force areas. "
            "The OCGs per 1 million population rate is based upon their areas' combined "
            "population.",
            f"{_A}, Rate of organised crime groups",
            forces=_codes("Warwickshire", "West Mercia"),
            metrics=("ocgs_per_million",),
            periods=(_OCG16,),
            detail="Assumption: the report gives no date for its 2016 OCG counts; as at 1 "
            "July 2016 mirrors the 2017 figure's 'as at 1 July 2017'.",
        ),
        DataCaveat(
            "asb_powers_not_supplied",
            k.NOT_SUPPLIED,
            "Bedfordshire Police, Greater Manchester Police and the Metropolitan Police "
            "Service were unable to provide data on anti-social behaviour powers as the "
            "data are not held centrally within each force.",
            f"{_A}, Rate of ASB powers",
            forces=_codes("Bedfordshire", "Greater Manchester", "Metropolitan Police"),
            metrics=("asb_powers_per_million",),
            periods=(_P17,),
            excluded_from_national=True,
        ),
        DataCaveat(
            "greater_manchester_asb_powers_not_supplied_2016",
            k.NOT_SUPPLIED,
            "Greater Manchester Police was unable to provide any 2016 ASB use of powers data.",
            f"{_A}, Rate of ASB powers",
            forces=_codes("Greater Manchester"),
            metrics=("asb_powers_per_million",),
            periods=(_P16,),
            excluded_from_national=True,
        ),
        DataCaveat(
            "suffolk_asb_powers_southern_area_only",
            k.NOT_COMPARABLE,
            "Suffolk Constabulary was only able to provide data for the southern area of the "
            "force in 2017. Therefore its data are excluded.",
            f"{_A}, Rate of ASB powers",
            forces=_codes("Suffolk"),
            metrics=("asb_powers_per_million",),
            periods=(_P17,),
            excluded_from_national=True,
            detail="southern area of the force only",
        ),
        DataCaveat(
            "asb_powers_partial_gloucestershire_hertfordshire",
            k.PARTIAL,
            "Gloucestershire Constabulary and Hertfordshire Constabulary were unable to "
            "obtain data regarding the number of civil injunctions as their local "
            "authorities lead the application of these.",
            f"{_A}, Rate of ASB powers",
            forces=_codes("Gloucestershire", "Hertfordshire"),
            metrics=("asb_powers_per_million",),
            periods=(_P17,),
            detail="missing: civil injunctions",
        ),
        DataCaveat(
            "asb_powers_partial_humberside",
            k.PARTIAL,
            "Humberside Police was unable to provide data on community protection notices "
            "and civil injunction notices as its local authorities lead the application of "
            "these. The force does not collect data on criminal behaviour orders and "
            "dispersal orders.",
            f"{_A}, Rate of ASB powers",
            forces=_codes("Humberside"),
            metrics=("asb_powers_per_million",),
            periods=(_P17,),
            detail="missing: community protection notices, civil injunctions, criminal "
            "behaviour orders, dispersal orders",
        ),
        DataCaveat(
            "asb_powers_partial_merseyside",
            k.PARTIAL,
            "Merseyside Police was unable to provide data on dispersal orders as these "
            "orders are attached to individual crime files.",
            f"{_A}, Rate of ASB powers",
            forces=_codes("Merseyside"),
            metrics=("asb_powers_per_million",),
            periods=(_P17,),
            detail="missing: dispersal orders",
        ),
        DataCaveat(
            "asb_powers_police_only",
            k.NOTE,
            "The ASB powers data provided in this report covers police data. Therefore, "
            "results should be treated with caution as they may not include instances where "
            "local authorities exercised these powers.",
            f"{_A}, Rate of ASB powers",
            metrics=("asb_powers_per_million",),
        ),
        DataCaveat(
            "warwickshire_asb_2016_estimated",
            k.ESTIMATED,
            "These incidents have been distributed pro rata for Warwickshire, so that two "
            "percent of ASB incidents in the reporting year for 2015-16 is estimated.",
            f"{_A}, Anti-social behaviour",
            forces=_codes("Warwickshire"),
            metrics=_ASB_INCIDENTS,
            periods=(_ASB16,),
            detail="2% of incidents estimated",
        ),
        DataCaveat(
            "asb_incidents_quality_assurance",
            k.NOTE,
            "Forces record incidents under NSIR in accordance with the same victim-focused "
            "approach that applies for recorded crime, although these data are not subject "
            "to the same quality assurance as the main recorded crime collection.",
            f"{_A}, Anti-social behaviour",
            metrics=_ASB_INCIDENTS,
        ),
        DataCaveat(
            "calls_for_assistance_breakdown_changed",
            k.SERIES_BREAK,
            "In 2017, the data requested from forces contained a different breakdown of "
            "occurrences where the police were called to an incident.",
            f"{_A}, Calls for assistance",
            # The heading reads "Calls for assistance (including those for domestic abuse)".
            metrics=("calls_for_assistance_per_1000", "domestic_abuse_incidents_per_1000"),
        ),
        DataCaveat(
            "staff_survey_sample",
            k.SMALL_SAMPLE,
            "This survey was a non-statistical, voluntary sample which means that results "
            "may not be representative of the workforce population. The number of responses "
            "varied between 16 and 1,678 across forces.",
            f"{_A}, Survey of police staff",
        ),
        DataCaveat(
            "public_survey_sample",
            k.SMALL_SAMPLE,
            "The sampling method used is not a statistical random sample and the sample size "
            "was small, varying between 300 and 321 individuals in each force area.",
            f"{_A}, Ipsos MORI survey of public attitudes towards policing",
        ),
        DataCaveat(
            "file_review_sample",
            k.SMALL_SAMPLE,
            "Due to the small sample size of cases selected per force, we did not use "
            "results from the file review as the sole basis for assessing individual force "
            "performance, but alongside other evidence gathered.",
            f"{_A}, Review of crime files",
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
        population_period=_POP,
        judgments=_judgments(),
        panel=PANEL,
        # Its units are checked with pint by tests/catalogue/test_edition.py.
        check_units=False,
        bundled="peel2017",
    )
