"""The förbundschef registers an insats, enters a participant report in the grid, sees it refused with the
impossible figure named, fixes it, submits it and corrects it as a new version; all through the UI, from the
demo data. axe-core on the insats list, the insats page and the report grid; no sideways overflow at 390 px."""

import pytest
from django.core.management import call_command

from tests.browser import assert_accessible, login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _no_sideways_overflow(page, what: str) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"{what} är {width} px bred vid 390 px"


def test_director_enters_submits_and_corrects_a_report(page, live_server):
    call_command("seed_demo")
    page.set_viewport_size({"width": 390, "height": 900})
    login(page, "forbundschef")
    page.get_by_role("link", name="Insatser", exact=True).click()
    page.get_by_role("heading", level=1, name="Insatser").wait_for()
    assert_accessible(page, "insatslistan")
    _no_sideways_overflow(page, "insatslistan")

    page.get_by_role("link", name="Ny insats").click()
    page.locator("#id_name").fill("Beredningsgrupp för unga")
    page.locator("#id_kind").select_option(label="Ordinarie samverkan")
    page.locator("#id_orientation").select_option(label="Individinriktad")
    page.locator("#id_executor_name").fill("Skellefteå kommun")
    page.get_by_label("Unga som riskerar att hamna i långvarigt utanförskap").check()
    page.get_by_role("button", name="Spara").click()
    page.get_by_role("heading", level=1, name="Beredningsgrupp för unga").wait_for()
    assert_accessible(page, "insatsens sida")
    _no_sideways_overflow(page, "insatsens sida")

    page.get_by_role("link", name="Ny deltagarrapport").click()
    page.locator("#id_year").fill("2019")
    page.get_by_role("button", name="Spara").click()
    page.get_by_role("heading", level=1, name="Deltagarrapport Helår 2019").wait_for()
    page.get_by_label("Inskrivna vid periodens början, kvinnor", exact=True).fill("10")
    page.get_by_label("Nyinskrivna under perioden, kvinnor", exact=True).fill("5")
    page.get_by_label("Åldersgrupp, 16 - 29 år, kvinnor", exact=True).fill("14")
    # The computed totals follow what is typed.
    assert page.locator('[data-computed="active"][data-gender="woman"]').text_content() == "15"
    assert_accessible(page, "rapportrutnätet")
    _no_sideways_overflow(page, "rapportrutnätet")
    page.get_by_role("button", name="Spara och lämna in").click()
    errors = page.get_by_test_id("report-errors")
    errors.wait_for()
    assert "Åldersgrupp, kvinnor: summan 14 stämmer inte med antalet aktiva deltagare (15)." in errors.inner_text()
    assert_accessible(page, "rapportrutnätet med fel")

    page.get_by_label("Åldersgrupp, 16 - 29 år, kvinnor", exact=True).fill("15")
    page.get_by_role("button", name="Spara och lämna in").click()
    page.get_by_text("Rapporten är inlämnad och låst.", exact=True).wait_for()
    assert page.get_by_label("Inskrivna vid periodens början, kvinnor", exact=True).count() == 0

    page.get_by_role("link", name="Rätta rapporten (ny version)").click()
    page.get_by_label("Skäl till rättelsen").fill("En kvinna till var inskriven vid årets början")
    page.get_by_role("button", name="Spara").click()
    page.get_by_text("version 2").first.wait_for()
    page.get_by_label("Inskrivna vid periodens början, kvinnor", exact=True).fill("11")
    page.get_by_label("Åldersgrupp, 16 - 29 år, kvinnor", exact=True).fill("16")
    page.get_by_role("button", name="Spara och lämna in").click()
    page.get_by_text("Rapporten är inlämnad och låst.", exact=True).wait_for()
    page.get_by_role("link", name="Version 1").click()
    assert page.locator('[data-computed="active"][data-gender="woman"]').text_content() == "15"
    assert page.csp_errors == []
