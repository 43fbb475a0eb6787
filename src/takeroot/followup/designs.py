"""Follow-up designs and their steps: the reads the pages and the API share, and every write.

Callers check ``followup.manage_designs`` first (admins and trainers); the services check that
the input makes sense, keep each change whole, write the audit entry and, once the change is
committed, re-plan the touchpoints of every cohort of the programme.
"""

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Exists, Max, OuterRef, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from takeroot.core.enums import AuditAction
from takeroot.core.models import Person, User, Workspace
from takeroot.core.queries import membership
from takeroot.core.services import apply_changes, record_audit
from takeroot.programmes.enums import EnrolmentStatus
from takeroot.programmes.models import Cohort, Enrolment, Programme

from .defaults import default_steps
from .enums import DELIVERED_STATES, REPEATING_KINDS, Anchor, Audience, Channel, MaterialKind, StepKind
from .models import Design, Step, Touchpoint

LANGUAGE_CODES = tuple(code for code, _name in settings.LANGUAGES)
ANCHOR_ORDER = {anchor: index for index, anchor in enumerate(Anchor.values)}
DESIGN_FIELDS = ("name", "description")
STEP_FIELDS = (
    "kind",
    "audience",
    "channel",
    "anchor",
    "offset_days",
    "send_at",
    "repeat_every_days",
    "repeat_for_days",
    "content",
    "material_kind",
    "material_url",
    "if_no_check_in_days",
    "if_quiz_score_below",
    "only_if_plan_not_approved",
    "stop_when_plan_done",
    "essential",
    "instrument",
)
# Who each kind of step may go to. A message goes to anyone.
AUDIENCES = {
    StepKind.ACTION_PLAN: {Audience.PARTICIPANT},
    StepKind.CHECK_IN: {Audience.PARTICIPANT},
    StepKind.MATERIAL: {Audience.PARTICIPANT, Audience.BUDDY},
    StepKind.SESSION_INVITATION: {Audience.PARTICIPANT},
    StepKind.MANAGER_TALK: {Audience.MANAGER},
    StepKind.MESSAGE: set(Audience.values),
    StepKind.QUIZ_ROUND: {Audience.PARTICIPANT},
    StepKind.SURVEY: {Audience.PARTICIPANT, Audience.MANAGER},
}
LINKED_MATERIAL = (MaterialKind.VIDEO, MaterialKind.DOCUMENT)
PLACEHOLDERS = ("name", "programme", "plan_link", "goal", "check_in_link", "participant")


# Reads ------------------------------------------------------------------------------------------


def designs_for_workspace(workspace: Workspace) -> QuerySet[Design]:
    """Every design of the workspace, before any role rule: to tell 403 (here) from 404."""
    return Design.objects.filter(workspace=workspace).select_related("programme", "workspace")


def copyable_designs(user: User, programme: Programme) -> QuerySet[Design]:
    """The designs of the workspace's other programmes this person may copy for ``programme``."""
    return (
        designs_for_user(user, workspace=programme.workspace)
        .filter(programme__isnull=False)
        .exclude(programme=programme)
        .order_by("programme__name", "pk")
    )


def designs_for_user(user: User, *, workspace: Workspace) -> QuerySet[Design]:
    """The designs this person may open: every design of the workspace for admins and trainers,
    none for anyone else."""
    me = membership(user, workspace)
    designs = designs_for_workspace(workspace)
    if me is None or not (me.is_admin or me.is_trainer):
        return designs.none()
    return designs


def design_of(programme: Programme) -> Design | None:
    return designs_for_workspace(programme.workspace).filter(programme=programme).first()


def timeline_key(step: Step) -> tuple:
    return (ANCHOR_ORDER.get(step.anchor, 99), step.offset_days, step.position, step.pk or 0)


def timeline(design: Design) -> list[Step]:
    """The design's steps in the order they happen: by the date they count from, then the day,
    then the designer's order within the day."""
    return sorted(Step.objects.filter(design=design).select_related("design__programme"), key=timeline_key)


def preview_cohorts(programme: Programme) -> QuerySet[Cohort]:
    """The programme's cohorts that have someone to preview the follow-up for, latest first."""
    return (
        Cohort.objects.filter(programme=programme)
        .filter(Exists(Enrolment.objects.filter(cohort=OuterRef("pk")).exclude(status=EnrolmentStatus.WITHDRAWN)))
        .order_by("-starts_on", "name")
    )


def preview_enrolments(cohort: Cohort) -> QuerySet[Enrolment]:
    return (
        Enrolment.objects.filter(cohort=cohort)
        .exclude(status=EnrolmentStatus.WITHDRAWN)
        .select_related("person__user", "cohort__programme", "manager__user", "mentor__user", "workspace")
        .order_by("person__user__name", "pk")
    )


def preview_enrolments_of_programme(programme: Programme) -> QuerySet[Enrolment]:
    """Every participant of the programme's cohorts a preview or test send may be made for."""
    return (
        Enrolment.objects.filter(cohort__programme=programme)
        .exclude(status=EnrolmentStatus.WITHDRAWN)
        .select_related("person__user", "cohort__programme", "manager__user", "mentor__user", "workspace")
    )


def default_preview_cohort(cohorts: list[Cohort], *, today: datetime.date | None = None) -> Cohort | None:
    """The next cohort to start, else the latest one."""
    today = today or timezone.localdate()
    upcoming = [c for c in cohorts if c.starts_on >= today]
    if upcoming:
        return min(upcoming, key=lambda c: (c.starts_on, c.name))
    return max(cohorts, key=lambda c: (c.starts_on, c.name), default=None)


@dataclass(frozen=True)
class PreviewRow:
    step: Step
    recipient: Person
    occurrence: int
    due_at: datetime.datetime
    subject: str


def preview(enrolment: Enrolment, *, design: Design) -> list[PreviewRow]:
    """The whole timeline one participant would get from the design, with real due times and
    rendered subjects. Writes nothing."""
    from . import rendering, schedule

    steps = timeline(design)
    planned = schedule.plan_enrolment(enrolment, steps=steps)
    rows = []
    for item in planned:
        touchpoint = Touchpoint(
            workspace_id=enrolment.workspace_id,
            step=item.step,
            enrolment=enrolment,
            recipient=item.recipient,
            occurrence=item.occurrence,
            due_at=item.due_at,
        )
        rendered = rendering.render(touchpoint)
        rows.append(PreviewRow(item.step, item.recipient, item.occurrence, item.due_at, rendered.subject))
    return sorted(rows, key=lambda row: (row.due_at, timeline_key(row.step), row.recipient.pk))


# Validation -------------------------------------------------------------------------------------


def _clean_content(content) -> tuple[dict, str | None]:
    """The content with known languages only and tidy texts, and the error if no language has
    both a subject and a body."""
    if not isinstance(content, dict):
        return {}, _("Write the content as a subject and a body per language.")
    cleaned = {}
    for code, text in content.items():
        if code not in LANGUAGE_CODES:
            return {}, _("“%(code)s” is not a language of this site.") % {"code": code}
        if not isinstance(text, dict):
            return {}, _("Write the content as a subject and a body per language.")
        subject = str(text.get("subject") or "").strip()
        body = str(text.get("body") or "").strip()
        checklist = text.get("checklist") or []
        if isinstance(checklist, str):
            checklist = checklist.splitlines()
        lines = [str(line).strip() for line in checklist if str(line).strip()]
        if subject or body or lines:
            cleaned[code] = {"subject": subject[:300], "body": body, "checklist": lines}
    if not any(text["subject"] and text["body"] for text in cleaned.values()):
        return cleaned, _("Write a subject and a message in at least one language.")
    return cleaned, None


def _validate_step(step: Step) -> None:
    """Refuse a step that cannot work, naming the field; then the model's own checks."""
    errors: dict[str, str] = {}
    step.content, content_error = _clean_content(step.content)
    if content_error:
        errors["content"] = content_error
    if step.kind not in StepKind.values:
        errors["kind"] = _("Choose a kind of step.")
    if step.channel not in Channel.values:
        errors["channel"] = _("Choose a channel.")
    if step.anchor not in Anchor.values:
        errors["anchor"] = _("Choose the date the days count from.")
    if step.audience not in Audience.values:
        errors["audience"] = _("Choose who receives the step.")
    elif step.kind in AUDIENCES and step.audience not in AUDIENCES[step.kind]:
        allowed = ", ".join(str(Audience(a).label) for a in Audience.values if a in AUDIENCES[step.kind])
        errors["audience"] = _("%(kind)s goes to: %(allowed)s.") % {
            "kind": StepKind(step.kind).label,
            "allowed": allowed,
        }
    if not isinstance(step.offset_days, int) or not -365 <= step.offset_days <= 730:
        errors["offset_days"] = _("Choose a day between 365 days before and 730 days after.")
    if step.kind == StepKind.MATERIAL:
        if step.material_kind not in MaterialKind.values:
            errors["material_kind"] = _("Choose the kind of material.")
        elif step.material_kind in LINKED_MATERIAL and not step.material_url:
            errors["material_url"] = _("Give the link to the video or document.")
    elif step.material_kind or step.material_url:
        errors["material_kind"] = _("Only reminder material has a kind of material and a link.")
    if step.kind in REPEATING_KINDS:
        if step.repeat_every_days is not None and not 1 <= step.repeat_every_days <= 90:
            errors["repeat_every_days"] = _("Repeat every 1 to 90 days, or leave empty for the participant's cadence.")
        if step.repeat_for_days is not None and not 0 <= step.repeat_for_days <= 730:
            errors["repeat_for_days"] = _("Keep repeating for at most 730 days.")
    elif step.repeat_every_days is not None or step.repeat_for_days is not None:
        errors["repeat_every_days"] = _("Only check-in reminders and quiz rounds repeat.")
    if step.if_no_check_in_days is not None and not 1 <= step.if_no_check_in_days <= 365:
        errors["if_no_check_in_days"] = _("Choose between 1 and 365 days, or leave empty.")
    if step.if_quiz_score_below is not None and not 1 <= step.if_quiz_score_below <= 100:
        errors["if_quiz_score_below"] = _("Choose a score from 1 to 100, or leave empty.")
    if instrument_error := _instrument_error(step):
        errors["instrument"] = instrument_error
    if errors:
        raise ValidationError(errors)
    step.full_clean(exclude=["design", "workspace"])


def _instrument_error(step: Step) -> str | None:
    """A survey step needs a questionnaire of the workspace or of the design's programme, not
    archived; other kinds carry none."""
    instrument = step.instrument if step.instrument_id else None
    if step.kind != StepKind.SURVEY:
        return _("Only survey steps send a questionnaire.") if instrument is not None else None
    if instrument is None:
        return _("Choose the questionnaire this survey step sends.")
    programme_id = step.design.programme_id if step.design_id else None
    if instrument.workspace_id != step.workspace_id or (
        instrument.programme_id and instrument.programme_id != programme_id
    ):
        return _("Choose a questionnaire of this workspace or of this programme.")
    if instrument.archived:
        return _("This questionnaire is archived: restore it or choose another.")
    return None


def _materialise_later(design: Design) -> None:
    """Re-plan the touchpoints of every cohort of the programme once the change is committed."""
    from .receivers import replan_later

    replan_later(workspace_id=design.workspace_id, design_id=design.pk)


def _delivered(steps) -> int:
    return Touchpoint.objects.filter(step__in=steps, state__in=DELIVERED_STATES).count()


# Designs ----------------------------------------------------------------------------------------


def _new_steps(design: Design, rows: list[dict]) -> list[Step]:
    return Step.objects.bulk_create(Step(workspace_id=design.workspace_id, design=design, **row) for row in rows)


@transaction.atomic
def create_design(
    *, programme: Programme, actor: User | None, from_default: bool, name: str = "", description: str = ""
) -> Design:
    """The programme's follow-up design, empty or as a copy of the default design that ships with
    Takeroot. A programme has at most one.

    Side effects: the design and its steps, an audit entry, touchpoints planned on commit."""
    if Design.objects.filter(programme=programme).exists():
        raise ValidationError(_("This programme already has a follow-up design."))
    design = Design(
        workspace_id=programme.workspace_id,
        programme=programme,
        name=(name or "").strip() or _("Follow-up for %(programme)s") % {"programme": programme.name},
        description=(description or "").strip(),
    )
    design.full_clean(exclude=["programme", "workspace"])
    design.save()
    if from_default:
        _new_steps(design, default_steps(programme=programme, actor=actor))
    record_audit(
        workspace=programme.workspace,
        actor=actor,
        action=AuditAction.CREATED,
        obj=design,
        changes={"from_default": (None, from_default)},
    )
    _materialise_later(design)
    return design


@transaction.atomic
def copy_design(*, design: Design, programme: Programme, actor: User | None) -> Design:
    """Another programme's follow-up design as a copy of ``design``, steps and wording included.

    Side effects: the new design and its steps, an audit entry, touchpoints planned on commit."""
    if programme.workspace_id != design.workspace_id:
        raise ValidationError({"programme": _("Choose a programme of this workspace.")})
    copy = create_design(
        programme=programme, actor=actor, from_default=False, name=design.name, description=design.description
    )
    fields = [*STEP_FIELDS, "position"]
    _new_steps(copy, [{name: getattr(step, name) for name in fields} for step in timeline(design)])
    return copy


@transaction.atomic
def update_design(*, design: Design, actor: User | None, **fields) -> dict:
    """Rename the design or change its description. Side effects: an audit entry."""
    values = {k: (v or "").strip() for k, v in fields.items() if k in DESIGN_FIELDS}
    if "name" in values and not values["name"]:
        raise ValidationError({"name": _("Give the design a name.")})
    changed = apply_changes(design, values)
    if changed:
        design.full_clean(exclude=["programme", "workspace"])
        design.save()
        record_audit(workspace=design.workspace, actor=actor, action=AuditAction.CHANGED, obj=design, changes=changed)
    return changed


@transaction.atomic
def delete_design(*, design: Design, actor: User | None) -> None:
    """Delete a design none of whose steps was sent yet: what people received stays on record.

    Side effects: the design, its steps and their scheduled touchpoints go; an audit entry."""
    if _delivered(design.steps.all()):
        raise ValidationError(
            _(
                "Some of this design's messages have been sent; it stays so their history stays. "
                "Change its steps instead."
            )
        )
    record_audit(workspace=design.workspace, actor=actor, action=AuditAction.DELETED, obj=design)
    design.delete()


# Steps ------------------------------------------------------------------------------------------


@transaction.atomic
def add_step(*, design: Design, actor: User | None, **fields) -> Step:
    """A new step, last among the steps of its day.

    Side effects: the step, an audit entry, touchpoints planned on commit."""
    position = (design.steps.aggregate(last=Max("position"))["last"] or 0) + 1
    step = Step(workspace_id=design.workspace_id, design=design, position=position)
    for name, value in fields.items():
        if name in STEP_FIELDS:
            setattr(step, name, value)
    _validate_step(step)
    step.save()
    record_audit(workspace=design.workspace, actor=actor, action=AuditAction.CREATED, obj=step)
    _materialise_later(design)
    return step


@transaction.atomic
def update_step(*, step: Step, actor: User | None, **fields) -> dict:
    """Change a step; fields not given stay. Returns what changed.

    Side effects: an audit entry, touchpoints re-planned on commit (sent ones stay as they were)."""
    before = {name: getattr(step, name) for name in STEP_FIELDS}
    for name, value in fields.items():
        if name in STEP_FIELDS:
            setattr(step, name, value)
    try:
        _validate_step(step)
    except ValidationError:
        for name, value in before.items():
            setattr(step, name, value)
        raise
    changed = {name: (before[name], getattr(step, name)) for name in STEP_FIELDS if before[name] != getattr(step, name)}
    if changed:
        step.save()
        record_audit(
            workspace=step.workspace,
            actor=actor,
            action=AuditAction.CHANGED,
            obj=step,
            changes={name: ("…", "…") if name == "content" else values for name, values in changed.items()},
        )
        _materialise_later(step.design)
    return changed


@transaction.atomic
def delete_step(*, step: Step, actor: User | None) -> None:
    """Delete a step that was never sent to anyone (what people received stays on record).

    Side effects: the step and its scheduled touchpoints go, an audit entry."""
    if _delivered([step]):
        raise ValidationError(
            _("This step has been sent already; it stays so that what people received stays on record.")
        )
    design = step.design
    record_audit(workspace=step.workspace, actor=actor, action=AuditAction.DELETED, obj=step)
    step.delete()
    _materialise_later(design)


@transaction.atomic
def move_step(*, step: Step, actor: User | None, up: bool) -> bool:
    """Swap a step with its neighbour on the same day (the timeline orders days by themselves).
    Returns whether it moved. Side effects: positions renumbered, an audit entry."""
    steps = timeline(step.design)
    index = next(i for i, s in enumerate(steps) if s.pk == step.pk)
    other = index - 1 if up else index + 1
    if not 0 <= other < len(steps) or not same_day(steps[index], steps[other]):
        return False
    steps[index], steps[other] = steps[other], steps[index]
    for position, sibling in enumerate(steps, start=1):
        if sibling.position != position:
            sibling.position = position
            sibling.save(update_fields=["position"])
    record_audit(
        workspace=step.workspace,
        actor=actor,
        action=AuditAction.CHANGED,
        obj=step,
        changes={"position": (index + 1, other + 1)},
    )
    return True


def same_day(one: Step, other: Step) -> bool:
    return one.anchor == other.anchor and one.offset_days == other.offset_days
