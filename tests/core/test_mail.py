"""Mail leaves through the outbox and arrives at a real SMTP server on loopback."""

import socket

from django.test import override_settings

from takeroot.core import services
from takeroot.core.mail import send_outgoing_mail
from takeroot.core.models import OutgoingMail, Person, User


def _invite(cast, language, django_capture_on_commit_callbacks):
    user = User.objects.create_user(f"{language}@acme.test", name="Zofia Wójcik", language=language)
    person = Person.objects.create(workspace=cast["admin"].workspace, user=user)
    with django_capture_on_commit_callbacks(execute=True):
        services.invite_person(person=person, actor=cast["admin"].user)
    return user


def test_invitation_arrives_once_with_a_working_link(cast, smtp_sink, client, django_capture_on_commit_callbacks):
    user = _invite(cast, "en", django_capture_on_commit_callbacks)
    assert len(smtp_sink.messages) == 1
    message = smtp_sink.messages[0]
    assert message["To"] == "en@acme.test"
    assert message["Subject"] == "You are invited to Acme Polska on Takeroot"
    assert message["Auto-Submitted"] == "auto-generated"
    body = message.get_body(("plain",)).get_content()
    path = next(line for line in body.splitlines() if "/invitation/" in line).split("127.0.0.1:8000")[1]
    assert client.get(path).status_code == 200
    assert OutgoingMail.objects.get(recipient=user).state == "sent"


def test_invitation_is_written_in_the_recipients_language(cast, smtp_sink, django_capture_on_commit_callbacks):
    _invite(cast, "pl", django_capture_on_commit_callbacks)
    assert smtp_sink.messages[0]["Subject"] == "Zaproszenie do Acme Polska w Takeroot"


def test_a_claimed_message_is_never_sent_twice(cast, smtp_sink, django_capture_on_commit_callbacks):
    _invite(cast, "en", django_capture_on_commit_callbacks)
    mail = OutgoingMail.objects.get()
    assert send_outgoing_mail(mail.pk) is False
    assert len(smtp_sink.messages) == 1


def test_unreachable_smtp_server_keeps_the_message_for_a_retry(cast, django_capture_on_commit_callbacks):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        closed_port = s.getsockname()[1]
    mailers = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": closed_port, "timeout": 2},
        }
    }
    with override_settings(MAILERS=mailers):
        _invite(cast, "sv", django_capture_on_commit_callbacks)
    mail = OutgoingMail.objects.get()
    assert (mail.state, mail.attempts) == ("pending", 1)
    assert mail.last_error


def test_login_code_mail_goes_through_the_outbox(cast, smtp_sink, client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/accounts/login/code/", {"email": "participant@acme.test"})
    assert response.status_code == 302
    assert len(smtp_sink.messages) == 1
    assert OutgoingMail.objects.get().to_email == "participant@acme.test"
