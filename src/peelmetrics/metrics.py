"""Measures (what is counted) and metrics (what the report prints), as typed values.

A :class:`Measure` is a count with a unit ("domestic abuse-related offences" in
``offence``). A :class:`Metric` says how a figure is built from measures: which are summed
on top, which one is below, at what scale, for which period and outcome basis, from which
source, how the report prints it and which Annex A caveats apply. The values themselves
are declared per edition in :mod:`peelmetrics.catalogue`.
"""

from __future__ import annotations

import math
from enum import StrEnum
from typing import Any, ClassVar

import attrs

from peelmetrics._convert import expect_bool, strict_int, strings
from peelmetrics._display import Shown
from peelmetrics._serde import Serialisable
from peelmetrics.calc import round_half_away
from peelmetrics.denominators import DenominatorRule
from peelmetrics.errors import IncomparableError, InvalidValueError, shorten
from peelmetrics.periods import Period

__all__ = [
    "Measure",
    "Metric",
    "MetricKind",
    "OutcomeBasis",
    "Presentation",
    "PresentationStyle",
    "Scale",
    "check_comparable",
]

_ID = attrs.validators.matches_re(r"^[a-z][a-z0-9_]*$")


class OutcomeBasis(StrEnum):
    """How outcome counts relate to the offences they belong to (Annex A, "Recorded crime
    and crime outcomes").

    ``TRACKED``: outcomes assigned so far to offences recorded in the period (general
    outcome shares, Figure 1). ``UNTRACKED``: outcomes recorded in the period whenever the
    offence was recorded (domestic abuse outcomes). The two must not be compared.
    """

    TRACKED = "tracked"
    UNTRACKED = "untracked"


class Scale(StrEnum):
    """The scale a rate is printed at; the value is the unit registry's name for it."""

    PER_100 = "hundred"
    PER_1000 = "thousand"
    PER_10000 = "ten_thousand"
    PER_MILLION = "million"
    PERCENT = "percent"

    @property
    def factor(self) -> float:
        """Multiplier from a plain ratio to the printed scale (100 for percent)."""
        from peelmetrics.units import SCALE_FACTORS

        return SCALE_FACTORS[self.value]

    def unit(self, numerator_unit: str, denominator_unit: str | None) -> str:
        """The unit of a value at this scale: ``"order / (hundred * offence)"`` for DVPOs
        per 100 offences; ``"percent"`` for a share (same units above and below).

        >>> Scale.PER_1000.unit("offence", "person")
        'offence / (thousand * person)'
        >>> Scale.PERCENT.unit("offence", "offence")
        'percent'
        """
        if self is Scale.PERCENT or denominator_unit is None:
            return "percent"
        return f"{numerator_unit} / ({self.value} * {denominator_unit})"


class MetricKind(StrEnum):
    """How a metric is computed from its measures."""

    RATE = "rate"  # sum(numerator) / denominator * scale
    SHARE = "share"  # sum(numerator) / denominator as percent
    CHANGE = "change"  # percent change of sum(numerator) against the year before


class PresentationStyle(StrEnum):
    """How the report prints a value."""

    NUMBER = "number"  # 282, 0.7
    PERCENT = "percent"  # 12%
    SIGNED_PERCENT = "signed_percent"  # +23%, -0.05%


@attrs.frozen(slots=True)
class Presentation(Serialisable):
    """Decimal places and style of a printed value; rounding is half away from zero.

    >>> Presentation(0, "percent").format(12.45)
    '12%'
    >>> Presentation(1, "number").format(0.25)
    '0.3'
    >>> Presentation(0, "signed_percent").format(22.5)
    '+23%'
    >>> Presentation(0, "number").format(float("nan"))
    '–'

    A change smaller than the printed precision keeps up to two more decimal places rather
    than read as no change, as the report prints "-0.05%":

    >>> change = Presentation(0, "signed_percent")
    >>> change.format(-0.0492), change.format(0.4), change.format(0.0)
    ('-0.05%', '+0.4%', '0%')
    """

    decimals: int = attrs.field(validator=attrs.validators.in_(range(0, 5)))
    style: PresentationStyle = attrs.field(converter=PresentationStyle)

    def format(self, value: float | None, dash: str = "–") -> str:
        """The value as the report would print it; ``dash`` for a missing value."""
        if value is None or math.isnan(value):
            return dash
        decimals = self._decimals_for(value)
        rounded = round_half_away(value, decimals)
        text = f"{abs(rounded):,.{decimals}f}"
        if decimals > self.decimals:
            text = text.rstrip("0").rstrip(".")
        signed = self.style is PresentationStyle.SIGNED_PERCENT
        sign = "-" if rounded < 0 else ("+" if signed and rounded > 0 else "")
        suffix = "%" if self.style is not PresentationStyle.NUMBER else ""
        return f"{sign}{text}{suffix}"

    def _decimals_for(self, value: float) -> int:
        """Decimal places for ``value``: a change that would round to nothing keeps two more."""
        if self.style is not PresentationStyle.SIGNED_PERCENT or value == 0:
            return self.decimals
        if round_half_away(value, self.decimals) == 0:
            return self.decimals + 2
        return self.decimals

    def format_many(self, values: Any, dash: str = "–") -> list[str]:
        """:meth:`format` for an array of values: rounded column-wise, each distinct
        rounded value formatted once.

        Values within a hair of a rounding boundary, and changes too small for the printed
        precision, go through :meth:`format` itself, so the result is identical to
        formatting each value alone.

        >>> Presentation(1, "number").format_many([0.25, 0.704, float("nan"), 1234.56])
        ['0.3', '0.7', '–', '1,234.6']
        """
        import numpy as np

        array = np.asarray(values, dtype="float64")
        scale = 10.0**self.decimals
        magnitude = np.abs(array) * scale
        rounded = np.copysign(np.floor(magnitude + 0.5), array) / scale
        near_half = np.abs(magnitude - np.floor(magnitude) - 0.5) < 1e-6
        rounded[near_half] = [round_half_away(v, self.decimals) for v in array[near_half]]
        missing = np.isnan(array)
        distinct, inverse = np.unique(rounded[~missing], return_inverse=True)
        signed = self.style is PresentationStyle.SIGNED_PERCENT
        suffix = "%" if self.style is not PresentationStyle.NUMBER else ""
        spec = f",.{self.decimals}f"
        labels = np.array(
            [
                ("-" if r < 0 else ("+" if signed and r > 0 else ""))
                + format(abs(r), spec)
                + suffix
                for r in distinct.tolist()
            ]
            + [dash],
            dtype=object,
        )
        at = np.full(len(array), len(distinct))
        at[~missing] = inverse.reshape(-1)
        out = labels[at]
        if signed:  # a change too small for the printed precision: see format()
            small = np.flatnonzero((rounded == 0) & (array != 0) & ~missing)
            out[small] = [self.format(v, dash) for v in array[small].tolist()]
        result: list[str] = out.tolist()
        return result


@attrs.frozen(slots=True, repr=False, kw_only=True)
class Measure(Shown, Serialisable):
    """Something counted, with its unit (a string the unit registry parses).

    >>> Measure(id="dvpos_granted", title="DVPOs granted by the courts", unit="order").unit
    'order'
    """

    _shown: ClassVar[tuple[str, ...]] = ("id", "title", "unit")

    id: str = attrs.field(validator=_ID)
    title: str
    unit: str
    description: str = ""
    basis: OutcomeBasis | None = attrs.field(
        default=None, converter=attrs.converters.optional(OutcomeBasis)
    )
    #: Window length the measure is usually counted over: 12 (a year) or 0 (as at a date,
    #: for populations and OCGs). Counts files may leave ``period_months`` out.
    default_months: int = attrs.field(
        default=12, validator=[strict_int, attrs.validators.in_((0, 1, 3, 12))]
    )
    #: The release the report's figures used for this measure ("Home Office police recorded
    #: crime, October 2017 release"): a count whose ``source`` begins with it is the
    #: report's own; any other is computed from another release and said so. Empty where
    #: the report used no figure of the measure.
    release: str = ""


@attrs.frozen(slots=True, repr=False, kw_only=True)
class Metric(Shown, Serialisable):
    """A figure the report publishes, defined from measures.

    Attributes
    ----------
    id, title
        Public identifier and the report's wording.
    kind
        Rate, share or percentage change (:class:`MetricKind`).
    numerator
        Measure ids summed above the line (one for most metrics; several for Figure 1).
    denominator
        Measure id below the line (``None`` for a change).
    scale
        The printed scale (:class:`Scale`).
    unit
        Unit string of the value. Leave it empty (``""``) and the edition derives it from
        the measures' units and the scale; a unit given is checked against that, scale
        included.
    period
        The report's headline period; :func:`~peelmetrics.compute` computes every period
        the counts hold with the same window length.
    denominator_rule
        How an as-at denominator (a population) is chosen for each period
        (:class:`~peelmetrics.denominators.DenominatorRule`: the report's mid-2016 estimate
        for its own periods, a stated rule for others); ``None`` when the denominator is
        counted over the same period as the numerator.
    basis
        Outcome basis for outcome shares; ``None`` otherwise.
    source, section
        Where the data come from, and the report section defining the figure.
    presentation
        How the report prints it.
    benchmark
        A reference value printed beside it (SafeLives' 40 MARAC referrals per 10,000).
    components
        Metric ids that add up to this one (Figure 1 stacks charged/summonsed, out-of-court
        and taken into consideration into "action taken").
    denominator_plus
        Measure ids added to the denominator where a force supplies them, at the
        denominator's period (Annex A, "Population": "For the specific case of City of
        London Police, we include both resident and transient population").
    compared_with
        For a change the report states against a base other than the year before (MARAC
        referrals "in the 12 months to 31 March 2017 compared with the 12 months to 30 June
        2016"): that base, for the headline period only; other periods compare with the
        year before.
    assumptions
        What the catalogue assumes where the report is silent, said wherever the metric is
        listed.
    """

    _shown: ClassVar[tuple[str, ...]] = ("id", "title", "unit")

    id: str = attrs.field(validator=_ID)
    title: str
    kind: MetricKind = attrs.field(converter=MetricKind)
    numerator: tuple[str, ...] = attrs.field(converter=strings)
    denominator: str | None
    scale: Scale = attrs.field(converter=Scale)
    unit: str
    period: Period
    presentation: Presentation
    source: str
    section: str
    denominator_rule: DenominatorRule | None = None
    basis: OutcomeBasis | None = attrs.field(
        default=None, converter=attrs.converters.optional(OutcomeBasis)
    )
    benchmark: float | None = None
    components: tuple[str, ...] = attrs.field(default=(), converter=strings)
    denominator_plus: tuple[str, ...] = attrs.field(default=(), converter=strings)
    compared_with: Period | None = None
    assumptions: tuple[str, ...] = attrs.field(default=(), converter=strings)

    def __attrs_post_init__(self) -> None:
        if not self.numerator:
            raise InvalidValueError(f"metric {self.id!r} has no numerator measure")
        if self.kind is MetricKind.CHANGE:
            if self.denominator is not None:
                raise InvalidValueError(f"change metric {self.id!r} takes no denominator")
        elif self.denominator is None:
            raise InvalidValueError(f"{self.kind.value} metric {self.id!r} needs a denominator")
        if self.compared_with is not None and self.kind is not MetricKind.CHANGE:
            raise InvalidValueError(f"metric {self.id!r} is not a change: nothing to compare")
        if self.compared_with is not None and self.compared_with.months != self.period.months:
            raise InvalidValueError(f"metric {self.id!r} compares windows of different lengths")
        if self.denominator is None and (self.denominator_plus or self.denominator_rule):
            raise InvalidValueError(f"metric {self.id!r} has no denominator to add to or choose")
        if self.kind is not MetricKind.RATE and self.scale is not Scale.PERCENT:
            raise InvalidValueError(f"{self.kind.value} metric {self.id!r} must be in percent")

    @property
    def measures(self) -> tuple[str, ...]:
        """Every measure id the metric reads."""
        below = (self.denominator, *self.denominator_plus) if self.denominator else ()
        return self.numerator + below

    def period_label(self, period: Period | None = None) -> str:
        """The window as the report words it; a change names the year measured first and
        the year it is compared with second, as the report's text says it ("in the 12 months
        to 31 March 2017 compared with the 12 months to 30 June 2016"; the Force-in-numbers
        graphic's label puts the base first, which reads as the wrong way round).

        >>> from peelmetrics import edition
        >>> edition().metric("asb_incidents_change").period_label()
        '12 months to 31 March 2017 compared with 12 months to 31 March 2016'
        """
        when = period or self.period
        if self.kind is MetricKind.CHANGE:
            return f"{when} compared with {self.base_for(when)}"
        return str(when)

    def base_for(self, period: Period) -> Period:
        """The period a change in ``period`` is measured against (the year before, unless
        the report states another base for its headline period)."""
        if self.compared_with is not None and period == self.period:
            return self.compared_with
        return period.previous()

    def display(self, value: float | None) -> str:
        """The value as the report prints it (a dash when missing)."""
        return self.presentation.format(value)


def check_comparable(
    left: Metric,
    right: Metric,
    left_period: Period | None = None,
    right_period: Period | None = None,
    *,
    allow_different_periods: bool = False,
) -> None:
    """Raise :class:`IncomparableError` unless two metrics' values may be compared.

    Values are comparable when they measure the same thing (same unit dimension), on the
    same outcome basis (Annex A: "Direct comparisons should not be made between general
    crime outcomes and domestic abuse-related outcomes"), for the same period. A
    year-on-year comparison passes ``allow_different_periods=True``; windows of different
    lengths are never comparable.

    >>> from peelmetrics.catalogue import get
    >>> ed = get()
    >>> check_comparable(ed.metric("dvpo_rate"), ed.metric("domestic_abuse_arrest_rate"))
    Traceback (most recent call last):
    ...
    peelmetrics.errors.IncomparableError: dvpo_rate is in 'order / (hundred * offence)' but ...
    """
    import pint

    from peelmetrics.units import check_same_unit

    for metric, name in ((left, "left"), (right, "right")):
        if not isinstance(metric, Metric):
            raise InvalidValueError(f"{name}: a Metric (edition.metric(id)), not {shorten(metric)}")
    for period, name in ((left_period, "left_period"), (right_period, "right_period")):
        if period is not None and not isinstance(period, Period):
            raise InvalidValueError(f"{name}: a Period or None, not {shorten(period)}")
    expect_bool(allow_different_periods, "allow_different_periods")
    try:
        check_same_unit(left.unit, right.unit)
    except pint.DimensionalityError:
        raise IncomparableError(
            f"{left.id} is in {left.unit!r} but {right.id} is in {right.unit!r}"
        ) from None
    if MetricKind.CHANGE in (left.kind, right.kind) and left.kind != right.kind:
        raise IncomparableError(
            f"{left.id} is a {left.kind} but {right.id} is a {right.kind}: a percentage change "
            "is not a proportion, though both print as percent"
        )
    if left.basis != right.basis:
        raise IncomparableError(
            f"{left.id} is on the {_basis(left)} outcome basis but {right.id} is on the "
            f"{_basis(right)} basis; Annex A: direct comparisons should not be made between "
            "tracked and untracked outcomes"
        )
    lp, rp = left_period or left.period, right_period or right.period
    if lp.months != rp.months or (lp != rp and not allow_different_periods):
        raise IncomparableError(f"{left.id} covers {lp} but {right.id} covers {rp}")


def _basis(metric: Metric) -> str:
    return metric.basis.value if metric.basis else "no"
