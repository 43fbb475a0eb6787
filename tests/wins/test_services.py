"""Recording wins (from the goal-reached signal, once; marked by a manager), sharing, reactions."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from takeroot.core.models import AuditEntry, OutgoingMail
from takeroot.plans.models import ActionGoal
from takeroot.plans.signals import goal_reached
from takeroot.wins import services
from takeroot.wins.models import Reaction, Win

from .conftest import make_win, reach


def test_reaching_a_goal_records_one_win_and_asks_the_participant(
    approved, goal, cast, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        check_in = reach(approved, goal, cast["participant"])
    win = Win.objects.get()
    assert (win.person, win.goal, win.plan, win.cohort) == (
        cast["participant"],
        goal,
        approved,
        approved.enrolment.cohort,
    )
    assert (win.source, win.sharing, win.created_at) == ("goal_reached", "pending", check_in.created_at)
    assert win.title == "Release faster: 10 → 8.4 days"
    mail = OutgoingMail.objects.get(template="wins_recorded")
    assert (mail.recipient, mail.context["path"]) == (cast["participant"].user, f"/wins/{win.uuid}/")
    assert AuditEntry.objects.filter(object_uuid=win.uuid, action="created").count() == 1


def test_the_signal_sent_again_records_nothing_more(approved, goal, cast, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        check_in = reach(approved, goal, cast["participant"])
    goal_reached.send(sender=ActionGoal, goal=goal, check_in=check_in)
    assert services.record_goal_win(goal=goal, check_in=check_in) is None
    assert Win.objects.count() == 1
    assert OutgoingMail.objects.filter(template="wins_recorded").count() == 1


def test_a_self_rated_goal_without_unit_reads_plainly(approved, rating_goal, cast):
    check_in = reach(approved, rating_goal, cast["participant"], value="7")
    assert services.record_goal_win(goal=rating_goal, check_in=check_in).title == "Calm feedback: 4 → 7"


def test_mark_win_refuses_an_empty_title_and_another_persons_goal(approved, goal, cast):
    with pytest.raises(ValidationError) as error:
        services.mark_win(
            workspace=approved.workspace,
            actor=None,
            marked_by=cast["manager"],
            person=cast["other_participant"],
            title="  ",
            goal=goal,
        )
    assert set(error.value.message_dict) == {"title", "goal"}
    assert not Win.objects.exists()


def test_mark_win_with_a_goal_takes_its_plan_and_cohort(approved, goal, cast):
    win = services.mark_win(
        workspace=approved.workspace,
        actor=cast["trainer"].user,
        marked_by=cast["trainer"],
        person=cast["participant"],
        title=" Led the pilot ",
        goal=goal,
    )
    assert (win.title, win.source, win.plan, win.cohort, win.marked_by) == (
        "Led the pilot",
        "marked",
        approved,
        approved.enrolment.cohort,
        cast["trainer"],
    )
    assert OutgoingMail.objects.get(template="wins_recorded").context["marked_by"] == "Tomasz Trainer"


def test_sharing_can_change_later_and_pending_is_not_a_choice(goal_win):
    assert services.set_sharing(win=goal_win, actor=None, sharing="shared") is True
    assert goal_win.shared_at is not None
    assert services.set_sharing(win=goal_win, actor=None, sharing="shared") is False
    services.set_sharing(win=goal_win, actor=None, sharing="private")
    goal_win.refresh_from_db()
    assert (goal_win.sharing, goal_win.shared_at) == ("private", None)
    with pytest.raises(ValidationError):
        services.set_sharing(win=goal_win, actor=None, sharing="pending")


def test_reactions_toggle_once_per_person_and_kind(shared_win, cast):
    colleague = cast["other_participant"]
    assert services.toggle_reaction(win=shared_win, person=colleague, kind="applause") is True
    assert services.toggle_reaction(win=shared_win, person=colleague, kind="inspiring") is True
    assert services.toggle_reaction(win=shared_win, person=colleague, kind="applause") is False
    assert list(Reaction.objects.values_list("kind", flat=True)) == ["inspiring"]
    with pytest.raises(ValidationError):
        services.toggle_reaction(win=shared_win, person=colleague, kind="thumbs")


def test_reactions_only_on_shared_wins(goal_win, cast):
    with pytest.raises(ValidationError):
        services.toggle_reaction(win=goal_win, person=cast["other_participant"], kind="applause")
    assert not Reaction.objects.exists()


def test_goal_win_title_normalises_numbers(goal):
    assert services.goal_win_title(goal, Decimal("8.5000")) == "Release faster: 10 → 8.5 days"


def test_make_win_helper_marks_and_shares(cast):
    win = make_win(cast["participant"], marked_by=cast["manager"])
    assert (win.sharing, win.marked_by) == ("shared", cast["manager"])
