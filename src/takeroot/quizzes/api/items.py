"""The item bank over JSON: questions, their order, a programme's quiz settings, parameter fits
and the bank's export. The same services and checks as the pages (``bank``, ``transfer``,
``fitting``): a bad question answers 400 with each problem under the field the pages name.

A programme or question named in the path is looked up in the caller's workspace (else 404),
then the rule decides (403). A module or objective named in a body that is unknown answers 400.
"""

import datetime
from typing import Annotated, Literal
from uuid import UUID

from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from takeroot.core.api_support import READ_ERRORS, WRITE_ERRORS, api_actor, api_workspace, is_api_key, require_api_perm
from takeroot.core.pagination import Pages
from takeroot.core.queries import membership
from takeroot.core.rules import API_KEY_SCOPES
from takeroot.core.schemas import InputSchema
from takeroot.programmes.models import LearningObjective, Module, Programme
from takeroot.programmes.queries import programmes_for_workspace
from takeroot.programmes.schemas import Text

from .. import bank, transfer
from ..enums import Difficulty, FitOutcome, QuestionKind
from ..fitting import describe, request_fit
from ..models import ParameterFit, Question
from ..scheduling import settings_for

router = Router(tags=["Quizzes: item bank"])

API_KEY_SCOPES.update(
    {
        "quizzes.view_bank": "quizzes:read",
        "quizzes.manage_bank": "quizzes:write",
        "quizzes.change_settings": "quizzes:write",
        "quizzes.fit_parameters": "quizzes:write",
    }
)


# Shapes -----------------------------------------------------------------------------------------


class QuestionText(Schema):
    prompt: Annotated[Text, Field(max_length=bank.MAX_PROMPT)]
    explanation: Annotated[Text, Field(max_length=bank.MAX_EXPLANATION)] = ""
    options: list[Annotated[Text, Field(max_length=bank.MAX_OPTION)]] = Field(default=[], max_length=bank.MAX_OPTIONS)


class QuestionIn(InputSchema):
    kind: QuestionKind
    module: UUID | None = None
    objective: UUID | None = Field(default=None, description="One of the module's learning objectives")
    difficulty: Difficulty = Difficulty.MEDIUM
    content: dict[Literal["en", "pl", "sv", "zh-hans"], QuestionText] = Field(
        description="The text per language: at least one; every language has the same options in the same order"
    )
    correct: list[Annotated[int, Field(ge=0, le=bank.MAX_OPTIONS)]] = Field(
        default=[], description="Indexes (from 0) of the right options; empty for a numeric question"
    )
    number: Annotated[float, Field(allow_inf_nan=False, gt=-1e14, lt=1e14)] | None = Field(
        default=None, description="The right number of a numeric question"
    )
    tolerance: Annotated[float, Field(allow_inf_nan=False, ge=0, lt=1e14)] = 0


class QuestionOut(Schema):
    id: UUID
    programme: UUID
    kind: QuestionKind
    module: UUID | None
    objective: UUID | None
    difficulty: Difficulty
    content: dict[str, QuestionText]
    languages: list[str]
    correct: list[int]
    number: float | None
    tolerance: float
    position: int
    archived_at: datetime.datetime | None
    updated_at: datetime.datetime


class QuestionFilters(Schema):
    module: UUID | None = None
    kind: QuestionKind | None = None
    language: Literal["en", "pl", "sv", "zh-hans"] | None = None
    archived: bool = Field(False, description="Archived questions instead of those in use")


class OrderIn(InputSchema):
    questions: list[UUID] = Field(max_length=5000, description="Question ids in the new order; the others follow")


class SettingsIn(InputSchema):
    desired_retention: float = Field(ge=0.7, le=0.97)
    questions_per_round: int = Field(ge=1, le=3)
    retire_after: int = Field(ge=1, le=10)


class SettingsOut(Schema):
    programme: UUID
    desired_retention: float
    questions_per_round: int
    retire_after: int
    parameters: list[float] = Field(description="Fitted FSRS parameters; empty: the defaults")
    fitted_at: datetime.datetime | None


class FitOut(Schema):
    id: UUID
    created_at: datetime.datetime
    reviews: int
    outcome: FitOutcome
    parameters: list[float]
    message: str


# Helpers ----------------------------------------------------------------------------------------


def _programme(request, uuid: UUID, perm: str) -> Programme:
    programme = programmes_for_workspace(api_workspace(request)).filter(uuid=uuid).first()
    if programme is None:
        raise Http404
    require_api_perm(request, perm, programme)
    return programme


def _question(request, uuid: UUID, perm: str = "quizzes.manage_bank") -> Question:
    question = Question.objects.filter(workspace=api_workspace(request), uuid=uuid).select_related("programme")
    question = question.select_related("module", "objective").first()
    if question is None:
        raise Http404
    require_api_perm(request, perm, question.programme)
    return question


def _person(request):
    return None if is_api_key(request) else membership(request.user, api_workspace(request))


def _place(programme: Programme, payload: QuestionIn) -> dict:
    """The module and objective named in the body, both of this programme (else 400 on the field)."""
    module = objective = None
    if payload.module is not None:
        module = Module.objects.filter(programme=programme, uuid=payload.module).first()
        if module is None:
            raise ValidationError({"module": [_("There is no such module in this programme.")]})
    if payload.objective is not None:
        objective = LearningObjective.objects.filter(module__programme=programme, uuid=payload.objective).first()
        if objective is None:
            raise ValidationError({"objective": [_("There is no such learning objective in this programme.")]})
    return {"module": module, "objective": objective}


def _fields(programme: Programme, payload: QuestionIn) -> dict:
    return _place(programme, payload) | {
        "kind": payload.kind,
        "difficulty": payload.difficulty,
        "content": {code: text.dict() for code, text in payload.content.items()},
        "correct": payload.correct,
        "number": payload.number,
        "tolerance": payload.tolerance,
    }


def _question_out(question: Question) -> dict:
    return {
        "id": question.uuid,
        "programme": question.programme.uuid,
        "kind": question.kind,
        "module": question.module.uuid if question.module else None,
        "objective": question.objective.uuid if question.objective else None,
        "difficulty": question.difficulty,
        "content": question.content,
        "languages": question.languages,
        "correct": question.correct,
        "number": float(question.number) if question.number is not None else None,
        "tolerance": float(question.tolerance),
        "position": question.position,
        "archived_at": question.archived_at,
        "updated_at": question.updated_at,
    }


def _settings_out(programme: Programme) -> dict:
    found = settings_for(programme)
    fields = ("desired_retention", "questions_per_round", "retire_after", "parameters", "fitted_at")
    return {"programme": programme.uuid} | {key: getattr(found, key) for key in fields}


def _fit_out(fit: ParameterFit) -> dict:
    keys = ("created_at", "reviews", "outcome", "parameters")
    return {"id": fit.uuid, "message": describe(fit)} | {key: getattr(fit, key) for key in keys}


# Questions --------------------------------------------------------------------------------------


@router.get(
    "quizzes/programmes/{programme_id}/questions",
    response={200: list[QuestionOut], **READ_ERRORS},
    summary="The programme's questions in their order (those in use, or the archived ones)",
)
@paginate(Pages, page_size=50)
def list_questions(request, programme_id: UUID, filters: Query[QuestionFilters]):
    programme = _programme(request, programme_id, "quizzes.view_bank")
    questions = Question.objects.filter(programme=programme, archived_at__isnull=not filters.archived)
    if filters.module:
        questions = questions.filter(module__uuid=filters.module)
    if filters.kind:
        questions = questions.filter(kind=filters.kind)
    found = questions.select_related("programme", "module", "objective")
    return [_question_out(q) for q in found if not filters.language or filters.language in q.languages]


@router.post(
    "quizzes/programmes/{programme_id}/questions",
    response={201: QuestionOut, **WRITE_ERRORS},
    summary="Write a question at the end of the programme's bank",
)
def create_question(request, programme_id: UUID, payload: QuestionIn):
    programme = _programme(request, programme_id, "quizzes.manage_bank")
    question = bank.save_question(
        programme=programme, actor=api_actor(request), created_by=_person(request), **_fields(programme, payload)
    )
    return Status(201, _question_out(question))


@router.get("quizzes/questions/{question_id}", response={200: QuestionOut, **READ_ERRORS}, summary="Read a question")
def read_question(request, question_id: UUID):
    return _question_out(_question(request, question_id, "quizzes.view_bank"))


@router.put(
    "quizzes/questions/{question_id}",
    response={200: QuestionOut, **WRITE_ERRORS},
    summary="Replace a question's kind, place, text and answer",
)
def update_question(request, question_id: UUID, payload: QuestionIn):
    question = _question(request, question_id)
    fields = _fields(question.programme, payload)
    bank.save_question(programme=question.programme, actor=api_actor(request), question=question, **fields)
    return _question_out(question)


@router.post(
    "quizzes/questions/{question_id}/archive",
    response={200: QuestionOut, **WRITE_ERRORS},
    summary="Archive a question: never asked again; its answers stay",
)
def archive_question(request, question_id: UUID):
    question = _question(request, question_id)
    return _question_out(bank.archive_question(question=question, actor=api_actor(request)))


@router.post(
    "quizzes/questions/{question_id}/restore",
    response={200: QuestionOut, **WRITE_ERRORS},
    summary="Bring an archived question back into the rounds",
)
def restore_question(request, question_id: UUID):
    question = _question(request, question_id)
    return _question_out(bank.restore_question(question=question, actor=api_actor(request)))


@router.put(
    "quizzes/programmes/{programme_id}/questions/order",
    response={204: None, **WRITE_ERRORS},
    summary="Put the programme's questions in a new order",
)
def order_questions(request, programme_id: UUID, payload: OrderIn):
    programme = _programme(request, programme_id, "quizzes.manage_bank")
    found = Question.objects.in_bulk(payload.questions, field_name="uuid")
    found = {uuid: q for uuid, q in found.items() if q.programme_id == programme.pk}
    if len(found) != len(set(payload.questions)):
        raise ValidationError({"questions": [_("Order only the questions of this programme.")]})
    order = [found[uuid] for uuid in dict.fromkeys(payload.questions)]
    bank.reorder_questions(programme=programme, actor=api_actor(request), order=order)
    return Status(204, None)


@router.get(
    "quizzes/programmes/{programme_id}/questions/export",
    response={200: None, **READ_ERRORS},
    summary="The bank as a CSV or XLSX file, one row per question and language (the import's columns)",
    openapi_extra={
        "responses": {
            200: {
                "description": "The file",
                "content": {
                    "text/csv": {"schema": {"type": "string"}},
                    transfer.XLSX: {"schema": {"type": "string", "format": "binary"}},
                },
            }
        }
    },
)
def export_questions(request, programme_id: UUID, format: Literal["csv", "xlsx"] = "csv"):
    programme = _programme(request, programme_id, "quizzes.view_bank")
    rows = transfer.export_rows(programme)
    if format == "xlsx":
        response = HttpResponse(transfer.export_xlsx(rows), content_type=transfer.XLSX)
    else:
        response = HttpResponse(transfer.export_csv(rows), content_type="text/csv")
    response["Content-Disposition"] = f'attachment; filename="questions.{format}"'
    return response


# Settings and fits ------------------------------------------------------------------------------


@router.get(
    "quizzes/programmes/{programme_id}/settings",
    response={200: SettingsOut, **READ_ERRORS},
    summary="The programme's quiz settings (the defaults until saved)",
)
def read_settings(request, programme_id: UUID):
    return _settings_out(_programme(request, programme_id, "quizzes.view_bank"))


@router.put(
    "quizzes/programmes/{programme_id}/settings",
    response={200: SettingsOut, **WRITE_ERRORS},
    summary="Change the desired retention, questions per round and retirement limit",
)
def update_settings(request, programme_id: UUID, payload: SettingsIn):
    programme = _programme(request, programme_id, "quizzes.change_settings")
    bank.save_quiz_settings(programme=programme, actor=api_actor(request), **payload.dict())
    return _settings_out(programme)


@router.get(
    "quizzes/programmes/{programme_id}/fits",
    response={200: list[FitOut], **READ_ERRORS},
    summary="The programme's parameter fits, newest first",
)
@paginate(Pages, page_size=50)
def list_fits(request, programme_id: UUID):
    programme = _programme(request, programme_id, "quizzes.view_bank")
    return [_fit_out(fit) for fit in ParameterFit.objects.filter(programme=programme)]


@router.post(
    "quizzes/programmes/{programme_id}/fits",
    response={202: None, **WRITE_ERRORS},
    summary="Start fitting the scheduling to the programme's answers (pooled over its participants); "
    "the result joins the list of fits",
)
def create_fit(request, programme_id: UUID):
    programme = _programme(request, programme_id, "quizzes.fit_parameters")
    request_fit(programme=programme, actor=api_actor(request), requested_by=_person(request))
    return Status(202, None)
