"""The responders' API: the queue, metrics, settings, routing rules and patches, with the role ×
endpoint matrix, API keys and their scopes, other workspaces, and the same figures as the pages."""

import json

import pytest
from django.utils import timezone

from takeroot.core.models import AuditEntry
from takeroot.core.services import create_api_key
from takeroot.programmes.models import Enrolment
from takeroot.tickets.enums import Category, RouteTo
from takeroot.tickets.models import Patch, RoutingRule, TicketSettings
from takeroot.tickets.patches import publish_patch

from .conftest import HOUR
from .test_metrics import known_set
from .test_queue import build_second_cohort, make_ticket

API = "/api/v1"
READS = {
    "queue": f"{API}/ticket-queue",
    "metrics": f"{API}/ticket-metrics",
    "settings": f"{API}/ticket-settings",
    "rules": f"{API}/ticket-routing-rules",
}
EXPECTED = {
    "admin": set(READS),
    "trainer": {"queue", "metrics"},
    "mentor": {"queue"},
    "manager": set(),
    "participant": set(),
}
SETTINGS = {
    "promise_hours": 8,
    "clock": "working_hours",
    "day_starts": "08:00",
    "day_ends": "16:00",
    "timezone": "Europe/Stockholm",
    "warn_before_hours": 2,
    "auto_close_days": 10,
}


@pytest.fixture
def second_cohort(cast, workspace):
    return build_second_cohort(cast, workspace)


def bearer(secret):
    return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}


def send(client, method, path, body=None, **extra):
    return getattr(client, method)(path, data=json.dumps(body or {}), content_type="application/json", **extra)


@pytest.mark.parametrize("who", sorted(EXPECTED))
def test_role_endpoint_matrix(cast, client_for, who):
    client = client_for(cast[who])
    statuses = {name: client.get(path).status_code for name, path in READS.items()}

    assert statuses == {name: 200 if name in EXPECTED[who] else 403 for name in READS}


@pytest.mark.parametrize(("scopes", "status"), [(["tickets:read"], 200), (["quizzes:read"], 403)])
def test_api_key_needs_the_read_scope(client, cast, scopes, status):
    _key, secret = create_api_key(workspace=cast["admin"].workspace, actor=cast["admin"].user, name="BI", scopes=scopes)

    assert [client.get(path, **bearer(secret)).status_code for path in READS.values()] == [status] * len(READS)


def test_api_key_writes_need_the_write_scope(client, cast, workspace):
    admin = cast["admin"]
    _key, reader = create_api_key(workspace=workspace, actor=admin.user, name="R", scopes=["tickets:read"])
    _key, writer = create_api_key(workspace=workspace, actor=admin.user, name="W", scopes=["tickets:write"])

    assert send(client, "put", READS["settings"], SETTINGS, **bearer(reader)).status_code == 403
    assert send(client, "put", READS["settings"], SETTINGS, **bearer(writer)).status_code == 200
    assert TicketSettings.objects.get(workspace=workspace).promise_hours == 8


def test_queue_lists_what_the_trainer_may_work_on(cast, client_for, enrolment, second_cohort):
    now = timezone.now()
    mine = make_ticket(enrolment, subject="Pia asks", created_at=now - HOUR, due_at=now - HOUR, owner=cast["trainer"])
    make_ticket(Enrolment.objects.get(cohort=second_cohort), subject="Lars asks", created_at=now, due_at=now + HOUR)

    found = client_for(cast["trainer"]).get(READS["queue"]).json()
    assert found["count"] == 1
    row = found["items"][0]
    assert (row["id"], row["number"], row["subject"], row["learner"]) == (
        str(mine.uuid),
        1,
        "Pia asks",
        "Pia Participant",
    )
    assert (row["clock"], row["breaching_soon"], row["owner"]) == ("overdue", False, str(cast["trainer"].uuid))
    assert -1.01 < row["remaining_hours"] < -0.99
    breached = client_for(cast["trainer"]).get(READS["queue"], {"view": "breached"}).json()
    waiting = client_for(cast["trainer"]).get(READS["queue"], {"view": "waiting"}).json()
    assert (breached["count"], waiting["count"]) == (1, 0)


def test_queue_filters_and_bad_values(cast, client_for, enrolment, modules):
    make_ticket(enrolment, subject="one", module=modules[0])
    make_ticket(enrolment, subject="two", module=modules[1], category=Category.TECHNICAL)
    client = client_for(cast["admin"])

    by_module = client.get(READS["queue"], {"module": modules[1].uuid}).json()
    assert [row["subject"] for row in by_module["items"]] == ["two"]
    by_category = client.get(READS["queue"], {"category": "technical"}).json()
    assert [row["subject"] for row in by_category["items"]] == ["two"]
    assert client.get(READS["queue"], {"view": "everything"}).status_code == 422


def test_queue_filter_of_another_workspace_is_not_found(cast, client_for, outsider):
    from takeroot.programmes import services as programmes

    foreign = programmes.create_programme(
        workspace=outsider.workspace, actor=outsider.user, name="Theirs", format="classroom", currency="SEK"
    )
    assert client_for(cast["admin"]).get(READS["queue"], {"programme": foreign.uuid}).status_code == 404


def test_queue_makes_no_query_per_row(cast, client_for, enrolment, other_enrolment, modules):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = client_for(cast["admin"])
    make_ticket(enrolment, subject="one", module=modules[0], owner=cast["trainer"])
    client.get(READS["queue"])
    with CaptureQueriesContext(connection) as one:
        client.get(READS["queue"])
    make_ticket(other_enrolment, subject="two", module=modules[1], owner=cast["admin"])
    make_ticket(enrolment, subject="three", owner=cast["mentor"])
    with CaptureQueriesContext(connection) as three:
        assert client.get(READS["queue"]).json()["count"] == 3

    assert len(three) == len(one)


def test_metrics_figures_match_the_page(cast, client_for, enrolment, modules):
    known_set(enrolment, modules, now=timezone.now())
    found = client_for(cast["admin"]).get(READS["metrics"]).json()

    assert (found["tickets"], found["answered"], found["median_first_response_hours"]) == (6, 4, 5.0)
    assert (found["within_promise_share"], found["reopen_rate"]) == (0.75, 0.25)
    assert (found["closed_confirmed"], found["closed_automatically"], found["open_now"], found["breached_now"]) == (
        2,
        1,
        2,
        1,
    )
    assert found["modules"][0] == {"id": str(modules[0].uuid), "label": "Opening the call", "tickets": 3}
    assert found["categories"][0] == {"id": "resource", "label": "Missing resource or tool", "tickets": 3}
    everything = client_for(cast["admin"]).get(READS["metrics"], {"days": 0}).json()
    assert everything["tickets"] == 7
    assert client_for(cast["admin"]).get(READS["metrics"], {"days": 7}).status_code == 422


def test_settings_read_and_change(cast, client_for, workspace):
    client = client_for(cast["admin"])

    assert client.get(READS["settings"]).json()["promise_hours"] == 24
    response = send(client, "put", READS["settings"], SETTINGS)
    assert response.status_code == 200
    assert response.json() == SETTINGS
    assert AuditEntry.objects.filter(object_type="ticketsettings", actor=cast["admin"].user).count() == 1


def test_settings_errors_are_clear(cast, client_for, workspace):
    response = send(client_for(cast["admin"]), "put", READS["settings"], SETTINGS | {"day_ends": "07:00"})

    assert response.status_code == 400
    assert response.json()["errors"] == {"day_ends": ["The working day must end after it starts."]}
    assert not TicketSettings.objects.filter(workspace=workspace).exists()


def test_trainer_cannot_change_settings(cast, client_for):
    assert send(client_for(cast["trainer"]), "put", READS["settings"], SETTINGS).status_code == 403


def test_routing_rules_crud(cast, client_for, workspace, programme):
    client = client_for(cast["admin"])
    body = {
        "category": "technical",
        "route_to": "person",
        "programme": str(programme.uuid),
        "person": str(cast["mentor"].uuid),
    }

    created = send(client, "post", READS["rules"], body)
    assert created.status_code == 201
    rule = created.json()
    assert (rule["category"], rule["programme_name"], rule["person_name"]) == (
        "technical",
        programme.name,
        "Maja Mentor",
    )
    path = f"{READS['rules']}/{rule['id']}"
    assert client.get(path).json() == rule
    changed = send(client, "put", path, {"category": "technical", "route_to": "admin"})
    assert (changed.json()["route_to"], changed.json()["person"], changed.json()["programme"]) == ("admin", None, None)
    assert client.get(READS["rules"]).json() == [changed.json()]
    assert client.delete(path).status_code == 204
    assert not RoutingRule.objects.exists()


@pytest.mark.parametrize(
    ("person", "status", "message"),
    [
        ("participant", 400, "Choose an admin, trainer or mentor of this workspace: only they answer tickets."),
        (None, 400, "Choose the person who answers these tickets."),
        ("outsider", 404, None),
    ],
)
def test_routing_rule_person_checked(cast, client_for, person, status, message):
    body = {"category": "complaint", "route_to": "person"}
    if person:
        body["person"] = str(cast[person].uuid)
    response = send(client_for(cast["admin"]), "post", READS["rules"], body)

    assert response.status_code == status
    if message:
        assert response.json()["errors"] == {"person": [message]}
    assert not RoutingRule.objects.exists()


def test_routing_rule_of_another_workspace_is_not_found(cast, client_for, other_workspace):
    rule = RoutingRule.objects.create(workspace=other_workspace, category=Category.OTHER, route_to=RouteTo.ADMIN)
    client = client_for(cast["admin"])
    path = f"{READS['rules']}/{rule.uuid}"

    assert client.get(path).status_code == 404
    assert client.delete(path).status_code == 404
    assert send(client, "put", path, {"category": "other", "route_to": "trainer"}).status_code == 404


# Patches -----------------------------------------------------------------------------------------------


@pytest.fixture
def ticket(enrolment, modules):
    return make_ticket(enrolment, subject="How do I open a cold call?", module=modules[0])


def test_publish_a_patch_and_list_it(cast, client_for, ticket, modules):
    body = {"ticket": str(ticket.uuid), "title": "Openers", "body": "Name, reason, question."}
    created = send(client_for(cast["trainer"]), "post", f"{API}/ticket-patches", body)

    assert created.status_code == 201
    patch = created.json()
    assert (patch["module"], patch["ticket"], patch["created_by"]) == (
        str(modules[0].uuid),
        str(ticket.uuid),
        "Tomasz Trainer",
    )
    other = client_for(cast["other_participant"]).get(f"{API}/ticket-patches").json()
    assert [item["title"] for item in other["items"]] == ["Openers"]
    assert other["items"][0]["ticket"] is None  # someone else's question stays theirs
    assert client_for(cast["participant"]).get(f"{API}/ticket-patches/{patch['id']}").json()["ticket"] == str(
        ticket.uuid
    )


def test_patch_refusals(cast, client_for, ticket, second_cohort):
    body = {"ticket": str(ticket.uuid), "title": "Openers", "body": "Name, reason, question."}

    assert send(client_for(cast["participant"]), "post", f"{API}/ticket-patches", body).status_code == 403
    assert send(client_for(cast["mentor"]), "post", f"{API}/ticket-patches", body).status_code == 403
    assert send(client_for(cast["outsider"]), "post", f"{API}/ticket-patches", body).status_code == 404
    no_lesson = send(client_for(cast["admin"]), "post", f"{API}/ticket-patches", body | {"body": ""})
    assert no_lesson.status_code == 400
    assert no_lesson.json()["errors"] == {"body": ["Write a short lesson, give a link, or both."]}
    assert not Patch.objects.exists()


def test_patch_not_visible_to_another_programme(cast, client_for, ticket, modules, second_cohort):
    patch = publish_patch(ticket=ticket, module=modules[0], actor=None, author=cast["admin"], title="Openers", body="…")
    lars = client_for(Enrolment.objects.get(cohort=second_cohort).person)

    assert lars.get(f"{API}/ticket-patches").json()["count"] == 0
    assert lars.get(f"{API}/ticket-patches/{patch.uuid}").status_code == 403
    assert client_for(cast["outsider"]).get(f"{API}/ticket-patches/{patch.uuid}").status_code == 404


def test_change_and_withdraw_a_patch(cast, client_for, ticket, modules):
    patch = publish_patch(ticket=ticket, module=modules[0], actor=None, author=cast["admin"], title="Openers", body="…")
    path = f"{API}/ticket-patches/{patch.uuid}"

    assert send(client_for(cast["participant"]), "put", path, {"title": "Mine now", "body": "…"}).status_code == 403
    changed = send(
        client_for(cast["trainer"]), "put", path, {"title": "Openers 2", "body": "…", "module": str(modules[1].uuid)}
    )
    assert (changed.status_code, changed.json()["module_title"]) == (200, "Handling objections")
    assert client_for(cast["trainer"]).delete(path).status_code == 204
    assert not Patch.objects.exists()
