import io
import zipfile

import openpyxl
import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext, override_settings

from takeroot.core.imports import ImportFileError, apply_people_import, preview_people_import
from takeroot.core.models import AuditEntry, PeopleImport, Person, Team, User
from takeroot.core.scope import workspace_scope

HEADER = "email,name,team,manager email,language,time zone,roles\n"
VALID = HEADER + (
    "jan@acme.test,Jan Kowalski,Sales / North,ewa@acme.test,pl,,\n"
    'Ewa@Acme.test, Ewa  Nowak ,sales / North,,PL,Europe/Warsaw,"manager, mentor"\n'
    "li@acme.test,Li Wei,Support,ewa@acme.test,zh_Hans,asia/shanghai,participant;trainer\n"
    "sven@acme.test,Sven Berg,,admin@acme.test,sv,Europe/Stockholm,participant\n"
)


def upload(content: str | bytes, name: str = "people.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content.encode() if isinstance(content, str) else content)


def xlsx(*rows: list, name: str = "people.xlsx") -> SimpleUploadedFile:
    workbook = openpyxl.Workbook()
    for row in rows:
        workbook.active.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return SimpleUploadedFile(name, buffer.getvalue())


def preview(person, content: str | SimpleUploadedFile) -> PeopleImport:
    uploaded_file = upload(content) if isinstance(content, str) else content
    return preview_people_import(workspace=person.workspace, actor=person.user, uploaded_file=uploaded_file)


def written(workspace) -> tuple[int, int, int, int]:
    """Everything an import could write besides the import itself."""
    return (
        User.objects.count(),
        Person.objects.filter(workspace=workspace).count(),
        Team.objects.filter(workspace=workspace).count(),
        AuditEntry.objects.count(),
    )


def people_of(workspace) -> dict[str, tuple]:
    return {
        person.user.email: (
            person.user.name,
            person.user.language,
            person.user.timezone,
            person.team and str(person.team.parent or "") + "/" + person.team.name,
            person.manager and person.manager.user.email,
            person.roles,
        )
        for person in Person.objects.filter(workspace=workspace).select_related("user", "team__parent", "manager__user")
    }


# Preview and apply ------------------------------------------------------------------------------


def test_preview_valid_csv_lists_normalised_rows_and_writes_no_people(admin, team):
    before = written(admin.workspace)
    people_import = preview(admin, VALID)
    assert people_import.rows == [
        {
            "line": 2,
            "email": "jan@acme.test",
            "name": "Jan Kowalski",
            "team": "Sales / North",
            "manager_email": "ewa@acme.test",
            "language": "pl",
            "timezone": "Europe/Warsaw",
            "roles": ["participant"],
            "action": "create",
        },
        {
            "line": 3,
            "email": "ewa@acme.test",
            "name": "Ewa Nowak",
            "team": "Sales / North",
            "manager_email": "",
            "language": "pl",
            "timezone": "Europe/Warsaw",
            "roles": ["mentor", "manager"],
            "action": "create",
        },
        {
            "line": 4,
            "email": "li@acme.test",
            "name": "Li Wei",
            "team": "Support",
            "manager_email": "ewa@acme.test",
            "language": "zh-hans",
            "timezone": "Asia/Shanghai",
            "roles": ["trainer", "participant"],
            "action": "create",
        },
        {
            "line": 5,
            "email": "sven@acme.test",
            "name": "Sven Berg",
            "team": "",
            "manager_email": "admin@acme.test",
            "language": "sv",
            "timezone": "Europe/Stockholm",
            "roles": ["participant"],
            "action": "create",
        },
    ]
    assert people_import.errors == []
    assert people_import.notices == ["2 new teams will be created: Sales / North, Support"]
    assert people_import.summary == {"create": 4, "update": 0, "unchanged": 0, "teams": 2}
    assert (people_import.state, people_import.filename, people_import.created_by) == (
        "preview",
        "people.csv",
        admin.user,
    )
    assert written(admin.workspace) == before


def test_apply_valid_csv_creates_people_roles_teams_and_managers(admin, team):
    people_import = preview(admin, VALID)
    summary = apply_people_import(people_import=people_import, actor=admin.user)
    assert summary == {"create": 4, "update": 0, "unchanged": 0, "teams": 2}
    assert people_of(admin.workspace) == {
        "admin@acme.test": ("Anna Admin", "en", "Europe/Warsaw", None, None, ["admin"]),
        "jan@acme.test": ("Jan Kowalski", "pl", "Europe/Warsaw", "Sales/North", "ewa@acme.test", ["participant"]),
        "ewa@acme.test": ("Ewa Nowak", "pl", "Europe/Warsaw", "Sales/North", None, ["mentor", "manager"]),
        "li@acme.test": ("Li Wei", "zh-hans", "Asia/Shanghai", "/Support", "ewa@acme.test", ["trainer", "participant"]),
        "sven@acme.test": ("Sven Berg", "sv", "Europe/Stockholm", None, "admin@acme.test", ["participant"]),
    }
    assert Team.objects.get(workspace=admin.workspace, name="North").parent == team
    assert [
        user.has_usable_password()
        for user in User.objects.filter(email__endswith="acme.test").exclude(email="admin@acme.test")
    ] == [False, False, False, False]
    people_import.refresh_from_db()
    assert (people_import.state, people_import.summary, people_import.applied_at is not None) == (
        "applied",
        summary,
        True,
    )
    entries = sorted(
        (entry.action, entry.object_type, entry.object_label, entry.actor == admin.user)
        for entry in AuditEntry.objects.filter(workspace=admin.workspace)
    )
    assert entries == [
        ("created", "team", "North", True),
        ("created", "team", "Support", True),
        ("imported", "peopleimport", "people.csv", True),
        ("imported", "person", "Ewa Nowak", True),
        ("imported", "person", "Jan Kowalski", True),
        ("imported", "person", "Li Wei", True),
        ("imported", "person", "Sven Berg", True),
    ]
    assert AuditEntry.objects.get(object_label="Ewa Nowak").changes == {
        "email": [None, "ewa@acme.test"],
        "roles": [None, "mentor, manager"],
    }


def test_reimport_same_file_changes_nothing(admin, team):
    apply_people_import(people_import=preview(admin, VALID), actor=admin.user)
    before = written(admin.workspace)
    people_before = people_of(admin.workspace)
    again = preview(admin, VALID)
    assert [row["action"] for row in again.rows] == ["unchanged", "unchanged", "unchanged", "unchanged"]
    assert (again.summary, again.notices) == ({"create": 0, "update": 0, "unchanged": 4, "teams": 0}, [])
    assert apply_people_import(people_import=again, actor=again.created_by) == again.summary
    users, people, teams, entries = before
    assert written(admin.workspace) == (users, people, teams, entries + 1)  # only the import's own entry
    assert AuditEntry.objects.filter(object_type="person").count() == 4
    assert people_of(admin.workspace) == people_before


def test_apply_updates_changed_people_and_leaves_the_rest_alone(admin, participant, other_participant, manager):
    participant.user.language = "sv"
    participant.user.save()
    people_import = preview(
        admin, "Email,Name,Team,Roles,Language\nparticipant@acme.test,Pia Nowak,Sales / North,participant;mentor,\n"
    )
    assert [row["action"] for row in people_import.rows] == ["update"]
    assert (people_import.rows[0]["manager_email"], people_import.rows[0]["language"]) == (None, None)
    before = people_of(admin.workspace)
    assert apply_people_import(people_import=people_import, actor=admin.user) == {
        "create": 0,
        "update": 1,
        "unchanged": 0,
        "teams": 1,
    }
    assert people_of(admin.workspace) == before | {
        "participant@acme.test": (
            "Pia Nowak",
            "sv",
            "Europe/Warsaw",
            "Sales/North",
            "manager@acme.test",
            ["mentor", "participant"],
        ),
    }
    assert AuditEntry.objects.get(object_type="person", action="changed").changes == {
        "name": ["Pia Participant", "Pia Nowak"],
        "team": ["Sales", "North"],
        "is_mentor": [False, True],
    }


def test_apply_clears_team_and_manager_from_empty_cells(admin, participant):
    people_import = preview(admin, "email,name,team,manager email\nparticipant@acme.test,Pia Participant,,\n")
    apply_people_import(people_import=people_import, actor=admin.user)
    participant.refresh_from_db()
    assert (participant.team, participant.manager) == (None, None)
    assert AuditEntry.objects.get(object_type="person").changes == {
        "team": ["Sales", None],
        "manager": ["Magnus Manager", None],
    }


def test_apply_reuses_the_account_of_someone_in_another_workspace(admin, outsider):
    people_import = preview(admin, "email,name,language\nOUTSIDER@globex.test,Someone Else,pl\n")
    assert people_import.rows[0]["action"] == "create"
    apply_people_import(people_import=people_import, actor=admin.user)
    outsider.user.refresh_from_db()
    assert (outsider.user.name, outsider.user.language) == ("Oskar Outsider", "en")
    assert Person.objects.get(workspace=admin.workspace, user=outsider.user).roles == ["participant"]


def test_apply_sets_managers_of_a_reporting_line_deeper_than_one_insert_per_level(admin):
    rows = [f"p{n}@acme.test,Person {n},,{f'p{n + 1}@acme.test' if n < 11 else ''}\n" for n in range(12)]
    apply_people_import(
        people_import=preview(admin, "email,name,team,manager email\n" + "".join(rows)), actor=admin.user
    )
    managers = dict(Person.objects.filter(workspace=admin.workspace).values_list("user__email", "manager__user__email"))
    assert managers == {"admin@acme.test": None, "p11@acme.test": None} | {
        f"p{n}@acme.test": f"p{n + 1}@acme.test" for n in range(11)
    }


def test_apply_query_count_does_not_grow_with_rows(admin):
    def queries(count: int, offset: int) -> tuple[int, int]:
        lines = "".join(f"n{offset + n}@acme.test,N {n},Team {offset + n % 2},,pl,,mentor\n" for n in range(count))
        with CaptureQueriesContext(connection) as previewing:
            people_import = preview(admin, HEADER + lines)
        with CaptureQueriesContext(connection) as applying:
            apply_people_import(people_import=people_import, actor=admin.user)
        return len(previewing), len(applying)

    assert queries(2, 0) == queries(6, 100)


# Row errors -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("rows", "errors"),
    [
        ("not-an-email,Ann,,,,,\n", [(3, "email", "Not a valid email address: not-an-email")]),
        (",Ann,,,,,\n", [(3, "email", "Email address is missing")]),
        (
            "ann@acme.test,Ann,,nobody@acme.test,,,\n",
            [(3, "manager email", "Unknown line manager: nobody@acme.test (not in this file or the workspace)")],
        ),
        (
            "ann@acme.test,Ann,,,,,\nANN@acme.test,Ann Again,,,,,\n",
            [(4, "email", "Duplicate row: ann@acme.test appears on line 3 too")],
        ),
        ("ann@acme.test,Ann,,,fr,,\n", [(3, "language", "Unknown language: fr (use en, pl, sv or zh-hans)")]),
        ("ann@acme.test,Ann,,,,Mars/Olympus,\n", [(3, "time zone", "Unknown time zone: Mars/Olympus")]),
        ("ann@acme.test,Ann,,,,,admin;boss\n", [(3, "roles", "Unknown role: boss")]),
        ("ann@acme.test,,,,,,\n", [(3, "name", "Name is missing")]),
        ("ann@acme.test,=SUM(A1:A9),,,,,\n", [(3, "name", "Formulas are not allowed: =SUM(A1:A9)")]),
        ("ann@acme.test,Ann,+cmd|' /C calc'!A0,,,,\n", [(3, "team", "Formulas are not allowed: +cmd|' /C calc'!A0")]),
        ("@ann@acme.test,Ann,,,,,\n", [(3, "email", "Formulas are not allowed: @ann@acme.test")]),
        ("ann@acme.test,Ann,Sales /  / North,,,,\n", [(3, "team", "Not a valid team: Sales /  / North")]),
        ("ann@acme.test,Ann,,ann@acme.test,,,\n", [(3, "manager email", "A person cannot be their own line manager")]),
        (
            "a@acme.test,A,,b@acme.test,,,\nb@acme.test,B,,c@acme.test,,,\nc@acme.test,C,,a@acme.test,,,\n",
            [(3, "manager email", "Manager cycle: a@acme.test → b@acme.test → c@acme.test → a@acme.test")],
        ),
        (
            "ann@acme.test,Ann,,bad manager,xx,,\n",
            [
                (3, "manager email", "Not a valid email address: bad manager"),
                (3, "language", "Unknown language: xx (use en, pl, sv or zh-hans)"),
            ],
        ),
    ],
)
def test_preview_row_error_is_reported_on_its_line_and_nothing_is_written(admin, rows, errors):
    before = written(admin.workspace)
    people_import = preview(admin, HEADER + "ok@acme.test,Ok,,,,,\n" + rows)
    assert people_import.errors == [
        {"line": line, "column": column, "message": message} for line, column, message in errors
    ]
    with pytest.raises(ValidationError) as refused:
        apply_people_import(people_import=people_import, actor=admin.user)
    assert refused.value.messages == ["This import has errors. Correct the file and upload it again."]
    assert written(admin.workspace) == before


def test_preview_manager_cycle_through_existing_people_is_an_error(admin, participant):
    # In the workspace, the participant reports to the manager; the file closes the loop.
    people_import = preview(admin, "email,name,manager email\nmanager@acme.test,Magnus Manager,participant@acme.test\n")
    assert people_import.errors == [
        {
            "line": 2,
            "column": "manager email",
            "message": "Manager cycle: manager@acme.test → participant@acme.test → manager@acme.test",
        }
    ]


def test_preview_manager_only_in_another_workspace_is_unknown(admin, outsider):
    people_import = preview(admin, "email,name,manager_email\nann@acme.test,Ann,outsider@globex.test\n")
    assert people_import.errors == [
        {
            "line": 2,
            "column": "manager_email",
            "message": "Unknown line manager: outsider@globex.test (not in this file or the workspace)",
        }
    ]


def test_preview_removing_your_own_admin_role_is_an_error(admin):
    people_import = preview(admin, "email,name,roles\nadmin@acme.test,Anna Admin,trainer\n")
    assert people_import.errors == [{"line": 2, "column": "roles", "message": "You cannot remove your own admin role"}]


# File errors ------------------------------------------------------------------------------------


def _zip_without_workbook() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("hello.txt", "not a workbook")
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("people.txt", b"email,name\nann@acme.test,Ann\n", "Upload a CSV or XLSX file."),
        ("people.csv", b"", "The file is empty."),
        ("people.csv", b"\xef\xbb\xbf\r\n , \r\n", "The file is empty."),
        ("people.xlsx", b"", "The file is empty."),
        ("people.csv", b"email,name\n", "The file has a header row but nothing below it."),
        ("people.csv", b"email,team\nann@acme.test,Sales\n", "The column \u201cname\u201d is missing."),
        ("people.csv", b"name,team\nAnn,Sales\n", "The column \u201cemail\u201d is missing."),
        (
            "people.csv",
            b"email,Name,E-mail,EMAIL\nann@acme.test,Ann,,\n",
            "The column \u201cEMAIL\u201d appears twice.",
        ),
        (
            "people.csv",
            "email,name\nj\u00e4rn@acme.test,\u0141ukasz J\u00e4rn\n".encode("cp1250"),
            "The file is not UTF-8 text. Save it as \u201cCSV UTF-8\u201d and upload it again.",
        ),
        ("people.xlsx", b"email,name\nann@acme.test,Ann\n", "This is not a readable XLSX file."),
        ("people.xlsx", _zip_without_workbook(), "This is not a readable XLSX file."),
    ],
)
def test_preview_unreadable_file_is_refused_before_anything_is_written(admin, name, content, message):
    before = written(admin.workspace)
    with pytest.raises(ImportFileError) as refused:
        preview(admin, upload(content, name))
    assert str(refused.value) == message
    assert (PeopleImport.objects.count(), written(admin.workspace)) == (0, before)


@override_settings(TAKEROOT_MAX_IMPORT_BYTES=512 * 1024)
def test_preview_oversize_file_is_refused_with_the_limit(admin):
    with pytest.raises(ImportFileError) as refused:
        preview(admin, upload(HEADER.encode() + b"x" * 512 * 1024))
    assert str(refused.value) == (
        "The file is larger than 0.5 MB. Split it into smaller files and upload them one by one."
    )
    assert PeopleImport.objects.count() == 0


# Formats ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "content",
    [
        'Email;Name;Roles;Time_Zone\nann@acme.test;Ann;"admin,trainer";Europe/Stockholm\n',
        "\ufeffEMAIL\tName\tRoles\ttimezone\r\nann@acme.test\tAnn\tadmin; trainer\tEurope/Stockholm\r\n",
        " Email , Name,roles,Time Zone\nann@acme.test,Ann,ADMIN;Trainer,europe/stockholm\n\n,,,\n",
    ],
)
def test_preview_csv_with_other_delimiters_and_header_spellings_works(admin, content):
    people_import = preview(admin, content)
    assert people_import.errors == []
    assert people_import.rows == [
        {
            "line": 2,
            "email": "ann@acme.test",
            "name": "Ann",
            "team": None,
            "manager_email": None,
            "language": "en",
            "timezone": "Europe/Stockholm",
            "roles": ["admin", "trainer"],
            "action": "create",
        }
    ]


def test_preview_xlsx_reads_the_first_sheet(admin):
    people_import = preview(
        admin, xlsx(["Email", "Name", "Language"], ["ann@acme.test", "Ann", "zh"], [], ["bo@acme.test", "Bo", None])
    )
    assert [(row["line"], row["email"], row["language"]) for row in people_import.rows] == [
        (2, "ann@acme.test", "zh-hans"),
        (4, "bo@acme.test", "en"),
    ]
    assert people_import.errors == []


def test_preview_xlsx_formula_cell_is_an_error(admin):
    uploaded_file = xlsx(["email", "name"], ["placeholder", "Ann"])
    workbook = openpyxl.load_workbook(io.BytesIO(uploaded_file.read()))
    workbook.active["A2"] = "=1+1"
    buffer = io.BytesIO()
    workbook.save(buffer)
    people_import = preview(admin, upload(buffer.getvalue(), "people.xlsx"))
    assert people_import.errors == [{"line": 2, "column": "email", "message": "Formulas are not allowed: =1+1"}]
    assert people_import.rows[0]["email"] == ""  # the formula itself is never stored


def test_preview_xlsx_extra_columns_are_ignored_with_a_notice(admin):
    people_import = preview(
        admin, xlsx(["email", "name", "Phone", "Cost centre"], ["ann@acme.test", "Ann", "+48 600 100 200", 4711])
    )
    assert people_import.notices == [
        "Column \u201cPhone\u201d is not used and was ignored.",
        "Column \u201cCost centre\u201d is not used and was ignored.",
    ]
    assert people_import.errors == []  # "+48 …" would be a formula in our columns, not in an ignored one
    assert people_import.rows[0]["email"] == "ann@acme.test"


# Refusals ---------------------------------------------------------------------------------------


def test_apply_twice_is_refused(admin):
    people_import = preview(admin, "email,name\nann@acme.test,Ann\n")
    apply_people_import(people_import=people_import, actor=admin.user)
    before = written(admin.workspace)
    with pytest.raises(ValidationError) as refused:
        apply_people_import(people_import=people_import, actor=admin.user)
    assert refused.value.messages == ["This import has already been applied."]
    stale_copy = PeopleImport.objects.get(pk=people_import.pk)
    stale_copy.state = "preview"  # as a second browser tab still sees it
    with pytest.raises(ValidationError):
        apply_people_import(people_import=stale_copy, actor=admin.user)
    assert written(admin.workspace) == before


def test_apply_by_an_admin_of_another_workspace_is_refused(admin, outsider):
    people_import = preview(admin, "email,name\nann@acme.test,Ann\n")
    before = written(admin.workspace)
    with pytest.raises(ValidationError) as refused:
        apply_people_import(people_import=people_import, actor=outsider.user)
    assert refused.value.messages == ["This import belongs to another workspace."]
    with workspace_scope(outsider.workspace), pytest.raises(ValidationError) as refused:
        apply_people_import(people_import=people_import, actor=admin.user)
    assert refused.value.messages == ["This import belongs to another workspace."]
    assert written(admin.workspace) == before


def test_apply_after_the_manager_left_is_refused_and_rolled_back(admin, manager):
    people_import = preview(admin, "email,name,manager email\nann@acme.test,Ann,manager@acme.test\n")
    manager.delete()
    before = written(admin.workspace)
    with pytest.raises(ValidationError) as refused:
        apply_people_import(people_import=people_import, actor=admin.user)
    assert refused.value.messages == ["The people in this workspace changed since the preview. Upload the file again."]
    people_import.refresh_from_db()
    assert (people_import.state, written(admin.workspace)) == ("preview", before)
