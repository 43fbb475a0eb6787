"""Sending surveys over JSON: list, read and create surveys, add people, open, remind, close and
move the closing date. The same services and checks as the pages (``distribution``).

A survey named in the path is looked up in the caller's workspace (else 404); then the rule
decides (403): admins, whoever created the survey and its cohort's trainers, or an API key with
``surveys:read`` (reading) or ``surveys:write`` (the rest). A questionnaire, cohort or person named
in a body that is unknown answers 400. The people asked are listed with an "answered" state only
for named surveys: for confidential and anonymous ones it is not exposed (anonymous ones do not
even keep it).
"""

import datetime
from uuid import UUID

from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status
from ninja.pagination import paginate
from pydantic import field_validator

from takeroot.core.api_support import (
    READ_ERRORS,
    WRITE_ERRORS,
    api_actor,
    api_workspace,
    is_api_key,
    require_api_perm,
)
from takeroot.core.pagination import Pages
from takeroot.core.queries import workspace_people
from takeroot.core.rules import API_KEY_SCOPES
from takeroot.core.schemas import InputSchema
from takeroot.programmes.queries import cohorts_for_workspace

from .. import distribution
from ..enums import Anonymity, RaterGroup, SurveyState
from ..models import Instrument, Survey

router = Router(tags=["Surveys: sending"])

API_KEY_SCOPES.update(
    {
        "surveys.list_surveys": "surveys:read",
        "surveys.view_survey": "surveys:read",
        "surveys.send_surveys": "surveys:write",
        "surveys.manage_survey": "surveys:write",
    }
)

LIST = "surveys.list_surveys"
VIEW = "surveys.view_survey"
SEND = "surveys.send_surveys"
MANAGE = "surveys.manage_survey"


def _aware(value: datetime.datetime | None) -> datetime.datetime | None:
    if value is not None and value.tzinfo is None:
        raise ValueError("Give the time with its time zone, e.g. 2026-10-19T17:00:00+02:00.")
    return value


class RecipientIn(Schema):
    person: UUID
    rater_group: RaterGroup = RaterGroup.PARTICIPANT


class SurveyIn(InputSchema):
    instrument: UUID
    title: str = Field("", max_length=200, description="Empty: the questionnaire's title")
    anonymity: Anonymity | None = Field(None, description="Empty: the questionnaire's own anonymity")
    closes_at: datetime.datetime
    remind_every_days: int | None = Field(3, ge=1, le=30, description="null: no automatic reminders")
    cohort: UUID | None = Field(None, description="Ask this cohort's participants")
    subject: UUID | None = Field(
        None, description="A 360° or behaviour follow-up about this person: they, their manager and reports are asked"
    )
    peers: list[UUID] = Field(default_factory=list, description="With a subject: the peers asked")
    recipients: list[RecipientIn] = Field(default_factory=list, description="More people asked, each in a group")

    check_closes_at = field_validator("closes_at")(_aware)


class RecipientsIn(InputSchema):
    recipients: list[RecipientIn] = Field(min_length=1)


class ClosingDateIn(InputSchema):
    closes_at: datetime.datetime

    check_closes_at = field_validator("closes_at")(_aware)


class SurveyOut(Schema):
    id: UUID
    title: str
    instrument: UUID
    instrument_title: str
    cohort: UUID | None
    cohort_name: str | None
    subject: UUID | None
    subject_name: str | None
    from_followup: bool
    anonymity: Anonymity
    state: SurveyState
    closes_at: datetime.datetime
    remind_every_days: int | None
    opened_at: datetime.datetime | None
    closed_at: datetime.datetime | None
    recipient_count: int
    response_count: int


class RaterGroupOut(Schema):
    rater_group: RaterGroup
    recipients: int
    responses: int | None = Field(
        description="null: held back, because a group too small would show whether its people answered"
    )


class RecipientOut(Schema):
    person: UUID
    name: str
    rater_group: RaterGroup
    invited: bool
    answered: bool | None = Field(description="Named surveys only; null for confidential and anonymous ones")


class SurveyDetailOut(SurveyOut):
    groups: list[RaterGroupOut]
    recipients: list[RecipientOut]


class SentOut(Schema):
    sent: int


class AddedOut(Schema):
    added: int


# Lookups and shapes ----------------------------------------------------------------------------


def _survey(request, survey_id: UUID, perm: str) -> Survey:
    workspace = api_workspace(request)
    survey = distribution.surveys_for_workspace(workspace).filter(uuid=survey_id).first()
    if survey is None:
        raise Http404
    require_api_perm(request, perm, survey)
    return survey


def _out(survey: Survey, counts: tuple[int, int] | None = None) -> dict:
    if counts is None:
        found = distribution.with_counts(Survey.objects.filter(pk=survey.pk)).values_list(
            "recipient_count", "response_count"
        )[0]
        counts = (found[0], found[1])
    return {
        "id": survey.uuid,
        "title": survey.title,
        "instrument": survey.instrument.uuid,
        "instrument_title": survey.instrument.title,
        "cohort": survey.cohort.uuid if survey.cohort_id else None,
        "cohort_name": survey.cohort.name if survey.cohort_id else None,
        "subject": survey.subject.uuid if survey.subject_id else None,
        "subject_name": survey.subject.user.name if survey.subject_id else None,
        "from_followup": survey.step_id is not None,
        "anonymity": survey.anonymity,
        "state": survey.state,
        "closes_at": survey.closes_at,
        "remind_every_days": survey.remind_every_days,
        "opened_at": survey.opened_at,
        "closed_at": survey.closed_at,
        "recipient_count": counts[0],
        "response_count": counts[1],
    }


def _detail_out(survey: Survey) -> dict:
    groups, _held = distribution.group_counts(survey)
    named = survey.anonymity == Anonymity.NAMED
    return _out(survey) | {
        "groups": [
            {"rater_group": g.rater_group, "recipients": g.recipients, "responses": g.responses} for g in groups
        ],
        "recipients": [
            {
                "person": r.person.uuid,
                "name": r.person.user.name,
                "rater_group": r.rater_group,
                "invited": r.invited_at is not None,
                "answered": r.has_answered if named else None,
            }
            for r in distribution.recipients_of(survey)
        ],
    }


def _people(workspace, ids: list[UUID], field: str) -> dict:
    found = {p.uuid: p for p in workspace_people(workspace).filter(uuid__in=ids)}
    missing = [str(i) for i in ids if i not in found]
    if missing:
        raise ValidationError({field: [_("There is no such person in this workspace: %s.") % ", ".join(missing)]})
    return found


def _recipients(workspace, items: list[RecipientIn], field: str = "recipients") -> list:
    people = _people(workspace, [item.person for item in items], field)
    return [(people[item.person], str(item.rater_group)) for item in items]


# Surveys ---------------------------------------------------------------------------------------


@router.get(
    "surveys",
    response={200: list[SurveyOut], **READ_ERRORS},
    summary="The surveys you may manage, newest first, with answers out of people asked",
)
@paginate(Pages, page_size=50)
def list_surveys(request):
    workspace = api_workspace(request)
    require_api_perm(request, LIST, workspace)
    if is_api_key(request):
        found = distribution.surveys_for_workspace(workspace)
    else:
        found = distribution.surveys_for_user(request.user, workspace=workspace)
    return [_out(s, (s.recipient_count, s.response_count)) for s in distribution.with_counts(found)]


@router.post(
    "surveys",
    response={201: SurveyDetailOut, **WRITE_ERRORS},
    summary="Create a draft survey: to a cohort, about one person (360°, behaviour) or to people named",
)
def create_survey(request, payload: SurveyIn):
    workspace = api_workspace(request)
    require_api_perm(request, SEND, workspace)
    instrument = Instrument.objects.filter(workspace=workspace, uuid=payload.instrument).first()
    if instrument is None:
        raise ValidationError({"instrument": [_("There is no such questionnaire in this workspace.")]})
    cohort = subject = None
    if payload.cohort is not None:
        cohort = cohorts_for_workspace(workspace).filter(uuid=payload.cohort).first()
        if cohort is None:
            raise ValidationError({"cohort": [_("There is no such cohort in this workspace.")]})
    if payload.subject is not None:
        subject = _people(workspace, [payload.subject], "subject")[payload.subject]
    extra = _recipients(workspace, payload.recipients)
    if subject is not None:
        peers = _people(workspace, payload.peers, "peers")
        recipients = distribution.subject_recipients(subject, peers=[peers[i] for i in payload.peers]) + extra
    elif cohort is not None:
        recipients = distribution.cohort_recipients(cohort) + extra
    else:
        recipients = extra
    survey = distribution.create_survey(
        instrument=instrument,
        actor=api_actor(request),
        title=payload.title or instrument.title,
        anonymity=payload.anonymity or instrument.anonymity,
        closes_at=payload.closes_at,
        remind_every_days=payload.remind_every_days,
        cohort=cohort,
        subject=subject,
        recipients=recipients,
    )
    return Status(201, _detail_out(survey))


@router.get(
    "surveys/{survey_id}",
    response={200: SurveyDetailOut, **READ_ERRORS},
    summary="A survey with its answers per rater group and the people asked (who answered: named surveys only)",
)
def read_survey(request, survey_id: UUID):
    return _detail_out(_survey(request, survey_id, VIEW))


@router.post(
    "surveys/{survey_id}/recipients",
    response={200: AddedOut, **WRITE_ERRORS},
    summary="Ask more people (an open survey invites them at once)",
)
def add_recipients(request, survey_id: UUID, payload: RecipientsIn):
    survey = _survey(request, survey_id, MANAGE)
    added = distribution.add_recipients(
        survey, _recipients(survey.workspace, payload.recipients), actor=api_actor(request)
    )
    return {"added": len(added)}


@router.post(
    "surveys/{survey_id}/open",
    response={200: SentOut, **WRITE_ERRORS},
    summary="Open a draft survey and mail each person asked their invitation",
)
def open_survey(request, survey_id: UUID):
    survey = _survey(request, survey_id, MANAGE)
    return {"sent": distribution.open_survey(survey=survey, actor=api_actor(request))}


@router.post(
    "surveys/{survey_id}/remind",
    response={200: SentOut, **WRITE_ERRORS},
    summary="Remind those who have not answered (each at most every reminder interval, a day at least)",
)
def remind_survey(request, survey_id: UUID):
    survey = _survey(request, survey_id, MANAGE)
    if survey.state != SurveyState.OPEN or survey.closes_at <= timezone.now():
        raise ValidationError(_("Only an open survey sends reminders."))
    return {"sent": distribution.remind(survey=survey, actor=api_actor(request))}


@router.post(
    "surveys/{survey_id}/close",
    response={200: SurveyOut, **WRITE_ERRORS},
    summary="Close an open survey: it takes no more answers",
)
def close_survey(request, survey_id: UUID):
    survey = _survey(request, survey_id, MANAGE)
    distribution.close_survey(survey=survey, actor=api_actor(request))
    return _out(survey)


@router.post(
    "surveys/{survey_id}/closing-date",
    response={200: SurveyOut, **WRITE_ERRORS},
    summary="Move the closing date; a closed survey opens again until then",
)
def change_closing_date(request, survey_id: UUID, payload: ClosingDateIn):
    survey = _survey(request, survey_id, MANAGE)
    if survey.state == SurveyState.CLOSED:
        distribution.reopen_survey(survey=survey, actor=api_actor(request), closes_at=payload.closes_at)
    else:
        distribution.extend_survey(survey=survey, actor=api_actor(request), closes_at=payload.closes_at)
    return _out(survey)
