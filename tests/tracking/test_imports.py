"""File imports of learning data: each kind from CSV and XLSX, headers in four languages, every
problem blocking the whole file, re-imports that replace instead of doubling, and removal."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db.models import Sum

from takeroot.core.enums import AuditAction
from takeroot.core.models import AuditEntry
from takeroot.tracking.enums import ImportKind, Input, Origin
from takeroot.tracking.imports import guess_columns, import_activity, remove_import, save_source
from takeroot.tracking.imports.values import CellError, read_attended, read_date, read_minutes, read_rating, read_score
from takeroot.tracking.models import ActivityImport, ActivityRecord, ImportSource, Rollup

from .test_imports_support import check, csv_file, import_file, xlsx_file

PIA, OLEK = "participant@acme.test", "other@acme.test"
KINDS = {
    ImportKind.ATTENDANCE: (
        [
            ["Email", "Date", "Module", "Attended"],
            [PIA, "2026-10-05", "Opening the call", "yes"],
            [OLEK, "05.10.2026", "1", "nie"],
        ],
        Input.ATTENDANCE,
        {PIA: 1.0, OLEK: 0.0},
    ),
    ImportKind.TIME_ONLINE: (
        [["E-mail", "Day", "Module", "Time spent"], [PIA, "05/10/2026", "2", "1:30"], [OLEK, "2026-10-06", "", "45,5"]],
        Input.TIME_ONLINE,
        {PIA: 90.0, OLEK: 45.5},
    ),
    ImportKind.GRADES: (
        [
            ["Email", "Date", "Module", "Score", "Max"],
            [PIA, "2026-10-05", "1", "17", "20"],
            [OLEK, "2026-10-05", "1", "85 %", ""],
        ],
        Input.ASSIGNMENT_SCORE,
        {PIA: 0.85, OLEK: 0.85},
    ),
    ImportKind.SUPERVISOR_EVALUATION: (
        [["Email", "Date", "Rating"], [PIA, "2026-10-05", "4"], [OLEK, "2026-10-05", "2,5"]],
        Input.SUPERVISOR_EVALUATION,
        {PIA: 0.8, OLEK: 0.5},
    ),
}


def _values(activity_import) -> dict[str, float]:
    records = ActivityRecord.objects.filter(activity_import=activity_import).select_related("enrolment__person__user")
    return {record.enrolment.person.user.email: round(record.value, 4) for record in records}


@pytest.mark.parametrize("kind", list(KINDS))
@pytest.mark.parametrize("make", [csv_file, xlsx_file], ids=["csv", "xlsx"])
def test_each_kind_is_recorded_normalised(cohort, enrolment, cast, kind, make):
    rows, input, expected = KINDS[kind]

    activity_import = import_file(cohort, kind, make(rows), actor=cast["admin"].user)

    assert activity_import.records == 2
    assert _values(activity_import) == expected
    records = ActivityRecord.objects.filter(activity_import=activity_import)
    assert set(records.values_list("input", "origin", "cohort_id")) == {(input, Origin.IMPORT, cohort.pk)}
    totals = Rollup.objects.filter(cohort=cohort, input=input).aggregate(total=Sum("total"), count=Sum("count"))
    assert totals == {"total": pytest.approx(sum(expected.values())), "count": 2}


def test_spreadsheet_dates_and_numbers_are_read(cohort, enrolment, modules):
    rows = [
        ["Email", "Date", "Module", "Score", "Max"],
        [PIA, datetime.datetime(2026, 10, 5), 2, 9, 10],
        [OLEK, 46302, "Handling objections", 4.5, 10],  # 46302: a date cell formatted as a number
    ]
    activity_import = import_file(cohort, ImportKind.GRADES, xlsx_file(rows))

    records = ActivityRecord.objects.filter(activity_import=activity_import).order_by("value")
    assert [(r.occurred_at, r.module_id, r.value) for r in records] == [
        (datetime.datetime(2026, 10, 7, 12, tzinfo=datetime.UTC), modules[1].pk, 0.45),
        (datetime.datetime(2026, 10, 5, 12, tzinfo=datetime.UTC), modules[1].pk, 0.9),
    ]


@pytest.mark.parametrize(
    ("header", "kind", "expected"),
    [
        (["Adres e-mail", "Data", "Moduł", "Obecność"], ImportKind.ATTENDANCE, ["email", "date", "module", "attended"]),
        (["E-post", "Datum", "Tid (minuter)"], ImportKind.TIME_ONLINE, ["email", "date", "minutes"]),
        (["邮箱", "日期", "成绩", "满分"], ImportKind.GRADES, ["email", "date", "score", "maximum"]),
        (
            ["E-postadress", "Datum", "Modul", "Bedömning", "Skala"],
            ImportKind.SUPERVISOR_EVALUATION,
            ["email", "date", "module", "rating", "scale"],
        ),
        (["Ocena", "E-mail uczestnika", "Termin"], ImportKind.GRADES, ["score", "email", "date"]),
        (["电子邮件", "上课日期", "出席"], ImportKind.ATTENDANCE, ["email", "date", "attended"]),
    ],
)
def test_headers_are_guessed_in_four_languages(header, kind, expected):
    assert guess_columns(header, kind) == {key: position for position, key in enumerate(expected)}


@pytest.mark.parametrize(
    ("rows", "expected"),
    [
        (
            [["Adres e-mail", "Data", "Obecność"], [PIA, "05.10.2026", "obecny"], [OLEK, "05.10.2026", "nieobecny"]],
            {PIA: 1, OLEK: 0},
        ),
        (
            [["E-post", "Datum", "Närvaro"], [PIA, "2026-10-05", "närvarande"], [OLEK, "2026-10-05", "frånvarande"]],
            {PIA: 1, OLEK: 0},
        ),
        ([["邮箱", "日期", "出勤"], [PIA, "2026年10月5日", "出席"], [OLEK, "2026-10-05", "缺席"]], {PIA: 1, OLEK: 0}),
        ([["Email", "Date", "Present"], [PIA, "2026-10-05", "x"], [OLEK, "2026-10-05", ""]], {PIA: 1, OLEK: 0}),
    ],
    ids=["pl", "sv", "zh", "crosses"],
)
def test_attendance_words_in_four_languages(cohort, enrolment, rows, expected):
    assert _values(import_file(cohort, ImportKind.ATTENDANCE, csv_file(rows))) == expected


def test_a_saved_source_names_the_columns_first(workspace, cast):
    source = save_source(
        workspace=workspace,
        actor=cast["admin"].user,
        name="Moodle register",
        kind=ImportKind.ATTENDANCE,
        columns={"email": "Login", "attended": "Status"},
    )
    header = ["Email", "Login", "Date", "Status"]

    assert guess_columns(header, ImportKind.ATTENDANCE, source.columns) == {"email": 1, "date": 2, "attended": 3}
    assert ImportSource.objects.get().columns == {"email": "Login", "attended": "Status"}


def test_every_problem_is_listed_and_blocks_the_whole_file(cohort, enrolment, cast):
    rows = [
        ["Email", "Date", "Module", "Time spent"],
        [PIA, "2026-10-05", "1", "30"],
        ["nobody@acme.test", "2026-10-05", "", "30"],
        ["mentor@acme.test", "2026-10-05", "", "30"],
        [OLEK, "31.02.2026", "", "30"],
        [OLEK, "2026-10-06", "", "1500"],
        [OLEK, "2026-10-07", "Module nine", "30"],
        [PIA, "2026-10-05", "Opening the call", "45"],
        [OLEK, "2026-10-08", "", "=A1*2"],
        ["not an email", "2026-10-08", "", "twenty"],
    ]
    upload, columns, preview = check(cohort, ImportKind.TIME_ONLINE, csv_file(rows))

    assert preview.errors == [
        {"line": 3, "column": "Email", "message": "Unknown email: nobody@acme.test (not a person in this workspace)"},
        {"line": 4, "column": "Email", "message": "mentor@acme.test is not enrolled in this cohort"},
        {"line": 5, "column": "Date", "message": "Not a date: 31.02.2026 (write it as 2026-10-05 or 05.10.2026)"},
        {"line": 6, "column": "Time spent", "message": "Out of range: 1500 (time online is 0 to 1440 minutes a day)"},
        {"line": 7, "column": "Module", "message": "Module not found in this programme: Module nine"},
        {"line": 8, "column": "Email", "message": "Duplicate row: the same participant, module and day as line 2"},
        {"line": 9, "column": "Time spent", "message": "Formulas are not allowed: =A1*2"},
        {"line": 10, "column": "Email", "message": "Not a valid email address: not an email"},
        {"line": 10, "column": "Time spent", "message": "Not a number: twenty"},
    ]
    with pytest.raises(ValidationError):
        import_activity(preview=preview, upload=upload, columns=columns, actor=cast["admin"].user)
    assert (ActivityImport.objects.count(), ActivityRecord.objects.count(), Rollup.objects.count()) == (0, 0, 0)


def test_a_mapping_without_a_required_column_is_refused(cohort):
    with pytest.raises(ValidationError) as refused:
        check(cohort, ImportKind.ATTENDANCE, csv_file([["Email", "Date"], [PIA, "2026-10-05"]]))

    assert refused.value.message_dict == {"attended": ["Choose the column that holds this; it is required."]}


def test_importing_the_same_file_again_replaces_instead_of_doubling(cohort, enrolment, cast):
    rows = [["Email", "Date", "Attended"], [PIA, "2026-10-05", "yes"], [OLEK, "2026-10-05", "no"]]
    first = import_file(cohort, ImportKind.ATTENDANCE, csv_file(rows))
    corrected = [rows[0], rows[1], [OLEK, "2026-10-05", "yes"], [OLEK, "2026-10-12", "yes"]]

    _upload, _columns, preview = check(cohort, ImportKind.ATTENDANCE, csv_file(corrected))
    assert (preview.replacing, [row.replaces for row in preview.rows]) == (2, [True, True, False])
    second = import_file(cohort, ImportKind.ATTENDANCE, csv_file(corrected))

    first.refresh_from_db()
    assert (first.records, second.records, second.replaced) == (0, 3, 2)
    assert ActivityRecord.objects.count() == 3
    totals = Rollup.objects.filter(cohort=cohort).aggregate(total=Sum("total"), count=Sum("count"))
    assert totals == {"total": 3.0, "count": 3}


def test_removing_an_import_takes_its_records_out_of_the_indicators(cohort, enrolment, cast):
    admin = cast["admin"].user
    rows = [["Email", "Date", "Time spent"], [PIA, "2026-10-05", "30"], [OLEK, "2026-10-05", "20"]]
    activity_import = import_file(cohort, ImportKind.TIME_ONLINE, csv_file(rows), actor=admin)

    assert remove_import(activity_import=activity_import, actor=admin) == 2

    assert (ActivityImport.objects.count(), ActivityRecord.objects.count(), Rollup.objects.count()) == (0, 0, 0)
    entry = AuditEntry.objects.filter(object_type="activityimport").order_by("pk").last()
    assert (entry.action, entry.actor, entry.object_label) == (AuditAction.DELETED, admin, "export.csv")


def test_an_import_is_audited(cohort, enrolment, cast):
    admin = cast["admin"].user
    rows = [["Email", "Date", "Rating"], [PIA, "2026-10-05", "5"]]
    import_file(cohort, ImportKind.SUPERVISOR_EVALUATION, csv_file(rows), actor=admin)

    entry = AuditEntry.objects.get(object_type="activityimport")
    assert (entry.action, entry.actor) == (AuditAction.IMPORTED, admin)
    assert entry.changes["records"] == [None, 1]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026-10-05", datetime.datetime(2026, 10, 5, 12, tzinfo=datetime.UTC)),
        ("05.10.2026", datetime.datetime(2026, 10, 5, 12, tzinfo=datetime.UTC)),
        ("5/10/2026", datetime.datetime(2026, 10, 5, 12, tzinfo=datetime.UTC)),
        ("2026-10-05T00:00:00", datetime.datetime(2026, 10, 5, 12, tzinfo=datetime.UTC)),
        ("2026-10-05 09:30", datetime.datetime(2026, 10, 5, 7, 30, tzinfo=datetime.UTC)),  # Warsaw, summer time
        ("46302", datetime.datetime(2026, 10, 7, 12, tzinfo=datetime.UTC)),
        ("2026年10月5日", datetime.datetime(2026, 10, 5, 12, tzinfo=datetime.UTC)),
    ],
)
def test_dates_in_the_usual_spellings(text, expected):
    assert read_date(text) == expected


@pytest.mark.parametrize(
    ("reader", "args", "expected"),
    [
        (read_minutes, ("45,5",), 45.5),
        (read_minutes, ("01:30:30",), 90.5),
        (read_score, ("85 %", ""), 0.85),
        (read_score, ("72,5", ""), 0.725),
        (read_score, ("7", "10"), 0.7),
        (read_rating, ("3", ""), 0.6),
        (read_rating, ("7", "10"), 0.7),
        (read_attended, ("TAK",), 1.0),
        (read_attended, ("否",), 0.0),
    ],
)
def test_values_are_normalised(reader, args, expected):
    assert reader(*args) == pytest.approx(expected)


@pytest.mark.parametrize(
    ("reader", "args", "message"),
    [
        (read_score, ("11", "10"), "Out of range: 11 (a score is 0 to the maximum, 10)"),
        (read_score, ("120 %", ""), "Out of range: 120 % (a percentage is 0 to 100)"),
        (read_rating, ("6", ""), "Out of range: 6 (a rating is 0 to the scale maximum, 5)"),
        (read_rating, ("3", "0"), "The maximum must be more than 0: 0"),
        (read_attended, ("maybe",), "Not an attendance mark: maybe (use yes or no, present or absent, 1 or 0)"),
        (read_minutes, ("-5",), "Out of range: -5 (time online is 0 to 1440 minutes a day)"),
        (read_date, ("next week",), "Not a date: next week (write it as 2026-10-05 or 05.10.2026)"),
    ],
)
def test_bad_values_say_why(reader, args, message):
    with pytest.raises(CellError) as error:
        reader(*args)
    assert str(error.value) == message
