"""Wins and the wins digest over JSON. Same queries, rules and services as the pages.

A win named in the path is looked up among those the caller may see (else 404); then the rule
decides (403). An API key sees every win of its workspace, like an admin, with ``wins:read``;
it may mark wins with ``wins:write`` (recorded with no marker). Sharing and reactions belong to
people: keys get 403 there.
"""

from uuid import UUID

from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from ninja import Query, Router, Status
from ninja.pagination import paginate

from takeroot.core.api_support import READ_ERRORS, WRITE_ERRORS, api_actor, api_workspace, is_api_key, require_api_perm
from takeroot.core.pagination import Pages
from takeroot.core.queries import membership, team_and_descendants, teams_for_workspace, workspace_people
from takeroot.core.rules import API_KEY_SCOPES, principal_has_perm
from takeroot.plans.models import ActionGoal

from . import services
from .models import Win, WinsDigest
from .queries import (
    digest_entries,
    digests_for_user,
    digests_for_workspace,
    reaction_counts,
    wins_for_user,
    wins_for_workspace,
    with_reactions,
)
from .schemas import (
    DigestOut,
    DigestSummaryOut,
    ReactionIn,
    ReactionToggleOut,
    SharingIn,
    WinFilters,
    WinIn,
    WinOut,
)

router = Router(tags=["wins"])

# What an API key may do here. Sharing and reactions are a person's own: no key.
API_KEY_SCOPES.update(
    {
        "wins.view_wins": "wins:read",
        "wins.view_win": "wins:read",
        "wins.view_digest": "wins:read",
        "wins.manage_digests": "wins:read",
        "wins.mark_wins": "wins:write",
        "wins.mark_win_for": "wins:write",
    }
)


def _me(request):
    return membership(request.user, api_workspace(request)) if request.user.is_authenticated else None


def _visible(request, workspace):
    if is_api_key(request):
        return wins_for_workspace(workspace)
    return wins_for_user(request.user, workspace=workspace)


def _win(request, win_id: UUID, perm: str = "wins.view_win") -> Win:
    workspace = api_workspace(request)
    win = with_reactions(_visible(request, workspace)).filter(uuid=win_id).first()
    if win is None:
        raise Http404
    require_api_perm(request, perm, win)
    return win


def _reactions(request, win: Win) -> list[dict]:
    me = None if is_api_key(request) else _me(request)
    return [{"kind": r.kind, "label": r.label, "count": r.count, "mine": r.mine} for r in reaction_counts(win, me)]


def _win_out(request, win: Win) -> dict:
    return {
        "id": win.uuid,
        "participant": win.person.uuid,
        "participant_name": win.person.user.name,
        "title": win.title,
        "story": win.story,
        "source": win.source,
        "marked_by": win.marked_by.user.name if win.marked_by else None,
        "plan": win.plan.uuid if win.plan else None,
        "goal": win.goal.uuid if win.goal else None,
        "cohort": win.cohort.uuid if win.cohort else None,
        "sharing": win.sharing,
        "created_at": win.created_at,
        "shared_at": win.shared_at,
        "reactions": _reactions(request, win),
    }


@router.get("wins", response={200: list[WinOut], **READ_ERRORS}, summary="List the wins you may see, newest first")
@paginate(Pages, page_size=50)
def list_wins(request, filters: Query[WinFilters]):
    workspace = api_workspace(request)
    require_api_perm(request, "wins.view_wins", workspace)
    wins = with_reactions(_visible(request, workspace))
    if filters.sharing:
        wins = wins.filter(sharing=filters.sharing)
    if filters.participant:
        wins = wins.filter(person__uuid=filters.participant)
    if filters.team:
        team = teams_for_workspace(workspace).filter(uuid=filters.team).first()
        wins = wins.filter(person__team__in=team_and_descendants(team)) if team else wins.none()
    return [_win_out(request, win) for win in wins.order_by("-created_at", "-pk")]


@router.post(
    "wins",
    response={201: WinOut, **WRITE_ERRORS},
    summary="Mark an achievement as a win for a participant (their manager, a trainer of their cohort, an admin)",
)
def mark_win(request, payload: WinIn):
    workspace = api_workspace(request)
    require_api_perm(request, "wins.mark_wins", workspace)
    person = workspace_people(workspace).filter(uuid=payload.participant).first()
    if person is None:
        raise ValidationError({"participant": [_("There is nobody with this id in the workspace.")]})
    require_api_perm(request, "wins.mark_win_for", person)
    goal = None
    if payload.goal is not None:
        goal = (
            ActionGoal.objects.filter(workspace=workspace, uuid=payload.goal).select_related("plan__enrolment").first()
        )
        if goal is None:
            raise ValidationError({"goal": [_("There is no such goal in this workspace.")]})
    win = services.mark_win(
        workspace=workspace,
        actor=api_actor(request),
        marked_by=None if is_api_key(request) else _me(request),
        person=person,
        title=payload.title,
        story=payload.story,
        goal=goal,
    )
    return Status(201, _win_out(request, with_reactions(wins_for_workspace(workspace)).get(pk=win.pk)))


@router.get("wins/{win_id}", response={200: WinOut, **READ_ERRORS}, summary="Read a win")
def read_win(request, win_id: UUID):
    return _win_out(request, _win(request, win_id))


@router.patch(
    "wins/{win_id}",
    response={200: WinOut, **WRITE_ERRORS},
    summary="Share the win or keep it private (the participant, signed in)",
)
def update_sharing(request, win_id: UUID, payload: SharingIn):
    win = _win(request, win_id, "wins.share_win")
    services.set_sharing(win=win, actor=api_actor(request), sharing=payload.sharing)
    return _win_out(request, win)


@router.post(
    "wins/{win_id}/reactions",
    response={200: ReactionToggleOut, **WRITE_ERRORS},
    summary="Give a reaction to a shared win, or take it back (signed in)",
)
def toggle_reaction(request, win_id: UUID, payload: ReactionIn):
    win = _win(request, win_id, "wins.react")
    given = services.toggle_reaction(win=win, person=_me(request), kind=payload.kind)
    win = _win(request, win_id, "wins.react")
    return {"kind": payload.kind, "given": given, "reactions": _reactions(request, win)}


# The digest ------------------------------------------------------------------------------------


def _digests(request, workspace):
    if is_api_key(request):
        return digests_for_workspace(workspace)
    return digests_for_user(request.user, workspace=workspace)


def _digest_out(request, digest: WinsDigest) -> dict:
    everything = principal_has_perm(request, "wins.manage_digests", digest.workspace) and not is_api_key(request)
    entries = digest_entries(digest, published=not everything)
    return {
        "id": digest.uuid,
        "month": digest.month,
        "state": digest.state,
        "sent_at": digest.sent_at,
        "intro": digest.intro,
        "entries": [
            {
                "win": entry.win.uuid,
                "position": entry.position,
                "title": entry.title,
                "story": entry.story,
                "participant_name": entry.win.person.user.name,
                "included": entry.included,
            }
            for entry in entries
        ],
    }


@router.get(
    "wins-digests",
    response={200: list[DigestSummaryOut], **READ_ERRORS},
    summary="The monthly wins digests: admins see drafts too, everyone else the sent ones",
)
@paginate(Pages, page_size=50)
def list_digests(request):
    workspace = api_workspace(request)
    require_api_perm(request, "wins.view_wins", workspace)
    return [
        {"id": d.uuid, "month": d.month, "state": d.state, "sent_at": d.sent_at}
        for d in _digests(request, workspace).order_by("-month", "-pk")
    ]


@router.get("wins-digests/{digest_id}", response={200: DigestOut, **READ_ERRORS}, summary="Read a wins digest")
def read_digest(request, digest_id: UUID):
    workspace = api_workspace(request)
    digest = _digests(request, workspace).filter(uuid=digest_id).first()
    if digest is None:
        raise Http404
    require_api_perm(request, "wins.view_digest", digest)
    return _digest_out(request, digest)
