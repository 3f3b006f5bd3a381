"""The ekonom's year-end statements through the UI alone, from the demo data: the 2019 statements with the 2018
figures typed in, a wrong 2018 closing eget kapital typed and flagged with its numbers, axe-core on the pages, and
the pages on a 390 px wide phone."""

import pytest
from django.core.management import call_command

from tests.browser import assert_accessible, login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
WIDTH, HEIGHT = 390, 844


@pytest.fixture
def demo_data(live_server):
    call_command("seed_demo", verbosity=0)


def switch_to_federation(page) -> None:
    from core.demo import FEDERATION

    page.get_by_label("Organisation", exact=True).select_option(label=FEDERATION)
    page.get_by_role("button", name="Byt", exact=True).click()
    page.get_by_text(f"Du arbetar nu i {FEDERATION}").first.wait_for()


def _fits(page, what: str) -> None:
    width = page.evaluate("document.scrollingElement.scrollWidth")
    assert width <= WIDTH, f"{what} är {width} px bred"


def test_ekonom_types_a_wrong_2018_closing_and_sees_it_flagged(page, demo_data, browser, live_server):
    login(page, "ekonom")
    switch_to_federation(page)
    page.get_by_role("navigation", name="Huvudmeny").get_by_role("link", name="Ekonomi").click()
    page.get_by_role("navigation", name="Ekonomi").get_by_role("link", name="Bokslut").click()
    page.get_by_role("link", name="Bokslut 2019").click()
    page.get_by_role("heading", level=1, name="Bokslut 2019").wait_for()
    assert "Alla kontroller stämmer" in page.get_by_test_id("statement-validation").inner_text()
    balance = page.get_by_test_id("statement-balance")
    assert "1 665 738" in balance.inner_text().replace("\xa0", " ")
    assert_accessible(page, "bokslutet 2019")

    page.get_by_role("link", name="Skriv in siffror för 2018").click()
    page.get_by_role("heading", level=1, name="Skriv in bokslut 2018").wait_for()
    field = page.get_by_role("group", name="Balansräkning").get_by_label("Summa eget kapital", exact=True)
    assert field.input_value() == "1751017"
    assert_accessible(page, "inskrivna siffror för 2018")
    field.fill("1 751 000")
    page.get_by_role("button", name="Spara").click()

    page.get_by_role("heading", level=1, name="Bokslut 2019").wait_for()
    failures = page.get_by_test_id("statement-failures").inner_text().replace("\xa0", " ")
    assert (
        "2018: utgående eget kapital 1 751 000 kr stämmer inte med ingående 1 291 001 kr + årets resultat "
        "460 016 kr = 1 751 017 kr."
    ) in failures
    assert (
        "Eget kapital vid årets ingång 2019 1 751 017 kr stämmer inte med utgående eget kapital 2018 1 751 000 kr"
        in (failures)
    )
    assert_accessible(page, "bokslutet med kontroller som inte stämmer")

    page.get_by_role("link", name="Uppställningen").click()
    page.get_by_role("heading", level=1, name="Uppställning av bokslutet").wait_for()
    assert_accessible(page, "uppställningen")
    page.get_by_role("link", name="Ändra Kassa och bank").click()
    page.get_by_role("heading", level=1, name="Ändra rad ”Kassa och bank”").wait_for()
    assert_accessible(page, "en rad i uppställningen")
    assert page.csp_errors == []

    # On a phone nothing sticks out sideways (the wide tables scroll inside their own box).
    context = browser.new_context(
        base_url=live_server.url, locale="sv-SE", viewport={"width": WIDTH, "height": HEIGHT}, is_mobile=True
    )
    context.add_cookies(page.context.cookies())  # the same session, in the federation
    phone = context.new_page()
    phone.set_default_timeout(15_000)
    for path, what in (("/ekonomi/bokslut/", "bokslutslistan"), ("/ekonomi/bokslut/uppstallning/", "uppställningen")):
        phone.goto(path)
        _fits(phone, what)
    phone.goto("/ekonomi/bokslut/")
    phone.get_by_role("link", name="Bokslut 2019").click()
    phone.get_by_role("heading", level=1, name="Bokslut 2019").wait_for()
    _fits(phone, "bokslutet 2019")
    assert_accessible(phone, "bokslutet 2019 på telefon")
    phone.get_by_role("link", name="Skriv in siffror för 2018").click()
    phone.get_by_role("heading", level=1, name="Skriv in bokslut 2018").wait_for()
    _fits(phone, "inskrivna siffror")
    context.close()


def test_revisor_reads_the_statements_without_buttons(page, demo_data):
    login(page, "revisor")
    page.goto("/ekonomi/bokslut/")
    page.get_by_role("link", name="Bokslut 2019").click()
    page.get_by_role("heading", level=1, name="Bokslut 2019").wait_for()
    assert page.get_by_role("link", name="Skriv in siffror för 2018").count() == 0
    page.goto("/ekonomi/bokslut/uppstallning/")
    assert page.get_by_role("link", name="Lägg till rad").count() == 0
    assert page.get_by_role("button").filter(has_text="mallen").count() == 0
