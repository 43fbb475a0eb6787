"""Quiz rounds sent by the real follow-up delivery to a real SMTP server: what arrives (the due
questions, each option a one-click link), when a round is skipped, a retried send, the last-score
condition, previews and test sends that write nothing, and the default design's weekly rounds."""

import datetime
import itertools
import re

import pytest
from django.conf import settings
from django.db.models import F

from takeroot.followup import delivery, designs, rendering, schedule
from takeroot.followup.enums import LinkPurpose, StepKind, TouchpointState
from takeroot.followup.links import read_link
from takeroot.followup.models import Design, Step, Touchpoint
from takeroot.quizzes import services
from takeroot.quizzes.delivery import REASON_NOTHING_DUE, REASON_ONE_AT_A_TIME, REASON_SCORE_HIGH
from takeroot.quizzes.enums import AnswerChannel, QuestionKind
from takeroot.quizzes.models import MemoryState, Question, QuizRound, RoundItem

from .conftest import DAY, NOW

HOUR = datetime.timedelta(hours=1)
LINKS = re.compile(r"http://\S+/l/\S+/")


@pytest.fixture
def design(programme):
    return Design.objects.create(workspace=programme.workspace, programme=programme, name="Follow-up")


def quiz_step(design, **fields) -> Step:
    fields.setdefault("kind", StepKind.QUIZ_ROUND)
    fields.setdefault("content", {"en": {"subject": "Two quick questions", "body": "Hello {name}"}})
    return Step.objects.create(workspace=design.workspace, design=design, **fields)


def touchpoint_for(step, enrolment, *, occurrence=0, due_at=None) -> Touchpoint:
    return Touchpoint.objects.create(
        workspace=step.workspace,
        step=step,
        enrolment=enrolment,
        recipient=enrolment.person,
        occurrence=occurrence,
        due_at=due_at or NOW - HOUR,
    )


def parts(message) -> tuple[str, str]:
    text = message.get_body(("plain",)).get_content().replace("\r\n", "\n")
    html = message.get_body(("html",)).get_content().replace("\r\n", "\n")
    return text, html


def token_of(url: str) -> str:
    return url.rstrip("/").rsplit("/", 1)[1]


def path_of(url: str) -> str:
    return url.removeprefix(settings.BASE_URL)


def send_round(design, enrolment, smtp_sink, **step_fields) -> tuple[Touchpoint, str, str]:
    """Send one quiz-round touchpoint through the real delivery; the text and HTML that arrived."""
    touchpoint = touchpoint_for(quiz_step(design, **step_fields), enrolment)
    assert delivery.send_due(now=NOW) == 1
    text, html = parts(smtp_sink.messages[-1])
    return touchpoint, text, html


def state_of(touchpoint) -> Touchpoint:
    return Touchpoint.objects.get(pk=touchpoint.pk)


def test_the_mail_lists_the_due_questions_with_a_link_per_option(smtp_sink, design, enrolment, questions):
    touchpoint, text, html = send_round(design, enrolment, smtp_sink)

    quiz_round = QuizRound.objects.get(touchpoint=touchpoint)
    single, multiple = RoundItem.objects.filter(round=quiz_round).order_by("position")
    assert (single.question, multiple.question) == (questions[QuestionKind.SINGLE], questions[QuestionKind.MULTIPLE])
    assert "Question 1 of 2: What do you open the call with?" in text
    assert "Question 2 of 2: Which of these acknowledge an objection?" in text
    urls = LINKS.findall(text)
    option_urls = [url for url in urls if read_link(token_of(url)).purpose == LinkPurpose.QUIZ_ANSWER]
    targets = [read_link(token_of(url)).target for url in option_urls]
    assert targets == [f"{single.uuid}:{i}" for i in range(3)] + [f"{multiple.uuid}:{i}" for i in range(4)]
    link = read_link(token_of(option_urls[1]))
    assert (link.person, link.touchpoint) == (enrolment.person, touchpoint)
    assert f"- The customer's goal: {option_urls[1]}" in text
    assert f'<a href="{option_urls[1]}">The customer&#x27;s goal</a>' in html
    assert f"Or answer on the web: {settings.BASE_URL}/quizzes/rounds/{quiz_round.uuid}/" in text
    assert state_of(touchpoint).state == TouchpointState.SENT


def test_a_numeric_question_gets_one_link_to_a_number_field(smtp_sink, design, enrolment, questions):
    Question.objects.exclude(kind=QuestionKind.NUMERIC).update(position=F("position") + 10)  # asked first

    touchpoint, text, _html = send_round(design, enrolment, smtp_sink)

    numeric = RoundItem.objects.get(round__touchpoint=touchpoint, question=questions[QuestionKind.NUMERIC])
    assert "Question 1 of 2: How many seconds should the opening take at most?" in text
    [url] = re.findall(r"Type your answer: (\S+)", text)
    assert read_link(token_of(url)).target == f"{numeric.uuid}:"


def test_the_questions_come_in_the_recipients_language_else_english(smtp_sink, design, enrolment, questions):
    enrolment.person.user.language = "pl"
    enrolment.person.user.save()

    _touchpoint, text, html = send_round(design, enrolment, smtp_sink)

    assert "Od czego zaczynasz rozmowę?" in text and "- Od celu klienta: http" in text
    assert '<span lang="pl">Od czego zaczynasz rozmowę?</span>' in html
    # The multiple-choice question exists in English only: it comes in English, marked as such.
    assert '<span lang="en">Which of these acknowledge an objection?</span>' in html


def test_nothing_due_skips_the_round_and_sends_nothing(smtp_sink, design, enrolment):
    touchpoint = touchpoint_for(quiz_step(design), enrolment)

    assert delivery.send_due(now=NOW) == 1

    assert smtp_sink.messages == []
    found = state_of(touchpoint)
    assert (found.state, found.reason) == (TouchpointState.SKIPPED, REASON_NOTHING_DUE)
    assert not QuizRound.objects.exists()


def test_two_rounds_for_one_person_in_one_batch_send_one(smtp_sink, design, enrolment, questions):
    step = quiz_step(design)
    first = touchpoint_for(step, enrolment, due_at=NOW - 2 * HOUR)
    second = touchpoint_for(step, enrolment, occurrence=1)

    delivery.send_due(now=NOW)

    assert len(smtp_sink.messages) == 1
    assert state_of(first).state == TouchpointState.SENT
    assert (state_of(second).state, state_of(second).reason) == (TouchpointState.SKIPPED, REASON_ONE_AT_A_TIME)


def test_a_retried_send_reuses_the_round(smtp_sink, design, enrolment, questions):
    touchpoint, text, _html = send_round(design, enrolment, smtp_sink)
    Touchpoint.objects.filter(pk=touchpoint.pk).update(state=TouchpointState.SCHEDULED)

    delivery.send_due(now=NOW + HOUR)

    assert QuizRound.objects.count() == 1
    again = parts(smtp_sink.messages[-1])[0]
    targets = [read_link(token_of(url)).target for url in LINKS.findall(text)]
    assert [read_link(token_of(url)).target for url in LINKS.findall(again)] == targets


@pytest.mark.parametrize(("answers", "sent"), [(None, True), ([True, False], True), ([True, True], False)])
def test_the_score_condition_sends_only_below_the_threshold(smtp_sink, design, enrolment, questions, answers, sent):
    if answers is not None:
        quiz_round = services.start_round(enrolment, now=NOW - 3 * DAY)
        for item, right in zip(quiz_round.items.all(), answers, strict=True):
            choices = item.question.correct if right else [2]
            services.record_answer(item, choices=choices, channel=AnswerChannel.WEB, now=NOW - 3 * DAY)
    step = quiz_step(
        design, kind=StepKind.MESSAGE, if_quiz_score_below=80, content={"en": {"subject": "Need help?", "body": "Hi"}}
    )
    touchpoint = touchpoint_for(step, enrolment)

    delivery.send_due(now=NOW)

    assert len(smtp_sink.messages) == (1 if sent else 0)
    found = state_of(touchpoint)
    assert (found.state, found.reason) == (
        (TouchpointState.SENT, "") if sent else (TouchpointState.SKIPPED, REASON_SCORE_HIGH)
    )


def test_a_preview_and_a_test_send_show_examples_and_write_nothing(smtp_sink, design, enrolment, questions, cast):
    step = quiz_step(design)
    unsaved = Touchpoint(
        workspace_id=step.workspace_id, step=step, enrolment=enrolment, recipient=enrolment.person, due_at=NOW
    )

    rendered = rendering.render(unsaved)
    delivery.send_test(step=step, enrolment=enrolment, to=cast["admin"].user)

    assert not QuizRound.objects.exists() and not Touchpoint.objects.exists()
    for text in (rendered.text, parts(smtp_sink.messages[0])[0]):
        assert "Example questions: the real mail carries the questions most due" in text
        assert "Question 1 of 2: What do you open the call with?\n- The price\n" in text
        assert "/l/" not in text.split("Question 1 of 2")[1].split("Or answer on the web")[0]


def test_a_preview_of_a_person_with_nothing_due_shows_the_banks_first_questions(design, enrolment, questions):
    for question in questions.values():
        MemoryState.objects.create(
            workspace=enrolment.workspace, enrolment=enrolment, question=question, due=NOW, retired_at=NOW
        )
    step = quiz_step(design)
    unsaved = Touchpoint(workspace_id=step.workspace_id, step=step, enrolment=enrolment, recipient=enrolment.person)

    text = rendering.render(unsaved).text

    assert "Question 1 of 2: What do you open the call with?" in text
    assert not QuizRound.objects.exists()


def test_the_default_design_sends_a_quiz_round_every_week_for_seven_weeks(programme, cohort, enrolment, cast):
    design = designs.create_design(programme=programme, actor=cast["admin"].user, from_default=True)

    [step] = design.steps.filter(kind=StepKind.QUIZ_ROUND)
    assert (step.offset_days, step.repeat_every_days, step.repeat_for_days) == (7, 7, 49)
    for code in ("en", "pl", "sv", "zh-hans"):
        assert step.content[code]["subject"] and step.content[code]["body"]
    planned = [p for p in schedule.plan_enrolment(enrolment) if p.step == step]
    assert [p.occurrence for p in planned] == list(range(8))
    assert {(b.due_at - a.due_at).days for a, b in itertools.pairwise(planned)} == {7}
