"""Benchmark: choose the quiz questions due for 20,000 participants of a 200-question programme.

Run from the repository root: ``.venv/bin/python bench/quizzes_due.py``. On a fresh SQLite
database it enrols 20,000 people in one programme with 200 questions and gives them realistic
memory states: each has met the first 0–120 questions of the bank (about 1.2 million states), a
third of those retired, a fifth overdue, the rest due in the coming weeks; a few questions are
archived. It then times one ``choose_due`` call for all 20,000 (overdue questions first, then new
ones by position) and prints ``BENCH`` lines. The target is under 5 s.
"""

import datetime
import itertools
import random
import time
import uuid

from _fresh import in_fresh_installation

PEOPLE = 20_000
QUESTIONS = 200
MOST_MET = 120
NOW = datetime.datetime(2026, 10, 5, 9, 0, tzinfo=datetime.UTC)
DAY = datetime.timedelta(days=1)


def _bank(workspace, programme) -> list:
    from takeroot.quizzes.models import Question

    content = {"en": {"prompt": "Which one?", "explanation": "Because.", "options": ["A", "B", "C"]}}
    return Question.objects.bulk_create(
        Question(
            workspace=workspace,
            programme=programme,
            position=position,
            content=content,
            correct=[1],
            archived_at=NOW - 30 * DAY if position % 50 == 7 else None,
        )
        for position in range(QUESTIONS)
    )


def _insert_states(workspace, enrolments: list, questions: list, rng: random.Random) -> None:
    """Each person met a prefix of the bank: retired, overdue or due later. Inserted with plain
    ``executemany``, sequential UUIDs (appended to their index, not scattered through it) and
    without syncing to disk: 1.2 million model instances would make the setup, not the code under
    test, the slow part. The database is thrown away afterwards."""
    from django.db import connection

    from takeroot.quizzes.models import MemoryState

    adapt = connection.ops.adapt_datetimefield_value
    retired = adapt(NOW - 3 * DAY)
    columns = "workspace_id, uuid, enrolment_id, question_id, state, stability, difficulty, due, last_review, "
    columns += "reviews, lapses, streak, retired_at"
    sql = f"INSERT INTO {MemoryState._meta.db_table} ({columns}) VALUES ({', '.join(['%s'] * 13)})"

    serial = itertools.count(1)

    def rows():
        for enrolment in enrolments:
            for question in questions[: rng.randint(0, MOST_MET)]:
                roll = rng.random()
                due = NOW + (rng.uniform(-12, -0.1) if roll < 0.2 else rng.uniform(0.1, 40)) * DAY
                yield (
                    workspace.pk,
                    uuid.UUID(int=next(serial)).hex,
                    enrolment.pk,
                    question.pk,
                    2,
                    rng.uniform(1, 30),
                    rng.uniform(2, 8),
                    adapt(due),
                    adapt(due - 5 * DAY),
                    2,
                    0,
                    1,
                    retired if roll > 0.67 else None,
                )

    with connection.cursor() as cursor:
        cursor.execute("PRAGMA synchronous = OFF")
        for batch in itertools.batched(rows(), 20_000):
            cursor.executemany(sql, batch)


def run() -> None:
    from django.contrib.auth.hashers import make_password

    from takeroot.core.models import Person, User
    from takeroot.core.scope import across_workspaces
    from takeroot.core.services import create_workspace
    from takeroot.programmes.models import Cohort, Enrolment, Programme
    from takeroot.quizzes.models import MemoryState
    from takeroot.quizzes.scheduling import choose_due

    rng = random.Random(7)
    workspace = create_workspace(name="Bench", slug="bench")
    with across_workspaces():
        started = time.perf_counter()
        password = make_password(None)
        users = User.objects.bulk_create(
            (User(email=f"person{n}@bench.test", name=f"Person {n}", password=password) for n in range(PEOPLE)),
            batch_size=5000,
        )
        people = Person.objects.bulk_create((Person(workspace=workspace, user=user) for user in users), batch_size=5000)
        programme = Programme.objects.create(workspace=workspace, name="Customer conversations")
        cohort = Cohort.objects.create(
            workspace=workspace,
            programme=programme,
            name="All",
            starts_on=datetime.date(2026, 6, 1),
            ends_on=datetime.date(2026, 6, 5),
        )
        enrolments = Enrolment.objects.bulk_create(
            (Enrolment(workspace=workspace, cohort=cohort, person=person, status="active") for person in people),
            batch_size=5000,
        )
        questions = _bank(workspace, programme)
        _insert_states(workspace, enrolments, questions, rng)
        setup_seconds = time.perf_counter() - started
        states = MemoryState.objects.count()

        ids = [enrolment.pk for enrolment in enrolments]
        started, cpu = time.perf_counter(), time.process_time()
        chosen = choose_due(ids, now=NOW)
        seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
        assert len(chosen) == PEOPLE
        picked = sum(len(questions) for questions in chosen.values())

    print(f"BENCH quizzes_choose_due_20000 {seconds:.2f} s")
    print(f"BENCH quizzes_choose_due_20000_cpu {cpu:.2f} s")
    print(f"BENCH quizzes_choose_due_20000_memory_states {states} states")
    print(f"BENCH quizzes_choose_due_20000_chosen {picked} questions")
    print(f"BENCH quizzes_choose_due_20000_setup {setup_seconds:.1f} s")


if __name__ == "__main__":
    in_fresh_installation(run)
