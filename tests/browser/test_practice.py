"""The practice task flow in the browser, every page scanned with axe: the trainer creates a task
on the cohort's practice page and assigns it to the cohort; the participant's first report is
refused for a file that is not what its name says (the text stays), then submitted; the trainer
and the supervisor accept it and the task is completed."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from takeroot.practice.models import PracticeAssignment
from takeroot.programmes import services as programmes

from .test_foundation import assert_no_axe_violations, sign_in, sign_in_as

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def cohort(cast):
    admin = cast["admin"]
    programme = programmes.create_programme(
        workspace=admin.workspace, actor=admin.user, name="Client communication", format="classroom", currency="PLN"
    )
    programmes.save_module(programme=programme, actor=admin.user, title="Key clients", objectives=["Listens first"])
    cohort = programmes.create_cohort(
        programme=programme,
        actor=admin.user,
        name="Gdańsk autumn",
        starts_on=datetime.date(2026, 9, 1),
        ends_on=datetime.date(2026, 12, 30),
        trainers=[cast["trainer"]],
    )
    programmes.enrol_people(cohort=cohort, actor=admin.user, people=[cast["participant"], cast["other_participant"]])
    return cohort


def test_practice_task_from_creation_to_completion(page, cast, cohort, screenshot):
    due = (timezone.localdate() + datetime.timedelta(days=5)).isoformat()
    sign_in_as(page, cast["trainer"])
    page.goto(f"/practice/cohort/{cohort.uuid}/")
    assert_no_axe_violations(page, "practice-cohort-empty")
    page.get_by_role("link", name="New practice task").click()
    page.get_by_label("Title").fill("Use the new technique with 3 key clients")
    page.get_by_label("Instructions").fill("Then submit a short report.")
    page.get_by_label("Due on").fill(due)
    page.get_by_label("Module of the programme").select_option(label="Key clients")
    assert_no_axe_violations(page, "practice-task-form")
    page.get_by_role("button", name="Save the practice task").click()
    expect(page.get_by_text("Practice task created. Now choose who does it.")).to_be_visible()
    page.get_by_label("Everyone in the cohort").check()
    assert_no_axe_violations(page, "practice-assign")
    page.get_by_role("button", name="Assign the task").click()
    expect(page.get_by_text("Assigned to 2 people.")).to_be_visible()
    assert_no_axe_violations(page, "practice-task")
    screenshot(page, "practice-task")

    sign_in_as(page, cast["participant"])
    page.goto("/")
    expect(page.get_by_role("heading", name="Practice tasks")).to_be_visible()
    page.goto("/practice/")
    assert_no_axe_violations(page, "practice-mine")
    page.get_by_role("link", name="Submit a report").click()
    page.get_by_role("textbox", name="Your report").fill("Two of three clients agreed on next steps on the call.")
    page.get_by_label("Files").set_input_files(
        [{"name": "report.pdf", "mimeType": "application/pdf", "buffer": b"MZ this is a program"}]
    )
    page.get_by_role("button", name="Submit the report").click()
    expect(page.get_by_text("report.pdf is not really a PDF file.")).to_be_visible()
    expect(page.get_by_role("textbox", name="Your report")).to_have_value(
        "Two of three clients agreed on next steps on the call."
    )
    assert_no_axe_violations(page, "practice-report-errors")
    page.get_by_label("Files").set_input_files([{"name": "report.pdf", "mimeType": "application/pdf", "buffer": PDF}])
    page.get_by_role("button", name="Submit the report").click()
    expect(page.get_by_text("Report submitted. Your reviewers will see it.")).to_be_visible()
    assert_no_axe_violations(page, "practice-assignment-participant")

    sign_in_as(page, cast["trainer"])
    page.goto("/practice/reviews/")
    assert_no_axe_violations(page, "practice-reviews")
    page.get_by_role("link", name="Pia Participant").click()
    with page.expect_download() as download:
        page.get_by_role("link", name="report.pdf").click()
    assert download.value.suggested_filename == "report.pdf"
    page.get_by_label("Accepted").check()
    page.get_by_label("Comment").fill("Clear report.")
    assert_no_axe_violations(page, "practice-assignment-trainer")
    page.get_by_role("button", name="Save the review").click()
    expect(page.get_by_text("Review saved.")).to_be_visible()

    sign_in_as(page, cast["manager"])
    page.goto("/practice/reviews/")
    page.get_by_role("link", name="Pia Participant").click()
    page.get_by_label("Accepted").check()
    assert_no_axe_violations(page, "practice-assignment-supervisor")
    page.get_by_role("button", name="Save the review").click()
    expect(page.get_by_text("Review saved.")).to_be_visible()
    expect(page.get_by_text("Completed", exact=True)).to_be_visible()
    screenshot(page, "practice-assignment-completed")
    assert PracticeAssignment.objects.get(enrolment__person=cast["participant"]).state == "completed"

    sign_in_as(page, cast["trainer"])
    page.goto(f"/practice/cohort/{cohort.uuid}/")
    expect(page.get_by_role("cell", name="50 %")).to_be_visible()
    assert_no_axe_violations(page, "practice-cohort")


def test_practice_pages_pass_axe_in_four_languages(browser, live_server, cast, cohort):
    from takeroot.core.models import User
    from takeroot.practice import services

    from .test_foundation import LANGUAGES

    task = services.create_task(
        cohort=cohort,
        actor=None,
        created_by=cast["trainer"],
        title="Use the new technique with 3 key clients",
        instructions="Then submit a short report.",
        due_on=timezone.localdate() + datetime.timedelta(days=3),
    )
    created = services.assign_task(task=task, actor=None, assigned_by=cast["trainer"])
    (assignment,) = [a for a in created if a.enrolment.person == cast["participant"]]
    services.submit_report(assignment=assignment, actor=None, author=cast["participant"], text="Two of three agreed.")
    services.request_more_work(
        assignment=assignment, actor=None, reviewer=cast["trainer"], role="trainer", comment="Add what they said."
    )
    pages_by_person = {
        "participant": ["/", "/practice/", f"/practice/assignments/{assignment.uuid}/"],
        "trainer": [f"/practice/cohort/{cohort.uuid}/", f"/practice/tasks/{task.uuid}/", "/practice/reviews/"],
    }
    for language in LANGUAGES:
        for role, paths in pages_by_person.items():
            User.objects.filter(pk=cast[role].user.pk).update(language=language)
            context = browser.new_context(base_url=live_server.url)
            page = context.new_page()
            sign_in(page, cast[role].user.email)
            for path in paths:
                assert page.goto(path).status == 200
                assert page.locator("html").get_attribute("lang") == language
                assert_no_axe_violations(page, f"{role} {path} [{language}]")
            context.close()
