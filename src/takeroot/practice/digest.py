"""The practice sections of the digest: reports waiting for a trainer's or supervisor's review,
and a participant's practice tasks that are due. Both are to-do lists: what waits now."""

import datetime

from django.utils.translation import gettext as _

from takeroot.core.digest import DigestItem, DigestSection
from takeroot.core.models import Person

from .queries import due_assignments, may_review, waiting_for_review


def reports_to_review_section(person: Person, since: datetime.datetime) -> DigestSection | None:
    """Practice reports waiting for this person's review (as trainer or supervisor)."""
    if not may_review(person):
        return None
    waiting = list(waiting_for_review(person.user, workspace=person.workspace)[:20])
    if not waiting:
        return None
    items = [
        DigestItem(
            text=_("%(name)s: %(task)s") % {"name": a.enrolment.person.user.name, "task": a.task.title},
            url=a.get_absolute_url(),
        )
        for a in waiting
    ]
    return DigestSection(title=_("Practice reports waiting for your review"), items=items)


def tasks_due_section(person: Person, since: datetime.datetime) -> DigestSection | None:
    """The person's practice tasks without an accepted report, due within a week or overdue."""
    due = list(due_assignments(person))
    if not due:
        return None
    items = [
        DigestItem(
            text=_("%(task)s, due %(day)s") % {"task": a.task.title, "day": a.task.due_on.isoformat()},
            url=a.get_absolute_url(),
        )
        for a in due
    ]
    return DigestSection(title=_("Practice tasks due"), items=items)
