import pytest
from django.core.exceptions import ValidationError

from takeroot.core import services
from takeroot.core.models import AuditEntry, Person, User


def test_create_person_reuses_the_account_of_someone_in_another_workspace(cast):
    person = services.create_person(
        workspace=cast["admin"].workspace,
        actor=cast["admin"].user,
        email="OUTSIDER@globex.test",
        name="ignored",
        is_trainer=True,
    )
    assert person.user == cast["outsider"].user
    assert User.objects.filter(email="outsider@globex.test").count() == 1


def test_create_person_twice_in_one_workspace_is_refused(cast):
    with pytest.raises(ValidationError):
        services.create_person(
            workspace=cast["admin"].workspace, actor=None, email="participant@acme.test", name="Again"
        )


def test_create_person_with_unknown_timezone_is_refused_and_writes_nothing(cast):
    with pytest.raises(ValidationError):
        services.create_person(
            workspace=cast["admin"].workspace, actor=None, email="tz@acme.test", name="Tz", timezone="Mars/Olympus"
        )
    assert not User.objects.filter(email="tz@acme.test").exists()


def test_update_person_refuses_a_manager_loop(cast):
    with pytest.raises(ValidationError) as error:
        services.update_person(person=cast["manager"], actor=None, manager=cast["participant"])
    assert "loop" in error.value.message_dict["manager"][0]


def test_update_person_refuses_themselves_as_manager(cast):
    with pytest.raises(ValidationError):
        services.update_person(person=cast["participant"], actor=None, manager=cast["participant"])


def test_update_person_refuses_a_manager_of_another_workspace(cast):
    with pytest.raises(ValidationError):
        services.update_person(person=cast["participant"], actor=None, manager=cast["outsider"])


def test_update_person_writes_the_changes_to_the_audit_log(cast):
    services.update_person(
        person=cast["participant"], actor=cast["admin"].user, job_title="Key accounts", is_mentor=True
    )
    entry = AuditEntry.objects.get(action="changed")
    assert (entry.actor_label, entry.object_label, entry.changes) == (
        "Anna Admin",
        "Pia Participant",
        {"job_title": ["", "Key accounts"], "is_mentor": [False, True]},
    )


def test_update_person_without_changes_writes_no_audit_entry(cast):
    services.update_person(person=cast["participant"], actor=None, job_title="")
    assert AuditEntry.objects.count() == 0


def test_remove_person_keeps_the_account(cast):
    user = cast["participant"].user
    services.remove_person(person=cast["participant"], actor=cast["admin"].user)
    assert not Person.objects.filter(user=user).exists()
    assert User.objects.filter(pk=user.pk).exists()
    assert AuditEntry.objects.get(action="deleted").object_label == "Pia Participant"


def test_team_cannot_move_inside_itself(workspace):
    outer = services.create_team(workspace=workspace, actor=None, name="Sales")
    inner = services.create_team(workspace=workspace, actor=None, name="North", parent=outer)
    with pytest.raises(ValidationError):
        services.update_team(team=outer, actor=None, parent=inner)


def test_team_with_members_cannot_be_deleted(cast):
    with pytest.raises(ValidationError):
        services.delete_team(team=cast["participant"].team, actor=None)


def test_api_key_is_stored_only_as_a_digest(cast):
    key, secret = services.create_api_key(
        workspace=cast["admin"].workspace, actor=cast["admin"].user, name="k", scopes=["people:read"]
    )
    assert secret not in (key.digest, key.prefix)
    assert services.api_key_for_secret(secret) == key
    assert services.api_key_for_secret(secret + "x") is None


def test_invitation_link_works_once(cast, django_capture_on_commit_callbacks):
    user = User.objects.create_user("new@acme.test", name="New")
    person = Person.objects.create(workspace=cast["admin"].workspace, user=user)
    with django_capture_on_commit_callbacks(execute=True):
        services.invite_person(person=person, actor=cast["admin"].user)
    token = services.invitation_token(user)
    assert services.user_for_invitation(token) == user
    services.accept_invitation(user=user, password="a long new password", name="New Name")
    assert services.user_for_invitation(token) is None


def test_invitation_link_with_a_changed_character_is_refused(cast):
    token = services.invitation_token(cast["participant"].user)
    assert services.user_for_invitation(token[:-2] + "xx") is None


def test_admin_cannot_rename_someone_who_also_belongs_to_another_organisation(cast):
    Person.objects.create(workspace=cast["outsider"].workspace, user=cast["mentor"].user, is_mentor=True)
    with pytest.raises(ValidationError, match="also belongs to another organisation"):
        services.update_person(person=cast["mentor"], actor=cast["admin"].user, name="Renamed")
    services.update_person(person=cast["mentor"], actor=cast["admin"].user, name="Maja Mentor", is_trainer=True)
    assert Person.objects.get(pk=cast["mentor"].pk).is_trainer is True
