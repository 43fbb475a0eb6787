"""Files for the import tests (helpers, no tests): CSV text or an XLSX workbook built with openpyxl, as uploads."""

import csv
import io

import openpyxl
from django.core.files.uploadedfile import SimpleUploadedFile

from takeroot.tracking.imports import guess_columns, import_activity, preview_import, read_upload


def csv_file(rows: list[list], name: str = "export.csv") -> SimpleUploadedFile:
    text = io.StringIO()
    csv.writer(text).writerows(rows)
    return SimpleUploadedFile(name, text.getvalue().encode(), content_type="text/csv")


def xlsx_file(rows: list[list], name: str = "export.xlsx") -> SimpleUploadedFile:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return SimpleUploadedFile(name, buffer.getvalue())


def check(cohort, kind: str, uploaded, columns: dict[str, int] | None = None):
    """Read and check a file as the pages do, the columns guessed from its header."""
    upload = read_upload(uploaded)
    columns = guess_columns(upload.header, kind) if columns is None else columns
    return upload, columns, preview_import(cohort=cohort, kind=kind, upload=upload, columns=columns)


def import_file(cohort, kind: str, uploaded, actor=None):
    upload, columns, preview = check(cohort, kind, uploaded)
    return import_activity(preview=preview, upload=upload, columns=columns, actor=actor)
