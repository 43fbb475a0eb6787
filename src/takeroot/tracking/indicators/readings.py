"""Reading indicators from the weekly rollups.

Every reading is aggregate SQL over the rollups (never ``ActivityRecord``, which holds millions):
``CohortRollup`` when the scope takes whole cohorts (a cohort, a module, a programme, the
workspace), ``Rollup`` when it picks out people (an enrolment, a team, a row per person or team).
One query sums total and count per input for the period and the one before it, split
by a CASE on the week, and grouped by enrolment, module, cohort, programme or team when a table needs one
row per item. A second, small query counts the people behind ``people`` (or lists the items).
Formulas are then evaluated in Python over a handful of sums per item, so the work grows with the
number of rows shown, not with the history behind them.
"""

import datetime
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Literal

from django.db.models import BooleanField, Case, Count, F, Min, Sum, Value, When
from django.utils import formats
from django.utils.translation import gettext as _

from takeroot.core.models import Workspace
from takeroot.programmes.enums import EnrolmentStatus
from takeroot.programmes.models import Cohort, Enrolment, Module
from takeroot.tracking.enums import COHORT_ONLY_INPUTS, Cadence, Level, Light
from takeroot.tracking.formula import Formula, Totals, validate_formula
from takeroot.tracking.models import CohortRollup, Indicator, Rollup

from .catalogue import indicators_for, name_of
from .periods import Period
from .scopes import Scope

By = Literal["enrolment", "module", "cohort", "programme", "team"]
BY_FIELDS: dict[str, str] = {
    "enrolment": "enrolment_id",
    "module": "module_id",
    "cohort": "cohort_id",
    "programme": "cohort__programme_id",
    "team": "enrolment__person__team_id",
}
PER_PERSON_BY = ("enrolment", "team")
AMBER_MARGIN = 0.1  # within 10 % of the threshold
FLAT = 0.02  # a change under 2 % reads as flat


# Readings ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Reading:
    """One indicator's value in a scope and period, the value the period before, how many records
    are behind it, and its traffic light. ``cohort_only``: the indicator exists for whole cohorts
    only (survey results), so a person or a team has no value."""

    indicator: Indicator
    value: float | None
    previous: float | None
    n: int
    light: Light
    cohort_only: bool = False

    @property
    def name(self) -> str:
        return name_of(self.indicator)

    @property
    def text(self) -> str:
        """The value as people read it: "85 %", "42 min", "3.5"."""
        if self.cohort_only:
            return _("shown for the cohort only")
        return format_value(self.indicator, self.value)

    @property
    def trend(self) -> Literal["up", "down", "flat"] | None:
        """Which way the value moved since the previous period (not whether that is good)."""
        if self.value is None or self.previous is None:
            return None
        scale = max(abs(self.previous), abs(self.value))
        if scale == 0 or abs(self.value - self.previous) / scale < FLAT:
            return "flat"
        return "up" if self.value > self.previous else "down"

    @property
    def improving(self) -> bool | None:
        """Whether the trend goes the good way for this indicator; None when flat or unknown."""
        if self.trend in (None, "flat"):
            return None
        return (self.trend == "up") == self.indicator.higher_is_better

    @property
    def change_text(self) -> str:
        """The change since the previous period: "+5 points", "−12 min", "+0.5"; "" when unknown."""
        if self.value is None or self.previous is None:
            return ""
        change = self.value - self.previous
        if self.indicator.unit == "%":
            return _("%(change)s points") % {"change": _signed(change * 100)}
        return _with_unit(self.indicator.unit, _signed(change))


def light_for(indicator: Indicator, value: float | None) -> Light:
    """Green when the threshold is met, amber within 10 % of it, red beyond; none without data.
    ``higher_is_better=False`` turns it round (e.g. tickets: fewer is better)."""
    if value is None:
        return Light.NONE
    threshold = indicator.threshold
    margin = abs(threshold) * AMBER_MARGIN
    if indicator.higher_is_better:
        return Light.GREEN if value >= threshold else Light.AMBER if value >= threshold - margin else Light.RED
    return Light.GREEN if value <= threshold else Light.AMBER if value <= threshold + margin else Light.RED


def format_value(indicator: Indicator, value: float | None) -> str:
    """A value in the indicator's unit, localised; "no data" for None."""
    if value is None:
        return _("no data")
    if indicator.unit == "%":
        return _("%(number)s %%") % {"number": _number(value * 100, decimals=0)}
    return _with_unit(indicator.unit, _number(value))


def _number(value: float, *, decimals: int = 1) -> str:
    rounded = round(value, decimals)
    return formats.number_format(rounded, decimal_pos=0 if float(rounded).is_integer() else decimals, use_l10n=True)


def _signed(value: float) -> str:
    text = _number(abs(value))
    return text if text.strip("0.,") == "" else f"{'+' if value > 0 else '−'}{text}"


def _with_unit(unit: str, number: str) -> str:
    if unit == "min":
        return _("%(number)s min") % {"number": number}
    return f"{number} {unit}" if unit else number


# Reading a scope --------------------------------------------------------------------------------


def read(scope: Scope, period: Period, *, indicators: Sequence[Indicator] | None = None) -> list[Reading]:
    """Each indicator (the workspace's active set by default) over ``period`` in ``scope``, with
    the previous period's value for the trend. One query for the sums, one for ``people`` when a
    formula needs it."""
    indicators = _indicators(scope, indicators)
    parsed = _parsed(indicators)
    inputs = _inputs(parsed, scope.per_person)
    sums = _sums(scope, period, inputs) if inputs else {}
    people = _people_count(scope) if _needs_people(parsed, scope) else 1
    return _readings(indicators, parsed, sums.get(None, {}), period, people, per_person=scope.per_person)


def read_by(
    scope: Scope, period: Period, *, by: By, indicators: Sequence[Indicator] | None = None
) -> dict[int, list[Reading]]:
    """Readings per enrolment, module, cohort, programme or team (each person's own team) of ``scope``, in
    one query for the sums and one for the items: the same numbers ``read`` gives for each item's
    own scope. Items without data are there too (every enrolment, module, cohort or team of the
    scope; every programme of the scope's cohorts), with "no data" readings."""
    if by not in BY_FIELDS:
        raise ValueError(f"by must be one of {', '.join(BY_FIELDS)}")
    indicators = _indicators(scope, indicators)
    parsed = _parsed(indicators)
    per_person = scope.per_person or by in PER_PERSON_BY
    inputs = _inputs(parsed, per_person)
    sums = _sums(scope, period, inputs, by=by) if inputs else {}
    people = _items(scope, by, count_people=_needs_people(parsed, scope))
    for key in sums:
        if key is not None:
            people.setdefault(key, 1)
    return {
        key: _readings(indicators, parsed, sums.get(key, {}), period, count, per_person=per_person)
        for key, count in people.items()
    }


def _indicators(scope: Scope, indicators: Sequence[Indicator] | None) -> list[Indicator]:
    if indicators is not None:
        return list(indicators)
    return indicators_for(_workspace_id(scope))


def _workspace_id(scope: Scope) -> int:
    if scope.workspace_id is not None:
        return scope.workspace_id
    return Cohort.objects.values_list("workspace_id", flat=True).get(pk=scope.cohort_ids[0])


def _parsed(indicators: Iterable[Indicator]) -> dict[int, Formula]:
    return {indicator.pk: validate_formula(indicator.formula) for indicator in indicators}


def _inputs(parsed: dict[int, Formula], per_person: bool) -> set[str]:
    inputs = {name for formula in parsed.values() for name in formula.inputs}
    return inputs - COHORT_ONLY_INPUTS if per_person else inputs


def _needs_people(parsed: dict[int, Formula], scope: Scope) -> bool:
    return scope.level != Level.ENROLMENT and any(formula.uses_people for formula in parsed.values())


# {item key (None without grouping): {"now" | "before": {input: (total, count)}}}
Sums = dict[int | None, dict[str, dict[str, tuple[float, int]]]]


def _rollups(scope: Scope, by: str | None = None):
    """The rollups a reading sums: per person only when the scope or the grouping needs people."""
    return Rollup.objects if scope.per_person or by in PER_PERSON_BY else CohortRollup.objects


def _sums(scope: Scope, period: Period, inputs: set[str], *, by: str | None = None) -> Sums:
    """The one aggregate query: total and count per input (and item), this period and the one
    before, told apart by a CASE on the week."""
    before = period.previous()
    current = Case(When(week__gte=period.start, then=Value(True)), default=Value(False), output_field=BooleanField())
    group = {"key": F(BY_FIELDS[by])} if by else {}
    rows = (
        _rollups(scope, by)
        .filter(scope.rollup_filter(), input__in=sorted(inputs), week__gte=before.start)
        .filter(week__lt=period.end)
        .values("input", current=current, **group)
        .annotate(total=Sum("total"), count=Sum("count"))
        .order_by()
    )
    sums: Sums = defaultdict(lambda: {"now": {}, "before": {}})
    for row in rows:
        sums[row.get("key")]["now" if row["current"] else "before"][row["input"]] = (row["total"], row["count"])
    return sums


def _enrolments(scope: Scope):
    return Enrolment.objects.filter(scope.rollup_filter("enrolment")).exclude(status=EnrolmentStatus.WITHDRAWN)


def _people_count(scope: Scope) -> int:
    return _enrolments(scope).count()


def _items(scope: Scope, by: str, *, count_people: bool) -> dict[int, int]:
    """The scope's items in order, each with its people (enrolments, withdrawn ones left out)."""
    if by == "enrolment":
        ids = _enrolments(scope).order_by("person__user__name", "pk").values_list("pk", flat=True)
        return dict.fromkeys(ids, 1)
    if by == "module":
        modules = Module.objects.filter(pk=scope.module_id) if scope.module_id else _modules_of(scope)
        people = _people_count(scope) if count_people else 1
        return dict.fromkeys(modules.values_list("pk", flat=True), people)
    field = {"cohort": "cohort_id", "programme": "cohort__programme_id"}.get(by, "person__team_id")
    rows = _enrolments(scope).values(key=F(field)).annotate(n=Count("pk")).order_by("key")
    items = {row["key"]: row["n"] for row in rows if row["key"] is not None}
    if by == "programme":
        # A programme without people still has a row, as ``read`` of its scope would give.
        programme_ids = Cohort.objects.filter(pk__in=scope.cohort_ids).values_list("programme_id", flat=True)
        items = {pk: items.get(pk, 0) for pk in sorted({*programme_ids, *items})}
    return items


def _modules_of(scope: Scope):
    programme_ids = Cohort.objects.filter(pk__in=scope.cohort_ids).values("programme_id")
    return Module.objects.filter(programme_id__in=programme_ids).order_by("programme_id", "position", "pk")


def _readings(
    indicators: list[Indicator],
    parsed: dict[int, Formula],
    sums: dict[str, dict[str, tuple[float, int]]],
    period: Period,
    people: int,
    *,
    per_person: bool,
) -> list[Reading]:
    now, before = sums.get("now", {}), sums.get("before", {})
    readings = []
    for indicator in indicators:
        formula = parsed[indicator.pk]
        if per_person and formula.inputs <= COHORT_ONLY_INPUTS:
            readings.append(Reading(indicator, None, None, 0, Light.NONE, cohort_only=True))
            continue
        value = formula.evaluate(now, weeks=period.weeks, people=people)
        previous = formula.evaluate(before, weeks=period.weeks, people=people)
        n = sum(now.get(name, (0, 0))[1] for name in formula.inputs)
        readings.append(Reading(indicator, value, previous, n, light_for(indicator, value)))
    return readings


# Series -----------------------------------------------------------------------------------------


# A tuple subclass cannot have non-empty __slots__: the label lives in the instance's __dict__.
class Point(tuple):
    """One point of a series: unpacks as ``(date, value)`` and carries a ``label`` for the chart
    axis ("week of 5 Oct", "October 2026", the module's title)."""

    label: str

    def __new__(cls, when: datetime.date, value: float | None, label: str = ""):
        point = super().__new__(cls, (when, value))
        point.label = label
        return point

    @property
    def when(self) -> datetime.date:
        return self[0]

    @property
    def value(self) -> float | None:
        return self[1]


def series(scope: Scope, indicator: Indicator, period: Period) -> list[Point]:
    """The indicator over ``period`` at its cadence: one point per week, two weeks (counted from
    the period's start) or calendar month, or per module in the programme's order (dated by the
    module's first week with data; ``weeks`` is then the weeks it has data in). One query for the
    sums and one for ``people`` when the formula needs it."""
    formula = validate_formula(indicator.formula)
    people = _people_count(scope) if _needs_people({0: formula}, scope) else 1
    cohort_only = scope.per_person and formula.inputs <= COHORT_ONLY_INPUTS
    if indicator.cadence == Cadence.MODULE:
        return _module_series(scope, formula, period, people, cohort_only=cohort_only)
    weekly: dict[datetime.date, dict[str, tuple[float, int]]] = defaultdict(dict)
    if not cohort_only:
        for row in _series_rows(scope, formula, period, "week"):
            weekly[row["key"]][row["input"]] = (row["total"], row["count"])
    points = []
    for when, label, mondays in _buckets(indicator.cadence, period):
        totals = _add_up(weekly.get(monday, {}) for monday in mondays)
        points.append(Point(when, formula.evaluate(totals, weeks=len(mondays), people=people), label))
    return points


def _series_rows(scope: Scope, formula: Formula, period: Period, field: str):
    rollups = _rollups(scope).filter(scope.rollup_filter(), input__in=sorted(formula.inputs))
    rollups = rollups.filter(week__gte=period.start, week__lt=period.end)
    extra = {"weeks": Count("week", distinct=True), "first": Min("week")} if field == "module_id" else {}
    return rollups.values("input", key=F(field)).annotate(total=Sum("total"), count=Sum("count"), **extra).order_by()


def _module_series(scope: Scope, formula: Formula, period: Period, people: int, *, cohort_only: bool) -> list[Point]:
    modules = list(Module.objects.filter(pk=scope.module_id) if scope.module_id else _modules_of(scope))
    per_module: dict[int, dict[str, tuple[float, int]]] = defaultdict(dict)
    weeks: dict[int, int] = defaultdict(int)
    first: dict[int, datetime.date] = {}
    if not cohort_only:
        for row in _series_rows(scope, formula, period, "module_id"):
            if row["key"] is None:
                continue
            per_module[row["key"]][row["input"]] = (row["total"], row["count"])
            weeks[row["key"]] = max(weeks[row["key"]], row["weeks"])
            first[row["key"]] = min(first.get(row["key"], row["first"]), row["first"])
    return [
        Point(
            first.get(module.pk, period.start),
            formula.evaluate(per_module.get(module.pk, {}), weeks=weeks[module.pk], people=people),
            module.title,
        )
        for module in modules
    ]


def _buckets(cadence: str, period: Period) -> list[tuple[datetime.date, str, list[datetime.date]]]:
    """(date, label, the Mondays it covers) for each point of a weekly, two-weekly or monthly
    series."""
    mondays = period.mondays()
    if cadence == Cadence.MONTH:
        months: dict[tuple[int, int], list[datetime.date]] = {}
        for monday in mondays:
            months.setdefault((monday.year, monday.month), []).append(monday)
        return [
            (
                datetime.date(year, month, 1),
                formats.date_format(datetime.date(year, month, 1), "YEAR_MONTH_FORMAT"),
                days,
            )
            for (year, month), days in months.items()
        ]
    size = 2 if cadence == Cadence.TWO_WEEKS else 1
    return [
        (
            mondays[index],
            _("week of %(date)s") % {"date": formats.date_format(mondays[index], "MONTH_DAY_FORMAT")},
            mondays[index : index + size],
        )
        for index in range(0, len(mondays), size)
    ]


def _add_up(weeks: Iterable[dict[str, tuple[float, int]]]) -> Totals:
    totals: dict[str, tuple[float, int]] = {}
    for week in weeks:
        for name, (total, count) in week.items():
            before = totals.get(name, (0.0, 0))
            totals[name] = (before[0] + total, before[1] + count)
    return totals


def workspace_of(scope: Scope) -> Workspace:
    """The scope's workspace (for callers that hold only a scope)."""
    return Workspace.objects.get(pk=_workspace_id(scope))
