"""The catalogue pages pass axe in four languages, editable for admins and read-only for trainers."""

import datetime
from decimal import Decimal

import pytest

from takeroot.catalogue import services
from takeroot.core.models import User

from .test_foundation import LANGUAGES, assert_no_axe_violations, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_catalogue_pages_pass_axe_in_four_languages(browser, live_server, cast, screenshot):
    admin = cast["admin"]
    initiative = services.create_initiative(
        workspace=admin.workspace,
        actor=admin.user,
        title="DevOps Days Stockholm",
        kind="conference",
        starts_on=datetime.date(2025, 5, 12),
        cost=Decimal("9800"),
        currency="SEK",
        teams=[cast["participant"].team],
    )
    pages_by_person = {
        "admin": {
            "catalogue-edit": "/catalogue/",
            "initiative-new": "/catalogue/new/",
            "initiative": f"/catalogue/{initiative.uuid}/",
            "initiative-import": "/catalogue/import/",
        },
        "trainer": {"catalogue-read": "/catalogue/", "initiative-read": f"/catalogue/{initiative.uuid}/"},
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
