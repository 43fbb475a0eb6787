"""Sign in, switch languages, and scan every page of people and workspaces with axe in four languages."""

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import expect

from takeroot.core import services
from takeroot.core.models import PeopleImport, User

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LANGUAGES = ["en", "pl", "sv", "zh-hans"]
AXE = Axe()


def sign_in(page, email: str, password: str = "correct horse battery") -> None:
    page.goto("/accounts/login/")
    page.locator("input[name=login]").fill(email)
    page.locator("input[name=password]").fill(password)
    page.locator("main button[type=submit]").click()
    page.wait_for_url("**/")


def sign_in_as(page, person, language: str = "en") -> None:
    """Sign ``person`` in on ``page`` (signing out whoever was), with ``language`` as their choice."""
    User.objects.filter(pk=person.user_id).update(language=language)
    page.context.clear_cookies()
    sign_in(page, person.user.email)


def signed_in(browser, live_server, person):
    """A new browser context signed in as ``person``: ``(context, page)``; close the context."""
    context = browser.new_context(base_url=live_server.url, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    sign_in(page, person.user.email)
    return context, page


def assert_no_axe_violations(page, label: str) -> None:
    # A click that navigates returns before the new document exists: scan what has loaded, and
    # scan again if the document was replaced under the scan.
    for attempt in range(3):
        page.wait_for_load_state()
        try:
            results = AXE.run(page)
            break
        except PlaywrightError:
            if attempt == 2:
                raise
    assert results.violations_count == 0, f"{label}:\n{results.generate_report()}"


def test_sign_in_and_switch_to_polish_and_chinese(page, cast, screenshot):
    sign_in(page, "participant@acme.test")
    assert page.get_by_role("heading", level=1).inner_text() == "Hello, Pia"
    page.get_by_label("Language").select_option("pl")
    page.get_by_role("button", name="Change").click()
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "pl"
    assert page.get_by_role("heading", level=1).inner_text() == "Witaj, Pia"
    screenshot(page, "home-pl")
    page.get_by_label("Język").select_option("zh-hans")
    page.get_by_role("button", name="Zmień").click()
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "zh-hans"
    assert page.get_by_role("heading", level=1).inner_text() == "你好，Pia"
    screenshot(page, "home-zh-hans")
    assert User.objects.get(email="participant@acme.test").language == "zh-hans"


def test_people_page_is_usable_at_320_pixels(page, cast, screenshot):
    page.set_viewport_size({"width": 320, "height": 800})
    sign_in(page, "admin@acme.test")
    page.goto("/people/")
    screenshot(page, "people-320")
    too_wide = page.evaluate("""[...document.querySelectorAll('body *')]
        .filter(el => el.getBoundingClientRect().right > 321 && !el.closest('.table-wrap'))
        .map(el => el.tagName + '.' + el.className)""")
    assert too_wide == []


def test_every_page_passes_axe_in_four_languages(browser, live_server, cast, screenshot):
    admin = cast["admin"]
    people_import = PeopleImport.objects.create(
        workspace=admin.workspace,
        created_by=admin.user,
        filename="people.csv",
        rows=[
            {
                "line": 2,
                "email": "new@acme.test",
                "name": "New",
                "team": "Sales",
                "manager_email": "",
                "language": "pl",
                "timezone": "Europe/Warsaw",
                "roles": ["participant"],
                "action": "create",
            },
            {
                "line": 3,
                "email": "bad",
                "name": "Bad",
                "team": "",
                "manager_email": "",
                "language": "en",
                "timezone": "Europe/Warsaw",
                "roles": ["participant"],
                "action": "create",
            },
        ],
        errors=[{"line": 3, "column": "email", "message": "Not a valid email address: bad"}],
        summary={"create": 2, "update": 0, "unchanged": 0, "teams": 0},
    )
    services.update_person(person=cast["participant"], actor=admin.user, job_title="Key accounts")
    pages = {
        "home": "/",
        "profile": "/profile/",
        "people": "/people/",
        "person": f"/people/{cast['participant'].uuid}/",
        "person-edit": f"/people/{cast['participant'].uuid}/edit/",
        "person-new": "/people/new/",
        "person-remove": f"/people/{cast['participant'].uuid}/remove/",
        "teams": "/teams/",
        "team-new": "/teams/new/",
        "team-edit": f"/teams/{cast['participant'].team.uuid}/edit/",
        "audit": "/audit/",
        "settings": "/settings/",
        "api-keys": "/settings/api-keys/",
        "import": "/people/import/",
        "import-preview": f"/people/import/{people_import.uuid}/",
        "not-found": "/people/00000000-0000-0000-0000-000000000000/",
        "mfa": "/accounts/2fa/",
        "mfa-activate": "/accounts/2fa/totp/activate/",
        "password": "/accounts/password/change/",
    }
    anonymous = {
        "login": "/accounts/login/",
        "login-code": "/accounts/login/code/",
        "password-reset": "/accounts/password/reset/",
        "invitation": f"/invitation/{services.invitation_token(cast['other_participant'].user)}/",
    }
    for language in LANGUAGES:
        # A visitor's browser asks for the language; a signed-in person's profile decides.
        context = browser.new_context(base_url=live_server.url, extra_http_headers={"Accept-Language": language})
        page = context.new_page()
        # The invitation page opens in the invited person's language.
        User.objects.filter(pk=cast["other_participant"].user.pk).update(language=language)
        for name, path in anonymous.items():
            page.goto(path)
            assert page.locator("html").get_attribute("lang") == language
            assert_no_axe_violations(page, f"{name} [{language}]")
            screenshot(page, f"{name}-{language}")
        User.objects.filter(pk=admin.user.pk).update(language=language)
        sign_in(page, "admin@acme.test")
        for name, path in pages.items():
            page.goto(path)
            assert page.locator("html").get_attribute("lang") == language
            assert_no_axe_violations(page, f"{name} [{language}]")
            screenshot(page, f"{name}-{language}")
        context.close()
    # The participant's view of a page they may not open.
    context = browser.new_context(base_url=live_server.url)
    page = context.new_page()
    sign_in(page, "participant@acme.test")
    page.goto("/audit/")
    assert_no_axe_violations(page, "forbidden")
    context.close()


def test_api_documentation_passes_axe(page, cast):
    sign_in(page, "admin@acme.test")
    page.goto("/api/v1/docs")
    assert_no_axe_violations(page, "api-docs")


def test_people_search_updates_the_list_while_typing(page, cast):
    sign_in(page, "admin@acme.test")
    page.goto("/people/")
    errors = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.get_by_role("searchbox", name="Search").press_sequentially("olek", delay=30)
    expect(page.locator("#results")).not_to_contain_text("Pia Participant")
    expect(page.locator("#results")).to_contain_text("Olek Other")
    assert page.url.endswith("q=olek&team=&role=&status=")
    assert errors == []  # htmx runs under the Content-Security-Policy without complaints
