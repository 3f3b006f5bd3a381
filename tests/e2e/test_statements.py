"""The ekonom's year-end statements through the UI alone, from the demo data: the 2019 statements with the 2018
figures typed in and locked (the fastställd årsredovisning 2019 prints them), 2017 added and typed with seed 003's
one-krona slip flagged with its numbers, axe-core on the pages, and the pages on a 390 px wide phone."""

import pytest
from django.core.management import call_command

from core.demo import FEDERATION
from tests.browser import assert_accessible, login, switch_organisation

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
WIDTH, HEIGHT = 390, 844


@pytest.fixture
def demo_data(live_server):
    call_command("seed_demo", verbosity=0)


def _fits(page, what: str) -> None:
    width = page.evaluate("document.scrollingElement.scrollWidth")
    assert width <= WIDTH, f"{what} är {width} px bred"


def test_ekonom_finds_2018_locked_types_2017_and_sees_the_seeds_one_krona_flagged(
    page, demo_data, browser, live_server
):
    login(page, "ekonom")
    switch_organisation(page, FEDERATION)
    page.get_by_role("navigation", name="Huvudmeny").get_by_role("link", name="Ekonomi").click()
    page.get_by_role("navigation", name="Ekonomi").get_by_role("link", name="Bokslut").click()
    page.get_by_role("link", name="Bokslut 2019").click()
    page.get_by_role("heading", level=1, name="Bokslut 2019").wait_for()
    assert "Alla kontroller stämmer" in page.get_by_test_id("statement-validation").inner_text()
    balance = page.get_by_test_id("statement-balance")
    assert "1 665 738" in balance.inner_text().replace("\xa0", " ")
    # The årsredovisning 2019 is fastställd and prints 2018 beside it: neither year can be typed over.
    lock = page.get_by_test_id("statement-lock").inner_text()
    assert "Årsredovisningen för 2019 är fastställd och visar 2018 som jämförelseår" in lock
    assert page.get_by_role("link", name="Skriv in siffror för 2018").count() == 0
    assert_accessible(page, "bokslutet 2019")

    # The ekonom adds 2017 from the årsredovisning before, for 2018's comparison column.
    page.get_by_role("navigation", name="Ekonomi").get_by_role("link", name="Räkenskapsår").click()
    page.get_by_role("link", name="Nytt räkenskapsår").click()
    page.get_by_label("Första dag").fill("2017-01-01")
    page.get_by_label("Sista dag").fill("2017-12-31")
    page.get_by_role("button", name="Spara").click()
    page.get_by_text("Räkenskapsår 2017 är skapat.").wait_for()
    page.get_by_role("navigation", name="Ekonomi").get_by_role("link", name="Bokslut").click()
    page.get_by_role("link", name="Bokslut 2018").click()
    page.get_by_role("heading", level=1, name="Bokslut 2018").wait_for()
    assert page.get_by_role("link", name="Skriv in siffror för 2018").count() == 0
    page.get_by_role("link", name="Skriv in siffror för 2017").click()
    page.get_by_role("heading", level=1, name="Skriv in bokslut 2017").wait_for()
    assert_accessible(page, "inskrivna siffror för 2017")
    # Seed 003 prints 1 291 000 as eget kapital at the start of 2018; the demo's typed 2018 starts at 1 291 001.
    page.get_by_role("group", name="Balansräkning").get_by_label("Summa eget kapital", exact=True).fill("1 291 000")
    page.get_by_role("button", name="Spara").click()

    page.get_by_role("heading", level=1, name="Bokslut 2018").wait_for()
    page.get_by_text("Bokslutet för 2017 är sparat.").wait_for()
    failures = page.get_by_test_id("statement-failures").inner_text().replace("\xa0", " ")
    assert (
        "Eget kapital vid årets ingång 2018 1 291 001 kr stämmer inte med utgående eget kapital 2017 1 291 000 kr"
        in failures
    ), failures
    assert_accessible(page, "bokslutet med kontroller som inte stämmer")

    page.get_by_role("link", name="Uppställningen").click()
    page.get_by_role("heading", level=1, name="Uppställning av bokslutet").wait_for()
    assert_accessible(page, "uppställningen")
    # The fastställd 2019 is computed with it: a change that would alter what 2019 shows is refused and kept typed.
    assert "Årsredovisningen för 2019 är fastställd" in page.get_by_test_id("mapping-lock").inner_text()
    page.get_by_role("link", name="Ändra Kassa och bank").click()
    page.get_by_role("heading", level=1, name="Ändra rad ”Kassa och bank”").wait_for()
    page.get_by_label("Konton").fill("1900-1929")
    page.get_by_role("button", name="Spara").click()
    page.get_by_text(
        "Ändringen görs inte: den skulle ändra ”Kassa och bank” (balansräkning) i bokslutet 2019"
    ).wait_for()
    assert page.get_by_label("Konton").input_value() == "1900-1929"
    assert_accessible(page, "en rad i uppställningen med fel")
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
    phone.goto("/ekonomi/bokslut/")
    phone.get_by_role("link", name="Bokslut 2018").click()
    phone.get_by_role("link", name="Skriv in siffror för 2017").click()
    phone.get_by_role("heading", level=1, name="Skriv in bokslut 2017").wait_for()
    _fits(phone, "inskrivna siffror")
    context.close()


def test_revisor_reads_the_statements_without_buttons(page, demo_data):
    import io
    from decimal import Decimal

    from openpyxl import load_workbook

    login(page, "revisor")
    page.get_by_test_id("annual-reports-link").click()
    page.get_by_test_id("year-2019").get_by_role("link", name="Bokslut 2019 med kontroller").click()
    page.get_by_role("heading", level=1, name="Bokslut 2019").wait_for()
    with page.expect_download() as download:
        page.get_by_role("link", name="Exportera till Excel").click()
    with open(download.value.path(), "rb") as handle:
        book = load_workbook(io.BytesIO(handle.read()))
    balance = {row[0]: row[2] for row in book["Balansräkning"].iter_rows(min_row=2, values_only=True)}
    assert Decimal(str(balance["Summa eget kapital"])) == Decimal("1665738")
    assert page.get_by_role("link", name="Skriv in siffror för 2018").count() == 0
    assert page.get_by_role("link", name="Skriv in siffror för 2017").count() == 0
    page.goto("/ekonomi/bokslut/uppstallning/")
    assert page.get_by_role("link", name="Lägg till rad").count() == 0
    assert page.get_by_role("button").filter(has_text="mallen").count() == 0
