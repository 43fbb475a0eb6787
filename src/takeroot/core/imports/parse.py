"""Reading an uploaded people file: the header and the rows, as text, with formula cells marked."""

import csv
import io
import re
from datetime import date

import openpyxl
from django.conf import settings
from django.utils.formats import number_format
from django.utils.translation import gettext as _

# Header spellings we accept (lower-cased, single spaces) and the row key each one fills.
COLUMNS = {
    "email": "email",
    "name": "name",
    "team": "team",
    "manager email": "manager_email",
    "manager_email": "manager_email",
    "language": "language",
    "time zone": "timezone",
    "timezone": "timezone",
    "time_zone": "timezone",
    "roles": "roles",
}
LANGUAGES = {"en": "en", "pl": "pl", "sv": "sv", "zh-hans": "zh-hans", "zh_hans": "zh-hans", "zh": "zh-hans"}
TEAM_SEPARATOR = " / "
TEAM_SPLIT = re.compile(r"(?<=\s)/(?=\s)")  # "Sales / North" is nested, "R/D" is one team
# Spreadsheets run cells starting with these when the data is opened again, so they are refused,
# never stored. A leading "-" is left alone: none of our columns holds numbers.
FORMULA_PREFIXES = ("=", "+", "@")
USER_FIELDS = ("name", "language", "timezone")
MAX_NAME, MAX_EMAIL = 200, 254

Records = list[tuple[int, list[str], set[int]]]  # (line, cells, positions of formula cells)


class ImportFileError(Exception):
    """The file as a whole cannot be imported; ``str(error)`` tells the admin why, in their language."""


# Parse ------------------------------------------------------------------------------------------


def read_file(uploaded_file) -> tuple[list[str], Records]:
    """The header and the non-empty rows below it, numbered as a spreadsheet numbers them."""
    filename = (uploaded_file.name or "").lower()
    if not filename.endswith((".csv", ".xlsx")):
        raise ImportFileError(_("Upload a CSV or XLSX file."))
    limit = settings.TAKEROOT_MAX_IMPORT_BYTES / (1024 * 1024)
    if uploaded_file.size > settings.TAKEROOT_MAX_IMPORT_BYTES:  # checked before anything is read
        raise ImportFileError(
            _("The file is larger than %(limit)s MB. Split it into smaller files and upload them one by one.")
            % {"limit": number_format(limit, decimal_pos=0 if limit.is_integer() else 1)}
        )
    data = b"".join(uploaded_file.chunks())
    records = _read_xlsx(data) if filename.endswith(".xlsx") else _read_csv(data)
    lines = [(line, cells, formulas) for line, (cells, formulas) in enumerate(records, start=1) if any(cells)]
    if not lines:
        raise ImportFileError(_("The file is empty."))
    if len(lines) == 1:
        raise ImportFileError(_("The file has a header row but nothing below it."))
    return lines[0][1], lines[1:]


def _read_csv(data: bytes) -> list[tuple[list[str], set[int]]]:
    try:
        text = data.decode("utf-8-sig")  # Excel's "CSV UTF-8" starts with a byte order mark
    except UnicodeDecodeError:
        raise ImportFileError(_("The file is not UTF-8 text. Save it as “CSV UTF-8” and upload it again.")) from None
    # Excel writes ";" where the decimal separator is a comma, other tools write tabs; the header
    # line, which has no quoted delimiters in practice, tells which one this file uses.
    header = text.lstrip("\r\n").split("\n", 1)[0]
    try:
        records = list(csv.reader(io.StringIO(text, newline=""), delimiter=max(",;\t", key=header.count)))
    except csv.Error:
        raise ImportFileError(_("This is not a readable CSV file.")) from None
    return [([cell.strip() for cell in record], set()) for record in records]


def _read_xlsx(data: bytes) -> list[tuple[list[str], set[int]]]:
    if not data.strip():
        return []
    workbook = None
    try:
        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=False)
        sheet = workbook.worksheets[0]
        sheet.reset_dimensions()  # some tools store a wrong sheet size, which would cut rows off
        return [
            (
                [_cell_text(getattr(cell.value, "text", cell.value)) for cell in row],  # array formulas: .text
                {position for position, cell in enumerate(row) if cell.data_type == "f"},
            )
            for row in sheet.iter_rows(min_row=1, min_col=1)
        ]
    except Exception:
        # A damaged or foreign file fails anywhere from zlib to the XML parser, with a dozen
        # exception types (fuzzing found zlib errors and unsupported-feature errors besides the obvious).
        raise ImportFileError(_("This is not a readable XLSX file.")) from None
    finally:
        if workbook is not None:
            workbook.close()


def _cell_text(value) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, date):
        return value.isoformat()
    return "" if value is None else str(value).strip()


def map_columns(
    header: list[str], columns: dict[str, str] = COLUMNS, required: tuple[str, ...] = ("email", "name")
) -> tuple[dict[str, int], list[str]]:
    """The position of each known column, and the titles of the ignored ones. Titles match
    whatever their case, spacing or underscores; every import of Takeroot reads its header here."""
    positions: dict[str, int] = {}
    ignored = []
    for position, title in enumerate(header):
        key = columns.get(" ".join(title.lower().replace("_", " ").split()))
        if key in positions:
            raise ImportFileError(_("The column “%(column)s” appears twice.") % {"column": title})
        if key:
            positions[key] = position
        elif title:
            ignored.append(title)
    for key in required:
        if key not in positions:
            raise ImportFileError(_("The column “%(column)s” is missing.") % {"column": key})
    return positions, ignored
