"""Answering from the mail: the option links of a really sent round. A GET (a person, or a mail
scanner) records nothing; the POST records once; replays and double clicks show the recorded
answer; a link for someone else's question, an expired or a tampered link does nothing."""

import datetime
import re

import pytest
from django.utils import timezone

from takeroot.followup.enums import LinkPurpose, TouchpointState
from takeroot.followup.links import make_token
from takeroot.followup.models import Touchpoint
from takeroot.programmes.enums import EnrolmentStatus
from takeroot.quizzes.enums import AnswerChannel, Confidence, QuestionKind
from takeroot.quizzes.models import Answer, MemoryState, Question, QuizRound

from .test_delivery import LINKS, design, path_of, send_round, token_of  # noqa: F401 (design is a fixture)


@pytest.fixture
def mail(smtp_sink, design, enrolment, questions):  # noqa: F811
    """A quiz round really sent: its touchpoint, round and option links (by question kind)."""
    touchpoint, text, _html = send_round(design, enrolment, smtp_sink)
    quiz_round = QuizRound.objects.get(touchpoint=touchpoint)
    urls = LINKS.findall(text)
    return {"touchpoint": touchpoint, "round": quiz_round, "single": urls[:3], "multiple": urls[3:7]}


def test_opening_an_option_link_shows_the_question_and_records_nothing(client, mail):
    page = client.get(path_of(mail["single"][1]))

    assert page.status_code == 200
    html = page.content.decode()
    assert "What do you open the call with?" in html
    assert re.search(r'<input type="radio" name="choices" value="1"[^>]*checked', html)
    assert 'name="confidence" value="sure">Sure</button>' in html
    assert "Record my answer" in html
    assert not Answer.objects.exists() and not MemoryState.objects.exists()
    assert Touchpoint.objects.get(pk=mail["touchpoint"].pk).state == TouchpointState.OPENED


def test_posting_records_once_and_shows_the_explanation(client, mail, enrolment):
    path = path_of(mail["single"][1])

    page = client.post(path, {"choices": "1", "confidence": "sure"})

    html = page.content.decode()
    assert page.status_code == 200 and "Right answer" in html
    assert "The customer&#x27;s goal frames the whole call." in html
    answer = Answer.objects.get()
    assert (answer.enrolment, answer.choices, answer.correct, answer.confidence, answer.channel) == (
        enrolment,
        [1],
        True,
        Confidence.SURE,
        AnswerChannel.MAIL,
    )
    assert MemoryState.objects.get().reviews == 1

    replay = client.post(path, {"choices": "0", "confidence": "guessing"})
    again = client.get(path_of(mail["single"][0]))

    for response in (replay, again):
        assert "You already answered this question" in response.content.decode()
    assert Answer.objects.count() == 1 and MemoryState.objects.get().reviews == 1


def test_a_wrong_answer_shows_the_right_one(client, mail):
    html = client.post(path_of(mail["single"][0]), {"choices": "0", "confidence": ""}).content.decode()

    assert "Not quite right" in html
    assert "The customer&#x27;s goal</span> · <strong>right answer</strong>" in html
    assert "The price</span> · your answer" in html
    assert Answer.objects.get().confidence == ""


def test_multiple_choice_keeps_every_chosen_option_and_answering_all_closes_the_touchpoint(client, mail):
    client.post(path_of(mail["single"][1]), {"choices": "1"})
    assert Touchpoint.objects.get(pk=mail["touchpoint"].pk).state == TouchpointState.SENT  # one of two answered

    page = client.get(path_of(mail["multiple"][2]))
    assert re.search(r'<input type="checkbox" name="choices" value="2"[^>]*checked', page.content.decode())
    client.post(path_of(mail["multiple"][2]), {"choices": ["0", "2"], "confidence": "think_so"})

    answer = Answer.objects.get(question__kind=QuestionKind.MULTIPLE)
    assert (answer.choices, answer.correct) == ([0, 2], True)
    assert Touchpoint.objects.get(pk=mail["touchpoint"].pk).state == TouchpointState.DONE


def test_no_option_chosen_is_refused_with_a_message(client, mail):
    page = client.post(path_of(mail["multiple"][0]), {"confidence": "sure"})

    assert page.status_code == 200 and "Choose an answer." in page.content.decode()
    assert not Answer.objects.exists()


def test_a_numeric_answer_keeps_the_input_on_error(client, smtp_sink, design, enrolment, questions):  # noqa: F811
    Question.objects.exclude(kind=QuestionKind.NUMERIC).delete()
    _touchpoint, text, _html = send_round(design, enrolment, smtp_sink)
    [url] = re.findall(r"Type your answer: (\S+)", text)

    page = client.get(path_of(url))
    assert 'inputmode="decimal"' in page.content.decode()
    wrong = client.post(path_of(url), {"number": "thirty", "confidence": "sure"}).content.decode()
    assert "Enter a number, such as 12 or 3.5." in wrong and 'value="thirty"' in wrong
    assert not Answer.objects.exists()
    right = client.post(path_of(url), {"number": "32,5"}).content.decode()
    assert "Right answer" in right and "The right answer: 30 (± 5)" in right
    assert Answer.objects.get().correct is True


def test_a_token_for_someone_else_cannot_answer_the_question(client, mail, cast):
    item = mail["round"].items.first()
    token = make_token(purpose=LinkPurpose.QUIZ_ANSWER, person=cast["other_participant"], target=f"{item.uuid}:1")

    for response in (client.get(f"/l/{token}/"), client.post(f"/l/{token}/", {"choices": "1"})):
        assert response.status_code == 403
        assert "This question was not sent to you" in response.content.decode()
    assert not Answer.objects.exists()


def test_a_withdrawn_participant_cannot_answer(client, mail, enrolment):
    enrolment.status = EnrolmentStatus.WITHDRAWN
    enrolment.save()

    response = client.post(path_of(mail["single"][1]), {"choices": "1"})

    assert response.status_code == 403 and not Answer.objects.exists()


def test_expired_and_tampered_links_do_nothing(client, mail, enrolment):
    item = mail["round"].items.first()
    old = timezone.now() - datetime.timedelta(days=15)
    token = make_token(purpose=LinkPurpose.QUIZ_ANSWER, person=enrolment.person, target=f"{item.uuid}:1", issued_at=old)

    expired = client.post(f"/l/{token}/", {"choices": "1"})
    signed = token_of(mail["single"][1])
    tampered = client.post(f"/l/{signed[:-4]}{'abcd' if not signed.endswith('abcd') else 'wxyz'}/", {"choices": "1"})

    assert expired.status_code == 410 and "?next=/quizzes/" in expired.content.decode()
    assert tampered.status_code == 400
    assert not Answer.objects.exists()
