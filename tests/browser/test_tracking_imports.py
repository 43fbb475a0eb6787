"""A learning-data file in the browser, end to end: a trainer uploads an attendance register with a
problem, goes back to the columns without uploading again, fixes the choice, imports, then removes
the import; every step scanned with axe."""

import pytest
from playwright.sync_api import expect

from takeroot.tracking.models import ActivityImport, ActivityRecord

from .test_foundation import assert_no_axe_violations, sign_in_as

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

REGISTER = (
    "Adres e-mail;Data;Zajęcia;Moduł;Obecność\n"
    "participant@acme.test;05.10.2026;Warsztat;1;tak\n"
    "other@acme.test;05.10.2026;Warsztat;2;nie\n"
)


@pytest.mark.parametrize("language", ["en", "pl"])
def test_an_attendance_register_is_imported_and_removed(page, cast, cohort, enrolment, language, screenshot):
    sign_in_as(page, cast["trainer"], language)
    page.goto("/tracking/imports/")
    assert_no_axe_violations(page, f"tracking-imports-empty-{language}")
    page.goto("/tracking/imports/new/")
    assert_no_axe_violations(page, f"tracking-import-upload-{language}")
    page.locator("main form button[type=submit]").click()
    expect(page.locator("[aria-invalid=true]").first).to_be_visible()
    assert_no_axe_violations(page, f"tracking-import-upload-errors-{language}")

    page.locator("select[name=cohort]").select_option(str(cohort.uuid))
    page.locator("select[name=kind]").select_option("attendance")
    register = REGISTER.encode()
    page.locator("input[name=file]").set_input_files(
        {"name": "obecnosc.csv", "mimeType": "text/csv", "buffer": register}
    )
    page.locator("main form button[type=submit]").click()
    page.wait_for_url("**/tracking/imports/new/*/")
    expect(page.locator("select[name=attended]")).to_have_value("4")
    assert_no_axe_violations(page, f"tracking-import-columns-{language}")

    # A wrong choice: the "Zajęcia" column read as the module finds no module.
    page.locator("select[name=module]").select_option("2")
    page.locator("main form.stacked-form button[type=submit]").click()
    page.wait_for_url("**/preview/")
    expect(page.locator(".row-invalid").first).to_be_visible()
    assert_no_axe_violations(page, f"tracking-import-preview-errors-{language}")
    page.locator("main a.button").first.click()
    page.wait_for_url("**/tracking/imports/new/*/")
    page.locator("select[name=module]").select_option("3")
    page.locator("main form.stacked-form button[type=submit]").click()
    page.wait_for_url("**/preview/")
    assert_no_axe_violations(page, f"tracking-import-preview-{language}")
    screenshot(page, f"tracking-import-preview-{language}")
    page.locator("main form.panel button[type=submit]").click()
    page.wait_for_url("**/tracking/imports/")
    assert ActivityRecord.objects.count() == 2
    assert_no_axe_violations(page, f"tracking-imports-{language}")

    activity_import = ActivityImport.objects.get()
    page.goto(f"/tracking/imports/{activity_import.uuid}/remove/")
    assert_no_axe_violations(page, f"tracking-import-remove-{language}")
    page.locator("main form.panel button[type=submit]").click()
    page.wait_for_url("**/tracking/imports/")
    assert (ActivityImport.objects.count(), ActivityRecord.objects.count()) == (0, 0)
