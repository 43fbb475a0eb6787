"""Learning time in each team member's calendar feed and as a download, parsed back with icalendar."""

import datetime
from zoneinfo import ZoneInfo

import pytest
from dateutil.rrule import rrulestr
from django.conf import settings
from django.test import Client
from icalendar import Calendar

from takeroot.competence import services
from takeroot.competence.models import LearningTimeBlock
from takeroot.core.models import User
from tests.factories import PersonFactory, TeamFactory

from .conftest import YEAR

WARSAW = ZoneInfo("Europe/Warsaw")


def _feed(person) -> Calendar:
    response = Client().get(f"/calendar/{person.user.calendar_token}.ics")
    assert response.status_code == 200
    return Calendar.from_ical(response.content)


def _learning(calendar: Calendar) -> list:
    uids = {f"{block.uuid}@takeroot" for block in LearningTimeBlock.objects.all()}
    return [event for event in calendar.walk("VEVENT") if str(event["UID"]) in uids]


def test_feed_has_one_recurring_event_per_block_in_local_time(full_plan, block, goal, cast):
    events = _learning(_feed(cast["participant"]))

    assert len(events) == 1
    event = events[0]
    assert str(event["UID"]) == f"{block.uuid}@takeroot"
    assert event["SEQUENCE"] == 0
    assert str(event["SUMMARY"]) == "Learning time: Learning lunch"
    start, end = event.decoded("DTSTART"), event.decoded("DTEND")
    assert start == datetime.datetime(2026, 1, 2, 12, 0, tzinfo=WARSAW)
    assert end == datetime.datetime(2026, 1, 2, 13, 0, tzinfo=WARSAW)
    assert event["DTSTART"].params["TZID"] == "Europe/Warsaw"
    rule = event["RRULE"]
    assert rule["FREQ"] == ["WEEKLY"] and rule["INTERVAL"] == [1] and rule["BYDAY"] == ["FR"]
    # The end of the last occurrence, Friday 25 December 13:00 in Warsaw, in UTC.
    assert rule["UNTIL"] == [datetime.datetime(2026, 12, 25, 12, 0, tzinfo=datetime.UTC)]
    description = str(event["DESCRIPTION"])
    assert "Negotiate value" in description
    assert f"{settings.BASE_URL}/competence-plans/{full_plan.uuid}/" in description


def test_feed_carries_the_time_zone_and_keeps_noon_in_winter_and_summer(full_plan, block, cast):
    calendar = _feed(cast["participant"])

    assert "Europe/Warsaw" in [str(tz["TZID"]) for tz in calendar.walk("VTIMEZONE")]
    event = _learning(calendar)[0]
    starts = list(rrulestr(event["RRULE"].to_ical().decode(), dtstart=event.decoded("DTSTART")))
    assert len(starts) == 52
    winter = next(s for s in starts if s.date() == datetime.date(2026, 1, 9))
    summer = next(s for s in starts if s.date() == datetime.date(2026, 7, 10))
    assert (winter.hour, winter.minute) == (12, 0) == (summer.hour, summer.minute)
    assert winter.utcoffset() == datetime.timedelta(hours=1)
    assert summer.utcoffset() == datetime.timedelta(hours=2)
    assert winter.astimezone(datetime.UTC).hour == 11 and summer.astimezone(datetime.UTC).hour == 10


def test_fortnightly_block_has_interval_two(plan, cast):
    services.add_block(
        plan=plan,
        actor=None,
        title="Learning hour",
        weekday=2,
        starts_at=datetime.time(14, 0),
        ends_at=datetime.time(15, 30),
        every_weeks=2,
        starts_on=datetime.date(2026, 3, 1),
    )
    event = _learning(_feed(cast["manager"]))[0]

    assert event["RRULE"]["INTERVAL"] == [2] and event["RRULE"]["BYDAY"] == ["WE"]
    assert event.decoded("DTSTART") == datetime.datetime(2026, 3, 4, 14, 0, tzinfo=WARSAW)


def test_an_edit_raises_the_sequence_in_the_feed(full_plan, block, cast):
    services.update_block(block=block, actor=None, starts_at=datetime.time(11, 30))

    event = _learning(_feed(cast["participant"]))[0]

    assert event["SEQUENCE"] == 1
    assert event.decoded("DTSTART") == datetime.datetime(2026, 1, 2, 11, 30, tzinfo=WARSAW)


def test_blocks_of_a_removed_plan_leave_the_feed(full_plan, block, cast):
    assert len(_learning(_feed(cast["participant"]))) == 1

    services.delete_plan(plan=full_plan, actor=None)

    calendar = _feed(cast["participant"])
    assert not [e for e in calendar.walk("VEVENT") if str(e["UID"]) == f"{block.uuid}@takeroot"]


def test_only_the_team_sees_the_blocks_across_workspaces(full_plan, block, cast, other_workspace):
    assert _learning(_feed(cast["trainer"])) == []  # no team
    # The participant in a second workspace, in a team there with its own plan: both plans' blocks.
    elsewhere = TeamFactory(workspace=other_workspace, name="Book club")
    PersonFactory(workspace=other_workspace, user=cast["participant"].user, team=elsewhere)
    plan = services.create_plan(workspace=other_workspace, actor=None, team=elsewhere, year=YEAR)
    services.add_block(
        plan=plan, actor=None, title="Reading", weekday=1, starts_at=datetime.time(8), ends_at=datetime.time(9)
    )

    titles = sorted(str(e["SUMMARY"]) for e in _learning(_feed(cast["participant"])))
    assert titles == ["Learning time: Learning lunch", "Learning time: Reading"]


def test_feed_of_a_polish_speaker_lists_the_block_and_goals(full_plan, block, cast):
    User.objects.filter(pk=cast["participant"].user.pk).update(language="pl")

    event = _learning(_feed(cast["participant"]))[0]

    assert "Learning lunch" in str(event["SUMMARY"])
    assert str(event["SUMMARY"]) != "" and "Negotiate value" in str(event["DESCRIPTION"])


def test_plan_download_is_a_calendar_of_its_blocks(full_plan, block, cast, client_for):
    response = client_for(cast["participant"]).get(f"/competence-plans/{full_plan.uuid}/calendar.ics")

    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="sales-2026.ics"'
    calendar = Calendar.from_ical(response.content)
    assert [str(e["UID"]) for e in calendar.walk("VEVENT")] == [f"{block.uuid}@takeroot"]
    assert [str(tz["TZID"]) for tz in calendar.walk("VTIMEZONE")] == ["Europe/Warsaw"]


@pytest.mark.parametrize("person", ["stranger", "outsider"])
def test_plan_download_follows_the_plan_rules(full_plan, cast, stranger, client_for, person):
    who = stranger if person == "stranger" else cast["outsider"]
    response = client_for(who).get(f"/competence-plans/{full_plan.uuid}/calendar.ics")

    assert response.status_code == (403 if person == "stranger" else 404)
