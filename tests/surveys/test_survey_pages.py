"""The survey pages of admins and trainers: the list, creating a survey (bad input keeps what was
typed), a survey's page (who answered only for named surveys), opening, reminding, closing, a new
closing date and more people; the wrong role gets 403, another workspace 404."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from takeroot.core.models import OutgoingMail
from takeroot.surveys.enums import Anonymity, RaterGroup, SurveyState
from takeroot.surveys.models import Recipient, Survey

from .conftest import DAY, add_response, make_survey

LATER = (timezone.now() + 10 * DAY).replace(microsecond=0)


@pytest.fixture
def future_survey(survey):
    """The conftest's open survey, closing ten days from the real now (pages use the real clock)."""
    survey.closes_at = LATER
    survey.save()
    return survey


def url(name, survey=None):
    return reverse(f"surveys:{name}", args=[survey.uuid] if survey else [])


SURVEY_PAGES = [
    ("get", "survey_detail"),
    ("post", "survey_open"),
    ("post", "survey_remind"),
    ("post", "survey_close"),
    ("post", "survey_extend"),
    ("post", "survey_add_recipients"),
]


@pytest.mark.parametrize("role", ["participant", "manager", "mentor"])
def test_people_who_do_not_send_surveys_get_403(future_survey, cast, client_for, role):
    client = client_for(cast[role])
    assert client.get(url("survey_list")).status_code == 403
    assert client.get(url("survey_create")).status_code == 403
    for method, name in SURVEY_PAGES:
        assert getattr(client, method)(url(name, future_survey)).status_code == 403, name


def test_a_trainer_not_running_the_survey_gets_403(instrument, cast, client_for):
    other = make_survey(instrument, created_by=cast["admin"].user)
    client = client_for(cast["trainer"])
    for method, name in SURVEY_PAGES:
        assert getattr(client, method)(url(name, other)).status_code == 403, name
    assert other.title not in client.get(url("survey_list")).content.decode()


def test_another_workspace_gets_404(future_survey, cast, client_for):
    client = client_for(cast["outsider"])
    for method, name in SURVEY_PAGES:
        assert getattr(client, method)(url(name, future_survey)).status_code == 404, name
    assert future_survey.title not in client.get(url("survey_list")).content.decode()


def test_the_list_shows_state_answers_and_closing(future_survey, cast, client_for):
    add_response(future_survey, {0: 4}, person=cast["participant"])
    page = client_for(cast["trainer"]).get(url("survey_list")).content.decode()
    assert "After the training" in page and "Open" in page and "1 / 2" in page


def test_the_list_does_not_query_per_survey(instrument, cohort, cast, client_for):
    client = client_for(cast["admin"])
    make_survey(instrument, cohort=cohort)
    client.get(url("survey_list"))
    with CaptureQueriesContext(connection) as one:
        client.get(url("survey_list"))
    make_survey(instrument, cohort=cohort, title="Second")
    make_survey(instrument, title="Third")
    with CaptureQueriesContext(connection) as three:
        client.get(url("survey_list"))
    assert len(three) == len(one)


def test_creating_a_cohort_survey_saves_a_draft(instrument, cohort, cast, client_for):
    client = client_for(cast["trainer"])
    assert "How was the training?" in client.get(url("survey_create")).content.decode()
    response = client.post(
        url("survey_create"),
        {
            "instrument": str(instrument.uuid),
            "title": "",
            "audience": "cohort",
            "cohort": str(cohort.uuid),
            "anonymity": "confidential",
            "closes_at": LATER.strftime("%Y-%m-%dT%H:%M"),
            "remind_every_days": "4",
        },
    )
    survey = Survey.objects.get()
    assert response.status_code == 302 and response["Location"] == url("survey_detail", survey)
    assert (survey.title, survey.state, survey.remind_every_days) == ("How was the training?", "draft", 4)
    assert Recipient.objects.filter(survey=survey).count() == 2


def test_a_360_survey_from_the_page_asks_the_raters(instrument, cast, client_for):
    response = client_for(cast["admin"]).post(
        url("survey_create"),
        {
            "instrument": str(instrument.uuid),
            "title": "Feedback for Pia",
            "audience": "subject",
            "subject": str(cast["participant"].uuid),
            "include_self": "on",
            "include_manager": "on",
            "peers": [str(cast["other_participant"].uuid)],
            "anonymity": "anonymous",
            "closes_at": LATER.strftime("%Y-%m-%dT%H:%M"),
        },
    )
    assert response.status_code == 302
    survey = Survey.objects.get()
    assert (survey.subject, survey.anonymity, survey.remind_every_days) == (cast["participant"], "anonymous", None)
    assert sorted(Recipient.objects.values_list("person__user__name", "rater_group")) == [
        ("Magnus Manager", RaterGroup.MANAGER),
        ("Olek Other", RaterGroup.PEER),
        ("Pia Participant", RaterGroup.SELF),
    ]


def test_bad_input_keeps_what_was_typed(instrument, cohort, cast, client_for):
    response = client_for(cast["admin"]).post(
        url("survey_create"),
        {
            "instrument": str(instrument.uuid),
            "title": "Kept title",
            "audience": "cohort",
            "anonymity": "confidential",
            "closes_at": "2020-01-01T10:00",
        },
    )
    page = response.content.decode()
    assert response.status_code == 400
    assert "Choose the cohort whose participants are asked." in page
    assert 'value="Kept title"' in page
    response = client_for(cast["admin"]).post(
        url("survey_create"),
        {
            "instrument": str(instrument.uuid),
            "title": "Kept title",
            "audience": "cohort",
            "cohort": str(cohort.uuid),
            "anonymity": "confidential",
            "closes_at": "2020-01-01T10:00",
        },
    )
    assert "Choose a closing date in the future." in response.content.decode()
    assert not Survey.objects.exists()


def test_a_confidential_survey_never_shows_who_answered(future_survey, cast, client_for):
    add_response(future_survey, {0: 4}, person=cast["participant"])
    page = client_for(cast["trainer"]).get(url("survey_detail", future_survey)).content.decode()
    assert "1 of 2 asked" in page
    assert "Pia Participant" in page  # asked…
    assert '<th scope="col">Answered</th>' not in page  # …but not whether she answered
    assert reverse("surveys:survey_results", args=[future_survey.uuid]) in page


def test_a_named_survey_shows_who_answered(instrument, cohort, cast, client_for):
    survey = make_survey(instrument, cohort=cohort, anonymity=Anonymity.NAMED, closes_at=LATER)
    for person in (cast["participant"], cast["other_participant"]):
        Recipient.objects.create(workspace=survey.workspace, survey=survey, person=person)
    add_response(survey, {0: 4}, person=cast["participant"])
    page = client_for(cast["admin"]).get(url("survey_detail", survey)).content.decode()
    assert '<th scope="col">Answered</th>' in page
    assert page.count("<td>Yes</td>") >= 1


def test_open_remind_close_and_reopen_from_the_page(instrument, cohort, cast, client_for):
    client = client_for(cast["admin"])
    survey = make_survey(instrument, cohort=cohort, state=SurveyState.DRAFT, closes_at=LATER)
    Recipient.objects.create(workspace=survey.workspace, survey=survey, person=cast["participant"])
    assert client.post(url("survey_open", survey)).status_code == 302
    assert OutgoingMail.objects.filter(template="survey_invitation").count() == 1
    response = client.post(url("survey_remind", survey), follow=True)
    assert "Nobody to remind now" in response.content.decode()  # invited just now
    Recipient.objects.update(invited_at=timezone.now() - 4 * DAY)
    client.post(url("survey_remind", survey))
    assert OutgoingMail.objects.filter(template="survey_reminder").count() == 1
    assert client.post(url("survey_close", survey)).status_code == 302
    survey.refresh_from_db()
    assert survey.state == SurveyState.CLOSED
    bad = client.post(url("survey_extend", survey), {"date-closes_at": "2020-01-01T10:00"})
    assert bad.status_code == 400 and "Choose a closing date in the future." in bad.content.decode()
    later = (LATER + 5 * DAY).strftime("%Y-%m-%dT%H:%M")
    assert client.post(url("survey_extend", survey), {"date-closes_at": later}).status_code == 302
    survey.refresh_from_db()
    assert survey.state == SurveyState.OPEN


def test_adding_people_to_an_open_survey_invites_them(future_survey, cast, client_for):
    response = client_for(cast["trainer"]).post(
        url("survey_add_recipients", future_survey),
        {"add-people": [str(cast["manager"].uuid)], "add-rater_group": "manager"},
    )
    assert response.status_code == 302
    assert Recipient.objects.get(survey=future_survey, person=cast["manager"]).rater_group == RaterGroup.MANAGER
    assert list(OutgoingMail.objects.values_list("to_email", flat=True)) == ["manager@acme.test"]
