"""Reads that pages, the API and exports share. Each is scoped to the viewer's workspace."""

from django.db.models import Q, QuerySet

from .enums import AccountStatus
from .models import ROLE_FIELDS, ApiKey, AuditEntry, Person, Team, User, Workspace
from .scope import across_workspaces


def memberships_for_user(user: User) -> dict[int, Person]:
    """The user's membership per workspace id, cached on the user object for the request."""
    if not user.is_authenticated:
        return {}
    cached = getattr(user, "_takeroot_memberships", None)
    if cached is None:
        with across_workspaces():
            cached = {p.workspace_id: p for p in Person.objects.filter(user=user).select_related("workspace", "team")}
        user._takeroot_memberships = cached
    return cached


def membership(user: User, workspace: Workspace | int | None) -> Person | None:
    if workspace is None:
        return None
    workspace_id = workspace if isinstance(workspace, int) else workspace.pk
    return memberships_for_user(user).get(workspace_id)


def workspaces_for_user(user: User) -> list[Workspace]:
    return sorted((p.workspace for p in memberships_for_user(user).values()), key=lambda w: w.name.lower())


def report_ids(person: Person) -> set[int]:
    """Ids of everyone below this person in the reporting line (direct and indirect)."""
    found: set[int] = set()
    frontier = [person.pk]
    while frontier:
        frontier = [
            pk
            for pk in Person.objects.filter(workspace_id=person.workspace_id, manager_id__in=frontier).values_list(
                "pk", flat=True
            )
            if pk not in found
        ]
        found.update(frontier)
    return found


def sees_everyone(person: Person | None) -> bool:
    return bool(person and (person.is_admin or person.is_trainer))


def people_for_user(user: User, *, workspace: Workspace) -> QuerySet[Person]:
    """People of the workspace this user may see: admins and trainers see everyone; a line
    manager sees their reporting line; everyone sees themselves."""
    me = membership(user, workspace)
    people = Person.objects.filter(workspace=workspace).select_related("user", "team", "manager__user")
    if me is None:
        return people.none()
    if sees_everyone(me):
        return people
    return people.filter(Q(pk=me.pk) | Q(pk__in=report_ids(me)))


def filter_people(
    people: QuerySet[Person],
    *,
    search: str = "",
    role: str = "",
    team: Team | None = None,
    status: str = "",
    manager: Person | None = None,
) -> QuerySet[Person]:
    """The people list's filters, shared by the page and the API."""
    if search:
        people = people.filter(
            Q(user__name__icontains=search) | Q(user__email__icontains=search) | Q(job_title__icontains=search)
        )
    if role:
        people = people.filter(**{ROLE_FIELDS[role]: True})
    if team is not None:
        people = people.filter(team__in=team_and_descendants(team))
    if manager is not None:
        people = people.filter(manager=manager)
    if status == AccountStatus.ACTIVE:
        people = people.filter(Q(user__last_login__isnull=False) | ~Q(user__password__startswith="!"))
    elif status == AccountStatus.INVITED:
        people = people.filter(
            user__last_login__isnull=True, user__password__startswith="!", user__invited_at__isnull=False
        )
    elif status == AccountStatus.NOT_INVITED:
        people = people.filter(
            user__last_login__isnull=True, user__password__startswith="!", user__invited_at__isnull=True
        )
    return people


def teams_for_workspace(workspace: Workspace) -> QuerySet[Team]:
    return Team.objects.filter(workspace=workspace).select_related("parent")


def team_and_descendants(team: Team) -> list[Team]:
    teams = list(Team.objects.filter(workspace_id=team.workspace_id))
    children: dict[int | None, list[Team]] = {}
    for t in teams:
        children.setdefault(t.parent_id, []).append(t)
    found, frontier = [team], [team]
    while frontier:
        frontier = [child for t in frontier for child in children.get(t.pk, [])]
        found.extend(frontier)
    return found


def team_tree(workspace: Workspace) -> list[dict]:
    """Nested teams with their member counts, for the tree page and the API."""
    from django.db.models import Count

    teams = list(Team.objects.filter(workspace=workspace).annotate(member_count=Count("members")))
    children: dict[int | None, list[Team]] = {}
    for team in teams:
        children.setdefault(team.parent_id, []).append(team)

    def build(parent_id):
        return [{"team": t, "children": build(t.pk)} for t in sorted(children.get(parent_id, []), key=lambda t: t.name)]

    return build(None)


def audit_entries_for_workspace(
    workspace: Workspace, *, object_type: str = "", action: str = "", actor: str = "", search: str = ""
) -> QuerySet[AuditEntry]:
    entries = AuditEntry.objects.filter(workspace=workspace).select_related("actor")
    if object_type:
        entries = entries.filter(object_type=object_type)
    if action:
        entries = entries.filter(action=action)
    if actor:
        entries = entries.filter(Q(actor__name__icontains=actor) | Q(actor__email__icontains=actor))
    if search:
        entries = entries.filter(object_label__icontains=search)
    return entries


def api_keys_for_workspace(workspace: Workspace) -> QuerySet[ApiKey]:
    return ApiKey.objects.filter(workspace=workspace).select_related("created_by")


def workspace_people(workspace: Workspace) -> QuerySet[Person]:
    """Everyone in the workspace, before any role rule: to tell 403 (here) from 404 (elsewhere)."""
    return Person.objects.filter(workspace=workspace).select_related("user", "team", "manager__user", "workspace")
