"""The imports API: check (dry run) and import a multipart file, list, read and remove imports,
saved sources; roles, cohorts, API keys and their scopes, other workspaces."""

import datetime
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext

from takeroot.core.services import create_api_key
from takeroot.programmes.services import create_cohort
from takeroot.tracking.enums import ImportKind
from takeroot.tracking.models import ActivityImport, ActivityRecord, ImportSource

from .test_imports_support import csv_file, import_file, xlsx_file

API = "/api/v1/tracking"
PIA, OLEK = "participant@acme.test", "other@acme.test"
GRADES = [["E-mail", "Datum", "Poäng", "Max"], [PIA, "2026-10-05", "18", "20"], [OLEK, "05.10.2026", "15", "20"]]


def post_file(client, cohort, uploaded, **fields):
    data = {"cohort": str(cohort.uuid), "kind": ImportKind.GRADES, "file": uploaded} | fields
    return client.post(f"{API}/imports", {name: value for name, value in data.items() if value is not None})


def bearer(secret):
    return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}


def key(workspace, admin, *scopes):
    return bearer(create_api_key(workspace=workspace, actor=admin.user, name="LMS sync", scopes=list(scopes))[1])


def test_a_dry_run_answers_the_preview_and_saves_nothing(client_for, cast, cohort, enrolment):
    response = post_file(client_for(cast["admin"]), cohort, xlsx_file(GRADES), dry_run="true")

    assert response.status_code == 200
    body = response.json()
    assert (body["records"], body["replacing"], body["problems"]) == (2, 0, [])
    assert body["columns"] == {"email": "E-mail", "date": "Datum", "score": "Poäng", "maximum": "Max"}
    assert [(row["email"], row["value"], row["date"]) for row in body["rows"]] == [
        (PIA, 0.9, "2026-10-05"),
        (OLEK, 0.75, "2026-10-05"),
    ]
    assert (ActivityImport.objects.count(), ActivityRecord.objects.count()) == (0, 0)


def test_an_import_is_created_listed_read_and_removed(client_for, cast, cohort, enrolment):
    client = client_for(cast["admin"])
    response = post_file(client, cohort, csv_file(GRADES, "grades.csv"))

    assert response.status_code == 201
    created = response.json()
    assert (created["filename"], created["kind"], created["cohort"], created["records"]) == (
        "grades.csv",
        "grades",
        str(cohort.uuid),
        2,
    )
    assert ActivityRecord.objects.count() == 2
    assert [item["id"] for item in client.get(f"{API}/imports").json()["items"]] == [created["id"]]
    assert client.get(f"{API}/imports/{created['id']}").json() == created

    assert client.delete(f"{API}/imports/{created['id']}").status_code == 204
    assert (ActivityImport.objects.count(), ActivityRecord.objects.count()) == (0, 0)


def test_problems_refuse_the_whole_file(client_for, cast, cohort, enrolment):
    rows = [*GRADES, ["nobody@acme.test", "2026-10-05", "5", "20"], [PIA, "2026-10-06", "25", "20"]]
    response = post_file(client_for(cast["admin"]), cohort, csv_file(rows))

    assert response.status_code == 400
    body = response.json()
    assert body["detail"] == "The file has 2 problems. Nothing was imported."
    assert body["problems"] == [
        {"line": 4, "column": "E-mail", "message": "Unknown email: nobody@acme.test (not a person in this workspace)"},
        {"line": 5, "column": "Poäng", "message": "Out of range: 25 (a score is 0 to the maximum, 20)"},
    ]
    assert (ActivityImport.objects.count(), ActivityRecord.objects.count()) == (0, 0)


def test_columns_can_be_named_and_bad_ones_are_refused(client_for, cast, cohort, enrolment):
    client = client_for(cast["admin"])
    rows = [["Who", "When", "Points"], [PIA, "2026-10-05", "90 %"]]
    named = json.dumps({"email": "Who", "date": "When", "score": "Points"})

    assert post_file(client, cohort, csv_file(rows), columns=named).status_code == 201
    refused = post_file(client, cohort, csv_file(rows), columns=json.dumps({"email": "Nope"}))
    assert (refused.status_code, refused.json()["errors"]) == (400, {"columns": ["Not a column of the file: Nope"]})
    refused = post_file(client, cohort, csv_file(rows), columns="{")
    assert refused.json()["errors"] == {"columns": ["Send the columns as a JSON object: field → column title."]}
    refused = post_file(client, cohort, csv_file(rows))  # nothing recognisable for the email
    required = ["Choose the column that holds this; it is required."]
    assert refused.json()["errors"] == {"email": required, "date": required}
    unreadable = post_file(client, cohort, SimpleUploadedFile("grades.pdf", b"%PDF"))
    assert unreadable.json()["errors"] == {"file": ["Upload a CSV or XLSX file."]}


def test_importing_twice_replaces(client_for, cast, cohort, enrolment):
    client = client_for(cast["admin"])
    post_file(client, cohort, csv_file(GRADES))
    again = post_file(client, cohort, csv_file(GRADES), dry_run="true").json()

    assert (again["records"], again["replacing"]) == (2, 2)
    assert post_file(client, cohort, csv_file(GRADES)).json()["replaced"] == 2
    assert ActivityRecord.objects.count() == 2


def test_a_trainer_imports_only_into_cohorts_they_train(client_for, cast, cohort, enrolment, programme):
    other = create_cohort(
        programme=programme,
        actor=cast["admin"].user,
        name="Gdańsk autumn",
        starts_on=datetime.date(2026, 10, 1),
        ends_on=datetime.date(2026, 12, 1),
    )
    client = client_for(cast["trainer"])

    assert post_file(client, other, csv_file(GRADES)).status_code == 403
    assert post_file(client, cohort, csv_file(GRADES)).status_code == 201
    hidden = ActivityImport.objects.create(workspace=other.workspace, kind="grades", filename="x.csv", cohort=other)
    assert [item["filename"] for item in client.get(f"{API}/imports").json()["items"]] == ["export.csv"]
    assert client.get(f"{API}/imports/{hidden.uuid}").status_code == 403
    assert client.delete(f"{API}/imports/{hidden.uuid}").status_code == 403


@pytest.mark.parametrize("who", ["mentor", "manager", "participant"])
def test_other_roles_are_refused(client_for, cast, cohort, enrolment, who):
    activity_import = import_file(cohort, ImportKind.GRADES, csv_file(GRADES))
    source = ImportSource.objects.create(workspace=cohort.workspace, name="S", kind=ImportKind.GRADES)
    client = client_for(cast[who])

    assert post_file(client, cohort, csv_file(GRADES)).status_code == 403
    assert client.get(f"{API}/imports").status_code == 403
    assert client.get(f"{API}/imports/{activity_import.uuid}").status_code == 403
    assert client.delete(f"{API}/imports/{activity_import.uuid}").status_code == 403
    assert client.get(f"{API}/import-sources").status_code == 403
    sent = {"name": "Mine", "kind": "grades", "columns": {}}
    assert client.post(f"{API}/import-sources", sent, content_type="application/json").status_code == 403
    assert client.delete(f"{API}/import-sources/{source.uuid}").status_code == 403
    assert ActivityRecord.objects.count() == 2


def test_another_workspace_finds_nothing(client_for, cast, cohort, enrolment, other_workspace):
    activity_import = import_file(cohort, ImportKind.GRADES, csv_file(GRADES))
    source = ImportSource.objects.create(workspace=cohort.workspace, name="S", kind=ImportKind.GRADES)
    client = client_for(cast["outsider"])  # an admin of their own workspace

    assert post_file(client, cohort, csv_file(GRADES)).status_code == 404
    assert client.get(f"{API}/imports").json()["items"] == []
    assert client.get(f"{API}/imports/{activity_import.uuid}").status_code == 404
    assert client.delete(f"{API}/imports/{activity_import.uuid}").status_code == 404
    assert client.get(f"{API}/import-sources").json() == []
    assert client.delete(f"{API}/import-sources/{source.uuid}").status_code == 404
    assert ActivityRecord.objects.count() == 2


def test_api_keys_need_their_scopes_and_stay_in_their_workspace(client, cast, cohort, enrolment, other_workspace):
    admin = cast["admin"]
    reader = key(cohort.workspace, admin, "tracking:read")
    writer = key(cohort.workspace, admin, "tracking:write")
    foreign = key(other_workspace, cast["outsider"], "tracking:read", "tracking:write")
    data = {"cohort": str(cohort.uuid), "kind": "grades"}

    assert client.post(f"{API}/imports", data | {"file": csv_file(GRADES)}, **reader).status_code == 403
    assert client.post(f"{API}/imports", data | {"file": csv_file(GRADES)}, **foreign).status_code == 404
    created = client.post(f"{API}/imports", data | {"file": csv_file(GRADES)}, **writer)
    assert created.status_code == 201
    assert created.json()["created_by"] is None
    uuid = created.json()["id"]
    assert client.get(f"{API}/imports/{uuid}", **reader).status_code == 200
    assert client.get(f"{API}/imports/{uuid}", **writer).status_code == 403
    assert client.get(f"{API}/imports/{uuid}", **foreign).status_code == 404
    assert client.delete(f"{API}/imports/{uuid}", **reader).status_code == 403
    assert client.delete(f"{API}/imports/{uuid}", **writer).status_code == 204


def test_saved_sources(client_for, cast, cohort):
    client = client_for(cast["trainer"])
    sent = {"name": "Moodle grades", "kind": "grades", "columns": {"email": "Login", "score": "Pts"}}

    created = client.post(f"{API}/import-sources", sent, content_type="application/json")
    assert created.status_code == 201
    assert {k: created.json()[k] for k in ("name", "kind", "columns")} == sent
    assert [source["name"] for source in client.get(f"{API}/import-sources").json()] == ["Moodle grades"]
    clash = {"name": "Moodle grades", "kind": "attendance", "columns": {"email": "Login"}}
    clash = client.post(f"{API}/import-sources", clash, content_type="application/json")
    assert clash.json()["errors"] == {"name": ["“Moodle grades” is already the name of a source of another kind."]}
    wrong = client.post(f"{API}/import-sources", sent | {"columns": {"rating": "R"}}, content_type="application/json")
    assert wrong.json()["errors"] == {"columns": ["Not a field of this kind of file: rating"]}

    response = post_file(client, cohort, csv_file([["Login", "Date", "Pts"], [PIA, "2026-10-05", "5 %"]]), kind=None)
    assert response.json()["errors"] == {"kind": ["Say what the file holds, or name a saved source."]}
    source = ImportSource.objects.get()
    with_source = post_file(
        client,
        cohort,
        csv_file([["Login", "Date", "Pts"], [PIA, "2026-10-05", "5 %"]]),
        kind=None,
        source=str(source.uuid),
        dry_run="true",
    )
    assert with_source.status_code == 200, with_source.content
    assert client.delete(f"{API}/import-sources/{source.uuid}").status_code == 204
    assert ImportSource.objects.count() == 0


def test_the_list_reads_a_fixed_number_of_queries(client_for, cast, cohort, enrolment):
    client = client_for(cast["admin"])
    import_file(cohort, ImportKind.GRADES, csv_file(GRADES, "one.csv"), actor=cast["admin"].user)
    client.get(f"{API}/imports")
    with CaptureQueriesContext(connection) as one:
        client.get(f"{API}/imports")
    for name in ("two.csv", "three.csv"):
        import_file(cohort, ImportKind.GRADES, csv_file(GRADES, name), actor=cast["trainer"].user)
    with CaptureQueriesContext(connection) as three:
        listed = client.get(f"{API}/imports").json()

    assert [item["filename"] for item in listed["items"]] == ["three.csv", "two.csv", "one.csv"]
    assert len(three) == len(one)
