"""The accountability buddy: chosen by the participant among cohort and team, sees goals and
progress only, and cheers; nobody else cheers, and a buddy never reads notes or check-ins."""

import pytest
from django.core.exceptions import ValidationError

from takeroot.core.models import OutgoingMail
from takeroot.core.services import create_api_key
from takeroot.plans import buddies
from takeroot.plans.digest import participant_section
from takeroot.plans.models import ActionPlan, Cheer

from .test_digest import LONG_AGO, texts


def bearer(secret):
    return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}


@pytest.fixture
def with_buddy(check_in, cast):
    plan = check_in.plan
    plan.private_notes = "My secret worry."
    plan.save()
    buddies.choose_buddy(plan=plan, actor=cast["participant"].user, buddy=cast["other_participant"])
    return ActionPlan.objects.get(pk=plan.pk)


def test_the_buddy_is_told_by_mail(with_buddy, cast):
    mail = OutgoingMail.objects.get(template="plans_buddy_named")
    assert mail.recipient == cast["other_participant"].user
    assert mail.context["path"] == f"/action-plans/{with_buddy.uuid}/goals/"


@pytest.mark.parametrize("who", ["participant", "admin", "outsider", "mentor"])
def test_only_a_colleague_from_the_cohort_or_team_can_be_the_buddy(plan, cast, who):
    with pytest.raises(ValidationError) as error:
        buddies.choose_buddy(plan=plan, actor=None, buddy=cast[who])
    assert error.value.message_dict == {"buddy": ["Choose someone from your cohort or your team."]}


def test_a_team_member_outside_the_cohort_can_be_the_buddy(plan, cast):
    buddies.choose_buddy(plan=plan, actor=None, buddy=cast["manager"])  # the manager is in the Sales team
    assert ActionPlan.objects.get(pk=plan.pk).buddy == cast["manager"]


def test_a_cheer_on_a_goal_of_another_plan_is_refused(with_buddy, other_enrolment, cast):
    from takeroot.plans import services

    other = services.open_plan(enrolment=other_enrolment, actor=None)
    goal = services.add_goal(plan=other, actor=None, kind="rating", title="X", baseline=2, target=5)
    with pytest.raises(ValidationError):
        buddies.cheer(plan=with_buddy, actor=None, author=cast["other_participant"], goal=goal)
    assert not Cheer.objects.exists()


# Pages ------------------------------------------------------------------------------------------

PAGES = {"plan": "/action-plans/{plan}/", "goals": "/action-plans/{plan}/goals/"}


@pytest.mark.parametrize(
    ("who", "plan_page", "goals_page"),
    [
        ("participant", 200, 200),
        ("other_participant", 404, 200),  # the buddy
        ("manager", 200, 200),
        ("trainer", 200, 200),
        ("admin", 200, 200),
        ("mentor", 404, 404),
        ("outsider", 404, 404),
    ],
)
def test_who_sees_the_plan_and_who_only_the_goals(with_buddy, cast, client_for, who, plan_page, goals_page):
    client = client_for(cast[who])
    assert client.get(f"/action-plans/{with_buddy.uuid}/").status_code == plan_page
    assert client.get(f"/action-plans/{with_buddy.uuid}/goals/").status_code == goals_page


def test_the_buddy_page_shows_goals_but_no_notes_or_check_ins(with_buddy, cast, client_for):
    page = client_for(cast["other_participant"]).get(f"/action-plans/{with_buddy.uuid}/goals/").content.decode()
    assert "Release faster" in page and "Calm feedback" in page
    assert "My secret worry." not in page
    assert "Smaller pull requests." not in page and "pairing session" not in page


@pytest.mark.parametrize(("who", "status"), [("other_participant", 302), ("participant", 403), ("manager", 403)])
def test_only_the_buddy_cheers(with_buddy, cast, client_for, who, status):
    response = client_for(cast[who]).post(f"/action-plans/{with_buddy.uuid}/cheers/", {"comment": "Go!"})
    assert response.status_code == status
    assert Cheer.objects.count() == (1 if status == 302 else 0)


def test_a_too_long_cheer_keeps_what_was_typed(with_buddy, cast, client_for):
    text = "Bravo! " * 200
    response = client_for(cast["other_participant"]).post(f"/action-plans/{with_buddy.uuid}/cheers/", {"comment": text})
    assert response.status_code == 400
    assert "Ensure this value has at most 1000 characters" in response.content.decode()
    assert text.strip() in response.content.decode()


def test_the_participant_reads_the_cheer_on_the_plan_and_in_the_digest(with_buddy, cast, client_for):
    goal = with_buddy.goals.first()
    client_for(cast["other_participant"]).post(
        f"/action-plans/{with_buddy.uuid}/cheers/", {"goal": goal.pk, "comment": "Almost there!"}
    )
    page = client_for(cast["participant"]).get(f"/action-plans/{with_buddy.uuid}/").content.decode()
    assert "Almost there!" in page
    assert "Olek Other cheered you on." in texts(participant_section(cast["participant"], LONG_AGO))


@pytest.mark.parametrize(("who", "status"), [("participant", 200), ("trainer", 403), ("other_participant", 403)])
def test_only_the_participant_chooses_the_buddy(plan, cast, client_for, who, status):
    response = client_for(cast[who]).get(f"/action-plans/{plan.uuid}/buddy/")
    assert response.status_code == (404 if who == "other_participant" else status)


def test_choosing_the_buddy_in_the_form(plan, cast, client_for):
    client = client_for(cast["participant"])
    response = client.post(f"/action-plans/{plan.uuid}/buddy/", {"buddy": cast["other_participant"].pk})
    assert response.status_code == 302
    assert ActionPlan.objects.get(pk=plan.pk).buddy == cast["other_participant"]
    page = client_for(cast["other_participant"]).get("/action-plans/").content.decode()
    assert "Goals of Pia Participant" in page


# API --------------------------------------------------------------------------------------------


def test_the_buddy_reads_progress_and_cheers_over_the_api(with_buddy, cast, client_for):
    client = client_for(cast["other_participant"])
    progress = client.get(f"/api/v1/action-plans/{with_buddy.uuid}/goal-progress").json()
    assert {goal["title"] for goal in progress} == {"Release faster", "Calm feedback"}
    assert client.get(f"/api/v1/action-plans/{with_buddy.uuid}").status_code == 404
    response = client.post(
        f"/api/v1/action-plans/{with_buddy.uuid}/cheers", {"comment": "Go!"}, content_type="application/json"
    )
    assert response.status_code == 201
    assert [row["participant"] for row in client.get("/api/v1/action-plans-cheered").json()] == ["Pia Participant"]


def test_the_participant_chooses_over_the_api(plan, cast, client_for):
    client = client_for(cast["participant"])
    body = {"person": str(cast["other_participant"].uuid)}
    response = client.put(f"/api/v1/action-plans/{plan.uuid}/buddy", body, content_type="application/json")
    assert response.json()["buddy"]["name"] == "Olek Other"
    response = client.put(
        f"/api/v1/action-plans/{plan.uuid}/buddy",
        {"person": str(cast["outsider"].uuid)},
        content_type="application/json",
    )
    assert response.status_code == 400


def test_api_keys_read_but_never_choose_or_cheer(with_buddy, cast, client):
    secret = create_api_key(
        workspace=with_buddy.workspace, actor=None, name="HR", scopes=["action-plans:read", "action-plans:write"]
    )[1]
    assert client.get(f"/api/v1/action-plans/{with_buddy.uuid}/cheers", **bearer(secret)).status_code == 200
    put = client.put(
        f"/api/v1/action-plans/{with_buddy.uuid}/buddy",
        {"person": None},
        content_type="application/json",
        **bearer(secret),
    )
    assert put.status_code == 403
    post = client.post(
        f"/api/v1/action-plans/{with_buddy.uuid}/cheers",
        {"comment": "x"},
        content_type="application/json",
        **bearer(secret),
    )
    assert post.status_code == 403


def test_a_key_of_another_workspace_finds_nothing(with_buddy, cast, client):
    secret = create_api_key(workspace=cast["outsider"].workspace, actor=None, name="X", scopes=["action-plans:read"])[1]
    assert client.get(f"/api/v1/action-plans/{with_buddy.uuid}/goal-progress", **bearer(secret)).status_code == 404
