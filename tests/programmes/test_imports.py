"""Enrolment import: a cohort's participant list, previewed with its errors in words, then applied."""

import io
from datetime import date

import openpyxl
import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext, override_settings
from django.urls import reverse

from takeroot.core.imports import ImportFileError
from takeroot.core.models import AuditEntry
from takeroot.programmes.imports import apply_enrolment_import, preview_enrolment_import
from takeroot.programmes.models import Enrolment, EnrolmentImport
from takeroot.programmes.services import create_cohort, create_programme, enrol_people, update_enrolment

HEADER = "email,name,mentor email,sign language,captions,screen reader,extra time,accommodations\n"
VALID = HEADER + (
    "Participant@Acme.test,Pia,mentor@acme.test,yes,no,x,,Quiet room\nother@acme.test,Olek,,TAK,nie,ja,是,\n"
)
PARTICIPANT_ROW = {
    "line": 2,
    "email": "participant@acme.test",
    "name": "Pia Participant",
    "mentor_email": "mentor@acme.test",
    "needs_sign_language": True,
    "needs_captions": False,
    "needs_screen_reader": True,
    "needs_extra_time": False,
    "accommodation_notes": "Quiet room",
    "action": "create",
}
OTHER_ROW = {
    "line": 3,
    "email": "other@acme.test",
    "name": "Olek Other",
    "mentor_email": "",
    "needs_sign_language": True,
    "needs_captions": False,
    "needs_screen_reader": True,
    "needs_extra_time": True,
    "accommodation_notes": "",
    "action": "create",
}


@pytest.fixture
def cohort(cast):
    """A cohort with nobody enrolled yet (the conftest's cohort already has the participant)."""
    admin = cast["admin"]
    programme = create_programme(workspace=admin.workspace, actor=admin.user, name="Feedback that lands")
    return create_cohort(
        programme=programme,
        actor=admin.user,
        name="Spring",
        starts_on=date(2026, 3, 2),
        ends_on=date(2026, 6, 26),
        trainers=[cast["trainer"]],
    )


def upload(content: str | bytes, name: str = "participants.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content.encode() if isinstance(content, str) else content)


def xlsx(*rows: list, name: str = "participants.xlsx") -> SimpleUploadedFile:
    workbook = openpyxl.Workbook()
    for row in rows:
        workbook.active.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return SimpleUploadedFile(name, buffer.getvalue())


def preview(cohort, person, content: str | SimpleUploadedFile) -> EnrolmentImport:
    uploaded_file = upload(content) if isinstance(content, str) else content
    return preview_enrolment_import(cohort=cohort, actor=person.user, uploaded_file=uploaded_file)


def enrolments_of(cohort) -> dict[str, tuple]:
    return {
        enrolment.person.user.email: (
            enrolment.status,
            enrolment.mentor and enrolment.mentor.user.email,
            enrolment.needs_sign_language,
            enrolment.needs_captions,
            enrolment.needs_screen_reader,
            enrolment.needs_extra_time,
            enrolment.accommodation_notes,
        )
        for enrolment in Enrolment.objects.filter(cohort=cohort).select_related("person__user", "mentor__user")
    }


def written() -> tuple[int, int]:
    """Everything an import could write besides the import itself."""
    return Enrolment.objects.count(), AuditEntry.objects.count()


# Preview and apply ------------------------------------------------------------------------------


def test_preview_valid_csv_lists_normalised_rows_and_writes_nothing(cast, cohort):
    before = written()
    enrolment_import = preview(cohort, cast["trainer"], VALID)
    assert enrolment_import.rows == [PARTICIPANT_ROW, OTHER_ROW]
    assert enrolment_import.errors == []
    assert enrolment_import.notices == ["Column “name” is not used and was ignored."]
    assert enrolment_import.summary == {"create": 2, "update": 0, "unchanged": 0}
    assert (
        enrolment_import.workspace,
        enrolment_import.cohort,
        enrolment_import.filename,
        enrolment_import.created_by,
        enrolment_import.applied_at,
    ) == (cohort.workspace, cohort, "participants.csv", cast["trainer"].user, None)
    assert written() == before


def test_apply_valid_csv_enrols_with_mentor_and_the_file_accommodations(cast, cohort):
    # The profile's needs are where a new enrolment starts; the file's columns have the last word.
    cast["participant"].user.needs_captions = True
    cast["participant"].user.save()
    admin = cast["admin"].user
    enrolment_import = preview(cohort, cast["admin"], VALID)
    entries_before = AuditEntry.objects.count()
    summary = apply_enrolment_import(enrolment_import=enrolment_import, actor=admin)
    assert summary == {"create": 2, "update": 0, "unchanged": 0}
    assert enrolments_of(cohort) == {
        "participant@acme.test": ("invited", "mentor@acme.test", True, False, True, False, "Quiet room"),
        "other@acme.test": ("invited", None, True, False, True, True, ""),
    }
    assert Enrolment.objects.get(person=cast["participant"]).manager == cast["manager"]
    enrolment_import.refresh_from_db()
    assert (enrolment_import.summary, enrolment_import.applied_at is not None) == (summary, True)
    entries = sorted(
        (entry.action, entry.object_type, entry.object_label, entry.actor == admin, entry.changes)
        for entry in AuditEntry.objects.order_by("id")[entries_before:]
    )
    assert entries == [
        (
            "changed",
            "enrolment",
            "Olek Other · Feedback that lands · Spring",
            True,
            {
                "needs_sign_language": [False, True],
                "needs_screen_reader": [False, True],
                "needs_extra_time": [False, True],
            },
        ),
        (
            "changed",
            "enrolment",
            "Pia Participant · Feedback that lands · Spring",
            True,
            {
                "needs_sign_language": [False, True],
                "needs_captions": [True, False],
                "needs_screen_reader": [False, True],
                "accommodation_notes": ["", "Quiet room"],
            },
        ),
        ("created", "enrolment", "Olek Other · Feedback that lands · Spring", True, {}),
        ("created", "enrolment", "Pia Participant · Feedback that lands · Spring", True, {}),
        (
            "imported",
            "enrolmentimport",
            "participants.csv",
            True,
            {"create": [None, 2], "update": [None, 0], "unchanged": [None, 0]},
        ),
    ]


def test_apply_xlsx_reads_booleans_numbers_and_text(cast, cohort):
    uploaded = xlsx(
        ["Email", "Mentor_Email", "Sign Language", "CAPTIONS", "screen reader", "extra time", "Accommodations"],
        ["participant@acme.test", "mentor@acme.test", True, False, 1, 0, "Large print"],
        ["other@acme.test", None, None, "Yes", "否", "x", None],
    )
    enrolment_import = preview(cohort, cast["admin"], uploaded)
    assert (enrolment_import.errors, enrolment_import.notices) == ([], [])
    assert apply_enrolment_import(enrolment_import=enrolment_import, actor=cast["admin"].user) == {
        "create": 2,
        "update": 0,
        "unchanged": 0,
    }
    assert enrolments_of(cohort) == {
        "participant@acme.test": ("invited", "mentor@acme.test", True, False, True, False, "Large print"),
        "other@acme.test": ("invited", None, False, True, False, True, ""),
    }


def test_apply_without_accommodation_columns_keeps_the_profile_needs(cast, cohort):
    cast["participant"].user.needs_extra_time = True
    cast["participant"].user.accessibility_notes = "Step-free access"
    cast["participant"].user.save()
    enrolment_import = preview(cohort, cast["admin"], "email\nparticipant@acme.test\n")
    assert enrolment_import.rows == [
        {
            "line": 2,
            "email": "participant@acme.test",
            "name": "Pia Participant",
            "mentor_email": None,
            "needs_sign_language": None,
            "needs_captions": None,
            "needs_screen_reader": None,
            "needs_extra_time": None,
            "accommodation_notes": None,
            "action": "create",
        }
    ]
    apply_enrolment_import(enrolment_import=enrolment_import, actor=cast["admin"].user)
    assert enrolments_of(cohort) == {
        "participant@acme.test": ("invited", None, False, False, False, True, "Step-free access"),
    }


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("yes", True),
        ("TRUE", True),
        ("1", True),
        ("X", True),
        ("tak", True),
        ("Ja", True),
        ("是", True),
        ("no", False),
        ("False", False),
        ("0", False),
        ("", False),
        ("NIE", False),
        ("nej", False),
        ("否", False),
    ],
)
def test_preview_reads_yes_and_no_in_every_language(cast, cohort, value, expected):
    enrolment_import = preview(cohort, cast["admin"], f"email,captions\nparticipant@acme.test,{value}\n")
    assert (enrolment_import.errors, enrolment_import.rows[0]["needs_captions"]) == ([], expected)


def test_reimport_same_file_changes_nothing(cast, cohort):
    apply_enrolment_import(enrolment_import=preview(cohort, cast["admin"], VALID), actor=cast["admin"].user)
    enrolments_before, (count, entries) = enrolments_of(cohort), written()
    again = preview(cohort, cast["admin"], VALID)
    assert [row["action"] for row in again.rows] == ["unchanged", "unchanged"]
    assert again.summary == {"create": 0, "update": 0, "unchanged": 2}
    assert apply_enrolment_import(enrolment_import=again, actor=cast["admin"].user) == again.summary
    assert written() == (count, entries + 1)  # only the import's own entry
    assert enrolments_of(cohort) == enrolments_before


def test_apply_updates_changed_enrolments_and_leaves_the_rest_alone(cast, cohort):
    admin = cast["admin"].user
    enrol_people(
        cohort=cohort, actor=admin, people=[cast["participant"], cast["other_participant"]], mentor=cast["mentor"]
    )
    update_enrolment(enrolment=Enrolment.objects.get(person=cast["participant"]), actor=admin, needs_captions=True)
    enrolment_import = preview(
        cohort,
        cast["admin"],
        "email,mentor email,captions,accommodations\n"
        "participant@acme.test,,yes,Quiet room\n"
        "manager@acme.test,trainer@acme.test,,\n",
    )
    assert [(row["email"], row["action"]) for row in enrolment_import.rows] == [
        ("participant@acme.test", "update"),
        ("manager@acme.test", "create"),
    ]
    assert enrolment_import.summary == {"create": 1, "update": 1, "unchanged": 0}
    entries_before = AuditEntry.objects.count()
    assert apply_enrolment_import(enrolment_import=enrolment_import, actor=admin) == enrolment_import.summary
    assert enrolments_of(cohort) == {
        "participant@acme.test": ("invited", None, False, True, False, False, "Quiet room"),
        "other@acme.test": ("invited", "mentor@acme.test", False, False, False, False, ""),
        "manager@acme.test": ("invited", "trainer@acme.test", False, False, False, False, ""),
    }
    assert [
        (entry.action, entry.object_label, entry.changes)
        for entry in AuditEntry.objects.order_by("id")[entries_before:]
    ] == [
        ("created", "Magnus Manager · Feedback that lands · Spring", {}),
        (
            "changed",
            "Pia Participant · Feedback that lands · Spring",
            {"mentor": ["Maja Mentor", None], "accommodation_notes": ["", "Quiet room"]},
        ),
        ("imported", "participants.csv", {"create": [None, 1], "update": [None, 1], "unchanged": [None, 0]}),
    ]


def test_apply_enrols_someone_enrolled_since_the_preview_as_an_update(cast, cohort):
    enrolment_import = preview(cohort, cast["admin"], "email,captions\nparticipant@acme.test,yes\n")
    enrol_people(cohort=cohort, actor=cast["admin"].user, people=[cast["participant"]])
    summary = apply_enrolment_import(enrolment_import=enrolment_import, actor=cast["admin"].user)
    assert summary == {"create": 0, "update": 1, "unchanged": 0}
    assert enrolments_of(cohort) == {"participant@acme.test": ("invited", None, False, True, False, False, "")}


def test_preview_query_count_does_not_grow_with_rows(cast, cohort):
    def queries(emails: list[str]) -> int:
        lines = "".join(f"{email},mentor@acme.test,yes,\n" for email in emails)
        with CaptureQueriesContext(connection) as previewing:
            preview(cohort, cast["admin"], "email,mentor email,captions,accommodations\n" + lines)
        return len(previewing)

    enrol_people(cohort=cohort, actor=cast["admin"].user, people=[cast["participant"], cast["manager"]])
    assert queries(["participant@acme.test"]) == queries(
        ["participant@acme.test", "manager@acme.test", "other@acme.test", "trainer@acme.test", "nobody@acme.test"]
    )


# Row errors -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("rows", "errors"),
    [
        ("not-an-email,,,\n", [(3, "email", "Not a valid email address: not-an-email")]),
        (",,yes,\n", [(3, "email", "Email address is missing")]),
        (
            "nobody@acme.test,,,\n",
            [(3, "email", "Not in this workspace: nobody@acme.test — add them through the people import first")],
        ),
        (
            "other@acme.test,nobody@acme.test,,\n",
            [(3, "mentor email", "Unknown mentor: nobody@acme.test (not a person in this workspace)")],
        ),
        ("other@acme.test,bad mentor,,\n", [(3, "mentor email", "Not a valid email address: bad mentor")]),
        ("other@acme.test,Other@acme.test,,\n", [(3, "mentor email", "A person cannot be their own mentor")]),
        (
            "other@acme.test,,,\nOTHER@acme.test,,,\n",
            [(4, "email", "Duplicate row: other@acme.test appears on line 3 too")],
        ),
        (
            "other@acme.test,,maybe,\n",
            [(3, "Captions", "Not a yes/no value: maybe (use yes or no, or leave the cell empty)")],
        ),
        ('=HYPERLINK("x"),,,\n', [(3, "email", 'Formulas are not allowed: =HYPERLINK("x")')]),
        ("other@acme.test,@mentor@acme.test,,\n", [(3, "mentor email", "Formulas are not allowed: @mentor@acme.test")]),
        ("other@acme.test,,+1,\n", [(3, "Captions", "Formulas are not allowed: +1")]),
        (
            "other@acme.test,,,=cmd|' /C calc'!A0\n",
            [(3, "accommodations", "Formulas are not allowed: =cmd|' /C calc'!A0")],
        ),
        (
            "nobody@acme.test,nobody@acme.test,never,\n",
            [
                (3, "email", "Not in this workspace: nobody@acme.test — add them through the people import first"),
                (3, "mentor email", "Unknown mentor: nobody@acme.test (not a person in this workspace)"),
                (3, "Captions", "Not a yes/no value: never (use yes or no, or leave the cell empty)"),
            ],
        ),
    ],
)
def test_preview_row_error_is_reported_on_its_line_and_nothing_is_written(cast, cohort, rows, errors):
    before = written()
    enrolment_import = preview(
        cohort, cast["admin"], "email,mentor email,Captions,accommodations\nparticipant@acme.test,,,\n" + rows
    )
    assert enrolment_import.errors == [
        {"line": line, "column": column, "message": message} for line, column, message in errors
    ]
    assert enrolment_import.rows[0]["action"] == "create"
    with pytest.raises(ValidationError) as refused:
        apply_enrolment_import(enrolment_import=enrolment_import, actor=cast["admin"].user)
    assert refused.value.messages == ["This import has errors. Correct the file and upload it again."]
    enrolment_import.refresh_from_db()
    assert (written(), enrolment_import.applied_at) == (before, None)


def test_preview_xlsx_formula_cell_is_an_error(cast, cohort):
    enrolment_import = preview(
        cohort, cast["admin"], xlsx(["email", "accommodations"], ["participant@acme.test", "=1+1"])
    )
    assert enrolment_import.errors == [
        {"line": 2, "column": "accommodations", "message": "Formulas are not allowed: =1+1"}
    ]
    assert enrolment_import.rows[0]["accommodation_notes"] == ""


def test_preview_person_and_mentor_from_another_workspace_are_unknown(cast, cohort):
    enrolment_import = preview(
        cohort, cast["admin"], "email,mentor email\noutsider@globex.test,\nparticipant@acme.test,outsider@globex.test\n"
    )
    assert enrolment_import.errors == [
        {
            "line": 2,
            "column": "email",
            "message": "Not in this workspace: outsider@globex.test — add them through the people import first",
        },
        {
            "line": 3,
            "column": "mentor email",
            "message": "Unknown mentor: outsider@globex.test (not a person in this workspace)",
        },
    ]


# File errors ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("participants.txt", b"email\nparticipant@acme.test\n", "Upload a CSV or XLSX file."),
        ("participants.csv", b"", "The file is empty."),
        ("participants.xlsx", b"", "The file is empty."),
        ("participants.csv", b"email,captions\n", "The file has a header row but nothing below it."),
        ("participants.csv", b"name,captions\nPia,yes\n", "The column \u201cemail\u201d is missing."),
        (
            "participants.csv",
            b"email,Captions,CAPTIONS\nparticipant@acme.test,,\n",
            "The column \u201cCAPTIONS\u201d appears twice.",
        ),
        (
            "participants.csv",
            "email,accommodations\nparticipant@acme.test,Pokój bez schodów\n".encode("cp1250"),
            "The file is not UTF-8 text. Save it as \u201cCSV UTF-8\u201d and upload it again.",
        ),
        ("participants.xlsx", b"email\nparticipant@acme.test\n", "This is not a readable XLSX file."),
    ],
)
def test_preview_unreadable_file_is_refused_before_anything_is_written(cast, cohort, name, content, message):
    before = written()
    with pytest.raises(ImportFileError) as refused:
        preview(cohort, cast["admin"], upload(content, name))
    assert str(refused.value) == message
    assert (EnrolmentImport.objects.count(), written()) == (0, before)


@override_settings(TAKEROOT_MAX_IMPORT_BYTES=512 * 1024)
def test_preview_oversize_file_is_refused_with_the_limit(cast, cohort):
    with pytest.raises(ImportFileError) as refused:
        preview(cohort, cast["admin"], upload(b"email\n" + b"x" * 512 * 1024))
    assert str(refused.value) == (
        "The file is larger than 0.5 MB. Split it into smaller files and upload them one by one."
    )
    assert EnrolmentImport.objects.count() == 0


# Refusals ---------------------------------------------------------------------------------------


def test_apply_twice_refuses_the_second_time(cast, cohort):
    enrolment_import = preview(cohort, cast["admin"], VALID)
    double_click = EnrolmentImport.objects.get(pk=enrolment_import.pk)  # loaded before the first applies
    apply_enrolment_import(enrolment_import=enrolment_import, actor=cast["admin"].user)
    before = written()
    for attempt in (double_click, enrolment_import):
        with pytest.raises(ValidationError) as refused:
            apply_enrolment_import(enrolment_import=attempt, actor=cast["admin"].user)
        assert refused.value.messages == ["This import has already been applied."]
    assert written() == before


def test_apply_refuses_when_people_left_since_the_preview_and_writes_nothing(cast, cohort):
    enrolment_import = preview(cohort, cast["admin"], VALID)
    cast["mentor"].delete()
    before = written()
    with pytest.raises(ValidationError) as refused:
        apply_enrolment_import(enrolment_import=enrolment_import, actor=cast["admin"].user)
    assert refused.value.messages == ["The people in this workspace changed since the preview. Upload the file again."]
    enrolment_import.refresh_from_db()
    assert (written(), enrolment_import.applied_at) == (before, None)


@pytest.mark.parametrize("role", ["participant", "mentor", "manager", "outsider"])
def test_apply_refuses_someone_who_may_not_manage_the_cohort(cast, cohort, role):
    enrolment_import = preview(cohort, cast["admin"], VALID)
    before = written()
    with pytest.raises(PermissionDenied):
        apply_enrolment_import(enrolment_import=enrolment_import, actor=cast[role].user)
    enrolment_import.refresh_from_db()
    assert (written(), enrolment_import.applied_at) == (before, None)


# Pages ------------------------------------------------------------------------------------------


def _upload(client, cohort, content: bytes, name: str = "participants.csv"):
    return client.post(
        reverse("programmes:enrolment_import", args=[cohort.uuid]), {"file": SimpleUploadedFile(name, content)}
    )


@pytest.mark.parametrize("role", ["admin", "trainer"])
def test_upload_then_confirm_enrols_the_participants(client_for, cast, cohort, role):
    client = client_for(cast[role])
    assert client.get(reverse("programmes:enrolment_import", args=[cohort.uuid])).status_code == 200
    response = _upload(client, cohort, VALID.encode())
    enrolment_import = EnrolmentImport.objects.get()
    preview_url = reverse("programmes:enrolment_import_preview", args=[cohort.uuid, enrolment_import.uuid])
    assert response["Location"] == preview_url
    page = client.get(preview_url).content.decode()
    assert "Ready: 2 to enrol, 0 to update, 0 unchanged." in page
    assert "sign-language interpreter, screen-reader-friendly material, Quiet room" in page
    assert Enrolment.objects.count() == 0
    response = client.post(preview_url)
    assert response["Location"] == reverse("programmes:cohort_detail", args=[cohort.uuid])
    assert sorted(enrolments_of(cohort)) == ["other@acme.test", "participant@acme.test"]
    assert "This file has been imported." in client.get(preview_url).content.decode()
    client.post(preview_url)  # a second click
    assert (Enrolment.objects.count(), AuditEntry.objects.filter(object_type="enrolmentimport").count()) == (2, 1)


def test_unreadable_file_is_refused_on_the_upload_field(client_for, cast, cohort):
    response = _upload(client_for(cast["admin"]), cohort, "email\nå@acme.test\n".encode("latin-1"))
    assert response.status_code == 200
    assert response.context["form"].errors == {
        "file": ["The file is not UTF-8 text. Save it as \u201cCSV UTF-8\u201d and upload it again."]
    }
    assert EnrolmentImport.objects.count() == 0


def test_preview_lists_row_errors_and_offers_no_confirmation(client_for, cast, cohort):
    client = client_for(cast["admin"])
    response = _upload(client, cohort, b"email,captions\nnobody@acme.test,yes\nparticipant@acme.test,maybe\n")
    content = client.get(response["Location"]).content.decode()
    assert "Not in this workspace: nobody@acme.test — add them through the people import first" in content
    assert "Not a yes/no value: maybe (use yes or no, or leave the cell empty)" in content
    assert "The file has 2 problems. Nothing was saved." in content
    assert "Confirm and import" not in content
    client.post(response["Location"])
    assert (Enrolment.objects.count(), EnrolmentImport.objects.get().applied_at) == (0, None)


@pytest.mark.parametrize("role", ["participant", "mentor", "manager"])
def test_people_who_may_not_manage_the_cohort_get_403(client_for, cast, cohort, role):
    enrolment_import = preview(cohort, cast["admin"], VALID)
    client = client_for(cast[role])
    preview_url = reverse("programmes:enrolment_import_preview", args=[cohort.uuid, enrolment_import.uuid])
    assert client.get(reverse("programmes:enrolment_import", args=[cohort.uuid])).status_code == 403
    assert _upload(client, cohort, VALID.encode()).status_code == 403
    assert (client.get(preview_url).status_code, client.post(preview_url).status_code) == (403, 403)
    assert (EnrolmentImport.objects.count(), Enrolment.objects.count()) == (1, 0)


def test_outsider_gets_404(client_for, cast, cohort):
    enrolment_import = preview(cohort, cast["admin"], VALID)
    client = client_for(cast["outsider"])
    preview_url = reverse("programmes:enrolment_import_preview", args=[cohort.uuid, enrolment_import.uuid])
    assert client.get(reverse("programmes:enrolment_import", args=[cohort.uuid])).status_code == 404
    assert _upload(client, cohort, VALID.encode()).status_code == 404
    assert (client.get(preview_url).status_code, client.post(preview_url).status_code) == (404, 404)
    assert (EnrolmentImport.objects.count(), Enrolment.objects.count()) == (1, 0)


def test_import_of_another_cohort_is_404(client_for, cast, cohort):
    admin = cast["admin"]
    other = create_cohort(
        programme=cohort.programme,
        actor=admin.user,
        name="Autumn",
        starts_on=date(2026, 9, 1),
        ends_on=date(2026, 12, 1),
    )
    enrolment_import = preview(cohort, admin, VALID)
    response = client_for(admin).post(
        reverse("programmes:enrolment_import_preview", args=[other.uuid, enrolment_import.uuid])
    )
    assert (response.status_code, Enrolment.objects.count()) == (404, 0)
