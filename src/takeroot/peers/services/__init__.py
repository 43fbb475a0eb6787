"""Every write in peer learning: groups (by hand and automatic), threads and posts with their
moderation, and team ambassadors. Callers check the rules first; the services check that the
change makes sense (one group per person per cohort, locked threads, the edit window)."""

from .ambassadors import name_ambassador, remove_ambassador
from .groups import (
    ProposedGroup,
    add_member,
    create_group,
    delete_group,
    form_groups,
    move_member,
    propose_groups,
    remove_member,
    rename_group,
)
from .threads import (
    EDIT_WINDOW,
    edit_post,
    hide_post,
    hide_thread,
    reply,
    set_locked,
    set_pinned,
    show_post,
    show_thread,
    start_thread,
)

__all__ = [
    "EDIT_WINDOW",
    "ProposedGroup",
    "add_member",
    "create_group",
    "delete_group",
    "edit_post",
    "form_groups",
    "hide_post",
    "hide_thread",
    "move_member",
    "name_ambassador",
    "propose_groups",
    "remove_ambassador",
    "remove_member",
    "rename_group",
    "reply",
    "set_locked",
    "set_pinned",
    "show_post",
    "show_thread",
    "start_thread",
]
