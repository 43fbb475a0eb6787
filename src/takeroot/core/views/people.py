from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from .. import services
from ..enums import AccountStatus, Role
from ..forms import PersonForm
from ..queries import filter_people, people_for_user, teams_for_workspace, workspace_people
from .helpers import add_service_errors, get_or_404, require_perm, workspace_view


def _person(request, uuid, perm: str = "core.view_person"):
    """A person of the current workspace (404 elsewhere), allowed by ``perm`` (403 otherwise)."""
    person = get_or_404(workspace_people(request.workspace), uuid=uuid)
    require_perm(request, perm, person)
    return person


@workspace_view("core.list_people")
def person_list(request):
    workspace = request.workspace
    teams = list(teams_for_workspace(workspace))
    team = next((t for t in teams if str(t.uuid) == request.GET.get("team")), None)
    role = request.GET.get("role", "") if request.GET.get("role") in Role.values else ""
    status = request.GET.get("status", "") if request.GET.get("status") in AccountStatus.values else ""
    search = request.GET.get("q", "").strip()
    people = filter_people(
        people_for_user(request.user, workspace=workspace), search=search, role=role, team=team, status=status
    )
    page = Paginator(people, 50).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "teams": teams,
        "roles": Role.choices,
        "statuses": AccountStatus.choices,
        "filters": {"q": search, "team": str(team.uuid) if team else "", "role": role, "status": status},
        "query": request.GET.copy(),
    }
    template = "core/people/_results.html" if request.htmx else "core/people/list.html"
    return render(request, template, context)


@workspace_view("core.manage_people")
def person_create(request):
    form = PersonForm(request.POST or None, workspace=request.workspace)
    if request.method == "POST" and form.is_valid():
        try:
            person = services.create_person(
                workspace=request.workspace,
                actor=request.user,
                email=form.cleaned_data["email"],
                **form.service_fields(),
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("%(name)s was added.") % {"name": person.user.name})
            return redirect("core:person_detail", uuid=person.uuid)
    return render(request, "core/people/form.html", {"form": form})


@workspace_view()
def person_detail(request, uuid):
    person = _person(request, uuid)
    reports = person.reports.select_related("user", "team")
    return render(request, "core/people/detail.html", {"person": person, "reports": reports})


@workspace_view()
def person_edit(request, uuid):
    person = _person(request, uuid, "core.change_person")
    form = PersonForm(request.POST or None, workspace=request.workspace, person=person)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_person(person=person, actor=request.user, **form.service_fields())
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Changes saved."))
            return redirect("core:person_detail", uuid=person.uuid)
    return render(request, "core/people/form.html", {"form": form, "person": person})


@require_POST
@workspace_view()
def person_invite(request, uuid):
    person = _person(request, uuid, "core.invite_person")
    services.invite_person(person=person, actor=request.user)
    messages.success(request, _("An invitation was sent to %(email)s.") % {"email": person.user.email})
    return redirect("core:person_detail", uuid=person.uuid)


@require_POST
@workspace_view("core.invite_person")
def invite_pending(request):
    """Invite everyone who has neither an account nor an invitation yet."""
    pending = filter_people(workspace_people(request.workspace), status=AccountStatus.NOT_INVITED)
    count = 0
    for person in pending:
        services.invite_person(person=person, actor=request.user)
        count += 1
    messages.success(request, _("Invitations sent: %(count)s.") % {"count": count})
    return redirect("core:home")


@workspace_view()
def person_remove(request, uuid):
    person = _person(request, uuid, "core.change_person")
    if request.method == "POST":
        services.remove_person(person=person, actor=request.user)
        messages.success(request, _("%(name)s was removed from the workspace.") % {"name": person.user.name})
        return redirect("core:person_list")
    return render(request, "core/people/remove.html", {"person": person})
