"""What wins does when other apps announce something, and its digest section."""

import datetime

from django.db.models import Q
from django.utils.translation import gettext as _

from takeroot.core.digest import DigestItem, DigestSection
from takeroot.core.models import Person
from takeroot.core.scope import workspace_scope

from .enums import Sharing
from .models import Win
from .services import record_goal_win


def on_goal_reached(sender, *, goal, check_in=None, **kwargs) -> None:
    """A goal reached its target: record the win (once) and ask the participant about sharing.
    Sent after the check-in's commit, possibly outside any request, so enter the goal's workspace."""
    with workspace_scope(goal.workspace):
        record_goal_win(goal=goal, check_in=check_in)


def wins_digest_section(person: Person, since: datetime.datetime) -> DigestSection | None:
    """The person's wins waiting for a sharing choice, and the wins colleagues shared since."""
    recent = Win.objects.filter(workspace_id=person.workspace_id)
    if not recent.filter(Q(created_at__gt=since) | Q(shared_at__gt=since)).exists():
        return None  # a quiet day costs one simple query
    items = [
        DigestItem(
            _("Your win “%(title)s” waits for your choice: share it or keep it private.") % {"title": win.title},
            win.get_absolute_url(),
        )
        for win in Win.objects.filter(
            workspace_id=person.workspace_id, person=person, sharing=Sharing.PENDING, created_at__gt=since
        )[:5]
    ]
    shared = (
        Win.objects.filter(workspace_id=person.workspace_id, sharing=Sharing.SHARED, shared_at__gt=since)
        .exclude(person=person)
        .select_related("person__user")
        .order_by("-shared_at")[:5]
    )
    items += [
        DigestItem(
            _("%(name)s: %(title)s") % {"name": win.person.user.name, "title": win.title}, win.get_absolute_url()
        )
        for win in shared
    ]
    return DigestSection(_("Wins"), items) if items else None
