"""Write a previewed import in one transaction with bulk queries."""

from secrets import token_urlsafe

from django.conf import settings
from django.contrib.auth.hashers import UNUSABLE_PASSWORD_PREFIX
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_scopes import get_scope

from ..enums import AuditAction, ImportState, Language
from ..models import ROLE_FIELDS, AuditEntry, PeopleImport, Person, Team, User, Workspace
from ..services import audit_entry
from .parse import TEAM_SEPARATOR, USER_FIELDS
from .preview import manager_problems
from .workspace import TeamPaths, WorkspaceSnapshot

MANAGER_LEVELS = 8  # reporting-line depth that gets its managers at insert (see _create_people)
CHUNK = 500  # emails per IN (...) and rows per bulk UPDATE: SQLite slows down on one huge CASE


def _create_teams(workspace: Workspace, rows: list[dict], teams: TeamPaths) -> list[Team]:
    """Create the teams the rows' paths need, parents first: one query per depth."""
    missing = {}
    for path in {row["team"] for row in rows if row["team"]}:
        for parts in teams.missing(path):
            missing.setdefault(TEAM_SEPARATOR.join(parts).casefold(), parts)
    created = []
    for depth in sorted({len(parts) for parts in missing.values()}):
        level = [
            Team(workspace=workspace, name=parts[-1], parent_id=teams.find(parts[:-1])[1] if depth > 1 else None)
            for parts in missing.values()
            if len(parts) == depth
        ]
        for team in Team.objects.bulk_create(level):
            teams.add(team)
        created += level
    return created


def _accounts(rows: list[dict]) -> dict[str, User]:
    """Accounts for the rows' new people. Existing accounts (from other workspaces) stay as they are."""
    emails = [row["email"] for row in rows]
    users = {}
    for start in range(0, len(emails), CHUNK):
        users |= {user.email.lower(): user for user in User.objects.filter(email__in=emails[start : start + CHUNK])}
    # Unusable passwords, like set_unusable_password() makes (they choose one through their
    # invitation), but one random token each: 40 separate random characters cost 10,000 rows 0.5 s.
    new = [
        User(
            email=row["email"],
            name=row["name"],
            language=row["language"] or Language.EN.value,
            timezone=row["timezone"] or settings.TIME_ZONE,
            password=UNUSABLE_PASSWORD_PREFIX + token_urlsafe(30),
        )
        for row in rows
        if row["email"] not in users
    ]
    return users | {user.email: user for user in User.objects.bulk_create(new)}


def _create_people(workspace: Workspace, rows: list[dict], team_ids: dict[str, int], people: dict[str, Person]):
    """Create the memberships of new rows, adding them to ``people``.

    Managers go in first, so most people get their manager in the same INSERT: one query per level
    of the reporting line, up to MANAGER_LEVELS; anyone deeper gets theirs in the second pass."""
    users = _accounts(rows)
    for level in range(MANAGER_LEVELS + 1):
        ready = [
            row for row in rows if level == MANAGER_LEVELS or not row["manager_email"] or row["manager_email"] in people
        ]
        batch = {}
        for row in ready:
            manager = people.get(row["manager_email"])
            batch[row["email"]] = Person(
                workspace=workspace,
                user=users[row["email"]],
                team_id=team_ids.get(row["team"]),
                manager_id=manager.pk if manager else None,
                **{field: role in (row["roles"] or ["participant"]) for role, field in ROLE_FIELDS.items()},
            )
        Person.objects.bulk_create(batch.values())
        people |= batch
        rows = [row for row in rows if row["email"] not in batch]
        if not rows:
            break


def _write(people_import: PeopleImport, actor: User) -> dict[str, int]:
    """Create and update the import's people and teams with bulk queries; return the summary."""
    workspace, rows = people_import.workspace, people_import.rows
    existing = WorkspaceSnapshot(workspace)
    # The preview is a snapshot: since then someone may have removed a manager or changed a line.
    if manager_problems(rows, existing):
        raise ValidationError(_("The people in this workspace changed since the preview. Upload the file again."))
    new_teams = _create_teams(workspace, rows, existing.teams)
    team_ids = {
        path: existing.teams.find(path.split(TEAM_SEPARATOR))[1] for path in {row["team"] for row in rows} if path
    }
    changes = {
        row["email"]: existing.differences(row, existing.people[row["email"]])
        for row in rows
        if row["email"] in existing.people
    }
    people = dict(existing.people)
    _create_people(workspace, [row for row in rows if row["email"] not in changes], team_ids, people)
    changed_users, changed_people = [], []
    for email, changed in changes.items():
        person = people[email]
        for field, (_before, after) in changed.items():
            if field in USER_FIELDS:
                setattr(person.user, field, after)
            elif field == "team":
                person.team_id = team_ids.get(after)
            elif field != "manager":  # managers are set below, once everyone exists
                setattr(person, field, after)
        if changed.keys() & {*USER_FIELDS}:
            changed_users.append(person.user)
        if changed.keys() - {*USER_FIELDS, "manager"}:
            changed_people.append(person)
    User.objects.bulk_update(changed_users, USER_FIELDS, batch_size=CHUNK)
    Person.objects.bulk_update(changed_people, ["team", *ROLE_FIELDS.values()], batch_size=CHUNK)
    # Second pass, now that everyone exists: changed managers, and new people deep in the line.
    managed = []
    for row in rows:
        person, manager = people[row["email"]], row["manager_email"]
        if manager is not None and person.manager_id != (people[manager].pk if manager else None):
            person.manager_id = people[manager].pk if manager else None
            managed.append(person)
    Person.objects.bulk_update(managed, ["manager"], batch_size=CHUNK)
    summary = {
        "create": len(rows) - len(changes),
        "update": sum(map(bool, changes.values())),
        "unchanged": sum(not changed for changed in changes.values()),
        "teams": len(new_teams),
    }
    AuditEntry.objects.bulk_create(_audit_entries(people_import, actor, new_teams, changes, people, summary))
    return summary


def _audit_entries(
    people_import: PeopleImport,
    actor: User,
    new_teams: list[Team],
    changes: dict[str, dict],
    people: dict[str, Person],
    summary: dict,
) -> list[AuditEntry]:
    """The audit entries of an import, built in memory to be bulk-created."""
    workspace = people_import.workspace

    def entry(action: str, obj, changes: dict) -> AuditEntry:
        return audit_entry(workspace=workspace, actor=actor, action=action, obj=obj, changes=changes)

    def plain(field: str, value):  # a team and a manager by their names, as record_audit shows them
        if field == "team":
            return value.rsplit(TEAM_SEPARATOR, 1)[-1] if value else None
        if field == "manager":
            return str(people[value].user) if value else None
        return value

    entries = [entry(AuditAction.CREATED, team, {}) for team in new_teams]
    for email in (row["email"] for row in people_import.rows):
        person = people[email]
        if email not in changes:
            entries.append(
                entry(
                    AuditAction.IMPORTED,
                    person,
                    {"email": (None, email), "roles": (None, ", ".join(person.roles))},
                )
            )
        elif changed := changes[email]:
            changed = {field: (plain(field, old), plain(field, new)) for field, (old, new) in changed.items()}
            entries.append(entry(AuditAction.CHANGED, person, changed))
    entries.append(
        entry(
            AuditAction.IMPORTED,
            people_import,
            {key: (None, count) for key, count in summary.items()},
        )
    )
    return entries


def apply_people_import(*, people_import: PeopleImport, actor: User) -> dict:
    """Write a previewed import: create or update every person of the file, all or nothing.

    Side effects: creates missing accounts (unusable password, no mail), teams and memberships;
    updates changed people and their managers (people not in the file are left alone); writes an
    audit entry per created team, created or changed person, and one for the import; marks the
    import applied. Returns the summary. Called by admins of the import's workspace. Raises
    ``ValidationError`` for an import of another workspace, with errors, or already applied."""
    scoped = get_scope().get("workspace") if get_scope().get("_enabled") else None
    other_scope = scoped is not None and getattr(scoped, "pk", scoped) != people_import.workspace_id
    if (
        other_scope
        or not Person.objects.filter(workspace_id=people_import.workspace_id, user=actor, is_admin=True).exists()
    ):
        raise ValidationError(_("This import belongs to another workspace."))
    if people_import.errors:
        raise ValidationError(_("This import has errors. Correct the file and upload it again."))
    with transaction.atomic():
        # Claim the row first, so two clicks on "Import" cannot both write the people.
        claimed = PeopleImport.objects.filter(
            pk=people_import.pk, workspace_id=people_import.workspace_id, state=ImportState.PREVIEW
        ).update(state=ImportState.APPLIED)
        if not claimed:
            raise ValidationError(_("This import has already been applied."))
        summary = _write(people_import, actor)
        people_import.state, people_import.applied_at, people_import.summary = (
            ImportState.APPLIED,
            timezone.now(),
            summary,
        )
        people_import.save(update_fields=["state", "applied_at", "summary"])
    return summary
