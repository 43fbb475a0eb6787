"""Reserved learning time as recurring calendar events: in each team member's personal feed, and
as a file to download from the plan page.

Unlike sessions (written in UTC), a block is written in its plan's time zone with a weekly RRULE,
so "Friday 12:00–13:00" stays at 12:00 local time across daylight saving. Each block keeps its
UID; an edit raises its SEQUENCE, so calendars replace the event.
"""

import datetime
import zoneinfo

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from icalendar import Calendar, Event, vRecur

from takeroot.core.models import User
from takeroot.core.scope import across_workspaces
from takeroot.programmes.calendar import PRODID

from .models import CompetencePlan, LearningTimeBlock
from .queries import blocks_for_user

BYDAY = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"]


def block_event(block: LearningTimeBlock, now: datetime.datetime) -> Event:
    """One VEVENT for every occurrence of the block, in the active language."""
    plan = block.plan
    zone = zoneinfo.ZoneInfo(plan.timezone)
    first = block.occurrences()[0]
    last = block.occurrences()[-1]
    start = datetime.datetime.combine(first, block.starts_at, tzinfo=zone)
    end = datetime.datetime.combine(first, block.ends_at, tzinfo=zone)
    # With a local DTSTART the UNTIL must be in UTC (RFC 5545): the end of the last occurrence.
    until = datetime.datetime.combine(last, block.ends_at, tzinfo=zone).astimezone(datetime.UTC)
    event = Event.new(
        uid=f"{block.uuid}@takeroot",
        sequence=block.sequence,
        stamp=now,
        start=start,
        end=end,
        summary=_("Learning time: %(title)s") % {"title": block.title},
        description=_description(plan),
        url=_plan_url(plan),
        status="CONFIRMED",
        transparency="OPAQUE",
    )
    event.add(
        "rrule",
        vRecur({"FREQ": "WEEKLY", "INTERVAL": block.every_weeks, "BYDAY": BYDAY[block.weekday], "UNTIL": until}),
    )
    return event


def _plan_url(plan: CompetencePlan) -> str:
    return settings.BASE_URL + reverse("competence:plan_detail", args=[plan.uuid])


def _description(plan: CompetencePlan) -> str:
    lines = [_("Competence-development plan %(year)s of %(team)s") % {"year": plan.year, "team": plan.team.name}]
    goals = list(plan.goals.all())
    if goals:
        lines.append(_("Our goals:"))
        lines.extend(f"– {goal.title}" for goal in goals)
    lines.append(_("Plan page: %(link)s") % {"link": _plan_url(plan)})
    return "\n".join(lines)


def feed_events(user: User, now: datetime.datetime) -> list[Event]:
    """For the personal feed (registered with ``programmes.calendar.register_feed_events``): every
    block of every plan of the person's teams, in all their workspaces. The feed calls it across
    workspaces and in the person's language."""
    with across_workspaces():
        return [block_event(block, now) for block in blocks_for_user(user)]


def plan_calendar(plan: CompetencePlan) -> bytes:
    """The plan's blocks as a calendar file, in the active language."""
    now = timezone.now()
    calendar = Calendar.new(
        prodid=PRODID,
        calscale="GREGORIAN",
        method="PUBLISH",
        name=_("Learning time: %(plan)s") % {"plan": plan},
        uid=f"{plan.uuid}@takeroot",
        subcomponents=[block_event(block, now) for block in plan.blocks.all()],
    )
    calendar.add_missing_timezones()
    return calendar.to_ical()
