"""Answering on the web: "My quizzes" with the open questions, a round on demand, the round page
(answer there, input kept on error, the explanation afterwards), the home panel, and who may see
or answer whose round (the wrong role 403, another workspace 404)."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from takeroot.quizzes import services
from takeroot.quizzes.enums import AnswerChannel, QuestionKind
from takeroot.quizzes.models import Answer, Question, QuizRound

from .conftest import NOW


@pytest.fixture
def web_round(enrolment, questions):
    """A round started on the web: the single-choice and the multiple-choice question."""
    return services.start_round(enrolment, now=NOW)


def round_path(quiz_round) -> str:
    return f"/quizzes/rounds/{quiz_round.uuid}/"


def test_my_quizzes_lists_the_open_questions_to_answer_there(client_for, cast, web_round):
    page = client_for(cast["participant"]).get("/quizzes/")

    html = page.content.decode()
    assert page.status_code == 200
    assert "What do you open the call with?" in html and "Which of these acknowledge an objection?" in html
    assert f'action="{round_path(web_round)}#item-' in html
    assert "questions are waiting above" in html
    assert "You have not answered any quiz question yet." in html


def test_answering_on_the_round_page_shows_the_result_and_the_history(client_for, cast, web_round):
    client = client_for(cast["participant"])
    item = web_round.items.get(question__kind=QuestionKind.SINGLE)
    prefix = f"item-{item.uuid}"

    response = client.post(
        round_path(web_round), {"item": str(item.uuid), f"{prefix}-choices": "1", f"{prefix}-confidence": "sure"}
    )

    assert response.status_code == 302 and response["Location"] == f"{round_path(web_round)}#item-{item.uuid}"
    answer = Answer.objects.get()
    assert (answer.correct, answer.channel, answer.confidence) == (True, AnswerChannel.WEB, "sure")
    html = client.get(round_path(web_round)).content.decode()
    assert "Right. Your answer is recorded." in html
    assert "The customer&#x27;s goal frames the whole call." in html
    mine = client.get("/quizzes/").content.decode()
    assert "What do you open the call with?" in mine.split("My answers")[1]
    assert "Which of these acknowledge an objection?" in mine.split("My answers")[0]


def test_a_bad_answer_keeps_what_was_typed(client_for, cast, enrolment, questions):
    Question.objects.exclude(kind=QuestionKind.NUMERIC).delete()
    quiz_round = services.start_round(enrolment, now=NOW)
    item = quiz_round.items.get()
    prefix = f"item-{item.uuid}"

    page = client_for(cast["participant"]).post(
        round_path(quiz_round), {"item": str(item.uuid), f"{prefix}-number": "about 30", f"{prefix}-confidence": "sure"}
    )

    html = page.content.decode()
    assert page.status_code == 200
    assert "Enter a number, such as 12 or 3.5." in html
    assert 'value="about 30"' in html and re.search(r'value="sure"[^>]*checked', html)
    assert not Answer.objects.exists()


def test_answer_a_few_questions_now_starts_a_round_once(client_for, cast, enrolment, questions):
    client = client_for(cast["participant"])
    page = client.get("/quizzes/").content.decode()
    assert "Answer a few questions now" in page

    first = client.post(f"/quizzes/enrolments/{enrolment.uuid}/start/")
    second = client.post(f"/quizzes/enrolments/{enrolment.uuid}/start/")

    quiz_round = QuizRound.objects.get()
    assert first["Location"] == second["Location"] == round_path(quiz_round)
    assert quiz_round.touchpoint is None and quiz_round.items.count() == 2


def test_nothing_due_says_so(client_for, cast, enrolment):
    client = client_for(cast["participant"])

    response = client.post(f"/quizzes/enrolments/{enrolment.uuid}/start/", follow=True)

    assert "Nothing is due right now" in response.content.decode()
    assert not QuizRound.objects.exists()


def test_the_home_panel_counts_the_waiting_questions(client_for, cast, web_round):
    assert "2 quiz questions wait for you" in client_for(cast["participant"]).get("/").content.decode()
    assert "quiz questions wait" not in client_for(cast["other_participant"]).get("/").content.decode()


@pytest.mark.parametrize(
    ("who", "view", "answer"),
    [
        ("participant", 200, 302),
        ("admin", 200, 403),
        ("trainer", 200, 403),
        ("manager", 403, 403),
        ("other_participant", 403, 403),
        ("mentor", 403, 403),
        ("outsider", 404, 404),
    ],
)
def test_who_may_see_and_answer_a_round(client_for, cast, web_round, who, view, answer):
    client = client_for(cast[who])
    item = web_round.items.get(question__kind=QuestionKind.SINGLE)

    assert client.get(round_path(web_round)).status_code == view
    posted = client.post(round_path(web_round), {"item": str(item.uuid), f"item-{item.uuid}-choices": "1"})
    assert posted.status_code == answer
    assert Answer.objects.exists() == (answer == 302)


@pytest.mark.parametrize(("who", "status"), [("other_participant", 403), ("trainer", 403), ("outsider", 404)])
def test_nobody_starts_a_round_for_someone_else(client_for, cast, enrolment, questions, who, status):
    response = client_for(cast[who]).post(f"/quizzes/enrolments/{enrolment.uuid}/start/")

    assert response.status_code == status and not QuizRound.objects.exists()


def test_a_trainer_sees_the_round_without_forms(client_for, cast, web_round):
    html = client_for(cast["trainer"]).get(round_path(web_round)).content.decode()

    assert "What do you open the call with?" in html and "Not answered yet." in html
    assert 'name="item"' not in html


def test_my_quizzes_costs_the_same_queries_for_one_or_three_rounds(client_for, cast, enrolment, questions):
    client = client_for(cast["participant"])

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get("/quizzes/").status_code == 200
        return len(captured)

    first = services.start_round(enrolment, now=NOW)
    services.record_answer(first.items.first(), choices=[1], channel=AnswerChannel.WEB, now=NOW)
    one = queries()
    for question in questions.values():
        quiz_round = services.start_round(enrolment, now=NOW, questions=[question])
        if question.kind != QuestionKind.NUMERIC:
            services.record_answer(quiz_round.items.get(), choices=[0], channel=AnswerChannel.WEB, now=NOW)
    assert queries() == one
