"""The catalogue pages: who may see and change them, the editable table, the detail page."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from takeroot.catalogue import services
from takeroot.catalogue.models import Initiative
from takeroot.core.models import AuditEntry


@pytest.fixture
def initiative(cast):
    return services.create_initiative(
        workspace=cast["admin"].workspace,
        actor=cast["admin"].user,
        title="DevOps Days Stockholm",
        kind="conference",
        starts_on=datetime.date(2025, 5, 12),
        cost=Decimal("9800"),
        currency="SEK",
    )


def _table_post(initiative, rows):
    """The table form as a browser would send it: the existing row, then the new ones."""
    data = {
        "form-TOTAL_FORMS": str(1 + len(rows)),
        "form-INITIAL_FORMS": "1",
        "form-MIN_NUM_FORMS": "0",
        "form-MAX_NUM_FORMS": "1000",
        "form-0-id": str(initiative.pk),
        "form-0-title": initiative.title,
        "form-0-kind": initiative.kind,
        "form-0-starts_on": "2025-05-12",
        "form-0-ends_on": "",
        "form-0-head_count": "",
        "form-0-cost": "9800.00",
        "form-0-currency": "SEK",
        "form-0-provider": "",
    }
    for index, row in enumerate(rows, start=1):
        data.update({f"form-{index}-{key}": value for key, value in row.items()})
    return data


@pytest.mark.parametrize(
    ("role", "table", "detail"),
    [
        ("admin", 200, 200),
        ("trainer", 200, 200),
        ("mentor", 403, 403),
        ("manager", 403, 403),
        ("participant", 403, 403),
    ],
)
def test_catalogue_pages_answer_by_role(client, cast, initiative, role, table, detail):
    client.force_login(cast[role].user)
    assert client.get(reverse("catalogue:catalogue")).status_code == table
    assert client.get(reverse("catalogue:initiative_edit", args=[initiative.uuid])).status_code == detail


def test_initiative_of_another_workspace_is_404(client_for, cast, initiative):
    response = client_for(cast["outsider"]).get(reverse("catalogue:initiative_edit", args=[initiative.uuid]))
    assert response.status_code == 404


def test_trainer_reads_the_catalogue_but_cannot_change_it(client_for, cast, initiative):
    client = client_for(cast["trainer"])
    assert "DevOps Days Stockholm" in client.get(reverse("catalogue:catalogue")).content.decode()
    response = client.post(reverse("catalogue:initiative_edit", args=[initiative.uuid]), {"title": "Renamed"})
    assert response.status_code == 403
    assert client.post(reverse("catalogue:catalogue"), _table_post(initiative, [])).status_code == 200
    assert Initiative.objects.get().title == "DevOps Days Stockholm"


def test_table_adds_new_rows_and_changes_existing_ones_at_once(client_for, cast, initiative):
    data = _table_post(
        initiative,
        [
            {
                "title": "Book circle: Atomic Habits",
                "kind": "book_circle",
                "starts_on": "2025-09-01",
                "head_count": "8",
                "currency": "EUR",
            },
            {"title": "", "kind": "workshop", "currency": "EUR"},  # an untouched empty row
        ],
    )
    data["form-0-cost"] = "10400"
    response = client_for(cast["admin"]).post(reverse("catalogue:catalogue"), data)
    assert response.status_code == 302
    assert sorted(Initiative.objects.values_list("title", "cost")) == [
        ("Book circle: Atomic Habits", None),
        ("DevOps Days Stockholm", Decimal("10400.00")),
    ]
    change = AuditEntry.objects.get(action="changed", object_type="initiative")
    assert change.changes == {"cost": ["9800.00", "10400"]}


def test_table_with_a_bad_row_saves_nothing_and_keeps_the_input(client_for, cast, initiative):
    data = _table_post(
        initiative,
        [
            {
                "title": "Study trip Göteborg",
                "kind": "study_trip",
                "starts_on": "2025-10-10",
                "ends_on": "2025-10-01",
                "currency": "SEK",
            },
        ],
    )
    data["form-0-title"] = "DevOps Days Stockholm 2025"
    response = client_for(cast["admin"]).post(reverse("catalogue:catalogue"), data)
    content = response.content.decode()
    assert response.status_code == 200
    assert "An initiative must end on or after the day it starts." in content
    assert 'value="Study trip Göteborg"' in content
    assert list(Initiative.objects.values_list("title", flat=True)) == ["DevOps Days Stockholm"]


def test_linked_initiative_takes_dates_people_and_cost_from_the_programme(client_for, cast, initiative):
    from takeroot.programmes import services as programmes

    admin = cast["admin"]
    programme = programmes.create_programme(
        workspace=admin.workspace,
        actor=admin.user,
        name="Customer talks",
        price_per_participant=Decimal("1000"),
        fixed_costs=Decimal("500"),
        currency="PLN",
    )
    cohort = programmes.create_cohort(
        programme=programme,
        actor=admin.user,
        name="Spring",
        starts_on=datetime.date(2026, 3, 2),
        ends_on=datetime.date(2026, 4, 24),
    )
    programmes.enrol_people(cohort=cohort, actor=admin.user, people=[cast["participant"], cast["other_participant"]])
    services.update_initiative(initiative=initiative, actor=admin.user, programme=programme)
    content = client_for(cast["trainer"]).get(reverse("catalogue:catalogue")).content.decode()
    assert "2,500.00 PLN" in content and "03/02/2026" in content
