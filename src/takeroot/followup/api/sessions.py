"""Follow-up sessions over JSON. Same queries, rules and services as the pages.

A session named in the path is looked up among those the caller may see (else 404); then the rule
decides (403). An API key sees every session of its workspace with ``followup:read`` and schedules,
changes, cancels, invites and records with ``followup:write``. Answering an invitation belongs to
the invited person, signed in: keys get 403 there.
"""

import datetime
from uuid import UUID

from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from takeroot.core.api_support import READ_ERRORS, WRITE_ERRORS, api_actor, api_workspace, is_api_key, require_api_perm
from takeroot.core.enums import ApiScope
from takeroot.core.models import Person
from takeroot.core.pagination import Pages
from takeroot.core.queries import membership
from takeroot.core.rules import API_KEY_SCOPES
from takeroot.core.schemas import InputSchema
from takeroot.programmes.queries import cohorts_for_user, cohorts_for_workspace
from takeroot.programmes.schemas import Moment, Text

from .. import sessions as services
from ..enums import Rsvp
from ..models import FollowUpSession, Invitation

router = Router()

API_KEY_SCOPES.update(
    {
        "followup.view_sessions": ApiScope.FOLLOWUP_READ,
        "followup.view_session": ApiScope.FOLLOWUP_READ,
        "followup.schedule_session": ApiScope.FOLLOWUP_WRITE,
        "followup.run_session": ApiScope.FOLLOWUP_WRITE,
    }
)

Title = Field(min_length=1, max_length=200)


# Shapes ----------------------------------------------------------------------------------------


class SessionOut(Schema):
    id: UUID
    cohort: UUID
    title: str
    starts_at: datetime.datetime
    ends_at: datetime.datetime
    place: str
    online_link: str
    agenda: str
    sequence: int = Field(description="The calendar SEQUENCE: raised on every change the invitees' calendars see")
    cancelled_at: datetime.datetime | None
    successes: str
    obstacles: str
    next_steps: str
    invited: int
    attending: int
    declined: int


class SessionFilters(Schema):
    cohort: UUID | None = None
    upcoming: bool | None = Field(None, description="Only sessions not cancelled that have not ended yet")


class SessionIn(InputSchema):
    cohort: UUID
    title: Text = Title
    starts_at: Moment
    ends_at: Moment
    place: Text = Field("", max_length=300)
    online_link: Text = Field("", max_length=200)
    agenda: Text = Field("", max_length=10_000)
    people: list[UUID] = Field(
        default_factory=list, description="Participants of the cohort to invite; empty: everyone enrolled"
    )


class SessionPatch(InputSchema):
    title: Text = Field(None, min_length=1, max_length=200)
    starts_at: Moment = None
    ends_at: Moment = None
    place: Text = Field(None, max_length=300)
    online_link: Text = Field(None, max_length=200)
    agenda: Text = Field(None, max_length=10_000)


class InvitationOut(Schema):
    person: UUID
    name: str
    answer: Rsvp
    answered_at: datetime.datetime | None
    attended: bool | None
    sent_sequence: int | None = Field(description="The SEQUENCE the person's calendar last received")


class PeopleIn(InputSchema):
    people: list[UUID] = Field(min_length=1)


class AnswerIn(InputSchema):
    answer: Rsvp


class AttendanceIn(InputSchema):
    attended: dict[UUID, bool | None] = Field(description="Per invited person: attended, absent, or null to clear")


class NotesIn(InputSchema):
    successes: Text = Field("", max_length=10_000)
    obstacles: Text = Field("", max_length=10_000)
    next_steps: Text = Field("", max_length=10_000)


# Helpers ---------------------------------------------------------------------------------------


def _visible(request, workspace):
    if is_api_key(request):
        return services.sessions_for_workspace(workspace)
    return services.sessions_for_user(request.user, workspace=workspace)


def _session(request, session_id: UUID, perm: str = "followup.view_session") -> FollowUpSession:
    session = _visible(request, api_workspace(request)).filter(uuid=session_id).first()
    if session is None:
        raise Http404
    require_api_perm(request, perm, session)
    return session


def _session_out(session: FollowUpSession) -> dict:
    answers = [i.answer for i in session.invitations.all()]
    return {
        "id": session.uuid,
        "cohort": session.cohort.uuid,
        "title": session.title,
        "starts_at": session.starts_at,
        "ends_at": session.ends_at,
        "place": session.place,
        "online_link": session.online_link,
        "agenda": session.agenda,
        "sequence": session.sequence,
        "cancelled_at": session.cancelled_at,
        "successes": session.successes,
        "obstacles": session.obstacles,
        "next_steps": session.next_steps,
        "invited": len(answers),
        "attending": answers.count(Rsvp.ATTENDING),
        "declined": answers.count(Rsvp.DECLINED),
    }


def _invitation_out(invitation: Invitation) -> dict:
    return {
        "person": invitation.person.uuid,
        "name": invitation.person.user.name,
        "answer": invitation.answer,
        "answered_at": invitation.answered_at,
        "attended": invitation.attended,
        "sent_sequence": invitation.sent_sequence,
    }


def _people(workspace, uuids: list[UUID]) -> list[Person]:
    people = list(Person.objects.filter(workspace=workspace, uuid__in=uuids).select_related("user"))
    if len(people) != len(set(uuids)):
        raise ValidationError({"people": [_("There is nobody with this id in the workspace.")]})
    return people


def _reload(request, session: FollowUpSession) -> FollowUpSession:
    return _visible(request, session.workspace).prefetch_related("invitations").get(pk=session.pk)


# Endpoints -------------------------------------------------------------------------------------


@router.get(
    "followup-sessions",
    response={200: list[SessionOut], **READ_ERRORS},
    summary="List the follow-up sessions you may see, soonest first",
)
@paginate(Pages, page_size=50)
def list_sessions(request, filters: Query[SessionFilters]):
    workspace = api_workspace(request)
    require_api_perm(request, "followup.view_sessions", workspace)
    sessions = _visible(request, workspace).select_related("cohort").prefetch_related("invitations")
    if filters.cohort:
        sessions = sessions.filter(cohort__uuid=filters.cohort)
    if filters.upcoming:
        sessions = sessions.filter(cancelled_at__isnull=True, ends_at__gt=datetime.datetime.now(datetime.UTC))
    return [_session_out(session) for session in sessions.order_by("starts_at", "pk")]


@router.post(
    "followup-sessions",
    response={201: SessionOut, **WRITE_ERRORS},
    summary="Schedule a follow-up session for a cohort or a group of its participants and invite them",
)
def schedule_session(request, payload: SessionIn):
    workspace = api_workspace(request)
    cohorts = (
        cohorts_for_workspace(workspace) if is_api_key(request) else cohorts_for_user(request.user, workspace=workspace)
    )
    cohort = cohorts.filter(uuid=payload.cohort).first()
    if cohort is None:
        raise ValidationError({"cohort": [_("There is no such cohort in this workspace.")]})
    require_api_perm(request, "followup.schedule_session", cohort)
    session = services.schedule_session(
        cohort=cohort,
        actor=api_actor(request),
        created_by=None if is_api_key(request) else membership(request.user, workspace),
        title=payload.title,
        starts_at=payload.starts_at,
        ends_at=payload.ends_at,
        place=payload.place,
        online_link=payload.online_link,
        agenda=payload.agenda,
        people=_people(workspace, payload.people),
    )
    return Status(201, _session_out(_reload(request, session)))


@router.get("followup-sessions/{session_id}", response={200: SessionOut, **READ_ERRORS}, summary="Read a session")
def read_session(request, session_id: UUID):
    return _session_out(_session(request, session_id))


@router.patch(
    "followup-sessions/{session_id}",
    response={200: SessionOut, **WRITE_ERRORS},
    summary="Change a session; a new time, place, link or title sends the invitees an updated invitation",
)
def update_session(request, session_id: UUID, payload: SessionPatch):
    session = _session(request, session_id, "followup.run_session")
    services.update_session(session=session, actor=api_actor(request), **payload.dict(exclude_none=True))
    return _session_out(_reload(request, session))


@router.delete(
    "followup-sessions/{session_id}",
    response={200: SessionOut, **WRITE_ERRORS},
    summary="Cancel a session: it stays, marked cancelled, and the invitees get a calendar cancellation",
)
def cancel_session(request, session_id: UUID):
    session = _session(request, session_id, "followup.run_session")
    services.cancel_session(session=session, actor=api_actor(request))
    return _session_out(_reload(request, session))


@router.get(
    "followup-sessions/{session_id}/invitations",
    response={200: list[InvitationOut], **READ_ERRORS},
    summary="Who is invited, their answers and attendance (trainers of the cohort and admins)",
)
def list_invitations(request, session_id: UUID):
    session = _session(request, session_id, "followup.run_session")
    return [_invitation_out(i) for i in services.invitations_of(session)]


@router.post(
    "followup-sessions/{session_id}/invitations",
    response={201: list[InvitationOut], **WRITE_ERRORS},
    summary="Invite more participants of the cohort; answers the new invitations",
)
def invite_people(request, session_id: UUID, payload: PeopleIn):
    session = _session(request, session_id, "followup.run_session")
    people = _people(session.workspace, payload.people)
    created = services.invite_people(session=session, people=people, actor=api_actor(request))
    return Status(201, [_invitation_out(i) for i in created])


@router.post(
    "followup-sessions/{session_id}/answer",
    response={200: InvitationOut, **WRITE_ERRORS},
    summary="Answer your invitation: attending or declined (the invited person, signed in)",
)
def answer_invitation(request, session_id: UUID, payload: AnswerIn):
    session = _session(request, session_id, "followup.answer_invitation")
    invitation = services.my_invitation(session, membership(request.user, session.workspace))
    services.answer_invitation(invitation=invitation, answer=payload.answer, actor=api_actor(request))
    return _invitation_out(invitation)


@router.put(
    "followup-sessions/{session_id}/attendance",
    response={200: list[InvitationOut], **WRITE_ERRORS},
    summary="Record who attended, once the session has started",
)
def record_attendance(request, session_id: UUID, payload: AttendanceIn):
    session = _session(request, session_id, "followup.run_session")
    invited = {i.person.uuid: i.person_id for i in services.invitations_of(session)}
    unknown = [str(uuid) for uuid in payload.attended if uuid not in invited]
    if unknown:
        raise ValidationError({"attended": [_("Mark attendance only for people invited to this session.")]})
    marks = {invited[uuid]: value for uuid, value in payload.attended.items()}
    services.record_attendance(session=session, attended=marks, actor=api_actor(request))
    return [_invitation_out(i) for i in services.invitations_of(session)]


@router.put(
    "followup-sessions/{session_id}/notes",
    response={200: SessionOut, **WRITE_ERRORS},
    summary="Save the session's notes: successes, obstacles and agreed next steps",
)
def save_notes(request, session_id: UUID, payload: NotesIn):
    session = _session(request, session_id, "followup.run_session")
    services.save_notes(session=session, actor=api_actor(request), **payload.dict())
    return _session_out(_reload(request, session))
