"""The peers section of the digest: threads with new posts by others in the person's cohorts,
groups and team since their previous digest. No mail is sent per post."""

import datetime

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from takeroot.core.digest import DigestItem, DigestSection
from takeroot.core.models import Person

from .queries import threads_with_news


def _place(thread) -> str:
    if thread.team_id:
        return thread.team.name
    if thread.group_id:
        return f"{thread.group.name} · {thread.cohort.name}"
    return thread.cohort.name


def discussions_section(person: Person, since: datetime.datetime) -> DigestSection | None:
    """ "New in your discussions": one line per thread, with how many new posts and a link."""
    found = threads_with_news(person, since)
    if not found:
        return None
    items = [
        DigestItem(
            text=ngettext(
                "%(title)s (%(place)s): %(count)s new post",
                "%(title)s (%(place)s): %(count)s new posts",
                count,
            )
            % {"title": thread.title, "place": _place(thread), "count": count},
            url=thread.get_absolute_url(),
        )
        for thread, count in found
    ]
    return DigestSection(title=_("New in your discussions"), items=items)
