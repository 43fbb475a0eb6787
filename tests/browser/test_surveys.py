"""Surveys in the browser: the admin's questionnaire library (a template turned into a
questionnaire), the survey pages and the anonymity settings; a participant answering a confidential
survey; the trainer's results once it closed, in English and Chinese, with a group below the
threshold said to have not enough responses. Every page scanned with axe."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from takeroot.surveys.enums import SurveyState
from takeroot.surveys.models import Instrument, Recipient, Response
from tests.surveys.conftest import add_response, instrument, make_survey, survey  # noqa: F401

from .test_foundation import assert_no_axe_violations, sign_in_as

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("language", ["en", "sv"])
def test_library_and_survey_pages(page, cast, programme, language, screenshot):
    sign_in_as(page, cast["admin"], language)
    page.goto("/surveys/questionnaires/")
    assert_no_axe_violations(page, f"survey-library-{language}")
    page.locator("form[action='/surveys/questionnaires/from-template/'] button[type=submit]").first.click()
    page.wait_for_url("**/surveys/questionnaires/*/")
    instrument = Instrument.objects.get()  # noqa: F811
    assert instrument.questions.count() > 3
    assert_no_axe_violations(page, f"survey-instrument-{language}")
    screenshot(page, f"survey-instrument-{language}")
    page.goto(f"/surveys/questionnaires/{instrument.uuid}/edit/")
    assert_no_axe_violations(page, f"survey-instrument-edit-{language}")
    page.goto(f"/surveys/questionnaires/{instrument.uuid}/questions/new/")
    assert_no_axe_violations(page, f"survey-question-new-{language}")
    page.goto(f"/surveys/questions/{instrument.questions.first().uuid}/edit/")
    assert_no_axe_violations(page, f"survey-question-edit-{language}")
    page.goto("/surveys/new/")
    assert_no_axe_violations(page, f"survey-new-{language}")
    page.goto("/surveys/")
    assert_no_axe_violations(page, f"survey-list-{language}")
    page.goto("/surveys/settings/")
    assert_no_axe_violations(page, f"survey-settings-{language}")


def test_participant_answers_a_confidential_survey(page, cast, survey, smtp_sink, screenshot):  # noqa: F811
    survey.closes_at = timezone.now() + datetime.timedelta(days=7)
    survey.save(update_fields=["closes_at"])
    sign_in_as(page, cast["participant"])
    page.goto("/surveys/mine/")
    assert_no_axe_violations(page, "survey-mine")
    page.locator(f"a[href='/surveys/{survey.uuid}/respond/']").first.click()
    page.wait_for_url(f"**/surveys/{survey.uuid}/respond/")
    assert_no_axe_violations(page, "survey-respond")
    blocks = page.locator("form.stacked-form .field")
    blocks.nth(0).locator("input").nth(3).check()
    blocks.nth(1).locator("input").nth(9).check()
    blocks.nth(2).get_by_label("Right").check()
    blocks.nth(5).locator("textarea").fill("More role plays, please.")
    page.get_by_role("button", name="Send my answers").click()
    page.wait_for_url(f"**/surveys/{survey.uuid}/respond/thanks/")
    assert_no_axe_violations(page, "survey-thanks")
    screenshot(page, "survey-thanks")
    response = Response.objects.get(survey=survey)
    assert response.person is None
    assert Recipient.objects.get(survey=survey, person=cast["participant"]).has_answered
    page.goto(f"/surveys/{survey.uuid}/respond/")
    expect(page.locator("form.stacked-form")).to_have_count(0)


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_results_after_closing(page, cast, instrument, cohort, language, screenshot):  # noqa: F811
    closed = make_survey(instrument, cohort=cohort, state=SurveyState.CLOSED, created_by=cast["trainer"].user)
    for index in range(6):
        add_response(
            closed,
            {0: 3 + index % 3, 1: 6 + index % 5, 2: index % 3, 3: [0, 2], 4: [4, 5], 5: f"Comment {index}"},
        )
    few = make_survey(
        instrument, cohort=cohort, state=SurveyState.CLOSED, title="Too few", created_by=cast["trainer"].user
    )
    add_response(few, {0: 4})
    sign_in_as(page, cast["trainer"], language)
    page.goto(f"/surveys/{closed.uuid}/")
    assert_no_axe_violations(page, f"survey-detail-{language}")
    page.goto(f"/surveys/{closed.uuid}/results/")
    assert page.locator("svg[role=img]").count() >= 3
    assert_no_axe_violations(page, f"survey-results-{language}")
    screenshot(page, f"survey-results-{language}")
    page.goto(f"/surveys/{few.uuid}/results/")
    if language == "en":
        expect(page.get_by_text("Not enough responses.").first).to_be_visible()
    assert_no_axe_violations(page, f"survey-results-few-{language}")
    page.goto(f"/surveys/programmes/{cohort.programme.uuid}/results/")
    assert_no_axe_violations(page, f"survey-programme-results-{language}")
