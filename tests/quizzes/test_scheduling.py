"""Which questions are due for whom, and how FSRS is set up for a programme."""

import fsrs
import pytest

from takeroot.programmes.models import Enrolment
from takeroot.quizzes.enums import Confidence, QuestionKind
from takeroot.quizzes.models import DEFAULT_RETENTION, MemoryState, QuizSettings
from takeroot.quizzes.scheduling import choose_due, rating_for, retrievability, scheduler_for, settings_for

from ..factories import PersonFactory
from .conftest import DAY, NOW, make_question


def state(enrolment, question, *, due, retired=False, reviews=1):
    return MemoryState.objects.create(
        workspace=enrolment.workspace,
        enrolment=enrolment,
        question=question,
        state=fsrs.State.Review,
        stability=3.0,
        difficulty=5.0,
        due=due,
        last_review=due - 3 * DAY,
        reviews=reviews,
        retired_at=NOW - 10 * DAY if retired else None,
    )


def test_settings_for_a_programme_without_settings_are_the_unsaved_defaults(programme):
    found = settings_for(programme)

    assert found.pk is None
    assert (found.desired_retention, found.questions_per_round, found.retire_after) == (DEFAULT_RETENTION, 2, 2)


def test_scheduler_uses_the_programme_retention_and_fitted_parameters(programme):
    parameters = [round(value * 1.01, 4) for value in fsrs.Scheduler().parameters]
    quiz_settings = QuizSettings.objects.create(
        workspace=programme.workspace, programme=programme, desired_retention=0.85, parameters=parameters
    )

    scheduler = scheduler_for(settings_for(programme))

    assert settings_for(programme) == quiz_settings
    assert scheduler.desired_retention == 0.85
    assert list(scheduler.parameters) == parameters
    assert (scheduler.learning_steps, scheduler.relearning_steps, scheduler.enable_fuzzing) == ((), (), False)


@pytest.mark.parametrize(
    ("correct", "confidence", "rating"),
    [
        (False, Confidence.SURE, fsrs.Rating.Again),
        (False, "", fsrs.Rating.Again),
        (True, Confidence.GUESSING, fsrs.Rating.Hard),
        (True, Confidence.THINK_SO, fsrs.Rating.Good),
        (True, "", fsrs.Rating.Good),
        (True, Confidence.SURE, fsrs.Rating.Easy),
    ],
)
def test_rating_for_an_answer_and_its_confidence(correct, confidence, rating):
    assert rating_for(correct, confidence) == rating


def test_retrievability_is_zero_before_the_first_answer_and_fades(enrolment, questions):
    never = MemoryState(enrolment=enrolment, question=questions[QuestionKind.SINGLE], due=NOW)
    known = state(enrolment, questions[QuestionKind.SINGLE], due=NOW)

    soon, later = retrievability(known, NOW - 2 * DAY), retrievability(known, NOW + 20 * DAY)

    assert retrievability(never, NOW) == 0.0
    assert 0.9 < soon < 1.0
    assert later < soon


def ids(found):
    return [question.pk for question in found]


def test_new_questions_come_by_position_up_to_the_programme_round_size(enrolment, questions):
    found = choose_due([enrolment.pk], now=NOW)

    assert ids(found[enrolment.pk]) == [questions[QuestionKind.SINGLE].pk, questions[QuestionKind.MULTIPLE].pk]


def test_overdue_questions_come_first_earliest_due_first(enrolment, questions):
    state(enrolment, questions[QuestionKind.NUMERIC], due=NOW - 1 * DAY)
    state(enrolment, questions[QuestionKind.TRUE_FALSE], due=NOW - 5 * DAY)
    state(enrolment, questions[QuestionKind.SINGLE], due=NOW + 1 * DAY)  # not due yet

    found = choose_due([enrolment.pk], now=NOW, limit=3)

    assert ids(found[enrolment.pk]) == [
        questions[QuestionKind.TRUE_FALSE].pk,
        questions[QuestionKind.NUMERIC].pk,
        questions[QuestionKind.MULTIPLE].pk,  # then the first never asked
    ]


def test_archived_and_retired_questions_are_never_chosen(enrolment, questions):
    questions[QuestionKind.SINGLE].archived_at = NOW - DAY
    questions[QuestionKind.SINGLE].save()
    state(enrolment, questions[QuestionKind.MULTIPLE], due=NOW - 3 * DAY, retired=True)
    archived_due = make_question(enrolment.cohort.programme, position=9, archived_at=NOW - DAY)
    state(enrolment, archived_due, due=NOW - 9 * DAY)

    found = choose_due([enrolment.pk], now=NOW, limit=3)

    assert ids(found[enrolment.pk]) == [questions[QuestionKind.TRUE_FALSE].pk, questions[QuestionKind.NUMERIC].pk]


def test_round_size_comes_from_the_programme_settings(programme, enrolment, questions):
    QuizSettings.objects.create(workspace=programme.workspace, programme=programme, questions_per_round=3)

    assert len(choose_due([enrolment.pk], now=NOW)[enrolment.pk]) == 3
    assert len(choose_due([enrolment.pk], now=NOW, limit=1)[enrolment.pk]) == 1


def test_nothing_due_gives_an_empty_list(enrolment, questions):
    for question in questions.values():
        state(enrolment, question, due=NOW + DAY)

    assert choose_due([enrolment.pk], now=NOW) == {enrolment.pk: []}


def test_people_get_their_own_due_questions(enrolment, other_enrolment, questions):
    state(enrolment, questions[QuestionKind.NUMERIC], due=NOW - DAY)

    found = choose_due([enrolment.pk, other_enrolment.pk], now=NOW)

    assert ids(found[enrolment.pk]) == [questions[QuestionKind.NUMERIC].pk, questions[QuestionKind.SINGLE].pk]
    assert ids(found[other_enrolment.pk]) == [questions[QuestionKind.SINGLE].pk, questions[QuestionKind.MULTIPLE].pk]


def many_enrolments(cohort, questions, count):
    created = []
    for index in range(count):
        person = PersonFactory(workspace=cohort.workspace)
        enrolment = Enrolment.objects.create(workspace=cohort.workspace, cohort=cohort, person=person)
        state(enrolment, questions[QuestionKind.TRUE_FALSE], due=NOW - index * DAY)
        created.append(enrolment.pk)
    return created


def test_choosing_is_bulk_whatever_the_number_of_people(cohort, questions, django_assert_max_num_queries):
    one = many_enrolments(cohort, questions, 1)
    thirty = many_enrolments(cohort, questions, 30)

    with django_assert_max_num_queries(5) as one_run:
        choose_due(one, now=NOW)
    with django_assert_max_num_queries(len(one_run.captured_queries)):
        found = choose_due(thirty, now=NOW)

    assert {len(picked) for picked in found.values()} == {2}
