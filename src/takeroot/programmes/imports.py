"""Enrolment import: an admin or trainer uploads a cohort's participant list, checks a preview, then
confirms it.

The file is read by the people import's reader (``takeroot.core.imports.parse.read_file``), so
both imports accept the same CSV and XLSX files and refuse the same broken ones. This module maps
the columns, checks every row against the file, the workspace and the cohort, and stores the plan
in an ``EnrolmentImport``; nothing else is written before the confirmation. Everyone in the file
must already be a person in the workspace: people are added through the people import.

In a stored row, ``None`` means "keep what the enrolment has": the column is not in the file.
An empty mentor cell means "no mentor", an empty yes/no cell means "no".
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from takeroot.core.enums import AuditAction
from takeroot.core.imports.parse import FORMULA_PREFIXES, Records, map_columns, read_file
from takeroot.core.imports.preview import email_error, shown
from takeroot.core.models import Person, User
from takeroot.core.services import record_audit

from .models import Cohort, Enrolment, EnrolmentImport
from .services import enrol_people, update_enrolment
from .signals import one_signal_for_many

# Header spellings (lower-cased, "_" read as a space, single spaces) and the row key each fills.
COLUMNS = {
    "email": "email",
    "mentor email": "mentor_email",
    "sign language": "needs_sign_language",
    "captions": "needs_captions",
    "screen reader": "needs_screen_reader",
    "extra time": "needs_extra_time",
    "accommodations": "accommodation_notes",
}
FLAGS = ("needs_sign_language", "needs_captions", "needs_screen_reader", "needs_extra_time")
ENROLMENT_KEYS = ("mentor_email", *FLAGS, "accommodation_notes")
# Compared case-folded. An empty cell is "no", so a column of crosses ("x") reads naturally.
YES = frozenset({"yes", "true", "1", "x", "tak", "ja", "是"})
NO = frozenset({"no", "false", "0", "", "nie", "nej", "否"})
ACTIONS = ("create", "update", "unchanged")


class CohortSnapshot:
    """The workspace's people by lower-cased email and the cohort's enrolments: two queries."""

    def __init__(self, cohort: Cohort, *, for_writing: bool = False):
        people = Person.objects.filter(workspace_id=cohort.workspace_id).select_related("user")
        enrolments = Enrolment.objects.filter(cohort=cohort)
        if for_writing:  # what enrol_people and update_enrolment read, so they read it per file, not per row
            people = people.select_related("manager")
            enrolments = enrolments.select_related("mentor__user")
        self.people: dict[str, Person] = {person.user.email.lower(): person for person in people}
        self.email_of = {person.pk: email for email, person in self.people.items()}
        self.enrolments: dict[int, Enrolment] = {enrolment.person_id: enrolment for enrolment in enrolments}

    def differences(self, row: dict, enrolment: Enrolment) -> dict[str, tuple]:
        """What the row would change on the enrolment, ``{key: (before, after)}``; mentor by email."""
        current = {key: getattr(enrolment, key) for key in (*FLAGS, "accommodation_notes")}
        current["mentor_email"] = self.email_of.get(enrolment.mentor_id, "")
        return {key: (current[key], row[key]) for key in ENROLMENT_KEYS if row[key] not in (None, current[key])}


def _check_row(cells: dict[str, str], formulas: set[str], snapshot: CohortSnapshot) -> tuple[dict, dict[str, str]]:
    """One row's values in stored form (besides line, name and action), and an error per wrong key."""
    errors = {key: _("Formulas are not allowed: %(value)s") % {"value": shown(cells[key])} for key in formulas}
    # A formula is never stored, and its cell gets no second error.
    cell = {key: "" if key in formulas else value for key, value in cells.items()}
    values = {"email": cell["email"].lower()} | dict.fromkeys(ENROLMENT_KEYS)
    if "email" in formulas:
        pass
    elif not values["email"]:
        errors["email"] = _("Email address is missing")
    elif message := email_error(values["email"]):
        errors["email"] = message
    elif values["email"] not in snapshot.people:
        errors["email"] = _("Not in this workspace: %(email)s — add them through the people import first") % {
            "email": values["email"]
        }
    if "mentor_email" in cell:
        mentor = values["mentor_email"] = cell["mentor_email"].lower()
        if not mentor or "mentor_email" in formulas:
            pass
        elif message := email_error(mentor):
            errors["mentor_email"] = message
        elif mentor not in snapshot.people:
            errors["mentor_email"] = _("Unknown mentor: %(email)s (not a person in this workspace)") % {"email": mentor}
        elif mentor == values["email"]:
            errors["mentor_email"] = _("A person cannot be their own mentor")
    for key in FLAGS:
        if key in cell:
            answer = cell[key].casefold()
            values[key] = answer in YES
            if answer not in YES | NO:
                errors[key] = _("Not a yes/no value: %(value)s (use yes or no, or leave the cell empty)") % {
                    "value": shown(cell[key])
                }
    if "accommodation_notes" in cell:
        values["accommodation_notes"] = cell["accommodation_notes"]
    return values, errors


def _validate(
    header: list[str], records: Records, positions: dict[str, int], snapshot: CohortSnapshot
) -> tuple[list[dict], list[dict]]:
    """Every row normalised with its planned action, and every error found, in file order."""
    rows, errors, first_line = [], [], {}
    for line, cells, formula_positions in records:
        cells = cells + [""] * (len(header) - len(cells))
        # Only our columns: the others are dropped, so a phone number like "+48 …" there is harmless.
        formulas = {
            key
            for key, position in positions.items()
            if position in formula_positions or cells[position].startswith(FORMULA_PREFIXES)
        }
        values, problems = _check_row({key: cells[position] for key, position in positions.items()}, formulas, snapshot)
        email = values["email"]
        if "email" not in problems:  # formula cells are among the problems
            if email in first_line:
                problems["email"] = _("Duplicate row: %(value)s appears on line %(line)s too") % {
                    "value": email,
                    "line": first_line[email],
                }
            else:
                first_line[email] = line
        person = snapshot.people.get(email)
        action = ""
        if not problems:
            enrolment = snapshot.enrolments.get(person.pk)
            if enrolment is None:
                action = "create"
            else:
                action = "update" if snapshot.differences(values, enrolment) else "unchanged"
        rows.append({"line": line, **values, "name": person.user.name if person else "", "action": action})
        errors += [
            {"line": line, "column": header[positions[key]], "message": message}
            for key, message in sorted(problems.items(), key=lambda item: positions[item[0]])
        ]
    return rows, errors


def preview_enrolment_import(*, cohort: Cohort, actor: User, uploaded_file) -> EnrolmentImport:
    """Read and check an uploaded participant list for a cohort and store the plan for confirmation.

    Side effects: one ``EnrolmentImport`` row, also when rows have errors (the preview lists them);
    nothing else is written. Reads a fixed number of queries whatever the file's length. Raises
    ``ImportFileError`` for a file that cannot be read at all (wrong type, too big, empty, not
    UTF-8, no email column). Called by admins and trainers (``programmes.manage_cohort``)."""
    header, records = read_file(uploaded_file)
    positions, ignored = map_columns(header, COLUMNS, required=("email",))
    rows, errors = _validate(header, records, positions, CohortSnapshot(cohort))
    return EnrolmentImport.objects.create(
        workspace_id=cohort.workspace_id,
        cohort=cohort,
        created_by=actor,
        filename=(uploaded_file.name or "")[:255],
        rows=rows,
        errors=errors,
        notices=[_("Column “%(column)s” is not used and was ignored.") % {"column": column} for column in ignored],
        summary={action: sum(row["action"] == action for row in rows) for action in ACTIONS},
    )


def _write(enrolment_import: EnrolmentImport, actor: User) -> dict[str, int]:
    """Enrol the new participants and update the changed enrolments; return the summary."""
    cohort, rows = enrolment_import.cohort, enrolment_import.rows
    # Decided again now, not taken from the preview: someone may have been enrolled since.
    snapshot = CohortSnapshot(cohort, for_writing=True)
    needed = {row["email"] for row in rows} | {row["mentor_email"] for row in rows if row["mentor_email"]}
    if needed - snapshot.people.keys():
        raise ValidationError(_("The people in this workspace changed since the preview. Upload the file again."))
    new_by_mentor: dict[str, list[Person]] = {}
    for row in rows:
        person = snapshot.people[row["email"]]
        if person.pk not in snapshot.enrolments:
            new_by_mentor.setdefault(row["mentor_email"] or "", []).append(person)
    created = {}
    for mentor, people in new_by_mentor.items():  # enrol_people takes one mentor for all
        enrolments = enrol_people(cohort=cohort, actor=actor, people=people, mentor=snapshot.people.get(mentor))
        created |= {enrolment.person_id: enrolment for enrolment in enrolments}
    summary = dict.fromkeys(ACTIONS, 0) | {"create": len(created)}
    for row in rows:
        person = snapshot.people[row["email"]]
        fields = {key: row[key] for key in (*FLAGS, "accommodation_notes") if row[key] is not None}
        if person.pk in created:
            # A new enrolment starts from the person's profile; the file's columns have the last word.
            update_enrolment(enrolment=created[person.pk], actor=actor, **fields)
            continue
        if row["mentor_email"] is not None:
            fields["mentor"] = snapshot.people.get(row["mentor_email"])  # an empty cell: no mentor
        changed = update_enrolment(enrolment=snapshot.enrolments[person.pk], actor=actor, **fields)
        summary["update" if changed else "unchanged"] += 1
    return summary


def apply_enrolment_import(*, enrolment_import: EnrolmentImport, actor: User) -> dict[str, int]:
    """Write a previewed enrolment import, all or nothing; return ``{"create", "update", "unchanged"}``.

    Side effects: enrols the file's new participants through ``enrol_people`` (their accommodations
    start from their profiles, then take the file's columns) and changes the mentor and
    accommodations of enrolled ones through ``update_enrolment``, each with its audit entries;
    people enrolled but not in the file are left alone. Marks the import applied, stores the summary
    and writes one audit entry for the import. Called by admins and trainers of the cohort's
    workspace; raises ``PermissionDenied`` for anyone else, and ``ValidationError`` for an import
    with errors, one already applied (a second click), or when the people changed since the preview."""
    cohort = enrolment_import.cohort
    if enrolment_import.workspace_id != cohort.workspace_id or not actor.has_perm("programmes.manage_cohort", cohort):
        raise PermissionDenied
    if enrolment_import.errors:
        raise ValidationError(_("This import has errors. Correct the file and upload it again."))
    now = timezone.now()
    with transaction.atomic():
        # Claim the row first, so two clicks on "Confirm" cannot both enrol the people.
        claimed = EnrolmentImport.objects.filter(pk=enrolment_import.pk, applied_at__isnull=True).update(applied_at=now)
        if claimed != 1:
            raise ValidationError(_("This import has already been applied."))
        with one_signal_for_many():  # listeners hear once for the file, not once per row
            summary = _write(enrolment_import, actor)
        enrolment_import.applied_at, enrolment_import.summary = now, summary
        enrolment_import.save(update_fields=["applied_at", "summary"])
        record_audit(
            workspace=cohort.workspace,
            actor=actor,
            action=AuditAction.IMPORTED,
            obj=enrolment_import,
            changes={key: (None, count) for key, count in summary.items()},
        )
    return summary
