"""Initiative import: a list of initiatives, previewed with its errors in words, then applied."""

import datetime
import io
from decimal import Decimal

import openpyxl
import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from takeroot.catalogue.imports import apply_initiative_import, preview_initiative_import
from takeroot.catalogue.models import Initiative, InitiativeImport
from takeroot.catalogue.services import create_initiative
from takeroot.core.imports import ImportFileError
from takeroot.core.models import AuditEntry

HEADER = "Title,Type,From,Until,Provider,Head count,Cost,Currency,Goals,Notes\n"
VALID = HEADER + (
    'Sales Summit,Conference,2026-03-02,2026-03-03,Acme Events,12,"1 200,50",pln,Meet clients,bring cards\n'
    "Book circle,BOOK CIRCLE,01.04.2026,,,,,,,\n"
)
SUMMIT_ROW = {
    "line": 2,
    "title": "Sales Summit",
    "kind": "conference",
    "starts_on": "2026-03-02",
    "ends_on": "2026-03-03",
    "provider": "Acme Events",
    "head_count": 12,
    "cost": "1200.50",
    "currency": "PLN",
    "goals": "Meet clients",
    "action": "create",
}
CIRCLE_ROW = {
    "line": 3,
    "title": "Book circle",
    "kind": "book_circle",
    "starts_on": "2026-04-01",
    "ends_on": None,
    "provider": "",
    "head_count": None,
    "cost": None,
    "currency": "EUR",
    "goals": "",
    "action": "create",
}


def upload(content: str | bytes, name: str = "initiatives.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content.encode() if isinstance(content, str) else content)


def xlsx(*rows: list, name: str = "initiatives.xlsx") -> SimpleUploadedFile:
    workbook = openpyxl.Workbook()
    for row in rows:
        workbook.active.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return SimpleUploadedFile(name, buffer.getvalue())


def preview(person, content: str | SimpleUploadedFile) -> InitiativeImport:
    uploaded_file = upload(content) if isinstance(content, str) else content
    return preview_initiative_import(workspace=person.workspace, actor=person.user, uploaded_file=uploaded_file)


def catalogue_of(workspace) -> list[tuple]:
    return [
        (i.title, i.kind, i.starts_on, i.ends_on, i.provider, i.head_count, i.cost, i.currency, i.goals)
        for i in Initiative.objects.filter(workspace=workspace).order_by("title")
    ]


def written() -> tuple[int, int]:
    """Everything an import could write besides the import itself."""
    return Initiative.objects.count(), AuditEntry.objects.count()


# Preview and apply ------------------------------------------------------------------------------


def test_preview_valid_csv_lists_normalised_rows_and_writes_nothing(cast):
    before = written()
    initiative_import = preview(cast["admin"], VALID)
    assert initiative_import.rows == [SUMMIT_ROW, CIRCLE_ROW]
    assert initiative_import.errors == []
    assert initiative_import.notices == ["Column “Notes” is not used and was ignored."]
    assert initiative_import.summary == {"create": 2, "update": 0, "unchanged": 0}
    assert (
        initiative_import.workspace,
        initiative_import.filename,
        initiative_import.created_by,
        initiative_import.applied_at,
    ) == (cast["admin"].workspace, "initiatives.csv", cast["admin"].user, None)
    assert written() == before


def test_apply_valid_csv_creates_the_initiatives_with_audit_entries(cast):
    admin = cast["admin"]
    initiative_import = preview(admin, VALID)
    entries_before = AuditEntry.objects.count()
    summary = apply_initiative_import(initiative_import=initiative_import, actor=admin.user)
    assert summary == {"create": 2, "update": 0, "unchanged": 0}
    assert catalogue_of(admin.workspace) == [
        ("Book circle", "book_circle", datetime.date(2026, 4, 1), None, "", None, None, "EUR", ""),
        (
            "Sales Summit",
            "conference",
            datetime.date(2026, 3, 2),
            datetime.date(2026, 3, 3),
            "Acme Events",
            12,
            Decimal("1200.50"),
            "PLN",
            "Meet clients",
        ),
    ]
    initiative_import.refresh_from_db()
    assert (initiative_import.summary, initiative_import.applied_at is not None) == (summary, True)
    assert sorted(
        (entry.action, entry.object_type, entry.object_label, entry.actor == admin.user)
        for entry in AuditEntry.objects.order_by("id")[entries_before:]
    ) == [
        ("created", "initiative", "Book circle", True),
        ("created", "initiative", "Sales Summit", True),
        ("imported", "initiativeimport", "initiatives.csv", True),
    ]


def test_apply_xlsx_reads_dates_numbers_and_text(cast):
    uploaded = xlsx(
        ["TITLE", "Starts_On", "ends on", "type", "head count", "cost"],
        ["Negotiation", datetime.date(2026, 5, 4), datetime.datetime(2026, 5, 6), "External course", 8, 950.5],
        ["Coaching", "2026-06-01", None, None, None, 300],
    )
    initiative_import = preview(cast["admin"], uploaded)
    assert (initiative_import.errors, initiative_import.notices) == ([], [])
    assert initiative_import.rows == [
        {
            "line": 2,
            "title": "Negotiation",
            "starts_on": "2026-05-04",
            "ends_on": "2026-05-06",
            "kind": "external_course",
            "head_count": 8,
            "cost": "950.50",
            "action": "create",
        },
        {
            "line": 3,
            "title": "Coaching",
            "starts_on": "2026-06-01",
            "ends_on": None,
            "kind": "other",
            "head_count": None,
            "cost": "300.00",
            "action": "create",
        },
    ]
    apply_initiative_import(initiative_import=initiative_import, actor=cast["admin"].user)
    assert catalogue_of(cast["admin"].workspace) == [
        ("Coaching", "other", datetime.date(2026, 6, 1), None, "", None, Decimal("300.00"), "EUR", ""),
        (
            "Negotiation",
            "external_course",
            datetime.date(2026, 5, 4),
            datetime.date(2026, 5, 6),
            "",
            8,
            Decimal("950.50"),
            "EUR",
            "",
        ),
    ]


def test_reimport_same_file_changes_nothing(cast):
    admin = cast["admin"]
    apply_initiative_import(initiative_import=preview(admin, VALID), actor=admin.user)
    catalogue_before, (count, entries) = catalogue_of(admin.workspace), written()
    again = preview(admin, VALID)
    assert [row["action"] for row in again.rows] == ["unchanged", "unchanged"]
    assert again.summary == {"create": 0, "update": 0, "unchanged": 2}
    assert apply_initiative_import(initiative_import=again, actor=admin.user) == again.summary
    assert written() == (count, entries + 1)  # only the import's own entry
    assert catalogue_of(admin.workspace) == catalogue_before


def test_row_matching_title_and_start_updates_and_missing_columns_keep_their_values(cast):
    admin = cast["admin"]
    create_initiative(
        workspace=admin.workspace,
        actor=admin.user,
        kind="conference",
        title="Sales Summit",
        starts_on=datetime.date(2026, 3, 2),
        provider="Acme Events",
        goals="Meet clients",
    )
    initiative_import = preview(admin, "title,from,head count\nsales  summit,2026-03-02,40\nSales Summit,2027-03-01,\n")
    assert [(row["line"], row["action"]) for row in initiative_import.rows] == [(2, "update"), (3, "create")]
    entries_before = AuditEntry.objects.count()
    summary = apply_initiative_import(initiative_import=initiative_import, actor=admin.user)
    assert summary == {"create": 1, "update": 1, "unchanged": 0}
    assert catalogue_of(admin.workspace) == [
        ("Sales Summit", "other", datetime.date(2027, 3, 1), None, "", None, None, "EUR", ""),
        ("sales summit", "conference", datetime.date(2026, 3, 2), None, "Acme Events", 40, None, "EUR", "Meet clients"),
    ]
    assert [(entry.action, entry.changes) for entry in AuditEntry.objects.order_by("id")[entries_before:]] == [
        ("changed", {"title": ["Sales Summit", "sales summit"], "head_count": [None, 40]}),
        ("created", {}),
        ("imported", {"create": [None, 1], "update": [None, 1], "unchanged": [None, 0]}),
    ]


def test_preview_query_count_does_not_grow_with_rows(cast):
    def queries(rows: int) -> int:
        lines = "".join(f"Course {n},2026-01-{n + 1:02},{n}\n" for n in range(rows))
        with CaptureQueriesContext(connection) as previewing:
            preview(cast["admin"], "title,from,head count\n" + lines)
        return len(previewing)

    create_initiative(
        workspace=cast["admin"].workspace, actor=None, title="Course 1", starts_on=datetime.date(2026, 1, 2)
    )
    assert queries(1) == queries(5)


# Row errors -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("rows", "errors"),
    [
        (",conference,,,,\n", [(3, "title", "Title is missing")]),
        ("Offsite,party,,,,\n", [(3, "type", "Unknown type: party")]),
        ("Offsite,,2026-02-30,,,\n", [(3, "from", "Not a date: 2026-02-30 (use YYYY-MM-DD or DD.MM.YYYY)")]),
        ("Offsite,,,03/04/2026,,\n", [(3, "until", "Not a date: 03/04/2026 (use YYYY-MM-DD or DD.MM.YYYY)")]),
        (
            "Offsite,,2026-05-02,01.05.2026,,\n",
            [(3, "until", "Ends before it starts: 2026-05-01 is before 2026-05-02")],
        ),
        ("Offsite,,,,-3,\n", [(3, "head count", "Not a whole number of people: -3")]),
        ("Offsite,,,,2.5,\n", [(3, "head count", "Not a whole number of people: 2.5")]),
        (
            "Offsite,,,,,12.345\n",
            [(3, "cost", "Not an amount: 12.345 (a number of at least 0 with at most two decimals)")],
        ),
        (
            "Offsite,,,,,lots\n",
            [(3, "cost", "Not an amount: lots (a number of at least 0 with at most two decimals)")],
        ),
        (
            'Offsite,,,,,"-1,5"\n',
            [(3, "cost", "Not an amount: -1,5 (a number of at least 0 with at most two decimals)")],
        ),
        ('=HYPERLINK("x"),,,,,\n', [(3, "title", 'Formulas are not allowed: =HYPERLINK("x")')]),
        ("Offsite,,,,+1,\n", [(3, "head count", "Formulas are not allowed: +1")]),
        (
            "Offsite,,2026-06-01,,,\noffsite,,2026-06-01,,,\n",
            [(4, "title", "Duplicate row: offsite (2026-06-01) appears on line 3 too")],
        ),
        (
            ",party,someday,,,\n",
            [
                (3, "title", "Title is missing"),
                (3, "type", "Unknown type: party"),
                (3, "from", "Not a date: someday (use YYYY-MM-DD or DD.MM.YYYY)"),
            ],
        ),
    ],
)
def test_preview_row_errors_name_line_and_column_and_block_the_apply(cast, rows, errors):
    before = written()
    initiative_import = preview(cast["admin"], "title,type,from,until,head count,cost\nWorkshop,,,,,\n" + rows)
    assert initiative_import.errors == [
        {"line": line, "column": column, "message": message} for line, column, message in errors
    ]
    assert initiative_import.rows[0]["action"] == "create"
    with pytest.raises(ValidationError) as refused:
        apply_initiative_import(initiative_import=initiative_import, actor=cast["admin"].user)
    assert refused.value.messages == ["This import has errors. Correct the file and upload it again."]
    initiative_import.refresh_from_db()
    assert (written(), initiative_import.applied_at) == (before, None)


def test_preview_currency_must_be_three_letters(cast):
    initiative_import = preview(cast["admin"], "title,currency\nOffsite,euro\n")
    assert initiative_import.errors == [
        {"line": 2, "column": "currency", "message": "Not a currency code: euro (use three letters, such as EUR)"}
    ]


def test_preview_xlsx_formula_cell_is_an_error(cast):
    initiative_import = preview(cast["admin"], xlsx(["title", "goals"], ["Offsite", "=1+1"]))
    assert initiative_import.errors == [{"line": 2, "column": "goals", "message": "Formulas are not allowed: =1+1"}]
    assert initiative_import.rows[0]["goals"] == ""


# File errors ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("initiatives.txt", b"title\nOffsite\n", "Upload a CSV or XLSX file."),
        ("initiatives.csv", b"", "The file is empty."),
        ("initiatives.xlsx", b"", "The file is empty."),
        ("initiatives.csv", b"provider,cost\nAcme,12\n", "The column \u201ctitle\u201d is missing."),
        ("initiatives.csv", b"title,From,starts on\nOffsite,,\n", "The column \u201cstarts on\u201d appears twice."),
        (
            "initiatives.csv",
            "title,provider\nSzkolenie,Żółw\n".encode("cp1250"),
            "The file is not UTF-8 text. Save it as \u201cCSV UTF-8\u201d and upload it again.",
        ),
        ("initiatives.xlsx", b"title\nOffsite\n", "This is not a readable XLSX file."),
    ],
)
def test_preview_unreadable_file_is_refused_before_anything_is_written(cast, name, content, message):
    before = written()
    with pytest.raises(ImportFileError) as refused:
        preview(cast["admin"], upload(content, name))
    assert str(refused.value) == message
    assert (InitiativeImport.objects.count(), written()) == (0, before)


# Refusals ---------------------------------------------------------------------------------------


def test_apply_twice_refuses_the_second_time(cast):
    initiative_import = preview(cast["admin"], VALID)
    double_click = InitiativeImport.objects.get(pk=initiative_import.pk)  # loaded before the first applies
    apply_initiative_import(initiative_import=initiative_import, actor=cast["admin"].user)
    before = written()
    for attempt in (double_click, initiative_import):
        with pytest.raises(ValidationError) as refused:
            apply_initiative_import(initiative_import=attempt, actor=cast["admin"].user)
        assert refused.value.messages == ["This import has already been applied."]
    assert written() == before


@pytest.mark.parametrize("role", ["trainer", "participant", "outsider"])
def test_apply_refuses_someone_who_may_not_manage_the_catalogue(cast, role):
    initiative_import = preview(cast["admin"], VALID)
    before = written()
    with pytest.raises(PermissionDenied):
        apply_initiative_import(initiative_import=initiative_import, actor=cast[role].user)
    initiative_import.refresh_from_db()
    assert (written(), initiative_import.applied_at) == (before, None)


# Pages ------------------------------------------------------------------------------------------


def _upload(client, content: bytes, name: str = "initiatives.csv"):
    return client.post(reverse("catalogue:initiative_import"), {"file": SimpleUploadedFile(name, content)})


def test_upload_then_confirm_adds_the_initiatives(client_for, cast):
    client = client_for(cast["admin"])
    assert client.get(reverse("catalogue:initiative_import")).status_code == 200
    response = _upload(client, VALID.encode())
    initiative_import = InitiativeImport.objects.get()
    preview_url = reverse("catalogue:initiative_import_preview", args=[initiative_import.uuid])
    assert response["Location"] == preview_url
    page = client.get(preview_url)
    assert page.status_code == 200
    content = page.content.decode()
    assert "Ready: 2 to add, 0 to update, 0 unchanged." in content
    assert "1200.50 PLN" in content
    assert Initiative.objects.count() == 0
    response = client.post(preview_url)
    assert response["Location"] == reverse("catalogue:catalogue")
    assert sorted(Initiative.objects.values_list("title", flat=True)) == ["Book circle", "Sales Summit"]
    assert "This file has been imported." in client.get(preview_url).content.decode()
    client.post(preview_url)  # a second click
    assert (Initiative.objects.count(), AuditEntry.objects.filter(object_type="initiativeimport").count()) == (2, 1)


def test_unreadable_file_is_refused_on_the_upload_field(client_for, cast):
    response = _upload(client_for(cast["admin"]), "title\nÅland trip\n".encode("latin-1"))
    assert response.status_code == 200
    assert response.context["form"].errors == {
        "file": ["The file is not UTF-8 text. Save it as \u201cCSV UTF-8\u201d and upload it again."]
    }
    assert InitiativeImport.objects.count() == 0


def test_preview_lists_row_errors_and_offers_no_confirmation(client_for, cast):
    client = client_for(cast["admin"])
    response = _upload(client, b"title,type\nOffsite,party\n,conference\n")
    content = client.get(response["Location"]).content.decode()
    assert "Unknown type: party" in content
    assert "Title is missing" in content
    assert "The file has 2 problems. Nothing was saved." in content
    assert "Confirm and import" not in content
    client.post(response["Location"])
    assert (Initiative.objects.count(), InitiativeImport.objects.get().applied_at) == (0, None)


@pytest.mark.parametrize("role", ["trainer", "mentor", "manager", "participant"])
def test_people_who_may_not_manage_the_catalogue_get_403(client_for, cast, role):
    initiative_import = preview(cast["admin"], VALID)
    client = client_for(cast[role])
    preview_url = reverse("catalogue:initiative_import_preview", args=[initiative_import.uuid])
    assert client.get(reverse("catalogue:initiative_import")).status_code == 403
    assert _upload(client, VALID.encode()).status_code == 403
    assert (client.get(preview_url).status_code, client.post(preview_url).status_code) == (403, 403)
    assert (InitiativeImport.objects.count(), Initiative.objects.count()) == (1, 0)


def test_outsider_gets_404_on_a_preview_of_our_workspace(client_for, cast):
    initiative_import = preview(cast["admin"], VALID)
    client = client_for(cast["outsider"])
    preview_url = reverse("catalogue:initiative_import_preview", args=[initiative_import.uuid])
    assert (client.get(preview_url).status_code, client.post(preview_url).status_code) == (404, 404)
    assert (InitiativeImport.objects.get().applied_at, Initiative.objects.count()) == (None, 0)
