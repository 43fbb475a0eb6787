"""What each dashboard shows, assembled once and shared by the pages, their XLSX/CSV copies and the
API, so the three always carry the same numbers.

A ``Dashboard`` is the indicator table by category (value, traffic light, trend against the period
before), tables with one row per participant, module, cohort, programme or team, the at-risk list
or counts, the problem finder's findings, and the charts' series. Figures come from the indicator
engine (``indicators.read``/``read_by``/``series``), which reads the weekly rollups only: the work
grows with the rows shown, not with the history behind them, and a table costs the same number of
queries for 5 participants as for 50.

Flags are passed in already narrowed to what the viewer may see (``queries.flags_for_user`` for a
person, the workspace's for an API key), so one rule decides who reads which names.
"""

import datetime
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace

from django.db.models import Count, QuerySet, Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from takeroot.core.models import Person, Team, Workspace
from takeroot.core.queries import report_ids, team_and_descendants
from takeroot.programmes.enums import EnrolmentStatus
from takeroot.programmes.models import Cohort, Enrolment, Module, Programme

from .charts import ChartBlock, trend_charts
from .enums import Category, FindingState, FlagState, Input, Level
from .findings import count_text, figure_text
from .indicators import Period, Reading, Scope, indicators_for, name_of, read, read_by
from .models import AtRiskFlag, DesignChange, Finding, Indicator, Rollup
from .queries import design_changes_for_programme, findings_for_programme
from .risk import describe

# Categories a person has figures in; satisfaction is surveyed per cohort only.
PERSONAL = (Category.ENGAGEMENT, Category.KNOWLEDGE, Category.APPLICATION)
CHARTED = (Category.ENGAGEMENT, Category.KNOWLEDGE)
TOP_FINDINGS = 5


# What a dashboard is made of --------------------------------------------------------------------


@dataclass(frozen=True)
class Group:
    """One category of the indicator table."""

    category: str
    label: str
    readings: list[Reading]


@dataclass(frozen=True)
class Row:
    """One line of a table: its readings in the table's column order (None: not measured here)."""

    label: str
    readings: list[Reading | None]
    key: str = ""  # the public id (uuid) of what the row is about
    url: str = ""  # drill-down, where the viewer may follow it
    at_risk: int | None = None  # open flags behind the row, when the table counts them
    note: str = ""


@dataclass(frozen=True)
class Table:
    name: str  # "participants", "modules", "cohorts", "programmes", "teams"
    caption: str
    heading: str  # the first column's header
    indicators: list[Indicator]
    rows: list[Row]
    counts_flags: bool = False

    @property
    def columns(self) -> list[str]:
        return [name_of(indicator) for indicator in self.indicators]


@dataclass(frozen=True)
class Flagged:
    """An open flag as a dashboard lists it: who, in which cohort, and why in words."""

    flag: AtRiskFlag
    name: str
    cohort: str
    reasons: list[str]


@dataclass(frozen=True)
class FindingLine:
    """A finding as a dashboard lists it, its figures in words."""

    finding: Finding
    what: str  # the module, ticket category or survey item it is about
    figure: str
    target: str
    count: str


@dataclass
class Dashboard:
    kind: str  # cohort, programme, team, organisation, progress
    title: str
    period: Period
    groups: list[Group]
    tables: list[Table] = field(default_factory=list)
    flags: list[Flagged] | None = None  # None: the dashboard has no at-risk list
    findings: list[FindingLine] | None = None  # None: the dashboard has no findings list
    changes: list[DesignChange] | None = None
    charts: list[ChartBlock] = field(default_factory=list)
    facts: list[str] = field(default_factory=list)  # a participant's progress in plain sentences
    at_risk: int | None = None  # open flags in scope, where only the count is shown

    @property
    def readings(self) -> list[Reading]:
        return [reading for group in self.groups for reading in group.readings]


def today() -> datetime.date:
    """The day dashboards count weeks back from (UTC, like the rollups' weeks)."""
    return timezone.now().astimezone(datetime.UTC).date()


# Periods -----------------------------------------------------------------------------------------


def cohort_period(cohort: Cohort, *, on: datetime.date) -> Period:
    """The whole cohort: from its first week to its last, or to this week while it runs."""
    return Period.between(cohort.starts_on, min(max(on, cohort.starts_on), cohort.ends_on))


def programme_period(programme: Programme, *, on: datetime.date) -> Period:
    """Every cohort of the programme, from the first one's start to the last one's end (or today)."""
    cohorts = list(Cohort.objects.filter(programme=programme).values_list("starts_on", "ends_on"))
    if not cohorts:
        return Period.last_weeks(12, today=on)
    first = min(start for start, _end in cohorts)
    return Period.between(first, min(max(on, first), max(end for _start, end in cohorts)))


def year_period(*, on: datetime.date) -> Period:
    """The last 52 weeks: "all" on the team and organisation dashboards."""
    return Period.last_weeks(52, today=on)


# Shared pieces ------------------------------------------------------------------------------------


def _groups(readings: Sequence[Reading], categories: Iterable[str] = Category.values) -> list[Group]:
    labels = dict(Category.choices)
    return [
        Group(category, str(labels[category]), [r for r in readings if r.indicator.category == category])
        for category in categories
        if any(r.indicator.category == category for r in readings)
    ]


def _personal(indicators: Sequence[Indicator]) -> list[Indicator]:
    return [indicator for indicator in indicators if indicator.category in PERSONAL]


def _cells(indicators: Sequence[Indicator], readings: Sequence[Reading]) -> list[Reading | None]:
    """A row's readings in the table's column order."""
    by_pk = {reading.indicator.pk: reading for reading in readings}
    return [by_pk.get(indicator.pk) for indicator in indicators]


def _charted(indicators: Sequence[Indicator]) -> list[Indicator]:
    return [indicator for indicator in indicators if indicator.category in CHARTED]


def _flagged(flags: QuerySet[AtRiskFlag]) -> list[Flagged]:
    rows = flags.filter(state=FlagState.OPEN).select_related("enrolment__person__user", "enrolment__cohort")
    return [
        Flagged(
            flag,
            flag.enrolment.person.user.name,
            flag.enrolment.cohort.name,
            [describe(reason) for reason in flag.reasons],
        )
        for flag in rows.order_by("enrolment__person__user__name", "pk")
    ]


def _findings(findings: Iterable[Finding]) -> list[FindingLine]:
    return [
        FindingLine(
            finding,
            finding.module.title if finding.module_id else finding.subject,
            figure_text(finding.kind, finding.value),
            figure_text(finding.kind, finding.target),
            count_text(finding.kind, finding.count),
        )
        for finding in findings
    ]


def _open_counts(flags: QuerySet[AtRiskFlag], field: str) -> dict[int, int]:
    rows = flags.filter(state=FlagState.OPEN).order_by().values(field).annotate(n=Count("pk"))
    return {row[field]: row["n"] for row in rows}


def _progress_url(enrolment_uuid) -> str:
    return reverse("tracking:progress", args=[enrolment_uuid])


def narrowed(scope: Scope, programme: Programme | None) -> Scope:
    """The scope within one programme's cohorts (the team and organisation filters)."""
    if programme is None:
        return scope
    cohort_ids = set(Cohort.objects.filter(programme=programme).values_list("pk", flat=True))
    kept = tuple(pk for pk in scope.cohort_ids if pk in cohort_ids)
    # The organisation reads by workspace id; narrowed, it reads the programme's cohorts instead.
    level = Level.PROGRAMME if scope.level == Level.WORKSPACE else scope.level
    return replace(scope, level=level, cohort_ids=kept, label=f"{scope.label} · {programme.name}")


# The cohort --------------------------------------------------------------------------------------


def cohort_dashboard(
    cohort: Cohort, period: Period, *, flags: QuerySet[AtRiskFlag], drill_down: bool = True
) -> Dashboard:
    """Indicators by category, per participant, per module; the at-risk list; the cohort's open
    findings; engagement and knowledge over the period."""
    indicators = indicators_for(cohort.workspace_id)
    personal = _personal(indicators)
    scope = Scope.for_cohort(cohort)
    enrolments = {
        e.pk: e
        for e in Enrolment.objects.filter(cohort=cohort)
        .exclude(status=EnrolmentStatus.WITHDRAWN)
        .select_related("person__user")
    }
    cohort_flags = flags.filter(enrolment__cohort=cohort)
    flagged = _open_counts(cohort_flags, "enrolment_id")
    per_person = read_by(scope, period, by="enrolment", indicators=personal)
    people = [
        Row(
            enrolments[pk].person.user.name,
            _cells(personal, readings),
            key=str(enrolments[pk].uuid),
            url=_progress_url(enrolments[pk].uuid) if drill_down else "",
            at_risk=flagged.get(pk, 0),
        )
        for pk, readings in per_person.items()
        if pk in enrolments
    ]
    modules = {m.pk: m for m in Module.objects.filter(programme_id=cohort.programme_id)}
    per_module = read_by(scope, period, by="module", indicators=personal)
    module_rows = [
        Row(modules[pk].title, _cells(personal, readings), key=str(modules[pk].uuid))
        for pk, readings in per_module.items()
        if pk in modules
    ]
    findings = Finding.objects.filter(cohort=cohort, state=FindingState.OPEN).select_related("module", "cohort")
    return Dashboard(
        kind="cohort",
        title=f"{cohort.programme.name} · {cohort.name}",
        period=period,
        groups=_groups(read(scope, period, indicators=indicators)),
        tables=[
            Table("participants", _("Indicators per participant"), _("Participant"), personal, people, True),
            Table("modules", _("Indicators per module"), _("Module"), personal, module_rows),
        ],
        flags=_flagged(cohort_flags),
        findings=_findings(findings),
        charts=trend_charts(scope, _charted(indicators), period),
    )


# The programme -----------------------------------------------------------------------------------


def programme_dashboard(programme: Programme, period: Period, *, flags: QuerySet[AtRiskFlag]) -> Dashboard:
    """Indicators for the programme; each cohort as a row with its open flags (the cohort
    comparison, so a design change can be judged against the cohort before it); per module;
    findings and design changes."""
    indicators = indicators_for(programme.workspace_id)
    scope = Scope.for_programme(programme)
    cohorts = {c.pk: c for c in Cohort.objects.filter(programme=programme)}
    flagged = _open_counts(flags.filter(enrolment__cohort__programme=programme), "enrolment__cohort_id")
    per_cohort = read_by(scope, period, by="cohort", indicators=indicators)
    ordered = sorted(cohorts.values(), key=lambda c: (c.starts_on, c.name))
    cohort_rows = [
        Row(
            c.name,
            _cells(indicators, per_cohort.get(c.pk, [])),
            key=str(c.uuid),
            url=reverse("tracking:cohort_dashboard", args=[c.uuid]),
            at_risk=flagged.get(c.pk, 0),
        )
        for c in ordered
    ]
    personal = _personal(indicators)
    modules = {m.pk: m for m in Module.objects.filter(programme=programme)}
    per_module = read_by(scope, period, by="module", indicators=personal)
    module_rows = [
        Row(modules[pk].title, _cells(personal, readings), key=str(modules[pk].uuid))
        for pk, readings in per_module.items()
        if pk in modules
    ]
    return Dashboard(
        kind="programme",
        title=programme.name,
        period=period,
        groups=_groups(read(scope, period, indicators=indicators)),
        tables=[
            Table("cohorts", _("Indicators per cohort"), _("Cohort"), indicators, cohort_rows, True),
            Table("modules", _("Indicators per module"), _("Module"), personal, module_rows),
        ],
        findings=_findings(findings_for_programme(programme)),
        changes=list(design_changes_for_programme(programme)),
        at_risk=sum(flagged.values()),
        charts=trend_charts(scope, _charted(indicators), period),
    )


# The team ----------------------------------------------------------------------------------------


def team_people(team: Team, viewer: Person | None) -> tuple[list[int], bool]:
    """The team's people (sub-teams too) the viewer sees one by one: everyone for an admin or an API
    key (``viewer`` None), a line manager their reporting line. Also whether that is everyone."""
    team_ids = [t.pk for t in team_and_descendants(team)]
    members = list(Person.objects.filter(team_id__in=team_ids).values_list("pk", flat=True))
    if viewer is None or viewer.is_admin:
        return members, True
    reports = report_ids(viewer)
    return [pk for pk in members if pk in reports], False


def team_dashboard(
    team: Team,
    period: Period,
    *,
    viewer: Person | None,
    flags: QuerySet[AtRiskFlag],
    programme: Programme | None = None,
) -> Dashboard:
    """Indicators of the team's people (a line manager: their reports in it), a row per person's
    enrolment and per sub-team, and the at-risk list the viewer may see."""
    indicators = _personal(indicators_for(team.workspace_id))
    people, everyone = team_people(team, viewer)
    enrolments = (
        Enrolment.objects.filter(person_id__in=people)
        .exclude(status=EnrolmentStatus.WITHDRAWN)
        .select_related("person__user", "cohort__programme")
    )
    if programme is not None:
        enrolments = enrolments.filter(cohort__programme=programme)
    enrolments = {e.pk: e for e in enrolments}
    if everyone:
        scope = narrowed(Scope.for_team(team), programme)
    else:
        cohort_ids = tuple(sorted({e.cohort_id for e in enrolments.values()}))
        scope = Scope(
            level=Level.TEAM,
            label=team.name,
            cohort_ids=cohort_ids,
            enrolment_ids=tuple(sorted(enrolments)),
            workspace_id=team.workspace_id,
        )
    team_flags = flags.filter(enrolment_id__in=list(enrolments))
    flagged = _open_counts(team_flags, "enrolment_id")
    per_person = read_by(scope, period, by="enrolment", indicators=indicators)
    rows = [
        Row(
            f"{enrolments[pk].person.user.name} · {enrolments[pk].cohort.programme.name}, {enrolments[pk].cohort.name}",
            _cells(indicators, readings),
            key=str(enrolments[pk].uuid),
            url=_progress_url(enrolments[pk].uuid),
            at_risk=flagged.get(pk, 0),
        )
        for pk, readings in per_person.items()
        if pk in enrolments
    ]
    tables = [Table("participants", _("Indicators per person and training"), _("Person"), indicators, rows, True)]
    sub_teams = {t.pk: t for t in team_and_descendants(team)}
    if len(sub_teams) > 1:
        per_team = read_by(scope, period, by="team", indicators=indicators)
        team_rows = [
            Row(sub_teams[pk].name, _cells(indicators, readings), key=str(sub_teams[pk].uuid))
            for pk, readings in sorted(per_team.items(), key=lambda item: sub_teams.get(item[0], team).name)
            if pk in sub_teams
        ]
        tables.append(Table("teams", _("Indicators per team"), _("Team"), indicators, team_rows))
    return Dashboard(
        kind="team",
        title=team.name,
        period=period,
        groups=_groups(read(scope, period, indicators=indicators), PERSONAL),
        tables=tables,
        flags=_flagged(team_flags),
        charts=trend_charts(scope, _charted(indicators), period),
    )


# The organisation --------------------------------------------------------------------------------


def organisation_dashboard(
    workspace: Workspace,
    period: Period,
    *,
    flags: QuerySet[AtRiskFlag],
    team: Team | None = None,
    programme: Programme | None = None,
) -> Dashboard:
    """Indicators for the workspace (or one team, or one programme), a row per programme and per
    team, open flags counted per programme, and the findings that concern most people."""
    indicators = indicators_for(workspace)
    if team is not None:
        scope = narrowed(Scope.for_team(team), programme)
    elif programme is not None:
        scope = Scope.for_programme(programme)
    else:
        scope = Scope.for_workspace(workspace)
    scoped_flags = flags.filter(enrolment__cohort_id__in=scope.cohort_ids)
    if team is not None:
        scoped_flags = scoped_flags.filter(enrolment__person__team_id__in=scope.team_ids)
    flagged = _open_counts(scoped_flags, "enrolment__cohort__programme_id")
    programmes = Programme.objects.filter(workspace=workspace, cohorts__pk__in=scope.cohort_ids).distinct()
    per_programme = read_by(scope, period, by="programme", indicators=indicators)
    programme_rows = [
        Row(
            p.name,
            _cells(indicators, per_programme.get(p.pk, [])),
            key=str(p.uuid),
            url=reverse("tracking:programme_dashboard", args=[p.uuid]),
            at_risk=flagged.get(p.pk, 0),
        )
        for p in programmes.order_by("name")
    ]
    personal = _personal(indicators)
    teams = {t.pk: t for t in Team.objects.filter(workspace=workspace)}
    per_team = read_by(scope, period, by="team", indicators=personal)
    team_rows = [
        Row(teams[pk].name, _cells(personal, readings), key=str(teams[pk].uuid), url=_team_url(teams[pk]))
        for pk, readings in sorted(per_team.items(), key=lambda item: teams[item[0]].name if item[0] in teams else "")
        if pk in teams
    ]
    findings = Finding.objects.filter(workspace=workspace, state=FindingState.OPEN, programme__in=programmes)
    return Dashboard(
        kind="organisation",
        title=scope.label,
        period=period,
        groups=_groups(read(scope, period, indicators=indicators)),
        tables=[
            Table("programmes", _("Indicators per programme"), _("Programme"), indicators, programme_rows, True),
            Table("teams", _("Indicators per team"), _("Team"), personal, team_rows),
        ],
        findings=_findings(
            findings.select_related("programme", "cohort", "module").order_by("-count", "-found_at")[:TOP_FINDINGS]
        ),
        at_risk=sum(flagged.values()),
        charts=trend_charts(scope, _charted(indicators), period),
    )


def _team_url(team: Team) -> str:
    return reverse("tracking:team_dashboard", args=[team.uuid])


# A participant's progress ------------------------------------------------------------------------


def progress(enrolment: Enrolment, period: Period, *, own: bool) -> Dashboard:
    """One enrolment's engagement, knowledge and application (satisfaction is per cohort only),
    per module, over time, and in plain sentences ("You attended 7 of 8 sessions") — addressed to
    the participant when ``own``, else naming them."""
    indicators = _personal(indicators_for(enrolment.workspace_id))
    scope = Scope.for_enrolment(enrolment)
    modules = {m.pk: m for m in Module.objects.filter(programme_id=enrolment.cohort.programme_id)}
    per_module = read_by(scope, period, by="module", indicators=indicators)
    module_rows = [
        Row(
            modules[pk].title,
            _cells(indicators, readings),
            key=str(modules[pk].uuid),
            note=_("Started") if any(r.n for r in readings) else _("Not started yet"),
        )
        for pk, readings in per_module.items()
        if pk in modules
    ]
    name = enrolment.person.user.name
    return Dashboard(
        kind="progress",
        title=f"{enrolment.cohort.programme.name} · {enrolment.cohort.name}",
        period=period,
        groups=_groups(read(scope, period, indicators=indicators), PERSONAL),
        tables=[Table("modules", _("Progress through the modules"), _("Module"), indicators, module_rows)],
        charts=trend_charts(scope, _charted(indicators), period),
        facts=plain_facts(enrolment, period, you=own, name=name),
    )


# (input, sentence to the participant, sentence about them); %(done)s of %(all)s, %(share)s, %(time)s.
_SENTENCES: dict[str, tuple[Callable[[], str], Callable[[], str]]] = {
    Input.ATTENDANCE: (
        lambda: _("You attended %(done)s of %(all)s sessions."),
        lambda: _("%(name)s attended %(done)s of %(all)s sessions."),
    ),
    Input.TIME_ONLINE: (
        lambda: _("You spent %(time)s learning online."),
        lambda: _("%(name)s spent %(time)s learning online."),
    ),
    Input.INTERACTION: (
        lambda: _("You took part in %(all)s activities and discussions."),
        lambda: _("%(name)s took part in %(all)s activities and discussions."),
    ),
    Input.QUIZ_SCORE: (
        lambda: _("You answered %(share)s of %(all)s quiz questions right."),
        lambda: _("%(name)s answered %(share)s of %(all)s quiz questions right."),
    ),
    Input.ASSIGNMENT_SCORE: (
        lambda: _("Your %(all)s assignments scored %(share)s on average."),
        lambda: _("%(name)s's %(all)s assignments scored %(share)s on average."),
    ),
    Input.PRACTICE_COMPLETION: (
        lambda: _("You completed %(done)s of %(all)s practice tasks."),
        lambda: _("%(name)s completed %(done)s of %(all)s practice tasks."),
    ),
    Input.SUPERVISOR_EVALUATION: (
        lambda: _("Your supervisor's evaluations average %(share)s."),
        lambda: _("%(name)s's supervisor evaluations average %(share)s."),
    ),
    Input.CHECK_IN: (
        lambda: _("You made %(done)s of %(all)s check-ins."),
        lambda: _("%(name)s made %(done)s of %(all)s check-ins."),
    ),
    Input.CHECK_IN_PROGRESS: (
        lambda: _("In your check-ins you reported being %(share)s of the way to your goals."),
        lambda: _("In the check-ins %(name)s reported being %(share)s of the way to the goals."),
    ),
}


def _time_text(minutes: float) -> str:
    hours, rest = divmod(round(minutes), 60)
    if hours:
        return _("%(hours)s h %(minutes)s min") % {"hours": hours, "minutes": rest}
    return _("%(minutes)s min") % {"minutes": rest}


def plain_facts(enrolment: Enrolment, period: Period, *, you: bool, name: str) -> list[str]:
    """What the enrolment did in the period, one sentence per input with records, from the rollups
    (one query)."""
    sums = (
        Rollup.objects.filter(enrolment=enrolment, week__gte=period.start, week__lt=period.end)
        .values("input")
        .annotate(total=Sum("total"), count=Sum("count"))
        .order_by()
    )
    found = {row["input"]: (row["total"] or 0.0, row["count"] or 0) for row in sums if row["count"]}
    sentences = []
    for input, (to_them, about_them) in _SENTENCES.items():
        if input not in found:
            continue
        total, count = found[input]
        values = {
            "name": name,
            "done": round(total),
            "all": count,
            "share": f"{round(100 * total / count)} %",
            "time": _time_text(total),
        }
        sentences.append((to_them if you else about_them)() % values)
    return sentences
