from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from .. import services
from ..forms import TeamForm
from ..queries import team_tree, teams_for_workspace
from .helpers import add_service_errors, get_or_404, workspace_view


@workspace_view("core.view_teams")
def team_list(request):
    return render(request, "core/teams/list.html", {"tree": team_tree(request.workspace)})


@workspace_view("core.manage_teams")
def team_create(request):
    form = TeamForm(request.POST or None, workspace=request.workspace, initial={"parent": None})
    if request.method == "POST" and form.is_valid():
        try:
            services.create_team(workspace=request.workspace, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Team created."))
            return redirect("core:team_list")
    return render(request, "core/teams/form.html", {"form": form})


@workspace_view("core.manage_teams")
def team_edit(request, uuid):
    team = get_or_404(teams_for_workspace(request.workspace), uuid=uuid)
    form = TeamForm(request.POST or None, workspace=request.workspace, team=team)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_team(team=team, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Changes saved."))
            return redirect("core:team_list")
    return render(request, "core/teams/form.html", {"form": form, "team": team})


@workspace_view("core.manage_teams")
def team_delete(request, uuid):
    team = get_or_404(teams_for_workspace(request.workspace), uuid=uuid)
    error = None
    if request.method == "POST":
        try:
            services.delete_team(team=team, actor=request.user)
        except ValidationError as e:
            error = " ".join(e.messages)
        else:
            messages.success(request, _("Team deleted."))
            return redirect("core:team_list")
    return render(request, "core/teams/delete.html", {"team": team, "error": error})
