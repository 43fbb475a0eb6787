"""Who may open, rate and read retrospectives."""

import rules

from takeroot.core.queries import membership
from takeroot.core.rules import is_admin, is_member

from .models import Rater, Retrospective


@rules.predicate
def is_invited_rater(user, retrospective) -> bool:
    if not isinstance(retrospective, Retrospective):
        return False
    me = membership(user, retrospective.workspace_id)
    return bool(me and retrospective.raters.filter(person=me).exists())


@rules.predicate
def is_rater_anywhere(user, workspace) -> bool:
    """Invited to at least one retrospective of the workspace (for the menu)."""
    me = membership(user, workspace)
    return bool(me and Rater.objects.filter(workspace_id=me.workspace_id, person=me).exists())


@rules.predicate
def is_open(user, retrospective) -> bool:
    return isinstance(retrospective, Retrospective) and retrospective.is_open


# Workspace-level: the list, opening a new one, the report.
rules.add_perm("retrospectives.manage_retrospectives", is_admin)
rules.add_perm("retrospectives.view_report", is_admin)
# The list: everyone sees the ones they may see (admins all, raters theirs).
rules.add_perm("retrospectives.list_retrospectives", is_member)
# The menu entry: admins, and people who are asked to rate.
rules.add_perm("retrospectives.show_in_menu", is_admin | is_rater_anywhere)
# Every rater's answers, the raters and the indicators of one retrospective (or the workspace).
rules.add_perm("retrospectives.view_answers", is_admin)
# Object-level, on a retrospective: a rater sees what they are asked and answers while it is open.
rules.add_perm("retrospectives.view_retrospective", is_admin | is_invited_rater)
rules.add_perm("retrospectives.rate", is_invited_rater & is_open)
