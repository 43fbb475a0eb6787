"""The win pages: the organisation and team feeds, my wins with the sharing choice, one win,
marking a win, reacting, and the home panel."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from takeroot.core.queries import teams_for_workspace
from takeroot.core.views.helpers import add_service_errors, get_or_404, require_perm, workspace_view

from .. import services
from ..enums import Sharing
from ..forms import FeedFilterForm, MarkWinForm, SharingForm
from ..queries import goals_of, people_markable_by, reaction_counts, shared_feed, wins_of
from .common import back, find_win

PAGE_SIZE = 20


def _cards(request, wins) -> list[tuple]:
    return [(win, reaction_counts(win, request.person)) for win in wins]


def _feed(request, *, team=None, form=None):
    page = Paginator(shared_feed(request.workspace, team=team), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "wins/feed.html",
        {
            "team": team,
            "form": form,
            "page": page,
            "cards": _cards(request, page.object_list),
            "query": request.GET,
            "can_mark": request.user.has_perm("wins.mark_wins", request.workspace),
            "can_digests": request.user.has_perm("wins.manage_digests", request.workspace),
        },
    )


@workspace_view("wins.view_wins")
def feed(request):
    """The organisation's shared wins, newest first; filter by team."""
    form = FeedFilterForm(request.GET or None, teams=teams_for_workspace(request.workspace))
    team = form.cleaned_data["team"] if form.is_bound and form.is_valid() else None
    return _feed(request, team=team, form=form)


@workspace_view("wins.view_wins")
def team_feed(request, team_uuid):
    team = get_or_404(teams_for_workspace(request.workspace), uuid=team_uuid)
    return _feed(request, team=team)


@workspace_view("wins.view_wins")
def my_wins(request):
    wins = list(wins_of(request.person)) if request.person is not None else []
    rows = [
        (win, SharingForm(prefix=str(win.uuid), initial={"sharing": win.sharing}), reaction_counts(win, request.person))
        for win in wins
    ]
    return render(request, "wins/mine.html", {"rows": rows})


@workspace_view("wins.view_wins")
def win_detail(request, uuid):
    win = find_win(request, uuid)
    can_share = request.user.has_perm("wins.share_win", win)
    return render(
        request,
        "wins/win_detail.html",
        {
            "win": win,
            "reactions": reaction_counts(win, request.person),
            "can_share": can_share,
            "can_react": request.user.has_perm("wins.react", win),
            "can_view_plan": bool(win.plan_id) and request.user.has_perm("plans.view_plan", win.plan),
            "sharing_form": SharingForm(prefix=str(win.uuid), initial={"sharing": win.sharing}) if can_share else None,
        },
    )


@require_POST
@workspace_view("wins.view_wins")
def win_share(request, uuid):
    win = find_win(request, uuid, "wins.share_win")
    form = SharingForm(request.POST, prefix=str(win.uuid))
    if not form.is_valid():
        messages.error(request, _("Choose to share the win or keep it private."))
        return back(request, win)
    changed = services.set_sharing(win=win, actor=request.user, sharing=form.cleaned_data["sharing"])
    if changed and win.sharing == Sharing.SHARED:
        messages.success(request, _("Your win is shared. Well done!"))
    elif changed:
        messages.success(request, _("Your win is private: only you and the people who follow your progress see it."))
    return back(request, win)


@require_POST
@workspace_view("wins.view_wins")
def react(request, uuid):
    """Toggle one reaction. With htmx, answer the reaction buttons; without, go back to the page."""
    win = find_win(request, uuid, "wins.react")
    try:
        services.toggle_reaction(win=win, person=request.person, kind=request.POST.get("kind", ""))
    except ValidationError as error:
        if request.htmx:
            return render(
                request,
                "wins/_reactions.html",
                {
                    "win": win,
                    "reactions": reaction_counts(win, request.person),
                    "can_react": True,
                    "error": " ".join(error.messages),
                },
                status=400,
            )
        messages.error(request, " ".join(error.messages))
        return back(request, win)
    win = find_win(request, uuid, "wins.react")  # fresh reactions
    if request.htmx:
        return render(
            request,
            "wins/_reactions.html",
            {
                "win": win,
                "reactions": reaction_counts(win, request.person),
                "can_react": True,
                "next": request.POST.get("next", ""),
            },
        )
    return back(request, win)


@workspace_view("wins.mark_wins")
def mark(request):
    people = people_markable_by(request.user, workspace=request.workspace)
    initial = {"person": request.GET.get("person")} if request.GET.get("person") else None
    form = MarkWinForm(request.POST or None, initial=initial, people=people, goals=goals_of(people))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        require_perm(request, "wins.mark_win_for", data["person"])
        try:
            win = services.mark_win(
                workspace=request.workspace,
                actor=request.user,
                marked_by=request.person,
                person=data["person"],
                title=data["title"],
                story=data["story"],
                goal=data["goal"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request, _("Win recorded. %(name)s is asked whether it may be shared.") % {"name": win.person.user.name}
            )
            return redirect(win)
    return render(request, "wins/mark.html", {"form": form})


def home_panel(request):
    """For a participant: their wins waiting for a sharing choice."""
    if request.person is None:
        return None
    waiting = list(wins_of(request.person).filter(sharing=Sharing.PENDING)[:5])
    if not waiting:
        return None
    return "wins/_home_panel.html", {"waiting": waiting}
