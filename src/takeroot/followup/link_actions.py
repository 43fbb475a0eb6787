"""What one-click links do once verified: a check-in from a tiny form, a question to the trainers.
The link views call these; the tokens themselves are in ``links``."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from takeroot.core.enums import AuditAction
from takeroot.core.mail import queue_mail
from takeroot.core.models import Person, User
from takeroot.core.services import record_audit
from takeroot.plans.enums import PlanState
from takeroot.plans.models import ActionGoal, ActionPlan, CheckIn
from takeroot.plans.queries import goal_series, last_check_in, plan_detail
from takeroot.plans.services import record_check_in, value_field
from takeroot.programmes.enums import EnrolmentStatus
from takeroot.programmes.models import Cohort, Enrolment

from .links import Link, LinkProblem, Problem, as_uuid, mark_done


def _use(link: Link) -> None:
    if not link.use():
        raise LinkProblem(Problem.USED, link)


# Check-in by link ------------------------------------------------------------------------------


def plan_for_link(link: Link) -> ActionPlan | None:
    """The plan a check-in link names, with goals, values and check-ins; None if gone."""
    if link.person is None or as_uuid(link.target) is None:
        return None
    return plan_detail(link.person.workspace).filter(uuid=as_uuid(link.target)).first()


def check_in_refusal(link: Link, plan: ActionPlan | None) -> str:
    """Why the person may not check in on this plan through the link ("" when they may)."""
    if plan is None or link.person is None or plan.enrolment.person_id != link.person.pk:
        return _("This action plan is not yours, or it no longer exists.")
    if plan.enrolment.status == EnrolmentStatus.WITHDRAWN or plan.enrolment.withdrawn_at is not None:
        return _("You were withdrawn from this training, so its follow-up has stopped.")
    if plan.state not in (PlanState.APPROVED, PlanState.SUBMITTED):
        return _("Check-ins start once the plan is submitted for review.")
    return ""


def check_in_goals(plan: ActionPlan) -> list[ActionGoal]:
    """The goals a check-in asks about: those not reached yet, or all when every one is."""
    goals = list(plan.goals.all())
    return [goal for goal in goals if goal.done_at is None] or goals


def check_in_initial(plan: ActionPlan, goals: list[ActionGoal]) -> dict:
    """The form's starting values: the last check-in's status and confidence, and each goal's
    latest value."""
    initial = {}
    last: CheckIn | None = last_check_in(plan)
    if last is not None:
        initial.update(status=last.status, confidence=last.confidence)
    for goal in goals:
        series = goal_series(goal)
        if series:
            initial[value_field(goal)] = format(series[-1][1].normalize(), "f")
    return initial


@transaction.atomic
def check_in_by_link(
    *, link: Link, plan: ActionPlan, status: str, confidence: int, values: dict, support_needed: str = ""
) -> CheckIn:
    """Record the person's check-in through their one-click link, once.

    Side effects: the link is marked used, the check-in is recorded (see ``record_check_in``),
    the touchpoint is marked done. Raises ``LinkProblem`` when the link was used or the plan is not
    the person's, ``ValidationError`` for bad values (nothing is kept then)."""
    refusal = check_in_refusal(link, plan)
    if refusal:
        raise LinkProblem(Problem.REFUSED, link, refusal)
    _use(link)
    check_in = record_check_in(
        plan=plan,
        actor=link.person.user,
        author=link.person,
        status=status,
        confidence=confidence,
        values=values,
        support_needed=support_needed,
    )
    mark_done(link)
    return check_in


# Questions to the trainers ---------------------------------------------------------------------


def cohort_for_link(link: Link) -> Cohort | None:
    if link.person is None or as_uuid(link.target) is None:
        return None
    return (
        Cohort.objects.filter(workspace=link.person.workspace, uuid=as_uuid(link.target))
        .select_related("programme")
        .first()
    )


def question_refusal(link: Link, cohort: Cohort | None) -> str:
    """Participants of the cohort (not withdrawn) and their line managers may ask its trainers."""
    me = link.person
    if cohort is None or me is None:
        return _("This training no longer exists.")
    concerned = (
        Enrolment.objects.filter(cohort=cohort)
        .exclude(status=EnrolmentStatus.WITHDRAWN)
        .filter(Q(person=me) | Q(manager=me) | Q(person__manager=me))
    )
    if not concerned.exists():
        return _("You no longer take part in this training.")
    return ""


def question_recipients(cohort: Cohort) -> list[User]:
    """The cohort's trainers; the workspace's admins when it has none, so no question is lost."""
    people = list(cohort.trainers.select_related("user")) or list(
        Person.objects.filter(workspace_id=cohort.workspace_id, is_admin=True).select_related("user")
    )
    return [person.user for person in people if person.user.is_active]


@transaction.atomic
def ask_trainers(*, link: Link, cohort: Cohort, question: str) -> list[User]:
    """Send the person's question to the cohort's trainers by mail, once per link.

    Side effects: the link is marked used, one mail per trainer (Reply-To the person), an audit
    entry, the touchpoint marked done. Returns who was asked."""
    refusal = question_refusal(link, cohort)
    if refusal:
        raise LinkProblem(Problem.REFUSED, link, refusal)
    question = question.strip()
    if not question:
        raise ValidationError({"question": _("Write your question.")})
    _use(link)
    asker = link.person
    recipients = question_recipients(cohort)
    context = {
        "asker": asker.user.name,
        "asker_email": asker.user.email,
        "cohort": cohort.name,
        "programme": cohort.programme.name,
        "workspace": cohort.workspace.name,
        "question": question,
    }
    for user in recipients:
        queue_mail(
            recipient=user,
            template="followup_question",
            context=context,
            workspace=cohort.workspace,
            headers={"Reply-To": asker.user.email},
        )
    # The audit log names what happened; a question has no table of its own (yet).
    record_audit(
        workspace=cohort.workspace,
        actor=asker.user,
        action=AuditAction.CREATED,
        obj=_Question(cohort),
        changes={"question": ("", question[:500]), "sent_to": ("", ", ".join(u.email for u in recipients))},
    )
    mark_done(link)
    return recipients


class _Question:
    """What the audit entry of a question names: the cohort it is about."""

    class _meta:  # shaped like a model's options, for ``audit_entry``
        model_name = "question"

    def __init__(self, cohort: Cohort):
        self.uuid = cohort.uuid
        self.cohort = cohort

    def __str__(self) -> str:
        return _("Question to the trainers of %(cohort)s") % {"cohort": self.cohort}
