"""A report grid through Excel, from the demo data and through the UI only: the förbundschef downloads the blank
template of a draft report, uploads it with an error in a middle row and sees every error listed while nothing is
imported, then uploads the fixed file and sees the figures and computed totals in the grid. axe-core on the
import page; no sideways overflow at 390 px. (The register-row import: tests/e2e/test_register_import.py.)"""

import io

import pytest
from django.core.management import call_command
from openpyxl import load_workbook

from tests.browser import assert_accessible, login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _no_sideways_overflow(page, what: str) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"{what} är {width} px bred vid 390 px"


def _row_of(sheet, label):
    for row in sheet.iter_rows(min_row=4):
        if row[2].value == label:
            return row[0].row
    raise AssertionError(label)


def test_director_imports_a_report_grid_from_excel(page, live_server, tmp_path):
    call_command("seed_demo")
    page.set_viewport_size({"width": 390, "height": 900})
    login(page, "forbundschef")
    page.get_by_role("link", name="Insatser", exact=True).click()
    page.get_by_role("link", name="Ny insats").click()
    page.locator("#id_name").fill("Excelprovet")
    page.locator("#id_kind").select_option(label="Ordinarie samverkan")
    page.locator("#id_orientation").select_option(label="Individinriktad")
    page.locator("#id_executor_name").fill("Norsjö kommun")
    page.get_by_label("Unga som riskerar att hamna i långvarigt utanförskap").check()
    page.get_by_role("button", name="Spara").click()
    page.get_by_role("heading", level=1, name="Excelprovet").wait_for()
    page.get_by_role("link", name="Ny deltagarrapport").click()
    page.locator("#id_year").fill("2019")
    page.get_by_role("button", name="Spara").click()
    page.get_by_role("heading", level=1, name="Deltagarrapport Helår 2019").wait_for()

    with page.expect_download() as download:
        page.get_by_role("link", name="Ladda ned mall").click()
    book = load_workbook(io.BytesIO(download.value.path().read_bytes()))
    sheet = book.active
    sheet[f"D{_row_of(sheet, 'Inskrivna vid periodens början')}"] = 10
    sheet[f"D{_row_of(sheet, 'Nyinskrivna under perioden')}"] = 5
    middle = _row_of(sheet, "Avslutade under perioden")
    sheet[f"D{middle}"] = "tre"  # the error, in the middle of the typed rows
    sheet[f"D{_row_of(sheet, '16 - 29 år')}"] = 15
    bad = tmp_path / "rapport-fel.xlsx"
    book.save(bad)

    page.get_by_role("link", name="Importera från Excel").click()
    page.get_by_role("heading", level=1, name="Importera deltagarrapport från Excel").wait_for()
    assert_accessible(page, "importsidan")
    _no_sideways_overflow(page, "importsidan")
    page.get_by_label("Ifylld mall (.xlsx)").set_input_files(str(bad))
    page.get_by_role("button", name="Importera").click()
    errors = page.get_by_test_id("import-errors")
    errors.wait_for()
    text = errors.inner_text()
    assert str(middle) in text and "Kvinnor" in text and "”tre” är inte ett heltal" in text
    page.get_by_text("Filen importerades inte. Ingenting från filen har sparats.").wait_for()
    assert_accessible(page, "importsidan med fel")
    _no_sideways_overflow(page, "importsidan med fel")

    page.get_by_role("link", name="← Deltagarrapport Helår 2019").click()
    assert page.get_by_label("Inskrivna vid periodens början, kvinnor", exact=True).input_value() == "0"

    sheet[f"D{middle}"] = 3
    good = tmp_path / "rapport.xlsx"
    book.save(good)
    page.get_by_role("link", name="Importera från Excel").click()
    page.get_by_label("Ifylld mall (.xlsx)").set_input_files(str(good))
    page.get_by_role("button", name="Importera").click()
    page.get_by_text("Antalen är inlästa från filen", exact=False).wait_for()
    assert page.get_by_label("Inskrivna vid periodens början, kvinnor", exact=True).input_value() == "10"
    assert page.locator('[data-computed="active"][data-gender="woman"]').text_content() == "15"
    assert page.locator('[data-computed="remaining"][data-gender="woman"]').text_content() == "12"
    assert not page.csp_errors
