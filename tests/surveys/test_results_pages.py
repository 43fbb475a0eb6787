"""The results pages: who may open them (role × page, other workspaces), what they show under
the thresholds, the 360° report for its subject, and the programme's trend."""

import datetime

import pytest
from django.urls import reverse

from takeroot.surveys.enums import RaterGroup, SurveyState

from .conftest import add_response, make_survey
from .test_results import ANSWERS, answer_all, second_cohort

PAGES = ["survey_results", "survey_results_xlsx", "survey_results_pdf"]
ALLOWED = {"admin", "trainer"}  # the admin, and the trainer of the survey's cohort


@pytest.fixture
def closed(instrument, cohort, cast):
    survey = make_survey(instrument, cohort=cohort, state=SurveyState.CLOSED, created_by=cast["admin"].user)
    answer_all(survey, ANSWERS + ANSWERS[:3])
    return survey


@pytest.mark.parametrize(
    "who", ["admin", "trainer", "mentor", "manager", "participant", "other_participant", "outsider"]
)
@pytest.mark.parametrize("page", PAGES)
def test_role_page_matrix(closed, cast, client_for, who, page):
    response = client_for(cast[who]).get(reverse(f"surveys:{page}", args=[closed.uuid]))

    expected = 404 if who == "outsider" else 200 if who in ALLOWED else 403
    assert response.status_code == expected


@pytest.mark.parametrize("who", ["admin", "trainer", "mentor", "manager", "participant", "outsider"])
def test_programme_page_matrix(closed, cast, client_for, who):
    response = client_for(cast[who]).get(reverse("surveys:programme_results", args=[closed.programme.uuid]))

    expected = 404 if who == "outsider" else 200 if who in ALLOWED else 403
    assert response.status_code == expected


def test_the_page_shows_figures_chart_and_table(closed, cast, client_for):
    page = client_for(cast["trainer"]).get(reverse("surveys:survey_results", args=[closed.uuid])).content.decode()

    assert "The training was useful for my work." in page
    assert "<svg" in page and 'role="img"' in page
    assert "95 % confidence interval" in page
    assert "More role play" in page  # eight comments: the comment threshold is met
    assert "Not enough responses." not in page


def test_below_the_threshold_the_page_says_so_without_figures(instrument, cohort, cast, client_for):
    survey = make_survey(instrument, cohort=cohort, state=SurveyState.CLOSED)
    answer_all(survey, ANSWERS[:3])
    page = client_for(cast["admin"]).get(reverse("surveys:survey_results", args=[survey.uuid])).content.decode()

    assert "Not enough responses." in page
    assert "More role play" not in page and "<svg" not in page


def test_no_data_reads_differently(instrument, cohort, cast, client_for):
    survey = make_survey(instrument, cohort=cohort, state=SurveyState.CLOSED)
    page = client_for(cast["admin"]).get(reverse("surveys:survey_results", args=[survey.uuid])).content.decode()

    assert "No data." in page and "Not enough responses." not in page


def test_an_open_survey_shows_no_results_yet(survey, cast, client_for):
    answer_all(survey, ANSWERS * 2)
    page = client_for(cast["trainer"]).get(reverse("surveys:survey_results", args=[survey.uuid])).content.decode()

    assert "The survey is still open." in page and "More role play" not in page


def test_a_bad_breakdown_is_reported_and_the_results_still_shown(closed, cast, client_for):
    url = reverse("surveys:survey_results", args=[closed.uuid])
    page = client_for(cast["admin"]).get(url, {"breakdown": "shoe size", "team": "nope"}).content.decode()

    assert "Choose a breakdown by team or by rater group." in page
    assert "Choose one of the workspace&#x27;s teams." in page
    assert "More role play" in page


def test_the_subject_sees_their_360_report_with_their_own_answers(instrument, cast, client_for):
    survey = make_survey(instrument, subject=cast["participant"], state=SurveyState.CLOSED, title="360° for Pia")
    add_response(survey, {0: 1, 5: "I rush my answers"}, rater_group=RaterGroup.SELF)
    for value in (4, 4, 5, 3, 4):
        add_response(survey, {0: value}, rater_group=RaterGroup.PEER)
    url = reverse("surveys:survey_results", args=[survey.uuid])

    mine = client_for(cast["participant"]).get(url).content.decode()
    assert "Your own answers" in mine and "I rush my answers" in mine
    for_admin = client_for(cast["admin"]).get(url).content.decode()
    assert "Your own answers" not in for_admin and "I rush my answers" not in for_admin
    assert client_for(cast["other_participant"]).get(url).status_code == 403


def test_the_programme_page_compares_cohorts_with_the_average(instrument, cohort, closed, cast, client_for):
    later = second_cohort(cohort, "Gdańsk autumn", datetime.date(2026, 10, 1))
    answer_all(make_survey(instrument, cohort=later, state=SurveyState.CLOSED), [{0: 2}] * 5)
    page = client_for(cast["admin"]).get(reverse("surveys:programme_results", args=[cohort.programme.uuid]))
    text = page.content.decode()

    assert "Gdańsk autumn" in text and "Kraków spring" in text
    assert "Difference from the programme average" in text
    assert "<svg" in text


def test_the_programme_page_refuses_an_instrument_of_another_programme(closed, cast, client_for):
    url = reverse("surveys:programme_results", args=[closed.programme.uuid])
    response = client_for(cast["admin"]).get(url, {"instrument": "00000000-0000-0000-0000-000000000000"})
    assert response.status_code == 404


@pytest.fixture
def by_team(instrument, cohort, cast, workspace, team):
    from tests.factories import TeamFactory

    survey = make_survey(instrument, cohort=cohort, state=SurveyState.CLOSED, created_by=cast["admin"].user)
    support = TeamFactory(workspace=workspace, name="Support")
    answer_all(survey, ANSWERS + ANSWERS[:1], team=team)
    answer_all(survey, ANSWERS[:2], team=support)
    return survey, support


def test_the_page_shows_a_breakdown_with_held_back_groups(by_team, cast, client_for):
    survey, _support = by_team
    url = reverse("surveys:survey_results", args=[survey.uuid])
    page = client_for(cast["admin"]).get(url, {"breakdown": "team"}).content.decode()

    # Sales (6) alone would make "all minus Sales" the two of Support: nothing can be shown.
    assert "Breakdown by team" in page and "Refused." in page
    assert page.count("not enough responses") >= 2


def test_the_page_refuses_a_filter_with_a_small_complement(by_team, cast, client_for, team):
    survey, support = by_team
    url = reverse("surveys:survey_results", args=[survey.uuid])
    client = client_for(cast["admin"])

    for chosen in (team, support):
        page = client.get(url, {"team": str(chosen.uuid)}).content.decode()
        assert "This filter is not shown" in page
        assert "More role play" not in page and "<svg" not in page


def test_the_programme_page_without_closed_surveys(survey, cast, client_for):
    page = client_for(cast["admin"]).get(reverse("surveys:programme_results", args=[survey.programme.uuid]))
    assert "No data: no survey of this programme has closed yet." in page.content.decode()


@pytest.mark.parametrize("url", ["surveys:survey_results", "api"])
def test_queries_do_not_grow_with_responses(instrument, cohort, cast, client_for, url):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    survey = make_survey(instrument, cohort=cohort, state=SurveyState.CLOSED)
    client = client_for(cast["admin"])
    address = f"/api/v1/surveys/{survey.uuid}/results" if url == "api" else reverse(url, args=[survey.uuid])
    counts = []
    for _round in range(2):
        answer_all(survey, ANSWERS + ANSWERS[:3])
        with CaptureQueriesContext(connection) as queries:
            assert client.get(address, {"breakdown": "team"}).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]
