"""On the course of ``tests/course_support.py``: a reaction questionnaire with one question of each
kind, and helpers to make surveys and responses directly (without the services, so results tests
do not depend on how answers arrive).
Clocks are fixed: services take ``now`` and tests pass ``NOW`` (or days after it)."""

import datetime

import pytest

from takeroot.surveys.enums import Anonymity, InstrumentKind, Measure, RaterGroup, SurveyQuestionKind, SurveyState
from takeroot.surveys.models import Instrument, Recipient, Response, Survey, SurveyAnswer, SurveyQuestion
from tests.course_support import DAY, NOW

QUESTIONS = [
    (SurveyQuestionKind.LIKERT_5, Measure.USEFULNESS, {"prompt": "The training was useful for my work."}),
    (SurveyQuestionKind.SCALE_10, Measure.RECOMMENDATION, {"prompt": "Would you recommend it to a colleague?"}),
    (SurveyQuestionKind.SINGLE, Measure.PACE, {"prompt": "The pace was", "options": ["Too slow", "Right", "Too fast"]}),
    (
        SurveyQuestionKind.MULTIPLE,
        Measure.NONE,
        {"prompt": "What helped most?", "options": ["Exercises", "Examples", "Discussion"]},
    ),
    (
        SurveyQuestionKind.MATRIX,
        Measure.TRAINER_EFFECTIVENESS,
        {"prompt": "The trainer", "rows": ["explained clearly", "answered questions"]},
    ),
    (SurveyQuestionKind.TEXT, Measure.NONE, {"prompt": "What would you change?"}),
]


@pytest.fixture
def instrument(cast, programme):
    """A reaction questionnaire with one question of each kind (English and Polish prompts for the
    first)."""
    instrument = Instrument.objects.create(
        workspace=programme.workspace,
        programme=programme,
        kind=InstrumentKind.REACTION,
        content={"en": {"title": "How was the training?"}, "pl": {"title": "Jak oceniasz szkolenie?"}},
        anonymity=Anonymity.CONFIDENTIAL,
        created_by=cast["admin"].user,
    )
    for position, (kind, measure, text) in enumerate(QUESTIONS):
        content = {"en": text}
        if position == 0:
            content["pl"] = {"prompt": "Szkolenie było przydatne w mojej pracy."}
        SurveyQuestion.objects.create(
            workspace=instrument.workspace,
            instrument=instrument,
            position=position,
            kind=kind,
            measure=measure,
            content=content,
        )
    return instrument


def make_survey(instrument, *, cohort=None, anonymity=Anonymity.CONFIDENTIAL, state=SurveyState.OPEN, **fields):
    return Survey.objects.create(
        workspace=instrument.workspace,
        instrument=instrument,
        programme=instrument.programme or (cohort.programme if cohort else None),
        cohort=cohort,
        title=fields.pop("title", "After the training"),
        anonymity=anonymity,
        state=state,
        closes_at=fields.pop("closes_at", NOW + 14 * DAY),
        opened_at=NOW if state != SurveyState.DRAFT else None,
        **fields,
    )


def add_response(survey, answers: dict, *, person=None, rater_group=RaterGroup.PARTICIPANT, team=None, week=None):
    """A response with ``answers``: question position → a number, a list of choices, a text, or
    (matrix) a list of numbers per row. ``person`` only for named surveys."""
    response = Response.objects.create(
        workspace=survey.workspace,
        survey=survey,
        person=person if survey.anonymity == Anonymity.NAMED else None,
        rater_group=rater_group,
        team=team,
        week=week or (NOW.date() - datetime.timedelta(days=NOW.weekday())),
    )
    questions = {q.position: q for q in survey.instrument.questions.all()}
    for position, value in answers.items():
        question = questions[position]
        common = {"workspace": survey.workspace, "response": response, "question": question}
        if question.kind == SurveyQuestionKind.TEXT:
            SurveyAnswer.objects.create(text=value, **common)
        elif question.kind == SurveyQuestionKind.MULTIPLE:
            SurveyAnswer.objects.create(choices=list(value), **common)
        elif question.kind == SurveyQuestionKind.MATRIX:
            for row, number in enumerate(value):
                SurveyAnswer.objects.create(row=row, number=number, **common)
        else:
            SurveyAnswer.objects.create(number=value, **common)
    if person is not None and survey.anonymity != Anonymity.ANONYMOUS:
        Recipient.objects.filter(survey=survey, person=person).update(has_answered=True)
    return response


@pytest.fixture
def survey(instrument, cohort, cast):
    """An open confidential survey of the cohort, sent to both participants."""
    survey = make_survey(instrument, cohort=cohort, created_by=cast["trainer"].user)
    for person in (cast["participant"], cast["other_participant"]):
        Recipient.objects.create(workspace=survey.workspace, survey=survey, person=person, invited_at=NOW)
    return survey
