"""At-risk flags, interventions, findings, design changes and the at-risk settings over JSON.
Same queries, rules and services as the pages.

A flag, finding or programme named in the path is looked up in the caller's workspace (else
404), then the rule decides (403). API keys read with ``tracking:read`` and write with
``tracking:write``; a key logs interventions but never resolves a flag (only a person does).
"""

import datetime
from uuid import UUID

from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from takeroot.core.api_support import READ_ERRORS, WRITE_ERRORS, api_actor, api_workspace, is_api_key, require_api_perm
from takeroot.core.pagination import Pages
from takeroot.core.queries import membership
from takeroot.core.rules import API_KEY_SCOPES
from takeroot.core.schemas import InputSchema
from takeroot.programmes.models import Cohort, Module, Programme

from .. import queries, services
from ..enums import FindingKind, FindingState, FlagState, InterventionKind
from ..findings import compare
from ..models import AtRiskFlag, Finding, Intervention
from ..risk import describe

router = Router(tags=["tracking"])

API_KEY_SCOPES.update(
    {
        "tracking.view_flags": "tracking:read",
        "tracking.view_flag": "tracking:read",
        "tracking.act_on_flag": "tracking:write",
        "tracking.view_findings": "tracking:read",
        "tracking.record_design_change": "tracking:write",
        "tracking.change_settings": "tracking:write",
    }
)


def _me(request):
    return None if is_api_key(request) else membership(request.user, api_workspace(request))


# Flags ----------------------------------------------------------------------------------------------


class ReasonOut(Schema):
    reason: str
    detail: dict
    text: str = Field(description="The reason in words with its figures, in the caller's language")


class InterventionOut(Schema):
    id: UUID
    kind: InterventionKind
    note: str
    new_deadline: datetime.date | None
    by: UUID | None
    by_name: str | None
    created_at: datetime.datetime


class FlagOut(Schema):
    id: UUID
    enrolment: UUID
    participant: str
    cohort: UUID
    state: FlagState
    reasons: list[ReasonOut]
    raised_at: datetime.datetime
    updated_at: datetime.datetime
    resolved_at: datetime.datetime | None
    resolved_by: UUID | None = Field(description="Empty on a resolved flag: it resolved by itself")
    interventions: list[InterventionOut]


def _intervention_out(item: Intervention) -> dict:
    return {
        "id": item.uuid,
        "kind": item.kind,
        "note": item.note,
        "new_deadline": item.new_deadline,
        "by": item.by.uuid if item.by else None,
        "by_name": item.by.user.name if item.by else None,
        "created_at": item.created_at,
    }


def _flag_out(flag: AtRiskFlag) -> dict:
    return {
        "id": flag.uuid,
        "enrolment": flag.enrolment.uuid,
        "participant": flag.enrolment.person.user.name,
        "cohort": flag.enrolment.cohort.uuid,
        "state": flag.state,
        "reasons": [{**reason, "text": describe(reason)} for reason in flag.reasons],
        "raised_at": flag.raised_at,
        "updated_at": flag.updated_at,
        "resolved_at": flag.resolved_at,
        "resolved_by": flag.resolved_by.uuid if flag.resolved_by else None,
        "interventions": [_intervention_out(item) for item in flag.interventions.all()],
    }


def _find_flag(request, uuid: UUID, perm: str = "tracking.view_flag") -> AtRiskFlag:
    workspace = api_workspace(request)
    if is_api_key(request):
        flags = queries.flags_for_workspace(workspace)
    else:
        flags = queries.flags_for_user(request.user, workspace=workspace)
    flag = flags.filter(uuid=uuid).first()
    if flag is None:
        raise Http404
    require_api_perm(request, perm, flag)
    return flag


def _reread(flag: AtRiskFlag) -> AtRiskFlag:
    return queries.flags_for_workspace(flag.workspace).prefetch_related("interventions__by__user").get(pk=flag.pk)


class FlagQuery(Schema):
    state: FlagState | None = None
    cohort: UUID | None = None


@router.get(
    "tracking/flags",
    response={200: list[FlagOut], **READ_ERRORS},
    summary="At-risk flags of the participants you look after (an API key: the workspace's), newest first",
)
@paginate(Pages, page_size=50)
def list_flags(request, query: Query[FlagQuery]):
    workspace = api_workspace(request)
    require_api_perm(request, "tracking.view_flags", workspace)
    if is_api_key(request):
        flags = queries.flags_for_workspace(workspace)
    else:
        flags = queries.flags_for_user(request.user, workspace=workspace)
    if query.state:
        flags = flags.filter(state=query.state)
    if query.cohort:
        flags = flags.filter(enrolment__cohort__uuid=query.cohort)
    return _Rows(flags.prefetch_related("interventions__by__user").order_by("-raised_at", "-pk"))


class _Rows:
    """The flags as the paginator sees them: counted and sliced in the database."""

    def __init__(self, flags):
        self.flags = flags

    def count(self) -> int:
        return self.flags.count()

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, index):
        return [_flag_out(flag) for flag in self.flags[index]]


@router.get("tracking/flags/{uuid}", response={200: FlagOut, **READ_ERRORS}, summary="One at-risk flag")
def get_flag(request, uuid: UUID):
    return _flag_out(_reread(_find_flag(request, uuid)))


class InterventionIn(InputSchema):
    kind: InterventionKind
    note: str = Field("", max_length=5000)
    new_deadline: datetime.date | None = Field(None, description="When a deadline was extended")
    resolve: bool = Field(False, strict=True, description="Resolve the flag as well (people only, not API keys)")


@router.post(
    "tracking/flags/{uuid}/interventions",
    response={201: FlagOut, **WRITE_ERRORS},
    summary="Log what was done for the participant (and optionally resolve the flag)",
)
def create_intervention(request, uuid: UUID, payload: InterventionIn):
    flag = _find_flag(request, uuid, "tracking.act_on_flag")
    services.log_intervention(
        flag=flag,
        person=_me(request),
        kind=payload.kind,
        note=payload.note,
        new_deadline=payload.new_deadline,
        resolve=payload.resolve,
    )
    return Status(201, _flag_out(_reread(flag)))


@router.post(
    "tracking/flags/{uuid}/resolve",
    response={200: FlagOut, **WRITE_ERRORS},
    summary="Resolve the flag (people only, not API keys)",
)
def resolve_flag(request, uuid: UUID):
    flag = _find_flag(request, uuid, "tracking.act_on_flag")
    services.resolve_flag(flag=flag, person=_me(request))
    return _flag_out(_reread(flag))


# Findings and design changes ----------------------------------------------------------------------


class FindingOut(Schema):
    id: UUID
    programme: UUID
    cohort: UUID | None
    module: UUID | None
    kind: FindingKind
    subject: str = Field(description="A ticket category or a survey question")
    value: float = Field(description="The figure: a share 0–1, tickets per participant, or a survey mean")
    target: float
    count: int = Field(description="People, tickets or responses behind the figure")
    state: FindingState
    dismissed_reason: str = Field(description="Why it was dismissed; empty unless dismissed")
    found_at: datetime.datetime
    updated_at: datetime.datetime


def _finding_out(finding: Finding) -> dict:
    return {
        "id": finding.uuid,
        "programme": finding.programme.uuid,
        "cohort": finding.cohort.uuid if finding.cohort else None,
        "module": finding.module.uuid if finding.module else None,
        "kind": finding.kind,
        "subject": finding.subject,
        "value": finding.value,
        "target": finding.target,
        "count": finding.count,
        "state": finding.state,
        "dismissed_reason": finding.dismissed_reason,
        "found_at": finding.found_at,
        "updated_at": finding.updated_at,
    }


def _find_programme(request, uuid: UUID, perm: str = "tracking.view_findings") -> Programme:
    programme = Programme.objects.filter(workspace=api_workspace(request), uuid=uuid).first()
    if programme is None:
        raise Http404
    require_api_perm(request, perm, programme)
    return programme


class FindingQuery(Schema):
    programme: UUID
    state: FindingState | None = None


@router.get(
    "tracking/findings",
    response={200: list[FindingOut], **READ_ERRORS},
    summary="The problem finder's findings of a programme, newest first",
)
@paginate(Pages, page_size=50)
def list_findings(request, query: Query[FindingQuery]):
    programme = _find_programme(request, query.programme)
    findings = queries.findings_for_programme(programme)
    if query.state:
        findings = findings.filter(state=query.state)
    return [_finding_out(finding) for finding in findings]


class DismissIn(InputSchema):
    reason: str = Field(max_length=5000)


@router.post(
    "tracking/findings/{uuid}/dismiss",
    response={200: FindingOut, **WRITE_ERRORS},
    summary="Dismiss a finding, saying why",
)
def dismiss_finding(request, uuid: UUID, payload: DismissIn):
    finding = (
        Finding.objects.filter(workspace=api_workspace(request), uuid=uuid)
        .select_related("programme", "cohort", "module")
        .first()
    )
    if finding is None:
        raise Http404
    require_api_perm(request, "tracking.record_design_change", finding.programme)
    services.dismiss_finding(finding=finding, person=_me(request), reason=payload.reason)
    return _finding_out(finding)


class FigureOut(Schema):
    value: float
    count: int


class DesignChangeOut(Schema):
    id: UUID
    description: str
    module: UUID | None
    finding: UUID | None
    before_cohort: UUID | None
    after_cohort: UUID | None
    recorded_at: datetime.datetime
    before: FigureOut | None = Field(description="The finding's metric in the cohort before (None: no data)")
    after: FigureOut | None = Field(description="The finding's metric in the first cohort with the change")


def _figure(figure) -> dict | None:
    return {"value": round(figure.value, 4), "count": figure.count} if figure else None


def _change_out(change) -> dict:
    comparison = compare(change)
    return {
        "id": change.uuid,
        "description": change.description,
        "module": change.module.uuid if change.module else None,
        "finding": change.finding.uuid if change.finding else None,
        "before_cohort": change.before_cohort.uuid if change.before_cohort else None,
        "after_cohort": change.after_cohort.uuid if change.after_cohort else None,
        "recorded_at": change.recorded_at,
        "before": _figure(comparison.before) if comparison else None,
        "after": _figure(comparison.after) if comparison else None,
    }


@router.get(
    "tracking/programmes/{uuid}/design-changes",
    response={200: list[DesignChangeOut], **READ_ERRORS},
    summary="The programme's design changes, each with the before/after figures of its finding",
)
def list_design_changes(request, uuid: UUID):
    programme = _find_programme(request, uuid)
    return [_change_out(change) for change in queries.design_changes_for_programme(programme)]


class DesignChangeIn(InputSchema):
    description: str = Field(max_length=5000)
    finding: UUID | None = None
    module: UUID | None = None
    before_cohort: UUID | None = None
    after_cohort: UUID | None = None


def _one_of(queryset, uuid: UUID | None, field: str, message: str):
    if uuid is None:
        return None
    found = queryset.filter(uuid=uuid).first()
    if found is None:
        raise ValidationError({field: [message]})
    return found


@router.post(
    "tracking/programmes/{uuid}/design-changes",
    response={201: DesignChangeOut, **WRITE_ERRORS},
    summary="Record a design change (a finding it answers becomes 'changed')",
)
def create_design_change(request, uuid: UUID, payload: DesignChangeIn):
    programme = _find_programme(request, uuid, "tracking.record_design_change")
    cohorts = Cohort.objects.filter(programme=programme)
    findings, modules = queries.findings_for_programme(programme), Module.objects.filter(programme=programme)
    change = services.record_design_change(
        programme=programme,
        person=_me(request),
        description=payload.description,
        finding=_one_of(findings, payload.finding, "finding", _("Choose a finding of this programme.")),
        module=_one_of(modules, payload.module, "module", _("Choose a module of this programme.")),
        before_cohort=_one_of(cohorts, payload.before_cohort, "before_cohort", _("Choose a cohort of this programme.")),
        after_cohort=_one_of(cohorts, payload.after_cohort, "after_cohort", _("Choose a cohort of this programme.")),
    )
    return Status(201, _change_out(queries.design_changes_for_programme(programme).get(pk=change.pk)))


# Settings ---------------------------------------------------------------------------------------------


class TrackingSettingsOut(Schema):
    notify_managers: bool
    engagement_drop_percent: int
    missed_check_ins: int
    score_drop_points: int


class TrackingSettingsIn(InputSchema):
    notify_managers: bool | None = Field(None, strict=True)
    engagement_drop_percent: int | None = Field(None, ge=10, le=100, strict=True)
    missed_check_ins: int | None = Field(None, ge=1, le=10, strict=True)
    score_drop_points: int | None = Field(None, ge=5, le=100, strict=True)


def _settings_out(settings) -> dict:
    return {name: getattr(settings, name) for name in services.SETTINGS_FIELDS}


@router.get("tracking/settings", response={200: TrackingSettingsOut, **READ_ERRORS}, summary="The at-risk settings")
def get_settings(request):
    workspace = api_workspace(request)
    require_api_perm(request, "tracking.change_settings", workspace)
    return _settings_out(queries.tracking_settings(workspace))


@router.put(
    "tracking/settings",
    response={200: TrackingSettingsOut, **WRITE_ERRORS},
    summary="Change the at-risk settings (fields left out keep their value)",
)
def update_settings(request, payload: TrackingSettingsIn):
    workspace = api_workspace(request)
    require_api_perm(request, "tracking.change_settings", workspace)
    values = {name: value for name, value in payload.dict().items() if value is not None}
    settings = services.save_tracking_settings(workspace=workspace, actor=api_actor(request), values=values)
    return _settings_out(settings)
