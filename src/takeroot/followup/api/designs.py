"""Follow-up designs and their steps over JSON. Same queries, rules and services as the pages.

A design named in the path is looked up in the caller's workspace (another workspace's answers
exactly like a missing one, 404); then the rule decides (403): admins and trainers, or an API key
with ``followup:read`` / ``followup:write``. A test send goes to the signed-in person: an API key
has no "yourself", so it gets 403 there.
"""

import datetime
from uuid import UUID

from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate
from pydantic import field_validator

from takeroot.core.api_support import READ_ERRORS, WRITE_ERRORS, api_actor, api_workspace, is_api_key, require_api_perm
from takeroot.core.pagination import Pages
from takeroot.core.rules import API_KEY_SCOPES
from takeroot.core.schemas import InputSchema
from takeroot.programmes.queries import programmes_for_workspace

from .. import designs
from ..channels import DeliveryError
from ..enums import Anchor, Audience, Channel, MaterialKind, StepKind
from ..models import Design, Step

router = Router(tags=["follow-up designs"])

API_KEY_SCOPES.update(
    {
        "followup.view_designs": "followup:read",
        "followup.manage_designs": "followup:write",
    }
)

VIEW = "followup.view_designs"
MANAGE = "followup.manage_designs"


class TextIn(Schema):
    subject: str = Field("", max_length=300)
    body: str = ""
    checklist: list[str] = Field(default_factory=list)


def _local_time(value: datetime.time | None) -> datetime.time | None:
    # A step goes out at a time of day in each recipient's own zone: a zone here means nothing.
    if value is not None and value.tzinfo is not None:
        raise ValueError("Give a local time of day without a time zone, e.g. 09:00.")
    return value


class StepIn(InputSchema):
    kind: StepKind
    audience: Audience = Audience.PARTICIPANT
    channel: Channel = Channel.MAIL
    anchor: Anchor = Anchor.LAST_SESSION
    offset_days: int = Field(0, ge=-365, le=730)
    send_at: datetime.time = datetime.time(9, 0)
    repeat_every_days: int | None = Field(None, ge=1, le=90)
    repeat_for_days: int | None = Field(None, ge=0, le=730)
    content: dict[str, TextIn] = Field(
        description='Per language code: {"subject", "body", "checklist"}; placeholders such as {name} are filled in.'
    )
    material_kind: MaterialKind | None = None
    material_url: str = ""
    if_no_check_in_days: int | None = Field(None, ge=1, le=365)
    if_quiz_score_below: int | None = Field(
        None, ge=1, le=100, description="Send only if the participant's last quiz round scored below this percentage"
    )
    only_if_plan_not_approved: bool = False
    stop_when_plan_done: bool = True
    essential: bool = False
    instrument: UUID | None = Field(
        None, description="Survey steps: the questionnaire sent (of the workspace or of the design's programme)"
    )

    check_send_at = field_validator("send_at")(_local_time)


class StepPatch(InputSchema):
    kind: StepKind | None = None
    audience: Audience | None = None
    channel: Channel | None = None
    anchor: Anchor | None = None
    offset_days: int | None = Field(None, ge=-365, le=730)
    send_at: datetime.time | None = None
    repeat_every_days: int | None = Field(None, ge=1, le=90)
    repeat_for_days: int | None = Field(None, ge=0, le=730)
    content: dict[str, TextIn] | None = None
    material_kind: MaterialKind | None = None
    material_url: str | None = None
    if_no_check_in_days: int | None = Field(None, ge=1, le=365)
    if_quiz_score_below: int | None = Field(None, ge=1, le=100)
    only_if_plan_not_approved: bool | None = None
    stop_when_plan_done: bool | None = None
    essential: bool | None = None
    instrument: UUID | None = None

    check_send_at = field_validator("send_at")(_local_time)


class TextOut(Schema):
    subject: str = ""
    body: str = ""
    checklist: list[str] = Field(default_factory=list)


class StepOut(Schema):
    id: UUID
    position: int
    kind: str
    audience: str
    channel: str
    anchor: str
    offset_days: int
    send_at: datetime.time
    repeat_every_days: int | None
    repeat_for_days: int | None
    content: dict[str, TextOut]
    material_kind: str
    material_url: str
    if_no_check_in_days: int | None
    if_quiz_score_below: int | None
    only_if_plan_not_approved: bool
    stop_when_plan_done: bool
    essential: bool
    instrument: UUID | None = Field(description="Survey steps: the questionnaire sent")


class DesignIn(InputSchema):
    programme: UUID
    from_default: bool = False
    copy_from: UUID | None = Field(None, description="Copy this design (of another programme) instead")
    name: str = Field("", max_length=200)
    description: str = ""


class DesignPatch(InputSchema):
    name: str | None = Field(None, max_length=200)
    description: str | None = None


class DesignSummaryOut(Schema):
    id: UUID
    programme: UUID | None
    programme_name: str | None
    name: str
    description: str
    created_at: datetime.datetime
    updated_at: datetime.datetime


class DesignOut(DesignSummaryOut):
    steps: list[StepOut]


class PlannedOut(Schema):
    step: UUID
    kind: str
    audience: str
    recipient: UUID
    recipient_name: str
    occurrence: int
    due_at: datetime.datetime
    subject: str


class PreviewOut(Schema):
    enrolment: UUID | None
    participant_name: str | None
    cohort: UUID | None
    touchpoints: list[PlannedOut]


class PreviewQuery(Schema):
    enrolment: UUID | None = None


class TestSentOut(Schema):
    sent_to: str


# Lookups and shapes ----------------------------------------------------------------------------


def _design(request, design_id: UUID, perm: str) -> Design:
    workspace = api_workspace(request)
    design = designs.designs_for_workspace(workspace).filter(uuid=design_id).first()
    if design is None:
        raise Http404
    require_api_perm(request, perm, design)
    return design


def _step(design: Design, step_id: UUID) -> Step:
    step = Step.objects.filter(design=design, uuid=step_id).select_related("design", "workspace").first()
    if step is None:
        raise Http404
    return step


def _step_out(step: Step) -> dict:
    return {
        "id": step.uuid,
        **{name: getattr(step, name) for name in designs.STEP_FIELDS if name not in ("content", "instrument")},
        "instrument": step.instrument.uuid if step.instrument_id else None,
        "position": step.position,
        "content": step.content,
    }


def _summary(design: Design) -> dict:
    return {
        "id": design.uuid,
        "programme": design.programme.uuid if design.programme else None,
        "programme_name": design.programme.name if design.programme else None,
        "name": design.name,
        "description": design.description,
        "created_at": design.created_at,
        "updated_at": design.updated_at,
    }


def _design_out(design: Design) -> dict:
    return _summary(design) | {"steps": [_step_out(step) for step in designs.timeline(design)]}


def _instrument(design: Design, instrument_id: UUID | None):
    """The questionnaire named in the input, in the design's workspace (the service checks the
    programme and the kind of step)."""
    from takeroot.surveys.models import Instrument

    if instrument_id is None:
        return None
    found = Instrument.objects.filter(workspace_id=design.workspace_id, uuid=instrument_id).first()
    if found is None:
        raise ValidationError({"instrument": [_("There is no such questionnaire in this workspace.")]})
    return found


def _step_fields(payload: Schema, *, partial: bool, design: Design) -> dict:
    fields = payload.model_dump(exclude_unset=partial)
    if "instrument" in fields:
        fields["instrument"] = _instrument(design, fields["instrument"])
    if "content" in fields and fields["content"] is not None:
        fields["content"] = {code: dict(text) for code, text in fields["content"].items()}
    if "material_kind" in fields:
        fields["material_kind"] = fields["material_kind"] or ""
    if partial:
        # An explicit null only clears the fields that may be empty.
        nullable = {
            "repeat_every_days",
            "repeat_for_days",
            "if_no_check_in_days",
            "if_quiz_score_below",
            "material_kind",
            "instrument",
        }
        fields = {k: v for k, v in fields.items() if v is not None or k in nullable}
    return fields


# Designs ---------------------------------------------------------------------------------------


@router.get(
    "followup-designs",
    response={200: list[DesignSummaryOut], **READ_ERRORS},
    summary="List the workspace's follow-up designs (admins, trainers)",
)
@paginate(Pages, page_size=50)
def list_designs(request):
    workspace = api_workspace(request)
    require_api_perm(request, VIEW, workspace)
    return [_summary(design) for design in designs.designs_for_workspace(workspace).order_by("name", "pk")]


@router.post(
    "followup-designs",
    response={201: DesignOut, **WRITE_ERRORS},
    summary="Give a programme its follow-up design: empty, from the default design or a copy of another",
)
def create_design(request, payload: DesignIn):
    workspace = api_workspace(request)
    require_api_perm(request, MANAGE, workspace)
    programme = programmes_for_workspace(workspace).filter(uuid=payload.programme).first()
    if programme is None:
        raise ValidationError({"programme": [_("There is no such programme in this workspace.")]})
    if payload.copy_from is not None:
        source = designs.designs_for_workspace(workspace).filter(uuid=payload.copy_from).first()
        if source is None:
            raise ValidationError({"copy_from": [_("There is no such follow-up design in this workspace.")]})
        design = designs.copy_design(design=source, programme=programme, actor=api_actor(request))
    else:
        design = designs.create_design(
            programme=programme,
            actor=api_actor(request),
            from_default=payload.from_default,
            name=payload.name,
            description=payload.description,
        )
    return Status(201, _design_out(design))


@router.get(
    "followup-designs/{design_id}",
    response={200: DesignOut, **READ_ERRORS},
    summary="Read a follow-up design with its steps in timeline order",
)
def read_design(request, design_id: UUID):
    return _design_out(_design(request, design_id, VIEW))


@router.patch(
    "followup-designs/{design_id}",
    response={200: DesignOut, **WRITE_ERRORS},
    summary="Rename a follow-up design or change its description",
)
def update_design(request, design_id: UUID, payload: DesignPatch):
    design = _design(request, design_id, MANAGE)
    designs.update_design(design=design, actor=api_actor(request), **payload.model_dump(exclude_none=True))
    return _design_out(design)


@router.delete(
    "followup-designs/{design_id}",
    response={204: None, **WRITE_ERRORS},
    summary="Delete a follow-up design none of whose steps was sent yet",
)
def delete_design(request, design_id: UUID):
    designs.delete_design(design=_design(request, design_id, MANAGE), actor=api_actor(request))
    return Status(204, None)


# Steps -----------------------------------------------------------------------------------------


@router.post(
    "followup-designs/{design_id}/steps",
    response={201: StepOut, **WRITE_ERRORS},
    summary="Add a step to a follow-up design",
)
def add_step(request, design_id: UUID, payload: StepIn):
    design = _design(request, design_id, MANAGE)
    step = designs.add_step(
        design=design, actor=api_actor(request), **_step_fields(payload, partial=False, design=design)
    )
    return Status(201, _step_out(step))


@router.patch(
    "followup-designs/{design_id}/steps/{step_id}",
    response={200: StepOut, **WRITE_ERRORS},
    summary="Change a step; fields left out stay as they are",
)
def update_step(request, design_id: UUID, step_id: UUID, payload: StepPatch):
    step = _step(_design(request, design_id, MANAGE), step_id)
    designs.update_step(step=step, actor=api_actor(request), **_step_fields(payload, partial=True, design=step.design))
    return _step_out(step)


@router.delete(
    "followup-designs/{design_id}/steps/{step_id}",
    response={204: None, **WRITE_ERRORS},
    summary="Delete a step that was never sent",
)
def delete_step(request, design_id: UUID, step_id: UUID):
    step = _step(_design(request, design_id, MANAGE), step_id)
    designs.delete_step(step=step, actor=api_actor(request))
    return Status(204, None)


# Preview and test send -------------------------------------------------------------------------


def _enrolment(design: Design, enrolment_id: UUID | None):
    if design.programme is None:
        return None
    enrolments = designs.preview_enrolments_of_programme(design.programme)
    if enrolment_id is not None:
        enrolment = enrolments.filter(uuid=enrolment_id).first()
        if enrolment is None:
            raise ValidationError({"enrolment": [_("There is no such participant in this programme's cohorts.")]})
        return enrolment
    cohort = designs.default_preview_cohort(list(designs.preview_cohorts(design.programme)))
    return designs.preview_enrolments(cohort).first() if cohort else None


@router.get(
    "followup-designs/{design_id}/preview",
    response={200: PreviewOut, **WRITE_ERRORS},
    summary="The planned timeline for one participant (default: the next or latest cohort's first)",
)
def preview(request, design_id: UUID, query: Query[PreviewQuery]):
    design = _design(request, design_id, VIEW)
    enrolment = _enrolment(design, query.enrolment)
    rows = designs.preview(enrolment, design=design) if enrolment else []
    return {
        "enrolment": enrolment.uuid if enrolment else None,
        "participant_name": enrolment.person.user.name if enrolment else None,
        "cohort": enrolment.cohort.uuid if enrolment else None,
        "touchpoints": [
            {
                "step": row.step.uuid,
                "kind": row.step.kind,
                "audience": row.step.audience,
                "recipient": row.recipient.uuid,
                "recipient_name": row.recipient.user.name,
                "occurrence": row.occurrence,
                "due_at": row.due_at,
                "subject": row.subject,
            }
            for row in rows
        ],
    }


@router.post(
    "followup-designs/{design_id}/steps/{step_id}/test-send",
    response={200: TestSentOut, **WRITE_ERRORS},
    summary="Send a step, rendered for a participant, to yourself at once (signed in only)",
)
def test_send(request, design_id: UUID, step_id: UUID, query: Query[PreviewQuery]):
    from .. import delivery

    if is_api_key(request):
        detail = _("A test is sent to yourself, and an API key has no address: sign in to send a test.")
        return Status(403, {"detail": detail, "errors": {}})
    step = _step(_design(request, design_id, MANAGE), step_id)
    enrolment = _enrolment(step.design, query.enrolment)
    if enrolment is None:
        raise ValidationError(
            {"enrolment": [_("None of this programme's cohorts has participants yet: enrol someone first.")]}
        )
    try:
        delivery.send_test(step=step, enrolment=enrolment, to=request.user)
    except DeliveryError as error:
        raise ValidationError(_("The test could not be sent: %(error)s") % {"error": error}) from error
    return {"sent_to": request.user.email}
