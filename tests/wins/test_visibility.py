"""Who sees a win, by sharing state, on the win page, in the feeds and in the API; who may mark,
share and react (404 when not visible, 403 when visible but not allowed)."""

import pytest

from takeroot.core.services import create_api_key
from takeroot.wins import services
from takeroot.wins.models import Win

ALWAYS = {"participant", "manager", "trainer", "admin"}
ROLES = ["participant", "other_participant", "mentor", "manager", "trainer", "admin", "outsider"]


def _expected(who, sharing):
    if who == "outsider":
        return 404
    return 200 if who in ALWAYS or sharing == "shared" else 404


@pytest.mark.parametrize("sharing", ["pending", "shared", "private"])
@pytest.mark.parametrize("who", ROLES)
def test_win_page_and_api_visibility(goal_win, cast, client_for, who, sharing):
    if sharing != "pending":
        services.set_sharing(win=goal_win, actor=None, sharing=sharing)
    client = client_for(cast[who])
    assert client.get(f"/wins/{goal_win.uuid}/").status_code == _expected(who, sharing)
    assert client.get(f"/api/v1/wins/{goal_win.uuid}").status_code == _expected(who, sharing)
    listed = [row["id"] for row in client.get("/api/v1/wins").json()["items"]]
    assert listed == ([str(goal_win.uuid)] if _expected(who, sharing) == 200 else [])


@pytest.mark.parametrize("sharing", ["pending", "shared", "private"])
@pytest.mark.parametrize("who", ROLES)
def test_feed_shows_only_shared_wins_of_the_workspace(goal_win, cast, client_for, who, sharing):
    if sharing != "pending":
        services.set_sharing(win=goal_win, actor=None, sharing=sharing)
    page = client_for(cast[who]).get("/wins/")
    assert page.status_code == 200
    assert (goal_win.title in page.content.decode()) == (sharing == "shared" and who != "outsider")


def test_the_marker_sees_the_win_they_marked(cast, cohort, client_for):
    win = services.mark_win(
        workspace=cast["trainer"].workspace,
        actor=None,
        marked_by=cast["trainer"],
        person=cast["participant"],
        title="Ran the retro",
    )
    assert win.cohort is None
    assert client_for(cast["trainer"]).get(f"/wins/{win.uuid}/").status_code == 200
    assert client_for(cast["mentor"]).get(f"/wins/{win.uuid}/").status_code == 404


@pytest.mark.parametrize("who", ["manager", "trainer", "admin"])
def test_only_the_participant_shares(goal_win, cast, client_for, who):
    client = client_for(cast[who])
    assert client.post(f"/wins/{goal_win.uuid}/share/", {f"{goal_win.uuid}-sharing": "shared"}).status_code == 403
    response = client.patch(f"/api/v1/wins/{goal_win.uuid}", {"sharing": "shared"}, content_type="application/json")
    assert response.status_code == 403
    goal_win.refresh_from_db()
    assert goal_win.sharing == "pending"


def test_colleague_cannot_share_or_react_to_a_pending_win(goal_win, cast, client_for):
    client = client_for(cast["other_participant"])
    assert client.post(f"/wins/{goal_win.uuid}/share/", {f"{goal_win.uuid}-sharing": "shared"}).status_code == 404
    assert client.post(f"/wins/{goal_win.uuid}/react/", {"kind": "applause"}).status_code == 404
    body = {"kind": "applause"}
    response = client.post(f"/api/v1/wins/{goal_win.uuid}/reactions", body, content_type="application/json")
    assert response.status_code == 404


def test_manager_sees_but_cannot_react_to_a_private_win(goal_win, cast, client_for):
    services.set_sharing(win=goal_win, actor=None, sharing="private")
    assert client_for(cast["manager"]).post(f"/wins/{goal_win.uuid}/react/", {"kind": "applause"}).status_code == 403


@pytest.mark.parametrize(
    ("who", "status"),
    [("manager", 201), ("trainer", 201), ("admin", 201), ("other_participant", 403), ("mentor", 403)],
)
def test_who_may_mark_a_win_for_the_participant(cohort, cast, client_for, who, status):
    body = {"participant": str(cast["participant"].uuid), "title": "Closed the renewal"}
    response = client_for(cast[who]).post("/api/v1/wins", body, content_type="application/json")
    assert response.status_code == status, response.content
    assert Win.objects.count() == (1 if status == 201 else 0)


def test_manager_cannot_mark_a_win_for_someone_outside_their_line(cast, client_for):
    body = {"participant": str(cast["other_participant"].uuid), "title": "Closed the renewal"}
    response = client_for(cast["manager"]).post("/api/v1/wins", body, content_type="application/json")
    assert response.status_code == 403
    page = client_for(cast["manager"]).post("/wins/new/", {"person": cast["other_participant"].uuid, "title": "x"})
    assert page.status_code == 200  # not among the choices: the form says so
    assert "Select a valid choice" in page.content.decode()


def test_outsider_cannot_mark_for_another_workspace(cast, client_for):
    body = {"participant": str(cast["participant"].uuid), "title": "Closed the renewal"}
    response = client_for(cast["outsider"]).post("/api/v1/wins", body, content_type="application/json")
    assert response.status_code == 400
    assert not Win.objects.exists()


@pytest.mark.parametrize(
    ("scopes", "read", "write"),
    [([], 403, 403), (["wins:read"], 200, 403), (["wins:write"], 403, 201), (["action-plans:read"], 403, 403)],
)
def test_api_key_scopes(goal_win, cast, client, scopes, read, write):
    secret = create_api_key(workspace=goal_win.workspace, actor=None, name="HR", scopes=scopes)[1]
    auth = {"HTTP_AUTHORIZATION": f"Bearer {secret}"}
    assert client.get(f"/api/v1/wins/{goal_win.uuid}", **auth).status_code == read
    body = {"participant": str(cast["participant"].uuid), "title": "Closed the renewal", "story": "Good."}
    response = client.post("/api/v1/wins", body, content_type="application/json", **auth)
    assert response.status_code == write
    if write == 201:
        assert (response.json()["marked_by"], response.json()["source"]) == (None, "marked")


def test_api_key_cannot_share_or_react(shared_win, client):
    secret = create_api_key(workspace=shared_win.workspace, actor=None, name="HR", scopes=["wins:read", "wins:write"])[
        1
    ]
    auth = {"HTTP_AUTHORIZATION": f"Bearer {secret}"}
    path = f"/api/v1/wins/{shared_win.uuid}"
    assert client.patch(path, {"sharing": "private"}, content_type="application/json", **auth).status_code == 403
    response = client.post(f"{path}/reactions", {"kind": "applause"}, content_type="application/json", **auth)
    assert response.status_code == 403


def test_api_key_of_another_workspace_sees_nothing(goal_win, cast, client):
    secret = create_api_key(workspace=cast["outsider"].workspace, actor=None, name="HR", scopes=["wins:read"])[1]
    auth = {"HTTP_AUTHORIZATION": f"Bearer {secret}"}
    assert client.get(f"/api/v1/wins/{goal_win.uuid}", **auth).status_code == 404
    assert client.get("/api/v1/wins", **auth).json()["items"] == []
