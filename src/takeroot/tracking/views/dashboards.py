"""Dashboards: cohort (its trainers and mentors), programme (who trains it), team (a line manager's
people), organisation (admins), and a participant's own progress; each with XLSX and CSV copies of
what the page shows, and an index of the dashboards a person may open.

Every view resolves its object through ``dashboard_access`` (404 when not visible, 403 when not
allowed), reads the filters from the query string and asks ``dashboard`` for the figures.
"""

from uuid import UUID

from django.db.models import Q
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _

from takeroot.core.queries import report_ids, teams_for_workspace
from takeroot.core.rules import principal_has_perm
from takeroot.core.views.helpers import workspace_view
from takeroot.programmes.enums import EnrolmentStatus
from takeroot.programmes.models import Cohort, Enrolment
from takeroot.programmes.queries import cohorts_for_user, programmes_for_workspace

from .. import exports
from ..dashboard_access import build

FORMATS = ("xlsx", "csv")


def _page(kind: str, export_name: str):
    @workspace_view()
    def page(request, uuid: UUID | None = None):
        dashboard, form, context = build(kind, request, uuid)
        query = request.GET.urlencode()
        suffix = f"?{query}" if query else ""
        context |= {
            "dashboard": dashboard,
            "form": form,
            "downloads": [
                (label, reverse(export_name, kwargs={"fmt": fmt} | ({"uuid": uuid} if uuid else {})) + suffix)
                for fmt, label in (("xlsx", _("Download XLSX")), ("csv", _("Download CSV")))
            ],
        }
        return render(request, f"tracking/dashboards/{kind}.html", context)

    page.__name__ = f"{kind}_dashboard"
    return page


def _export(kind: str):
    @workspace_view()
    def export(request, fmt: str, uuid: UUID | None = None):
        if fmt not in FORMATS:
            raise Http404
        dashboard, _form, _context = build(kind, request, uuid)
        if fmt == "xlsx":
            response = HttpResponse(exports.dashboard_xlsx(dashboard), content_type=exports.XLSX)
        else:
            response = HttpResponse(exports.dashboard_csv(dashboard), content_type=exports.CSV)
        response["Content-Disposition"] = f'attachment; filename="{exports.filename(dashboard, fmt)}"'
        return response

    export.__name__ = f"{kind}_dashboard_export"
    return export


@workspace_view()
def dashboard_index(request):
    """The dashboards this person may open: the organisation, programmes, cohorts and teams."""
    workspace, me = request.workspace, request.person
    programmes = programmes_for_workspace(workspace).order_by("name")
    cohorts = cohorts_for_user(request.user, workspace=workspace).order_by("programme__name", "-starts_on")
    teams = teams_for_workspace(workspace).order_by("name")
    if not me.is_admin:
        leads = Cohort.objects.filter(Q(trainers=me) | Q(mentors=me)).values("pk")
        programmes = programmes.filter(pk__in=Cohort.objects.filter(trainers=me).values("programme_id"))
        cohorts = cohorts.filter(pk__in=leads)
        teams = teams.filter(members__pk__in=report_ids(me)).distinct()
    context = {
        "organisation": principal_has_perm(request, "tracking.view_organisation", workspace),
        "programmes": list(programmes),
        "cohorts": list(cohorts),
        "teams": list(teams),
        "enrolments": _own_enrolments(request),
    }
    return render(request, "tracking/dashboards/index.html", context)


def _own_enrolments(request) -> list[Enrolment]:
    return list(
        Enrolment.objects.filter(person=request.person)
        .exclude(status=EnrolmentStatus.WITHDRAWN)
        .select_related("cohort__programme")
        .order_by("-cohort__starts_on")
    )


@workspace_view()
def my_progress(request):
    """ "My progress": straight to the one training, or a choice between several."""
    enrolments = _own_enrolments(request)
    if len(enrolments) == 1:
        return redirect("tracking:progress", enrolments[0].uuid)
    return render(request, "tracking/dashboards/my_progress.html", {"enrolments": enrolments})


@workspace_view()
def team_index(request):
    """A line manager's teams (those with people in their reporting line); straight to the one."""
    me = request.person
    teams = teams_for_workspace(request.workspace).order_by("name")
    if not me.is_admin:
        teams = teams.filter(members__pk__in=report_ids(me)).distinct()
    teams = list(teams)
    if len(teams) == 1:
        return redirect("tracking:team_dashboard", teams[0].uuid)
    return render(request, "tracking/dashboards/teams.html", {"teams": teams})


urlpatterns = [
    path("tracking/dashboards/", dashboard_index, name="dashboards"),
    path(
        "tracking/dashboards/cohorts/<uuid:uuid>/",
        _page("cohort", "tracking:cohort_dashboard_export"),
        name="cohort_dashboard",
    ),
    path(
        "tracking/dashboards/cohorts/<uuid:uuid>/export.<str:fmt>",
        _export("cohort"),
        name="cohort_dashboard_export",
    ),
    path(
        "tracking/dashboards/programmes/<uuid:uuid>/",
        _page("programme", "tracking:programme_dashboard_export"),
        name="programme_dashboard",
    ),
    path(
        "tracking/dashboards/programmes/<uuid:uuid>/export.<str:fmt>",
        _export("programme"),
        name="programme_dashboard_export",
    ),
    path("tracking/dashboards/teams/", team_index, name="team_dashboards"),
    path(
        "tracking/dashboards/teams/<uuid:uuid>/", _page("team", "tracking:team_dashboard_export"), name="team_dashboard"
    ),
    path("tracking/dashboards/teams/<uuid:uuid>/export.<str:fmt>", _export("team"), name="team_dashboard_export"),
    path(
        "tracking/dashboards/organisation/",
        _page("organisation", "tracking:organisation_dashboard_export"),
        name="organisation_dashboard",
    ),
    path(
        "tracking/dashboards/organisation/export.<str:fmt>",
        _export("organisation"),
        name="organisation_dashboard_export",
    ),
    path("tracking/progress/", my_progress, name="my_progress"),
    path("tracking/progress/<uuid:uuid>/", _page("progress", "tracking:progress_export"), name="progress"),
    path("tracking/progress/<uuid:uuid>/export.<str:fmt>", _export("progress"), name="progress_export"),
]
