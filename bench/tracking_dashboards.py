"""Benchmark: the cohort and organisation dashboards over 10,000 enrolments and 2,000,000 activity
records, against the bare SQL that computes the same numbers.

Run from the repository root: ``.venv/bin/python bench/tracking_dashboards.py`` (SQLite), and with
``--postgres`` to run the same on a fresh PostgreSQL database (``TAKEROOT_BENCH_POSTGRES``, default
``postgres://postgres@127.0.0.1:5432``; skipped when it is not reachable).

It builds 20 programmes of 6 modules, each with 10 cohorts of 50 participants (10,000 enrolments in
20 teams), running at staggered times over the last half year, and 200 activity records per
enrolment (attendance, time online, interactions, quiz and assignment scores, practice tasks,
check-ins): 2,000,000 ``ActivityRecord`` rows inserted in bulk, with their weekly ``Rollup`` and
``CohortRollup`` rows summed in Python in one pass, as ``recording.record`` would keep them (checked on a sample). A few
people per cohort are flagged at risk and each programme has a finding.

It then requests the dashboards through the Django test client, signed in as an admin: the cohort
dashboard of 40 different cohorts (whole cohort, so charts are drawn for new figures) and of one
cohort again and again, and the organisation dashboard (last 12 weeks, then all programmes' and
teams' rows); and it times the bare SQL over the rollups that computes the same numbers (the
indicator sums per scope, per participant, per module, per programme, per team and per week).
Targets: p95 under 300 ms, within 3x the bare SQL.
"""

import datetime
import os
import random
import statistics
import sys
import time
import uuid
from collections import defaultdict

from _fresh import in_fresh_installation

PROGRAMMES = 20
MODULES = 6
COHORTS_PER_PROGRAMME = 10
PEOPLE_PER_COHORT = 50
RECORDS_PER_ENROLMENT = 200
TEAMS = 20
WEEKS = 12
# (input, records per enrolment, value): 200 in all.
MIX = [
    ("attendance", 12, lambda rng: 1.0 if rng.random() < 0.85 else 0.0),
    ("time_online", 40, lambda rng: float(rng.randint(5, 40))),
    ("interaction", 80, lambda rng: 1.0),
    ("quiz_score", 40, lambda rng: 1.0 if rng.random() < 0.72 else 0.0),
    ("assignment_score", 8, lambda rng: round(rng.uniform(0.4, 1.0), 2)),
    ("practice_completion", 8, lambda rng: 1.0 if rng.random() < 0.6 else 0.0),
    ("check_in", 6, lambda rng: 1.0 if rng.random() < 0.8 else 0.0),
    ("check_in_progress", 6, lambda rng: round(rng.uniform(0.2, 0.9), 2)),
]
REQUESTS = 40
POSTGRES = os.environ.get("TAKEROOT_BENCH_POSTGRES", "postgres://postgres@127.0.0.1:5432")
DATABASE = "takeroot_bench_dashboards"


def build(rng: random.Random):
    """The workspace, its people, courses, records, rollups, flags and findings; returns what the
    timing needs."""
    from django.contrib.auth.hashers import make_password
    from django.utils import timezone

    from takeroot.core.models import Person, Team, User
    from takeroot.core.services import create_workspace
    from takeroot.programmes.models import Cohort, Enrolment, Module, Programme
    from takeroot.tracking.enums import FindingKind, RiskReason
    from takeroot.tracking.indicators import indicators_for
    from takeroot.tracking.models import AtRiskFlag, Finding

    today = timezone.now().date()
    workspace = create_workspace(name="Bench", slug="bench")
    password = make_password(None)
    admin = Person.objects.create(
        workspace=workspace,
        user=User.objects.create(email="admin@bench.test", name="Admin", password=password),
        is_admin=True,
        is_participant=False,
    )
    teams = Team.objects.bulk_create(Team(workspace=workspace, name=f"Team {n:02}") for n in range(TEAMS))
    total = PROGRAMMES * COHORTS_PER_PROGRAMME * PEOPLE_PER_COHORT
    users = User.objects.bulk_create(
        (User(email=f"p{n}@bench.test", name=f"Person {n:05}", password=password) for n in range(total)),
        batch_size=2000,
    )
    people = Person.objects.bulk_create(
        (Person(workspace=workspace, user=user, team=teams[n % TEAMS]) for n, user in enumerate(users)),
        batch_size=2000,
    )
    cohorts, modules = [], {}
    for p in range(PROGRAMMES):
        programme = Programme.objects.create(workspace=workspace, name=f"Programme {p:02}")
        modules[programme.pk] = Module.objects.bulk_create(
            Module(workspace=workspace, programme=programme, position=m, title=f"Module {m + 1}")
            for m in range(MODULES)
        )
        for c in range(COHORTS_PER_PROGRAMME):
            starts = today - datetime.timedelta(weeks=2 + 2 * c)
            cohorts.append(
                Cohort.objects.create(
                    workspace=workspace,
                    programme=programme,
                    name=f"Run {c + 1}",
                    starts_on=starts,
                    ends_on=starts + datetime.timedelta(weeks=WEEKS),
                )
            )
    enrolments = Enrolment.objects.bulk_create(
        (
            Enrolment(workspace=workspace, cohort=cohort, person=people[i * PEOPLE_PER_COHORT + n], status="active")
            for i, cohort in enumerate(cohorts)
            for n in range(PEOPLE_PER_COHORT)
        ),
        batch_size=2000,
    )
    indicators_for(workspace)
    started = time.perf_counter()
    records = insert_records(workspace, cohorts, enrolments, modules, rng, today)
    print(f"  {records:,} records and their rollups in {time.perf_counter() - started:.0f} s", file=sys.stderr)
    now = timezone.now()
    reason = [{"reason": RiskReason.MISSED_CHECK_INS, "detail": {"missed": 2, "cadence_days": 7}}]
    AtRiskFlag.objects.bulk_create(
        AtRiskFlag(workspace=workspace, enrolment=e, reasons=reason, raised_at=now, updated_at=now)
        for e in enrolments[::17]
    )
    Finding.objects.bulk_create(
        Finding(
            workspace=workspace,
            programme_id=programme_id,
            cohort=next(c for c in cohorts if c.programme_id == programme_id),
            module=module_list[2],
            kind=FindingKind.LOW_KNOWLEDGE,
            value=0.55,
            target=0.7,
            count=30,
            fingerprint=f"bench:{programme_id}",
            found_at=now,
            updated_at=now,
        )
        for programme_id, module_list in modules.items()
    )
    return admin, cohorts


def insert_records(workspace, cohorts, enrolments, modules, rng, today) -> int:
    """2,000,000 records in bulk and their rollups summed in one pass; a sample checked against
    the records."""
    from django.db import connection, transaction

    from takeroot.tracking.recording import bucket_of, cohort_bucket_of, week_of

    by_pk = {c.pk: c for c in cohorts}
    sums: dict[tuple, list] = defaultdict(lambda: [0.0, 0])
    cohort_sums: dict[tuple, list] = defaultdict(lambda: [0.0, 0])
    count = 0
    with transaction.atomic(), connection.cursor() as cursor:
        batch = []
        for enrolment in enrolments:
            cohort = by_pk[enrolment.cohort_id]
            course = modules[cohort.programme_id]
            days = max(1, min((today - cohort.starts_on).days, WEEKS * 7))
            for input, how_many, value_of in MIX:
                for _n in range(how_many):
                    day = rng.randrange(days)
                    moment = datetime.datetime.combine(
                        cohort.starts_on + datetime.timedelta(days=day), datetime.time(9), tzinfo=datetime.UTC
                    )
                    module = course[min(MODULES - 1, day * MODULES // (WEEKS * 7))]
                    value = value_of(rng)
                    batch.append((workspace.pk, cohort.pk, enrolment.pk, module.pk, input, value, moment, "import"))
                    week = week_of(moment)
                    for total in (
                        sums[(cohort.pk, enrolment.pk, module.pk, input, week)],
                        cohort_sums[(cohort.pk, module.pk, input, week)],
                    ):
                        total[0] += value
                        total[1] += 1
            if len(batch) >= 50_000:
                count += _insert(cursor, batch)
                batch = []
        count += _insert(cursor, batch)
        rollups = [
            (workspace.pk, c, e, m, i, w, t, n, bucket_of(cohort_id=c, enrolment_id=e, module_id=m, input=i, week=w))
            for (c, e, m, i, w), (t, n) in sums.items()
        ]
        cursor.executemany(
            "INSERT INTO tracking_rollup (workspace_id, cohort_id, enrolment_id, module_id, input, week, total, count,"
            " bucket) VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s)",
            rollups,
        )
        cursor.executemany(
            "INSERT INTO tracking_cohortrollup (workspace_id, cohort_id, module_id, input, week, total, count, bucket)"
            " VALUES (%s, %s, %s, %s, %s, %s, %s, %s)",
            [
                (workspace.pk, c, m, i, w, t, n, cohort_bucket_of(cohort_id=c, module_id=m, input=i, week=w))
                for (c, m, i, w), (t, n) in cohort_sums.items()
            ],
        )
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    check_sample(rng.sample(enrolments, 5))
    print(f"  {len(rollups):,} rollup rows, {len(cohort_sums):,} cohort rollup rows", file=sys.stderr)
    return count


def _insert(cursor, batch) -> int:
    cursor.executemany(
        "INSERT INTO tracking_activityrecord (workspace_id, cohort_id, enrolment_id, module_id, input, value,"
        " occurred_at, origin) VALUES (%s, %s, %s, %s, %s, %s, %s, %s)",
        batch,
    )
    return len(batch)


def check_sample(enrolments) -> None:
    """The rollups equal the records behind them, bucket by bucket, for a few enrolments."""
    from django.db.models import Count, Sum

    from takeroot.tracking.models import ActivityRecord, CohortRollup, Rollup
    from takeroot.tracking.recording import week_of

    for enrolment in enrolments:
        expected: dict[tuple, list] = defaultdict(lambda: [0.0, 0])
        rows = ActivityRecord.objects.filter(enrolment=enrolment).values_list(
            "module_id", "input", "occurred_at", "value"
        )
        for module_id, input, occurred_at, value in rows:
            total = expected[(module_id, input, week_of(occurred_at))]
            total[0] += value
            total[1] += 1
        kept = {
            (r["module_id"], r["input"], r["week"]): [r["t"], r["n"]]
            for r in Rollup.objects.filter(enrolment=enrolment)
            .values("module_id", "input", "week")
            .annotate(t=Sum("total"), n=Sum("count"))
        }
        assert kept.keys() == expected.keys(), "rollup buckets differ from the records"
        for key, (total, n) in expected.items():
            assert abs(kept[key][0] - total) < 1e-6, f"rollup {key}: total differs"
            assert kept[key][1] == n, f"rollup {key}: count differs"
    for cohort_id in sorted({enrolment.cohort_id for enrolment in enrolments}):
        expected = defaultdict(lambda: [0.0, 0])
        rows = ActivityRecord.objects.filter(cohort_id=cohort_id).values_list(
            "module_id", "input", "occurred_at", "value"
        )
        for module_id, input, occurred_at, value in rows:
            total = expected[(module_id, input, week_of(occurred_at))]
            total[0] += value
            total[1] += 1
        kept = {
            (r.module_id, r.input, r.week): [r.total, r.count] for r in CohortRollup.objects.filter(cohort_id=cohort_id)
        }
        assert kept.keys() == expected.keys(), "cohort rollup buckets differ from the records"
        for key, (total, n) in expected.items():
            assert abs(kept[key][0] - total) < 1e-6, f"cohort rollup {key}: total differs"
            assert kept[key][1] == n, f"cohort rollup {key}: count differs"
    records = ActivityRecord.objects.aggregate(n=Count("pk"))["n"]
    assert Rollup.objects.aggregate(n=Sum("count"))["n"] == records
    assert CohortRollup.objects.aggregate(n=Sum("count"))["n"] == records


# Timing ------------------------------------------------------------------------------------------


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def time_pages(client, paths: list[str]) -> list[float]:
    times = []
    for path in paths:
        started = time.perf_counter()
        response = client.get(path)
        times.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, (path, response.status_code)
    return times


def bare_cohort_sql(cohort, period) -> None:
    """The numbers of the cohort dashboard straight from the rollups: sums per input for the period
    and the one before (whole cohort and per module from the cohort rollups, per participant from
    the per-person ones) and per week (the charts)."""
    from django.db import connection

    before = period.previous()
    split = "CASE WHEN week >= %s THEN 1 ELSE 0 END"
    where = "WHERE cohort_id = %s AND week >= %s AND week < %s"
    with connection.cursor() as cursor:
        for group, table in (("", "cohortrollup"), ("enrolment_id, ", "rollup"), ("module_id, ", "cohortrollup")):
            cursor.execute(
                f"SELECT {group}input, {split}, SUM(total), SUM(count) FROM tracking_{table} {where} "
                f"GROUP BY {group}input, {split}",
                [period.start, cohort.pk, before.start, period.end, period.start],
            )
            cursor.fetchall()
        cursor.execute(
            f"SELECT week, module_id, input, SUM(total), SUM(count) FROM tracking_cohortrollup {where} "
            "GROUP BY week, module_id, input",
            [cohort.pk, period.start, period.end],
        )
        cursor.fetchall()
        cursor.execute(
            "SELECT COUNT(*) FROM programmes_enrolment WHERE cohort_id = %s AND status <> 'withdrawn'", [cohort.pk]
        )
        cursor.fetchall()


def bare_organisation_sql(workspace_id, period) -> None:
    """The organisation dashboard's numbers from the rollups: the workspace, per programme and per
    week from the cohort rollups, per team from the per-person ones."""
    from django.db import connection

    before = period.previous()
    split = "CASE WHEN r.week >= %s THEN 1 ELSE 0 END"
    where = "WHERE r.workspace_id = %s AND r.week >= %s AND r.week < %s"
    with connection.cursor() as cursor:
        for group, table, join in (
            ("", "cohortrollup", ""),
            ("c.programme_id, ", "cohortrollup", "JOIN programmes_cohort c ON c.id = r.cohort_id "),
            (
                "p.team_id, ",
                "rollup",
                "JOIN programmes_enrolment e ON e.id = r.enrolment_id JOIN core_person p ON p.id = e.person_id ",
            ),
        ):
            cursor.execute(
                f"SELECT {group}r.input, {split}, SUM(r.total), SUM(r.count) FROM tracking_{table} r {join}{where} "
                f"GROUP BY {group}r.input, {split}",
                [period.start, workspace_id, before.start, period.end, period.start],
            )
            cursor.fetchall()
        cursor.execute(
            f"SELECT r.week, r.input, SUM(r.total), SUM(r.count) FROM tracking_cohortrollup r {where} "
            "GROUP BY r.week, r.input",
            [workspace_id, period.start, period.end],
        )
        cursor.fetchall()
        cursor.execute(
            "SELECT c.programme_id, COUNT(*) FROM programmes_enrolment e "
            "JOIN programmes_cohort c ON c.id = e.cohort_id "
            "WHERE e.workspace_id = %s AND e.status <> 'withdrawn' GROUP BY c.programme_id",
            [workspace_id],
        )
        cursor.fetchall()


def timed_ms(compute, runs: int) -> list[float]:
    times = []
    for _run in range(runs):
        started = time.perf_counter()
        compute()
        times.append((time.perf_counter() - started) * 1000)
    return times


def run() -> None:
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import override_settings

    from takeroot.core.scope import across_workspaces
    from takeroot.tracking.dashboard import cohort_period, today
    from takeroot.tracking.indicators import Period

    vendor = "postgres" if connection.vendor == "postgresql" else "sqlite"
    call_command("createcachetable", verbosity=0)  # the shared cache the charts are kept in
    rng = random.Random(8)
    started = time.perf_counter()
    with across_workspaces():
        admin, cohorts = build(rng)
    print(f"  built in {time.perf_counter() - started:.0f} s", file=sys.stderr)
    storages = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    with override_settings(STORAGES=storages, ALLOWED_HOSTS=["testserver"]), across_workspaces():
        client = Client()
        client.force_login(admin.user)
        chosen = rng.sample(cohorts, REQUESTS)
        time_pages(client, [f"/tracking/dashboards/cohorts/{chosen[0].uuid}/"])  # imports, first chart
        varied = time_pages(client, [f"/tracking/dashboards/cohorts/{c.uuid}/" for c in chosen])
        again = time_pages(client, [f"/tracking/dashboards/cohorts/{chosen[0].uuid}/"] * REQUESTS)
        organisation = time_pages(client, ["/tracking/dashboards/organisation/"] * REQUESTS)
        on = today()
        bare_cohort = timed_ms(lambda: [bare_cohort_sql(c, cohort_period(c, on=on)) for c in chosen[:1]], REQUESTS)
        twelve = Period.last_weeks(12, today=on)  # the organisation dashboard's default
        bare_organisation = timed_ms(lambda: bare_organisation_sql(admin.workspace_id, twelve), REQUESTS)
    report(vendor, "cohort", varied, bare_cohort, extra={"cohort_same_p95": percentile(again, 0.95)})
    report(vendor, "organisation", organisation, bare_organisation)


def report(vendor: str, name: str, times: list[float], bare: list[float], extra: dict | None = None) -> None:
    p50, p95, sql95 = statistics.median(times), percentile(times, 0.95), percentile(bare, 0.95)
    print(f"  {name}: p50 {p50:.0f} ms, p95 {p95:.0f} ms; bare SQL p95 {sql95:.1f} ms", file=sys.stderr)
    print(f"BENCH tracking_dashboard_{name}_p50_{vendor} {p50:.0f} ms")
    print(f"BENCH tracking_dashboard_{name}_p95_{vendor} {p95:.0f} ms")
    print(f"BENCH tracking_dashboard_{name}_bare_sql_p95_{vendor} {sql95:.1f} ms")
    print(f"BENCH tracking_dashboard_{name}_ratio_to_bare_sql_{vendor} {p95 / sql95:.1f} x")
    for key, value in (extra or {}).items():
        print(f"BENCH tracking_dashboard_{key}_{vendor} {value:.0f} ms")


def on_postgres() -> None:
    """The same on a fresh PostgreSQL database, dropped afterwards; skipped when unreachable."""
    import psycopg

    try:
        admin = psycopg.connect(f"{POSTGRES}/postgres", autocommit=True, connect_timeout=3)
    except psycopg.OperationalError as error:
        print(f"PostgreSQL not reachable, skipped: {error}", file=sys.stderr)
        return
    name = f"{DATABASE}_{uuid.uuid4().hex[:6]}"
    admin.execute(f"CREATE DATABASE {name}")
    os.environ["TAKEROOT_DATABASE_URL"] = f"{POSTGRES}/{name}"
    try:
        in_fresh_installation(run)
    finally:
        from django.db import connections

        connections.close_all()
        admin.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        admin.close()


if __name__ == "__main__":
    if "--postgres" in sys.argv:
        on_postgres()
    else:
        in_fresh_installation(run)
