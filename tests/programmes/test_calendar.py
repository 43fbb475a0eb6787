"""Calendar files: what a calendar program reads back, who may download a cohort's, and the feed."""

import datetime
import zoneinfo

import pytest
from django.conf import settings
from django.contrib.messages import get_messages
from django.db import connection
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from icalendar import Calendar

from takeroot.core.models import User
from takeroot.programmes import services
from takeroot.programmes.calendar import cohort_calendar, personal_calendar
from tests.factories import PersonFactory

WARSAW = zoneinfo.ZoneInfo("Europe/Warsaw")


def _at(day: int, hour: int, minute: int = 0, month: int = 3) -> datetime.datetime:
    return datetime.datetime(2026, month, day, hour, minute, tzinfo=WARSAW)


def _events(content: bytes) -> list[dict]:
    calendar = Calendar.from_ical(content)
    return [
        {
            "uid": str(event["UID"]),
            "sequence": event.sequence,
            "start": event["DTSTART"].to_ical().decode(),
            "end": event["DTEND"].to_ical().decode(),
            "summary": str(event["SUMMARY"]),
            "location": str(event["LOCATION"]) if "LOCATION" in event else None,
            "url": str(event["URL"]) if "URL" in event else None,
            "status": str(event["STATUS"]),
        }
        for event in calendar.events
    ]


def _summaries(content: bytes) -> list[str]:
    return [event["summary"] for event in _events(content)]


def _new_cohort(*, workspace, actor, programme_name: str, name: str, trainers=(), people=()):
    programme = services.create_programme(workspace=workspace, actor=actor, name=programme_name)
    cohort = services.create_cohort(
        programme=programme,
        actor=actor,
        name=name,
        starts_on=datetime.date(2026, 3, 2),
        ends_on=datetime.date(2026, 4, 30),
        trainers=trainers,
    )
    services.enrol_people(cohort=cohort, actor=actor, people=list(people))
    return cohort


def _session(cohort, actor, title: str, starts_at: datetime.datetime, **fields):
    return services.save_session(
        cohort=cohort,
        actor=actor,
        title=title,
        starts_at=starts_at,
        ends_at=starts_at + datetime.timedelta(hours=3),
        **fields,
    )


@pytest.fixture
def cohort(cast):
    return _new_cohort(
        workspace=cast["admin"].workspace,
        actor=cast["admin"].user,
        programme_name="Feedback that lands",
        name="Spring 2026",
        trainers=[cast["trainer"]],
        people=[cast["participant"]],
    )


@pytest.fixture
def kickoff(cohort, admin):
    # 9:00 in Warsaw in March is 8:00 UTC (winter time).
    return _session(cohort, admin.user, "Kick-off", _at(2, 9), place="Room 4, Warsaw office")


@pytest.fixture
def practice(cohort, admin):
    module = services.save_module(
        programme=cohort.programme, actor=admin.user, title="Giving feedback", objectives=["Name the behaviour"]
    )
    # 9:30 in Warsaw in April is 7:30 UTC (summer time).
    return _session(
        cohort,
        admin.user,
        "Practice",
        _at(7, 9, 30, month=4),
        module=module,
        online_link="https://meet.example.com/feedback",
    )


# The cohort's file ---------------------------------------------------------------------------


def test_cohort_calendar_has_one_event_per_session_in_utc(cohort, kickoff, practice):
    assert _events(cohort_calendar(cohort)) == [
        {
            "uid": f"{kickoff.uuid}@takeroot",
            "sequence": 0,
            "start": "20260302T080000Z",
            "end": "20260302T110000Z",
            "summary": "Feedback that lands: Kick-off",
            "location": "Room 4, Warsaw office",
            "url": None,
            "status": "CONFIRMED",
        },
        {
            "uid": f"{practice.uuid}@takeroot",
            "sequence": 0,
            "start": "20260407T073000Z",
            "end": "20260407T103000Z",
            "summary": "Feedback that lands: Practice",
            "location": "https://meet.example.com/feedback",
            "url": "https://meet.example.com/feedback",
            "status": "CONFIRMED",
        },
    ]


def test_cohort_calendar_description_names_cohort_module_link_and_page(cohort, practice):
    event = Calendar.from_ical(cohort_calendar(cohort)).events[0]
    page = f"{settings.BASE_URL}/cohorts/{cohort.uuid}/"
    assert str(event["DESCRIPTION"]) == (
        f"Cohort: Spring 2026\nModule: Giving feedback\nJoin online: https://meet.example.com/feedback\n"
        f"Cohort page: {page}"
    )


def test_cohort_calendar_description_without_module_or_link_has_cohort_and_page(cohort, kickoff):
    event = Calendar.from_ical(cohort_calendar(cohort)).events[0]
    assert str(event["DESCRIPTION"]) == f"Cohort: Spring 2026\nCohort page: {settings.BASE_URL}/cohorts/{cohort.uuid}/"


def test_cohort_calendar_header_is_a_published_utc_calendar(cohort, kickoff):
    calendar = Calendar.from_ical(cohort_calendar(cohort))
    assert (
        str(calendar["PRODID"]),
        str(calendar["VERSION"]),
        str(calendar["CALSCALE"]),
        str(calendar["METHOD"]),
        str(calendar["X-WR-CALNAME"]),
    ) == ("-//Takeroot//Takeroot//EN", "2.0", "GREGORIAN", "PUBLISH", "Takeroot: Feedback that lands · Spring 2026")
    assert calendar.refresh_interval == datetime.timedelta(hours=1)
    assert calendar["REFRESH-INTERVAL"].params["VALUE"] == "DURATION"
    assert calendar["X-PUBLISHED-TTL"].to_ical() == b"PT1H"
    assert calendar.walk("VTIMEZONE") == []


def test_cohort_calendar_cancelled_session_is_cancelled_with_higher_sequence(cohort, admin, kickoff, practice):
    services.cancel_session(session=kickoff, actor=admin.user)
    events = {event["uid"]: event for event in _events(cohort_calendar(cohort))}
    assert (events[f"{kickoff.uuid}@takeroot"]["status"], events[f"{kickoff.uuid}@takeroot"]["sequence"]) == (
        "CANCELLED",
        1,
    )
    assert (events[f"{practice.uuid}@takeroot"]["status"], events[f"{practice.uuid}@takeroot"]["sequence"]) == (
        "CONFIRMED",
        0,
    )


def test_cohort_calendar_changed_session_keeps_uid_with_higher_sequence(cohort, admin, kickoff):
    services.save_session(cohort=cohort, actor=admin.user, session=kickoff, place="Room 7, Warsaw office")
    [event] = _events(cohort_calendar(cohort))
    assert (event["uid"], event["sequence"], event["location"]) == (
        f"{kickoff.uuid}@takeroot",
        1,
        "Room 7, Warsaw office",
    )


def test_cohort_calendar_moved_session_keeps_uid_with_higher_sequence(cohort, admin, kickoff):
    services.save_session(cohort=cohort, actor=admin.user, session=kickoff, starts_at=_at(3, 10), ends_at=_at(3, 12))
    [event] = _events(cohort_calendar(cohort))
    assert (event["uid"], event["sequence"], event["start"], event["end"]) == (
        f"{kickoff.uuid}@takeroot",
        1,
        "20260303T090000Z",
        "20260303T110000Z",
    )


def test_cohort_calendar_unchanged_save_keeps_sequence(cohort, admin, kickoff):
    services.save_session(cohort=cohort, actor=admin.user, session=kickoff, title="Kick-off")
    assert [event["sequence"] for event in _events(cohort_calendar(cohort))] == [0]


# Who may download it -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("admin", 200),
        ("trainer", 200),
        ("mentor", 403),
        ("manager", 200),
        ("participant", 200),
        ("other_participant", 403),
        ("outsider", 404),
    ],
)
def test_cohort_ics_by_role(client_for, cast, cohort, kickoff, role, status):
    response = client_for(cast[role]).get(reverse("programmes:cohort_ics", args=[cohort.uuid]))
    assert response.status_code == status


def test_cohort_ics_signed_out_redirects_to_sign_in(client, cohort):
    response = client.get(reverse("programmes:cohort_ics", args=[cohort.uuid]))
    assert (response.status_code, response["Location"].split("?")[0]) == (302, reverse("account_login"))


def test_cohort_ics_unknown_cohort_is_404(client_for, admin, cohort):
    response = client_for(admin).get(reverse("programmes:cohort_ics", args=["00000000-0000-4000-8000-000000000000"]))
    assert response.status_code == 404


def test_cohort_ics_is_a_calendar_attachment(client_for, participant, cohort, kickoff):
    response = client_for(participant).get(reverse("programmes:cohort_ics", args=[cohort.uuid]))
    assert (response["Content-Type"], response["Content-Disposition"]) == (
        "text/calendar; charset=utf-8",
        'attachment; filename="spring-2026.ics"',
    )
    assert _summaries(response.content) == ["Feedback that lands: Kick-off"]


# The personal feed ---------------------------------------------------------------------------


def _feed(client, user):
    return client.get(reverse("programmes:personal_feed", args=[user.calendar_token]))


def test_personal_feed_spans_workspaces(client, cast, cohort, kickoff):
    participant, outsider = cast["participant"], cast["outsider"]
    # The same account is also a participant in the other organisation.
    elsewhere = PersonFactory(workspace=outsider.workspace, user=participant.user, is_participant=True)
    theirs = _new_cohort(
        workspace=outsider.workspace,
        actor=outsider.user,
        programme_name="Negotiation",
        name="Autumn",
        people=[elsewhere],
    )
    _session(theirs, outsider.user, "Opening", _at(5, 13))
    # Could leak: a cohort in the other organisation without them.
    not_theirs = _new_cohort(
        workspace=outsider.workspace, actor=outsider.user, programme_name="Budgeting", name="Winter", people=[outsider]
    )
    _session(not_theirs, outsider.user, "Numbers", _at(4, 13))

    response = _feed(client, participant.user)

    assert response.status_code == 200
    assert _summaries(response.content) == ["Feedback that lands: Kick-off", "Negotiation: Opening"]


def test_personal_feed_excludes_withdrawn_enrolment(client, cast, cohort, kickoff):
    admin, participant = cast["admin"], cast["participant"]
    left = _new_cohort(
        workspace=admin.workspace, actor=admin.user, programme_name="Presenting", name="May", people=[participant]
    )
    _session(left, admin.user, "Slides", _at(6, 9))
    services.set_enrolment_status(enrolment=left.enrolments.get(), actor=admin.user, status="withdrawn")

    assert _summaries(_feed(client, participant.user).content) == ["Feedback that lands: Kick-off"]


def test_personal_feed_includes_cohorts_the_user_trains(client, cast, cohort, kickoff):
    trainer = cast["trainer"]
    # Could leak: a cohort in the same workspace that someone else trains.
    other = _new_cohort(workspace=trainer.workspace, actor=cast["admin"].user, programme_name="Coaching", name="June")
    _session(other, cast["admin"].user, "Listening", _at(6, 9))

    assert _summaries(_feed(client, trainer.user).content) == ["Feedback that lands: Kick-off"]


def test_personal_feed_shows_cancelled_session_as_cancelled(client, cast, cohort, kickoff):
    services.cancel_session(session=kickoff, actor=cast["admin"].user)
    [event] = _events(_feed(client, cast["participant"].user).content)
    assert (event["status"], event["sequence"]) == ("CANCELLED", 1)


def test_personal_feed_is_named_for_the_person(client, participant, cohort, kickoff):
    calendar = Calendar.from_ical(_feed(client, participant.user).content)
    assert str(calendar["X-WR-CALNAME"]) == "Takeroot: my training"


def test_personal_feed_without_sessions_is_an_empty_calendar(participant):
    assert _events(personal_calendar(participant.user)) == []


def test_personal_feed_is_private_cached_and_sets_no_cookie(client, participant, cohort, kickoff):
    response = _feed(client, participant.user)
    assert (response.status_code, response["Content-Type"], response["Cache-Control"]) == (
        200,
        "text/calendar; charset=utf-8",
        "private, max-age=900",
    )
    assert list(response.cookies) == []


@pytest.mark.parametrize("token", ["x" * 32, "short"])
def test_personal_feed_unknown_token_is_404(client, participant, token):
    response = client.get(f"/calendar/{token}.ics")
    assert (response.status_code, list(response.cookies)) == (404, [])


def test_personal_feed_short_prefix_of_a_real_token_is_404(client, participant):
    token = participant.user.calendar_token[:19]
    assert client.get(reverse("programmes:personal_feed", args=[token])).status_code == 404


def test_personal_feed_of_inactive_account_is_404(client, participant, cohort, kickoff):
    User.objects.filter(pk=participant.user.pk).update(is_active=False)
    assert _feed(client, participant.user).status_code == 404


def test_personal_feed_refuses_post(client, participant):
    assert client.post(reverse("programmes:personal_feed", args=[participant.user.calendar_token])).status_code == 405


# Changing the address ------------------------------------------------------------------------


def test_reset_feed_old_address_stops_working_and_new_one_works(client_for, client, participant, cohort, kickoff):
    old = participant.user.calendar_token
    response = client_for(participant).post(reverse("programmes:reset_feed"))
    participant.user.refresh_from_db()
    new = participant.user.calendar_token

    assert (response.status_code, response["Location"]) == (302, reverse("core:profile"))
    assert [str(message) for message in get_messages(response.wsgi_request)] == [
        "Your calendar address was changed. Subscribe again with the new one."
    ]
    client.logout()
    assert client.get(reverse("programmes:personal_feed", args=[old])).status_code == 404
    assert _summaries(client.get(reverse("programmes:personal_feed", args=[new])).content) == [
        "Feedback that lands: Kick-off"
    ]


def test_reset_feed_refuses_get(client_for, participant):
    token = participant.user.calendar_token
    response = client_for(participant).get(reverse("programmes:reset_feed"))
    participant.user.refresh_from_db()
    assert (response.status_code, participant.user.calendar_token) == (405, token)


def test_reset_feed_signed_out_changes_nothing(client, participant):
    token = participant.user.calendar_token
    response = client.post(reverse("programmes:reset_feed"))
    participant.user.refresh_from_db()
    assert (response.status_code, participant.user.calendar_token) == (302, token)


# The profile section -------------------------------------------------------------------------


def test_calendar_feed_section_shows_the_full_address_and_the_reset_form(participant):
    request = RequestFactory().get("/profile/")
    request.user = participant.user
    html = render_to_string("programmes/_calendar_feed.html", request=request)
    token = participant.user.calendar_token
    assert f'value="http://testserver/calendar/{token}.ics"' in html
    assert '<label for="calendar-feed-url">' in html
    assert 'action="/calendar/reset/"' in html
    assert 'name="csrfmiddlewaretoken"' in html


# Query counts --------------------------------------------------------------------------------


def _queries(build) -> int:
    with CaptureQueriesContext(connection) as queries:
        build()
    return len(queries)


def test_calendars_query_count_does_not_grow_with_sessions(cast, cohort, kickoff):
    participant, admin = cast["participant"], cast["admin"]
    one = (_queries(lambda: cohort_calendar(cohort)), _queries(lambda: personal_calendar(participant.user)))
    module = services.save_module(programme=cohort.programme, actor=admin.user, title="Listening", objectives=[])
    _session(cohort, admin.user, "Practice", _at(9, 9), module=module)
    _session(cohort, admin.user, "Review", _at(16, 9), online_link="https://meet.example.com/review")
    three = (_queries(lambda: cohort_calendar(cohort)), _queries(lambda: personal_calendar(participant.user)))
    assert one == three


def test_personal_feed_keeps_cohort_when_someone_else_withdraws(client, cast, cohort, kickoff):
    services.enrol_people(cohort=cohort, actor=cast["admin"].user, people=[cast["other_participant"]])
    theirs = cohort.enrolments.get(person=cast["other_participant"])
    services.set_enrolment_status(enrolment=theirs, actor=cast["admin"].user, status="withdrawn")

    assert _summaries(_feed(client, cast["participant"].user).content) == ["Feedback that lands: Kick-off"]
