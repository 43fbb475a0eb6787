"""The digest: one mail per person at the frequency they chose, never a mail per event.

Apps above core contribute sections from their ``AppConfig.ready`` with
``register_digest_section``. A section function gets the recipient's membership (``Person``) and
the time of their previous digest, and returns a ``DigestSection`` (or ``None`` when it has
nothing new). A section runs inside the recipient's workspace scope, language and time zone, so
titles and texts are translated as written. The digest goes out at 07:00 in the recipient's time
zone, daily or on Mondays as they chose in their profile.
"""

import datetime
import zoneinfo
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial

from django.db import transaction
from django.db.models import Q
from django.utils import timezone, translation

from .enums import DigestFrequency
from .mail import queue_mail
from .models import OutgoingMail, Person
from .scope import across_workspaces, workspace_scope


@dataclass(frozen=True)
class DigestItem:
    text: str
    url: str = ""  # a path such as "/action-plans/<uuid>/"; the mail makes it absolute


@dataclass(frozen=True)
class DigestSection:
    title: str
    items: list[DigestItem] = field(default_factory=list)


DigestSectionFunc = Callable[[Person, datetime.datetime], DigestSection | None]
DIGEST_SECTIONS: list[DigestSectionFunc] = []


def register_digest_section(section: DigestSectionFunc) -> None:
    if section not in DIGEST_SECTIONS:
        DIGEST_SECTIONS.append(section)


def digest_sections(person: Person, since: datetime.datetime) -> list[DigestSection]:
    return [found for section in DIGEST_SECTIONS if (found := section(person, since)) and found.items]


# Sending -----------------------------------------------------------------------------------------

DIGEST_HOUR = 7  # local time of the recipient


def current_slot(frequency: str, now: datetime.datetime, tz: zoneinfo.ZoneInfo) -> datetime.datetime | None:
    """The latest moment a digest of this frequency was due: today at 07:00 local time (daily) or
    this week's Monday at 07:00 (weekly); ``None`` for "never"."""
    if frequency == DigestFrequency.NEVER:
        return None
    local = now.astimezone(tz)
    slot = local.replace(hour=DIGEST_HOUR, minute=0, second=0, microsecond=0)
    if frequency == DigestFrequency.WEEKLY:
        slot -= datetime.timedelta(days=local.weekday())
    step = datetime.timedelta(days=7 if frequency == DigestFrequency.WEEKLY else 1)
    return slot if slot <= local else slot - step


@transaction.atomic
def send_digest(*, person: Person, now: datetime.datetime | None = None) -> OutgoingMail | None:
    """Send one person their digest for one workspace if one is due, exactly once: the membership
    is claimed with a conditional update of ``digest_sent_at`` before anything is built, so two
    schedulers never send it twice. Nothing new means no mail (the slot is still used).

    Side effects: ``digest_sent_at``, one queued mail. Called by the periodic job and tests."""
    now = now or timezone.now()
    user = person.user
    tz = zoneinfo.ZoneInfo(user.timezone)
    slot = current_slot(user.digest_frequency, now, tz)
    if slot is None or (person.digest_sent_at and person.digest_sent_at >= slot):
        return None
    previous = person.digest_sent_at
    with across_workspaces():
        claimed = Person.objects.filter(pk=person.pk, digest_sent_at=previous).update(digest_sent_at=now)
    if not claimed:
        return None
    period = datetime.timedelta(days=7 if user.digest_frequency == DigestFrequency.WEEKLY else 1)
    since = previous or slot - period
    with workspace_scope(person.workspace), translation.override(user.language), timezone.override(tz):
        sections = digest_sections(person, since)
    if not sections:
        return None
    return queue_mail(
        recipient=user,
        workspace=person.workspace,
        template="digest",
        context={
            "workspace": person.workspace.name,
            "sections": [
                {"title": s.title, "items": [{"text": i.text, "url": i.url} for i in s.items]} for s in sections
            ],
        },
    )


def send_due_digests(*, now: datetime.datetime | None = None) -> int:
    """Queue a digest task for every membership whose digest may be due (workers on any machine
    build and send them; ``send_digest`` claims each one, so a task queued twice sends once).
    Returns how many were queued."""
    from .tasks import task_send_digest

    now = now or timezone.now()
    with across_workspaces():
        due = list(
            Person.objects.filter(user__is_active=True)
            .exclude(user__digest_frequency=DigestFrequency.NEVER)
            .filter(Q(digest_sent_at__isnull=True) | Q(digest_sent_at__lt=now - datetime.timedelta(hours=20)))
            .values_list("pk", flat=True)
        )
    for person_id in due:
        transaction.on_commit(partial(task_send_digest.enqueue, person_id=person_id, now=now.isoformat()))
    return len(due)
