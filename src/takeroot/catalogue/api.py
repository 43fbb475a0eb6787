"""The initiative catalogue over JSON. Same queries, rules and services as the pages."""

import datetime
from uuid import UUID

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import Http404
from django.utils.translation import gettext as _
from ninja import Query, Router, Status
from ninja.pagination import paginate

from takeroot.core.api_support import READ_ERRORS, WRITE_ERRORS, api_actor, api_workspace, require_api_perm
from takeroot.core.models import Person, Team
from takeroot.core.pagination import Pages
from takeroot.core.queries import teams_for_workspace, workspace_people
from takeroot.core.rules import API_KEY_SCOPES
from takeroot.programmes.models import Programme
from takeroot.programmes.queries import programmes_for_workspace

from . import services
from .models import Initiative
from .queries import initiative_facts, initiatives_for_workspace
from .schemas import FACTS_ATTRIBUTE, InitiativeFilters, InitiativeIn, InitiativeOut, InitiativePatch

router = Router(tags=["catalogue"])

# What an API key may do here.
API_KEY_SCOPES.update(
    {
        "catalogue.view_catalogue": "catalogue:read",
        "catalogue.manage_catalogue": "catalogue:write",
    }
)


class InitiativePages(Pages):
    """Pages of initiatives with their facts read for the whole page at once."""

    def paginate_queryset(self, queryset, pagination, request=None, **params):
        page = super().paginate_queryset(queryset, pagination, request=request, **params)
        initiatives = list(page[self.items_attribute])
        facts = initiative_facts(initiatives)
        for initiative in initiatives:
            setattr(initiative, FACTS_ATTRIBUTE, facts[initiative.pk])
        page[self.items_attribute] = initiatives
        return page


# Objects named in the path: looked up in the caller's workspace (another workspace's answers
# exactly like a missing one), then the rule decides.


def _initiative(request, initiative_id: UUID, perm: str) -> Initiative:
    workspace = api_workspace(request)
    initiative = initiatives_for_workspace(workspace).filter(uuid=initiative_id).first()
    if initiative is None:
        raise Http404
    require_api_perm(request, perm, workspace)
    return initiative


def _initiative_out(request, initiative: Initiative) -> Initiative:
    # Read again after a write, with teams and people as saved.
    return initiatives_for_workspace(api_workspace(request)).get(pk=initiative.pk)


# Objects named in a body: unknown in this workspace → 400 on that field.


def _programme_field(request, programme_id: UUID | None) -> Programme | None:
    if programme_id is None:
        return None
    programme = programmes_for_workspace(api_workspace(request)).filter(uuid=programme_id).first()
    if programme is None:
        raise ValidationError({"programme": [_("There is no such programme in this workspace.")]})
    return programme


def _teams_field(request, team_ids: list[UUID]) -> list[Team]:
    wanted = set(team_ids)
    teams = list(teams_for_workspace(api_workspace(request)).filter(uuid__in=wanted))
    if len(teams) != len(wanted):
        raise ValidationError({"teams": [_("There is no team with this id in the workspace.")]})
    return teams


def _people_field(request, person_ids: list[UUID]) -> list[Person]:
    wanted = set(person_ids)
    people = list(workspace_people(api_workspace(request)).filter(uuid__in=wanted))
    if len(people) != len(wanted):
        raise ValidationError({"people": [_("There is nobody with this id in the workspace.")]})
    return people


def _resolve(request, data: dict) -> dict:
    """The body's ids as objects of this workspace, for the fields the body has."""
    if "programme" in data:
        data["programme"] = _programme_field(request, data["programme"])
    if data.get("teams") is not None:
        data["teams"] = _teams_field(request, data["teams"])
    if data.get("people") is not None:
        data["people"] = _people_field(request, data["people"])
    return data


@router.get(
    "/initiatives",
    response={200: list[InitiativeOut], **READ_ERRORS},
    summary="List the catalogue's initiatives; filter by type, text in the title or provider, or year",
)
@paginate(InitiativePages, page_size=50)
def list_initiatives(request, filters: Query[InitiativeFilters]):
    workspace = api_workspace(request)
    require_api_perm(request, "catalogue.view_catalogue", workspace)
    initiatives = initiatives_for_workspace(workspace)
    if filters.kind:
        initiatives = initiatives.filter(kind=filters.kind)
    if filters.q:
        initiatives = initiatives.filter(Q(title__icontains=filters.q) | Q(provider__icontains=filters.q))
    if filters.year:
        # Running at some point in the year, by the initiative's own dates.
        first, last = datetime.date(filters.year, 1, 1), datetime.date(filters.year, 12, 31)
        initiatives = initiatives.filter(
            Q(starts_on__lte=last) & (Q(ends_on__gte=first) | Q(ends_on__isnull=True, starts_on__gte=first))
        )
    return initiatives  # ordered by initiatives_for_workspace, undated last on every database


@router.post("/initiatives", response={201: InitiativeOut, **WRITE_ERRORS}, summary="Add an initiative")
def create_initiative(request, payload: InitiativeIn):
    workspace = api_workspace(request)
    require_api_perm(request, "catalogue.manage_catalogue", workspace)
    initiative = services.create_initiative(
        workspace=workspace, actor=api_actor(request), **_resolve(request, payload.model_dump())
    )
    return Status(201, _initiative_out(request, initiative))


@router.get("/initiatives/{initiative_id}", response={200: InitiativeOut, **READ_ERRORS}, summary="One initiative")
def get_initiative(request, initiative_id: UUID):
    return _initiative(request, initiative_id, "catalogue.view_catalogue")


@router.patch(
    "/initiatives/{initiative_id}", response={200: InitiativeOut, **WRITE_ERRORS}, summary="Change an initiative"
)
def update_initiative(request, initiative_id: UUID, payload: InitiativePatch):
    initiative = _initiative(request, initiative_id, "catalogue.manage_catalogue")
    data = _resolve(request, payload.model_dump(exclude_unset=True))
    services.update_initiative(initiative=initiative, actor=api_actor(request), **data)
    return _initiative_out(request, initiative)


@router.delete("/initiatives/{initiative_id}", response={204: None, **WRITE_ERRORS}, summary="Remove an initiative")
def delete_initiative(request, initiative_id: UUID):
    initiative = _initiative(request, initiative_id, "catalogue.manage_catalogue")
    services.delete_initiative(initiative=initiative, actor=api_actor(request))
    return Status(204, None)
