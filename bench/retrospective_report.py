"""Benchmark: the "what stuck and why" report of a large retrospective.

120 initiatives, 400 raters who each rate 40 of them (16,000 ratings), with reasons, comments and
repeat votes. Times building the statistics, the two charts, the XLSX and the PDF, as an admin
opening the report page or downloading it would wait for them.

Run from the repository root: ``.venv/bin/python bench/retrospective_report.py``. It uses a fresh
SQLite database in a temporary data directory and prints ``BENCH <name> <seconds> s`` lines. The
target: the page's work (statistics and charts) under 1 s in a running server, each download
under 10 s.
"""

import random
import time
from datetime import date, timedelta

from _fresh import in_fresh_installation

INITIATIVES = 120
RATERS = 400
PER_RATER = 40


def run() -> None:
    from django.db import connection
    from django.utils import timezone

    from takeroot.catalogue.enums import InitiativeKind
    from takeroot.catalogue.models import Initiative
    from takeroot.core.models import Person, User
    from takeroot.core.scope import workspace_scope
    from takeroot.core.services import create_workspace
    from takeroot.retrospectives.charts import factors_chart, ranking_chart
    from takeroot.retrospectives.enums import RaterGroup, WhyTag
    from takeroot.retrospectives.exports import report_pdf, report_xlsx
    from takeroot.retrospectives.models import Rater, Rating, Retrospective
    from takeroot.retrospectives.report import build_report

    rng = random.Random(2026)
    workspace = create_workspace(name="Bench", slug="bench")
    today = date(2026, 11, 27)
    with workspace_scope(workspace):
        users = User.objects.bulk_create(
            User(email=f"rater{n}@bench.test", name=f"Rater {n}", password="!") for n in range(RATERS)
        )
        people = Person.objects.bulk_create(Person(workspace=workspace, user=user) for user in users)
        kinds = list(InitiativeKind.values)
        initiatives = Initiative.objects.bulk_create(
            Initiative(
                workspace=workspace,
                kind=kinds[n % len(kinds)],
                title=f"Initiative {n}",
                starts_on=today - timedelta(days=7 * n),
                cost=rng.randrange(500, 50_000),
                currency="EUR" if n % 4 else "PLN",
            )
            for n in range(INITIATIVES)
        )
        retrospective = Retrospective.objects.create(
            workspace=workspace, title="Bench", period_start=today - timedelta(days=730), period_end=today
        )
        retrospective.initiatives.set(initiatives)
        raters = Rater.objects.bulk_create(
            Rater(
                workspace=workspace,
                retrospective=retrospective,
                person=person,
                group=RaterGroup.LEADERSHIP if n < 40 else RaterGroup.PARTICIPANT,
                invited_at=timezone.now(),
                submitted_at=timezone.now(),
            )
            for n, person in enumerate(people)
        )
        reasons = [tag for tag in WhyTag.values if tag != WhyTag.OTHER]
        Rating.objects.bulk_create(
            Rating(
                workspace=workspace,
                rater=rater,
                initiative=initiative,
                level=(level := rng.choice([0, 1, 1, 2, 2, 3])),
                reasons=rng.sample(reasons, rng.randrange(0, 3)),
                repeat=level >= 2 and rng.random() < 0.6,
                comment="Worth it." if rng.random() < 0.1 else "",
            )
            for rater in raters
            for initiative in rng.sample(initiatives, PER_RATER)
        )

        # The first request of a fresh process also loads scipy's statistics and starts the chart
        # renderer; a running server has done so already. Both figures are printed.
        cold = time.perf_counter()
        report = build_report(retrospective)
        factors, ranking = factors_chart(report), ranking_chart(report)
        start = time.perf_counter()
        report = build_report(retrospective)
        built = time.perf_counter()
        factors, ranking = factors_chart(report), ranking_chart(report)
        charted = time.perf_counter()
        xlsx = report_xlsx(report)
        spreadsheet = time.perf_counter()
        pdf = report_pdf(report, base_url="http://localhost/")
        printed = time.perf_counter()
        assert len(report.ranking) == INITIATIVES
        assert factors
        assert ranking
        assert xlsx[:2] == b"PK"
        assert pdf[:5] == b"%PDF-"
    connection.close()

    ratings = RATERS * PER_RATER
    print(f"BENCH retrospective_report_page_first_in_process_{ratings} {start - cold:.2f} s")
    print(f"BENCH retrospective_report_page_{ratings} {charted - start:.2f} s")
    print(f"BENCH retrospective_report_statistics_{ratings} {built - start:.2f} s")
    print(f"BENCH retrospective_report_charts_{INITIATIVES} {charted - built:.2f} s")
    print(f"BENCH retrospective_report_xlsx_{ratings} {spreadsheet - charted:.2f} s")
    print(f"BENCH retrospective_report_pdf_{INITIATIVES} {printed - spreadsheet:.2f} s")


if __name__ == "__main__":
    in_fresh_installation(run)
