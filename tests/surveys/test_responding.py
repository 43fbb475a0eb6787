"""Answering through the service: the questions a rater group sees in their language, checking every
kind of answer, one answer per person in each mode, ballots used once and only for their survey,
closed and expired surveys refused, and what waits for a person."""

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from takeroot.surveys import responding
from takeroot.surveys.enums import Anonymity, RaterGroup, SurveyQuestionKind, SurveyState
from takeroot.surveys.models import Ballot, Recipient, Response, SurveyAnswer, SurveyQuestion
from takeroot.surveys.responding import Refusal, SubmitRefused

from .conftest import DAY, NOW, make_survey

MODES = [Anonymity.NAMED, Anonymity.CONFIDENTIAL, Anonymity.ANONYMOUS]


@pytest.fixture
def make(instrument, cohort, cast):
    def build(anonymity=Anonymity.CONFIDENTIAL, **fields):
        survey = make_survey(instrument, cohort=cohort, anonymity=anonymity, **fields)
        for person in (cast["participant"], cast["other_participant"]):
            Recipient.objects.create(workspace=survey.workspace, survey=survey, person=person, invited_at=NOW)
        return survey

    return build


def ids(survey) -> dict[int, str]:
    return {q.position: str(q.uuid) for q in survey.instrument.questions.all()}


def answer(survey, person, answers=None, *, now=NOW):
    ballot = responding.issue_ballot(survey, person) if survey.anonymity == Anonymity.ANONYMOUS else None
    answers = answers if answers is not None else {ids(survey)[0]: 5}
    return responding.submit(survey=survey, person=person, answers=answers, ballot=ballot, now=now)


# Questions -------------------------------------------------------------------------------------


def test_questions_come_in_the_readers_language_with_english_as_fallback(make):
    survey = make()

    with translation.override("pl"):
        questions = responding.questions_for(survey, RaterGroup.PARTICIPANT)

    assert [(q.text["prompt"], q.text_language) for q in questions[:2]] == [
        ("Szkolenie było przydatne w mojej pracy.", "pl"),
        ("Would you recommend it to a colleague?", "en"),
    ]


def test_a_question_for_some_rater_groups_is_shown_only_to_them(make, instrument):
    SurveyQuestion.objects.filter(instrument=instrument, position=5).update(rater_groups=[RaterGroup.MANAGER])
    survey = make()

    assert len(responding.questions_for(survey, RaterGroup.PARTICIPANT)) == 5
    assert len(responding.questions_for(survey, RaterGroup.MANAGER)) == 6


# Validation ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("position", "value", "cleaned"),
    [
        (0, "5", 5),
        (1, 0, 0),
        (1, "10", 10),
        (2, "2", 2),
        (3, ["0", "2"], [0, 2]),
        (4, ["1", "5"], [1, 5]),
        (4, ["", "3"], [None, 3]),
        (5, "  Shorter days.  ", "Shorter days."),
    ],
)
def test_each_kind_accepts_its_answers(make, position, value, cleaned):
    survey = make()
    questions = responding.questions_for(survey, RaterGroup.PARTICIPANT)

    found, errors = responding.validate(survey, questions, {ids(survey)[position]: value})

    assert (found, errors) == ({ids(survey)[position]: cleaned}, {})


@pytest.mark.parametrize(
    ("position", "value", "message"),
    [
        (0, "6", "Choose a point from 1 to 5."),
        (0, "0", "Choose a point from 1 to 5."),
        (0, "many", "Choose a point from 1 to 5."),
        (1, "11", "Choose a point from 0 to 10."),
        (2, "3", "Choose one of the options shown."),
        (3, ["0", "7"], "Choose among the options shown."),
        (4, ["1", "6"], "Rate each statement from 1 to 5."),
        (4, ["1", "2", "3"], "Give one answer per statement."),
        (5, "x" * 4001, "Keep your answer to 4000 characters (it has 4001)."),
    ],
)
def test_each_kind_refuses_what_is_out_of_range(make, position, value, message):
    survey = make()
    questions = responding.questions_for(survey, RaterGroup.PARTICIPANT)

    found, errors = responding.validate(survey, questions, {ids(survey)[position]: value})

    assert (found, errors) == ({}, {ids(survey)[position]: [message]})


def test_a_seven_point_likert_and_a_seven_point_matrix(make, instrument):
    SurveyQuestion.objects.filter(instrument=instrument, position=0).update(kind=SurveyQuestionKind.LIKERT_7)
    SurveyQuestion.objects.filter(instrument=instrument, position=4).update(scale_points=7)
    survey = make()
    questions = responding.questions_for(survey, RaterGroup.PARTICIPANT)

    found, errors = responding.validate(survey, questions, {ids(survey)[0]: 7, ids(survey)[4]: [7, 1]})

    assert (found, errors) == ({ids(survey)[0]: 7, ids(survey)[4]: [7, 1]}, {})


def test_required_questions_must_be_answered(make, instrument):
    SurveyQuestion.objects.filter(instrument=instrument, position__in=[0, 4]).update(required=True)
    survey = make()
    questions = responding.questions_for(survey, RaterGroup.PARTICIPANT)

    _found, errors = responding.validate(survey, questions, {ids(survey)[4]: ["2", ""]})

    assert errors == {ids(survey)[0]: ["This question needs an answer."], ids(survey)[4]: ["Rate every statement."]}


def test_an_answer_to_a_question_not_on_the_form_is_refused(make, instrument):
    SurveyQuestion.objects.filter(instrument=instrument, position=5).update(rater_groups=[RaterGroup.MANAGER])
    survey = make()
    questions = responding.questions_for(survey, RaterGroup.PARTICIPANT)

    _found, errors = responding.validate(survey, questions, {ids(survey)[5]: "hello"})

    assert errors == {ids(survey)[5]: ["This question is not on your form of this survey."]}


def test_submit_stores_every_kind(make, cast):
    survey = make()
    q = ids(survey)
    answers = {q[0]: 4, q[1]: 8, q[2]: 1, q[3]: [2, 0], q[4]: [5, 4], q[5]: "Good."}

    response = responding.submit(survey=survey, person=cast["participant"], answers=answers, now=NOW)

    stored = {
        (a.question.position, a.row): (a.number, a.choices, a.text)
        for a in SurveyAnswer.objects.filter(response=response)
    }
    assert stored == {
        (0, None): (4, [], ""),
        (1, None): (8, [], ""),
        (2, None): (1, [], ""),
        (3, None): (None, [0, 2], ""),
        (4, 0): (5, [], ""),
        (4, 1): (4, [], ""),
        (5, None): (None, [], "Good."),
    }


def test_submit_with_errors_raises_them_per_question(make, cast):
    survey = make()

    with pytest.raises(ValidationError) as raised:
        responding.submit(survey=survey, person=cast["participant"], answers={ids(survey)[2]: 9}, now=NOW)

    assert raised.value.message_dict == {ids(survey)[2]: ["Choose one of the options shown."]}


# Once per person -------------------------------------------------------------------------------


@pytest.mark.parametrize("anonymity", [Anonymity.NAMED, Anonymity.CONFIDENTIAL])
def test_a_second_answer_is_refused(make, cast, anonymity):
    survey = make(anonymity)
    answer(survey, cast["participant"])

    with pytest.raises(SubmitRefused) as raised:
        responding.submit(survey=survey, person=cast["participant"], answers={ids(survey)[0]: 1}, now=NOW)

    assert raised.value.reason == Refusal.ANSWERED
    assert Response.objects.count() == 1


def test_anonymous_a_second_ballot_is_refused(make, cast):
    survey = make(Anonymity.ANONYMOUS)
    answer(survey, cast["participant"])

    with pytest.raises(SubmitRefused) as raised:
        responding.issue_ballot(survey, cast["participant"])

    assert raised.value.reason == Refusal.BALLOT_TAKEN
    assert Ballot.objects.count() == 1


def test_a_ballot_cannot_be_used_twice(make, cast):
    survey = make(Anonymity.ANONYMOUS)
    secret = responding.issue_ballot(survey, cast["participant"])
    responding.submit(survey=survey, person=cast["participant"], answers={ids(survey)[0]: 5}, ballot=secret, now=NOW)

    for person in (cast["participant"], cast["other_participant"]):
        with pytest.raises(SubmitRefused) as raised:
            responding.submit(survey=survey, person=person, answers={ids(survey)[0]: 1}, ballot=secret, now=NOW)
        assert raised.value.reason == Refusal.BALLOT_USED

    assert Response.objects.count() == 1


def test_a_ballot_is_not_valid_for_another_survey(make, cast):
    first, second = make(Anonymity.ANONYMOUS), make(Anonymity.ANONYMOUS)
    secret = responding.issue_ballot(first, cast["participant"])

    with pytest.raises(SubmitRefused) as raised:
        responding.submit(
            survey=second, person=cast["participant"], answers={ids(second)[0]: 5}, ballot=secret, now=NOW
        )

    assert raised.value.reason == Refusal.BALLOT_INVALID
    assert Response.objects.count() == 0 and Ballot.objects.get().used is False


@pytest.mark.parametrize("ballot", [None, "", "made-up"])
def test_anonymous_needs_a_real_ballot(make, cast, ballot):
    survey = make(Anonymity.ANONYMOUS)

    with pytest.raises(SubmitRefused) as raised:
        responding.submit(
            survey=survey, person=cast["participant"], answers={ids(survey)[0]: 5}, ballot=ballot, now=NOW
        )

    assert raised.value.reason == Refusal.BALLOT_INVALID


def test_ballots_only_for_anonymous_surveys_and_recipients(make, cast):
    with pytest.raises(SubmitRefused) as raised:
        responding.issue_ballot(make(Anonymity.CONFIDENTIAL), cast["participant"])
    assert raised.value.reason == Refusal.NOT_ANONYMOUS

    with pytest.raises(SubmitRefused) as raised:
        responding.issue_ballot(make(Anonymity.ANONYMOUS), cast["manager"])
    assert raised.value.reason == Refusal.NOT_RECIPIENT


# Open, closed, recipients ----------------------------------------------------------------------


@pytest.mark.parametrize("anonymity", MODES)
@pytest.mark.parametrize(
    ("fields", "when"),
    [
        ({"state": SurveyState.CLOSED}, NOW),
        ({"state": SurveyState.DRAFT}, NOW),
        ({}, NOW + 14 * DAY),  # the closing date passed, not closed by hand yet
    ],
)
def test_closed_drafts_and_expired_surveys_refuse(make, cast, anonymity, fields, when):
    survey = make(anonymity, **fields)
    ballot = "whatever" if anonymity == Anonymity.ANONYMOUS else None

    with pytest.raises(SubmitRefused) as raised:
        responding.submit(survey=survey, person=cast["participant"], answers={}, ballot=ballot, now=when)

    assert raised.value.reason == Refusal.NOT_OPEN
    assert Response.objects.count() == 0


@pytest.mark.parametrize("anonymity", MODES)
def test_only_recipients_answer(make, cast, anonymity):
    survey = make(anonymity)

    with pytest.raises(SubmitRefused) as raised:
        responding.submit(survey=survey, person=cast["manager"], answers={}, now=NOW)

    assert raised.value.reason == Refusal.NOT_RECIPIENT


# What waits ------------------------------------------------------------------------------------


def test_pending_for_lists_open_unanswered_surveys(make, cast):
    participant = cast["participant"]
    named, opened = make(Anonymity.NAMED, title="Named"), make(Anonymity.ANONYMOUS, title="Opened")
    make(title="Confidential")
    make(Anonymity.ANONYMOUS, title="Anonymous")
    make(title="Closed", state=SurveyState.CLOSED)
    make(title="Draft", state=SurveyState.DRAFT)
    make(title="Expired", closes_at=NOW - DAY)
    answer(named, participant)
    kept = responding.issue_ballot(opened, participant)

    def titles(**kwargs):
        return sorted(mine.survey.title for mine in responding.pending_for(participant, NOW, **kwargs))

    assert titles() == ["Anonymous", "Confidential"]
    # The ballot this browser keeps, unused: the survey still waits.
    assert titles(ballots={opened.uuid.hex: kept}) == ["Anonymous", "Confidential", "Opened"]
    assert sorted(m.survey.title for m in responding.pending_for(cast["other_participant"], NOW)) == [
        "Anonymous",
        "Confidential",
        "Named",
        "Opened",
    ]
    statuses = {m.survey.title: m.status for m in responding.surveys_of(participant, NOW)}
    assert statuses == {
        "Named": "answered",
        "Confidential": "open",
        "Anonymous": "open",
        "Opened": "ballot_taken",
        "Closed": "open",
        "Expired": "open",
    }
