"""Moving a question bank in and out as CSV or XLSX: one row per question and language.

Columns: question_id, module, objective, kind, difficulty, language, prompt, explanation,
option_1 … option_8, correct, tolerance. ``correct`` holds the right options' numbers (``2``,
``1;3``) or, for a numeric question, the right number. ``question_id`` ties a question's language
rows together: the id of a question of this programme updates it; any other value (an id from
another programme's export, or a label such as ``new-1``) creates one new question from all the
rows that carry it; an empty cell creates a question from that row alone.

The import is previewed first (``preview_import``: every error with its line and column, nothing
written) and applied later (``apply_import``), all or nothing, through ``bank.save_question``:
the same checks as the pages and the API.
"""

import csv
import io
from dataclasses import asdict, dataclass, field

import openpyxl
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from takeroot.core.imports import ImportFileError
from takeroot.core.imports.parse import FORMULA_PREFIXES, LANGUAGES, map_columns, read_file
from takeroot.core.models import Person, User
from takeroot.programmes.models import Module, Programme

from . import bank
from .bank import MAX_OPTIONS
from .enums import CHOICE_KINDS
from .models import Question

OPTION_KEYS = [f"option_{number}" for number in range(1, MAX_OPTIONS + 1)]
NUMBER_KEYS = ("correct", "tolerance")
QUESTION_KEYS = ["module", "objective", "kind", "difficulty", "correct", "tolerance"]
KEYS = ["question_id", "module", "objective", "kind", "difficulty", "language", "prompt", "explanation"]
KEYS += [*OPTION_KEYS, "correct", "tolerance"]
COLUMNS = {key.replace("_", " "): key for key in KEYS}
MAX_ROWS = 5000
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# Where a check's error about a language goes in the file; the question-wide ones go on its first row.
FIELD_COLUMNS = {"options": "option_1", "content": "language", "number": "correct"}


@dataclass
class ImportPlan:
    """What an import would do, kept (as JSON) between the preview and the confirmation."""

    filename: str
    rows: list[dict] = field(default_factory=list)  # the file's cells by key, with their line
    errors: list[dict] = field(default_factory=list)  # {"line", "column", "message"}
    actions: dict[str, int] = field(default_factory=dict)  # create / update / unchanged

    def as_json(self) -> dict:
        return asdict(self)


# Export -----------------------------------------------------------------------------------------


def _safe(value: str) -> str:
    """A cell a spreadsheet will not run as a formula when the file is opened."""
    return "'" + value if value.startswith(FORMULA_PREFIXES) else value


def plain_number(value) -> str:
    """A stored decimal as people type it: 30 or 2.5, never 30.000000."""
    return "" if value is None else format(value.normalize(), "f")


def export_rows(programme: Programme) -> list[list[str]]:
    """The header and a row per question and language, archived questions left out."""
    questions = Question.objects.filter(programme=programme, archived_at__isnull=True).select_related(
        "module", "objective"
    )
    rows = [KEYS]
    for question in questions:
        if question.kind in CHOICE_KINDS:
            correct, tolerance = ";".join(str(index + 1) for index in question.correct), ""
        else:
            correct, tolerance = plain_number(question.number), plain_number(question.tolerance)
        for code in question.languages:
            text = question.content[code]
            options = text.get("options", [])
            texts = [text["prompt"], text.get("explanation", ""), *options, *[""] * (MAX_OPTIONS - len(options))]
            rows.append(
                [
                    str(question.uuid),
                    _safe(question.module.title if question.module else ""),
                    _safe(question.objective.text if question.objective else ""),
                    question.kind,
                    question.difficulty,
                    code,
                    *[_safe(value) for value in texts],
                    correct,
                    tolerance,
                ]
            )
    return rows


def export_csv(rows: list[list[str]]) -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer).writerows(rows)
    return buffer.getvalue().encode("utf-8-sig")  # the mark tells Excel the file is UTF-8


def export_xlsx(rows: list[list[str]]) -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "questions"
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


# Preview ----------------------------------------------------------------------------------------


class _Bank:
    """The programme's modules (by title) with their objectives, and its questions by id: two queries."""

    def __init__(self, programme: Programme):
        self.programme = programme
        self.modules = {
            module.title.casefold(): module
            for module in Module.objects.filter(programme=programme).prefetch_related("objectives")
        }
        self.questions = {str(q.uuid): q for q in Question.objects.filter(programme=programme)}

    def place(self, module_title: str, objective_text: str) -> tuple:
        """The module and objective named, and an error per column that names an unknown one."""
        errors = {}
        module = self.modules.get(module_title.casefold()) if module_title else None
        if module_title and module is None:
            errors["module"] = _("No module of this programme is called “%(value)s”.") % {"value": module_title[:80]}
        objective = None
        if objective_text and module is not None:
            by_text = {objective.text.casefold(): objective for objective in module.objectives.all()}
            objective = by_text.get(objective_text.casefold())
            if objective is None:
                errors["objective"] = _("The module has no learning objective “%(value)s”.") % {
                    "value": objective_text[:80]
                }
        elif objective_text and not module_title:
            errors["objective"] = _("Name the module of this learning objective too.")
        return module, objective, errors


def _records(uploaded_file) -> list[dict]:
    header, records = read_file(uploaded_file)
    if len(records) > MAX_ROWS:
        message = _("The file has more than %(max)s rows. Split it into smaller files.")
        raise ImportFileError(message % {"max": MAX_ROWS})
    positions, _ignored = map_columns(header, COLUMNS, required=("kind", "language", "prompt"))
    rows = []
    for line, cells, formulas in records:
        cells = cells + [""] * (len(header) - len(cells))
        row = {"line": line} | {key: cells[positions[key]] if key in positions else "" for key in KEYS}
        row["formulas"] = [key for key, position in positions.items() if position in formulas]
        rows.append(row)
    return rows


def _groups(rows: list[dict]) -> list[list[dict]]:
    """The rows of each question, in the order the questions first appear."""
    groups: dict[str, list[dict]] = {}
    for row in rows:
        groups.setdefault(row["question_id"] or f"line {row['line']}", []).append(row)
    return list(groups.values())


def _correct(kind: str, cell: str) -> tuple[list[int], str | None]:
    """Option numbers (1-based in the file) as indexes, or the right number for a numeric question."""
    if kind not in CHOICE_KINDS:
        return [], cell
    try:
        return [int(part) - 1 for part in cell.replace(",", ";").split(";") if part.strip()], None
    except ValueError:
        raise ValidationError({"correct": [_("Give the right options' numbers, e.g. 2 or 1;3.")]}) from None


def _check_group(rows: list[dict], found: _Bank) -> tuple[dict, dict[tuple[int, str], str]]:
    """One question's fields for ``bank.save_question``, and the errors by (line, column)."""
    first = rows[0]
    errors: dict[tuple[int, str], str] = {}
    for row in rows:
        for key in KEYS:
            # A leading "+" or "-" is a sign in the number columns, a formula anywhere else.
            if key in row["formulas"] or (key not in NUMBER_KEYS and row[key].startswith(FORMULA_PREFIXES)):
                errors[(row["line"], key)] = _("Formulas are not allowed: %(value)s") % {"value": row[key][:80]}
        for key in QUESTION_KEYS:
            if row[key] != first[key]:
                errors.setdefault(
                    (row["line"], key), _("Differs from line %(line)s of the same question.") % {"line": first["line"]}
                )
    module, objective, problems = found.place(first["module"], first["objective"])
    errors |= {(first["line"], key): message for key, message in problems.items()}
    content, lines = {}, {}
    for row in rows:
        code = LANGUAGES.get(row["language"].lower())
        if code is None:
            message = _("Unknown language: %(value)s (use en, pl, sv or zh-hans)") % {"value": row["language"][:20]}
            errors.setdefault((row["line"], "language"), message)
            continue
        if code in content:
            errors.setdefault((row["line"], "language"), _("This question already has a row in this language."))
            continue
        lines[code] = row["line"]
        content[code] = {"prompt": row["prompt"], "explanation": row["explanation"]}
        content[code]["options"] = [row[key] for key in OPTION_KEYS]
    kind = first["kind"].strip().lower()
    fields = {"kind": kind, "difficulty": first["difficulty"].strip().lower() or "medium"}
    fields |= {"module": module, "objective": objective, "content": content, "tolerance": first["tolerance"] or 0}
    existing = found.questions.get(first["question_id"])
    if existing is not None:  # the languages not in the file stay as they are
        fields["content"] = {code: existing.content[code] for code in existing.languages} | content
    try:
        fields["correct"], fields["number"] = _correct(kind, first["correct"])
        if not errors:
            bank.check_question(programme=found.programme, **fields)
    except ValidationError as error:
        for key, messages in error.message_dict.items():
            code, _dash, name = key.rpartition("-")
            column = FIELD_COLUMNS.get(name, name if name in KEYS else "option_1")
            errors.setdefault((lines.get(code, first["line"]), column), messages[0])
    return fields, errors


def _action(fields: dict, existing: Question | None) -> str:
    if existing is None:
        return "create"
    cleaned = bank.check_question(programme=existing.programme, **fields)
    return "update" if any(getattr(existing, key) != value for key, value in cleaned.items()) else "unchanged"


def preview_import(*, programme: Programme, uploaded_file) -> ImportPlan:
    """Read and check a question file for ``programme``; nothing is written. Raises
    ``ImportFileError`` for a file that cannot be read at all (type, size, rows, columns)."""
    rows = _records(uploaded_file)
    found = _Bank(programme)
    plan = ImportPlan(filename=(uploaded_file.name or "")[:255], rows=rows)
    for group in _groups(rows):
        fields, errors = _check_group(group, found)
        plan.errors += [{"line": line, "column": column, "message": text} for (line, column), text in errors.items()]
        if not errors:
            action = _action(fields, found.questions.get(group[0]["question_id"]))
            plan.actions[action] = plan.actions.get(action, 0) + 1
    plan.errors.sort(key=lambda error: (error["line"], KEYS.index(error["column"])))
    return plan


# Apply ------------------------------------------------------------------------------------------


def apply_import(*, programme: Programme, actor: User | None, plan: dict, created_by: Person | None = None) -> dict:
    """Write a previewed import, all or nothing; return how many questions were created, updated
    and left unchanged. The rows are checked again against the bank as it is now, so a change
    since the preview refuses the whole file (``ValidationError``) rather than half of it.

    Side effects: the questions (through ``bank.save_question``, each with its audit entry).
    Called by the bank's authors (``quizzes.manage_bank``)."""
    if plan["errors"]:
        raise ValidationError(_("This file has errors. Correct it and upload it again."))
    found = _Bank(programme)
    summary = {"create": 0, "update": 0, "unchanged": 0}
    with transaction.atomic():
        for group in _groups(plan["rows"]):
            fields, errors = _check_group(group, found)
            if errors:
                raise ValidationError(_("The question bank changed since the preview. Upload the file again."))
            existing = found.questions.get(group[0]["question_id"])
            action = _action(fields, existing)
            summary[action] += 1
            if action != "unchanged":
                bank.save_question(programme=programme, actor=actor, question=existing, created_by=created_by, **fields)
    return summary


def rows_with_errors(plan: dict) -> list[list[str]]:
    """The uploaded rows as they were, each with its errors in a last column, to correct and upload again."""
    errors: dict[int, list[str]] = {}
    for error in plan["errors"]:
        errors.setdefault(error["line"], []).append(f"{error['column']}: {error['message']}")
    header = [*KEYS, "errors"]
    return [header] + [
        [*(_safe(row[key]) for key in KEYS), " | ".join(errors.get(row["line"], []))] for row in plan["rows"]
    ]
