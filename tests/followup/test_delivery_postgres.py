"""Two workers at once on PostgreSQL: each touchpoint is sent exactly once.

Runs in the suite's PostgreSQL pass (``TAKEROOT_DATABASE_URL=postgres://…``); on SQLite, or when
the server is not reachable, it is skipped with the reason."""

import os
import threading
from collections import Counter

import pytest
from django.db import connection

from takeroot.followup import delivery
from takeroot.followup.enums import TouchpointState
from takeroot.followup.models import Touchpoint

from . import test_delivery
from .test_delivery import NOW, make_step

# The fixtures of the delivery tests, shared.
programme, design, cohort, enrolment = (
    test_delivery.programme,
    test_delivery.design,
    test_delivery.cohort,
    test_delivery.enrolment,
)

POSTGRES_URL = os.environ.get("TAKEROOT_TEST_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/takeroot")


def _postgres_reachable() -> bool:
    try:
        import psycopg
    except ImportError:
        return False
    url = POSTGRES_URL.replace("postgres://", "postgresql://", 1).rsplit("/", 1)[0] + "/postgres"
    try:
        psycopg.connect(url, connect_timeout=3).close()
    except psycopg.Error:
        return False
    return True


@pytest.fixture
def on_postgres(db):
    if connection.vendor != "postgresql":
        pytest.skip(
            f"needs PostgreSQL: these tests run on {connection.vendor}; "
            f"run the suite with TAKEROOT_DATABASE_URL={POSTGRES_URL}"
        )
    if not _postgres_reachable():
        pytest.skip(f"PostgreSQL at {POSTGRES_URL} is not reachable")


@pytest.mark.django_db(transaction=True)
def test_two_workers_send_each_touchpoint_once(on_postgres, smtp_sink, design, enrolment):
    step = make_step(design)
    Touchpoint.objects.bulk_create(
        Touchpoint(
            workspace=step.workspace,
            step=step,
            enrolment=enrolment,
            recipient=enrolment.person,
            occurrence=n,
            due_at=NOW,
        )
        for n in range(200)
    )
    start = threading.Barrier(2)
    handled: list[int] = []
    errors: list[BaseException] = []

    def worker():
        try:
            start.wait()
            while count := delivery.send_due(now=NOW, limit=25):
                handled.append(count)
        except BaseException as error:  # reported below, in the test's thread
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert sum(handled) == 200
    ids = Counter(message["Message-ID"] for message in smtp_sink.messages)
    assert len(smtp_sink.messages) == 200
    assert set(ids.values()) == {1}
    assert set(Touchpoint.objects.values_list("state", flat=True)) == {TouchpointState.SENT}
