"""The årsredovisning through the UI alone, from the demo data (issue 9, points 8 and 9).

The demo's årsredovisning 2019 is fastställd and archived already (so the revisor downloads it at once), and a
fastställd year is locked; so the ekonom's part runs on a new year: the ekonom creates räkenskapsår 2020, its
årsredovisning, writes in the förvaltningsberättelse with a figure from the data, and fastställer it. The revisor
then logs in, downloads the årsredovisning 2019 and checks its SHA-256 against the one shown beside it, and finds no
way to change anything. axe-core on the editor and the revisor's list; nothing overflows at 390 px.
"""

import hashlib

import pytest
from django.core.management import call_command

from core.demo import FEDERATION
from tests.browser import assert_accessible, login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def demo_data(live_server):
    call_command("seed_demo")


def _fits(page, what: str) -> None:
    page.set_viewport_size({"width": 390, "height": 844})
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"{what} är {width} px bred vid 390 px"
    page.set_viewport_size({"width": 1280, "height": 900})


def test_ekonom_writes_and_fastställer_then_the_revisor_downloads_with_the_checksum(
    page, browser, live_server, demo_data
):
    login(page, "ekonom")
    # The demo ekonom works for Ljusnarsberg too; the årsredovisning is the förbund's.
    page.get_by_label("Organisation", exact=True).select_option(label=FEDERATION)
    page.get_by_role("button", name="Byt", exact=True).click()
    page.get_by_text(f"Du arbetar nu i {FEDERATION}").first.wait_for()
    page.get_by_role("navigation", name="Huvudmeny").get_by_role("link", name="Ekonomi").click()
    page.get_by_role("link", name="Nytt räkenskapsår").click()
    page.get_by_label("Första dag").fill("2020-01-01")
    page.get_by_label("Sista dag").fill("2020-12-31")
    page.get_by_role("button", name="Spara").click()
    page.get_by_text("Räkenskapsår 2020 är skapat.").wait_for()

    page.get_by_role("navigation", name="Ekonomi").get_by_role("link", name="Årsredovisning").click()
    page.get_by_role("heading", level=1, name="Årsredovisningar och underlag").wait_for()
    page.get_by_role("combobox", name="Räkenskapsår").select_option(label="2020")
    page.get_by_role("button", name="Skapa årsredovisning").click()
    page.get_by_role("heading", level=1, name="Redigera årsredovisning 2020").wait_for()
    # The sections of seed 003 are there as headings, and the figures to insert are offered.
    assert "## 1.2.1 Organisation" in page.get_by_label("1.2 Om förbundet").input_value()
    assert "{{ tilldelade_medel }}" in page.get_by_role("complementary").inner_text()
    assert_accessible(page, "redigeringen av årsredovisningen")
    _fits(page, "redigeringen av årsredovisningen")

    page.get_by_label("1.1 Sammanfattning av verksamhetsåret").fill(
        "Förbundet arbetade vidare med MISAM.\n\nÅrets tilldelning uppgick till {{ tilldelade_medel }}."
    )
    page.get_by_role("button", name="Spara").click()
    page.get_by_text("Årsredovisning 2020 är sparad.").wait_for()
    article = page.locator("article.annual-report")
    assert "Förbundet arbetade vidare med MISAM." in article.inner_text()
    assert "{{" not in article.inner_text()  # the figure is filled from the data, never shown as a placeholder

    page.get_by_label("Beslutad av styrelsen (datum)").fill("2021-02-11")
    page.get_by_label("Jag förstår att en fastställd årsredovisning").check()
    page.get_by_role("button", name="Fastställ årsredovisningen").click()
    page.get_by_text("Årsredovisning 2020 är fastställd och låst.").wait_for(
        timeout=60_000
    )  # the archive renders first
    assert page.get_by_role("link", name="Redigera förvaltningsberättelsen").count() == 0
    assert page.csp_errors == []

    # The revisor, in a browser of their own.
    context = browser.new_context(base_url=live_server.url, locale="sv-SE", accept_downloads=True)
    revisor = context.new_page()
    revisor.set_default_timeout(15_000)
    login(revisor, "revisor")
    revisor.get_by_test_id("annual-reports-link").click()
    revisor.get_by_role("heading", level=1, name="Årsredovisningar och underlag").wait_for()
    assert_accessible(revisor, "revisorns lista över årsredovisningar")
    _fits(revisor, "revisorns lista")
    year = revisor.get_by_test_id("year-2019")
    shown = year.get_by_test_id("annual-pdf-sha256").inner_text().strip()
    with revisor.expect_download() as download_info:
        year.get_by_test_id("annual-pdf").click()
    with open(download_info.value.path(), "rb") as handle:
        data = handle.read()
    assert data.startswith(b"%PDF-")
    assert hashlib.sha256(data).hexdigest() == shown
    assert revisor.get_by_test_id("year-2020").get_by_test_id("annual-pdf").count() == 1

    # Nothing to change: no form that writes on the list or the report, no edit or fastställ.
    main = revisor.locator("main")
    assert main.locator("form[method=post]").count() == 0
    year.get_by_role("link", name="Årsredovisning 2019", exact=True).click()
    revisor.get_by_role("heading", level=1, name="Årsredovisning 2019").wait_for()
    assert main.locator("form[method=post]").count() == 0
    assert revisor.get_by_role("link", name="Redigera förvaltningsberättelsen").count() == 0
    assert revisor.get_by_role("button", name="Fastställ årsredovisningen").count() == 0
    context.close()
