"""The peers API: the role × endpoint matrix, API keys (scopes, never posting), other
workspaces, moderation and hidden posts, errors."""

import pytest

from takeroot.peers import services
from takeroot.peers.models import Ambassador, PeerGroup, Post, Thread
from takeroot.programmes import services as programmes

from ..factories import PersonFactory, UserFactory

ENDPOINTS = {
    # name: (method, path, body, status on success)
    "groups": ("get", "/api/v1/peer-groups", None, 200),
    "group": ("get", "/api/v1/peer-groups/{group}", None, 200),
    "rename_group": ("patch", "/api/v1/peer-groups/{group}", {"name": "Duo"}, 200),
    "cohort_groups": ("get", "/api/v1/cohorts/{cohort}/peer-groups", None, 200),
    "create_group": ("post", "/api/v1/cohorts/{cohort}/peer-groups", {"name": "Solo"}, 201),
    "auto": ("post", "/api/v1/cohorts/{cohort}/peer-groups/auto", {"size": 2, "preview": True}, 200),
    "threads": ("get", "/api/v1/threads", None, 200),
    "community_thread": ("get", "/api/v1/threads/{community_thread}", None, 200),
    "group_thread": ("get", "/api/v1/threads/{group_thread}", None, 200),
    "pin": ("patch", "/api/v1/threads/{community_thread}", {"pinned": True}, 200),
    "posts": ("get", "/api/v1/threads/{community_thread}/posts", None, 200),
    "reply": ("post", "/api/v1/threads/{community_thread}/posts", {"text": "Me too"}, 201),
    "reply_group": ("post", "/api/v1/threads/{group_thread}/posts", {"text": "Ok"}, 201),
    "hide_post": ("patch", "/api/v1/posts/{post}", {"hidden": True, "reason": "Off topic"}, 200),
    "ambassador": ("get", "/api/v1/teams/{team}/ambassador", None, 200),
    "name_ambassador": ("put", "/api/v1/teams/{team}/ambassador", {"person": "{participant}"}, 200),
    "insight": ("get", "/api/v1/threads/{insight}", None, 200),
}
ALWAYS = {"groups", "threads", "ambassador"}
COMMUNITY = {"cohort_groups", "community_thread", "posts", "reply"}
GROUP = {"group", "group_thread", "reply_group"}
MANAGE = {"rename_group", "create_group", "auto", "pin", "hide_post"}
UNSEEN_GROUP = GROUP | {"rename_group"}  # a group one does not see answers 404 for everything
EXPECTED = {
    # who: (allowed, hidden → 404); anything else answers 403
    "participant": (ALWAYS | COMMUNITY | GROUP | {"insight"}, set()),
    "other_participant": (ALWAYS | COMMUNITY | {"insight"}, UNSEEN_GROUP),
    "stranger": (ALWAYS, UNSEEN_GROUP | {"community_thread", "posts", "reply", "pin", "hide_post", "insight"}),
    "mentor": (ALWAYS | COMMUNITY, UNSEEN_GROUP | {"insight"}),
    "trainer": (ALWAYS | COMMUNITY | GROUP | MANAGE, {"insight"}),
    "manager": (
        ALWAYS | {"insight", "name_ambassador"},
        UNSEEN_GROUP | {"community_thread", "posts", "reply", "pin", "hide_post"},
    ),
    "admin": (set(ENDPOINTS), set()),
    "outsider": (ALWAYS - {"ambassador"}, set(ENDPOINTS) - ALWAYS | {"ambassador"}),
}


@pytest.fixture
def ids(cohort, other_cohort, group, community_thread, group_thread, insight, team, cast, workspace):
    late = PersonFactory(workspace=workspace, user=UserFactory(email="carl@acme.test", name="Carl Late"))
    programmes.enrol_people(cohort=cohort, actor=None, people=[late])  # two without a group to form
    return {
        "cohort": cohort.uuid,
        "group": group.uuid,
        "community_thread": community_thread.uuid,
        "group_thread": group_thread.uuid,
        "post": community_thread.posts.get().uuid,
        "team": team.uuid,
        "insight": insight.uuid,
        "participant": cast["participant"].uuid,
    }


def _call(client, name, ids, **extra):
    method, path, body, _ok = ENDPOINTS[name]
    if body is not None:
        body = {k: (v.format(**ids) if isinstance(v, str) and v.startswith("{") else v) for k, v in body.items()}
    kwargs = {"content_type": "application/json", "data": body} if body is not None else {}
    return getattr(client, method)(path.format(**ids), **kwargs, **extra)


@pytest.mark.parametrize("who", sorted(EXPECTED))
@pytest.mark.parametrize("name", sorted(ENDPOINTS))
def test_role_endpoint_matrix(ids, everyone, client_for, who, name):
    allowed, hidden = EXPECTED[who]
    response = _call(client_for(everyone[who]), name, ids)
    expected = ENDPOINTS[name][3] if name in allowed else 404 if name in hidden else 403
    assert response.status_code == expected, response.content


@pytest.mark.parametrize("name", sorted(ENDPOINTS))
def test_api_keys_read_and_moderate_but_never_post(ids, client, api_key, name):
    read, write = api_key("peers:read"), api_key("peers:read", "peers:write")
    method = ENDPOINTS[name][0]
    posting = name in {"reply", "reply_group"}
    ok = ENDPOINTS[name][3]
    if method == "get":
        assert _call(client, name, ids, **read).status_code == ok
        assert _call(client, name, ids, **api_key("people:read")).status_code == 403
    elif posting:
        response = _call(client, name, ids, **write)
        assert response.status_code == 403
        assert "sign in as a person" in response.json()["detail"]
    else:
        assert _call(client, name, ids, **read).status_code == 403
        assert _call(client, name, ids, **write).status_code == ok


def test_api_key_of_another_workspace_sees_nothing(ids, client, api_key, other_workspace):
    key = api_key("peers:read", "peers:write", workspace=other_workspace)
    assert client.get(f"/api/v1/threads/{ids['community_thread']}", **key).status_code == 404
    assert client.get("/api/v1/threads", **key).json()["count"] == 0
    assert client.get(f"/api/v1/teams/{ids['team']}/ambassador", **key).status_code == 404


def test_api_key_cannot_start_a_thread(cohort, client, api_key):
    response = client.post(
        "/api/v1/threads",
        data={"title": "Hi", "text": "Hello", "cohort": str(cohort.uuid)},
        content_type="application/json",
        **api_key("peers:read", "peers:write"),
    )
    assert response.status_code == 403
    assert not Thread.objects.exists()


def test_start_thread_in_cohort_group_and_team(cohort, group, team, ambassador, cast, client_for):
    client = client_for(cast["participant"])
    response = client.post(
        "/api/v1/threads",
        data={"title": "Hi", "text": "Hello", "cohort": str(cohort.uuid)},
        content_type="application/json",
    )
    assert response.status_code == 201
    assert response.json()["scope"] == "community"
    assert response.json()["items"][0]["text"] == "Hello"
    response = client.post(
        "/api/v1/threads",
        data={"title": "Hi", "text": "Hello", "group": str(group.uuid)},
        content_type="application/json",
    )
    assert response.json()["scope"] == "group"
    response = client.post(
        "/api/v1/threads",
        data={"title": "Hi", "text": "Hello", "team": str(team.uuid)},
        content_type="application/json",
    )
    assert response.status_code == 403  # only the ambassador
    ambassador_client = client_for(cast["other_participant"])
    response = ambassador_client.post(
        "/api/v1/threads",
        data={"title": "Hi", "text": "Hello", "team": str(team.uuid)},
        content_type="application/json",
    )
    assert response.status_code == 201
    response = client.post(
        "/api/v1/threads",
        data={"title": "Hi", "text": "Hello", "team": str(team.uuid), "cohort": str(cohort.uuid)},
        content_type="application/json",
    )
    assert response.status_code == 400


def test_locked_thread_reply_is_400(community_thread, cast, client_for):
    services.set_locked(thread=community_thread, actor=None, locked=True)
    response = client_for(cast["participant"]).post(
        f"/api/v1/threads/{community_thread.uuid}/posts", data={"text": "Hi"}, content_type="application/json"
    )
    assert response.status_code == 400


def test_hidden_post_text_only_for_author_and_moderators(community_thread, cast, client_for):
    post = services.reply(thread=community_thread, author=cast["other_participant"], actor=None, text="Buy watches")
    services.hide_post(post=post, moderator=cast["trainer"], actor=None, reason="Advertising")
    path = f"/api/v1/threads/{community_thread.uuid}/posts"
    others = client_for(cast["participant"]).get(path).json()
    assert [p["text"] for p in others] == ["What did you try?"]
    own = client_for(cast["other_participant"]).get(path).json()
    assert own[1]["text"] == "Buy watches" and own[1]["hidden_reason"] == "Advertising"
    trainer = client_for(cast["trainer"]).get(path).json()
    assert trainer[1]["hidden"] is True
    assert (
        client_for(cast["participant"])
        .patch(f"/api/v1/posts/{post.uuid}", data={"hidden": False}, content_type="application/json")
        .status_code
        == 404
    )


def test_edit_own_post_and_hide_needs_reason(community_thread, cast, client_for):
    post = community_thread.posts.get()
    client = client_for(cast["participant"])
    response = client.patch(f"/api/v1/posts/{post.uuid}", data={"text": "Edited"}, content_type="application/json")
    assert response.status_code == 200 and response.json()["text"] == "Edited"
    assert (
        client_for(cast["trainer"])
        .patch(f"/api/v1/posts/{post.uuid}", data={"text": "Not mine"}, content_type="application/json")
        .status_code
        == 403
    )
    response = client_for(cast["trainer"]).patch(
        f"/api/v1/posts/{post.uuid}", data={"hidden": True}, content_type="application/json"
    )
    assert response.status_code == 400 and "reason" in response.json()["errors"]
    assert not Post.objects.get(pk=post.pk).is_hidden


def test_auto_groups_preview_and_save(cohort, cast, client_for):
    client = client_for(cast["trainer"])
    path = f"/api/v1/cohorts/{cohort.uuid}/peer-groups/auto"
    preview = client.post(path, data={"size": 3, "mode": "same_team"}, content_type="application/json")
    assert preview.status_code == 200 and preview.json()["saved"] is False
    assert not PeerGroup.objects.exists()
    saved = client.post(path, data={"size": 3, "mode": "same_team", "preview": False}, content_type="application/json")
    assert saved.status_code == 201
    assert saved.json()["groups"] == preview.json()["groups"]
    assert PeerGroup.objects.count() == 1
    bad = client.post(path, data={"size": 9}, content_type="application/json")
    assert bad.status_code == 422


def test_group_patch_moves_and_refuses_unknown_people(cohort, group, cast, client_for, buddy, outsider):
    client = client_for(cast["trainer"])
    other = services.create_group(cohort=cohort, actor=None, name="Other", members=[cast["other_participant"]])
    response = client.patch(
        f"/api/v1/peer-groups/{other.uuid}", data={"add": [str(buddy.uuid)]}, content_type="application/json"
    )
    assert [m["name"] for m in response.json()["members"]] == ["Bea Buddy", "Olek Other"]
    response = client.patch(
        f"/api/v1/peer-groups/{other.uuid}", data={"add": [str(outsider.uuid)]}, content_type="application/json"
    )
    assert response.status_code == 400 and "add" in response.json()["errors"]


def test_name_ambassador_must_be_team_member(team, cast, client_for, buddy):
    client = client_for(cast["admin"])
    path = f"/api/v1/teams/{team.uuid}/ambassador"
    response = client.put(path, data={"person": str(buddy.uuid)}, content_type="application/json")
    assert response.status_code == 400
    response = client.put(path, data={"person": str(cast["participant"].uuid)}, content_type="application/json")
    assert response.json()["ambassador"]["name"] == "Pia Participant"
    assert client.delete(path).status_code == 204
    assert not Ambassador.objects.exists()
