"""XLSX and PDF copies of a survey's results: the same figures as the page, and "not enough
responses" or "no data" written out where the page holds results back."""

import io
import logging

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from takeroot.surveys.enums import SurveyState
from takeroot.surveys.exports import results_pdf_html
from takeroot.surveys.results import survey_results

from .conftest import make_survey
from .test_results import ANSWERS, answer_all


@pytest.fixture
def closed(instrument, cohort, cast):
    return make_survey(instrument, cohort=cohort, state=SurveyState.CLOSED, created_by=cast["trainer"].user)


def sheets(response) -> dict[str, list[tuple]]:
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    workbook = load_workbook(io.BytesIO(response.content))
    return {sheet.title: list(sheet.iter_rows(values_only=True)) for sheet in workbook.worksheets}


def test_the_spreadsheet_has_the_page_figures(closed, cast, client_for):
    answer_all(closed, ANSWERS + ANSWERS[:3])
    response = client_for(cast["trainer"]).get(reverse("surveys:survey_results_xlsx", args=[closed.uuid]))
    book = sheets(response)

    assert response["Content-Disposition"] == f'attachment; filename="survey-results-{closed.uuid}.xlsx"'
    summary = {row[0]: row[1:] for row in book["Summary"][1:]}
    useful = summary["The training was useful for my work."]
    assert useful[:3] == ("shown", 8, 4.125)
    assert summary["Would you recommend it to a colleague?"][5] == 25  # net score: 4 promoters, 2 detractors of 8
    assert ("The pace was", "Right", "shown", 5, 0.625) in book["Distribution"]
    comments = [row[1] for row in book["Comments"][1:]]
    assert comments == sorted(comments, key=lambda t: (t.casefold(), t)) and len(comments) == 8


def test_the_spreadsheet_writes_out_not_enough_and_no_data(closed, cast, client_for):
    answer_all(closed, [{0: 4, 1: 9, 5: "Only mine"}] * 3 + [{0: 4}] * 2)
    book = sheets(client_for(cast["admin"]).get(reverse("surveys:survey_results_xlsx", args=[closed.uuid])))

    summary = {row[0]: row[1:] for row in book["Summary"][1:]}
    assert summary["The training was useful for my work."][:2] == ("shown", 5)
    assert summary["Would you recommend it to a colleague?"] == ("not enough responses", None, None, None, None, None)
    assert summary["The pace was"][:2] == ("no data", None)
    assert book["Comments"][1:] == [("What would you change?", "not enough responses")]
    assert not any("Only mine" in str(cell) for rows in book.values() for row in rows for cell in row)


def test_an_open_survey_exports_no_figures(survey, cast, client_for):
    answer_all(survey, ANSWERS * 2)
    book = sheets(client_for(cast["admin"]).get(reverse("surveys:survey_results_xlsx", args=[survey.uuid])))

    assert book["Summary"][1:] == [] and book["Comments"][1:] == []
    assert {row[0]: row[1] for row in book["Survey"]}["Status"] == "open"


def test_the_pdf_is_a_tagged_document(closed, cast, client_for, caplog):
    answer_all(closed, ANSWERS + ANSWERS[:3])
    with caplog.at_level(logging.WARNING):
        response = client_for(cast["trainer"]).get(reverse("surveys:survey_results_pdf", args=[closed.uuid]))

    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert [r for r in caplog.records if r.name.startswith("weasyprint")] == []


def test_the_pdf_says_not_enough_responses_and_keeps_comments_back(closed):
    answer_all(closed, [{0: 4, 5: "Only mine"}] * 3)
    html = results_pdf_html(survey_results(closed))

    assert "Not enough responses." in html
    assert "Only mine" not in html and "<img" not in html


def test_the_pdf_has_charts_as_described_images(closed):
    answer_all(closed, ANSWERS + ANSWERS[:3])
    html = results_pdf_html(survey_results(closed))

    assert '<img src="data:image/svg+xml;base64,' in html
    assert (
        'alt="Strongly disagree: 0; Disagree: 1; Neither agree nor disagree: 0; Agree: 4; Strongly agree: 3."' in html
    )
