"""The fixed cast: one workspace with a person per role, and an outsider in another workspace."""

import pytest
from django.conf import settings
from django.utils import translation
from django_scopes import scopes_disabled

from .course_support import cohort, enrolment, modules, other_enrolment, programme  # noqa: F401 (fixtures too)
from .factories import PersonFactory, TeamFactory, UserFactory, WorkspaceFactory
from .smtp_support import smtp_sink  # noqa: F401 (a fixture for every test package)

PASSWORD = "correct horse battery"


@pytest.fixture(autouse=True)
def _no_scope_in_test_bodies():
    # Test code reads and writes across workspaces freely; requests still run inside the
    # workspace scope that the middleware enters.
    with scopes_disabled():
        yield


@pytest.fixture(autouse=True)
def _default_language():
    # A request leaves its language active in the thread after the response; each test starts in
    # the default language whatever the test before it asked for.
    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture
def workspace(db):
    return WorkspaceFactory(name="Acme Polska", slug="acme")


@pytest.fixture
def other_workspace(db):
    return WorkspaceFactory(name="Globex Sverige", slug="globex")


@pytest.fixture
def team(workspace):
    return TeamFactory(workspace=workspace, name="Sales")


def _person(workspace, email, name, **roles):
    defaults = {"is_participant": False}
    defaults.update(roles)
    return PersonFactory(workspace=workspace, user=UserFactory(email=email, name=name), **defaults)


@pytest.fixture
def admin(workspace):
    return _person(workspace, "admin@acme.test", "Anna Admin", is_admin=True)


@pytest.fixture
def trainer(workspace):
    return _person(workspace, "trainer@acme.test", "Tomasz Trainer", is_trainer=True)


@pytest.fixture
def mentor(workspace):
    return _person(workspace, "mentor@acme.test", "Maja Mentor", is_mentor=True)


@pytest.fixture
def manager(workspace, team):
    person = _person(workspace, "manager@acme.test", "Magnus Manager", is_manager=True)
    person.team = team
    person.save()
    return person


@pytest.fixture
def participant(workspace, manager, team):
    person = _person(workspace, "participant@acme.test", "Pia Participant", is_participant=True)
    person.manager, person.team = manager, team
    person.save()
    return person


@pytest.fixture
def other_participant(workspace, team):
    person = _person(workspace, "other@acme.test", "Olek Other", is_participant=True)
    person.team = team
    person.save()
    return person


@pytest.fixture
def outsider(other_workspace):
    return _person(other_workspace, "outsider@globex.test", "Oskar Outsider", is_admin=True, is_participant=True)


@pytest.fixture
def cast(admin, trainer, mentor, manager, participant, other_participant, outsider):
    return {
        "admin": admin,
        "trainer": trainer,
        "mentor": mentor,
        "manager": manager,
        "participant": participant,
        "other_participant": other_participant,
        "outsider": outsider,
    }


@pytest.fixture
def client_for(client):
    """A test client signed in as the given person."""

    def login(person):
        client.force_login(person.user)
        return client

    return login
