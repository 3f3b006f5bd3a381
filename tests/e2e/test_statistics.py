"""The förbundschef opens the participant statistics from the insatser list, picks a year and an insats, downloads
the Excel file, and opens the registreringsunderlag for Uppföljning Finsam; all through the UI, from the demo data.
axe-core on both pages; no sideways overflow at 390 px; no CSP errors (the charts are images)."""

import io

import pytest
from django.core.management import call_command
from openpyxl import load_workbook

from tests.browser import assert_accessible, login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _no_sideways_overflow(page, what: str) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"{what} är {width} px bred vid 390 px"


def test_director_reads_statistics_and_the_registreringsunderlag(page, live_server):
    call_command("seed_demo")
    login(page, "forbundschef")
    page.get_by_role("link", name="Insatser", exact=True).click()
    page.get_by_role("link", name="Statistik", exact=True).click()
    page.get_by_role("heading", level=1, name="Deltagarstatistik").wait_for()

    page.get_by_label("Från år").fill("2019")
    page.get_by_label("Till år").fill("2019")
    page.get_by_role("button", name="Visa").click()
    page.get_by_test_id("statistics-selection").filter(has_text="Alla insatser, Helår 2019").wait_for()
    years = page.get_by_test_id("statistics-years")
    assert "349" in years.inner_text()  # seed 003: 349 deltagare, 159 kvinnor, 187 män, 3 icke-binär/annat
    assert page.locator('img[src^="data:image/svg+xml"]').count() >= 3
    page.wait_for_function("[...document.images].every(img => img.complete && img.naturalWidth > 0)")
    assert_accessible(page, "statistiksidan")

    page.get_by_label("Insats", exact=True).select_option(label="Arbetsmarknadstorget")
    page.get_by_role("button", name="Visa").click()
    page.get_by_test_id("statistics-selection").filter(has_text="Arbetsmarknadstorget, Helår 2019").wait_for()
    assert "114" in page.get_by_test_id("statistics-years").inner_text()

    with page.expect_download() as download_info:
        page.get_by_test_id("statistics-excel").click()
    download = download_info.value
    assert download.suggested_filename == "deltagarstatistik-2019.xlsx"
    # The download has no file extension, which openpyxl wants for a path: read the bytes.
    book = load_workbook(io.BytesIO(download.path().read_bytes()))
    (row,) = list(book["Per insats"].iter_rows(min_row=2, values_only=True))
    assert row[0] == "Arbetsmarknadstorget" and row[2:6] == (44, 68, 2, 114)

    page.set_viewport_size({"width": 390, "height": 900})
    _no_sideways_overflow(page, "statistiksidan")

    page.get_by_role("link", name="Registreringsunderlag Finsam").click()
    page.get_by_role("heading", level=1, name="Registreringsunderlag för Uppföljning Finsam 2019").wait_for()
    assert "5 814 000 kr" in page.get_by_test_id("finsam-finance").inner_text().replace("\xa0", " ")
    assert_accessible(page, "registreringsunderlaget")
    _no_sideways_overflow(page, "registreringsunderlaget")
    assert page.csp_errors == []
