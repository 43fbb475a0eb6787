"""At risk and the problem finder in the browser: the trainer opens the list of flags and a flag,
logs an intervention (a refused one first, keeping what was typed) and sees the engagement before
and after; the admin reads the findings, records a design change and saves the settings; every
page scanned with axe."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from takeroot.plans.enums import PlanState
from takeroot.plans.models import ActionPlan
from takeroot.programmes import services as programmes
from takeroot.programmes.enums import EnrolmentStatus
from takeroot.programmes.models import Enrolment
from takeroot.tracking.enums import FindingState, Input, Origin
from takeroot.tracking.findings import find_problems
from takeroot.tracking.models import AtRiskFlag, Finding, Intervention
from takeroot.tracking.recording import Fact, record
from takeroot.tracking.risk import evaluate_enrolments
from tests.course_support import DAY, NOW
from tests.factories import PersonFactory, UserFactory

from .test_foundation import assert_no_axe_violations, sign_in_as

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def flagged(enrolment, modules):
    ActionPlan.objects.create(
        workspace=enrolment.workspace, enrolment=enrolment, state=PlanState.APPROVED, submitted_at=NOW - 30 * DAY
    )
    record(
        enrolment.workspace,
        [
            Fact(
                enrolment.cohort_id,
                enrolment.pk,
                None,
                Input.TIME_ONLINE,
                90,
                timezone.now() - week * 7 * DAY,
                Origin.TAKEROOT,
            )
            for week in range(4)
        ],
    )
    evaluate_enrolments(enrolment.workspace, [enrolment.pk], now=NOW)
    return AtRiskFlag.objects.get()


@pytest.mark.parametrize("language", ["en", "pl"])
def test_the_trainer_acts_on_a_flag(page, cast, flagged, language, screenshot):
    sign_in_as(page, cast["trainer"], language)
    page.goto("/tracking/at-risk/")
    assert_no_axe_violations(page, f"risk-list-{language}")
    page.get_by_role("link", name="Pia Participant").click()
    page.wait_for_url(f"**/tracking/at-risk/{flagged.uuid}/")
    assert_no_axe_violations(page, f"risk-flag-{language}")
    page.locator("input[name=kind][value=extended_deadline]").check()
    page.locator("textarea[name=note]").fill("Two more weeks for the first goal")
    page.locator("form.stacked-form button[type=submit]").click()
    expect(page.locator("textarea[name=note]")).to_have_value("Two more weeks for the first goal")
    assert_no_axe_violations(page, f"risk-flag-invalid-{language}")
    page.locator("input[name=new_deadline]").fill("2099-01-31")
    page.locator("form.stacked-form button[type=submit]").click()
    page.wait_for_url(f"**/tracking/at-risk/{flagged.uuid}/")
    assert Intervention.objects.get().note == "Two more weeks for the first goal"
    expect(page.locator("figure svg[role=img]")).to_be_visible()
    assert_no_axe_violations(page, f"risk-flag-after-{language}")
    screenshot(page, f"risk-flag-{language}")


@pytest.fixture
def finding(cohort, modules, cast, workspace):
    person = PersonFactory(workspace=workspace, user=UserFactory(email="third@acme.test", name="Third"))
    programmes.enrol_people(cohort=cohort, actor=cast["admin"].user, people=[person])
    Enrolment.objects.filter(cohort=cohort).update(status=EnrolmentStatus.ACTIVE)
    facts = [
        Fact(cohort.pk, enrolment.pk, modules[1].pk, Input.QUIZ_SCORE, value, NOW - 3 * DAY, Origin.TAKEROOT)
        for enrolment in Enrolment.objects.filter(cohort=cohort)
        for value in (0.5, 0.5, 0.6, 0.5)
    ]
    record(cohort.workspace, facts)
    programmes.create_cohort(
        programme=cohort.programme,
        actor=cast["admin"].user,
        name="Kraków autumn",
        starts_on=datetime.date(2026, 10, 1),
        ends_on=datetime.date(2026, 11, 30),
    )
    return find_problems(cohort.workspace, now=NOW)[0]


@pytest.mark.parametrize("language", ["en", "pl"])
def test_the_admin_answers_a_finding_with_a_design_change(page, cast, finding, programme, language):
    sign_in_as(page, cast["admin"], language)
    page.goto("/tracking/findings/")
    assert_no_axe_violations(page, f"findings-index-{language}")
    page.goto(f"/tracking/programmes/{programme.uuid}/findings/")
    assert_no_axe_violations(page, f"findings-{language}")
    page.goto(f"/tracking/programmes/{programme.uuid}/findings/?finding={finding.uuid}")
    page.locator("#id_after_cohort").select_option(label="Kraków autumn")
    page.locator("#record-change ~ form button[type=submit]").click()
    assert_no_axe_violations(page, f"findings-invalid-{language}")
    page.locator("textarea[name=description]").fill("Added a hands-on case workshop to module 2")
    page.locator("#record-change ~ form button[type=submit]").click()
    page.wait_for_url(f"**/tracking/programmes/{programme.uuid}/findings/")
    finding.refresh_from_db()
    assert finding.state == FindingState.CHANGED
    assert Finding.objects.count() == 1
    assert_no_axe_violations(page, f"findings-changed-{language}")

    page.goto("/tracking/settings/")
    assert_no_axe_violations(page, f"risk-settings-{language}")
    page.locator("input[name=notify_managers]").check()
    page.locator("form.stacked-form button[type=submit]").click()
    page.wait_for_url("**/tracking/settings/")
    expect(page.locator("input[name=notify_managers]")).to_be_checked()
