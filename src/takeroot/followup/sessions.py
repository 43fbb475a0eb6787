"""Follow-up sessions, two to four weeks after the training: every write, and the reads the
pages, the API and the delivery engine share.

Callers check the rules first (``followup.schedule_session``, ``followup.run_session``,
``followup.answer_invitation``); the services check that the input makes sense. Every invited
person gets a mail with a calendar invitation in their own language and time zone; a change of
time, place or link raises the session's SEQUENCE and sends the invitation again as an update,
and a cancellation (or being uninvited) sends METHOD:CANCEL so calendars remove the entry.
"""

import datetime
from collections.abc import Iterable
from uuid import UUID

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from takeroot.core.enums import AuditAction
from takeroot.core.mail import queue_mail
from takeroot.core.models import Person, User, Workspace
from takeroot.core.queries import membership
from takeroot.core.services import apply_changes, record_audit
from takeroot.plans import services as plans
from takeroot.plans.models import ActionPlan, ActionTask
from takeroot.programmes.enums import EnrolmentStatus
from takeroot.programmes.models import Cohort, Enrolment

from . import invites
from .enums import LinkPurpose, Rsvp
from .models import FollowUpSession, Invitation
from .signals import attendance_recorded

SESSION_FIELDS = ("title", "starts_at", "ends_at", "place", "online_link", "agenda")
# What a calendar shows: a change to any of these is sent to the invitees as an update.
CALENDAR_FIELDS = ("title", "starts_at", "ends_at", "place", "online_link")
NOTE_FIELDS = ("successes", "obstacles", "next_steps")
ANSWERS = (Rsvp.ATTENDING, Rsvp.DECLINED)


def _audit(session: FollowUpSession, actor: User | None, action: str, changes: dict | None = None) -> None:
    record_audit(workspace=session.workspace, actor=actor, action=action, obj=session, changes=changes)


# Reads -----------------------------------------------------------------------------------------


def sessions_for_workspace(workspace: Workspace) -> QuerySet[FollowUpSession]:
    return FollowUpSession.objects.filter(workspace=workspace).select_related("cohort__programme")


def sessions_for_user(user: User, *, workspace: Workspace) -> QuerySet[FollowUpSession]:
    """The sessions this person may open: admins all of the workspace; trainers those of the
    cohorts they train; everyone the sessions they are invited to."""
    sessions = sessions_for_workspace(workspace)
    me = membership(user, workspace)
    if me is None:
        return sessions.none()
    if me.is_admin:
        return sessions
    return sessions.filter(Q(cohort__trainers=me) | Q(invitations__person=me)).distinct()


def invitations_of(session: FollowUpSession) -> QuerySet[Invitation]:
    return session.invitations.select_related("person__user").order_by("person__user__name", "pk")


def invitable_people(cohort: Cohort) -> QuerySet[Person]:
    """Everyone enrolled in the cohort and not withdrawn: who may be invited."""
    enrolled = Enrolment.objects.filter(cohort=cohort).exclude(status=EnrolmentStatus.WITHDRAWN)
    return (
        Person.objects.filter(pk__in=enrolled.values("person_id"), user__is_active=True)
        .select_related("user")
        .order_by("user__name", "pk")
    )


def upcoming_sessions_for(enrolment: Enrolment) -> QuerySet[FollowUpSession]:
    """The enrolment's cohort's future sessions, not cancelled, that its person is invited to."""
    return FollowUpSession.objects.filter(
        cohort_id=enrolment.cohort_id,
        invitations__person_id=enrolment.person_id,
        cancelled_at__isnull=True,
        starts_at__gt=timezone.now(),
    ).order_by("starts_at", "pk")


def agreed_steps(session: FollowUpSession) -> QuerySet[ActionTask]:
    """The plan steps agreed in this session (still in the plans), with their participant."""
    return session.agreed_steps.select_related("plan__enrolment__person__user").order_by(
        "plan__enrolment__person__user__name", "due_on", "pk"
    )


def my_invitation(session: FollowUpSession, person: Person | None) -> Invitation | None:
    if person is None:
        return None
    return session.invitations.filter(person=person).first()


# Checks ----------------------------------------------------------------------------------------


def _check(session: FollowUpSession, *, new_time: bool) -> None:
    errors = {}
    session.title = (session.title or "").strip()
    session.place = (session.place or "").strip()
    session.online_link = (session.online_link or "").strip()
    if not session.title:
        errors["title"] = _("Give the session a title.")
    if session.starts_at is None:
        errors["starts_at"] = _("Choose when the session starts.")
    if session.ends_at is None:
        errors["ends_at"] = _("Choose when the session ends.")
    if session.starts_at and session.ends_at and session.ends_at <= session.starts_at:
        errors["ends_at"] = _("The session must end after it starts.")
    elif new_time and session.starts_at and session.starts_at < timezone.now():
        errors["starts_at"] = _("The start is in the past: choose a later time.")
    if session.online_link:
        try:
            URLValidator(schemes=["http", "https"])(session.online_link)
        except ValidationError:
            errors["online_link"] = _("Enter the full address of the online meeting, starting with https://.")
    if not session.place and not session.online_link and "online_link" not in errors:
        errors["place"] = _("Give a room or place, an online link, or both.")
    if errors:
        raise ValidationError(errors)


def _check_people(cohort: Cohort, people: Iterable[Person]) -> list[Person]:
    people = list(dict.fromkeys(people))
    allowed = set(invitable_people(cohort).values_list("pk", flat=True))
    if any(person.pk not in allowed for person in people):
        raise ValidationError({"people": _("Choose only people enrolled in this cohort (and not withdrawn).")})
    return people


def _check_open(session: FollowUpSession) -> None:
    if session.cancelled_at is not None:
        raise ValidationError(_("This session has been cancelled."))


# Invitations by mail ---------------------------------------------------------------------------


def _when(session: FollowUpSession) -> str:
    """The session's time in the active language and time zone."""
    start, end = timezone.localtime(session.starts_at), timezone.localtime(session.ends_at)
    end_text = formats.time_format(end, "TIME_FORMAT")
    if end.date() != start.date():
        end_text = f"{formats.date_format(end, 'DATE_FORMAT')} {end_text}"
    start_text = f"{formats.date_format(start, 'DATE_FORMAT')} {formats.time_format(start, 'TIME_FORMAT')}"
    return f"{start_text} – {end_text} ({timezone.get_current_timezone_name()})"


def _answer_links(invitation: Invitation) -> dict:
    from .links import link_url  # the links module registers handlers that import this one

    return {
        answer: link_url(
            person=invitation.person, purpose=LinkPurpose.CONFIRM_ATTENDANCE, target=f"{invitation.uuid}:{answer}"
        )
        for answer in ANSWERS
    }


def _send(invitation: Invitation, *, method: str, session: FollowUpSession | None = None) -> None:
    """Queue one person's invitation, update or cancellation, written in their language and
    time zone, with the calendar file attached. Records what their calendar now has."""
    if session is not None:
        invitation.session = session  # the caller's copy, with the sequence just raised
    session = invitation.session
    user = invitation.person.user
    update = method == invites.REQUEST and invitation.sent_sequence is not None
    with translation.override(user.language), timezone.override(user.timezone):
        context = {
            "title": session.title,
            "cohort": session.cohort.name,
            "programme": session.cohort.programme.name,
            "when": _when(session),
            "place": session.place,
            "online_link": session.online_link,
            "agenda": session.agenda,
            "path": session.get_absolute_url(),
            "update": update,
        }
        if method == invites.REQUEST:
            links = _answer_links(invitation)
            context |= {"attend_url": links[Rsvp.ATTENDING], "decline_url": links[Rsvp.DECLINED]}
        calendar = invites.invitation_calendar(invitation, method=method)
    queue_mail(
        recipient=user,
        workspace=session.workspace,
        template="followup_session_invitation" if method == invites.REQUEST else "followup_session_cancelled",
        context=context,
        attachments=[{"filename": "invite.ics", "content_type": invites.content_type(method), "content": calendar}],
    )
    invitation.sent_sequence = session.sequence
    invitation.save(update_fields=["sent_sequence"])


def _invite(session: FollowUpSession, people: list[Person]) -> list[Invitation]:
    invited = set(session.invitations.values_list("person_id", flat=True))
    created = Invitation.objects.bulk_create(
        [
            Invitation(workspace_id=session.workspace_id, session=session, person=p)
            for p in people
            if p.pk not in invited
        ]
    )
    created = list(invitations_of(session).filter(person_id__in=[i.person_id for i in created]))
    for invitation in created:
        _send(invitation, method=invites.REQUEST, session=session)
    return created


# Sessions --------------------------------------------------------------------------------------


@transaction.atomic
def schedule_session(
    *,
    cohort: Cohort,
    actor: User | None,
    created_by: Person | None,
    title: str,
    starts_at: datetime.datetime,
    ends_at: datetime.datetime,
    place: str = "",
    online_link: str = "",
    agenda: str = "",
    people: Iterable[Person] | None = None,
) -> FollowUpSession:
    """Schedule a follow-up session for the whole cohort (``people`` empty or ``None``: everyone
    enrolled and not withdrawn) or a group of its participants. A trainer of the cohort or an admin.

    Side effects: the session, one invitation per person, an audit entry, a mail with a calendar
    invitation (METHOD:REQUEST, SEQUENCE 0) to each."""
    session = FollowUpSession(
        workspace_id=cohort.workspace_id,
        cohort=cohort,
        title=title,
        starts_at=starts_at,
        ends_at=ends_at,
        place=place,
        online_link=online_link,
        agenda=(agenda or "").strip(),
        created_by=created_by,
    )
    _check(session, new_time=True)
    chosen = _check_people(cohort, people or [])
    if not chosen:
        chosen = list(invitable_people(cohort))
    if not chosen:
        raise ValidationError({"people": _("Nobody is enrolled in this cohort yet: enrol people first.")})
    session.save()
    _audit(session, actor, AuditAction.CREATED)
    _invite(session, chosen)
    return session


@transaction.atomic
def update_session(*, session: FollowUpSession, actor: User | None, **fields) -> dict:
    """Change the title, time, place, link or agenda. A change a calendar shows raises the
    sequence and sends everyone invited an updated invitation (same UID).

    Side effects: an audit entry; update mails."""
    _check_open(session)
    values = {k: v for k, v in fields.items() if k in SESSION_FIELDS}
    changed = apply_changes(session, values)
    _check(session, new_time=bool({"starts_at", "ends_at"} & changed.keys()))
    if not changed:
        return changed
    resend = bool(set(CALENDAR_FIELDS) & changed.keys())
    if resend:
        session.sequence += 1
    session.save()
    _audit(session, actor, AuditAction.CHANGED, {k: v for k, v in changed.items() if k != "agenda"})
    if resend:
        for invitation in invitations_of(session):
            _send(invitation, method=invites.REQUEST, session=session)
    return changed


@transaction.atomic
def cancel_session(*, session: FollowUpSession, actor: User | None) -> None:
    """Cancel the session: it stays, marked cancelled, and every invitee's calendar drops it.

    Side effects: ``cancelled_at``, the sequence raised, an audit entry, a METHOD:CANCEL mail to
    everyone invited."""
    _check_open(session)
    session.cancelled_at = timezone.now()
    session.sequence += 1
    session.save(update_fields=["cancelled_at", "sequence"])
    _audit(session, actor, AuditAction.CHANGED, {"cancelled_at": (None, session.cancelled_at)})
    for invitation in invitations_of(session):
        _send(invitation, method=invites.CANCEL, session=session)


@transaction.atomic
def invite_people(*, session: FollowUpSession, people: Iterable[Person], actor: User | None) -> list[Invitation]:
    """Invite more participants of the cohort; those already invited are left as they are.
    Returns the new invitations. Side effects: an audit entry, an invitation mail to each."""
    _check_open(session)
    chosen = _check_people(session.cohort, people)
    if not chosen:
        raise ValidationError({"people": _("Choose at least one person.")})
    created = _invite(session, chosen)
    if created:
        names = ", ".join(sorted(i.person.user.name for i in created))
        _audit(session, actor, AuditAction.INVITED, {"invited": (None, names)})
    return created


@transaction.atomic
def uninvite(*, session: FollowUpSession, people: Iterable[Person], actor: User | None) -> int:
    """Take people off the session. Their calendars get a METHOD:CANCEL (with a raised sequence,
    so a later invitation wins again). Returns how many were uninvited.

    Side effects: the invitations deleted, an audit entry, a cancellation mail to each."""
    _check_open(session)
    invitations = list(invitations_of(session).filter(person__in=list(people)))
    if not invitations:
        return 0
    session.sequence += 1
    session.save(update_fields=["sequence"])
    for invitation in invitations:
        if invitation.sent_sequence is not None:
            _send(invitation, method=invites.CANCEL, session=session)
        invitation.delete()
    names = ", ".join(sorted(i.person.user.name for i in invitations))
    _audit(session, actor, AuditAction.CHANGED, {"uninvited": (names, None)})
    return len(invitations)


@transaction.atomic
def answer_invitation(*, invitation: Invitation, answer: str, actor: User | None = None) -> bool:
    """The invitee answers "I'll attend" or "I can't" (and may change their mind until the
    session starts). Returns whether the answer changed. Side effects: an audit entry."""
    if answer not in ANSWERS:
        raise ValidationError({"answer": _("Answer that you will attend or that you cannot.")})
    session = invitation.session
    _check_open(session)
    if session.ends_at <= timezone.now():
        raise ValidationError(_("This session is over; it can no longer be answered."))
    if invitation.answer == answer:
        return False
    before = invitation.answer
    invitation.answer, invitation.answered_at = answer, timezone.now()
    invitation.save(update_fields=["answer", "answered_at"])
    record_audit(
        workspace=session.workspace,
        actor=actor,
        action=AuditAction.CHANGED,
        obj=session,
        changes={"answer": (f"{invitation.person}: {before}", f"{invitation.person}: {answer}")},
    )
    return True


# After the session -----------------------------------------------------------------------------


@transaction.atomic
def record_attendance(*, session: FollowUpSession, attended: dict[int, bool | None], actor: User | None) -> int:
    """Mark who came (``True``), who did not (``False``), or clear it (``None``), by person id,
    once the session has started. Returns how many marks changed. Side effects: an audit entry."""
    _check_open(session)
    if session.starts_at > timezone.now():
        raise ValidationError(_("Attendance can be recorded once the session has started."))
    invitations = {i.person_id: i for i in invitations_of(session)}
    if any(person_id not in invitations for person_id in attended):
        raise ValidationError({"attended": _("Mark attendance only for people invited to this session.")})
    changed = []
    for person_id, value in attended.items():
        invitation = invitations[person_id]
        if invitation.attended != value:
            invitation.attended = value
            changed.append(invitation)
    Invitation.objects.bulk_update(changed, ["attended"])
    if changed:
        present = sum(1 for i in invitations.values() if i.attended)
        _audit(session, actor, AuditAction.CHANGED, {"attended": (None, present)})
        attendance_recorded.send(sender=FollowUpSession, session=session)
    return len(changed)


@transaction.atomic
def save_notes(
    *, session: FollowUpSession, successes: str, obstacles: str, next_steps: str, actor: User | None
) -> dict:
    """The session's notes: successes, obstacles and the agreed next steps. Returns what changed.
    Side effects: an audit entry naming the changed fields (not their text)."""
    values = {"successes": successes, "obstacles": obstacles, "next_steps": next_steps}
    changed = apply_changes(session, {k: (v or "").strip() for k, v in values.items()})
    if changed:
        session.save(update_fields=list(changed))
        _audit(session, actor, AuditAction.CHANGED, dict.fromkeys(changed, (None, "…")))
    return changed


@transaction.atomic
def add_agreed_step(
    *,
    session: FollowUpSession,
    person: Person,
    title: str,
    due_on: datetime.date | None,
    actor: User | None,
    author: Person | None = None,
) -> ActionTask:
    """Add a next step agreed in the session to that participant's action plan (a draft plan is
    opened for them when they have none yet). The session page lists these steps.

    Side effects: the plan task (and the plan) with their audit entries, an audit entry on the
    session."""
    if not session.invitations.filter(person=person).exists():
        raise ValidationError({"person": _("Choose someone invited to this session.")})
    enrolment = Enrolment.objects.get(cohort_id=session.cohort_id, person=person)
    plan = ActionPlan.objects.filter(enrolment=enrolment).first()
    if plan is None:
        plan = plans.open_plan(enrolment=enrolment, actor=actor, opened_by=author)
    task = plans.add_task(plan=plan, actor=actor, title=title, due_on=due_on, author=author)
    session.agreed_steps.add(task)
    _audit(session, actor, AuditAction.CHANGED, {"agreed_step": (None, str(task.uuid))})
    return task


# One-click answers -----------------------------------------------------------------------------


def invitation_from_target(target: str, person: Person) -> tuple[Invitation | None, str]:
    """The invitation and answer a CONFIRM_ATTENDANCE link names (``<uuid>:<answer>``), if the
    invitation is the link's person's."""
    raw, _sep, answer = (target or "").partition(":")
    try:
        uuid = UUID(raw)
    except ValueError:
        return None, ""
    invitation = (
        Invitation.objects.filter(uuid=uuid, person=person).select_related("session__cohort", "person__user").first()
    )
    return invitation, answer
