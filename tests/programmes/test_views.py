"""Programme and cohort pages: the role matrix and what people notice when they use them."""

import datetime
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from takeroot.programmes import services
from takeroot.programmes.models import CohortGoal, Enrolment, Programme, ReviewAnswer, Session

WARSAW = ZoneInfo("Europe/Warsaw")
DESIGNERS = {"admin", "trainer"}
ROLES = ["admin", "trainer", "mentor", "manager", "participant", "other_participant"]


def _pages(programme, cohort):
    p, c = programme.uuid, cohort.uuid
    return {
        "programme_list": (reverse("programmes:programme_list"), DESIGNERS),
        "programme_create": (reverse("programmes:programme_create"), DESIGNERS),
        "programme_detail": (reverse("programmes:programme_detail", args=[p]), DESIGNERS),
        "programme_edit": (reverse("programmes:programme_edit", args=[p]), DESIGNERS),
        "programme_copy": (reverse("programmes:programme_copy", args=[p]), DESIGNERS),
        "module_create": (reverse("programmes:module_create", args=[p]), DESIGNERS),
        "goal_create": (reverse("programmes:goal_create", args=[p]), DESIGNERS),
        "cohort_create": (reverse("programmes:cohort_create", args=[p]), DESIGNERS),
        # the mentor mentors the cohort, the participant is enrolled, the manager manages them
        "cohort_detail": (reverse("programmes:cohort_detail", args=[c]), set(ROLES) - {"other_participant"}),
        "cohort_edit": (reverse("programmes:cohort_edit", args=[c]), DESIGNERS),
        "cohort_copy": (reverse("programmes:cohort_copy", args=[c]), DESIGNERS),
        "session_create": (reverse("programmes:session_create", args=[c]), DESIGNERS),
        "my_programmes": (reverse("programmes:my_programmes"), set(ROLES)),
        "team_training": (reverse("programmes:team_training"), {"admin", "trainer", "manager"}),
    }


@pytest.mark.parametrize("role", ROLES)
def test_pages_answer_by_role(client, cast, programme, cohort, role):
    client.force_login(cast[role].user)
    answers = {name: client.get(url).status_code for name, (url, _allowed) in _pages(programme, cohort).items()}
    assert answers == {
        name: 200 if role in allowed else 403 for name, (_url, allowed) in _pages(programme, cohort).items()
    }


def test_pages_of_another_workspace_answer_404(client, cast, programme, cohort):
    client.force_login(cast["outsider"].user)  # an admin of another workspace
    answers = {
        name: client.get(url).status_code
        for name, (url, allowed) in _pages(programme, cohort).items()
        if name not in {"programme_list", "programme_create", "my_programmes", "team_training"}
    }
    assert set(answers.values()) == {404}


def test_programme_form_keeps_what_was_typed_on_error(client_for, cast):
    response = client_for(cast["trainer"]).post(
        reverse("programmes:programme_create"),
        {
            "name": "Leading remote teams",
            "format": "live_online",
            "currency": "zloty",
            "price_per_participant": "1200",
            "trainer_hourly_rate": "0",
            "trainer_hours": "0",
            "mentor_hourly_rate": "0",
            "mentor_hours": "0",
            "fixed_costs": "0",
            "participant_hours": "0",
        },
    )
    assert response.status_code == 200
    assert 'value="Leading remote teams"' in response.content.decode()
    assert not Programme.objects.filter(name="Leading remote teams").exists()


def test_module_objectives_are_one_per_line_and_keep_their_identity(client_for, cast, programme):
    module = programme.modules.get()
    first = module.objectives.get(position=0)
    client_for(cast["trainer"]).post(
        reverse("programmes:module_edit", args=[programme.uuid, module.uuid]),
        {
            "title": "Opening the call",
            "objectives": "Opens with the customer's own goal\n\nAsks one open question",
        },
    )
    assert list(module.objectives.values_list("text", flat=True)) == [
        "Opens with the customer's own goal",
        "Asks one open question",
    ]
    assert module.objectives.get(position=0).pk == first.pk


def test_copying_a_programme_copies_its_design_but_not_its_cohorts(client_for, cast, programme, cohort):
    response = client_for(cast["trainer"]).post(
        reverse("programmes:programme_copy", args=[programme.uuid]), {"name": "Customer conversations 2027"}
    )
    copy = Programme.objects.get(name="Customer conversations 2027")
    assert response["Location"] == reverse("programmes:programme_detail", args=[copy.uuid])
    assert ([m.title for m in copy.modules.all()], copy.goals.count(), copy.cohorts.count()) == (
        ["Opening the call"],
        1,
        0,
    )
    assert copy.modules.get().objectives.count() == 2


def test_copying_a_cohort_moves_its_sessions_to_the_new_dates(client_for, cast, cohort):
    client_for(cast["trainer"]).post(
        reverse("programmes:cohort_copy", args=[cohort.uuid]), {"name": "Kraków autumn", "starts_on": "2026-09-07"}
    )
    copy = cohort.programme.cohorts.get(name="Kraków autumn")
    session = copy.sessions.get()
    assert (copy.ends_on, session.starts_at.date(), copy.enrolments.count()) == (
        datetime.date(2026, 10, 30),
        datetime.date(2026, 9, 7),
        0,
    )


def test_enrolling_a_team_enrols_everyone_in_it_once(client_for, cast, cohort):
    client = client_for(cast["trainer"])
    client.post(reverse("programmes:enrol", args=[cohort.uuid]), {"team": cast["participant"].team.pk})
    client.post(reverse("programmes:enrol", args=[cohort.uuid]), {"team": cast["participant"].team.pk})
    enrolled = sorted(cohort.enrolments.values_list("person__user__name", flat=True))
    assert enrolled == ["Magnus Manager", "Olek Other", "Pia Participant"]


def test_enrolment_records_the_manager_and_the_stated_needs(cast, cohort):
    user = cast["other_participant"].user
    user.needs_captions = True
    user.save()
    cast["other_participant"].manager = cast["manager"]
    cast["other_participant"].save()
    [enrolment] = services.enrol_people(cohort=cohort, actor=cast["admin"].user, people=[cast["other_participant"]])
    assert (enrolment.manager, enrolment.status, enrolment.accommodations) == (cast["manager"], "invited", ["captions"])


def test_accommodations_are_shown_to_the_trainer_and_mentor_but_not_the_manager(client, cast, cohort):
    Enrolment.objects.filter(cohort=cohort).update(accommodation_notes="Needs a quiet room")
    seen = {}
    for role in ("trainer", "mentor", "manager", "participant"):
        client.force_login(cast[role].user)
        seen[role] = (
            "Needs a quiet room" in client.get(reverse("programmes:cohort_detail", args=[cohort.uuid])).content.decode()
        )
    assert seen == {"trainer": True, "mentor": True, "manager": False, "participant": False}


def test_participant_adjusts_their_own_accommodations_only(client_for, cast, cohort):
    enrolment = cohort.enrolments.get()
    client = client_for(cast["participant"])
    response = client.post(
        reverse("programmes:enrolment_edit", args=[cohort.uuid, enrolment.uuid]),
        {"needs_extra_time": "on", "accommodation_notes": "Large print handouts"},
    )
    enrolment.refresh_from_db()
    assert (response.status_code, enrolment.needs_extra_time, enrolment.status) == (302, True, "invited")
    other = services.enrol_people(cohort=cohort, actor=cast["admin"].user, people=[cast["other_participant"]])[0]
    assert client.post(reverse("programmes:enrolment_edit", args=[cohort.uuid, other.uuid]), {}).status_code == 403


def test_trainer_changes_an_enrolment_status_with_its_date(client_for, cast, cohort):
    enrolment = cohort.enrolments.get()
    client_for(cast["trainer"]).post(
        reverse("programmes:enrolment_edit", args=[cohort.uuid, enrolment.uuid]), {"status": "withdrawn"}
    )
    enrolment.refresh_from_db()
    assert (enrolment.status, enrolment.withdrawn_at is not None) == ("withdrawn", True)


def test_goals_are_proposed_and_confirmed_by_participants_managers_and_trainers(client, cast, cohort):
    client.force_login(cast["participant"].user)
    client.post(reverse("programmes:cohort_goal_propose", args=[cohort.uuid]), {"text": "Fewer repeat calls"})
    goal = CohortGoal.objects.get()
    for role in ("manager", "trainer"):
        client.force_login(cast[role].user)
        client.post(reverse("programmes:cohort_goal_confirm", args=[cohort.uuid, goal.uuid]))
    assert sorted(goal.confirmed_by.values_list("user__name", flat=True)) == [
        "Magnus Manager",
        "Pia Participant",
        "Tomasz Trainer",
    ]
    client.force_login(cast["other_participant"].user)
    assert client.post(reverse("programmes:cohort_goal_confirm", args=[cohort.uuid, goal.uuid])).status_code == 403


def test_midpoint_review_answers_and_decision_show_on_the_cohort_page(client, cast, cohort):
    client.force_login(cast["participant"].user)
    client.post(reverse("programmes:review", args=[cohort.uuid]), {"content_match": "2", "pace": "too_fast"})
    client.force_login(cast["manager"].user)
    client.post(
        reverse("programmes:review", args=[cohort.uuid]),
        {"content_match": "4", "pace": "too_fast", "comment": "More practice, please"},
    )
    client.force_login(cast["trainer"].user)
    client.post(reverse("programmes:review", args=[cohort.uuid]), {"decision": "Add a practice afternoon in week 5."})
    answers = sorted(ReviewAnswer.objects.values_list("person__user__name", "as_manager", "content_match", "pace"))
    assert answers == [("Magnus Manager", True, 4, "too_fast"), ("Pia Participant", False, 2, "too_fast")]
    client.force_login(cast["participant"].user)
    page = client.get(reverse("programmes:cohort_detail", args=[cohort.uuid])).content.decode()
    assert "Add a practice afternoon in week 5." in page
    assert "More practice, please" not in page  # comments are for the trainer


def test_trainer_cannot_answer_and_participant_cannot_decide(client, cast, cohort):
    client.force_login(cast["participant"].user)
    assert client.post(reverse("programmes:review", args=[cohort.uuid]), {"decision": "x"}).status_code == 403
    client.force_login(cast["other_participant"].user)
    assert (
        client.post(
            reverse("programmes:review", args=[cohort.uuid]), {"content_match": "3", "pace": "right"}
        ).status_code
        == 403
    )


def test_editing_a_session_raises_its_calendar_sequence(client_for, cast, cohort):
    session = cohort.sessions.get()
    response = client_for(cast["trainer"]).post(
        reverse("programmes:session_edit", args=[cohort.uuid, session.uuid]),
        {
            "title": "Day one",
            "starts_at": "2026-03-02T10:00",
            "ends_at": "2026-03-02T16:00",
            "place": "Kraków, sala Wisła",
            "online_link": "",
        },
    )
    session.refresh_from_db()
    assert (response.status_code, session.sequence, session.starts_at.hour) == (302, 1, 9)  # 10:00 Warsaw = 09 UTC


def test_session_ending_before_it_starts_is_refused_with_the_input_kept(client_for, cast, cohort):
    response = client_for(cast["trainer"]).post(
        reverse("programmes:session_create", args=[cohort.uuid]),
        {
            "title": "Follow-up call",
            "starts_at": "2026-03-20T10:00",
            "ends_at": "2026-03-20T09:00",
        },
    )
    assert response.status_code == 200
    assert 'value="Follow-up call"' in response.content.decode()
    assert Session.objects.filter(title="Follow-up call").count() == 0


def test_team_training_lists_the_managers_people_only(client_for, cast, cohort):
    services.enrol_people(cohort=cohort, actor=cast["admin"].user, people=[cast["other_participant"]])
    content = client_for(cast["manager"]).get(reverse("programmes:team_training")).content.decode()
    assert "Pia Participant" in content and "Olek Other" not in content


def test_cohort_page_query_count_does_not_grow_with_participants(
    client_for, cast, cohort, django_assert_max_num_queries
):
    from tests.factories import PersonFactory

    client = client_for(cast["trainer"])
    client.get(reverse("programmes:cohort_detail", args=[cohort.uuid]))
    with django_assert_max_num_queries(40) as first:
        client.get(reverse("programmes:cohort_detail", args=[cohort.uuid]))
    people = [PersonFactory(workspace=cast["admin"].workspace, manager=cast["manager"]) for _ in range(5)]
    services.enrol_people(cohort=cohort, actor=cast["admin"].user, people=people)
    with django_assert_max_num_queries(len(first.captured_queries)):
        client.get(reverse("programmes:cohort_detail", args=[cohort.uuid]))


def test_home_page_shows_the_participants_next_session(client_for, cast, programme):
    from django.utils import timezone

    today = timezone.localdate()
    cohort = services.create_cohort(
        programme=programme,
        actor=cast["admin"].user,
        name="Running now",
        starts_on=today - datetime.timedelta(days=7),
        ends_on=today + datetime.timedelta(days=30),
    )
    start = timezone.now() + datetime.timedelta(days=2)
    services.save_session(
        cohort=cohort,
        actor=cast["admin"].user,
        title="Practice lab",
        starts_at=start,
        ends_at=start + datetime.timedelta(hours=2),
        place="Room 4",
    )
    services.enrol_people(cohort=cohort, actor=cast["admin"].user, people=[cast["participant"]])
    content = client_for(cast["participant"]).get("/").content.decode()
    assert "Your training" in content and "Customer conversations: Practice lab" in content
    assert "Your training" not in client_for(cast["other_participant"]).get("/").content.decode()


def test_copying_a_cohort_across_daylight_saving_keeps_the_local_clock_time(cast, cohort):
    # Day one is 09:00 in Warsaw in March (UTC+1); in July Warsaw is UTC+2 and it stays 09:00.
    copy = services.copy_cohort(
        cohort=cohort, actor=cast["trainer"].user, name="Summer", starts_on=datetime.date(2026, 7, 6)
    )
    session = copy.sessions.get()
    assert session.starts_at.astimezone(WARSAW).time() == datetime.time(9, 0)


def test_cohort_page_lists_only_the_participants_a_person_may_see(client, cast, cohort):
    services.enrol_people(cohort=cohort, actor=cast["admin"].user, people=[cast["other_participant"]])
    seen = {}
    for role in ("trainer", "mentor", "manager", "participant"):
        client.force_login(cast[role].user)
        content = client.get(reverse("programmes:cohort_detail", args=[cohort.uuid])).content.decode()
        seen[role] = ("Pia Participant" in content, "Olek Other" in content)
    assert seen == {
        "trainer": (True, True),
        "mentor": (True, True),
        "manager": (True, False),
        "participant": (True, False),
    }


def test_cohort_form_shows_its_dates_for_the_browsers_date_picker(client_for, cast, cohort):
    cast["trainer"].user.language = "pl"
    cast["trainer"].user.save()
    content = client_for(cast["trainer"]).get(reverse("programmes:cohort_edit", args=[cohort.uuid])).content.decode()
    assert 'type="date" name="starts_on" value="2026-03-02"' in content
