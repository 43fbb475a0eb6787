"""Threads and posts: start, reply, edit one's own post for a while, and moderation (pin, lock,
hide with a reason). Nothing is sent per post: the digest tells people what is new."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from takeroot.core.enums import AuditAction
from takeroot.core.models import Person, Team, User
from takeroot.core.services import record_audit
from takeroot.programmes.models import Cohort

from ..models import PeerGroup, Post, Thread

EDIT_WINDOW = datetime.timedelta(minutes=30)
TITLE_MAX = 200
TEXT_MAX = 10_000


def _audit(obj, actor: User | None, action: str, changes: dict | None = None) -> None:
    record_audit(workspace=obj.workspace, actor=actor, action=action, obj=obj, changes=changes)


def _clean_text(text: str) -> str:
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": _("Write something first.")})
    if len(text) > TEXT_MAX:
        raise ValidationError({"text": _("Keep it under 10,000 characters.")})
    return text


@transaction.atomic
def start_thread(
    *,
    author: Person,
    actor: User | None,
    title: str,
    text: str,
    cohort: Cohort | None = None,
    group: PeerGroup | None = None,
    team: Team | None = None,
    now: datetime.datetime | None = None,
) -> Thread:
    """Start a thread with its first post: in a cohort's community (``cohort``), in a group
    (``group``) or, for a team's ambassador, an insight for the team (``team``). The caller checks
    the author may write there.

    Side effects: the thread and its first post, an audit entry."""
    title = (title or "").strip()
    errors = {}
    if not title:
        errors["title"] = [_("Give the thread a title.")]
    elif len(title) > TITLE_MAX:
        errors["title"] = [_("Keep the title under 200 characters.")]
    try:
        text = _clean_text(text)
    except ValidationError as error:
        errors.update(error.message_dict)
    if errors:
        raise ValidationError(errors)
    if group is not None:
        cohort = group.cohort
    if (cohort is None) == (team is None):
        raise ValidationError(_("A thread belongs to a cohort, a group or a team."))
    now = now or timezone.now()
    thread = Thread.objects.create(
        workspace_id=author.workspace_id,
        cohort=cohort,
        group=group,
        team=team,
        title=title,
        author=author,
        last_activity_at=now,
    )
    Post.objects.create(workspace_id=author.workspace_id, thread=thread, author=author, text=text, created_at=now)
    _audit(thread, actor, AuditAction.CREATED)
    return thread


@transaction.atomic
def reply(
    *, thread: Thread, author: Person, actor: User | None, text: str, now: datetime.datetime | None = None
) -> Post:
    """Reply in a thread that is neither locked nor hidden.

    Side effects: the post, the thread's last activity."""
    if thread.locked:
        raise ValidationError(_("This thread is locked: it takes no more replies."))
    if thread.is_hidden:
        raise ValidationError(_("This thread was hidden by a moderator: it takes no more replies."))
    text = _clean_text(text)
    now = now or timezone.now()
    post = Post.objects.create(
        workspace_id=thread.workspace_id, thread=thread, author=author, text=text, created_at=now
    )
    Thread.objects.filter(pk=thread.pk).update(last_activity_at=now)
    thread.last_activity_at = now
    return post


def can_still_edit(post: Post, now: datetime.datetime | None = None) -> bool:
    return not post.is_hidden and (now or timezone.now()) - post.created_at <= EDIT_WINDOW


@transaction.atomic
def edit_post(
    *, post: Post, author: Person, actor: User | None, text: str, now: datetime.datetime | None = None
) -> None:
    """The author changes their post within 30 minutes of writing it (not once hidden).

    Side effects: the text and the edit time, an audit entry."""
    if post.author_id != author.pk:
        raise ValidationError(_("Only the author can edit a post."))
    now = now or timezone.now()
    if not can_still_edit(post, now):
        raise ValidationError(_("A post can be edited only in the first 30 minutes, and not once hidden."))
    post.text, post.edited_at = _clean_text(text), now
    post.save(update_fields=["text", "edited_at"])
    _audit(post, actor, AuditAction.CHANGED, {"text": ("…", "…")})


def _set_flag(thread: Thread, actor: User | None, name: str, value: bool) -> None:
    before = getattr(thread, name)
    if before == value:
        return
    setattr(thread, name, value)
    thread.save(update_fields=[name])
    _audit(thread, actor, AuditAction.CHANGED, {name: (before, value)})


@transaction.atomic
def set_pinned(*, thread: Thread, actor: User | None, pinned: bool) -> None:
    """A moderator pins a thread at the top of its list, or unpins it. Side effects: an audit entry."""
    _set_flag(thread, actor, "pinned", pinned)


@transaction.atomic
def set_locked(*, thread: Thread, actor: User | None, locked: bool) -> None:
    """A moderator locks a thread (no more replies) or opens it again. Side effects: an audit entry."""
    _set_flag(thread, actor, "locked", locked)


def _reason(reason: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Say why it is hidden: the author will see the reason.")})
    if len(reason) > 500:
        raise ValidationError({"reason": _("Keep the reason under 500 characters.")})
    return reason


def _hide(obj, *, moderator: Person | None, actor: User | None, reason: str) -> None:
    obj.hidden_reason = _reason(reason)
    obj.hidden_at, obj.hidden_by = timezone.now(), moderator
    obj.save(update_fields=["hidden_at", "hidden_by", "hidden_reason"])
    _audit(obj, actor, AuditAction.CHANGED, {"hidden": (False, True), "reason": ("", obj.hidden_reason)})


def _show(obj, *, actor: User | None) -> None:
    if obj.hidden_at is None:
        return
    obj.hidden_at, obj.hidden_by, obj.hidden_reason = None, None, ""
    obj.save(update_fields=["hidden_at", "hidden_by", "hidden_reason"])
    _audit(obj, actor, AuditAction.CHANGED, {"hidden": (True, False)})


@transaction.atomic
def hide_thread(*, thread: Thread, moderator: Person | None, actor: User | None, reason: str) -> None:
    """A moderator hides a thread with a reason: its author sees it was hidden and why, nobody
    else but moderators sees it. Side effects: an audit entry."""
    _hide(thread, moderator=moderator, actor=actor, reason=reason)


@transaction.atomic
def show_thread(*, thread: Thread, actor: User | None) -> None:
    """Side effects: an audit entry."""
    _show(thread, actor=actor)


@transaction.atomic
def hide_post(*, post: Post, moderator: Person | None, actor: User | None, reason: str) -> None:
    """A moderator hides a post with a reason: its author sees it was hidden and why, nobody else
    but moderators sees it. Side effects: an audit entry."""
    _hide(post, moderator=moderator, actor=actor, reason=reason)


@transaction.atomic
def show_post(*, post: Post, actor: User | None) -> None:
    """Side effects: an audit entry."""
    _show(post, actor=actor)
