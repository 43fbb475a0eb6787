"""What the peer views share: finding the object (404 outside the viewer's sight), then the rule."""

from django.http import Http404

from takeroot.core.models import Team
from takeroot.core.views.helpers import get_or_404, require_perm
from takeroot.programmes.models import Cohort

from ..models import PeerGroup, Post, Thread
from ..queries import groups_for_person, threads_for_person


def find_cohort(request, uuid, perm: str = "peers.view_community") -> Cohort:
    cohort = get_or_404(Cohort.objects.filter(workspace=request.workspace).select_related("programme"), uuid=uuid)
    require_perm(request, perm, cohort)
    return cohort


def find_group(request, uuid, perm: str = "peers.view_group") -> PeerGroup:
    group = get_or_404(groups_for_person(request.person), uuid=uuid)
    require_perm(request, perm, group)
    return group


def find_team(request, uuid, perm: str = "peers.view_team") -> Team:
    team = get_or_404(Team.objects.filter(workspace=request.workspace), uuid=uuid)
    require_perm(request, perm, team)
    return team


def find_thread(request, uuid, perm: str = "peers.view_thread") -> Thread:
    thread = get_or_404(threads_for_person(request.person), uuid=uuid)
    require_perm(request, perm, thread)
    return thread


def find_post(request, uuid, perm: str) -> Post:
    """A post of a visible thread; a hidden one only for its author and the moderators."""
    visible = threads_for_person(request.person).values("pk")
    posts = Post.objects.filter(thread__in=visible).select_related("thread__cohort", "thread__team", "thread__group")
    post = get_or_404(posts, uuid=uuid)
    if post.is_hidden and post.author_id != request.person.pk and not request.user.has_perm("peers.moderate", post):
        raise Http404
    require_perm(request, perm, post)
    return post
