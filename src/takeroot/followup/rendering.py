"""Rendering a touchpoint and judging its conditions: what the delivery sends and why it skips.

``load_facts`` reads, for a batch of touchpoints, what rendering and the conditions need (plans,
goals, last check-ins, preferences, sessions, delivery settings) in a fixed number of queries;
``skip_reason`` says why a touchpoint must not go out now; ``render_one`` writes its subject and
bodies in the recipient's language and time zone, with the one-click links of its kind.
"""

import datetime
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import timedelta

from django.conf import settings
from django.db.models import Max
from django.template.loader import get_template
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.html import linebreaks
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from takeroot.core.models import Person
from takeroot.plans.enums import PlanState
from takeroot.plans.models import ActionGoal, ActionPlan, CheckIn
from takeroot.programmes.enums import EnrolmentStatus
from takeroot.programmes.models import Enrolment

from . import step_kinds
from .enums import Audience, LinkPurpose, StepKind, TouchpointState
from .models import PLACEHOLDER, DeliverySettings, Preference, Step, Touchpoint

TOUCHPOINT_RELATED = (
    "enrolment__cohort__programme",
    "enrolment__person__user",
    "enrolment__person__manager__user",
    "enrolment__manager__user",
    "recipient__user",
)


@dataclass(frozen=True)
class Rendered:
    subject: str
    text: str
    html: str
    headers: dict
    url: str


# What rendering and conditions need besides the touchpoint ---------------------------------------


@dataclass
class Facts:
    """Plans, goals, last check-ins, preferences and settings for a batch, loaded in bulk."""

    now: datetime.datetime
    plans: dict[int, ActionPlan] = field(default_factory=dict)  # by enrolment id
    goals: dict[int, list[ActionGoal]] = field(default_factory=dict)  # by plan id
    last_check_in: dict[int, datetime.datetime] = field(default_factory=dict)  # by plan id
    preferences: dict[int, Preference] = field(default_factory=dict)  # by user id
    settings: dict[int, DeliverySettings | None] = field(default_factory=dict)  # by workspace id
    sessions: dict[int, list] = field(default_factory=dict)  # by enrolment id, filled when asked
    extra: dict = field(default_factory=dict)  # what registered kinds and conditions loaded, by their key

    def plan(self, touchpoint: Touchpoint) -> ActionPlan | None:
        return self.plans.get(touchpoint.enrolment_id)

    def goals_of(self, plan: ActionPlan | None) -> list[ActionGoal]:
        return self.goals.get(plan.pk, []) if plan else []

    def upcoming_sessions(self, enrolment: Enrolment) -> list:
        if enrolment.pk not in self.sessions:
            from .sessions import upcoming_sessions_for

            self.sessions[enrolment.pk] = list(upcoming_sessions_for(enrolment))
        return self.sessions[enrolment.pk]


def load_facts(touchpoints: list[Touchpoint], now: datetime.datetime) -> Facts:
    facts = Facts(now=now)
    enrolment_ids = {tp.enrolment_id for tp in touchpoints}
    facts.plans = {
        plan.enrolment_id: plan
        for plan in ActionPlan.objects.filter(enrolment_id__in=enrolment_ids).only(
            "id", "uuid", "enrolment_id", "state", "workspace_id"
        )
    }
    plan_ids = [plan.pk for plan in facts.plans.values()]
    if plan_ids:
        for goal in ActionGoal.objects.filter(plan_id__in=plan_ids).only("id", "plan_id", "title", "done_at"):
            facts.goals.setdefault(goal.plan_id, []).append(goal)
        if any(tp.step.if_no_check_in_days is not None for tp in touchpoints):
            facts.last_check_in = dict(
                CheckIn.objects.filter(plan_id__in=plan_ids)
                .values("plan_id")
                .annotate(last=Max("created_at"))
                .values_list("plan_id", "last")
            )
    user_ids = {tp.recipient.user_id for tp in touchpoints}
    facts.preferences = {p.user_id: p for p in Preference.objects.filter(user_id__in=user_ids)}
    for load in step_kinds.loaders():
        load(touchpoints, facts)
    return facts


def delivery_settings_of(facts: Facts, workspace_id: int) -> DeliverySettings | None:
    if workspace_id not in facts.settings:
        facts.settings[workspace_id] = DeliverySettings.objects.filter(workspace_id=workspace_id).first()
    return facts.settings[workspace_id]


# Conditions --------------------------------------------------------------------------------------

# Stored untranslated (like the scheduler's reasons) and translated where they are shown.
REASON_WITHDRAWN = gettext_noop("The enrolment was withdrawn.")
REASON_UNSUBSCRIBED = gettext_noop("Unsubscribed from optional mail.")
REASON_APPROVED = gettext_noop("The action plan is already approved.")
REASON_PLAN_DONE = gettext_noop("Every goal of the action plan is reached.")
REASON_CHECKED_IN = gettext_noop("Checked in recently enough for this step.")
REASON_NO_SESSION = gettext_noop("No follow-up session scheduled.")
REASON_TOO_LATE = gettext_noop("Due more than a week ago: too late to send.")
# Someone enrolled into a running cohort, or a step added to one, would otherwise get every
# message of the weeks behind them at once.
TOO_LATE = timedelta(days=7)


def skip_reason(touchpoint: Touchpoint, facts: Facts) -> tuple[str, str] | None:
    """``(state, reason)`` when the touchpoint must not go out now, else ``None``. Reasons are
    stored untranslated and shown in the reader's language."""
    step, enrolment = touchpoint.step, touchpoint.enrolment
    if enrolment.status == EnrolmentStatus.WITHDRAWN or enrolment.withdrawn_at:
        return TouchpointState.CANCELLED, REASON_WITHDRAWN
    if touchpoint.due_at < facts.now - TOO_LATE:
        return TouchpointState.SKIPPED, REASON_TOO_LATE
    preference = facts.preferences.get(touchpoint.recipient.user_id)
    if not step.essential and preference is not None and not preference.optional_mail:
        return TouchpointState.SKIPPED, REASON_UNSUBSCRIBED
    plan = facts.plan(touchpoint)
    if step.only_if_plan_not_approved and plan is not None and plan.state == PlanState.APPROVED:
        return TouchpointState.SKIPPED, REASON_APPROVED
    goals = facts.goals_of(plan)
    if step.stop_when_plan_done and goals and all(goal.done_at for goal in goals):
        return TouchpointState.SKIPPED, REASON_PLAN_DONE
    if step.if_no_check_in_days is not None and plan is not None:
        last = facts.last_check_in.get(plan.pk)
        if last is not None and last >= facts.now - timedelta(days=step.if_no_check_in_days):
            return TouchpointState.SKIPPED, REASON_CHECKED_IN
    if step.kind == StepKind.SESSION_INVITATION and not facts.upcoming_sessions(enrolment):
        return TouchpointState.SKIPPED, REASON_NO_SESSION
    for skip in step_kinds.skippers_for(step.kind):
        if found := skip(touchpoint, facts):
            return found
    return None


# Rendering ---------------------------------------------------------------------------------------


def _absolute(path: str) -> str:
    return f"{settings.BASE_URL}{path}"


class _Values:
    """The placeholders' values for one touchpoint, each computed once and only when used (the
    links are signed tokens; most texts use none or few of them)."""

    def __init__(self, touchpoint: Touchpoint, plan: ActionPlan | None, goals: list, link_person: Person | None):
        self.touchpoint, self.plan, self.goals, self.link_person = touchpoint, plan, goals, link_person
        self.found: dict[str, str] = {}
        enrolment = touchpoint.enrolment
        manager = enrolment.manager or enrolment.person.manager
        self.getters: dict[str, Callable[[], str]] = {
            "name": lambda: touchpoint.recipient.user.name,
            "participant": lambda: enrolment.person.user.name,
            "programme": lambda: enrolment.cohort.programme.name,
            "cohort": lambda: enrolment.cohort.name,
            "plan_link": self.plan_url,
            "goal": lambda: goals[0].title if goals else "",
            "check_in_link": self.check_in_url,
            "manager": lambda: manager.user.name if manager else "",
        }

    def __getitem__(self, key: str) -> str:
        if key not in self.found:
            self.found[key] = self.getters[key]()
        return self.found[key]

    def fill(self, text: str) -> str:
        """Replace the known placeholders; anything else in braces stays as typed."""

        def replace(match: re.Match) -> str:
            key = match.group(1)
            return self[key] if key in self.getters else match.group(0)

        return PLACEHOLDER.sub(replace, text) if "{" in text else text

    def link(self, purpose: str, target: str = "") -> str:
        if self.link_person is None:
            return ""
        from .links import link_url

        touchpoint = self.touchpoint if self.touchpoint.pk else None
        return link_url(person=self.link_person, purpose=purpose, target=target, touchpoint=touchpoint)

    def plan_url(self) -> str:
        if self.plan is not None:
            return _absolute(reverse("plans:plan_detail", args=[self.plan.uuid]))
        return _absolute(reverse("plans:plan_open", args=[self.touchpoint.enrolment.uuid]))

    def check_in_url(self) -> str:
        if self.plan is None:
            return self.plan_url()
        return self.link(LinkPurpose.CHECK_IN, str(self.plan.uuid)) or self.plan_url()


def _when(start: datetime.datetime) -> str:
    local = timezone.localtime(start)
    return f"{formats.date_format(local, 'DATE_FORMAT')} {formats.time_format(local, 'TIME_FORMAT')}"


def _session_parts(touchpoint: Touchpoint, facts: Facts, values: _Values) -> list[dict]:
    from .models import Invitation

    sessions = facts.upcoming_sessions(touchpoint.enrolment)
    invitations = {
        i.session_id: i for i in Invitation.objects.filter(session__in=sessions, person_id=touchpoint.recipient_id)
    }
    parts = []
    for session in sessions:
        invitation = invitations.get(session.pk)
        part = {
            "title": session.title,
            "when": _when(session.starts_at),
            "place": session.place,
            "online_link": session.online_link,
            "url": _absolute(session.get_absolute_url()),
        }
        if invitation is not None:
            part["attend_url"] = values.link(LinkPurpose.CONFIRM_ATTENDANCE, f"{invitation.uuid}:attending")
            part["decline_url"] = values.link(LinkPurpose.CONFIRM_ATTENDANCE, f"{invitation.uuid}:declined")
        parts.append(part)
    return parts


def _agenda(values: _Values, goals: list[ActionGoal]) -> list[str]:
    agenda = [
        _("What %(participant)s learned in %(programme)s and what they try out at work.")
        % {"participant": values["participant"], "programme": values["programme"]},
        _("Their action plan: %(goals)s.") % {"goals": "; ".join(g.title for g in goals)}
        if goals
        else _("Their action plan, once they have written it."),
        _("The support they need from you, and when you will talk again."),
    ]
    return agenda


def _template(name: str):
    return get_template(f"mail/followup_touchpoint.{name}")


def render_one(
    touchpoint: Touchpoint, facts: Facts, *, link_person: Person | None = None, test: bool = False
) -> Rendered:
    step, enrolment, user = touchpoint.step, touchpoint.enrolment, touchpoint.recipient.user
    plan = facts.plan(touchpoint)
    goals = facts.goals_of(plan)
    to_participant = touchpoint.recipient_id == enrolment.person_id
    with translation.override(user.language), timezone.override(user.timezone):
        values = _Values(touchpoint, plan, goals, link_person)
        content = step.text_for(user.language)
        subject = values.fill(content.get("subject") or str(step.get_kind_display()))
        body = values.fill(content.get("body") or "")
        context = {"subject": subject, "body": body, "test": test, "essential": step.essential}
        url = ""
        if step.kind == StepKind.MATERIAL:
            context["checklist"] = [values.fill(item) for item in content.get("checklist") or [] if item]
            context["material_url"] = url = step.material_url
        elif step.kind == StepKind.CHECK_IN:
            url = values.check_in_url()
            context["action"] = {"url": url, "label": _("Check in now")}
        elif step.kind == StepKind.ACTION_PLAN:
            url = values.plan_url()
            context["action"] = {"url": url, "label": _("Open your action plan")}
        elif step.kind == StepKind.SESSION_INVITATION:
            context["sessions"] = _session_parts(touchpoint, facts, values)
            url = context["sessions"][0]["url"] if context["sessions"] else ""
        elif step.kind == StepKind.MANAGER_TALK:
            context["agenda"] = _agenda(values, goals)
            url = values.plan_url()
            context["action"] = {"url": url, "label": _("See the action plan")}
        elif hooks := step_kinds.hooks_for(step.kind):
            extra = hooks.render(touchpoint, facts, values.link, bool(touchpoint.pk) and not test)
            context["extra_text"], context["extra_html"], url = extra.text, mark_safe(extra.html), extra.url
        if to_participant:
            context["question_url"] = values.link(LinkPurpose.ASK_QUESTION, str(enrolment.cohort.uuid))
        headers = {"Auto-Submitted": "auto-generated"}
        if touchpoint.pk and not test:
            headers["Message-ID"] = f"<touchpoint-{touchpoint.uuid}@takeroot>"
        if not step.essential and not test:
            from .links import unsubscribe_headers, unsubscribe_url

            context["unsubscribe_url"] = unsubscribe_url(user)
            headers.update(unsubscribe_headers(user, url=context["unsubscribe_url"]))
        # The subject template only adds the test mark: skip it for the thousands of real ones.
        subject_line = " ".join((_template("subject.txt").render(context) if test else subject).split())
        text = _template("txt").render(context)
        context["body_html"] = mark_safe(linebreaks(body, autoescape=True))  # escaped by linebreaks
        html = _template("html").render(context)
    return Rendered(subject=subject_line, text=text, html=html, headers=headers, url=url)


def attach_steps(touchpoints: Iterable[Touchpoint]) -> list[Touchpoint]:
    """Give the touchpoints their steps from one query (a step is shared by many rows)."""
    touchpoints = list(touchpoints)
    steps = {s.pk: s for s in Step.objects.filter(pk__in={tp.step_id for tp in touchpoints})}
    for tp in touchpoints:
        tp.step = steps[tp.step_id]
    return touchpoints


def render(touchpoint: Touchpoint) -> Rendered:
    """The touchpoint as its recipient will get it: subject, plain text, HTML, headers and the
    main link. Works for an unsaved touchpoint too (the design preview): links are then not
    bound to it. No writes apart from the one-click links' tokens."""
    facts = load_facts([touchpoint], timezone.now())
    return render_one(touchpoint, facts, link_person=touchpoint.recipient)


def audience_person(step: Step, enrolment: Enrolment) -> Person | None:
    """Who a step of this audience goes to for this enrolment (``None`` when nobody is named)."""
    if step.audience == Audience.MANAGER:
        return enrolment.manager or enrolment.person.manager
    if step.audience == Audience.MENTOR:
        return enrolment.mentor
    if step.audience == Audience.TRAINER:
        return enrolment.cohort.trainers.order_by("pk").first()
    if step.audience == Audience.BUDDY:
        plan = ActionPlan.objects.filter(enrolment=enrolment).select_related("buddy__user").first()
        return plan.buddy if plan else None
    return enrolment.person
