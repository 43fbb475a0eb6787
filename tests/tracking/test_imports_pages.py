"""The import pages: upload → columns → preview → import, going back without uploading again,
the list and removal; who may use them, and forms that keep what was typed."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from takeroot.core.enums import AuditAction
from takeroot.core.models import AuditEntry
from takeroot.programmes.services import create_cohort
from takeroot.tracking.enums import ImportKind, Input
from takeroot.tracking.models import ActivityImport, ActivityRecord, ImportSource

from .test_imports_support import csv_file, import_file, xlsx_file

PIA, OLEK = "participant@acme.test", "other@acme.test"
REGISTER = [
    ["Adres e-mail", "Data", "Moduł", "Obecność"],
    [PIA, "05.10.2026", "1", "tak"],
    [OLEK, "05.10.2026", "1", "nie"],
]


@pytest.fixture
def second_cohort(cast, programme):
    """A cohort of the same programme that the trainer does not train."""
    return create_cohort(
        programme=programme,
        actor=cast["admin"].user,
        name="Gdańsk autumn",
        starts_on=datetime.date(2026, 10, 1),
        ends_on=datetime.date(2026, 12, 1),
    )


def upload(client, cohort, uploaded, kind=ImportKind.ATTENDANCE, **extra):
    data = {"cohort": str(cohort.uuid), "kind": kind, "source": "", "file": uploaded, **extra}
    return client.post(reverse("tracking:import_upload"), data)


def columns_data(response, **choices) -> dict:
    """The mapping form as the page filled it in, with some choices changed."""
    form = response.context["form"]
    data = {name: form[name].value() or "" for name in form.fields}
    return data | choices


@pytest.mark.parametrize("who", ["admin", "trainer"])
def test_a_file_goes_through_every_step(client_for, cast, cohort, enrolment, who):
    client = client_for(cast[who])
    response = upload(client, cohort, xlsx_file(REGISTER, "register.xlsx"))
    assert response.status_code == 302
    columns_page = client.get(response.url)
    assert columns_page.status_code == 200
    assert columns_data(columns_page) == {"email": "0", "date": "1", "module": "2", "attended": "3", "save_as": ""}

    response = client.post(columns_page.wsgi_request.path, columns_data(columns_page, save_as="Moodle register"))
    assert response.status_code == 302
    preview = client.get(response.url)
    assert preview.status_code == 200
    assert [(row["email"], row["shown"], row["module"]) for row in preview.context["page"]] == [
        (PIA, "Present", "Opening the call"),
        (OLEK, "Absent", "Opening the call"),
    ]
    assert "Ready: 2 rows to record." in preview.text

    done = client.post(preview.wsgi_request.path, follow=True)
    assert done.redirect_chain == [(reverse("tracking:imports"), 302)]
    assert "Import done: 2 records from register.xlsx." in done.text
    activity_import = ActivityImport.objects.get()
    assert (activity_import.records, activity_import.source.name) == (2, "Moodle register")
    assert ImportSource.objects.get().columns == {
        "email": "Adres e-mail",
        "date": "Data",
        "module": "Moduł",
        "attended": "Obecność",
    }
    assert set(ActivityRecord.objects.values_list("input", "value")) == {
        (Input.ATTENDANCE, 1.0),
        (Input.ATTENDANCE, 0.0),
    }
    assert "register.xlsx" in client.get(reverse("tracking:imports")).text
    # The kept file went with the import.
    assert client.get(preview.wsgi_request.path).status_code == 404


def test_a_file_with_problems_is_not_imported_and_the_columns_can_be_chosen_again(client_for, cast, cohort, enrolment):
    client = client_for(cast["admin"])
    rows = [["Email", "Day", "Minutes", "Status"], [PIA, "2026-10-05", "30", "x"], [OLEK, "yesterday", "40", "x"]]
    columns_page = client.get(upload(client, cohort, csv_file(rows), kind=ImportKind.TIME_ONLINE).url)
    preview = client.get(client.post(columns_page.wsgi_request.path, columns_data(columns_page)).url)

    assert "The file has 1 problem." in preview.text
    assert "Not a date: yesterday (write it as 2026-10-05 or 05.10.2026)" in preview.text
    assert client.post(preview.wsgi_request.path).status_code == 200
    assert ActivityRecord.objects.count() == 0
    # Back to the columns, without uploading again: the file is still there.
    again = client.get(columns_page.wsgi_request.path)
    assert again.status_code == 200
    assert columns_data(again)["minutes"] == "2"


def test_forms_keep_what_was_typed(client_for, cast, cohort, enrolment):
    client = client_for(cast["admin"])
    response = upload(client, cohort, csv_file(REGISTER), kind="")

    assert response.status_code == 200
    assert response.context["form"]["cohort"].value() == str(cohort.uuid)
    assert response.context["form"].errors == {"kind": ["Choose what the file holds, or a saved source."]}

    columns_page = client.get(upload(client, cohort, csv_file(REGISTER)).url)
    response = client.post(columns_page.wsgi_request.path, columns_data(columns_page, module="0", save_as="Mine"))
    assert response.status_code == 200
    assert response.context["form"].errors == {"module": ["The column “Adres e-mail” is already chosen for “Email”."]}
    assert columns_data(response) == {"email": "0", "date": "1", "module": "0", "attended": "3", "save_as": "Mine"}
    assert ImportSource.objects.count() == 0


def test_a_file_that_cannot_be_read_is_refused_on_the_upload_page(client_for, cast, cohort):
    client = client_for(cast["admin"])
    response = upload(client, cohort, csv_file([["Email"]]))

    assert response.context["form"].errors == {"file": ["The file has a header row but nothing below it."]}


def test_a_trainer_cannot_import_into_a_cohort_they_do_not_train(client_for, cast, cohort, second_cohort):
    client = client_for(cast["trainer"])
    page = client.get(reverse("tracking:import_upload"))
    assert list(page.context["form"].fields["cohort"].queryset) == [cohort]

    response = upload(client, second_cohort, csv_file(REGISTER))
    assert response.context["form"].errors["cohort"] == [
        "Select a valid choice. That choice is not one of the available choices."
    ]


@pytest.mark.parametrize("who", ["mentor", "manager", "participant"])
def test_other_roles_are_refused(client_for, cast, cohort, enrolment, who):
    activity_import = import_file(cohort, ImportKind.ATTENDANCE, csv_file(REGISTER))
    source = ImportSource.objects.create(workspace=cohort.workspace, name="S", kind=ImportKind.ATTENDANCE)
    client = client_for(cast[who])

    assert client.get(reverse("tracking:imports")).status_code == 403
    assert client.get(reverse("tracking:import_upload")).status_code == 403
    assert client.post(reverse("tracking:import_remove", args=[activity_import.uuid])).status_code == 403
    assert client.post(reverse("tracking:import_source_delete", args=[source.uuid])).status_code == 403
    assert ActivityRecord.objects.count() == 2


def test_another_workspace_sees_nothing(client_for, cast, cohort, enrolment):
    activity_import = import_file(cohort, ImportKind.ATTENDANCE, csv_file(REGISTER))
    source = ImportSource.objects.create(workspace=cohort.workspace, name="S", kind=ImportKind.ATTENDANCE)
    client = client_for(cast["outsider"])  # an admin of their own workspace

    assert "export.csv" not in client.get(reverse("tracking:imports")).text
    assert client.post(reverse("tracking:import_remove", args=[activity_import.uuid])).status_code == 404
    assert client.post(reverse("tracking:import_source_delete", args=[source.uuid])).status_code == 404
    assert upload(client, cohort, csv_file(REGISTER)).context["form"].errors["cohort"]
    assert ActivityRecord.objects.count() == 2


def test_an_upload_belongs_to_the_session_that_made_it(client, client_for, cast, cohort, enrolment):
    url = upload(client_for(cast["admin"]), cohort, csv_file(REGISTER)).url
    client.logout()
    client.force_login(cast["trainer"].user)

    assert client.get(url).status_code == 404


def test_trainers_see_only_their_cohorts_imports(client_for, cast, cohort, enrolment, second_cohort):
    import_file(cohort, ImportKind.ATTENDANCE, csv_file(REGISTER, "kraków.csv"))
    other = ActivityImport.objects.create(
        workspace=cohort.workspace,
        kind=ImportKind.ATTENDANCE,
        filename="gdańsk.csv",
        cohort=second_cohort,
    )
    client = client_for(cast["trainer"])

    listed = client.get(reverse("tracking:imports"))
    assert [item.filename for item, _cohort in listed.context["rows"]] == ["kraków.csv"]
    assert client.get(reverse("tracking:import_remove", args=[other.uuid])).status_code == 403


def test_removing_an_import_asks_first_and_is_audited(client_for, cast, cohort, enrolment):
    activity_import = import_file(cohort, ImportKind.ATTENDANCE, csv_file(REGISTER))
    client = client_for(cast["admin"])
    url = reverse("tracking:import_remove", args=[activity_import.uuid])

    confirm = client.get(url)
    assert "Its 2 records will leave the indicators" in confirm.text
    assert ActivityRecord.objects.count() == 2
    done = client.post(url, follow=True)

    assert "Import removed: 2 records left the indicators." in done.text
    assert (ActivityImport.objects.count(), ActivityRecord.objects.count()) == (0, 0)
    assert AuditEntry.objects.filter(object_type="activityimport", action=AuditAction.DELETED).count() == 1


def test_a_saved_source_chooses_the_columns_of_the_next_file(client_for, cast, cohort, enrolment):
    client = client_for(cast["admin"])
    source = ImportSource.objects.create(
        workspace=cohort.workspace,
        name="LMS grades",
        kind=ImportKind.GRADES,
        columns={"email": "Login", "date": "When", "score": "Pts", "maximum": "Of"},
    )
    rows = [["When", "Login", "Pts", "Of"], ["2026-10-05", PIA, "8", "10"]]
    response = upload(client, cohort, csv_file(rows), kind="", source=str(source.uuid))
    columns_page = client.get(response.url)

    assert columns_data(columns_page) == {
        "email": "1",
        "date": "0",
        "module": "",
        "score": "2",
        "maximum": "3",
        "save_as": "LMS grades",
    }
    client.post(reverse("tracking:import_source_delete", args=[source.uuid]))
    assert ImportSource.objects.count() == 0


def test_the_list_reads_a_fixed_number_of_queries(client_for, cast, cohort, enrolment):
    client = client_for(cast["admin"])
    import_file(cohort, ImportKind.ATTENDANCE, csv_file(REGISTER, "one.csv"), actor=cast["admin"].user)
    client.get(reverse("tracking:imports"))  # the session and memberships, once
    with CaptureQueriesContext(connection) as one:
        client.get(reverse("tracking:imports"))
    for name in ("two.csv", "three.csv"):
        import_file(cohort, ImportKind.ATTENDANCE, csv_file(REGISTER, name), actor=cast["trainer"].user)
    with CaptureQueriesContext(connection) as three:
        listed = client.get(reverse("tracking:imports"))

    assert [item.filename for item, _cohort in listed.context["rows"]] == ["three.csv", "two.csv", "one.csv"]
    assert len(three) == len(one)
