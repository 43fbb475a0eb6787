"""The role matrix: each role × each page of people and workspaces, and other workspaces refused."""

import pytest
from django.urls import reverse

from takeroot.core.services import create_api_key

# Pages that take the participant's id get it; the others are workspace pages.
PAGES = {
    "home": ("core:home", False),
    "profile": ("core:profile", False),
    "person_list": ("core:person_list", False),
    "person_create": ("core:person_create", False),
    "person_detail": ("core:person_detail", True),
    "person_edit": ("core:person_edit", True),
    "person_remove": ("core:person_remove", True),
    "team_list": ("core:team_list", False),
    "team_create": ("core:team_create", False),
    "audit_log": ("core:audit_log", False),
    "workspace_settings": ("core:workspace_settings", False),
    "api_keys": ("core:api_keys", False),
    "import_upload": ("core:import_upload", False),
}

ALL = set(PAGES)
EVERYONE = {"home", "profile"}
ADMIN_ONLY = {
    "person_create",
    "person_edit",
    "person_remove",
    "team_create",
    "audit_log",
    "workspace_settings",
    "api_keys",
    "import_upload",
}
ALLOWED = {
    "admin": ALL,
    "trainer": ALL - ADMIN_ONLY,
    "manager": ALL - ADMIN_ONLY,  # the participant reports to the manager
    "mentor": EVERYONE,
    "participant": EVERYONE | {"person_detail"},  # their own page
    "other_participant": EVERYONE,
}


def _url(page, participant):
    name, takes_person = PAGES[page]
    return reverse(name, args=[participant.uuid]) if takes_person else reverse(name)


@pytest.mark.parametrize("role", sorted(ALLOWED))
@pytest.mark.parametrize("page", sorted(PAGES))
def test_page_answers_by_role(client, cast, role, page):
    client.force_login(cast[role].user)
    response = client.get(_url(page, cast["participant"]))
    assert response.status_code == (200 if page in ALLOWED[role] else 403)


@pytest.mark.parametrize("page", sorted(p for p, (_, takes_person) in PAGES.items() if takes_person))
def test_person_pages_of_another_workspace_answer_404(client, cast, page):
    client.force_login(cast["outsider"].user)  # an admin, but of another workspace
    response = client.get(_url(page, cast["participant"]))
    assert response.status_code == 404


def test_people_list_of_another_workspace_shows_nothing_of_ours(client, cast):
    client.force_login(cast["outsider"].user)
    response = client.get(reverse("core:person_list"))
    assert response.status_code == 200
    assert "Pia Participant" not in response.content.decode()
    assert "Oskar Outsider" in response.content.decode()


def test_anonymous_visitor_is_sent_to_sign_in(client, cast):
    response = client.get(reverse("core:person_list"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_manager_sees_only_their_reporting_line(client, cast):
    client.force_login(cast["manager"].user)
    content = client.get(reverse("core:person_list")).content.decode()
    assert "Pia Participant" in content
    assert "Olek Other" not in content
    assert "Anna Admin" not in content


def test_manager_cannot_open_someone_outside_their_line(client, cast):
    client.force_login(cast["manager"].user)
    response = client.get(reverse("core:person_detail", args=[cast["other_participant"].uuid]))
    assert response.status_code == 403


def test_indirect_report_is_visible_to_the_managers_manager(client, cast):
    boss = cast["trainer"]
    boss.is_trainer = False
    boss.save()
    cast["manager"].manager = boss
    cast["manager"].save()
    client.force_login(boss.user)
    assert client.get(reverse("core:person_detail", args=[cast["participant"].uuid])).status_code == 200


def test_admin_cannot_edit_a_person_of_another_workspace_by_post(client, cast):
    client.force_login(cast["outsider"].user)
    response = client.post(reverse("core:person_edit", args=[cast["participant"].uuid]), {"name": "Hacked"})
    assert response.status_code == 404
    cast["participant"].user.refresh_from_db()
    assert cast["participant"].user.name == "Pia Participant"


def test_api_key_of_another_workspace_cannot_read_our_person(client, cast):
    _key, secret = create_api_key(
        workspace=cast["outsider"].workspace,
        actor=cast["outsider"].user,
        name="HR",
        scopes=["people:read", "people:write"],
    )
    response = client.get(f"/api/v1/people/{cast['participant'].uuid}", HTTP_AUTHORIZATION=f"Bearer {secret}")
    assert response.status_code == 404


@pytest.mark.parametrize(
    ("role", "sees"),
    [("admin", True), ("trainer", True), ("participant", True), ("manager", False)],
)
def test_accessibility_needs_are_shown_only_to_those_who_prepare_for_them(client, cast, role, sees):
    user = cast["participant"].user
    user.needs_sign_language = True
    user.save()
    client.force_login(cast[role].user)
    content = client.get(reverse("core:person_detail", args=[cast["participant"].uuid])).content.decode()
    assert ("sign-language interpreter" in content) is sees
