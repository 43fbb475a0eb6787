"""Team training ambassadors: every team with its ambassador, and a team's page with the
ambassador's insights and, for admins and the team's managers, naming the ambassador."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from takeroot.core.models import Person
from takeroot.core.views.helpers import add_service_errors, require_perm, workspace_view

from .. import services
from ..forms import AmbassadorForm, ThreadForm
from ..queries import ambassador_of, ambassadors_for_workspace, team_insights
from .common import find_team


@workspace_view("peers.view_ambassadors")
def ambassadors(request):
    rows = [
        (team, ambassador, request.user.has_perm("peers.view_team", team))
        for team, ambassador in ambassadors_for_workspace(request.workspace)
    ]
    return render(request, "peers/ambassadors.html", {"rows": rows})


def _members(team):
    return Person.objects.filter(team=team).select_related("user", "team").order_by("user__name", "pk")


@workspace_view("peers.view_peers")
def team_page(request, team_uuid):
    team = find_team(request, team_uuid)
    form = ThreadForm(request.POST or None)
    if request.method == "POST":
        require_perm(request, "peers.start_insight", team)
        if form.is_valid():
            data = form.cleaned_data
            try:
                thread = services.start_thread(
                    author=request.person, actor=request.user, team=team, title=data["title"], text=data["text"]
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("Insight shared with your team."))
                return redirect(thread)
    ambassador = ambassador_of(team)
    can_name = request.user.has_perm("peers.name_ambassador", team)
    initial = {"person": ambassador.person} if ambassador else {}
    return render(
        request,
        "peers/team.html",
        {
            "team": team,
            "ambassador": ambassador,
            "insights": team_insights(team, request.person),
            "form": form,
            "can_write": request.user.has_perm("peers.start_insight", team),
            "can_name": can_name,
            "ambassador_form": AmbassadorForm(initial=initial, people=_members(team)) if can_name else None,
        },
    )


@workspace_view("peers.view_peers")
def team_ambassador(request, team_uuid):
    team = find_team(request, team_uuid, "peers.name_ambassador")
    form = AmbassadorForm(request.POST or None, people=_members(team))
    if request.method == "POST":
        if "remove" in request.POST:
            services.remove_ambassador(team=team, actor=request.user)
            messages.success(request, _("The team has no ambassador now."))
            return redirect("peers:team_page", team.uuid)
        if form.is_valid():
            try:
                services.name_ambassador(
                    team=team, person=form.cleaned_data["person"], actor=request.user, named_by=request.person
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("Ambassador named."))
                return redirect("peers:team_page", team.uuid)
    title = _("Training ambassador of %(team)s") % {"team": team.name}
    return render(
        request, "peers/form.html", {"form": form, "title": title, "back": reverse("peers:team_page", args=[team.uuid])}
    )
