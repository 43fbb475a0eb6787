"""Every programme and cohort page passes axe in four languages, for the roles that use it."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from takeroot.core.models import User
from takeroot.programmes import services
from takeroot.programmes.imports import preview_enrolment_import

from .test_foundation import LANGUAGES, assert_no_axe_violations, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def running(cast):
    """A running cohort with a session, goals, review answers and a decision."""
    admin = cast["admin"]
    programme = services.create_programme(
        workspace=admin.workspace,
        actor=admin.user,
        name="Customer conversations",
        format="classroom",
        currency="PLN",
        price_per_participant="1200",
    )
    services.save_module(
        programme=programme, actor=admin.user, title="Opening the call", objectives=["Opens with the customer's goal"]
    )
    services.save_programme_goal(programme=programme, actor=admin.user, text="Customer satisfaction 4.1 → 4.4")
    today = timezone.localdate()
    cohort = services.create_cohort(
        programme=programme,
        actor=admin.user,
        name="Kraków",
        trainers=[cast["trainer"]],
        mentors=[cast["mentor"]],
        starts_on=today - datetime.timedelta(days=10),
        ends_on=today + datetime.timedelta(days=30),
    )
    start = timezone.now() + datetime.timedelta(days=1)
    services.save_session(
        cohort=cohort,
        actor=admin.user,
        title="Practice lab",
        starts_at=start,
        ends_at=start + datetime.timedelta(hours=3),
        place="Kraków, sala Wisła",
        online_link="https://meet.example.com/lab",
    )
    [enrolment] = services.enrol_people(cohort=cohort, actor=admin.user, people=[cast["participant"]])
    services.update_enrolment(enrolment=enrolment, actor=admin.user, needs_captions=True)
    goal = services.propose_cohort_goal(cohort=cohort, person=cast["participant"], text="Fewer repeat calls")
    services.toggle_goal_confirmation(goal=goal, person=cast["manager"])
    services.answer_midpoint_review(
        cohort=cohort,
        person=cast["manager"],
        as_manager=True,
        content_match=4,
        pace="too_fast",
        comment="More practice",
    )
    services.decide_midpoint_review(cohort=cohort, person=cast["trainer"], decision="Add a practice afternoon.")
    upload = SimpleUploadedFile("people.csv", b"email,captions\nother@acme.test,yes\nnobody@acme.test,no\n")
    preview = preview_enrolment_import(cohort=cohort, actor=admin.user, uploaded_file=upload)
    return {
        "programme": programme,
        "cohort": cohort,
        "enrolment": enrolment,
        "module": programme.modules.get(),
        "preview": preview,
    }


def test_programme_pages_pass_axe_in_four_languages(browser, live_server, cast, running, screenshot):
    p, c = running["programme"].uuid, running["cohort"].uuid
    pages_by_person = {
        "trainer": {
            "programmes": "/programmes/",
            "programme": f"/programmes/{p}/",
            "programme-edit": f"/programmes/{p}/edit/",
            "programme-new": "/programmes/new/",
            "module-edit": f"/programmes/{p}/modules/{running['module'].uuid}/",
            "goal-new": f"/programmes/{p}/goals/new/",
            "programme-copy": f"/programmes/{p}/copy/",
            "cohort": f"/cohorts/{c}/",
            "cohort-edit": f"/cohorts/{c}/edit/",
            "cohort-copy": f"/cohorts/{c}/copy/",
            "session-new": f"/cohorts/{c}/sessions/new/",
            "enrolment": f"/cohorts/{c}/enrolments/{running['enrolment'].uuid}/",
            "enrol-import": f"/cohorts/{c}/import/",
            "enrol-import-preview": f"/cohorts/{c}/import/{running['preview'].uuid}/",
        },
        "participant": {
            "home": "/",
            "my-programmes": "/my/programmes/",
            "cohort-participant": f"/cohorts/{c}/",
            "profile": "/profile/",
        },
        "manager": {"team-training": "/my/team/training/", "cohort-manager": f"/cohorts/{c}/"},
    }
    for language in LANGUAGES:
        for role, pages in pages_by_person.items():
            User.objects.filter(pk=cast[role].user.pk).update(language=language)
            context = browser.new_context(base_url=live_server.url)
            page = context.new_page()
            sign_in(page, cast[role].user.email)
            for name, path in pages.items():
                page.goto(path)
                assert page.locator("html").get_attribute("lang") == language
                assert_no_axe_violations(page, f"{name} [{language}]")
                screenshot(page, f"{name}-{language}")
            context.close()
