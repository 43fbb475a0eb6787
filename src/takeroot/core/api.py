"""People, teams and memberships over JSON. Same queries, rules and services as the pages."""

from uuid import UUID

from django.core.exceptions import ValidationError
from django.db.models import Count
from django.http import Http404
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema, Status
from ninja.pagination import paginate

from . import services
from .api_support import READ_ERRORS, WRITE_ERRORS, api_actor, api_workspace, require_api_perm
from .enums import AccountStatus, Role
from .models import ROLE_FIELDS, Person, Team
from .pagination import Pages
from .queries import filter_people, memberships_for_user, people_for_user, teams_for_workspace, workspace_people
from .schemas import ErrorOut, MembershipOut, MeOut, PersonIn, PersonOut, PersonPatch, TeamIn, TeamOut, TeamPatch

router = Router(tags=["people"])


def _viewer_people(request):
    """What this caller may list: an API key sees the workspace; a person what their roles allow."""
    workspace = api_workspace(request)
    if request.api_key is not None:
        return workspace_people(workspace)
    return people_for_user(request.user, workspace=workspace)


def _person(request, person_id: UUID, perm: str) -> Person:
    person = workspace_people(api_workspace(request)).filter(uuid=person_id).first()
    if person is None:
        raise Http404
    require_api_perm(request, perm, person)
    return person


def _team(request, team_id: UUID | None) -> Team | None:
    if team_id is None:
        return None
    team = teams_for_workspace(api_workspace(request)).filter(uuid=team_id).first()
    if team is None:
        raise ValidationError({"team": [_("There is no such team in this workspace.")]})
    return team


def _manager(request, person_id: UUID | None) -> Person | None:
    if person_id is None:
        return None
    manager = workspace_people(api_workspace(request)).filter(uuid=person_id).first()
    if manager is None:
        raise ValidationError({"manager": [_("There is nobody with this id in the workspace.")]})
    return manager


class PeopleFilters(Schema):
    q: str = ""
    role: Role | None = None
    team: UUID | None = None
    status: AccountStatus | None = None
    manager: UUID | None = None


@router.get("/me", response={200: MeOut, 401: ErrorOut}, summary="The signed-in person and their workspaces")
def me(request):
    if request.api_key is not None or not request.user.is_authenticated:
        return Status(401, {"detail": _("Only a signed-in person has a profile; API keys belong to a workspace.")})
    user = request.user
    memberships = [
        MembershipOut(workspace=p.workspace.uuid, workspace_name=p.workspace.name, person=p.uuid, roles=p.roles)
        for p in memberships_for_user(user).values()
    ]
    return MeOut(
        email=user.email,
        name=user.name,
        language=user.language,
        timezone=user.timezone,
        current_workspace=request.workspace.uuid if request.workspace else None,
        memberships=memberships,
    )


@router.get("/people", response={200: list[PersonOut], **READ_ERRORS}, summary="List people")
@paginate(Pages, page_size=50)
def list_people(request, filters: Query[PeopleFilters]):
    workspace = api_workspace(request)
    require_api_perm(request, "core.list_people", workspace)
    people = _viewer_people(request)
    team = teams_for_workspace(workspace).filter(uuid=filters.team).first() if filters.team else None
    manager = workspace_people(workspace).filter(uuid=filters.manager).first() if filters.manager else None
    if (filters.team and team is None) or (filters.manager and manager is None):
        return people.none()  # a filter naming nothing in this workspace matches nobody
    return filter_people(
        people,
        search=filters.q,
        role=filters.role or "",
        team=team,
        status=filters.status or "",
        manager=manager,
    )


@router.get("/people/{person_id}", response={200: PersonOut, **READ_ERRORS}, summary="One person")
def get_person(request, person_id: UUID):
    return _person(request, person_id, "core.view_person")


def _person_fields(request, data: dict) -> dict:
    """Turn API input into service arguments: ids to objects, roles to flags."""
    fields = {k: v for k, v in data.items() if k not in {"team", "manager", "roles", "email"}}
    if "team" in data:
        fields["team"] = _team(request, data["team"])
    if "manager" in data:
        fields["manager"] = _manager(request, data["manager"])
    if "roles" in data and data["roles"] is not None:
        fields.update({field: role in data["roles"] for role, field in ROLE_FIELDS.items()})
    return fields


@router.post("/people", response={201: PersonOut, **WRITE_ERRORS}, summary="Add a person to the workspace")
def create_person(request, payload: PersonIn):
    workspace = api_workspace(request)
    require_api_perm(request, "core.manage_people", workspace)
    data = payload.model_dump()
    person = services.create_person(
        workspace=workspace, actor=api_actor(request), email=data["email"], **_person_fields(request, data)
    )
    return Status(201, workspace_people(workspace).get(pk=person.pk))


@router.patch("/people/{person_id}", response={200: PersonOut, **WRITE_ERRORS}, summary="Change a person")
def update_person(request, person_id: UUID, payload: PersonPatch):
    person = _person(request, person_id, "core.change_person")
    data = payload.model_dump(exclude_unset=True)
    services.update_person(person=person, actor=api_actor(request), **_person_fields(request, data))
    return workspace_people(person.workspace).get(pk=person.pk)


@router.delete("/people/{person_id}", response={204: None, **READ_ERRORS}, summary="Remove a person from the workspace")
def delete_person(request, person_id: UUID):
    person = _person(request, person_id, "core.change_person")
    services.remove_person(person=person, actor=api_actor(request))
    return Status(204, None)


def _teams(request):
    return teams_for_workspace(api_workspace(request)).annotate(member_count=Count("members"))


def _team_or_404(request, team_id: UUID) -> Team:
    team = _teams(request).filter(uuid=team_id).first()
    if team is None:
        raise Http404
    return team


@router.get("/teams", response={200: list[TeamOut], **READ_ERRORS}, summary="List teams")
@paginate(Pages, page_size=100)
def list_teams(request):
    workspace = api_workspace(request)
    require_api_perm(request, "core.view_teams", workspace)
    return _teams(request).order_by("name")


@router.get("/teams/{team_id}", response={200: TeamOut, **READ_ERRORS}, summary="One team")
def get_team(request, team_id: UUID):
    require_api_perm(request, "core.view_teams", api_workspace(request))
    return _team_or_404(request, team_id)


@router.post("/teams", response={201: TeamOut, **WRITE_ERRORS}, summary="Create a team")
def create_team(request, payload: TeamIn):
    workspace = api_workspace(request)
    require_api_perm(request, "core.manage_teams", workspace)
    team = services.create_team(
        workspace=workspace, actor=api_actor(request), name=payload.name, parent=_team(request, payload.parent)
    )
    return Status(201, _team_or_404(request, team.uuid))


@router.patch("/teams/{team_id}", response={200: TeamOut, **WRITE_ERRORS}, summary="Rename or move a team")
def update_team(request, team_id: UUID, payload: TeamPatch):
    workspace = api_workspace(request)
    require_api_perm(request, "core.manage_teams", workspace)
    team = _team_or_404(request, team_id)
    data = payload.model_dump(exclude_unset=True)
    if "parent" in data:
        data["parent"] = _team(request, data["parent"])
    services.update_team(team=team, actor=api_actor(request), **data)
    return _team_or_404(request, team_id)


@router.delete("/teams/{team_id}", response={204: None, **WRITE_ERRORS}, summary="Delete an empty team")
def delete_team(request, team_id: UUID):
    workspace = api_workspace(request)
    require_api_perm(request, "core.manage_teams", workspace)
    services.delete_team(team=_team_or_404(request, team_id), actor=api_actor(request))
    return Status(204, None)
