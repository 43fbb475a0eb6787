"""The indicators API: the set (list, add, change, order, archive, restore, delete) and the
readings (values and series) with the role × level matrix, API keys and their scopes, and other
workspaces kept out."""

import json

import pytest

from takeroot.core.services import create_api_key
from takeroot.programmes.models import Enrolment
from takeroot.tracking.enums import Input, Origin
from takeroot.tracking.indicators import indicators_for
from takeroot.tracking.models import Indicator
from takeroot.tracking.recording import Fact, record
from tests.course_support import NOW

API = "/api/v1"
WINDOW = "from=2026-09-28&to=2026-10-05"  # two weeks: the previous period is the two before


def send(client, method, path, body=None, **extra):
    return getattr(client, method)(path, data=json.dumps(body or {}), content_type="application/json", **extra)


def bearer(secret):
    return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}


@pytest.fixture
def indicators(workspace):
    return {indicator.code: indicator for indicator in indicators_for(workspace)}


@pytest.fixture
def facts(workspace, enrolment, other_enrolment):
    record(
        workspace,
        [
            Fact(enrolment.cohort_id, enrolment.pk, None, Input.ATTENDANCE, 1, NOW, Origin.TAKEROOT),
            Fact(other_enrolment.cohort_id, other_enrolment.pk, None, Input.ATTENDANCE, 0, NOW, Origin.TAKEROOT),
            Fact(enrolment.cohort_id, enrolment.pk, None, Input.TIME_ONLINE, 90, NOW, Origin.TAKEROOT),
        ],
    )


def values_path(level, obj=None, extra=""):
    target = f"&id={obj.uuid}" if obj is not None else ""
    return f"{API}/tracking/values?level={level}{target}&{WINDOW}{extra}"


# The set ------------------------------------------------------------------------------------------


def test_the_set_lists_the_defaults_with_their_formulas(cast, client_for, indicators):
    found = client_for(cast["trainer"]).get(f"{API}/tracking/indicators").json()

    assert [row["code"] for row in found][:3] == ["attendance_rate", "time_online", "interactions"]
    assert found[1] | {"id": None} == {
        "id": None,
        "code": "time_online",
        "name": "Time online per person and week",
        "category": "engagement",
        "formula": "sum(time_online) / people / weeks",
        "formula_in_words": "total time online (minutes) ÷ people ÷ weeks",
        "cadence": "week",
        "threshold": 60.0,
        "higher_is_better": True,
        "unit": "min",
        "position": 1,
        "is_default": True,
        "archived": False,
        "source": "LMS durations, time-online files",
        "cohort_only": False,
    }


@pytest.mark.parametrize(("who", "status"), [("admin", 201), ("trainer", 403), ("participant", 403)])
def test_only_admins_add_indicators(cast, client_for, indicators, who, status):
    body = {"name": "Check-ins made", "category": "application", "formula": "mean(check_in)", "threshold": 0.9}
    response = send(client_for(cast[who]), "post", f"{API}/tracking/indicators", body)

    assert response.status_code == status
    if status == 201:
        assert response.json()["code"] == "check_ins_made" and response.json()["unit"] == ""


def test_a_bad_formula_answers_400_naming_the_field(cast, client_for, indicators):
    body = {"name": "Odd", "category": "knowledge", "formula": "mean(quiz_score).real", "threshold": 1}
    response = send(client_for(cast["admin"]), "post", f"{API}/tracking/indicators", body)

    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["formula"]


def test_a_default_changes_threshold_and_cadence_but_not_its_formula(cast, client_for, indicators):
    client = client_for(cast["admin"])
    path = f"{API}/tracking/indicators/{indicators['quiz_accuracy'].uuid}"

    assert send(client, "patch", path, {"threshold": 0.75, "cadence": "two_weeks"}).json()["threshold"] == 0.75
    refused = send(client, "patch", path, {"formula": "mean(assignment_score)"})
    assert refused.status_code == 400
    assert refused.json()["errors"] == {
        "formula": ["A default indicator keeps its formula; change its threshold or cadence, or add your own."]
    }
    assert send(client, "delete", path).status_code == 400


def test_archive_restore_order_and_delete(cast, client_for, indicators, workspace):
    client = client_for(cast["admin"])
    attendance = indicators["attendance_rate"]

    assert send(client, "post", f"{API}/tracking/indicators/{attendance.uuid}/archive").json()["archived"] is True
    assert [row["code"] for row in client.get(f"{API}/tracking/indicators?archived=true").json()] == ["attendance_rate"]
    assert send(client, "post", f"{API}/tracking/indicators/{attendance.uuid}/restore").json()["archived"] is False
    order = [indicators["usefulness"].uuid, attendance.uuid]
    assert (
        send(client, "put", f"{API}/tracking/indicators/order", {"indicators": [str(u) for u in order]}).status_code
        == 204
    )
    assert [i.code for i in indicators_for(workspace)][:2] == ["usefulness", "attendance_rate"]
    own = send(
        client,
        "post",
        f"{API}/tracking/indicators",
        {"name": "X", "category": "knowledge", "formula": "mean(quiz_score)", "threshold": 1},
    ).json()
    assert send(client, "delete", f"{API}/tracking/indicators/{own['id']}").status_code == 204
    assert not Indicator.objects.filter(uuid=own["id"]).exists()


def test_another_workspaces_indicator_is_not_found(cast, client_for, indicators):
    client = client_for(cast["outsider"])
    path = f"{API}/tracking/indicators/{indicators['attendance_rate'].uuid}"

    assert client.get(path).status_code == 404
    assert send(client, "patch", path, {"threshold": 0.1}).status_code == 404
    assert send(client, "post", f"{path}/archive").status_code == 404
    assert Indicator.objects.get(pk=indicators["attendance_rate"].pk).threshold == 0.8


def test_api_keys_need_the_tracking_scopes(client, cast, workspace, indicators):
    admin = cast["admin"]
    _key, reader = create_api_key(workspace=workspace, actor=admin.user, name="R", scopes=["tracking:read"])
    _key, writer = create_api_key(workspace=workspace, actor=admin.user, name="W", scopes=["tracking:write"])
    _key, other = create_api_key(workspace=workspace, actor=admin.user, name="O", scopes=["surveys:read"])
    path = f"{API}/tracking/indicators/{indicators['attendance_rate'].uuid}"

    assert client.get(f"{API}/tracking/indicators", **bearer(reader)).status_code == 200
    assert client.get(f"{API}/tracking/indicators", **bearer(other)).status_code == 403
    assert client.get(values_path("workspace"), **bearer(reader)).status_code == 200
    assert send(client, "patch", path, {"threshold": 0.5}, **bearer(reader)).status_code == 403
    assert send(client, "patch", path, {"threshold": 0.5}, **bearer(writer)).status_code == 200


# Readings ----------------------------------------------------------------------------------------


def test_values_of_a_cohort(cast, client_for, cohort, indicators, facts):
    found = client_for(cast["trainer"]).get(values_path("cohort", cohort)).json()

    assert (found["label"], found["period"], found["previous_period"]["start"]) == (
        "Kraków spring",
        {"start": "2026-09-28", "end": "2026-10-12", "weeks": 2},
        "2026-09-14",
    )
    attendance = found["readings"][0]
    assert attendance == {
        "indicator": "attendance_rate",
        "name": "Attendance rate",
        "category": "engagement",
        "unit": "%",
        "value": 0.5,
        "previous": None,
        "n": 2,
        "light": "red",
        "text": "50 %",
        "trend": None,
        "change_text": "",
        "cohort_only": False,
    }
    assert found["readings"][1]["value"] == 90 / 2 / 2


def test_values_by_enrolment(cast, client_for, cohort, enrolment, indicators, facts):
    found = client_for(cast["trainer"]).get(values_path("cohort", cohort, "&by=enrolment")).json()

    assert [(item["label"], item["readings"][0]["text"]) for item in found["items"]] == [
        ("Olek Other", "0 %"),
        ("Pia Participant", "100 %"),
    ]
    assert found["items"][1]["id"] == str(enrolment.uuid)


def test_a_series_has_a_point_per_cadence(cast, client_for, cohort, indicators, facts):
    path = f"{API}/tracking/series?level=cohort&id={cohort.uuid}&{WINDOW}&indicator=attendance_rate"
    found = client_for(cast["admin"]).get(path).json()

    assert [(p["date"], p["value"], p["text"]) for p in found["points"]] == [
        ("2026-09-28", None, "no data"),
        ("2026-10-05", 0.5, "50 %"),
    ]
    assert client_for(cast["admin"]).get(path.replace("attendance_rate", "nothing")).status_code == 404


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        ("admin", {"enrolment": 200, "cohort": 200, "module": 200, "programme": 200, "team": 200, "workspace": 200}),
        ("trainer", {"enrolment": 200, "cohort": 200, "module": 200, "programme": 200, "team": 403, "workspace": 403}),
        ("manager", {"enrolment": 200, "cohort": 403, "module": 403, "programme": 403, "team": 200, "workspace": 403}),
        (
            "participant",
            {"enrolment": 200, "cohort": 403, "module": 403, "programme": 403, "team": 403, "workspace": 403},
        ),
        (
            "other_participant",
            {"enrolment": 403, "cohort": 403, "module": 403, "programme": 403, "team": 403, "workspace": 403},
        ),
        ("mentor", {"enrolment": 403, "cohort": 403, "module": 403, "programme": 403, "team": 403, "workspace": 403}),
    ],
)
def test_each_level_follows_its_dashboard_rule(
    cast, client_for, enrolment, cohort, modules, programme, team, indicators, who, expected
):
    objects = {
        "enrolment": enrolment,
        "cohort": cohort,
        "module": modules[0],
        "programme": programme,
        "team": team,
        "workspace": None,
    }
    client = client_for(cast[who])

    assert {level: client.get(values_path(level, obj)).status_code for level, obj in objects.items()} == expected


def test_another_workspaces_objects_are_not_found(cast, client_for, enrolment, cohort, programme, team, indicators):
    client = client_for(cast["outsider"])

    for level, obj in {"enrolment": enrolment, "cohort": cohort, "programme": programme, "team": team}.items():
        assert client.get(values_path(level, obj)).status_code == 404
        assert (
            client.get(f"{API}/tracking/series?level={level}&id={obj.uuid}&indicator=attendance_rate").status_code
            == 404
        )


def test_bad_periods_and_missing_ids_answer_400(cast, client_for, cohort, indicators):
    client = client_for(cast["admin"])

    assert (
        client.get(f"{API}/tracking/values?level=cohort&id={cohort.uuid}&from=2026-10-05&to=2026-09-01").status_code
        == 400
    )
    assert (
        client.get(f"{API}/tracking/values?level=cohort&id={cohort.uuid}&from=2000-01-01&to=2026-09-01").status_code
        == 400
    )
    assert client.get(f"{API}/tracking/values?level=cohort").status_code == 400
    assert client.get(f"{API}/tracking/values?level=cohort&id={cohort.uuid}&by=everyone").status_code == 422
    assert Enrolment.objects.count() == 2
