"""A cohort trained by the trainer with the participant (supervised by the manager) and the other
participant (no manager: no supervisor) enrolled; a second cohort with its own trainer; a manager
of someone else; a practice task; files of each accepted type and a few fakes."""

import datetime
import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from takeroot.practice import services
from takeroot.programmes import services as programmes
from takeroot.programmes.models import Enrolment
from tests.factories import PersonFactory, UserFactory

FUTURE = timezone.localdate() + datetime.timedelta(days=30)
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
JPG = b"\xff\xd8\xff\xe0" + b"\x00" * 32


def office(folder: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr(f"{folder}/document.xml", "<doc/>")
    return buffer.getvalue()


def upload(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content)


@pytest.fixture
def programme(cast):
    admin = cast["admin"]
    programme = programmes.create_programme(
        workspace=admin.workspace, actor=admin.user, name="Client communication", format="classroom", currency="PLN"
    )
    programmes.save_module(programme=programme, actor=admin.user, title="Key clients", objectives=["Listens first"])
    return programme


@pytest.fixture
def cohort(cast, programme):
    admin = cast["admin"]
    cohort = programmes.create_cohort(
        programme=programme,
        actor=admin.user,
        name="Gdańsk autumn",
        starts_on=datetime.date(2026, 9, 1),
        ends_on=datetime.date(2026, 12, 30),
        trainers=[cast["trainer"]],
        mentors=[cast["mentor"]],
    )
    programmes.enrol_people(cohort=cohort, actor=admin.user, people=[cast["participant"], cast["other_participant"]])
    return cohort


def _extra(workspace, email, name, **fields):
    return PersonFactory(workspace=workspace, user=UserFactory(email=email, name=name), **fields)


@pytest.fixture
def other_trainer(cast, programme):
    """A trainer of another cohort of the same workspace."""
    person = _extra(
        cast["admin"].workspace, "trainer2@acme.test", "Tina Trainer", is_trainer=True, is_participant=False
    )
    programmes.create_cohort(
        programme=programme,
        actor=None,
        name="Kraków winter",
        starts_on=datetime.date(2026, 12, 1),
        ends_on=datetime.date(2027, 1, 30),
        trainers=[person],
    )
    return person


@pytest.fixture
def other_manager(cast):
    """A line manager, but not the participant's."""
    boss = _extra(cast["admin"].workspace, "manager2@acme.test", "Mira Manager", is_manager=True, is_participant=False)
    _extra(cast["admin"].workspace, "report2@acme.test", "Rafał Report", manager=boss)
    return boss


@pytest.fixture
def people(cast, other_trainer, other_manager):
    return cast | {"other_trainer": other_trainer, "other_manager": other_manager}


@pytest.fixture
def enrolment(cohort, cast):
    return Enrolment.objects.get(cohort=cohort, person=cast["participant"])


@pytest.fixture
def other_enrolment(cohort, cast):
    return Enrolment.objects.get(cohort=cohort, person=cast["other_participant"])


@pytest.fixture
def task(cohort, cast):
    return services.create_task(
        cohort=cohort,
        actor=cast["trainer"].user,
        created_by=cast["trainer"],
        title="Use the new technique with 3 key clients",
        instructions="Then submit a short report.",
        due_on=FUTURE,
    )


@pytest.fixture
def assignment(task, enrolment, cast):
    (found,) = services.assign_task(task=task, actor=None, assigned_by=cast["trainer"], enrolments=[enrolment])
    return found


@pytest.fixture
def other_assignment(task, other_enrolment, cast):
    (found,) = services.assign_task(task=task, actor=None, assigned_by=cast["trainer"], enrolments=[other_enrolment])
    return found


@pytest.fixture
def submitted(assignment, cast):
    services.submit_report(
        assignment=assignment,
        actor=None,
        author=cast["participant"],
        text="Tried it with three clients.",
        files=[upload("notes.pdf", PDF)],
    )
    return assignment
