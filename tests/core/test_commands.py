import pytest
from django.core.management import CommandError, call_command

from takeroot.core.models import AuditEntry, Person, Workspace


def test_createworkspace_adds_the_organisation_and_invites_its_admin(db, capsys, django_capture_on_commit_callbacks):
    from django.core import mail

    with django_capture_on_commit_callbacks(execute=True):
        call_command(
            "createworkspace", "Wisła Logistyka", admin_email="Ewa@Wisla.test", admin_name="Ewa Nowak", language="pl"
        )
    workspace = Workspace.objects.get()
    admin = Person.objects.get(workspace=workspace)
    assert (workspace.slug, admin.user.email, admin.is_admin, admin.user.language) == (
        "wisla-logistyka",
        "ewa@wisla.test",
        True,
        "pl",
    )
    assert "/invitation/" in capsys.readouterr().out
    assert [m.subject for m in mail.outbox] == ["Zaproszenie do Wisła Logistyka w Takeroot"]
    assert sorted(AuditEntry.objects.values_list("action", "object_type")) == [
        ("created", "person"),
        ("created", "workspace"),
        ("invited", "person"),
    ]


def test_createworkspace_refuses_a_taken_short_name(db):
    call_command("createworkspace", "Acme", admin_email="a@acme.test", admin_name="A")
    with pytest.raises(CommandError, match="short name exists already"):
        call_command("createworkspace", "Acme", admin_email="b@acme.test", admin_name="B")
    assert Workspace.objects.count() == 1
