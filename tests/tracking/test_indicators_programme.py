"""``read_by(by="programme")``: a row per programme of the scope, the same numbers ``read`` gives
for the programme's own scope, in a fixed number of queries."""

import datetime

import pytest

from takeroot.programmes import services as programmes
from takeroot.programmes.enums import EnrolmentStatus
from takeroot.programmes.models import Enrolment
from takeroot.tracking.enums import Input, Origin
from takeroot.tracking.indicators import Period, Scope, indicators_for, read, read_by
from takeroot.tracking.recording import Fact, record
from tests.course_support import DAY, NOW
from tests.factories import PersonFactory, UserFactory

PERIOD = Period.last_weeks(2, today=NOW.date())
EARLIER = NOW - 21 * DAY  # in the previous period


def _fact(enrolment, input, value, *, at=NOW, module=None, cohort=None):
    return Fact(
        cohort_id=cohort.pk if cohort else enrolment.cohort_id,
        enrolment_id=enrolment.pk if enrolment else None,
        module_id=module.pk if module else None,
        input=input,
        value=value,
        occurred_at=at,
        origin=Origin.TAKEROOT,
    )


def _triples(readings):
    return [(r.value, r.previous, r.n) for r in readings]


@pytest.fixture
def indicators(workspace):
    return indicators_for(workspace)


@pytest.fixture
def other_programme(cast, team):
    """A second programme with one cohort and one participant of the team, and an empty third one."""
    admin = cast["admin"]
    programme = programmes.create_programme(
        workspace=admin.workspace, actor=admin.user, name="Leading meetings", format="classroom", currency="PLN"
    )
    programmes.save_module(programme=programme, actor=admin.user, title="Agendas", objectives=["Sends an agenda"])
    cohort = programmes.create_cohort(
        programme=programme,
        actor=admin.user,
        name="Warsaw winter",
        starts_on=datetime.date(2026, 9, 1),
        ends_on=datetime.date(2026, 12, 1),
    )
    person = PersonFactory(workspace=admin.workspace, user=UserFactory(email="ola@acme.test", name="Ola"), team=team)
    programmes.enrol_people(cohort=cohort, actor=admin.user, people=[person])
    Enrolment.objects.filter(cohort=cohort).update(status=EnrolmentStatus.ACTIVE)
    return programme


def _busy(workspace, programme, modules):
    facts = []
    for index, enrolment in enumerate(Enrolment.objects.filter(cohort__programme=programme).order_by("pk")):
        facts += [
            _fact(enrolment, Input.ATTENDANCE, index % 2),
            _fact(enrolment, Input.TIME_ONLINE, 30 + index, at=NOW - 7 * DAY),
            _fact(enrolment, Input.QUIZ_SCORE, 0.5 + index / 10, module=modules[index % len(modules)]),
            _fact(enrolment, Input.INTERACTION, 1, at=EARLIER),
            _fact(None, Input.USEFULNESS, 4 + index % 2, cohort=enrolment.cohort),
        ]
    record(workspace, facts)


def test_read_by_programme_gives_what_read_gives_for_each_programme(
    cast, workspace, indicators, cohort, programme, modules, other_programme
):
    _busy(workspace, programme, modules)
    _busy(workspace, other_programme, list(other_programme.modules.all()))
    empty = programmes.create_programme(
        workspace=workspace, actor=cast["admin"].user, name="Nobody yet", format="classroom", currency="PLN"
    )

    found = read_by(Scope.for_workspace(workspace), PERIOD, by="programme")

    assert set(found) == {programme.pk, other_programme.pk}  # the empty one has no cohort in scope
    for item in (programme, other_programme):
        assert _triples(found[item.pk]) == _triples(read(Scope.for_programme(item), PERIOD))
    assert empty.pk not in found


def test_read_by_programme_within_a_team_reads_the_teams_people(
    workspace, indicators, cohort, programme, modules, other_programme, team
):
    _busy(workspace, programme, modules)
    _busy(workspace, other_programme, list(other_programme.modules.all()))
    scope = Scope.for_team(team)

    found = read_by(scope, PERIOD, by="programme")

    for item in (programme, other_programme):
        cohort_ids = tuple(pk for pk in scope.cohort_ids if item.cohorts.filter(pk=pk).exists())
        narrowed = Scope(
            level=scope.level,
            label=item.name,
            cohort_ids=cohort_ids,
            enrolment_ids=scope.enrolment_ids,
            team_ids=scope.team_ids,
            workspace_id=scope.workspace_id,
        )
        assert _triples(found[item.pk]) == _triples(read(narrowed, PERIOD))


def test_read_by_programme_lists_a_programme_without_people_with_no_data(workspace, indicators, cohort, programme):
    Enrolment.objects.filter(cohort=cohort).update(status=EnrolmentStatus.WITHDRAWN)

    found = read_by(Scope.for_workspace(workspace), PERIOD, by="programme")

    assert list(found) == [programme.pk]
    assert {r.value for r in found[programme.pk]} == {None}


def test_read_by_programme_takes_the_same_queries_for_one_programme_as_for_two(
    workspace, indicators, cohort, programme, modules, other_programme, django_assert_num_queries
):
    _busy(workspace, programme, modules)
    one = Scope.for_programme(programme)
    with django_assert_num_queries(3):  # the sums, the people, the programmes of the cohorts
        read_by(one, PERIOD, by="programme", indicators=indicators)
    _busy(workspace, other_programme, list(other_programme.modules.all()))
    both = Scope.for_workspace(workspace)
    with django_assert_num_queries(3):
        read_by(both, PERIOD, by="programme", indicators=indicators)
