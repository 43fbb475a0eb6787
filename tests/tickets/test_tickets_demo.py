"""The demo tickets: Nordwind's customer-conversations programme has a ticket in every state, the
demo participant has their own, a patch is published, and no mail is left to send."""

import datetime
import random

import pytest

from takeroot.core.demo import LOGIN_EMAILS
from takeroot.core.models import OutgoingMail
from takeroot.tickets.clock import Promise
from takeroot.tickets.demo import PROGRAMME, build_tickets_demo
from takeroot.tickets.enums import ClosedHow, TicketState
from takeroot.tickets.models import Comment, Patch, RoutingRule, Ticket
from takeroot.tickets.queue import QueueFilters, filter_queue
from takeroot.tickets.services import event_text
from tests.demo_support import demo_below, in_each_workspace

TODAY = datetime.date(2026, 11, 26)
MOMENT = datetime.datetime(2026, 11, 26, 12, 0, tzinfo=datetime.UTC)


@pytest.fixture(scope="module")
def built(django_db_setup, django_db_blocker):
    with demo_below(django_db_blocker, apps=["programmes", "catalogue"]):
        yield in_each_workspace(lambda ws: build_tickets_demo(ws, rng=random.Random(1), today=TODAY))


@pytest.fixture
def demo(built, db):
    return built


def test_demo_tickets_only_in_nordwind(demo):
    assert demo["fjallbacka"] == {"tickets": 0, "patches": 0, "routing rules": 0}
    assert demo["nordwind"] == {"tickets": Ticket.objects.count(), "patches": 1, "routing rules": 1}
    assert {ticket.programme.name for ticket in Ticket.objects.all()} == {PROGRAMME}


def test_demo_has_tickets_in_every_state(demo):
    tickets = Ticket.objects.all()
    workspace = tickets.first().workspace

    def view(name):
        return [
            t.subject
            for t in filter_queue(tickets, QueueFilters(view=name), me=None, promise=Promise.of(workspace), now=MOMENT)
        ]

    assert view("breaching") == ["The follow-up session clashes with my shift"]
    assert view("breached") == ["Recordings do not play in the practice tool"]
    assert tickets.filter(state=TicketState.OPEN, reopened=0, due_at__gt=MOMENT).count() >= 2  # fresh and soon
    assert tickets.filter(state=TicketState.OPEN, reopened__gt=0).exists()  # reopened, clock restarted
    assert tickets.filter(state=TicketState.ANSWERED).exists()
    closed = set(tickets.filter(state=TicketState.CLOSED).values_list("closed_how", flat=True))
    assert closed == {ClosedHow.CONFIRMED, ClosedHow.AUTOMATIC, ClosedHow.WITHDRAWN}
    assert tickets.filter(within_promise=False).exists() and tickets.filter(within_promise=True).exists()


def test_demo_clock_ran_once(demo):
    breached = Ticket.objects.get(subject="Recordings do not play in the practice tool")
    soon = Ticket.objects.get(subject="The follow-up session clashes with my shift")

    assert (breached.escalated_at, soon.warned_at) == (MOMENT, MOMENT)
    assert not OutgoingMail.objects.exists()


def test_demo_participant_has_an_answer_to_confirm_and_a_patch_to_read(demo):
    mine = Ticket.objects.filter(raised_by__user__email=LOGIN_EMAILS["participant"])

    assert set(mine.values_list("state", flat=True)) == {TicketState.ANSWERED, TicketState.CLOSED}
    patch = Patch.objects.get()
    assert patch.ticket.raised_by.user.email == LOGIN_EMAILS["participant"]
    assert patch.module.programme.name == PROGRAMME
    events = [event_text(c) for c in Comment.objects.filter(ticket=patch.ticket, kind="event")]
    assert f"Published an addition to the module “{patch.module.title}” for everyone: {patch.title}" in events


def test_demo_routing_rule_names_the_admin(demo):
    rule = RoutingRule.objects.get()

    assert (rule.category, rule.route_to, rule.person.user.email) == ("technical", "person", LOGIN_EMAILS["admin"])
    assert Ticket.objects.get(subject="Recordings do not play in the practice tool").owner == rule.person


def test_demo_trainer_login_owns_a_waiting_question(demo):
    mine = Ticket.objects.filter(owner__user__email=LOGIN_EMAILS["trainer"], state=TicketState.OPEN)

    assert list(mine.values_list("subject", flat=True)) == ["Naming the emotion feels awkward in Polish"]
