"""The programmes API: the role × endpoint matrix, keys and scopes, other workspaces, behaviour,
accommodations and query counts."""

import datetime
from decimal import Decimal

import pytest
import schemathesis
from django.core.serializers.json import DjangoJSONEncoder
from django.core.signals import request_finished, request_started
from django.db import close_old_connections, connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from hypothesis import HealthCheck, settings
from schemathesis.specs.openapi.checks import positive_data_acceptance

from takeroot.core.models import AuditEntry, Team
from takeroot.core.services import create_api_key
from takeroot.programmes import services
from takeroot.programmes.models import Enrolment, LearningObjective, Module, Programme, ProgrammeGoal, Session
from takeroot.wsgi import application
from tests.factories import PersonFactory, UserFactory

WARSAW = datetime.timezone(datetime.timedelta(hours=1))


def bearer(secret):
    return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}


def at(day: int, hour: int) -> datetime.datetime:
    return datetime.datetime(2026, 3, day, hour, tzinfo=WARSAW)


@pytest.fixture
def programme(admin):
    programme = services.create_programme(
        workspace=admin.workspace,
        actor=admin.user,
        name="Feedback that lands",
        price_per_participant=Decimal("1200.00"),
        trainer_hours=Decimal("16"),
    )
    services.save_module(
        programme=programme, actor=admin.user, title="Listening", objectives=["Paraphrase", "Ask open questions"]
    )
    services.save_programme_goal(programme=programme, actor=admin.user, text="Fewer escalations")
    return programme


@pytest.fixture
def module(programme):
    return programme.modules.get()


@pytest.fixture
def cohort(cast, programme):
    cohort = services.create_cohort(
        programme=programme,
        actor=cast["admin"].user,
        name="Spring",
        starts_on=datetime.date(2026, 3, 1),
        ends_on=datetime.date(2026, 5, 31),
        trainers=[cast["trainer"]],
        mentors=[cast["mentor"]],
    )
    services.enrol_people(
        cohort=cohort, actor=cast["admin"].user, people=[cast["participant"], cast["other_participant"]]
    )
    return cohort


@pytest.fixture
def session(cohort, cast):
    return services.save_session(
        cohort=cohort, actor=cast["admin"].user, title="Kick-off", starts_at=at(2, 9), ends_at=at(2, 12)
    )


@pytest.fixture
def enrolment(cohort, cast):
    return cohort.enrolments.get(person=cast["participant"])


@pytest.fixture
def empty_programme(admin):
    return services.create_programme(workspace=admin.workspace, actor=admin.user, name="Never ran")


@pytest.fixture
def newcomer(workspace):
    return PersonFactory(workspace=workspace, user=UserFactory(email="new@acme.test", name="Nina Newcomer"))


@pytest.fixture
def objects(programme, module, cohort, session, enrolment, empty_programme, newcomer):
    return {
        "programme": programme.uuid,
        "module": module.uuid,
        "cohort": cohort.uuid,
        "session": session.uuid,
        "enrolment": enrolment.uuid,
        "empty_programme": empty_programme.uuid,
        "newcomer": newcomer.uuid,
    }


@pytest.fixture
def key(cast):
    def make(*scopes, workspace=None):
        return create_api_key(
            workspace=workspace or cast["admin"].workspace, actor=None, name="LMS sync", scopes=list(scopes)
        )[1]

    return make


# The role × endpoint matrix ----------------------------------------------------------------------

ENDPOINTS = {
    # name: (method, path template, body, status on success)
    "list_programmes": ("get", "/api/v1/programmes", None, 200),
    "get_programme": ("get", "/api/v1/programmes/{programme}", None, 200),
    "create_programme": ("post", "/api/v1/programmes", {"name": "Negotiation"}, 201),
    "update_programme": ("patch", "/api/v1/programmes/{programme}", {"currency": "PLN"}, 200),
    "delete_programme": ("delete", "/api/v1/programmes/{empty_programme}", None, 204),
    "copy_programme": ("post", "/api/v1/programmes/{programme}/copy", {"name": "Feedback II"}, 201),
    "list_modules": ("get", "/api/v1/programmes/{programme}/modules", None, 200),
    "create_module": ("post", "/api/v1/programmes/{programme}/modules", {"title": "Speaking"}, 201),
    "update_module": ("patch", "/api/v1/modules/{module}", {"title": "Listening well"}, 200),
    "delete_module": ("delete", "/api/v1/modules/{module}", None, 204),
    "list_cohorts": ("get", "/api/v1/cohorts", None, 200),
    "create_cohort": (
        "post",
        "/api/v1/cohorts",
        {"programme": "{programme}", "name": "Autumn", "starts_on": "2026-09-01", "ends_on": "2026-11-30"},
        201,
    ),
    "get_cohort": ("get", "/api/v1/cohorts/{cohort}", None, 200),
    "update_cohort": ("patch", "/api/v1/cohorts/{cohort}", {"name": "Spring 2026"}, 200),
    "list_sessions": ("get", "/api/v1/cohorts/{cohort}/sessions", None, 200),
    "create_session": (
        "post",
        "/api/v1/cohorts/{cohort}/sessions",
        {"title": "Practice", "starts_at": "2026-03-09T09:00:00+01:00", "ends_at": "2026-03-09T12:00:00+01:00"},
        201,
    ),
    "update_session": ("patch", "/api/v1/sessions/{session}", {"place": "Room 4"}, 200),
    "cancel_session": ("post", "/api/v1/sessions/{session}/cancel", None, 200),
    "list_enrolments": ("get", "/api/v1/cohorts/{cohort}/enrolments", None, 200),
    "enrol": ("post", "/api/v1/cohorts/{cohort}/enrolments", {"people": ["{newcomer}"]}, 201),
    "get_enrolment": ("get", "/api/v1/enrolments/{enrolment}", None, 200),
    "update_enrolment": ("patch", "/api/v1/enrolments/{enrolment}", {"status": "active"}, 200),
    "update_accommodations": ("patch", "/api/v1/enrolments/{enrolment}", {"needs_captions": True}, 200),
}
DESIGN = {
    "list_programmes",
    "get_programme",
    "create_programme",
    "update_programme",
    "delete_programme",
    "copy_programme",
    "list_modules",
    "create_module",
    "update_module",
    "delete_module",
    "create_cohort",
    "update_cohort",
    "create_session",
    "update_session",
    "cancel_session",
    "enrol",
    "update_enrolment",
}
COHORT_READS = {"list_cohorts", "get_cohort", "list_sessions", "list_enrolments"}
READS = {name for name, (method, *_rest) in ENDPOINTS.items() if method == "get"}
ALLOWED = {
    "admin": set(ENDPOINTS),
    "trainer": set(ENDPOINTS),
    "mentor": COHORT_READS | {"get_enrolment"},  # named on the cohort
    "manager": COHORT_READS | {"get_enrolment"},  # the participant reports to them
    "participant": COHORT_READS | {"get_enrolment", "update_accommodations"},  # their own enrolment
    "other_participant": COHORT_READS,  # in the same cohort, but not their enrolment
}
# Everything named by an id of the workspace; the lists answer for the caller's own workspace.
OBJECT_ENDPOINTS = sorted(name for name, (_m, path, _b, _s) in ENDPOINTS.items() if "{" in path)


def _fill(value, objects):
    if isinstance(value, str):
        return value.format(**objects)
    if isinstance(value, list):
        return [_fill(item, objects) for item in value]
    if isinstance(value, dict):
        return {name: _fill(item, objects) for name, item in value.items()}
    return value


def _call(client, name, objects, **headers):
    method, template, body, _status = ENDPOINTS[name]
    path = template.format(**objects)
    if body is None:
        return getattr(client, method)(path, **headers)
    return getattr(client, method)(path, _fill(body, objects), content_type="application/json", **headers)


@pytest.mark.parametrize("role", sorted(ALLOWED))
@pytest.mark.parametrize("endpoint", sorted(ENDPOINTS))
def test_endpoint_answers_by_role(cast, objects, role, endpoint):
    client = Client()
    client.force_login(cast[role].user)
    response = _call(client, endpoint, objects)
    assert response.status_code == (ENDPOINTS[endpoint][3] if endpoint in ALLOWED[role] else 403)


@pytest.mark.parametrize("endpoint", OBJECT_ENDPOINTS)
def test_objects_of_another_workspace_answer_404_even_to_its_admin(cast, objects, endpoint):
    client = Client()
    client.force_login(cast["outsider"].user)
    assert _call(client, endpoint, objects).status_code == 404


def test_lists_of_an_outsider_show_nothing_of_ours(client, cast, objects):
    client.force_login(cast["outsider"].user)
    assert client.get("/api/v1/programmes").json()["count"] == 0
    assert client.get("/api/v1/cohorts").json()["count"] == 0


def test_cohort_list_shows_a_participant_only_their_cohorts(client, cast, cohort, programme):
    services.create_cohort(
        programme=programme,
        actor=cast["admin"].user,
        name="Autumn",
        starts_on=datetime.date(2026, 9, 1),
        ends_on=datetime.date(2026, 11, 30),
    )
    client.force_login(cast["participant"].user)
    assert [c["name"] for c in client.get("/api/v1/cohorts").json()["items"]] == ["Spring"]
    client.force_login(cast["trainer"].user)
    assert [c["name"] for c in client.get("/api/v1/cohorts").json()["items"]] == ["Autumn", "Spring"]


def test_enrolment_list_shows_a_participant_only_their_own(client, cast, cohort):
    client.force_login(cast["other_participant"].user)
    response = client.get(f"/api/v1/cohorts/{cohort.uuid}/enrolments")
    assert [e["name"] for e in response.json()["items"]] == ["Olek Other"]


def test_enrolment_list_shows_a_manager_their_reports(client, cast, cohort):
    client.force_login(cast["manager"].user)
    response = client.get(f"/api/v1/cohorts/{cohort.uuid}/enrolments")
    assert [e["name"] for e in response.json()["items"]] == ["Pia Participant"]


def test_enrolment_list_shows_the_cohort_mentor_everyone(client, cast, cohort):
    client.force_login(cast["mentor"].user)
    response = client.get(f"/api/v1/cohorts/{cohort.uuid}/enrolments")
    assert [e["name"] for e in response.json()["items"]] == ["Olek Other", "Pia Participant"]


def test_mentor_not_named_on_the_cohort_is_forbidden(client, cast, cohort):
    services.update_cohort(cohort=cohort, actor=cast["admin"].user, mentors=[])
    client.force_login(cast["mentor"].user)
    assert client.get(f"/api/v1/cohorts/{cohort.uuid}").status_code == 403


# API keys --------------------------------------------------------------------------------------


@pytest.mark.parametrize("endpoint", sorted(READS))
def test_read_key_reads(client, objects, key, endpoint):
    assert _call(client, endpoint, objects, **bearer(key("programmes:read"))).status_code == 200


@pytest.mark.parametrize("endpoint", sorted(set(ENDPOINTS) - READS))
def test_read_key_cannot_write(client, objects, key, endpoint):
    assert _call(client, endpoint, objects, **bearer(key("programmes:read"))).status_code == 403


@pytest.mark.parametrize("endpoint", sorted(set(ENDPOINTS) - READS - {"update_accommodations"}))
def test_write_key_writes(client, objects, key, endpoint):
    response = _call(client, endpoint, objects, **bearer(key("programmes:read", "programmes:write")))
    assert response.status_code == ENDPOINTS[endpoint][3]


def test_no_key_changes_accommodations(client, objects, key):
    secret = key("programmes:read", "programmes:write", "people:read", "people:write")
    assert _call(client, "update_accommodations", objects, **bearer(secret)).status_code == 403


def test_people_key_cannot_read_programmes(client, objects, key):
    assert _call(client, "list_programmes", objects, **bearer(key("people:read", "people:write"))).status_code == 403


@pytest.mark.parametrize("endpoint", OBJECT_ENDPOINTS)
def test_key_of_another_workspace_gets_404(client, cast, objects, key, endpoint):
    secret = key("programmes:read", "programmes:write", workspace=cast["outsider"].workspace)
    assert _call(client, endpoint, objects, **bearer(secret)).status_code == 404


def test_write_by_key_is_audited_without_an_actor(client, objects, key):
    response = _call(client, "create_programme", objects, **bearer(key("programmes:write")))
    assert response.status_code == 201
    entry = AuditEntry.objects.get(object_uuid=response.json()["id"])
    assert (entry.action, entry.actor_id) == ("created", None)


# Programmes and modules ------------------------------------------------------------------------


def test_programme_created_with_modules_and_objectives_shows_them_in_order(client, cast):
    client.force_login(cast["trainer"].user)
    created = client.post(
        "/api/v1/programmes",
        {"name": "Coaching", "currency": "SEK", "price_per_participant": "950.5", "trainer_hours": 12},
        content_type="application/json",
    )
    assert created.status_code == 201
    programme_id = created.json()["id"]
    for title, objectives in [("Basics", ["Listen", " ", "Ask"]), ("Practice", [])]:
        response = client.post(
            f"/api/v1/programmes/{programme_id}/modules",
            {"title": title, "objectives": objectives},
            content_type="application/json",
        )
        assert response.status_code == 201
    body = client.get(f"/api/v1/programmes/{programme_id}").json()
    modules = [{k: v for k, v in m.items() if k != "id"} for m in body["modules"]]
    assert modules == [
        {"title": "Basics", "description": "", "objectives": ["Listen", "Ask"], "position": 1},
        {"title": "Practice", "description": "", "objectives": [], "position": 2},
    ]
    assert (body["currency"], body["price_per_participant"], body["trainer_hours"], body["fixed_costs"]) == (
        "SEK",
        "950.50",
        "12.00",
        "0.00",
    )
    assert body["goals"] == []


def test_programme_detail_shows_goals_and_cost_model(client, cast, programme):
    client.force_login(cast["admin"].user)
    body = client.get(f"/api/v1/programmes/{programme.uuid}").json()
    goal = programme.goals.get()
    assert body["goals"] == [
        {"id": str(goal.uuid), "text": "Fewer escalations", "organisation_goal": "", "team": None, "position": 1}
    ]
    assert (body["format"], body["price_per_participant"], body["trainer_hours"]) == ("classroom", "1200.00", "16.00")


def test_programme_copy_copies_modules_objectives_and_goals(client, cast, programme, team):
    services.save_programme_goal(
        programme=programme, actor=cast["admin"].user, text="Faster onboarding", organisation_goal="Grow", team=team
    )
    client.force_login(cast["admin"].user)
    response = client.post(
        f"/api/v1/programmes/{programme.uuid}/copy", {"name": "Feedback II"}, content_type="application/json"
    )
    assert response.status_code == 201
    body = response.json()
    assert (body["name"], body["price_per_participant"]) == ("Feedback II", "1200.00")
    assert [(m["title"], m["objectives"]) for m in body["modules"]] == [
        ("Listening", ["Paraphrase", "Ask open questions"])
    ]
    assert [(g["text"], g["organisation_goal"], g["team"]) for g in body["goals"]] == [
        ("Fewer escalations", "", None),
        ("Faster onboarding", "Grow", str(team.uuid)),
    ]
    copy = Programme.objects.get(uuid=body["id"])
    assert (Module.objects.filter(programme=copy).count(), LearningObjective.objects.count()) == (1, 4)
    assert ProgrammeGoal.objects.filter(programme=copy).count() == 2


def test_programme_patch_changes_only_what_was_sent(client, cast, programme):
    client.force_login(cast["admin"].user)
    response = client.patch(
        f"/api/v1/programmes/{programme.uuid}", {"fixed_costs": "300"}, content_type="application/json"
    )
    assert response.status_code == 200
    assert (response.json()["name"], response.json()["fixed_costs"]) == ("Feedback that lands", "300.00")


def test_programme_patch_refuses_null_for_a_required_field(client, cast, programme):
    client.force_login(cast["admin"].user)
    response = client.patch(f"/api/v1/programmes/{programme.uuid}", {"name": None}, content_type="application/json")
    assert (response.status_code, list(response.json()["errors"])) == (422, ["name"])


def test_programme_with_bad_amounts_is_422_with_the_fields(client, cast):
    client.force_login(cast["admin"].user)
    response = client.post(
        "/api/v1/programmes",
        {"name": "X", "price_per_participant": "-1", "trainer_hours": "1.234", "currency": "zł"},
        content_type="application/json",
    )
    assert response.status_code == 422
    assert sorted(response.json()["errors"]) == ["currency", "price_per_participant", "trainer_hours"]


def test_programme_with_cohorts_cannot_be_deleted(client, cast, cohort, programme):
    client.force_login(cast["admin"].user)
    response = client.delete(f"/api/v1/programmes/{programme.uuid}")
    assert response.status_code == 400
    assert Programme.objects.filter(pk=programme.pk).count() == 1


def test_module_patch_keeps_objectives_that_were_not_sent(client, cast, module):
    client.force_login(cast["admin"].user)
    response = client.patch(f"/api/v1/modules/{module.uuid}", {"title": "Listening"}, content_type="application/json")
    assert response.json()["objectives"] == ["Paraphrase", "Ask open questions"]
    response = client.patch(
        f"/api/v1/modules/{module.uuid}", {"objectives": ["Summarise"]}, content_type="application/json"
    )
    assert (response.json()["title"], response.json()["objectives"]) == ("Listening", ["Summarise"])


# Cohorts and sessions --------------------------------------------------------------------------


def test_cohort_created_with_trainers_and_sessions(client, cast, programme, module):
    client.force_login(cast["admin"].user)
    response = client.post(
        "/api/v1/cohorts",
        {
            "programme": str(programme.uuid),
            "name": "Autumn",
            "starts_on": "2026-09-01",
            "ends_on": "2026-11-30",
            "trainers": [str(cast["trainer"].uuid)],
            "mentors": [str(cast["mentor"].uuid)],
        },
        content_type="application/json",
    )
    assert response.status_code == 201
    cohort = response.json()
    assert {k: v for k, v in cohort.items() if k != "id"} == {
        "programme": str(programme.uuid),
        "programme_name": "Feedback that lands",
        "name": "Autumn",
        "starts_on": "2026-09-01",
        "ends_on": "2026-11-30",
        "midpoint_on": None,
        "trainers": [str(cast["trainer"].uuid)],
        "mentors": [str(cast["mentor"].uuid)],
        "participant_count": 0,
    }
    for day, title in [(8, "Second"), (1, "First")]:
        client.post(
            f"/api/v1/cohorts/{cohort['id']}/sessions",
            {
                "title": title,
                "starts_at": f"2026-09-0{day}T09:00:00+02:00",
                "ends_at": f"2026-09-0{day}T12:00:00+02:00",
                "place": "Room 4",
                "online_link": "https://meet.example.com/abc",
                "module": str(module.uuid),
            },
            content_type="application/json",
        )
    sessions = client.get(f"/api/v1/cohorts/{cohort['id']}/sessions").json()["items"]
    assert [(s["title"], s["starts_at"], s["module"], s["cohort"]) for s in sessions] == [
        ("First", "2026-09-01T07:00:00Z", str(module.uuid), cohort["id"]),
        ("Second", "2026-09-08T07:00:00Z", str(module.uuid), cohort["id"]),
    ]


def test_cohort_with_an_unknown_programme_or_trainer_is_400_with_the_field(client, cast, programme, outsider):
    client.force_login(cast["admin"].user)
    body = {"programme": str(programme.uuid), "name": "X", "starts_on": "2026-09-01", "ends_on": "2026-09-02"}
    response = client.post(
        "/api/v1/cohorts", body | {"trainers": [str(outsider.uuid)]}, content_type="application/json"
    )
    assert (response.status_code, list(response.json()["errors"])) == (400, ["trainers"])
    response = client.post("/api/v1/cohorts", body | {"programme": str(outsider.uuid)}, content_type="application/json")
    assert (response.status_code, list(response.json()["errors"])) == (400, ["programme"])


def test_cohort_ending_before_it_starts_is_400_with_the_field(client, cast, cohort):
    client.force_login(cast["admin"].user)
    response = client.patch(
        f"/api/v1/cohorts/{cohort.uuid}", {"ends_on": "2026-02-01"}, content_type="application/json"
    )
    assert (response.status_code, list(response.json()["errors"])) == (400, ["ends_on"])


def test_cohort_list_filter_by_programme(client, cast, cohort, empty_programme, programme):
    client.force_login(cast["admin"].user)
    assert client.get(f"/api/v1/cohorts?programme={programme.uuid}").json()["count"] == 1
    assert client.get(f"/api/v1/cohorts?programme={empty_programme.uuid}").json()["count"] == 0


def test_cohort_list_filter_naming_an_unknown_programme_matches_nothing(client, cast, cohort):
    client.force_login(cast["admin"].user)
    response = client.get("/api/v1/cohorts?programme=00000000-0000-0000-0000-000000000000")
    assert (response.status_code, response.json()["count"]) == (200, 0)


def test_session_ending_before_it_starts_is_400_with_the_field(client, cast, cohort):
    client.force_login(cast["trainer"].user)
    response = client.post(
        f"/api/v1/cohorts/{cohort.uuid}/sessions",
        {"title": "Backwards", "starts_at": "2026-03-09T12:00:00+01:00", "ends_at": "2026-03-09T09:00:00+01:00"},
        content_type="application/json",
    )
    assert (response.status_code, list(response.json()["errors"])) == (400, ["ends_at"])
    assert Session.objects.count() == 0


def test_session_without_a_time_zone_is_422(client, cast, cohort):
    client.force_login(cast["trainer"].user)
    response = client.post(
        f"/api/v1/cohorts/{cohort.uuid}/sessions",
        {"title": "Naive", "starts_at": "2026-03-09T09:00:00", "ends_at": "2026-03-09T12:00:00+01:00"},
        content_type="application/json",
    )
    assert (response.status_code, list(response.json()["errors"])) == (422, ["starts_at"])


def test_session_with_a_module_of_another_programme_is_400(client, cast, cohort, empty_programme):
    other = services.save_module(programme=empty_programme, actor=cast["admin"].user, title="Elsewhere", objectives=[])
    client.force_login(cast["trainer"].user)
    response = client.post(
        f"/api/v1/cohorts/{cohort.uuid}/sessions",
        {"title": "Mixed", "starts_at": "2026-03-09T09:00:00+01:00", "ends_at": "2026-03-09T12:00:00+01:00"}
        | {"module": str(other.uuid)},
        content_type="application/json",
    )
    assert (response.status_code, list(response.json()["errors"])) == (400, ["module"])


def test_session_change_and_cancel_raise_the_sequence(client, cast, session):
    client.force_login(cast["trainer"].user)
    changed = client.patch(f"/api/v1/sessions/{session.uuid}", {"place": "Room 4"}, content_type="application/json")
    assert (changed.json()["place"], changed.json()["sequence"]) == ("Room 4", 1)
    cancelled = client.post(f"/api/v1/sessions/{session.uuid}/cancel")
    assert (cancelled.status_code, cancelled.json()["cancelled"], cancelled.json()["sequence"]) == (200, True, 2)
    again = client.post(f"/api/v1/sessions/{session.uuid}/cancel")
    assert again.json()["sequence"] == 2


# Enrolments ------------------------------------------------------------------------------------


def test_enrol_team_enrols_its_members_and_sub_team_members(client, cast, programme, team):
    cohort = services.create_cohort(
        programme=programme,
        actor=cast["admin"].user,
        name="Sales",
        starts_on=datetime.date(2026, 3, 1),
        ends_on=datetime.date(2026, 3, 31),
    )
    north = Team.objects.create(workspace=team.workspace, name="North", parent=team)
    PersonFactory(workspace=team.workspace, team=north, user=UserFactory(name="Nils North"))
    PersonFactory(workspace=team.workspace, team=None, user=UserFactory(name="Tina Teamless"))
    client.force_login(cast["admin"].user)
    response = client.post(
        f"/api/v1/cohorts/{cohort.uuid}/enrolments",
        {"team": str(team.uuid), "mentor": str(cast["mentor"].uuid)},
        content_type="application/json",
    )
    assert response.status_code == 201
    assert [(e["name"], e["mentor"], e["status"]) for e in response.json()] == [
        ("Magnus Manager", str(cast["mentor"].uuid), "invited"),
        ("Nils North", str(cast["mentor"].uuid), "invited"),
        ("Olek Other", str(cast["mentor"].uuid), "invited"),
        ("Pia Participant", str(cast["mentor"].uuid), "invited"),
    ]
    again = client.post(
        f"/api/v1/cohorts/{cohort.uuid}/enrolments", {"team": str(team.uuid)}, content_type="application/json"
    )
    assert (again.status_code, again.json(), cohort.enrolments.count()) == (201, [], 4)


def test_enrol_people_records_the_manager_at_enrolment(client, cast, cohort, newcomer):
    client.force_login(cast["admin"].user)
    response = client.post(
        f"/api/v1/cohorts/{cohort.uuid}/enrolments",
        {"people": [str(newcomer.uuid), str(cast["participant"].uuid)]},
        content_type="application/json",
    )
    assert [(e["name"], e["manager"]) for e in response.json()] == [("Nina Newcomer", None)]
    participant = client.get(f"/api/v1/enrolments/{cohort.enrolments.get(person=cast['participant']).uuid}").json()
    assert participant["manager"] == str(cast["manager"].uuid)


def test_enrol_with_an_unknown_person_or_team_is_400_with_the_field(client, cast, cohort, outsider):
    client.force_login(cast["admin"].user)
    path = f"/api/v1/cohorts/{cohort.uuid}/enrolments"
    response = client.post(path, {"people": [str(outsider.uuid)]}, content_type="application/json")
    assert (response.status_code, list(response.json()["errors"])) == (400, ["people"])
    response = client.post(path, {"team": str(outsider.uuid)}, content_type="application/json")
    assert (response.status_code, list(response.json()["errors"])) == (400, ["team"])
    response = client.post(
        path, {"people": [str(cast["manager"].uuid)], "mentor": str(outsider.uuid)}, content_type="application/json"
    )
    assert (response.status_code, list(response.json()["errors"])) == (400, ["mentor"])
    assert cohort.enrolments.count() == 2


def test_enrol_needs_people_or_a_team_but_not_both(client, cast, cohort, team):
    client.force_login(cast["admin"].user)
    path = f"/api/v1/cohorts/{cohort.uuid}/enrolments"
    both = {"people": [str(cast["manager"].uuid)], "team": str(team.uuid)}
    assert client.post(path, both, content_type="application/json").status_code == 422
    assert client.post(path, {}, content_type="application/json").status_code == 422


def _as_sent(moment: datetime.datetime) -> str:
    # The API writes times to the millisecond, as JavaScript reads them.
    return DjangoJSONEncoder().default(moment)


def test_enrolment_status_patch_stamps_when_it_happened(client, cast, enrolment):
    client.force_login(cast["trainer"].user)
    path = f"/api/v1/enrolments/{enrolment.uuid}"
    before = timezone.now()
    active = client.patch(path, {"status": "active"}, content_type="application/json").json()
    completed = client.patch(path, {"status": "completed"}, content_type="application/json").json()
    after = timezone.now()
    enrolment.refresh_from_db()
    assert (completed["status"], completed["withdrawn_at"]) == ("completed", None)
    assert (active["activated_at"], completed["completed_at"]) == (
        _as_sent(enrolment.activated_at),
        _as_sent(enrolment.completed_at),
    )
    assert before <= enrolment.activated_at <= enrolment.completed_at <= after
    assert completed["invited_at"] == active["invited_at"] == _as_sent(enrolment.invited_at)


def test_enrolment_patch_sets_and_clears_the_mentor(client, cast, enrolment):
    client.force_login(cast["admin"].user)
    path = f"/api/v1/enrolments/{enrolment.uuid}"
    response = client.patch(path, {"mentor": str(cast["mentor"].uuid)}, content_type="application/json")
    assert response.json()["mentor"] == str(cast["mentor"].uuid)
    response = client.patch(path, {"mentor": None}, content_type="application/json")
    assert response.json()["mentor"] is None


def test_enrolment_patch_with_a_bad_mentor_changes_nothing(client, cast, enrolment, outsider):
    client.force_login(cast["admin"].user)
    response = client.patch(
        f"/api/v1/enrolments/{enrolment.uuid}",
        {"status": "withdrawn", "mentor": str(outsider.uuid)},
        content_type="application/json",
    )
    assert (response.status_code, list(response.json()["errors"])) == (400, ["mentor"])
    enrolment.refresh_from_db()
    assert (enrolment.status, enrolment.withdrawn_at) == ("invited", None)


# Accommodations --------------------------------------------------------------------------------

NEEDS = {
    "needs_sign_language": False,
    "needs_captions": True,
    "needs_screen_reader": False,
    "needs_extra_time": True,
    "accommodation_notes": "Seat near the door",
}


@pytest.fixture
def needs(enrolment, cast):
    services.update_enrolment(enrolment=enrolment, actor=cast["admin"].user, **NEEDS)
    return enrolment


@pytest.mark.parametrize(
    ("role", "shown"),
    [
        ("admin", NEEDS),
        ("trainer", NEEDS),
        ("mentor", NEEDS),
        ("participant", NEEDS),
        ("manager", None),
    ],
)
def test_accommodations_shown_only_to_who_may_see_them(client, cast, needs, role, shown):
    client.force_login(cast[role].user)
    assert client.get(f"/api/v1/enrolments/{needs.uuid}").json()["accommodations"] == shown
    listed = client.get(f"/api/v1/cohorts/{needs.cohort.uuid}/enrolments").json()["items"]
    assert [e["accommodations"] for e in listed if e["id"] == str(needs.uuid)] == [shown]


def test_accommodations_of_a_fellow_participant_are_hidden_in_the_list(client, cast, needs):
    fellow = needs.cohort.enrolments.get(person=cast["other_participant"])
    services.update_enrolment(enrolment=fellow, actor=cast["admin"].user, needs_captions=True)
    client.force_login(cast["manager"].user)
    listed = client.get(f"/api/v1/cohorts/{needs.cohort.uuid}/enrolments").json()["items"]
    assert [(e["name"], e["accommodations"]) for e in listed] == [("Pia Participant", None)]


def test_accommodations_hidden_from_api_keys(client, needs, key):
    response = client.get(f"/api/v1/enrolments/{needs.uuid}", **bearer(key("programmes:read")))
    assert (response.status_code, response.json()["accommodations"]) == (200, None)


def test_participant_changes_their_own_accommodations(client, cast, enrolment):
    client.force_login(cast["participant"].user)
    response = client.patch(f"/api/v1/enrolments/{enrolment.uuid}", NEEDS, content_type="application/json")
    assert (response.status_code, response.json()["accommodations"]) == (200, NEEDS)


def test_participant_cannot_change_their_own_status(client, cast, enrolment):
    client.force_login(cast["participant"].user)
    response = client.patch(
        f"/api/v1/enrolments/{enrolment.uuid}",
        {"needs_captions": True, "status": "completed"},
        content_type="application/json",
    )
    assert response.status_code == 403
    enrolment.refresh_from_db()
    assert (enrolment.status, enrolment.needs_captions) == ("invited", False)


def test_enrolment_copies_the_needs_from_the_profile(client, cast, cohort, newcomer):
    newcomer.user.needs_screen_reader = True
    newcomer.user.accessibility_notes = "Large print"
    newcomer.user.save()
    client.force_login(cast["trainer"].user)
    response = client.post(
        f"/api/v1/cohorts/{cohort.uuid}/enrolments", {"people": [str(newcomer.uuid)]}, content_type="application/json"
    )
    assert response.json()[0]["accommodations"] == {
        "needs_sign_language": False,
        "needs_captions": False,
        "needs_screen_reader": True,
        "needs_extra_time": False,
        "accommodation_notes": "Large print",
    }


# Query counts ----------------------------------------------------------------------------------


def _count_queries(client, path, **headers) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(path, **headers).status_code == 200
    return len(captured)


def test_programme_list_query_count_does_not_grow(client, cast, programme, django_assert_max_num_queries):
    client.force_login(cast["trainer"].user)
    client.get("/api/v1/programmes")  # warm the session
    one = _count_queries(client, "/api/v1/programmes")
    for name in ["Negotiation", "Coaching"]:
        services.create_programme(workspace=programme.workspace, actor=None, name=name)
    with django_assert_max_num_queries(one):
        response = client.get("/api/v1/programmes")
    assert response.json()["count"] == 3


@pytest.mark.parametrize("role", ["trainer", "mentor", "manager", "key"])
def test_enrolment_list_query_count_does_not_grow(client, cast, programme, key, role, django_assert_max_num_queries):
    cohort = services.create_cohort(
        programme=programme,
        actor=None,
        name="Counted",
        starts_on=datetime.date(2026, 3, 1),
        ends_on=datetime.date(2026, 3, 31),
        trainers=[cast["trainer"]],
        mentors=[cast["mentor"]],
    )
    services.enrol_people(cohort=cohort, actor=None, people=[cast["participant"]], mentor=cast["mentor"])
    path = f"/api/v1/cohorts/{cohort.uuid}/enrolments"
    headers = {}
    if role == "key":
        headers = bearer(key("programmes:read"))
    else:
        client.force_login(cast[role].user)
    client.get(path, **headers)  # warm the session or the key's last-used write
    one = _count_queries(client, path, **headers)
    for name in ["Rita Report", "Ravi Report"]:
        person = PersonFactory(workspace=cohort.workspace, manager=cast["manager"], user=UserFactory(name=name))
        services.enrol_people(cohort=cohort, actor=None, people=[person], mentor=cast["mentor"])
    with django_assert_max_num_queries(one):
        response = client.get(path, **headers)
    assert response.json()["count"] == 3


# The description -------------------------------------------------------------------------------


def test_openapi_declares_error_codes(client):
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    assert sorted(paths["/api/v1/cohorts/{cohort_id}/enrolments"]["post"]["responses"]) == [
        "201",
        "400",
        "401",
        "403",
        "404",
        "422",
    ]
    assert sorted(paths["/api/v1/programmes"]["get"]["responses"]) == ["200", "401", "403", "404", "422"]


def test_enrolment_ids_are_the_public_uuids(client, cast, enrolment):
    client.force_login(cast["admin"].user)
    body = client.get(f"/api/v1/enrolments/{enrolment.uuid}").json()
    assert (body["id"], body["cohort"], body["person"]) == (
        str(enrolment.uuid),
        str(enrolment.cohort.uuid),
        str(cast["participant"].uuid),
    )
    assert Enrolment.objects.filter(uuid=body["id"]).count() == 1


# Generated requests ----------------------------------------------------------------------------

# The whole API's check (tests/core/test_api_schema.py) uses a people key, so it sees these
# endpoints answer 403; this one sends the same kind of requests with a programmes key.
schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application).include(tag="programmes")


@pytest.fixture
def _keep_the_test_transactions_connection():
    # Requests here go straight to the WSGI application, not through Django's test client,
    # which is what normally stops the end of a request from closing the test's connection.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def programmes_key(cast, _keep_the_test_transactions_connection):
    return create_api_key(
        workspace=cast["admin"].workspace,
        actor=cast["admin"].user,
        name="schema check",
        scopes=["programmes:read", "programmes:write"],
    )[1]


@schema.parametrize()
@settings(max_examples=40, deadline=None, derandomize=True, suppress_health_check=list(HealthCheck))
def test_programmes_api_answers_as_described(case, programmes_key):
    case.call_and_validate(
        headers={"Authorization": f"Bearer {programmes_key}"}, excluded_checks=[positive_data_acceptance]
    )
