"""What the action-plan sections of the digest tell managers, trainers and participants."""

import datetime

from django.utils import timezone

from takeroot.plans import services
from takeroot.plans.digest import participant_section, support_section, team_section

LONG_AGO = timezone.now() - datetime.timedelta(days=30)


def texts(section):
    return [item.text for item in section.items] if section else []


def test_the_manager_reads_plans_awaiting_approval(plan, goal, cast):
    services.submit_plan(plan=plan, actor=None)
    assert texts(team_section(cast["manager"], LONG_AGO)) == ["Pia Participant's action plan waits for your approval."]


def test_the_manager_reads_new_check_ins_but_not_older_ones(check_in, cast):
    lines = texts(team_section(cast["manager"], LONG_AGO))
    assert any(
        line.startswith("Pia Participant checked in on") and "On track, confidence 4 of 5" in line for line in lines
    )
    assert not any("checked in" in line for line in texts(team_section(cast["manager"], timezone.now())))


def test_overdue_steps_and_goals_are_listed(approved, task, goal, cast):
    past = timezone.localdate() - datetime.timedelta(days=3)
    type(task).objects.filter(pk=task.pk).update(due_on=past)
    type(goal).objects.filter(pk=goal.pk).update(deadline=past)
    lines = texts(team_section(cast["manager"], timezone.now()))
    assert any("the step “Follow up 3 key clients” was due on" in line for line in lines)
    assert any("the goal “Release faster” passed its deadline" in line for line in lines)


def test_someone_elses_team_is_not_in_the_digest(check_in, cast):
    assert team_section(cast["trainer"], LONG_AGO) is None
    assert texts(team_section(cast["other_participant"], LONG_AGO)) == []


def test_support_requests_wait_for_the_manager_and_the_trainer(check_in, cast):
    expected = ["Pia Participant asks: “A pairing session with the platform team.”"]
    assert texts(support_section(cast["manager"], LONG_AGO)) == expected
    assert texts(support_section(cast["trainer"], LONG_AGO)) == expected
    assert texts(support_section(cast["participant"], LONG_AGO)) == []
    services.answer_support_request(
        support_request=check_in.support_request, actor=None, author=cast["manager"], answer="Tuesday at 10."
    )
    assert texts(support_section(cast["manager"], LONG_AGO)) == []


def test_the_participant_reads_the_next_check_in_and_new_feedback(check_in, cast):
    services.give_feedback(plan=check_in.plan, actor=None, author=cast["manager"], comment="Good start.")
    lines = texts(participant_section(cast["participant"], LONG_AGO))
    assert lines[0].startswith("Your next check-in for DevOps practices is due on")
    assert lines[1] == "Magnus Manager left feedback on your action plan."
