"""The practice pages: the role × page matrix, the report and review forms (typed input kept,
nothing half-saved), the downloads, the cohort page's completion, the lists and the home panel."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from takeroot.practice import services
from takeroot.practice.models import CohortPracticeSettings, PracticeAssignment, PracticeReport, PracticeTask

from .conftest import FUTURE, PDF, upload

PAGES = {
    "mine": "/practice/",
    "reviews": "/practice/reviews/",
    "cohort": "/practice/cohort/{cohort}/",
    "task_create": "/practice/cohort/{cohort}/tasks/new/",
    "task": "/practice/tasks/{task}/",
    "task_edit": "/practice/tasks/{task}/edit/",
    "task_assign": "/practice/tasks/{task}/assign/",
    "assignment": "/practice/assignments/{assignment}/",
    "file": "/practice/files/{file}/",
}
OWN = {"mine", "reviews"}
MANAGE = {"cohort", "task_create", "task", "task_edit", "task_assign"}
SEES = {"assignment", "file"}
EXPECTED = {
    # who: {page: status}; anything not named answers 403
    "participant": dict.fromkeys(OWN | SEES, 200),
    "manager": dict.fromkeys(OWN | SEES, 200),
    "trainer": dict.fromkeys(OWN | MANAGE | SEES, 200),
    "admin": dict.fromkeys(OWN | MANAGE | SEES, 200),
    # In the workspace but neither the participant, their supervisor nor the cohort's trainer.
    "other_participant": dict.fromkeys(OWN, 200) | dict.fromkeys({"task", "task_edit", "task_assign"} | SEES, 404),
    "other_manager": dict.fromkeys(OWN, 200) | dict.fromkeys({"task", "task_edit", "task_assign"} | SEES, 404),
    "other_trainer": dict.fromkeys(OWN, 200) | dict.fromkeys({"task", "task_edit", "task_assign"} | SEES, 404),
    "mentor": dict.fromkeys(OWN, 200) | dict.fromkeys({"task", "task_edit", "task_assign"} | SEES, 404),
    "outsider": dict.fromkeys(OWN, 200) | dict.fromkeys(set(PAGES) - OWN, 404),
}


@pytest.fixture
def ids(submitted, cohort, task):
    report = submitted.reports.get()
    return {
        "cohort": cohort.uuid,
        "task": task.uuid,
        "assignment": submitted.uuid,
        "file": report.attachments.get().uuid,
    }


def _release(response) -> None:
    """Read a download to its end, which closes its file the way the test client means to. Not
    ``response.close()``: its request-finished signal would close the test's database connection
    on PostgreSQL in the middle of the test."""
    if response.streaming:
        b"".join(response.streaming_content)


def _status(client, path: str) -> int:
    response = client.get(path)
    _release(response)
    return response.status_code


@pytest.mark.parametrize("who", sorted(EXPECTED))
def test_role_page_matrix(ids, people, client_for, who):
    client = client_for(people[who])
    statuses = {name: _status(client, path.format(**ids)) for name, path in PAGES.items()}
    assert statuses == {name: EXPECTED[who].get(name, 403) for name in PAGES}


ACTIONS = {
    # name: (path, data); who may (status 302), the visible others 403, the rest 404
    "submit": ("/practice/assignments/{assignment}/report/", {"text": "Again"}),
    "review_trainer": ("/practice/assignments/{assignment}/review/trainer/", {"trainer-verdict": "accepted"}),
    "review_supervisor": ("/practice/assignments/{assignment}/review/supervisor/", {"supervisor-verdict": "accepted"}),
    "settings": ("/practice/cohort/{cohort}/settings/", {"trainer_alone": "on"}),
}
MAY = {"submit": {"participant"}, "review_trainer": {"trainer", "admin"}, "review_supervisor": {"manager"}}
MAY["settings"] = {"trainer", "admin"}
VISIBLE = {"participant", "manager", "trainer", "admin"}


@pytest.mark.parametrize("who", sorted(EXPECTED))
@pytest.mark.parametrize("action", sorted(ACTIONS))
def test_role_action_matrix(ids, people, client_for, who, action):
    from takeroot.practice.models import PracticeAssignment

    if action == "submit":  # only open assignments take a report
        PracticeAssignment.objects.filter(uuid=ids["assignment"]).update(state="needs_more_work")
    path, data = ACTIONS[action]
    status = client_for(people[who]).post(path.format(**ids), data).status_code
    if who in MAY[action]:
        expected = 302
    elif action == "settings":
        expected = 404 if who == "outsider" else 403
    else:
        expected = 403 if who in VISIBLE else 404
    assert status == expected


def test_download_is_an_attachment_with_the_checked_type(ids, cast, client_for):
    response = client_for(cast["manager"]).get(f"/practice/files/{ids['file']}/")
    assert response["Content-Disposition"] == 'attachment; filename="notes.pdf"'
    assert response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content) == PDF  # read to the end, the file is closed


def test_report_form_keeps_the_text_and_saves_nothing_on_a_bad_file(assignment, cast, client_for):
    data = {"text": "Three clients, two agreed.", "files": [upload("report.pdf", b"not a pdf")]}
    with translation.override("en"):
        page = client_for(cast["participant"]).post(f"/practice/assignments/{assignment.uuid}/report/", data)
    html = page.content.decode()
    assert page.status_code == 200
    assert "report.pdf is not really a PDF file." in html
    assert "Three clients, two agreed." in html
    assert not PracticeReport.objects.exists()


def test_report_form_submits_text_and_files(assignment, cast, client_for):
    data = {"text": "Three clients.", "files": [upload("a.pdf", PDF), upload("b.txt", b"notes")]}
    response = client_for(cast["participant"]).post(f"/practice/assignments/{assignment.uuid}/report/", data)
    assert response.status_code == 302
    report = PracticeReport.objects.get()
    assert sorted(report.attachments.values_list("name", flat=True)) == ["a.pdf", "b.txt"]
    page = client_for(cast["trainer"]).get(f"/practice/assignments/{assignment.uuid}/").content.decode()
    assert "Three clients." in page
    assert "a.pdf" in page


def test_review_loop_through_the_pages(submitted, cast, client_for):
    trainer = client_for(cast["trainer"])
    page = trainer.post(
        f"/practice/assignments/{submitted.uuid}/review/trainer/", {"trainer-verdict": "needs_more_work"}
    ).content.decode()
    assert "Say what is missing before you ask for more work." in page
    trainer.post(
        f"/practice/assignments/{submitted.uuid}/review/trainer/",
        {"trainer-verdict": "needs_more_work", "trainer-comment": "Add what the clients said."},
    )
    submitted.refresh_from_db()
    assert submitted.state == "needs_more_work"
    own = client_for(cast["participant"]).get(f"/practice/assignments/{submitted.uuid}/").content.decode()
    assert "Add what the clients said." in own
    assert "Submit a new version" in own


def test_reviewer_sees_only_the_forms_for_their_role(submitted, cast, client_for):
    manager = client_for(cast["manager"]).get(f"/practice/assignments/{submitted.uuid}/").content.decode()
    assert "Your review as Supervisor" in manager
    assert "Your review as Trainer" not in manager
    trainer = client_for(cast["trainer"]).get(f"/practice/assignments/{submitted.uuid}/").content.decode()
    assert "Your review as Trainer" in trainer
    assert "Your review as Supervisor" not in trainer


def test_create_task_then_assign_chosen_people(cohort, enrolment, cast, client_for):
    client = client_for(cast["trainer"])
    data = {"title": "Run one meeting", "instructions": "Use the agenda.", "due_on": "2020-01-01"}
    page = client.post(f"/practice/cohort/{cohort.uuid}/tasks/new/", data).content.decode()
    assert "The due date is in the past: choose today or a later day." in page
    assert 'value="Run one meeting"' in page
    assert not PracticeTask.objects.exists()
    response = client.post(f"/practice/cohort/{cohort.uuid}/tasks/new/", data | {"due_on": FUTURE.isoformat()})
    task = PracticeTask.objects.get()
    assert response["Location"] == f"/practice/tasks/{task.uuid}/assign/"
    page = client.post(f"/practice/tasks/{task.uuid}/assign/", {"to": "chosen"}).content.decode()
    assert "Choose at least one person." in page
    client.post(f"/practice/tasks/{task.uuid}/assign/", {"to": "chosen", "enrolments": [str(enrolment.uuid)]})
    assert list(PracticeAssignment.objects.values_list("enrolment", flat=True)) == [enrolment.pk]


def test_cohort_page_shows_completion_and_the_setting(submitted, other_assignment, cohort, cast, client_for):
    services.submit_report(assignment=other_assignment, actor=None, author=None, text="Done")
    services.accept_report(assignment=other_assignment, actor=None, reviewer=cast["trainer"], role="trainer")
    client = client_for(cast["trainer"])
    page = client.get(f"/practice/cohort/{cohort.uuid}/").content.decode()
    assert "<td>2</td>\n    <td>2</td>\n    <td>1</td>\n    <td>50 %</td>" in page
    client.post(f"/practice/cohort/{cohort.uuid}/settings/", {"trainer_alone": "on"})
    assert CohortPracticeSettings.objects.get(cohort=cohort).trainer_alone is True


def test_cohort_page_has_no_n_plus_one(task, cohort, cast, client_for):
    client = client_for(cast["trainer"])
    path = f"/practice/cohort/{cohort.uuid}/"
    client.get(path)
    with CaptureQueriesContext(connection) as one:
        client.get(path)
    for n in range(3):
        extra = services.create_task(
            cohort=cohort, actor=None, created_by=None, title=f"T{n}", instructions="I", due_on=FUTURE
        )
        services.assign_task(task=extra, actor=None, assigned_by=None)
    with CaptureQueriesContext(connection) as four:
        assert client.get(path).status_code == 200
    assert len(four) == len(one)


@pytest.mark.parametrize("path", ["/practice/reviews/", "/practice/tasks/{task}/"])
def test_lists_have_no_n_plus_one(task, cohort, cast, client_for, path):
    from takeroot.programmes import services as programmes
    from tests.factories import PersonFactory

    def one_more():
        person = PersonFactory(workspace=cohort.workspace, manager=cast["manager"])
        enrolments = programmes.enrol_people(cohort=cohort, actor=None, people=[person])
        (found,) = services.assign_task(task=task, actor=None, assigned_by=None, enrolments=enrolments)
        services.submit_report(assignment=found, actor=None, author=None, text="R")

    one_more()
    client = client_for(cast["trainer"])
    path = path.format(task=task.uuid)
    client.get(path)
    with CaptureQueriesContext(connection) as one:
        client.get(path)
    for _n in range(3):
        one_more()
    with CaptureQueriesContext(connection) as four:
        assert client.get(path).status_code == 200
    assert len(four) == len(one)


def test_to_review_lists_and_home_panel(submitted, cohort, cast, client_for):
    trainer = client_for(cast["trainer"]).get("/practice/reviews/").content.decode()
    assert "Pia Participant" in trainer
    assert "1 practice report waits for your review" in client_for(cast["manager"]).get("/").content.decode()
    services.accept_report(assignment=submitted, actor=None, reviewer=cast["trainer"], role="trainer")
    assert "Pia Participant" not in client_for(cast["trainer"]).get("/practice/reviews/").content.decode()
    assert "Pia Participant" in client_for(cast["manager"]).get("/practice/reviews/").content.decode()
    services.save_practice_settings(cohort=cohort, actor=None, trainer_alone=True)
    assert "Pia Participant" not in client_for(cast["manager"]).get("/practice/reviews/").content.decode()


def test_one_review_does_not_take_other_reports_off_the_list(submitted, other_assignment, cast, client_for):
    services.submit_report(assignment=other_assignment, actor=None, author=cast["other_participant"], text="Done.")
    services.accept_report(assignment=submitted, actor=None, reviewer=cast["trainer"], role="trainer")
    trainer = client_for(cast["trainer"]).get("/practice/reviews/").content.decode()
    assert "Olek Other" in trainer and "Pia Participant" not in trainer


def test_my_tasks_has_no_n_plus_one(enrolment, cohort, cast, client_for):
    def one_more():
        extra = services.create_task(
            cohort=cohort, actor=None, created_by=None, title="T", instructions="I", due_on=FUTURE
        )
        (found,) = services.assign_task(task=extra, actor=None, assigned_by=None, enrolments=[enrolment])
        services.submit_report(assignment=found, actor=None, author=None, text="R")

    one_more()
    client = client_for(cast["participant"])
    client.get("/practice/")
    with CaptureQueriesContext(connection) as one:
        client.get("/practice/")
    for _n in range(3):
        one_more()
    with CaptureQueriesContext(connection) as four:
        assert client.get("/practice/").status_code == 200
    assert len(four) == len(one)


def test_home_panel_shows_a_participants_due_task(assignment, cast, client_for):
    import datetime

    from django.utils import timezone

    PracticeTask.objects.filter(pk=assignment.task_id).update(due_on=timezone.localdate() + datetime.timedelta(days=3))
    page = client_for(cast["participant"]).get("/").content.decode()
    assert "Practice tasks" in page
    assert assignment.task.title in page


def test_the_review_link_is_only_for_those_who_review(submitted, cast, client_for):
    assert "waits for your review" in client_for(cast["manager"]).get("/practice/").content.decode()
    assert "for your review" not in client_for(cast["participant"]).get("/practice/").content.decode()
