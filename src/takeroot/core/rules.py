"""Who may do what with workspaces and people. Views, the API and templates all ask here.

Workspace-level permissions take the workspace as the object; person-level ones the person.
"""

import rules

from .models import Person, Workspace
from .queries import membership, report_ids


def _workspace_of(obj) -> Workspace | None:
    if isinstance(obj, Workspace):
        return obj
    return getattr(obj, "workspace", None)


def _has_role(field: str):
    @rules.predicate(name=f"has_{field}")
    def predicate(user, obj) -> bool:
        me = membership(user, _workspace_of(obj))
        return bool(me and getattr(me, field))

    return predicate


is_member = rules.predicate(lambda user, obj: membership(user, _workspace_of(obj)) is not None, name="is_member")
is_admin = _has_role("is_admin")
is_trainer = _has_role("is_trainer")
is_mentor = _has_role("is_mentor")
is_manager_role = _has_role("is_manager")


@rules.predicate
def has_reports(user, obj) -> bool:
    me = membership(user, _workspace_of(obj))
    return bool(me and Person.objects.filter(workspace_id=me.workspace_id, manager=me).exists())


@rules.predicate
def is_self(user, person) -> bool:
    return isinstance(person, Person) and person.user_id == user.pk


@rules.predicate
def is_line_manager_of(user, person) -> bool:
    """Whoever is above the person in the reporting line, with or without the manager role."""
    if not isinstance(person, Person):
        return False
    me = membership(user, person.workspace_id)
    return bool(me and person.pk in report_ids(me))


sees_people = is_admin | is_trainer | is_manager_role | has_reports

rules.add_perm("core.view_workspace", is_member)
rules.add_perm("core.list_people", sees_people)
rules.add_perm("core.view_teams", sees_people)
rules.add_perm("core.view_person", is_self | is_admin | is_trainer | is_line_manager_of)
# Accessibility needs can be health data: the person, admins and trainers who prepare sessions.
rules.add_perm("core.view_accessibility_needs", is_self | is_admin | is_trainer)
rules.add_perm("core.manage_people", is_admin)
rules.add_perm("core.change_person", is_admin)
rules.add_perm("core.invite_person", is_admin)
rules.add_perm("core.import_people", is_admin)
rules.add_perm("core.manage_teams", is_admin)
rules.add_perm("core.view_audit_log", is_admin)
rules.add_perm("core.manage_api_keys", is_admin)
rules.add_perm("core.change_workspace", is_admin)


# What an API key may do: each permission an endpoint checks needs one scope on the key.
API_KEY_SCOPES = {
    "core.view_workspace": "people:read",
    "core.list_people": "people:read",
    "core.view_person": "people:read",
    "core.view_teams": "people:read",
    "core.manage_people": "people:write",
    "core.change_person": "people:write",
    "core.manage_teams": "people:write",
}


def principal_has_perm(request, perm: str, obj=None) -> bool:
    """The one check for pages and the API: a signed-in person by the rules above, an API key
    by its scopes, and never outside the key's own workspace."""
    key = getattr(request, "api_key", None)
    if key is not None:
        workspace = _workspace_of(obj)
        in_workspace = workspace is None or workspace.pk == key.workspace_id
        return in_workspace and API_KEY_SCOPES.get(perm) in key.scopes
    return request.user.has_perm(perm, obj)
