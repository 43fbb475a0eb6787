"""Every write to wins and reactions (the monthly digest's are in ``digests``).

Callers check the rules first (``wins.mark_win_for``, ``wins.share_win``, ``wins.react``); the
services check that the input makes sense and keep each change whole.
"""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from takeroot.core.enums import AuditAction
from takeroot.core.mail import queue_mail
from takeroot.core.models import Person, User, Workspace
from takeroot.core.services import record_audit
from takeroot.plans.models import ActionGoal, CheckIn, CheckInValue

from .enums import ReactionKind, Sharing, WinSource
from .models import Reaction, Win


def _number(value: Decimal) -> str:
    return f"{value.normalize():f}"


def goal_win_title(goal: ActionGoal, value: Decimal) -> str:
    """ "<goal title>: <baseline> → <value> <unit>"."""
    unit = f" {goal.unit}" if goal.unit else ""
    return f"{goal.title}: {_number(goal.baseline)} → {_number(value)}{unit}"[:300]


def _ask_to_share(win: Win) -> None:
    queue_mail(
        recipient=win.person.user,
        workspace=win.workspace,
        template="wins_recorded",
        context={
            "title": win.title,
            "path": win.get_absolute_url(),
            "workspace": win.workspace.name,
            "marked_by": win.marked_by.user.name if win.marked_by else "",
        },
    )


def record_goal_win(*, goal: ActionGoal, check_in: CheckIn | None = None) -> Win | None:
    """Celebrate a reached goal: one win per goal, however often this is called (``None`` when it
    exists already). The title reads "goal: baseline → value unit" with the check-in's value.

    Side effects: the win (pending the participant's choice), an audit entry, a mail asking the
    participant whether it may be shared."""
    if Win.objects.filter(goal=goal, source=WinSource.GOAL_REACHED).exists():
        return None
    plan = goal.plan
    found = CheckInValue.objects.filter(check_in=check_in, goal=goal).first() if check_in else None
    value = found.value if found else goal.target
    try:
        with transaction.atomic():
            win = Win.objects.create(
                workspace_id=goal.workspace_id,
                person=plan.enrolment.person,
                plan=plan,
                goal=goal,
                cohort=plan.enrolment.cohort,
                title=goal_win_title(goal, value),
                source=WinSource.GOAL_REACHED,
                created_at=check_in.created_at if check_in else timezone.now(),
            )
            record_audit(workspace=win.workspace, actor=None, action=AuditAction.CREATED, obj=win)
            _ask_to_share(win)
    except IntegrityError:
        return None  # a concurrent call recorded it first
    return win


@transaction.atomic
def mark_win(
    *,
    workspace: Workspace,
    actor: User | None,
    marked_by: Person | None,
    person: Person,
    title: str,
    story: str = "",
    goal: ActionGoal | None = None,
) -> Win:
    """A manager, trainer or admin (or an API key, then ``marked_by`` is empty) marks an
    achievement as a win for a participant, optionally naming a goal of their action plan.

    Side effects: the win (pending the participant's choice), an audit entry, a mail asking the
    participant whether it may be shared."""
    errors = {}
    title = (title or "").strip()
    if not title:
        errors["title"] = _("Say what the win is.")
    if person.workspace_id != workspace.pk:
        errors["person"] = _("Choose a person of this workspace.")
    if goal is not None and goal.plan.enrolment.person_id != person.pk:
        errors["goal"] = _("Choose a goal from this person's own action plan.")
    if errors:
        raise ValidationError(errors)
    win = Win.objects.create(
        workspace=workspace,
        person=person,
        plan=goal.plan if goal else None,
        goal=goal,
        cohort=goal.plan.enrolment.cohort if goal else None,
        title=title,
        story=(story or "").strip(),
        source=WinSource.MARKED,
        marked_by=marked_by,
    )
    record_audit(workspace=workspace, actor=actor, action=AuditAction.CREATED, obj=win)
    _ask_to_share(win)
    return win


@transaction.atomic
def set_sharing(*, win: Win, actor: User | None, sharing: str) -> bool:
    """The participant shares the win or keeps it private (and may change their mind later).
    Returns whether anything changed.

    Side effects: ``shared_at`` (set when shared, cleared when made private), an audit entry."""
    if sharing not in (Sharing.SHARED, Sharing.PRIVATE):
        raise ValidationError({"sharing": _("Choose to share the win or keep it private.")})
    if win.sharing == sharing:
        return False
    before = win.sharing
    win.sharing = sharing
    win.shared_at = timezone.now() if sharing == Sharing.SHARED else None
    win.save(update_fields=["sharing", "shared_at"])
    record_audit(
        workspace=win.workspace,
        actor=actor,
        action=AuditAction.CHANGED,
        obj=win,
        changes={"sharing": (before, sharing)},
    )
    return True


@transaction.atomic
def toggle_reaction(*, win: Win, person: Person, kind: str) -> bool:
    """Give a reaction, or take it back when this person already gave it. Only on shared wins.
    Returns whether the reaction is there now. Side effects: the reaction row (no audit entry:
    reactions are light and reversible)."""
    if kind not in ReactionKind.values:
        raise ValidationError({"kind": _("Choose a reaction.")})
    if not win.is_shared:
        raise ValidationError(_("Only shared wins get reactions."))
    deleted, _rows = Reaction.objects.filter(win=win, person=person, kind=kind).delete()
    if deleted:
        return False
    Reaction.objects.create(workspace_id=win.workspace_id, win=win, person=person, kind=kind)
    return True
