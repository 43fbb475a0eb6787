"""One-click links end to end through the client: check in, open a page, raise a question as a ticket and
unsubscribe; tampered, expired, used and wrong-purpose tokens; a link never signs anybody in."""

import datetime
from decimal import Decimal

import pytest
from django.conf import settings
from django.test import Client
from django.utils import timezone

from takeroot.core.models import OutgoingMail
from takeroot.followup import links
from takeroot.followup.enums import LinkPurpose, TouchpointState
from takeroot.followup.links import Link, LinkProblem, Problem, make_token
from takeroot.followup.models import DeliverySettings, Design, Preference, Step, Touchpoint, UsedLink
from takeroot.plans import services as plans
from takeroot.plans.models import CheckIn
from takeroot.programmes.models import Enrolment
from takeroot.tickets.models import Ticket

from ..plan_support import devops_cohort, submitted_plan


@pytest.fixture
def cohort(cast):
    return devops_cohort(cast, people=("participant", "other_participant"))


def _plan(cohort, person):
    plan, goal = submitted_plan(cohort, person)
    rating = plans.add_goal(plan=plan, actor=None, kind="rating", title="Calm feedback", baseline=4, target=7)
    return plan, goal, rating


@pytest.fixture
def plan(cohort, cast):
    plan, goal, rating = _plan(cohort, cast["participant"])
    plans.record_check_in(
        plan=plan,
        actor=None,
        author=cast["participant"],
        status="at_risk",
        confidence=2,
        values={goal.uuid: "9.5", rating.uuid: "5"},
    )
    return plan


@pytest.fixture
def touchpoint(cohort, cast):
    design = Design.objects.create(workspace=cohort.workspace, programme=cohort.programme, name="Default")
    step = Step.objects.create(workspace=cohort.workspace, design=design, kind="check_in")
    return Touchpoint.objects.create(
        workspace=cohort.workspace,
        step=step,
        enrolment=Enrolment.objects.get(cohort=cohort, person=cast["participant"]),
        recipient=cast["participant"],
        due_at=timezone.now() - datetime.timedelta(hours=1),
        state=TouchpointState.SENT,
        sent_at=timezone.now(),
    )


def _path(url: str) -> str:
    assert url.startswith(settings.BASE_URL + "/l/")
    return url.removeprefix(settings.BASE_URL)


def _check_in_path(person, plan, touchpoint=None, **kwargs) -> str:
    if kwargs:
        token = make_token(purpose=LinkPurpose.CHECK_IN, person=person, target=str(plan.uuid), **kwargs)
        return f"/l/{token}/"
    return _path(
        links.link_url(person=person, purpose=LinkPurpose.CHECK_IN, target=str(plan.uuid), touchpoint=touchpoint)
    )


def _values(plan):
    goals = {goal.title: goal for goal in plan.goals.all()}
    return {f"goal_{goals['Release faster'].uuid}": "9", f"goal_{goals['Calm feedback'].uuid}": "6"}


# Check in --------------------------------------------------------------------------------------


def test_check_in_link_records_once_and_marks_the_touchpoint(client, cast, plan, touchpoint):
    path = _check_in_path(cast["participant"], plan, touchpoint)
    page = client.get(path)
    assert page.status_code == 200
    html = page.content.decode()
    assert "Check in" in html and "Gdańsk autumn" in html
    # Pre-filled from the last check-in: status, confidence and each goal's latest value.
    assert 'value="at_risk" required id="id_status_1" checked' in html
    assert 'value="2" required id="id_confidence_1" checked' in html
    assert 'value="9.5"' in html and 'value="5"' in html
    touchpoint.refresh_from_db()
    assert touchpoint.state == TouchpointState.OPENED

    before = CheckIn.objects.count()
    answer = client.post(path, {"status": "on_track", "confidence": "4", "support_needed": "", **_values(plan)})
    assert answer.status_code == 200
    assert "Check-in saved. Thank you." in answer.content.decode()
    assert plan.get_absolute_url() in answer.content.decode()
    assert CheckIn.objects.count() == before + 1
    check_in = CheckIn.objects.filter(plan=plan).order_by("-created_at", "-id").first()
    assert (check_in.status, check_in.confidence, check_in.author) == ("on_track", 4, cast["participant"])
    assert sorted((v.goal.title, v.value) for v in check_in.values.all()) == [
        ("Calm feedback", Decimal(6)),
        ("Release faster", Decimal(9)),
    ]
    touchpoint.refresh_from_db()
    assert touchpoint.state == TouchpointState.DONE
    assert UsedLink.objects.filter(purpose=LinkPurpose.CHECK_IN).count() == 1

    # The same link again: the "already used" page, no second check-in.
    again = client.post(path, {"status": "done", "confidence": "5", **_values(plan)})
    assert again.status_code == 410
    assert "This link was already used" in again.content.decode()
    assert f"/accounts/login/?next=/action-plans/{plan.uuid}/check-in/" in again.content.decode()
    assert CheckIn.objects.count() == before + 1
    assert client.get(path).status_code == 410


def test_a_link_never_signs_anybody_in(client, cast, plan):
    path = _check_in_path(cast["participant"], plan)
    client.post(path, {"status": "on_track", "confidence": "4", **_values(plan)})
    assert "_auth_user_id" not in client.session
    elsewhere = client.get(f"/action-plans/{plan.uuid}/")
    assert elsewhere.status_code == 302
    assert elsewhere["Location"].startswith("/accounts/login/")
    assert client.get("/follow-up/preferences/").status_code == 302


def test_check_in_form_keeps_what_was_typed_on_errors(client, cast, plan):
    path = _check_in_path(cast["participant"], plan)
    goal = plan.goals.get(title="Release faster")
    answer = client.post(path, {"status": "on_track", "confidence": "4", f"goal_{goal.uuid}": "about 9"})
    assert answer.status_code == 200
    html = answer.content.decode()
    assert "Enter a number, for example 8.5." in html
    assert 'value="about 9"' in html
    assert UsedLink.objects.count() == 0  # nothing kept: the link still works
    assert CheckIn.objects.filter(plan=plan).count() == 1
    missing = client.post(path, {"confidence": "4"})
    assert missing.status_code == 200 and "This field is required." in missing.content.decode()


def test_check_in_in_the_persons_language(client, cast, plan):
    user = cast["participant"].user
    user.language = "pl"
    user.save()
    page = client.get(_check_in_path(cast["participant"], plan))
    assert '<html lang="pl">' in page.content.decode()


def test_another_persons_plan_is_refused(client, cast, cohort, plan):
    other_plan, *_ = _plan(cohort, cast["other_participant"])
    path = _check_in_path(cast["participant"], other_plan)
    page = client.get(path)
    assert page.status_code == 403
    assert "This action plan is not yours, or it no longer exists." in page.content.decode()
    answer = client.post(path, {"status": "on_track", "confidence": "4"})
    assert answer.status_code == 403
    assert CheckIn.objects.filter(plan=other_plan).count() == 0


def test_a_plan_of_another_workspace_is_refused(client, cast, plan):
    page = client.get(_check_in_path(cast["outsider"], plan))
    assert page.status_code == 403
    assert CheckIn.objects.filter(plan=plan).count() == 1


def test_a_withdrawn_enrolment_is_refused(client, cast, plan):
    Enrolment.objects.filter(pk=plan.enrolment_id).update(status="withdrawn", withdrawn_at=timezone.now())
    page = client.get(_check_in_path(cast["participant"], plan))
    assert page.status_code == 403
    assert "You were withdrawn from this training" in page.content.decode()


def test_a_draft_plan_is_refused(client, cast, cohort):
    draft = plans.open_plan(enrolment=Enrolment.objects.get(cohort=cohort, person=cast["participant"]), actor=None)
    page = client.get(_check_in_path(cast["participant"], draft))
    assert page.status_code == 403
    assert "Check-ins start once the plan is submitted for review." in page.content.decode()


# Bad tokens ------------------------------------------------------------------------------------


def test_a_tampered_token_gets_400(client, cast, plan):
    token = _check_in_path(cast["participant"], plan).removeprefix("/l/").removesuffix("/")
    for position in (2, len(token) // 2, len(token) - 3):
        changed = token[:position] + ("A" if token[position] != "A" else "B") + token[position + 1 :]
        page = client.get(f"/l/{changed}/")
        assert page.status_code == 400
        html = page.content.decode()
        assert "This link does not work" in html
        assert 'href="/accounts/login/"' in html
    assert client.get("/l/nonsense/").status_code == 400


def test_an_expired_token_gets_410(client, cast, plan):
    old = timezone.now() - datetime.timedelta(days=15)
    page = client.get(_check_in_path(cast["participant"], plan, issued_at=old))
    assert page.status_code == 410
    html = page.content.decode()
    assert "This link has expired" in html
    assert f"/accounts/login/?next=/action-plans/{plan.uuid}/check-in/" in html
    assert (
        client.get(_check_in_path(cast["participant"], plan, issued_at=old + datetime.timedelta(days=2))).status_code
        == 200
    )


def test_the_workspace_decides_how_long_links_work(client, cast, plan):
    DeliverySettings.objects.create(workspace=plan.workspace, link_days=3)
    now = timezone.now()
    assert (
        client.get(_check_in_path(cast["participant"], plan, issued_at=now - datetime.timedelta(days=4))).status_code
        == 410
    )
    assert (
        client.get(_check_in_path(cast["participant"], plan, issued_at=now - datetime.timedelta(days=2))).status_code
        == 200
    )


def test_a_token_for_one_purpose_is_refused_by_another(client, cast, plan):
    check_in = _check_in_path(cast["participant"], plan).removeprefix("/l/").removesuffix("/")
    # A check-in token on the unsubscribe address (which takes unsubscribe tokens only).
    assert (
        client.post(
            f"/l/unsubscribe/{check_in}/",
            "List-Unsubscribe=One-Click",
            content_type="application/x-www-form-urlencoded",
        ).status_code
        == 400
    )
    assert not Preference.objects.exists()
    with pytest.raises(LinkProblem) as problem:
        links.read_link(check_in, purpose=LinkPurpose.ASK_QUESTION)
    assert problem.value.reason == Problem.INVALID
    # A payload claiming one purpose, signed with another's salt.
    forged = links._Signer(LinkPurpose.OPEN).sign_object(
        {
            "k": "check_in",
            "u": cast["participant"].user.uuid.hex,
            "p": cast["participant"].uuid.hex,
            "t": str(plan.uuid),
            "tp": "",
        },
        compress=True,
    )
    assert client.get(f"/l/{forged}/").status_code == 400


def test_a_token_for_a_removed_person_is_invalid(client, cast, plan):
    path = _check_in_path(cast["other_participant"], plan)
    cast["other_participant"].delete()
    assert client.get(path).status_code == 400


def test_link_use_is_single(cast, plan):
    link = links.read_link(_check_in_path(cast["participant"], plan).split("/")[2])
    assert isinstance(link, Link)
    assert link.used is False
    assert link.use() is True
    assert link.use() is False
    assert link.used is True


# Open a page -----------------------------------------------------------------------------------


def test_open_link_redirects_and_marks_opened(client, cast, plan, touchpoint):
    url = links.link_url(
        person=cast["participant"], purpose=LinkPurpose.OPEN, target="/action-plans/", touchpoint=touchpoint
    )
    answer = client.get(_path(url))
    assert answer.status_code == 302
    assert answer["Location"] == "/action-plans/"
    touchpoint.refresh_from_db()
    assert touchpoint.state == TouchpointState.OPENED
    # Normal sign-in applies at the destination.
    assert client.get("/action-plans/")["Location"].startswith("/accounts/login/")
    # Opening again is fine: it is not a single-use action.
    assert client.get(_path(url)).status_code == 302


@pytest.mark.parametrize("target", ["//evil.example/", "https://evil.example/", "/\\evil.example", "relative/"])
def test_open_link_refuses_other_sites(client, cast, target):
    with pytest.raises(ValueError, match="site-relative path"):
        links.link_url(person=cast["participant"], purpose=LinkPurpose.OPEN, target=target)
    forged = links._Signer(LinkPurpose.OPEN).sign_object(
        {"k": "open", "u": cast["participant"].user.uuid.hex, "p": cast["participant"].uuid.hex, "t": target, "tp": ""},
        compress=True,
    )
    assert client.get(f"/l/{forged}/").status_code == 400


# Ask a question: the link raises a learner ticket (more in tests/tickets/test_question_link.py) --


def test_question_link_raises_a_ticket_once(
    client, cast, cohort, touchpoint, smtp_sink, django_capture_on_commit_callbacks
):
    path = _path(
        links.link_url(
            person=cast["participant"], purpose=LinkPurpose.ASK_QUESTION, target=str(cohort.uuid), touchpoint=touchpoint
        )
    )
    page = client.get(path)
    assert page.status_code == 200
    assert 'name="subject"' in page.content.decode()
    question = {"category": "content", "subject": "Lead time", "body": "How do I measure lead time?"}
    with django_capture_on_commit_callbacks(execute=True):
        answer = client.post(path, question)
    assert answer.status_code == 200
    html = answer.content.decode()
    assert "Your question was sent" in html
    assert "You will get an answer within 24 hours, by mail." in html
    ticket = Ticket.objects.get()
    assert (ticket.source, ticket.owner, ticket.raised_by) == ("mail_link", cast["trainer"], cast["participant"])
    assert [m["To"] for m in smtp_sink.messages] == ["trainer@acme.test"]
    assert smtp_sink.messages[0]["Subject"] == "New question #1 from Pia Participant: Lead time"
    touchpoint.refresh_from_db()
    assert touchpoint.state == TouchpointState.DONE

    again = client.post(path, {**question, "subject": "And again?"})
    assert again.status_code == 410
    assert Ticket.objects.count() == 1


def test_question_needs_text(client, cast, cohort):
    path = _path(links.link_url(person=cast["participant"], purpose=LinkPurpose.ASK_QUESTION, target=str(cohort.uuid)))
    answer = client.post(path, {"category": "content", "subject": "  ", "body": "  "})
    assert answer.status_code == 200
    assert "This field is required." in answer.content.decode()
    assert not UsedLink.objects.exists()
    assert not Ticket.objects.exists()


@pytest.mark.parametrize("who", ["mentor", "outsider"])
def test_question_refused_for_people_outside_the_cohort(client, cast, cohort, who):
    path = _path(links.link_url(person=cast[who], purpose=LinkPurpose.ASK_QUESTION, target=str(cohort.uuid)))
    assert client.get(path).status_code == 403
    assert client.post(path, {"category": "content", "subject": "Hello?", "body": "Hello?"}).status_code == 403
    assert not Ticket.objects.exists()


def test_question_with_no_trainers_goes_to_an_admin(client, cast, cohort):
    cohort.trainers.clear()
    path = _path(links.link_url(person=cast["participant"], purpose=LinkPurpose.ASK_QUESTION, target=str(cohort.uuid)))
    client.post(path, {"category": "content", "subject": "Anyone?", "body": "Anyone?"})
    assert Ticket.objects.get().owner == cast["admin"]
    assert [m.recipient for m in OutgoingMail.objects.filter(template="ticket_raised")] == [cast["admin"].user]


# Unsubscribe -----------------------------------------------------------------------------------


def test_unsubscribe_headers(cast):
    headers = links.unsubscribe_headers(cast["participant"].user)
    assert headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert headers["List-Unsubscribe"].startswith(f"<{settings.BASE_URL}/l/unsubscribe/")
    assert headers["List-Unsubscribe"].endswith("/>")


def test_one_click_unsubscribe_works_without_a_csrf_token(cast):
    user = cast["participant"].user
    path = links.unsubscribe_url(user).removeprefix(settings.BASE_URL)
    strict = Client(enforce_csrf_checks=True)
    answer = strict.post(path, "List-Unsubscribe=One-Click", content_type="application/x-www-form-urlencoded")
    assert answer.status_code == 200
    assert Preference.objects.get(user=user).optional_mail is False
    html = answer.content.decode()
    assert "Optional mail is off" in html and "What still comes" in html
    assert 'href="/follow-up/preferences/"' in html
    # Unsubscribing twice is harmless.
    assert (
        strict.post(path, "List-Unsubscribe=One-Click", content_type="application/x-www-form-urlencoded").status_code
        == 200
    )
    assert "_auth_user_id" not in strict.session


def test_unsubscribe_asks_first(client, cast):
    user = cast["participant"].user
    path = links.unsubscribe_url(user).removeprefix(settings.BASE_URL)
    page = client.get(path)
    assert page.status_code == 200
    assert "participant@acme.test" in page.content.decode()
    assert not Preference.objects.exists()
    # Other links keep CSRF protection.
    strict = Client(enforce_csrf_checks=True)
    check = links.make_token(purpose=LinkPurpose.UNSUBSCRIBE, user=user)
    assert strict.post(f"/l/{check}/").status_code == 403


def test_unsubscribe_links_outlive_the_link_days_but_not_a_year(client, cast):
    user = cast["participant"].user
    DeliverySettings.objects.create(workspace=cast["participant"].workspace, link_days=1)
    month = links.make_token(
        purpose=LinkPurpose.UNSUBSCRIBE, user=user, issued_at=timezone.now() - datetime.timedelta(days=30)
    )
    assert client.get(f"/l/unsubscribe/{month}/").status_code == 200
    old = links.make_token(
        purpose=LinkPurpose.UNSUBSCRIBE, user=user, issued_at=timezone.now() - datetime.timedelta(days=400)
    )
    expired = client.get(f"/l/unsubscribe/{old}/")
    assert expired.status_code == 410
    assert "/accounts/login/?next=/follow-up/preferences/" in expired.content.decode()
