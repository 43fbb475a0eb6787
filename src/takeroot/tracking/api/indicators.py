"""The indicator set and its readings over JSON.

The set: list, read, add, change, order, archive, restore and delete indicators (the same
services and checks as the pages; bad input answers 400 naming the field). The readings:
``GET /tracking/values`` and ``GET /tracking/series`` for one enrolment, cohort, module,
programme, team or the workspace, permitted by that level's dashboard rule (the progress rule for
an enrolment). The object named by ``id`` is looked up in the caller's workspace (else 404), then
the rule decides (403).
"""

import datetime
from typing import Literal
from uuid import UUID

from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status

from takeroot.core.api_support import READ_ERRORS, WRITE_ERRORS, api_actor, api_workspace, require_api_perm
from takeroot.core.models import Team
from takeroot.core.rules import API_KEY_SCOPES
from takeroot.core.schemas import InputSchema
from takeroot.programmes.models import Cohort, Enrolment, Module, Programme

from ..enums import Cadence, Category, Level, Light
from ..formula import describe, input_meanings
from ..indicators import (
    Period,
    Reading,
    Scope,
    format_value,
    indicators_for,
    indicators_in,
    is_cohort_only,
    name_of,
    read,
    read_by,
    series,
    services,
    sources_of,
)
from ..models import Indicator

router = Router(tags=["Tracking: indicators"])

API_KEY_SCOPES.update(
    {
        "tracking.view_indicators": "tracking:read",
        "tracking.view_organisation": "tracking:read",
        "tracking.view_cohort_dashboard": "tracking:read",
        "tracking.view_programme_dashboard": "tracking:read",
        "tracking.view_team_dashboard": "tracking:read",
        "tracking.view_progress": "tracking:read",
        "tracking.manage_indicators": "tracking:write",
    }
)

MAX_WEEKS = 156  # three years of weekly points at most in one call
DEFAULT_WEEKS = 4


# Shapes -----------------------------------------------------------------------------------------


class IndicatorOut(Schema):
    id: UUID
    code: str
    name: str = Field(description="A default indicator's name in the caller's language")
    category: Category
    formula: str
    formula_in_words: str
    cadence: Cadence
    threshold: float = Field(description="For unit '%' a share from 0 to 1")
    higher_is_better: bool
    unit: str
    position: int
    is_default: bool
    archived: bool
    source: str
    cohort_only: bool = Field(description="Read for whole cohorts only (survey results)")


class IndicatorIn(InputSchema):
    name: str = Field(max_length=200)
    category: Category
    formula: str = Field(max_length=500, description="e.g. mean(attendance) or sum(time_online) / people / weeks")
    cadence: Cadence = Cadence.WEEK
    threshold: float = Field(description="For unit '%' a share from 0 to 1")
    higher_is_better: bool = Field(True, strict=True)
    unit: Literal["%", "min", ""] = ""


class IndicatorPatch(InputSchema):
    name: str | None = Field(None, max_length=200)
    category: Category | None = None
    formula: str | None = Field(None, max_length=500)
    cadence: Cadence | None = None
    threshold: float | None = None
    higher_is_better: bool | None = Field(None, strict=True)
    unit: Literal["%", "min", ""] | None = None


class OrderIn(InputSchema):
    indicators: list[UUID] = Field(max_length=500, description="Indicator ids in the new order; the others follow")


class InputOut(Schema):
    input: str
    label: str
    meaning: str


class ScopeQuery(Schema):
    level: Level
    id: UUID | None = Field(None, description="The enrolment, cohort, module, programme or team; none for workspace")
    from_: datetime.date | None = Field(None, alias="from", description="First day (its whole week counts)")
    to: datetime.date | None = Field(None, description="Last day (its whole week counts); default today")


class ValuesQuery(ScopeQuery):
    by: Literal["enrolment", "module", "cohort", "team"] | None = Field(None, description="One row per item")


class SeriesQuery(ScopeQuery):
    indicator: str = Field(description="The indicator's code")


class PeriodOut(Schema):
    start: datetime.date
    end: datetime.date = Field(description="The day after the period")
    weeks: int


class ReadingOut(Schema):
    indicator: str
    name: str
    category: Category
    unit: str
    value: float | None
    previous: float | None = Field(description="The value in the period of the same length just before")
    n: int = Field(description="Records behind the value")
    light: Light
    text: str
    trend: Literal["up", "down", "flat"] | None
    change_text: str
    cohort_only: bool


class ItemOut(Schema):
    id: UUID
    label: str
    readings: list[ReadingOut]


class ValuesOut(Schema):
    level: Level
    id: UUID | None
    label: str
    period: PeriodOut
    previous_period: PeriodOut
    readings: list[ReadingOut] = Field(description="Empty when 'by' asks for items")
    by: str | None
    items: list[ItemOut]


class PointOut(Schema):
    date: datetime.date
    label: str
    value: float | None
    text: str


class SeriesOut(Schema):
    indicator: str
    name: str
    cadence: Cadence
    unit: str
    label: str
    period: PeriodOut
    points: list[PointOut]


# Helpers ----------------------------------------------------------------------------------------


def _indicator_out(indicator: Indicator) -> dict:
    return {
        "id": indicator.uuid,
        "code": indicator.code,
        "name": name_of(indicator),
        "category": indicator.category,
        "formula": indicator.formula,
        "formula_in_words": describe(indicator.formula),
        "cadence": indicator.cadence,
        "threshold": indicator.threshold,
        "higher_is_better": indicator.higher_is_better,
        "unit": indicator.unit,
        "position": indicator.position,
        "is_default": indicator.is_default,
        "archived": indicator.archived_at is not None,
        "source": sources_of(indicator),
        "cohort_only": is_cohort_only(indicator),
    }


def _indicator(request, uuid: UUID, perm: str = "tracking.manage_indicators") -> Indicator:
    workspace = api_workspace(request)
    found = indicators_in(workspace).filter(uuid=uuid).first()
    if found is None:
        raise Http404
    require_api_perm(request, perm, workspace)
    return found


def _reading_out(reading: Reading) -> dict:
    indicator = reading.indicator
    return {
        "indicator": indicator.code,
        "name": reading.name,
        "category": indicator.category,
        "unit": indicator.unit,
        "value": reading.value,
        "previous": reading.previous,
        "n": reading.n,
        "light": reading.light,
        "text": reading.text,
        "trend": reading.trend,
        "change_text": reading.change_text,
        "cohort_only": reading.cohort_only,
    }


def _period_out(period: Period) -> dict:
    return {"start": period.start, "end": period.end, "weeks": period.weeks}


def _period(query: ScopeQuery) -> Period:
    today = timezone.localdate()
    if query.from_ is None and query.to is None:
        return Period.last_weeks(DEFAULT_WEEKS, today=today)
    last = query.to or today
    first = query.from_ or last - datetime.timedelta(weeks=DEFAULT_WEEKS - 1)
    if first > last:
        raise ValidationError({"from": [_("The period must start before it ends.")]})
    period = Period.between(first, last)
    if period.weeks > MAX_WEEKS:
        raise ValidationError({"from": [_("Ask for %(weeks)s weeks at most.") % {"weeks": MAX_WEEKS}]})
    return period


# (model, rule) per level: the object is found in the workspace, then its dashboard rule decides.
LEVELS = {
    Level.ENROLMENT: (Enrolment, "tracking.view_progress"),
    Level.COHORT: (Cohort, "tracking.view_cohort_dashboard"),
    Level.MODULE: (Module, "tracking.view_programme_dashboard"),
    Level.PROGRAMME: (Programme, "tracking.view_programme_dashboard"),
    Level.TEAM: (Team, "tracking.view_team_dashboard"),
}


def _scope(request, query: ScopeQuery) -> tuple[Scope, UUID | None]:
    workspace = api_workspace(request)
    if query.level == Level.WORKSPACE:
        require_api_perm(request, "tracking.view_organisation", workspace)
        return Scope.for_workspace(workspace), None
    if query.id is None:
        raise ValidationError({"id": [_("Name the %(level)s to read.") % {"level": Level(query.level).label.lower()}]})
    model, perm = LEVELS[query.level]
    found = model.objects.filter(workspace=workspace, uuid=query.id).first()
    if found is None:
        raise Http404
    require_api_perm(request, perm, found.programme if isinstance(found, Module) else found)
    builders = {
        Level.ENROLMENT: Scope.for_enrolment,
        Level.COHORT: Scope.for_cohort,
        Level.MODULE: Scope.for_module,
        Level.PROGRAMME: Scope.for_programme,
        Level.TEAM: Scope.for_team,
    }
    return builders[query.level](found), query.id


def _items(by: str, keys: list[int]) -> dict[int, tuple[UUID, str]]:
    """Each item's public id and label, in one query."""
    if by == "enrolment":
        rows = Enrolment.objects.filter(pk__in=keys).values_list("pk", "uuid", "person__user__name")
    elif by == "module":
        rows = Module.objects.filter(pk__in=keys).values_list("pk", "uuid", "title")
    elif by == "cohort":
        rows = Cohort.objects.filter(pk__in=keys).values_list("pk", "uuid", "name")
    else:
        rows = Team.objects.filter(pk__in=keys).values_list("pk", "uuid", "name")
    return {pk: (uuid, label) for pk, uuid, label in rows}


# The set ----------------------------------------------------------------------------------------


@router.get("tracking/indicators", response={200: list[IndicatorOut], **READ_ERRORS}, summary="The indicator set")
def list_indicators(request, archived: bool = False):
    workspace = api_workspace(request)
    require_api_perm(request, "tracking.view_indicators", workspace)
    found = indicators_for(workspace, include_archived=True)
    return [_indicator_out(indicator) for indicator in found if (indicator.archived_at is not None) == archived]


@router.get("tracking/inputs", response={200: list[InputOut], **READ_ERRORS}, summary="The inputs formulas can read")
def list_inputs(request):
    require_api_perm(request, "tracking.view_indicators", api_workspace(request))
    return [{"input": code, "label": label, "meaning": meaning} for code, label, meaning in input_meanings()]


@router.post(
    "tracking/indicators",
    response={201: IndicatorOut, **WRITE_ERRORS},
    summary="Add an indicator: a formula over the inputs, a cadence and a threshold",
)
def create_indicator(request, payload: IndicatorIn):
    workspace = api_workspace(request)
    require_api_perm(request, "tracking.manage_indicators", workspace)
    indicator = services.create_indicator(workspace=workspace, actor=api_actor(request), **payload.dict())
    return Status(201, _indicator_out(indicator))


@router.put(
    "tracking/indicators/order", response={204: None, **WRITE_ERRORS}, summary="Put the indicators in a new order"
)
def order_indicators(request, payload: OrderIn):
    workspace = api_workspace(request)
    require_api_perm(request, "tracking.manage_indicators", workspace)
    found = indicators_in(workspace).in_bulk(payload.indicators, field_name="uuid")
    if len(found) != len(set(payload.indicators)):
        raise ValidationError({"indicators": [_("Order only the indicators of this workspace.")]})
    order = [found[uuid] for uuid in dict.fromkeys(payload.indicators)]
    services.reorder_indicators(workspace=workspace, actor=api_actor(request), order=order)
    return Status(204, None)


@router.get(
    "tracking/indicators/{indicator_id}", response={200: IndicatorOut, **READ_ERRORS}, summary="Read an indicator"
)
def read_indicator(request, indicator_id: UUID):
    return _indicator_out(_indicator(request, indicator_id, "tracking.view_indicators"))


@router.patch(
    "tracking/indicators/{indicator_id}",
    response={200: IndicatorOut, **WRITE_ERRORS},
    summary="Change an indicator (a default one: its threshold and cadence only)",
)
def update_indicator(request, indicator_id: UUID, payload: IndicatorPatch):
    indicator = _indicator(request, indicator_id)
    fields = payload.dict(exclude_unset=True)
    services.update_indicator(indicator=indicator, actor=api_actor(request), **fields)
    return _indicator_out(indicator)


@router.post(
    "tracking/indicators/{indicator_id}/archive",
    response={200: IndicatorOut, **WRITE_ERRORS},
    summary="Archive an indicator: dashboards and at-risk rules leave it out",
)
def archive_indicator(request, indicator_id: UUID):
    indicator = _indicator(request, indicator_id)
    return _indicator_out(services.archive_indicator(indicator=indicator, actor=api_actor(request)))


@router.post(
    "tracking/indicators/{indicator_id}/restore",
    response={200: IndicatorOut, **WRITE_ERRORS},
    summary="Bring an archived indicator back",
)
def restore_indicator(request, indicator_id: UUID):
    indicator = _indicator(request, indicator_id)
    return _indicator_out(services.restore_indicator(indicator=indicator, actor=api_actor(request)))


@router.delete(
    "tracking/indicators/{indicator_id}",
    response={204: None, **WRITE_ERRORS},
    summary="Delete one of the workspace's own indicators (defaults are archived instead)",
)
def delete_indicator(request, indicator_id: UUID):
    indicator = _indicator(request, indicator_id)
    services.delete_indicator(indicator=indicator, actor=api_actor(request))
    return Status(204, None)


# Readings ---------------------------------------------------------------------------------------


@router.get(
    "tracking/values",
    response={200: ValuesOut, 400: WRITE_ERRORS[400], **READ_ERRORS},
    summary="The indicators of an enrolment, cohort, module, programme, team or the workspace over a period",
)
def read_values(request, query: Query[ValuesQuery]):
    scope, uuid = _scope(request, query)
    period = _period(query)
    out = {
        "level": scope.level,
        "id": uuid,
        "label": scope.label,
        "period": _period_out(period),
        "previous_period": _period_out(period.previous()),
        "readings": [],
        "by": query.by,
        "items": [],
    }
    if query.by is None:
        out["readings"] = [_reading_out(reading) for reading in read(scope, period)]
        return out
    found = read_by(scope, period, by=query.by)
    items = _items(query.by, list(found))
    out["items"] = [
        {"id": items[key][0], "label": items[key][1], "readings": [_reading_out(r) for r in readings]}
        for key, readings in found.items()
        if key in items
    ]
    return out


@router.get(
    "tracking/series",
    response={200: SeriesOut, 400: WRITE_ERRORS[400], **READ_ERRORS},
    summary="One indicator over a period, a point per its cadence (week, two weeks, month or module)",
)
def read_series(request, query: Query[SeriesQuery]):
    scope, _uuid = _scope(request, query)
    period = _period(query)
    indicator = indicators_in(api_workspace(request)).filter(code=query.indicator).first()
    if indicator is None:
        raise Http404
    points = series(scope, indicator, period)
    return {
        "indicator": indicator.code,
        "name": name_of(indicator),
        "cadence": indicator.cadence,
        "unit": indicator.unit,
        "label": scope.label,
        "period": _period_out(period),
        "points": [
            {
                "date": point.when,
                "label": point.label,
                "value": point.value,
                "text": format_value(indicator, point.value),
            }
            for point in points
        ],
    }
