"""The at-risk rules and flags: each rule from hand-made records, thresholds from the settings,
flags opened, updated and resolved by themselves, one open flag per enrolment, notices to the
right people once, interventions and resolution, the queued evaluation after recording."""

import datetime

import pytest
from django.db import IntegrityError

from takeroot.core.models import OutgoingMail
from takeroot.plans.enums import CheckInStatus, PlanState
from takeroot.plans.models import ActionPlan, CheckIn
from takeroot.tracking import services
from takeroot.tracking.enums import FlagState, Input, InterventionKind, Origin, RiskReason
from takeroot.tracking.models import AtRiskFlag, Intervention, TrackingSettings
from takeroot.tracking.recording import Fact, record
from takeroot.tracking.risk import assess, describe, evaluate_enrolments, evaluate_workspace, missed_check_ins
from tests.course_support import DAY, NOW

pytestmark = pytest.mark.django_db
BEFORE = NOW - 14 * DAY  # the week of 21 September: the fortnight before
RECENT = NOW - 2 * DAY  # the week of 28 September: the recent fortnight


def fact(enrolment, input, value, at, module=None):
    return Fact(
        cohort_id=enrolment.cohort_id,
        enrolment_id=enrolment.pk,
        module_id=module.pk if module else None,
        input=input,
        value=value,
        occurred_at=at,
        origin=Origin.TAKEROOT,
    )


def put(enrolment, *facts):
    record(enrolment.workspace, facts)


def reasons_of(enrolment, now=NOW):
    return assess(enrolment.workspace, [enrolment.pk], now=now).get(enrolment.pk)


def codes(reasons):
    return [reason["reason"] for reason in reasons]


def plan_for(enrolment, *, cadence=7, submitted=NOW - 30 * DAY, check_ins=()):
    plan = ActionPlan.objects.create(
        workspace=enrolment.workspace,
        enrolment=enrolment,
        state=PlanState.APPROVED,
        cadence_days=cadence,
        submitted_at=submitted,
    )
    for at, status in check_ins:
        CheckIn.objects.create(workspace=enrolment.workspace, plan=plan, status=status, confidence=3, created_at=at)
    return plan


# The rules -----------------------------------------------------------------------------------------


def test_time_online_falling_by_the_threshold_is_a_reason(enrolment):
    put(enrolment, fact(enrolment, Input.TIME_ONLINE, 200, BEFORE), fact(enrolment, Input.TIME_ONLINE, 100, RECENT))
    (reason,) = reasons_of(enrolment)
    assert reason == {
        "reason": RiskReason.ENGAGEMENT_FALLING,
        "detail": {
            "inputs": {"time_online": {"before": 200.0, "after": 100.0, "drop_percent": 50}},
            "threshold_percent": 40,
        },
    }
    assert describe(reason) == (
        "Engagement fell in the last two weeks against the two before: Time online (minutes) 200 min → 100 min (−50 %)."
    )


def test_a_smaller_fall_is_no_reason_and_the_threshold_comes_from_the_settings(enrolment):
    put(enrolment, fact(enrolment, Input.INTERACTION, 10, BEFORE), fact(enrolment, Input.INTERACTION, 7, RECENT))
    assert reasons_of(enrolment) == []
    TrackingSettings.objects.create(workspace=enrolment.workspace, engagement_drop_percent=30)
    assert codes(reasons_of(enrolment)) == [RiskReason.ENGAGEMENT_FALLING]


def test_attendance_compares_rates_not_sessions(enrolment):
    put(
        enrolment,
        fact(enrolment, Input.ATTENDANCE, 1, BEFORE),
        fact(enrolment, Input.ATTENDANCE, 1, BEFORE),
        fact(enrolment, Input.ATTENDANCE, 1, RECENT),  # one session of one: still 100 %
    )
    assert reasons_of(enrolment) == []
    put(enrolment, fact(enrolment, Input.ATTENDANCE, 0, RECENT), fact(enrolment, Input.ATTENDANCE, 0, RECENT))
    (reason,) = reasons_of(enrolment)
    assert reason["detail"]["inputs"]["attendance"] == {"before": 1.0, "after": 0.3333, "drop_percent": 67}


def test_no_engagement_while_the_cohort_runs_and_others_engage(enrolment, other_enrolment):
    cohort = enrolment.cohort
    cohort.ends_on = datetime.date(2026, 12, 18)
    cohort.save()
    assert reasons_of(enrolment) == []  # nobody engages: nothing to compare with
    put(other_enrolment, fact(other_enrolment, Input.TIME_ONLINE, 30, RECENT))
    (reason,) = reasons_of(enrolment)
    assert reason == {"reason": RiskReason.ENGAGEMENT_FALLING, "detail": {"none_for_days": 14, "others_engaged": 1}}
    assert reasons_of(other_enrolment) == []


def test_no_engagement_after_the_cohort_ended_is_no_reason(enrolment, other_enrolment):
    put(other_enrolment, fact(other_enrolment, Input.TIME_ONLINE, 30, RECENT))
    assert reasons_of(enrolment) == []  # the cohort ended on 30 September


def test_scores_dropping_by_points(enrolment, modules):
    put(
        enrolment,
        fact(enrolment, Input.QUIZ_SCORE, 0.9, BEFORE, modules[0]),
        fact(enrolment, Input.ASSIGNMENT_SCORE, 0.9, BEFORE),
        fact(enrolment, Input.QUIZ_SCORE, 0.6, RECENT, modules[1]),
    )
    (reason,) = reasons_of(enrolment)
    assert reason["reason"] == RiskReason.SCORES_DROPPING
    assert reason["detail"] == {"before": 0.9, "after": 0.6, "drop_points": 30, "threshold_points": 20}
    TrackingSettings.objects.create(workspace=enrolment.workspace, score_drop_points=35)
    assert reasons_of(enrolment) == []


def test_scores_below_the_quiz_accuracy_threshold_with_enough_answers(enrolment):
    put(enrolment, *[fact(enrolment, Input.QUIZ_SCORE, 0.5, RECENT) for _ in range(4)])
    assert reasons_of(enrolment) == []  # four answers are not enough
    put(enrolment, fact(enrolment, Input.QUIZ_SCORE, 0.5, RECENT))
    (reason,) = reasons_of(enrolment)
    assert reason["detail"] == {"mean": 0.5, "answers": 5, "threshold": 0.7}
    assert describe(reason) == "Quiz and assignment scores average 50 % over 5 answers, below 70 %."


def test_missed_check_ins_follow_the_plans_rule():
    since = datetime.datetime(2026, 9, 1, 9, tzinfo=datetime.UTC)
    assert missed_check_ins(since=since, cadence_days=7, today=datetime.date(2026, 9, 15)) == 1
    assert missed_check_ins(since=since, cadence_days=7, today=datetime.date(2026, 9, 16)) == 2


def test_missed_check_ins_and_a_blocked_plan(enrolment):
    plan_for(enrolment, check_ins=[(NOW - 15 * DAY, CheckInStatus.ON_TRACK)])
    (reason,) = reasons_of(enrolment)
    assert reason == {
        "reason": RiskReason.MISSED_CHECK_INS,
        "detail": {"missed": 2, "cadence_days": 7, "last_check_in": "2026-09-20", "threshold": 2},
    }
    CheckIn.objects.create(
        workspace=enrolment.workspace,
        plan=enrolment.action_plan,
        status=CheckInStatus.BLOCKED,
        confidence=2,
        created_at=NOW - DAY,
    )
    (reason,) = reasons_of(enrolment)
    assert reason == {"reason": RiskReason.PLAN_BLOCKED, "detail": {"since": "2026-10-04"}}
    assert describe(reason) == "The latest check-in (2026-10-04) says the action plan is blocked."


def test_a_draft_plan_misses_no_check_ins(enrolment):
    plan_for(enrolment)
    ActionPlan.objects.update(state=PlanState.DRAFT)
    assert reasons_of(enrolment) == []


def test_withdrawn_enrolments_and_cohorts_long_over_are_not_evaluated(enrolment, other_enrolment):
    plan_for(enrolment)
    enrolment.status = "withdrawn"
    enrolment.save()
    assert reasons_of(enrolment) is None
    plan_for(other_enrolment)
    assert reasons_of(other_enrolment, now=NOW + 120 * DAY) is None


def test_a_whole_workspace_is_assessed_in_a_handful_of_queries(
    enrolment, other_enrolment, django_assert_max_num_queries
):
    plan_for(enrolment)
    put(other_enrolment, fact(other_enrolment, Input.TIME_ONLINE, 100, BEFORE))
    with django_assert_max_num_queries(7):
        found = assess(enrolment.workspace, None, now=NOW)
    assert {pk: codes(reasons) for pk, reasons in found.items()} == {
        enrolment.pk: [RiskReason.MISSED_CHECK_INS],
        other_enrolment.pk: [RiskReason.ENGAGEMENT_FALLING],
    }


# Flags ---------------------------------------------------------------------------------------------


def test_a_flag_opens_updates_and_resolves_by_itself(enrolment, cast):
    plan = plan_for(enrolment)
    outcome = evaluate_enrolments(enrolment.workspace, [enrolment.pk], now=NOW)
    assert outcome.opened == [enrolment.pk]
    flag = AtRiskFlag.objects.get()
    assert (flag.state, codes(flag.reasons), flag.raised_at) == (FlagState.OPEN, [RiskReason.MISSED_CHECK_INS], NOW)

    # Evaluating again changes nothing.
    assert evaluate_enrolments(enrolment.workspace, [enrolment.pk], now=NOW).updated == []

    CheckIn.objects.create(
        workspace=enrolment.workspace, plan=plan, status=CheckInStatus.BLOCKED, confidence=1, created_at=NOW
    )
    assert evaluate_enrolments(enrolment.workspace, [enrolment.pk], now=NOW).updated == [enrolment.pk]
    flag.refresh_from_db()
    assert codes(flag.reasons) == [RiskReason.PLAN_BLOCKED]

    CheckIn.objects.create(
        workspace=enrolment.workspace, plan=plan, status=CheckInStatus.ON_TRACK, confidence=4, created_at=NOW + DAY
    )
    assert evaluate_enrolments(enrolment.workspace, [enrolment.pk], now=NOW + DAY).resolved == [enrolment.pk]
    flag.refresh_from_db()
    assert (flag.state, flag.resolved_by, flag.resolved_at) == (FlagState.RESOLVED, None, NOW + DAY)
    assert codes(flag.reasons) == [RiskReason.PLAN_BLOCKED]  # why it was raised stays readable


def test_one_open_flag_per_enrolment(enrolment):
    AtRiskFlag.objects.create(workspace=enrolment.workspace, enrolment=enrolment, raised_at=NOW, updated_at=NOW)
    assert services.raise_flag(workspace=enrolment.workspace, enrolment_id=enrolment.pk, reasons=[], now=NOW) is None
    with pytest.raises(IntegrityError):
        AtRiskFlag.objects.create(workspace=enrolment.workspace, enrolment=enrolment, raised_at=NOW, updated_at=NOW)


def test_the_nightly_run_flags_the_quiet_and_resolves_the_withdrawn(enrolment, other_enrolment):
    plan_for(enrolment)
    plan_for(other_enrolment)
    outcome = evaluate_workspace(enrolment.workspace, now=NOW)
    assert sorted(outcome.opened) == sorted([enrolment.pk, other_enrolment.pk])
    other_enrolment.status = "withdrawn"
    other_enrolment.save()
    assert evaluate_workspace(enrolment.workspace, now=NOW).resolved == [other_enrolment.pk]


def test_recording_activity_queues_an_evaluation(enrolment, other_enrolment, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        put(enrolment, fact(enrolment, Input.TIME_ONLINE, 300, BEFORE))
    assert not AtRiskFlag.objects.exists()  # evaluated at the time of recording: nothing yet
    plan_for(other_enrolment)
    with django_capture_on_commit_callbacks(execute=True):
        put(other_enrolment, fact(other_enrolment, Input.INTERACTION, 1, NOW))
    assert AtRiskFlag.objects.get().enrolment == other_enrolment


# Notices -------------------------------------------------------------------------------------------


def _mail_to():
    return sorted(OutgoingMail.objects.filter(template="tracking/risk_flagged").values_list("to_email", flat=True))


def test_notices_go_to_trainers_and_the_mentor_once(enrolment, cast, smtp_sink, django_capture_on_commit_callbacks):
    enrolment.mentor = cast["mentor"]
    enrolment.save()
    plan = plan_for(enrolment)
    with django_capture_on_commit_callbacks(execute=True):
        evaluate_enrolments(enrolment.workspace, [enrolment.pk], now=NOW)
        evaluate_enrolments(enrolment.workspace, [enrolment.pk], now=NOW + DAY)  # figures change, reasons not
    assert _mail_to() == ["mentor@acme.test", "trainer@acme.test"]
    message = next(m for m in smtp_sink.messages if m["To"] == "trainer@acme.test")
    assert message["Subject"] == "Pia Participant may be at risk in Customer conversations"
    body = message.get_body(("plain",)).get_content()
    assert "4 check-ins missed in a row (one every 7 days; none made yet)." in body
    flag = AtRiskFlag.objects.get()
    assert f"/tracking/at-risk/{flag.uuid}/" in body

    # A new reason is news; the old one is not told again.
    CheckIn.objects.create(
        workspace=enrolment.workspace, plan=plan, status=CheckInStatus.BLOCKED, confidence=1, created_at=NOW - 20 * DAY
    )
    with django_capture_on_commit_callbacks(execute=True):
        evaluate_enrolments(enrolment.workspace, [enrolment.pk], now=NOW + DAY)
    assert len(_mail_to()) == 4
    last = smtp_sink.messages[-1].get_body(("plain",)).get_content()
    assert "blocked" in last and "missed" not in last


def test_the_line_manager_hears_only_when_the_workspace_allows(enrolment, cast):
    plan_for(enrolment)
    evaluate_enrolments(enrolment.workspace, [enrolment.pk], now=NOW)
    assert _mail_to() == ["trainer@acme.test"]
    AtRiskFlag.objects.all().delete()
    OutgoingMail.objects.all().delete()
    TrackingSettings.objects.create(workspace=enrolment.workspace, notify_managers=True)
    evaluate_enrolments(enrolment.workspace, [enrolment.pk], now=NOW)
    assert _mail_to() == ["manager@acme.test", "trainer@acme.test"]


# Interventions -------------------------------------------------------------------------------------


@pytest.fixture
def flag(enrolment):
    plan_for(enrolment)
    evaluate_enrolments(enrolment.workspace, [enrolment.pk], now=NOW)
    return AtRiskFlag.objects.get()


def test_an_intervention_is_logged_and_can_resolve_the_flag(flag, cast):
    services.log_intervention(flag=flag, person=cast["trainer"], kind=InterventionKind.TALKED, note="Coffee chat")
    flag.refresh_from_db()
    assert flag.state == FlagState.OPEN
    services.log_intervention(
        flag=flag,
        person=cast["trainer"],
        kind=InterventionKind.EXTENDED_DEADLINE,
        new_deadline=datetime.date(2099, 1, 1),
        resolve=True,
    )
    flag.refresh_from_db()
    assert (flag.state, flag.resolved_by) == (FlagState.RESOLVED, cast["trainer"])
    assert list(Intervention.objects.values_list("kind", "new_deadline")) == [
        ("talked", None),
        ("extended_deadline", datetime.date(2099, 1, 1)),
    ]


@pytest.mark.parametrize(
    ("values", "errors"),
    [
        ({"kind": "shouted"}, {"kind": ["Choose what was done."]}),
        ({"kind": InterventionKind.EXTENDED_DEADLINE}, {"new_deadline": ["Give the new deadline."]}),
        (
            {"kind": InterventionKind.EXTENDED_DEADLINE, "new_deadline": datetime.date(2020, 1, 1)},
            {"new_deadline": ["The new deadline is in the past: choose today or a later day."]},
        ),
        ({"kind": InterventionKind.OTHER}, {"note": ["Say what was done."]}),
    ],
)
def test_a_bad_intervention_is_refused_and_nothing_saved(flag, cast, values, errors):
    with pytest.raises(services.ValidationError) as caught:
        services.log_intervention(flag=flag, person=cast["trainer"], **values)
    assert caught.value.message_dict == errors
    assert not Intervention.objects.exists()


def test_a_resolved_flag_takes_no_more_interventions_and_an_api_key_cannot_resolve(flag, cast):
    with pytest.raises(services.ValidationError):
        services.resolve_flag(flag=flag, person=None)
    services.resolve_flag(flag=flag, person=cast["admin"])
    with pytest.raises(services.ValidationError):
        services.log_intervention(flag=flag, person=cast["admin"], kind=InterventionKind.TALKED)
    with pytest.raises(services.ValidationError):
        services.resolve_flag(flag=flag, person=cast["admin"])
