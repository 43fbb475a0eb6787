"""People import: an admin uploads a CSV or XLSX file of people, checks a preview, then applies it.

The flow is parse → validate → plan → apply. ``preview_people_import`` reads the file, checks every
row against the rest of the file and the workspace, and stores the normalised rows, their errors and
the planned actions in a ``PeopleImport``; nothing else is written. ``apply_people_import`` writes
the stored rows in one transaction with bulk queries: a fixed few dozen queries for 10,000 rows.

In a stored row, ``None`` means "keep what the person has": the column is not in the file, or an
existing person's language or time zone cell is empty (those are the person's own preferences).
"""

from .apply import apply_people_import
from .parse import ImportFileError
from .preview import preview_people_import

__all__ = ["ImportFileError", "apply_people_import", "preview_people_import"]
