"""Sessions as iCalendar files: one cohort's, for download, and a person's feed, for subscribing.

Times are written in UTC, so the files need no VTIMEZONE block and every calendar program shows
them in its own time zone. Each session keeps its UID; a change raises its SEQUENCE, so calendars
replace the event instead of adding a second one.
"""

import datetime
from collections.abc import Callable, Iterable

from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from icalendar import Calendar, Event, vDuration

from takeroot.core.models import User
from takeroot.core.scope import across_workspaces

from .models import Cohort, Session
from .queries import sessions_for_user

PRODID = "-//Takeroot//Takeroot//EN"
# How often subscribed calendars should fetch the feed again.
REFRESH = datetime.timedelta(hours=1)

# Apps above programmes add their own events to a person's feed (reserved learning time, for
# one): each function takes the account and the time stamp and returns icalendar Events. It is
# called across workspaces, in the person's language.
FeedEvents = Callable[[User, datetime.datetime], Iterable[Event]]
FEED_EVENTS: list[FeedEvents] = []


def register_feed_events(events: FeedEvents) -> None:
    if events not in FEED_EVENTS:
        FEED_EVENTS.append(events)


def cohort_calendar(cohort: Cohort) -> bytes:
    """Every session of one cohort, cancelled ones included, in the active language."""
    return _calendar(
        name=_("Takeroot: %(name)s") % {"name": cohort},
        uid=f"{cohort.uuid}@takeroot",
        sessions=cohort.sessions.select_related("module"),
    )


def personal_calendar(user: User) -> bytes:
    """Every session of every cohort the person takes part in, in all their workspaces, in
    their own language."""
    # A feed belongs to a person, not to a workspace: it reads across all of theirs.
    with across_workspaces(), translation.override(user.language):
        return _calendar(
            name=_("Takeroot: my training"),
            uid=f"{user.uuid}@takeroot",
            sessions=sessions_for_user(user),
            extra=lambda now: [event for events in FEED_EVENTS for event in events(user, now)],
        )


def _calendar(
    *, name: str, uid: str, sessions: Iterable[Session], extra: Callable[[datetime.datetime], list[Event]] | None = None
) -> bytes:
    now = timezone.now()
    calendar = Calendar.new(
        prodid=PRODID,
        calscale="GREGORIAN",
        method="PUBLISH",
        name=name,
        uid=uid,
        subcomponents=[_event(session, now) for session in sessions] + (extra(now) if extra else []),
    )
    # Sessions are written in UTC; recurring events from other apps keep their local time zone
    # (so a weekly block stays at 12:00 across daylight saving) and need its VTIMEZONE.
    calendar.add_missing_timezones()
    # RFC 7986 wants the value type spelled out; X-PUBLISHED-TTL is what Outlook reads.
    calendar.add("REFRESH-INTERVAL", REFRESH, parameters={"VALUE": "DURATION"})
    calendar.add("X-PUBLISHED-TTL", vDuration(REFRESH))
    return calendar.to_ical()


def _event(session: Session, now: datetime.datetime) -> Event:
    cohort = session.cohort
    return Event.new(
        uid=f"{session.uuid}@takeroot",
        sequence=session.sequence,
        stamp=now,
        start=session.starts_at.astimezone(datetime.UTC),
        end=session.ends_at.astimezone(datetime.UTC),
        summary=f"{cohort.programme.name}: {session.title}",
        location=session.place or session.online_link or None,
        url=session.online_link or None,
        description=_description(session),
        status="CANCELLED" if session.cancelled else "CONFIRMED",
    )


def _description(session: Session) -> str:
    cohort = session.cohort
    lines = [_("Cohort: %(name)s") % {"name": cohort.name}]
    if session.module:
        lines.append(_("Module: %(title)s") % {"title": session.module.title})
    if session.online_link:
        lines.append(_("Join online: %(link)s") % {"link": session.online_link})
    page = settings.BASE_URL + reverse("programmes:cohort_detail", args=[cohort.uuid])
    lines.append(_("Cohort page: %(link)s") % {"link": page})
    return "\n".join(lines)
