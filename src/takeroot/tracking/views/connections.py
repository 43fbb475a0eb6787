"""The learning-data pages (admins): LMS connections (create, with the secret shown once; rename;
revoke), the statements waiting for a mapping (actors, activities, people not enrolled), the
mappings made, and what each verb counts as."""

import hashlib

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from takeroot.core.models import Person
from takeroot.core.views.helpers import add_service_errors, get_or_404, workspace_view

from .. import connections as services
from ..forms_connections import ActivityMappingForm, ActorMappingForm, ConnectionForm, VerbForm, module_choices
from ..mapping import activity_name_of, actor_name_of
from ..models import ActivityMapping, ActorMapping

CONNECTIONS = "tracking.manage_connections"
MAPPINGS = "tracking.manage_mappings"
PAGE_SIZE = 25


def _page(request, rows, param: str = "page"):
    return Paginator(rows, PAGE_SIZE).get_page(request.GET.get(param))


def _row_id(value: str) -> str:
    """A short, stable id for a row's form fields (actor keys and IRIs are not valid ids)."""
    return hashlib.sha256(value.encode()).hexdigest()[:10]


def _reprocessing(request, count: int) -> None:
    if count:
        messages.info(
            request,
            ngettext(
                "Re-processing %(count)s statement with the new mapping.",
                "Re-processing %(count)s statements with the new mapping.",
                count,
            )
            % {"count": count},
        )


# Connections ------------------------------------------------------------------------------------


def _connections_page(request, *, form=None, status=200):
    context = {
        "page": _page(request, services.connections_of(request.workspace)),
        "query": request.GET,
        "form": form or ConnectionForm(),
    }
    return render(request, "tracking/connections/list.html", context, status=status)


@workspace_view(CONNECTIONS)
def connection_list(request):
    return _connections_page(request)


@require_POST
@workspace_view(CONNECTIONS)
def connection_create(request):
    """The secret is rendered in the answer itself, never stored or put in a message."""
    form = ConnectionForm(request.POST)
    if form.is_valid():
        try:
            connection, secret = services.create_connection(
                workspace=request.workspace, actor=request.user, name=form.cleaned_data["name"]
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            endpoint = request.build_absolute_uri("/xapi/")
            context = {"connection": connection, "secret": secret, "endpoint": endpoint}
            response = render(request, "tracking/connections/created.html", context, status=201)
            response["Cache-Control"] = "no-store"
            return response
    return _connections_page(request, form=form, status=400)


def _connection(request, uuid):
    return get_or_404(services.connections_of(request.workspace), uuid=uuid)


@workspace_view(CONNECTIONS)
def connection_detail(request, uuid):
    connection = _connection(request, uuid)
    form = ConnectionForm(request.POST or None, initial={"name": connection.name})
    if request.method == "POST" and form.is_valid():
        try:
            services.rename_connection(connection=connection, actor=request.user, name=form.cleaned_data["name"])
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Connection renamed."))
            return redirect("tracking:connections")
    status = 400 if form.is_bound else 200
    context = {"connection": connection, "form": form, "endpoint": request.build_absolute_uri("/xapi/")}
    return render(request, "tracking/connections/detail.html", context, status=status)


@workspace_view(CONNECTIONS)
def connection_revoke(request, uuid):
    connection = _connection(request, uuid)
    if request.method == "POST":
        services.revoke_connection(connection=connection, actor=request.user)
        messages.success(request, _("Connection revoked: the LMS can no longer send statements with it."))
        return redirect("tracking:connections")
    return render(request, "tracking/connections/revoke.html", {"connection": connection})


# Unmatched statements ---------------------------------------------------------------------------


def _unmatched_page(request, *, bound_actor=None, bound_activity=None, status=200):
    workspace = request.workspace
    actors = _page(request, services.unmatched_actors(workspace))
    activities = _page(request, services.unmatched_activities(workspace), "activities_page")
    choices = module_choices(workspace)
    actor_rows = []
    for row in services.with_names(actors.object_list, actor_name_of):
        form = bound_actor if bound_actor and bound_actor.data.get("actor_key") == row["actor_key"] else None
        form = form or ActorMappingForm(workspace=workspace, initial={"actor_key": row["actor_key"]})
        form.auto_id = f"actor-{_row_id(row['actor_key'])}-%s"
        actor_rows.append({**row, "form": form})
    activity_rows = []
    for row in services.with_names(activities.object_list, activity_name_of):
        form = bound_activity if bound_activity and bound_activity.data.get("activity") == row["activity"] else None
        form = form or ActivityMappingForm(workspace=workspace, choices=choices, initial={"activity": row["activity"]})
        form.auto_id = f"activity-{_row_id(row['activity'])}-%s"
        activity_rows.append({**row, "form": form})
    context = {
        "actors": actors,
        "actor_rows": actor_rows,
        "activities": activities,
        "activity_rows": activity_rows,
        "not_enrolled": services.not_enrolled(workspace)[:PAGE_SIZE],
        "people": Person.objects.filter(workspace=workspace).select_related("user").order_by("user__name"),
        "has_modules": len(choices) > 1,
        "query": request.GET,
    }
    return render(request, "tracking/connections/unmatched.html", context, status=status)


@workspace_view(MAPPINGS)
def unmatched(request):
    return _unmatched_page(request)


@require_POST
@workspace_view(MAPPINGS)
def map_actor(request):
    form = ActorMappingForm(request.POST, workspace=request.workspace)
    if form.is_valid():
        try:
            _mapping, count = services.map_actor(
                workspace=request.workspace,
                actor=request.user,
                actor_key=form.cleaned_data["actor_key"],
                person=form.cleaned_data["person"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Actor mapped to %(name)s.") % {"name": form.cleaned_data["person"]})
            _reprocessing(request, count)
            return redirect("tracking:unmatched")
    return _unmatched_page(request, bound_actor=form, status=400)


@require_POST
@workspace_view(MAPPINGS)
def map_activity(request):
    form = ActivityMappingForm(request.POST, workspace=request.workspace)
    if form.is_valid():
        try:
            _mapping, count = services.map_activity(
                workspace=request.workspace,
                actor=request.user,
                activity=form.cleaned_data["activity"],
                module=form.cleaned_data["module"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Activity mapped to %(title)s.") % {"title": form.cleaned_data["module"].title})
            _reprocessing(request, count)
            return redirect("tracking:unmatched")
    return _unmatched_page(request, bound_activity=form, status=400)


@require_POST
@workspace_view(MAPPINGS)
def retry(request):
    count = services.retry_waiting(workspace=request.workspace)
    if not count:
        messages.info(request, _("No statements are waiting."))
    _reprocessing(request, count)
    return redirect("tracking:unmatched")


# Mappings made ----------------------------------------------------------------------------------


@workspace_view(MAPPINGS)
def mappings(request):
    workspace = request.workspace
    context = {
        "actors": _page(
            request,
            ActorMapping.objects.filter(workspace=workspace).select_related("person__user").order_by("actor_key"),
        ),
        "activities": _page(
            request,
            ActivityMapping.objects.filter(workspace=workspace)
            .select_related("module__programme")
            .order_by("module__programme__name", "module__position", "activity"),
            "activities_page",
        ),
        "query": request.GET,
    }
    return render(request, "tracking/connections/mappings.html", context)


@require_POST
@workspace_view(MAPPINGS)
def unmap_actor(request, uuid):
    found = get_or_404(ActorMapping.objects.filter(workspace=request.workspace), uuid=uuid)
    count = services.unmap_actor(mapping=found, actor=request.user)
    messages.success(request, _("Mapping removed: %(actor)s.") % {"actor": found.actor_key})
    _reprocessing(request, count)
    return redirect("tracking:mappings")


@require_POST
@workspace_view(MAPPINGS)
def unmap_activity(request, uuid):
    found = get_or_404(ActivityMapping.objects.filter(workspace=request.workspace), uuid=uuid)
    count = services.unmap_activity(mapping=found, actor=request.user)
    messages.success(request, _("Mapping removed: %(activity)s.") % {"activity": found.activity})
    _reprocessing(request, count)
    return redirect(reverse("tracking:mappings") + "#activities")


# Verbs ------------------------------------------------------------------------------------------


def _verbs_page(request, *, bound=None, status=200):
    page = _page(request, services.verbs_seen(request.workspace))
    rows = []
    for row in page.object_list:
        form = bound if bound is not None and bound.data.get("verb") == row.verb else None
        form = form or VerbForm(
            fixed=True, initial={"verb": row.verb, "counts_as": VerbForm.initial_choice(row.override)}
        )
        form.auto_id = f"verb-{_row_id(row.verb)}-%s"
        rows.append((row, form))
    listed = {row.verb for row, _form in rows}
    other = bound if bound is not None and bound.data.get("verb") not in listed else VerbForm()
    context = {"page": page, "rows": rows, "other": other, "query": request.GET}
    return render(request, "tracking/connections/verbs.html", context, status=status)


@workspace_view(MAPPINGS)
def verbs(request):
    if request.method != "POST":
        return _verbs_page(request)
    form = VerbForm(request.POST, fixed=request.POST.get("fixed") == "1")
    if form.is_valid():
        try:
            count = services.set_verb(
                workspace=request.workspace, actor=request.user, verb=form.cleaned_data["verb"], input=form.input
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Saved what %(verb)s counts as.") % {"verb": form.cleaned_data["verb"]})
            _reprocessing(request, count)
            return redirect("tracking:verbs")
    return _verbs_page(request, bound=form, status=400)


urlpatterns = [
    path("tracking/learning-data/", connection_list, name="connections"),
    path("tracking/learning-data/new/", connection_create, name="connection_create"),
    path("tracking/learning-data/<uuid:uuid>/", connection_detail, name="connection"),
    path("tracking/learning-data/<uuid:uuid>/revoke/", connection_revoke, name="connection_revoke"),
    path("tracking/learning-data/unmatched/", unmatched, name="unmatched"),
    path("tracking/learning-data/unmatched/actors/", map_actor, name="map_actor"),
    path("tracking/learning-data/unmatched/activities/", map_activity, name="map_activity"),
    path("tracking/learning-data/unmatched/retry/", retry, name="retry_waiting"),
    path("tracking/learning-data/mappings/", mappings, name="mappings"),
    path("tracking/learning-data/mappings/actors/<uuid:uuid>/delete/", unmap_actor, name="unmap_actor"),
    path("tracking/learning-data/mappings/activities/<uuid:uuid>/delete/", unmap_activity, name="unmap_activity"),
    path("tracking/learning-data/verbs/", verbs, name="verbs"),
]
