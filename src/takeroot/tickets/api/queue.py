"""The responders' side of tickets over JSON: the queue, metrics, the promise settings, routing
rules and patches. Same queries, rules and services as the pages.

Paths start with ``ticket-`` (not ``tickets/``) so they never meet a ticket's own address. An
object named in the path or the body is looked up in the caller's workspace (else 404), then the
rule decides (403). An API key reads with ``tickets:read`` and writes with ``tickets:write``; it
sees the workspace's tickets like an admin.
"""

import datetime
from typing import Annotated, Literal
from uuid import UUID

from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate
from pydantic import field_validator

from takeroot.core.api_support import READ_ERRORS, WRITE_ERRORS, api_actor, api_workspace, is_api_key, require_api_perm
from takeroot.core.models import Person
from takeroot.core.pagination import Pages
from takeroot.core.queries import membership
from takeroot.core.rules import API_KEY_SCOPES, principal_has_perm
from takeroot.core.schemas import InputSchema
from takeroot.programmes.models import Cohort, Module, Programme

from ..clock import Promise, settings_for
from ..enums import Category, Clock, RouteTo, TicketState
from ..metrics import PERIODS, compute_metrics
from ..models import Patch, RoutingRule, Ticket
from ..patches import PATCH_RELATED, patches_for_user, publish_patch, update_patch, withdraw_patch
from ..queue import VIEW_VALUES, QueueFilters, clock_row, filter_queue, tickets_for_responder
from ..settings_forms import delete_routing_rule, save_routing_rule, save_ticket_settings
from .tickets import ticket_fields

router = Router()

API_KEY_SCOPES.update(
    {
        "tickets.view_queue": "tickets:read",
        "tickets.view_metrics": "tickets:read",
        "tickets.view_settings": "tickets:read",
        "tickets.view_patch": "tickets:read",
        "tickets.change_settings": "tickets:write",
        "tickets.publish_patch": "tickets:write",
        "tickets.change_patch": "tickets:write",
    }
)


def _who(request):
    """The person for the visibility queries; None for an API key (it sees the workspace's)."""
    return None if is_api_key(request) else request.user


def _me(request):
    return None if is_api_key(request) else membership(request.user, api_workspace(request))


def _find(model, request, uuid: UUID | None):
    if uuid is None:
        return None
    found = model.objects.filter(workspace=api_workspace(request), uuid=uuid).first()
    if found is None:
        raise Http404
    return found


# The queue ----------------------------------------------------------------------------------------


class QueueQuery(Schema):
    view: Literal[VIEW_VALUES] = Field(  # type: ignore[valid-type]
        "",
        description="'' waiting for an answer; mine (not closed); breaching (due within the warning hours); breached; "
        "waiting (answered, waiting for the learner); closed; all",
    )
    category: Category | None = None
    module: UUID | None = None
    programme: UUID | None = None
    cohort: UUID | None = None


class QueueTicketOut(Schema):
    id: UUID
    number: int
    subject: str
    category: Category
    state: TicketState
    learner: str
    owner: UUID | None
    owner_name: str | None
    programme: UUID | None
    cohort: UUID | None
    module: UUID | None
    module_title: str | None
    created_at: datetime.datetime
    due_at: datetime.datetime
    first_response_at: datetime.datetime | None
    closed_at: datetime.datetime | None
    reopened: int
    clock: Literal["left", "overdue", "in_time", "late", "closed"] = Field(
        description="left/overdue for open tickets; in_time/late for answered ones; closed"
    )
    remaining_hours: float | None = Field(
        description="Open tickets: hours left in the workspace's clock (negative when overdue)"
    )
    breaching_soon: bool


def _queue_out(row) -> dict:
    ticket = row.ticket
    return {
        **ticket_fields(ticket),
        "module_title": ticket.module.title if ticket.module else None,
        "clock": row.status,
        "remaining_hours": row.remaining_hours,
        "breaching_soon": row.breaching,
    }


@router.get(
    "ticket-queue",
    response={200: list[QueueTicketOut], **READ_ERRORS},
    summary="The tickets you may work on, by view and filters, sorted by due time",
)
@paginate(Pages, page_size=50)
def queue(request, query: Query[QueueQuery]):
    workspace = api_workspace(request)
    require_api_perm(request, "tickets.view_queue", workspace)
    now = timezone.now()
    filters = QueueFilters(
        view=query.view,
        category=query.category or "",
        module=_find(Module, request, query.module),
        programme=_find(Programme, request, query.programme),
        cohort=_find(Cohort, request, query.cohort),
    )
    promise = Promise.of(workspace)
    found = filter_queue(
        tickets_for_responder(_who(request), workspace=workspace), filters, me=_me(request), promise=promise, now=now
    )
    return _LazyRows(found, promise=promise, now=now)


class _LazyRows:
    """The filtered tickets as the paginator sees them: counted and sliced in the database, each
    page's tickets turned into rows only."""

    def __init__(self, tickets, *, promise, now):
        self.tickets, self.promise, self.now = tickets, promise, now

    def count(self) -> int:
        return self.tickets.count()

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, index):
        page = self.tickets[index]
        return [_queue_out(clock_row(ticket, promise=self.promise, now=self.now)) for ticket in page]


# Metrics --------------------------------------------------------------------------------------------


class MetricsQuery(Schema):
    days: int = Field(30, description="Tickets raised in the last 30 or 90 days; 0 for all time", examples=[30, 90, 0])

    @field_validator("days")
    @classmethod
    def known_period(cls, value: int) -> int:
        if value not in (*PERIODS, 0):
            raise ValueError("30, 90 or 0")
        return value

    programme: UUID | None = None
    cohort: UUID | None = None


class AreaOut(Schema):
    id: str = Field(description="The module's id, or the category")
    label: str
    tickets: int


class WeekOut(Schema):
    week: datetime.date = Field(description="The Monday the week starts on")
    tickets: int


class MetricsOut(Schema):
    days: int
    tickets: int
    answered: int
    median_first_response_hours: float | None = Field(description="In the promise's clock")
    answered_within_promise: int
    within_promise_share: float | None
    reopened: int
    reopen_rate: float | None
    closed: int
    closed_confirmed: int
    closed_automatically: int
    closed_withdrawn: int
    confirmed_share: float | None
    automatic_share: float | None
    open_now: int
    breached_now: int
    modules: list[AreaOut]
    categories: list[AreaOut]
    weeks: list[WeekOut]


@router.get(
    "ticket-metrics",
    response={200: MetricsOut, **READ_ERRORS},
    summary="Ticket metrics over the tickets you may work on",
)
def metrics(request, query: Query[MetricsQuery]):
    workspace = api_workspace(request)
    require_api_perm(request, "tickets.view_metrics", workspace)
    now = timezone.now()
    since = now - datetime.timedelta(days=query.days) if query.days else None
    found = compute_metrics(
        tickets_for_responder(_who(request), workspace=workspace),
        promise=Promise.of(workspace),
        now=now,
        programme=_find(Programme, request, query.programme),
        cohort=_find(Cohort, request, query.cohort),
        since=since,
    )
    areas = found.areas
    return {
        "days": query.days,
        "tickets": found.tickets,
        "answered": found.answered,
        "median_first_response_hours": found.median_hours,
        "answered_within_promise": found.within_promise,
        "within_promise_share": found.within_promise_share,
        "reopened": found.reopened,
        "reopen_rate": found.reopen_rate,
        "closed": found.closed,
        "closed_confirmed": found.confirmed,
        "closed_automatically": found.automatic,
        "closed_withdrawn": found.withdrawn,
        "confirmed_share": found.confirmed_share,
        "automatic_share": found.automatic_share,
        "open_now": found.open_now,
        "breached_now": found.breached_now,
        "modules": [{"id": a.key, "label": a.label, "tickets": a.tickets} for a in areas.modules],
        "categories": [{"id": a.key, "label": a.label, "tickets": a.tickets} for a in areas.categories],
        "weeks": [{"week": week, "tickets": count} for week, count in found.weeks],
    }


# Settings and routing rules -------------------------------------------------------------------------


# Local wall times as HH:MM (JSON Schema's "time" would demand a UTC offset).
HourMinute = Annotated[str, Field(pattern=r"^([01][0-9]|2[0-3]):[0-5][0-9]$", examples=["09:00"])]


class SettingsIn(InputSchema):
    promise_hours: int = Field(ge=1, le=240)
    clock: Clock
    day_starts: HourMinute = Field(description="Local time, HH:MM")
    day_ends: HourMinute = Field(description="Local time, HH:MM")
    timezone: str = Field(max_length=64)
    warn_before_hours: int = Field(ge=1, le=48)
    auto_close_days: int = Field(ge=1, le=60)


class TicketSettingsOut(Schema):
    promise_hours: int
    clock: Clock
    day_starts: HourMinute
    day_ends: HourMinute
    timezone: str
    warn_before_hours: int
    auto_close_days: int


def _settings_out(current) -> dict:
    values = {name: getattr(current, name) for name in TicketSettingsOut.model_fields}
    return values | {name: values[name].strftime("%H:%M") for name in ("day_starts", "day_ends")}


@router.get("ticket-settings", response={200: TicketSettingsOut, **READ_ERRORS}, summary="The response-time promise")
def read_settings(request):
    workspace = api_workspace(request)
    require_api_perm(request, "tickets.view_settings", workspace)
    return _settings_out(settings_for(workspace))


@router.put(
    "ticket-settings", response={200: TicketSettingsOut, **WRITE_ERRORS}, summary="Change the response-time promise"
)
def change_settings(request, payload: SettingsIn):
    workspace = api_workspace(request)
    require_api_perm(request, "tickets.change_settings", workspace)
    values = payload.dict() | {
        name: datetime.time.fromisoformat(getattr(payload, name)) for name in ("day_starts", "day_ends")
    }
    saved = save_ticket_settings(workspace=workspace, actor=api_actor(request), **values)
    return _settings_out(saved)


class RuleIn(InputSchema):
    category: Category
    route_to: RouteTo
    programme: UUID | None = Field(None, description="Only this programme's tickets; none for every programme")
    person: UUID | None = Field(None, description="With route_to 'person': an admin, trainer or mentor")


class RuleOut(Schema):
    id: UUID
    category: Category
    programme: UUID | None
    programme_name: str | None
    route_to: RouteTo
    person: UUID | None
    person_name: str | None


def _rule_out(rule: RoutingRule) -> dict:
    return {
        "id": rule.uuid,
        "category": rule.category,
        "programme": rule.programme.uuid if rule.programme else None,
        "programme_name": rule.programme.name if rule.programme else None,
        "route_to": rule.route_to,
        "person": rule.person.uuid if rule.person else None,
        "person_name": rule.person.user.name if rule.person else None,
    }


def _rules(workspace):
    return RoutingRule.objects.filter(workspace=workspace).select_related("programme", "person__user")


def _rule(request, rule_id: UUID) -> RoutingRule:
    rule = _rules(api_workspace(request)).filter(uuid=rule_id).first()
    if rule is None:
        raise Http404
    return rule


def _rule_values(request, payload: RuleIn) -> dict:
    # Someone of the workspace who cannot answer tickets gets the service's clear refusal (400).
    person = _find(Person, request, payload.person)
    return {
        "category": payload.category,
        "route_to": payload.route_to,
        "programme": _find(Programme, request, payload.programme),
        "person": person,
    }


@router.get("ticket-routing-rules", response={200: list[RuleOut], **READ_ERRORS}, summary="The routing rules")
def list_rules(request):
    workspace = api_workspace(request)
    require_api_perm(request, "tickets.view_settings", workspace)
    return [_rule_out(rule) for rule in _rules(workspace)]


@router.post("ticket-routing-rules", response={201: RuleOut, **WRITE_ERRORS}, summary="Add a routing rule")
def create_rule(request, payload: RuleIn):
    workspace = api_workspace(request)
    require_api_perm(request, "tickets.change_settings", workspace)
    rule = save_routing_rule(workspace=workspace, actor=api_actor(request), **_rule_values(request, payload))
    return Status(201, _rule_out(_rules(workspace).get(pk=rule.pk)))


@router.get("ticket-routing-rules/{rule_id}", response={200: RuleOut, **READ_ERRORS}, summary="A routing rule")
def read_rule(request, rule_id: UUID):
    rule = _rule(request, rule_id)
    require_api_perm(request, "tickets.view_settings", rule.workspace)
    return _rule_out(rule)


@router.put("ticket-routing-rules/{rule_id}", response={200: RuleOut, **WRITE_ERRORS}, summary="Change a routing rule")
def change_rule(request, rule_id: UUID, payload: RuleIn):
    rule = _rule(request, rule_id)
    require_api_perm(request, "tickets.change_settings", rule.workspace)
    save_routing_rule(workspace=rule.workspace, actor=api_actor(request), rule=rule, **_rule_values(request, payload))
    return _rule_out(_rules(rule.workspace).get(pk=rule.pk))


@router.delete("ticket-routing-rules/{rule_id}", response={204: None, **WRITE_ERRORS}, summary="Delete a routing rule")
def remove_rule(request, rule_id: UUID):
    rule = _rule(request, rule_id)
    require_api_perm(request, "tickets.change_settings", rule.workspace)
    delete_routing_rule(rule=rule, actor=api_actor(request))
    return Status(204, None)


# Patches ----------------------------------------------------------------------------------------------


class PatchIn(InputSchema):
    ticket: UUID = Field(description="The ticket the patch answers")
    module: UUID | None = Field(None, description="A module of the ticket's programme; the ticket's module if none")
    title: str = Field(max_length=200)
    body: str = Field("", max_length=20000, description="A short lesson")
    url: str = Field("", max_length=200, description="A link to a resource")


class PatchChangeIn(InputSchema):
    module: UUID | None = Field(None, description="Another module of the same programme")
    title: str = Field(max_length=200)
    body: str = Field("", max_length=20000)
    url: str = Field("", max_length=200)


class PatchOut(Schema):
    id: UUID
    title: str
    body: str
    url: str
    module: UUID
    module_title: str
    programme: UUID
    ticket: UUID | None = Field(description="Only for who may see the ticket")
    created_at: datetime.datetime
    created_by: str | None


class PatchQuery(Schema):
    programme: UUID | None = None
    module: UUID | None = None


def _patch_out(request, patch: Patch) -> dict:
    sees_ticket = patch.ticket is not None and principal_has_perm(request, "tickets.view_ticket", patch.ticket)
    return {
        "id": patch.uuid,
        "title": patch.title,
        "body": patch.body,
        "url": patch.url,
        "module": patch.module.uuid,
        "module_title": patch.module.title,
        "programme": patch.module.programme.uuid,
        "ticket": patch.ticket.uuid if sees_ticket else None,
        "created_at": patch.created_at,
        "created_by": patch.created_by.user.name if patch.created_by else None,
    }


def _patch(request, patch_id: UUID, perm: str) -> Patch:
    patch = patches_for_user(None, workspace=api_workspace(request)).filter(uuid=patch_id).first()
    if patch is None:
        raise Http404
    require_api_perm(request, perm, patch)
    return patch


@router.get(
    "ticket-patches",
    response={200: list[PatchOut], **READ_ERRORS},
    summary="Patches (module additions) of the programmes you take part in or work on, newest first",
)
@paginate(Pages, page_size=50)
def list_patches(request, query: Query[PatchQuery]):
    workspace = api_workspace(request)
    found = patches_for_user(_who(request), workspace=workspace).order_by("-created_at", "-id")
    if query.programme is not None:
        found = found.filter(module__programme=_find(Programme, request, query.programme))
    if query.module is not None:
        found = found.filter(module=_find(Module, request, query.module))
    return [_patch_out(request, patch) for patch in found]


@router.post("ticket-patches", response={201: PatchOut, **WRITE_ERRORS}, summary="Publish a patch from a ticket")
def create_patch(request, payload: PatchIn):
    ticket = _find(Ticket, request, payload.ticket)
    require_api_perm(request, "tickets.publish_patch", ticket)
    module = _find(Module, request, payload.module) if payload.module else ticket.module
    if module is None:
        raise ValidationError({"module": [_("Name a module: the ticket has none.")]})
    author = _me(request)
    patch = publish_patch(
        ticket=ticket,
        module=module,
        actor=api_actor(request),
        author=author,
        title=payload.title,
        body=payload.body,
        url=payload.url,
    )
    return Status(201, _patch_out(request, Patch.objects.select_related(*PATCH_RELATED).get(pk=patch.pk)))


@router.get("ticket-patches/{patch_id}", response={200: PatchOut, **READ_ERRORS}, summary="A patch")
def read_patch(request, patch_id: UUID):
    return _patch_out(request, _patch(request, patch_id, "tickets.view_patch"))


@router.put("ticket-patches/{patch_id}", response={200: PatchOut, **WRITE_ERRORS}, summary="Change a patch")
def change_patch(request, patch_id: UUID, payload: PatchChangeIn):
    patch = _patch(request, patch_id, "tickets.change_patch")
    module = _find(Module, request, payload.module) if payload.module else None
    update_patch(
        patch=patch, actor=api_actor(request), title=payload.title, body=payload.body, url=payload.url, module=module
    )
    return _patch_out(request, _patch(request, patch_id, "tickets.change_patch"))


@router.delete("ticket-patches/{patch_id}", response={204: None, **WRITE_ERRORS}, summary="Withdraw a patch")
def remove_patch(request, patch_id: UUID):
    patch = _patch(request, patch_id, "tickets.change_patch")
    withdraw_patch(patch=patch, actor=api_actor(request), author=_me(request))
    return Status(204, None)
