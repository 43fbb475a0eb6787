"""Benchmark: import a 20,000-row attendance register (500 participants, 40 sessions) from a CSV
file: read, check every row, record in one transaction; then import it again, which replaces
every value instead of adding it twice.

Run from the repository root: ``.venv/bin/python bench/tracking_import.py``. It uses a fresh SQLite
database in a temporary data directory and prints ``BENCH <name> <seconds> s`` lines.
"""

import csv
import datetime
import io
import time

from _fresh import in_fresh_installation

PARTICIPANTS, SESSIONS = 500, 40
ROWS = PARTICIPANTS * SESSIONS
MODULES = 10
FIRST_DAY = datetime.date(2026, 9, 1)


def build_csv() -> bytes:
    """A register as an LMS exports it: Polish headers, day-first dates, a module per four sessions."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";")
    writer.writerow(["Adres e-mail", "Data", "Moduł", "Obecność"])
    for session in range(SESSIONS):
        day = (FIRST_DAY + datetime.timedelta(days=session)).strftime("%d.%m.%Y")
        for n in range(PARTICIPANTS):
            writer.writerow([f"learner{n}@bench.test", day, session // 4 + 1, "tak" if (n + session) % 7 else "nie"])
    return out.getvalue().encode()


def build_cohort():
    from takeroot.core.models import Person, User
    from takeroot.core.services import create_person, create_workspace
    from takeroot.programmes import services as programmes

    workspace = create_workspace(name="Bench", slug="bench")
    admin = create_person(workspace=workspace, actor=None, email="admin@bench.test", name="Admin", is_admin=True)
    programme = programmes.create_programme(workspace=workspace, actor=admin.user, name="Sales", format="classroom")
    for number in range(1, MODULES + 1):
        programmes.save_module(programme=programme, actor=admin.user, title=f"Module {number}", objectives=[])
    cohort = programmes.create_cohort(
        programme=programme, actor=admin.user, name="Autumn", starts_on=FIRST_DAY, ends_on=datetime.date(2026, 12, 18)
    )
    users = User.objects.bulk_create(
        User(email=f"learner{n}@bench.test", name=f"Learner {n}") for n in range(PARTICIPANTS)
    )
    people = Person.objects.bulk_create(Person(workspace=workspace, user=user, is_participant=True) for user in users)
    programmes.enrol_people(cohort=cohort, actor=admin.user, people=people)
    return cohort, admin.user


def run() -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    from takeroot.core.scope import across_workspaces, workspace_scope
    from takeroot.tracking.enums import ImportKind
    from takeroot.tracking.imports import guess_columns, import_activity, preview_import, read_upload
    from takeroot.tracking.models import ActivityRecord, Rollup

    content = build_csv()
    with across_workspaces():  # setting up the benchmark's workspace and people
        cohort, actor = build_cohort()

    def import_once():
        upload = read_upload(SimpleUploadedFile("register.csv", content, content_type="text/csv"))
        columns = guess_columns(upload.header, ImportKind.ATTENDANCE)
        preview = preview_import(cohort=cohort, kind=ImportKind.ATTENDANCE, upload=upload, columns=columns)
        assert preview.errors == [], preview.errors[:3]
        return preview, import_activity(preview=preview, upload=upload, columns=columns, actor=actor)

    with workspace_scope(cohort.workspace):
        start = time.perf_counter()
        preview, first = import_once()
        imported = time.perf_counter()
        assert (first.records, preview.replacing) == (ROWS, 0)
        preview, second = import_once()
        again = time.perf_counter()
        assert (second.records, preview.replacing) == (ROWS, ROWS)
        assert ActivityRecord.objects.filter(workspace=cohort.workspace).count() == ROWS
        assert sum(Rollup.objects.filter(workspace=cohort.workspace).values_list("count", flat=True)) == ROWS
    print(f"BENCH tracking_import_{ROWS} {imported - start:.2f} s")
    print(f"BENCH tracking_reimport_{ROWS} {again - imported:.2f} s")


if __name__ == "__main__":
    in_fresh_installation(run)
