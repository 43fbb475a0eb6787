"""Follow-up sessions: invitations arrive at a real SMTP server with a calendar attachment whose
UID stays and whose SEQUENCE rises with each change; cancelling sends METHOD:CANCEL; the one-click
link records the answer; attendance, notes and agreed steps (in the participant's plan); the pages
refuse the wrong role and the wrong workspace."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import formats, timezone
from icalendar import Calendar

from takeroot.followup import sessions as services
from takeroot.followup.enums import Rsvp
from takeroot.followup.models import FollowUpSession, Invitation
from takeroot.plans.models import ActionTask
from takeroot.programmes import services as programmes
from takeroot.programmes.calendar import personal_calendar
from takeroot.programmes.models import Enrolment

from ..plans.conftest import cohort, programme

__all__ = ["cohort", "programme"]

START = timezone.now().replace(microsecond=0, second=0) + datetime.timedelta(days=14)


def schedule(cohort, cast, *, people=None, **fields):
    values = {
        "title": "Four weeks on",
        "starts_at": START,
        "ends_at": START + datetime.timedelta(hours=2),
        "place": "Room 2",
        "online_link": "https://meet.example.com/abc",
        "agenda": "What worked\nWhat got in the way",
    }
    values.update(fields)
    return services.schedule_session(
        cohort=cohort, actor=cast["trainer"].user, created_by=cast["trainer"], people=people, **values
    )


@pytest.fixture
def session(cohort, cast, smtp_sink, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        return schedule(cohort, cast)


def calendar_of(message) -> tuple[Calendar, object]:
    """The parsed ICS attachment of a message, and its MIME part."""
    part = next(p for p in message.iter_attachments() if p.get_content_type() == "text/calendar")
    return Calendar.from_ical(part.get_content()), part


def event_of(calendar):
    return calendar.walk("VEVENT")[0]


def mail_to(sink, email: str) -> list:
    return [m for m in sink.messages if m["To"] == email]


def started(session):
    """Move the session into the past, as if it had taken place."""
    FollowUpSession.objects.filter(pk=session.pk).update(
        starts_at=timezone.now() - datetime.timedelta(hours=3), ends_at=timezone.now() - datetime.timedelta(hours=1)
    )
    session.refresh_from_db()
    return session


# Invitations and their calendar files -----------------------------------------------------------


def test_invitation_arrives_with_a_calendar_request(session, smtp_sink, cast):
    assert sorted(m["To"] for m in smtp_sink.messages) == ["other@acme.test", "participant@acme.test"]
    message = mail_to(smtp_sink, "participant@acme.test")[0]
    assert message["Subject"].startswith("Invitation: Four weeks on")
    calendar, part = calendar_of(message)
    assert part.get_param("method") == "REQUEST"
    assert part.get_filename() == "invite.ics"
    assert calendar["METHOD"] == "REQUEST"
    event = event_of(calendar)
    assert str(event["UID"]) == f"{session.uuid}@takeroot"
    assert event["SEQUENCE"] == 0
    assert event.decoded("DTSTART") == START.astimezone(datetime.UTC)
    assert event.decoded("DTEND") == START.astimezone(datetime.UTC) + datetime.timedelta(hours=2)
    assert str(event["SUMMARY"]) == "Four weeks on"
    assert str(event["LOCATION"]) == "Room 2"
    assert "What got in the way" in str(event["DESCRIPTION"])
    attendee = event["ATTENDEE"]
    assert str(attendee) == "mailto:participant@acme.test"
    assert (attendee.params["PARTSTAT"], attendee.params["RSVP"]) == ("NEEDS-ACTION", "TRUE")
    assert str(event["ORGANIZER"]).startswith("mailto:")
    assert set(Invitation.objects.filter(session=session).values_list("sent_sequence", flat=True)) == {0}


def test_a_time_change_sends_an_update_with_the_same_uid(session, smtp_sink, cast, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        changed = services.update_session(
            session=session, actor=cast["trainer"].user, starts_at=START + datetime.timedelta(hours=1)
        )
    assert set(changed) == {"starts_at"}
    messages = mail_to(smtp_sink, "participant@acme.test")
    assert len(messages) == 2
    assert messages[1]["Subject"].startswith("Changed: Four weeks on")
    calendar, part = calendar_of(messages[1])
    event = event_of(calendar)
    assert (calendar["METHOD"], part.get_param("method")) == ("REQUEST", "REQUEST")
    assert str(event["UID"]) == f"{session.uuid}@takeroot"
    assert event["SEQUENCE"] == 1
    assert event.decoded("DTSTART") == (START + datetime.timedelta(hours=1)).astimezone(datetime.UTC)
    assert set(Invitation.objects.filter(session=session).values_list("sent_sequence", flat=True)) == {1}


def test_an_agenda_change_does_not_resend(session, smtp_sink, cast, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        services.update_session(session=session, actor=cast["trainer"].user, agenda="Only wins")
    assert (len(smtp_sink.messages), session.sequence) == (2, 0)


def test_cancelling_sends_a_calendar_cancel(session, smtp_sink, cast, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        services.cancel_session(session=session, actor=cast["trainer"].user)
    message = mail_to(smtp_sink, "participant@acme.test")[-1]
    assert message["Subject"].startswith("Cancelled: Four weeks on")
    calendar, part = calendar_of(message)
    event = event_of(calendar)
    assert (calendar["METHOD"], part.get_param("method")) == ("CANCEL", "CANCEL")
    assert str(event["UID"]) == f"{session.uuid}@takeroot"
    assert (event["SEQUENCE"], str(event["STATUS"])) == (1, "CANCELLED")
    with pytest.raises(ValidationError):
        services.cancel_session(session=session, actor=None)
    with pytest.raises(ValidationError):
        services.update_session(session=session, actor=None, title="Again")


def test_uninvited_people_get_a_cancel_and_new_ones_a_request(
    session, smtp_sink, cast, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        assert services.uninvite(session=session, people=[cast["other_participant"]], actor=None) == 1
    calendar, _part = calendar_of(mail_to(smtp_sink, "other@acme.test")[-1])
    assert (calendar["METHOD"], event_of(calendar)["SEQUENCE"]) == ("CANCEL", 1)
    assert not session.invitations.filter(person=cast["other_participant"]).exists()
    with django_capture_on_commit_callbacks(execute=True):
        created = services.invite_people(session=session, people=[cast["other_participant"]], actor=None)
    assert [i.person for i in created] == [cast["other_participant"]]
    calendar, _part = calendar_of(mail_to(smtp_sink, "other@acme.test")[-1])
    assert (calendar["METHOD"], event_of(calendar)["SEQUENCE"]) == ("REQUEST", 1)


def test_a_group_is_invited_and_the_mail_uses_their_time_zone(
    cohort, cast, smtp_sink, django_capture_on_commit_callbacks
):
    user = cast["participant"].user
    user.timezone = "Asia/Tokyo"
    user.save()
    with django_capture_on_commit_callbacks(execute=True):
        session = schedule(cohort, cast, people=[cast["participant"]])
    assert [i.person for i in session.invitations.all()] == [cast["participant"]]
    assert [m["To"] for m in smtp_sink.messages] == ["participant@acme.test"]
    local = timezone.localtime(START, datetime.timezone(datetime.timedelta(hours=9)))
    assert formats.time_format(local, "TIME_FORMAT") in smtp_sink.messages[0]["Subject"]
    assert "Asia/Tokyo" in smtp_sink.messages[0].get_body(("plain",)).get_content()


def test_withdrawn_people_are_not_invited(cohort, cast, smtp_sink, django_capture_on_commit_callbacks):
    Enrolment.objects.filter(person=cast["other_participant"]).update(status="withdrawn")
    with django_capture_on_commit_callbacks(execute=True):
        session = schedule(cohort, cast)
    assert [i.person for i in session.invitations.all()] == [cast["participant"]]
    with pytest.raises(ValidationError) as error:
        services.invite_people(session=session, people=[cast["other_participant"]], actor=None)
    assert set(error.value.message_dict) == {"people"}


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"ends_at": START - datetime.timedelta(hours=1)}, "ends_at"),
        ({"online_link": "meet.example.com"}, "online_link"),
        ({"online_link": "javascript:alert(1)"}, "online_link"),
        ({"place": "", "online_link": ""}, "place"),
        ({"title": "  "}, "title"),
        (
            {"starts_at": START - datetime.timedelta(days=30), "ends_at": START - datetime.timedelta(days=29)},
            "starts_at",
        ),
    ],
)
def test_bad_input_is_refused_with_the_field_named(cohort, cast, fields, field):
    with pytest.raises(ValidationError) as error:
        schedule(cohort, cast, **fields)
    assert field in error.value.message_dict
    assert not FollowUpSession.objects.exists()


def test_only_people_of_the_cohort_can_be_invited(cohort, cast):
    for person in (cast["trainer"], cast["outsider"]):
        with pytest.raises(ValidationError) as error:
            schedule(cohort, cast, people=[person])
        assert set(error.value.message_dict) == {"people"}


# Answers ----------------------------------------------------------------------------------------


def test_the_one_click_link_records_the_answer(session, smtp_sink, client):
    body = mail_to(smtp_sink, "participant@acme.test")[0].get_body(("plain",)).get_content()
    attend = next(line for line in body.splitlines() if line.startswith("I'll attend:")).split(": ", 1)[1]
    decline = next(line for line in body.splitlines() if line.startswith("I can't attend:")).split(": ", 1)[1]
    response = client.get(attend.removeprefix("http://127.0.0.1:8000"))
    assert response.status_code == 200
    assert "You will attend" in response.content.decode()
    invitation = Invitation.objects.get(session=session, person__user__email="participant@acme.test")
    assert invitation.answer == Rsvp.ATTENDING
    # The other link changes the answer; the first works again afterwards.
    assert client.get(decline.removeprefix("http://127.0.0.1:8000")).status_code == 200
    invitation.refresh_from_db()
    assert invitation.answer == Rsvp.DECLINED
    assert client.get(attend.removeprefix("http://127.0.0.1:8000")).status_code == 200
    invitation.refresh_from_db()
    assert invitation.answer == Rsvp.ATTENDING


def test_the_answer_goes_into_the_next_update(session, smtp_sink, cast, django_capture_on_commit_callbacks):
    invitation = session.invitations.get(person=cast["participant"])
    assert services.answer_invitation(invitation=invitation, answer=Rsvp.ATTENDING) is True
    assert services.answer_invitation(invitation=invitation, answer=Rsvp.ATTENDING) is False
    with django_capture_on_commit_callbacks(execute=True):
        services.update_session(session=session, actor=None, place="Room 3")
    calendar, _part = calendar_of(mail_to(smtp_sink, "participant@acme.test")[-1])
    assert event_of(calendar)["ATTENDEE"].params["PARTSTAT"] == "ACCEPTED"
    with pytest.raises(ValidationError):
        services.answer_invitation(invitation=invitation, answer=Rsvp.PENDING)


# After the session ------------------------------------------------------------------------------


def test_attendance_notes_and_an_agreed_step_in_the_plan(session, cast):
    with pytest.raises(ValidationError):
        services.record_attendance(session=session, attended={cast["participant"].pk: True}, actor=None)
    started(session)
    changed = services.record_attendance(
        session=session, attended={cast["participant"].pk: True, cast["other_participant"].pk: False}, actor=None
    )
    assert changed == 2
    assert dict(session.invitations.values_list("person__user__email", "attended")) == {
        "participant@acme.test": True,
        "other@acme.test": False,
    }
    with pytest.raises(ValidationError):
        services.record_attendance(session=session, attended={cast["trainer"].pk: True}, actor=None)
    services.save_notes(
        session=session, successes="Smaller batches", obstacles="Release freeze", next_steps="Pair", actor=None
    )
    session.refresh_from_db()
    assert (session.successes, session.obstacles, session.next_steps) == ("Smaller batches", "Release freeze", "Pair")
    due = timezone.localdate() + datetime.timedelta(days=10)
    task = services.add_agreed_step(
        session=session, person=cast["participant"], title="Pair with Olek on a release", due_on=due, actor=None
    )
    assert task.plan.enrolment.person == cast["participant"]
    assert list(ActionTask.objects.filter(plan__enrolment__person=cast["participant"])) == [task]
    assert list(services.agreed_steps(session)) == [task]
    with pytest.raises(ValidationError):
        services.add_agreed_step(session=session, person=cast["trainer"], title="x", due_on=due, actor=None)


def test_upcoming_sessions_for_an_enrolment(session, cohort, cast, django_capture_on_commit_callbacks):
    enrolment = Enrolment.objects.get(cohort=cohort, person=cast["participant"])
    assert list(services.upcoming_sessions_for(enrolment)) == [session]
    with django_capture_on_commit_callbacks(execute=True):
        group = schedule(cohort, cast, people=[cast["other_participant"]], title="Group")
    assert list(services.upcoming_sessions_for(enrolment)) == [session]
    other = Enrolment.objects.get(cohort=cohort, person=cast["other_participant"])
    assert list(services.upcoming_sessions_for(other)) == [session, group]
    services.cancel_session(session=session, actor=None)
    assert list(services.upcoming_sessions_for(enrolment)) == []


def test_sessions_are_in_the_personal_calendar_feed(session, cast):
    text = personal_calendar(cast["participant"].user).decode()
    assert f"UID:{session.uuid}@takeroot" in text
    assert f"UID:{session.uuid}@takeroot" in personal_calendar(cast["trainer"].user).decode()
    assert f"UID:{session.uuid}@takeroot" not in personal_calendar(cast["mentor"].user).decode()


# Pages ------------------------------------------------------------------------------------------


def _form(**fields):
    start = timezone.localtime(START)
    data = {
        "title": "Four weeks on",
        "starts_at": f"{start:%Y-%m-%dT%H:%M}",
        "ends_at": f"{start + datetime.timedelta(hours=2):%Y-%m-%dT%H:%M}",
        "place": "Room 2",
        "online_link": "",
        "agenda": "Wins",
    }
    data.update(fields)
    return data


def test_a_trainer_schedules_from_the_page(cohort, cast, client_for, smtp_sink, django_capture_on_commit_callbacks):
    client = client_for(cast["trainer"])
    listing = client.get(f"/cohorts/{cohort.uuid}/follow-up-sessions/")
    assert listing.status_code == 200
    assert "Schedule a follow-up session" in listing.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/cohorts/{cohort.uuid}/follow-up-sessions/new/", _form())
    session = FollowUpSession.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/follow-up-sessions/{session.uuid}/"
    assert (session.created_by, session.invitations.count(), len(smtp_sink.messages)) == (cast["trainer"], 2, 2)
    page = client.get(response["Location"]).content.decode()
    assert "Four weeks on" in page and "Pia Participant" in page


def test_the_form_keeps_the_input_on_errors(cohort, cast, client_for):
    client = client_for(cast["trainer"])
    start = timezone.localtime(START)
    data = _form(ends_at=f"{start - datetime.timedelta(hours=1):%Y-%m-%dT%H:%M}", online_link="not a link")
    response = client.post(f"/cohorts/{cohort.uuid}/follow-up-sessions/new/", data)
    page = response.content.decode()
    assert response.status_code == 200
    assert "The session must end after it starts." in page
    assert "starting with https://" in page
    assert 'value="Four weeks on"' in page and 'value="not a link"' in page
    assert not FollowUpSession.objects.exists()


def test_the_edit_page_moves_the_session_and_uninvites(
    session, cast, client_for, smtp_sink, django_capture_on_commit_callbacks
):
    client = client_for(cast["trainer"])
    start = timezone.localtime(START + datetime.timedelta(days=1))
    data = _form(
        title="Four weeks on",
        starts_at=f"{start:%Y-%m-%dT%H:%M}",
        ends_at=f"{start + datetime.timedelta(hours=2):%Y-%m-%dT%H:%M}",
        online_link="https://meet.example.com/abc",
        agenda="What worked\nWhat got in the way",
        people=[str(cast["participant"].uuid)],
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/follow-up-sessions/{session.uuid}/edit/", data)
    assert response.status_code == 302
    session.refresh_from_db()
    assert session.starts_at == START + datetime.timedelta(days=1)
    assert [i.person for i in session.invitations.all()] == [cast["participant"]]
    assert calendar_of(mail_to(smtp_sink, "other@acme.test")[-1])[0]["METHOD"] == "CANCEL"
    assert calendar_of(mail_to(smtp_sink, "participant@acme.test")[-1])[0]["METHOD"] == "REQUEST"


def test_the_session_page_forms(session, cast, client_for):
    participant = client_for(cast["participant"])
    response = participant.post(f"/follow-up-sessions/{session.uuid}/answer/", {"answer": "declined"})
    assert response.status_code == 302
    assert session.invitations.get(person=cast["participant"]).answer == Rsvp.DECLINED
    page = participant.get(f"/follow-up-sessions/{session.uuid}/").content.decode()
    assert "Save my answer" in page and "Save attendance" not in page
    started(session)
    trainer = client_for(cast["trainer"])
    field = f"p_{cast['participant'].uuid}"
    assert trainer.post(f"/follow-up-sessions/{session.uuid}/attendance/", {field: "yes"}).status_code == 302
    assert session.invitations.get(person=cast["participant"]).attended is True
    notes = {"successes": "Wins", "obstacles": "", "next_steps": "Pairing"}
    assert trainer.post(f"/follow-up-sessions/{session.uuid}/notes/", notes).status_code == 302
    step = {"person": str(cast["participant"].uuid), "title": "", "due_on": ""}
    response = trainer.post(f"/follow-up-sessions/{session.uuid}/steps/", step)
    assert response.status_code == 400
    due = timezone.localdate() + datetime.timedelta(days=7)
    step |= {"title": "Pair on a release", "due_on": due.isoformat()}
    assert trainer.post(f"/follow-up-sessions/{session.uuid}/steps/", step).status_code == 302
    page = trainer.get(f"/follow-up-sessions/{session.uuid}/").content.decode()
    assert "Pair on a release" in page and "Pairing" in page
    # The participant sees their agreed step on the session page and in their plan.
    assert "Pair on a release" in participant.get(f"/follow-up-sessions/{session.uuid}/").content.decode()
    assert ActionTask.objects.get().title == "Pair on a release"
    assert trainer.post(f"/follow-up-sessions/{session.uuid}/cancel/").status_code == 302
    session.refresh_from_db()
    assert session.cancelled_at is not None


@pytest.mark.parametrize(
    ("role", "status"),
    [("admin", 200), ("trainer", 200), ("participant", 403), ("mentor", 403), ("manager", 403), ("outsider", 404)],
)
def test_who_may_open_the_new_session_form(cohort, cast, client_for, role, status):
    response = client_for(cast[role]).get(f"/cohorts/{cohort.uuid}/follow-up-sessions/new/")
    assert response.status_code == status


def test_a_participant_cannot_schedule_by_posting(cohort, cast, client_for):
    response = client_for(cast["participant"]).post(f"/cohorts/{cohort.uuid}/follow-up-sessions/new/", _form())
    assert response.status_code == 403
    assert not FollowUpSession.objects.exists()


@pytest.mark.parametrize(
    ("role", "view", "run"),
    [
        ("admin", 200, 200),
        ("trainer", 200, 200),
        ("participant", 200, 403),
        ("mentor", 404, 404),
        ("manager", 404, 404),
        ("outsider", 404, 404),
    ],
)
def test_who_may_see_and_run_a_session(session, cast, client_for, role, view, run):
    client = client_for(cast[role])
    assert client.get(f"/follow-up-sessions/{session.uuid}/").status_code == view
    assert client.get(f"/follow-up-sessions/{session.uuid}/edit/").status_code == run
    assert client.post(f"/follow-up-sessions/{session.uuid}/notes/", {"successes": "x"}).status_code in {302, run}


def test_a_participant_left_out_of_a_group_session_sees_nothing(cohort, cast, client_for, smtp_sink):
    session = schedule(cohort, cast, people=[cast["participant"]])
    client = client_for(cast["other_participant"])
    assert client.get(f"/follow-up-sessions/{session.uuid}/").status_code == 404
    listing = client.get(f"/cohorts/{cohort.uuid}/follow-up-sessions/").content.decode()
    assert "Four weeks on" not in listing


def test_a_trainer_of_another_cohort_may_not_run_it(session, cast, client_for, programme):
    other = programmes.create_cohort(
        programme=programme,
        actor=None,
        name="Other",
        starts_on=datetime.date(2026, 9, 1),
        ends_on=datetime.date(2026, 9, 30),
    )
    session.cohort.trainers.clear()
    other.trainers.add(cast["trainer"])
    client = client_for(cast["trainer"])
    assert client.get(f"/follow-up-sessions/{session.uuid}/").status_code == 404
    assert client.get(f"/cohorts/{session.cohort.uuid}/follow-up-sessions/new/").status_code == 403
