"""The peer pages: the role × page matrix, hidden posts, links in text, forms that keep what was
typed, grouping with a preview, ambassadors and the home panel."""

import pytest
from django.utils import translation

from takeroot.peers import services
from takeroot.peers.models import Ambassador, PeerGroup, Post, Thread

PAGES = {
    "mine": "/peers/",
    "ambassadors": "/peers/ambassadors/",
    "community": "/peers/cohort/{cohort}/",
    "groups": "/peers/cohort/{cohort}/groups/",
    "auto": "/peers/cohort/{cohort}/groups/auto/",
    "group": "/peers/groups/{group}/",
    "community_thread": "/peers/threads/{community_thread}/",
    "group_thread": "/peers/threads/{group_thread}/",
    "hide_thread": "/peers/threads/{community_thread}/hide/",
    "hide_post": "/peers/posts/{post}/hide/",
    "team": "/peers/teams/{team}/",
    "insight": "/peers/threads/{insight}/",
    "name_ambassador": "/peers/teams/{team}/ambassador/",
}
OWN = {"mine", "ambassadors"}
COMMUNITY = {"community", "community_thread"}
GROUP = {"group", "group_thread"}
TEAM = {"team", "insight"}
MODERATE = {"hide_thread", "hide_post", "groups", "auto"}
HIDDEN_GROUP = dict.fromkeys(GROUP, 404)
EXPECTED = {
    # who: {page: status}; anything not named answers 403
    "participant": dict.fromkeys(OWN | COMMUNITY | GROUP | TEAM, 200),
    "buddy": dict.fromkeys(OWN | COMMUNITY | GROUP, 200) | {"insight": 404},
    # Same cohort, not in the pair: the pair's threads are out of sight.
    "other_participant": dict.fromkeys(OWN | COMMUNITY | TEAM, 200) | HIDDEN_GROUP,
    "stranger": dict.fromkeys(OWN, 200)
    | HIDDEN_GROUP
    | {"community_thread": 404, "hide_thread": 404, "hide_post": 404, "insight": 404},
    "mentor": dict.fromkeys(OWN | COMMUNITY, 200) | HIDDEN_GROUP | {"insight": 404},
    "trainer": dict.fromkeys(OWN | COMMUNITY | GROUP | MODERATE, 200) | {"insight": 404},
    "manager": dict.fromkeys(OWN | TEAM | {"name_ambassador"}, 200)
    | HIDDEN_GROUP
    | {"community_thread": 404, "hide_thread": 404, "hide_post": 404},
    "admin": dict.fromkeys(set(PAGES), 200),
    "outsider": dict.fromkeys(OWN, 200) | dict.fromkeys(set(PAGES) - OWN, 404),
}


@pytest.fixture
def ids(cohort, other_cohort, group, community_thread, group_thread, insight, team):
    return {
        "cohort": cohort.uuid,
        "group": group.uuid,
        "community_thread": community_thread.uuid,
        "group_thread": group_thread.uuid,
        "post": community_thread.posts.get().uuid,
        "team": team.uuid,
        "insight": insight.uuid,
    }


@pytest.mark.parametrize("who", sorted(EXPECTED))
def test_role_page_matrix(ids, everyone, client_for, who):
    client = client_for(everyone[who])
    statuses = {name: client.get(path.format(**ids)).status_code for name, path in PAGES.items()}
    assert statuses == {name: EXPECTED[who].get(name, 403) for name in PAGES}


def test_thread_page_shows_links_as_links_and_escapes_markup(community_thread, cast, client_for):
    services.reply(
        thread=community_thread,
        author=cast["trainer"],
        actor=None,
        text="See https://example.com/notes <script>alert(1)</script>",
    )
    page = client_for(cast["participant"]).get(f"/peers/threads/{community_thread.uuid}/").content.decode()
    assert '<a href="https://example.com/notes" rel="nofollow">https://example.com/notes</a>' in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "<script>alert(1)" not in page


def test_hidden_post_author_sees_it_was_hidden_others_do_not(community_thread, cast, client_for):
    post = services.reply(thread=community_thread, author=cast["other_participant"], actor=None, text="Buy watches")
    services.hide_post(post=post, moderator=cast["trainer"], actor=None, reason="Advertising")
    path = f"/peers/threads/{community_thread.uuid}/"
    with translation.override("en"):
        own = client_for(cast["other_participant"]).get(path).content.decode()
        assert "A moderator hid this post." in own and "Advertising" in own and "Buy watches" in own
        other = client_for(cast["participant"]).get(path).content.decode()
        assert "Buy watches" not in other and "Advertising" not in other
        moderator = client_for(cast["trainer"]).get(path).content.decode()
        assert "Buy watches" in moderator and "Show again" in moderator
    assert client_for(cast["participant"]).get(f"/peers/posts/{post.uuid}/hide/").status_code == 404


def test_hidden_thread_only_for_author_and_moderators(community_thread, cast, client_for):
    services.hide_thread(thread=community_thread, moderator=cast["trainer"], actor=None, reason="Duplicate")
    path = f"/peers/threads/{community_thread.uuid}/"
    assert client_for(cast["participant"]).get(path).status_code == 200
    assert client_for(cast["other_participant"]).get(path).status_code == 404
    assert client_for(cast["trainer"]).get(path).status_code == 200
    listing = client_for(cast["other_participant"]).get(f"/peers/cohort/{community_thread.cohort.uuid}/")
    assert "First week" not in listing.content.decode()


def test_reply_and_locked_thread(community_thread, cast, client_for):
    path = f"/peers/threads/{community_thread.uuid}/"
    client = client_for(cast["other_participant"])
    assert client.post(path, {"text": "I tried the checklist."}).status_code == 302
    trainer = client_for(cast["trainer"])
    trainer.post(f"{path}moderate/", {"action": "lock"})
    assert Thread.objects.get(pk=community_thread.pk).locked
    client = client_for(cast["other_participant"])
    with translation.override("en"):
        response = client.post(path, {"text": "Another one"})
        assert response.status_code == 200
        assert "This thread is locked" in response.content.decode()
    assert community_thread.posts.count() == 2


def test_participant_cannot_moderate(community_thread, cast, client_for):
    path = f"/peers/threads/{community_thread.uuid}/moderate/"
    assert client_for(cast["participant"]).post(path, {"action": "pin"}).status_code == 403
    assert client_for(cast["outsider"]).post(path, {"action": "pin"}).status_code == 404


def test_new_thread_form_keeps_what_was_typed(cohort, cast, client_for):
    client = client_for(cast["participant"])
    with translation.override("en"):
        response = client.post(f"/peers/cohort/{cohort.uuid}/", {"title": "", "text": "My draft text"})
    page = response.content.decode()
    assert response.status_code == 200
    assert "My draft text" in page and "This field is required." in page
    assert not Thread.objects.exists()
    response = client.post(f"/peers/cohort/{cohort.uuid}/", {"title": "Hello", "text": "My draft text"})
    thread = Thread.objects.get()
    assert response["Location"] == f"/peers/threads/{thread.uuid}/"


def test_edit_own_post_page(community_thread, cast, client_for):
    post = community_thread.posts.get()
    path = f"/peers/posts/{post.uuid}/edit/"
    assert client_for(cast["other_participant"]).get(path).status_code == 403
    client = client_for(cast["participant"])
    assert client.post(path, {"text": "What did you try this week?"}).status_code == 302
    assert Post.objects.get(pk=post.pk).edited_at is not None


def test_auto_grouping_preview_then_confirm(cohort, cast, client_for):
    client = client_for(cast["trainer"])
    path = f"/peers/cohort/{cohort.uuid}/groups/auto/"
    with translation.override("en"):
        preview = client.post(path, {"size": "3", "mode": "mixed_teams"})
        page = preview.content.decode()
    assert "Proposed groups" in page and "Bea Buddy" in page
    assert not PeerGroup.objects.exists()
    signature = preview.context["signature"]
    done = client.post(path, {"size": "3", "mode": "mixed_teams", "confirm": signature})
    assert done.status_code == 302
    assert PeerGroup.objects.get().memberships.count() == 3


def test_auto_grouping_stale_preview_is_shown_again(cohort, cast, client_for):
    client = client_for(cast["trainer"])
    path = f"/peers/cohort/{cohort.uuid}/groups/auto/"
    response = client.post(path, {"size": "2", "mode": "mixed_teams", "confirm": "stale"})
    assert response.status_code == 200
    assert not PeerGroup.objects.exists()


def test_group_by_hand_add_move_remove(cohort, group, cast, client_for, buddy):
    client = client_for(cast["trainer"])
    with translation.override("en"):
        response = client.post(f"/peers/cohort/{cohort.uuid}/groups/", {"name": "Pair 1", "members": []})
    assert "already has a group with this name" in response.content.decode()
    client.post(f"/peers/cohort/{cohort.uuid}/groups/", {"name": "Pair 2"})
    pair2 = PeerGroup.objects.get(name="Pair 2")
    client.post(f"/peers/groups/{pair2.uuid}/edit/", {"person": cast["other_participant"].pk})
    assert list(pair2.memberships.values_list("person", flat=True)) == [cast["other_participant"].pk]
    client.post(f"/peers/groups/{group.uuid}/members/{buddy.uuid}/", {"to_group": pair2.uuid})
    assert pair2.memberships.count() == 2
    client.post(f"/peers/groups/{pair2.uuid}/members/{buddy.uuid}/")
    assert pair2.memberships.count() == 1
    client.post(f"/peers/groups/{pair2.uuid}/edit/", {"delete": "1"})
    assert not PeerGroup.objects.filter(pk=pair2.pk).exists()


def test_ambassador_named_by_the_manager_writes_insights(team, cast, client_for):
    manager = client_for(cast["manager"])
    assert manager.post(f"/peers/teams/{team.uuid}/ambassador/", {"person": cast["participant"].pk}).status_code == 302
    assert Ambassador.objects.get(team=team).person == cast["participant"]
    other = client_for(cast["other_participant"])
    assert other.post(f"/peers/teams/{team.uuid}/", {"title": "T", "text": "X"}).status_code == 403
    own = client_for(cast["participant"])
    assert own.post(f"/peers/teams/{team.uuid}/", {"title": "Idea", "text": "Try this"}).status_code == 302
    assert Thread.objects.get().team == team
    with translation.override("en"):
        listing = client_for(cast["admin"]).get("/peers/ambassadors/").content.decode()
    assert "Pia Participant" in listing


def test_home_panel_lists_latest_activity(community_thread, cast, client_for):
    with translation.override("en"):
        home = client_for(cast["other_participant"]).get("/").content.decode()
        assert "Latest in my discussions" in home and "First week" in home
        outsider = client_for(cast["outsider"]).get("/").content.decode()
        assert "First week" not in outsider
