"""Demo peer learning in Nordwind: pairs and small groups in the running cohorts (teams mixed),
community threads with replies in two cohorts (one reply hidden by the trainer), a group
thread, and training ambassadors in two teams with an insight each.

Called by core's demo builder once per demo workspace, inside its scope and transaction, after
the programmes and action-plan demos. Written through the services; every random choice comes
from the ``rng`` passed in.
"""

import datetime
import random

from django.core.exceptions import ValidationError
from django.utils import timezone

from takeroot.core.demo import DEMO_SLUGS
from takeroot.core.models import Person, Team, Workspace
from takeroot.programmes.enums import EnrolmentStatus
from takeroot.programmes.models import Cohort

from . import services
from .enums import GroupingMode
from .models import PeerGroup

NORDWIND = DEMO_SLUGS[0]
THREADS = [
    (
        "What did you try in the first week?",
        "I tried the new checklist on two shifts. The handover took five minutes less. What did you try?",
        [
            "I used the feedback model with one colleague. It felt stiff, but the talk was calmer than usual.",
            "The smaller changes idea: we split one big release in three. Notes here: https://wiki.nordwind.example/devops/batches",
            "Not much yet, peak season. Planning to start Monday.",
        ],
    ),
    (
        "Materials from the second day",
        "The trainer's slides and the exercise sheets, for anyone who missed them.",
        ["Thanks! The exercise on difficult conversations was the most useful for me."],
    ),
    (
        "How do you find time to practise?",
        "Between calls and meetings I never get to the practice task. How do you fit it in?",
        [
            "I block 30 minutes on Tuesday morning in the calendar and treat it like a meeting.",
            "My manager agreed that I lead the next pilot, so the practice is part of the work now.",
        ],
    ),
]
HIDDEN_REPLY = "Buy cheap watches at www.example.com/deal"
INSIGHTS = [
    (
        "Three things from the DevOps training worth trying here",
        "Smaller batches, a visible board and a short weekly look back. I can show the board in our next team meeting.",
        "Good idea, let us take 15 minutes for it on Thursday.",
    ),
    (
        "A calmer way to give feedback",
        "The model from the training: what I saw, its effect, what I ask for. "
        "It made one hard talk much easier for me.",
        "Thanks for sharing, I will try it in my next one-to-one.",
    ),
]


def _person(workspace: Workspace, role: str) -> Person | None:
    return Person.objects.filter(workspace=workspace, user__email=f"{role}@demo.takeroot.test").first()


def build_peers_demo(workspace: Workspace, *, rng: random.Random, today: datetime.date) -> dict:
    """Groups, threads, replies and ambassadors in Nordwind; other workspaces get none.

    Side effects: the rows and their audit entries. Returns how many of each it made."""
    counts = {"peer groups": 0, "threads": 0, "posts": 0, "ambassadors": 0}
    if workspace.slug != NORDWIND:
        return counts
    running = list(
        Cohort.objects.filter(workspace=workspace, starts_on__lte=today, ends_on__gte=today)
        .prefetch_related("trainers")
        .order_by("starts_on", "pk")
    )
    participant = _person(workspace, "participant")
    for index, cohort in enumerate(running):
        mode = GroupingMode.MIXED_TEAMS if index % 2 == 0 else GroupingMode.SAME_TEAM
        try:
            counts["peer groups"] += len(services.form_groups(cohort=cohort, actor=None, size=3, mode=mode))
        except ValidationError:
            continue  # fewer than two participants to group
    # The demo participant's running cohort first, so their community has threads.
    running.sort(key=lambda c: 0 if participant and c.enrolments.filter(person=participant).exists() else 1)
    now = timezone.now()
    for number, cohort in enumerate(running[:2]):
        _community(cohort, rng, now - datetime.timedelta(days=6 - number), counts, hide=number == 0)
    _ambassadors(workspace, participant, now, counts)
    return counts


def _people_of(cohort: Cohort) -> list[Person]:
    return list(
        Person.objects.filter(enrolments__cohort=cohort)
        .exclude(enrolments__status=EnrolmentStatus.WITHDRAWN)
        .select_related("user")
        .order_by("user__name", "pk")
    )


def _community(cohort: Cohort, rng: random.Random, start: datetime.datetime, counts: dict, *, hide: bool) -> None:
    people = _people_of(cohort)
    trainer = cohort.trainers.first()
    if len(people) < 3:
        return
    moment = start
    for title, text, replies in THREADS:
        author = rng.choice(people)
        thread = services.start_thread(
            author=author, actor=author.user, cohort=cohort, title=title, text=text, now=moment
        )
        counts["threads"] += 1
        counts["posts"] += 1
        for answer in replies:
            moment += datetime.timedelta(hours=rng.randint(2, 20))
            someone = rng.choice([p for p in people if p != author])
            services.reply(thread=thread, author=someone, actor=someone.user, text=answer, now=moment)
            counts["posts"] += 1
        moment += datetime.timedelta(hours=3)
    if trainer is not None:
        services.set_pinned(thread=thread, actor=trainer.user, pinned=True)
    if hide:
        spammer = people[-1]
        post = services.reply(thread=thread, author=spammer, actor=spammer.user, text=HIDDEN_REPLY, now=moment)
        counts["posts"] += 1
        services.hide_post(
            post=post,
            moderator=trainer,
            actor=trainer.user if trainer else None,
            reason="Advertising is not allowed here.",
        )
    group = PeerGroup.objects.filter(cohort=cohort).prefetch_related("memberships__person__user").first()
    members = [m.person for m in group.memberships.all()] if group else []
    if len(members) >= 2:
        thread = services.start_thread(
            author=members[0],
            actor=members[0].user,
            group=group,
            title="Our check-in call this week",
            text="Shall we meet on Thursday at 15:00 to go through our action plans?",
            now=moment,
        )
        services.reply(
            thread=thread,
            author=members[1],
            actor=members[1].user,
            text="Thursday works for me. I will bring the numbers from last week.",
            now=moment + datetime.timedelta(hours=1),
        )
        counts["threads"] += 1
        counts["posts"] += 2


def _ambassadors(workspace: Workspace, participant: Person | None, now: datetime.datetime, counts: dict) -> None:
    teams = []
    if participant is not None and participant.team_id:
        teams.append(participant.team)
    for team in Team.objects.filter(workspace=workspace).order_by("name", "pk"):
        if len(teams) == 2:
            break
        if team not in teams and Person.objects.filter(team=team).count() >= 3:
            teams.append(team)
    for team, (title, text, answer) in zip(teams, INSIGHTS, strict=False):
        members = list(Person.objects.filter(team=team).select_related("user").order_by("user__name", "pk"))
        ambassador = next((p for p in members if p == participant), None) or next(
            (p for p in members if not p.is_manager), members[0]
        )
        boss = ambassador.manager
        services.name_ambassador(team=team, person=ambassador, actor=boss.user if boss else None, named_by=boss)
        counts["ambassadors"] += 1
        thread = services.start_thread(
            author=ambassador,
            actor=ambassador.user,
            team=team,
            title=title,
            text=text,
            now=now - datetime.timedelta(days=2),
        )
        reader = next((p for p in members if p != ambassador), None)
        if reader is not None:
            services.reply(
                thread=thread, author=reader, actor=reader.user, text=answer, now=now - datetime.timedelta(days=1)
            )
        counts["threads"] += 1
