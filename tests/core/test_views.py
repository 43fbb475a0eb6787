"""Pages behave as a person using them would notice."""

import pytest
from django.urls import reverse

from takeroot.core import services
from takeroot.core.models import AuditEntry, Person, Team, User
from tests.factories import PersonFactory


def test_add_person_form_keeps_what_was_typed_on_error(client_for, cast):
    client = client_for(cast["admin"])
    response = client.post(
        reverse("core:person_create"),
        {
            "email": "ewa@acme.test",
            "name": "Ewa Zielińska",
            "manager_email": "nobody@acme.test",
            "roles": ["participant"],
            "language": "pl",
            "timezone": "Europe/Warsaw",
        },
    )
    assert response.status_code == 200
    content = response.content.decode()
    assert "Nobody with this email is in the workspace." in content
    assert 'value="Ewa Zielińska"' in content
    assert not User.objects.filter(email="ewa@acme.test").exists()


def test_add_person_creates_them_with_roles_and_manager(client_for, cast):
    client = client_for(cast["admin"])
    response = client.post(
        reverse("core:person_create"),
        {
            "email": "ewa@acme.test",
            "name": "Ewa Zielińska",
            "manager_email": "manager@acme.test",
            "roles": ["participant", "mentor"],
            "language": "pl",
            "timezone": "Europe/Warsaw",
            "team": cast["manager"].team.pk,
        },
    )
    person = Person.objects.get(user__email="ewa@acme.test")
    assert response.status_code == 302
    assert (person.manager, person.roles, person.user.language) == (cast["manager"], ["mentor", "participant"], "pl")


def test_edit_person_refuses_a_manager_loop_with_a_message(client_for, cast):
    client = client_for(cast["admin"])
    response = client.post(
        reverse("core:person_edit", args=[cast["manager"].uuid]),
        {
            "name": "Magnus Manager",
            "manager_email": "participant@acme.test",
            "roles": ["manager"],
            "language": "en",
            "timezone": "Europe/Warsaw",
        },
    )
    assert response.status_code == 200
    assert "loop in the reporting line" in response.content.decode()


def test_people_search_finds_by_name_and_keeps_the_filter(client_for, cast):
    client = client_for(cast["admin"])
    response = client.get(reverse("core:person_list"), {"q": "olek"})
    content = response.content.decode()
    assert "Olek Other" in content and "Pia Participant" not in content
    assert 'value="olek"' in content


def test_people_search_by_htmx_returns_only_the_results(client_for, cast):
    client = client_for(cast["admin"])
    response = client.get(reverse("core:person_list"), {"q": "pia"}, HTTP_HX_REQUEST="true")
    content = response.content.decode()
    assert "<html" not in content and "Pia Participant" in content


def test_people_list_filters_by_team_including_sub_teams(client_for, cast):
    sub = Team.objects.create(workspace=cast["admin"].workspace, name="Sales North", parent=cast["participant"].team)
    PersonFactory(workspace=cast["admin"].workspace, user__name="Nils North", team=sub)
    client = client_for(cast["admin"])
    content = client.get(reverse("core:person_list"), {"team": str(cast["participant"].team.uuid)}).content.decode()
    assert "Nils North" in content and "Pia Participant" in content and "Anna Admin" not in content


def test_people_list_query_count_does_not_grow_with_people(client_for, cast, django_assert_max_num_queries):
    client = client_for(cast["admin"])
    client.get(reverse("core:person_list"))
    with django_assert_max_num_queries(14) as first:
        client.get(reverse("core:person_list"))
    for _ in range(10):
        PersonFactory(workspace=cast["admin"].workspace, manager=cast["manager"], team=cast["manager"].team)
    with django_assert_max_num_queries(len(first.captured_queries)):
        client.get(reverse("core:person_list"))


def test_profile_saves_language_and_accessibility_needs(client_for, cast):
    client = client_for(cast["participant"])
    response = client.post(
        reverse("core:profile"),
        {
            "name": "Pia Participant",
            "language": "sv",
            "timezone": "Europe/Stockholm",
            "needs_captions": "on",
            "accessibility_notes": "Large print",
            "digest_frequency": "weekly",
        },
    )
    assert response.status_code == 302
    user = User.objects.get(pk=cast["participant"].user.pk)
    assert (user.language, user.timezone, user.needs_captions, user.accessibility_needs) == (
        "sv",
        "Europe/Stockholm",
        True,
        ["captions", "Large print"],
    )
    assert AuditEntry.objects.filter(workspace=cast["participant"].workspace, action="changed").count() == 1


def test_profile_page_is_shown_in_the_persons_language(client_for, cast):
    user = cast["participant"].user
    user.language = "pl"
    user.save()
    content = client_for(cast["participant"]).get(reverse("core:profile")).content.decode()
    assert '<html lang="pl">' in content
    assert "Mój profil" in content


def test_language_switch_saves_the_choice_to_the_profile(client_for, cast):
    client = client_for(cast["participant"])
    client.post(reverse("set_language"), {"language": "zh-hans", "next": "/"})
    assert User.objects.get(pk=cast["participant"].user.pk).language == "zh-hans"
    assert '<html lang="zh-hans">' in client.get("/").content.decode()


def test_workspace_switch_only_to_own_workspaces(client, cast):
    from tests.factories import WorkspaceFactory

    mentor, globex = cast["mentor"], cast["outsider"].workspace
    Person.objects.create(workspace=globex, user=mentor.user, is_mentor=True)
    stranger = WorkspaceFactory(name="Stranger AB")
    client.force_login(mentor.user)
    assert client.get("/").context["request"].workspace == cast["admin"].workspace  # first by name
    client.post(reverse("core:switch_workspace"), {"workspace": str(globex.uuid), "next": "/"})
    assert client.get("/").context["request"].workspace == globex
    client.post(reverse("core:switch_workspace"), {"workspace": str(stranger.uuid), "next": "/"})
    assert client.get("/").context["request"].workspace == globex


def test_switching_workspace_changes_what_the_people_list_shows(client, cast):
    admin = cast["admin"]
    Person.objects.create(workspace=cast["outsider"].workspace, user=admin.user, is_admin=True)
    client.force_login(admin.user)
    assert "Pia Participant" in client.get(reverse("core:person_list")).content.decode()
    client.post(reverse("core:switch_workspace"), {"workspace": str(cast["outsider"].workspace.uuid)})
    content = client.get(reverse("core:person_list")).content.decode()
    assert "Pia Participant" not in content and "Oskar Outsider" in content


def test_invitation_page_sets_up_the_account_and_signs_in(client, cast):
    user = User.objects.create_user("nowy@acme.test", name="Nowy")
    Person.objects.create(workspace=cast["admin"].workspace, user=user)
    token = services.invitation_token(user)
    response = client.post(
        reverse("core:accept_invitation", args=[token]),
        {
            "name": "Nowy Pracownik",
            "language": "pl",
            "timezone": "Europe/Warsaw",
            "password1": "zielona herbata 42",
            "password2": "zielona herbata 42",
        },
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert (user.name, user.language, user.check_password("zielona herbata 42")) == ("Nowy Pracownik", "pl", True)
    assert client.get(reverse("core:accept_invitation", args=[token])).status_code == 400


def test_invitation_with_mismatched_passwords_keeps_the_name(client, cast):
    user = User.objects.create_user("nowy@acme.test", name="Nowy")
    token = services.invitation_token(user)
    response = client.post(
        reverse("core:accept_invitation", args=[token]),
        {
            "name": "Nowy Pracownik",
            "language": "pl",
            "timezone": "Europe/Warsaw",
            "password1": "zielona herbata 42",
            "password2": "czarna kawa 42",
        },
    )
    assert response.status_code == 200
    assert 'value="Nowy Pracownik"' in response.content.decode()


def test_admin_must_set_up_mfa_when_the_workspace_requires_it(client_for, cast):
    workspace = cast["admin"].workspace
    workspace.require_admin_mfa = True
    workspace.save()
    response = client_for(cast["admin"]).get(reverse("core:person_list"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("mfa_activate_totp"))


def test_participant_is_not_asked_for_mfa(client_for, cast):
    workspace = cast["admin"].workspace
    workspace.require_admin_mfa = True
    workspace.save()
    assert client_for(cast["participant"]).get("/").status_code == 200


def test_pages_send_a_content_security_policy_without_inline_scripts(client_for, cast):
    response = client_for(cast["admin"]).get("/")
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy


def test_login_is_throttled_after_repeated_failures(client, cast):
    for _ in range(5):
        client.post(reverse("account_login"), {"login": "participant@acme.test", "password": "wrong"})
    response = client.post(
        reverse("account_login"), {"login": "participant@acme.test", "password": "correct horse battery"}
    )
    # Even the right password is refused while the address is throttled.
    assert "Too many failed login attempts" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_login_with_password_reaches_the_home_page(client, cast):
    response = client.post(
        reverse("account_login"), {"login": "participant@acme.test", "password": "correct horse battery"}, follow=True
    )
    assert response.redirect_chain[-1][0] == "/"
    assert "Hello, Pia" in response.content.decode()


def test_audit_log_filters_by_action(client_for, cast):
    services.update_person(person=cast["participant"], actor=cast["admin"].user, job_title="Seller")
    services.create_team(workspace=cast["admin"].workspace, actor=cast["admin"].user, name="Support")
    content = client_for(cast["admin"]).get(reverse("core:audit_log"), {"action": "changed"}).content.decode()
    assert "Seller" in content and "Support" not in content


def test_audit_log_of_another_workspace_is_not_shown(client_for, cast):
    services.update_person(person=cast["participant"], actor=cast["admin"].user, job_title="Seller")
    content = client_for(cast["outsider"]).get(reverse("core:audit_log")).content.decode()
    assert "Seller" not in content


def test_api_key_is_shown_once(client_for, cast):
    client = client_for(cast["admin"])
    response = client.post(reverse("core:api_keys"), {"name": "HR sync", "scopes": ["people:read"]})
    content = response.content.decode()
    assert "Copy the key now" in content and "tk_" in content
    assert "tk_" not in client.get(reverse("core:api_keys")).content.decode().replace("<code>tk_", "")


def test_team_tree_shows_nested_teams(client_for, cast):
    services.create_team(
        workspace=cast["admin"].workspace, actor=None, name="Sales North", parent=cast["participant"].team
    )
    content = client_for(cast["admin"]).get(reverse("core:team_list")).content.decode()
    assert content.index("Sales North") > content.index("Sales")


def test_home_tells_an_admin_how_many_are_not_invited(client_for, cast):
    User.objects.filter(email="other@acme.test").update(password="!unusable", last_login=None)
    content = client_for(cast["admin"]).get("/").content.decode()
    assert "1 person has not been invited yet." in content


def test_unknown_page_is_a_friendly_404(client_for, cast):
    response = client_for(cast["admin"]).get(
        reverse("core:person_detail", args=["00000000-0000-0000-0000-000000000000"])
    )
    assert response.status_code == 404
    assert "There is nothing at this address" in response.content.decode()


def test_api_docs_page_lists_every_operation_with_its_error_codes(client):
    content = client.get("/api/v1/docs").content.decode()
    assert "<code>POST /api/v1/people</code>" in content
    assert "<code>422</code>" in content and "PersonIn" in content


@pytest.mark.parametrize(
    ("language", "date"),
    [("en", "March 5, 2026"), ("pl", "5 marca 2026"), ("sv", "5 mars 2026"), ("zh-hans", "2026年3月5日")],
)
def test_dates_are_written_the_way_each_language_writes_them(client_for, cast, language, date):
    import datetime

    invited = cast["other_participant"].user
    User.objects.filter(pk=invited.pk).update(
        password="!unusable", last_login=None, invited_at=datetime.datetime(2026, 3, 5, 12, tzinfo=datetime.UTC)
    )
    User.objects.filter(pk=cast["admin"].user.pk).update(language=language)
    content = client_for(cast["admin"]).get(reverse("core:person_detail", args=[cast["other_participant"].uuid]))
    assert date in content.content.decode()


def test_edit_form_locks_account_details_of_a_shared_account(client_for, cast):
    Person.objects.create(workspace=cast["outsider"].workspace, user=cast["mentor"].user, is_mentor=True)
    client = client_for(cast["admin"])
    response = client.post(
        reverse("core:person_edit", args=[cast["mentor"].uuid]),
        {"name": "Renamed", "language": "pl", "timezone": "Asia/Shanghai", "roles": ["mentor", "trainer"]},
    )
    assert response.status_code == 302
    person = Person.objects.get(pk=cast["mentor"].pk)
    assert (person.user.name, person.user.language, person.roles) == ("Maja Mentor", "en", ["trainer", "mentor"])


def test_audit_log_names_records_in_the_readers_language(client_for, cast):
    services.create_team(workspace=cast["admin"].workspace, actor=cast["admin"].user, name="Support")
    User.objects.filter(pk=cast["admin"].user.pk).update(language="pl")
    content = client_for(cast["admin"]).get(reverse("core:audit_log"), {"object_type": "team"}).content.decode()
    assert "Zespół: Support" in content
