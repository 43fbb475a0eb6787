"""The responders' queue (admins, trainers, mentors): the tickets they may work on, by view
(mine, breaching soon, breached, waiting for the learner, closed) and filters, sorted by due time,
each with its promise clock."""

from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils import timezone

from takeroot.core.queries import sees_everyone
from takeroot.core.views.helpers import workspace_view

from ..clock import Promise
from ..queue import VIEWS, QueueFilters, filter_queue, queue_counts, queue_rows, tickets_for_responder
from ..settings_forms import QueueFilterForm

PAGE_SIZE = 25


@workspace_view("tickets.view_queue")
def queue(request):
    now = timezone.now()
    visible = tickets_for_responder(request.user, workspace=request.workspace)
    # Admins and trainers know every programme; a mentor chooses among their mentees' tickets.
    among = None if sees_everyone(request.person) else visible
    form = QueueFilterForm(request.GET or None, workspace=request.workspace, tickets=among)
    filters = QueueFilters(**form.values())
    promise = Promise.of(request.workspace)
    found = filter_queue(visible, filters, me=request.person, promise=promise, now=now)
    page = Paginator(found, PAGE_SIZE).get_page(request.GET.get("page"))
    counts = queue_counts(visible, me=request.person, promise=promise, now=now)
    tabs = []
    for value, label in VIEWS:
        query = request.GET.copy()
        query.pop("page", None)
        query["view"] = value
        if not value:
            del query["view"]
        tabs.append({"value": value, "label": label, "count": counts[value], "query": query.urlencode()})
    context = {
        "form": form,
        "filters": filters,
        "page": page,
        "rows": queue_rows(page.object_list, promise=promise, now=now),
        "tabs": tabs,
        "query": request.GET,
        "promise": promise.settings,
    }
    return render(request, "tickets/queue.html", context)
