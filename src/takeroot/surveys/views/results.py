"""Survey results pages: a survey's results (with a breakdown or one filter, and XLSX/PDF copies
of exactly what the page shows), the 360° report for the person it is about (the same page, with
their own answers beside the others'), and a programme's trend across cohorts and months."""

from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from takeroot.core.models import Team
from takeroot.core.views.helpers import get_or_404, require_perm, workspace_view
from takeroot.programmes.models import Programme

from .. import exports
from ..charts import distribution_chart, trend_chart
from ..enums import RaterGroup, SurveyQuestionKind
from ..models import Survey
from ..results import Breakdown, parse_options, programme_instruments, programme_results, survey_results

TREND_KINDS = (SurveyQuestionKind.LIKERT_5, SurveyQuestionKind.LIKERT_7, SurveyQuestionKind.SCALE_10)


def _survey(request, uuid) -> Survey:
    found = Survey.objects.filter(workspace=request.workspace).select_related("instrument", "cohort", "subject")
    survey = get_or_404(found, uuid=uuid)
    require_perm(request, "surveys.view_results", survey)
    return survey


def viewer_is_subject(request, survey: Survey) -> bool:
    """Whether the signed-in person is the one a 360° is about (never an API key)."""
    user = getattr(request, "user", None)
    return bool(survey.subject_id and user is not None and user.is_authenticated and survey.subject.user_id == user.pk)


def _results(request, survey: Survey):
    """The results for the query's breakdown or filter; a bad value is reported and ignored."""
    query = {name: request.GET.get(name, "").strip() for name in ("breakdown", "team", "rater_group")}
    try:
        options = parse_options(survey, **query)
        errors = {}
    except ValidationError as error:
        options, errors = {}, error.message_dict
    return survey_results(survey, viewer_is_subject=viewer_is_subject(request, survey), **options), query, errors


@workspace_view("surveys.view_surveys")
def survey_results_page(request, uuid):
    """Per question: the distribution, mean and 95 % interval, net score, comments; a breakdown
    by team or rater group, or one team or rater group on its own, when the thresholds allow."""
    survey = _survey(request, uuid)
    results, query, errors = _results(request, survey)
    context = {
        "survey": survey,
        "results": results,
        "items": [{"q": q, "chart": distribution_chart(q)} for q in results.questions],
        "own": [{"q": q, "chart": None} for q in results.own],
        "query": query,
        "errors": errors,
        "querystring": request.GET.urlencode(),
        "teams": Team.objects.filter(workspace=request.workspace).order_by("name"),
        "breakdowns": Breakdown.choices,
        "rater_groups": RaterGroup.choices,
    }
    return render(request, "surveys/results.html", context)


def _download(content: bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@workspace_view("surveys.view_surveys")
def survey_results_xlsx(request, uuid):
    survey = _survey(request, uuid)
    results, _query, _errors = _results(request, survey)
    return _download(exports.results_xlsx(results), exports.XLSX, f"survey-results-{survey.uuid}.xlsx")


@workspace_view("surveys.view_surveys")
def survey_results_pdf(request, uuid):
    survey = _survey(request, uuid)
    results, _query, _errors = _results(request, survey)
    pdf = exports.results_pdf(results, base_url=request.build_absolute_uri("/"))
    return _download(pdf, "application/pdf", f"survey-results-{survey.uuid}.pdf")


@workspace_view("surveys.view_surveys")
def programme_results_page(request, uuid):
    """One questionnaire across the programme's closed surveys: each cohort, the programme
    average, each cohort's difference from it, and the average month by month."""
    programme = get_or_404(Programme.objects.filter(workspace=request.workspace), uuid=uuid)
    require_perm(request, "surveys.view_programme_results", programme)
    instruments = programme_instruments(programme)
    instrument = None
    if request.GET.get("instrument"):
        instrument = next((i for i in instruments if str(i.uuid) == request.GET["instrument"]), None)
        if instrument is None:
            raise Http404
    results = programme_results(programme, instrument=instrument)
    trends = []
    for trend in results.questions:
        is_trend = trend.question.kind in TREND_KINDS
        trends.append(
            {
                "trend": trend,
                "is_trend": is_trend,
                "cohort_chart": trend_chart(trend, by="cohorts") if is_trend else None,
                "month_chart": trend_chart(trend, by="months") if is_trend else None,
            }
        )
    context = {"programme": programme, "results": results, "trends": trends, "title": _("Survey results")}
    return render(request, "surveys/results_programme.html", context)
