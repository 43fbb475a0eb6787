import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from takeroot.core.models import AuditEntry
from takeroot.followup.enums import Anchor, Audience, StepKind, TouchpointState
from takeroot.followup.holds import cancel_hold, place_hold
from takeroot.followup.materialise import materialise
from takeroot.followup.models import Design, Hold, Step, Touchpoint
from takeroot.followup.schedule import zone_of
from takeroot.programmes.enums import EnrolmentStatus
from takeroot.programmes.models import Cohort, Enrolment, Programme

DAY = datetime.timedelta(days=1)


@pytest.fixture
def monday(participant):
    """A Monday three to four weeks ahead, in the participant's time zone: the cohort's end."""
    today = timezone.now().astimezone(zone_of(participant)).date()
    return today + datetime.timedelta(days=28 - today.weekday())


@pytest.fixture
def design(workspace):
    programme = Programme.objects.create(workspace=workspace, name="Leading teams")
    return Design.objects.create(workspace=workspace, programme=programme, name="Follow-up")


@pytest.fixture
def enrolment(design, participant, monday):
    cohort = Cohort.objects.create(
        workspace=design.workspace,
        programme=design.programme,
        name="Now",
        starts_on=monday - 7 * DAY,
        ends_on=monday,
    )
    return Enrolment.objects.create(
        workspace=cohort.workspace,
        cohort=cohort,
        person=participant,
        manager=participant.manager,
        status=EnrolmentStatus.ACTIVE,
    )


def add_steps(design, *offsets, audience=Audience.PARTICIPANT) -> None:
    for offset in offsets:
        Step.objects.create(
            workspace=design.workspace,
            design=design,
            position=offset,
            kind=StepKind.MESSAGE,
            audience=audience,
            anchor=Anchor.END,
            offset_days=offset,
            send_at=datetime.time(9, 0),
        )


def local_days(person, state=TouchpointState.SCHEDULED) -> list[datetime.date]:
    touchpoints = Touchpoint.objects.filter(recipient=person, state=state).order_by("step__position")
    return [touchpoint.due_at.astimezone(zone_of(person)).date() for touchpoint in touchpoints]


def test_hold_shifts_pending_touchpoints_and_cancelling_moves_them_back(design, enrolment, participant, monday):
    add_steps(design, 0, 7, 14, 21)
    materialise([enrolment])
    sent = Touchpoint.objects.get(step__offset_days=14)
    Touchpoint.objects.filter(pk=sent.pk).update(state=TouchpointState.SENT)
    before = {t.pk: t.due_at for t in Touchpoint.objects.all()}

    hold = place_hold(
        person=participant, starts_on=monday + 7 * DAY, ends_on=monday + 13 * DAY, reason="Vacation", actor=participant
    )

    # On or after the start: a week later, spacing kept; before it and the one sent: unchanged.
    assert local_days(participant) == [monday, monday + 14 * DAY, monday + 28 * DAY]
    assert Touchpoint.objects.get(pk=sent.pk).due_at == before[sent.pk]
    assert (hold.reason, hold.created_by, hold.workspace_id) == ("Vacation", participant, participant.workspace_id)

    cancel_hold(hold=hold, actor=participant)
    assert {t.pk: t.due_at for t in Touchpoint.objects.all()} == before
    hold.refresh_from_db()
    assert hold.cancelled_at is not None


def test_hold_length_in_days_moves_later_touchpoints(design, enrolment, participant, monday):
    add_steps(design, 7, 14)
    materialise([enrolment])
    place_hold(person=participant, starts_on=monday + 9 * DAY, ends_on=monday + 11 * DAY, actor=None)
    # Monday before the Wednesday–Friday hold stays; the Monday after moves by three days.
    assert local_days(participant) == [monday + 7 * DAY, monday + 17 * DAY]


def test_touchpoint_moved_into_a_hold_by_the_weekend_goes_after_it(design, enrolment, participant, monday):
    add_steps(design, 5)  # a Saturday, so Monday
    materialise([enrolment])
    assert local_days(participant) == [monday + 7 * DAY]
    place_hold(person=participant, starts_on=monday + 7 * DAY, ends_on=monday + 9 * DAY, actor=participant)
    assert local_days(participant) == [monday + 10 * DAY]  # Thursday, the day after the hold


def test_two_holds_stop_the_clock_twice(design, enrolment, participant, monday):
    add_steps(design, 7, 21)
    materialise([enrolment])
    place_hold(person=participant, starts_on=monday + 1 * DAY, ends_on=monday + 7 * DAY, actor=participant)
    place_hold(person=participant, starts_on=monday + 22 * DAY, ends_on=monday + 28 * DAY, actor=participant)
    # 7 → 14; 21 → 28, which is on or after the second hold's start (22) → 35.
    assert local_days(participant) == [monday + 14 * DAY, monday + 35 * DAY]


def test_a_managers_hold_shifts_the_touchpoints_addressed_to_them(design, enrolment, participant, manager, monday):
    add_steps(design, 7)
    add_steps(design, 8, audience=Audience.MANAGER)
    materialise([enrolment])
    place_hold(person=manager, starts_on=monday + 7 * DAY, ends_on=monday + 13 * DAY, actor=manager)
    assert local_days(participant) == [monday + 7 * DAY]
    assert local_days(manager) == [monday + 15 * DAY]


def test_hold_writes_audit_entries(design, enrolment, participant, manager, monday):
    hold = place_hold(person=participant, starts_on=monday, ends_on=monday + DAY, actor=manager)
    cancel_hold(hold=hold, actor=manager)
    entries = AuditEntry.objects.filter(object_type="hold", object_uuid=hold.uuid).order_by("id")
    assert [(entry.action, entry.actor) for entry in entries] == [("created", manager.user), ("changed", manager.user)]
    assert entries[0].changes == {
        "starts_on": [None, monday.isoformat()],
        "ends_on": [None, (monday + DAY).isoformat()],
    }


@pytest.mark.parametrize(
    ("start", "end", "field"),
    [
        (3, 2, "ends_on"),  # ends before it starts
        (-30, -20, "starts_on"),  # in the past
        (0, 366, "ends_on"),  # 367 days: more than a year
    ],
)
def test_hold_refuses_wrong_dates(participant, start, end, field):
    today = timezone.now().astimezone(zone_of(participant)).date()
    with pytest.raises(ValidationError) as raised:
        place_hold(person=participant, starts_on=today + start * DAY, ends_on=today + end * DAY, actor=participant)
    assert field in raised.value.message_dict
    assert Hold.objects.count() == 0


def test_hold_of_a_year_and_from_today_is_allowed(participant):
    today = timezone.now().astimezone(zone_of(participant)).date()
    hold = place_hold(person=participant, starts_on=today, ends_on=today + 365 * DAY, actor=participant)
    assert (hold.ends_on - hold.starts_on).days + 1 == 366


def test_overlapping_holds_are_refused(participant, other_participant, monday):
    hold = place_hold(person=participant, starts_on=monday, ends_on=monday + 6 * DAY, actor=participant)
    with pytest.raises(ValidationError) as raised:
        place_hold(person=participant, starts_on=monday + 6 * DAY, ends_on=monday + 9 * DAY, actor=participant)
    assert raised.value.messages == [
        f"This pause overlaps another one ({monday.isoformat()} – {(monday + 6 * DAY).isoformat()}). "
        "Change or cancel that one first."
    ]
    # Someone else's hold, the day after, and after the first is cancelled: all fine.
    place_hold(person=other_participant, starts_on=monday, ends_on=monday + 6 * DAY, actor=other_participant)
    place_hold(person=participant, starts_on=monday + 7 * DAY, ends_on=monday + 9 * DAY, actor=participant)
    cancel_hold(hold=hold, actor=participant)
    place_hold(person=participant, starts_on=monday, ends_on=monday + 6 * DAY, actor=participant)
    assert Hold.objects.filter(person=participant, cancelled_at__isnull=True).count() == 2


def test_cancelling_twice_is_refused(participant, monday):
    hold = place_hold(person=participant, starts_on=monday, ends_on=monday, actor=participant)
    cancel_hold(hold=hold, actor=participant)
    with pytest.raises(ValidationError):
        cancel_hold(hold=hold, actor=participant)
