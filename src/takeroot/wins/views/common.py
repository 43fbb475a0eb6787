"""What the win views share: finding a win or digest (404 outside the viewer's sight), the rule
check, and a safe way back after a form post."""

from django.shortcuts import redirect
from django.utils.http import url_has_allowed_host_and_scheme

from takeroot.core.views.helpers import get_or_404, require_perm

from ..models import Win, WinsDigest
from ..queries import digests_for_user, wins_for_user, with_reactions


def find_win(request, uuid, perm: str = "wins.view_win") -> Win:
    """The win among those the person may see (else 404, like a missing one), if the rule allows
    the action (else 403)."""
    win = get_or_404(with_reactions(wins_for_user(request.user, workspace=request.workspace)), uuid=uuid)
    require_perm(request, perm, win)
    return win


def find_digest(request, uuid, perm: str = "wins.view_digest") -> WinsDigest:
    digest = get_or_404(digests_for_user(request.user, workspace=request.workspace), uuid=uuid)
    require_perm(request, perm, digest)
    return digest


def back(request, fallback):
    """Back to the page the form was on (``next``), when it is one of ours."""
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return redirect(target)
    return redirect(fallback)
