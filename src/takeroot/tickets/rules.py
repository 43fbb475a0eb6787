"""Who may see and work on learner tickets.

A participant raises tickets and sees their own. A ticket is worked on by its owner, the admins,
its cohort's trainers and the participant's mentor; only the learner confirms that an answer
helped. The queue is for admins, trainers and mentors (each sees the tickets they may work on);
metrics are for admins and trainers; settings and routing rules for admins. Ticket-level
permissions take the ticket; the rest take the workspace.
"""

import rules

from takeroot.core.queries import membership
from takeroot.core.rules import is_admin, is_member, is_mentor, is_trainer
from takeroot.programmes.rules import is_cohort_trainer, is_enrolled

from .models import Ticket


def _me(user, obj):
    return membership(user, obj.workspace_id)


@rules.predicate
def raised_it(user, ticket) -> bool:
    return isinstance(ticket, Ticket) and ticket.raised_by.user_id == user.pk


@rules.predicate
def owns_it(user, ticket) -> bool:
    me = isinstance(ticket, Ticket) and _me(user, ticket)
    return bool(me and ticket.owner_id == me.pk)


@rules.predicate
def trains_its_cohort(user, ticket) -> bool:
    return isinstance(ticket, Ticket) and ticket.cohort_id is not None and is_cohort_trainer(user, ticket.cohort)


@rules.predicate
def mentors_the_learner(user, ticket) -> bool:
    me = isinstance(ticket, Ticket) and _me(user, ticket)
    return bool(me and ticket.enrolment_id and ticket.enrolment.mentor_id == me.pk)


responders = owns_it | is_admin | trains_its_cohort | mentors_the_learner

# The workspace.
rules.add_perm("tickets.raise_ticket", is_member)
rules.add_perm("tickets.view_queue", is_admin | is_trainer | is_mentor)
rules.add_perm("tickets.view_metrics", is_admin | is_trainer)
rules.add_perm("tickets.change_settings", is_admin)
# The ticket.
rules.add_perm("tickets.view_ticket", raised_it | responders)
rules.add_perm("tickets.answer_ticket", responders)
rules.add_perm("tickets.reassign_ticket", is_admin | trains_its_cohort)
rules.add_perm("tickets.confirm_ticket", raised_it)
rules.add_perm("tickets.publish_patch", is_admin | trains_its_cohort)


# == queue == Module additions (patches) take the patch: every participant of its programme (and
# the people around them) reads it; admins and the programme's trainers change it.
def _patch_programme(patch):
    return patch.module.programme


@rules.predicate
def takes_part_in_its_programme(user, patch) -> bool:
    from takeroot.core.queries import report_ids
    from takeroot.programmes.enums import EnrolmentStatus
    from takeroot.programmes.models import Enrolment

    # Participants (not withdrawn), their mentors and line managers: who sees the programme's pages.
    me = _me(user, patch)
    if not me:
        return False
    enrolments = Enrolment.objects.filter(cohort__programme=_patch_programme(patch)).exclude(
        status=EnrolmentStatus.WITHDRAWN
    )
    return (
        enrolments.filter(person=me).exists()
        or enrolments.filter(mentor=me).exists()
        or _patch_programme(patch).cohorts.filter(mentors=me).exists()
        or enrolments.filter(person_id__in=report_ids(me)).exists()
    )


@rules.predicate
def trains_its_programme(user, patch) -> bool:
    me = _me(user, patch)
    return bool(me and _patch_programme(patch).cohorts.filter(trainers=me).exists())


rules.add_perm("tickets.view_settings", is_admin)
rules.add_perm("tickets.view_patch", is_admin | is_trainer | takes_part_in_its_programme)
rules.add_perm("tickets.change_patch", is_admin | trains_its_programme)
# The cohort: its participants see "Ask a question or report a problem" on its page.
rules.add_perm("tickets.ask_about_cohort", is_enrolled)
