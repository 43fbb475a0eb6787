"""What the peer endpoints share: the router, finding objects (404 outside the caller's sight)
then the rule (403), the refusal of API keys where a person must write, and output shapes."""

from uuid import UUID

from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from ninja import Router, Status

from takeroot.core.api_support import api_workspace, is_api_key, require_api_perm
from takeroot.core.models import Person, Team
from takeroot.core.queries import membership, workspace_people
from takeroot.core.rules import principal_has_perm
from takeroot.programmes.models import Cohort

from ..models import PeerGroup, Thread
from ..queries import (
    groups_for_person,
    groups_for_workspace,
    threads_for_person,
    threads_for_workspace,
)

router = Router(tags=["peer learning"])


def me_of(request) -> Person | None:
    return None if is_api_key(request) else membership(request.user, api_workspace(request))


def key_refusal(request):
    """Threads and posts speak for a person: an API key gets a 403 that says why."""
    if is_api_key(request):
        detail = _("An API key cannot write threads or posts: sign in as a person to do that.")
        return Status(403, {"detail": detail, "errors": {}})
    return None


def found_or_404(queryset, **lookup):
    obj = queryset.filter(**lookup).first()
    if obj is None:
        raise Http404
    return obj


def cohort_in_path(request, cohort_id: UUID, perm: str) -> Cohort:
    cohort = found_or_404(Cohort.objects.filter(workspace=api_workspace(request)), uuid=cohort_id)
    require_api_perm(request, perm, cohort)
    return cohort


def visible_groups(request):
    workspace = api_workspace(request)
    return groups_for_workspace(workspace) if is_api_key(request) else groups_for_person(me_of(request))


def group_in_path(request, group_id: UUID, perm: str = "peers.view_group") -> PeerGroup:
    group = found_or_404(visible_groups(request), uuid=group_id)
    require_api_perm(request, perm, group)
    return group


def visible_threads(request):
    workspace = api_workspace(request)
    return threads_for_workspace(workspace) if is_api_key(request) else threads_for_person(me_of(request))


def thread_in_path(request, thread_id: UUID, perm: str = "peers.view_thread") -> Thread:
    thread = found_or_404(visible_threads(request), uuid=thread_id)
    require_api_perm(request, perm, thread)
    return thread


def team_in_path(request, team_id: UUID, perm: str) -> Team:
    team = found_or_404(Team.objects.filter(workspace=api_workspace(request)), uuid=team_id)
    require_api_perm(request, perm, team)
    return team


def person_ref(person: Person | None) -> dict | None:
    if person is None:
        return None
    return {"id": person.uuid, "name": person.user.name, "team": person.team.name if person.team_id else None}


def group_out(group: PeerGroup) -> dict:
    return {
        "id": group.uuid,
        "cohort": group.cohort.uuid,
        "name": group.name,
        "kind": group.kind,
        "members": [person_ref(m.person) for m in group.memberships.all()],
    }


def people_field(request, ids: list[UUID], field: str) -> list[Person]:
    wanted = set(ids)
    found = list(workspace_people(api_workspace(request)).filter(uuid__in=wanted).select_related("user", "team"))
    if len(found) != len(wanted):
        raise ValidationError({field: [_("There is nobody with this id in the workspace.")]})
    return sorted(found, key=lambda p: ids.index(p.uuid))


def is_moderator(request, thread: Thread) -> bool:
    return principal_has_perm(request, "peers.moderate", thread)
