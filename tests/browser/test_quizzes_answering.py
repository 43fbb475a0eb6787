"""Answering quiz questions in the browser, every page scanned with axe in English and Polish: the
participant opens an option link from a really sent round (signed out), says how sure they are and
sees the explanation; the link again shows the answer already recorded; signed in, they answer on
"My quizzes", start a round on demand, and a bad number keeps what they typed."""

import datetime
import re

import pytest
from django.conf import settings
from django.utils import timezone
from playwright.sync_api import expect

from takeroot.followup import delivery
from takeroot.followup.enums import LinkPurpose, StepKind
from takeroot.followup.links import link_url
from takeroot.followup.models import Design, Step, Touchpoint
from takeroot.programmes import services as programmes
from takeroot.programmes.enums import EnrolmentStatus
from takeroot.programmes.models import Enrolment, Module
from takeroot.quizzes.enums import QuestionKind
from takeroot.quizzes.models import Answer, RoundItem

from ..quizzes.conftest import make_question
from .test_foundation import assert_no_axe_violations, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def enrolment(cast):
    admin = cast["admin"]
    programme = programmes.create_programme(
        workspace=admin.workspace, actor=admin.user, name="Customer conversations", format="classroom", currency="PLN"
    )
    programmes.save_module(programme=programme, actor=admin.user, title="Opening the call", objectives=["Opens well"])
    cohort = programmes.create_cohort(
        programme=programme,
        actor=admin.user,
        name="Kraków autumn",
        starts_on=datetime.date(2026, 9, 1),
        ends_on=datetime.date(2026, 9, 30),
        trainers=[cast["trainer"]],
    )
    programmes.enrol_people(cohort=cohort, actor=admin.user, people=[cast["participant"]])
    Enrolment.objects.filter(cohort=cohort).update(status=EnrolmentStatus.ACTIVE)
    module = Module.objects.get(programme=programme)
    for position, kind in enumerate(
        (QuestionKind.SINGLE, QuestionKind.MULTIPLE, QuestionKind.NUMERIC, QuestionKind.TRUE_FALSE)
    ):
        make_question(programme, module=module, kind=kind, position=position)
    return Enrolment.objects.get(cohort=cohort)


def _sent_round_text(enrolment, smtp_sink) -> str:
    design = Design.objects.create(workspace=enrolment.workspace, programme=enrolment.cohort.programme, name="F")
    content = {"en": {"subject": "Two quick questions", "body": "Hello {name}"}}
    step = Step.objects.create(workspace=design.workspace, design=design, kind=StepKind.QUIZ_ROUND, content=content)
    now = timezone.now()
    Touchpoint.objects.create(
        workspace=step.workspace,
        step=step,
        enrolment=enrolment,
        recipient=enrolment.person,
        due_at=now - datetime.timedelta(hours=1),
    )
    assert delivery.send_due(now=now) == 1
    return smtp_sink.messages[0].get_body(("plain",)).get_content()


def _path(url: str) -> str:
    return url.removeprefix(settings.BASE_URL)


def test_answering_from_the_mail_and_on_the_web(page, cast, enrolment, smtp_sink, screenshot):
    text = _sent_round_text(enrolment, smtp_sink)
    goal_link = re.search(r"- The customer's goal: (\S+)", text).group(1)

    page.goto(_path(goal_link))
    expect(page.get_by_role("heading", level=1)).to_have_text("Answer a quiz question")
    expect(page.get_by_label("The customer's goal")).to_be_checked()
    assert not Answer.objects.exists()  # opening the link records nothing
    assert_no_axe_violations(page, "quiz-link-question")
    screenshot(page, "quiz-link-question")
    page.get_by_role("button", name="Sure", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Right answer")
    expect(page.get_by_text("The customer's goal frames the whole call.")).to_be_visible()
    assert_no_axe_violations(page, "quiz-link-result")

    page.goto(_path(goal_link))
    expect(page.get_by_role("heading", level=1)).to_have_text("You already answered")
    assert_no_axe_violations(page, "quiz-link-replay")
    assert Answer.objects.count() == 1

    sign_in(page, cast["participant"].user.email)
    page.goto("/quizzes/")
    assert_no_axe_violations(page, "quizzes-mine")
    question = page.locator("section", has_text="Which of these acknowledge an objection?")
    question.get_by_label("Naming the concern").check()
    question.get_by_label("Asking about it").check()
    question.get_by_label("I think so").check()
    question.get_by_role("button", name="Record my answer").click()
    expect(page.get_by_text("Right. Your answer is recorded.")).to_be_visible()
    expect(page.get_by_text("Naming the concern and asking about it both acknowledge it.")).to_be_visible()
    assert_no_axe_violations(page, "quizzes-round")
    screenshot(page, "quizzes-round")

    page.goto("/quizzes/")
    page.get_by_role("button", name="Answer a few questions now").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Quiz round 2")
    numeric = page.locator("section", has_text="How many seconds should the opening take at most?")
    numeric.get_by_label("Your answer (a number)").fill("half a minute")
    numeric.get_by_role("button", name="Record my answer").click()
    expect(page.get_by_text("Enter a number, such as 12 or 3.5.")).to_be_visible()
    expect(page.get_by_label("Your answer (a number)")).to_have_value("half a minute")
    assert_no_axe_violations(page, "quizzes-round-errors")
    assert Answer.objects.count() == 2


def test_the_answering_pages_pass_axe_in_polish(page, cast, enrolment, smtp_sink):
    user = cast["participant"].user
    user.language = "pl"
    user.save()
    text = _sent_round_text(enrolment, smtp_sink)
    item = RoundItem.objects.get(question__kind=QuestionKind.MULTIPLE)
    page.goto(_path(re.search(r"- Od celu klienta: (\S+)", text).group(1)))
    expect(page.locator("html")).to_have_attribute("lang", "pl")
    assert_no_axe_violations(page, "quiz-link-question-pl")
    page.locator("button[name=confidence][value=guessing]").click()
    assert_no_axe_violations(page, "quiz-link-result-pl")
    page.goto(_path(link_url(person=cast["participant"], purpose=LinkPurpose.QUIZ_ANSWER, target=f"{item.uuid}:0")))
    assert_no_axe_violations(page, "quiz-link-english-question-pl")

    sign_in(page, user.email)
    page.goto("/quizzes/")
    assert_no_axe_violations(page, "quizzes-mine-pl")
    page.goto(item.round.get_absolute_url())
    assert_no_axe_violations(page, "quizzes-round-pl")
    page.goto("/")
    assert_no_axe_violations(page, "home-quizzes-panel-pl")
