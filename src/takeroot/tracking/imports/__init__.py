"""File imports of learning data: attendance registers, time online, grades and supervisor
evaluations from an LMS export or a spreadsheet, into activity records.

The flow is read → map → check → record. ``pending`` reads the upload (with the people import's
reader, ``core.imports.parse.read_file``) and keeps it between the pages; ``columns`` knows what
each kind of file holds and guesses which column is which; ``preview`` checks every row against
the cohort without writing anything; ``apply`` records the rows in one transaction through
``recording.record`` (origin ``import``), or takes an import away again.
"""

from .apply import delete_source, import_activity, remove_import, save_source
from .columns import FIELDS, guess_columns, positions_of, titles_of
from .pending import Upload, read_upload
from .preview import Preview, mapping_errors, preview_import
from .queries import importable_cohorts, imports_for_user, imports_for_workspace, sources_for_workspace

__all__ = [
    "FIELDS",
    "Preview",
    "Upload",
    "delete_source",
    "guess_columns",
    "import_activity",
    "importable_cohorts",
    "imports_for_user",
    "imports_for_workspace",
    "mapping_errors",
    "positions_of",
    "preview_import",
    "read_upload",
    "remove_import",
    "save_source",
    "sources_for_workspace",
    "titles_of",
]
