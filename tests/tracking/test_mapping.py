"""Statements from an LMS become activity records: actors matched to people (by mapping or by
their email), activities to modules (also through a parent activity), verbs to inputs, and the
enrolment chosen by registration or by dates; what cannot be resolved waits, and mapping it later
re-processes it and moves the rollups."""

import datetime
import hashlib
import uuid

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from takeroot.programmes import services as programmes
from takeroot.programmes.enums import EnrolmentStatus
from takeroot.programmes.models import Enrolment
from takeroot.tracking import connections as services
from takeroot.tracking.enums import Input, Origin
from takeroot.tracking.mapping import (
    ADL,
    duration_minutes,
    forget_statements,
    process_statements,
    score_of,
)
from takeroot.tracking.models import ActivityMapping, ActivityRecord, ActorMapping, Rollup, Statement
from takeroot.tracking.recording import week_of
from takeroot.tracking.xapi.documents import actor_key
from tests.course_support import DAY, NOW

COURSE = "https://moodle.acme.test/course/view.php?id=7"
QUIZ = "https://moodle.acme.test/mod/quiz/view.php?id=42"
OPENING = "https://moodle.acme.test/mod/page/view.php?id=11"


def mbox(email: str, name: str = "") -> dict:
    return {"objectType": "Agent", "name": name, "mbox": f"mailto:{email}"}


def account(name: str, display: str = "", home: str = "https://moodle.acme.test") -> dict:
    return {"objectType": "Agent", "name": display, "account": {"homePage": home, "name": name}}


def statement(actor: dict, verb: str, activity: str = OPENING, *, at=NOW, result=None, context=None, title="") -> dict:
    """An xAPI 1.0.3 statement as Moodle's logstore or an Open edX backend sends it."""
    document = {
        "id": str(uuid.uuid4()),
        "actor": actor,
        "verb": {"id": verb, "display": {"en": verb.rsplit("/", 1)[-1]}},
        "object": {
            "objectType": "Activity",
            "id": activity,
            "definition": {"name": {"en": title or "Opening the call: reading"}},
        },
        "timestamp": at.isoformat(),
        "context": {"platform": "Moodle", **(context or {})},
    }
    if result is not None:
        document["result"] = result
    return document


def store(workspace, *documents, connection=None) -> list[int]:
    """Store statements as the xAPI endpoint does: the document and the columns queries use."""
    rows = [
        Statement(
            workspace=workspace,
            connection=connection,
            statement_id=document["id"],
            document=document,
            verb=document["verb"]["id"],
            activity=document["object"]["id"] if document["object"].get("objectType", "Activity") == "Activity" else "",
            actor_key=actor_key(document["actor"]),
            registration=(document.get("context") or {}).get("registration"),
            timestamp=datetime.datetime.fromisoformat(document["timestamp"]),
            stored=NOW,
        )
        for document in documents
    ]
    Statement.objects.bulk_create(rows)
    return [row.pk for row in rows]


def ingest(workspace, *documents, connection=None) -> list[int]:
    ids = store(workspace, *documents, connection=connection)
    process_statements(workspace, ids)
    return ids


def rollups(enrolment) -> dict:
    return {(r.module_id, r.input, r.week): (r.total, r.count) for r in Rollup.objects.filter(enrolment=enrolment)}


@pytest.fixture
def mapped(modules):
    """The Moodle course is the first module; the quiz the second."""
    workspace = modules[0].workspace
    ActivityMapping.objects.create(workspace=workspace, activity=OPENING, module=modules[0])
    ActivityMapping.objects.create(workspace=workspace, activity=QUIZ, module=modules[1])
    return modules


def test_an_actor_with_a_persons_email_is_matched_and_the_match_kept(enrolment, mapped, cast):
    workspace = enrolment.workspace
    [pk] = ingest(workspace, statement(mbox("Participant@Acme.test", "Pia"), f"{ADL}attended"))

    row = Statement.objects.get(pk=pk)
    assert (row.processed, row.person, row.module) == (True, cast["participant"], mapped[0])
    assert ActorMapping.objects.get(actor_key="mbox:mailto:participant@acme.test").person == cast["participant"]
    record = ActivityRecord.objects.get()
    assert (record.enrolment, record.module, record.input, record.value, record.origin, record.statement_id) == (
        enrolment,
        mapped[0],
        Input.ATTENDANCE,
        1.0,
        Origin.XAPI,
        pk,
    )
    assert rollups(enrolment) == {(mapped[0].pk, Input.ATTENDANCE, week_of(NOW)): (1.0, 1)}


def test_an_account_named_by_email_is_matched_an_opaque_one_waits(enrolment, other_enrolment, mapped, cast):
    workspace = enrolment.workspace
    ingest(
        workspace,
        statement(account("other@acme.test"), f"{ADL}experienced"),
        statement(account("4711", "Pia P."), f"{ADL}experienced"),
    )

    assert rollups(other_enrolment) == {(mapped[0].pk, Input.INTERACTION, week_of(NOW)): (1.0, 1)}
    assert rollups(enrolment) == {}
    waiting = [
        (row["actor_key"], row["statements"], row["name"])
        for row in services.with_names(services.unmatched_actors(workspace), lambda d: d["actor"]["name"])
    ]
    assert waiting == [("account:https://moodle.acme.test|4711", 1, "Pia P.")]


def test_a_hashed_mailbox_is_matched(enrolment, mapped, cast):
    digest = hashlib.sha1(b"mailto:participant@acme.test").hexdigest()
    ingest(enrolment.workspace, statement({"mbox_sha1sum": digest}, f"{ADL}attended"))

    assert Statement.objects.get().person == cast["participant"]


def test_mapping_an_actor_later_reprocesses_and_moves_the_rollups(
    enrolment, mapped, cast, django_capture_on_commit_callbacks
):
    workspace = enrolment.workspace
    actor = account("4711", "Pia P.")
    ingest(
        workspace,
        statement(actor, f"{ADL}answered", QUIZ, result={"score": {"scaled": 0.8}, "duration": "PT4M30S"}),
        statement(actor, f"{ADL}answered", QUIZ, result={"success": False}, at=NOW + 7 * DAY),
    )
    assert rollups(enrolment) == {}

    with django_capture_on_commit_callbacks(execute=True):
        _mapping, count = services.map_actor(
            workspace=workspace, actor=cast["admin"].user, actor_key=actor_key(actor), person=cast["participant"]
        )

    assert count == 2
    assert rollups(enrolment) == {
        (mapped[1].pk, Input.QUIZ_SCORE, week_of(NOW)): (0.8, 1),
        (mapped[1].pk, Input.TIME_ONLINE, week_of(NOW)): (4.5, 1),
        (mapped[1].pk, Input.QUIZ_SCORE, week_of(NOW + 7 * DAY)): (0.0, 1),
    }
    assert list(services.unmatched_actors(workspace)) == []
    assert Statement.objects.filter(processed=True).count() == 2


def test_correcting_an_actor_moves_its_records_to_the_right_person(
    enrolment, other_enrolment, mapped, cast, django_capture_on_commit_callbacks
):
    workspace = enrolment.workspace
    actor = account("4711")
    admin = cast["admin"].user
    with django_capture_on_commit_callbacks(execute=True):
        services.map_actor(workspace=workspace, actor=admin, actor_key=actor_key(actor), person=cast["participant"])
    ingest(workspace, statement(actor, f"{ADL}attended"))
    assert rollups(enrolment) == {(mapped[0].pk, Input.ATTENDANCE, week_of(NOW)): (1.0, 1)}

    with django_capture_on_commit_callbacks(execute=True):
        services.map_actor(
            workspace=workspace, actor=admin, actor_key=actor_key(actor), person=cast["other_participant"]
        )

    assert rollups(enrolment) == {}
    assert rollups(other_enrolment) == {(mapped[0].pk, Input.ATTENDANCE, week_of(NOW)): (1.0, 1)}


def test_an_unmapped_activity_waits_then_its_mapping_reprocesses(
    enrolment, modules, cast, django_capture_on_commit_callbacks
):
    workspace = enrolment.workspace
    ingest(
        workspace,
        statement(
            mbox("participant@acme.test"),
            f"{ADL}completed",
            QUIZ,
            result={"score": {"raw": 6, "max": 8}},
            title="Quiz 1",
        ),
    )

    row = Statement.objects.get()
    assert (row.processed, row.person, row.module) == (False, cast["participant"], None)
    listed = services.with_names(
        services.unmatched_activities(workspace), lambda d: d["object"]["definition"]["name"]["en"]
    )
    assert [(r["activity"], r["statements"], r["name"]) for r in listed] == [(QUIZ, 1, "Quiz 1")]

    with django_capture_on_commit_callbacks(execute=True):
        _mapping, count = services.map_activity(
            workspace=workspace, actor=cast["admin"].user, activity=QUIZ, module=modules[1]
        )

    assert count == 1
    assert rollups(enrolment) == {(modules[1].pk, Input.ASSIGNMENT_SCORE, week_of(NOW)): (0.75, 1)}
    assert list(services.unmatched_activities(workspace)) == []


def test_a_module_is_found_through_the_parent_activity(enrolment, modules, cast, django_capture_on_commit_callbacks):
    workspace = enrolment.workspace
    in_course = {"contextActivities": {"parent": [{"id": COURSE}], "grouping": [{"id": "https://moodle.acme.test"}]}}
    ingest(workspace, statement(mbox("participant@acme.test"), f"{ADL}experienced", OPENING, context=in_course))
    assert rollups(enrolment) == {}

    with django_capture_on_commit_callbacks(execute=True):
        _mapping, count = services.map_activity(
            workspace=workspace, actor=cast["admin"].user, activity=COURSE, module=modules[0]
        )

    assert count == 1
    assert rollups(enrolment) == {(modules[0].pk, Input.INTERACTION, week_of(NOW)): (1.0, 1)}
    assert Statement.objects.get().module == modules[0]


def test_the_registration_names_the_enrolment(enrolment, mapped, cast, programme):
    later = programmes.create_cohort(
        programme=programme,
        actor=cast["admin"].user,
        name="Kraków autumn",
        starts_on=datetime.date(2026, 10, 1),
        ends_on=datetime.date(2026, 11, 30),
        trainers=[cast["trainer"]],
    )
    programmes.enrol_people(cohort=later, actor=cast["admin"].user, people=[cast["participant"]])
    second = Enrolment.objects.get(cohort=later)
    Enrolment.objects.filter(pk=second.pk).update(status=EnrolmentStatus.ACTIVE)
    actor = mbox("participant@acme.test")
    # In September, both active: the dates choose the spring cohort, unless the registration says otherwise.
    september = NOW - 20 * DAY
    ingest(
        enrolment.workspace,
        statement(actor, f"{ADL}attended", at=september),
        statement(actor, f"{ADL}experienced", at=september, context={"registration": str(second.uuid)}),
        statement(actor, f"{ADL}launched", at=NOW),
    )

    assert rollups(enrolment) == {(mapped[0].pk, Input.ATTENDANCE, week_of(september)): (1.0, 1)}
    assert rollups(second) == {
        (mapped[0].pk, Input.INTERACTION, week_of(september)): (1.0, 1),
        (mapped[0].pk, Input.INTERACTION, week_of(NOW)): (1.0, 1),
    }


def test_a_person_not_enrolled_waits_and_is_listed(mapped, cast, workspace):
    ingest(workspace, statement(mbox("mentor@acme.test"), f"{ADL}attended"))

    row = Statement.objects.get()
    assert (row.processed, row.person, row.module) == (False, cast["mentor"], mapped[0])
    waiting = [(r["person__user__name"], r["module__title"], r["statements"]) for r in services.not_enrolled(workspace)]
    assert waiting == [("Maja Mentor", "Opening the call", 1)]


def test_verbs_can_be_overridden_and_ignored(enrolment, mapped, cast, django_capture_on_commit_callbacks):
    workspace = enrolment.workspace
    viewed = "http://id.tincanapi.com/verb/viewed"
    actor = mbox("participant@acme.test")
    ingest(
        workspace,
        statement(actor, viewed, result={"duration": "PT1H"}),
        statement(actor, "https://w3id.org/xapi/adl/verbs/logged-in"),
    )
    assert rollups(enrolment) == {
        (mapped[0].pk, Input.INTERACTION, week_of(NOW)): (1.0, 1),
        (mapped[0].pk, Input.TIME_ONLINE, week_of(NOW)): (60.0, 1),
    }
    admin = cast["admin"].user

    with django_capture_on_commit_callbacks(execute=True):
        assert services.set_verb(workspace=workspace, actor=admin, verb=viewed, input="") == 1
    assert rollups(enrolment) == {}

    with django_capture_on_commit_callbacks(execute=True):
        services.set_verb(workspace=workspace, actor=admin, verb=viewed, input=Input.ATTENDANCE)
    assert rollups(enrolment) == {
        (mapped[0].pk, Input.ATTENDANCE, week_of(NOW)): (1.0, 1),
        (mapped[0].pk, Input.TIME_ONLINE, week_of(NOW)): (60.0, 1),
    }

    with django_capture_on_commit_callbacks(execute=True):
        services.set_verb(workspace=workspace, actor=admin, verb=viewed, input=None)
    assert rollups(enrolment)[(mapped[0].pk, Input.INTERACTION, week_of(NOW))] == (1.0, 1)


def test_a_voided_statement_is_forgotten(enrolment, mapped):
    workspace = enrolment.workspace
    actor = mbox("participant@acme.test")
    kept, voided = ingest(workspace, statement(actor, f"{ADL}attended"), statement(actor, f"{ADL}attended"))
    assert rollups(enrolment) == {(mapped[0].pk, Input.ATTENDANCE, week_of(NOW)): (2.0, 2)}

    Statement.objects.filter(pk=voided).update(voided=True)
    assert forget_statements(workspace, [voided]) == 1

    assert rollups(enrolment) == {(mapped[0].pk, Input.ATTENDANCE, week_of(NOW)): (1.0, 1)}
    assert list(ActivityRecord.objects.values_list("statement_id", flat=True)) == [kept]
    assert Statement.objects.get(pk=voided).processed is False
    assert process_statements(workspace, [voided]) == 0  # a voided statement never counts again


def test_processing_twice_records_once(enrolment, mapped):
    ids = ingest(enrolment.workspace, statement(mbox("participant@acme.test"), f"{ADL}attended"))

    assert process_statements(enrolment.workspace, ids) == 0
    assert ActivityRecord.objects.count() == 1


@pytest.mark.parametrize(
    ("result", "verb", "expected"),
    [
        ({"score": {"scaled": 0.9, "raw": 1, "max": 10}}, "completed", 0.9),
        ({"score": {"scaled": -0.5}}, "scored", 0.0),
        ({"score": {"raw": 15, "min": 10, "max": 20}}, "scored", 0.5),
        ({"success": True}, "completed", 1.0),
        ({}, "passed", 1.0),
        ({}, "failed", 0.0),
        ({"completion": True}, "completed", None),
    ],
)
def test_scores_are_read_as_the_specification_orders_them(result, verb, expected):
    assert score_of(result, f"{ADL}{verb}") == expected


@pytest.mark.parametrize(
    ("value", "minutes"),
    [("PT1H30M", 90), ("PT45S", 0.75), ("P1DT2H", 1560), ("PT0.5M", 0.5), ("P", None), ("1 hour", None), (None, None)],
)
def test_durations_are_read_in_minutes(value, minutes):
    assert duration_minutes(value) == minutes


def test_a_batch_takes_the_same_queries_whatever_its_size(enrolment, other_enrolment, mapped):
    workspace = enrolment.workspace

    def queries_for(count: int) -> int:
        documents = [
            statement(mbox(email), f"{ADL}answered", QUIZ, result={"score": {"scaled": 0.5}, "duration": "PT2M"})
            for _ in range(count)
            for email in ("participant@acme.test", "other@acme.test")
        ]
        ids = store(workspace, *documents)
        with CaptureQueriesContext(connection) as queries:
            assert process_statements(workspace, ids) == 2 * count
        return len(queries)

    queries_for(1)  # the actor mappings by email are stored on the first batch
    assert queries_for(1) == queries_for(40)
