"""Demo follow-up: every demo programme with cohorts runs a copy of the default design. Touchpoints
already due are marked as they would have gone (most sent, some opened or done, a couple failed
and skipped with their reasons); the future ones stay scheduled. Each finished cohort has had a
follow-up session, with answers, attendance and notes.

Called by core's demo builder once per demo workspace, inside its scope and transaction, after
the programmes demo. States are written directly in bulk: no mail is queued. Every random choice
comes from the ``rng`` passed in.
"""

import datetime
import random

from django.utils import timezone

from takeroot.core.models import Workspace
from takeroot.programmes.enums import EnrolmentStatus
from takeroot.programmes.models import Cohort, Programme

from .enums import Rsvp, TouchpointState
from .models import Design, FollowUpSession, Invitation, Touchpoint
from .rendering import REASON_APPROVED, REASON_CHECKED_IN

FAILED_REASONS = [
    "550 5.1.1 Mailbox unavailable: the address does not exist",
    "The mail server did not answer after 5 attempts (connection timed out)",
]
SKIPPED_REASONS = [REASON_APPROVED, REASON_CHECKED_IN]
SESSION_NOTES = {
    "successes": "Most participants used the new routine weekly; two teams shared it with colleagues.",
    "obstacles": "Peak-season workload pushed check-ins aside for some; managers were not always briefed.",
    "next_steps": "Pair up for a 15-minute check-in each Friday; managers get the one-page summary.",
}


def _cutoff(today: datetime.date) -> datetime.datetime:
    """Now, moved to ``today``: what is due before it has happened."""
    now = timezone.localtime()
    return timezone.make_aware(datetime.datetime.combine(today, now.time().replace(tzinfo=None)))


def build_followup_demo(workspace: Workspace, *, rng: random.Random, today: datetime.date) -> dict:
    """Give each demo programme with cohorts a follow-up design, plan its touchpoints and mark the
    past ones. Returns what it made."""
    from . import designs
    from .materialise import materialise_cohort

    counts = {"designs": 0, "touchpoints": 0, "delivered": 0, "failed": 0, "skipped": 0, "sessions": 0}
    programmes = Programme.objects.filter(workspace=workspace, cohorts__isnull=False).distinct().order_by("pk")
    with_design = set(Design.objects.filter(workspace=workspace).values_list("programme_id", flat=True))
    for programme in programmes:
        if programme.pk not in with_design:
            designs.create_design(programme=programme, actor=None, from_default=True)
            counts["designs"] += 1
    cohorts = list(Cohort.objects.filter(workspace=workspace, programme__followup_design__isnull=False).order_by("pk"))
    for cohort in cohorts:
        materialise_cohort(cohort)
    cutoff = _cutoff(today)
    touchpoints = Touchpoint.objects.filter(workspace=workspace)
    counts["touchpoints"] = touchpoints.count()
    counts.update(_mark_past(list(touchpoints.filter(state=TouchpointState.SCHEDULED, due_at__lt=cutoff)), rng))
    counts["sessions"] = _sessions(workspace, [c for c in cohorts if c.ends_on < today], rng, cutoff)
    return counts


def _mark_past(past: list[Touchpoint], rng: random.Random) -> dict:
    """Most past touchpoints were sent; of those a share opened and some done; the first two of a
    random pick failed and the next two were skipped, each with its reason."""
    past.sort(key=lambda t: (t.due_at, t.pk))
    odd = rng.sample(range(len(past)), k=min(4, len(past)))
    failed, skipped = set(odd[:2]), set(odd[2:4])
    for index, touchpoint in enumerate(past):
        due = touchpoint.due_at
        if index in failed:
            touchpoint.state, touchpoint.attempts = TouchpointState.FAILED, 5
            touchpoint.reason = touchpoint.last_error = FAILED_REASONS[len(failed & set(range(index))) % 2]
            continue
        if index in skipped:
            touchpoint.state = TouchpointState.SKIPPED
            touchpoint.reason = SKIPPED_REASONS[len(skipped & set(range(index))) % 2]
            continue
        touchpoint.state, touchpoint.attempts, touchpoint.sent_at = TouchpointState.SENT, 1, due
        roll = rng.random()
        if roll < 0.55:
            touchpoint.state = TouchpointState.OPENED
            touchpoint.opened_at = due + datetime.timedelta(hours=rng.randint(1, 30))
            if roll < 0.3:
                touchpoint.state = TouchpointState.DONE
                touchpoint.done_at = touchpoint.opened_at + datetime.timedelta(minutes=rng.randint(1, 20))
    Touchpoint.objects.bulk_update(
        past, ["state", "attempts", "reason", "last_error", "sent_at", "opened_at", "done_at"], batch_size=500
    )
    return {"delivered": len(past) - len(failed) - len(skipped), "failed": len(failed), "skipped": len(skipped)}


def _sessions(workspace: Workspace, cohorts: list[Cohort], rng: random.Random, cutoff: datetime.datetime) -> int:
    """One follow-up session three weeks after each finished cohort, written directly (no mail):
    answers for the invited; after it, attendance and notes."""
    sessions, invited = [], []
    for cohort in cohorts:
        starts_at = timezone.make_aware(
            datetime.datetime.combine(cohort.ends_on + datetime.timedelta(days=21), datetime.time(10))
        )
        held = starts_at + datetime.timedelta(hours=1) < cutoff
        session = FollowUpSession(
            workspace=workspace,
            cohort=cohort,
            title=f"Follow-up: {cohort.name}",
            starts_at=starts_at,
            ends_at=starts_at + datetime.timedelta(hours=1, minutes=30),
            online_link="https://meet.example.com/takeroot-follow-up",
            agenda="What worked, what got in the way, and the next step for each of us.",
            **(SESSION_NOTES if held else {}),
        )
        sessions.append(session)
        people = cohort.enrolments.exclude(status=EnrolmentStatus.WITHDRAWN).values_list("person_id", flat=True)
        invited.append(list(people.order_by("person_id")))
    FollowUpSession.objects.bulk_create(sessions)
    invitations = []
    for session, people in zip(sessions, invited, strict=True):
        held = session.ends_at < cutoff
        for person_id in people:
            answer = rng.choice([Rsvp.ATTENDING, Rsvp.ATTENDING, Rsvp.ATTENDING, Rsvp.DECLINED, Rsvp.PENDING])
            invitations.append(
                Invitation(
                    workspace=workspace,
                    session=session,
                    person_id=person_id,
                    answer=answer,
                    answered_at=None if answer == Rsvp.PENDING else session.starts_at - datetime.timedelta(days=5),
                    attended=(answer == Rsvp.ATTENDING and rng.random() < 0.9) if held else None,
                    sent_sequence=0,
                )
            )
    Invitation.objects.bulk_create(invitations)
    return len(sessions)
