"""The questionnaire library over JSON: the ready templates, questionnaires and their questions,
and the workspace's anonymity thresholds. The same services and checks as the pages
(``instruments``, ``library``): bad input answers 400 with each problem under the field the pages
name (``en-prompt``, ``pl-options`` …).

A questionnaire or question named in the path is looked up in the caller's workspace (else 404),
then the rule decides (403). A programme or module named in a body that is unknown answers 400.
"""

import datetime
from typing import Annotated, Literal
from uuid import UUID

from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from takeroot.core.api_support import READ_ERRORS, WRITE_ERRORS, api_actor, api_workspace, require_api_perm
from takeroot.core.pagination import Pages
from takeroot.core.rules import API_KEY_SCOPES
from takeroot.core.schemas import InputSchema
from takeroot.programmes.models import Module, Programme
from takeroot.programmes.queries import programmes_for_workspace
from takeroot.programmes.schemas import Text

from .. import instruments
from ..enums import Anonymity, InstrumentKind, Measure, RaterGroup, SurveyQuestionKind
from ..library import TEMPLATES, create_from_template
from ..models import Instrument, SurveyQuestion

router = Router(tags=["Surveys: questionnaires"])

API_KEY_SCOPES.update(
    {
        "surveys.view_surveys": "surveys:read",
        "surveys.view_library": "surveys:read",
        "surveys.view_instrument": "surveys:read",
        "surveys.manage_instruments": "surveys:write",
        "surveys.change_instrument": "surveys:write",
        "surveys.change_settings": "surveys:write",
    }
)

LanguageCode = Literal["en", "pl", "sv", "zh-hans"]


# Shapes -----------------------------------------------------------------------------------------


class InstrumentText(Schema):
    title: Annotated[Text, Field(max_length=instruments.MAX_TITLE)] = ""
    introduction: Annotated[Text, Field(max_length=instruments.MAX_INTRODUCTION)] = ""


class SurveyQuestionText(Schema):
    prompt: Annotated[Text, Field(max_length=instruments.MAX_PROMPT)] = ""
    options: list[Annotated[Text, Field(max_length=instruments.MAX_ITEM)]] = Field(
        default=[], max_length=instruments.MAX_OPTIONS, description="Single and multiple choice only"
    )
    rows: list[Annotated[Text, Field(max_length=instruments.MAX_ITEM)]] = Field(
        default=[], max_length=instruments.MAX_ROWS, description="The statements of a matrix"
    )
    low: Annotated[Text, Field(max_length=instruments.MAX_END)] = Field("", description="Label of the lowest point")
    high: Annotated[Text, Field(max_length=instruments.MAX_END)] = Field("", description="Label of the highest point")


class InstrumentIn(InputSchema):
    programme: UUID | None = Field(None, description="Leave empty for a questionnaire of the whole workspace")
    anonymity: Anonymity = Anonymity.CONFIDENTIAL
    content: dict[LanguageCode, InstrumentText] = Field(description="Title and introduction per language")


class InstrumentUpdate(InputSchema):
    anonymity: Anonymity | None = None
    content: dict[LanguageCode, InstrumentText] | None = None


class FromTemplateIn(InputSchema):
    template: str = Field(description="A key from the list of templates", max_length=40)
    programme: UUID | None = None


class CopyIn(InputSchema):
    programme: UUID | None = Field(None, description="The copy's programme; empty: the whole workspace")
    keep_programme: bool = Field(True, description="Keep the original's programme (then `programme` is ignored)")


class QuestionIn(InputSchema):
    kind: SurveyQuestionKind
    content: dict[LanguageCode, SurveyQuestionText] = Field(
        description="The text per language: at least one; every language has the same options or statements"
    )
    scale_points: Literal[5, 7] = Field(5, description="A matrix's scale; Likert kinds set their own")
    required: bool = False
    measure: Measure = Measure.NONE
    module: UUID | None = Field(None, description="A module of the questionnaire's programme")
    rater_groups: list[RaterGroup] = Field(default=[], description="Empty: every rater group sees the question")


class SurveyQuestionOut(Schema):
    id: UUID
    instrument: UUID
    position: int
    kind: SurveyQuestionKind
    content: dict[str, dict]
    scale_points: int
    required: bool
    measure: Measure
    module: UUID | None
    rater_groups: list[RaterGroup]
    answered: bool = Field(description="Answered questions keep their kind and their number of options and rows")


class InstrumentOut(Schema):
    id: UUID
    programme: UUID | None
    kind: InstrumentKind
    template: str
    title: str = Field(description="In the caller's language when the questionnaire has it")
    content: dict[str, InstrumentText]
    anonymity: Anonymity
    archived: bool
    created_at: datetime.datetime
    question_count: int


class InstrumentDetailOut(InstrumentOut):
    questions: list[SurveyQuestionOut]


class TemplateOut(Schema):
    key: str
    kind: InstrumentKind
    anonymity: Anonymity
    content: dict[str, InstrumentText]
    questions: list[dict]


class InstrumentFilters(Schema):
    programme: UUID | None = Field(None, description="The programme's questionnaires and the workspace-wide ones")
    archived: bool = Field(False, description="Archived questionnaires instead of those in use")


class OrderIn(InputSchema):
    questions: list[UUID] = Field(max_length=500, description="Question ids in the new order; the others follow")


class SettingsIn(InputSchema):
    min_responses: int = Field(description="At least 3", ge=0, le=1000)
    min_comments: int = Field(description="Not below min_responses", ge=0, le=1000)


class SurveySettingsOut(Schema):
    min_responses: int
    min_comments: int


# Helpers ----------------------------------------------------------------------------------------


def _instrument(request, uuid: UUID, perm: str = "surveys.change_instrument") -> Instrument:
    found = Instrument.objects.filter(workspace=api_workspace(request), uuid=uuid).select_related("programme").first()
    if found is None:
        raise Http404
    require_api_perm(request, perm, found)
    return found


def _question(request, uuid: UUID, perm: str = "surveys.change_instrument") -> SurveyQuestion:
    found = SurveyQuestion.objects.filter(workspace=api_workspace(request), uuid=uuid)
    found = found.select_related("instrument__programme", "module").first()
    if found is None:
        raise Http404
    require_api_perm(request, perm, found.instrument)
    return found


def _programme(request, uuid: UUID | None) -> Programme | None:
    if uuid is None:
        return None
    found = programmes_for_workspace(api_workspace(request)).filter(uuid=uuid).first()
    if found is None:
        raise ValidationError({"programme": [_("There is no such programme in this workspace.")]})
    return found


def _question_fields(instrument: Instrument, payload: QuestionIn) -> dict:
    module = None
    if payload.module is not None:
        module = Module.objects.filter(workspace_id=instrument.workspace_id, uuid=payload.module).first()
        if module is None:
            raise ValidationError({"module": [_("There is no such module in this workspace.")]})
    return {
        "kind": payload.kind,
        "content": {code: text.dict() for code, text in payload.content.items()},
        "scale_points": payload.scale_points,
        "required": payload.required,
        "measure": payload.measure,
        "module": module,
        "rater_groups": [str(group) for group in payload.rater_groups],
    }


def _question_out(question: SurveyQuestion, answered: bool | None = None) -> dict:
    return {
        "id": question.uuid,
        "instrument": question.instrument.uuid,
        "position": question.position,
        "kind": question.kind,
        "content": question.content,
        "scale_points": question.scale_points,
        "required": question.required,
        "measure": question.measure,
        "module": question.module.uuid if question.module else None,
        "rater_groups": question.rater_groups,
        "answered": question.answers.exists() if answered is None else answered,
    }


def _instrument_out(instrument: Instrument, count: int | None = None) -> dict:
    return {
        "id": instrument.uuid,
        "programme": instrument.programme.uuid if instrument.programme else None,
        "kind": instrument.kind,
        "template": instrument.template,
        "title": instrument.title,
        "content": instrument.content,
        "anonymity": instrument.anonymity,
        "archived": instrument.archived,
        "created_at": instrument.created_at,
        "question_count": instrument.questions.count() if count is None else count,
    }


def _detail_out(instrument: Instrument) -> dict:
    questions = list(instruments.questions_of(instrument))
    for question in questions:
        question.instrument = instrument
    return _instrument_out(instrument, len(questions)) | {
        "questions": [_question_out(question, question.answer_count > 0) for question in questions]
    }


def _settings_out(workspace) -> dict:
    found = instruments.survey_settings_for(workspace)
    return {"min_responses": found.min_responses, "min_comments": found.min_comments}


# Templates --------------------------------------------------------------------------------------


@router.get(
    "surveys/templates",
    response={200: list[TemplateOut], **READ_ERRORS},
    summary="The ready questionnaires, with every question in every language",
)
def list_templates(request):
    require_api_perm(request, "surveys.view_library", api_workspace(request))
    return [
        {
            "key": key,
            "kind": template["kind"],
            "anonymity": template["anonymity"],
            "content": template["content"],
            "questions": [
                {name: question[name] for name in ("kind", "content", "measure", "required", "rater_groups")}
                for question in template["questions"]
            ],
        }
        for key, template in TEMPLATES.items()
    ]


@router.post(
    "surveys/instruments/from-template",
    response={201: InstrumentDetailOut, **WRITE_ERRORS},
    summary="Make a questionnaire of your own from a ready template",
)
def instrument_from_template(request, payload: FromTemplateIn):
    workspace = api_workspace(request)
    require_api_perm(request, "surveys.manage_instruments", workspace)
    if payload.template not in TEMPLATES:
        raise ValidationError({"template": [_("Choose one of the ready templates: %s.") % ", ".join(TEMPLATES)]})
    instrument = create_from_template(
        workspace=workspace,
        key=payload.template,
        actor=api_actor(request),
        programme=_programme(request, payload.programme),
    )
    return Status(201, _detail_out(instrument))


# Questionnaires ---------------------------------------------------------------------------------


@router.get(
    "surveys/instruments",
    response={200: list[InstrumentOut], **READ_ERRORS},
    summary="The workspace's questionnaires, newest first (those in use, or the archived ones)",
)
@paginate(Pages, page_size=50)
def list_instruments(request, filters: Query[InstrumentFilters]):
    workspace = api_workspace(request)
    require_api_perm(request, "surveys.view_library", workspace)
    programme = None
    if filters.programme is not None:
        programme = programmes_for_workspace(workspace).filter(uuid=filters.programme).first()
        if programme is None:
            raise Http404
    found = instruments.instruments_in(workspace, programme=programme, archived=filters.archived)
    return [_instrument_out(instrument, instrument.question_count) for instrument in found]


@router.post(
    "surveys/instruments",
    response={201: InstrumentDetailOut, **WRITE_ERRORS},
    summary="Write a new, empty questionnaire",
)
def create_instrument(request, payload: InstrumentIn):
    workspace = api_workspace(request)
    require_api_perm(request, "surveys.manage_instruments", workspace)
    instrument = instruments.create_instrument(
        workspace=workspace,
        actor=api_actor(request),
        content={code: text.dict() for code, text in payload.content.items()},
        anonymity=payload.anonymity,
        programme=_programme(request, payload.programme),
    )
    return Status(201, _detail_out(instrument))


@router.get(
    "surveys/instruments/{instrument_id}",
    response={200: InstrumentDetailOut, **READ_ERRORS},
    summary="Read a questionnaire with its questions",
)
def read_instrument(request, instrument_id: UUID):
    return _detail_out(_instrument(request, instrument_id, "surveys.view_instrument"))


@router.patch(
    "surveys/instruments/{instrument_id}",
    response={200: InstrumentDetailOut, **WRITE_ERRORS},
    summary="Change a questionnaire's title and introduction (all languages at once) or its anonymity",
)
def update_instrument(request, instrument_id: UUID, payload: InstrumentUpdate):
    instrument = _instrument(request, instrument_id)
    content = None if payload.content is None else {code: text.dict() for code, text in payload.content.items()}
    instruments.update_instrument(
        instrument=instrument, actor=api_actor(request), content=content, anonymity=payload.anonymity
    )
    return _detail_out(instrument)


@router.post(
    "surveys/instruments/{instrument_id}/copy",
    response={201: InstrumentDetailOut, **WRITE_ERRORS},
    summary="Copy a questionnaire with its questions",
)
def copy_instrument(request, instrument_id: UUID, payload: CopyIn | None = None):
    require_api_perm(request, "surveys.manage_instruments", api_workspace(request))
    instrument = _instrument(request, instrument_id, "surveys.view_instrument")
    payload = payload or CopyIn()
    programme = None if payload.keep_programme else _programme(request, payload.programme)
    copy = instruments.copy_instrument(
        instrument=instrument, actor=api_actor(request), programme=programme, keep_programme=payload.keep_programme
    )
    return Status(201, _detail_out(copy))


@router.post(
    "surveys/instruments/{instrument_id}/archive",
    response={200: InstrumentDetailOut, **WRITE_ERRORS},
    summary="Archive a questionnaire: no new survey can use it; sent surveys keep their results",
)
def archive_instrument(request, instrument_id: UUID):
    instrument = _instrument(request, instrument_id)
    return _detail_out(instruments.archive_instrument(instrument=instrument, actor=api_actor(request)))


@router.post(
    "surveys/instruments/{instrument_id}/restore",
    response={200: InstrumentDetailOut, **WRITE_ERRORS},
    summary="Bring an archived questionnaire back into the library",
)
def restore_instrument(request, instrument_id: UUID):
    instrument = _instrument(request, instrument_id)
    return _detail_out(instruments.restore_instrument(instrument=instrument, actor=api_actor(request)))


# Questions --------------------------------------------------------------------------------------


@router.get(
    "surveys/instruments/{instrument_id}/questions",
    response={200: list[SurveyQuestionOut], **READ_ERRORS},
    summary="A questionnaire's questions in their order",
)
def list_questions(request, instrument_id: UUID):
    return _detail_out(_instrument(request, instrument_id, "surveys.view_instrument"))["questions"]


@router.post(
    "surveys/instruments/{instrument_id}/questions",
    response={201: SurveyQuestionOut, **WRITE_ERRORS},
    summary="Add a question at the end of the questionnaire",
)
def create_question(request, instrument_id: UUID, payload: QuestionIn):
    instrument = _instrument(request, instrument_id)
    question = instruments.save_question(
        instrument=instrument, actor=api_actor(request), **_question_fields(instrument, payload)
    )
    return Status(201, _question_out(question, False))


@router.put(
    "surveys/instruments/{instrument_id}/questions/order",
    response={204: None, **WRITE_ERRORS},
    summary="Put the questions in a new order",
)
def order_questions(request, instrument_id: UUID, payload: OrderIn):
    instrument = _instrument(request, instrument_id)
    found = SurveyQuestion.objects.filter(instrument=instrument).in_bulk(payload.questions, field_name="uuid")
    if len(found) != len(set(payload.questions)):
        raise ValidationError({"questions": [_("Order only the questions of this questionnaire.")]})
    order = [found[uuid] for uuid in dict.fromkeys(payload.questions)]
    instruments.reorder_questions(instrument=instrument, actor=api_actor(request), order=order)
    return Status(204, None)


@router.get(
    "surveys/questions/{question_id}", response={200: SurveyQuestionOut, **READ_ERRORS}, summary="Read a question"
)
def read_question(request, question_id: UUID):
    return _question_out(_question(request, question_id, "surveys.view_instrument"))


@router.put(
    "surveys/questions/{question_id}",
    response={200: SurveyQuestionOut, **WRITE_ERRORS},
    summary="Replace a question (an answered one keeps its kind and its number of options and rows)",
)
def update_question(request, question_id: UUID, payload: QuestionIn):
    question = _question(request, question_id)
    instruments.save_question(
        instrument=question.instrument,
        actor=api_actor(request),
        question=question,
        **_question_fields(question.instrument, payload),
    )
    return _question_out(question)


@router.delete(
    "surveys/questions/{question_id}",
    response={204: None, **WRITE_ERRORS},
    summary="Delete a question nobody has answered",
)
def delete_question(request, question_id: UUID):
    question = _question(request, question_id)
    instruments.delete_question(question=question, actor=api_actor(request))
    return Status(204, None)


# Thresholds -------------------------------------------------------------------------------------


@router.get(
    "surveys/settings",
    response={200: SurveySettingsOut, **READ_ERRORS},
    summary="The workspace's anonymity thresholds (the defaults until saved)",
)
def read_settings(request):
    workspace = api_workspace(request)
    require_api_perm(request, "surveys.view_surveys", workspace)
    return _settings_out(workspace)


@router.put(
    "surveys/settings",
    response={200: SurveySettingsOut, **WRITE_ERRORS},
    summary="Change the fewest responses results (at least 3) and free-text comments (not fewer) are shown for",
)
def update_settings(request, payload: SettingsIn):
    workspace = api_workspace(request)
    require_api_perm(request, "surveys.change_settings", workspace)
    instruments.save_survey_settings(workspace=workspace, actor=api_actor(request), **payload.dict())
    return _settings_out(workspace)
