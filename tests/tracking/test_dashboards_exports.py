"""XLSX and CSV copies of a dashboard: the numbers the page shows (as numbers, percentages
formatted), every table, a file name with the cohort and the period."""

import csv
import io

import pytest
from openpyxl import load_workbook

from .test_dashboards_support import flag, record_month


@pytest.fixture
def month(enrolment, other_enrolment, modules):
    record_month(enrolment, other_enrolment, modules)


def test_cohort_xlsx_holds_the_shown_numbers(client_for, cast, cohort, enrolment, month):
    flag(enrolment)
    response = client_for(cast["trainer"]).get(f"/tracking/dashboards/cohorts/{cohort.uuid}/export.xlsx")

    assert response.status_code == 200
    assert response["Content-Disposition"] == (
        'attachment; filename="takeroot-customer-conversations-krakow-spring-2026-08-31-2026-10-04.xlsx"'
    )
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames[:4] == ["Dashboard", "Indicators", "Indicators per participant", "Indicators per module"]
    summary = {row[1].value: row for row in book["Indicators"].iter_rows(min_row=2)}
    attendance = summary["Attendance rate"]
    assert attendance[2].value == pytest.approx(5 / 6)
    assert attendance[2].number_format == "0%"
    assert attendance[6].value == "On target"
    people = book["Indicators per participant"]
    headers = [cell.value for cell in people[1]]
    pia = next(row for row in people.iter_rows(min_row=2, values_only=True) if row[0] == "Pia Participant")
    assert pia[headers.index("Attendance rate")] == 0.75
    assert pia[headers.index("Quiz accuracy")] == 0.5
    assert pia[headers.index("At risk")] == 1
    assert [row[0] for row in book["At risk"].iter_rows(min_row=2, values_only=True)] == ["Pia Participant"]


def test_cohort_csv_has_every_table_with_the_same_numbers(client_for, cast, cohort, month):
    response = client_for(cast["admin"]).get(
        f"/tracking/dashboards/cohorts/{cohort.uuid}/export.csv?from=2026-09-21&to=2026-10-04"
    )

    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].endswith('-2026-09-21-2026-10-04.csv"')
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0] == ["Customer conversations · Kraków spring", "2026-09-21", "2026-10-04"]
    titles = [rows[i + 1][0] for i, row in enumerate(rows[:-1]) if row == []]
    assert titles[:3] == ["Indicators", "Indicators per participant", "Indicators per module"]
    start = rows.index(["Indicators per participant"])
    headers = rows[start + 1]
    pia = next(row for row in rows[start + 2 :] if row and row[0] == "Pia Participant")
    assert pia[headers.index("Attendance rate")] == "0.5"


@pytest.mark.parametrize("kind", ["programme", "team", "organisation", "progress"])
def test_every_dashboard_exports_both_formats(client_for, cast, programme, enrolment, month, kind):
    paths = {
        "programme": f"/tracking/dashboards/programmes/{programme.uuid}/",
        "team": f"/tracking/dashboards/teams/{cast['manager'].team.uuid}/",
        "organisation": "/tracking/dashboards/organisation/",
        "progress": f"/tracking/progress/{enrolment.uuid}/",
    }
    client = client_for(cast["admin"])
    book = load_workbook(io.BytesIO(client.get(paths[kind] + "export.xlsx?period=all").content))
    assert book["Indicators"].max_row > 1
    text = client.get(paths[kind] + "export.csv?period=all").content.decode()
    assert "Attendance rate" in text
