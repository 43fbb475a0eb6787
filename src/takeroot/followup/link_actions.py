"""What one-click links do once verified: a check-in from a tiny form, a question raised as a ticket.
The link views call these; the tokens themselves are in ``links``."""

from django.db import transaction
from django.utils.translation import gettext as _

from takeroot.plans.enums import PlanState
from takeroot.plans.models import ActionGoal, ActionPlan, CheckIn
from takeroot.plans.queries import goal_series, last_check_in, plan_detail
from takeroot.plans.services import record_check_in, value_field
from takeroot.programmes.enums import EnrolmentStatus
from takeroot.programmes.models import Cohort, Enrolment
from takeroot.tickets.enums import Source
from takeroot.tickets.models import Ticket
from takeroot.tickets.services import raise_ticket

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


# Questions, raised as learner tickets ---------------------------------------------------------------------


def cohort_for_link(link: Link) -> Cohort | None:
    if link.person is None or as_uuid(link.target) is None:
        return None
    return (
        Cohort.objects.filter(workspace=link.person.workspace, uuid=as_uuid(link.target))
        .select_related("programme")
        .first()
    )


def enrolment_for_link(link: Link, cohort: Cohort | None) -> Enrolment | None:
    """The link's person's enrolment in the cohort (not withdrawn): what their question is about."""
    if cohort is None or link.person is None:
        return None
    return (
        Enrolment.objects.filter(cohort=cohort, person=link.person)
        .exclude(status=EnrolmentStatus.WITHDRAWN)
        .select_related("cohort__programme")
        .first()
    )


def question_refusal(link: Link, cohort: Cohort | None) -> str:
    """Participants of the cohort (not withdrawn) may raise a question about it by the link."""
    if cohort is None or link.person is None:
        return _("This training no longer exists.")
    if enrolment_for_link(link, cohort) is None:
        return _("You no longer take part in this training.")
    return ""


@transaction.atomic
def raise_question(
    *, link: Link, cohort: Cohort, category: str, subject: str, body: str, module=None, files=()
) -> Ticket:
    """Raise a learner ticket about the cohort from the follow-up mail's link, once per link.

    Side effects: the link is marked used, the ticket raised (source MAIL_LINK: routed, the promise
    clock started, the owner mailed, audited, see ``tickets.services.raise_ticket``), the touchpoint
    marked done. A refused ticket (``ValidationError``) leaves the link unused."""
    refusal = question_refusal(link, cohort)
    if refusal:
        raise LinkProblem(Problem.REFUSED, link, refusal)
    _use(link)
    ticket = raise_ticket(
        person=link.person,
        category=category,
        subject=subject,
        body=body,
        enrolment=enrolment_for_link(link, cohort),
        module=module,
        files=files,
        source=Source.MAIL_LINK,
    )
    mark_done(link)
    return ticket
