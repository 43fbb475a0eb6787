"""A programme with a follow-up design of five steps, built directly with the models; a cohort
trained by the trainer that finished last week, with the participant (managed by the manager) and
the other participant enrolled; their touchpoints planned by the scheduler, the past ones in
several states (sent, opened, done, failed, skipped), the future ones scheduled."""

import datetime

import pytest
from django.utils import timezone

from takeroot.followup.enums import Anchor, Audience, StepKind, TouchpointState
from takeroot.followup.materialise import materialise_cohort
from takeroot.followup.models import Design, Step, Touchpoint
from takeroot.programmes.enums import EnrolmentStatus
from takeroot.programmes.models import Cohort, Enrolment, Programme, Session

DAY = datetime.timedelta(days=1)
# (kind, audience, days after the cohort's end, subject)
STEPS = [
    (StepKind.ACTION_PLAN, Audience.PARTICIPANT, -12, "Write your action plan"),
    (StepKind.MATERIAL, Audience.PARTICIPANT, -5, "Your checklist for the first week"),
    (StepKind.MATERIAL, Audience.PARTICIPANT, 12, "Micro-lesson: small batches"),
    (StepKind.MANAGER_TALK, Audience.MANAGER, 20, "Talk with your report about the training"),
    (StepKind.MESSAGE, Audience.TRAINER, 40, "How is your cohort doing?"),
]


def make_design(programme) -> Design:
    design = Design.objects.create(workspace=programme.workspace, programme=programme, name="Follow-up")
    for position, (kind, audience, offset, subject) in enumerate(STEPS):
        Step.objects.create(
            workspace=programme.workspace,
            design=design,
            position=position,
            kind=kind,
            audience=audience,
            anchor=Anchor.END,
            offset_days=offset,
            content={"en": {"subject": subject, "body": "Hello {name}."}},
        )
    return design


@pytest.fixture
def programme(workspace):
    return Programme.objects.create(workspace=workspace, name="DevOps practices")


@pytest.fixture
def design(programme):
    return make_design(programme)


@pytest.fixture
def cohort(cast, programme, design):
    today = timezone.localdate()
    cohort = Cohort.objects.create(
        workspace=programme.workspace,
        programme=programme,
        name="Gdańsk autumn",
        starts_on=today - 30 * DAY,
        ends_on=today - 6 * DAY,
    )
    cohort.trainers.set([cast["trainer"]])
    cohort.mentors.set([cast["mentor"]])
    for day in (cohort.starts_on, cohort.ends_on):
        start = timezone.make_aware(datetime.datetime.combine(day, datetime.time(9)))
        Session.objects.create(
            workspace=cohort.workspace,
            cohort=cohort,
            title="Day",
            starts_at=start,
            ends_at=start + datetime.timedelta(hours=8),
        )
    for person in (cast["participant"], cast["other_participant"]):
        Enrolment.objects.create(
            workspace=cohort.workspace,
            cohort=cohort,
            person=person,
            status=EnrolmentStatus.ACTIVE,
            manager=person.manager,
        )
    return cohort


def _set(touchpoint, state, **fields):
    Touchpoint.objects.filter(pk=touchpoint.pk).update(state=state, **fields)


@pytest.fixture
def touchpoints(cohort, cast):
    """The cohort's touchpoints after the scheduler planned them and the past ones happened."""
    materialise_cohort(cohort)
    mine = {t.step.position: t for t in Touchpoint.objects.filter(recipient=cast["participant"])}
    theirs = {t.step.position: t for t in Touchpoint.objects.filter(recipient=cast["other_participant"])}
    _set(mine[0], TouchpointState.DONE, sent_at=mine[0].due_at, opened_at=mine[0].due_at, done_at=mine[0].due_at)
    _set(mine[1], TouchpointState.OPENED, sent_at=mine[1].due_at, opened_at=mine[1].due_at)
    _set(theirs[0], TouchpointState.SENT, sent_at=theirs[0].due_at)
    _set(theirs[1], TouchpointState.FAILED, reason="550 Mailbox unavailable", attempts=5)
    return {"mine": mine, "theirs": theirs}


@pytest.fixture
def failed(touchpoints):
    return Touchpoint.objects.get(pk=touchpoints["theirs"][1].pk)
