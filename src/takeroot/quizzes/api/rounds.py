"""Quiz rounds and answers over JSON. Same queries, rules and engine as the pages.

A round or round question named in the path is looked up in the caller's workspace (else 404);
then the rule decides (403). Participants list, start and answer their own rounds and see their
answers with the right answer and the explanation; admins and the cohort's trainers may read an
enrolment's rounds. Answering is a personal act: nobody answers for someone else, and an API key
(which is nobody) cannot answer or start a round. A question's right answer is only shown once it
is answered.
"""

import datetime
from decimal import Decimal
from typing import Annotated
from uuid import UUID

from django.http import Http404
from django.utils import timezone, translation
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from takeroot.core.api_support import READ_ERRORS, WRITE_ERRORS, api_workspace, is_api_key, require_api_perm
from takeroot.core.pagination import Pages
from takeroot.core.queries import membership
from takeroot.core.rules import API_KEY_SCOPES
from takeroot.core.schemas import InputSchema
from takeroot.programmes.models import Enrolment

from .. import services
from ..enums import CHOICE_KINDS, AnswerChannel, Confidence, QuestionKind
from ..models import Answer, QuizRound, RoundItem
from ..rounds import ITEM_RELATED, rounds_of, rounds_of_person, rounds_of_workspace, start_round_now

router = Router()

API_KEY_SCOPES.update({"quizzes.view_quizzes": "quizzes:read", "quizzes.view_answers": "quizzes:read"})


class QuestionOut(Schema):
    id: UUID
    kind: QuestionKind
    language: str = Field(description="The language of the texts: the reader's when the question has it")
    prompt: str
    options: list[str] = Field(description="Empty for a numeric question; answer with the indexes (from 0)")


class AnswerOut(Schema):
    id: UUID
    choices: list[int]
    number: Decimal | None
    correct: bool
    confidence: Confidence | None
    channel: AnswerChannel
    answered_at: datetime.datetime
    right_choices: list[int] = Field(description="The right options' indexes (choice questions)")
    right_number: Decimal | None = Field(description="The right number (numeric questions)")
    tolerance: Decimal | None
    explanation: str


class ItemOut(Schema):
    id: UUID
    position: int
    question: QuestionOut
    answer: AnswerOut | None


class RoundOut(Schema):
    id: UUID
    enrolment: UUID
    number: int = Field(description="The enrolment's 1st, 2nd… round")
    created_at: datetime.datetime
    from_mail: bool = Field(description="Sent by a touchpoint of the follow-up design (else started on the web)")
    complete: bool
    items: list[ItemOut]


class RoundFilters(Schema):
    enrolment: UUID | None = Field(None, description="An enrolment you may see the answers of (trainers, admins)")


class AnswerIn(InputSchema):
    choices: list[Annotated[int, Field(ge=0, le=50)]] | None = Field(
        None, max_length=8, description="The chosen options' indexes (from 0); choice questions"
    )
    number: Decimal | None = Field(None, description="The answer of a numeric question")
    confidence: Confidence | None = Field(None, description="How sure: sure, think_so or guessing")


def _language() -> str:
    return translation.get_language()


def _answer_out(answer: Answer, language: str) -> dict:
    question = answer.question
    numeric = question.kind not in CHOICE_KINDS
    return {
        "id": answer.uuid,
        "choices": answer.choices,
        "number": answer.number,
        "correct": answer.correct,
        "confidence": answer.confidence or None,
        "channel": answer.channel,
        "answered_at": answer.answered_at,
        "right_choices": [] if numeric else question.correct,
        "right_number": question.number if numeric else None,
        "tolerance": question.tolerance if numeric else None,
        "explanation": question.text_for(language).get("explanation", ""),
    }


def _item_out(item: RoundItem, language: str) -> dict:
    question = item.question
    text = question.text_for(language)
    answer = getattr(item, "answer", None)
    return {
        "id": item.uuid,
        "position": item.position,
        "question": {
            "id": question.uuid,
            "kind": question.kind,
            "language": question.language_for(language),
            "prompt": text.get("prompt", ""),
            "options": text.get("options", []) if question.kind in CHOICE_KINDS else [],
        },
        "answer": _answer_out(answer, language) if answer is not None else None,
    }


def _round_out(quiz_round: QuizRound) -> dict:
    language = _language()
    items = list(quiz_round.items.all())
    return {
        "id": quiz_round.uuid,
        "enrolment": quiz_round.enrolment.uuid,
        "number": quiz_round.number,
        "created_at": quiz_round.created_at,
        "from_mail": quiz_round.touchpoint_id is not None,
        "complete": all(getattr(item, "answer", None) is not None for item in items),
        "items": [_item_out(item, language) for item in items],
    }


def _enrolment(request, enrolment_id: UUID) -> Enrolment:
    enrolment = Enrolment.objects.filter(workspace=api_workspace(request), uuid=enrolment_id).first()
    if enrolment is None:
        raise Http404
    return enrolment


def _round(request, round_id: UUID) -> QuizRound:
    workspace = api_workspace(request)
    quiz_round = rounds_of(Enrolment.objects.filter(workspace=workspace)).filter(uuid=round_id).first()
    if quiz_round is None:
        raise Http404
    require_api_perm(request, "quizzes.view_answers", quiz_round.enrolment)
    return quiz_round


@router.get(
    "quizzes/rounds",
    response={200: list[RoundOut], **READ_ERRORS},
    summary="Your quiz rounds, latest first; trainers and admins may ask for an enrolment's",
)
@paginate(Pages, page_size=50)
def list_rounds(request, filters: Query[RoundFilters]):
    workspace = api_workspace(request)
    require_api_perm(request, "quizzes.view_quizzes", workspace)
    if filters.enrolment is not None:
        enrolment = _enrolment(request, filters.enrolment)
        require_api_perm(request, "quizzes.view_answers", enrolment)
        found = rounds_of([enrolment])
    elif is_api_key(request):
        found = rounds_of_workspace(workspace)
    else:
        me = membership(request.user, workspace)
        found = rounds_of_person(me) if me is not None else QuizRound.objects.none()
    return [_round_out(quiz_round) for quiz_round in found]


@router.get("quizzes/rounds/{round_id}", response={200: RoundOut, **READ_ERRORS}, summary="Read a quiz round")
def read_round(request, round_id: UUID):
    return _round_out(_round(request, round_id))


@router.post(
    "quizzes/enrolments/{enrolment_id}/rounds",
    response={200: RoundOut, 201: RoundOut, 204: None, **WRITE_ERRORS},
    summary="Start a round now (the participant): 201 a new round, 200 the round with open questions, "
    "204 nothing is due",
)
def start_round(request, enrolment_id: UUID):
    enrolment = _enrolment(request, enrolment_id)
    # Only the participant may answer: the round rule, asked of an unsaved round of theirs.
    require_api_perm(request, "quizzes.answer_round", QuizRound(enrolment=enrolment))
    before = set(QuizRound.objects.filter(enrolment=enrolment).values_list("pk", flat=True))
    quiz_round = start_round_now(enrolment, now=timezone.now())
    if quiz_round is None:
        return Status(204, None)
    found = rounds_of([enrolment]).get(pk=quiz_round.pk)
    return Status(200 if quiz_round.pk in before else 201, _round_out(found))


@router.post(
    "quizzes/round-items/{item_id}/answer",
    response={200: AnswerOut, 201: AnswerOut, **WRITE_ERRORS},
    summary="Answer a round question (the participant), once: 201 recorded, 200 the answer already recorded",
)
def answer_item(request, item_id: UUID, payload: AnswerIn):
    found = RoundItem.objects.filter(workspace=api_workspace(request), uuid=item_id).select_related(*ITEM_RELATED)
    item = found.first()
    if item is None:
        raise Http404
    require_api_perm(request, "quizzes.answer_round", item.round)
    answer, created = services.record_answer(
        item,
        choices=payload.choices,
        number=payload.number,
        confidence=payload.confidence or "",
        channel=AnswerChannel.API,
        now=timezone.now(),
    )
    return Status(201 if created else 200, _answer_out(answer, _language()))
