"""How a dashboard request finds what it is about, and who is looking: shared by the pages, the
exports and the API so all three refuse the same people in the same way.

Each finder looks in the viewer's visibility query first (not there: 404, exactly like "does not
exist"), then asks the permission in ``tracking/rules.py`` (visible but not allowed: 403). An API
key sees its own workspace and passes a permission by its ``tracking:read`` scope.
"""

from collections.abc import Callable
from uuid import UUID

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from takeroot.core.api_support import is_api_key
from takeroot.core.models import Person, Team, Workspace
from takeroot.core.queries import membership, teams_for_workspace
from takeroot.core.rules import principal_has_perm
from takeroot.programmes.models import Cohort, Enrolment, Programme
from takeroot.programmes.queries import cohorts_for_user, cohorts_for_workspace, programmes_for_workspace

from . import dashboard as boards
from .dashboard_forms import WHOLE, DashboardFilterForm
from .models import AtRiskFlag
from .queries import flags_for_user, flags_for_workspace, tracking_settings


def _allowed(request, perm: str, obj) -> None:
    if not principal_has_perm(request, perm, obj):
        raise PermissionDenied


def _one(queryset: QuerySet, uuid: UUID):
    found = queryset.filter(uuid=uuid).first()
    if found is None:
        raise Http404
    return found


def viewer(request, workspace: Workspace) -> Person | None:
    """The signed-in person looking; None for an API key."""
    return None if is_api_key(request) else membership(request.user, workspace)


def visible_flags(request, workspace: Workspace) -> QuerySet[AtRiskFlag]:
    """The flags the viewer may read names in: a person's by the flag rule, an API key's workspace."""
    if is_api_key(request):
        return flags_for_workspace(workspace)
    return flags_for_user(request.user, workspace=workspace)


def find_cohort(request, workspace: Workspace, uuid: UUID) -> Cohort:
    cohorts = (
        cohorts_for_workspace(workspace) if is_api_key(request) else cohorts_for_user(request.user, workspace=workspace)
    )
    cohort = _one(cohorts.select_related("programme", "workspace"), uuid)
    _allowed(request, "tracking.view_cohort_dashboard", cohort)
    return cohort


def find_programme(request, workspace: Workspace, uuid: UUID) -> Programme:
    programme = _one(programmes_for_workspace(workspace).select_related("workspace"), uuid)
    _allowed(request, "tracking.view_programme_dashboard", programme)
    return programme


def find_team(request, workspace: Workspace, uuid: UUID) -> Team:
    team = _one(teams_for_workspace(workspace).select_related("workspace"), uuid)
    _allowed(request, "tracking.view_team_dashboard", team)
    return team


def find_enrolment(request, workspace: Workspace, uuid: UUID) -> Enrolment:
    enrolments = Enrolment.objects.filter(workspace=workspace).select_related(
        "person__user", "cohort__programme", "workspace"
    )
    enrolment = _one(enrolments, uuid)
    _allowed(request, "tracking.view_progress", enrolment)
    return enrolment


def check_organisation(request, workspace: Workspace) -> None:
    _allowed(request, "tracking.view_organisation", workspace)


class FilterError(Exception):
    """The API's filters do not parse; ``form.errors`` says why."""

    def __init__(self, form: DashboardFilterForm):
        super().__init__("invalid dashboard filters")
        self.form = form


def _filters(request, *, whole_label: str, default: str, teams=None, programmes=None) -> DashboardFilterForm:
    """The query string's filters. A page shows what does not parse and uses the rest; the API
    (``request.strict_filters``) refuses the call."""
    form = DashboardFilterForm(
        request.GET or None, whole_label=whole_label, default=default, teams=teams, programmes=programmes
    )
    if not form.is_valid() and form.is_bound and getattr(request, "strict_filters", False):
        raise FilterError(form)
    return form


# Each builder answers (dashboard, form, extra context) for a page and its exports alike.


def _cohort(request, uuid: UUID):
    cohort = find_cohort(request, request.workspace, uuid)
    form = _filters(request, whole_label=_("Whole cohort"), default=WHOLE)
    on = boards.today()
    period = form.chosen_period(whole=boards.cohort_period(cohort, on=on), today=on)
    dashboard = boards.cohort_dashboard(cohort, period, flags=visible_flags(request, request.workspace))
    return dashboard, form, {"cohort": cohort, "programme": cohort.programme}


def _programme(request, uuid: UUID):
    programme = find_programme(request, request.workspace, uuid)
    form = _filters(request, whole_label=_("All cohorts"), default=WHOLE)
    on = boards.today()
    period = form.chosen_period(whole=boards.programme_period(programme, on=on), today=on)
    dashboard = boards.programme_dashboard(programme, period, flags=visible_flags(request, request.workspace))
    may_see_findings = principal_has_perm(request, "tracking.view_findings", programme)
    return dashboard, form, {"programme": programme, "may_see_findings": may_see_findings}


def _team(request, uuid: UUID):
    team = find_team(request, request.workspace, uuid)
    form = _filters(
        request, whole_label=_("Last 12 months"), default="12", programmes=programmes_for_workspace(request.workspace)
    )
    on = boards.today()
    period = form.chosen_period(whole=boards.year_period(on=on), today=on)
    me = viewer(request, request.workspace)
    dashboard = boards.team_dashboard(
        team,
        period,
        viewer=me,
        flags=visible_flags(request, request.workspace),
        programme=form.value("programme"),
    )
    shares_flags = bool(me is None or me.is_admin or tracking_settings(request.workspace).notify_managers)
    return dashboard, form, {"team": team, "shares_flags": shares_flags}


def _organisation(request, _uuid=None):
    workspace = request.workspace
    check_organisation(request, workspace)
    form = _filters(
        request,
        whole_label=_("Last 12 months"),
        default="12",
        teams=teams_for_workspace(workspace),
        programmes=programmes_for_workspace(workspace),
    )
    on = boards.today()
    period = form.chosen_period(whole=boards.year_period(on=on), today=on)
    dashboard = boards.organisation_dashboard(
        workspace,
        period,
        flags=visible_flags(request, workspace),
        team=form.value("team"),
        programme=form.value("programme"),
    )
    return dashboard, form, {}


def _progress(request, uuid: UUID):
    enrolment = find_enrolment(request, request.workspace, uuid)
    form = _filters(request, whole_label=_("Whole course"), default=WHOLE)
    on = boards.today()
    period = form.chosen_period(whole=boards.cohort_period(enrolment.cohort, on=on), today=on)
    own = owns(request, enrolment)
    dashboard = boards.progress(enrolment, period, own=own)
    return dashboard, form, {"enrolment": enrolment, "own": own}


_BUILDERS: dict[str, Callable] = {
    "cohort": _cohort,
    "programme": _programme,
    "team": _team,
    "organisation": _organisation,
    "progress": _progress,
}


def build(kind: str, request, uuid: UUID | None = None):
    """(dashboard, filter form, context for the page) of a ``kind`` of dashboard for this request."""
    return _BUILDERS[kind](request, uuid)


def owns(request, enrolment: Enrolment) -> bool:
    """Whether the participant themself is looking (the page then speaks to them)."""
    return not is_api_key(request) and enrolment.person.user_id == request.user.pk
