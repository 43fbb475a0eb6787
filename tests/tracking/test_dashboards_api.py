"""The dashboards API: the same figures as the pages (readings with value, previous, n, light;
tables; flags; findings), the period parameters, who may call which endpoint, API keys and their
scope, and other workspaces."""

import pytest

from takeroot.core.services import create_api_key

from .test_dashboards import EXPECTED, ROLES
from .test_dashboards_support import finding, flag, record_month


@pytest.fixture
def month(enrolment, other_enrolment, modules):
    record_month(enrolment, other_enrolment, modules)


def _endpoints(cohort, programme, enrolment, team):
    return {
        "cohort": f"/api/v1/tracking/dashboards/cohorts/{cohort.uuid}",
        "programme": f"/api/v1/tracking/dashboards/programmes/{programme.uuid}",
        "team": f"/api/v1/tracking/dashboards/teams/{team.uuid}",
        "progress": f"/api/v1/tracking/dashboards/enrolments/{enrolment.uuid}/progress",
    }


def bearer(secret):
    return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}


def _reading(found, code):
    return next(r for r in found["readings"] if r["indicator"] == code)


def test_cohort_dashboard_figures(client_for, cast, cohort, enrolment, modules, month):
    flag(enrolment)
    finding(cohort, modules[0])
    found = client_for(cast["trainer"]).get(f"/api/v1/tracking/dashboards/cohorts/{cohort.uuid}").json()

    assert (found["kind"], found["start"], found["end"]) == ("cohort", "2026-08-31", "2026-10-04")
    attendance = _reading(found, "attendance_rate")
    assert attendance["value"] == pytest.approx(5 / 6)
    assert (attendance["previous"], attendance["n"], attendance["light"], attendance["text"]) == (
        None,
        6,
        "green",
        "83 %",
    )
    people = next(t for t in found["tables"] if t["name"] == "participants")
    pia = next(row for row in people["rows"] if row["label"] == "Pia Participant")
    assert (pia["key"], pia["at_risk"]) == (str(enrolment.uuid), 1)
    assert next(r for r in pia["readings"] if r["indicator"] == "quiz_accuracy")["value"] == 0.5
    assert [(f["person"], [r["reason"] for r in f["reasons"]]) for f in found["flags"]] == [
        ("Pia Participant", ["missed_check_ins"])
    ]
    assert [(f["kind"], f["module"], f["value"]) for f in found["findings"]] == [
        ("low_knowledge", str(modules[0].uuid), 0.7)
    ]
    assert found["series"][0]["indicators"] == ["attendance_rate"]


def test_from_and_to_choose_the_period(client_for, cast, cohort, month):
    client = client_for(cast["admin"])
    found = client.get(f"/api/v1/tracking/dashboards/cohorts/{cohort.uuid}?from=2026-09-21&to=2026-10-04").json()
    assert (found["start"], found["end"]) == ("2026-09-21", "2026-10-04")
    assert _reading(found, "attendance_rate")["value"] == 0.5
    assert _reading(found, "attendance_rate")["previous"] == 1.0  # the two weeks before

    bad = client.get(f"/api/v1/tracking/dashboards/cohorts/{cohort.uuid}?from=2026-10-04&to=2026-09-21")
    assert bad.status_code == 422
    assert bad.json()["errors"] == {"to": ["The period ends on or after the day it starts."]}
    assert client.get(f"/api/v1/tracking/dashboards/cohorts/{cohort.uuid}?from=yesterday").status_code == 422


def test_progress_and_organisation(client_for, cast, enrolment, month):
    progress = client_for(cast["participant"]).get(f"/api/v1/tracking/dashboards/enrolments/{enrolment.uuid}/progress")
    assert progress.json()["facts"][0] == "You attended 3 of 4 sessions."
    organisation = client_for(cast["admin"]).get("/api/v1/tracking/dashboards/organisation?period=all").json()
    assert _reading(organisation, "attendance_rate")["text"] == "83 %"
    assert organisation["at_risk"] == 0 and organisation["flags"] is None


@pytest.mark.parametrize("who", ROLES)
def test_role_endpoint_matrix(client_for, cast, programme, cohort, enrolment, who):
    client = client_for(cast[who])
    endpoints = _endpoints(cohort, programme, enrolment, cast["manager"].team)
    statuses = {name: client.get(path).status_code for name, path in endpoints.items()}
    assert statuses == EXPECTED[who]
    organisation = client.get("/api/v1/tracking/dashboards/organisation").status_code
    assert organisation == (200 if who in ("admin", "outsider") else 403)


@pytest.mark.parametrize(("scopes", "status"), [(["tracking:read"], 200), (["people:read", "surveys:read"], 403)])
def test_api_key_needs_the_read_scope(client, cast, programme, cohort, enrolment, scopes, status):
    _key, secret = create_api_key(workspace=cohort.workspace, actor=cast["admin"].user, name="BI", scopes=scopes)
    endpoints = [*_endpoints(cohort, programme, enrolment, cast["manager"].team).values()]
    endpoints.append("/api/v1/tracking/dashboards/organisation")
    assert [client.get(path, **bearer(secret)).status_code for path in endpoints] == [status] * 5


def test_api_key_reads_flags_of_its_workspace(client, cast, cohort, enrolment):
    flag(enrolment)
    _key, secret = create_api_key(
        workspace=cohort.workspace, actor=cast["admin"].user, name="BI", scopes=["tracking:read"]
    )
    found = client.get(f"/api/v1/tracking/dashboards/cohorts/{cohort.uuid}", **bearer(secret)).json()
    assert [f["person"] for f in found["flags"]] == ["Pia Participant"]


def test_api_key_of_another_workspace_finds_nothing(client, cast, programme, cohort, enrolment):
    outsider = cast["outsider"]
    _key, secret = create_api_key(
        workspace=outsider.workspace, actor=outsider.user, name="BI", scopes=["tracking:read"]
    )
    endpoints = _endpoints(cohort, programme, enrolment, cast["manager"].team).values()
    assert [client.get(path, **bearer(secret)).status_code for path in endpoints] == [404] * 4
