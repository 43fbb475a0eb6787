"""The quiz results pages: a cohort's and a programme's results (trainers and admins), a
participant's progress (their answers for themself and their trainers; the summary only for their
line manager) and a manager's summary of their people, with an XLSX copy of the cohort's table."""

from io import BytesIO

from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from openpyxl import Workbook
from openpyxl.styles import Font

from takeroot.core.rules import principal_has_perm
from takeroot.core.views.helpers import get_or_404, require_perm, workspace_view
from takeroot.programmes.models import Cohort, Enrolment, Programme

from .. import analytics
from ..analytics import BELOW_AVERAGE, LOW_ACCURACY, MIN_FIRST_ANSWERS, percent
from ..charts import knowledge_chart, retention_chart
from ..retention import answer_rows, retention_over_time, summaries, team_enrolments

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PERCENT = "0%"


def _rule() -> dict:
    """The weak-spot rule's numbers, for the sentence that states it on the page."""
    return {"minimum": MIN_FIRST_ANSWERS, "limit": percent(LOW_ACCURACY), "points": percent(BELOW_AVERAGE)}


def _cohort(request, uuid) -> Cohort:
    cohort = get_or_404(Cohort.objects.filter(workspace=request.workspace).select_related("programme"), uuid=uuid)
    require_perm(request, "quizzes.view_cohort_results", cohort)
    return cohort


def _tables(results, *, groups: dict) -> list[tuple[dict, list]]:
    """The results tables in page order: what each is about and its rows."""
    kinds = [
        ({"heading": _("Modules"), "caption": _("Accuracy per module"), "column": _("Module")}, results.modules),
        (
            {
                "heading": _("Learning objectives"),
                "caption": _("Accuracy per learning objective"),
                "column": _("Objective"),
            },
            results.objectives,
        ),
        (
            {
                "heading": _("Questions"),
                "caption": _("Accuracy per question"),
                "column": _("Question"),
                "distractors": True,
            },
            results.questions,
        ),
        (groups, results.groups),
    ]
    empty = _("Nothing to show yet.")
    return [(kind | {"empty": kind.get("empty", empty)}, rows) for kind, rows in kinds]


def _results_context(results, *, groups: dict) -> dict:
    modules = [row.obj for row in results.modules]
    chart = knowledge_chart(results, modules)
    return {"results": results, "chart": chart, "rule": _rule(), "tables": _tables(results, groups=groups)}


@workspace_view("quizzes.view_quizzes")
def cohort_results(request, uuid):
    """Accuracy per module, objective and question, the trend, weak spots, the wrong options chosen
    most often, confidently wrong answers and each participant's score."""
    cohort = _cohort(request, uuid)
    people = {
        "heading": _("Participants"),
        "caption": _("Accuracy per participant"),
        "column": _("Participant"),
        "link": "quizzes:progress",
        "empty": _("Nobody is enrolled yet."),
    }
    context = _results_context(analytics.cohort_results(cohort), groups=people) | {
        "cohort": cohort,
        "confidently_wrong": list(analytics.confidently_wrong(cohort)),
    }
    return render(request, "quizzes/results_cohort.html", context)


def _workbook(results) -> bytes:
    """One sheet per table of the page: shares as percentages, flags in words."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    headers = [
        _("Answers"),
        pgettext("quiz answers", "Right"),
        _("Accuracy"),
        _("First-attempt accuracy"),
        _("Later accuracy"),
        _("Confidently wrong"),
        pgettext("results table column", "Flag"),
    ]
    for title, rows in (
        (_("Modules"), results.modules),
        (_("Learning objectives"), results.objectives),
        (_("Questions"), results.questions),
        (_("Participants"), results.groups),
    ):
        sheet = workbook.create_sheet(title=title[:31])
        sheet.append([title, *headers])
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for row in rows:
            score = row.score
            sheet.append(
                [
                    row.label,
                    score.answers,
                    score.right,
                    score.accuracy,
                    score.first_accuracy,
                    score.later_accuracy,
                    score.sure_wrong,
                    row.flag,
                ]
            )
        for column in ("D", "E", "F"):
            for (cell,) in sheet.iter_rows(min_row=2, min_col=ord(column) - 64, max_col=ord(column) - 64):
                cell.number_format = PERCENT
        sheet.column_dimensions["A"].width = 50
        sheet.freeze_panes = "B2"
    out = BytesIO()
    workbook.save(out)
    return out.getvalue()


@workspace_view("quizzes.view_quizzes")
def cohort_results_xlsx(request, uuid):
    cohort = _cohort(request, uuid)
    response = HttpResponse(_workbook(analytics.cohort_results(cohort)), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="quiz-results-{cohort.uuid}.xlsx"'
    return response


@workspace_view("quizzes.view_quizzes")
def programme_results(request, uuid):
    """The same figures over every cohort of the programme, with the cohorts side by side."""
    programme = get_or_404(Programme.objects.filter(workspace=request.workspace), uuid=uuid)
    require_perm(request, "quizzes.view_programme_results", programme)
    cohorts = {
        "heading": _("Cohorts compared"),
        "caption": _("Accuracy per cohort"),
        "column": _("Cohort"),
        "empty": _("No cohorts yet."),
    }
    results = analytics.programme_results(programme)
    context = _results_context(results, groups=cohorts) | {"programme": programme}
    return render(request, "quizzes/results_programme.html", context)


@workspace_view("quizzes.view_quizzes")
def progress(request, uuid):
    """A participant's retention per module over time and their summary; their answers with the
    explanations for themself, their trainers and admins, never for their line manager."""
    found = Enrolment.objects.filter(workspace=request.workspace).select_related("person__user", "cohort__programme")
    enrolment = get_or_404(found, uuid=uuid)
    require_perm(request, "quizzes.view_summary", enrolment)
    now = timezone.now()
    series = retention_over_time(enrolment, now=now)
    sees_answers = principal_has_perm(request, "quizzes.view_answers", enrolment)
    context = {
        "enrolment": enrolment,
        "own": enrolment.person.user_id == request.user.pk,
        "series": series,
        "chart": retention_chart(series),
        "summary": summaries([enrolment], now=now)[0],
        "answers": answer_rows(enrolment) if sees_answers else None,
        "sees_cohort": principal_has_perm(request, "quizzes.view_cohort_results", enrolment.cohort),
    }
    return render(request, "quizzes/results_progress.html", context)


@workspace_view("quizzes.view_team_summary")
def team_summary(request):
    """Each of the manager's people: accuracy, retention now and questions answered per module."""
    people = summaries(list(team_enrolments(request.user, workspace=request.workspace)), now=timezone.now())
    return render(request, "quizzes/results_team.html", {"people": people, "title": _("Quiz results of my team")})


def home_panel(request):
    """For a line manager whose people take part in quizzes: a way to their summary."""
    if request.person is None or not principal_has_perm(request, "quizzes.view_team_summary", request.workspace):
        return None
    people = team_enrolments(request.user, workspace=request.workspace).filter(quiz_answers__isnull=False).distinct()
    count = people.count()
    return ("quizzes/results_home_panel.html", {"people": count}) if count else None
