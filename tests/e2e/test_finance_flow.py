"""The ekonom's flow through the UI alone: a refused SIE file with its error list, a replacing import refused
because the demo's 2019 is fastställd, the drill-down from the year to an account and a verifikation, and the
revisor reading without buttons."""

from pathlib import Path

import pytest
from django.core.management import call_command

from tests.browser import assert_accessible, login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
FIXTURES = Path(__file__).parent.parent / "finance" / "fixtures"


@pytest.fixture
def demo_data(live_server):
    call_command("seed_demo")


def test_sie_import_refused_then_replacing_and_drill_down(page, demo_data):
    login(page, "forbundschef")
    page.get_by_role("navigation", name="Huvudmeny").get_by_role("link", name="Ekonomi").click()
    page.get_by_role("heading", level=1, name="Ekonomi").wait_for()
    assert_accessible(page, "ekonomisidan")

    # The demo already holds 2019: the same verifikationer again are refused, with every error listed.
    page.get_by_role("link", name="Importera SIE-fil").click()
    page.get_by_label("SIE-fil").set_input_files(str(FIXTURES / "ledger_latin1.se"))
    page.get_by_role("button", name="Importera").click()
    page.get_by_text("Filen importerades inte. Ingenting från filen har sparats.").wait_for()
    errors = page.get_by_test_id("import-errors")
    assert "Verifikation A 1 finns redan i räkenskapsår 2019" in errors.inner_text()
    assert "ISO-8859-1" in page.get_by_test_id("encoding").inner_text()
    assert_accessible(page, "den avvisade importen")

    # The demo's årsredovisning 2019 is fastställd, so the year is locked: a new export of it is refused too.
    assert "Årsredovisningen för 2019 är fastställd" in errors.inner_text()
    page.goto("/ekonomi/importer/sie/")
    page.get_by_label("SIE-fil").set_input_files(str(FIXTURES / "ledger_latin1.se"))
    page.get_by_label("Ersätt räkenskapsårets tidigare import").check()
    page.get_by_role("button", name="Importera").click()
    page.get_by_text("Filen importerades inte. Ingenting från filen har sparats.").wait_for()
    assert "Årsredovisningen för 2019 är fastställd" in page.get_by_test_id("import-errors").inner_text()

    page.goto("/ekonomi/")
    page.get_by_test_id("fiscal-years").get_by_role("link", name="2019", exact=True).click()
    page.get_by_role("heading", level=1, name="Räkenskapsår 2019").wait_for()
    assert_accessible(page, "räkenskapsåret")
    page.get_by_test_id("year-accounts").get_by_role("link", name="1930", exact=True).click()
    page.get_by_role("heading", level=1, name="Konto 1930 Bank").wait_for()
    page.get_by_test_id("ledger").get_by_role("link", name="A 1", exact=True).click()
    page.get_by_role("heading", level=1, name="Verifikation A 1").wait_for()
    assert "Inbetalda medlemsbidrag kvartal 4 2018" in page.inner_text("main")
    assert_accessible(page, "verifikationen")
    assert page.evaluate("document.documentElement.scrollWidth") <= page.viewport_size["width"]
    assert page.csp_errors == []


def test_revisor_reads_the_ledger_without_buttons(page, demo_data):
    login(page, "revisor")
    page.goto("/ekonomi/kontoplan/")
    page.get_by_role("heading", level=1, name="Kontoplan").wait_for()
    assert page.get_by_role("button", name="Samordningsförbund").count() == 0
    assert page.get_by_role("link", name="Nytt konto").count() == 0
    page.goto("/ekonomi/importer/")
    page.get_by_test_id("imports").get_by_role("link").first.click()
    assert page.get_by_role("button", name="Ta bort importen").count() == 0
