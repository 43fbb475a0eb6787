"""The dashboard pages: the figures a trainer, a manager, an admin and a participant read, the
period filter, who may open which dashboard (404 outside the workspace, 403 without the right),
and a cohort page that costs the same queries for 5 participants as for 50."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from takeroot.core.models import Team
from takeroot.programmes import services as programmes
from takeroot.tracking.enums import Input, Light
from takeroot.tracking.models import TrackingSettings
from takeroot.tracking.recording import record
from tests.factories import PersonFactory, UserFactory

from .test_dashboards_support import SEPTEMBER, enrol_more, fact, finding, flag, record_month

ROLES = ["admin", "trainer", "mentor", "manager", "participant", "other_participant", "outsider"]


@pytest.fixture
def month(enrolment, other_enrolment, modules):
    record_month(enrolment, other_enrolment, modules)


def _readings(dashboard) -> dict[str, tuple[str, str]]:
    return {r.indicator.code: (r.text, r.light) for r in dashboard.readings}


def _row(table, label):
    return next(row for row in table.rows if row.label.startswith(label))


def _cells(table, row_label) -> dict[str, str]:
    row = _row(table, row_label)
    return {ind.code: (cell.text if cell else None) for ind, cell in zip(table.indicators, row.readings, strict=True)}


def _table(dashboard, name):
    return next(table for table in dashboard.tables if table.name == name)


# Figures ------------------------------------------------------------------------------------------


def test_cohort_dashboard_shows_indicators_lights_people_modules_flags_and_findings(
    client_for, cast, cohort, enrolment, modules, month
):
    flag(enrolment)
    finding(cohort, modules[0])
    response = client_for(cast["trainer"]).get(f"/tracking/dashboards/cohorts/{cohort.uuid}/")

    assert response.status_code == 200
    board = response.context["dashboard"]
    assert (board.period.start, board.period.last_day) == (datetime.date(2026, 8, 31), datetime.date(2026, 10, 4))
    readings = _readings(board)
    assert readings["attendance_rate"] == ("83 %", Light.GREEN)
    assert readings["quiz_accuracy"] == ("70 %", Light.GREEN)
    assert readings["time_online"][1] == Light.RED  # 90 minutes over five weeks and two people
    people = _table(board, "participants")
    assert _cells(people, "Pia Participant")["attendance_rate"] == "75 %"
    assert _cells(people, "Pia Participant")["quiz_accuracy"] == "50 %"
    assert _cells(people, "Olek Other")["attendance_rate"] == "100 %"
    assert _row(people, "Pia Participant").at_risk == 1
    assert _row(people, "Pia Participant").url == f"/tracking/progress/{enrolment.uuid}/"
    per_module = _table(board, "modules")
    assert _cells(per_module, "Opening the call")["quiz_accuracy"] == "70 %"
    assert _cells(per_module, "Handling objections")["quiz_accuracy"] == "no data"
    assert [item.name for item in board.flags] == ["Pia Participant"]
    assert board.flags[0].reasons == ["2 check-ins missed in a row (one every 7 days; none made yet)."]
    assert [(line.what, line.figure, line.target) for line in board.findings] == [("Opening the call", "70 %", "75 %")]
    page = response.content.decode()
    assert "Below the threshold" in page and "On target" in page
    assert "Engagement: Attendance rate" in page  # a chart with its table
    assert page.count('role="img"') == len([block for block in board.charts if block.chart])


def test_cohort_period_filter_last_weeks_and_custom(client_for, cast, cohort, enrolment, month):
    client = client_for(cast["admin"])
    board = client.get(f"/tracking/dashboards/cohorts/{cohort.uuid}/?from=2026-09-21&to=2026-10-04").context[
        "dashboard"
    ]
    assert (board.period.start, board.period.end) == (datetime.date(2026, 9, 21), datetime.date(2026, 10, 5))
    # Pia attended on the 21st and missed on the 28th; Olek's sessions were before.
    assert _cells(_table(board, "participants"), "Pia Participant")["attendance_rate"] == "50 %"
    assert _cells(_table(board, "participants"), "Olek Other")["attendance_rate"] == "no data"
    assert _readings(board)["attendance_rate"][0] == "50 %"
    assert _readings(board)["quiz_accuracy"][0] == "no data"

    recent = client.get(f"/tracking/dashboards/cohorts/{cohort.uuid}/?period=4").context["dashboard"]
    assert recent.period.weeks == 4
    assert _readings(recent)["attendance_rate"][0] == "no data"  # nothing recorded since September


def test_bad_custom_period_is_explained_and_the_default_shown(client_for, cast, cohort, month):
    response = client_for(cast["admin"]).get(
        f"/tracking/dashboards/cohorts/{cohort.uuid}/?from=2026-09-30&to=2026-09-01"
    )

    assert response.status_code == 200
    assert "The period ends on or after the day it starts." in response.content.decode()
    assert 'value="2026-09-30"' in response.content.decode()  # what was typed stays
    assert response.context["dashboard"].period.start == datetime.date(2026, 8, 31)  # the whole cohort


def test_programme_dashboard_compares_cohorts_with_their_flags(client_for, cast, programme, cohort, enrolment, month):
    flag(enrolment)
    later = programmes.create_cohort(
        programme=programme,
        actor=cast["admin"].user,
        name="Gdańsk autumn",
        starts_on=datetime.date(2026, 10, 1),
        ends_on=datetime.date(2026, 10, 30),
        trainers=[cast["trainer"]],
    )
    board = client_for(cast["trainer"]).get(f"/tracking/dashboards/programmes/{programme.uuid}/").context["dashboard"]

    cohorts = _table(board, "cohorts")
    assert [row.label for row in cohorts.rows] == ["Kraków spring", "Gdańsk autumn"]
    assert _cells(cohorts, "Kraków spring")["attendance_rate"] == "83 %"
    assert _cells(cohorts, "Gdańsk autumn")["attendance_rate"] is None  # nobody enrolled yet: a dash
    assert [row.at_risk for row in cohorts.rows] == [1, 0]
    assert _row(cohorts, "Gdańsk autumn").url == f"/tracking/dashboards/cohorts/{later.uuid}/"
    assert board.at_risk == 1
    assert _readings(board)["attendance_rate"][0] == "83 %"


def test_team_dashboard_shows_a_managers_reports_only(client_for, cast, enrolment, other_enrolment, month):
    # Olek is in the Sales team too, but does not report to the manager.
    response = client_for(cast["manager"]).get(f"/tracking/dashboards/teams/{cast['manager'].team.uuid}/")

    board = response.context["dashboard"]
    people = _table(board, "participants")
    assert [row.label for row in people.rows] == ["Pia Participant · Customer conversations, Kraków spring"]
    assert _readings(board)["attendance_rate"][0] == "75 %"
    assert "satisfaction" not in {group.category for group in board.groups}
    assert "Your workspace does not share at-risk flags with line managers." in response.content.decode()


def test_team_dashboard_flags_for_managers_when_the_workspace_allows(client_for, cast, enrolment, other_enrolment):
    flag(enrolment)
    flag(other_enrolment)
    TrackingSettings.objects.create(workspace=enrolment.workspace, notify_managers=True)

    board = (
        client_for(cast["manager"]).get(f"/tracking/dashboards/teams/{cast['manager'].team.uuid}/").context["dashboard"]
    )
    assert [item.name for item in board.flags] == ["Pia Participant"]


def test_admin_sees_the_whole_team_and_its_sub_teams(client_for, cast, enrolment, other_enrolment, month):
    sales = cast["manager"].team
    inside = Team.objects.create(workspace=sales.workspace, name="Inside sales", parent=sales)
    cast["other_participant"].team = inside
    cast["other_participant"].save()

    board = client_for(cast["admin"]).get(f"/tracking/dashboards/teams/{sales.uuid}/").context["dashboard"]
    assert len(_table(board, "participants").rows) == 2
    teams = _table(board, "teams")
    assert _cells(teams, "Inside sales")["attendance_rate"] == "100 %"
    assert _cells(teams, "Sales")["attendance_rate"] == "75 %"


def test_organisation_dashboard_rows_per_programme_and_team_and_filters(
    client_for, cast, programme, cohort, enrolment, modules, month
):
    flag(enrolment)
    finding(cohort, modules[0])
    client = client_for(cast["admin"])
    board = client.get("/tracking/dashboards/organisation/?period=all").context["dashboard"]

    assert _cells(_table(board, "programmes"), "Customer conversations")["attendance_rate"] == "83 %"
    assert _row(_table(board, "programmes"), "Customer conversations").at_risk == 1
    assert _cells(_table(board, "teams"), "Sales")["attendance_rate"] == "83 %"
    assert board.at_risk == 1
    assert [line.finding.kind for line in board.findings] == ["low_knowledge"]

    other = Team.objects.create(workspace=cohort.workspace, name="Support")
    filtered = client.get(f"/tracking/dashboards/organisation/?period=all&team={other.uuid}").context["dashboard"]
    assert _readings(filtered)["attendance_rate"][0] == "no data"
    assert filtered.at_risk == 0


def test_outsider_sees_only_their_own_organisation(client_for, cast, cohort, month):
    response = client_for(cast["outsider"]).get("/tracking/dashboards/organisation/?period=all")

    assert response.status_code == 200
    assert "Customer conversations" not in response.content.decode()
    assert response.context["dashboard"].tables[0].rows == []


def test_participant_progress_in_plain_words(client_for, cast, enrolment, month):
    response = client_for(cast["participant"]).get(f"/tracking/progress/{enrolment.uuid}/")

    board = response.context["dashboard"]
    assert board.facts == [
        "You attended 3 of 4 sessions.",
        "You spent 1 h 30 min learning online.",
        "You answered 50 % of 2 quiz questions right.",
    ]
    assert {group.category for group in board.groups} == {"engagement", "knowledge", "application"}
    modules = _table(board, "modules")
    assert [row.note for row in modules.rows] == ["Started", "Not started yet"]
    assert "My progress" in response.content.decode()


def test_trainer_reads_the_progress_page_about_the_participant(client_for, cast, enrolment, month):
    board = client_for(cast["trainer"]).get(f"/tracking/progress/{enrolment.uuid}/").context["dashboard"]
    assert board.facts[0] == "Pia Participant attended 3 of 4 sessions."


def test_my_progress_goes_to_the_one_training(client_for, cast, enrolment):
    response = client_for(cast["participant"]).get("/tracking/progress/")
    assert response.status_code == 302
    assert response.url == f"/tracking/progress/{enrolment.uuid}/"


def test_team_dashboards_go_to_a_managers_one_team(client_for, cast, participant):
    response = client_for(cast["manager"]).get("/tracking/dashboards/teams/")
    assert response.status_code == 302
    assert response.url == f"/tracking/dashboards/teams/{cast['manager'].team.uuid}/"
    listed = client_for(cast["trainer"]).get("/tracking/dashboards/teams/")
    assert listed.context["teams"] == []


def test_navigation_offers_my_progress_and_dashboards(client_for, cast, cohort):
    participant_page = client_for(cast["participant"]).get("/tracking/dashboards/").content.decode()
    assert 'href="/tracking/progress/"' in participant_page
    trainer_page = client_for(cast["trainer"]).get("/tracking/dashboards/").content.decode()
    assert f"/tracking/dashboards/cohorts/{cohort.uuid}/" in trainer_page
    assert 'href="/tracking/dashboards/" aria-current="page"' in trainer_page
    cohort_page = client_for(cast["trainer"]).get(f"/cohorts/{cohort.uuid}/").content.decode()
    assert f'href="/tracking/dashboards/cohorts/{cohort.uuid}/"' in cohort_page


# Permissions ----------------------------------------------------------------------------------------


def _paths(cohort, programme, enrolment, team):
    return {
        "cohort": f"/tracking/dashboards/cohorts/{cohort.uuid}/",
        "programme": f"/tracking/dashboards/programmes/{programme.uuid}/",
        "team": f"/tracking/dashboards/teams/{team.uuid}/",
        "progress": f"/tracking/progress/{enrolment.uuid}/",
    }


EXPECTED = {
    "admin": {"cohort": 200, "programme": 200, "team": 200, "progress": 200},
    "trainer": {"cohort": 200, "programme": 200, "team": 403, "progress": 200},
    "mentor": {"cohort": 404, "programme": 403, "team": 403, "progress": 403},
    "manager": {"cohort": 403, "programme": 403, "team": 200, "progress": 200},
    "participant": {"cohort": 403, "programme": 403, "team": 403, "progress": 200},
    "other_participant": {"cohort": 403, "programme": 403, "team": 403, "progress": 403},
    "outsider": {"cohort": 404, "programme": 404, "team": 404, "progress": 404},
}


@pytest.mark.parametrize("who", ROLES)
@pytest.mark.parametrize("suffix", ["", "export.xlsx", "export.csv"])
def test_role_dashboard_matrix_pages_and_exports(client_for, cast, programme, cohort, enrolment, who, suffix):
    client = client_for(cast[who])
    paths = _paths(cohort, programme, enrolment, cast["manager"].team)
    statuses = {name: client.get(path + suffix).status_code for name, path in paths.items()}
    assert statuses == EXPECTED[who]


@pytest.mark.parametrize("who", ROLES)
def test_only_admins_open_the_organisation_dashboard(client_for, cast, who):
    status = client_for(cast[who]).get("/tracking/dashboards/organisation/").status_code
    assert status == (200 if who in ("admin", "outsider") else 403)  # the outsider: their own workspace


def test_a_trainer_of_another_cohort_is_refused(client_for, cast, programme, cohort, enrolment):
    someone = PersonFactory(
        workspace=cohort.workspace, user=UserFactory(email="t2@acme.test", name="Tina Trainer"), is_trainer=True
    )
    programmes.create_cohort(
        programme=programme,
        actor=cast["admin"].user,
        name="Other run",
        starts_on=datetime.date(2026, 9, 1),
        ends_on=datetime.date(2026, 9, 30),
        trainers=[someone],
    )
    client = client_for(someone)
    assert client.get(f"/tracking/dashboards/cohorts/{cohort.uuid}/").status_code == 403
    assert client.get(f"/tracking/progress/{enrolment.uuid}/").status_code == 403


def test_a_manager_of_another_team_is_refused(client_for, cast, enrolment):
    support = Team.objects.create(workspace=enrolment.workspace, name="Support")
    boss = PersonFactory(
        workspace=enrolment.workspace, user=UserFactory(email="b@acme.test", name="Bo Boss"), is_manager=True
    )
    PersonFactory(
        workspace=enrolment.workspace, user=UserFactory(email="r@acme.test", name="Rita"), manager=boss, team=support
    )
    client = client_for(boss)
    assert client.get(f"/tracking/dashboards/teams/{cast['manager'].team.uuid}/").status_code == 403
    assert client.get(f"/tracking/dashboards/teams/{support.uuid}/").status_code == 200
    assert client.get(f"/tracking/progress/{enrolment.uuid}/").status_code == 403


def test_unknown_export_format_is_not_found(client_for, cast, cohort):
    assert client_for(cast["admin"]).get(f"/tracking/dashboards/cohorts/{cohort.uuid}/export.pdf").status_code == 404


# Queries ------------------------------------------------------------------------------------------


def test_cohort_page_costs_the_same_queries_for_5_and_50_participants(
    client_for, cast, cohort, django_assert_max_num_queries
):
    client = client_for(cast["trainer"])
    enrolled = enrol_more(cohort, cast["admin"], 3)  # with the two of the cast: 5
    flag(enrolled[0])
    path = f"/tracking/dashboards/cohorts/{cohort.uuid}/"
    client.get(path)  # the default indicators are created on first use
    with CaptureQueriesContext(connection) as five:
        assert len(client.get(path).context["dashboard"].tables[0].rows) == 5
    budget = len(five)  # counted now: the connection's query log keeps the last 9,000 only
    more = enrol_more(cohort, cast["admin"], 45, first=3)
    flag(more[-1])
    record(cohort.workspace, [fact(e, Input.TIME_ONLINE, 30, at=SEPTEMBER) for e in more])
    client.get(path)  # new figures: their charts are drawn and kept in the shared cache once, as for five
    with django_assert_max_num_queries(budget):
        assert len(client.get(path).context["dashboard"].tables[0].rows) == 50
