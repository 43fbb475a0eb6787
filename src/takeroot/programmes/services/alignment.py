"""Goal alignment at the start and the midpoint review (seed 001)."""

from django.db import transaction
from django.utils import timezone

from takeroot.core.enums import AuditAction
from takeroot.core.models import Person
from takeroot.core.services import record_audit

from ..models import (
    Cohort,
    CohortGoal,
    MidpointReview,
    ReviewAnswer,
)


@transaction.atomic
def propose_cohort_goal(*, cohort: Cohort, person: Person, text: str) -> CohortGoal:
    """Propose a goal for the cohort; the proposer confirms it at once."""
    goal = CohortGoal.objects.create(workspace=cohort.workspace, cohort=cohort, text=text.strip(), proposed_by=person)
    goal.confirmed_by.add(person)
    return goal


@transaction.atomic
def toggle_goal_confirmation(*, goal: CohortGoal, person: Person) -> bool:
    """Confirm a goal, or take the confirmation back. Returns whether it is now confirmed."""
    if goal.confirmed_by.filter(pk=person.pk).exists():
        goal.confirmed_by.remove(person)
        return False
    goal.confirmed_by.add(person)
    return True


@transaction.atomic
def answer_midpoint_review(
    *, cohort: Cohort, person: Person, as_manager: bool, content_match: int, pace: str, comment: str = ""
) -> ReviewAnswer:
    """Record (or change) one person's answers to the midpoint questions."""
    review, _created = MidpointReview.objects.get_or_create(workspace=cohort.workspace, cohort=cohort)
    answer, _created = ReviewAnswer.objects.update_or_create(
        workspace=cohort.workspace,
        review=review,
        person=person,
        defaults={"as_manager": as_manager, "content_match": content_match, "pace": pace, "comment": comment},
    )
    return answer


@transaction.atomic
def decide_midpoint_review(*, cohort: Cohort, person: Person, decision: str) -> MidpointReview:
    """The trainer records what changes for the rest of the cohort."""
    review, _created = MidpointReview.objects.get_or_create(workspace=cohort.workspace, cohort=cohort)
    review.decision, review.decided_by, review.decided_at = decision.strip(), person, timezone.now()
    review.save()
    record_audit(
        workspace=cohort.workspace,
        actor=person.user,
        action=AuditAction.CHANGED,
        obj=cohort,
        changes={"midpoint decision": (None, review.decision)},
    )
    return review
