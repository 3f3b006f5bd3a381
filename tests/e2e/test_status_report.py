"""The administratör of Ljusnarsbergs kommun (the demo's admin is in every demo organisation; the förbundschef
only in the förbund) opens the Tillväxtverket project from seed 000, downloads the submitted 2019 lägesrapport,
writes a lägesrapport for the first half of 2020 in the editor, submits it and downloads its PDF; all through the
UI, from the demo data. axe-core on the editor and the report; no sideways overflow at 390 px."""

import pytest
from django.core.management import call_command

from tests.browser import assert_accessible, login, switch_organisation

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PROJECT = "Arbete med socioekonomiska utmaningar i Ljusnarsbergs kommun"


def _no_sideways_overflow(page, what: str) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"{what} är {width} px bred vid 390 px"


def _download_pdf(page, link) -> bytes:
    with page.expect_download() as download_info:
        link.click()
    download = download_info.value
    assert download.suggested_filename.endswith(".pdf")
    with open(download.path(), "rb") as handle:
        return handle.read()


def test_admin_writes_submits_and_downloads_a_status_report(page, live_server):
    call_command("seed_demo")
    login(page, "admin")
    switch_organisation(page, "Ljusnarsbergs kommun")
    page.set_viewport_size({"width": 390, "height": 900})

    page.goto("/insatser/")
    page.get_by_role("link", name=PROJECT).click()
    page.get_by_role("heading", level=1, name=PROJECT).wait_for()
    # The demo's submitted 2019 report opens from the project page.
    earlier = _download_pdf(
        page, page.get_by_role("link", name="Lägesrapport 2019-01-01 – 2019-12-31, version 1 (PDF)")
    )
    assert earlier.startswith(b"%PDF")

    page.get_by_role("link", name="Ny lägesrapport").click()
    page.get_by_label("Perioden från").fill("2020-01-01")
    page.get_by_label("Perioden till").fill("2020-06-30")
    page.get_by_role("button", name="Spara").click()
    page.get_by_role("heading", level=1, name="Lägesrapport 2020-01-01 – 2020-06-30").wait_for()
    # Carried from the 2019 report: who reports to whom, and the kostnadsslag.
    assert page.locator("#id_recipient").input_value() == "Tillväxtverket"
    assert page.locator("#id_area-0-heading").input_value() == "Riktade grundskoleinsatser"
    assert_accessible(page, "lägesrapportens redigeringssida")
    _no_sideways_overflow(page, "lägesrapportens redigeringssida")

    page.locator("#id_area-0-text").fill("Delade undervisningsgrupper i årskurs 1 och 2 under våren.")
    page.locator("#id_activity-0-activity").fill("Läsa, räkna och skriva-garanti")
    page.locator("#id_activity-0-result").fill("Mer arbetsro i klassrummen; fortsätter under hösten.")
    page.locator("#id_deviations").fill("Familjecentralen öppnar först i augusti.")
    page.locator("#id_cost-3-outcome").fill("412 300")
    page.locator("#id_signed_on").fill("2020-08-14")
    page.locator("#id_signed_name").fill("Karin Lindqvist")
    page.get_by_role("button", name="Spara").click()
    page.get_by_text("Lägesrapporten är sparad.").wait_for()
    assert "412 300 kr" in page.get_by_test_id("outcome-total").inner_text().replace("\xa0", " ")
    assert_accessible(page, "lägesrapporten")
    _no_sideways_overflow(page, "lägesrapporten")

    page.get_by_role("button", name="Lämna in lägesrapporten").click()
    page.locator("#confirm-dialog").get_by_role("button", name="Lämna in").click()
    page.get_by_text("Lägesrapporten är inlämnad och låst.").first.wait_for()
    assert page.get_by_role("link", name="Skriv rapporten").count() == 0
    data = _download_pdf(page, page.get_by_test_id("status-report-pdf"))
    assert data.startswith(b"%PDF") and b"%%EOF" in data[-64:]
    assert page.csp_errors == []
