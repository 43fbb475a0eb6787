"""The digest mail: at 07:00 the recipient's time, daily or on Mondays, exactly once, only with news."""

import datetime
import zoneinfo

import pytest

from takeroot.core import digest
from takeroot.core.digest import DigestItem, DigestSection, current_slot, send_digest, send_due_digests
from takeroot.core.mail import render_mail
from takeroot.core.models import OutgoingMail

WARSAW = zoneinfo.ZoneInfo("Europe/Warsaw")
# Wednesday 2026-11-25, 09:30 in Warsaw
WEDNESDAY = datetime.datetime(2026, 11, 25, 9, 30, tzinfo=WARSAW)


@pytest.fixture
def news():
    """A section that always has one item, registered for the test only."""

    def section(person, since):
        return DigestSection("Waiting for you", [DigestItem(f"Hello from {person.workspace.name}", "/action-plans/")])

    digest.DIGEST_SECTIONS.append(section)
    yield section
    digest.DIGEST_SECTIONS.remove(section)


def test_the_slot_is_seven_in_the_morning_local_time():
    assert current_slot("daily", WEDNESDAY, WARSAW) == datetime.datetime(2026, 11, 25, 7, tzinfo=WARSAW)
    early = WEDNESDAY.replace(hour=6)
    assert current_slot("daily", early, WARSAW) == datetime.datetime(2026, 11, 24, 7, tzinfo=WARSAW)
    assert current_slot("weekly", WEDNESDAY, WARSAW) == datetime.datetime(2026, 11, 23, 7, tzinfo=WARSAW)
    monday_early = datetime.datetime(2026, 11, 23, 6, tzinfo=WARSAW)
    assert current_slot("weekly", monday_early, WARSAW) == datetime.datetime(2026, 11, 16, 7, tzinfo=WARSAW)
    assert current_slot("never", WEDNESDAY, WARSAW) is None


def test_a_digest_is_sent_once_per_slot(participant, news):
    participant.user.digest_frequency = "daily"
    participant.user.save()
    assert send_digest(person=participant, now=WEDNESDAY) is not None
    participant.refresh_from_db()
    assert send_digest(person=participant, now=WEDNESDAY + datetime.timedelta(hours=3)) is None
    assert OutgoingMail.objects.filter(template="digest").count() == 1
    tomorrow = WEDNESDAY + datetime.timedelta(days=1)
    assert send_digest(person=participant, now=tomorrow) is not None


def test_a_queued_digest_sent_twice_goes_out_once(participant, news, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        send_due_digests(now=WEDNESDAY)
        send_due_digests(now=WEDNESDAY)  # the next run, before the first one's tasks ran
    assert OutgoingMail.objects.filter(template="digest", recipient=participant.user).count() == 1


def test_a_second_scheduler_with_a_stale_copy_does_not_send_again(participant, news):
    stale = type(participant).objects.get(pk=participant.pk)
    send_digest(person=participant, now=WEDNESDAY)
    assert send_digest(person=stale, now=WEDNESDAY) is None
    assert OutgoingMail.objects.filter(template="digest").count() == 1


def test_nothing_new_sends_nothing(participant):
    assert send_digest(person=participant, now=WEDNESDAY) is None
    assert not OutgoingMail.objects.exists()


def test_never_means_never(participant, news, django_capture_on_commit_callbacks):
    participant.user.digest_frequency = "never"
    participant.user.save()
    with django_capture_on_commit_callbacks(execute=True):
        send_due_digests(now=WEDNESDAY)
    assert OutgoingMail.objects.filter(template="digest").exists()  # the manager's
    assert not OutgoingMail.objects.filter(template="digest", recipient=participant.user).exists()


def test_every_membership_gets_its_own_digest_in_the_recipients_language(
    participant, outsider, news, django_capture_on_commit_callbacks
):
    participant.user.language = "pl"
    participant.user.save()
    with django_capture_on_commit_callbacks(execute=True):
        assert send_due_digests(now=WEDNESDAY) == 3  # participant, their manager, the outsider
    assert OutgoingMail.objects.get(template="digest", recipient=outsider.user).workspace == outsider.workspace
    mail = OutgoingMail.objects.get(template="digest", recipient=participant.user)
    message = render_mail(mail)
    assert "Hello from Acme Polska" in message.body
    assert "Witaj" in message.body
    assert "/profile/" in message.body


def test_the_profile_sets_the_frequency(client_for, participant):
    client = client_for(participant)
    response = client.post(
        "/profile/",
        {"name": participant.user.name, "language": "en", "timezone": "Europe/Warsaw", "digest_frequency": "daily"},
    )
    assert response.status_code == 302
    participant.user.refresh_from_db()
    assert participant.user.digest_frequency == "daily"
