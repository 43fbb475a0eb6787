"""Takeroot's own records feed the indicators: each source records what it should, changes replace
what it recorded, deletions take it away, and a rolled-back action records nothing."""

import datetime
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import transaction

from takeroot.core.periodic import JOBS
from takeroot.followup import sessions
from takeroot.followup.models import FollowUpSession
from takeroot.plans import services as plans
from takeroot.plans.models import CheckIn
from takeroot.practice import services as practice
from takeroot.practice.enums import ReviewRole
from takeroot.quizzes import services as quizzes
from takeroot.quizzes.enums import AnswerChannel
from takeroot.surveys.distribution import close_survey, reopen_survey
from takeroot.surveys.enums import SurveyState
from takeroot.tickets import services as tickets
from takeroot.tickets.enums import Category
from takeroot.tickets.models import Ticket
from takeroot.tracking.enums import Input, Origin
from takeroot.tracking.models import ActivityRecord, Rollup
from takeroot.tracking.recording import week_of
from takeroot.tracking.sources import backfill, goal_progress, record_overdue_practice, sync
from tests.course_support import DAY, NOW
from tests.quizzes.conftest import make_question
from tests.surveys.conftest import add_response, instrument, make_survey  # noqa: F401 (a fixture too)


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """Run the body's on-commit callbacks (the receivers' syncs) as a committed request would."""

    def run():
        return django_capture_on_commit_callbacks(execute=True)

    return run


def recorded(input, **filters):
    return sorted(
        (r.enrolment_id, r.module_id, r.value, r.origin)
        for r in ActivityRecord.objects.filter(input=input, **filters).order_by("pk")
    )


def rollups(input):
    return {(r.enrolment_id, r.module_id, r.week): (r.total, r.count) for r in Rollup.objects.filter(input=input)}


# Quiz answers ------------------------------------------------------------------------------------


def _answer(enrolment, question, *, right: bool, now=NOW):
    quiz_round = quizzes.start_round(enrolment, now=now, questions=[question])
    item = quiz_round.items.get()
    choice = question.correct[0] if right else next(i for i in range(3) if i not in question.correct)
    return quizzes.record_answer(item, choices=[choice], channel=AnswerChannel.WEB, now=now)[0]


def test_every_quiz_answer_is_a_score_for_the_questions_module(enrolment, programme, modules, committed):
    question = make_question(programme, module=modules[1])
    with committed():
        _answer(enrolment, question, right=True)
        _answer(enrolment, question, right=False, now=NOW + 3 * DAY)  # a later review counts too

    assert recorded(Input.QUIZ_SCORE) == [
        (enrolment.pk, modules[1].pk, 0.0, Origin.TAKEROOT),
        (enrolment.pk, modules[1].pk, 1.0, Origin.TAKEROOT),
    ]
    assert rollups(Input.QUIZ_SCORE) == {(enrolment.pk, modules[1].pk, week_of(NOW)): (1.0, 2)}


# Check-ins -----------------------------------------------------------------------------------------


@pytest.fixture
def plan_and_goal(enrolment):
    plan = plans.open_plan(enrolment=enrolment, actor=None)
    goal = plans.add_goal(
        plan=plan,
        actor=None,
        kind="numeric",
        title="Shorter calls",
        metric="Average call length",
        unit="minutes",
        baseline=Decimal(10),
        target=Decimal(6),
    )
    plans.add_goal(plan=plan, actor=None, kind="rating", title="Calm under pressure", baseline=3, target=8)
    plans.submit_plan(plan=plan, actor=None)
    return plan, goal


def _check_in(plan, values, **fields):
    return plans.record_check_in(
        plan=plan, actor=None, author=None, status="on_track", confidence=4, values=values, **fields
    )


def test_a_check_in_counts_and_reports_the_share_of_the_way_to_the_goals(plan_and_goal, enrolment, committed):
    plan, goal = plan_and_goal
    with committed():
        _check_in(plan, {goal: "9"}, created_at=NOW)
        _check_in(plan, {goal: "4"}, created_at=NOW + 7 * DAY)  # past the target: clipped to 1

    assert recorded(Input.CHECK_IN) == [(enrolment.pk, None, 1.0, Origin.TAKEROOT)] * 2
    assert recorded(Input.CHECK_IN_PROGRESS) == [
        (enrolment.pk, None, 0.25, Origin.TAKEROOT),
        (enrolment.pk, None, 1.0, Origin.TAKEROOT),
    ]


def test_a_check_in_without_numeric_values_counts_without_progress(plan_and_goal, enrolment, committed):
    plan, _goal = plan_and_goal
    with committed():
        _check_in(plan, {})
    assert recorded(Input.CHECK_IN) == [(enrolment.pk, None, 1.0, Origin.TAKEROOT)]
    assert recorded(Input.CHECK_IN_PROGRESS) == []


def test_a_rolled_back_check_in_records_nothing(plan_and_goal, committed):
    plan, goal = plan_and_goal

    @transaction.atomic
    def failing_request():
        _check_in(plan, {goal: "8"})
        raise RuntimeError("the request failed after the check-in")

    with committed(), pytest.raises(RuntimeError):
        failing_request()
    assert ActivityRecord.objects.count() == 0
    assert Rollup.objects.count() == 0


def test_a_deleted_check_in_takes_its_records_away(plan_and_goal, committed):
    plan, goal = plan_and_goal
    with committed():
        check_in = _check_in(plan, {goal: "8"})
    assert ActivityRecord.objects.count() == 2
    with committed():
        CheckIn.objects.filter(pk=check_in.pk).first().delete()
    assert ActivityRecord.objects.count() == 0
    assert Rollup.objects.count() == 0


@pytest.mark.parametrize(
    ("baseline", "target", "value", "share"),
    [(10, 6, 8, 0.5), (10, 6, 11, 0.0), (10, 6, 2, 1.0), (0, 40, 10, 0.25), (5, 5, 5, 1.0), (5, 5, 4, 0.0)],
)
def test_goal_progress_is_the_share_of_the_way_clipped(baseline, target, value, share):
    assert goal_progress(baseline, target, value) == share


# Supervisors' ratings ----------------------------------------------------------------------------------


def test_the_line_managers_rating_is_a_supervisor_evaluation_and_a_trainers_is_not(
    plan_and_goal, enrolment, cast, committed
):
    plan, _goal = plan_and_goal
    with committed():
        plans.give_feedback(plan=plan, actor=None, author=cast["manager"], comment="Good progress", rating=4)
        plans.give_feedback(plan=plan, actor=None, author=cast["trainer"], comment="Keep going", rating=2)
        plans.give_feedback(plan=plan, actor=None, author=cast["manager"], comment="No figure this time")
    assert recorded(Input.SUPERVISOR_EVALUATION) == [(enrolment.pk, None, 0.75, Origin.TAKEROOT)]


# Practice tasks ------------------------------------------------------------------------------------------


@pytest.fixture
def assignment(cohort, enrolment, modules, cast):
    task = practice.create_task(
        cohort=cohort,
        actor=None,
        created_by=cast["trainer"],
        title="Handle one objection with the new model",
        instructions="Try it on a real call and write what happened.",
        due_on=datetime.date.today() + datetime.timedelta(days=7),
        module=modules[1],
    )
    (found,) = practice.assign_task(task=task, actor=None, assigned_by=cast["trainer"], enrolments=[enrolment])
    return found


def _complete(assignment, cast):
    practice.submit_report(assignment=assignment, actor=None, author=cast["participant"], text="It worked.")
    practice.accept_report(assignment=assignment, actor=None, reviewer=cast["trainer"], role=ReviewRole.TRAINER)
    practice.accept_report(assignment=assignment, actor=None, reviewer=cast["manager"], role=ReviewRole.SUPERVISOR)


def test_a_completed_practice_task_counts_once_completed(assignment, enrolment, modules, cast, committed):
    with committed():
        practice.submit_report(assignment=assignment, actor=None, author=cast["participant"], text="It worked.")
    assert recorded(Input.PRACTICE_COMPLETION) == []  # waiting for review is not completed yet

    with committed():
        practice.accept_report(assignment=assignment, actor=None, reviewer=cast["trainer"], role=ReviewRole.TRAINER)
        practice.accept_report(assignment=assignment, actor=None, reviewer=cast["manager"], role=ReviewRole.SUPERVISOR)
    assert recorded(Input.PRACTICE_COMPLETION) == [(enrolment.pk, modules[1].pk, 1.0, Origin.TAKEROOT)]


def test_a_task_past_its_due_date_counts_as_not_completed_until_it_is(assignment, enrolment, cast, committed):
    workspace = enrolment.workspace
    after_due = datetime.datetime.combine(assignment.task.due_on + DAY, datetime.time(9), tzinfo=datetime.UTC)
    assert record_overdue_practice(workspace, now=after_due - 2 * DAY) == 0
    assert record_overdue_practice(workspace, now=after_due) == 1
    assert record_overdue_practice(workspace, now=after_due) == 0  # once
    assert [value for _e, _m, value, _o in recorded(Input.PRACTICE_COMPLETION)] == [0.0]

    with committed():
        _complete(assignment, cast)  # late, but done: the 0 becomes a 1
    assert [value for _e, _m, value, _o in recorded(Input.PRACTICE_COMPLETION)] == [1.0]
    assert sum(count for _total, count in rollups(Input.PRACTICE_COMPLETION).values()) == 1


# Tickets ---------------------------------------------------------------------------------------------------


def _raise(cast, enrolment, module):
    return tickets.raise_ticket(
        person=cast["participant"],
        category=Category.CONTENT,
        subject="What counts as an objection?",
        body="Is a question about the price an objection?",
        enrolment=enrolment,
        module=module,
    )


def test_a_raised_ticket_counts_for_its_module_and_stays_counted_when_withdrawn(
    enrolment, modules, cast, committed, smtp_sink
):
    with committed():
        ticket = _raise(cast, enrolment, modules[0])
    assert recorded(Input.TICKET) == [(enrolment.pk, modules[0].pk, 1.0, Origin.TAKEROOT)]

    with committed():
        tickets.withdraw(ticket=ticket, person=cast["participant"])
    assert recorded(Input.TICKET) == [(enrolment.pk, modules[0].pk, 1.0, Origin.TAKEROOT)]

    with committed():
        ticket.delete()
    assert recorded(Input.TICKET) == []


# Follow-up session attendance ---------------------------------------------------------------------------


@pytest.fixture
def held_session(cohort, cast, smtp_sink):
    starts = datetime.datetime.now(datetime.UTC) + 2 * DAY
    session = sessions.schedule_session(
        cohort=cohort,
        actor=None,
        created_by=cast["trainer"],
        title="Four weeks on",
        starts_at=starts,
        ends_at=starts + datetime.timedelta(hours=2),
        online_link="https://meet.example.com/four-weeks",
    )
    FollowUpSession.objects.filter(pk=session.pk).update(starts_at=starts - 5 * DAY, ends_at=starts - 4 * DAY)
    session.refresh_from_db()
    return session


def test_attendance_marks_record_and_a_changed_mark_replaces_the_record(
    held_session, enrolment, other_enrolment, cast, committed
):
    me, other = cast["participant"], cast["other_participant"]
    with committed():
        sessions.record_attendance(session=held_session, attended={me.pk: True, other.pk: False}, actor=None)
    assert recorded(Input.ATTENDANCE) == [
        (enrolment.pk, None, 1.0, Origin.TAKEROOT),
        (other_enrolment.pk, None, 0.0, Origin.TAKEROOT),
    ]

    with committed():
        sessions.record_attendance(session=held_session, attended={me.pk: False, other.pk: None}, actor=None)
    assert recorded(Input.ATTENDANCE) == [(enrolment.pk, None, 0.0, Origin.TAKEROOT)]
    assert rollups(Input.ATTENDANCE) == {(enrolment.pk, None, week_of(held_session.starts_at)): (0.0, 1)}


# Survey results ------------------------------------------------------------------------------------------


def _answered(survey, people: int):
    for index in range(people):
        # usefulness (1–5) 4 or 5; the trainer matrix (two rows, 1–5) 5 and 3
        add_response(survey, {0: 4 + index % 2, 4: [5, 3]})


def test_a_closed_survey_above_the_threshold_gives_the_cohort_its_satisfaction(
    instrument,  # noqa: F811
    cohort,
    committed,
):
    survey = make_survey(instrument, cohort=cohort)
    _answered(survey, 6)
    assert recorded(Input.USEFULNESS) == []  # open: nothing yet

    with committed():
        close_survey(survey=survey, actor=None, now=NOW)
    # usefulness mean 4.5 on 1–5 → 0.875; trainer rows 5 and 3 → mean 4 → 0.75
    assert recorded(Input.USEFULNESS) == [(None, None, 0.875, Origin.TAKEROOT)]
    assert recorded(Input.TRAINER_EFFECTIVENESS) == [(None, None, 0.75, Origin.TAKEROOT)]
    assert ActivityRecord.objects.filter(input=Input.USEFULNESS, cohort=cohort).count() == 1

    with committed():
        reopen_survey(survey=survey, actor=None, closes_at=NOW + 9 * DAY, now=NOW)
    assert recorded(Input.USEFULNESS) == []


def test_a_survey_below_the_anonymity_threshold_gives_nothing(instrument, cohort, committed):  # noqa: F811
    survey = make_survey(instrument, cohort=cohort)
    _answered(survey, 4)  # the default threshold is 5
    with committed():
        close_survey(survey=survey, actor=None, now=NOW)
    assert survey.state == SurveyState.CLOSED
    assert ActivityRecord.objects.count() == 0


# Backfill ---------------------------------------------------------------------------------------------------


def test_backfill_records_what_is_missing_once(plan_and_goal, enrolment, programme, modules, cast, smtp_sink):
    # Without ``committed`` the receivers' syncs never run: these rows exist unrecorded.
    plan, goal = plan_and_goal
    _check_in(plan, {goal: "8"})
    _answer(enrolment, make_question(programme, module=modules[0]), right=True)
    _raise(cast, enrolment, modules[0])
    workspace = enrolment.workspace
    assert ActivityRecord.objects.count() == 0

    first = backfill(workspace)
    assert {kind: count for kind, count in first.items() if count} == {"quiz-answer": 1, "check-in": 2, "ticket": 1}
    rollups_after_first = set(Rollup.objects.values_list("bucket", "total", "count"))

    assert sum(backfill(workspace).values()) == 0
    assert set(Rollup.objects.values_list("bucket", "total", "count")) == rollups_after_first
    assert ActivityRecord.objects.count() == 4


def test_backfill_leaves_other_workspaces_alone(plan_and_goal, cast):
    plan, goal = plan_and_goal
    _check_in(plan, {goal: "8"})
    assert sum(backfill(cast["outsider"].workspace).values()) == 0
    assert ActivityRecord.objects.count() == 0


def test_sync_of_a_row_that_gives_the_same_facts_changes_nothing(plan_and_goal, enrolment, committed):
    plan, goal = plan_and_goal
    with committed():
        check_in = _check_in(plan, {goal: "8"})
    before = set(ActivityRecord.objects.values_list("pk", "key", "value"))
    assert sync(enrolment.workspace, "check-in", [check_in.pk]) == 2
    assert set(ActivityRecord.objects.values_list("pk", "key", "value")) == before


def test_the_backfill_command_prints_counts_per_workspace(plan_and_goal, capsys):
    plan, goal = plan_and_goal
    _check_in(plan, {goal: "8"})
    call_command("tracking_backfill", "--workspace", "acme")
    out = capsys.readouterr().out
    assert out.startswith("acme: 2 new records (quiz-answer 0, check-in 2, practice 0,")
    call_command("tracking_backfill")
    assert "acme: 0 new records" in capsys.readouterr().out


def test_the_backfill_command_refuses_an_unknown_workspace(db):
    with pytest.raises(CommandError, match="No workspace has the short name 'nope'"):
        call_command("tracking_backfill", "--workspace", "nope")


def test_the_hourly_job_records_overdue_practice_in_every_workspace(assignment, enrolment):
    job = JOBS["record_overdue_practice_everywhere"]
    assert job.every == datetime.timedelta(hours=1)
    job.run()
    assert recorded(Input.PRACTICE_COMPLETION) == []  # not due yet
    type(assignment.task).objects.filter(pk=assignment.task_id).update(due_on=datetime.date.today() - 2 * DAY)
    job.run()
    job.run()
    assert recorded(Input.PRACTICE_COMPLETION) == [(enrolment.pk, assignment.task.module_id, 0.0, Origin.TAKEROOT)]


def test_a_ticket_about_a_cohort_counts_for_the_raisers_enrolment(cohort, enrolment, cast, committed):
    with committed():
        Ticket.objects.create(
            workspace=cohort.workspace,
            number=1,
            raised_by=cast["participant"],
            cohort=cohort,
            subject="Where are the slides?",
            body="I cannot find them.",
            created_at=NOW,
            due_at=NOW + DAY,
        )
        Ticket.objects.create(
            workspace=cohort.workspace,
            number=2,
            raised_by=cast["participant"],
            subject="Not about a course",
            body="How do I change my password?",
            created_at=NOW,
            due_at=NOW + DAY,
        )
    assert recorded(Input.TICKET) == [(enrolment.pk, None, 1.0, Origin.TAKEROOT)]
