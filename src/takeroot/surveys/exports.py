"""A survey's results as XLSX and PDF: the same ``SurveyResults`` the page shows, so the same
thresholds. A result that is not shown is written out as "not enough responses" or "no data",
with no figures."""

from io import BytesIO

from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from .charts import distribution_chart
from .results import QuestionResult, ResultStatus, SurveyResults

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PERCENT = "0%"
DECIMAL = "0.00"


def _status(status: str) -> str:
    return str(ResultStatus(status).label)


def _sheet(workbook: Workbook, title: str, headers: list[str], rows: list[list], formats: dict[int, str] | None = None):
    sheet = workbook.create_sheet(title=title[:31])
    sheet.append(headers)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append(row)
        for column, number_format in (formats or {}).items():
            sheet.cell(row=sheet.max_row, column=column).number_format = number_format
    sheet.column_dimensions["A"].width = 50
    sheet.freeze_panes = "B2"
    return sheet


def _summary_rows(questions: list[QuestionResult], group: str | None = None) -> list[list]:
    rows = []
    for result in questions:
        parts = [(result.prompt, result)] + [(f"{result.prompt}: {row.label}", row) for row in result.rows]
        for label, item in parts:
            mean = item.mean
            net = getattr(item, "net_score", None)
            line = [label, _status(item.status), item.n, mean and mean.mean, mean and mean.low, mean and mean.high, net]
            rows.append(([group] if group is not None else []) + line)
    return rows


def _distribution_rows(questions: list[QuestionResult]) -> list[list]:
    """Question, answer, status, count, share: a bar per row, or one row saying why nothing is shown."""
    rows = []
    for result in questions:
        parts = [(result.prompt, result)] + [(f"{result.prompt}: {row.label}", row) for row in result.rows]
        for name, item in parts:
            if not item.shown:
                rows.append([name, "", _status(item.status), None, None])
            rows.extend([name, bar.label, _status(item.status), bar.count, bar.share] for bar in item.bars)
    return rows


def results_xlsx(results: SurveyResults) -> bytes:
    """Sheets: summary (status, n, mean and 95 % interval, net score per question and statement),
    distribution, comments, and the breakdown when one was asked for."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    about = _sheet(workbook, _("Survey"), [_("Survey"), results.survey.title], [])
    about.append([_("Status"), results.refused or (_status(results.status) if results.closed else _("open"))])
    about.append([_("Responses"), results.n])
    if results.filter_label:
        about.append([_("Filter"), results.filter_label])
    about.append([_("Fewest responses shown"), results.thresholds.min_responses])
    about.append([_("Fewest responses for comments"), results.thresholds.min_comments])
    about.append([_("Confidence intervals"), _("95 percent, t-interval")])
    headers = [
        _("Question"),
        _("Status"),
        _("Responses"),
        _("Mean"),
        _("Confidence interval from"),
        _("Confidence interval to"),
    ]
    headers.append(_("Net score"))
    formats = {4: DECIMAL, 5: DECIMAL, 6: DECIMAL}
    _sheet(workbook, _("Summary"), headers, _summary_rows(results.questions), formats)
    _sheet(
        workbook,
        _("Distribution"),
        [_("Question"), _("Answer"), _("Status"), _("Count"), _("Share")],
        _distribution_rows(results.questions),
        {5: PERCENT},
    )
    comments = []
    for result in results.questions:
        if result.kind != "text":
            continue
        if result.shown:
            comments.extend([result.prompt, comment] for comment in result.comments)
        else:
            comments.append([result.prompt, _status(result.status)])
    _sheet(workbook, _("Comments"), [_("Question"), _("Comment")], comments)
    if results.breakdown is not None:
        breakdown = results.breakdown
        rows = []
        for group in breakdown.groups:
            if group.shown:
                rows.extend(_summary_rows(group.questions, group.label))
            else:
                rows.append([group.label, None, _status(group.status)])
        if breakdown.refused:
            rows.append([breakdown.refused])
        _sheet(workbook, breakdown.label, [_("Group"), *headers], rows, {5: DECIMAL, 6: DECIMAL, 7: DECIMAL})
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def results_pdf_html(results: SurveyResults) -> str:
    """The PDF's document: the page's body, with the charts as images."""
    return render_to_string(
        "surveys/results_pdf.html",
        {
            "results": results,
            "survey": results.survey,
            "items": [{"q": q, "chart": distribution_chart(q)} for q in results.questions],
            "own": [{"q": q, "chart": None} for q in results.own],
            "language": get_language(),
            "pdf": True,
        },
    )


def results_pdf(results: SurveyResults, *, base_url: str) -> bytes:
    """A tagged PDF/UA-1 document with the page's results, tables and charts."""
    from weasyprint import CSS, HTML  # heavy; only the PDF needs it

    stylesheet = CSS(filename=finders.find("takeroot/report-pdf.css"))
    html = HTML(string=results_pdf_html(results), base_url=base_url)
    return html.write_pdf(stylesheets=[stylesheet], pdf_variant="pdf/ua-1")
