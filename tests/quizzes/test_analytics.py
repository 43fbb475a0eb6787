"""The results figures on a small hand-computed data set: five people, two rounds a week apart.

Round 1 (NOW): everyone answers the single-choice question (module 1; Eve wrong and sure) and the
multiple-choice one (module 2; only Pia right, Eve sure). Round 2 (a week later): Olek and Ula get
the multiple-choice question right on their second try, Ida wrong again; Eve's first true/false is
right. So 14 answers, 8 right; 11 first attempts, 6 right; 3 later ones, 2 right.
"""

import datetime

import pytest

from takeroot.programmes.enums import EnrolmentStatus
from takeroot.programmes.models import Enrolment
from takeroot.programmes.services import enrol_people
from takeroot.quizzes import analytics, retention
from takeroot.quizzes.enums import Confidence, QuestionKind
from takeroot.quizzes.models import Answer, MemoryState, QuizRound, RoundItem
from takeroot.quizzes.scheduling import scheduler_for, settings_for
from tests.factories import PersonFactory, UserFactory

from .conftest import DAY, NOW

WEEK = 7 * DAY


def answer(enrolment, question, *, at, correct, choices=(), number=None, number_of_round=1, attempt=1, **extra):
    """One answered round question, written straight to the tables the engine fills."""
    found = QuizRound.objects.filter(enrolment=enrolment, number=number_of_round).first()
    quiz_round = found or QuizRound.objects.create(
        workspace=enrolment.workspace, enrolment=enrolment, number=number_of_round, created_at=at
    )
    item = RoundItem.objects.create(workspace=enrolment.workspace, round=quiz_round, question=question)
    return Answer.objects.create(
        workspace=enrolment.workspace,
        item=item,
        enrolment=enrolment,
        question=question,
        choices=list(choices),
        number=number,
        correct=correct,
        answered_at=at,
        attempt=attempt,
        rating=3 if correct else 1,
        **extra,
    )


def person(workspace, name):
    return PersonFactory(workspace=workspace, user=UserFactory(email=f"{name.lower()}@acme.test", name=name))


@pytest.fixture
def people_of_cohort(cast, cohort, enrolment, other_enrolment):
    """Pia (the participant), Olek (the other participant), Ula, Ida and Eve."""
    workspace = cohort.workspace
    extra = [person(workspace, name) for name in ("Ula", "Ida", "Eve")]
    enrol_people(cohort=cohort, actor=cast["admin"].user, people=extra)
    Enrolment.objects.filter(cohort=cohort).update(status=EnrolmentStatus.ACTIVE)
    found = {
        e.person.user.name.split()[0]: e for e in Enrolment.objects.filter(cohort=cohort).select_related("person__user")
    }
    return [found[name] for name in ("Pia", "Olek", "Ula", "Ida", "Eve")]


@pytest.fixture
def answered(people_of_cohort, questions):
    pia, olek, ula, ida, eve = people_of_cohort
    single, multi, true_false = (
        questions[QuestionKind.SINGLE],
        questions[QuestionKind.MULTIPLE],
        questions[QuestionKind.TRUE_FALSE],
    )
    for who in (pia, olek, ula, ida):
        answer(who, single, at=NOW, correct=True, choices=[1])
    answer(eve, single, at=NOW, correct=False, choices=[0], confidence=Confidence.SURE)
    answer(pia, multi, at=NOW, correct=True, choices=[0, 2])
    answer(olek, multi, at=NOW, correct=False, choices=[0, 1])
    answer(ula, multi, at=NOW, correct=False, choices=[1])
    answer(ida, multi, at=NOW, correct=False, choices=[0, 3])
    answer(eve, multi, at=NOW, correct=False, choices=[1, 3], confidence=Confidence.SURE)
    later = NOW + WEEK
    answer(olek, multi, at=later, correct=True, choices=[0, 2], number_of_round=2, attempt=2)
    answer(ula, multi, at=later, correct=True, choices=[0, 2], number_of_round=2, attempt=2)
    answer(ida, multi, at=later, correct=False, choices=[3], number_of_round=2, attempt=2)
    answer(eve, true_false, at=later, correct=True, choices=[0], number_of_round=2)
    return people_of_cohort


def test_overall_counts_first_and_later_attempts(cohort, answered):
    overall = analytics.cohort_results(cohort).overall
    assert (overall.answers, overall.right, overall.first, overall.first_right, overall.sure_wrong) == (14, 8, 11, 6, 2)
    assert (overall.later, overall.later_right) == (3, 2)
    assert (overall.percent, overall.first_percent, overall.later_percent) == (57, 55, 67)


def test_accuracy_per_question_with_distractors(cohort, answered, questions):
    rows = {row.obj.kind: row for row in analytics.cohort_results(cohort).questions}
    single, multi = rows[QuestionKind.SINGLE], rows[QuestionKind.MULTIPLE]
    assert (single.score.answers, single.score.right, single.score.first_percent) == (5, 4, 80)
    assert single.distractors == [("The price", 1)]
    assert single.label == "What do you open the call with?"
    assert (multi.score.answers, multi.score.first_percent, multi.score.later_percent) == (8, 20, 67)
    assert multi.distractors == [("Changing the subject", 3), ("Repeating the price", 3)]
    assert rows[QuestionKind.NUMERIC].score == analytics.EMPTY


def test_accuracy_per_module_and_objective(cohort, answered, modules):
    results = analytics.cohort_results(cohort)
    by_module = {row.obj: (row.score.answers, row.score.right, row.score.first_percent) for row in results.modules}
    assert by_module == {modules[0]: (6, 5, 83), modules[1]: (8, 3, 20)}
    objectives = [(row.label, row.score.first_percent) for row in results.objectives]
    assert objectives == [("Opens with the customer's goal", 83), ("Acknowledges before answering", 20)]


def test_trend_by_round_and_by_week(cohort, answered):
    results = analytics.cohort_results(cohort)
    assert [(number, score.answers, score.percent) for number, score in results.by_round] == [(1, 10, 50), (2, 4, 75)]
    weeks = [(week, score.answers) for week, score in results.by_week]
    assert weeks == [(datetime.date(2026, 10, 5), 10), (datetime.date(2026, 10, 12), 4)]


def test_weak_spots_are_the_badly_answered_module_objective_and_question(cohort, answered, modules, questions):
    spots = analytics.weak_spots(cohort)
    assert [(spot.kind, spot.obj, spot.answers, round(spot.accuracy, 2)) for spot in spots] == [
        ("module", modules[1], 5, 0.2),
        ("objective", modules[1].objectives.get(), 5, 0.2),
        ("question", questions[QuestionKind.MULTIPLE], 5, 0.2),
    ]
    assert spots[0].reason == "First-attempt accuracy 20 % is below 60 %."


def test_flag_well_below_the_average():
    score = analytics.Score(answers=10, right=7, first=10, first_right=7)
    assert analytics.flag_for(score, 0.9) == "First-attempt accuracy 70 % is well below the average of 90 %."
    assert analytics.flag_for(score, 0.8) == ""


def test_no_flag_with_too_few_first_answers():
    assert analytics.flag_for(analytics.Score(answers=4, first=4), 0.9) == ""


def test_confidently_wrong_answers_newest_first(cohort, answered, questions):
    found = [(a.enrolment.person.user.name, a.question.kind) for a in analytics.confidently_wrong(cohort)]
    assert found == [("Eve", QuestionKind.MULTIPLE), ("Eve", QuestionKind.SINGLE)]


def test_participants_rows(cohort, answered):
    rows = {row.label: (row.score.answers, row.score.right) for row in analytics.cohort_results(cohort).groups}
    assert rows == {"Pia Participant": (2, 2), "Olek Other": (3, 2), "Ula": (3, 2), "Ida": (3, 1), "Eve": (3, 1)}


def test_programme_results_compare_cohorts(cast, cohort, answered, programme, questions):
    from takeroot.programmes.services import create_cohort

    other = create_cohort(
        programme=programme,
        actor=cast["admin"].user,
        name="Gdańsk autumn",
        starts_on=datetime.date(2026, 10, 1),
        ends_on=datetime.date(2026, 10, 30),
    )
    enrol_people(cohort=other, actor=cast["admin"].user, people=[cast["manager"]])
    answer(Enrolment.objects.get(cohort=other), questions[QuestionKind.SINGLE], at=NOW, correct=True, choices=[1])
    results = analytics.programme_results(programme)
    assert results.overall.answers == 15
    assert [(row.label, row.score.answers, row.score.percent) for row in results.groups] == [
        ("Kraków spring", 14, 57),
        ("Gdańsk autumn", 1, 100),
    ]


def test_no_answers_yet(cohort, questions):
    results = analytics.cohort_results(cohort)
    assert results.overall == analytics.EMPTY
    assert results.by_round == results.by_week == results.weak_spots == []


def test_results_take_a_fixed_number_of_queries(cohort, answered, django_assert_max_num_queries):
    with django_assert_max_num_queries(13):
        analytics.cohort_results(cohort)


# Retention -------------------------------------------------------------------------------------


def recall(days: float, stability: float) -> float:
    """The FSRS forgetting curve with the default decay, written out by hand."""
    decay = -0.1542
    factor = 0.9 ** (1 / decay) - 1
    return (1 + factor * days / stability) ** decay


def test_retention_falls_over_time_and_recovers_after_a_right_answer(enrolment, questions, modules):
    single = questions[QuestionKind.SINGLE]
    answer(enrolment, single, at=NOW, correct=True, choices=[1], stability=2.0)
    answer(enrolment, single, at=NOW + 2 * WEEK, correct=True, choices=[1], stability=12.0, number_of_round=2)
    series = retention.retention_over_time(enrolment, now=NOW + 3 * WEEK)
    assert series.modules == [modules[0]]
    moments = [moment for moment, _values in series.points]
    assert moments == [NOW, NOW + WEEK, NOW + 2 * WEEK, NOW + 3 * WEEK]
    shares = [values[modules[0].pk] for _moment, values in series.points]
    assert shares == pytest.approx([1.0, recall(7, 2.0), 1.0, recall(7, 12.0)])
    assert shares[0] > shares[1] < shares[2] > shares[3] > shares[1]
    assert series.rows()[1] == (NOW + WEEK, [round(recall(7, 2.0) * 100)])


def test_retention_averages_the_questions_met_per_module(enrolment, questions, modules):
    answer(enrolment, questions[QuestionKind.SINGLE], at=NOW, correct=True, choices=[1], stability=2.0)
    answer(enrolment, questions[QuestionKind.TRUE_FALSE], at=NOW + WEEK, correct=True, choices=[0], stability=4.0)
    series = retention.retention_over_time(enrolment, now=NOW + WEEK)
    assert [values[modules[0].pk] for _m, values in series.points] == pytest.approx([1.0, (recall(7, 2.0) + 1.0) / 2])


def test_no_retention_before_the_first_answer(enrolment, questions):
    assert retention.retention_over_time(enrolment, now=NOW) == retention.RetentionSeries([], [])


def _state(enrolment, question, *, stability, last_review):
    return MemoryState.objects.create(
        workspace=enrolment.workspace,
        enrolment=enrolment,
        question=question,
        stability=stability,
        last_review=last_review,
        due=last_review + DAY,
    )


def test_summary_per_module(enrolment, questions, modules, programme):
    single, multi = questions[QuestionKind.SINGLE], questions[QuestionKind.MULTIPLE]
    answer(enrolment, single, at=NOW, correct=True, choices=[1])
    answer(enrolment, multi, at=NOW, correct=False, choices=[1])
    RoundItem.objects.create(
        workspace=enrolment.workspace, round=QuizRound.objects.get(), question=questions["numeric"]
    )
    _state(enrolment, single, stability=2.0, last_review=NOW)
    _state(enrolment, multi, stability=1.0, last_review=NOW)
    (summary,) = retention.summaries([enrolment], now=NOW + WEEK)
    rows = [(r.module, r.asked, r.answered, r.right, r.percent, r.retention_percent) for r in summary.modules]
    assert rows == [
        (modules[0], 1, 1, 1, 100, round(recall(7, 2.0) * 100)),
        (modules[1], 2, 1, 0, 0, round(recall(7, 1.0) * 100)),
    ]
    assert scheduler_for(settings_for(programme)).parameters[20] == pytest.approx(0.1542)


def test_team_enrolments_are_the_managers_reports(cast, cohort, enrolment, other_enrolment):
    found = retention.team_enrolments(cast["manager"].user, workspace=cast["manager"].workspace)
    assert list(found) == [enrolment]
    assert list(retention.team_enrolments(cast["trainer"].user, workspace=cast["trainer"].workspace)) == []


def test_answer_rows_show_the_answer_in_the_readers_language(enrolment, questions):
    from django.utils import translation

    answer(enrolment, questions[QuestionKind.SINGLE], at=NOW, correct=False, choices=[0])
    answer(enrolment, questions[QuestionKind.NUMERIC], at=NOW, correct=True, number=31)
    with translation.override("pl"):
        rows = retention.answer_rows(enrolment)
    numeric, single = rows
    assert (single.prompt, single.lang, single.given, single.expected) == (
        "Od czego zaczynasz rozmowę?",
        "pl",
        "Od ceny",
        "Od celu klienta",
    )
    assert (numeric.lang, numeric.given, numeric.expected) == ("en", "31", "30 ± 5")


def test_through_the_engine_retention_recovers_and_replays_count_once(enrolment, questions, modules):
    from takeroot.quizzes import services

    single = questions[QuestionKind.SINGLE]
    first = services.start_round(enrolment, now=NOW, questions=[single])
    services.record_answer(first.items.get(), choices=[0], channel="web", now=NOW)
    services.record_answer(first.items.get(), choices=[1], channel="mail", now=NOW)  # a replay
    second = services.start_round(enrolment, now=NOW + WEEK, questions=[single])
    services.record_answer(second.items.get(), choices=[1], channel="web", now=NOW + WEEK)
    series = retention.retention_over_time(enrolment, now=NOW + 2 * WEEK)
    shares = [values[modules[0].pk] for _moment, values in series.points]
    assert shares[1] == 1.0 and shares[2] < 1.0
    (summary,) = retention.summaries([enrolment], now=NOW + 2 * WEEK)
    assert (summary.modules[0].asked, summary.modules[0].answered, summary.modules[0].right) == (2, 2, 1)
    score = analytics.cohort_results(enrolment.cohort).overall
    assert (score.answers, score.first, score.first_right, score.later_right) == (2, 1, 0, 1)


def _queries(function) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as context:
        function()
    return len(context)


def test_summaries_take_as_many_queries_for_one_person_as_for_five(answered):
    one = _queries(lambda: retention.summaries(answered[:1], now=NOW))
    assert _queries(lambda: retention.summaries(answered, now=NOW)) == one
