"""Benchmark: the ticket queue and the ticket metrics of a workspace with 20,000 tickets.

Run from the repository root: ``.venv/bin/python bench/tickets_queue.py``. On a fresh SQLite
database it raises 20,000 tickets over a year from 2,000 participants of 4 programmes (8 modules
each): most answered and closed, some waiting, some breached, a few reopened, in the working-hours
clock (so every response time is counted over working days). It then times, for an admin, what the
queue page computes (the tabs' counts, the first page of the "all" view with each row's clock) and
what the metrics page computes over 90 days and over all time (median first response in working
hours, share within the promise, the problem areas), each the fastest of three. The targets are
under 0.5 s for the queue and under 2 s for the metrics of all time.
"""

import datetime
import random
import time

from _fresh import in_fresh_installation, timed

TICKETS = 20_000
PEOPLE = 2_000
PROGRAMMES = 4
MODULES = 8
NOW = datetime.datetime(2026, 10, 5, 9, 0, tzinfo=datetime.UTC)
HOUR = datetime.timedelta(hours=1)
DAY = datetime.timedelta(days=1)


def run() -> None:
    from django.contrib.auth.hashers import make_password

    from takeroot.core.models import Person, User
    from takeroot.core.scope import across_workspaces
    from takeroot.core.services import create_workspace
    from takeroot.programmes.models import Cohort, Module, Programme
    from takeroot.tickets.clock import Promise
    from takeroot.tickets.enums import Category, ClosedHow, TicketState
    from takeroot.tickets.metrics import compute_metrics
    from takeroot.tickets.models import Ticket, TicketSettings
    from takeroot.tickets.queue import QueueFilters, filter_queue, queue_counts, queue_rows, tickets_for_responder

    rng = random.Random(7)
    workspace = create_workspace(name="Bench", slug="bench")
    with across_workspaces():
        started = time.perf_counter()
        TicketSettings.objects.create(workspace=workspace, clock="working_hours", timezone="Europe/Warsaw")
        password = make_password(None)
        admin_user = User.objects.create(email="admin@bench.test", name="Admin", password=password)
        admin = Person.objects.create(workspace=workspace, user=admin_user, is_admin=True)
        users = User.objects.bulk_create(
            User(email=f"person{n}@bench.test", name=f"Person {n}", password=password) for n in range(PEOPLE)
        )
        people = Person.objects.bulk_create(Person(workspace=workspace, user=user) for user in users)
        courses = []
        for number in range(PROGRAMMES):
            programme = Programme.objects.create(workspace=workspace, name=f"Programme {number}")
            cohort = Cohort.objects.create(
                workspace=workspace,
                programme=programme,
                name="All year",
                starts_on=datetime.date(2025, 10, 1),
                ends_on=datetime.date(2026, 12, 31),
            )
            modules = Module.objects.bulk_create(
                Module(workspace=workspace, programme=programme, title=f"Module {m}", position=m)
                for m in range(MODULES)
            )
            courses.append((programme, cohort, modules))
        tickets = []
        for number in range(1, TICKETS + 1):
            programme, cohort, modules = rng.choice(courses)
            created = NOW - rng.uniform(0, 365) * DAY
            first = created + rng.uniform(0.5, 40) * HOUR
            fields = {"state": TicketState.CLOSED, "first_response_at": first, "answered_at": first}
            fields |= {"closed_at": first + DAY, "closed_how": ClosedHow.CONFIRMED}
            fields["within_promise"] = first - created < 24 * HOUR
            if created > NOW - 3 * DAY:  # recent: some still waiting, some breached
                fields = {"state": TicketState.OPEN} if rng.random() < 0.6 else fields
            tickets.append(
                Ticket(
                    workspace=workspace,
                    number=number,
                    raised_by=rng.choice(people),
                    programme=programme,
                    cohort=cohort,
                    module=rng.choice(modules) if rng.random() < 0.8 else None,
                    category=rng.choice(Category.values),
                    subject=f"Question {number}",
                    body="What do I do when…",
                    owner=admin,
                    created_at=created,
                    due_at=created + 24 * HOUR,
                    reopened=1 if rng.random() < 0.05 else 0,
                    **fields,
                )
            )
        Ticket.objects.bulk_create(tickets, batch_size=5000)
        setup_seconds = time.perf_counter() - started

        def queue_page():
            promise = Promise.of(workspace)
            visible = tickets_for_responder(admin_user, workspace=workspace)
            found = filter_queue(visible, QueueFilters(view="all"), me=admin, promise=promise, now=NOW)
            counts = queue_counts(visible, me=admin, promise=promise, now=NOW)
            return counts, queue_rows(list(found[:50]), promise=promise, now=NOW)

        def metrics(days):
            promise = Promise.of(workspace)
            visible = tickets_for_responder(admin_user, workspace=workspace)
            since = NOW - days * DAY if days else None
            return compute_metrics(visible, promise=promise, now=NOW, since=since)

        (counts, rows), queue_seconds = timed(queue_page)
        _recent, recent_seconds = timed(lambda: metrics(90))
        _all, all_seconds = timed(lambda: metrics(None))
        assert counts["all"] == TICKETS
        assert len(rows) == 50

    print(f"BENCH tickets_queue_page_{TICKETS} {queue_seconds:.3f} s")
    print(f"BENCH tickets_metrics_90_days_{TICKETS} {recent_seconds:.3f} s")
    print(f"BENCH tickets_metrics_all_time_{TICKETS} {all_seconds:.3f} s")
    print(f"BENCH tickets_queue_setup {setup_seconds:.1f} s")


if __name__ == "__main__":
    in_fresh_installation(run)
