"""The follow-up section of a person's digest (see ``core.digest``): the optional messages they
chose to collect there instead of getting each alone. Building the section marks them sent."""

import datetime

from django.conf import settings
from django.utils.translation import gettext as _

from takeroot.core.digest import DigestItem, DigestSection
from takeroot.core.models import Person

from .enums import NonUrgentMail
from .models import Preference


def _path(url: str) -> str:
    # The digest mail puts the site's address in front of each item's path.
    return url.removeprefix(settings.BASE_URL) if url.startswith(settings.BASE_URL) else ""


def followup_section(person: Person, since: datetime.datetime) -> DigestSection | None:
    """The person's due follow-up messages that wait for their digest."""
    from .delivery import take_for_digest

    if not Preference.objects.filter(user_id=person.user_id, non_urgent=NonUrgentMail.DIGEST).exists():
        return None
    items = [DigestItem(rendered.subject, _path(rendered.url)) for rendered in take_for_digest(person=person)]
    return DigestSection(_("Follow-up from your trainings"), items)
