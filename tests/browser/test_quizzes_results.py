"""Every quiz results page in the browser, in English and Chinese, scanned with axe: the cohort's
and the programme's results (with the knowledge chart and a flagged question), a participant's
progress with the retention chart and their answers, and the manager's team summary."""

import datetime

import pytest
from playwright.sync_api import expect

from takeroot.programmes import services as programmes
from takeroot.programmes.enums import EnrolmentStatus
from takeroot.programmes.models import Enrolment, Module
from takeroot.quizzes.enums import Confidence, QuestionKind
from tests.factories import PersonFactory, UserFactory
from tests.quizzes.conftest import DAY, NOW, make_question
from tests.quizzes.test_analytics import answer

from .test_foundation import assert_no_axe_violations, sign_in_as

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def cohort(cast):
    """Six people answer two questions in two rounds a week apart; the multiple-choice question
    is mostly wrong the first time (a weak spot)."""
    admin = cast["admin"]
    programme = programmes.create_programme(
        workspace=admin.workspace, actor=admin.user, name="Customer conversations", format="classroom", currency="PLN"
    )
    for title in ("Opening the call", "Handling objections"):
        programmes.save_module(programme=programme, actor=admin.user, title=title, objectives=[f"Masters {title}"])
    first, second = Module.objects.filter(programme=programme).order_by("position")
    single = make_question(programme, module=first, kind=QuestionKind.SINGLE)
    multi = make_question(programme, module=second, kind=QuestionKind.MULTIPLE, position=1)
    cohort = programmes.create_cohort(
        programme=programme,
        actor=admin.user,
        name="Kraków spring",
        starts_on=datetime.date(2026, 9, 1),
        ends_on=datetime.date(2026, 9, 30),
        trainers=[cast["trainer"]],
    )
    extra = [
        PersonFactory(workspace=admin.workspace, user=UserFactory(email=f"p{i}@acme.test", name=f"Person {i}"))
        for i in range(4)
    ]
    programmes.enrol_people(cohort=cohort, actor=admin.user, people=[cast["participant"], *extra])
    Enrolment.objects.filter(cohort=cohort).update(status=EnrolmentStatus.ACTIVE)
    for index, enrolment in enumerate(Enrolment.objects.filter(cohort=cohort).order_by("id")):
        answer(enrolment, single, at=NOW, correct=True, choices=[1], stability=3.0)
        sure = Confidence.SURE if index == 1 else ""
        answer(enrolment, multi, at=NOW, correct=index == 0, choices=[1], stability=0.5, confidence=sure)
        answer(
            enrolment,
            multi,
            at=NOW + 7 * DAY,
            correct=True,
            choices=[0, 2],
            stability=4.0,
            number_of_round=2,
            attempt=2,
        )
    return cohort


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_results_pages_are_accessible(page, cast, cohort, language, screenshot):
    enrolment = Enrolment.objects.get(cohort=cohort, person=cast["participant"])
    sign_in_as(page, cast["trainer"], language)
    page.goto(f"/cohorts/{cohort.uuid}/")
    page.locator(f"a[href='/quizzes/cohorts/{cohort.uuid}/results/']").click()
    page.wait_for_url(f"**/quizzes/cohorts/{cohort.uuid}/results/")
    expect(page.locator("svg[role=img]")).to_have_count(1)
    assert page.locator("html").get_attribute("lang") == language
    assert_no_axe_violations(page, f"quiz-results-cohort-{language}")
    screenshot(page, f"quiz-results-cohort-{language}")
    page.goto(f"/quizzes/programmes/{cohort.programme.uuid}/results/")
    assert_no_axe_violations(page, f"quiz-results-programme-{language}")
    page.goto(f"/quizzes/enrolments/{enrolment.uuid}/progress/")
    expect(page.locator("svg[role=img]")).to_have_count(1)
    assert_no_axe_violations(page, f"quiz-progress-trainer-{language}")

    sign_in_as(page, cast["participant"], language)
    page.goto(f"/quizzes/enrolments/{enrolment.uuid}/progress/")
    if language == "en":
        expect(page.get_by_role("heading", name="My answers")).to_be_visible()
    assert_no_axe_violations(page, f"quiz-progress-own-{language}")
    screenshot(page, f"quiz-progress-{language}")

    sign_in_as(page, cast["manager"], language)
    page.locator("a[href='/quizzes/team/']").click()
    page.wait_for_url("**/quizzes/team/")
    expect(page.get_by_role("heading", level=2, name="Pia Participant")).to_be_visible()
    assert_no_axe_violations(page, f"quiz-team-{language}")
    page.get_by_role("link", name="Pia Participant").click()
    page.wait_for_url(f"**/quizzes/enrolments/{enrolment.uuid}/progress/")
    expect(page.get_by_text("What do you open the call with?")).to_have_count(0)
    assert_no_axe_violations(page, f"quiz-progress-manager-{language}")
