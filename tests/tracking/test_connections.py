"""LMS connections and mappings, on the pages and through the API: credentials shown once and
kept as a digest, rename and revoke audited, unmatched actors and activities mapped with clear
errors that keep what was typed, verbs overridden; only the workspace's admins (and API keys with
the tracking scopes) get in, and nothing of another workspace is found."""

import json

import pytest
from django.urls import reverse

from takeroot.core.models import AuditEntry
from takeroot.core.services import create_api_key
from takeroot.tracking import connections as services
from takeroot.tracking.enums import Input
from takeroot.tracking.mapping import ADL
from takeroot.tracking.models import ActivityMapping, ActorMapping, LmsConnection, Rollup, Statement, VerbMapping
from takeroot.tracking.xapi.auth import secret_matches

from .test_mapping import QUIZ, account, ingest, mbox, statement

API = "/api/v1/tracking"
PAGES = {
    "connections": reverse("tracking:connections"),
    "unmatched": reverse("tracking:unmatched"),
    "mappings": reverse("tracking:mappings"),
    "verbs": reverse("tracking:verbs"),
}
READS = {
    "connections": f"{API}/connections",
    "actors": f"{API}/unmatched/actors",
    "activities": f"{API}/unmatched/activities",
    "actor_mappings": f"{API}/actor-mappings",
    "activity_mappings": f"{API}/activity-mappings",
    "verbs": f"{API}/verbs",
}
ROLES = ["admin", "trainer", "mentor", "manager", "participant"]


def send(client, method, path, body=None, **extra):
    return getattr(client, method)(path, data=json.dumps(body or {}), content_type="application/json", **extra)


def bearer(workspace, admin, *scopes):
    _key, secret = create_api_key(workspace=workspace, actor=admin.user, name="LMS sync", scopes=list(scopes))
    return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}


@pytest.fixture
def lms(cast):
    connection, _secret = services.create_connection(
        workspace=cast["admin"].workspace, actor=cast["admin"].user, name="Moodle"
    )
    return connection


@pytest.fixture
def waiting(lms, enrolment, cast):
    """An opaque Moodle account and an unmapped quiz, both waiting."""
    return ingest(
        lms.workspace,
        statement(account("4711", "Pia P."), f"{ADL}answered", QUIZ, result={"score": {"scaled": 0.5}}, title="Quiz 1"),
        connection=lms,
    )


# Services ---------------------------------------------------------------------------------------


def test_a_connection_keeps_only_a_digest_and_is_audited(cast, workspace):
    connection, secret = services.create_connection(workspace=workspace, actor=cast["admin"].user, name=" Moodle ")

    assert connection.name == "Moodle"
    assert connection.username.startswith("lms-")
    assert secret not in connection.secret_digest
    assert secret_matches(secret, connection.secret_digest)
    services.rename_connection(connection=connection, actor=cast["admin"].user, name="Moodle academy")
    services.revoke_connection(connection=connection, actor=cast["admin"].user)
    services.revoke_connection(connection=connection, actor=cast["admin"].user)
    actions = list(
        AuditEntry.objects.filter(object_type="lmsconnection").order_by("at", "id").values_list("action", flat=True)
    )
    assert actions == ["created", "changed", "revoked"]


# Pages ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("who", ROLES)
def test_the_pages_are_for_admins(cast, client_for, lms, who):
    client = client_for(cast[who])
    expected = 200 if who == "admin" else 403

    assert {name: client.get(url).status_code for name, url in PAGES.items()} == dict.fromkeys(PAGES, expected)
    assert client.get(reverse("tracking:connection", args=[lms.uuid])).status_code == (200 if who == "admin" else 403)
    posted = client.post(reverse("tracking:connection_create"), {"name": "Open edX"})
    assert posted.status_code == (201 if who == "admin" else 403)


def test_another_workspaces_connection_is_not_found(cast, client_for, lms):
    client = client_for(cast["outsider"])

    assert client.get(reverse("tracking:connection", args=[lms.uuid])).status_code == 404
    assert client.post(reverse("tracking:connection_revoke", args=[lms.uuid])).status_code == 404
    assert LmsConnection.objects.get(pk=lms.pk).revoked_at is None


def test_creating_a_connection_shows_the_secret_once(cast, client_for, workspace):
    client = client_for(cast["admin"])
    response = client.post(reverse("tracking:connection_create"), {"name": "Moodle academy"})

    page = response.content.decode()
    connection = LmsConnection.objects.get(workspace=workspace)
    secret = page.split('id="secret" class="secret" type="text" readonly value="')[1].split('"')[0]
    assert secret_matches(secret, connection.secret_digest)
    assert connection.username in page
    assert "http://testserver/xapi/" in page
    assert "X-Experience-API-Version: 1.0.3" in page
    assert response["Cache-Control"] == "no-store"
    listing = client.get(PAGES["connections"]).content.decode()
    assert "Moodle academy" in listing
    assert secret not in listing


def test_a_nameless_connection_is_refused_with_a_reason(cast, client_for, workspace):
    response = client_for(cast["admin"]).post(reverse("tracking:connection_create"), {"name": "  "})

    assert response.status_code == 400
    assert "This field is required." in response.content.decode()
    assert not LmsConnection.objects.exists()


def test_the_list_counts_statements_and_what_waits(cast, client_for, waiting, lms):
    page = client_for(cast["admin"]).get(PAGES["connections"]).content.decode()

    assert '<td>1</td>\n      <td><a href="/tracking/learning-data/unmatched/">1</a></td>' in page


def test_rename_keeps_what_was_typed_and_revoke_asks_first(cast, client_for, lms):
    client = client_for(cast["admin"])
    url = reverse("tracking:connection", args=[lms.uuid])
    too_long = "M" * 201

    refused = client.post(url, {"name": too_long})
    assert refused.status_code == 400
    assert f'value="{too_long}"' in refused.content.decode()
    assert client.post(url, {"name": "Moodle academy"}).status_code == 302
    lms.refresh_from_db()
    assert lms.name == "Moodle academy"

    revoke = reverse("tracking:connection_revoke", args=[lms.uuid])
    assert "cannot be undone" in client.get(revoke).content.decode()
    lms.refresh_from_db()
    assert lms.revoked_at is None
    response = client.post(revoke, follow=True)
    lms.refresh_from_db()
    assert lms.revoked_at is not None
    assert "Connection revoked" in response.content.decode()


def test_unmatched_page_lists_and_maps_an_actor(
    cast, client_for, waiting, enrolment, django_capture_on_commit_callbacks
):
    client = client_for(cast["admin"])
    page = client.get(PAGES["unmatched"]).content.decode()
    assert "account:https://moodle.acme.test|4711" in page
    assert "Pia P." in page
    assert QUIZ in page and "Quiz 1" in page

    refused = client.post(
        reverse("tracking:map_actor"),
        {"actor_key": "account:https://moodle.acme.test|4711", "email": "nobody@acme.test"},
    )
    assert refused.status_code == 400
    body = refused.content.decode()
    assert "Nobody in this workspace has this email." in body
    assert 'value="nobody@acme.test"' in body

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("tracking:map_actor"),
            {"actor_key": "account:https://moodle.acme.test|4711", "email": "Participant@acme.test"},
            follow=True,
        )
    assert "Actor mapped to Pia Participant." in response.content.decode()
    assert "Re-processing 1 statement with the new mapping." in response.content.decode()
    assert ActorMapping.objects.get(actor_key="account:https://moodle.acme.test|4711").person == cast["participant"]


def test_unmatched_page_maps_an_activity_and_the_statement_counts(
    cast, client_for, waiting, enrolment, modules, django_capture_on_commit_callbacks
):
    client = client_for(cast["admin"])
    ActorMapping.objects.create(
        workspace=enrolment.workspace, actor_key="account:https://moodle.acme.test|4711", person=cast["participant"]
    )

    refused = client.post(reverse("tracking:map_activity"), {"activity": QUIZ, "module": ""})
    assert refused.status_code == 400
    assert "This field is required." in refused.content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("tracking:map_activity"), {"activity": QUIZ, "module": str(modules[1].uuid)}, follow=True
        )
    assert "Activity mapped to Handling objections." in response.content.decode()
    assert Rollup.objects.get(enrolment=enrolment).input == Input.QUIZ_SCORE
    assert "Every activity is in a module." in client.get(PAGES["unmatched"]).content.decode()


def test_mappings_page_removes_a_mapping(
    cast, client_for, waiting, enrolment, modules, django_capture_on_commit_callbacks
):
    client = client_for(cast["admin"])
    workspace = enrolment.workspace
    mapped = ActivityMapping.objects.create(workspace=workspace, activity=QUIZ, module=modules[1])
    assert QUIZ in client.get(PAGES["mappings"]).content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("tracking:unmap_activity", args=[mapped.uuid]))

    assert not ActivityMapping.objects.exists()
    assert [row["activity"] for row in services.unmatched_activities(workspace)] == [QUIZ]
    assert client_for(cast["outsider"]).post(reverse("tracking:unmap_actor", args=[mapped.uuid])).status_code == 404


def test_verbs_page_overrides_a_verb_and_keeps_a_bad_iri(cast, client_for, waiting, workspace):
    client = client_for(cast["admin"])
    page = client.get(PAGES["verbs"]).content.decode()
    assert f"{ADL}answered" in page
    assert "Quiz score" in page

    response = client.post(PAGES["verbs"], {"verb": f"{ADL}answered", "counts_as": "ignore", "fixed": "1"}, follow=True)
    assert VerbMapping.objects.get(workspace=workspace).input == ""
    assert "Ignored" in response.content.decode()

    refused = client.post(PAGES["verbs"], {"verb": "logged in", "counts_as": Input.INTERACTION})
    assert refused.status_code == 400
    assert 'value="logged in"' in refused.content.decode()
    assert VerbMapping.objects.count() == 1


# API --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("who", ROLES)
def test_api_reads_are_for_admins(cast, client_for, who):
    client = client_for(cast[who])
    expected = 200 if who == "admin" else 403

    assert {name: client.get(url).status_code for name, url in READS.items()} == dict.fromkeys(READS, expected)
    assert send(client, "post", f"{API}/connections", {"name": "Moodle"}).status_code == (
        201 if who == "admin" else 403
    )


def test_api_keys_need_the_tracking_scopes(cast, client, workspace):
    reader = bearer(workspace, cast["admin"], "tracking:read")
    writer = bearer(workspace, cast["admin"], "tracking:write")
    other = bearer(workspace, cast["admin"], "tickets:read")

    assert {client.get(url, **reader).status_code for url in READS.values()} == {200}
    assert {client.get(url, **other).status_code for url in READS.values()} == {403}
    assert send(client, "post", f"{API}/connections", {"name": "Moodle"}, **reader).status_code == 403
    assert send(client, "post", f"{API}/connections", {"name": "Moodle"}, **writer).status_code == 201


def test_api_creates_with_the_secret_once_and_revokes(cast, client_for, workspace):
    client = client_for(cast["admin"])
    created = send(client, "post", f"{API}/connections", {"name": "Open edX"}).json()

    connection = LmsConnection.objects.get(uuid=created["id"])
    assert secret_matches(created["secret"], connection.secret_digest)
    assert (created["username"], created["endpoint"], created["statements"]) == (
        connection.username,
        "http://testserver/xapi/",
        0,
    )
    listed = client.get(f"{API}/connections").json()["items"]
    assert "secret" not in listed[0]
    renamed = send(client, "patch", f"{API}/connections/{connection.uuid}", {"name": "Open edX (pilot)"}).json()
    assert renamed["name"] == "Open edX (pilot)"
    revoked = send(client, "post", f"{API}/connections/{connection.uuid}/revoke").json()
    assert revoked["revoked_at"] is not None
    empty = send(client, "post", f"{API}/connections", {"name": ""})
    assert empty.status_code == 422


def test_api_does_not_reach_another_workspace(cast, client_for, lms, waiting, modules):
    outsider = client_for(cast["outsider"])

    assert outsider.get(f"{API}/connections/{lms.uuid}").status_code == 404
    assert send(outsider, "post", f"{API}/connections/{lms.uuid}/revoke").status_code == 404
    assert outsider.get(f"{API}/unmatched/actors").json()["items"] == []
    body = {"activity": QUIZ, "module": str(modules[0].uuid)}
    assert send(outsider, "post", f"{API}/activity-mappings", body).status_code == 404
    body = {"actor_key": "account:x|1", "person": str(cast["participant"].uuid)}
    assert send(outsider, "post", f"{API}/actor-mappings", body).status_code == 404
    assert not ActivityMapping.objects.exists()
    assert not ActorMapping.objects.exists()


def test_api_lists_unmatched_and_maps_them(
    cast, client_for, waiting, enrolment, modules, django_capture_on_commit_callbacks
):
    client = client_for(cast["admin"])
    actors = client.get(f"{API}/unmatched/actors").json()
    assert [(a["actor_key"], a["name"], a["statements"]) for a in actors["items"]] == [
        ("account:https://moodle.acme.test|4711", "Pia P.", 1)
    ]
    activities = client.get(f"{API}/unmatched/activities").json()["items"]
    assert [(a["activity"], a["name"]) for a in activities] == [(QUIZ, "Quiz 1")]

    unknown = send(client, "post", f"{API}/actor-mappings", {"actor_key": "account:x|1", "email": "no@acme.test"})
    assert (unknown.status_code, unknown.json()["errors"]) == (
        400,
        {"email": ["Nobody in this workspace has this email."]},
    )
    both = send(client, "post", f"{API}/actor-mappings", {"actor_key": "account:x|1"})
    assert both.status_code == 422

    with django_capture_on_commit_callbacks(execute=True):
        mapped = send(
            client,
            "post",
            f"{API}/actor-mappings",
            {"actor_key": actors["items"][0]["actor_key"], "email": "participant@acme.test"},
        ).json()
        activity = send(
            client, "post", f"{API}/activity-mappings", {"activity": QUIZ, "module": str(modules[1].uuid)}
        ).json()
    assert (mapped["person_name"], mapped["reprocessing"]) == ("Pia Participant", 1)
    assert (activity["module_title"], activity["reprocessing"]) == ("Handling objections", 1)
    assert Statement.objects.get().processed is True
    assert Rollup.objects.get(enrolment=enrolment).total == 0.5

    with django_capture_on_commit_callbacks(execute=True):
        removed = client.delete(f"{API}/activity-mappings/{activity['id']}")
    assert removed.json() == {"reprocessing": 1}
    assert not Rollup.objects.exists()


def test_api_sets_and_lists_verbs(cast, client_for, waiting, workspace):
    client = client_for(cast["admin"])
    viewed = "http://id.tincanapi.com/verb/viewed"

    assert send(client, "put", f"{API}/verbs", {"verb": viewed, "counts_as": "attendance"}).json() == {
        "reprocessing": 0
    }
    refused = send(client, "put", f"{API}/verbs", {"verb": viewed, "counts_as": "usefulness"})
    assert refused.status_code == 400
    verbs = {
        v["verb"]: (v["default"], v["override"], v["counts_as"]) for v in client.get(f"{API}/verbs").json()["items"]
    }
    assert verbs == {
        f"{ADL}answered": ("quiz_score", None, "quiz_score"),
        viewed: ("interaction", "attendance", "attendance"),
    }


def test_a_mapping_change_names_only_people_and_modules_of_the_workspace(cast, outsider, modules, workspace):
    with pytest.raises(Exception, match="Choose a person of this workspace"):
        services.map_actor(workspace=workspace, actor=None, actor_key=mbox("x@y.test")["mbox"], person=outsider)
