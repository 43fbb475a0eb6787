"""Ticket metrics: how fast and how well responders answer, and where the questions come from.

Figures cover the tickets raised in a period (the last 30 or 90 days, or all time), optionally in
one programme or cohort, among the tickets the viewer may work on. Response times are counted in
the promise's clock (working hours or around the clock). ``problem_areas`` ranks the modules and
categories that generate most tickets: the problem finder's input.
"""

import datetime
import statistics
from dataclasses import dataclass, field

from django.db.models import Count, QuerySet
from django.utils.translation import gettext as _

from takeroot.core.charts import Chart, accessible_svg, house_style
from takeroot.core.models import Workspace
from takeroot.programmes.models import Cohort, Module, Programme

from .clock import Promise, hours_text
from .enums import Category, ClosedHow, TicketState
from .models import Ticket

PERIODS = (30, 90)  # days; 0 is all time
BAR = "#2a5a8c"


@dataclass(frozen=True)
class Area:
    """A module or a category and how many tickets it generated."""

    key: str  # the module's uuid or the category's value
    label: str
    tickets: int
    module: Module | None = None


@dataclass(frozen=True)
class ProblemAreas:
    modules: list[Area]
    categories: list[Area]


def _share(part: int, whole: int) -> float | None:
    return round(part / whole, 4) if whole else None


@dataclass
class Metrics:
    tickets: int = 0
    answered: int = 0
    median_first_response: datetime.timedelta | None = None
    within_promise: int = 0
    reopened: int = 0
    closed: int = 0
    confirmed: int = 0
    automatic: int = 0
    withdrawn: int = 0
    open_now: int = 0
    breached_now: int = 0
    areas: ProblemAreas = field(default_factory=lambda: ProblemAreas([], []))
    weeks: list[tuple[datetime.date, int]] = field(default_factory=list)

    @property
    def within_promise_share(self) -> float | None:
        return _share(self.within_promise, self.answered)

    @property
    def reopen_rate(self) -> float | None:
        return _share(self.reopened, self.answered)

    @property
    def confirmed_share(self) -> float | None:
        return _share(self.confirmed, self.closed)

    @property
    def automatic_share(self) -> float | None:
        return _share(self.automatic, self.closed)

    @property
    def median_hours(self) -> float | None:
        if self.median_first_response is None:
            return None
        return round(self.median_first_response.total_seconds() / 3600, 2)

    @property
    def median_text(self) -> str:
        return hours_text(self.median_first_response) if self.median_first_response is not None else ""


def scoped(
    tickets: QuerySet[Ticket],
    *,
    programme: Programme | None = None,
    cohort: Cohort | None = None,
    since: datetime.datetime | None = None,
) -> QuerySet[Ticket]:
    """Tickets of a programme or cohort, raised since a moment."""
    if programme is not None:
        tickets = tickets.filter(programme=programme)
    if cohort is not None:
        tickets = tickets.filter(cohort=cohort)
    if since is not None:
        tickets = tickets.filter(created_at__gte=since)
    return tickets


def _ranked_areas(tickets: QuerySet[Ticket]) -> ProblemAreas:
    by_module = tickets.filter(module__isnull=False).values("module").annotate(n=Count("id"))
    counts = {row["module"]: row["n"] for row in by_module}
    modules = Module.objects.filter(pk__in=counts).select_related("programme")
    module_areas = [Area(str(m.uuid), m.title, counts[m.pk], module=m) for m in modules]
    module_areas.sort(key=lambda area: (-area.tickets, area.label.lower()))
    labels = dict(Category.choices)
    by_category = tickets.values("category").annotate(n=Count("id"))
    category_areas = [Area(row["category"], str(labels[row["category"]]), row["n"]) for row in by_category]
    category_areas.sort(key=lambda area: (-area.tickets, area.label.lower()))
    return ProblemAreas(modules=module_areas, categories=category_areas)


def problem_areas(
    *,
    programme: Programme | None = None,
    cohort: Cohort | None = None,
    since: datetime.datetime | None = None,
    workspace: Workspace | None = None,
    tickets: QuerySet[Ticket] | None = None,
) -> ProblemAreas:
    """The modules and the categories that generate most tickets, most first (ties by name).

    Give a programme or a cohort (their workspace is used), or a workspace, or the ``tickets``
    already narrowed to what a viewer may see."""
    if tickets is None:
        owner = workspace or (programme.workspace if programme else cohort.workspace if cohort else None)
        if owner is None:
            raise ValueError("problem_areas needs a programme, a cohort, a workspace or tickets")
        tickets = Ticket.objects.filter(workspace=owner)
    return _ranked_areas(scoped(tickets, programme=programme, cohort=cohort, since=since))


def _monday(day: datetime.date) -> datetime.date:
    return day - datetime.timedelta(days=day.weekday())


def _weeks(created: list[datetime.datetime], *, since: datetime.datetime | None, now: datetime.datetime, zone):
    """Tickets raised per week (weeks start on Monday, in the workspace's time zone), every week of
    the period listed, empty ones too."""
    counts: dict[datetime.date, int] = {}
    for moment in created:
        week = _monday(moment.astimezone(zone).date())
        counts[week] = counts.get(week, 0) + 1
    if not counts and since is None:
        return []
    first = _monday(since.astimezone(zone).date()) if since is not None else min(counts)
    last = _monday(now.astimezone(zone).date())
    weeks, week = [], first
    while week <= last:
        weeks.append((week, counts.get(week, 0)))
        week += datetime.timedelta(days=7)
    return weeks


def compute_metrics(
    tickets: QuerySet[Ticket],
    *,
    promise: Promise,
    now: datetime.datetime,
    programme: Programme | None = None,
    cohort: Cohort | None = None,
    since: datetime.datetime | None = None,
) -> Metrics:
    """The figures for the tickets raised since ``since`` (all when None) among ``tickets``.

    Median first-response time in the promise's clock; share answered within the promise and
    reopen rate among the answered tickets; how the closed ones closed; open and breached now (of
    the programme or cohort, whenever raised)."""
    current = scoped(tickets, programme=programme, cohort=cohort)
    period = scoped(current, since=since)
    rows = list(
        period.values_list("created_at", "first_response_at", "within_promise", "reopened", "state", "closed_how")
    )
    found = Metrics(tickets=len(rows))
    times = []
    for created_at, first_response_at, within, reopened, state, closed_how in rows:
        if first_response_at is not None:
            found.answered += 1
            times.append(promise.elapsed(created_at, first_response_at))
            found.within_promise += bool(within)
            found.reopened += reopened > 0
        if state == TicketState.CLOSED:
            found.closed += 1
            found.confirmed += closed_how == ClosedHow.CONFIRMED
            found.automatic += closed_how == ClosedHow.AUTOMATIC
            found.withdrawn += closed_how == ClosedHow.WITHDRAWN
    if times:
        found.median_first_response = statistics.median(times)
    found.open_now = current.filter(state=TicketState.OPEN).count()
    found.breached_now = current.filter(state=TicketState.OPEN, due_at__lte=now).count()
    found.areas = _ranked_areas(period)
    zone = _zone(promise)
    found.weeks = _weeks([row[0] for row in rows], since=since, now=now, zone=zone)
    return found


def _zone(promise: Promise):
    import zoneinfo

    try:
        return zoneinfo.ZoneInfo(promise.settings.timezone)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return datetime.UTC


def weekly_chart(weeks: list[tuple[datetime.date, int]]) -> Chart | None:
    """Bars of tickets raised per week; None when there is nothing to draw."""
    if not weeks or not any(count for _week, count in weeks):
        return None
    import altair as alt
    import vl_convert

    values = [{"week": week.isoformat(), "tickets": count} for week, count in weeks]
    chart = (
        alt.Chart(alt.Data(values=values), title=_("Tickets raised per week"))
        .mark_bar(color=BAR)
        .encode(
            x=alt.X("week:O", title=_("Week starting"), axis=alt.Axis(labelAngle=-45)),
            y=alt.Y("tickets:Q", title=_("Tickets"), axis=alt.Axis(tickMinStep=1, format="d")),
        )
        .properties(width=max(160, 28 * len(weeks)), height=200)
    )
    svg = vl_convert.vegalite_to_svg(house_style(chart).to_dict())
    label = _("Bar chart: tickets raised per week")
    description = "; ".join(
        _("week of %(week)s: %(count)s") % {"week": week.isoformat(), "count": count} for week, count in weeks
    )
    description += "."
    return Chart(accessible_svg(svg, label=label, description=description), label, description)
