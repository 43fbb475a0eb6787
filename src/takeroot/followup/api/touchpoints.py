"""Touchpoints, holds and the delivery settings over JSON. Same queries, rules and services as the
pages.

A touchpoint or hold named in the path is looked up among those the caller may see (else 404);
then the rule decides (403). An API key sees every touchpoint and hold of its workspace, like an
admin, with ``followup:read``; it cancels, resends, places holds and changes the delivery
settings with ``followup:write``.
"""

import datetime
from typing import Annotated
from uuid import UUID

from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate
from pydantic import AfterValidator

from takeroot.core.api_support import READ_ERRORS, WRITE_ERRORS, api_actor, api_workspace, is_api_key, require_api_perm
from takeroot.core.pagination import Pages
from takeroot.core.queries import membership, workspace_people
from takeroot.core.rules import API_KEY_SCOPES
from takeroot.core.schemas import InputSchema
from takeroot.programmes.schemas import Text

from ..delivery_settings import update_delivery_settings
from ..enums import Audience, Channel, StepKind, TouchpointState, WebhookFormat
from ..models import DeliverySettings, Hold, Touchpoint
from ..queries import (
    delivery_settings_of,
    holds_for_user,
    holds_for_workspace,
    overlapping_hold,
    touchpoints_for_user,
    touchpoints_for_workspace,
)

router = Router()

API_KEY_SCOPES.update(
    {
        "followup.view_touchpoint": "followup:read",
        "followup.change_touchpoint": "followup:write",
        "followup.view_person_followup": "followup:read",
        "followup.hold": "followup:write",
        "followup.manage_delivery": "followup:write",
    }
)


class TouchpointOut(Schema):
    id: UUID
    cohort: UUID
    cohort_name: str
    person: UUID = Field(description="The recipient's person id")
    person_name: str
    enrolment: UUID
    step: UUID
    step_title: str
    kind: StepKind
    audience: Audience
    channel: Channel
    occurrence: int
    due_at: datetime.datetime
    state: TouchpointState
    reason: str
    attempts: int
    sent_at: datetime.datetime | None
    opened_at: datetime.datetime | None
    done_at: datetime.datetime | None


class TouchpointFilters(Schema):
    cohort: UUID | None = None
    person: UUID | None = Field(None, description="The recipient's person id")
    state: TouchpointState | None = None


class CancelIn(InputSchema):
    reason: Annotated[Text, Field(max_length=300)] = ""


class HoldOut(Schema):
    id: UUID
    person: UUID
    person_name: str
    starts_on: datetime.date
    ends_on: datetime.date
    reason: str
    created_at: datetime.datetime
    cancelled_at: datetime.datetime | None


class HoldIn(InputSchema):
    person: UUID
    starts_on: datetime.date
    ends_on: datetime.date
    reason: Annotated[Text, Field(max_length=200)] = ""


class HoldFilters(Schema):
    person: UUID | None = None
    include_cancelled: bool = False


# Quiet hours are a local wall time of each recipient: "HH:MM", without an offset.
HourMinute = Annotated[str, Field(pattern=r"^([01][0-9]|2[0-3]):[0-5][0-9]$", examples=["20:00"])]


def _iso_date(value: str) -> str:
    datetime.date.fromisoformat(value)  # a ValueError answers 422
    return value


# Holidays as ISO text only: a bare number would otherwise pass as a day counted from 1970.
IsoDate = Annotated[
    str, Field(pattern=r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$", examples=["2026-12-24"]), AfterValidator(_iso_date)
]


class DeliverySettingsIO(InputSchema):
    working_days: list[Annotated[int, Field(ge=0, le=6, strict=True)]] = Field(
        min_length=1, max_length=7, description="Days follow-up may go out on: 0 is Monday, 6 Sunday"
    )
    holidays: list[IsoDate] = Field(max_length=400, description="ISO dates, YYYY-MM-DD")
    quiet_start: HourMinute = Field(description="Local time, HH:MM")
    quiet_end: HourMinute = Field(description="Local time, HH:MM")
    link_days: int = Field(ge=1, le=90, strict=True)
    webhook_url: Annotated[Text, Field(max_length=200)] = ""
    webhook_format: WebhookFormat = WebhookFormat.JSON


def _require_member(request, workspace, perm: str) -> None:
    """Lists: a key needs the scope; a person needs to belong (the query does the rest)."""
    if is_api_key(request):
        require_api_perm(request, perm, workspace)
    elif membership(request.user, workspace) is None:
        raise Http404


def _touchpoints(request, workspace):
    if is_api_key(request):
        return touchpoints_for_workspace(workspace)
    return touchpoints_for_user(request.user, workspace=workspace)


def _touchpoint(request, touchpoint_id: UUID, perm: str) -> Touchpoint:
    touchpoint = _touchpoints(request, api_workspace(request)).filter(uuid=touchpoint_id).first()
    if touchpoint is None:
        raise Http404
    require_api_perm(request, perm, touchpoint)
    return touchpoint


def _touchpoint_out(touchpoint: Touchpoint) -> dict:
    step, cohort = touchpoint.step, touchpoint.enrolment.cohort
    return {
        "id": touchpoint.uuid,
        "cohort": cohort.uuid,
        "cohort_name": cohort.name,
        "person": touchpoint.recipient.uuid,
        "person_name": touchpoint.recipient.user.name,
        "enrolment": touchpoint.enrolment.uuid,
        "step": step.uuid,
        "step_title": step.title,
        "kind": step.kind,
        "audience": step.audience,
        "channel": step.channel,
        "occurrence": touchpoint.occurrence,
        "due_at": touchpoint.due_at,
        "state": touchpoint.state,
        "reason": touchpoint.reason,
        "attempts": touchpoint.attempts,
        "sent_at": touchpoint.sent_at,
        "opened_at": touchpoint.opened_at,
        "done_at": touchpoint.done_at,
    }


@router.get(
    "touchpoints",
    response={200: list[TouchpointOut], **READ_ERRORS},
    summary="List the touchpoints you may see (yours; your cohorts' as a trainer; all as an admin), by due time",
)
@paginate(Pages, page_size=50)
def list_touchpoints(request, filters: Query[TouchpointFilters]):
    workspace = api_workspace(request)
    _require_member(request, workspace, "followup.view_touchpoint")
    touchpoints = _touchpoints(request, workspace)
    if filters.cohort:
        touchpoints = touchpoints.filter(enrolment__cohort__uuid=filters.cohort)
    if filters.person:
        touchpoints = touchpoints.filter(recipient__uuid=filters.person)
    if filters.state:
        touchpoints = touchpoints.filter(state=filters.state)
    return [_touchpoint_out(t) for t in touchpoints.order_by("due_at", "pk")]


@router.get("touchpoints/{touchpoint_id}", response={200: TouchpointOut, **READ_ERRORS}, summary="Read a touchpoint")
def read_touchpoint(request, touchpoint_id: UUID):
    return _touchpoint_out(_touchpoint(request, touchpoint_id, "followup.view_touchpoint"))


@router.post(
    "touchpoints/{touchpoint_id}/cancel",
    response={200: TouchpointOut, **WRITE_ERRORS},
    summary="Cancel a scheduled touchpoint (admins, the cohort's trainers)",
)
def cancel_touchpoint(request, touchpoint_id: UUID, payload: CancelIn):
    from .. import delivery

    touchpoint = _touchpoint(request, touchpoint_id, "followup.change_touchpoint")
    reason = payload.reason.strip() or _("Cancelled through the API")
    delivery.cancel(touchpoint=touchpoint, actor=api_actor(request), reason=reason)
    return _touchpoint_out(_touchpoint(request, touchpoint_id, "followup.view_touchpoint"))


@router.post(
    "touchpoints/{touchpoint_id}/resend",
    response={200: TouchpointOut, **WRITE_ERRORS},
    summary="Send a touchpoint again (admins, the cohort's trainers)",
)
def resend_touchpoint(request, touchpoint_id: UUID):
    from .. import delivery

    touchpoint = _touchpoint(request, touchpoint_id, "followup.change_touchpoint")
    delivery.resend(touchpoint=touchpoint, actor=api_actor(request))
    return _touchpoint_out(_touchpoint(request, touchpoint_id, "followup.view_touchpoint"))


# Holds -----------------------------------------------------------------------------------------


def _holds(request, workspace):
    if is_api_key(request):
        return holds_for_workspace(workspace)
    return holds_for_user(request.user, workspace=workspace)


def _hold_out(hold: Hold) -> dict:
    return {
        "id": hold.uuid,
        "person": hold.person.uuid,
        "person_name": hold.person.user.name,
        "starts_on": hold.starts_on,
        "ends_on": hold.ends_on,
        "reason": hold.reason,
        "created_at": hold.created_at,
        "cancelled_at": hold.cancelled_at,
    }


@router.get(
    "followup-holds",
    response={200: list[HoldOut], **READ_ERRORS},
    summary="List the follow-up pauses you may see (yours, your reporting line's; all as an admin)",
)
@paginate(Pages, page_size=50)
def list_holds(request, filters: Query[HoldFilters]):
    workspace = api_workspace(request)
    _require_member(request, workspace, "followup.view_person_followup")
    holds = _holds(request, workspace)
    if not filters.include_cancelled:
        holds = holds.filter(cancelled_at__isnull=True)
    if filters.person:
        holds = holds.filter(person__uuid=filters.person)
    return [_hold_out(hold) for hold in holds.order_by("-starts_on", "-pk")]


@router.post(
    "followup-holds",
    response={201: HoldOut, **WRITE_ERRORS},
    summary="Pause a person's follow-up for a period: what falls in it moves after it",
)
def create_hold(request, payload: HoldIn):
    from .. import holds

    workspace = api_workspace(request)
    person = workspace_people(workspace).filter(uuid=payload.person).first()
    if person is None:
        raise ValidationError({"person": [_("There is nobody with this id in the workspace.")]})
    require_api_perm(request, "followup.hold", person)
    if payload.ends_on < payload.starts_on:
        raise ValidationError({"ends_on": [_("The pause must end on or after the day it starts.")]})
    if overlapping_hold(person, payload.starts_on, payload.ends_on) is not None:
        raise ValidationError({"starts_on": [_("This overlaps another pause of the same person.")]})
    me = None if is_api_key(request) else membership(request.user, workspace)
    hold = holds.place_hold(
        person=person, starts_on=payload.starts_on, ends_on=payload.ends_on, reason=payload.reason, actor=me
    )
    return Status(201, _hold_out(holds_for_workspace(workspace).get(pk=hold.pk)))


@router.delete("followup-holds/{hold_id}", response={204: None, **WRITE_ERRORS}, summary="Cancel a pause of follow-up")
def cancel_hold(request, hold_id: UUID):
    from .. import holds

    workspace = api_workspace(request)
    hold = _holds(request, workspace).filter(uuid=hold_id, cancelled_at__isnull=True).first()
    if hold is None:
        raise Http404
    require_api_perm(request, "followup.hold", hold)
    holds.cancel_hold(hold=hold, actor=None if is_api_key(request) else membership(request.user, workspace))
    return Status(204, None)


# Delivery settings -----------------------------------------------------------------------------


def _settings_out(settings: DeliverySettings) -> dict:
    return {
        "working_days": settings.working_days,
        "holidays": settings.holidays,
        "quiet_start": settings.quiet_start.strftime("%H:%M"),
        "quiet_end": settings.quiet_end.strftime("%H:%M"),
        "link_days": settings.link_days,
        "webhook_url": settings.webhook_url,
        "webhook_format": settings.webhook_format,
    }


@router.get(
    "followup-settings",
    response={200: DeliverySettingsIO, **READ_ERRORS},
    summary="Read the workspace's follow-up delivery settings (admins)",
)
def read_settings(request):
    workspace = api_workspace(request)
    require_api_perm(request, "followup.manage_delivery", workspace)
    return _settings_out(delivery_settings_of(workspace))


@router.put(
    "followup-settings",
    response={200: DeliverySettingsIO, **WRITE_ERRORS},
    summary="Change the delivery settings (admins); scheduled follow-up is planned again",
)
def update_settings(request, payload: DeliverySettingsIO):
    workspace = api_workspace(request)
    require_api_perm(request, "followup.manage_delivery", workspace)
    settings = update_delivery_settings(
        workspace=workspace,
        actor=api_actor(request),
        working_days=payload.working_days,
        holidays=[datetime.date.fromisoformat(day) for day in payload.holidays],
        quiet_start=datetime.time.fromisoformat(payload.quiet_start),
        quiet_end=datetime.time.fromisoformat(payload.quiet_end),
        link_days=payload.link_days,
        webhook_url=payload.webhook_url,
        webhook_format=payload.webhook_format,
    )
    return _settings_out(settings)
