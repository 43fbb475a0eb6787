"""Answering surveys over JSON: the caller's surveys, a survey's form, sending the answers.

Answering is a personal act of a signed-in person: an API key (which is nobody) may not list
"my" surveys, read a form or answer. A survey named in the path is looked up in the caller's
workspace (else 404); then the rule decides (403: not a recipient). The answer of an anonymous
survey gets its ballot given out and used in the same call, so no ballot ever leaves the server;
a person whose ballot was given out to a browser answers there (409 here). No response of a
confidential or anonymous survey is ever returned with a person or an identifier.
"""

import datetime
from uuid import UUID

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status

from takeroot.core.api_support import READ_ERRORS, WRITE_ERRORS, api_workspace, is_api_key, require_api_perm
from takeroot.core.schemas import ErrorOut, InputSchema

from ..answer_forms import point_labels
from ..enums import Anonymity, RaterGroup, SurveyQuestionKind
from ..models import Recipient, Survey, text_in
from ..responding import (
    Refusal,
    SubmitRefused,
    is_open,
    issue_ballot,
    points_of,
    questions_for,
    submit,
    surveys_of,
)
from ..views.respond import anonymity_sentence, held_ballots, role_sentence

router = Router()

CONFLICT = {409: ErrorOut}


class MySurveyOut(Schema):
    id: UUID
    title: str
    anonymity: Anonymity
    closes_at: datetime.datetime
    about: str | None = Field(description="The name of the person a 360° or a behaviour follow-up is about")
    rater_group: RaterGroup
    status: str = Field(
        description='"open" (waiting for your answer), "answered" (named and confidential surveys), '
        '"ballot_taken" (anonymous: your ballot was given out; whether it was used is not kept with your name)'
    )


class MySurveysOut(Schema):
    pending: list[MySurveyOut]
    answered: list[MySurveyOut]


class FormQuestionOut(Schema):
    id: UUID
    kind: SurveyQuestionKind
    required: bool
    language: str = Field(description="The language of the texts: yours when the question has it")
    prompt: str
    options: list[str] = Field(description="Single and multiple choice: answer with the indexes (from 0)")
    rows: list[str] = Field(description="Matrix: the statements, each answered with one point")
    points: list[int] = Field(description="The points of a scale or of each matrix row")
    point_labels: list[str] = Field(description="The label of each point")


class FormOut(Schema):
    id: UUID
    title: str
    introduction: str
    anonymity: Anonymity
    anonymity_explained: str
    closes_at: datetime.datetime
    open: bool = Field(description="Whether it takes answers now (false: a draft, closed, or past its closing date)")
    about: str | None
    rater_group: RaterGroup
    role: str = Field(description="For a survey about someone: the role you answer in")
    questions: list[FormQuestionOut]


class ResponseIn(InputSchema):
    answers: dict[str, int | str | list[int | None] | None] = Field(
        description="Question id → a point or an option's index (scales, single choice), a list of indexes "
        "(multiple choice), a list of points in row order, null for a row left out (matrix), text (free text). "
        "Leave out the questions you skip."
    )


class ResponseOut(Schema):
    survey: UUID
    anonymity: Anonymity
    detail: str


def _person(request):
    """The signed-in person answering; an API key is nobody."""
    if is_api_key(request) or request.person is None:
        raise PermissionDenied
    return request.person


def _survey(request, survey_id: UUID) -> tuple[Survey, Recipient]:
    me = _person(request)
    found = Survey.objects.filter(workspace=api_workspace(request), uuid=survey_id).select_related("subject__user")
    survey = found.first()
    if survey is None:
        raise Http404
    require_api_perm(request, "surveys.respond", survey)
    return survey, Recipient.objects.get(survey=survey, person=me)


def _about(survey: Survey) -> str | None:
    return survey.subject.user.name if survey.subject_id else None


def _mine_out(mine) -> dict:
    survey = mine.survey
    return {
        "id": survey.uuid,
        "title": survey.title,
        "anonymity": survey.anonymity,
        "closes_at": survey.closes_at,
        "about": _about(survey),
        "rater_group": mine.recipient.rater_group,
        "status": mine.status,
    }


@router.get(
    "surveys/mine",
    response={200: MySurveysOut, **READ_ERRORS},
    summary="Your surveys (a signed-in person): open ones waiting for you, and the ones answered",
)
def my_surveys(request):
    me = _person(request)
    require_api_perm(request, "surveys.view_surveys", api_workspace(request))
    now = timezone.now()
    found = surveys_of(me, now, held_ballots(request, me))
    return {
        "pending": [_mine_out(m) for m in found if m.status == "open" and is_open(m.survey, now)],
        "answered": [_mine_out(m) for m in found if m.status != "open"],
    }


@router.get(
    "surveys/{survey_id}/form",
    response={200: FormOut, **READ_ERRORS},
    summary="A survey's questions for you (a recipient), in your language",
)
def survey_form(request, survey_id: UUID):
    survey, recipient = _survey(request, survey_id)
    language = translation.get_language()
    questions = []
    for question in questions_for(survey, recipient.rater_group, language=language):
        scale = question.kind not in (SurveyQuestionKind.SINGLE, SurveyQuestionKind.MULTIPLE, SurveyQuestionKind.TEXT)
        questions.append(
            {
                "id": question.uuid,
                "kind": question.kind,
                "required": question.required,
                "language": question.text_language,
                "prompt": question.text.get("prompt", ""),
                "options": question.text.get("options", []) if not scale else [],
                "rows": question.text.get("rows", []) if question.kind == SurveyQuestionKind.MATRIX else [],
                "points": points_of(question) if scale else [],
                "point_labels": [label for _value, label in point_labels(question, question.text)] if scale else [],
            }
        )
    return {
        "id": survey.uuid,
        "title": survey.title,
        "introduction": text_in(survey.instrument.content, language).get("introduction", ""),
        "anonymity": survey.anonymity,
        "anonymity_explained": anonymity_sentence(survey.anonymity),
        "closes_at": survey.closes_at,
        "open": is_open(survey, timezone.now()),
        "about": _about(survey),
        "rater_group": recipient.rater_group,
        "role": role_sentence(recipient) if survey.subject_id else "",
        "questions": questions,
    }


@router.post(
    "surveys/{survey_id}/responses",
    response={201: ResponseOut, **WRITE_ERRORS, **CONFLICT},
    summary="Answer a survey (a recipient), once: 201 received, 400 answers to correct (per question id), "
    "409 answered already or closed",
)
def create_response(request, survey_id: UUID, payload: ResponseIn):
    survey, recipient = _survey(request, survey_id)
    try:
        with transaction.atomic():
            # Anonymous: the ballot is given out and used in this call; refused answers give none out.
            ballot = None
            if survey.anonymity == Anonymity.ANONYMOUS and is_open(survey, timezone.now()):
                ballot = issue_ballot(survey, recipient.person)
            submit(survey=survey, person=recipient.person, answers=payload.answers, ballot=ballot, now=timezone.now())
    except SubmitRefused as refused:
        if refused.reason == Refusal.NOT_RECIPIENT:
            raise PermissionDenied from refused
        return Status(409, {"detail": refused.message, "errors": {"__all__": [refused.message]}})
    return Status(201, {"survey": survey.uuid, "anonymity": survey.anonymity, "detail": _received(survey.anonymity)})


def _received(anonymity: str) -> str:
    if anonymity == Anonymity.ANONYMOUS:
        return _("Your answers are in. Nothing links them to you.")
    if anonymity == Anonymity.CONFIDENTIAL:
        return _("Your answers are in, kept without your name.")
    return _("Your answers are in.")
