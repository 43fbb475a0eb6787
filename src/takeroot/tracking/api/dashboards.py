"""Dashboards over JSON: the same ``Dashboard`` the pages show, so the same figures.

Cohort, programme, team, organisation and a participant's progress; each with ``from``/``to``
(dates; or ``period`` = 4, 8, 12 or "all") and, where the page offers them, ``team`` and
``programme``. Readings carry value, previous value, records behind them (``n``), traffic light and
trend; tables one row per participant, module, cohort, programme or team. Filters that do not parse
answer 422 with the reason. An API key needs the ``tracking:read`` scope.
"""

import datetime
from uuid import UUID

from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status

from takeroot.core.api_support import READ_ERRORS, api_workspace
from takeroot.core.rules import API_KEY_SCOPES

from ..dashboard import Dashboard, Row
from ..dashboard_access import FilterError, build
from ..indicators import Reading
from ..risk import describe

router = Router(tags=["tracking"])

API_KEY_SCOPES.update(
    dict.fromkeys(
        (
            "tracking.view_cohort_dashboard",
            "tracking.view_programme_dashboard",
            "tracking.view_team_dashboard",
            "tracking.view_organisation",
            "tracking.view_progress",
        ),
        "tracking:read",
    )
)


class DashboardQuery(Schema):
    period: str = Field("", description='"4", "8" or "12" (weeks), "all", or "custom" with from and to')
    start: datetime.date | None = Field(None, alias="from", description="first day (makes the period custom)")
    end: datetime.date | None = Field(None, alias="to", description="last day")
    team: UUID | None = Field(None, description="organisation dashboard: one team")
    programme: UUID | None = Field(None, description="team and organisation dashboards: one programme")


class ReadingOut(Schema):
    indicator: str  # the indicator's code
    name: str
    category: str
    unit: str  # "%": value and previous are fractions (0.85 is 85 %)
    value: float | None
    previous: float | None  # the period of the same length just before
    n: int  # records behind the value
    light: str  # green, amber, red, none
    trend: str | None  # up, down, flat; null without a previous value
    cohort_only: bool  # survey results exist per cohort only: no value for a person or a team
    text: str


class RowOut(Schema):
    key: str  # the participant's enrolment, module, cohort, programme or team id
    label: str
    readings: list[ReadingOut]
    at_risk: int | None  # open flags behind the row, in tables that count them
    note: str


class TableOut(Schema):
    name: str  # participants, modules, cohorts, programmes, teams
    caption: str
    rows: list[RowOut]


class ReasonOut(Schema):
    reason: str
    text: str


class DashboardFlagOut(Schema):
    flag: UUID
    enrolment: UUID
    person: str
    cohort: str
    reasons: list[ReasonOut]


class DashboardFindingOut(Schema):
    finding: UUID
    kind: str
    programme: UUID
    cohort: UUID | None
    module: UUID | None
    subject: str
    value: float
    target: float
    count: int
    state: str


class DashboardChangeOut(Schema):
    change: UUID
    description: str
    module: UUID | None
    before_cohort: UUID | None
    after_cohort: UUID | None
    recorded_at: datetime.datetime


class PointOut(Schema):
    label: str
    values: list[float | None]  # in the order of ``indicators``


class SeriesOut(Schema):
    title: str
    indicators: list[str]
    points: list[PointOut]


class DashboardOut(Schema):
    kind: str
    title: str
    start: datetime.date
    end: datetime.date  # the last day
    readings: list[ReadingOut]
    tables: list[TableOut]
    flags: list[DashboardFlagOut] | None  # null: this dashboard shows counts only
    at_risk: int | None
    findings: list[DashboardFindingOut] | None
    design_changes: list[DashboardChangeOut] | None
    series: list[SeriesOut]
    facts: list[str]  # a participant's progress in sentences


# Shaping ---------------------------------------------------------------------------------------


def _reading(reading: Reading) -> dict:
    indicator = reading.indicator
    return {
        "indicator": indicator.code,
        "name": reading.name,
        "category": indicator.category,
        "unit": indicator.unit,
        "value": reading.value,
        "previous": reading.previous,
        "n": reading.n,
        "light": str(reading.light),
        "trend": reading.trend,
        "cohort_only": reading.cohort_only,
        "text": reading.text,
    }


def _row(row: Row) -> dict:
    return {
        "key": row.key,
        "label": row.label,
        "readings": [_reading(cell) for cell in row.readings if cell is not None],
        "at_risk": row.at_risk,
        "note": row.note,
    }


def _uuid(obj):
    return obj.uuid if obj is not None else None


def _out(dashboard: Dashboard) -> dict:
    flags = None
    if dashboard.flags is not None:
        flags = [
            {
                "flag": item.flag.uuid,
                "enrolment": item.flag.enrolment.uuid,
                "person": item.name,
                "cohort": item.cohort,
                "reasons": [{"reason": r.get("reason", ""), "text": describe(r)} for r in item.flag.reasons],
            }
            for item in dashboard.flags
        ]
    findings = None
    if dashboard.findings is not None:
        findings = [
            {
                "finding": f.uuid,
                "kind": f.kind,
                "programme": f.programme.uuid,
                "cohort": _uuid(f.cohort),
                "module": _uuid(f.module),
                "subject": f.subject,
                "value": f.value,
                "target": f.target,
                "count": f.count,
                "state": f.state,
            }
            for f in (line.finding for line in dashboard.findings)
        ]
    changes = None
    if dashboard.changes is not None:
        changes = [
            {
                "change": c.uuid,
                "description": c.description,
                "module": _uuid(c.module),
                "before_cohort": _uuid(c.before_cohort),
                "after_cohort": _uuid(c.after_cohort),
                "recorded_at": c.recorded_at,
            }
            for c in dashboard.changes
        ]
    return {
        "kind": dashboard.kind,
        "title": dashboard.title,
        "start": dashboard.period.start,
        "end": dashboard.period.last_day,
        "readings": [_reading(r) for r in dashboard.readings],
        "tables": [
            {"name": t.name, "caption": t.caption, "rows": [_row(row) for row in t.rows]} for t in dashboard.tables
        ],
        "flags": flags,
        "at_risk": dashboard.at_risk,
        "findings": findings,
        "design_changes": changes,
        "series": [
            {
                "title": block.title,
                "indicators": block.codes,
                "points": [{"label": label, "values": values} for label, values in block.values],
            }
            for block in dashboard.charts
        ],
        "facts": dashboard.facts,
    }


def _answer(kind: str, request, uuid: UUID | None = None):
    api_workspace(request)
    request.strict_filters = True
    try:
        dashboard, _form, _context = build(kind, request, uuid)
    except FilterError as error:
        return Status(422, {"detail": _("Check the period and the filters."), "errors": error.form.error_messages()})
    return _out(dashboard)


# Endpoints -------------------------------------------------------------------------------------

RESPONSES = {200: DashboardOut, **READ_ERRORS}


@router.get("tracking/dashboards/cohorts/{cohort_id}", response=RESPONSES, summary="A cohort's dashboard")
def cohort_dashboard_api(request, cohort_id: UUID, filters: Query[DashboardQuery]):
    return _answer("cohort", request, cohort_id)


@router.get("tracking/dashboards/programmes/{programme_id}", response=RESPONSES, summary="A programme's dashboard")
def programme_dashboard_api(request, programme_id: UUID, filters: Query[DashboardQuery]):
    return _answer("programme", request, programme_id)


@router.get("tracking/dashboards/teams/{team_id}", response=RESPONSES, summary="A team's dashboard")
def team_dashboard_api(request, team_id: UUID, filters: Query[DashboardQuery]):
    return _answer("team", request, team_id)


@router.get("tracking/dashboards/organisation", response=RESPONSES, summary="The organisation's dashboard")
def organisation_dashboard_api(request, filters: Query[DashboardQuery]):
    return _answer("organisation", request)


@router.get(
    "tracking/dashboards/enrolments/{enrolment_id}/progress",
    response=RESPONSES,
    summary="A participant's progress in one training",
)
def progress_api(request, enrolment_id: UUID, filters: Query[DashboardQuery]):
    return _answer("progress", request, enrolment_id)
