"""The ekonom's uppföljning through the UI alone, from seed_demo (Lindesbergs socialnämnd, maj 2022, seed 004):
the variances, the drill-down to a verifikation, a prognos refused without a comment and saved with one, and the
månadsuppföljning PDF; axe-core on the page, and no sideways scrolling at 390 px."""

import re

import pytest
from django.core.management import call_command
from pypdf import PdfReader

from tests.browser import assert_accessible, forecast_refused_then_saved, login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def demo_data(live_server):
    call_command("seed_demo")


def text(locator) -> str:
    return locator.inner_text().replace("\xa0", " ")


def open_followup(page) -> None:
    page.get_by_role("navigation", name="Huvudmeny").get_by_role("link", name="Uppföljning").click()
    page.get_by_role("heading", level=1, name="Uppföljning 2022, jan–maj").wait_for()


def test_ekonom_follows_up_may_2022(page, demo_data):
    login(page, "ekonom")
    page.locator("#org-switch").select_option(label="Lindesbergs kommun")
    page.get_by_role("button", name="Byt").click()
    open_followup(page)
    units = page.get_by_test_id("followup-units")
    care = units.get_by_role("row").filter(has_text="Vård och omsorg")
    assert "133 200 000 kr" in text(care) and "-11 300 000 kr" in text(care)
    assert "-14 000 000 kr" in text(units.locator("tfoot"))
    assert_accessible(page, "uppföljningen")
    assert page.csp_errors == []

    # From the figure to its rows, and from a row to its verifikation.
    care.get_by_role("link", name="Utfall Vård och omsorg: visa transaktionerna").click()
    page.get_by_role("heading", level=1, name=re.compile("Transaktioner: 4 Vård och omsorg")).wait_for()
    assert "133 200 000,00 kr" in text(page.get_by_test_id("entries-total"))
    page.get_by_test_id("ledger").get_by_role("row").nth(1).get_by_role("link").first.click()
    page.get_by_role("heading", level=1, name=re.compile("^Verifikation A ")).wait_for()
    assert "Vård och omsorg" in page.inner_text("main")

    # A prognos without a comment is refused, the typed amount kept; with one it is saved.
    open_followup(page)
    forecast_refused_then_saved(page, "Administration", "23 100 000", "En vakant tjänst tillsätts i september.")
    admin = page.get_by_test_id("followup-units").locator('tr[data-unit="Administration"]')
    assert "23 100 000 kr" in text(admin) and "En vakant tjänst" in text(admin)

    # The månadsuppföljning as PDF, with seed 004's table.
    page.get_by_role("button", name="Månadsuppföljning maj 2022 (PDF)").click()
    with page.expect_download() as download:
        page.get_by_role("link", name=re.compile("Ladda ner")).first.click()
    pdf_text = " ".join("".join(p.extract_text() for p in PdfReader(download.value.path()).pages).split())
    assert "2.1 Socialnämnd" in pdf_text and "Vård och omsorg 133,2 121,9" in pdf_text.replace("\xa0", " ")

    page.set_viewport_size({"width": 390, "height": 844})
    open_followup(page)
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert page.csp_errors == []
