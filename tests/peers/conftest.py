"""Two cohorts: "Gdańsk autumn" trained by the trainer, mentored by the mentor, with the
participant, the other participant and Bea Buddy enrolled; the participant and Bea form a pair
(the other participant is in no group). "Kraków spring" has Sam Stranger. The Sales team
(manager, participant, other participant) and the Ops team (Bea)."""

import datetime

import pytest

from takeroot.core.services import create_api_key
from takeroot.peers import services
from takeroot.programmes import services as programmes

from ..factories import PersonFactory, TeamFactory, UserFactory


@pytest.fixture
def ops(workspace):
    return TeamFactory(workspace=workspace, name="Ops")


@pytest.fixture
def buddy(workspace, ops):
    return PersonFactory(workspace=workspace, user=UserFactory(email="bea@acme.test", name="Bea Buddy"), team=ops)


@pytest.fixture
def stranger(workspace, ops):
    return PersonFactory(workspace=workspace, user=UserFactory(email="sam@acme.test", name="Sam Stranger"), team=ops)


@pytest.fixture
def programme(cast):
    admin = cast["admin"]
    return programmes.create_programme(
        workspace=admin.workspace, actor=admin.user, name="Feedback that works", format="classroom", currency="PLN"
    )


def _cohort(programme, admin, name, trainers=(), mentors=()):
    return programmes.create_cohort(
        programme=programme,
        actor=admin.user,
        name=name,
        starts_on=datetime.date(2026, 9, 1),
        ends_on=datetime.date(2026, 12, 30),
        trainers=list(trainers),
        mentors=list(mentors),
    )


@pytest.fixture
def cohort(cast, programme, buddy):
    cohort = _cohort(programme, cast["admin"], "Gdańsk autumn", [cast["trainer"]], [cast["mentor"]])
    programmes.enrol_people(cohort=cohort, actor=None, people=[cast["participant"], cast["other_participant"], buddy])
    return cohort


@pytest.fixture
def other_cohort(cast, programme, stranger):
    cohort = _cohort(programme, cast["admin"], "Kraków spring")
    programmes.enrol_people(cohort=cohort, actor=None, people=[stranger])
    return cohort


@pytest.fixture
def group(cohort, cast, buddy):
    return services.create_group(cohort=cohort, actor=None, name="Pair 1", members=[cast["participant"], buddy])


@pytest.fixture
def community_thread(cohort, cast):
    return services.start_thread(
        author=cast["participant"], actor=None, cohort=cohort, title="First week", text="What did you try?"
    )


@pytest.fixture
def group_thread(group, buddy):
    return services.start_thread(author=buddy, actor=None, group=group, title="Our call", text="Thursday at 15?")


@pytest.fixture
def ambassador(team, cast):
    return services.name_ambassador(team=team, person=cast["other_participant"], actor=None, named_by=cast["manager"])


@pytest.fixture
def insight(ambassador, team, cast):
    return services.start_thread(
        author=cast["other_participant"], actor=None, team=team, title="Three ideas", text="Smaller batches."
    )


@pytest.fixture
def everyone(cast, stranger, buddy):
    return cast | {"stranger": stranger, "buddy": buddy}


@pytest.fixture
def api_key(cast):
    def make(*scopes, workspace=None):
        _key, secret = create_api_key(
            workspace=workspace or cast["admin"].workspace, actor=cast["admin"].user, name="Key", scopes=list(scopes)
        )
        return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}

    return make
