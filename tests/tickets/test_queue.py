"""The responders' queue: who sees which tickets, the views (mine, breaching soon, breached,
waiting, closed), the filters, each row's clock and the page (permissions, no query per row)."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from takeroot.programmes import services as programmes
from takeroot.programmes.models import Enrolment
from takeroot.tickets.clock import Promise
from takeroot.tickets.enums import Category, Clock, ClosedHow, TicketState
from takeroot.tickets.models import Ticket, TicketSettings
from takeroot.tickets.queue import QueueFilters, clock_row, filter_queue, tickets_for_responder
from tests.factories import PersonFactory, UserFactory

from .conftest import DAY, HOUR, NOW

QUEUE = reverse("tickets:queue")


def make_ticket(enrolment, *, subject="A question", category=Category.CONTENT, module=None, **fields) -> Ticket:
    """A ticket row as the services leave it, with the times given (default: raised at NOW, due
    24 hours later, open)."""
    workspace_id = enrolment.workspace_id
    values = {
        "created_at": NOW,
        "due_at": NOW + 24 * HOUR,
        "state": TicketState.OPEN,
        "owner": None,
    } | fields
    return Ticket.objects.create(
        workspace_id=workspace_id,
        number=Ticket.objects.filter(workspace_id=workspace_id).count() + 1,
        raised_by=enrolment.person,
        enrolment=enrolment,
        cohort=enrolment.cohort,
        programme=enrolment.cohort.programme,
        module=module,
        category=category,
        subject=subject,
        body="What do I do when…",
        **values,
    )


def subjects(tickets) -> set[str]:
    return {ticket.subject for ticket in tickets}


@pytest.fixture
def second_cohort(cast, workspace):
    return build_second_cohort(cast, workspace)


def build_second_cohort(cast, workspace):
    """Another programme with its own trainer and a participant of its own."""
    admin = cast["admin"]
    programme = programmes.create_programme(
        workspace=workspace, actor=admin.user, name="Warehouse safety", format="classroom", currency="PLN"
    )
    programmes.save_module(programme=programme, actor=admin.user, title="Forklifts", objectives=[])
    other_trainer = PersonFactory(
        workspace=workspace, user=UserFactory(email="t2@acme.test", name="Tina Trainer"), is_trainer=True
    )
    learner = PersonFactory(workspace=workspace, user=UserFactory(email="l2@acme.test", name="Lars Learner"))
    cohort = programmes.create_cohort(
        programme=programme,
        actor=admin.user,
        name="Gdańsk",
        starts_on=datetime.date(2026, 9, 1),
        ends_on=datetime.date(2026, 10, 30),
        trainers=[other_trainer],
    )
    programmes.enrol_people(cohort=cohort, actor=admin.user, people=[learner])
    return cohort


@pytest.fixture
def tickets(cast, enrolment, other_enrolment, second_cohort):
    """Pia's ticket (mentored), Olek's (same cohort) and Lars's (another programme, owned by its
    trainer)."""
    lars = Enrolment.objects.get(cohort=second_cohort)
    return {
        "pia": make_ticket(enrolment, subject="Pia asks", owner=cast["trainer"]),
        "olek": make_ticket(other_enrolment, subject="Olek asks", owner=cast["admin"]),
        "lars": make_ticket(lars, subject="Lars asks", owner=second_cohort.trainers.get()),
    }


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        ("admin", {"Pia asks", "Olek asks", "Lars asks"}),
        ("trainer", {"Pia asks", "Olek asks"}),  # their cohort's, not another programme's
        ("mentor", {"Pia asks"}),  # their mentee's only
        ("participant", set()),
        ("outsider", set()),
    ],
)
def test_queue_visibility_per_role(cast, workspace, tickets, who, expected):
    assert subjects(tickets_for_responder(cast[who].user, workspace=workspace)) == expected


def test_queue_owner_sees_the_tickets_they_own(workspace, tickets, second_cohort):
    other_trainer = second_cohort.trainers.get()

    assert subjects(tickets_for_responder(other_trainer.user, workspace=workspace)) == {"Lars asks"}


def test_api_key_sees_the_workspace(workspace, tickets):
    assert subjects(tickets_for_responder(None, workspace=workspace)) == {"Pia asks", "Olek asks", "Lars asks"}


@pytest.fixture
def buckets(cast, enrolment):
    """At NOW (Monday 09:00 UTC, wall clock, warning 4 hours before): one of each."""
    return [
        make_ticket(enrolment, subject="fresh", due_at=NOW + 20 * HOUR),
        make_ticket(enrolment, subject="soon", due_at=NOW + 3 * HOUR, owner=cast["trainer"]),
        make_ticket(enrolment, subject="edge", due_at=NOW + 4 * HOUR),
        make_ticket(enrolment, subject="late", due_at=NOW - 2 * HOUR, owner=cast["trainer"]),
        make_ticket(enrolment, subject="waiting", state=TicketState.ANSWERED, first_response_at=NOW - HOUR),
        make_ticket(
            enrolment,
            subject="done",
            state=TicketState.CLOSED,
            closed_at=NOW - DAY,
            closed_how=ClosedHow.CONFIRMED,
            due_at=NOW - 3 * DAY,
        ),
    ]


@pytest.mark.parametrize(
    ("view", "expected"),
    [
        ("", ["late", "soon", "edge", "fresh"]),  # by due time
        ("mine", ["late", "soon"]),
        ("breaching", ["soon", "edge"]),
        ("breached", ["late"]),
        ("waiting", ["waiting"]),
        ("closed", ["done"]),
        ("all", ["late", "soon", "edge", "fresh", "done", "waiting"]),  # open ones first
    ],
)
def test_queue_views_with_a_fixed_clock(cast, workspace, buckets, view, expected):
    promise = Promise.of(workspace)
    found = filter_queue(
        Ticket.objects.filter(workspace=workspace),
        QueueFilters(view=view),
        me=cast["trainer"],
        promise=promise,
        now=NOW,
    )

    assert [ticket.subject for ticket in found] == expected


def test_breaching_soon_counts_working_hours(cast, workspace, enrolment):
    """Friday 15:00 Warsaw, working day 9–17, warning 4 working hours: a ticket due Monday 10:00
    has 3 working hours left, so it is breaching soon; one due Monday 12:00 (5 hours) is not."""
    TicketSettings.objects.create(workspace=workspace, clock=Clock.WORKING_HOURS, timezone="Europe/Warsaw")
    friday = datetime.datetime(2026, 10, 9, 13, 0, tzinfo=datetime.UTC)  # 15:00 in Warsaw
    monday_10 = datetime.datetime(2026, 10, 12, 8, 0, tzinfo=datetime.UTC)
    make_ticket(enrolment, subject="monday 10", due_at=monday_10)
    make_ticket(enrolment, subject="monday 12", due_at=monday_10 + 2 * HOUR)
    promise = Promise.of(workspace)
    found = filter_queue(
        Ticket.objects.filter(workspace=workspace), QueueFilters(view="breaching"), me=None, promise=promise, now=friday
    )

    assert [ticket.subject for ticket in found] == ["monday 10"]
    row = clock_row(Ticket.objects.get(subject="monday 10"), promise=promise, now=friday)
    assert (row.status, row.remaining, row.breaching, row.text) == ("left", 3 * HOUR, True, "3 h 0 min left")


def test_row_clock_says_left_overdue_answered_and_closed(workspace, buckets):
    promise = Promise.of(workspace)
    rows = {t.subject: clock_row(t, promise=promise, now=NOW) for t in Ticket.objects.all()}

    assert rows["fresh"].text == "20 h 0 min left"
    assert (rows["soon"].breaching, rows["fresh"].breaching) == (True, False)
    assert (rows["late"].status, rows["late"].text) == ("overdue", "overdue by 2 h 0 min")
    assert rows["late"].remaining_hours == -2.0
    assert rows["waiting"].text == "answered within the promise"
    assert rows["done"].text == "The learner confirmed the answer helped"


def test_queue_filters_by_category_module_programme_and_cohort(cast, workspace, enrolment, modules, tickets):
    make_ticket(enrolment, subject="module 2", module=modules[1], category=Category.RESOURCE)
    promise = Promise.of(workspace)

    def found(**filters):
        tickets_ = filter_queue(
            Ticket.objects.filter(workspace=workspace), QueueFilters(**filters), me=None, promise=promise, now=NOW
        )
        return subjects(tickets_)

    assert found(category=Category.RESOURCE) == {"module 2"}
    assert found(module=modules[1]) == {"module 2"}
    assert found(programme=enrolment.cohort.programme) == {"Pia asks", "Olek asks", "module 2"}
    assert found(cohort=tickets["lars"].cohort) == {"Lars asks"}


# The page --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("who", "status"), [("admin", 200), ("trainer", 200), ("mentor", 200), ("participant", 403), ("manager", 403)]
)
def test_queue_page_permissions(cast, client_for, who, status):
    assert client_for(cast[who]).get(QUEUE).status_code == status


def test_queue_page_shows_only_the_trainers_cohort(cast, client_for, tickets):
    page = client_for(cast["trainer"]).get(QUEUE).content.decode()

    assert "Pia asks" in page and "Olek asks" in page
    assert "Lars asks" not in page


def test_outsider_sees_nothing_of_another_workspace(cast, client_for, tickets):
    response = client_for(cast["outsider"]).get(QUEUE)

    assert response.status_code == 200
    assert "Pia asks" not in response.content.decode()


def test_queue_page_shows_the_clock_and_filters(cast, client_for, enrolment, modules):
    now = timezone.now()
    make_ticket(enrolment, subject="Overdue one", due_at=now - 2 * HOUR - 10 * datetime.timedelta(minutes=1))
    make_ticket(enrolment, subject="Soon one", due_at=now + 2 * HOUR + 30 * datetime.timedelta(seconds=61))
    make_ticket(enrolment, subject="Other module", due_at=now + 10 * HOUR, module=modules[1])
    client = client_for(cast["admin"])

    page = client.get(QUEUE).content.decode()
    assert "Breached:</strong> overdue by 2 h 10 min" in page
    assert "Breaching soon:</strong> 2 h 30 min left" in page
    breached = client.get(QUEUE, {"view": "breached"}).content.decode()
    assert "Overdue one" in breached and "Soon one" not in breached
    by_module = client.get(QUEUE, {"module": modules[1].uuid}).content.decode()
    assert "Other module" in by_module and "Overdue one" not in by_module


def test_queue_page_bad_filter_is_shown_not_a_crash(cast, client_for, tickets):
    response = client_for(cast["admin"]).get(QUEUE, {"module": "not-a-module"})

    assert response.status_code == 200
    assert "Pia asks" in response.content.decode()


def test_queue_page_makes_no_query_per_row(cast, client_for, enrolment, other_enrolment, modules):
    client = client_for(cast["admin"])
    make_ticket(enrolment, subject="one", module=modules[0], owner=cast["trainer"])
    client.get(QUEUE)
    with CaptureQueriesContext(connection) as one:
        client.get(QUEUE)
    make_ticket(other_enrolment, subject="two", module=modules[1], owner=cast["admin"])
    make_ticket(enrolment, subject="three", owner=cast["mentor"])
    with CaptureQueriesContext(connection) as three:
        client.get(QUEUE)

    assert len(three) == len(one)


def test_queue_page_paginates(cast, client_for, enrolment):
    for number in range(27):
        make_ticket(enrolment, subject=f"ticket {number}", due_at=NOW + number * HOUR)
    client = client_for(cast["admin"])

    first = client.get(QUEUE).content.decode()
    second = client.get(QUEUE, {"page": 2}).content.decode()
    assert "Page 1 of 2" in first and "ticket 24<" in first and "ticket 25<" not in first
    assert "ticket 25<" in second and "ticket 26<" in second and "ticket 0<" not in second


def test_queue_filters_offer_only_what_the_viewer_works_on(cast, client_for, tickets, second_cohort):
    mentor_page = client_for(cast["mentor"]).get(QUEUE).content.decode()
    admin_page = client_for(cast["admin"]).get(QUEUE).content.decode()

    assert "Kraków spring" in mentor_page and "Gdańsk" not in mentor_page
    assert "Warehouse safety · Gdańsk" in admin_page
