import datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from takeroot.followup.enums import Anchor, Audience, StepKind, TouchpointState
from takeroot.followup.materialise import MaterialiseResult, materialise, materialise_cohort, materialise_design
from takeroot.followup.models import DeliverySettings, Design, Step, Touchpoint
from takeroot.followup.schedule import REASON_UNPLANNED, REASON_WITHDRAWN, DeliveryRules, due_time, plan_enrolment
from takeroot.plans.models import ActionGoal, ActionPlan
from takeroot.plans.services import update_plan
from takeroot.programmes.enums import EnrolmentStatus
from takeroot.programmes.imports import apply_enrolment_import, preview_enrolment_import
from takeroot.programmes.models import Cohort, Enrolment, Programme, Session
from takeroot.programmes.services import (
    cancel_session,
    enrol_people,
    save_session,
    set_enrolment_status,
    update_cohort,
    update_enrolment,
)
from takeroot.programmes.signals import cohort_changed, enrolments_changed

from ..factories import PersonFactory, UserFactory

UTC = datetime.UTC
MONDAY = datetime.date(2030, 6, 3)  # cohort start
FRIDAY = datetime.date(2030, 6, 7)  # cohort end


def utc(*args) -> datetime.datetime:
    return datetime.datetime(*args, tzinfo=UTC)


@pytest.fixture
def programme(workspace):
    return Programme.objects.create(workspace=workspace, name="Leading teams")


@pytest.fixture
def design(programme):
    return Design.objects.create(workspace=programme.workspace, programme=programme, name="Follow-up")


@pytest.fixture
def cohort(programme, trainer, mentor):
    cohort = Cohort.objects.create(
        workspace=programme.workspace, programme=programme, name="June", starts_on=MONDAY, ends_on=FRIDAY
    )
    cohort.trainers.set([trainer])
    cohort.mentors.set([mentor])
    return cohort


@pytest.fixture
def enrolment(cohort, participant):
    return Enrolment.objects.create(
        workspace=cohort.workspace,
        cohort=cohort,
        person=participant,
        manager=participant.manager,
        status=EnrolmentStatus.ACTIVE,
    )


def add_step(design, **fields) -> Step:
    values = {
        "kind": StepKind.MESSAGE,
        "audience": Audience.PARTICIPANT,
        "anchor": Anchor.END,
        "offset_days": 0,
        "send_at": datetime.time(9, 0),
        "position": design.steps.count(),
    }
    return Step.objects.create(workspace=design.workspace, design=design, **values | fields)


def dues(enrolment, **kwargs) -> list[datetime.datetime]:
    return [item.due_at for item in plan_enrolment(enrolment, **kwargs)]


def set_zone(person, zone: str) -> None:
    person.user.timezone = zone
    person.user.save()


# Planning: recipients and time zones -------------------------------------------------------------


def test_plan_same_local_time_in_two_time_zones(design, enrolment, participant, manager):
    set_zone(manager, "Asia/Shanghai")
    add_step(design, audience=Audience.PARTICIPANT, offset_days=3)  # Monday 10 June
    add_step(design, audience=Audience.MANAGER, offset_days=3)
    planned = plan_enrolment(enrolment)
    assert [(item.recipient, item.occurrence, item.due_at) for item in planned] == [
        (participant, 0, utc(2030, 6, 10, 7, 0)),  # 09:00 in Warsaw (UTC+2)
        (manager, 0, utc(2030, 6, 10, 1, 0)),  # 09:00 in Shanghai (UTC+8)
    ]
    assert all(item.due_at.tzinfo == UTC for item in planned)


def test_plan_writes_nothing(design, enrolment):
    add_step(design)
    with CaptureQueriesContext(connection) as queries:
        plan_enrolment(enrolment)
    assert [q["sql"] for q in queries if not q["sql"].lstrip().upper().startswith("SELECT")] == []
    assert Touchpoint.objects.count() == 0


def test_plan_without_design_is_empty(enrolment):
    assert plan_enrolment(enrolment) == []


def test_plan_recipients_by_audience(design, enrolment, participant, manager, mentor, trainer, other_participant):
    second_trainer = PersonFactory(workspace=enrolment.workspace, is_trainer=True)
    enrolment.cohort.trainers.add(second_trainer)
    plan = ActionPlan.objects.create(workspace=enrolment.workspace, enrolment=enrolment, buddy=other_participant)
    for audience in Audience.values:
        add_step(design, audience=audience)
    planned = [(item.step.audience, item.recipient) for item in plan_enrolment(enrolment)]
    assert planned == [
        (Audience.PARTICIPANT, participant),
        (Audience.MANAGER, manager),
        (Audience.MENTOR, mentor),
        (Audience.TRAINER, trainer),
        (Audience.TRAINER, second_trainer),
        (Audience.BUDDY, other_participant),
    ]
    assert plan.buddy == other_participant


def test_plan_recipient_fallbacks_and_nobody(design, enrolment, participant, manager, mentor, other_participant):
    own_mentor = PersonFactory(workspace=enrolment.workspace, is_mentor=True)
    enrolment.manager = None  # the person's current line manager stands in
    enrolment.mentor = own_mentor  # the enrolment's own mentor wins over the cohort's
    enrolment.save()
    add_step(design, audience=Audience.MANAGER)
    add_step(design, audience=Audience.MENTOR)
    add_step(design, audience=Audience.BUDDY)  # no action plan, so no buddy: nothing planned
    assert [item.recipient for item in plan_enrolment(enrolment)] == [manager, own_mentor]

    participant.manager = None
    participant.save()
    enrolment.mentor = None
    enrolment.save()
    enrolment.refresh_from_db()
    assert [item.recipient for item in plan_enrolment(enrolment)] == [mentor]


def test_plan_with_steps_given(design, enrolment):
    add_step(design)
    unsaved = Step(workspace=design.workspace, design=design, kind=StepKind.MESSAGE, anchor=Anchor.START)
    assert dues(enrolment, steps=[unsaved]) == [utc(2030, 6, 3, 7, 0)]


# Planning: anchors -------------------------------------------------------------------------------


def test_plan_anchors_fall_back_to_the_cohort_dates(design, enrolment):
    for anchor in (Anchor.START, Anchor.FIRST_SESSION, Anchor.LAST_SESSION, Anchor.END):
        add_step(design, anchor=anchor)
    assert dues(enrolment) == [utc(2030, 6, 3, 7, 0), utc(2030, 6, 3, 7, 0), utc(2030, 6, 7, 7, 0), utc(2030, 6, 7, 7)]


def test_plan_session_anchors_use_the_recipients_local_date(design, enrolment, cohort, manager):
    set_zone(manager, "Asia/Shanghai")

    def session(starts_at, **fields):
        return Session.objects.create(
            workspace=cohort.workspace,
            cohort=cohort,
            title="Day",
            starts_at=starts_at,
            ends_at=starts_at + datetime.timedelta(hours=2),
            **fields,
        )

    session(utc(2030, 6, 4, 8, 0))
    session(utc(2030, 6, 5, 20, 0))  # Wednesday 22:00 in Warsaw, Thursday 04:00 in Shanghai
    session(utc(2030, 6, 6, 8, 0), cancelled=True)
    add_step(design, anchor=Anchor.FIRST_SESSION, audience=Audience.PARTICIPANT)
    add_step(design, anchor=Anchor.LAST_SESSION, audience=Audience.PARTICIPANT)
    add_step(design, anchor=Anchor.LAST_SESSION, audience=Audience.MANAGER)
    assert dues(enrolment) == [
        utc(2030, 6, 4, 7, 0),
        utc(2030, 6, 5, 7, 0),  # Wednesday 09:00 in Warsaw
        utc(2030, 6, 6, 1, 0),  # Thursday 09:00 in Shanghai
    ]


# Planning: working days, holidays, quiet hours, daylight saving ----------------------------------


def test_plan_weekend_moves_to_monday(design, enrolment):
    add_step(design, offset_days=1)  # Saturday
    add_step(design, offset_days=2)  # Sunday
    assert dues(enrolment) == [utc(2030, 6, 10, 7, 0), utc(2030, 6, 10, 7, 0)]


def test_plan_holidays_and_working_days_of_the_workspace(design, enrolment, workspace):
    DeliverySettings.objects.create(
        workspace=workspace, working_days=[0, 1, 2, 3, 5], holidays=["2030-06-10", "not a date"]
    )
    add_step(design, offset_days=1)  # Saturday is a working day here
    add_step(design, offset_days=3)  # Monday is a holiday, so Tuesday
    add_step(design, offset_days=0)  # Friday is not a working day here, so Saturday
    assert dues(enrolment) == [utc(2030, 6, 8, 7, 0), utc(2030, 6, 11, 7, 0), utc(2030, 6, 8, 7, 0)]


def test_plan_without_settings_creates_no_settings_row(design, enrolment):
    add_step(design)
    plan_enrolment(enrolment)
    assert DeliverySettings.objects.count() == 0


def test_plan_quiet_hours_move_to_their_end(design, enrolment, workspace):
    add_step(design, offset_days=-1, send_at=datetime.time(21, 30))  # Thursday evening → Friday 07:00
    add_step(design, offset_days=0, send_at=datetime.time(6, 0))  # Friday early → Friday 07:00
    add_step(design, offset_days=0, send_at=datetime.time(22, 0))  # Friday evening → Saturday → Monday
    add_step(design, offset_days=0, send_at=datetime.time(7, 0))  # the end itself is not quiet
    assert dues(enrolment) == [
        utc(2030, 6, 7, 5, 0),
        utc(2030, 6, 7, 5, 0),
        utc(2030, 6, 10, 5, 0),
        utc(2030, 6, 7, 5, 0),
    ]


def test_plan_quiet_hours_within_a_day(design, enrolment, workspace):
    DeliverySettings.objects.create(
        workspace=workspace, quiet_start=datetime.time(12, 0), quiet_end=datetime.time(13, 0)
    )
    add_step(design, send_at=datetime.time(12, 30))
    add_step(design, send_at=datetime.time(23, 30))
    assert dues(enrolment) == [utc(2030, 6, 7, 11, 0), utc(2030, 6, 7, 21, 30)]


def test_due_time_across_daylight_saving_changes():
    rules = DeliveryRules.of(DeliverySettings(working_days=list(range(7))))
    zone = ZoneInfo("Europe/Warsaw")
    nine = datetime.time(9, 0)
    assert due_time(datetime.date(2030, 3, 30), nine, zone, rules) == utc(2030, 3, 30, 8, 0)  # CET
    assert due_time(datetime.date(2030, 3, 31), nine, zone, rules) == utc(2030, 3, 31, 7, 0)  # CEST
    assert due_time(datetime.date(2030, 10, 26), nine, zone, rules) == utc(2030, 10, 26, 7, 0)
    assert due_time(datetime.date(2030, 10, 27), nine, zone, rules) == utc(2030, 10, 27, 8, 0)


def test_plan_weekly_check_ins_keep_local_time_across_daylight_saving(design, programme, participant, workspace):
    cohort = Cohort.objects.create(
        workspace=workspace,
        programme=programme,
        name="March",
        starts_on=datetime.date(2030, 3, 18),
        ends_on=datetime.date(2030, 3, 22),
    )
    enrolment = Enrolment.objects.create(workspace=workspace, cohort=cohort, person=participant)
    add_step(design, kind=StepKind.CHECK_IN, offset_days=3, repeat_for_days=7)  # Monday 25 March, 1 April
    assert dues(enrolment) == [utc(2030, 3, 25, 8, 0), utc(2030, 4, 1, 7, 0)]


# Planning: repeating check-ins --------------------------------------------------------------------


def test_check_ins_without_plan_repeat_weekly_for_84_days(design, enrolment):
    add_step(design, kind=StepKind.CHECK_IN, offset_days=3)
    planned = plan_enrolment(enrolment)
    assert [item.occurrence for item in planned] == list(range(13))
    assert planned[0].due_at == utc(2030, 6, 10, 7, 0)
    assert planned[-1].due_at == utc(2030, 9, 2, 7, 0)  # 84 days later


def test_check_ins_at_the_plan_cadence_until_the_last_deadline(design, enrolment):
    plan = ActionPlan.objects.create(workspace=enrolment.workspace, enrolment=enrolment, cadence_days=14)
    for deadline in (datetime.date(2030, 7, 1), datetime.date(2030, 7, 22), None):
        ActionGoal.objects.create(
            workspace=plan.workspace, plan=plan, title="Shorter releases", baseline=10, target=5, deadline=deadline
        )
    add_step(design, kind=StepKind.CHECK_IN, offset_days=3)  # Monday 10 June
    assert dues(enrolment) == [
        utc(2030, 6, 10, 7, 0),
        utc(2030, 6, 24, 7, 0),
        utc(2030, 7, 8, 7, 0),
        utc(2030, 7, 22, 7),
    ]


def test_check_ins_own_rhythm_and_weekend_moves(design, enrolment):
    ActionPlan.objects.create(workspace=enrolment.workspace, enrolment=enrolment, cadence_days=14)
    # Every 5 days for 15 days from Monday 10 June: 10, 15 (Sat → 17), 20, 25 June.
    add_step(design, kind=StepKind.CHECK_IN, offset_days=3, repeat_every_days=5, repeat_for_days=15)
    assert dues(enrolment) == [
        utc(2030, 6, 10, 7, 0),
        utc(2030, 6, 17, 7, 0),
        utc(2030, 6, 20, 7, 0),
        utc(2030, 6, 25, 7, 0),
    ]


def test_check_ins_stop_at_52(design, enrolment):
    add_step(design, kind=StepKind.CHECK_IN, repeat_every_days=1, repeat_for_days=700)
    assert len(plan_enrolment(enrolment)) == 52


def test_other_steps_do_not_repeat(design, enrolment):
    add_step(design, kind=StepKind.MATERIAL, repeat_every_days=1, repeat_for_days=10)
    assert len(plan_enrolment(enrolment)) == 1


# Materialising ------------------------------------------------------------------------------------


def test_materialise_creates_once(design, enrolment, participant, manager):
    add_step(design)
    add_step(design, audience=Audience.MANAGER, offset_days=3)
    assert materialise([enrolment]) == MaterialiseResult(created=2)
    assert materialise([enrolment]) == MaterialiseResult()
    rows = Touchpoint.objects.order_by("due_at").values_list("recipient", "due_at", "state", "workspace")
    assert list(rows) == [
        (participant.pk, utc(2030, 6, 7, 7, 0), TouchpointState.SCHEDULED, enrolment.workspace_id),
        (manager.pk, utc(2030, 6, 10, 7, 0), TouchpointState.SCHEDULED, enrolment.workspace_id),
    ]
    assert all(Touchpoint.objects.values_list("uuid", flat=True))


def test_materialise_moves_scheduled_and_leaves_the_rest(design, enrolment, cohort):
    add_step(design, offset_days=0)
    add_step(design, offset_days=3)
    add_step(design, offset_days=4)
    materialise_cohort(cohort)
    sent, failed, waiting = Touchpoint.objects.order_by("due_at")
    Touchpoint.objects.filter(pk=sent.pk).update(state=TouchpointState.SENT)
    Touchpoint.objects.filter(pk=failed.pk).update(state=TouchpointState.FAILED)
    cohort.ends_on = datetime.date(2030, 6, 14)
    cohort.save()
    assert materialise_cohort(cohort) == MaterialiseResult(moved=1)
    assert Touchpoint.objects.get(pk=sent.pk).due_at == utc(2030, 6, 7, 7, 0)
    assert Touchpoint.objects.get(pk=failed.pk).due_at == utc(2030, 6, 10, 7, 0)
    assert Touchpoint.objects.get(pk=waiting.pk).due_at == utc(2030, 6, 18, 7, 0)


def test_materialise_cancels_what_is_no_longer_planned(design, enrolment, manager, cohort):
    add_step(design, audience=Audience.MANAGER)
    check_in = add_step(design, audience=Audience.PARTICIPANT, kind=StepKind.CHECK_IN, repeat_for_days=14)
    materialise_cohort(cohort)
    new_manager = PersonFactory(workspace=enrolment.workspace, is_manager=True)
    enrolment.manager = new_manager
    enrolment.save()
    check_in.repeat_for_days = 7
    check_in.save()
    assert materialise_cohort(cohort) == MaterialiseResult(created=1, cancelled=2)
    cancelled = Touchpoint.objects.filter(state=TouchpointState.CANCELLED)
    assert sorted(cancelled.values_list("recipient", "occurrence", "reason")) == sorted(
        [(manager.pk, 0, REASON_UNPLANNED), (enrolment.person_id, 2, REASON_UNPLANNED)]
    )
    assert Touchpoint.objects.filter(recipient=new_manager, state=TouchpointState.SCHEDULED).count() == 1


def test_materialise_withdrawn_cancels_and_coming_back_revives(design, enrolment, cohort):
    add_step(design, offset_days=0)
    add_step(design, offset_days=3)
    materialise_cohort(cohort)
    first = Touchpoint.objects.order_by("due_at").first()
    Touchpoint.objects.filter(pk=first.pk).update(state=TouchpointState.SENT)
    enrolment.status = EnrolmentStatus.WITHDRAWN
    enrolment.save()
    assert materialise_cohort(cohort) == MaterialiseResult(cancelled=1)
    assert sorted(Touchpoint.objects.values_list("state", "reason")) == [
        (TouchpointState.CANCELLED, REASON_WITHDRAWN),
        (TouchpointState.SENT, ""),
    ]
    enrolment.status = EnrolmentStatus.ACTIVE
    enrolment.save()
    assert materialise_cohort(cohort) == MaterialiseResult(created=1)
    assert sorted(Touchpoint.objects.values_list("state", flat=True)) == [
        TouchpointState.SCHEDULED,
        TouchpointState.SENT,
    ]


def test_materialise_keeps_a_cancellation_by_hand(design, enrolment, cohort):
    add_step(design)
    materialise_cohort(cohort)
    Touchpoint.objects.update(state=TouchpointState.CANCELLED, reason="Not needed for this person")
    assert materialise_cohort(cohort) == MaterialiseResult()


def test_materialise_design_covers_every_cohort(design, enrolment, programme, other_participant, workspace):
    second = Cohort.objects.create(
        workspace=workspace, programme=programme, name="July", starts_on=MONDAY, ends_on=FRIDAY
    )
    Enrolment.objects.create(workspace=workspace, cohort=second, person=other_participant)
    add_step(design)
    assert materialise_design(design) == MaterialiseResult(created=2)
    assert materialise_design(Design(workspace=workspace, name="No programme")) == MaterialiseResult()


def test_materialise_query_count_does_not_grow(design, cohort, workspace, manager):
    add_step(design)
    add_step(design, audience=Audience.MANAGER)
    add_step(design, audience=Audience.TRAINER)
    add_step(design, kind=StepKind.CHECK_IN)

    def enrol(n):
        people = [PersonFactory(workspace=workspace, manager=manager) for _ in range(n)]
        return [Enrolment.objects.create(workspace=workspace, cohort=cohort, person=p) for p in people]

    one = enrol(1)
    with CaptureQueriesContext(connection) as few:
        materialise(one)
    three = enrol(3)
    with CaptureQueriesContext(connection) as many:
        materialise(three)
    assert len(many) == len(few)


# Signals from programmes and plans ---------------------------------------------------------------


def test_enrolling_creates_touchpoints(design, cohort, participant, admin, django_capture_on_commit_callbacks):
    add_step(design)
    with django_capture_on_commit_callbacks(execute=True):
        enrol_people(cohort=cohort, actor=admin.user, people=[participant])
    assert list(Touchpoint.objects.values_list("recipient", "due_at")) == [(participant.pk, utc(2030, 6, 7, 7, 0))]


def test_moving_the_cohort_end_moves_unsent_touchpoints(
    design, cohort, participant, admin, django_capture_on_commit_callbacks
):
    add_step(design, offset_days=-4)
    add_step(design, offset_days=3)
    with django_capture_on_commit_callbacks(execute=True):
        enrol_people(cohort=cohort, actor=admin.user, people=[participant])
    sent = Touchpoint.objects.order_by("due_at").first()
    Touchpoint.objects.filter(pk=sent.pk).update(state=TouchpointState.SENT)
    with django_capture_on_commit_callbacks(execute=True):
        update_cohort(cohort=cohort, actor=admin.user, ends_on=datetime.date(2030, 6, 14))
    assert list(Touchpoint.objects.order_by("pk").values_list("state", "due_at")) == [
        (TouchpointState.SENT, utc(2030, 6, 3, 7, 0)),
        (TouchpointState.SCHEDULED, utc(2030, 6, 17, 7, 0)),
    ]


def test_withdrawing_cancels(design, enrolment, admin, django_capture_on_commit_callbacks):
    add_step(design)
    materialise([enrolment])
    with django_capture_on_commit_callbacks(execute=True):
        set_enrolment_status(enrolment=enrolment, actor=admin.user, status=EnrolmentStatus.WITHDRAWN)
    assert list(Touchpoint.objects.values_list("state", "reason")) == [(TouchpointState.CANCELLED, REASON_WITHDRAWN)]


def test_cohort_people_and_sessions_replan(
    design, enrolment, cohort, admin, trainer, django_capture_on_commit_callbacks
):
    add_step(design, audience=Audience.TRAINER, anchor=Anchor.LAST_SESSION)
    materialise([enrolment])
    other_trainer = PersonFactory(workspace=cohort.workspace, is_trainer=True)
    with django_capture_on_commit_callbacks(execute=True):
        update_cohort(cohort=cohort, actor=admin.user, trainers=[other_trainer])
    scheduled = Touchpoint.objects.filter(state=TouchpointState.SCHEDULED)
    assert list(scheduled.values_list("recipient", "due_at")) == [(other_trainer.pk, utc(2030, 6, 7, 7, 0))]
    with django_capture_on_commit_callbacks(execute=True):
        session = save_session(
            cohort=cohort,
            actor=admin.user,
            title="Day 2",
            starts_at=utc(2030, 6, 4, 8, 0),
            ends_at=utc(2030, 6, 4, 10, 0),
        )
    assert list(scheduled.values_list("due_at", flat=True)) == [utc(2030, 6, 4, 7, 0)]
    with django_capture_on_commit_callbacks(execute=True):
        cancel_session(session=session, actor=admin.user)
    assert list(scheduled.values_list("due_at", flat=True)) == [utc(2030, 6, 7, 7, 0)]


def test_changing_the_mentor_replans(design, enrolment, mentor, admin, django_capture_on_commit_callbacks):
    add_step(design, audience=Audience.MENTOR)
    materialise([enrolment])
    own = PersonFactory(workspace=enrolment.workspace, is_mentor=True)
    with django_capture_on_commit_callbacks(execute=True):
        update_enrolment(enrolment=enrolment, actor=admin.user, mentor=own)
    scheduled = Touchpoint.objects.filter(state=TouchpointState.SCHEDULED)
    assert list(scheduled.values_list("recipient", flat=True)) == [own.pk]


def test_plan_cadence_change_replans(design, enrolment, participant, django_capture_on_commit_callbacks):
    plan = ActionPlan.objects.create(workspace=enrolment.workspace, enrolment=enrolment, cadence_days=7)
    add_step(design, kind=StepKind.CHECK_IN, repeat_for_days=28)
    materialise([enrolment])
    assert Touchpoint.objects.filter(state=TouchpointState.SCHEDULED).count() == 5
    with django_capture_on_commit_callbacks(execute=True):
        update_plan(plan=plan, actor=participant.user, cadence_days=14)
    assert Touchpoint.objects.filter(state=TouchpointState.SCHEDULED).count() == 3


def test_nothing_is_sent_for_a_rolled_back_change(cohort, participant, admin, django_capture_on_commit_callbacks):
    heard = []

    def listen(sender, **kwargs):
        heard.append(kwargs)

    enrolments_changed.connect(listen)
    try:
        with django_capture_on_commit_callbacks(execute=True) as callbacks:
            try:
                with transaction.atomic():
                    enrol_people(cohort=cohort, actor=admin.user, people=[participant])
                    raise RuntimeError
            except RuntimeError:
                pass
    finally:
        enrolments_changed.disconnect(listen)
    assert callbacks == []
    assert heard == []


def test_enrolment_import_sends_one_signal(cohort, admin, workspace, django_capture_on_commit_callbacks):
    admin_user = admin.user
    people = [PersonFactory(workspace=workspace, user=UserFactory(email=f"p{n}@acme.test")) for n in range(3)]
    mentor = PersonFactory(workspace=workspace, user=UserFactory(email="m@acme.test"), is_mentor=True)
    Enrolment.objects.create(workspace=workspace, cohort=cohort, person=people[0])
    heard, cohorts = [], []
    enrolments_changed.connect(lambda sender, **kwargs: heard.append(kwargs), weak=False, dispatch_uid="t1")
    cohort_changed.connect(lambda sender, **kwargs: cohorts.append(kwargs), weak=False, dispatch_uid="t2")
    try:
        content = "email,mentor email\np0@acme.test,m@acme.test\np1@acme.test,m@acme.test\np2@acme.test,\n"
        upload = SimpleUploadedFile("people.csv", content.encode(), content_type="text/csv")
        enrolment_import = preview_enrolment_import(cohort=cohort, actor=admin_user, uploaded_file=upload)
        with django_capture_on_commit_callbacks(execute=True):
            apply_enrolment_import(enrolment_import=enrolment_import, actor=admin_user)
    finally:
        enrolments_changed.disconnect(dispatch_uid="t1")
        cohort_changed.disconnect(dispatch_uid="t2")
    ids = set(Enrolment.objects.filter(cohort=cohort).values_list("pk", flat=True))
    assert len(heard) == 1
    assert set(heard[0]["enrolment_ids"]) == ids
    assert heard[0]["workspace_id"] == workspace.pk
    assert cohorts == []
    assert mentor.mentees.count() == 2


def test_the_nightly_re_plan_catches_a_change_no_signal_reports(
    design, enrolment, participant, django_capture_on_commit_callbacks
):
    from takeroot.core.periodic import JOBS

    add_step(design, audience=Audience.PARTICIPANT, offset_days=3)
    materialise([enrolment])
    set_zone(participant, "Asia/Shanghai")  # the profile changes; nothing re-plans on it

    with django_capture_on_commit_callbacks(execute=True):
        JOBS["replan_every_workspace"].run()

    assert Touchpoint.objects.get(enrolment=enrolment).due_at == utc(2030, 6, 10, 1, 0)  # 09:00 in Shanghai
