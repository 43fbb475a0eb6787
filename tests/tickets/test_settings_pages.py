"""The ticket settings page (admins): the promise with its clock, clear errors that keep what was
typed, routing rules added, changed and deleted, each change audited; others refused."""

import pytest
from django.urls import reverse

from takeroot.core.models import AuditEntry
from takeroot.tickets.enums import Category, Clock, RouteTo
from takeroot.tickets.models import RoutingRule, TicketSettings

SETTINGS = reverse("tickets:settings")
ADD_RULE = reverse("tickets:routing_rule_create")

VALID = {
    "promise_hours": "16",
    "clock": Clock.WORKING_HOURS,
    "day_starts": "08:00",
    "day_ends": "16:30",
    "timezone": "Europe/Stockholm",
    "warn_before_hours": "3",
    "auto_close_days": "5",
}


@pytest.mark.parametrize(
    ("who", "status"),
    [("admin", 200), ("trainer", 403), ("mentor", 403), ("manager", 403), ("participant", 403)],
)
def test_settings_page_is_for_admins(cast, client_for, who, status):
    client = client_for(cast[who])

    assert client.get(SETTINGS).status_code == status
    assert client.post(SETTINGS, VALID).status_code == (302 if status == 200 else 403)
    assert client.post(ADD_RULE, {"category": "content", "route_to": "admin"}).status_code == (
        302 if status == 200 else 403
    )


def test_settings_page_shows_the_defaults_and_no_pretend_inbound_mail(cast, client_for):
    page = client_for(cast["admin"]).get(SETTINGS).content.decode()

    assert 'name="promise_hours" value="24"' in page
    assert "inbound_address" not in page
    assert "Replies by mail are not available" in page


def test_settings_saved_and_audited(cast, client_for, workspace):
    response = client_for(cast["admin"]).post(SETTINGS, VALID, follow=True)

    saved = TicketSettings.objects.get(workspace=workspace)
    assert (saved.promise_hours, saved.clock, saved.timezone, saved.warn_before_hours) == (
        16,
        Clock.WORKING_HOURS,
        "Europe/Stockholm",
        3,
    )
    assert str(saved.day_ends) == "16:30:00"
    assert "Ticket settings saved." in response.content.decode()
    entry = AuditEntry.objects.get(object_type="ticketsettings")
    assert (entry.action, entry.actor, entry.changes["promise_hours"]) == ("created", cast["admin"].user, [24, 16])


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"day_ends": "07:00"}, "day_ends", "The working day must end after it starts."),
        ({"warn_before_hours": "20"}, "warn_before_hours", "Warn fewer hours before the deadline than the promise"),
        ({"promise_hours": "0"}, "promise_hours", "Ensure this value is greater than or equal to 1."),
        ({"timezone": "Mars/Olympus"}, "timezone", "Select a valid choice."),
    ],
)
def test_settings_errors_keep_what_was_typed(cast, client_for, workspace, change, field, message):
    response = client_for(cast["admin"]).post(SETTINGS, VALID | change)

    assert response.status_code == 200
    form = response.context["form"]
    assert message in " ".join(form.errors[field])
    page = response.content.decode()
    assert 'name="auto_close_days" value="5"' in page
    assert 'value="working_hours" required id="id_clock_0" checked' in page
    if field != "timezone":
        assert 'value="Europe/Stockholm" selected' in page
    assert not TicketSettings.objects.filter(workspace=workspace).exists()


def test_add_a_rule_for_a_named_trainer(cast, client_for, workspace, programme):
    data = {"category": Category.TECHNICAL, "programme": programme.uuid, "route_to": RouteTo.PERSON}
    response = client_for(cast["admin"]).post(ADD_RULE, data | {"person": cast["trainer"].uuid}, follow=True)

    rule = RoutingRule.objects.get(workspace=workspace)
    assert (rule.category, rule.programme, rule.route_to, rule.person) == (
        "technical",
        programme,
        "person",
        cast["trainer"],
    )
    assert "Routing rule added." in response.content.decode()
    assert AuditEntry.objects.filter(object_type="routingrule", action="created").count() == 1


@pytest.mark.parametrize(
    ("person", "message"),
    [
        (None, "Choose the person who answers these tickets."),
        ("participant", "Choose an admin, trainer or mentor of this workspace."),
        ("outsider", "Choose an admin, trainer or mentor of this workspace."),
    ],
)
def test_named_person_route_needs_a_responder_of_the_workspace(cast, client_for, workspace, person, message):
    data = {"category": Category.COMPLAINT, "route_to": RouteTo.PERSON}
    if person:
        data["person"] = cast[person].uuid
    response = client_for(cast["admin"]).post(ADD_RULE, data)

    assert response.status_code == 200
    assert message in " ".join(response.context["rule_form"].errors["person"])
    assert 'value="complaint" selected' in response.content.decode()
    assert not RoutingRule.objects.exists()


def test_a_second_rule_for_the_same_category_is_refused(cast, client_for, workspace):
    RoutingRule.objects.create(workspace=workspace, category=Category.SCHEDULE, route_to=RouteTo.ADMIN)
    response = client_for(cast["admin"]).post(ADD_RULE, {"category": Category.SCHEDULE, "route_to": RouteTo.TRAINER})

    assert "There is already a rule for this category in every programme" in response.content.decode()
    assert RoutingRule.objects.count() == 1


def test_edit_and_delete_a_rule(cast, client_for, workspace):
    rule = RoutingRule.objects.create(workspace=workspace, category=Category.SCHEDULE, route_to=RouteTo.ADMIN)
    client = client_for(cast["admin"])
    edit = reverse("tickets:routing_rule_edit", args=[rule.uuid])

    assert 'value="schedule" selected' in client.get(edit).content.decode()
    data = {"category": Category.SCHEDULE, "route_to": RouteTo.PERSON, "person": cast["mentor"].uuid}
    assert client.post(edit, data).status_code == 302
    rule.refresh_from_db()
    assert (rule.route_to, rule.person) == ("person", cast["mentor"])
    assert client.post(reverse("tickets:routing_rule_delete", args=[rule.uuid])).status_code == 302
    assert not RoutingRule.objects.exists()
    actions = list(AuditEntry.objects.filter(object_type="routingrule").values_list("action", flat=True))
    assert sorted(actions) == ["changed", "deleted"]


def test_rules_of_another_workspace_are_not_found(cast, client_for, other_workspace):
    rule = RoutingRule.objects.create(workspace=other_workspace, category=Category.SCHEDULE, route_to=RouteTo.ADMIN)
    client = client_for(cast["admin"])

    assert client.get(reverse("tickets:routing_rule_edit", args=[rule.uuid])).status_code == 404
    assert client.post(reverse("tickets:routing_rule_delete", args=[rule.uuid])).status_code == 404
    assert RoutingRule.objects.filter(pk=rule.pk).exists()


def test_trainer_cannot_change_or_delete_a_rule(cast, client_for, workspace):
    rule = RoutingRule.objects.create(workspace=workspace, category=Category.SCHEDULE, route_to=RouteTo.ADMIN)
    client = client_for(cast["trainer"])

    assert client.get(reverse("tickets:routing_rule_edit", args=[rule.uuid])).status_code == 403
    assert client.post(reverse("tickets:routing_rule_delete", args=[rule.uuid])).status_code == 403
