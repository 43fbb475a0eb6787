"""The survey form in the browser: what it says and how every kind is laid out, sending once,
errors that keep what was typed, anonymous ballots kept across reloads and explained when lost,
the one-click mail link, "My surveys", the home panel, and who may open what."""

import datetime
import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from takeroot.followup.enums import LinkPurpose
from takeroot.followup.links import make_token
from takeroot.surveys.enums import Anonymity, InstrumentKind, RaterGroup, SurveyState
from takeroot.surveys.models import Ballot, Recipient, Response, SurveyAnswer, SurveyQuestion

from .conftest import make_survey

WEEK = datetime.timedelta(days=7)


@pytest.fixture
def make(instrument, cohort, cast):
    instrument.content["en"]["introduction"] = "Five minutes, and it shapes the next run."
    instrument.save()

    def build(anonymity=Anonymity.CONFIDENTIAL, **fields):
        fields.setdefault("closes_at", timezone.now() + WEEK)
        survey = make_survey(instrument, cohort=cohort, anonymity=anonymity, **fields)
        for person in (cast["participant"], cast["other_participant"]):
            Recipient.objects.create(workspace=survey.workspace, survey=survey, person=person)
        return survey

    return build


def url(survey) -> str:
    return reverse("surveys:respond", args=[survey.uuid])


def ids(survey) -> dict[int, str]:
    return {q.position: str(q.uuid) for q in survey.instrument.questions.all()}


def filled(survey, **extra) -> dict:
    q = ids(survey)
    data = {f"q-{q[0]}": "4", f"q-{q[1]}": "9", f"q-{q[2]}": "1", f"q-{q[3]}": ["0", "2"]}
    data |= {f"q-{q[4]}-0": "5", f"q-{q[4]}-1": "3", f"q-{q[5]}": "More practice."}
    return data | extra


def link_path(person, survey) -> str:
    token = make_token(purpose=LinkPurpose.SURVEY, person=person, target=str(survey.uuid))
    return reverse("followup:link", args=[token])


def ballot_of(html: str) -> str:
    found = re.search(r'<input type="hidden" name="ballot" value="([^"]+)"', html)
    return found.group(1) if found else ""


def test_the_form_says_what_it_is_and_lays_out_every_kind(client_for, cast, make):
    survey = make()

    page = client_for(cast["participant"]).get(url(survey))

    html = page.content.decode()
    assert page.status_code == 200
    assert "<h1>After the training</h1>" in html
    assert "Five minutes, and it shapes the next run." in html
    assert "Your answers are kept without your name" in html
    # A 5-point agreement scale: radios in a fieldset with the prompt as legend.
    q = ids(survey)
    assert re.search(r"<legend><span lang=\"en\">The training was useful for my work.</span>", html)
    assert f'<label for="q-{q[0]}-5">Strongly agree</label>' in html
    # 0–10: eleven radios with labels at the ends.
    assert f'<label for="q-{q[1]}-0">0 · Not at all</label>' in html
    assert f'<label for="q-{q[1]}-10">10 · Completely</label>' in html
    assert html.count(f'name="q-{q[1]}"') == 11
    # Choices, multiple choices, free text.
    assert f'<input type="radio" id="q-{q[2]}-2" name="q-{q[2]}" value="2">' in html
    assert f'<input type="checkbox" id="q-{q[3]}-1" name="q-{q[3]}" value="1">' in html
    assert f'<textarea id="q-{q[5]}" name="q-{q[5]}" rows="5" maxlength="4000"' in html
    # A matrix: a table with a row header per statement and a radio group per row.
    assert f'<th scope="row" id="q-{q[4]}-0-label" lang="en">explained clearly</th>' in html
    assert '<th scope="col">Strongly disagree</th>' in html
    assert html.count(f'name="q-{q[4]}-1"') == 5


@pytest.mark.parametrize(
    ("anonymity", "sentence"),
    [
        (Anonymity.NAMED, "Your name is kept with your answers"),
        (Anonymity.ANONYMOUS, "Nothing links you to your answers"),
    ],
)
def test_the_form_explains_the_anonymity(client_for, cast, make, anonymity, sentence):
    assert sentence in client_for(cast["participant"]).get(url(make(anonymity))).content.decode()


def test_sending_stores_once_and_thanks(client_for, cast, make):
    survey = make()
    client = client_for(cast["participant"])

    sent = client.post(url(survey), filled(survey))

    assert sent.status_code == 302 and sent.url == reverse("surveys:thanks", args=[survey.uuid])
    assert "Thank you" in client.get(sent.url).content.decode()
    response = Response.objects.get()
    assert (response.person, SurveyAnswer.objects.filter(response=response).count()) == (None, 7)
    assert Recipient.objects.get(survey=survey, person=cast["participant"]).has_answered is True

    again = client.post(url(survey), filled(survey))
    assert "You have answered this survey already." in again.content.decode()
    assert "You have answered this survey already." in client.get(url(survey)).content.decode()
    assert Response.objects.count() == 1


def test_errors_keep_everything_typed(client_for, cast, make, instrument):
    SurveyQuestion.objects.filter(instrument=instrument, position=2).update(required=True)
    survey = make()
    q = ids(survey)
    client = client_for(cast["participant"])

    page = client.post(url(survey), filled(survey, **{f"q-{q[0]}": "9", f"q-{q[2]}": ""}))

    html = page.content.decode()
    assert page.status_code == 200
    assert "Some answers need another look. Everything you entered is kept." in html
    assert f'<p class="error" id="q-{q[0]}-error">Choose a point from 1 to 5.</p>' in html
    assert f'<p class="error" id="q-{q[2]}-error">This question needs an answer.</p>' in html
    assert f'<a href="#q-{q[2]}-block">Question 3</a>' in html
    assert ">More practice.</textarea>" in html
    assert f'id="q-{q[1]}-9" name="q-{q[1]}" value="9" checked' in html
    assert f'id="q-{q[3]}-2" name="q-{q[3]}" value="2" checked' in html
    assert f'id="q-{q[4]}-1-3" name="q-{q[4]}-1" value="3" checked' in html
    assert Response.objects.count() == 0


def test_anonymous_ballot_survives_a_reload_and_is_used_once(client_for, cast, make):
    survey = make(Anonymity.ANONYMOUS)
    client = client_for(cast["participant"])

    first = client.get(url(survey)).content.decode()
    again = client.get(url(survey)).content.decode()

    assert ballot_of(first) and ballot_of(first) == ballot_of(again)
    assert Ballot.objects.count() == 1
    assert Recipient.objects.get(survey=survey, person=cast["participant"]).ballot_issued is True
    # Coming back later in the same browser: the cookie carries it even without the hidden field.
    sent = client.post(url(survey), filled(survey))
    assert sent.status_code == 302
    assert Ballot.objects.get().used is True and Response.objects.get().person is None
    assert "Your answers are in" in client.get(url(survey)).content.decode()


def test_anonymous_errors_keep_the_ballot(client_for, cast, make):
    survey = make(Anonymity.ANONYMOUS)
    client = client_for(cast["participant"])
    ballot = ballot_of(client.get(url(survey)).content.decode())

    page = client.post(url(survey), filled(survey, ballot=ballot, **{f"q-{ids(survey)[1]}": "12"}))

    assert ballot_of(page.content.decode()) == ballot
    assert client.post(url(survey), filled(survey, ballot=ballot)).status_code == 302
    assert Response.objects.count() == 1


def test_a_lost_ballot_is_explained_and_not_replaced(client_for, cast, make, participant):
    survey = make(Anonymity.ANONYMOUS)
    client_for(participant).get(url(survey))
    elsewhere = Client()
    elsewhere.force_login(participant.user)

    page = elsewhere.get(url(survey))
    sent = elsewhere.post(url(survey), filled(survey))

    for answer in (page, sent):
        assert answer.status_code == 409
        assert "Your ballot is in another browser" in answer.content.decode()
    assert Ballot.objects.count() == 1 and Response.objects.count() == 0


def test_someone_elses_ballot_cookie_does_not_work(client, cast, make):
    survey = make(Anonymity.ANONYMOUS)
    client.force_login(cast["participant"].user)
    client.get(url(survey))
    # Another person signs in on the same browser: the cookie is not theirs.
    client.force_login(cast["other_participant"].user)

    page = client.get(url(survey))

    assert Ballot.objects.count() == 2
    assert Recipient.objects.get(survey=survey, person=cast["other_participant"]).ballot_issued is True
    assert ballot_of(page.content.decode())


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"state": SurveyState.CLOSED}, "This survey is closed: it no longer takes answers."),
        ({"closes_at": datetime.datetime(2020, 1, 1, tzinfo=datetime.UTC)}, "This survey is closed"),
        ({"state": SurveyState.DRAFT}, "This survey has not been opened yet."),
    ],
)
def test_closed_surveys_say_so(client_for, cast, make, fields, message):
    survey = make(**fields)

    page = client_for(cast["participant"]).post(url(survey), filled(survey))

    assert message in page.content.decode()
    assert Response.objects.count() == 0


def test_a_survey_about_someone_says_who_and_in_which_role(client_for, cast, make, instrument):
    instrument.kind = InstrumentKind.FEEDBACK_360
    instrument.save()
    survey = make(subject=cast["manager"])
    Recipient.objects.filter(survey=survey, person=cast["participant"]).update(rater_group=RaterGroup.REPORT)

    html = client_for(cast["participant"]).get(url(survey)).content.decode()

    assert "This survey is about Magnus Manager." in html
    assert "You answer as one of the people who report to them." in html


# Who may -----------------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["admin", "trainer", "manager", "mentor"])
@pytest.mark.parametrize("name", ["surveys:respond", "surveys:thanks"])
def test_only_recipients_may_open_the_form(client_for, cast, make, role, name):
    survey = make()
    client = client_for(cast[role])

    assert client.get(reverse(name, args=[survey.uuid])).status_code == 403
    assert client.post(reverse("surveys:respond", args=[survey.uuid]), filled(survey)).status_code == 403
    assert Response.objects.count() == 0


@pytest.mark.parametrize("name", ["surveys:respond", "surveys:thanks"])
def test_another_workspace_sees_nothing(client_for, cast, make, name):
    survey = make()
    client = client_for(cast["outsider"])

    assert client.get(reverse(name, args=[survey.uuid])).status_code == 404
    assert client.post(reverse("surveys:respond", args=[survey.uuid]), filled(survey)).status_code == 404


def test_signing_in_is_needed(client, make):
    survey = make()

    assert client.get(url(survey)).status_code == 302
    assert client.get(reverse("surveys:mine")).status_code == 302


# The mail link -----------------------------------------------------------------------------------


def test_the_mail_link_opens_the_form_and_answers(client, cast, make):
    survey = make(Anonymity.NAMED)
    path = link_path(cast["participant"], survey)

    page = client.get(path)
    assert page.status_code == 200 and "<h1>After the training</h1>" in page.content.decode()
    assert "This link does not sign you in." in page.content.decode()

    done = client.post(path, filled(survey))

    assert done.status_code == 200 and "Thank you" in done.content.decode()
    assert Response.objects.get().person == cast["participant"]
    assert "You have answered this survey already." in client.get(path).content.decode()


def test_the_mail_link_gives_the_ballot_only_when_answers_are_sent(client, cast, make):
    survey = make(Anonymity.ANONYMOUS)
    path = link_path(cast["participant"], survey)

    page = client.get(path)  # a mail scanner, say
    assert page.status_code == 200 and not ballot_of(page.content.decode())
    assert Ballot.objects.count() == 0

    wrong = client.post(path, filled(survey, **{f"q-{ids(survey)[0]}": "8"}))
    ballot = ballot_of(wrong.content.decode())
    assert ballot and Ballot.objects.get().used is False

    done = client.post(path, filled(survey, ballot=ballot))
    assert "Thank you" in done.content.decode()
    assert Ballot.objects.get().used is True and Response.objects.get().person is None


def test_a_mail_link_for_a_survey_not_sent_to_the_person_is_refused(client, cast, make):
    survey = make()

    page = client.get(link_path(cast["manager"], survey))

    assert page.status_code == 403
    assert "This survey was not sent to you" in page.content.decode()


# My surveys and the home panel --------------------------------------------------------------------


def test_my_surveys_lists_what_waits_and_what_was_answered(client_for, cast, make):
    waiting = make(title="Pulse week 2")
    answered = make(Anonymity.NAMED, title="Reaction")
    opened = make(Anonymity.ANONYMOUS, title="Trainer feedback")
    make(title="Old survey", state=SurveyState.CLOSED)
    client = client_for(cast["participant"])
    client.post(url(answered), filled(answered))
    client.get(url(opened))

    html = client.get(reverse("surveys:mine")).content.decode()

    assert f'<a href="{url(waiting)}">Pulse week 2</a>' in html
    # The anonymous survey's ballot is in this browser, unused: it still waits.
    assert f'<a href="{url(opened)}">Trainer feedback</a>' in html
    assert "Reaction\n  · you answered" in html
    assert "Closed without your answer" in html and "Old survey" in html

    elsewhere = Client()
    elsewhere.force_login(cast["participant"].user)
    assert "Trainer feedback\n  · you opened it" in elsewhere.get(reverse("surveys:mine")).content.decode()


def test_the_home_panel_appears_when_a_survey_waits(client_for, cast, make):
    client = client_for(cast["participant"])
    assert "survey waits for your answer" not in client.get(reverse("core:home")).content.decode()

    survey = make()

    html = client.get(reverse("core:home")).content.decode()
    assert "1 survey waits for your answer" in html and url(survey) in html


def test_my_surveys_query_count_does_not_grow(client_for, cast, make, django_assert_max_num_queries):
    client = client_for(cast["participant"])
    make(subject=cast["manager"])
    with CaptureQueriesContext(connection) as one:
        client.get(reverse("surveys:mine"))
    make(subject=cast["manager"]), make(Anonymity.NAMED)

    with django_assert_max_num_queries(len(one.captured_queries)):
        assert client.get(reverse("surveys:mine")).content.decode().count("about Magnus Manager") == 2
