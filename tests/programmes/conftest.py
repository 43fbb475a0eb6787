import datetime
from zoneinfo import ZoneInfo

import pytest

from takeroot.programmes import services

WARSAW = ZoneInfo("Europe/Warsaw")


@pytest.fixture
def programme(cast):
    admin = cast["admin"]
    programme = services.create_programme(
        workspace=admin.workspace, actor=admin.user, name="Customer conversations", format="classroom", currency="PLN"
    )
    services.save_module(
        programme=programme,
        actor=admin.user,
        title="Opening the call",
        objectives=["Opens with the customer's goal", "Summarises in one sentence"],
    )
    services.save_programme_goal(programme=programme, actor=admin.user, text="Customer satisfaction 4.1 → 4.4")
    return programme


@pytest.fixture
def cohort(cast, programme):
    """A cohort trained by the trainer, mentored by the mentor, with the participant enrolled."""
    admin = cast["admin"]
    cohort = services.create_cohort(
        programme=programme,
        actor=admin.user,
        name="Kraków spring",
        starts_on=datetime.date(2026, 3, 2),
        ends_on=datetime.date(2026, 4, 24),
        trainers=[cast["trainer"]],
        mentors=[cast["mentor"]],
    )
    services.save_session(
        cohort=cohort,
        actor=admin.user,
        title="Day one",
        starts_at=datetime.datetime(2026, 3, 2, 9, tzinfo=WARSAW),
        ends_at=datetime.datetime(2026, 3, 2, 16, tzinfo=WARSAW),
        place="Kraków, sala Wisła",
    )
    services.enrol_people(cohort=cohort, actor=admin.user, people=[cast["participant"]])
    return cohort
