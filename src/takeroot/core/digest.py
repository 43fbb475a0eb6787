"""The digest: one mail per person at the frequency they chose, never a mail per event.

Apps above core contribute sections from their ``AppConfig.ready`` with
``register_digest_section``. A section function gets the recipient's membership (``Person``) and
the time of their previous digest, and returns a ``DigestSection`` (or ``None`` when it has
nothing new). It runs inside the recipient's workspace scope, language and time zone, so titles
and texts are translated as written.
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field

from .models import Person


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
