"""The pages: who may see what, opening a retrospective, the admin's page, the rating page and the
home panel."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from takeroot.core.models import OutgoingMail
from takeroot.retrospectives import services
from takeroot.retrospectives.models import EffectIndicator, Rater, Rating, Retrospective

from .conftest import LEADERSHIP, answer

ADMIN_PAGES = ["detail", "edit", "delete", "open"]


def _path(name, retrospective):
    return {
        "list": "/retrospectives/",
        "open": "/retrospectives/new/",
        "detail": f"/retrospectives/{retrospective.uuid}/",
        "edit": f"/retrospectives/{retrospective.uuid}/edit/",
        "delete": f"/retrospectives/{retrospective.uuid}/delete/",
        "rate": f"/retrospectives/{retrospective.uuid}/rate/",
    }[name]


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("admin", {"list": 200, "open": 200, "detail": 200, "edit": 200, "delete": 200, "rate": 403}),
        ("trainer", {"list": 200, "open": 403, "detail": 403, "edit": 403, "delete": 403, "rate": 403}),
        ("mentor", {"list": 200, "open": 403, "detail": 403, "edit": 403, "delete": 403, "rate": 403}),
        # Invited: they rate, but the admin's pages stay closed.
        ("manager", {"list": 200, "open": 403, "detail": 403, "edit": 403, "delete": 403, "rate": 200}),
        ("participant", {"list": 200, "open": 403, "detail": 403, "edit": 403, "delete": 403, "rate": 200}),
        ("other_participant", {"list": 200, "open": 403, "detail": 403, "edit": 403, "delete": 403, "rate": 403}),
    ],
)
def test_pages_answer_by_role(client, cast, retrospective, role, expected):
    client.force_login(cast[role].user)
    got = {name: client.get(_path(name, retrospective)).status_code for name in expected}
    assert got == expected


@pytest.mark.parametrize("name", ["detail", "edit", "delete", "rate"])
def test_another_workspace_answers_404_even_to_its_admin(client, cast, retrospective, name):
    client.force_login(cast["outsider"].user)
    assert client.get(_path(name, retrospective)).status_code == 404


@pytest.mark.parametrize("action", ["close", "reopen", "remind"])
def test_state_posts_are_for_admins(client, cast, retrospective, action):
    client.force_login(cast["manager"].user)
    assert client.post(f"/retrospectives/{retrospective.uuid}/{action}/").status_code == 403
    client.force_login(cast["outsider"].user)
    assert client.post(f"/retrospectives/{retrospective.uuid}/{action}/").status_code == 404


def test_list_shows_admins_progress_and_raters_their_link(client, cast, retrospective, rater_of):
    services.submit_ratings(rater=rater_of(cast["manager"]))
    client.force_login(cast["admin"].user)
    body = client.get("/retrospectives/").content.decode()
    assert "What stuck 2025–2026" in body and "1 of 2" in body and "Open a retrospective" in body
    client.force_login(cast["participant"].user)
    body = client.get("/retrospectives/").content.decode()
    assert f"/retrospectives/{retrospective.uuid}/rate/" in body
    assert "1 of 2" not in body and "Open a retrospective" not in body
    client.force_login(cast["other_participant"].user)
    assert "What stuck 2025" not in client.get("/retrospectives/").content.decode()


def test_list_query_count_does_not_grow(client, cast, retrospective, initiatives):
    client.force_login(cast["admin"].user)
    client.get("/retrospectives/")
    with CaptureQueriesContext(connection) as one:
        client.get("/retrospectives/")
    for _ in range(2):
        services.open_retrospective(workspace=cast["admin"].workspace, actor=None, leadership=[cast["manager"]])
    with CaptureQueriesContext(connection) as three:
        client.get("/retrospectives/")
    assert len(three) == len(one)


def test_open_form_ticks_the_initiatives_of_the_period(client, cast, initiatives):
    client.force_login(cast["admin"].user)
    body = client.get("/retrospectives/new/?period_start=2025-01-01&period_end=2026-10-31").content.decode()
    assert f'value="{initiatives["workshop"].pk}" id="id_initiative_{initiatives["workshop"].pk}" checked' in body
    assert f'value="{initiatives["old"].pk}" id="id_initiative_{initiatives["old"].pk}">' in body
    assert 'value="2025-01-01"' in body


def test_open_form_invites_leadership_more_people_and_participants(client, cast, initiatives):
    client.force_login(cast["admin"].user)
    response = client.post(
        "/retrospectives/new/",
        {
            "title": "Two years",
            "period_start": "2025-01-01",
            "period_end": "2026-10-31",
            "introduction": "Please",
            "initiatives": [initiatives["workshop"].pk],
            "invite_leadership": "on",
            "more_people": [cast["trainer"].pk],
            "invite_participants": "on",
        },
    )
    retrospective = Retrospective.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/retrospectives/{retrospective.uuid}/"
    assert sorted(retrospective.raters.values_list("person__user__email", "group")) == [
        ("admin@acme.test", "leadership"),
        ("manager@acme.test", "leadership"),
        ("other@acme.test", "participant"),
        ("participant@acme.test", "participant"),
        ("trainer@acme.test", "leadership"),
    ]
    assert OutgoingMail.objects.filter(template="retrospective_invitation").count() == 5


def test_open_form_keeps_what_was_typed_on_errors(client, cast, initiatives):
    client.force_login(cast["admin"].user)
    response = client.post(
        "/retrospectives/new/",
        {
            "title": "My title",
            "period_start": "2026-01-01",
            "period_end": "2025-01-01",
            "introduction": "Kept text",
            "initiatives": [initiatives["old"].pk],
        },
    )
    body = response.content.decode()
    assert response.status_code == 200 and not Retrospective.objects.exists()
    assert "The period must end on or after the day it starts." in body
    assert "Kept text" in body and 'value="My title"' in body
    assert f'id="id_initiative_{initiatives["old"].pk}" checked' in body


def test_edit_changes_the_retrospective(client, cast, retrospective, initiatives):
    client.force_login(cast["admin"].user)
    response = client.post(
        f"/retrospectives/{retrospective.uuid}/edit/",
        {
            "title": "Renamed",
            "period_start": "2025-01-01",
            "period_end": "2026-10-31",
            "introduction": "",
            "initiatives": [initiatives["workshop"].pk, initiatives["old"].pk],
        },
    )
    assert response.status_code == 302
    retrospective.refresh_from_db()
    assert retrospective.title == "Renamed"
    assert set(retrospective.initiatives.values_list("title", flat=True)) == {"Feedback workshop", "Old habits seminar"}


def test_detail_adds_and_removes_raters_and_indicators(client, cast, retrospective, initiatives):
    client.force_login(cast["admin"].user)
    body = client.get(f"/retrospectives/{retrospective.uuid}/").content.decode()
    assert "Magnus Manager" in body and "Feedback workshop" in body and "Report" in body
    response = client.post(
        f"/retrospectives/{retrospective.uuid}/",
        {"form": "raters", "raters-people": [cast["trainer"].pk], "raters-group": LEADERSHIP},
    )
    assert response.status_code == 302
    assert retrospective.raters.count() == 3
    response = client.post(
        f"/retrospectives/{retrospective.uuid}/",
        {
            "form": "indicator",
            "indicator-initiative": initiatives["workshop"].pk,
            "indicator-name": "Complaints",
            "indicator-value": "41",
            "indicator-unit": "per month",
            "indicator-source": "",
        },
    )
    assert response.status_code == 200
    assert "This field is required." in response.content.decode()
    assert 'value="Complaints"' in response.content.decode()
    response = client.post(
        f"/retrospectives/{retrospective.uuid}/",
        {
            "form": "indicator",
            "indicator-initiative": initiatives["workshop"].pk,
            "indicator-name": "Complaints",
            "indicator-value": "41",
            "indicator-unit": "per month",
            "indicator-source": "CRM report Q3",
        },
    )
    assert response.status_code == 302
    indicator = EffectIndicator.objects.get()
    assert (indicator.source, indicator.entered_by) == ("CRM report Q3", cast["admin"].user)
    client.post(f"/retrospectives/{retrospective.uuid}/indicators/{indicator.uuid}/remove/")
    assert not EffectIndicator.objects.exists()
    trainer = Rater.objects.get(person=cast["trainer"])
    client.post(f"/retrospectives/{retrospective.uuid}/raters/{trainer.uuid}/remove/")
    assert retrospective.raters.count() == 2


def test_close_remind_reopen_and_delete(client, cast, retrospective):
    client.force_login(cast["admin"].user)
    client.post(f"/retrospectives/{retrospective.uuid}/remind/")
    assert OutgoingMail.objects.filter(template="retrospective_reminder").count() == 2
    client.post(f"/retrospectives/{retrospective.uuid}/close/")
    retrospective.refresh_from_db()
    assert retrospective.state == "closed"
    client.post(f"/retrospectives/{retrospective.uuid}/reopen/")
    retrospective.refresh_from_db()
    assert retrospective.state == "open"
    response = client.post(f"/retrospectives/{retrospective.uuid}/delete/")
    assert response.status_code == 302 and not Retrospective.objects.exists()


def _rating_post(initiatives, action="save", **answers):
    """The rating page as a browser sends it; unanswered initiatives stay "I don't know it"."""
    data = {"action": action}
    for name in ("workshop", "conference"):
        prefix = f"i-{initiatives[name].uuid}"
        data[f"{prefix}-level"] = ""
        for field, value in answers.get(name, {}).items():
            data[f"{prefix}-{field}"] = value
    return data


def test_rater_saves_then_submits(client, cast, retrospective, initiatives, rater_of):
    client.force_login(cast["participant"].user)
    path = f"/retrospectives/{retrospective.uuid}/rate/"
    response = client.post(
        path,
        _rating_post(
            initiatives,
            workshop={"level": "3", "reasons": ["practice_tasks", "peer_support"], "repeat": "on", "comment": "Yes"},
        ),
    )
    assert response.status_code == 302 and response["Location"] == path
    rating = Rating.objects.get()
    assert (rating.level, rating.reasons, rating.repeat, rating.comment) == (
        3,
        ["practice_tasks", "peer_support"],
        True,
        "Yes",
    )
    assert rater_of(cast["participant"]).submitted_at is None
    body = client.get(path).content.decode()
    assert 'value="3" required' not in body
    assert f'name="i-{initiatives["workshop"].uuid}-level" value="3"' in body and "checked" in body
    response = client.post(path, _rating_post(initiatives, action="submit", conference={"level": "0"}))
    assert response.status_code == 302 and response["Location"] == "/retrospectives/"
    assert rater_of(cast["participant"]).submitted_at is not None
    assert sorted(Rating.objects.values_list("initiative__title", "level")) == [("Logistics Summit", 0)]


def test_rating_errors_are_shown_next_to_their_field_and_nothing_is_saved(client, cast, retrospective, initiatives):
    client.force_login(cast["participant"].user)
    response = client.post(
        f"/retrospectives/{retrospective.uuid}/rate/",
        _rating_post(
            initiatives,
            workshop={"level": "2", "reasons": ["other"], "comment": "Typed comment"},
            conference={"level": "1"},
        ),
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert not Rating.objects.exists()
    error_id = f'id="id_i-{initiatives["workshop"].uuid}-other_reason_error"'
    assert error_id in body and "Say what the other reason is." in body
    assert "Typed comment" in body


def test_closed_retrospective_is_read_only(client, cast, retrospective, initiatives, rater_of):
    services.save_ratings(rater=rater_of(cast["participant"]), answers={initiatives["workshop"]: answer(2)})
    services.close_retrospective(retrospective=retrospective, actor=None)
    client.force_login(cast["participant"].user)
    body = client.get(f"/retrospectives/{retrospective.uuid}/rate/").content.decode()
    assert "This retrospective is closed" in body and "disabled" in body and "I am done" not in body
    client.post(f"/retrospectives/{retrospective.uuid}/rate/", _rating_post(initiatives, workshop={"level": "0"}))
    assert Rating.objects.get().level == 2


def test_a_rater_never_sees_another_raters_answers(client, cast, retrospective, initiatives, rater_of):
    services.save_ratings(
        rater=rater_of(cast["manager"]), answers={initiatives["workshop"]: answer(3, comment="Manager secret")}
    )
    client.force_login(cast["participant"].user)
    assert "Manager secret" not in client.get(f"/retrospectives/{retrospective.uuid}/rate/").content.decode()


def test_home_panel_asks_invited_raters_until_they_are_done(client, cast, retrospective, rater_of):
    client.force_login(cast["participant"].user)
    body = client.get("/").content.decode()
    assert "Your view is asked" in body and f"/retrospectives/{retrospective.uuid}/rate/" in body
    services.submit_ratings(rater=rater_of(cast["participant"]))
    assert "Your view is asked" not in client.get("/").content.decode()
    client.force_login(cast["other_participant"].user)
    assert "Your view is asked" not in client.get("/").content.decode()


def test_period_default_on_the_open_form(client, cast):
    client.force_login(cast["admin"].user)
    body = client.get("/retrospectives/new/").content.decode()
    start, end = services.default_period()
    assert f'value="{start:%Y-%m-%d}"' in body and f'value="{end:%Y-%m-%d}"' in body
    assert isinstance(start, datetime.date)


def test_ticking_the_initiatives_of_a_new_period_keeps_what_was_typed(client, cast, initiatives):
    client.force_login(cast["admin"].user)
    response = client.post(
        "/retrospectives/new/",
        {
            "refresh": "1",
            "title": "Typed title",
            "period_start": "2021-01-01",
            "period_end": "2021-12-31",
            "introduction": "Typed message",
            "more_people": [cast["trainer"].pk],
            "initiatives": [initiatives["workshop"].pk],
        },
    )
    body = response.content.decode()
    assert response.status_code == 200 and not Retrospective.objects.exists()
    assert f'id="id_initiative_{initiatives["old"].pk}" checked' in body
    assert f'id="id_initiative_{initiatives["workshop"].pk}" checked' not in body
    assert 'value="Typed title"' in body and "Typed message" in body and 'value="2021-01-01"' in body
    assert f'<option value="{cast["trainer"].pk}" selected>' in body
    assert "is required" not in body


@pytest.mark.parametrize(
    ("role", "shown"),
    [("admin", True), ("manager", True), ("participant", True), ("trainer", False), ("other_participant", False)],
)
def test_menu_permission_for_admins_and_raters(cast, retrospective, role, shown):
    assert cast[role].user.has_perm("retrospectives.show_in_menu", cast[role].workspace) is shown
