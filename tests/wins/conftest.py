"""The plans cast (a cohort trained by the trainer, the participant managed by the manager, an
approved plan with a measured and a self-rated goal) and wins on top of it."""

import pytest

from takeroot.wins import services
from takeroot.wins.enums import Sharing

from ..plans.conftest import approved, cohort, enrolment, goal, other_enrolment, plan, programme, rating_goal, task

__all__ = ["approved", "cohort", "enrolment", "goal", "other_enrolment", "plan", "programme", "rating_goal", "task"]


def reach(plan, goal, participant, value="8.4"):
    """A check-in whose value reaches the goal's target."""
    from takeroot.plans import services as plans

    return plans.record_check_in(
        plan=plan, actor=None, author=participant, status="done", confidence=5, values={goal.uuid: value}
    )


@pytest.fixture
def goal_win(approved, goal, cast):
    """The participant's win for the measured goal, still waiting for their sharing choice."""
    check_in = reach(approved, goal, cast["participant"])
    return services.record_goal_win(goal=goal, check_in=check_in)


@pytest.fixture
def shared_win(goal_win):
    services.set_sharing(win=goal_win, actor=None, sharing=Sharing.SHARED)
    return goal_win


def make_win(person, *, sharing=Sharing.SHARED, title="Closed the renewal", marked_by=None, created_at=None):
    win = services.mark_win(
        workspace=person.workspace, actor=None, marked_by=marked_by, person=person, title=title, story="A story."
    )
    if sharing != Sharing.PENDING:
        services.set_sharing(win=win, actor=None, sharing=sharing)
    if created_at is not None:
        type(win).objects.filter(pk=win.pk).update(created_at=created_at)
        win.refresh_from_db()
    return win
