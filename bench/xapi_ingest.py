"""Benchmark: xAPI statements ingested per second through the real endpoint under gunicorn.

Run from the repository root: ``.venv/bin/python bench/xapi_ingest.py``. On a fresh SQLite
database it creates a workspace and an LMS connection, starts gunicorn as ``takeroot serve`` does
(its default workers and threads), and has 4 concurrent clients (threads, each with one
keep-alive ``http.client`` connection) POST realistic statements — an Open edX problem answered
with a score, a Moodle module completed, a video watched for a while — first 20,000 in batches of
100, then 2,000 one at a time. The learners are 1,000 people enrolled in a cohort and the
activities are mapped to its 40 modules, so every statement is mapped and recorded (activity
records and rollups) within its request, as in production. The bodies are serialised before the
clock starts, so the figure is the server's. It checks that every statement sent was stored and
processed once. The target is at least 2,000 statements/s in batches of 100.
"""

import base64
import http.client
import json
import os
import socket
import subprocess
import threading
import time
import uuid

from _fresh import in_fresh_installation

CLIENTS = 4
LEARNERS = 1_000
MODULES = 40
BATCHED = 20_000
SINGLE = 2_000
LMS = "https://moodle.bench.test"


def _statement(number: int) -> dict:
    learner = {"objectType": "Agent", "account": {"homePage": LMS, "name": _email(number % LEARNERS)}}
    module = _module_iri(number % MODULES)
    kind = number % 3
    statement = {
        "id": str(uuid.uuid4()),
        "actor": learner,
        "timestamp": "2026-10-05T09:00:00.123+02:00",
        "context": {
            "registration": "3e1f2a4b-5c6d-4e7f-8a9b-0c1d2e3f4a5b",
            "platform": "Moodle",
            "language": "en",
            "contextActivities": {
                "parent": [{"id": module, "objectType": "Activity"}],
                "grouping": [{"id": f"{LMS}/course/view.php?id=5", "objectType": "Activity"}],
                "category": [{"id": "http://moodle.org", "objectType": "Activity"}],
            },
            "extensions": {"http://lrs.learninglocker.net/define/extensions/info": {"event_name": "bench"}},
        },
    }
    if kind == 0:
        statement["verb"] = {"id": "http://adlnet.gov/expapi/verbs/answered", "display": {"en": "answered"}}
        statement["object"] = {
            "id": f"{module}&question={number % 200}",
            "objectType": "Activity",
            "definition": {
                "type": "http://adlnet.gov/expapi/activities/cmi.interaction",
                "interactionType": "choice",
                "correctResponsesPattern": ["b"],
                "choices": [{"id": "a", "description": {"en": "A"}}, {"id": "b", "description": {"en": "B"}}],
            },
        }
        statement["result"] = {
            "score": {"scaled": 0.5, "raw": 1, "min": 0, "max": 2},
            "success": False,
            "response": "a",
        }
    elif kind == 1:
        statement["verb"] = {"id": "http://adlnet.gov/expapi/verbs/completed", "display": {"en": "completed"}}
        statement["object"] = {
            "id": module,
            "objectType": "Activity",
            "definition": {"type": "http://id.tincanapi.com/activitytype/lms/module", "name": {"en": "Feedback"}},
        }
    else:
        statement["verb"] = {"id": "http://adlnet.gov/expapi/verbs/experienced", "display": {"en-US": "experienced"}}
        statement["object"] = {"id": f"{module}&video=1", "objectType": "Activity"}
        statement["result"] = {"duration": "PT4M30S"}
    return statement


def _email(number: int) -> str:
    return f"learner{number}@bench.test"


def _module_iri(number: int) -> str:
    return f"{LMS}/mod/page/view.php?id={number}"


def _course(workspace) -> None:
    """A programme of MODULES modules whose activities are mapped, and a running cohort of
    LEARNERS people (written in bulk: the enrolment services would plan their follow-up too)."""
    import datetime

    from takeroot.core.models import Person, User
    from takeroot.programmes.enums import EnrolmentStatus
    from takeroot.programmes.models import Cohort, Enrolment, Module, Programme
    from takeroot.tracking.models import ActivityMapping

    programme = Programme.objects.create(workspace=workspace, name="Customer conversations")
    modules = Module.objects.bulk_create(
        Module(workspace=workspace, programme=programme, title=f"Module {n + 1}", position=n) for n in range(MODULES)
    )
    ActivityMapping.objects.bulk_create(
        ActivityMapping(workspace=workspace, activity=_module_iri(n), module=module) for n, module in enumerate(modules)
    )
    cohort = Cohort.objects.create(
        workspace=workspace,
        programme=programme,
        name="Bench",
        starts_on=datetime.date(2026, 9, 1),
        ends_on=datetime.date(2026, 12, 18),
    )
    users = User.objects.bulk_create(User(email=_email(n), name=f"Learner {n}") for n in range(LEARNERS))
    people = Person.objects.bulk_create(Person(workspace=workspace, user=user) for user in users)
    Enrolment.objects.bulk_create(
        Enrolment(workspace=workspace, cohort=cohort, person=person, status=EnrolmentStatus.ACTIVE) for person in people
    )


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _wait_until_up(port: int) -> None:
    for _attempt in range(200):
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            connection.request("GET", "/xapi/about")
            if connection.getresponse().status == 200:
                return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError("gunicorn did not start")


def _ingest(port: int, authorisation: str, bodies: list[bytes]) -> float:
    """Post the bodies from CLIENTS threads at once; return the seconds it took."""
    shares = [bodies[number::CLIENTS] for number in range(CLIENTS)]
    failures: list[str] = []
    start = threading.Barrier(CLIENTS + 1)

    def client(share: list[bytes]) -> None:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        headers = {
            "Authorization": authorisation,
            "X-Experience-API-Version": "1.0.3",
            "Content-Type": "application/json",
        }
        start.wait()
        for body in share:
            connection.request("POST", "/xapi/statements", body=body, headers=headers)
            response = connection.getresponse()
            answer = response.read()
            if response.status != 200:
                failures.append(f"{response.status} {answer[:200]!r}")
        connection.close()

    threads = [threading.Thread(target=client, args=(share,)) for share in shares]
    for thread in threads:
        thread.start()
    start.wait()
    began = time.perf_counter()
    for thread in threads:
        thread.join()
    seconds = time.perf_counter() - began
    if failures:
        raise RuntimeError(f"{len(failures)} requests failed, the first: {failures[0]}")
    return seconds


def run() -> None:
    from takeroot.core.management.commands.serve import gunicorn_argv
    from takeroot.core.scope import across_workspaces
    from takeroot.core.services import create_workspace
    from takeroot.tracking.models import ActivityRecord, LmsConnection, Statement
    from takeroot.tracking.xapi.auth import digest_of, new_credentials

    workspace = create_workspace(name="Bench", slug="bench")
    username, secret = new_credentials()
    with across_workspaces():
        LmsConnection.objects.create(
            workspace=workspace, name="Moodle", username=username, secret_digest=digest_of(secret)
        )
        _course(workspace)
    authorisation = "Basic " + base64.b64encode(f"{username}:{secret}".encode()).decode()

    port = _free_port()
    os.environ["TAKEROOT_BIND"] = f"127.0.0.1:{port}"
    server = subprocess.Popen(gunicorn_argv(), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        _wait_until_up(port)
        statements = [_statement(number) for number in range(BATCHED + SINGLE)]
        batches = [json.dumps(statements[at : at + 100]).encode() for at in range(0, BATCHED, 100)]
        singles = [json.dumps(statement).encode() for statement in statements[BATCHED:]]
        batched_seconds = _ingest(port, authorisation, batches)
        single_seconds = _ingest(port, authorisation, singles)
    finally:
        server.terminate()
        server.wait(timeout=30)

    with across_workspaces():
        stored = Statement.objects.filter(workspace=workspace).count()
        processed = Statement.objects.filter(workspace=workspace, processed=True).count()
        records = ActivityRecord.objects.filter(workspace=workspace).count()
    assert stored == BATCHED + SINGLE, f"{stored} statements stored of {BATCHED + SINGLE} sent"
    assert processed == stored, f"{processed} statements processed of {stored} stored"
    print(f"BENCH xapi_ingest_activity_records {records} records")
    print(f"BENCH xapi_ingest_batch100_4clients {BATCHED / batched_seconds:.0f} statements/s")
    print(f"BENCH xapi_ingest_batch1_4clients {SINGLE / single_seconds:.0f} statements/s")


if __name__ == "__main__":
    in_fresh_installation(run)
