import random
from datetime import date, time
from zoneinfo import ZoneInfo

import pytest
from django.db import transaction
from django_scopes import scopes_disabled

from takeroot.core import demo as core_demo
from takeroot.core.demo import DEMO_LOGINS, build_demo
from takeroot.core.models import AuditEntry, Person, Workspace
from takeroot.core.scope import workspace_scope
from takeroot.programmes.demo import CITY_TIMEZONES, build_programmes_demo
from takeroot.programmes.enums import EnrolmentStatus, ProgrammeFormat
from takeroot.programmes.models import (
    Cohort,
    CohortGoal,
    Enrolment,
    LearningObjective,
    MidpointReview,
    Module,
    Programme,
    ProgrammeGoal,
    ReviewAnswer,
    Session,
)

TODAY = date(2026, 11, 26)
LOGINS = dict(DEMO_LOGINS)
EXTENSIONS = core_demo.DEMO_EXTENSIONS  # as the apps registered them


def _build_programmes(seed=1):
    counts = {}
    for workspace in Workspace.objects.order_by("slug"):
        with workspace_scope(workspace):
            counts[workspace.slug] = build_programmes_demo(workspace, rng=random.Random(seed), today=TODAY)
    return counts


@pytest.fixture(scope="module")
def built(django_db_setup, django_db_blocker):
    """The demo, built once for the module's tests on a fixed day and rolled back after them.
    ``build_demo`` runs without our part (if it is wired in), which the fixture calls itself."""
    with pytest.MonkeyPatch.context() as patch:
        others = [extend for extend in EXTENSIONS if extend is not build_programmes_demo]
        patch.setattr(core_demo, "DEMO_EXTENSIONS", others)
        with django_db_blocker.unblock(), scopes_disabled(), transaction.atomic():
            build_demo()
            yield _build_programmes()
            transaction.set_rollback(True)


@pytest.fixture
def demo(built, db):
    return built


def _when(cohort):
    if cohort.ends_on < TODAY:
        return "past"
    return "upcoming" if cohort.starts_on > TODAY else "running"


def _login(role, slug="nordwind"):
    return Person.objects.get(workspace__slug=slug, user__email=LOGINS[role])


def _snapshot():
    return sorted(
        (
            e.cohort.programme.name,
            e.cohort.name,
            str(e.cohort.starts_on),
            e.person.user.email,
            e.status,
            e.mentor.user.email if e.mentor else "",
        )
        for e in Enrolment.objects.select_related("cohort__programme", "person__user", "mentor__user")
    )


def test_counts_match_what_was_built(demo):
    assert demo["fjallbacka"] == {
        "programmes": 1,
        "modules": 3,
        "goals": 2,
        "cohorts": 1,
        "sessions": 5,
        "enrolments": Enrolment.objects.filter(workspace__slug="fjallbacka").count(),
        "cohort_goals": 3,
        "review_answers": ReviewAnswer.objects.filter(workspace__slug="fjallbacka").count(),
    }
    models = {
        "programmes": Programme,
        "modules": Module,
        "goals": ProgrammeGoal,
        "cohorts": Cohort,
        "sessions": Session,
        "enrolments": Enrolment,
        "cohort_goals": CohortGoal,
        "review_answers": ReviewAnswer,
    }
    assert demo["nordwind"] == {
        key: model.objects.filter(workspace__slug="nordwind").count() for key, model in models.items()
    }


def test_nordwind_programmes_have_formats_modules_goals_and_costs(demo):
    programmes = list(Programme.objects.filter(workspace__slug="nordwind").prefetch_related("modules", "goals"))

    assert 5 <= len(programmes) <= 6
    assert len({p.format for p in programmes}) >= 4
    assert ProgrammeFormat.MENTOR_LED in {p.format for p in programmes}
    assert {p.currency for p in programmes} <= {"PLN", "SEK", "EUR"}
    for programme in programmes:
        assert 3 <= programme.modules.count() <= 5, programme
        assert 2 <= programme.goals.count() <= 3, programme
        assert programme.participant_hours > 0 and programme.description
        assert programme.price_per_participant > 0 or programme.trainer_hourly_rate > 0
        for module in programme.modules.all():
            assert 2 <= module.objectives.count() <= 4, module
        assert 1 <= programme.cohorts.count() <= 3
    devops = Programme.objects.get(name="DevOps release practices")
    assert "15 %" in devops.goals.first().text
    assert LearningObjective.objects.filter(workspace__slug="nordwind").count() >= 5 * 3 * 2


def test_cohorts_run_in_the_past_now_and_later(demo):
    cohorts = list(Cohort.objects.filter(workspace__slug="nordwind"))
    assert {_when(c) for c in cohorts} == {"past", "running", "upcoming"}
    for cohort in cohorts:
        if _when(cohort) == "past":
            assert (TODAY - cohort.ends_on).days > 60, cohort
        if _when(cohort) == "running":
            assert abs((cohort.midpoint - TODAY).days) <= 7, cohort
        assert 8 <= cohort.enrolments.count() <= 20, cohort
        assert cohort.trainers.exists(), cohort

    fjallbacka = Cohort.objects.get(workspace__slug="fjallbacka")
    assert fjallbacka.programme.name == "Arbetsmiljö och säkerhet på bygget"
    assert fjallbacka.programme.format == ProgrammeFormat.CLASSROOM
    assert _when(fjallbacka) == "running"


def test_every_cohort_has_weekday_daytime_sessions_within_its_dates(demo):
    for cohort in Cohort.objects.prefetch_related("sessions"):
        sessions = list(cohort.sessions.all())
        assert 2 <= len(sessions) <= 6, cohort
        for session in sessions:
            assert session.ends_at > session.starts_at
            assert cohort.starts_on <= session.starts_at.date() <= cohort.ends_on, session
            assert session.place or session.online_link, session
        trainer = (list(cohort.trainers.all()) or list(cohort.mentors.all()))[0]
        for session in sessions:
            # In the time zone of the room, or of the trainer when online: a weekday, during the day.
            zone = CITY_TIMEZONES[session.place.split(",")[0]] if session.place else trainer.user.timezone
            starts, ends = session.starts_at.astimezone(ZoneInfo(zone)), session.ends_at.astimezone(ZoneInfo(zone))
            assert starts.weekday() < 5, session
            assert time(7) <= starts.time() and ends.time() <= time(18), session


def test_demo_participant_has_a_running_and_a_past_enrolment(demo):
    participant, manager = _login("participant"), _login("manager")

    enrolments = list(Enrolment.objects.filter(person=participant).select_related("cohort"))

    by_when = {_when(e.cohort): e for e in enrolments}
    assert set(by_when) == {"past", "running"}
    assert by_when["running"].status == EnrolmentStatus.ACTIVE
    assert by_when["past"].status == EnrolmentStatus.COMPLETED
    assert {e.manager for e in enrolments} == {manager}
    assert by_when["running"].accommodation_notes
    # Goals the participant proposed, and the running review is left for the login to answer.
    assert CohortGoal.objects.filter(proposed_by=participant).count() == 2
    assert not ReviewAnswer.objects.filter(person=participant, review__cohort=by_when["running"].cohort).exists()


def test_trainer_and_mentor_logins_have_cohorts(demo):
    trained = list(Cohort.objects.filter(trainers=_login("trainer")))
    mentored = list(Cohort.objects.filter(mentors__user__email=LOGINS["mentor"]).select_related("programme"))

    assert len(trained) >= 2
    assert "running" in {_when(c) for c in trained}
    running_mentor_led = [
        c for c in mentored if c.programme.format == ProgrammeFormat.MENTOR_LED and _when(c) == "running"
    ]
    assert running_mentor_led
    assert Enrolment.objects.filter(cohort=running_mentor_led[0], mentor__user__email=LOGINS["mentor"]).exists()
    assert {c.workspace.slug for c in mentored} == {"nordwind", "fjallbacka"}


def test_statuses_match_the_dates(demo):
    statuses = {"past": set(), "running": set(), "upcoming": set()}
    for enrolment in Enrolment.objects.select_related("cohort"):
        statuses[_when(enrolment.cohort)].add(enrolment.status)

    assert statuses == {
        "past": {EnrolmentStatus.COMPLETED, EnrolmentStatus.WITHDRAWN},
        "running": {EnrolmentStatus.ACTIVE},
        "upcoming": {EnrolmentStatus.INVITED},
    }
    assert Enrolment.objects.filter(status=EnrolmentStatus.WITHDRAWN).count() >= 2


def test_started_cohorts_have_agreed_goals_and_a_midpoint_review(demo):
    for cohort in Cohort.objects.prefetch_related("goals__confirmed_by", "trainers"):
        when = _when(cohort)
        review = MidpointReview.objects.filter(cohort=cohort).first()
        if when == "upcoming":
            assert not cohort.goals.exists() and review is None
            continue
        goals = list(cohort.goals.all())
        assert len(goals) >= 3
        assert all(goal.confirmed_by.count() >= 2 for goal in goals)
        enrolled = set(cohort.enrolments.values_list("person_id", flat=True))
        managers = set(cohort.enrolments.values_list("manager_id", flat=True))
        proposers = {goal.proposed_by_id for goal in goals}
        assert proposers & enrolled and proposers & managers
        answers = list(review.answers.all())
        assert sum(not a.as_manager for a in answers) >= 3 and any(a.as_manager for a in answers)
        assert all(a.person_id in enrolled for a in answers if not a.as_manager)
        assert all(a.person_id in managers for a in answers if a.as_manager)
        assert bool(review.decision) == (when == "past"), cohort
        if when == "past":
            assert review.decided_by in set(cohort.trainers.all())


def test_accommodations_are_carried_over_and_added(demo):
    with_needs = Enrolment.objects.filter(workspace__slug="nordwind").exclude(accommodation_notes="")

    assert with_needs.filter(needs_sign_language=True).exists()  # copied from the person's profile
    assert with_needs.count() >= 4
    assert AuditEntry.objects.filter(
        object_type="enrolment", action="changed", changes__has_key="accommodation_notes"
    ).exists()


def test_build_is_repeatable(demo):
    before = _snapshot()

    build_demo(reset=True)
    _build_programmes()

    assert _snapshot() == before


def test_build_demo_adds_the_programmes_when_wired(db, monkeypatch):
    if build_programmes_demo not in EXTENSIONS:
        pytest.skip("build_programmes_demo is not registered with core's demo yet")
    monkeypatch.setattr(core_demo, "DEMO_EXTENSIONS", EXTENSIONS)

    build_demo(reset=True)  # the module's demo may be there already

    assert Programme.objects.filter(workspace__slug="nordwind").count() == 6
    assert Programme.objects.filter(workspace__slug="fjallbacka").count() == 1


def test_other_workspaces_get_no_programmes(workspace):
    with workspace_scope(workspace):
        counts = build_programmes_demo(workspace, rng=random.Random(1), today=TODAY)

    assert set(counts.values()) == {0}
    assert not Programme.objects.filter(workspace=workspace).exists()
