"""Grouping by hand and automatically, one group per person, threads, the lock, hiding and the
edit window, and ambassadors."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from takeroot.core.models import AuditEntry
from takeroot.peers import services
from takeroot.peers.models import Ambassador, GroupMember, PeerGroup, Post
from takeroot.programmes import services as programmes
from takeroot.programmes.models import Enrolment

from ..factories import PersonFactory, TeamFactory, UserFactory


def _people(workspace, cohort, teams: dict[str, int]):
    people = []
    for name, count in teams.items():
        team = TeamFactory(workspace=workspace, name=name)
        for n in range(count):
            user = UserFactory(email=f"{name.lower()}{n}@acme.test", name=f"{name} {n}")
            people.append(PersonFactory(workspace=workspace, user=user, team=team))
    programmes.enrol_people(cohort=cohort, actor=None, people=people)
    return people


@pytest.fixture
def big_cohort(cast, programme, workspace):
    from .conftest import _cohort

    cohort = _cohort(programme, cast["admin"], "Big", [cast["trainer"]])
    _people(workspace, cohort, {"Alpha": 3, "Beta": 3, "Gamma": 1})
    return cohort


def _names(proposed):
    return [[p.user.name for p in group.members] for group in proposed]


def test_mixed_teams_spreads_teams_round_robin(big_cohort):
    proposed = services.propose_groups(cohort=big_cohort, size=2, mode="mixed_teams")
    assert _names(proposed) == [["Alpha 0", "Beta 0", "Gamma 0"], ["Alpha 1", "Beta 1"], ["Alpha 2", "Beta 2"]]
    assert [g.name for g in proposed] == ["Group 1", "Group 2", "Group 3"]
    assert [g.kind for g in proposed] == ["group", "pair", "pair"]


def test_same_team_keeps_colleagues_and_merges_leftovers(big_cohort):
    proposed = services.propose_groups(cohort=big_cohort, size=2, mode="same_team")
    # Alpha 2 joins the other Alphas, Beta 2 the Betas; Gamma 0, alone in the team, the smallest group.
    assert _names(proposed) == [["Alpha 0", "Alpha 1", "Alpha 2", "Gamma 0"], ["Beta 0", "Beta 1", "Beta 2"]]


def test_same_team_leftover_alone_in_team_joins_smallest_group(cast, programme, workspace):
    from .conftest import _cohort

    cohort = _cohort(programme, cast["admin"], "Small")
    _people(workspace, cohort, {"Alpha": 4, "Beta": 3, "Gamma": 1})
    names = _names(services.propose_groups(cohort=cohort, size=2, mode="same_team"))
    assert names == [["Alpha 0", "Alpha 1", "Gamma 0"], ["Alpha 2", "Alpha 3"], ["Beta 0", "Beta 1", "Beta 2"]]


def test_form_groups_is_deterministic_and_preview_saves_nothing(big_cohort):
    first = _names(services.form_groups(cohort=big_cohort, actor=None, size=3, mode="mixed_teams", preview=True))
    assert not PeerGroup.objects.exists()
    saved = _names(services.form_groups(cohort=big_cohort, actor=None, size=3, mode="mixed_teams"))
    assert first == saved
    assert GroupMember.objects.filter(cohort=big_cohort).count() == 7
    assert AuditEntry.objects.filter(object_type="peergroup").count() == 2


def test_form_groups_only_takes_those_without_a_group_and_not_withdrawn(big_cohort):
    enrolments = list(Enrolment.objects.filter(cohort=big_cohort).order_by("person__user__name"))
    Enrolment.objects.filter(pk=enrolments[0].pk).update(status="withdrawn")
    services.create_group(
        cohort=big_cohort, actor=None, name="Hand made", members=[enrolments[1].person, enrolments[2].person]
    )
    proposed = services.form_groups(cohort=big_cohort, actor=None, size=2, mode="mixed_teams")
    placed = [p for g in proposed for p in g.members]
    assert len(placed) == 4
    assert enrolments[0].person not in placed
    assert [g.name for g in proposed] == ["Group 1", "Group 2"]


def test_form_groups_refuses_bad_size_and_nothing_to_form(big_cohort, cohort):
    with pytest.raises(ValidationError) as error:
        services.form_groups(cohort=big_cohort, actor=None, size=7, mode="mixed_teams")
    assert "size" in error.value.message_dict
    services.form_groups(cohort=big_cohort, actor=None, size=2, mode="same_team")
    with pytest.raises(ValidationError):
        services.form_groups(cohort=big_cohort, actor=None, size=2, mode="same_team")


def test_a_person_is_in_one_group_per_cohort(group, cast, cohort, buddy):
    with pytest.raises(ValidationError) as error:
        services.create_group(cohort=cohort, actor=None, name="Other", members=[cast["participant"]])
    assert "already in a group" in str(error.value)
    assert PeerGroup.objects.filter(name="Other").count() == 0  # nothing half-saved
    other = services.create_group(cohort=cohort, actor=None, name="Other", members=[cast["other_participant"]])
    services.move_member(person=buddy, to_group=other, actor=None)
    assert list(other.memberships.values_list("person__user__name", flat=True)) == ["Bea Buddy", "Olek Other"]
    group.refresh_from_db()
    other.refresh_from_db()
    assert (group.kind, other.kind) == ("group", "pair")


def test_only_participants_of_the_cohort_join(cohort, stranger, cast):
    with pytest.raises(ValidationError):
        services.create_group(cohort=cohort, actor=None, name="G", members=[stranger])
    with pytest.raises(ValidationError):
        services.create_group(cohort=cohort, actor=None, name="G", members=[cast["outsider"]])


def test_remove_member(group, buddy):
    services.remove_member(group=group, person=buddy, actor=None)
    assert group.memberships.count() == 1
    with pytest.raises(ValidationError):
        services.remove_member(group=group, person=buddy, actor=None)


def test_locked_thread_takes_no_reply(community_thread, cast):
    services.set_locked(thread=community_thread, actor=None, locked=True)
    with pytest.raises(ValidationError) as error:
        services.reply(thread=community_thread, author=cast["trainer"], actor=None, text="Hi")
    assert "locked" in str(error.value)
    services.set_locked(thread=community_thread, actor=None, locked=False)
    services.reply(thread=community_thread, author=cast["trainer"], actor=None, text="Hi")
    assert community_thread.posts.count() == 2


def test_reply_moves_last_activity(community_thread, cast):
    later = timezone.now() + datetime.timedelta(hours=1)
    services.reply(thread=community_thread, author=cast["trainer"], actor=None, text="Hi", now=later)
    community_thread.refresh_from_db()
    assert community_thread.last_activity_at == later


def test_hiding_needs_a_reason_and_records_it(community_thread, cast):
    post = community_thread.posts.get()
    with pytest.raises(ValidationError):
        services.hide_post(post=post, moderator=cast["trainer"], actor=None, reason=" ")
    services.hide_post(post=post, moderator=cast["trainer"], actor=None, reason="Off topic")
    post.refresh_from_db()
    assert (post.is_hidden, post.hidden_reason, post.hidden_by) == (True, "Off topic", cast["trainer"])
    services.show_post(post=post, actor=None)
    post.refresh_from_db()
    assert not post.is_hidden
    services.hide_thread(thread=community_thread, moderator=None, actor=None, reason="Spam")
    with pytest.raises(ValidationError):
        services.reply(thread=community_thread, author=cast["trainer"], actor=None, text="Hi")


def test_edit_window_is_thirty_minutes(community_thread, cast):
    post = community_thread.posts.get()
    services.edit_post(
        post=post, author=cast["participant"], actor=None, text="Edited", now=post.created_at + services.EDIT_WINDOW
    )
    assert Post.objects.get(pk=post.pk).text == "Edited"
    late = post.created_at + services.EDIT_WINDOW + datetime.timedelta(seconds=1)
    with pytest.raises(ValidationError):
        services.edit_post(post=post, author=cast["participant"], actor=None, text="Too late", now=late)
    with pytest.raises(ValidationError):
        services.edit_post(post=post, author=cast["trainer"], actor=None, text="Not mine")
    assert Post.objects.get(pk=post.pk).text == "Edited"


def test_thread_needs_title_and_text(cohort, cast):
    with pytest.raises(ValidationError) as error:
        services.start_thread(author=cast["participant"], actor=None, cohort=cohort, title=" ", text="")
    assert set(error.value.message_dict) == {"title", "text"}


def test_ambassador_is_a_member_and_one_per_team(team, cast, buddy):
    with pytest.raises(ValidationError):
        services.name_ambassador(team=team, person=buddy, actor=None, named_by=None)
    services.name_ambassador(team=team, person=cast["participant"], actor=None, named_by=None)
    services.name_ambassador(team=team, person=cast["other_participant"], actor=None, named_by=None)
    assert Ambassador.objects.get(team=team).person == cast["other_participant"]
    services.remove_ambassador(team=team, actor=None)
    assert not Ambassador.objects.filter(team=team).exists()
