"""Ticket metrics on a known set: median first-response time in the promise's clock, share within
the promise, reopen rate, how tickets closed, open and breached now, the problem areas, the page
(permissions, figures, chart, links to the filtered queue)."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from takeroot.programmes.models import Enrolment
from takeroot.tickets.clock import Promise
from takeroot.tickets.enums import Category, Clock, ClosedHow, TicketState
from takeroot.tickets.metrics import compute_metrics, problem_areas
from takeroot.tickets.models import Ticket, TicketSettings

from .conftest import DAY, HOUR, NOW
from .test_queue import build_second_cohort, make_ticket

METRICS = reverse("tickets:metrics")


@pytest.fixture
def second_cohort(cast, workspace):
    return build_second_cohort(cast, workspace)


def answered(enrolment, *, created_at, hours, within, module=None, category=Category.CONTENT, **fields):
    return make_ticket(
        enrolment,
        created_at=created_at,
        due_at=created_at + 24 * HOUR,
        first_response_at=created_at + hours * HOUR,
        answered_at=created_at + hours * HOUR,
        within_promise=within,
        module=module,
        category=category,
        **({"state": TicketState.ANSWERED} | fields),
    )


def known_set(enrolment, modules, *, now=NOW):
    """Six tickets in the last 30 days and one older: four answered after 2, 4, 30 and 6 hours
    (three within the promise, one reopened), three closed (two confirmed, one by itself), two
    open (one breached)."""
    closed = {"state": TicketState.CLOSED}
    answered(
        enrolment,
        created_at=now - 10 * DAY,
        hours=2,
        within=True,
        module=modules[0],
        closed_how=ClosedHow.CONFIRMED,
        **closed,
    )
    answered(
        enrolment,
        created_at=now - 9 * DAY,
        hours=4,
        within=True,
        module=modules[0],
        reopened=1,
        closed_how=ClosedHow.AUTOMATIC,
        **closed,
    )
    answered(enrolment, created_at=now - 8 * DAY, hours=30, within=False, module=modules[0], category=Category.RESOURCE)
    answered(
        enrolment,
        created_at=now - 7 * DAY,
        hours=6,
        within=True,
        module=modules[1],
        category=Category.RESOURCE,
        closed_how=ClosedHow.CONFIRMED,
        **closed,
    )
    make_ticket(enrolment, created_at=now - HOUR, due_at=now + 23 * HOUR, category=Category.RESOURCE)
    make_ticket(enrolment, created_at=now - 30 * HOUR, due_at=now - 6 * HOUR, category=Category.TECHNICAL)
    answered(enrolment, created_at=now - 100 * DAY, hours=1, within=True, closed_how=ClosedHow.CONFIRMED, **closed)


def test_metrics_figures_on_a_known_set(workspace, enrolment, modules):
    known_set(enrolment, modules)
    found = compute_metrics(
        Ticket.objects.filter(workspace=workspace), promise=Promise.of(workspace), now=NOW, since=NOW - 30 * DAY
    )

    assert (found.tickets, found.answered, found.median_first_response) == (6, 4, 5 * HOUR)
    assert (found.within_promise, found.within_promise_share) == (3, 0.75)
    assert (found.reopened, found.reopen_rate) == (1, 0.25)
    assert (found.closed, found.confirmed, found.automatic) == (3, 2, 1)
    assert (found.confirmed_share, found.automatic_share) == (0.6667, 0.3333)
    assert (found.open_now, found.breached_now) == (2, 1)
    assert [(area.label, area.tickets) for area in found.areas.modules] == [
        ("Opening the call", 3),
        ("Handling objections", 1),
    ]
    assert [(area.key, area.tickets) for area in found.areas.categories] == [
        ("resource", 3),
        ("content", 2),
        ("technical", 1),
    ]
    assert sum(count for _week, count in found.weeks) == 6
    assert found.weeks[0] == (datetime.date(2026, 8, 31), 0)  # the week 30 days back, from its Monday


def test_metrics_over_all_time_take_the_older_ticket(workspace, enrolment, modules):
    known_set(enrolment, modules)
    found = compute_metrics(Ticket.objects.filter(workspace=workspace), promise=Promise.of(workspace), now=NOW)

    assert (found.tickets, found.answered, found.median_first_response) == (7, 5, 4 * HOUR)


def test_median_first_response_counts_working_hours(workspace, enrolment):
    """Raised Friday 16:00 Warsaw, answered Monday 10:00: two working hours, not 66."""
    TicketSettings.objects.create(workspace=workspace, clock=Clock.WORKING_HOURS, timezone="Europe/Warsaw")
    friday_16 = datetime.datetime(2026, 10, 9, 14, 0, tzinfo=datetime.UTC)
    answered(enrolment, created_at=friday_16, hours=66, within=True)
    found = compute_metrics(
        Ticket.objects.filter(workspace=workspace), promise=Promise.of(workspace), now=NOW + 7 * DAY
    )

    assert found.median_first_response == 2 * HOUR


def test_metrics_with_no_tickets_say_nothing(workspace):
    found = compute_metrics(Ticket.objects.filter(workspace=workspace), promise=Promise.of(workspace), now=NOW)

    assert (found.tickets, found.median_first_response, found.within_promise_share, found.reopen_rate) == (
        0,
        None,
        None,
        None,
    )


def test_problem_areas_by_programme_cohort_and_since(enrolment, modules, second_cohort):
    known_set(enrolment, modules)
    lars = Enrolment.objects.get(cohort=second_cohort)
    make_ticket(lars, category=Category.SCHEDULE, module=second_cohort.programme.modules.get())
    programme = enrolment.cohort.programme

    areas = problem_areas(programme=programme, since=NOW - 30 * DAY)
    assert [(a.label, a.tickets) for a in areas.modules] == [("Opening the call", 3), ("Handling objections", 1)]
    other = problem_areas(cohort=second_cohort)
    assert [(a.label, a.tickets) for a in other.modules] == [("Forklifts", 1)]
    assert [(a.key, a.tickets) for a in other.categories] == [("schedule", 1)]
    everything = problem_areas(workspace=enrolment.workspace)
    assert sum(a.tickets for a in everything.categories) == 8


def test_trainer_metrics_cover_only_their_cohorts(cast, client_for, enrolment, modules, second_cohort):
    now = timezone.now()
    make_ticket(enrolment, created_at=now - HOUR, due_at=now + HOUR)
    make_ticket(Enrolment.objects.get(cohort=second_cohort), created_at=now - HOUR, due_at=now - 0.5 * HOUR)

    trainer = client_for(cast["trainer"]).get(METRICS).context["metrics"]
    assert (trainer.tickets, trainer.open_now, trainer.breached_now) == (1, 1, 0)


@pytest.mark.parametrize(
    ("who", "status"), [("admin", 200), ("trainer", 200), ("mentor", 403), ("participant", 403), ("manager", 403)]
)
def test_metrics_page_permissions(cast, client_for, who, status):
    assert client_for(cast[who]).get(METRICS).status_code == status


def test_metrics_page_shows_figures_chart_and_links(cast, client_for, enrolment, modules):
    known_set(enrolment, modules, now=timezone.now())
    client = client_for(cast["admin"])

    response = client.get(METRICS)
    page = response.content.decode()
    assert "<dd>5 h 0 min</dd>" in page
    assert "75 % (3 of 4)" in page
    assert "25 % (1 of 4 reopened)" in page
    assert 'role="img" aria-label="Bar chart: tickets raised per week"' in page
    module_link = f"{reverse('tickets:queue')}?view=all&amp;module={modules[0].uuid}"
    assert module_link in page
    assert f'?view=all&amp;category=resource">{Category.RESOURCE.label}</a>' in page
    ninety = client.get(METRICS, {"period": 90}).context["metrics"]
    everything = client.get(METRICS, {"period": 0}).context["metrics"]
    assert (ninety.tickets, everything.tickets) == (6, 7)


def test_metrics_page_by_cohort(cast, client_for, enrolment, modules, second_cohort):
    known_set(enrolment, modules, now=timezone.now())
    client = client_for(cast["admin"])

    mine = client.get(METRICS, {"cohort": enrolment.cohort.uuid}).context["metrics"]
    other = client.get(METRICS, {"cohort": second_cohort.uuid}).context["metrics"]
    assert (mine.tickets, other.tickets) == (6, 0)
