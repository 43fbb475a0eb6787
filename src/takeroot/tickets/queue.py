"""The responders' queue: the tickets a person may work on, its views (mine, breaching soon,
breached, waiting for the learner, closed), its filters and each row's promise clock.

Admins see every ticket of the workspace; trainers the tickets of the cohorts they train; mentors
those of the participants they mentor; everyone the tickets they own. An API key (nobody) sees the
workspace's tickets, like an admin. The clock of a row is counted in the workspace's clock
(working hours or around the clock), from settings and working days read once per page.
"""

import datetime
from dataclasses import dataclass

from django.db.models import Case, Q, QuerySet, When
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from takeroot.core.models import Person, User, Workspace
from takeroot.core.queries import membership
from takeroot.programmes.models import Cohort, Module, Programme

from .clock import Promise, hours_text
from .enums import TicketState
from .models import Ticket

# The queue's views: (value, label). The first (no value): the tickets waiting for an answer.
VIEWS = (
    ("", gettext_lazy("Waiting for an answer")),
    ("mine", gettext_lazy("Mine")),
    ("breaching", gettext_lazy("Breaching soon")),
    ("breached", gettext_lazy("Breached")),
    ("waiting", gettext_lazy("Waiting for the learner")),
    ("closed", pgettext_lazy("ticket state", "Closed")),
    ("all", gettext_lazy("All")),
)
VIEW_VALUES = tuple(value for value, _label in VIEWS)
ROW_RELATED = ("raised_by__user", "owner__user", "module", "programme", "cohort")


def tickets_for_responder(user: User | None, *, workspace: Workspace) -> QuerySet[Ticket]:
    """The tickets the user may work on (None: an API key, which sees the workspace's)."""
    tickets = Ticket.objects.filter(workspace=workspace)
    if user is None:
        return tickets
    me = membership(user, workspace)
    if me is None:
        return tickets.none()
    if me.is_admin:
        return tickets
    mine = Q(owner=me)
    if me.is_trainer:
        mine |= Q(cohort_id__in=Cohort.objects.filter(workspace=workspace, trainers=me).values("pk"))
    if me.is_mentor:
        mine |= Q(enrolment__mentor=me)
    return tickets.filter(mine)


@dataclass(frozen=True)
class QueueFilters:
    """The queue's view and filters, as the page's form and the API's query give them."""

    view: str = ""
    category: str = ""
    module: Module | None = None
    programme: Programme | None = None
    cohort: Cohort | None = None


def filter_queue(
    tickets: QuerySet[Ticket],
    filters: QueueFilters,
    *,
    me: Person | None,
    promise: Promise,
    now: datetime.datetime,
) -> QuerySet[Ticket]:
    """Apply a view and the filters, sorted by due time (closed ones: latest closed first)."""
    view = filters.view
    if view == "mine":  # mine that are not closed
        tickets = tickets.filter(owner=me) if me is not None else tickets.none()
        tickets = tickets.exclude(state=TicketState.CLOSED)
    elif view == "":
        tickets = tickets.filter(state=TicketState.OPEN)
    elif view == "breaching":
        tickets = tickets.filter(state=TicketState.OPEN, due_at__gt=now, due_at__lte=promise.warning_line(now))
    elif view == "breached":
        tickets = tickets.filter(state=TicketState.OPEN, due_at__lte=now)
    elif view == "waiting":
        tickets = tickets.filter(state=TicketState.ANSWERED)
    elif view == "closed":
        tickets = tickets.filter(state=TicketState.CLOSED)
    if filters.category:
        tickets = tickets.filter(category=filters.category)
    if filters.module is not None:
        tickets = tickets.filter(module=filters.module)
    if filters.programme is not None:
        tickets = tickets.filter(programme=filters.programme)
    if filters.cohort is not None:
        tickets = tickets.filter(cohort=filters.cohort)
    if view == "closed":
        order = ("-closed_at", "-id")
    else:  # what waits for an answer first, by due time
        order = (Case(When(state=TicketState.OPEN, then=0), default=1), "due_at", "id")
    return tickets.select_related(*ROW_RELATED).order_by(*order)


# What a row's clock says, for the page (words) and the API (a code).
LEFT, OVERDUE, ANSWERED_IN_TIME, ANSWERED_LATE, CLOSED = "left", "overdue", "in_time", "late", "closed"


@dataclass(frozen=True)
class QueueRow:
    ticket: Ticket
    status: str  # one of the codes above
    remaining: datetime.timedelta | None  # open tickets: left (negative: overdue)
    breaching: bool  # open and due within the warning window
    text: str  # the clock in words

    @property
    def remaining_hours(self) -> float | None:
        return None if self.remaining is None else round(self.remaining.total_seconds() / 3600, 2)


def clock_row(ticket: Ticket, *, promise: Promise, now: datetime.datetime) -> QueueRow:
    """One row's clock: time left or overdue for an open ticket; whether the answer came within
    the promise for an answered one; how it closed for a closed one."""
    if ticket.state == TicketState.OPEN:
        remaining = promise.remaining(ticket.due_at, now)
        warn = datetime.timedelta(hours=promise.settings.warn_before_hours)
        if remaining < datetime.timedelta(0):
            return QueueRow(
                ticket, OVERDUE, remaining, False, _("overdue by %(time)s") % {"time": hours_text(remaining)}
            )
        text = _("%(time)s left") % {"time": hours_text(remaining)}
        return QueueRow(ticket, LEFT, remaining, remaining <= warn, text)
    if ticket.state == TicketState.ANSWERED:
        if ticket.within_promise is False:
            return QueueRow(ticket, ANSWERED_LATE, None, False, _("answered after the promise"))
        return QueueRow(ticket, ANSWERED_IN_TIME, None, False, _("answered within the promise"))
    return QueueRow(ticket, CLOSED, None, False, str(ticket.get_closed_how_display() or _("closed")))


def queue_rows(tickets, *, promise: Promise, now: datetime.datetime) -> list[QueueRow]:
    """The rows of one page of the queue (no query per row)."""
    return [clock_row(ticket, promise=promise, now=now) for ticket in tickets]


def queue_counts(tickets: QuerySet[Ticket], *, me: Person | None, promise: Promise, now: datetime.datetime) -> dict:
    """How many tickets each view holds, for the tabs."""
    counts = {}
    for value in VIEW_VALUES:
        counts[value] = filter_queue(tickets, QueueFilters(view=value), me=me, promise=promise, now=now).count()
    return counts
