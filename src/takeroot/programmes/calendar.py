"""Sessions as iCalendar files: one cohort's, for download, and a person's feed, for subscribing.

Times are written in UTC, so the files need no VTIMEZONE block and every calendar program shows
them in its own time zone. Each session keeps its UID; a change raises its SEQUENCE, so calendars
replace the event instead of adding a second one.
"""

import datetime
from collections.abc import Iterable

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
        )


def _calendar(*, name: str, uid: str, sessions: Iterable[Session]) -> bytes:
    now = timezone.now()
    calendar = Calendar.new(
        prodid=PRODID,
        calscale="GREGORIAN",
        method="PUBLISH",
        name=name,
        uid=uid,
        subcomponents=[_event(session, now) for session in sessions],
    )
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
