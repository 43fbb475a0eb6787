"""Follow-up sessions as calendar invitations (RFC 5546, iTIP) and in the personal feed.

Each session is one VEVENT whose UID never changes; its SEQUENCE is the session's, raised on every
change a calendar should see, so an update replaces the entry and a CANCEL removes it. Times are
written in UTC, like the programme calendars, so no VTIMEZONE block is needed.
"""

import datetime
from collections.abc import Iterable
from email.utils import parseaddr

from django.conf import settings
from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.translation import gettext as _
from icalendar import Calendar, Event, vCalAddress

from takeroot.core.models import Person, User
from takeroot.programmes.calendar import PRODID
from takeroot.programmes.models import Cohort

from .enums import Rsvp
from .models import FollowUpSession, Invitation

REQUEST, CANCEL = "REQUEST", "CANCEL"
# The iCalendar participation status for each answer.
PARTSTAT = {Rsvp.PENDING: "NEEDS-ACTION", Rsvp.ATTENDING: "ACCEPTED", Rsvp.DECLINED: "DECLINED"}


def content_type(method: str) -> str:
    """The attachment's MIME type: calendar programs read the method from it."""
    return f"text/calendar; method={method}; charset=utf-8"


def session_uid(session: FollowUpSession) -> str:
    return f"{session.uuid}@takeroot"


def _organizer() -> vCalAddress:
    name, address = parseaddr(settings.DEFAULT_FROM_EMAIL)
    organizer = vCalAddress(f"mailto:{address}")
    if name:
        organizer.params["CN"] = name
    return organizer


def _attendee(person: Person, answer: str) -> vCalAddress:
    attendee = vCalAddress(f"mailto:{person.user.email}")
    attendee.params.update(
        {
            "CN": person.user.name or person.user.email,
            "ROLE": "REQ-PARTICIPANT",
            "PARTSTAT": PARTSTAT.get(answer, "NEEDS-ACTION"),
            "RSVP": "TRUE",
        }
    )
    return attendee


def description(session: FollowUpSession) -> str:
    """The agenda, the online link and the session page, in the active language."""
    lines = []
    if session.agenda:
        lines += [_("Agenda:"), session.agenda.strip(), ""]
    if session.online_link:
        lines.append(_("Join online: %(link)s") % {"link": session.online_link})
    lines.append(_("Session page: %(link)s") % {"link": settings.BASE_URL + session.get_absolute_url()})
    return "\n".join(lines)


def session_event(
    session: FollowUpSession, *, now: datetime.datetime, attendee: Person | None = None, answer: str = Rsvp.PENDING
) -> Event:
    """The session's VEVENT; with an attendee for an invitation, without one for a feed."""
    cancelled = session.cancelled_at is not None
    event = Event.new(
        uid=session_uid(session),
        sequence=session.sequence,
        stamp=now,
        start=session.starts_at.astimezone(datetime.UTC),
        end=session.ends_at.astimezone(datetime.UTC),
        summary=session.title,
        location=session.place or session.online_link or None,
        url=session.online_link or settings.BASE_URL + session.get_absolute_url(),
        description=description(session),
        status="CANCELLED" if cancelled else "CONFIRMED",
    )
    event.add("organizer", _organizer())
    if attendee is not None:
        event.add("attendee", _attendee(attendee, answer))
    return event


def invitation_calendar(invitation: Invitation, *, method: str) -> str:
    """One person's invitation (``REQUEST``, also for updates) or cancellation (``CANCEL``), as
    the text of an ``.ics`` attachment. Call it inside the person's language."""
    event = session_event(invitation.session, now=timezone.now(), attendee=invitation.person, answer=invitation.answer)
    if method == CANCEL:
        event["STATUS"] = "CANCELLED"
    calendar = Calendar.new(prodid=PRODID, method=method, subcomponents=[event])
    return calendar.to_ical().decode()


def feed_events(user: User, now: datetime.datetime) -> Iterable[Event]:
    """The follow-up sessions a person is invited to or runs, for their personal calendar feed
    (called across workspaces, in their language). Cancelled ones stay, marked cancelled, so
    subscribed calendars drop them."""
    invited = Invitation.objects.filter(session=OuterRef("pk"), person__user=user)
    trains = Cohort.objects.filter(pk=OuterRef("cohort_id"), trainers__user=user)
    sessions = (
        FollowUpSession.objects.filter(Exists(invited) | Exists(trains)).select_related("cohort").order_by("starts_at")
    )
    return [session_event(session, now=now) for session in sessions]
