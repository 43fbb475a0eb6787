"""The person's own surveys: "My surveys" (open ones to answer, answered ones) and the home panel
that says when one waits."""

from django.shortcuts import render
from django.utils import timezone

from takeroot.core.home import register_home_panel
from takeroot.core.views.helpers import workspace_view

from ..responding import is_open, pending_for, surveys_of
from .respond import held_ballots


@workspace_view("surveys.view_surveys")
def mine(request):
    """Open surveys waiting for an answer, and the ones answered (anonymous: the ballot taken)."""
    me = request.person
    now = timezone.now()
    found = surveys_of(me, now, held_ballots(request, me)) if me is not None else []
    context = {
        "waiting": [mine for mine in found if mine.status == "open" and is_open(mine.survey, now)],
        "done": [mine for mine in found if mine.status != "open"],
        "missed": [mine for mine in found if mine.status == "open" and not is_open(mine.survey, now)],
    }
    return render(request, "surveys/mine.html", context)


def register() -> None:
    """Called once from the app's ``ready()``."""
    register_home_panel(home_panel)


def home_panel(request):
    """For a person with surveys waiting: how many, and the one closing first."""
    me = getattr(request, "person", None)
    if me is None:
        return None
    waiting = pending_for(me, timezone.now(), held_ballots(request, me))
    return ("surveys/_home_panel.html", {"waiting": waiting}) if waiting else None
