"""Quiz results over JSON: the same analytics, rules and permissions as the results pages.

A cohort's results (per participant) are for admins and the cohort's trainers; a programme's for
admins and trainers; a participant's progress for themself, their trainers and admins, and for
their line manager without the answers; the team summary for managers (per person and module,
never single answers). An API key needs the ``quizzes:read`` scope and sees one workspace.
"""

import datetime
from uuid import UUID

from django.http import Http404
from django.utils import timezone
from ninja import Router, Schema

from takeroot.core.api_support import READ_ERRORS, api_workspace, require_api_perm
from takeroot.core.rules import API_KEY_SCOPES, principal_has_perm
from takeroot.programmes.models import Cohort, Enrolment, Programme

from .. import analytics
from ..analytics import Results, Row, Score, WeakSpot
from ..retention import AnswerRow, PersonSummary, answer_rows, retention_over_time, summaries, team_enrolments

router = Router(tags=["Quizzes"])

API_KEY_SCOPES.update(
    dict.fromkeys(
        (
            "quizzes.view_quizzes",
            "quizzes.view_cohort_results",
            "quizzes.view_programme_results",
            "quizzes.view_answers",
            "quizzes.view_summary",
            "quizzes.view_team_summary",
        ),
        "quizzes:read",
    )
)


class QuizScoreOut(Schema):
    answers: int
    right: int
    accuracy: float | None
    first_answers: int
    first_accuracy: float | None
    later_answers: int
    later_accuracy: float | None
    confidently_wrong: int


class QuizDistractorOut(Schema):
    answer: str
    count: int


class QuizResultRowOut(Schema):
    id: UUID | None
    label: str
    score: QuizScoreOut
    flag: str  # why it is a weak spot; empty when it is not
    distractors: list[QuizDistractorOut]


class QuizWeakSpotOut(Schema):
    kind: str
    id: UUID
    label: str
    accuracy: float
    answers: int
    reason: str


class QuizRoundTrendOut(Schema):
    round: int
    score: QuizScoreOut


class QuizWeekTrendOut(Schema):
    week: datetime.date
    score: QuizScoreOut


class QuizResultsOut(Schema):
    overall: QuizScoreOut
    modules: list[QuizResultRowOut]
    objectives: list[QuizResultRowOut]
    questions: list[QuizResultRowOut]
    by_round: list[QuizRoundTrendOut]
    by_week: list[QuizWeekTrendOut]
    weak_spots: list[QuizWeakSpotOut]


class CohortQuizResultsOut(QuizResultsOut):
    cohort: UUID
    participants: list[QuizResultRowOut]


class ProgrammeQuizResultsOut(QuizResultsOut):
    programme: UUID
    cohorts: list[QuizResultRowOut]


class QuizModuleSummaryOut(Schema):
    module: UUID | None
    title: str
    asked: int
    answered: int
    right: int
    accuracy: float | None
    retention: float | None


class QuizRetentionOut(Schema):
    module: UUID | None
    retention: float


class QuizRetentionPointOut(Schema):
    at: datetime.datetime
    modules: list[QuizRetentionOut]


class QuizAnswerOut(Schema):
    question: UUID
    prompt: str
    language: str
    given: str
    expected: str
    correct: bool
    confidence: str
    explanation: str
    answered_at: datetime.datetime


class QuizProgressOut(Schema):
    enrolment: UUID
    participant: str
    modules: list[QuizModuleSummaryOut]
    retention: list[QuizRetentionPointOut]
    answers: list[QuizAnswerOut] | None  # null for whoever may see the summary only


class QuizPersonSummaryOut(Schema):
    enrolment: UUID
    participant: str
    cohort: UUID
    cohort_name: str
    modules: list[QuizModuleSummaryOut]


# Shaping ---------------------------------------------------------------------------------------


def _score(score: Score) -> dict:
    return {
        "answers": score.answers,
        "right": score.right,
        "accuracy": score.accuracy,
        "first_answers": score.first,
        "first_accuracy": score.first_accuracy,
        "later_answers": score.later,
        "later_accuracy": score.later_accuracy,
        "confidently_wrong": score.sure_wrong,
    }


def _row(row: Row) -> dict:
    return {
        "id": getattr(row.obj, "uuid", None),
        "label": row.label,
        "score": _score(row.score),
        "flag": row.flag,
        "distractors": [{"answer": str(answer), "count": count} for answer, count in row.distractors],
    }


def _spot(spot: WeakSpot) -> dict:
    return {
        "kind": spot.kind,
        "id": spot.obj.uuid,
        "label": spot.label,
        "accuracy": spot.accuracy,
        "answers": spot.answers,
        "reason": spot.reason,
    }


def _results(results: Results) -> dict:
    return {
        "overall": _score(results.overall),
        "modules": [_row(r) for r in results.modules],
        "objectives": [_row(r) for r in results.objectives],
        "questions": [_row(r) for r in results.questions],
        "by_round": [{"round": number, "score": _score(score)} for number, score in results.by_round],
        "by_week": [{"week": week, "score": _score(score)} for week, score in results.by_week],
        "weak_spots": [_spot(spot) for spot in results.weak_spots],
    }


def _modules(summary: PersonSummary) -> list[dict]:
    return [
        {
            "module": row.module.uuid if row.module else None,
            "title": row.module.title if row.module else "",
            "asked": row.asked,
            "answered": row.answered,
            "right": row.right,
            "accuracy": row.accuracy,
            "retention": row.retention,
        }
        for row in summary.modules
    ]


def _answer(row: AnswerRow) -> dict:
    answer = row.answer
    return {
        "question": answer.question.uuid,
        "prompt": row.prompt,
        "language": row.lang,
        "given": row.given,
        "expected": row.expected,
        "correct": answer.correct,
        "confidence": answer.confidence,
        "explanation": row.explanation,
        "answered_at": answer.answered_at,
    }


# Finding ---------------------------------------------------------------------------------------


def _find(request, queryset, uuid: UUID, perm: str):
    """In the caller's workspace (else 404), then the rule (403)."""
    workspace = api_workspace(request)
    require_api_perm(request, "quizzes.view_quizzes", workspace)
    found = queryset.filter(workspace=workspace, uuid=uuid).first()
    if found is None:
        raise Http404
    require_api_perm(request, perm, found)
    return found


def _cohort(request, cohort_id: UUID) -> Cohort:
    return _find(request, Cohort.objects.select_related("programme"), cohort_id, "quizzes.view_cohort_results")


# Endpoints -------------------------------------------------------------------------------------


@router.get(
    "quizzes/cohorts/{cohort_id}/results",
    response={200: CohortQuizResultsOut, **READ_ERRORS},
    summary="A cohort's quiz results: accuracy per module, objective, question and participant, trend, weak spots",
)
def cohort_results(request, cohort_id: UUID):
    cohort = _cohort(request, cohort_id)
    results = analytics.cohort_results(cohort)
    return _results(results) | {"cohort": cohort.uuid, "participants": [_row(r) for r in results.groups]}


@router.get(
    "quizzes/programmes/{programme_id}/results",
    response={200: ProgrammeQuizResultsOut, **READ_ERRORS},
    summary="A programme's quiz results over all its cohorts, with the cohorts compared",
)
def programme_results(request, programme_id: UUID):
    programme = _find(request, Programme.objects.all(), programme_id, "quizzes.view_programme_results")
    results = analytics.programme_results(programme)
    return _results(results) | {"programme": programme.uuid, "cohorts": [_row(r) for r in results.groups]}


@router.get(
    "quizzes/cohorts/{cohort_id}/weak-spots",
    response={200: list[QuizWeakSpotOut], **READ_ERRORS},
    summary="The modules, objectives and questions a cohort answers badly, and why",
)
def cohort_weak_spots(request, cohort_id: UUID):
    return [_spot(spot) for spot in analytics.weak_spots(_cohort(request, cohort_id))]


@router.get(
    "quizzes/enrolments/{enrolment_id}/progress",
    response={200: QuizProgressOut, **READ_ERRORS},
    summary="A participant's accuracy and predicted recall per module over time; answers when you may see them",
)
def enrolment_progress(request, enrolment_id: UUID):
    related = Enrolment.objects.select_related("person__user", "cohort__programme")
    enrolment = _find(request, related, enrolment_id, "quizzes.view_summary")
    now = timezone.now()
    series = retention_over_time(enrolment, now=now)
    sees_answers = principal_has_perm(request, "quizzes.view_answers", enrolment)
    return {
        "enrolment": enrolment.uuid,
        "participant": enrolment.person.user.name,
        "modules": _modules(summaries([enrolment], now=now)[0]),
        "retention": [
            {
                "at": moment,
                "modules": [
                    {"module": module.uuid if module else None, "retention": values[module.pk if module else None]}
                    for module in series.modules
                    if values.get(module.pk if module else None) is not None
                ],
            }
            for moment, values in series.points
        ],
        "answers": [_answer(row) for row in answer_rows(enrolment)] if sees_answers else None,
    }


@router.get(
    "quizzes/team-summary",
    response={200: list[QuizPersonSummaryOut], **READ_ERRORS},
    summary="Your people's quiz summary per module (accuracy, predicted recall, answered of asked)",
)
def team_summary(request):
    workspace = api_workspace(request)
    require_api_perm(request, "quizzes.view_team_summary", workspace)
    people = summaries(list(team_enrolments(request.user, workspace=workspace)), now=timezone.now())
    return [
        {
            "enrolment": person.enrolment.uuid,
            "participant": person.enrolment.person.user.name,
            "cohort": person.enrolment.cohort.uuid,
            "cohort_name": person.enrolment.cohort.name,
            "modules": _modules(person),
        }
        for person in people
    ]
