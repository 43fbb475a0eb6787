"""Survey results under the thresholds: the figures of each kind of question, and the three states
(shown, not enough responses, no data) for questions, rows, comments, 360° reports and trends."""

import datetime

import pytest

from takeroot.core.models import Team
from takeroot.surveys.enums import InstrumentKind, RaterGroup, SurveyState
from takeroot.surveys.models import Instrument, SurveySettings
from takeroot.surveys.results import ResultStatus, Thresholds, programme_results, survey_results, thresholds_for
from takeroot.surveys.stats import groups_to_show, mean_ci, net_score

from .conftest import add_response, make_survey

SHOWN, TOO_FEW, NO_DATA = ResultStatus.SHOWN, ResultStatus.NOT_ENOUGH, ResultStatus.NO_DATA

ANSWERS = [
    {0: 5, 1: 10, 2: 1, 3: [0, 1], 4: [5, 4], 5: "More role play"},
    {0: 4, 1: 9, 2: 1, 3: [0], 4: [4, 4], 5: "shorter breaks"},
    {0: 4, 1: 8, 2: 0, 3: [2], 4: [3, 5], 5: "Fewer slides"},
    {0: 2, 1: 6, 2: 1, 3: [0, 2], 4: [4, 3], 5: "Longer lunch"},
    {0: 5, 1: 3, 2: 2, 3: [1], 4: [5, 5], 5: "Nothing"},
]


@pytest.fixture
def closed(instrument, cohort, cast):
    return make_survey(instrument, cohort=cohort, state=SurveyState.CLOSED, created_by=cast["trainer"].user)


def answer_all(survey, answers, **kwargs):
    for answers_of_one in answers:
        add_response(survey, answers_of_one, **kwargs)


def by_position(results):
    return {q.question.position: q for q in results.questions}


def test_thresholds_default_without_a_settings_row(workspace):
    assert thresholds_for(workspace) == Thresholds(5, 8)


def test_thresholds_come_from_the_workspace_settings(workspace):
    SurveySettings.objects.create(workspace=workspace, min_responses=3, min_comments=4)
    assert thresholds_for(workspace) == Thresholds(3, 4)


def test_statistics():
    interval = mean_ci([4, 5, 4, 2, 5])
    assert interval.mean == 4.0
    assert round(interval.low, 3) == 2.479 and round(interval.high, 3) == 5.521
    assert mean_ci([3, 3, 3]).low == 3 == mean_ci([3, 3, 3]).high
    assert net_score([10, 9, 8, 6, 3]) == 0
    assert net_score([10, 9, 9, 8]) == 75
    assert net_score([]) is None


def test_groups_to_show_suppresses_the_smallest_until_the_remainder_is_safe():
    assert groups_to_show({"a": 6, "b": 5, "c": 2}, total=13, threshold=5) == {"a"}
    assert groups_to_show({"a": 6, "b": 5, "c": 5}, total=16, threshold=5) == {"a", "b", "c"}
    assert groups_to_show({"a": 5, "b": 1}, total=6, threshold=5) == set()
    assert groups_to_show({"a": 9, "b": 3, "c": 3}, total=15, threshold=5) == {"a"}


def test_each_kind_of_question_is_summarised(closed):
    answer_all(closed, ANSWERS)
    results = survey_results(closed)
    questions = by_position(results)

    assert (results.status, results.n) == (SHOWN, 5)
    likert = questions[0]
    assert (likert.status, likert.n) == (SHOWN, 5)
    assert [(bar.label, bar.count) for bar in likert.bars] == [
        ("Strongly disagree", 0),
        ("Disagree", 1),
        ("Neither agree nor disagree", 0),
        ("Agree", 2),
        ("Strongly agree", 2),
    ]
    assert likert.mean.mean == 4.0 and round(likert.mean.low, 2) == 2.48
    assert questions[1].net_score == 0  # two promoters, two detractors of five
    assert [bar.count for bar in questions[1].bars] == [0, 0, 0, 1, 0, 0, 1, 0, 1, 1, 1]
    assert [(bar.label, bar.count) for bar in questions[2].bars] == [("Too slow", 1), ("Right", 3), ("Too fast", 1)]
    assert [(bar.label, bar.count, bar.share) for bar in questions[3].bars] == [
        ("Exercises", 3, 0.6),
        ("Examples", 2, 0.4),
        ("Discussion", 2, 0.4),
    ]
    rows = questions[4].rows
    assert [(row.label, row.status, row.n, row.mean.mean) for row in rows] == [
        ("explained clearly", SHOWN, 5, 4.2),
        ("answered questions", SHOWN, 5, 4.2),
    ]
    # Five comments are fewer than the eight comments need.
    assert (questions[5].status, questions[5].n, questions[5].comments) == (TOO_FEW, None, [])


def test_comments_from_their_own_threshold_sorted_not_in_arrival_order(closed):
    answer_all(closed, ANSWERS + ANSWERS[:3])
    comments = by_position(survey_results(closed))[5]

    assert comments.status == SHOWN
    assert comments.comments == [
        "Fewer slides",
        "Fewer slides",
        "Longer lunch",
        "More role play",
        "More role play",
        "Nothing",
        "shorter breaks",
        "shorter breaks",
    ]


def test_below_the_threshold_nothing_is_given_out(closed):
    answer_all(closed, ANSWERS[:3])
    results = survey_results(closed)

    assert (results.status, results.n) == (TOO_FEW, None)
    for question in results.questions:
        assert (question.status, question.n, question.bars, question.mean, question.comments) == (
            TOO_FEW,
            None,
            [],
            None,
            [],
        )
        assert all(row.status == TOO_FEW and row.mean is None for row in question.rows)


def test_no_data_is_told_apart_from_not_enough(closed):
    answer_all(closed, [{0: 4}] * 5)
    results = survey_results(closed)
    questions = by_position(results)

    assert results.status == SHOWN
    assert questions[0].status == SHOWN
    assert {questions[p].status for p in (1, 2, 3, 5)} == {NO_DATA}
    assert [row.status for row in questions[4].rows] == [NO_DATA, NO_DATA]


def test_a_question_answered_by_too_few_is_held_back_although_the_survey_has_enough(closed):
    answer_all(closed, [{0: 4, 1: 9}] * 3 + [{0: 3}] * 3)
    questions = by_position(survey_results(closed))

    assert (questions[0].status, questions[0].n) == (SHOWN, 6)
    assert (questions[1].status, questions[1].n, questions[1].net_score) == (TOO_FEW, None, None)


def test_results_wait_until_the_survey_closes(survey):
    answer_all(survey, ANSWERS * 2)
    results = survey_results(survey)

    assert (results.closed, results.n, results.questions) == (False, None, [])


def test_a_workspace_with_a_lower_threshold_shows_three(closed, workspace):
    SurveySettings.objects.create(workspace=workspace, min_responses=3, min_comments=3)
    answer_all(closed, ANSWERS[:3])
    questions = by_position(survey_results(closed))

    assert questions[0].status == SHOWN
    assert questions[5].comments == ["Fewer slides", "More role play", "shorter breaks"]


# 360° ------------------------------------------------------------------------------------------


@pytest.fixture
def about_pia(instrument, cast):
    return make_survey(instrument, subject=cast["participant"], state=SurveyState.CLOSED, title="360° for Pia")


def test_a_360_keeps_the_subjects_own_answers_for_the_subject(about_pia):
    add_response(about_pia, {0: 1, 5: "I could listen better"}, rater_group=RaterGroup.SELF)
    add_response(about_pia, {0: 5}, rater_group=RaterGroup.MANAGER)
    for value in (4, 4, 5, 3, 4):
        add_response(about_pia, {0: value}, rater_group=RaterGroup.PEER)

    for_admin = survey_results(about_pia)
    for_pia = survey_results(about_pia, viewer_is_subject=True)

    # Everyone else's figures leave the self-rating out: six raters, mean 25 / 6.
    assert (for_admin.n, by_position(for_admin)[0].mean.mean) == (6, 25 / 6)
    assert for_admin.own == []
    own = {q.question.position: q for q in for_pia.own}
    assert (own[0].status, own[0].mean.mean) == (SHOWN, 1)
    assert own[5].comments == ["I could listen better"]


def test_a_360_never_shows_the_manager_alone(about_pia):
    add_response(about_pia, {0: 1}, rater_group=RaterGroup.MANAGER)
    for value in (4, 4, 5, 3, 4):
        add_response(about_pia, {0: value}, rater_group=RaterGroup.PEER)
    for value in (2, 3, 3, 3, 2):
        add_response(about_pia, {0: value}, rater_group=RaterGroup.REPORT)

    breakdown = survey_results(about_pia, breakdown="rater_group").breakdown
    groups = {group.key: group for group in breakdown.groups}

    # Peers and reports would leave the manager alone: the smaller of them (by order) is held back.
    assert groups[RaterGroup.MANAGER].status == TOO_FEW
    assert sum(group.status == SHOWN for group in groups.values()) == 1
    assert survey_results(about_pia, rater_group=RaterGroup.MANAGER).refused


# Programme trend ------------------------------------------------------------------------------


def second_cohort(cohort, name, starts_on):
    from takeroot.programmes import services as programmes

    return programmes.create_cohort(
        programme=cohort.programme,
        actor=None,
        name=name,
        starts_on=starts_on,
        ends_on=starts_on + datetime.timedelta(days=20),
        trainers=[],
    )


def test_programme_trend_pools_only_what_each_cohort_shows(instrument, cohort, closed):
    later = second_cohort(cohort, "Gdańsk autumn", datetime.date(2026, 10, 1))
    small = second_cohort(cohort, "Poznań winter", datetime.date(2026, 11, 1))
    answer_all(closed, [{0: 4}] * 5, week=datetime.date(2026, 9, 28))
    answer_all(
        make_survey(instrument, cohort=later, state=SurveyState.CLOSED), [{0: 2}] * 5, week=datetime.date(2026, 10, 26)
    )
    answer_all(
        make_survey(instrument, cohort=small, state=SurveyState.CLOSED), [{0: 1}] * 2, week=datetime.date(2026, 11, 23)
    )

    results = programme_results(cohort.programme)
    trend = results.questions[0]

    assert [(point.label, point.result.status) for point in trend.cohorts] == [
        ("Kraków spring", SHOWN),
        ("Gdańsk autumn", SHOWN),
        ("Poznań winter", TOO_FEW),
    ]
    # The programme average leaves out the small cohort, so average minus cohorts reveals nothing.
    assert (trend.overall.n, trend.overall.mean.mean) == (10, 3.0)
    assert [point.difference for point in trend.cohorts] == [1.0, -1.0, None]
    assert [(point.key, point.result.status) for point in trend.months] == [
        (datetime.date(2026, 9, 1), SHOWN),
        (datetime.date(2026, 10, 1), SHOWN),
    ]


def test_programme_months_obey_the_remainder_rule(instrument, cohort, closed):
    answer_all(closed, [{0: 4}] * 5, week=datetime.date(2026, 9, 28))
    answer_all(closed, [{0: 2}] * 2, week=datetime.date(2026, 10, 5))

    months = programme_results(cohort.programme).questions[0].months

    # September alone would leave October's two answers as "all minus September".
    assert [(point.key, point.result.status, point.result.n) for point in months] == [
        (datetime.date(2026, 9, 1), TOO_FEW, None),
        (datetime.date(2026, 10, 1), TOO_FEW, None),
    ]


def test_programme_average_of_cohorts_all_too_small_says_not_enough_not_no_data(instrument, cohort, closed):
    answer_all(closed, [{0: 4}] * 3)

    trend = programme_results(cohort.programme).questions[0]

    assert (trend.overall.status, trend.overall.n, trend.overall.mean) == (TOO_FEW, None, None)
    assert trend.months == []
    unanswered = programme_results(cohort.programme).questions[1]
    assert unanswered.overall.status == NO_DATA


def test_programme_results_open_on_the_most_answered_questionnaire(instrument, cohort, closed, cast):
    pulse = Instrument.objects.create(
        workspace=instrument.workspace,
        programme=instrument.programme,
        kind=InstrumentKind.PULSE,
        content={"en": {"title": "Halfway pulse"}},
        created_by=cast["admin"].user,
    )
    make_survey(pulse, cohort=cohort, state=SurveyState.CLOSED)
    answer_all(closed, [{0: 4}] * 5)

    results = programme_results(cohort.programme)

    assert [found.pk for found in results.instruments] == [instrument.pk, pulse.pk]
    assert results.instrument == instrument


def test_team_filter_and_breakdown_exist(closed, workspace):
    sales = Team.objects.get(workspace=workspace, name="Sales")
    answer_all(closed, ANSWERS, team=sales)
    results = survey_results(closed, team=sales)
    assert (results.refused, results.n, results.filter_label) == ("", 5, "Team: Sales")
