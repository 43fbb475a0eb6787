"""Team training ambassadors over JSON."""

from uuid import UUID

from ninja import Status

from takeroot.core.api_support import READ_ERRORS, WRITE_ERRORS, api_actor, api_workspace, require_api_perm
from takeroot.core.models import Team

from .. import services
from ..queries import (
    ambassador_of,
)
from ..schemas import (
    AmbassadorIn,
    AmbassadorOut,
)
from .common import (
    found_or_404,
    me_of,
    people_field,
    person_ref,
    router,
    team_in_path,
)


def _ambassador_out(team: Team) -> dict:
    found = ambassador_of(team)
    return {
        "team": team.uuid,
        "team_name": team.name,
        "ambassador": person_ref(found.person) if found else None,
        "named_at": found.named_at if found else None,
    }


@router.get("teams/{team_id}/ambassador", response={200: AmbassadorOut, **READ_ERRORS}, summary="The team's ambassador")
def read_ambassador(request, team_id: UUID):
    team = found_or_404(Team.objects.filter(workspace=api_workspace(request)), uuid=team_id)
    require_api_perm(request, "peers.view_ambassadors", team)
    return _ambassador_out(team)


@router.put(
    "teams/{team_id}/ambassador",
    response={200: AmbassadorOut, **WRITE_ERRORS},
    summary="Name a member of the team its ambassador (admins, the team's managers)",
)
def name_ambassador(request, team_id: UUID, payload: AmbassadorIn):
    team = team_in_path(request, team_id, "peers.name_ambassador")
    person = people_field(request, [payload.person], "person")[0]
    services.name_ambassador(team=team, person=person, actor=api_actor(request), named_by=me_of(request))
    return _ambassador_out(team)


@router.delete(
    "teams/{team_id}/ambassador", response={204: None, **WRITE_ERRORS}, summary="The team has no ambassador any more"
)
def remove_ambassador(request, team_id: UUID):
    team = team_in_path(request, team_id, "peers.name_ambassador")
    services.remove_ambassador(team=team, actor=api_actor(request))
    return Status(204, None)
