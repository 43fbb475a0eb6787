"""Validate every row against the file and the workspace, and store the plan for the admin."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from ..enums import Language, Role
from ..models import ROLE_FIELDS, PeopleImport, Person, User, Workspace, timezone_names
from .parse import (
    COLUMNS,
    FORMULA_PREFIXES,
    LANGUAGES,
    MAX_EMAIL,
    MAX_NAME,
    TEAM_SEPARATOR,
    TEAM_SPLIT,
    Records,
    map_columns,
    read_file,
)
from .workspace import WorkspaceSnapshot


def _timezones() -> dict[str, str]:
    return {name.lower(): name for name in [*timezone_names(), "UTC"]}


def shown(value: str) -> str:
    return value if len(value) <= 80 else value[:79] + "…"


def email_error(value: str) -> str | None:
    try:
        validate_email(value)
        if len(value) <= MAX_EMAIL:
            return None
    except ValidationError:
        pass
    return _("Not a valid email address: %(value)s") % {"value": shown(value)}


def _normalise(cell: dict[str, str | None], person: Person | None) -> tuple[dict, dict[str, str]]:
    """One row's values in stored form, and an error message per key that is wrong."""
    errors: dict[str, str] = {}
    values = {
        "email": cell["email"].lower(),
        "name": " ".join(cell["name"].split()),
        "team": cell["team"],
        "manager_email": cell["manager_email"].lower() if cell["manager_email"] is not None else None,
    }
    if not values["email"]:
        errors["email"] = _("Email address is missing")
    elif message := email_error(values["email"]):
        errors["email"] = message
    if not values["name"]:
        errors["name"] = _("Name is missing")
    elif len(values["name"]) > MAX_NAME:
        errors["name"] = _("Name is too long (at most %(max)s characters)") % {"max": MAX_NAME}
    if values["manager_email"] and (message := email_error(values["manager_email"])):
        errors["manager_email"] = message
    unknown = {
        "language": _("Unknown language: %(value)s (use en, pl, sv or zh-hans)"),
        "timezone": _("Unknown time zone: %(value)s"),
    }
    defaults = {"language": (LANGUAGES, Language.EN.value), "timezone": (_timezones(), settings.TIME_ZONE)}
    for key, (choices, default) in defaults.items():
        if cell[key]:
            values[key] = choices.get(cell[key].lower())
            if values[key] is None:
                errors[key] = unknown[key] % {"value": shown(cell[key])}
        else:  # a new person gets the default; an existing one keeps their own choice
            values[key] = default if person is None else None
    values["roles"] = None
    if cell["roles"] is not None:
        given = [part.strip().lower() for part in cell["roles"].replace(";", ",").split(",") if part.strip()]
        for value in given:
            if value not in Role.values:
                errors["roles"] = _("Unknown role: %(value)s") % {"value": shown(value)}
        values["roles"] = [role.value for role in ROLE_FIELDS if role in given] or [Role.PARTICIPANT.value]
    if values["team"]:
        parts = [" ".join(part.split()) for part in TEAM_SPLIT.split(values["team"])]
        if not all(parts) or max(map(len, parts)) > MAX_NAME:
            errors["team"] = _("Not a valid team: %(value)s") % {"value": shown(values["team"])}
        values["team"] = TEAM_SEPARATOR.join(parts)
    return values, errors


def manager_problems(
    rows: list[dict], existing: WorkspaceSnapshot, skip: set[int] = frozenset(), unchecked: set[int] = frozenset()
) -> list[tuple[int, str]]:
    """(line, message) for each unknown manager and each loop the rows would close.

    ``skip``: positions of rows whose email is unusable (missing, invalid, duplicate);
    ``unchecked``: those whose manager cell already has an error."""
    in_file = {row["email"]: row for position, row in enumerate(rows) if position not in skip}
    managers = {
        email: self_manager
        for email, person in existing.people.items()
        if (self_manager := existing.email_of.get(person.manager_id))
    }
    problems = []
    for position, row in enumerate(rows):
        email, manager = row["email"], row["manager_email"]
        if position in skip or position in unchecked or manager is None:  # None: the manager stays
            continue
        managers.pop(email, None)
        if manager == email:
            problems.append((row["line"], _("A person cannot be their own line manager")))
        elif manager and manager not in in_file and manager not in existing.people:
            problems.append(
                (
                    row["line"],
                    _("Unknown line manager: %(value)s (not in this file or the workspace)")
                    % {"value": shown(manager)},
                )
            )
        elif manager:
            managers[email] = manager
    done: set[str] = set()
    for start in in_file:
        walk: dict[str, int] = {}  # this walk up the reporting line, in order
        node = start
        while node and node not in done and node not in walk:
            walk[node] = len(walk)
            node = managers.get(node)
        done.update(walk)
        loop = list(walk)[walk[node] :] if node in walk else []
        members = [(in_file[email]["line"], i) for i, email in enumerate(loop) if email in in_file]
        if members:  # a loop through the file, reported once: on its first line, starting there
            line, first = min(members)
            loop = loop[first:] + loop[:first] + [loop[first]]
            problems.append((line, _("Manager cycle: %(cycle)s") % {"cycle": " → ".join(loop)}))
    return problems


def _validate(
    header: list[str], records: Records, positions: dict[str, int], existing: WorkspaceSnapshot, actor: User
) -> tuple[list[dict], list[dict], list[str]]:
    """Every row normalised, every error found, and the paths of the teams to create."""
    title = {key: header[position] for key, position in positions.items()}
    rows, errors, skip, unchecked, first_line, new_teams, paths = [], [], set(), set(), {}, {}, {}
    for line, cells, formulas in records:
        cells = cells + [""] * (len(header) - len(cells))
        # Only our columns: the others are dropped, so a phone number like "+48 …" there is harmless.
        formulas = {
            key: position
            for key, position in positions.items()
            if position in formulas or cells[position].startswith(FORMULA_PREFIXES)
        }
        errors += [
            {
                "line": line,
                "column": title[key],
                "message": _("Formulas are not allowed: %(value)s") % {"value": shown(cells[position])},
            }
            for key, position in formulas.items()
        ]
        # A formula is never stored, and its cell gets no second error.
        cell = {key: "" if key in formulas else cells[position] for key, position in positions.items()}
        cell |= {key: None for key in COLUMNS.values() if key not in positions}
        person = existing.people.get(cell["email"].lower())
        values, problems = _normalise(cell, person)
        problems = {key: message for key, message in problems.items() if key not in formulas}
        email = values["email"]
        if email in first_line:
            problems["email"] = _("Duplicate row: %(value)s appears on line %(line)s too") % {
                "value": email,
                "line": first_line[email],
            }
        elif email and "email" not in problems:
            first_line[email] = line
        if first_line.get(email) != line:
            skip.add(len(rows))
        if "manager_email" in problems or "manager_email" in formulas:
            unchecked.add(len(rows))
        if person and person.is_admin and person.user_id == actor.pk and "admin" not in (values["roles"] or ["admin"]):
            problems["roles"] = _("You cannot remove your own admin role")
        if values["team"] and "team" not in problems:
            if values["team"] not in paths:
                path = existing.teams.find(values["team"].split(TEAM_SEPARATOR))[0]
                paths[values["team"]] = path
                for parts in existing.teams.missing(path):
                    new_teams.setdefault(TEAM_SEPARATOR.join(parts).casefold(), TEAM_SEPARATOR.join(parts))
            values["team"] = paths[values["team"]]
        errors += [{"line": line, "column": title[key], "message": message} for key, message in problems.items()]
        rows.append({"line": line, **values, "action": "create" if person is None else ""})
    errors += [
        {"line": line, "column": title["manager_email"], "message": message}
        for line, message in manager_problems(rows, existing, skip, unchecked)
    ]
    order = {column: position for position, column in reversed(list(enumerate(header)))}
    errors.sort(key=lambda error: (error["line"], order.get(error["column"], len(header))))
    return rows, errors, sorted(new_teams.values())


def preview_people_import(*, workspace: Workspace, actor: User, uploaded_file) -> PeopleImport:
    """Read and check an uploaded people file and store the result for the admin to confirm.

    Side effects: one ``PeopleImport`` row, also when rows have errors (the preview lists them);
    nothing else is written. Raises ``ImportFileError`` for a file that cannot be read at all.
    Called by admins of the workspace (the import page)."""
    header, records = read_file(uploaded_file)
    positions, ignored = map_columns(header)
    existing = WorkspaceSnapshot(workspace)
    rows, errors, new_teams = _validate(header, records, positions, existing, actor)
    for row in rows:
        if person := existing.people.get(row["email"]):
            row["action"] = "update" if existing.differences(row, person) else "unchanged"
    summary = {action: sum(row["action"] == action for row in rows) for action in ("create", "update", "unchanged")}
    notices = [_("Column “%(column)s” is not used and was ignored.") % {"column": column} for column in ignored]
    if new_teams:
        notices.append(
            ngettext(
                "%(count)s new team will be created: %(teams)s",
                "%(count)s new teams will be created: %(teams)s",
                len(new_teams),
            )
            % {"count": len(new_teams), "teams": ", ".join(new_teams)}
        )
    return PeopleImport.objects.create(
        workspace=workspace,
        created_by=actor,
        filename=(uploaded_file.name or "")[:255],
        rows=rows,
        errors=errors,
        notices=notices,
        summary=summary | {"teams": len(new_teams)},
    )
