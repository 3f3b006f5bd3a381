"""The ekonom's year and the revisor's download through the UI alone, from the demo data (issue 9).

The demo's årsredovisning 2019 is fastställd and archived already (so the revisor downloads it at once), and a
fastställd year is locked; so the ekonom's part runs on the next year. The ekonom imports 2020's SIE file: first one
with an unbalanced verifikation (the error is listed, nothing is imported), then the corrected file, which runs as
a background job with a progress bar and opens with 2019's result carried into eget kapital; starts the budget 2020
from 2019's, sees the variances in the uppföljning and drills down from a figure to its verifikation; enters a
prognos (refused without a comment, saved with one); creates the årsredovisning 2020, writes in the
förvaltningsberättelse with a figure from the data, and fastställer it (the validation passes on the imported
ledger). The revisor then logs in, downloads the årsredovisning 2019 and checks its SHA-256 against the one shown
beside it, and finds no way to change anything. axe-core on the import page, the uppföljning, the editor and the
revisor's list; nothing overflows at 390 px. Seed 004's månadsuppföljning is tests/e2e/test_followup.py.
"""

import hashlib
import threading

import pytest
from django.core.management import call_command

from core.demo import FEDERATION
from core.models import Organisation
from tests.browser import assert_accessible, forecast_refused_then_saved, login, switch_organisation
from tests.finance.sie_2020 import sie_2020

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def demo_data(live_server):
    call_command("seed_demo")


def _fits(page, what: str) -> None:
    page.set_viewport_size({"width": 390, "height": 844})
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"{what} är {width} px bred vid 390 px"
    page.set_viewport_size({"width": 1280, "height": 900})


def test_ekonom_imports_writes_and_fastställer_then_the_revisor_downloads_with_the_checksum(
    page, browser, live_server, demo_data, settings, monkeypatch, tmp_path_factory
):
    from finance import import_services

    login(page, "ekonom")
    # The demo ekonom works for Ljusnarsberg too; the årsredovisning is the förbund's.
    switch_organisation(page, FEDERATION)
    page.get_by_role("navigation", name="Huvudmeny").get_by_role("link", name="Ekonomi").click()
    org_number = Organisation.objects.get(name=FEDERATION).org_number
    files = tmp_path_factory.mktemp("sie")
    (files / "bokforing-2020-fel.se").write_bytes(sie_2020(org_number, balanced=False))
    (files / "bokforing-2020.se").write_bytes(sie_2020(org_number))

    # The unbalanced verifikation: listed with its line, nothing imported.
    page.get_by_role("link", name="Importera SIE-fil").click()
    page.get_by_label("SIE-fil").set_input_files(str(files / "bokforing-2020-fel.se"))
    page.get_by_role("button", name="Importera").click()
    page.get_by_text("Filen importerades inte. Ingenting från filen har sparats.").wait_for(timeout=60_000)
    assert "Verifikation A 2 balanserar inte" in page.get_by_test_id("import-errors").inner_text()
    assert_accessible(page, "den avvisade importen")
    _fits(page, "den avvisade importen")

    # The corrected file goes to the background job (as every large file would): a progress bar, then the result.
    settings.FINANCE_IMPORT_INLINE_BYTES = 100
    settings.IMPORT_JOBS_IN_THREAD = True  # as under `make run`: the job runs beside the request
    gate = threading.Event()
    original = import_services._progress

    def held_progress(import_id, value):
        original(import_id, value)
        gate.wait(20)  # the job waits here until the test has seen its progress bar

    monkeypatch.setattr(import_services, "_progress", held_progress)
    page.goto("/ekonomi/importer/sie/")
    page.get_by_label("SIE-fil").set_input_files(str(files / "bokforing-2020.se"))
    page.get_by_role("button", name="Importera").click()
    page.locator("#import-progress-bar").wait_for(timeout=60_000)
    assert_accessible(page, "importen som pågår")
    gate.set()
    page.get_by_text("Filen är importerad.").wait_for(timeout=90_000)
    page.reload()
    assert "årets resultat 2019" in page.get_by_role("region", name="Att känna till").inner_text()

    # The year's budget starts from 2019's; the uppföljning shows the variances to March.
    page.get_by_role("navigation", name="Huvudmeny").get_by_role("link", name="Ekonomi").click()
    page.get_by_role("navigation", name="Ekonomi").get_by_role("link", name="Budget").click()
    page.get_by_label("Räkenskapsår").select_option(label="2020")
    page.get_by_label("Utgå från").select_option(label="Budget 2019, ursprunglig")
    page.get_by_role("button", name="Skapa ursprunglig budget").click()
    page.get_by_text("Budget 2020, ursprunglig är skapad med raderna från Budget 2019, ursprunglig.").wait_for()
    page.get_by_role("navigation", name="Huvudmeny").get_by_role("link", name="Uppföljning").click()
    page.get_by_role("heading", level=1, name="Uppföljning 2020, jan–mar").wait_for()
    board = page.get_by_test_id("followup-accounts").get_by_role("row").filter(has_text="5210 Styrelsens arvoden")
    cells = board.inner_text().replace("\xa0", " ")
    assert "22 500 kr" in cells and "67 500 kr" in cells and "45 000 kr" in cells, cells
    assert_accessible(page, "uppföljningen 2020")

    # From the figure to its ledger rows and on to the verifikation.
    board.get_by_role("link").first.click()
    page.get_by_test_id("ledger").get_by_role("link", name="A 4").click()
    page.get_by_role("heading", level=1, name="Verifikation A 4").wait_for()
    assert "Arvode styrelsen" in page.inner_text("main")

    # A prognos without a comment is refused and keeps the typed amount; with one it is saved.
    page.get_by_role("navigation", name="Huvudmeny").get_by_role("link", name="Uppföljning").click()
    forecast_refused_then_saved(page, "Utan projekt", "700 000", "Insatsfakturorna för hösten kommer i december.")

    page.get_by_role("navigation", name="Huvudmeny").get_by_role("link", name="Ekonomi").click()
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
