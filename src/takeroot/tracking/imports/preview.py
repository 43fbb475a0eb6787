"""Check every row of a mapped file against the cohort and say what it will record.

Nothing is written here. The preview is computed again when the import is confirmed, against the
cohort as it is then, so what is recorded is always what a fresh check allows.
"""

import hashlib
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext as _

from takeroot.core.imports.parse import FORMULA_PREFIXES
from takeroot.core.imports.preview import shown
from takeroot.core.models import Person
from takeroot.programmes.models import Cohort, Module

from ..enums import ImportKind, Origin
from ..models import ActivityRecord
from ..recording import Fact
from .columns import FIELDS, INPUTS
from .pending import Upload
from .values import CellError, read_attended, read_date, read_minutes, read_rating, read_score

CHUNK = 900  # keys per IN (...): under every database's limit on query parameters


@dataclass
class Row:
    """One line of the file as it will be recorded, or its problems."""

    line: int
    email: str
    name: str = ""
    date: str = ""  # ISO date, for showing
    module: str = ""
    value: float | None = None
    replaces: bool = False
    errors: list[str] = field(default_factory=list)


@dataclass
class Preview:
    kind: str
    cohort: Cohort
    rows: list[Row]
    errors: list[dict]  # {"line", "column", "message"}, in file order
    facts: list[Fact]  # one per row when there are no errors
    ignored: list[str]  # titles of the file's columns no field reads

    @property
    def replacing(self) -> int:
        return sum(row.replaces for row in self.rows)


def mapping_errors(kind: str, columns: dict[str, int], header: list[str]) -> dict[str, str]:
    """A message per field whose column choice is wrong: a required field without a column, a
    column that is not in the file, or one column chosen for two fields."""
    errors = {}
    chosen: dict[int, str] = {}
    for spec in FIELDS[kind]:
        position = columns.get(spec.key)
        if position is None:
            if spec.required:
                errors[spec.key] = _("Choose the column that holds this; it is required.")
        elif not 0 <= position < len(header):
            errors[spec.key] = _("Choose a column of the file.")
        elif position in chosen:
            errors[spec.key] = _("The column “%(column)s” is already chosen for “%(field)s”.") % {
                "column": header[position],
                "field": next(s.label for s in FIELDS[kind] if s.key == chosen[position]),
            }
        else:
            chosen[position] = spec.key
    return errors


def record_key(kind: str, enrolment_id: int, module_id: int | None, day: str) -> str:
    """The record's key: one value per kind, participant, module and day, so importing a file
    again replaces its values instead of adding them twice."""
    digest = hashlib.sha256(f"{kind}:{enrolment_id}:{module_id or '-'}:{day}".encode()).hexdigest()
    return f"import:{kind}:{digest[:48]}"


class _Cohort:
    """The workspace's people and the cohort's enrolments and modules: three queries per file."""

    def __init__(self, cohort: Cohort):
        enrolled = cohort.enrolments.values_list("person__user__email", "pk", "person__user__name")
        self.enrolments = {email.lower(): (pk, name) for email, pk, name in enrolled}
        emails = Person.objects.filter(workspace_id=cohort.workspace_id).values_list("user__email", flat=True)
        self.people = {email.lower() for email in emails}
        modules = list(Module.objects.filter(programme_id=cohort.programme_id).order_by("position", "pk"))
        self.modules = {module.title.casefold().strip(): module for module in modules}
        self.modules |= {str(number): module for number, module in enumerate(modules, start=1)}


def _read_value(kind: str, cells: dict[str, str]) -> float:
    if kind == ImportKind.ATTENDANCE:
        return read_attended(cells["attended"])
    if kind == ImportKind.TIME_ONLINE:
        if not cells["minutes"].strip():
            raise CellError(_("Time online is missing"))
        return read_minutes(cells["minutes"])
    if kind == ImportKind.GRADES:
        if not cells["score"].strip():
            raise CellError(_("The score is missing"))
        return read_score(cells["score"], cells.get("maximum", ""))
    if not cells["rating"].strip():
        raise CellError(_("The rating is missing"))
    return read_rating(cells["rating"], cells.get("scale", ""))


VALUE_FIELD = {
    ImportKind.ATTENDANCE: "attended",
    ImportKind.TIME_ONLINE: "minutes",
    ImportKind.GRADES: "score",
    ImportKind.SUPERVISOR_EVALUATION: "rating",
}
VALUE_PARTNER = {"maximum": "score", "scale": "rating"}  # a bad maximum is the value's problem


def _check_row(kind: str, cells: dict[str, str], formulas: set[str], known: _Cohort, row: Row) -> dict[str, str]:
    """Fill the row from its cells; return a message per field key that is wrong."""
    problems = {key: _("Formulas are not allowed: %(value)s") % {"value": shown(cells[key])} for key in formulas}
    email = row.email
    if "email" in problems:
        pass
    elif not email:
        problems["email"] = _("Email address is missing")
    elif not _valid_email(email):
        problems["email"] = _("Not a valid email address: %(value)s") % {"value": shown(email)}
    elif email not in known.people:
        problems["email"] = _("Unknown email: %(value)s (not a person in this workspace)") % {"value": shown(email)}
    elif email not in known.enrolments:
        problems["email"] = _("%(value)s is not enrolled in this cohort") % {"value": shown(email)}
    else:
        row.name = known.enrolments[email][1]
    if "date" not in problems:
        try:
            if not cells["date"].strip():
                raise CellError(_("The date is missing"))
            row.date = read_date(cells["date"]).date().isoformat()
        except CellError as error:
            problems["date"] = str(error)
    module_cell = cells.get("module", "").strip()
    if module_cell and "module" not in problems:
        module = known.modules.get(module_cell.casefold())
        if module is None:
            problems["module"] = _("Module not found in this programme: %(value)s") % {"value": shown(module_cell)}
        else:
            row.module = module.title
    value_key = VALUE_FIELD[kind]
    if not {value_key, *[key for key, partner in VALUE_PARTNER.items() if partner == value_key]} & problems.keys():
        try:
            row.value = _read_value(kind, cells)
        except CellError as error:
            problems[value_key] = str(error)
    return problems


def _valid_email(value: str) -> bool:
    try:
        validate_email(value)
    except ValidationError:
        return False
    return True


def preview_import(*, cohort: Cohort, kind: str, upload: Upload, columns: dict[str, int]) -> Preview:
    """Every row of ``upload`` read through ``columns`` (field key → column position) and checked:
    unknown or unenrolled people, bad dates, values out of range, unknown modules, the same
    participant, module and day twice. Reads a fixed number of queries whatever the file's length.
    Raises ``ValidationError`` when the mapping itself is wrong (see ``mapping_errors``)."""
    if problems := mapping_errors(kind, columns, upload.header):
        raise ValidationError(problems)
    known = _Cohort(cohort)
    titles = {key: upload.header[position] for key, position in columns.items()}
    rows, errors, facts, first_line = [], [], [], {}
    for line, cells, formula_positions in upload.records:
        cells = cells + [""] * (len(upload.header) - len(cells))
        values = {key: cells[position] for key, position in columns.items()}
        # Only the chosen columns: the others are dropped, so a "+48 …" phone number there is harmless.
        formulas = {
            key
            for key, position in columns.items()
            if position in formula_positions or cells[position].startswith(FORMULA_PREFIXES)
        }
        row = Row(line=line, email=values["email"].strip().lower())
        problems = _check_row(kind, values, formulas, known, row)
        if not problems:
            module = known.modules.get(values.get("module", "").strip().casefold())
            enrolment_id = known.enrolments[row.email][0]
            key = record_key(kind, enrolment_id, module.pk if module else None, row.date)
            if key in first_line:
                problems["email"] = _("Duplicate row: the same participant, module and day as line %(line)s") % {
                    "line": first_line[key]
                }
            else:
                first_line[key] = line
                facts.append(_fact(cohort, kind, enrolment_id, module, row, values["date"], key))
        row.errors = list(problems.values())
        errors += [
            {"line": line, "column": titles[key], "message": message}
            for key, message in sorted(problems.items(), key=lambda item: columns[item[0]])
        ]
        rows.append(row)
    replaced = _stored_keys(cohort, [fact.key for fact in facts])
    for row, fact in zip((row for row in rows if not row.errors), facts, strict=True):
        row.replaces = fact.key in replaced
    used = set(columns.values())
    ignored = [title for position, title in enumerate(upload.header) if title and position not in used]
    return Preview(kind=kind, cohort=cohort, rows=rows, errors=errors, facts=[] if errors else facts, ignored=ignored)


def _fact(cohort: Cohort, kind: str, enrolment_id: int, module: Module | None, row: Row, date_cell: str, key: str):
    return Fact(
        cohort_id=cohort.pk,
        enrolment_id=enrolment_id,
        module_id=module.pk if module else None,
        input=INPUTS[kind],
        value=row.value,
        occurred_at=read_date(date_cell),
        origin=Origin.IMPORT,
        key=key,
    )


def _stored_keys(cohort: Cohort, keys: list[str]) -> set[str]:
    """Which of these keys an earlier import already recorded."""
    stored = set()
    for start in range(0, len(keys), CHUNK):
        stored |= set(
            ActivityRecord.objects.filter(workspace_id=cohort.workspace_id, key__in=keys[start : start + CHUNK])
            .values_list("key", flat=True)
            .iterator()
        )
    return stored
