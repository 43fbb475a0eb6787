"""Rounds and answers on a fixed clock: one review per answer, streaks, retirement, replays."""

import datetime
from decimal import Decimal

import fsrs
import pytest
from django.core.exceptions import ValidationError

from takeroot.followup.enums import StepKind, TouchpointState
from takeroot.followup.models import Design, Step, Touchpoint
from takeroot.quizzes.enums import AnswerChannel, Confidence, QuestionKind
from takeroot.quizzes.models import Answer, MemoryState, QuizRound, QuizSettings, RoundItem
from takeroot.quizzes.scheduling import choose_due
from takeroot.quizzes.services import is_correct, last_round_scores, record_answer, start_round

from .conftest import DAY, NOW

RIGHT = {QuestionKind.SINGLE: [1], QuestionKind.MULTIPLE: [0, 2], QuestionKind.TRUE_FALSE: [0]}
WRONG = {QuestionKind.SINGLE: [0], QuestionKind.MULTIPLE: [0], QuestionKind.TRUE_FALSE: [1]}


def answer(enrolment, question, *, right=True, now=NOW, confidence=""):
    """Start a web round with just ``question`` and answer it."""
    quiz_round = start_round(enrolment, now=now, questions=[question])
    item = quiz_round.items.get()
    if question.kind == QuestionKind.NUMERIC:
        given = {"number": Decimal(30 if right else 50)}
    else:
        given = {"choices": (RIGHT if right else WRONG)[question.kind]}
    return record_answer(item, confidence=confidence, channel=AnswerChannel.WEB, now=now, **given)


def memory(enrolment, question) -> MemoryState:
    return MemoryState.objects.get(enrolment=enrolment, question=question)


@pytest.fixture
def single(questions):
    return questions[QuestionKind.SINGLE]


def test_the_first_answer_creates_the_memory_state(enrolment, single):
    recorded, created = answer(enrolment, single, confidence=Confidence.THINK_SO)

    state = memory(enrolment, single)
    assert created is True
    assert (recorded.correct, recorded.attempt, recorded.rating) == (True, 1, fsrs.Rating.Good)
    assert recorded.retrievability is None  # nothing to predict before the first meeting
    assert recorded.stability == state.stability > 0
    assert (state.reviews, state.streak, state.lapses, state.last_review) == (1, 1, 0, NOW)
    assert state.due > NOW + DAY


def test_a_wrong_answer_comes_back_sooner_than_a_right_one(enrolment, other_enrolment, single):
    answer(enrolment, single, right=False)
    answer(other_enrolment, single, right=True)

    wrong, right = memory(enrolment, single), memory(other_enrolment, single)
    assert wrong.due == NOW + DAY
    assert right.due > wrong.due
    assert wrong.streak == 0


def test_sure_answers_come_back_later_than_guesses(enrolment, other_enrolment, single):
    answer(enrolment, single, confidence=Confidence.SURE)
    answer(other_enrolment, single, confidence=Confidence.GUESSING)

    assert memory(enrolment, single).due > memory(other_enrolment, single).due


def test_a_question_retires_after_two_right_answers_in_a_row(enrolment, single):
    answer(enrolment, single)
    second, _created = answer(enrolment, single, now=NOW + 3 * DAY)

    state = memory(enrolment, single)
    assert (second.attempt, state.streak, state.retired_at) == (2, 2, NOW + 3 * DAY)
    assert second.retrievability is not None and 0 < second.retrievability < 1
    assert single.pk not in [q.pk for q in choose_due([enrolment.pk], now=NOW + 90 * DAY, limit=3)[enrolment.pk]]


def test_a_wrong_answer_resets_the_streak(enrolment, single):
    answer(enrolment, single)
    answer(enrolment, single, right=False, now=NOW + 3 * DAY)
    answer(enrolment, single, now=NOW + 4 * DAY)

    state = memory(enrolment, single)
    assert (state.reviews, state.streak, state.lapses, state.retired_at) == (3, 1, 1, None)


def test_the_retire_limit_comes_from_the_programme(programme, enrolment, single):
    QuizSettings.objects.create(workspace=programme.workspace, programme=programme, retire_after=3)

    answer(enrolment, single)
    answer(enrolment, single, now=NOW + 3 * DAY)
    assert memory(enrolment, single).retired_at is None

    answer(enrolment, single, now=NOW + 10 * DAY)
    assert memory(enrolment, single).retired_at == NOW + 10 * DAY


def test_a_replay_or_double_click_records_one_answer_and_one_review(enrolment, single):
    quiz_round = start_round(enrolment, now=NOW, questions=[single])
    item = quiz_round.items.get()

    first, created = record_answer(item, choices=[1], channel=AnswerChannel.MAIL, now=NOW)
    again, created_again = record_answer(item, choices=[0], channel=AnswerChannel.WEB, now=NOW + DAY)

    assert (created, created_again) == (True, False)
    assert again == first and again.correct is True
    assert Answer.objects.count() == 1
    assert memory(enrolment, single).reviews == 1


def test_an_older_round_is_closed_once_the_question_was_answered_in_a_later_one(enrolment, single):
    older = start_round(enrolment, now=NOW, questions=[single]).items.get()
    newer = start_round(enrolment, now=NOW + DAY, questions=[single]).items.get()
    record_answer(newer, choices=[1], channel=AnswerChannel.WEB, now=NOW + DAY)

    with pytest.raises(ValidationError) as refused:
        record_answer(older, choices=[1], channel=AnswerChannel.MAIL, now=NOW + 2 * DAY)

    assert refused.value.messages == [
        "You have already answered this question in a later quiz round, so this older one is closed."
    ]
    assert memory(enrolment, single).reviews == 1


def test_rounds_are_numbered_and_hold_the_due_questions(enrolment, questions):
    first = start_round(enrolment, now=NOW)
    second = start_round(enrolment, now=NOW + DAY)

    assert (first.number, second.number) == (1, 2)
    assert [item.question.kind for item in first.items.all()] == [QuestionKind.SINGLE, QuestionKind.MULTIPLE]


def test_no_round_when_nothing_is_due(enrolment, single):
    assert start_round(enrolment, now=NOW, questions=[]) is None
    assert QuizRound.objects.count() == 0


@pytest.fixture
def touchpoint(programme, enrolment):
    design = Design.objects.create(workspace=programme.workspace, programme=programme, name="Follow-up")
    step = Step.objects.create(workspace=programme.workspace, design=design, kind=StepKind.QUIZ_ROUND)
    return Touchpoint.objects.create(
        workspace=programme.workspace,
        step=step,
        enrolment=enrolment,
        recipient=enrolment.person,
        due_at=NOW,
        state=TouchpointState.SENT,
    )


def test_a_touchpoint_gets_one_round_and_is_done_once_every_question_is_answered(enrolment, questions, touchpoint):
    quiz_round = start_round(enrolment, now=NOW, touchpoint=touchpoint)
    assert start_round(enrolment, now=NOW + DAY, touchpoint=touchpoint) == quiz_round
    first, second = quiz_round.items.all()

    record_answer(first, choices=[1], channel=AnswerChannel.MAIL, now=NOW)
    touchpoint.refresh_from_db()
    assert touchpoint.state == TouchpointState.SENT

    record_answer(second, choices=[0, 2], channel=AnswerChannel.MAIL, now=NOW)
    touchpoint.refresh_from_db()
    assert touchpoint.state == TouchpointState.DONE


@pytest.mark.parametrize(
    ("kind", "given", "message"),
    [
        (QuestionKind.SINGLE, {"choices": [0, 1]}, "Choose exactly one answer."),
        (QuestionKind.SINGLE, {"choices": []}, "Choose an answer."),
        (QuestionKind.SINGLE, {"choices": [3]}, "This option does not exist: choose among the options listed."),
        (QuestionKind.TRUE_FALSE, {"choices": [0, 1]}, "Choose exactly one answer."),
        (QuestionKind.MULTIPLE, {"choices": ["x"]}, "Choose among the options listed."),
        (QuestionKind.NUMERIC, {"number": None}, "Enter a number."),
        (QuestionKind.NUMERIC, {"number": "thirty"}, "Enter a number, such as 12 or 3.5."),
        (
            QuestionKind.SINGLE,
            {"choices": [1], "confidence": "certain"},
            "Choose how sure you are from the list, or leave it empty.",
        ),
    ],
)
def test_input_that_does_not_fit_the_question_is_refused(enrolment, questions, kind, given, message):
    item = start_round(enrolment, now=NOW, questions=[questions[kind]]).items.get()

    with pytest.raises(ValidationError) as refused:
        record_answer(item, channel=AnswerChannel.WEB, now=NOW, **given)

    assert refused.value.messages == [message]
    assert Answer.objects.count() == MemoryState.objects.count() == 0


def test_correctness_of_each_kind(questions):
    assert is_correct(questions[QuestionKind.MULTIPLE], choices=[2, 0]) is True
    assert is_correct(questions[QuestionKind.MULTIPLE], choices=[0]) is False
    assert is_correct(questions[QuestionKind.NUMERIC], number=Decimal("34.5")) is True
    assert is_correct(questions[QuestionKind.NUMERIC], number=Decimal("35.01")) is False
    assert is_correct(questions[QuestionKind.TRUE_FALSE], choices=[0]) is True


def test_a_numeric_answer_may_use_a_decimal_comma(enrolment, questions):
    item = start_round(enrolment, now=NOW, questions=[questions[QuestionKind.NUMERIC]]).items.get()

    recorded, _created = record_answer(item, number="27,5", channel=AnswerChannel.WEB, now=NOW)

    assert (recorded.number, recorded.correct) == (Decimal("27.5"), True)


def test_last_round_scores_use_the_most_recent_answered_round(enrolment, other_enrolment, questions):
    for question in (questions[QuestionKind.SINGLE], questions[QuestionKind.MULTIPLE]):
        answer(enrolment, question, right=False)
    later = start_round(
        enrolment, now=NOW + DAY, questions=[questions[QuestionKind.TRUE_FALSE], questions[QuestionKind.NUMERIC]]
    )
    true_false, numeric = later.items.all()
    record_answer(true_false, choices=[0], channel=AnswerChannel.WEB, now=NOW + DAY)
    record_answer(numeric, number=99, channel=AnswerChannel.WEB, now=NOW + DAY)
    start_round(enrolment, now=NOW + 2 * DAY)  # not answered yet

    assert last_round_scores([enrolment.pk, other_enrolment.pk]) == {enrolment.pk: 50}


def test_rounds_and_answers_belong_to_the_enrolment_workspace(enrolment, single):
    recorded, _created = answer(enrolment, single)

    assert {recorded.workspace_id, memory(enrolment, single).workspace_id} == {enrolment.workspace_id}
    assert RoundItem.objects.get().workspace_id == enrolment.workspace_id
    assert isinstance(recorded.answered_at, datetime.datetime)
