"""The demo quizzes: a translated bank of every kind in Nordwind's customer-conversations
programme, and eight weeks of rounds showing forgetting, recovery, retirement and a weak module."""

import datetime
import itertools
import random
from collections import defaultdict

import pytest

from takeroot.core.demo import LOGIN_EMAILS
from takeroot.quizzes.demo import PROGRAMME, WEAK_MODULE, build_quizzes_demo
from takeroot.quizzes.enums import QuestionKind
from takeroot.quizzes.models import Answer, MemoryState, Question, RoundItem
from tests.demo_support import demo_below, in_each_workspace

TODAY = datetime.date(2026, 11, 26)


@pytest.fixture(scope="module")
def built(django_db_setup, django_db_blocker):
    with demo_below(django_db_blocker, apps=["programmes", "catalogue"]):
        yield in_each_workspace(lambda ws: build_quizzes_demo(ws, rng=random.Random(1), today=TODAY))


@pytest.fixture
def demo(built, db):
    return built


def test_the_bank_has_every_kind_in_four_languages_only_in_nordwind(demo):
    questions = list(Question.objects.all())

    assert {question.programme.name for question in questions} == {PROGRAMME}
    assert demo["nordwind"]["quiz questions"] == len(questions) == 10
    assert demo["fjallbacka"] == {"quiz questions": 0, "quiz rounds": 0, "quiz answers": 0}
    assert {question.kind for question in questions} == set(QuestionKind.values)
    assert {tuple(question.languages) for question in questions} == {("en", "pl", "sv", "zh-hans")}
    assert all(question.module_id and question.objective_id for question in questions)


def test_rounds_were_answered_over_the_past_eight_weeks(demo):
    answers = Answer.objects.all()
    first, last = (answers.order_by(field).first().answered_at.date() for field in ("answered_at", "-answered_at"))

    assert demo["nordwind"]["quiz answers"] == answers.count() > 100
    assert TODAY - datetime.timedelta(weeks=8) <= first and last < TODAY + datetime.timedelta(days=1)
    assert {"mail", "web"} == set(answers.values_list("channel", flat=True))


def test_answers_show_forgetting_and_recovery(demo):
    history = defaultdict(list)
    for answer in Answer.objects.order_by("answered_at", "pk"):
        history[answer.enrolment_id, answer.question_id].append(answer.correct)

    forgot = [h for h in history.values() if any(a and not b for a, b in itertools.pairwise(h))]
    recovered = [h for h in history.values() if any(not a and b for a, b in itertools.pairwise(h))]
    assert forgot and recovered
    assert MemoryState.objects.filter(retired_at__isnull=False).count() >= 3
    assert any(answer.confidently_wrong for answer in Answer.objects.all())


def test_the_complaints_module_is_clearly_weaker(demo):
    weak = Question.objects.order_by("module__position").values_list("module_id", flat=True).distinct()
    weak_module = sorted(set(weak), key=list(weak).index)[WEAK_MODULE]
    accuracy = {}
    for label, answers in (
        ("weak", Answer.objects.filter(question__module_id=weak_module)),
        ("others", Answer.objects.exclude(question__module_id=weak_module)),
    ):
        accuracy[label] = answers.filter(correct=True).count() / answers.count()

    assert accuracy["weak"] < accuracy["others"] - 0.15


def test_the_demo_participant_has_answers_and_a_round_waiting(demo):
    mine = RoundItem.objects.filter(round__enrolment__person__user__email=LOGIN_EMAILS["participant"])

    assert mine.filter(answer__isnull=False).exists()
    assert mine.filter(answer__isnull=True).exists()
