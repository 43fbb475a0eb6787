"""The wins API for people: the participant shares, colleagues react, filters and errors."""

from takeroot.wins.models import Reaction

from .conftest import make_win


def test_participant_shares_through_the_api(goal_win, cast, client_for):
    client = client_for(cast["participant"])
    path = f"/api/v1/wins/{goal_win.uuid}"
    response = client.patch(path, {"sharing": "shared"}, content_type="application/json")
    assert response.status_code == 200
    assert response.json()["sharing"] == "shared" and response.json()["shared_at"]
    assert client.patch(path, {"sharing": "pending"}, content_type="application/json").status_code == 422
    assert client.patch(path, '"shared"', content_type="application/json").status_code == 422


def test_colleague_toggles_a_reaction_through_the_api(shared_win, cast, client_for):
    client = client_for(cast["other_participant"])
    path = f"/api/v1/wins/{shared_win.uuid}/reactions"
    body = client.post(path, {"kind": "inspiring"}, content_type="application/json").json()
    assert body["given"] is True
    assert {r["kind"]: (r["count"], r["mine"]) for r in body["reactions"]}["inspiring"] == (1, True)
    assert client.post(path, {"kind": "inspiring"}, content_type="application/json").json()["given"] is False
    assert not Reaction.objects.exists()
    assert client.post(path, {"kind": "boo"}, content_type="application/json").status_code == 422


def test_list_filters_by_sharing_participant_and_team(goal_win, cast, client_for, team):
    other = make_win(cast["other_participant"], title="Closed the renewal")
    client = client_for(cast["admin"])

    def ids(query):
        return [row["id"] for row in client.get(f"/api/v1/wins?{query}").json()["items"]]

    assert ids("sharing=pending") == [str(goal_win.uuid)]
    assert ids(f"participant={cast['other_participant'].uuid}") == [str(other.uuid)]
    assert set(ids(f"team={team.uuid}")) == {str(goal_win.uuid), str(other.uuid)}
    assert ids("team=00000000-0000-0000-0000-000000000000") == []


def test_mark_through_the_api_with_a_goal_of_someone_else_answers_400(goal, cast, client_for):
    body = {"participant": str(cast["other_participant"].uuid), "title": "Led the pilot", "goal": str(goal.uuid)}
    response = client_for(cast["admin"]).post("/api/v1/wins", body, content_type="application/json")
    assert response.status_code == 400
    assert "goal" in str(response.json())
