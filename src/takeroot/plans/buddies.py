"""Accountability buddies: the participant names a colleague who follows their goals and cheers.

The writes live here rather than in ``services`` (one concept, its own module); callers check
``plans.choose_buddy`` and ``plans.cheer`` first.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from takeroot.core.enums import AuditAction
from takeroot.core.mail import queue_mail
from takeroot.core.models import Person, User
from takeroot.core.services import record_audit

from .models import ActionGoal, ActionPlan, Cheer
from .queries import buddy_candidates
from .signals import notify_plan_changed

CHEER_MAX = 1000


@transaction.atomic
def choose_buddy(*, plan: ActionPlan, actor: User | None, buddy: Person | None) -> None:
    """Name (or, with ``None``, drop) the plan's accountability buddy: another participant of the
    cohort or a member of the participant's team.

    Side effects: an audit entry; a mail to the new buddy saying what they can see and do."""
    if buddy is not None and not buddy_candidates(plan).filter(pk=buddy.pk).exists():
        raise ValidationError({"buddy": _("Choose someone from your cohort or your team.")})
    if plan.buddy_id == (buddy.pk if buddy else None):
        return
    before = plan.buddy
    plan.buddy = buddy
    plan.save(update_fields=["buddy", "updated_at"])
    record_audit(
        workspace=plan.workspace,
        actor=actor,
        action=AuditAction.CHANGED,
        obj=plan,
        changes={"buddy": (str(before) if before else None, str(buddy) if buddy else None)},
    )
    notify_plan_changed(plan)
    if buddy is not None:
        queue_mail(
            recipient=buddy.user,
            workspace=plan.workspace,
            template="plans_buddy_named",
            context={
                "participant": plan.enrolment.person.user.name,
                "programme": plan.enrolment.cohort.programme.name,
                "workspace": plan.workspace.name,
                "path": reverse("plans:buddy_view", args=[plan.uuid]),
            },
        )


@transaction.atomic
def cheer(
    *, plan: ActionPlan, actor: User | None, author: Person | None, goal: ActionGoal | None = None, comment: str = ""
) -> Cheer:
    """The buddy cheers the participant on, on the whole plan or one goal, with an optional comment.

    Side effects: none besides the cheer (the participant reads it on the plan and in their digest)."""
    comment = (comment or "").strip()
    if len(comment) > CHEER_MAX:
        raise ValidationError({"comment": _("Keep the comment under %(n)s characters.") % {"n": CHEER_MAX}})
    if goal is not None and goal.plan_id != plan.pk:
        raise ValidationError({"goal": _("That goal is not in this plan.")})
    return Cheer.objects.create(workspace_id=plan.workspace_id, plan=plan, goal=goal, author=author, comment=comment)
