"""Benchmark: materialise the follow-up touchpoints of a 5,000-person cohort.

Run from the repository root: ``.venv/bin/python bench/followup_materialise.py``. On a fresh
SQLite database it builds a programme with a ten-step design like the default one (a repeating
check-in reminder among them), a cohort with sessions, two trainers and 5,000 enrolled people in
three time zones, each with a line manager, then times one ``materialise_cohort`` pass (every
touchpoint created) and a second pass after the cohort's end moved (every pending one moved).
It prints ``BENCH`` lines (wall clock, and the first pass's processor time as well); the target
is under 5 s for the first pass.
"""

import datetime
import time

from _fresh import in_fresh_installation

PEOPLE = 5_000
TIME_ZONES = ["Europe/Warsaw", "Europe/Stockholm", "Asia/Shanghai"]
# (kind, audience, anchor, offset in days): the shape of the default design.
STEPS = [
    ("action_plan", "participant", "last_session", 1),
    ("material", "participant", "last_session", 3),
    ("material", "participant", "last_session", 7),
    ("check_in", "participant", "last_session", 7),
    ("session_invitation", "participant", "last_session", 14),
    ("manager_talk", "manager", "last_session", 21),
    ("message", "participant", "last_session", 30),
    ("message", "participant", "last_session", 42),
    ("message", "trainer", "last_session", 45),
    ("message", "participant", "last_session", 90),
]


def run() -> None:
    from django.contrib.auth.hashers import make_password
    from django.db.models import F
    from django.utils import timezone

    from takeroot.core.models import Person, User
    from takeroot.core.scope import across_workspaces
    from takeroot.core.services import create_workspace
    from takeroot.followup.materialise import materialise_cohort
    from takeroot.followup.models import Design, Step, Touchpoint
    from takeroot.programmes.models import Cohort, Enrolment, Programme, Session

    workspace = create_workspace(name="Bench", slug="bench")
    with across_workspaces():
        password = make_password(None)
        users = User.objects.bulk_create(
            User(
                email=f"person{n}@bench.test",
                name=f"Person Number {n}",
                password=password,
                timezone=TIME_ZONES[n % len(TIME_ZONES)],
            )
            for n in range(PEOPLE + 52)
        )
        people = Person.objects.bulk_create(Person(workspace=workspace, user=user) for user in users)
        trainers, managers, participants = people[:2], people[2:52], people[52:]
        for n, person in enumerate(participants):
            person.manager = managers[n % len(managers)]
        Person.objects.bulk_update(participants, ["manager"])

        programme = Programme.objects.create(workspace=workspace, name="Leading teams")
        design = Design.objects.create(workspace=workspace, programme=programme, name="Default follow-up")
        Step.objects.bulk_create(
            Step(
                workspace=workspace,
                design=design,
                position=position,
                kind=kind,
                audience=audience,
                anchor=anchor,
                offset_days=offset,
                content={"en": {"subject": f"Step {position}", "body": "Hello {name}"}},
            )
            for position, (kind, audience, anchor, offset) in enumerate(STEPS)
        )
        today = timezone.localdate()
        cohort = Cohort.objects.create(
            workspace=workspace,
            programme=programme,
            name="Spring",
            starts_on=today,
            ends_on=today + datetime.timedelta(days=14),
        )
        cohort.trainers.set(trainers)
        for day in (0, 7, 14):
            starts = timezone.now().replace(hour=8, minute=0, second=0, microsecond=0) + datetime.timedelta(days=day)
            Session.objects.create(
                workspace=workspace,
                cohort=cohort,
                title=f"Day {day}",
                starts_at=starts,
                ends_at=starts + datetime.timedelta(hours=6),
            )
        Enrolment.objects.bulk_create(
            Enrolment(workspace=workspace, cohort=cohort, person=person, manager=person.manager, status="active")
            for person in participants
        )

        started, cpu = time.perf_counter(), time.process_time()
        first = materialise_cohort(cohort)
        seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
        count = Touchpoint.objects.count()
        assert first.created == count, (first, count)

        week = datetime.timedelta(days=7)
        Session.objects.filter(cohort=cohort).update(starts_at=F("starts_at") + week, ends_at=F("ends_at") + week)
        started = time.perf_counter()
        second = materialise_cohort(cohort)
        moved_seconds = time.perf_counter() - started
        assert second.moved == count, (second, count)

        started = time.perf_counter()
        third = materialise_cohort(cohort)
        unchanged_seconds = time.perf_counter() - started
        assert (third.created, third.moved, third.cancelled) == (0, 0, 0), third

    print(f"BENCH followup_materialise_5000 {seconds:.2f} s")
    # The processor time of this process alone: the wall-clock figure grows on a busy machine.
    print(f"BENCH followup_materialise_5000_cpu {cpu:.2f} s")
    print(f"BENCH followup_materialise_5000_touchpoints {count} touchpoints")
    print(f"BENCH followup_materialise_5000_moved {moved_seconds:.2f} s")
    print(f"BENCH followup_materialise_5000_unchanged {unchanged_seconds:.2f} s")


if __name__ == "__main__":
    in_fresh_installation(run)
