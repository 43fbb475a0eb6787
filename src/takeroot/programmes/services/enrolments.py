"""Who takes part: enrolments, their status and accommodations."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from takeroot.core.enums import AuditAction
from takeroot.core.models import Person, Team, User
from takeroot.core.queries import team_and_descendants
from takeroot.core.services import apply_changes, record_audit

from ..enums import EnrolmentStatus
from ..models import (
    Cohort,
    Enrolment,
)
from ..signals import notify_enrolments_changed
from .common import ACCOMMODATION_FIELDS, check_same_workspace

STATUS_TIMESTAMPS = {
    EnrolmentStatus.INVITED: "invited_at",
    EnrolmentStatus.ACTIVE: "activated_at",
    EnrolmentStatus.COMPLETED: "completed_at",
    EnrolmentStatus.WITHDRAWN: "withdrawn_at",
}


def _new_enrolment(cohort: Cohort, person: Person, mentor: Person | None, now) -> Enrolment:
    user = person.user
    return Enrolment(
        workspace=cohort.workspace,
        cohort=cohort,
        person=person,
        manager=person.manager,
        mentor=mentor,
        status=EnrolmentStatus.INVITED,
        invited_at=now,
        # The needs the person stated in their profile are the starting point; the trainer
        # or the participant can adjust them for this cohort.
        needs_sign_language=user.needs_sign_language,
        needs_captions=user.needs_captions,
        needs_screen_reader=user.needs_screen_reader,
        needs_extra_time=user.needs_extra_time,
        accommodation_notes=user.accessibility_notes,
    )


@transaction.atomic
def enrol_people(*, cohort: Cohort, actor: User, people: list[Person], mentor: Person | None = None) -> list[Enrolment]:
    """Enrol people in a cohort; those already in it are left as they are.

    Side effects: one audit entry per new enrolment. Returns the new enrolments."""
    check_same_workspace(cohort.workspace, mentor, *people)
    already = set(cohort.enrolments.values_list("person_id", flat=True))
    now = timezone.now()
    new = [_new_enrolment(cohort, person, mentor, now) for person in people if person.pk not in already]
    Enrolment.objects.bulk_create(new)
    for enrolment in new:
        record_audit(workspace=cohort.workspace, actor=actor, action=AuditAction.CREATED, obj=enrolment)
    notify_enrolments_changed(workspace_id=cohort.workspace_id, enrolment_ids=[enrolment.pk for enrolment in new])
    return new


def enrol_team(*, cohort: Cohort, actor: User, team: Team, mentor: Person | None = None) -> list[Enrolment]:
    """Enrol everyone in a team and the teams inside it."""
    check_same_workspace(cohort.workspace, team)
    people = list(
        Person.objects.filter(workspace=cohort.workspace, team__in=team_and_descendants(team)).select_related("user")
    )
    return enrol_people(cohort=cohort, actor=actor, people=people, mentor=mentor)


@transaction.atomic
def set_enrolment_status(*, enrolment: Enrolment, actor: User, status: str) -> None:
    """Move an enrolment to another status, stamping when it happened."""
    if status not in EnrolmentStatus.values:
        raise ValidationError({"status": _("Unknown status.")})
    if enrolment.status != status:
        before = enrolment.status
        enrolment.status = status
        setattr(enrolment, STATUS_TIMESTAMPS[status], timezone.now())
        enrolment.save()
        record_audit(
            workspace=enrolment.workspace,
            actor=actor,
            action=AuditAction.CHANGED,
            obj=enrolment,
            changes={"status": (before, status)},
        )
        notify_enrolments_changed(workspace_id=enrolment.workspace_id, enrolment_ids=[enrolment.pk])


@transaction.atomic
def update_enrolment(*, enrolment: Enrolment, actor: User, **fields) -> dict:
    """Change the accommodations or the mentor of an enrolment."""
    if "mentor" in fields:
        check_same_workspace(enrolment.workspace, fields["mentor"])
    changed = apply_changes(enrolment, {k: v for k, v in fields.items() if k in (*ACCOMMODATION_FIELDS, "mentor")})
    if changed:
        enrolment.save()
        record_audit(
            workspace=enrolment.workspace, actor=actor, action=AuditAction.CHANGED, obj=enrolment, changes=changed
        )
    if "mentor" in changed:
        notify_enrolments_changed(workspace_id=enrolment.workspace_id, enrolment_ids=[enrolment.pk])
    return changed
