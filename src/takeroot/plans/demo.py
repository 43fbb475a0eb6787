"""Demo action plans in Nordwind: for the enrolments of running and finished cohorts, plans at
every stage (draft, waiting for review, approved, sent back), weekly check-ins over the past weeks
with believable values, manager feedback, a few open support requests, and accountability
buddies with their cheers.

The demo participant has an approved plan with check-ins; the demo manager has plans of their
reports waiting for approval. Called by core's demo builder once per demo workspace, inside its
scope and transaction, after the programmes demo. Written through the services; every random
choice comes from the ``rng`` passed in.
"""

import datetime
import random
from decimal import Decimal

from django.utils import timezone

from takeroot.core.demo import DEMO_SLUGS
from takeroot.core.models import Person, Workspace
from takeroot.programmes.enums import EnrolmentStatus
from takeroot.programmes.models import Enrolment

from . import buddies, services
from .enums import CheckInStatus, GoalKind, PlanState
from .models import ActionPlan
from .queries import buddy_candidates, objectives_for

NORDWIND = DEMO_SLUGS[0]
# (what changes, metric, unit, baseline, target): the 15 % lead-time example of seed 004 first.
NUMERIC = [
    ("Release faster with smaller changes", "Release lead time", "days", Decimal("10"), Decimal("8.5")),
    ("Fewer picking errors on my shift", "Picking errors", "%", Decimal("0.9"), Decimal("0.5")),
    ("Solve more calls in the first contact", "First-contact resolution", "%", Decimal("68"), Decimal("78")),
    (
        "Follow up key clients with the new technique",
        "Key clients followed up a month",
        "clients",
        Decimal("2"),
        Decimal("6"),
    ),
    ("Shorter, clearer weekly meetings", "Weekly meeting length", "minutes", Decimal("60"), Decimal("40")),
]
RATING = [
    ("Give feedback calmly in difficult conversations", Decimal("4"), Decimal("7")),
    ("Plan my week around priorities", Decimal("5"), Decimal("8")),
    ("Explain changes so the team understands why", Decimal("3"), Decimal("7")),
]
TASKS = [
    "Follow up 3 key clients with the new technique",
    "Try the checklist on two shifts and note what changes",
    "Ask a colleague to observe one conversation and give feedback",
    "Share one thing I learned in the team meeting",
]
ON_THE_JOB = "Lead the next pilot that uses the skill"
CHANGED = [
    "I now prepare the key points before each call; conversations are shorter.",
    "I use the new routine every morning, the team knows what to expect.",
    "Small batches made reviews easier; we ship twice a week now.",
    "",
]
OBSTACLES = ["Peak season took most of my time.", "Two colleagues were on leave.", "", "The tool is still slow."]
SUPPORT = [
    "Half a day with a colleague who already uses the technique.",
    "Time in the weekly meeting to try it with the team.",
    "Access to the reporting dashboard to see my numbers.",
]
FEEDBACK = [
    "Good progress — keep the weekly rhythm.",
    "I see the change in the team meetings. Let us talk about the pilot next week.",
    "Solid start. What would help you with the busy weeks?",
]
CHEERS = ["", "Great week — the numbers show it!", "Keep going, you are almost there.", "Nice idea with the checklist."]
STAGES = [PlanState.APPROVED, PlanState.APPROVED, PlanState.SUBMITTED, PlanState.DRAFT, PlanState.SENT_BACK]


def _person(workspace: Workspace, role: str) -> Person | None:
    return Person.objects.filter(workspace=workspace, user__email=f"{role}@demo.takeroot.test").first()


def build_action_plans_demo(workspace: Workspace, *, rng: random.Random, today: datetime.date) -> dict:
    """Give enrolments of Nordwind's running and finished cohorts action plans at every stage.

    Side effects: plans, goals, tasks, reviews, check-ins, feedback, support requests and their
    audit entries. Returns how many plans and check-ins it made; other workspaces get none."""
    counts = {"action plans": 0, "check-ins": 0}
    if workspace.slug != NORDWIND:
        return counts
    participant, manager = _person(workspace, "participant"), _person(workspace, "manager")
    enrolments = list(
        Enrolment.objects.filter(
            workspace=workspace,
            cohort__starts_on__lte=today,
            status__in=[EnrolmentStatus.ACTIVE, EnrolmentStatus.COMPLETED],
        )
        .select_related("person__user", "person__manager__user", "manager__user", "cohort")
        .order_by("cohort__starts_on", "person__user__name", "pk")
    )
    for index, enrolment in enumerate(enrolments):
        if index % 3 == 2 and enrolment.person != participant:
            continue  # not everyone opens a plan
        if enrolment.person == participant:
            stage = PlanState.APPROVED
        elif manager is not None and manager.pk in {enrolment.manager_id, enrolment.person.manager_id}:
            stage = PlanState.SUBMITTED if index % 2 == 0 else PlanState.APPROVED
        else:
            stage = STAGES[index % len(STAGES)]
        _plan(enrolment, stage, rng, today, counts)
    _buddies(workspace, participant, rng, counts)
    return counts


def _buddies(workspace: Workspace, participant: Person | None, rng: random.Random, counts: dict) -> None:
    """Every other approved plan gets a buddy from the cohort or team, with a cheer or two. The
    demo participant has one and is one. Buddies are set directly: the demo sends no mail."""
    counts["buddies"] = 0
    plans = ActionPlan.objects.filter(workspace=workspace, state=PlanState.APPROVED).select_related("enrolment__person")
    participant_cheers = False
    for index, plan in enumerate(plans.order_by("enrolment__person__user__name", "pk")):
        candidates = list(buddy_candidates(plan))
        own = plan.enrolment.person == participant
        if not own and not participant_cheers and participant in candidates:
            buddy, participant_cheers = participant, True
        elif (index % 2 and not own) or not candidates:
            continue
        else:
            buddy = rng.choice([c for c in candidates if c != participant] or candidates)
        ActionPlan.objects.filter(pk=plan.pk).update(buddy=buddy)
        for comment in rng.sample(CHEERS, rng.randint(1, 2)):
            goal = rng.choice([None, *plan.goals.all()])
            buddies.cheer(plan=plan, actor=buddy.user, author=buddy, goal=goal, comment=comment)
        counts["buddies"] += 1


def _plan(enrolment: Enrolment, stage: str, rng: random.Random, today: datetime.date, counts: dict) -> None:
    person = enrolment.person
    reviewer = enrolment.manager or person.manager
    actor = person.user
    plan = services.open_plan(enrolment=enrolment, actor=actor, opened_by=person)
    counts["action plans"] += 1
    title, metric, unit, baseline, target = rng.choice(NUMERIC)
    objective = objectives_for(plan).first()
    numeric = services.add_goal(
        plan=plan,
        actor=actor,
        kind=GoalKind.NUMERIC,
        title=title,
        metric=metric,
        unit=unit,
        baseline=baseline,
        target=target,
        deadline=today + datetime.timedelta(days=rng.randint(45, 120)),
        objective=objective,
    )
    title, low, high = rng.choice(RATING)
    rating = services.add_goal(
        plan=plan, actor=actor, kind=GoalKind.RATING, title=title, baseline=low, target=high, deadline=None
    )
    services.add_task(plan=plan, actor=actor, title=rng.choice(TASKS), due_on=today + datetime.timedelta(days=14))
    if stage == PlanState.DRAFT:
        return
    services.submit_plan(plan=plan, actor=actor)
    if stage == PlanState.SUBMITTED:
        return
    if stage == PlanState.SENT_BACK:
        services.send_back_plan(
            plan=plan,
            actor=reviewer.user if reviewer else None,
            reviewer=reviewer,
            comment="Please make the second goal measurable: what will your team notice?",
        )
        return
    services.approve_plan(
        plan=plan, actor=reviewer.user if reviewer else None, reviewer=reviewer, comment="Good plan — go ahead."
    )
    if reviewer is not None:
        services.add_task(
            plan=plan,
            actor=reviewer.user,
            title=ON_THE_JOB,
            due_on=today + datetime.timedelta(days=30),
            author=reviewer,
        )
    weeks = rng.randint(3, 7)
    first_day = today - datetime.timedelta(weeks=weeks, days=1)
    start = timezone.make_aware(datetime.datetime.combine(first_day, datetime.time(9)))
    ActionPlan.objects.filter(pk=plan.pk).update(created_at=start)
    value, score = numeric.baseline, rating.baseline
    step = (numeric.target - numeric.baseline) / Decimal(weeks + 3)
    last = None
    for week in range(1, weeks + 1):
        # Mostly toward the target, now and then a step back.
        value = (value + step * Decimal(rng.choice([1, 1, 1, 2, -1]))).quantize(Decimal("0.1"))
        score = min(Decimal(10), max(Decimal(1), score + rng.choice([0, 0, 1])))
        support = rng.choice(SUPPORT) if week == weeks and rng.random() < 0.4 else ""
        last = services.record_check_in(
            plan=plan,
            actor=actor,
            author=person,
            status=rng.choice([CheckInStatus.ON_TRACK, CheckInStatus.ON_TRACK, CheckInStatus.AT_RISK]),
            confidence=rng.randint(3, 5),
            values={numeric.uuid: value, rating.uuid: score},
            changed_work=rng.choice(CHANGED),
            obstacles=rng.choice(OBSTACLES),
            support_needed=support,
            created_at=start + datetime.timedelta(weeks=week),
        )
        counts["check-ins"] += 1
    if reviewer is not None and last is not None:
        services.give_feedback(
            plan=plan,
            actor=reviewer.user,
            author=reviewer,
            comment=rng.choice(FEEDBACK),
            rating=rng.randint(3, 5),
            check_in=last,
        )
