"""The plan pages: the role × page matrix, forms that keep what was typed, private notes, the
review loop, the team page and the home panel."""

import pytest

from takeroot.plans import services
from takeroot.plans.models import ActionGoal, ActionPlan, CheckIn, SupportRequest

PAGES = {
    "mine": "/action-plans/",
    "team": "/action-plans/team/",
    "support": "/action-plans/support/",
    "detail": "/action-plans/{plan}/",
    "edit": "/action-plans/{plan}/edit/",
    "review": "/action-plans/{plan}/review/",
    "check_in": "/action-plans/{plan}/check-in/",
    "feedback": "/action-plans/{plan}/feedback/",
    "goal_create": "/action-plans/{plan}/goals/new/",
    "goal_edit": "/action-plans/{plan}/goals/{goal}/",
    "goal_delete": "/action-plans/{plan}/goals/{goal}/delete/",
    "task_create": "/action-plans/{plan}/tasks/new/",
    "task_edit": "/action-plans/{plan}/tasks/{task}/",
    "cohort": "/action-plans/cohort/{cohort}/",
    "answer": "/action-plans/support/{request}/",
}
OWN = {"mine", "team", "support"}
EDIT = {"edit", "goal_create", "goal_edit", "goal_delete", "task_create", "task_edit"}
EXPECTED = {
    # who: {page: status}; anything not named answers 403
    "participant": dict.fromkeys(OWN | {"detail", "check_in"} | EDIT, 200) | {"answer": 404},
    "manager": dict.fromkeys(OWN | {"detail", "review", "feedback", "task_create", "task_edit", "answer"}, 200),
    "trainer": dict.fromkeys(OWN | {"detail", "feedback", "cohort", "answer"} | EDIT, 200),
    "admin": dict.fromkeys(OWN | {"detail", "review", "cohort", "answer"} | EDIT, 200),
    # Not the participant's line manager, trainer or admin: the plan is out of sight.
    "mentor": dict.fromkeys(OWN, 200) | dict.fromkeys(set(PAGES) - OWN - {"cohort"}, 404),
    "other_participant": dict.fromkeys(OWN, 200) | dict.fromkeys(set(PAGES) - OWN - {"cohort"}, 404),
    "outsider": dict.fromkeys(OWN, 200) | dict.fromkeys(set(PAGES) - OWN, 404),
}


@pytest.mark.parametrize("who", sorted(EXPECTED))
def test_role_page_matrix(approved, goal, task, check_in, cohort, cast, client_for, who):
    ActionPlan.objects.filter(pk=approved.pk).update(state="submitted")  # so the review page opens
    client = client_for(cast[who])
    request = SupportRequest.objects.get()
    ids = {"plan": approved.uuid, "goal": goal.uuid, "task": task.uuid, "cohort": cohort.uuid, "request": request.uuid}
    statuses = {name: client.get(path.format(**ids)).status_code for name, path in PAGES.items()}
    assert statuses == {name: EXPECTED[who].get(name, 403) for name in PAGES}


def test_plan_page_shows_chart_table_and_hides_private_notes_from_the_manager(check_in, approved, cast, client_for):
    services.update_plan(plan=approved, actor=None, private_notes="Nervous about the pilot.")
    own = client_for(cast["participant"]).get(f"/action-plans/{approved.uuid}/").content.decode()
    assert 'role="img"' in own
    assert "Check-in values: Release faster" in own
    assert "Nervous about the pilot." in own
    managed = client_for(cast["manager"]).get(f"/action-plans/{approved.uuid}/").content.decode()
    assert "Nervous about the pilot." not in managed
    assert "A pairing session with the platform team." in managed


def test_manager_cannot_reach_private_notes_through_the_settings_form(plan, cast, client_for):
    response = client_for(cast["trainer"]).get(f"/action-plans/{plan.uuid}/edit/")
    assert "private_notes" not in response.content.decode()


def test_open_plan_from_my_plans(enrolment, cast, client_for):
    client = client_for(cast["participant"])
    assert "Open an action plan" in client.get("/action-plans/").content.decode()
    response = client.post(f"/action-plans/open/{enrolment.uuid}/")
    plan = ActionPlan.objects.get(enrolment=enrolment)
    assert response.status_code == 302
    assert response["Location"] == f"/action-plans/{plan.uuid}/"


def test_manager_cannot_open_a_plan_for_a_report(enrolment, cast, client_for):
    assert client_for(cast["manager"]).post(f"/action-plans/open/{enrolment.uuid}/").status_code == 403


def test_goal_form_keeps_what_was_typed_and_says_what_is_wrong(plan, cast, client_for):
    data = {"kind": "numeric", "title": "Faster releases", "metric": "Lead time", "unit": "days"}
    data |= {"baseline": "10", "target": "10", "deadline": "2020-01-01"}
    page = client_for(cast["participant"]).post(f"/action-plans/{plan.uuid}/goals/new/", data).content.decode()
    assert "The target must differ from the baseline: say what will change." in page
    assert "The deadline is in the past: choose today or a later day." in page
    assert 'value="Faster releases"' in page
    assert 'value="2020-01-01"' in page
    assert not ActionGoal.objects.exists()


def test_check_in_form_keeps_input_on_a_non_numeric_value(approved, goal, rating_goal, cast, client_for):
    data = {"status": "at_risk", "confidence": "2", f"goal_{goal.uuid}": "about nine", "obstacles": "Peak season"}
    page = client_for(cast["participant"]).post(f"/action-plans/{approved.uuid}/check-in/", data).content.decode()
    assert "Enter a number, for example 8.5." in page
    assert 'value="about nine"' in page
    assert "Peak season" in page
    assert not CheckIn.objects.exists()


def test_check_in_form_records_values(approved, goal, rating_goal, cast, client_for):
    data = {"status": "on_track", "confidence": "4", f"goal_{goal.uuid}": "9.2", f"goal_{rating_goal.uuid}": "6"}
    response = client_for(cast["participant"]).post(f"/action-plans/{approved.uuid}/check-in/", data)
    assert response.status_code == 302
    assert sorted(str(v.value.normalize()) for v in CheckIn.objects.get().values.all()) == ["6", "9.2"]


def test_review_loop_through_the_pages(plan, goal, cast, client_for):
    client_for(cast["participant"]).post(f"/action-plans/{plan.uuid}/submit/")
    plan.refresh_from_db()
    assert plan.state == "submitted"
    manager = client_for(cast["manager"])
    page = manager.post(f"/action-plans/{plan.uuid}/review/", {"decision": "send_back", "comment": ""})
    assert "Say what should change before you send the plan back." in page.content.decode()
    manager.post(f"/action-plans/{plan.uuid}/review/", {"decision": "send_back", "comment": "Make it measurable."})
    plan.refresh_from_db()
    assert plan.state == "sent_back"
    own = client_for(cast["participant"]).get(f"/action-plans/{plan.uuid}/").content.decode()
    assert "Make it measurable." in own


def test_manager_assigns_learning_on_the_job(approved, cast, client_for):
    client_for(cast["manager"]).post(
        f"/action-plans/{approved.uuid}/tasks/new/", {"title": "Lead the next pilot", "due_on": "2099-01-31"}
    )
    assert approved.tasks.get(title="Lead the next pilot").assigned_by == cast["manager"]


@pytest.mark.parametrize("who", ["admin", "trainer", "participant"])
def test_a_step_from_anyone_but_the_line_manager_is_not_an_assignment(approved, cast, client_for, who):
    client_for(cast[who]).post(f"/action-plans/{approved.uuid}/tasks/new/", {"title": "Pilot", "due_on": "2099-01-31"})
    assert approved.tasks.get(title="Pilot").assigned_by is None


def test_feedback_and_support_answer_reach_the_participant(check_in, approved, cast, client_for):
    manager = client_for(cast["manager"])
    manager.post(
        f"/action-plans/{approved.uuid}/feedback/", {"comment": "Keep going", "rating": "4", "check_in": check_in.uuid}
    )
    request = SupportRequest.objects.get()
    manager.post(f"/action-plans/support/{request.uuid}/", {"answer": "Booked with Ola on Friday."})
    page = client_for(cast["participant"]).get(f"/action-plans/{approved.uuid}/").content.decode()
    assert "Keep going" in page
    assert "Booked with Ola on Friday." in page


def test_team_page_lists_the_reports_plans(check_in, approved, cast, client_for):
    page = client_for(cast["manager"]).get("/action-plans/team/").content.decode()
    assert cast["participant"].user.name in page
    assert "On track" in page


def test_home_panel_for_participant_and_manager(approved, cast, client_for):
    ActionPlan.objects.filter(pk=approved.pk).update(state="submitted")
    assert "Next check-in" in client_for(cast["participant"]).get("/").content.decode()
    assert "Plans awaiting your approval" in client_for(cast["manager"]).get("/").content.decode()


def _more_plans(cohort, cast, count):
    """``count`` more reports of the manager, each with an approved plan and a check-in."""
    from decimal import Decimal

    from takeroot.programmes import services as programmes
    from tests.factories import PersonFactory

    for index in range(count):
        person = PersonFactory(workspace=cohort.workspace, manager=cast["manager"])
        (enrolment,) = programmes.enrol_people(cohort=cohort, actor=None, people=[person])
        plan = services.open_plan(enrolment=enrolment, actor=None)
        goal = services.add_goal(
            plan=plan, actor=None, kind="rating", title=f"Goal {index}", baseline=Decimal(3), target=Decimal(6)
        )
        services.submit_plan(plan=plan, actor=None)
        services.record_check_in(
            plan=plan,
            actor=None,
            author=person,
            status="on_track",
            confidence=3,
            values={goal.uuid: "4"},
            support_needed="Help",
        )


@pytest.mark.parametrize("path", ["/action-plans/team/", "/api/v1/action-plans", "/action-plans/support/"])
def test_manager_lists_have_no_n_plus_one(check_in, cohort, cast, client_for, path):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = client_for(cast["manager"])
    client.get(path)  # warm the session and caches
    with CaptureQueriesContext(connection) as one:
        client.get(path)
    _more_plans(cohort, cast, 3)
    with CaptureQueriesContext(connection) as four:
        assert client.get(path).status_code == 200
    assert len(four) == len(one)


def test_trainer_finds_the_cohort_plans_from_my_plans(plan, cohort, cast, client_for):
    page = client_for(cast["trainer"]).get("/action-plans/").content.decode()
    assert f"/action-plans/cohort/{cohort.uuid}/" in page
    cohort_page = client_for(cast["trainer"]).get(f"/action-plans/cohort/{cohort.uuid}/").content.decode()
    assert cast["participant"].user.name in cohort_page
