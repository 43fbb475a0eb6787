"""Initiative import: an admin uploads a list of the organisation's development activities, checks a
preview, then confirms it.

The file is read by the people import's reader (``takeroot.core.imports.parse.read_file``), so
every import accepts the same CSV and XLSX files and refuses the same broken ones. This module maps
the columns, checks every row against the file and the catalogue, and stores the plan in an
``InitiativeImport``; nothing else is written before the confirmation.

A row is an initiative known by its title and start date: when the catalogue already has one with
both, the row updates it (or leaves it unchanged), otherwise the row creates a new one. So importing
the same file twice changes nothing the second time.

In a stored row, a key other than ``title`` and ``starts_on`` is absent when its column is not in
the file: a new initiative gets the default, an existing one keeps what it has. An empty cell
clears the value (an empty type is "other", an empty currency is EUR).
"""

import re
from datetime import date
from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from takeroot.core.enums import AuditAction
from takeroot.core.imports.parse import FORMULA_PREFIXES, Records, map_columns, read_file
from takeroot.core.imports.preview import shown
from takeroot.core.models import User, Workspace
from takeroot.core.services import record_audit

from .enums import InitiativeKind
from .models import Initiative, InitiativeImport
from .services import create_initiative, update_initiative

# Header spellings (lower-cased, "_" read as a space, single spaces) and the row key each fills.
COLUMNS = {
    "title": "title",
    "type": "kind",
    "from": "starts_on",
    "starts on": "starts_on",
    "until": "ends_on",
    "ends on": "ends_on",
    "provider": "provider",
    "head count": "head_count",
    "cost": "cost",
    "currency": "currency",
    "goals": "goals",
}
# The row keys in the order of the model's fields, which is also the order errors are listed in.
KEYS = ("title", "kind", "starts_on", "ends_on", "provider", "head_count", "cost", "currency", "goals")
ACTIONS = ("create", "update", "unchanged")
DEFAULT_CURRENCY = "EUR"
MAX_TITLE = Initiative._meta.get_field("title").max_length
MAX_PROVIDER = Initiative._meta.get_field("provider").max_length
MAX_COST = Decimal("9999999999.99")  # what the cost field's 12 digits with 2 decimals hold
MAX_HEAD_COUNT = 2_147_483_647  # the largest PositiveIntegerField every database stores
ISO_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})(?:[T ]00:00(?::00)?)?$")  # XLSX date cells end in T00:00:00
DOTTED_DATE = re.compile(r"^(\d{1,2})\.(\d{1,2})\.(\d{4})$")
CURRENCY = re.compile(r"^[A-Za-z]{3}$")


def _kinds() -> dict[str, str]:
    """Each type by its value and by its English label, case-folded."""
    kinds = {kind.value.casefold(): kind.value for kind in InitiativeKind}
    kinds |= {kind.value.replace("_", " "): kind.value for kind in InitiativeKind}
    with translation.override("en"):  # the English labels whatever the admin's language
        kinds |= {str(kind.label).casefold(): kind.value for kind in InitiativeKind}
    return kinds


def _date(value: str) -> date | None:
    """The day a cell names (YYYY-MM-DD or DD.MM.YYYY), or None when it names none."""
    if match := ISO_DATE.match(value):
        year, month, day = match.groups()
    elif match := DOTTED_DATE.match(value):
        day, month, year = match.groups()
    else:
        return None
    try:
        return date(int(year), int(month), int(day))
    except ValueError:
        return None


def _decimal(value: str) -> Decimal | None:
    """A cost of at most two decimals between 0 and the largest the field holds; a decimal comma is
    read as a point. None when the cell is no such number."""
    value = "".join(value.split())  # "1 200,50" as typed in Poland and Sweden
    if "," in value and "." not in value:
        value = value.replace(",", ".")
    try:
        number = Decimal(value)
    except InvalidOperation:
        return None
    if not number.is_finite() or not 0 <= number <= MAX_COST or number != number.quantize(Decimal("0.01")):
        return None
    return number.quantize(Decimal("0.01"))


def _check_row(cell: dict[str, str], kinds: dict[str, str]) -> tuple[dict, dict[str, str]]:
    """One row's values in stored form (besides line and action), and an error per wrong key."""
    errors: dict[str, str] = {}
    values: dict = {"title": " ".join(cell["title"].split()), "starts_on": None}
    if not values["title"]:
        errors["title"] = _("Title is missing")
    elif len(values["title"]) > MAX_TITLE:
        errors["title"] = _("Title is too long (at most %(max)s characters)") % {"max": MAX_TITLE}
    if "kind" in cell:
        values["kind"] = kinds.get(cell["kind"].casefold()) if cell["kind"] else InitiativeKind.OTHER.value
        if values["kind"] is None:
            errors["kind"] = _("Unknown type: %(value)s") % {"value": shown(cell["kind"])}
    for key in ("starts_on", "ends_on"):
        if key in cell:
            day = _date(cell[key]) if cell[key] else None
            values[key] = day.isoformat() if day else None
            if cell[key] and day is None:
                errors[key] = _("Not a date: %(value)s (use YYYY-MM-DD or DD.MM.YYYY)") % {"value": shown(cell[key])}
    if values["starts_on"] and values.get("ends_on") and values["ends_on"] < values["starts_on"]:
        errors["ends_on"] = _("Ends before it starts: %(ends)s is before %(starts)s") % {
            "ends": values["ends_on"],
            "starts": values["starts_on"],
        }
    if "provider" in cell:
        values["provider"] = cell["provider"]
        if len(cell["provider"]) > MAX_PROVIDER:
            errors["provider"] = _("Provider is too long (at most %(max)s characters)") % {"max": MAX_PROVIDER}
    if "head_count" in cell:
        values["head_count"] = None
        if cell["head_count"]:
            text = "".join(cell["head_count"].split())
            if text.isascii() and text.isdigit() and int(text) <= MAX_HEAD_COUNT:
                values["head_count"] = int(text)
            else:
                errors["head_count"] = _("Not a whole number of people: %(value)s") % {
                    "value": shown(cell["head_count"])
                }
    if "cost" in cell:
        values["cost"] = None
        if cell["cost"]:
            number = _decimal(cell["cost"])
            values["cost"] = str(number) if number is not None else None
            if number is None:
                errors["cost"] = _("Not an amount: %(value)s (a number of at least 0 with at most two decimals)") % {
                    "value": shown(cell["cost"])
                }
    if "currency" in cell:
        values["currency"] = cell["currency"].upper() or DEFAULT_CURRENCY
        if cell["currency"] and not CURRENCY.match(cell["currency"]):
            errors["currency"] = _("Not a currency code: %(value)s (use three letters, such as EUR)") % {
                "value": shown(cell["currency"])
            }
    if "goals" in cell:
        values["goals"] = cell["goals"]
    return values, errors


def _key(title: str, starts_on: date | str | None) -> tuple[str, str | None]:
    """How a row finds its initiative: the title whatever its case and spacing, and the start date."""
    day = starts_on.isoformat() if isinstance(starts_on, date) else starts_on
    return " ".join(title.split()).casefold(), day


def _existing(workspace_id: int) -> dict[tuple[str, str | None], Initiative]:
    """The catalogue by title and start date: one query. The first of two look-alikes wins."""
    existing: dict[tuple[str, str | None], Initiative] = {}
    for initiative in Initiative.objects.filter(workspace_id=workspace_id).order_by("pk"):
        existing.setdefault(_key(initiative.title, initiative.starts_on), initiative)
    return existing


def _fields(row: dict) -> dict:
    """A stored row as the service's keyword arguments: dates and amounts in Python types."""
    fields = {key: row[key] for key in KEYS if key in row}
    for key in ("starts_on", "ends_on"):
        if fields.get(key):
            fields[key] = date.fromisoformat(fields[key])
    if fields.get("cost") is not None:
        fields["cost"] = Decimal(fields["cost"])
    return fields


def differences(row: dict, initiative: Initiative) -> dict[str, tuple]:
    """What the row would change on the initiative, ``{field: (before, after)}``."""
    return {
        key: (getattr(initiative, key), value)
        for key, value in _fields(row).items()
        if value != getattr(initiative, key)
    }


def _validate(
    header: list[str], records: Records, positions: dict[str, int], existing: dict
) -> tuple[list[dict], list[dict]]:
    """Every row normalised with its planned action, and every error found, in file order."""
    kinds = _kinds()
    rows, errors, first_line = [], [], {}
    for line, cells, formula_positions in records:
        cells = cells + [""] * (len(header) - len(cells))
        # Only our columns: the others are dropped, so a note like "+1 day" there is harmless.
        formulas = {
            key
            for key, position in positions.items()
            if position in formula_positions or cells[position].startswith(FORMULA_PREFIXES)
        }
        problems = {
            key: _("Formulas are not allowed: %(value)s") % {"value": shown(cells[positions[key]])} for key in formulas
        }
        # A formula is never stored, and its cell gets no second error.
        cell = {key: "" if key in formulas else cells[position] for key, position in positions.items()}
        values, found = _check_row(cell, kinds)
        problems |= {key: message for key, message in found.items() if key not in formulas}
        key = _key(values["title"], values["starts_on"])
        if not problems.keys() & {"title", "starts_on"}:
            if key in first_line:
                problems["title"] = _("Duplicate row: %(value)s appears on line %(line)s too") % {
                    "value": shown(values["title"]) + (f" ({values['starts_on']})" if values["starts_on"] else ""),
                    "line": first_line[key],
                }
            else:
                first_line[key] = line
        action = ""
        if not problems:
            initiative = existing.get(key)
            action = "create" if initiative is None else ("update" if differences(values, initiative) else "unchanged")
        rows.append({"line": line, **values, "action": action})
        errors += [
            {"line": line, "column": header[positions[key]], "message": message}
            for key, message in sorted(problems.items(), key=lambda item: positions[item[0]])
        ]
    return rows, errors


def preview_initiative_import(*, workspace: Workspace, actor: User, uploaded_file) -> InitiativeImport:
    """Read and check an uploaded list of initiatives and store the plan for confirmation.

    Side effects: one ``InitiativeImport`` row, also when rows have errors (the preview lists
    them); nothing else is written. Reads a fixed number of queries whatever the file's length.
    Raises ``ImportFileError`` for a file that cannot be read at all (wrong type, too big, empty,
    not UTF-8, no title column). Called by admins (``catalogue.manage_catalogue``)."""
    header, records = read_file(uploaded_file)
    positions, ignored = map_columns(header, COLUMNS, required=("title",))
    rows, errors = _validate(header, records, positions, _existing(workspace.pk))
    return InitiativeImport.objects.create(
        workspace=workspace,
        created_by=actor,
        filename=(uploaded_file.name or "")[:255],
        rows=rows,
        errors=errors,
        notices=[_("Column “%(column)s” is not used and was ignored.") % {"column": column} for column in ignored],
        summary={action: sum(row["action"] == action for row in rows) for action in ACTIONS},
    )


def _write(initiative_import: InitiativeImport, actor: User) -> dict[str, int]:
    """Create the new initiatives and update the changed ones; return the summary."""
    workspace = initiative_import.workspace
    # Decided again now, not taken from the preview: someone may have added an initiative since.
    existing = _existing(workspace.pk)
    summary = dict.fromkeys(ACTIONS, 0)
    for row in initiative_import.rows:
        key = _key(row["title"], row["starts_on"])
        initiative = existing.get(key)
        if initiative is None:
            fields = {"kind": InitiativeKind.OTHER.value} | _fields(row)  # the model's default is a workshop
            existing[key] = create_initiative(workspace=workspace, actor=actor, **fields)
            summary["create"] += 1
        elif differences(row, initiative):
            update_initiative(initiative=initiative, actor=actor, **_fields(row))
            summary["update"] += 1
        else:
            summary["unchanged"] += 1
    return summary


def apply_initiative_import(*, initiative_import: InitiativeImport, actor: User) -> dict[str, int]:
    """Write a previewed initiative import, all or nothing; return ``{"create", "update", "unchanged"}``.

    Side effects: creates the file's new initiatives through ``create_initiative`` and changes the
    matching ones through ``update_initiative``, each with its audit entry; initiatives not in the
    file are left alone. Marks the import applied, stores the summary and writes one audit entry for
    the import. Called by admins of the import's workspace; raises ``PermissionDenied`` for anyone
    else, and ``ValidationError`` for an import with errors or one already applied (a second click)."""
    workspace = initiative_import.workspace
    if not actor.has_perm("catalogue.manage_catalogue", workspace):
        raise PermissionDenied
    if initiative_import.errors:
        raise ValidationError(_("This import has errors. Correct the file and upload it again."))
    now = timezone.now()
    with transaction.atomic():
        # Claim the row first, so two clicks on "Confirm" cannot both create the initiatives.
        claimed = InitiativeImport.objects.filter(pk=initiative_import.pk, applied_at__isnull=True).update(
            applied_at=now
        )
        if claimed != 1:
            raise ValidationError(_("This import has already been applied."))
        summary = _write(initiative_import, actor)
        initiative_import.applied_at, initiative_import.summary = now, summary
        initiative_import.save(update_fields=["applied_at", "summary"])
        record_audit(
            workspace=workspace,
            actor=actor,
            action=AuditAction.IMPORTED,
            obj=initiative_import,
            changes={key: (None, count) for key, count in summary.items()},
        )
    return summary
