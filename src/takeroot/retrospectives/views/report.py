"""The "what stuck and why" report: the page and its XLSX and PDF exports, for admins."""

from django.http import HttpResponse
from django.shortcuts import render
from django.utils.safestring import mark_safe

from takeroot.core.views.helpers import get_or_404, workspace_view

from .. import exports
from ..charts import factors_chart, ranking_chart
from ..queries import retrospectives_for_workspace
from ..report import build_report

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _report(request, uuid):
    retrospective = get_or_404(retrospectives_for_workspace(request.workspace), uuid=uuid)
    return build_report(retrospective)


def _download(content: bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@workspace_view("retrospectives.view_report")
def report_page(request, uuid):
    report = _report(request, uuid)
    factors, ranking = factors_chart(report), ranking_chart(report)
    return render(
        request,
        "retrospectives/report.html",
        {
            "report": report,
            "retrospective": report.retrospective,
            # Our own SVG: altair escapes every label it draws, and accessible_svg escapes the rest.
            "factors_chart": factors,
            "factors_svg": mark_safe(factors.svg) if factors else None,
            "ranking_chart": ranking,
            "ranking_svg": mark_safe(ranking.svg) if ranking else None,
        },
    )


@workspace_view("retrospectives.view_report")
def report_xlsx(request, uuid):
    report = _report(request, uuid)
    return _download(exports.report_xlsx(report), XLSX, f"{report.filename_stem}.xlsx")


@workspace_view("retrospectives.view_report")
def report_pdf(request, uuid):
    report = _report(request, uuid)
    pdf = exports.report_pdf(report, base_url=request.build_absolute_uri("/"))
    return _download(pdf, "application/pdf", f"{report.filename_stem}.pdf")
