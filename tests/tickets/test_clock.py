"""The promise clock with a fixed clock: working hours across an evening, a weekend, a holiday and
a daylight-saving change; wall-clock mode; what is left and by how much it is overdue."""

import datetime
from zoneinfo import ZoneInfo

import pytest

from takeroot.followup.models import DeliverySettings
from takeroot.followup.schedule import DeliveryRules
from takeroot.tickets import clock
from takeroot.tickets.enums import Clock
from takeroot.tickets.models import Ticket, TicketSettings

WARSAW = ZoneInfo("Europe/Warsaw")
HOUR = datetime.timedelta(hours=1)


def local(*args) -> datetime.datetime:
    return datetime.datetime(*args, tzinfo=WARSAW)


def working(**fields) -> TicketSettings:
    return TicketSettings(clock=Clock.WORKING_HOURS, timezone="Europe/Warsaw", **fields)


WEEKDAYS = DeliveryRules.of(None)  # Monday to Friday, no holidays


def test_friday_afternoon_plus_24_working_hours_is_wednesday_afternoon():
    # Friday 16–17 (1 h), Monday 8 h, Tuesday 8 h, Wednesday 9–16 (7 h): the weekend does not count.
    assert clock.due_at(local(2026, 10, 9, 16, 0), working(), WEEKDAYS) == local(2026, 10, 14, 16, 0)


def test_a_holiday_does_not_count():
    rules = DeliveryRules.of(DeliverySettings(holidays=["2026-10-12"]))  # the Monday
    assert clock.due_at(local(2026, 10, 9, 16, 0), working(), rules) == local(2026, 10, 15, 16, 0)


def test_raised_at_the_weekend_the_clock_starts_on_monday_morning():
    assert clock.due_at(local(2026, 10, 10, 11, 0), working(promise_hours=4), WEEKDAYS) == local(2026, 10, 12, 13, 0)


def test_raised_in_the_evening_the_clock_starts_the_next_morning():
    assert clock.due_at(local(2026, 10, 6, 20, 30), working(promise_hours=8), WEEKDAYS) == local(2026, 10, 7, 17, 0)


def test_the_daylight_saving_change_neither_adds_nor_loses_a_working_hour():
    # Summer time ends on Sunday 25 October 2026: 16:00 stays 16:00 on the wall clock.
    due = clock.due_at(local(2026, 10, 23, 16, 0), working(), WEEKDAYS)
    assert due == local(2026, 10, 28, 16, 0)
    assert due.astimezone(datetime.UTC) == datetime.datetime(2026, 10, 28, 15, 0, tzinfo=datetime.UTC)


def test_working_days_of_the_workspace_are_used():
    rules = DeliveryRules.of(DeliverySettings(working_days=[0, 1, 2, 3, 4, 5]))  # Saturdays too
    assert clock.due_at(local(2026, 10, 9, 16, 0), working(promise_hours=9), rules) == local(2026, 10, 10, 17, 0)


def test_wall_clock_mode_counts_every_hour():
    settings = TicketSettings(clock=Clock.WALL_CLOCK)
    assert clock.due_at(local(2026, 10, 9, 16, 0), settings, WEEKDAYS) == local(2026, 10, 10, 16, 0)
    assert clock.elapsed(local(2026, 10, 9, 16, 0), local(2026, 10, 12, 10, 0), settings, WEEKDAYS) == 66 * HOUR


def test_elapsed_counts_only_working_hours():
    # Friday 16–17 and Monday 9–10.
    assert clock.elapsed(local(2026, 10, 9, 16, 0), local(2026, 10, 12, 10, 0), working(), WEEKDAYS) == 2 * HOUR
    assert clock.elapsed(local(2026, 10, 12, 10, 0), local(2026, 10, 9, 16, 0), working(), WEEKDAYS) == 0 * HOUR


def test_elapsed_up_to_the_due_time_is_the_promise():
    start = local(2026, 10, 9, 16, 0)
    due = clock.due_at(start, working(), WEEKDAYS)
    assert clock.elapsed(start, due, working(), WEEKDAYS) == 24 * HOUR


@pytest.mark.django_db
def test_remaining_is_negative_when_breached_in_the_same_clock(cast):
    workspace = cast["admin"].workspace
    TicketSettings.objects.create(workspace=workspace, clock=Clock.WORKING_HOURS, timezone="Europe/Warsaw")
    ticket = Ticket(workspace=workspace, due_at=local(2026, 10, 9, 16, 0))
    # Friday 12:00: 4 working hours left; Monday 10:00: overdue by Friday 16–17 and Monday 9–10.
    promise = clock.Promise.of(workspace)
    assert promise.remaining(ticket.due_at, local(2026, 10, 9, 12, 0)) == 4 * HOUR
    assert promise.remaining(ticket.due_at, local(2026, 10, 12, 10, 0)) == -2 * HOUR


@pytest.mark.django_db
def test_settings_default_when_the_workspace_has_none(cast):
    settings = clock.settings_for(cast["admin"].workspace)
    assert (settings.pk, settings.promise_hours, settings.clock) == (None, 24, Clock.WALL_CLOCK)
    assert clock.promise_text(settings) == "within 24 hours"
    assert clock.promise_text(working()) == "within 24 working hours"
