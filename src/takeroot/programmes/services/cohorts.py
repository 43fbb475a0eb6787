"""Running a programme: cohorts and their sessions."""

import datetime
from zoneinfo import ZoneInfo

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from takeroot.core.enums import AuditAction
from takeroot.core.models import User
from takeroot.core.services import apply_changes, record_audit

from ..models import (
    Cohort,
    Programme,
    Session,
)
from ..signals import notify_cohort_changed
from .common import COHORT_FIELDS, SESSION_FIELDS, check_same_workspace

# Changes that move what the cohort's follow-up is planned from.
SCHEDULE_FIELDS = ("starts_on", "ends_on", "trainers", "mentors")


def _check_cohort_people(cohort: Cohort, trainers, mentors) -> None:
    for person in [*trainers, *mentors]:
        if person.workspace_id != cohort.workspace_id:
            raise ValidationError(_("Trainers and mentors must belong to the same workspace."))


@transaction.atomic
def create_cohort(*, programme: Programme, actor: User, trainers=(), mentors=(), **fields) -> Cohort:
    """A new run of a programme. Side effects: an audit entry."""
    cohort = Cohort(
        workspace=programme.workspace, programme=programme, **{k: v for k, v in fields.items() if k in COHORT_FIELDS}
    )
    _check_dates(cohort)
    _check_cohort_people(cohort, trainers, mentors)
    cohort.save()
    # One at a time, so the first named is the first added: tickets go to the cohort's first
    # trainer, and adding several at once would store them in no particular order.
    for person in trainers:
        cohort.trainers.add(person)
    for person in mentors:
        cohort.mentors.add(person)
    record_audit(workspace=cohort.workspace, actor=actor, action=AuditAction.CREATED, obj=cohort)
    return cohort


def _check_dates(cohort: Cohort) -> None:
    if cohort.starts_on and cohort.ends_on and cohort.ends_on < cohort.starts_on:
        raise ValidationError({"ends_on": _("The cohort must end on or after its first day.")})
    if cohort.midpoint_on and not cohort.starts_on <= cohort.midpoint_on <= cohort.ends_on:
        raise ValidationError({"midpoint_on": _("The midpoint review must fall within the cohort's dates.")})


@transaction.atomic
def update_cohort(*, cohort: Cohort, actor: User, trainers=None, mentors=None, **fields) -> dict:
    changed = apply_changes(cohort, {k: v for k, v in fields.items() if k in COHORT_FIELDS})
    _check_dates(cohort)
    _check_cohort_people(cohort, trainers or [], mentors or [])
    cohort.save()
    for name, people in (("trainers", trainers), ("mentors", mentors)):
        if people is not None:
            before = set(getattr(cohort, name).all())
            if before != set(people):
                getattr(cohort, name).set(people)
                changed[name] = (", ".join(sorted(map(str, before))), ", ".join(sorted(map(str, people))))
    if changed:
        record_audit(workspace=cohort.workspace, actor=actor, action=AuditAction.CHANGED, obj=cohort, changes=changed)
    if any(name in changed for name in SCHEDULE_FIELDS):
        notify_cohort_changed(workspace_id=cohort.workspace_id, cohort_id=cohort.pk)
    return changed


def _same_wall_time(moment: datetime.datetime, shift: datetime.timedelta, zone: ZoneInfo) -> datetime.datetime:
    """``moment`` moved by whole days at the same local clock time, across daylight-saving changes."""
    wall = moment.astimezone(zone).replace(tzinfo=None) + shift
    return wall.replace(tzinfo=zone)


@transaction.atomic
def copy_cohort(*, cohort: Cohort, actor: User, name: str, starts_on: datetime.date) -> Cohort:
    """A new run with the same trainers, mentors and sessions, moved to start on ``starts_on``.
    Participants are not copied: each run enrols its own."""
    shift = starts_on - cohort.starts_on
    local = ZoneInfo(actor.timezone)
    copy = create_cohort(
        programme=cohort.programme,
        actor=actor,
        name=name,
        starts_on=starts_on,
        ends_on=cohort.ends_on + shift,
        midpoint_on=cohort.midpoint_on + shift if cohort.midpoint_on else None,
        trainers=list(cohort.trainers.all()),
        mentors=list(cohort.mentors.all()),
    )
    Session.objects.bulk_create(
        Session(
            workspace=copy.workspace,
            cohort=copy,
            module=s.module,
            title=s.title,
            starts_at=_same_wall_time(s.starts_at, shift, local),
            ends_at=_same_wall_time(s.ends_at, shift, local),
            place=s.place,
            online_link=s.online_link,
        )
        for s in cohort.sessions.filter(cancelled=False)
    )
    notify_cohort_changed(workspace_id=copy.workspace_id, cohort_id=copy.pk)
    return copy


@transaction.atomic
def save_session(*, cohort: Cohort, actor: User, session: Session | None = None, **fields) -> Session:
    """Create or change a session. A change raises the calendar sequence so subscribed
    calendars replace the event instead of adding a second one."""
    fields = {k: v for k, v in fields.items() if k in SESSION_FIELDS}
    check_same_workspace(cohort.workspace, fields.get("module"))
    if fields.get("module") is not None and fields["module"].programme_id != cohort.programme_id:
        raise ValidationError({"module": _("The module must belong to this cohort's programme.")})
    if session is None:
        session = Session(workspace=cohort.workspace, cohort=cohort, **fields)
        action, changed = AuditAction.CREATED, {}
    else:
        changed = apply_changes(session, fields)
        if not changed:
            return session
        session.sequence += 1
        action = AuditAction.CHANGED
    if session.ends_at <= session.starts_at:
        raise ValidationError({"ends_at": _("The session must end after it starts.")})
    session.save()
    record_audit(workspace=cohort.workspace, actor=actor, action=action, obj=session, changes=changed)
    if action == AuditAction.CREATED or "starts_at" in changed:
        notify_cohort_changed(workspace_id=cohort.workspace_id, cohort_id=cohort.pk)
    return session


@transaction.atomic
def cancel_session(*, session: Session, actor: User) -> None:
    """Cancel a session; calendars that subscribed show it as cancelled."""
    if not session.cancelled:
        session.cancelled = True
        session.sequence += 1
        session.save(update_fields=["cancelled", "sequence"])
        record_audit(
            workspace=session.workspace,
            actor=actor,
            action=AuditAction.CHANGED,
            obj=session,
            changes={"cancelled": (False, True)},
        )
        notify_cohort_changed(workspace_id=session.workspace_id, cohort_id=session.cohort_id)
