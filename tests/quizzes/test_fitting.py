"""Fitting a programme's FSRS parameters: too few reviews, the optimizer not installed (for real),
a fitted result applied (with a fake optimizer), an out-of-bounds one refused, and the page."""

import fsrs
import pytest
from fsrs.scheduler import DEFAULT_PARAMETERS

from takeroot.quizzes import fitting
from takeroot.quizzes.enums import FitOutcome
from takeroot.quizzes.models import Answer, MemoryState, ParameterFit, QuizRound, RoundItem
from takeroot.quizzes.scheduling import settings_for

from .conftest import DAY, NOW


def _answers(enrolments, questions, rounds: int) -> None:
    """``rounds`` rounds of every question for every enrolment, a day apart: right, then wrong."""
    for enrolment in enrolments:
        for question in questions:
            MemoryState.objects.create(workspace=enrolment.workspace, enrolment=enrolment, question=question, due=NOW)
        for number in range(rounds):
            at = NOW + number * DAY
            quiz_round = QuizRound.objects.create(
                workspace=enrolment.workspace, enrolment=enrolment, number=number + 1, created_at=at
            )
            items = RoundItem.objects.bulk_create(
                RoundItem(workspace=enrolment.workspace, round=quiz_round, question=q, position=i)
                for i, q in enumerate(questions)
            )
            Answer.objects.bulk_create(
                Answer(
                    workspace=enrolment.workspace,
                    item=item,
                    enrolment=enrolment,
                    question=item.question,
                    correct=number % 2 == 0,
                    answered_at=at,
                    rating=3 if number % 2 == 0 else 1,
                )
                for item in items
            )


@pytest.fixture
def many(enrolment, other_enrolment, questions):
    _answers([enrolment, other_enrolment], list(questions.values()), rounds=38)  # 2 × 4 × 38 = 304
    return 304


def test_review_logs_pool_every_participant_with_the_memory_state_as_card(enrolment, other_enrolment, questions):
    _answers([enrolment, other_enrolment], list(questions.values()), rounds=2)
    logs = fitting.review_logs(enrolment.cohort.programme)
    states = set(MemoryState.objects.values_list("pk", flat=True))
    assert len(logs) == 16 and {log.card_id for log in logs} == states
    assert [log.rating for log in logs[:4]] == [fsrs.Rating.Good] * 4


def test_too_few_reviews_say_how_many_more(programme, enrolment, questions, cast):
    _answers([enrolment], list(questions.values()), rounds=2)
    fit = fitting.fit_parameters(programme=programme, actor=cast["admin"].user, requested_by=cast["admin"])
    assert (fit.outcome, fit.reviews) == (FitOutcome.TOO_FEW, 8)
    assert fitting.describe(fit) == "8 reviews so far; 292 more are needed before a fit is worth it."


def test_without_the_optimizer_the_defaults_stay(programme, many, cast):
    fit = fitting.fit_parameters(programme=programme, actor=cast["admin"].user)
    assert (fit.outcome, fit.reviews, fit.parameters) == (FitOutcome.UNAVAILABLE, many, [])
    assert 'pip install "fsrs[optimizer]"' in fitting.describe(fit)
    assert settings_for(programme).parameters == []


class FakeOptimizer:
    parameters = [value * 1.01 for value in DEFAULT_PARAMETERS]

    def __init__(self, logs):
        self.logs = logs

    def compute_optimal_parameters(self):
        return self.parameters


def test_a_fit_is_applied_to_the_programme(programme, many, cast, monkeypatch):
    monkeypatch.setattr(fitting, "Optimizer", FakeOptimizer)
    fit = fitting.fit_parameters(programme=programme, actor=cast["admin"].user)
    assert (fit.outcome, fit.reviews) == (FitOutcome.APPLIED, many)
    saved = settings_for(programme)
    assert saved.parameters == pytest.approx(FakeOptimizer.parameters) and saved.fitted_at is not None


def test_out_of_bounds_parameters_are_not_used(programme, many, cast, monkeypatch):
    monkeypatch.setattr(FakeOptimizer, "parameters", [100.0] * len(DEFAULT_PARAMETERS))
    monkeypatch.setattr(fitting, "Optimizer", FakeOptimizer)
    fit = fitting.fit_parameters(programme=programme, actor=cast["admin"].user)
    assert fit.outcome == FitOutcome.FAILED and settings_for(programme).parameters == []


def test_the_settings_page_runs_a_fit_as_a_task_and_lists_it(
    programme, cast, client_for, django_capture_on_commit_callbacks
):
    client = client_for(cast["admin"])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/quizzes/programmes/{programme.uuid}/settings/fit/")
    assert response.status_code == 302
    fit = ParameterFit.objects.get(programme=programme)
    assert (fit.outcome, fit.requested_by) == (FitOutcome.TOO_FEW, cast["admin"])
    page = client.get(f"/quizzes/programmes/{programme.uuid}/settings/").content.decode()
    assert "0 reviews so far; 300 more are needed" in page
    assert client_for(cast["trainer"]).post(f"/quizzes/programmes/{programme.uuid}/settings/fit/").status_code == 403
