"""Benchmark: import 10,000 new people from a CSV file (preview, then apply), then re-import it.

Run from the repository root: ``.venv/bin/python bench/import_people.py``. It uses a fresh SQLite
database in a temporary data directory and prints one ``BENCH <name> <seconds> s`` line per figure.
The target is a total under 10 s for preview plus apply.
"""

import csv
import io
import time

from _fresh import in_fresh_installation

ROWS = 10_000
DEPARTMENTS = ["Sales", "Engineering", "Finance", "Operations", "People", "Marketing", "Support", "Legal"]
UNITS = ["North", "South", "East", "West"]  # 8 departments + 32 units = 40 teams
LANGUAGES = ["en", "en", "pl", "pl", "sv", "zh-hans"]
TIME_ZONES = ["Europe/Warsaw", "Europe/Stockholm", "Asia/Shanghai", ""]


def build_csv() -> bytes:
    """A realistic file: nested teams, managers on earlier rows, mixed languages and roles."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["Email", "Name", "Team", "Manager email", "Language", "Time zone", "Roles"])
    for n in range(ROWS):
        department = DEPARTMENTS[n % len(DEPARTMENTS)]
        team = department if n < 40 else f"{department} / {UNITS[n // len(DEPARTMENTS) % len(UNITS)]}"
        # The first 40 people lead, the next 400 report to them, everyone else to one of those 400.
        manager = "" if n < 40 else f"person{n % 40 if n < 440 else 40 + n % 400}@bench.test"
        roles = "manager" if n < 440 else ("participant; mentor" if n % 50 == 0 else "")
        if n % 1000 == 1:
            roles = "trainer, participant"
        writer.writerow(
            [
                f"person{n}@bench.test",
                f"Person Number {n}",
                team,
                manager,
                LANGUAGES[n % len(LANGUAGES)],
                TIME_ZONES[n % len(TIME_ZONES)],
                roles,
            ]
        )
    return out.getvalue().encode()


def run() -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.db import connection

    from takeroot.core.imports import apply_people_import, preview_people_import
    from takeroot.core.models import Person, Team
    from takeroot.core.scope import workspace_scope
    from takeroot.core.services import create_person, create_workspace

    workspace = create_workspace(name="Bench", slug="bench")
    with workspace_scope(workspace):
        actor = create_person(
            workspace=workspace, actor=None, email="admin@bench.test", name="Bench Admin", is_admin=True
        ).user
    content = build_csv()

    def upload():
        return SimpleUploadedFile("people.csv", content, content_type="text/csv")

    with workspace_scope(workspace):
        start = time.perf_counter()
        people_import = preview_people_import(workspace=workspace, actor=actor, uploaded_file=upload())
        previewed = time.perf_counter()
        summary = apply_people_import(people_import=people_import, actor=actor)
        applied = time.perf_counter()
        assert people_import.errors == [], people_import.errors[:3]
        assert summary == {"create": ROWS, "update": 0, "unchanged": 0, "teams": 40}, summary
        assert Person.objects.filter(workspace=workspace).count() == ROWS + 1
        assert Team.objects.filter(workspace=workspace).count() == 40

        again = time.perf_counter()
        people_import = preview_people_import(workspace=workspace, actor=actor, uploaded_file=upload())
        summary = apply_people_import(people_import=people_import, actor=actor)
        done = time.perf_counter()
        assert summary == {"create": 0, "update": 0, "unchanged": ROWS, "teams": 0}, summary
    connection.close()

    print(f"BENCH import_people_preview_{ROWS} {previewed - start:.2f} s")
    print(f"BENCH import_people_apply_{ROWS} {applied - previewed:.2f} s")
    print(f"BENCH import_people_total_{ROWS} {applied - start:.2f} s")
    print(f"BENCH import_people_reimport_{ROWS} {done - again:.2f} s")


if __name__ == "__main__":
    in_fresh_installation(run)
