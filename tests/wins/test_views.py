"""The win pages: feeds (team filter, pagination, no N+1), reactions with and without htmx, the
"mark a win" form, the sharing choice, my wins and the home panel."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation

from takeroot.wins.models import Reaction, Win
from takeroot.wins.views.pages import PAGE_SIZE

from ..factories import PersonFactory, TeamFactory, UserFactory
from .conftest import make_win


def test_feed_newest_first_and_team_filter(cast, client_for, team):
    other_team = TeamFactory(workspace=team.workspace, name="Warehouse")
    stranger = PersonFactory(workspace=team.workspace, team=other_team, user=UserFactory(name="Wiktor Warehouse"))
    make_win(cast["participant"], title="First win")
    make_win(stranger, title="Second win")
    client = client_for(cast["other_participant"])
    page = client.get("/wins/").content.decode()
    assert page.index("Second win") < page.index("First win")
    filtered = client.get(f"/wins/?team={team.uuid}").content.decode()
    assert "First win" in filtered and "Second win" not in filtered
    team_page = client.get(f"/wins/team/{other_team.uuid}/").content.decode()
    assert "Second win" in team_page and "First win" not in team_page


def test_team_feed_of_another_workspace_is_404(cast, client_for, team):
    assert client_for(cast["outsider"]).get(f"/wins/team/{team.uuid}/").status_code == 404


def test_feed_is_paginated(cast, client_for):
    start = timezone.now() - datetime.timedelta(days=1)
    for n in range(PAGE_SIZE + 1):
        make_win(cast["participant"], title=f"Win number {n:02d}", created_at=start)
    client = client_for(cast["admin"])
    assert client.get("/wins/").content.decode().count('class="panel win-card"') == PAGE_SIZE
    assert client.get("/wins/?page=2").content.decode().count('class="panel win-card"') == 1


def test_feed_has_no_n_plus_one(cast, client_for):
    client = client_for(cast["other_participant"])

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/wins/").status_code == 200
        return len(queries)

    win = make_win(cast["participant"], marked_by=cast["manager"])
    Reaction.objects.create(workspace=win.workspace, win=win, person=cast["admin"], kind="applause")
    one = count()
    for _ in range(2):
        make_win(cast["participant"], marked_by=cast["manager"])
    assert count() == one


def test_reaction_without_javascript_goes_back(cast, client_for):
    win = make_win(cast["participant"])
    client = client_for(cast["other_participant"])
    response = client.post(f"/wins/{win.uuid}/react/", {"kind": "applause", "next": "/wins/"})
    assert response.status_code == 302 and response.url == "/wins/"
    assert Reaction.objects.get().person == cast["other_participant"]
    client.post(f"/wins/{win.uuid}/react/", {"kind": "applause"})
    assert not Reaction.objects.exists()


def test_reaction_with_htmx_answers_the_buttons(cast, client_for):
    win = make_win(cast["participant"])
    client = client_for(cast["other_participant"])
    with translation.override("en"):
        response = client.post(
            f"/wins/{win.uuid}/react/", {"kind": "congrats", "next": "/wins/"}, headers={"HX-Request": "true"}
        )
    body = response.content.decode()
    assert response.status_code == 200
    assert f'id="reactions-{win.uuid}"' in body and "<html" not in body
    assert 'value="congrats" class="button-small" aria-pressed="true"' in body
    assert "Congratulations" in body


def test_reaction_kind_unknown_is_refused(cast, client_for):
    win = make_win(cast["participant"])
    response = client_for(cast["other_participant"]).post(
        f"/wins/{win.uuid}/react/", {"kind": "boo"}, headers={"HX-Request": "true"}
    )
    assert response.status_code == 400
    assert not Reaction.objects.exists()


def test_participant_shares_from_the_win_page(goal_win, cast, client_for):
    client = client_for(cast["participant"])
    with translation.override("en"):
        assert "Share this win?" in client.get(f"/wins/{goal_win.uuid}/").content.decode()
    response = client.post(f"/wins/{goal_win.uuid}/share/", {f"{goal_win.uuid}-sharing": "shared"})
    assert response.status_code == 302
    goal_win.refresh_from_db()
    assert goal_win.sharing == "shared"
    assert "Share this win?" not in client_for(cast["manager"]).get(f"/wins/{goal_win.uuid}/").content.decode()


def test_my_wins_lists_own_wins_with_the_choice(goal_win, cast, client_for):
    make_win(cast["other_participant"], title="Not mine")
    page = client_for(cast["participant"]).get("/wins/mine/").content.decode()
    assert goal_win.title in page and "Not mine" not in page
    assert f'name="{goal_win.uuid}-sharing"' in page


def test_mark_a_win_form_keeps_input_and_records(approved, goal, cast, client_for):
    client = client_for(cast["manager"])
    with translation.override("en"):
        page = client.get("/wins/new/").content.decode()
        assert "Pia Participant" in page and "Olek Other" not in page
        response = client.post("/wins/new/", {"person": cast["participant"].uuid, "title": "", "story": "Kept story"})
        body = response.content.decode()
    assert response.status_code == 200
    assert "This field is required." in body and "Kept story" in body
    assert not Win.objects.exists()
    response = client.post(
        "/wins/new/", {"person": cast["participant"].uuid, "title": "Led the pilot", "goal": str(goal.uuid)}
    )
    win = Win.objects.get()
    assert response.url == f"/wins/{win.uuid}/"
    assert (win.marked_by, win.goal, win.cohort) == (cast["manager"], goal, approved.enrolment.cohort)


def test_mark_a_win_is_refused_to_a_plain_participant(cast, client_for):
    assert client_for(cast["other_participant"]).get("/wins/new/").status_code == 403


def test_home_panel_shows_wins_waiting_for_a_choice(goal_win, cast, client_for):
    with translation.override("en"):
        home = client_for(cast["participant"]).get("/").content.decode()
    assert "These wins wait for your choice" in home and goal_win.title in home


@pytest.mark.parametrize("path", ["/wins/", "/wins/mine/", "/wins/digests/"])
def test_outsider_pages_show_nothing_of_the_workspace(goal_win, shared_win, cast, client_for, path):
    page = client_for(cast["outsider"]).get(path)
    assert page.status_code == 200 and goal_win.title not in page.content.decode()


def test_mark_a_win_can_start_with_the_person_chosen(cast, client_for):
    page = client_for(cast["manager"]).get(f"/wins/new/?person={cast['participant'].uuid}").content.decode()
    assert f'<option value="{cast["participant"].uuid}" selected>' in page
