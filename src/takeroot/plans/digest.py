"""The action-plan sections of a person's digest (see ``core.digest``).

Line managers read one list instead of a mail per event: plans awaiting their approval, check-ins
made since the last digest, overdue steps and goals, and who has gone quiet. Managers and
trainers see the requests for support still waiting for an answer; participants their next
check-in, the feedback they received and their buddy's cheers.
"""

import datetime

from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from takeroot.core.digest import DigestItem, DigestSection
from takeroot.core.models import Person
from takeroot.programmes.queries import enrolments_for_person

from .enums import PlanState
from .models import ActionPlan, Cheer, Feedback
from .queries import gone_quiet, next_check_in_due, support_requests_for_user, team_plans

ACTIVE = (PlanState.SUBMITTED, PlanState.APPROVED)


def _name(plan: ActionPlan) -> str:
    return plan.enrolment.person.user.name


def _day(day: datetime.date) -> str:
    return date_format(day, "DATE_FORMAT")


def team_section(person: Person, since: datetime.datetime) -> DigestSection | None:
    """For a line manager: what their team's plans need and what happened in them."""
    plans = list(team_plans(person.user, workspace=person.workspace))
    if not plans:
        return None
    today = timezone.localdate()
    items = []
    for plan in plans:
        url = plan.get_absolute_url()
        name = _name(plan)
        if plan.state == PlanState.SUBMITTED:
            items.append(DigestItem(_("%(name)s's action plan waits for your approval.") % {"name": name}, url))
        for check_in in sorted(plan.check_ins.all(), key=lambda c: c.created_at):
            if check_in.created_at > since:
                text = _("%(name)s checked in on %(day)s: %(status)s, confidence %(confidence)s of 5.") % {
                    "name": name,
                    "day": _day(timezone.localdate(check_in.created_at)),
                    "status": check_in.get_status_display(),
                    "confidence": check_in.confidence,
                }
                items.append(DigestItem(text, url))
        if plan.state not in ACTIVE:
            continue
        for task in plan.tasks.all():
            if task.done_at is None and task.due_on < today:
                text = _("%(name)s: the step “%(step)s” was due on %(day)s.")
                items.append(DigestItem(text % {"name": name, "step": task.title, "day": _day(task.due_on)}, url))
        for goal in plan.goals.all():
            if goal.done_at is None and goal.deadline and goal.deadline < today:
                text = _("%(name)s: the goal “%(goal)s” passed its deadline of %(day)s.")
                items.append(DigestItem(text % {"name": name, "goal": goal.title, "day": _day(goal.deadline)}, url))
        if gone_quiet(plan, today=today):
            items.append(DigestItem(_("%(name)s has gone quiet: no check-in for a while.") % {"name": name}, url))
    return DigestSection(_("Your team's action plans"), items)


def support_section(person: Person, since: datetime.datetime) -> DigestSection | None:
    """For managers and trainers: requests for support still waiting for an answer."""
    waiting = support_requests_for_user(person.user, workspace=person.workspace).filter(answered_at__isnull=True)
    items = [
        DigestItem(
            _("%(name)s asks: “%(text)s”") % {"name": _name(r.plan), "text": r.text[:140]},
            reverse("plans:support_answer", args=[r.uuid]),
        )
        for r in waiting[:20]
    ]
    return DigestSection(_("Requests for support waiting for your answer"), items)


def participant_section(person: Person, since: datetime.datetime) -> DigestSection | None:
    """For a participant: the next check-in of each active plan and feedback received."""
    today = timezone.localdate()
    items = []
    enrolments = enrolments_for_person(person).select_related("action_plan").prefetch_related("action_plan__check_ins")
    for enrolment in enrolments:
        plan = getattr(enrolment, "action_plan", None)
        if plan is None or plan.state not in ACTIVE:
            continue
        due = next_check_in_due(plan)
        programme = enrolment.cohort.programme.name
        if due <= today:
            text = _("Your check-in for %(programme)s is due: tell your manager how it goes.")
        else:
            text = _("Your next check-in for %(programme)s is due on %(day)s.")
        items.append(DigestItem(text % {"programme": programme, "day": _day(due)}, plan.get_absolute_url()))
    feedback = Feedback.objects.filter(plan__enrolment__person=person, created_at__gt=since).select_related(
        "author__user", "plan"
    )
    for given in feedback:
        author = given.author.user.name if given.author else _("Someone")
        items.append(
            DigestItem(
                _("%(author)s left feedback on your action plan.") % {"author": author}, given.plan.get_absolute_url()
            )
        )
    cheers = Cheer.objects.filter(plan__enrolment__person=person, created_at__gt=since).select_related(
        "author__user", "plan"
    )
    for given in cheers:
        author = given.author.user.name if given.author else _("Someone")
        items.append(DigestItem(_("%(author)s cheered you on.") % {"author": author}, given.plan.get_absolute_url()))
    return DigestSection(_("Your action plans"), items)
