"""Survey results over JSON: the same ``results`` as the pages, so the same thresholds.

Every result carries a ``status``: ``shown``, ``not_enough_responses`` or ``no_data``; figures
(n, means, distributions, comments) only when it is ``shown``. No person is ever named, and no
time finer than a month. A filter that would let someone work out a small group's answers
answers 400 with the reason. An API key needs the ``surveys:read`` scope.
"""

from uuid import UUID

from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from ninja import Router, Schema, Status

from takeroot.core.api_support import READ_ERRORS, api_workspace, require_api_perm
from takeroot.core.models import Team
from takeroot.core.rules import API_KEY_SCOPES
from takeroot.core.schemas import ErrorOut
from takeroot.programmes.models import Programme

from ..models import Survey
from ..results import (
    Breakdown,
    ProgrammeResults,
    QuestionResult,
    SurveyResults,
    parse_options,
    programme_instruments,
    programme_results,
    survey_results,
)
from ..views.results import viewer_is_subject

router = Router(tags=["Surveys"])

API_KEY_SCOPES.update(
    dict.fromkeys(
        ("surveys.view_surveys", "surveys.view_results", "surveys.view_programme_results"),
        "surveys:read",
    )
)


class SurveyMeanOut(Schema):
    mean: float
    low: float | None  # the 95 % confidence interval (t-interval)
    high: float | None


class SurveyBarOut(Schema):
    label: str
    value: int
    count: int
    share: float


class SurveyRowResultOut(Schema):
    label: str
    status: str
    n: int | None
    mean: SurveyMeanOut | None
    distribution: list[SurveyBarOut]


class SurveyQuestionResultOut(Schema):
    question: UUID
    position: int
    kind: str
    prompt: str
    status: str  # shown, not_enough_responses, no_data
    n: int | None
    mean: SurveyMeanOut | None
    net_score: int | None
    distribution: list[SurveyBarOut]
    rows: list[SurveyRowResultOut]
    comments: list[str]


class SurveyGroupResultOut(Schema):
    key: str | None  # the team's id, or the rater group; null for people without a team
    label: str
    status: str
    n: int | None
    questions: list[SurveyQuestionResultOut]


class SurveyBreakdownOut(Schema):
    dimension: str
    refused: str  # why no group can be shown; empty otherwise
    groups: list[SurveyGroupResultOut]


class SurveyResultsOut(Schema):
    survey: UUID
    title: str
    closed: bool  # results appear once the survey has closed
    status: str
    n: int | None
    min_responses: int
    min_comments: int
    filter: str
    questions: list[SurveyQuestionResultOut]
    breakdown: SurveyBreakdownOut | None
    own: list[SurveyQuestionResultOut] | None  # a 360°'s own answers, for the person it is about only


class SurveyTrendPointOut(Schema):
    key: str  # the survey's id, or the month (YYYY-MM)
    label: str
    result: SurveyQuestionResultOut
    difference: float | None  # from the programme average


class SurveyQuestionTrendOut(Schema):
    question: UUID
    prompt: str
    overall: SurveyQuestionResultOut  # the programme average, over the cohorts that are shown
    cohorts: list[SurveyTrendPointOut]
    months: list[SurveyTrendPointOut]


class SurveyInTrendOut(Schema):
    survey: UUID
    cohort: UUID | None
    title: str
    status: str


class ProgrammeSurveyResultsOut(Schema):
    programme: UUID
    instrument: UUID | None
    instruments: list[UUID]
    min_responses: int
    min_comments: int
    surveys: list[SurveyInTrendOut]
    questions: list[SurveyQuestionTrendOut]


# Shaping ---------------------------------------------------------------------------------------


def _mean(mean) -> dict | None:
    return None if mean is None else {"mean": mean.mean, "low": mean.low, "high": mean.high}


def _bars(bars) -> list[dict]:
    return [{"label": b.label, "value": b.value, "count": b.count, "share": b.share} for b in bars]


def _question(result: QuestionResult) -> dict:
    return {
        "question": result.question.uuid,
        "position": result.question.position,
        "kind": result.kind,
        "prompt": result.prompt,
        "status": result.status,
        "n": result.n,
        "mean": _mean(result.mean),
        "net_score": result.net_score,
        "distribution": _bars(result.bars),
        "rows": [
            {"label": r.label, "status": r.status, "n": r.n, "mean": _mean(r.mean), "distribution": _bars(r.bars)}
            for r in result.rows
        ],
        "comments": result.comments,
    }


def _survey_out(results: SurveyResults, *, subject: bool) -> dict:
    breakdown = None
    if results.breakdown is not None:
        keys = {}
        if results.breakdown.dimension == Breakdown.TEAM:
            keys = {
                pk: str(uuid)
                for pk, uuid in Team.objects.filter(workspace_id=results.survey.workspace_id).values_list("pk", "uuid")
            }
        breakdown = {
            "dimension": results.breakdown.dimension,
            "refused": results.breakdown.refused,
            "groups": [
                {
                    "key": keys.get(g.key) if results.breakdown.dimension == Breakdown.TEAM else g.key,
                    "label": g.label,
                    "status": g.status,
                    "n": g.n,
                    "questions": [_question(q) for q in g.questions],
                }
                for g in results.breakdown.groups
            ],
        }
    return {
        "survey": results.survey.uuid,
        "title": results.survey.title,
        "closed": results.closed,
        "status": results.status,
        "n": results.n,
        "min_responses": results.thresholds.min_responses,
        "min_comments": results.thresholds.min_comments,
        "filter": results.filter_label,
        "questions": [_question(q) for q in results.questions],
        "breakdown": breakdown,
        "own": [_question(q) for q in results.own] if subject else None,
    }


def _programme_out(results: ProgrammeResults) -> dict:
    return {
        "programme": results.programme.uuid,
        "instrument": results.instrument.uuid if results.instrument else None,
        "instruments": [i.uuid for i in results.instruments],
        "min_responses": results.thresholds.min_responses,
        "min_comments": results.thresholds.min_comments,
        "surveys": [
            {"survey": s.uuid, "cohort": s.cohort.uuid if s.cohort_id else None, "title": s.title, "status": status}
            for s, status in results.surveys
        ],
        "questions": [
            {
                "question": t.question.uuid,
                "prompt": t.prompt,
                "overall": _question(t.overall),
                "cohorts": [
                    {"key": str(p.key), "label": p.label, "result": _question(p.result), "difference": p.difference}
                    for p in t.cohorts
                ],
                "months": [
                    {
                        "key": p.key.strftime("%Y-%m"),
                        "label": p.key.strftime("%Y-%m"),
                        "result": _question(p.result),
                        "difference": None,
                    }
                    for p in t.months
                ],
            }
            for t in results.questions
        ],
    }


# Endpoints -------------------------------------------------------------------------------------


@router.get(
    "surveys/{survey_id}/results",
    response={200: SurveyResultsOut, 400: ErrorOut, **READ_ERRORS},
    summary="A survey's results under the anonymity thresholds, optionally by team or rater group, or filtered",
)
def survey_results_api(request, survey_id: UUID, breakdown: str = "", team: str = "", rater_group: str = ""):
    workspace = api_workspace(request)
    require_api_perm(request, "surveys.view_surveys", workspace)
    survey = Survey.objects.filter(workspace=workspace, uuid=survey_id).select_related("instrument", "subject").first()
    if survey is None:
        raise Http404
    require_api_perm(request, "surveys.view_results", survey)
    try:
        options = parse_options(survey, breakdown=breakdown, team=team, rater_group=rater_group)
    except ValidationError as error:
        return Status(422, {"detail": _("Check the breakdown and the filter."), "errors": error.message_dict})
    subject = viewer_is_subject(request, survey)
    results = survey_results(survey, viewer_is_subject=subject, **options)
    if results.refused:
        return Status(400, {"detail": results.refused, "errors": {}})
    return _survey_out(results, subject=subject)


@router.get(
    "surveys/programmes/{programme_id}/results",
    response={200: ProgrammeSurveyResultsOut, **READ_ERRORS},
    summary="One questionnaire across a programme's closed surveys: cohorts, programme average, months",
)
def programme_results_api(request, programme_id: UUID, instrument: UUID | None = None):
    workspace = api_workspace(request)
    require_api_perm(request, "surveys.view_surveys", workspace)
    programme = Programme.objects.filter(workspace=workspace, uuid=programme_id).first()
    if programme is None:
        raise Http404
    require_api_perm(request, "surveys.view_programme_results", programme)
    chosen = None
    if instrument is not None:
        chosen = next((i for i in programme_instruments(programme) if i.uuid == instrument), None)
        if chosen is None:
            raise Http404
    return _programme_out(programme_results(programme, instrument=chosen))
