"""Report editions as data: measures, metrics, Annex A caveats, outcome groupings, judgments.

One module per edition (:mod:`peelmetrics.catalogue.peel2017`); a later PEEL year is a new
module, not a new ``if``. :class:`Edition` bundles an edition's declarations and checks
them once, when the edition is built: every metric's measures exist, every caveat names
known forces and metrics, and every metric's unit is dimensionally what its measures give.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from functools import cached_property
from typing import Any

import attrs

from peelmetrics._convert import expect_text, strings
from peelmetrics.caveats import ALL_METRICS, DataCaveat
from peelmetrics.errors import (
    EditionError,
    InvalidValueError,
    PeelMetricsError,
    UnknownCaveatError,
    UnknownEditionError,
    UnknownMeasureError,
    UnknownMetricError,
    shorten,
)
from peelmetrics.forces import all_forces
from peelmetrics.judgments import FOUR_POINT, Grade, Judgment
from peelmetrics.metrics import Measure, Metric, MetricKind
from peelmetrics.outcomes import OutcomeGrouping
from peelmetrics.periods import Period

__all__ = ["DEFAULT", "Edition", "editions", "for_results", "get", "register"]

#: The edition used where none is named: PEEL effectiveness 2017, the report this library
#: was first built from. Name another with ``edition=`` (API) or ``--edition`` (CLI).
DEFAULT = "peel2017"

# Edition id -> how to build it. Built-in editions are modules imported on first use, so
# that no generic module imports a concrete edition and unused editions cost nothing.
_FACTORIES: dict[str, Callable[[], Edition]] = {}
_BUILT_IN = {"peel2017": "peelmetrics.catalogue.peel2017"}


def register(edition_id: str, factory: Callable[[], Edition], *, replace: bool = False) -> None:
    """Make an edition available to :func:`get` and ``--edition`` (a plug-in: one module
    with a function returning its :class:`Edition`). A built-in or registered id is only
    replaced with ``replace=True``: a plug-in never shadows one by accident.

    >>> register("peel2017", lambda: get("peel2017"))  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    peelmetrics.errors.InvalidValueError: edition 'peel2017' is already registered; pass ...
    """
    if not isinstance(edition_id, str) or not edition_id.strip():
        raise InvalidValueError(f"edition_id: an id such as 'peel2019', not {shorten(edition_id)}")
    if not callable(factory):
        raise InvalidValueError(f"factory: a function returning an Edition, not "
                                f"{shorten(factory)}")  # fmt: skip
    if not replace and (edition_id in _BUILT_IN or edition_id in _FACTORIES):
        raise InvalidValueError(f"edition {edition_id!r} is already registered; pass "
                                "replace=True to replace it")  # fmt: skip
    _FACTORIES[edition_id] = factory


def editions() -> tuple[str, ...]:
    """The ids of every edition :func:`get` knows, built-in and registered."""
    return tuple(sorted({*_BUILT_IN, *_FACTORIES}))


def get(edition_id: str | Edition | None = None) -> Edition:
    """The edition called ``edition_id`` (default :data:`DEFAULT`); an :class:`Edition`
    passes through. UnknownEditionError lists the known ids; a plug-in whose factory fails,
    or returns something other than an Edition, is an :class:`EditionError` naming it.

    >>> get().id, get("peel2017") is get()
    ('peel2017', True)
    """
    if isinstance(edition_id, Edition):
        return edition_id
    if edition_id is not None and not isinstance(edition_id, str):
        raise InvalidValueError(f"edition: an edition id or an Edition, not "
                                f"{shorten(edition_id)}")  # fmt: skip
    wanted = DEFAULT if edition_id is None else edition_id
    if wanted in _FACTORIES:
        try:
            built = _FACTORIES[wanted]()
        except PeelMetricsError:
            raise
        except Exception as exc:  # a plug-in's own bug, said as whose it is
            said = f"{type(exc).__name__}: {shorten(str(exc), 200)}"
            raise EditionError(f"edition {wanted!r}: its factory failed: {said}") from exc
        if not isinstance(built, Edition):
            raise EditionError(f"edition {wanted!r}: its factory returned "
                               f"{type(built).__name__}, not an Edition")  # fmt: skip
        return built
    if wanted in _BUILT_IN:
        import importlib

        module = importlib.import_module(_BUILT_IN[wanted])
        made: Edition = module.edition()
        return made
    raise UnknownEditionError(wanted, _close(wanted, editions()) or list(editions()))


def _units(value: Mapping[str, str]) -> dict[str, str]:
    return {str(k): str(v) for k, v in dict(value).items()}


@attrs.frozen(slots=False, repr=False)
class Edition:
    """Everything one report edition defines.

    Use :func:`peelmetrics.catalogue.peel2017.edition` rather than building one by hand.
    """

    id: str
    title: str
    measures: tuple[Measure, ...]
    metrics: tuple[Metric, ...]
    caveats: tuple[DataCaveat, ...]
    outcome_grouping: OutcomeGrouping
    #: The population estimate the report divides by (Annex A, "Population"); by default the
    #: one every metric's DenominatorRule fixes, so it is declared once, in the rules.
    population_period: Period | None = None
    judgments: tuple[Judgment, ...] = ()
    #: Metric ids of the Force-in-numbers panel, in print order.
    panel: tuple[str, ...] = ()
    #: The edition's questions, in report order (default: those its judgments grade, in the
    #: order they first appear).
    questions: tuple[str, ...] = attrs.field(default=(), kw_only=True, converter=strings)
    #: The grade scale the edition grades on (``Ungraded`` is always allowed).
    grades: tuple[Grade, ...] = attrs.field(default=FOUR_POINT, kw_only=True, converter=tuple)
    #: The edition's own counted things beyond :data:`peelmetrics.units.BASE_UNITS`: unit
    #: name -> meaning (PEEL 2017's organised crime groups, ASB powers, NFIB cases).
    units: Mapping[str, str] = attrs.field(factory=dict, kw_only=True, converter=_units)
    #: How Counts quoting the report itself begin their ``source`` ("PEEL effectiveness
    #: 2017"): such counts are the report's own release whatever the measure's.
    own_figures: str = attrs.field(default="", kw_only=True)
    #: Name of the dataset shipped for this edition (files ``data/<name>_counts.csv``,
    #: ``_published.csv``, ``_provenance.json``); ``None`` if none ships.
    bundled: str | None = attrs.field(default=None, kw_only=True)
    #: Check units dimensionally with pint when built. A shipped edition, checked by the
    #: test suite at every commit, may skip it to spare every command pint's import.
    check_units: bool = attrs.field(default=True, kw_only=True, repr=False)

    def __repr__(self) -> str:
        return (
            f"Edition({self.id!r}, {self.title!r}: {len(self.metrics)} metrics, "
            f"{len(self.caveats)} caveats, {len(self.judgments)} judgments)"
        )

    def _repr_html_(self) -> str:
        from peelmetrics._display import html_table

        rows = [(m.id, m.title, m.unit, m.period_label()) for m in self.metrics]
        return html_table(["id", "title", "unit", "period"], rows, f"{self.title} ({self.id})")

    def __attrs_post_init__(self) -> None:
        from peelmetrics.units import declare

        declare(self.units)
        if self.population_period is None:
            fixed = {
                m.denominator_rule.fixed
                for m in self.metrics
                if m.denominator_rule is not None and m.denominator_rule.fixed is not None
            }
            if len(fixed) == 1:
                object.__setattr__(self, "population_period", fixed.pop())
        if not self.questions:
            asked = tuple(dict.fromkeys(j.question for j in self.judgments))
            object.__setattr__(self, "questions", asked)
        self._derive_units()
        self._check()

    def _derive_units(self) -> None:
        """Fill each metric's empty unit from its measures and scale: a unit need not be
        typed twice (the Edition is frozen; this runs once, while it is being built)."""
        measures = {m.id: m for m in self.measures}
        derived = tuple(
            attrs.evolve(m, unit=_expected_unit(m, measures))
            if not m.unit and all(x in measures for x in m.measures)
            else m
            for m in self.metrics
        )
        if derived != self.metrics:
            object.__setattr__(self, "metrics", derived)

    @cached_property
    def _measures(self) -> dict[str, Measure]:
        return {m.id: m for m in self.measures}

    @cached_property
    def _metrics(self) -> dict[str, Metric]:
        return {m.id: m for m in self.metrics}

    def measure(self, measure_id: str) -> Measure:
        """The measure called ``measure_id``; UnknownMeasureError lists close ids."""
        expect_text(measure_id, "measure_id")
        try:
            return self._measures[measure_id]
        except KeyError:
            raise UnknownMeasureError(measure_id, _close(measure_id, self._measures)) from None

    def metric(self, metric_id: str) -> Metric:
        """The metric called ``metric_id``; UnknownMetricError lists close ids."""
        expect_text(metric_id, "metric_id")
        try:
            return self._metrics[metric_id]
        except KeyError:
            raise UnknownMetricError(metric_id, _close(metric_id, self._metrics)) from None

    def caveat(self, caveat_id: str) -> DataCaveat:
        """The caveat called ``caveat_id``; UnknownCaveatError lists close ids."""
        expect_text(caveat_id, "caveat_id")
        for caveat in self.caveats:
            if caveat.id == caveat_id:
                return caveat
        raise UnknownCaveatError(caveat_id, _close(caveat_id, [c.id for c in self.caveats]))

    def caveats_for(self, metric_id: str) -> tuple[DataCaveat, ...]:
        """Every caveat that can touch ``metric_id`` (any force, any period)."""
        return tuple(c for c in self.caveats if ALL_METRICS in c.metrics or metric_id in c.metrics)

    def _check(self) -> None:
        from peelmetrics.units import check_same_unit

        problems: list[str] = []
        for ids, what in ((self._measures, "measure"), (self._metrics, "metric")):
            count = len(self.measures if what == "measure" else self.metrics)
            if len(ids) != count:
                problems.append(f"duplicate {what} ids")
        codes = {f.code for f in all_forces()}
        for metric in self.metrics:
            missing = [m for m in metric.measures if m not in self._measures]
            if missing:
                problems.append(f"metric {metric.id} reads unknown measures {missing}")
                continue
            units = {self._measures[m].unit for m in metric.numerator}
            if len(units) > 1:
                problems.append(f"metric {metric.id} sums measures of different units {units}")
            problems.extend(self._check_basis(metric))
            if not self.check_units:
                continue
            try:
                check_same_unit(metric.unit, _expected_unit(metric, self._measures))
            except Exception as exc:  # pint's DimensionalityError, reported with context
                problems.append(
                    f"metric {metric.id}: unit {metric.unit!r} is not what its measures and "
                    f"scale give, {_expected_unit(metric, self._measures)!r} ({exc})"
                )
        problems.extend(self._check_denominators())
        for caveat in self.caveats:
            unknown = [f for f in caveat.forces if f not in codes]
            if unknown:
                problems.append(f"caveat {caveat.id} names unknown forces {unknown}")
            bad = [m for m in caveat.metrics if m != ALL_METRICS and m not in self._metrics]
            if bad:
                problems.append(f"caveat {caveat.id} names unknown metrics {bad}")
        for metric in self.metrics:
            parts = [c for c in metric.components if c not in self._metrics]
            if parts:
                problems.append(f"metric {metric.id} has unknown components {parts}")
            elif metric.components:
                summed = sorted(m for c in metric.components for m in self._metrics[c].numerator)
                if summed != sorted(metric.numerator):
                    problems.append(f"components of {metric.id} do not add up to its numerator")
        for judgment in self.judgments:
            if judgment.question not in self.questions:
                problems.append(
                    f"judgment for {judgment.force} answers {judgment.question!r}, not a "
                    f"question of {self.id}"
                )
            if judgment.grade not in (*self.grades, Grade.UNGRADED):
                problems.append(
                    f"grade {judgment.grade} is not on {self.id}'s scale ({', '.join(self.grades)})"
                )
        unknown_panel = [m for m in self.panel if m not in self._metrics]
        if unknown_panel:
            problems.append(f"panel names unknown metrics {unknown_panel}")
        if len({c.id for c in self.caveats}) != len(self.caveats):
            problems.append("duplicate caveat ids")
        if problems:
            raise InvalidValueError(f"edition {self.id} is inconsistent: " + "; ".join(problems))

    def _check_basis(self, metric: Metric) -> list[str]:
        """Annex A: tracked and untracked outcomes "should not be compared"; a metric on one
        basis must not read measures of the other."""
        wrong = [
            m
            for m in metric.measures
            if self._measures[m].basis is not None
            and metric.basis is not None
            and self._measures[m].basis != metric.basis
        ]
        if wrong:
            return [
                f"metric {metric.id} is on the {metric.basis} basis but reads "
                f"{', '.join(f'{m} ({self._measures[m].basis})' for m in wrong)}"
            ]
        unbased = [m for m in metric.numerator if self._measures[m].basis is not None]
        if unbased and metric.basis is None:
            return [f"metric {metric.id} reads outcome measures {unbased} but declares no basis"]
        return []

    def _check_denominators(self) -> list[str]:
        """As-at denominators need a rule, and a caveat that says when it had to stand in."""
        problems = []
        explained = {
            m for c in self.caveats if c.applies_if_denominator_estimated for m in c.metrics
        }
        for metric in self.metrics:
            if metric.denominator is None or metric.denominator not in self._measures:
                continue
            below = self._measures[metric.denominator]
            for extra in metric.denominator_plus:
                other = self._measures.get(extra)
                if other is not None and other.unit != below.unit:
                    problems.append(
                        f"metric {metric.id} adds {extra} ({other.unit}) to "
                        f"{below.id} ({below.unit})"
                    )
            as_at = below.default_months == 0
            rule = metric.denominator_rule
            fixed = rule.fixed if rule is not None else None
            if fixed is not None and fixed != self.population_period:
                # Annex A, "Population": one estimate for the report's own periods.
                problems.append(
                    f"metric {metric.id} fixes its denominator at {fixed} but the "
                    f"edition's population estimate is {self.population_period}"
                )
            if as_at and metric.denominator_rule is None:
                problems.append(
                    f"metric {metric.id} divides by {below.id}, counted as at a date, but "
                    "declares no denominator_rule saying which date"
                )
            elif not as_at and metric.denominator_rule is not None:
                problems.append(
                    f"metric {metric.id} has a denominator_rule but {below.id} is counted "
                    "over a window, not as at a date"
                )
            elif as_at and not explained & {metric.id, ALL_METRICS}:
                problems.append(
                    f"metric {metric.id} chooses an as-at denominator but no caveat with "
                    "applies_if_denominator_estimated covers it"
                )
        for caveat in self.caveats:
            if caveat.applies_if_missing and caveat.applies_if_missing not in self._measures:
                problems.append(
                    f"caveat {caveat.id} depends on unknown measure {caveat.applies_if_missing}"
                )
        return problems

    def to_dict(self) -> dict[str, Any]:
        """JSON-compatible dict of the whole edition (for documentation and services)."""
        return {
            "id": self.id,
            "title": self.title,
            "population_period": (
                self.population_period.to_dict() if self.population_period else None
            ),
            "measures": [m.to_dict() for m in self.measures],
            "metrics": [m.to_dict() for m in self.metrics],
            "caveats": [c.to_dict() for c in self.caveats],
            "outcome_grouping": self.outcome_grouping.to_dict(),
            "judgments": [j.to_dict() for j in self.judgments],
            "panel": list(self.panel),
        }


def for_results(results: Any, edition: str | Edition | None = None) -> Edition:
    """The edition to read ``results`` with: ``edition`` when given, else the one the
    results were computed for (their ``edition`` column, when it holds one id), else
    :data:`DEFAULT`. The one rule of every function that takes results.

    >>> import pandas as pd
    >>> for_results(pd.DataFrame({"edition": ["peel2017"]})).id
    'peel2017'
    """
    columns = getattr(results, "columns", ())
    if edition is None and "edition" in columns and results["edition"].nunique() == 1:
        edition = str(results["edition"].iloc[0])
    return get(edition)


def _expected_unit(metric: Metric, measures: dict[str, Measure]) -> str:
    """The unit a metric's measures and scale give (the one table of scales in units)."""
    top = measures[metric.numerator[0]].unit
    if metric.kind is MetricKind.CHANGE:
        return "percent"
    assert metric.denominator is not None  # checked by Metric
    return metric.scale.unit(top, measures[metric.denominator].unit)


def _close(name: str, known: Iterable[str]) -> list[str]:
    import difflib

    return difflib.get_close_matches(name, list(known), n=3, cutoff=0.5)
