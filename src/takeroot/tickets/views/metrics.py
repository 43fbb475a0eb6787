"""Ticket metrics (admins and trainers, over the tickets they may work on): response times in the
promise's clock, the share answered within the promise, reopen rate, how tickets close, open and
breached now, the modules and categories that generate most tickets, and tickets per week."""

import datetime

from django.shortcuts import render
from django.utils import timezone

from takeroot.core.views.helpers import workspace_view

from ..clock import Promise
from ..metrics import compute_metrics, weekly_chart
from ..queue import tickets_for_responder
from ..settings_forms import MetricsFilterForm


@workspace_view("tickets.view_metrics")
def metrics(request):
    now = timezone.now()
    visible = tickets_for_responder(request.user, workspace=request.workspace)
    form = MetricsFilterForm(request.GET or None, workspace=request.workspace)
    values = form.values()
    days = values.get("period", 30) if form.is_bound else 30
    since = now - datetime.timedelta(days=days) if days else None
    programme, cohort = values.get("programme"), values.get("cohort")
    promise = Promise.of(request.workspace)
    found = compute_metrics(visible, promise=promise, now=now, programme=programme, cohort=cohort, since=since)
    # The queue filtered like this page, for the links from the problem areas.
    scope = "".join(
        f"&{name}={obj.uuid}" for name, obj in (("programme", programme), ("cohort", cohort)) if obj is not None
    )
    context = {
        "form": form,
        "metrics": found,
        "days": days,
        "programme": programme,
        "cohort": cohort,
        "scope": scope,
        "chart": weekly_chart(found.weeks),
        "promise": promise.settings,
    }
    return render(request, "tickets/metrics.html", context)
