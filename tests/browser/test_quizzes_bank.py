"""The item bank in the browser, every page scanned with axe in English and Polish: a trainer
writes a question in two languages (a missing right option keeps everything typed), imports a
file with an error (nothing saved, the error shown) and then a corrected one, and opens the
quiz settings."""

import pytest
from playwright.sync_api import expect

from takeroot.programmes import services as programmes
from takeroot.quizzes.models import Question

from .test_foundation import assert_no_axe_violations, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

HEADER = "question_id,module,objective,kind,difficulty,language,prompt,explanation,option_1,option_2,correct,tolerance"


@pytest.fixture
def programme(cast):
    admin = cast["admin"]
    programme = programmes.create_programme(
        workspace=admin.workspace, actor=admin.user, name="Customer conversations", format="classroom", currency="PLN"
    )
    programmes.save_module(programme=programme, actor=admin.user, title="Opening the call", objectives=["Opens well"])
    return programme


def _switch(page, language: str) -> None:
    page.locator("#language-switch").select_option(language)
    page.locator("#language-switch").locator("xpath=ancestor::form").locator("button").click()
    page.wait_for_load_state()


def test_a_trainer_builds_the_bank(page, cast, programme, tmp_path, screenshot):
    sign_in(page, "trainer@acme.test")
    page.goto(f"/programmes/{programme.uuid}/")
    page.get_by_role("link", name="Question bank").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Question bank of Customer conversations")
    assert_no_axe_violations(page, "bank-empty")

    page.get_by_role("link", name="New question").click()
    page.get_by_label("Kind").select_option("single")
    english = page.locator("#language-en")
    english.get_by_label("Question").fill("What do you open the call with?")
    english.get_by_label("Option 1").fill("The price")
    english.get_by_label("Option 2").fill("The customer's goal")
    polish = page.locator("#language-pl")
    polish.get_by_label("Question").fill("Od czego zaczynasz rozmowę?")
    polish.get_by_label("Option 1").fill("Od ceny")
    polish.get_by_label("Option 2").fill("Od celu klienta")
    page.get_by_role("button", name="Save the question").click()
    # No right option chosen: nothing saved, everything typed is still there.
    expect(page.get_by_text("The question was not saved.")).to_be_visible()
    expect(polish.get_by_label("Option 2")).to_have_value("Od celu klienta")
    assert_no_axe_violations(page, "bank-question-errors")
    screenshot(page, "quizzes-bank-question-errors")
    assert not Question.objects.exists()
    page.get_by_role("group", name="Right options").get_by_label("Option 2").check()
    page.get_by_role("button", name="Save the question").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Edit the question")
    question = Question.objects.get()
    assert question.languages == ["en", "pl"] and question.correct == [1]
    page.get_by_role("link", name="Question bank of Customer conversations").click()
    expect(page.get_by_role("cell", name="What do you open the call with?")).to_be_visible()
    assert_no_axe_violations(page, "bank-list")

    bad = tmp_path / "bad.csv"
    bad.write_text(f"{HEADER}\nnew-1,Opening the call,,single,medium,en,Which comes first?,,Goal,Price,3,\n")
    page.get_by_role("link", name="Import", exact=True).click()
    assert_no_axe_violations(page, "bank-import")
    page.get_by_label("CSV or XLSX file").set_input_files(str(bad))
    page.get_by_role("button", name="Check the file").click()
    expect(page.get_by_role("link", name="Upload a corrected file")).to_be_visible()
    assert_no_axe_violations(page, "bank-import-errors")
    screenshot(page, "quizzes-bank-import-errors")
    assert Question.objects.count() == 1

    good = tmp_path / "good.csv"
    good.write_text(f"{HEADER}\nnew-1,Opening the call,,single,medium,en,Which comes first?,,Goal,Price,1,\n")
    page.get_by_role("link", name="Upload a corrected file").click()
    page.get_by_label("CSV or XLSX file").set_input_files(str(good))
    page.get_by_role("button", name="Check the file").click()
    assert_no_axe_violations(page, "bank-import-preview")
    page.get_by_role("button", name="Confirm and import").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Question bank of Customer conversations")
    assert Question.objects.count() == 2

    page.get_by_role("link", name="Quiz settings").click()
    assert_no_axe_violations(page, "bank-settings")

    _switch(page, "pl")
    for path in (
        f"/quizzes/programmes/{programme.uuid}/questions/",
        f"/quizzes/programmes/{programme.uuid}/questions/new/",
        f"/quizzes/questions/{question.uuid}/edit/",
        f"/quizzes/programmes/{programme.uuid}/questions/import/",
        f"/quizzes/programmes/{programme.uuid}/settings/",
    ):
        page.goto(path)
        assert page.locator("html").get_attribute("lang") == "pl"
        assert_no_axe_violations(page, f"{path} [pl]")
