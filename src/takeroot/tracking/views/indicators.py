"""The indicator set's pages: the set itself for those who read dashboards (admins and
trainers), and adding, changing, ordering, archiving, restoring and deleting indicators for
admins. An indicator is looked up in the current workspace (else 404), then the rule decides."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from takeroot.core.views.helpers import add_service_errors, get_or_404, workspace_view

from ..enums import Category
from ..forms_indicators import IndicatorForm
from ..formula import describe, input_meanings
from ..indicators import format_value, indicators_for, indicators_in, is_cohort_only, name_of, services, sources_of
from ..models import Indicator

VIEW = "tracking.view_indicators"
MANAGE = "tracking.manage_indicators"


def _row(indicator: Indicator) -> dict:
    return {
        "indicator": indicator,
        "name": name_of(indicator),
        "words": describe(indicator.formula),
        "threshold": format_value(indicator, indicator.threshold),
        "source": sources_of(indicator),
        "cohort_only": is_cohort_only(indicator),
    }


@workspace_view(VIEW)
def indicator_list(request):
    found = indicators_for(request.workspace, include_archived=True)
    rows = [_row(indicator) for indicator in found]
    context = {
        "active": [row for row in rows if row["indicator"].archived_at is None],
        "archived": [row for row in rows if row["indicator"].archived_at is not None],
        "categories": Category.choices,
        "inputs": input_meanings(),
    }
    return render(request, "tracking/indicators/list.html", context)


def _indicator(request, uuid) -> Indicator:
    return get_or_404(indicators_in(request.workspace), uuid=uuid)


def _form_page(request, form: IndicatorForm, indicator: Indicator | None, status: int = 200):
    context = {
        "form": form,
        "indicator": indicator,
        "name": name_of(indicator) if indicator else "",
        "title": _("Change the indicator") if indicator else _("New indicator"),
        "inputs": input_meanings(),
    }
    return render(request, "tracking/indicators/form.html", context, status=status)


@workspace_view(MANAGE)
def indicator_create(request):
    form = IndicatorForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            indicator = services.create_indicator(
                workspace=request.workspace, actor=request.user, **form.indicator_fields()
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Indicator added: dashboards show it from now on."))
            return redirect(f"{reverse('tracking:indicators')}#indicator-{indicator.uuid}")
    return _form_page(request, form, None)


@workspace_view(MANAGE)
def indicator_edit(request, uuid):
    indicator = _indicator(request, uuid)
    form = IndicatorForm(request.POST or None, indicator=indicator)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_indicator(indicator=indicator, actor=request.user, **form.indicator_fields())
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Indicator saved."))
            return redirect(f"{reverse('tracking:indicators')}#indicator-{indicator.uuid}")
    return _form_page(request, form, indicator)


@require_POST
@workspace_view(MANAGE)
def indicator_archive(request, uuid):
    indicator = _indicator(request, uuid)
    if request.POST.get("restore"):
        services.restore_indicator(indicator=indicator, actor=request.user)
        messages.success(request, _("Indicator restored: dashboards show it again."))
    else:
        services.archive_indicator(indicator=indicator, actor=request.user)
        messages.success(request, _("Indicator archived: dashboards no longer show it; restore it at any time."))
    return redirect("tracking:indicators")


@require_POST
@workspace_view(MANAGE)
def indicator_move(request, uuid):
    indicator = _indicator(request, uuid)
    services.move_indicator(indicator=indicator, actor=request.user, up=request.POST.get("direction") == "up")
    return redirect(f"{reverse('tracking:indicators')}#indicator-{indicator.uuid}")


@require_POST
@workspace_view(MANAGE)
def indicator_delete(request, uuid):
    indicator = _indicator(request, uuid)
    try:
        services.delete_indicator(indicator=indicator, actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Indicator deleted."))
    return redirect("tracking:indicators")


urlpatterns = [
    path("tracking/indicators/", indicator_list, name="indicators"),
    path("tracking/indicators/new/", indicator_create, name="indicator_create"),
    path("tracking/indicators/<uuid:uuid>/edit/", indicator_edit, name="indicator_edit"),
    path("tracking/indicators/<uuid:uuid>/archive/", indicator_archive, name="indicator_archive"),
    path("tracking/indicators/<uuid:uuid>/move/", indicator_move, name="indicator_move"),
    path("tracking/indicators/<uuid:uuid>/delete/", indicator_delete, name="indicator_delete"),
]
