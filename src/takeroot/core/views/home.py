from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from ..enums import AccountStatus
from ..home import home_panels
from ..queries import filter_people, people_for_user, teams_for_workspace


@login_required
def home(request):
    """What this person should do today, by the roles they hold here."""
    context = {}
    workspace, me = request.workspace, request.person
    if workspace is not None and request.user.has_perm("core.manage_people", workspace):
        people = people_for_user(request.user, workspace=workspace)
        context["admin"] = {
            "people": people.count(),
            "not_invited": filter_people(people, status=AccountStatus.NOT_INVITED).count(),
            "invited": filter_people(people, status=AccountStatus.INVITED).count(),
            "teams": teams_for_workspace(workspace).count(),
        }
    if me is not None:
        context["reports"] = list(me.reports.select_related("user", "team")[:10])
        context["report_count"] = me.reports.count()
    context["panels"] = home_panels(request) if workspace is not None else []
    return render(request, "core/home.html", context)
