"""Workers on PostgreSQL: two at once send each touchpoint exactly once, and one killed between
claiming and sending loses and duplicates nothing.

Runs in the suite's PostgreSQL pass (``TAKEROOT_DATABASE_URL=postgres://…``); on SQLite, or when
the server is not reachable, it is skipped with the reason."""

import datetime
import os
import subprocess
import sys
import threading
from collections import Counter
from pathlib import Path

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


# A worker process that claims the due touchpoints and is killed (SIGKILL, no clean-up) the
# moment it would hand the first message to the mail server.
KILLED_WORKER = """
import datetime, os, signal, sys
import django
django.setup()
from takeroot.followup import channels, delivery
def die(*args, **kwargs):
    os.kill(os.getpid(), signal.SIGKILL)
channels.send_mails = die
delivery.send_due(now=datetime.datetime.fromisoformat(sys.argv[1]))
"""


@pytest.mark.django_db(transaction=True)
def test_a_worker_killed_between_claiming_and_sending_loses_and_duplicates_nothing(
    on_postgres, smtp_sink, design, enrolment
):
    step = make_step(design)
    touchpoints = Touchpoint.objects.bulk_create(
        Touchpoint(
            workspace=step.workspace,
            step=step,
            enrolment=enrolment,
            recipient=enrolment.person,
            occurrence=n,
            due_at=NOW,
        )
        for n in range(4)
    )
    root = Path(__file__).resolve().parents[2]
    database = connection.settings_dict
    url = f"postgres://{database['USER']}@{database['HOST']}:{database['PORT']}/{database['NAME']}"
    environment = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.settings",
        "TAKEROOT_DATABASE_URL": url,
        "PYTHONPATH": os.pathsep.join([str(root / "src"), str(root)]),
    }
    worker = subprocess.run(
        [sys.executable, "-c", KILLED_WORKER, NOW.isoformat()], env=environment, cwd=root, check=False
    )

    assert worker.returncode == -9  # killed, not finished
    assert set(Touchpoint.objects.values_list("state", flat=True)) == {TouchpointState.SENDING}
    assert smtp_sink.messages == []
    # Another worker leaves the claimed rows alone until the claim is 15 minutes old ...
    later = NOW + datetime.timedelta(minutes=14)
    assert delivery.release_stuck(now=later) == 0
    assert delivery.send_due(now=later) == 0
    # ... then takes them back and sends each once.
    later = NOW + datetime.timedelta(minutes=16)
    assert delivery.release_stuck(now=later) == 4
    assert delivery.send_due(now=later) == 4
    assert delivery.send_due(now=later) == 0

    ids = sorted(message["Message-ID"] for message in smtp_sink.messages)
    assert ids == sorted(f"<touchpoint-{t.uuid}@takeroot>" for t in touchpoints)
    assert set(Touchpoint.objects.values_list("state", flat=True)) == {TouchpointState.SENT}
