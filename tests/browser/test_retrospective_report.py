"""The report page passes axe in four languages, its chart shows, and the CSP refuses nothing on it."""

import pytest

from takeroot.core.models import User
from tests.retrospectives.test_report import make_sample

from .test_foundation import LANGUAGES, assert_no_axe_violations, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_report_page_passes_axe_in_four_languages_with_a_visible_chart(browser, live_server, cast, screenshot):
    admin = cast["admin"]
    retrospective, _ = make_sample(admin.workspace, state="open")
    for language in LANGUAGES:
        User.objects.filter(pk=admin.user.pk).update(language=language)
        context = browser.new_context(base_url=live_server.url, viewport={"width": 1280, "height": 900})
        page = context.new_page()
        console = []
        page.on("console", lambda message, seen=console: seen.append(message.text))
        sign_in(page, admin.user.email)
        page.goto(f"/retrospectives/{retrospective.uuid}/report/")
        assert page.locator("html").get_attribute("lang") == language
        for chart in page.locator("figure svg[role=img]").all():
            box = chart.bounding_box()
            assert box is not None and box["width"] > 200 and box["height"] > 100
            assert chart.get_attribute("aria-label")
        assert page.locator("figure svg[role=img]").count() == 2
        assert page.locator("figure svg .mark-rect path").count() > 5  # the bars were drawn
        assert_no_axe_violations(page, f"report [{language}]")
        screenshot(page, f"retrospective-report-{language}")
        refused = [text for text in console if "Content Security Policy" in text or "Content-Security-Policy" in text]
        assert refused == []
        context.close()


def test_report_page_is_usable_at_320_pixels(page, cast, screenshot):
    admin = cast["admin"]
    retrospective, _ = make_sample(admin.workspace)
    page.set_viewport_size({"width": 320, "height": 800})
    sign_in(page, admin.user.email)
    page.goto(f"/retrospectives/{retrospective.uuid}/report/")
    screenshot(page, "retrospective-report-320")
    too_wide = page.evaluate("""[...document.querySelectorAll('main *')]
        .filter(el => el.getBoundingClientRect().right > 321 && !el.closest('.table-wrap'))
        .map(el => el.tagName + '.' + el.className)""")
    assert too_wide == []
