"""The demo follow-up: each demo programme with cohorts runs the default design; past touchpoints
went out (most sent, some opened or done, a couple failed and skipped with reasons), future ones
are scheduled; finished cohorts had a follow-up session. What the demo people see of it."""

import random
from datetime import date

import pytest

from takeroot.core.demo import LOGIN_EMAILS
from takeroot.core.models import OutgoingMail, Person
from takeroot.followup.demo import build_followup_demo
from takeroot.followup.enums import TouchpointState
from takeroot.followup.models import Design, FollowUpSession, Touchpoint
from takeroot.programmes.models import Cohort, Programme
from tests.demo_support import demo_below, in_each_workspace

TODAY = date.today()


@pytest.fixture(scope="module")
def built(django_db_setup, django_db_blocker):
    def followup(workspace):
        return build_followup_demo(workspace, rng=random.Random(1), today=TODAY)

    with demo_below(django_db_blocker, apps=["programmes", "catalogue"]):
        yield in_each_workspace(followup)


@pytest.fixture
def demo(built, db):
    return built


def _login(client, role):
    person = Person.objects.filter(user__email=LOGIN_EMAILS[role], workspace__slug="nordwind").first()
    client.force_login(person.user)
    session = client.session
    session["takeroot_workspace"] = person.workspace_id
    session.save()
    return person


def test_every_programme_with_cohorts_has_a_design(demo):
    with_cohorts = Programme.objects.filter(cohorts__isnull=False).distinct()
    assert set(Design.objects.values_list("programme", flat=True)) == set(with_cohorts.values_list("pk", flat=True))
    assert demo["nordwind"]["designs"] == Design.objects.filter(workspace__slug="nordwind").count() > 0


def test_past_touchpoints_went_out_and_future_ones_wait(demo):
    states = set(Touchpoint.objects.values_list("state", flat=True))
    assert {"scheduled", "sent", "opened", "done", "failed", "skipped"} <= states
    nordwind = demo["nordwind"]
    assert nordwind["failed"] == 2 and nordwind["skipped"] == 2 and nordwind["delivered"] > 10
    assert Touchpoint.objects.filter(state="sent").count() > Touchpoint.objects.filter(state="failed").count()
    assert not Touchpoint.objects.filter(state="failed", reason="").exists()
    assert not Touchpoint.objects.filter(state="skipped", reason="").exists()
    assert not OutgoingMail.objects.exists()


def test_finished_cohorts_had_a_follow_up_session(demo):
    finished = Cohort.objects.filter(ends_on__lt=TODAY)
    assert set(FollowUpSession.objects.values_list("cohort", flat=True)) == set(finished.values_list("pk", flat=True))


def test_demo_trainer_sees_a_cohort_follow_up(demo, client):
    trainer = _login(client, "trainer")
    cohort = (
        Cohort.objects.filter(trainers=trainer, enrolments__touchpoints__state=TouchpointState.SENT)
        .distinct()
        .order_by("pk")
        .first()
    )
    response = client.get(f"/cohorts/{cohort.uuid}/follow-up/")
    assert response.status_code == 200
    assert response.context["stats"].counts["sent"] > 0
    assert len(response.context["timeline"]) >= 5


def test_demo_participant_sees_their_follow_up(demo, client):
    _login(client, "participant")
    response = client.get("/follow-up/")
    assert response.status_code == 200
    past, upcoming = response.context["past"], response.context["upcoming"]
    assert past or upcoming
    assert all(t.state in ("scheduled", "sending") for t in upcoming)
