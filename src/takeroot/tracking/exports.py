"""A dashboard's tables as XLSX and CSV: the same ``Dashboard`` the page shows, so the same numbers.

XLSX keeps numbers as numbers (percentages as fractions formatted as percentages), one sheet per
table; CSV puts the tables one after another, each under its own title row, as a spreadsheet
user would copy them from the page.
"""

import csv
import io
from collections.abc import Iterable

from django.utils.text import slugify
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from .dashboard import Dashboard, FindingLine, Flagged
from .enums import Light
from .indicators import Reading, name_of
from .models import Indicator

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV = "text/csv; charset=utf-8"
PERCENT = "0%"
DECIMAL = "0.0"


def filename(dashboard: Dashboard, extension: str) -> str:
    """ "takeroot-customer-conversations-krakow-spring-2026-09-01-2026-09-30.xlsx": what and when."""
    what = slugify(dashboard.title) or dashboard.kind
    return f"takeroot-{what}-{dashboard.period.start.isoformat()}-{dashboard.period.last_day.isoformat()}.{extension}"


def _light(reading: Reading | None) -> str:
    return str(Light(reading.light).label) if reading is not None and not reading.cohort_only else ""


def _number(reading: Reading | None) -> float | None:
    return None if reading is None else reading.value


def _summary(dashboard: Dashboard) -> tuple[list[str], list[list]]:
    headers = [
        _("Category"),
        _("Indicator"),
        _("Value"),
        _("Previous period"),
        _("Threshold"),
        _("Records"),
        _("Status"),
    ]
    rows = [
        [group.label, r.name, r.value, r.previous, r.indicator.threshold, r.n, _light(r)]
        for group in dashboard.groups
        for r in group.readings
    ]
    return headers, rows


def _table(indicators: list[Indicator], rows, *, heading: str, counts_flags: bool) -> tuple[list[str], list[list]]:
    headers = [heading, *(name_of(indicator) for indicator in indicators)]
    if counts_flags:
        headers.append(_("At risk"))
    lines = []
    for row in rows:
        line = [row.label, *(_number(cell) for cell in row.readings)]
        if counts_flags:
            line.append(row.at_risk or 0)
        lines.append(line)
    return headers, lines


def _flags(flags: list[Flagged]) -> tuple[list[str], list[list]]:
    return [_("Participant"), _("Cohort"), _("Reasons")], [[f.name, f.cohort, " ".join(f.reasons)] for f in flags]


def _findings(findings: list[FindingLine]) -> tuple[list[str], list[list]]:
    headers = [_("Finding"), _("About"), _("Cohort"), _("Figure"), _("Target"), _("Behind it")]
    rows = [
        [
            line.finding.get_kind_display(),
            line.what,
            line.finding.cohort.name if line.finding.cohort_id else _("Whole programme"),
            line.figure,
            line.target,
            line.count,
        ]
        for line in findings
    ]
    return headers, rows


def sections(dashboard: Dashboard) -> Iterable[tuple[str, list[str], list[list], dict[int, str]]]:
    """(title, headers, rows, number formats by column) for every table the page shows."""
    headers, rows = _summary(dashboard)
    percent_rows = [r.indicator.unit == "%" for group in dashboard.groups for r in group.readings]
    yield _("Indicators"), headers, rows, {"percent_rows": percent_rows}
    for table in dashboard.tables:
        headers, rows = _table(table.indicators, table.rows, heading=table.heading, counts_flags=table.counts_flags)
        formats = {
            column: PERCENT if indicator.unit == "%" else DECIMAL
            for column, indicator in enumerate(table.indicators, start=2)
        }
        yield table.caption, headers, rows, formats
    for block in dashboard.charts:
        headers = [_("Period"), *block.columns]
        rows = [[label, *numbers] for label, numbers in block.values]
        yield block.title, headers, rows, {}
    if dashboard.flags is not None:
        yield (_("At risk"), *_flags(dashboard.flags), {})
    if dashboard.findings is not None:
        yield (_("Findings"), *_findings(dashboard.findings), {})


def dashboard_xlsx(dashboard: Dashboard) -> bytes:
    """One sheet per table, under a first sheet naming the dashboard and its period."""
    workbook = Workbook()
    about = workbook.active
    about.title = _("Dashboard")[:31]
    about.append([_("Dashboard"), dashboard.title])
    about.append([_("From"), dashboard.period.start])
    about.append([_("To"), dashboard.period.last_day])
    for row in (2, 3):
        about.cell(row=row, column=2).number_format = "yyyy-mm-dd"
    about.column_dimensions["A"].width = 20
    about.column_dimensions["B"].width = 50
    used: set[str] = {about.title}
    for title, headers, rows, formats in sections(dashboard):
        sheet = workbook.create_sheet(title=_sheet_title(title, used))
        sheet.append(headers)
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        percent_rows = formats.pop("percent_rows", None)
        for index, row in enumerate(rows):
            sheet.append(row)
            if percent_rows is not None:
                # The summary: value, previous and threshold in the indicator's own unit.
                for column in (3, 4, 5):
                    sheet.cell(row=sheet.max_row, column=column).number_format = (
                        PERCENT if percent_rows[index] else DECIMAL
                    )
            for column, number_format in formats.items():
                sheet.cell(row=sheet.max_row, column=column).number_format = number_format
        sheet.column_dimensions["A"].width = 40
        sheet.freeze_panes = "B2"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _sheet_title(title: str, used: set[str]) -> str:
    """Sheet names are at most 31 characters, unique, without []:*?/\\."""
    clean = "".join(" " if char in "[]:*?/\\" else char for char in title)[:31].strip() or "Sheet"
    name, number = clean, 2
    while name in used:
        suffix = f" {number}"
        name, number = clean[: 31 - len(suffix)] + suffix, number + 1
    used.add(name)
    return name


def dashboard_csv(dashboard: Dashboard) -> str:
    """The tables one after another: a title row, the header row, the rows, an empty row.
    Percentages are written as fractions (0.85), like the XLSX's underlying numbers."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([dashboard.title, dashboard.period.start.isoformat(), dashboard.period.last_day.isoformat()])
    writer.writerow([])
    for title, headers, rows, _formats in sections(dashboard):
        writer.writerow([title])
        writer.writerow(headers)
        writer.writerows([["" if value is None else value for value in row] for row in rows])
        writer.writerow([])
    return buffer.getvalue()
