"""Takeroot's own records (check-ins, quiz answers, practice tasks, supervisors' ratings, survey
results, tickets, session attendance) as activity records.

Each receiver only notes the row's id and leaves the work to ``sources.sync`` when the
transaction commits: a rolled-back check-in records nothing, and a request that saves a row
several times syncs it once per save at the end, reading its final state.

Two services change their rows with a bulk ``update`` that sends no ``post_save``: follow-up
attendance and closing a survey. They send their own signals (``followup.signals.attendance_recorded``,
``surveys.signals.survey_closed``), heard here.
"""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from takeroot.followup.models import FollowUpSession, Invitation
from takeroot.followup.signals import attendance_recorded
from takeroot.plans.models import CheckIn, CheckInValue, Feedback
from takeroot.practice.models import PracticeAssignment
from takeroot.quizzes.models import Answer
from takeroot.surveys.models import Survey
from takeroot.surveys.signals import survey_closed
from takeroot.tickets.models import Ticket

from .sources import sync_on_commit

# Rows that give records when they are saved, by source kind; a save re-derives the row's facts.
SAVED = {
    Answer: "quiz-answer",
    CheckIn: "check-in",
    PracticeAssignment: "practice",
    Feedback: "feedback",
    Invitation: "attendance",
    Survey: "survey",
}


def _on_save(sender, instance, created: bool = False, raw: bool = False, **kwargs) -> None:
    if not raw:  # fixtures load rows as they were, records included
        sync_on_commit(instance.workspace_id, SAVED[sender], [instance.pk])


def _on_delete(sender, instance, **kwargs) -> None:
    sync_on_commit(instance.workspace_id, DELETED[sender], [instance.pk])


# Rows whose deletion takes their records away.
DELETED = {**SAVED, Ticket: "ticket"}

for model in SAVED:
    post_save.connect(_on_save, sender=model, dispatch_uid=f"tracking-saved-{model._meta.label}")
for model in DELETED:
    post_delete.connect(_on_delete, sender=model, dispatch_uid=f"tracking-deleted-{model._meta.label}")


@receiver(post_save, sender=Ticket, dispatch_uid="tracking-ticket-raised")
def ticket_raised(sender, instance: Ticket, created: bool, raw: bool = False, **kwargs) -> None:
    """A ticket counts once, when it is raised; its later states do not change that."""
    if created and not raw:
        sync_on_commit(instance.workspace_id, "ticket", [instance.pk])


@receiver(post_save, sender=CheckInValue, dispatch_uid="tracking-check-in-value")
def check_in_value_saved(sender, instance: CheckInValue, raw: bool = False, **kwargs) -> None:
    """A check-in's values are written after the check-in: its progress is read again on commit."""
    if not raw:
        sync_on_commit(instance.workspace_id, "check-in", [instance.check_in_id])


@receiver(attendance_recorded, dispatch_uid="tracking-attendance-recorded")
def attendance_marked(sender, session: FollowUpSession, **kwargs) -> None:
    invitations = Invitation.objects.filter(workspace_id=session.workspace_id, session=session)
    sync_on_commit(session.workspace_id, "attendance", list(invitations.values_list("pk", flat=True)))


@receiver(survey_closed, dispatch_uid="tracking-survey-closed")
def survey_was_closed(sender, survey: Survey, **kwargs) -> None:
    sync_on_commit(survey.workspace_id, "survey", [survey.pk])
