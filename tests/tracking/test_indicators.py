"""The indicator engine: the default set, the math at every level against hand-computed values
from records written with ``recording.record``, previous periods and trends, lights, and
``read_by`` agreeing with ``read`` in a fixed number of queries."""

import datetime

import pytest
from django.utils import translation

from takeroot.programmes import services as programmes
from takeroot.programmes.enums import EnrolmentStatus
from takeroot.programmes.models import Enrolment
from takeroot.tracking.enums import Cadence, Input, Level, Light, Origin
from takeroot.tracking.indicators import Period, Scope, indicators_for, light_for, read, read_by, series
from takeroot.tracking.models import Indicator
from takeroot.tracking.recording import Fact, record
from tests.course_support import DAY, NOW
from tests.factories import PersonFactory, TeamFactory, UserFactory

WEEK = 7 * DAY
PERIOD = Period.last_weeks(2, today=NOW.date())  # the weeks of 28 September and 5 October 2026
THIS_WEEK, LAST_WEEK, EARLIER = NOW, NOW - WEEK, NOW - 3 * WEEK  # EARLIER is in the previous period


def fact(enrolment, input, value, *, at=NOW, module=None, cohort=None):
    return Fact(
        cohort_id=cohort.pk if cohort else enrolment.cohort_id,
        enrolment_id=enrolment.pk if enrolment else None,
        module_id=module.pk if module else None,
        input=input,
        value=value,
        occurred_at=at,
        origin=Origin.TAKEROOT,
    )


def by_code(readings):
    return {reading.indicator.code: reading for reading in readings}


def named(indicators):
    return {indicator.code: indicator for indicator in indicators}


def values(readings):
    return {code: reading.value for code, reading in by_code(readings).items() if reading.value is not None}


@pytest.fixture
def indicators(workspace):
    return indicators_for(workspace)


@pytest.fixture
def second_cohort(cast, programme):
    """Another cohort of the programme, with one participant of another team."""
    admin = cast["admin"]
    cohort = programmes.create_cohort(
        programme=programme,
        actor=admin.user,
        name="Gdańsk autumn",
        starts_on=datetime.date(2026, 9, 1),
        ends_on=datetime.date(2026, 12, 1),
    )
    person = PersonFactory(
        workspace=admin.workspace,
        user=UserFactory(email="lena@acme.test", name="Lena Late"),
        team=TeamFactory(workspace=admin.workspace, name="Support"),
    )
    programmes.enrol_people(cohort=cohort, actor=admin.user, people=[person])
    Enrolment.objects.filter(cohort=cohort).update(status=EnrolmentStatus.ACTIVE)
    return cohort


# The default set ----------------------------------------------------------------------------------


def test_the_default_set_is_seed_001s_table_created_once(workspace):
    first = indicators_for(workspace)
    again = indicators_for(workspace)

    assert [i.code for i in first] == [
        "attendance_rate",
        "time_online",
        "interactions",
        "quiz_accuracy",
        "assignment_accuracy",
        "practice_completion",
        "supervisor_evaluation",
        "check_in_progress",
        "usefulness",
        "trainer_effectiveness",
    ]
    assert [i.pk for i in again] == [i.pk for i in first]
    assert Indicator.objects.filter(workspace=workspace).count() == 10
    time_online = first[1]
    assert (time_online.formula, time_online.unit, time_online.threshold, time_online.cadence) == (
        "sum(time_online) / people / weeks",
        "min",
        60,
        Cadence.WEEK,
    )


def test_an_archived_default_stays_archived_and_out_of_the_set(workspace, indicators):
    Indicator.objects.filter(workspace=workspace, code="interactions").update(archived_at=NOW)

    assert "interactions" not in [i.code for i in indicators_for(workspace)]
    assert "interactions" in [i.code for i in indicators_for(workspace, include_archived=True)]
    assert Indicator.objects.filter(workspace=workspace).count() == 10


def test_default_names_are_shown_in_the_readers_language(workspace, indicators):
    with translation.override("en"):
        assert read_names(indicators)[0] == "Attendance rate"
    assert indicators[0].name == "Attendance rate"  # stored in English whatever the language


def read_names(indicators):
    from takeroot.tracking.indicators import name_of

    return [name_of(indicator) for indicator in indicators]


# Periods -----------------------------------------------------------------------------------------


def test_periods_are_whole_weeks_ending_after_the_current_one():
    period = Period.last_weeks(4, today=datetime.date(2026, 10, 8))  # a Thursday

    assert (period.start, period.end, period.weeks) == (datetime.date(2026, 9, 14), datetime.date(2026, 10, 12), 4)
    assert period.previous() == Period(datetime.date(2026, 8, 17), datetime.date(2026, 9, 14))
    assert Period.between(datetime.date(2026, 10, 1), datetime.date(2026, 10, 8)) == Period(
        datetime.date(2026, 9, 28), datetime.date(2026, 10, 12)
    )


# The math ----------------------------------------------------------------------------------------


def test_means_sums_per_person_per_week_and_counts(workspace, indicators, enrolment, other_enrolment, cohort):
    record(
        workspace,
        [
            fact(enrolment, Input.ATTENDANCE, 1),
            fact(enrolment, Input.ATTENDANCE, 1, at=LAST_WEEK),
            fact(enrolment, Input.ATTENDANCE, 0, at=LAST_WEEK),
            fact(other_enrolment, Input.ATTENDANCE, 1),
            fact(enrolment, Input.TIME_ONLINE, 120),
            fact(enrolment, Input.TIME_ONLINE, 60, at=LAST_WEEK),
            fact(other_enrolment, Input.TIME_ONLINE, 30),
            *[fact(enrolment, Input.INTERACTION, 1) for _ in range(6)],
        ],
    )

    assert values(read(Scope.for_enrolment(enrolment), PERIOD)) == {
        "attendance_rate": 2 / 3,
        "time_online": 180 / 1 / 2,
        "interactions": 6 / 1 / 2,
    }
    assert values(read(Scope.for_cohort(cohort), PERIOD)) == {
        "attendance_rate": 3 / 4,
        "time_online": 210 / 2 / 2,
        "interactions": 6 / 2 / 2,
    }
    assert by_code(read(Scope.for_cohort(cohort), PERIOD))["attendance_rate"].n == 4


def test_records_outside_the_period_count_only_as_the_previous_period(workspace, indicators, enrolment):
    record(
        workspace,
        [
            fact(enrolment, Input.QUIZ_SCORE, 0.9),
            fact(enrolment, Input.QUIZ_SCORE, 0.5, at=EARLIER),
            fact(enrolment, Input.QUIZ_SCORE, 0.1, at=NOW - 5 * WEEK),  # before both
            fact(enrolment, Input.QUIZ_SCORE, 0.0, at=NOW + WEEK),  # after both
        ],
    )

    quiz = by_code(read(Scope.for_enrolment(enrolment), PERIOD))["quiz_accuracy"]
    assert (quiz.value, quiz.previous, quiz.n, quiz.trend, quiz.light) == (0.9, 0.5, 1, "up", Light.GREEN)
    assert (quiz.text, quiz.change_text, quiz.improving) == ("90 %", "+40 points", True)


def test_a_module_scope_reads_its_module_and_others_read_every_row(
    workspace, indicators, enrolment, other_enrolment, cohort, modules
):
    record(
        workspace,
        [
            fact(enrolment, Input.QUIZ_SCORE, 0.4, module=modules[0]),
            fact(other_enrolment, Input.QUIZ_SCORE, 0.6, module=modules[0]),
            fact(enrolment, Input.QUIZ_SCORE, 1.0, module=modules[1]),
            fact(enrolment, Input.QUIZ_SCORE, 0.7),  # tied to no module
        ],
    )

    assert values(read(Scope.for_module(modules[0], cohort=cohort), PERIOD)) == {"quiz_accuracy": 0.5}
    assert values(read(Scope.for_module(modules[1]), PERIOD)) == {"quiz_accuracy": 1.0}
    assert values(read(Scope.for_cohort(cohort), PERIOD)) == {"quiz_accuracy": pytest.approx(2.7 / 4)}


def test_programme_team_and_workspace_levels(
    workspace, indicators, enrolment, other_enrolment, cohort, second_cohort, programme, team, cast
):
    lena = Enrolment.objects.get(cohort=second_cohort)
    record(workspace, [fact(enrolment, Input.TIME_ONLINE, 90), fact(other_enrolment, Input.TIME_ONLINE, 30)])
    record(workspace, [fact(lena, Input.TIME_ONLINE, 300)])
    sub_team = TeamFactory(workspace=workspace, name="Inside sales", parent=team)
    cast["other_participant"].team = sub_team
    cast["other_participant"].save()

    assert values(read(Scope.for_programme(programme), PERIOD))["time_online"] == 420 / 3 / 2
    assert values(read(Scope.for_workspace(workspace), PERIOD))["time_online"] == 420 / 3 / 2
    assert values(read(Scope.for_team(team), PERIOD))["time_online"] == 120 / 2 / 2  # with the sub-team
    assert values(read(Scope.for_team(sub_team), PERIOD))["time_online"] == 30 / 1 / 2
    assert Scope.for_team(team).level == Level.TEAM


def test_withdrawn_people_are_not_counted_as_people(workspace, indicators, enrolment, other_enrolment, cohort):
    record(workspace, [fact(enrolment, Input.TIME_ONLINE, 100)])
    other_enrolment.status = EnrolmentStatus.WITHDRAWN
    other_enrolment.save()

    assert values(read(Scope.for_cohort(cohort), PERIOD))["time_online"] == 100 / 1 / 2


def test_cohort_only_inputs_read_for_the_cohort_not_for_a_person(workspace, indicators, enrolment, cohort):
    record(workspace, [fact(None, Input.USEFULNESS, 0.8, cohort=cohort), fact(enrolment, Input.ATTENDANCE, 1)])

    cohort_reading = by_code(read(Scope.for_cohort(cohort), PERIOD))["usefulness"]
    person_reading = by_code(read(Scope.for_enrolment(enrolment), PERIOD))["usefulness"]
    assert (cohort_reading.value, cohort_reading.text) == (0.8, "80 %")
    assert (person_reading.value, person_reading.cohort_only, person_reading.text) == (
        None,
        True,
        "shown for the cohort only",
    )


def test_no_data_reads_as_none_with_no_light(workspace, indicators, cohort):
    readings = read(Scope.for_cohort(cohort), PERIOD)

    assert {(r.value, r.previous, r.n, r.light, r.trend, r.change_text) for r in readings} == {
        (None, None, 0, Light.NONE, None, "")
    }
    assert readings[0].text == "no data"


def test_an_admins_formula_is_read_like_the_defaults(workspace, indicators, enrolment, cohort):
    own = Indicator.objects.create(
        workspace=workspace,
        code="engaged_minutes_per_interaction",
        name="Minutes per interaction",
        category="engagement",
        formula="sum(time_online) / max(count(interaction), 1)",
        threshold=10,
    )
    record(workspace, [fact(enrolment, Input.TIME_ONLINE, 45), *[fact(enrolment, Input.INTERACTION, 1)] * 3])

    reading = read(Scope.for_cohort(cohort), PERIOD, indicators=[own])[0]
    assert (reading.value, reading.text, reading.light) == (15.0, "15", Light.GREEN)


# Lights ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "higher_is_better", "light"),
    [
        (0.8, True, Light.GREEN),
        (0.73, True, Light.AMBER),
        (0.72, True, Light.AMBER),
        (0.71, True, Light.RED),
        (None, True, Light.NONE),
        (0.8, False, Light.GREEN),
        (0.87, False, Light.AMBER),
        (0.89, False, Light.RED),
    ],
)
def test_lights_green_at_the_threshold_amber_within_ten_percent(value, higher_is_better, light):
    indicator = Indicator(threshold=0.8, higher_is_better=higher_is_better, unit="%")

    assert light_for(indicator, value) == light


def test_trend_and_change_in_minutes(workspace, indicators, enrolment):
    record(workspace, [fact(enrolment, Input.TIME_ONLINE, 60), fact(enrolment, Input.TIME_ONLINE, 120, at=EARLIER)])

    reading = by_code(read(Scope.for_enrolment(enrolment), PERIOD))["time_online"]
    assert (reading.text, reading.trend, reading.change_text, reading.light) == ("30 min", "down", "−30 min", Light.RED)


# read_by -----------------------------------------------------------------------------------------


def _busy_cohort(workspace, cohort, modules):
    facts = []
    for index, enrolment in enumerate(Enrolment.objects.filter(cohort=cohort)):
        facts += [
            fact(enrolment, Input.ATTENDANCE, index % 2),
            fact(enrolment, Input.TIME_ONLINE, 30 + index, at=LAST_WEEK),
            fact(enrolment, Input.QUIZ_SCORE, 0.5 + index / 100, module=modules[index % 2]),
            fact(enrolment, Input.INTERACTION, 1, at=EARLIER),
        ]
    record(workspace, facts)


def test_read_by_gives_what_read_gives_for_each_item(
    workspace, indicators, cohort, second_cohort, programme, modules, team
):
    _busy_cohort(workspace, cohort, modules)
    _busy_cohort(workspace, second_cohort, modules)
    scope = Scope.for_programme(programme)

    def same(found, scopes):
        assert {key: [(r.value, r.previous, r.n) for r in readings] for key, readings in found.items()} == {
            key: [(r.value, r.previous, r.n) for r in read(item, PERIOD)] for key, item in scopes.items()
        }

    enrolments = Enrolment.objects.filter(cohort__programme=programme)
    same(read_by(scope, PERIOD, by="enrolment"), {e.pk: Scope.for_enrolment(e) for e in enrolments})
    same(read_by(scope, PERIOD, by="cohort"), {c.pk: Scope.for_cohort(c) for c in (cohort, second_cohort)})
    same(read_by(scope, PERIOD, by="module"), {m.pk: Scope.for_module(m) for m in modules})
    teams = {e.person.team for e in enrolments}
    same(read_by(Scope.for_workspace(workspace), PERIOD, by="team"), {t.pk: Scope.for_team(t) for t in teams})


def test_read_by_lists_items_without_data(workspace, indicators, cohort, enrolment, other_enrolment):
    found = read_by(Scope.for_cohort(cohort), PERIOD, by="enrolment")

    assert list(found) == [other_enrolment.pk, enrolment.pk]  # by name: Olek, Pia
    assert {r.light for readings in found.values() for r in readings} == {Light.NONE}


def test_read_by_queries_do_not_grow_with_the_enrolments(
    workspace, indicators, cohort, modules, cast, django_assert_max_num_queries
):
    _busy_cohort(workspace, cohort, modules)
    with django_assert_max_num_queries(2):
        small = read_by(Scope.for_cohort(cohort), PERIOD, by="enrolment", indicators=indicators)
    people = [PersonFactory(workspace=workspace, user=UserFactory()) for _ in range(8)]
    programmes.enrol_people(cohort=cohort, actor=cast["admin"].user, people=people)
    _busy_cohort(workspace, cohort, modules)
    with django_assert_max_num_queries(2):
        large = read_by(Scope.for_cohort(cohort), PERIOD, by="enrolment", indicators=indicators)

    assert (len(small), len(large)) == (2, 10)


def test_read_takes_two_queries_at_most(workspace, indicators, cohort, modules, django_assert_max_num_queries):
    _busy_cohort(workspace, cohort, modules)

    with django_assert_max_num_queries(2):
        read(Scope.for_cohort(cohort), PERIOD, indicators=indicators)


# Series ------------------------------------------------------------------------------------------


def test_a_weekly_series_has_a_point_per_week(workspace, indicators, enrolment, cohort):
    record(workspace, [fact(enrolment, Input.ATTENDANCE, 1), fact(enrolment, Input.ATTENDANCE, 0, at=EARLIER)])
    attendance = named(indicators)["attendance_rate"]

    points = series(Scope.for_cohort(cohort), attendance, Period.last_weeks(4, today=NOW.date()))
    assert [(when, value) for when, value in points] == [
        (datetime.date(2026, 9, 14), 0.0),
        (datetime.date(2026, 9, 21), None),
        (datetime.date(2026, 9, 28), None),
        (datetime.date(2026, 10, 5), 1.0),
    ]
    assert points[0].label == "week of September 14"


def test_two_weekly_and_monthly_series_add_their_weeks_up(workspace, indicators, enrolment, cohort):
    record(
        workspace,
        [
            fact(enrolment, Input.PRACTICE_COMPLETION, 1),
            fact(enrolment, Input.PRACTICE_COMPLETION, 0, at=LAST_WEEK),
            fact(enrolment, Input.TIME_ONLINE, 120, at=EARLIER),
            fact(enrolment, Input.TIME_ONLINE, 40, at=LAST_WEEK),
        ],
    )
    practice, time_online = named(indicators)["practice_completion"], named(indicators)["time_online"]
    time_online.cadence = Cadence.MONTH
    period = Period.last_weeks(4, today=NOW.date())

    assert list(series(Scope.for_enrolment(enrolment), practice, period)) == [
        (datetime.date(2026, 9, 14), None),
        (datetime.date(2026, 9, 28), 0.5),
    ]
    monthly = series(Scope.for_enrolment(enrolment), time_online, period)
    assert list(monthly) == [(datetime.date(2026, 9, 1), 160 / 3), (datetime.date(2026, 10, 1), None)]
    assert monthly[0].label == "September 2026"


def test_a_per_module_series_follows_the_modules_order(workspace, indicators, enrolment, cohort, modules):
    record(
        workspace,
        [
            fact(enrolment, Input.QUIZ_SCORE, 0.6, module=modules[1], at=LAST_WEEK),
            fact(enrolment, Input.QUIZ_SCORE, 0.8, module=modules[1]),
            fact(enrolment, Input.QUIZ_SCORE, 0.1),  # no module: not in a per-module series
        ],
    )
    quiz = named(indicators)["quiz_accuracy"]

    points = series(Scope.for_cohort(cohort), quiz, PERIOD)
    assert [(point.label, point.value) for point in points] == [
        ("Opening the call", None),
        ("Handling objections", pytest.approx(0.7)),
    ]
    assert points[1].when == datetime.date(2026, 9, 28)
