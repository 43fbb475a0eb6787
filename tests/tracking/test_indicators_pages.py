"""The indicator set's pages: who may read and change it, adding an indicator with a formula that
is checked on submit (what was typed stays), defaults that change only threshold and cadence,
ordering, archiving, restoring and deleting, and other workspaces kept out."""

import pytest
from django.urls import reverse

from takeroot.core.models import AuditEntry
from takeroot.tracking.indicators import indicators_for
from takeroot.tracking.models import Indicator

LIST = reverse("tracking:indicators")
NEW = reverse("tracking:indicator_create")
OWN = {
    "name": "Tickets per person",
    "category": "engagement",
    "formula": "count(ticket) / people",
    "unit": "",
    "threshold": "2",
    "cadence": "month",
}


@pytest.fixture
def indicators(workspace):
    return {indicator.code: indicator for indicator in indicators_for(workspace)}


@pytest.mark.parametrize(
    ("who", "read", "change"),
    [
        ("admin", 200, 200),
        ("trainer", 200, 403),
        ("mentor", 403, 403),
        ("manager", 403, 403),
        ("participant", 403, 403),
    ],
)
def test_who_may_read_and_change_the_set(cast, client_for, indicators, who, read, change):
    client = client_for(cast[who])
    edit = reverse("tracking:indicator_edit", args=[indicators["attendance_rate"].uuid])

    assert (client.get(LIST).status_code, client.get(NEW).status_code, client.get(edit).status_code) == (
        read,
        change,
        change,
    )
    assert client.post(NEW, OWN).status_code == (302 if change == 200 else 403)


def test_the_set_shows_each_indicator_with_formula_cadence_threshold_and_source(cast, client_for, indicators):
    page = client_for(cast["trainer"]).get(LIST).content.decode()

    assert "Attendance rate" in page
    assert "Average attendance" in page and "<code>mean(attendance)</code>" in page
    assert "Total time online (minutes) ÷ people ÷ weeks" in page
    assert "at least 80 %" in page and "at least 60 min" in page
    assert "Every two weeks" in page and "Per module" in page
    assert "Survey results above the anonymity threshold" in page
    assert "New indicator" not in page  # trainers read, admins change


def test_an_admin_adds_an_indicator(cast, client_for, indicators, workspace):
    response = client_for(cast["admin"]).post(NEW, OWN)

    own = Indicator.objects.get(workspace=workspace, code="tickets_per_person")
    assert response.status_code == 302
    assert (own.formula, own.threshold, own.cadence, own.position, own.is_default) == (
        "count(ticket) / people",
        2,
        "month",
        10,
        False,
    )
    assert AuditEntry.objects.filter(object_uuid=own.uuid, action="created").count() == 1


def test_a_percentage_threshold_is_typed_as_a_percentage(cast, client_for, indicators, workspace):
    client_for(cast["admin"]).post(NEW, OWN | {"unit": "%", "threshold": "75", "formula": "mean(check_in)"})

    assert Indicator.objects.get(workspace=workspace, code="tickets_per_person").threshold == 0.75


def test_a_bad_formula_is_explained_and_what_was_typed_stays(cast, client_for, indicators, workspace):
    response = client_for(cast["admin"]).post(NEW, OWN | {"formula": "mean(atendance) / weeks"})

    page = response.content.decode()
    assert response.status_code == 200
    assert "Unknown input &#x27;atendance&#x27;. Available: attendance, time_online" in page
    assert 'value="mean(atendance) / weeks"' in page and 'value="Tickets per person"' in page
    assert not Indicator.objects.filter(workspace=workspace, is_default=False).exists()


def test_a_default_changes_threshold_and_cadence_only(cast, client_for, indicators):
    attendance = indicators["attendance_rate"]
    edit = reverse("tracking:indicator_edit", args=[attendance.uuid])
    posted = {"name": "Renamed", "formula": "mean(quiz_score)", "unit": "min", "threshold": "90", "cadence": "month"}

    assert client_for(cast["admin"]).post(edit, posted).status_code == 302
    attendance.refresh_from_db()
    assert (attendance.name, attendance.formula, attendance.unit, attendance.threshold, attendance.cadence) == (
        "Attendance rate",
        "mean(attendance)",
        "%",
        0.9,
        "month",
    )


def test_archive_restore_move_and_delete(cast, client_for, indicators, workspace):
    client = client_for(cast["admin"])
    attendance, time_online = indicators["attendance_rate"], indicators["time_online"]

    client.post(reverse("tracking:indicator_archive", args=[attendance.uuid]))
    assert "attendance_rate" not in [i.code for i in indicators_for(workspace)]
    client.post(reverse("tracking:indicator_archive", args=[attendance.uuid]), {"restore": "1"})
    assert "attendance_rate" in [i.code for i in indicators_for(workspace)]

    client.post(reverse("tracking:indicator_move", args=[time_online.uuid]), {"direction": "up"})
    assert [i.code for i in indicators_for(workspace)][:2] == ["time_online", "attendance_rate"]

    client.post(reverse("tracking:indicator_delete", args=[attendance.uuid]))
    assert Indicator.objects.filter(pk=attendance.pk).exists()  # defaults are archived, not deleted
    client.post(NEW, OWN)
    own = Indicator.objects.get(workspace=workspace, code="tickets_per_person")
    client.post(reverse("tracking:indicator_delete", args=[own.uuid]))
    assert not Indicator.objects.filter(pk=own.pk).exists()


def test_another_workspaces_indicators_are_not_found(cast, client_for, indicators):
    attendance = indicators["attendance_rate"]
    client = client_for(cast["outsider"])  # an admin of their own workspace

    assert client.get(reverse("tracking:indicator_edit", args=[attendance.uuid])).status_code == 404
    for name in ("indicator_archive", "indicator_move", "indicator_delete"):
        assert client.post(reverse(f"tracking:{name}", args=[attendance.uuid])).status_code == 404
    assert Indicator.objects.get(pk=attendance.pk).archived_at is None


def test_the_list_takes_the_same_queries_for_one_indicator_more(
    cast, client_for, indicators, django_assert_max_num_queries
):
    client = client_for(cast["admin"])
    with django_assert_max_num_queries(100) as before:
        client.get(LIST)
    client.post(NEW, OWN)
    with django_assert_max_num_queries(100) as after:
        client.get(LIST)

    assert len(after) == len(before)
