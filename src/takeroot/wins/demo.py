"""Demo wins in Nordwind: a win for every demo goal that was reached (made here directly, not
through the goal-reached signal), achievements marked by the demo manager and a trainer, mixed
sharing choices, reactions, last month's digest sent and this month's waiting as a draft.

Called by core's demo builder once per demo workspace, inside its scope and transaction, after
the action-plans demo. No mail is queued. Every random choice comes from the ``rng`` passed in.
"""

import datetime
import random

from django.core.exceptions import ValidationError
from django.utils import timezone

from takeroot.core.demo import DEMO_SLUGS
from takeroot.core.models import Person, Workspace
from takeroot.plans.models import ActionGoal, CheckInValue

from .digests import create_digest, previous_month
from .enums import DigestState, ReactionKind, Sharing, WinSource
from .models import Reaction, Win, WinsDigest
from .services import goal_win_title

NORDWIND = DEMO_SLUGS[0]
MARKED = [
    ("Led the first pilot of the new picking routine", "Two shifts now use it; errors fell in the first week."),
    ("Ran the team retro with the new facilitation technique", "Everyone spoke; three actions agreed and owned."),
    ("Closed the Hansa Freight renewal", "Used the follow-up technique from the training with three key contacts."),
    ("Coached a new colleague through the first release", "Shared the checklist and paired twice."),
    ("Cut the weekly meeting to 35 minutes", "A clear agenda sent the day before made the difference."),
]
INTRO = "A month of small changes that added up. Thank you to everyone who shared their win!"


def _person(workspace: Workspace, role: str) -> Person | None:
    return Person.objects.filter(workspace=workspace, user__email=f"{role}@demo.takeroot.test").first()


def _moment(day: datetime.date, hour: int) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def build_wins_demo(workspace: Workspace, *, rng: random.Random, today: datetime.date) -> dict:
    """Give Nordwind wins, reactions and two digests. Returns what it made; other workspaces get none."""
    counts = {"wins": 0, "reactions": 0, "digests": 0}
    if workspace.slug != NORDWIND:
        return counts
    now = timezone.now()
    this_month, last_month = today.replace(day=1), previous_month(today)
    wins = []
    goals = ActionGoal.objects.filter(workspace=workspace, done_at__isnull=False).select_related(
        "plan__enrolment__person", "plan__enrolment__cohort"
    )
    for goal in goals.order_by("done_at", "pk"):
        found = CheckInValue.objects.filter(goal=goal, check_in__created_at=goal.done_at).first()
        sharing = rng.choice([Sharing.SHARED, Sharing.SHARED, Sharing.PRIVATE, Sharing.PENDING])
        wins.append(
            _win(
                workspace,
                person=goal.plan.enrolment.person,
                goal=goal,
                title=goal_win_title(goal, found.value if found else goal.target),
                created_at=goal.done_at,
                sharing=sharing,
                now=now,
            )
        )
    manager, participant, trainer = (_person(workspace, r) for r in ("manager", "participant", "trainer"))
    people = list(
        Person.objects.filter(workspace=workspace, manager=manager).exclude(pk=getattr(participant, "pk", None))
    )
    # Slots that put shared wins in last month and this month, so both digests have content.
    early_this_month = max(_moment(this_month, 9), now - datetime.timedelta(days=3))
    slots = [
        (_moment(last_month.replace(day=8), 10), Sharing.SHARED),
        (_moment(last_month.replace(day=19), 14), Sharing.SHARED),
        (_moment(last_month.replace(day=24), 11), Sharing.PRIVATE),
        (min(early_this_month, now), Sharing.SHARED),
    ]
    for (title, story), (moment, sharing), person in zip(MARKED, slots, people, strict=False):
        wins.append(
            _win(
                workspace,
                person=person,
                title=title,
                story=story,
                created_at=moment,
                sharing=sharing,
                marked_by=manager,
                now=now,
            )
        )
    if participant is not None:
        title, story = MARKED[-1]
        wins.append(
            _win(
                workspace,
                person=participant,
                title=title,
                story=story,
                created_at=_moment(last_month.replace(day=14), 9),
                sharing=Sharing.SHARED,
                marked_by=trainer or manager,
                now=now,
            )
        )
        wins.append(
            _win(
                workspace,
                person=participant,
                title="Gave calm, clear feedback in a difficult review",
                story="",
                created_at=min(early_this_month, now),
                sharing=Sharing.PENDING,
                marked_by=manager,
                now=now,
            )
        )
    counts["wins"] = len(wins)
    everyone = list(Person.objects.filter(workspace=workspace).order_by("pk"))
    reactions = []
    for win in wins:
        if win.sharing != Sharing.SHARED:
            continue
        for person in rng.sample(everyone, k=min(len(everyone), rng.randint(1, 6))):
            kinds = rng.sample(ReactionKind.values, k=rng.randint(1, 2))
            reactions += [Reaction(workspace=workspace, win=win, person=person, kind=kind) for kind in kinds]
    Reaction.objects.bulk_create(reactions)
    counts["reactions"] = len(reactions)
    admin = _person(workspace, "admin")
    for month in (last_month, this_month):
        try:
            digest = create_digest(workspace=workspace, actor=None, month=month)
        except ValidationError:
            continue  # a month without shared wins has no digest
        counts["digests"] += 1
        if month == last_month:
            WinsDigest.objects.filter(pk=digest.pk).update(
                intro=INTRO, state=DigestState.SENT, sent_at=min(_moment(this_month, 9), now), sent_by=admin
            )
    return counts


def _win(workspace, *, person, title, created_at, sharing, now, goal=None, story="", marked_by=None) -> Win:
    shared_at = min(created_at + datetime.timedelta(hours=20), now) if sharing == Sharing.SHARED else None
    return Win.objects.create(
        workspace=workspace,
        person=person,
        plan=goal.plan if goal else None,
        goal=goal,
        cohort=goal.plan.enrolment.cohort if goal else None,
        title=title,
        story=story,
        source=WinSource.GOAL_REACHED if goal else WinSource.MARKED,
        marked_by=marked_by,
        sharing=sharing,
        created_at=created_at,
        shared_at=shared_at,
    )
