"""The demo surveys: finished surveys above and below the threshold, a behaviour follow-up and a
360° about the demo manager, answered through the responding service and closed; and one still
open that waits for the demo participant's answer."""

import datetime
import random

import pytest

from takeroot.core.demo import LOGIN_EMAILS
from takeroot.surveys.demo import build_surveys_demo
from takeroot.surveys.enums import SurveyState
from takeroot.surveys.models import Response, Survey
from takeroot.surveys.results import ResultStatus, survey_results
from tests.demo_support import demo_below, in_each_workspace

TODAY = datetime.date(2026, 11, 26)


@pytest.fixture(scope="module")
def built(django_db_setup, django_db_blocker):
    with demo_below(django_db_blocker, apps=["programmes", "catalogue"]):
        yield in_each_workspace(lambda ws: build_surveys_demo(ws, rng=random.Random(1), today=TODAY))


@pytest.fixture
def demo(built, db):
    return built


def by_title(title):
    return Survey.objects.select_related("instrument", "subject__user").get(title__startswith=title)


def test_four_closed_surveys_and_one_open_only_in_nordwind(demo):
    assert demo["fjallbacka"] == {"surveys": 0, "survey responses": 0}
    assert demo["nordwind"]["surveys"] == Survey.objects.count() == 5
    assert list(Survey.objects.filter(state=SurveyState.OPEN).values_list("title", flat=True)) == [
        "Pulse before the closing session"
    ]
    assert demo["nordwind"]["survey responses"] == Response.objects.count()
    # Confidential and anonymous answers name nobody.
    assert not Response.objects.filter(person__isnull=False, survey__anonymity__in=["confidential", "anonymous"])


def test_the_reaction_survey_shows_everything_with_comments(demo):
    results = survey_results(by_title("After the workshop"))

    assert (results.status, results.n) == (ResultStatus.SHOWN, 11)
    comments = [q for q in results.questions if q.kind == "text" and q.shown]
    assert comments and all(q.comments == sorted(q.comments, key=lambda t: (t.casefold(), t)) for q in comments)
    assert any(q.net_score is not None for q in results.questions)


def test_the_pulse_has_too_few_answers(demo):
    results = survey_results(by_title("Halfway pulse"))

    assert (results.status, results.n) == (ResultStatus.NOT_ENOUGH, None)
    assert {q.status for q in results.questions} <= {ResultStatus.NOT_ENOUGH, ResultStatus.NO_DATA}


def test_the_behaviour_follow_up_and_the_360(demo):
    behaviour = survey_results(by_title("75 days later"), breakdown="rater_group")
    assert behaviour.status == ResultStatus.SHOWN
    feedback = by_title("360°")
    assert feedback.subject.user.email == LOGIN_EMAILS["manager"]
    report = survey_results(feedback, viewer_is_subject=True, breakdown="rater_group")
    assert report.status == ResultStatus.SHOWN and report.own
    groups = {group.key: group.status for group in report.breakdown.groups}
    assert groups["manager"] == ResultStatus.NOT_ENOUGH


def test_the_open_survey_waits_for_the_demo_participant(demo):
    from takeroot.core.models import Person
    from takeroot.surveys.responding import pending_for

    participant = Person.objects.get(user__email=LOGIN_EMAILS["participant"])
    now = datetime.datetime.combine(TODAY, datetime.time(12, 0), tzinfo=datetime.UTC)
    waiting = [mine.survey.title for mine in pending_for(participant, now)]
    assert waiting == ["Pulse before the closing session"]
    assert by_title("Pulse before the closing session").responses.count() == 4


def test_the_demo_surveys_mail_nobody(demo):
    from takeroot.core.models import OutgoingMail

    assert not OutgoingMail.objects.filter(template__startswith="survey").exists()
