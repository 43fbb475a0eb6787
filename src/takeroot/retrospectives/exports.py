"""The report as a spreadsheet (openpyxl) and as an accessible PDF (WeasyPrint, PDF/UA-1).

Both are written in the active language, so the view renders them inside the reader's.
"""

from io import BytesIO

from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from .charts import factors_chart, ranking_chart
from .report import Report

PERCENT = "0.0%"
MONEY = "#,##0.00"
DECIMAL = "0.00"


def _sheet(workbook: Workbook, title: str, headers: list[str], rows: list[list], formats: dict[int, str]) -> None:
    sheet = workbook.create_sheet(title=title[:31])
    sheet.append(headers)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    for row in rows:
        sheet.append(row)
    for column, number_format in formats.items():
        for (cell,) in sheet.iter_rows(min_row=2, min_col=column, max_col=column):
            cell.number_format = number_format
    for index, header in enumerate(headers, start=1):
        longest = max([len(str(header))] + [len(str(r[index - 1])) for r in rows if r[index - 1] is not None])
        sheet.column_dimensions[get_column_letter(index)].width = min(max(longest + 2, 10), 60)
    sheet.freeze_panes = "A2"


def report_xlsx(report: Report) -> bytes:
    """Sheets Ranking, Factors, Cost, Repeat and Indicators: numbers as numbers, shares as percentages."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    _sheet(
        workbook,
        _("Ranking"),
        [
            _("Rank"),
            _("Initiative"),
            _("Ratings"),
            _("Forgotten"),
            _("Remembered"),
            _("Changed how I work"),
            _("Changed how we work"),
            _("Mean level (0–3)"),
            _("Share who say it changed their work"),
            _("Verdict"),
        ],
        [
            [
                row.rank,
                row.initiative.title,
                row.ratings,
                *row.per_level,
                row.mean_level,
                row.share_changed,
                row.verdict_label,
            ]
            for row in report.ranking
        ],
        {8: DECIMAL, 9: PERCENT},
    )
    _sheet(
        workbook,
        _("Factors"),
        [
            _("Reason"),
            _("Ratings that stuck citing it"),
            _("Share of ratings that stuck"),
            _("Forgotten ratings citing it"),
            _("Share of forgotten ratings"),
            _("Difference (percentage points)"),
            _("p-value (Fisher's exact test)"),
            _("Clear difference"),
        ],
        [
            [
                f.label,
                f.stuck_count,
                f.stuck_share,
                f.forgotten_count,
                f.forgotten_share,
                f.difference_points,
                f.p_value,
                _("yes") if f.clear_difference else _("no"),
            ]
            for f in report.factors
        ],
        {3: PERCENT, 5: PERCENT, 6: "0.0", 7: "0.000"},
    )
    sheet = workbook[_("Factors")[:31]]
    sheet.append([])
    sheet.append([_("Ratings of initiatives that stuck"), report.stuck_ratings])
    sheet.append([_("Ratings of forgotten initiatives"), report.forgotten_ratings])
    for other in report.other_reasons:
        sheet.append([_("Other reason"), other.initiative.title, other.level_label, other.text])
    _sheet(
        workbook,
        _("Cost"),
        [
            _("Initiative"),
            _("Verdict"),
            _("Cost"),
            _("Currency"),
            _("Raters who say it changed their work"),
            _("Cost per rater who says it changed their work"),
        ],
        [
            [c.initiative.title, str(c.verdict.label), c.cost, c.currency, c.changed, c.cost_per_changed_rater]
            for c in report.costs
        ],
        {3: MONEY, 6: MONEY},
    )
    sheet = workbook[_("Cost")[:31]]
    sheet.append([])
    totals_header = [
        _("Currency"),
        _("Initiatives with a known cost"),
        _("Total spent"),
        _("Initiatives that stuck"),
        _("Cost per initiative that stuck"),
        _("Forgotten initiatives"),
        _("Spent on forgotten initiatives"),
    ]
    sheet.append(totals_header)
    for cell in sheet[sheet.max_row]:
        cell.font = Font(bold=True)
    for c in report.currencies:
        sheet.append([c.currency, c.initiatives, c.total, c.stuck, c.cost_per_stuck, c.forgotten, c.spent_on_forgotten])
        for column in (3, 5, 7):
            sheet.cell(row=sheet.max_row, column=column).number_format = MONEY
    _sheet(
        workbook,
        _("Repeat"),
        [_("Initiative"), _("Would repeat it"), _("Ratings"), _("Share of its raters"), _("Comments")],
        [[r.initiative.title, r.votes, r.ratings, r.share, "\n".join(r.comments)] for r in report.repeat],
        {4: PERCENT},
    )
    _sheet(
        workbook,
        _("Indicators"),
        [_("Initiative"), _("Indicator"), _("Value"), _("Unit"), _("Source")],
        [
            [group.initiative.title, i.name, i.value, i.unit, i.source]
            for group in report.indicators
            for i in group.indicators
        ],
        {3: "#,##0.##"},
    )
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def report_pdf(report: Report, *, base_url: str) -> bytes:
    """A tagged PDF/UA-1 document with the page's sections and the charts as vector images."""
    from weasyprint import CSS, HTML  # heavy; only the PDF needs it

    html = render_to_string(
        "retrospectives/report_pdf.html",
        {
            "report": report,
            "retrospective": report.retrospective,
            "factors_chart": factors_chart(report),
            "ranking_chart": ranking_chart(report),
            "language": get_language(),
        },
    )
    # The stylesheet from the disk, not over HTTP from ourselves.
    stylesheet = CSS(filename=finders.find("takeroot/report-pdf.css"))
    return HTML(string=html, base_url=base_url).write_pdf(stylesheets=[stylesheet], pdf_variant="pdf/ua-1")
