"""The cohort follow-up page: timeline per step, delivery statistics, the failed touchpoints with
resend, the filter; admins and the cohort's trainers only; the queries behind it."""

import pytest

from takeroot.followup.enums import TouchpointState
from takeroot.followup.models import Touchpoint
from takeroot.followup.queries import cohort_timeline, delivery_stats, touchpoints_for_user


def url(cohort):
    return f"/cohorts/{cohort.uuid}/follow-up/"


@pytest.mark.parametrize(
    ("role", "status"),
    [("admin", 200), ("trainer", 200), ("mentor", 403), ("manager", 403), ("participant", 403), ("outsider", 404)],
)
def test_cohort_followup_page_by_role(touchpoints, cohort, cast, client_for, role, status):
    assert client_for(cast[role]).get(url(cohort)).status_code == status


def test_cohort_followup_page_shows_timeline_stats_and_failed(touchpoints, cohort, cast, client_for):
    page = client_for(cast["trainer"]).get(url(cohort)).content.decode()
    assert "Write your action plan" in page and "How is your cohort doing?" in page
    assert "550 Mailbox unavailable" in page
    assert "Resend" in page
    assert f"/people/{cast['participant'].uuid}/follow-up/" in page


def test_cohort_followup_filter_by_state_and_person(touchpoints, cohort, cast, client_for):
    client = client_for(cast["admin"])
    page = client.get(url(cohort), {"state": "failed"}).content.decode()
    assert "550 Mailbox unavailable" in page and "Your checklist for the first week" in page
    assert page.count("Micro-lesson: small batches") == 1  # only in the timeline
    page = client.get(url(cohort), {"person": str(cast["participant"].uuid)}).context["page"]
    assert {t.recipient for t in page.object_list} == {cast["participant"]}


def test_timeline_counts_per_step(touchpoints, cohort):
    rows = cohort_timeline(cohort)
    assert [row.step.position for row in rows] == [0, 1, 2, 3, 4]
    assert rows[0].counts["done"] == 1 and rows[0].counts["sent"] == 1 and rows[0].total == 2
    assert rows[1].counts["failed"] == 1 and rows[1].counts["opened"] == 1
    assert rows[2].counts["scheduled"] == 2
    assert rows[3].total == 1  # to the participant's manager; the other participant has none
    assert rows[4].total == 2  # the trainer, once per enrolment
    assert rows[0].first_due <= rows[0].last_due


def test_delivery_stats(touchpoints, cohort):
    stats = delivery_stats(cohort)
    assert stats.counts["failed"] == 1 and stats.delivered == 3
    assert stats.open_percent == 67 and stats.done_percent == 33
    assert [t.reason for t in stats.failed] == ["550 Mailbox unavailable"]


def test_touchpoints_for_user(touchpoints, cohort, cast):
    workspace = cohort.workspace
    everything = set(Touchpoint.objects.values_list("pk", flat=True))
    assert set(touchpoints_for_user(cast["admin"].user, workspace=workspace).values_list("pk", flat=True)) == everything
    assert (
        set(touchpoints_for_user(cast["trainer"].user, workspace=workspace).values_list("pk", flat=True)) == everything
    )
    mine = touchpoints_for_user(cast["participant"].user, workspace=workspace)
    assert {t.recipient for t in mine} == {cast["participant"]}
    assert not touchpoints_for_user(cast["outsider"].user, workspace=workspace).exists()


def test_resend_from_the_page(failed, cohort, cast, client_for):
    response = client_for(cast["trainer"]).post(f"/follow-up/touchpoints/{failed.uuid}/resend/", follow=True)
    assert response.redirect_chain[-1][0] == url(cohort)
    failed.refresh_from_db()
    assert failed.state == TouchpointState.SCHEDULED


def test_cancel_from_the_page_and_refusals(touchpoints, cohort, cast, client_for):
    upcoming = touchpoints["mine"][2]
    assert client_for(cast["participant"]).post(f"/follow-up/touchpoints/{upcoming.uuid}/cancel/").status_code == 403
    assert client_for(cast["outsider"]).post(f"/follow-up/touchpoints/{upcoming.uuid}/cancel/").status_code == 404
    client = client_for(cast["admin"])
    client.post(f"/follow-up/touchpoints/{upcoming.uuid}/cancel/", {"reason": "Left the team"})
    upcoming.refresh_from_db()
    assert (upcoming.state, upcoming.reason) == (TouchpointState.CANCELLED, "Left the team")
    page = client.post(f"/follow-up/touchpoints/{upcoming.uuid}/cancel/", follow=True).content.decode()
    assert "Only a scheduled touchpoint can be cancelled." in page


def test_cohort_page_queries_do_not_grow(touchpoints, cohort, cast, client_for, django_assert_max_num_queries):
    client = client_for(cast["admin"])
    client.get(url(cohort))
    with django_assert_max_num_queries(30):
        client.get(url(cohort))
