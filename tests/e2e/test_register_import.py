"""The deltagaransvarig of Skellefteå kommun imports Arbetsmarknadstorget's register rows from Excel, from the demo
data and through the UI: downloads the template, uploads 400 rows with an error in the middle row and sees the
error list with nothing imported, then uploads the fixed file, which goes to the background job: a progress bar,
then the result. axe-core on the import page; no sideways overflow at 390 px.

The register list has no link to the import page yet (ADR 0020), so the page is opened by its address, built from
the register list's own address."""

import io
import re
import threading

import pytest
from django.core.management import call_command
from openpyxl import load_workbook

from tests.browser import assert_accessible, login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _no_sideways_overflow(page, what: str) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"{what} är {width} px bred vid 390 px"


def _rows(sheet, count, bad_row=None):
    for n in range(1, count + 1):
        gender = "Icke-binär/annat" if bad_row == n else ["Kvinna", "Man"][n % 2]
        sheet.append(
            [
                f"XL-{n:04d}",
                "Okänt kön" if bad_row == n else gender,
                None,
                "Ja",
                "2025-01-15",
                1990,
                "Af",
                "Gymnasium",
                "A-kassa",
                "2025-01-15",
                None,
                None,
                None,
                "Kartläggning",
            ]
        )


def test_officer_imports_register_rows_with_errors_then_in_the_background(page, live_server, tmp_path, settings):
    from projects import register_import_services

    settings.IMPORT_JOBS_IN_THREAD = True  # as under `make run`: the job runs beside the request
    gate = threading.Event()
    original = register_import_services.job_progress

    def held_progress(model, pk, value):
        original(model, pk, value)
        gate.wait(20)  # the job waits here until the test has seen its progress bar

    register_import_services.job_progress = held_progress
    try:
        call_command("seed_demo")
        page.set_viewport_size({"width": 390, "height": 900})
        login(page, "deltagaransvarig")
        if "Skellefteå kommun" not in (page.locator("#org-switch option:checked").text_content() or ""):
            page.locator("#org-switch").select_option(label="Skellefteå kommun")
            page.get_by_role("button", name="Byt").click()
            page.get_by_text("Du arbetar nu i Skellefteå kommun.").wait_for()
        page.get_by_role("link", name="Deltagarregister", exact=True).click()
        page.get_by_role("link", name="Arbetsmarknadstorget").click()
        page.get_by_test_id("register-list").wait_for()
        project_pk = re.search(r"/insats/(\d+)/", page.url).group(1)
        page.get_by_role("link", name="Importera från Excel").click()
        page.get_by_role("heading", level=1, name="Importera deltagare från Excel").wait_for()
        assert_accessible(page, "importsidan")
        _no_sideways_overflow(page, "importsidan")

        with page.expect_download() as download:
            page.get_by_role("link", name="Ladda ned mall").click()
        template = download.value.path().read_bytes()

        book = load_workbook(io.BytesIO(template))
        _rows(book["Deltagare"], 400, bad_row=200)
        bad = tmp_path / "deltagare-fel.xlsx"
        book.save(bad)
        page.get_by_label("Ifylld mall (.xlsx)").set_input_files(str(bad))
        page.get_by_role("button", name="Importera").click()
        errors = page.get_by_test_id("import-errors")
        errors.wait_for(timeout=60_000)
        assert "201" in errors.inner_text() and "”Okänt kön” är inget kön i listan" in errors.inner_text()
        page.get_by_text("Filen importerades inte. Ingenting från filen har sparats.").wait_for()
        assert_accessible(page, "importen med fel")
        _no_sideways_overflow(page, "importen med fel")

        book = load_workbook(io.BytesIO(template))
        _rows(book["Deltagare"], 400)
        good = tmp_path / "deltagare.xlsx"
        book.save(good)
        page.get_by_role("link", name="Importera en fil till").click()
        page.get_by_label("Ifylld mall (.xlsx)").set_input_files(str(good))
        page.get_by_role("button", name="Importera").click()
        page.locator("#import-progress-bar").wait_for(timeout=60_000)
        assert_accessible(page, "importen i bakgrunden")
        gate.set()
        page.get_by_text("Filen är importerad.").wait_for(timeout=90_000)
        assert (
            page.get_by_test_id("import-counts").inner_text()
            == "400 nya deltagare och 0 ändrade deltagare i registret."
        )
        page.goto(f"/deltagarregister/insats/{project_pk}/")
        assert page.get_by_role("link", name="XL-0400").count() == 1
    finally:
        gate.set()
        register_import_services.job_progress = original
