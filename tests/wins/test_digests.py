"""The monthly wins digest: the periodic job (idempotent, admins told), editing, sending exactly
once to every active member in their language, the printable newsletter, the API and the
digest section."""

import datetime

import pytest
from django.core import mail
from django.utils import timezone, translation

from takeroot.core.mail import send_outgoing_mail
from takeroot.core.models import OutgoingMail, User
from takeroot.core.periodic import JOBS
from takeroot.core.services import create_api_key
from takeroot.followup.preferences import unsubscribe
from takeroot.wins import digests
from takeroot.wins.models import WinsDigest
from takeroot.wins.receivers import wins_digest_section

from .conftest import make_win

TODAY = datetime.date(2026, 11, 2)
OCTOBER = datetime.date(2026, 10, 1)


def _in_october(day=10):
    return timezone.make_aware(datetime.datetime(2026, 10, day, 12))


@pytest.fixture
def october_wins(cast):
    return [
        make_win(cast["participant"], title="Led the pilot", created_at=_in_october(5)),
        make_win(cast["other_participant"], title="Closed the renewal", created_at=_in_october(20)),
        make_win(cast["participant"], title="Kept private", sharing="private", created_at=_in_october(21)),
    ]


@pytest.fixture
def draft(october_wins, cast):
    return digests.create_digest(workspace=cast["admin"].workspace, actor=None, month=OCTOBER)


def _inactive(cast):
    """The trainer never got an account going (no password, never signed in); the mentor's
    account is switched off. Everyone else in the workspace is active."""
    User.objects.filter(pk=cast["trainer"].user.pk).update(password="!unusable", last_login=None)
    User.objects.filter(pk=cast["mentor"].user.pk).update(is_active=False)


def test_job_is_registered_daily():
    assert JOBS["create_wins_digests"].every == datetime.timedelta(hours=24)


def test_job_makes_one_draft_per_month_and_tells_the_admins(october_wins, cast):
    made = digests.create_monthly_digests(today=TODAY)
    assert [(d.month, d.state) for d in made] == [(OCTOBER, "draft")]
    assert [e.win.title for e in made[0].entries.all()] == ["Led the pilot", "Closed the renewal"]
    assert digests.create_monthly_digests(today=TODAY) == []
    assert digests.create_monthly_digests(today=TODAY + datetime.timedelta(days=3)) == []
    assert WinsDigest.objects.count() == 1
    draft_mail = OutgoingMail.objects.get(template="wins_digest_draft")
    assert draft_mail.recipient == cast["admin"].user
    assert draft_mail.context["path"] == f"/wins/digests/{made[0].uuid}/edit/"


def test_job_makes_nothing_without_shared_wins(cast):
    make_win(cast["participant"], sharing="private", created_at=_in_october())
    assert digests.create_monthly_digests(today=TODAY) == []
    assert not OutgoingMail.objects.filter(template="wins_digest_draft").exists()


def test_admin_edits_the_draft_through_the_page(draft, cast, client_for):
    first, second = draft.entries.order_by("position")
    client = client_for(cast["admin"])
    data = {
        "intro": "A good month.",
        f"{first.uuid}-included": "",
        f"{first.uuid}-position": "2",
        f"{first.uuid}-title": "Pilot",
        f"{first.uuid}-story": "",
        f"{second.uuid}-included": "on",
        f"{second.uuid}-position": "1",
        f"{second.uuid}-title": "",
        f"{second.uuid}-story": "Renewed for three years.",
    }
    with translation.override("en"):
        response = client.post(f"/wins/digests/{draft.uuid}/edit/", data)
    body = response.content.decode()
    assert response.status_code == 200 and "Give the win a title, or leave it out of the digest." in body
    assert "Renewed for three years." in body  # what was typed stays
    draft.refresh_from_db()
    assert draft.intro == ""  # nothing half-saved
    data[f"{second.uuid}-title"] = "Renewal closed"
    assert client.post(f"/wins/digests/{draft.uuid}/edit/", data).status_code == 302
    draft.refresh_from_db()
    assert draft.intro == "A good month."
    newsletter = client.get(f"/wins/digests/{draft.uuid}/newsletter/").content.decode()
    assert "Renewal closed" in newsletter and "Pilot" not in newsletter


def test_excluding_every_entry_is_refused(draft, cast, client_for):
    data = {"intro": ""}
    for entry in draft.entries.all():
        data |= {f"{entry.uuid}-position": "1", f"{entry.uuid}-title": entry.title}
    with translation.override("en"):
        body = client_for(cast["admin"]).post(f"/wins/digests/{draft.uuid}/edit/", data).content.decode()
    assert "Include at least one win." in body


def test_send_once_to_every_active_member_in_their_language(
    draft, cast, client_for, django_capture_on_commit_callbacks
):
    _inactive(cast)
    User.objects.filter(pk=cast["other_participant"].user.pk).update(language="pl")
    client = client_for(cast["admin"])
    with django_capture_on_commit_callbacks(execute=False):
        response = client.post(f"/wins/digests/{draft.uuid}/send/")
        again = client.post(f"/wins/digests/{draft.uuid}/send/")
    assert response.status_code == 302 and again.status_code == 302
    queued = OutgoingMail.objects.filter(template="wins_digest")
    emails = sorted(m.recipient.email for m in queued)
    assert emails == ["admin@acme.test", "manager@acme.test", "other@acme.test", "participant@acme.test"]
    draft.refresh_from_db()
    assert (draft.state, draft.sent_by) == ("sent", cast["admin"])
    for item in queued:
        send_outgoing_mail(item.pk)
    english = [m for m in mail.outbox if m.to != ["other@acme.test"]]
    assert {m.subject for m in english} == {"Wins of October 2026 · Acme Polska"}
    polish = next(m for m in mail.outbox if m.to == ["other@acme.test"])
    assert polish.subject != english[0].subject and "2026" in polish.subject
    assert "Led the pilot" in english[0].body and "Kept private" not in english[0].body


def test_the_digest_is_optional_mail_with_a_one_click_unsubscribe(draft, cast):
    _inactive(cast)
    unsubscribe(user=cast["manager"].user)

    assert digests.send_digest(digest=draft, actor=None, sent_by=None) == 3

    queued = OutgoingMail.objects.filter(template="wins_digest")
    assert "manager@acme.test" not in {m.to_email for m in queued}
    for item in queued:
        assert item.headers["List-Unsubscribe"].startswith("<http")
        assert item.headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"


def test_send_service_claims_the_digest_exactly_once(draft, cast):
    _inactive(cast)
    assert digests.send_digest(digest=draft, actor=None, sent_by=None) == 4
    stale = WinsDigest.objects.get(pk=draft.pk)
    stale.state = "draft"  # a second admin's page still showing the draft
    with pytest.raises(Exception, match="already been sent"):
        digests.send_digest(digest=stale, actor=None, sent_by=None)
    assert OutgoingMail.objects.filter(template="wins_digest").count() == 4


def test_a_win_made_private_is_left_out(draft, october_wins, cast):
    from takeroot.wins.services import set_sharing

    set_sharing(win=october_wins[0], actor=None, sharing="private")
    context = digests.digest_mail_context(draft)
    assert [e["title"] for e in context["entries"]] == ["Closed the renewal"]


@pytest.mark.parametrize("who", ["participant", "manager", "trainer", "mentor"])
def test_members_see_the_newsletter_only_once_sent(draft, cast, client_for, who):
    client = client_for(cast[who])
    assert client.get(f"/wins/digests/{draft.uuid}/newsletter/").status_code == 404
    assert client.get(f"/wins/digests/{draft.uuid}/edit/").status_code == 403
    digests.send_digest(digest=draft, actor=None, sent_by=None)
    page = client.get(f"/wins/digests/{draft.uuid}/newsletter/")
    assert page.status_code == 200 and "Led the pilot" in page.content.decode()
    assert client.post(f"/wins/digests/{draft.uuid}/send/").status_code == 403


def test_newsletter_is_404_for_another_workspace(draft, cast, client_for):
    digests.send_digest(digest=draft, actor=None, sent_by=None)
    assert client_for(cast["outsider"]).get(f"/wins/digests/{draft.uuid}/newsletter/").status_code == 404


def test_admin_makes_a_digest_by_hand(october_wins, cast, client_for):
    client = client_for(cast["admin"])
    response = client.post("/wins/digests/new/", {"month": "2026-10"})
    digest = WinsDigest.objects.get()
    assert response.url == f"/wins/digests/{digest.uuid}/edit/"
    with translation.override("en"):
        again = client.post("/wins/digests/new/", {"month": "2026-10"}).content.decode()
        empty = client.post("/wins/digests/new/", {"month": "2026-08"}).content.decode()
    assert "There is already a digest for this month." in again
    assert "No win of this month has been shared yet." in empty
    assert client_for(cast["manager"]).post("/wins/digests/new/", {"month": "2026-10"}).status_code == 403


def test_digest_api(draft, cast, client_for, client):
    admin = client_for(cast["admin"]).get("/api/v1/wins-digests").json()["items"]
    assert [row["id"] for row in admin] == [str(draft.uuid)]
    member = client_for(cast["participant"])
    assert member.get("/api/v1/wins-digests").json()["items"] == []
    assert member.get(f"/api/v1/wins-digests/{draft.uuid}").status_code == 404
    digests.send_digest(digest=draft, actor=None, sent_by=None)
    body = member.get(f"/api/v1/wins-digests/{draft.uuid}").json()
    assert [e["title"] for e in body["entries"]] == ["Led the pilot", "Closed the renewal"]
    secret = create_api_key(workspace=draft.workspace, actor=None, name="HR", scopes=["wins:read"])[1]
    keyed = client.get(f"/api/v1/wins-digests/{draft.uuid}", HTTP_AUTHORIZATION=f"Bearer {secret}")
    assert keyed.status_code == 200
    secret = create_api_key(workspace=draft.workspace, actor=None, name="HR", scopes=["people:read"])[1]
    assert client.get("/api/v1/wins-digests", HTTP_AUTHORIZATION=f"Bearer {secret}").status_code == 403


def test_digest_section_lists_pending_and_shared_wins(goal_win, cast):
    colleague = make_win(cast["other_participant"], title="Closed the renewal")
    since = timezone.now() - datetime.timedelta(days=1)
    with translation.override("en"):
        section = wins_digest_section(cast["participant"], since)
    assert section.title == "Wins"
    assert [item.url for item in section.items] == [f"/wins/{goal_win.uuid}/", f"/wins/{colleague.uuid}/"]
    assert wins_digest_section(cast["mentor"], timezone.now()) is None


def test_the_wins_mails_render(october_wins, cast):
    digests.create_monthly_digests(today=TODAY)
    for item in OutgoingMail.objects.filter(template__in=["wins_digest_draft", "wins_recorded"]):
        assert send_outgoing_mail(item.pk) is True
    subjects = {m.subject for m in mail.outbox}
    assert "The wins digest of October 2026 waits for you" in subjects
    assert "A win for you: Led the pilot" in subjects
    draft_mail = next(m for m in mail.outbox if m.subject.startswith("The wins digest"))
    assert "ready with 2 shared wins" in draft_mail.body
