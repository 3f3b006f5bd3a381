"""The deltagaransvarig of Skellefteå kommun keeps Arbetsmarknadstorget's register: switches to the kommun,
enrols a participant, exits them with an outcome and submits the period report from the register. The
förbundschef sees the statistics change (nothing for the year before, the submitted counts after), sees the new
submitted report and cannot reach the participant record (404). All through the
UI, from the demo data; axe-core on the register list and the participant form; no sideways overflow at 390 px."""

import datetime as dt

import pytest
from django.core.management import call_command

from tests.browser import assert_accessible, login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _no_sideways_overflow(page, what: str) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"{what} är {width} px bred vid 390 px"


def _statistics(page, year: int) -> None:
    page.get_by_role("link", name="Insatser", exact=True).click()
    page.get_by_role("link", name="Statistik", exact=True).click()
    page.get_by_label("Insats", exact=True).select_option(label="Arbetsmarknadstorget")
    page.get_by_label("Från år").fill(str(year))
    page.get_by_label("Till år").fill(str(year))
    page.get_by_role("button", name="Visa").click()
    page.get_by_test_id("statistics-selection").filter(has_text="Arbetsmarknadstorget").wait_for()


def test_officer_enrols_exits_and_submits_and_the_federation_sees_only_counts(page, live_server):
    call_command("seed_demo")
    today = dt.date.today()
    page.set_viewport_size({"width": 390, "height": 900})
    # Before: the förbund's statistics for this year have nothing for Arbetsmarknadstorget.
    login(page, "forbundschef")
    _statistics(page, today.year)
    page.get_by_text("Det finns inga inlämnade rapporter för urvalet.").wait_for()
    page.context.clear_cookies()

    login(page, "deltagaransvarig")
    if "Skellefteå kommun" not in (page.locator("#org-switch option:checked").text_content() or ""):
        page.locator("#org-switch").select_option(label="Skellefteå kommun")
        page.get_by_role("button", name="Byt").click()
        page.get_by_text("Du arbetar nu i Skellefteå kommun.").wait_for()
    page.get_by_role("link", name="Deltagarregister", exact=True).click()
    page.get_by_role("link", name="Arbetsmarknadstorget").click()
    page.get_by_role("heading", level=1, name="Arbetsmarknadstorget").wait_for()
    page.get_by_test_id("register-list").wait_for()
    assert page.get_by_role("link", name="AMT-0001").count() == 1
    assert_accessible(page, "deltagarlistan")
    _no_sideways_overflow(page, "deltagarlistan")

    page.get_by_role("link", name="Skriv in deltagare").click()
    page.get_by_role("heading", level=1, name="Skriv in deltagare i Arbetsmarknadstorget").wait_for()
    assert_accessible(page, "inskrivningsformuläret")
    _no_sideways_overflow(page, "inskrivningsformuläret")
    page.get_by_label("Kön").select_option(label="Kvinnor")
    assert page.get_by_label("Deltagaren har samtyckt till registrering").is_checked()
    page.locator("#id_consent_on").fill(f"{today.year}-01-01")
    page.locator("#id_enrolled_on").fill(f"{today.year}-01-01")
    page.get_by_label("Födelseår").fill(str(today.year - 25))
    page.get_by_label("Remittent").select_option(label="Af")
    page.get_by_label("Kartläggning").check()
    page.get_by_role("button", name="Spara").click()
    page.get_by_text("är inskriven.").wait_for()
    heading = page.get_by_role("heading", level=1).text_content()
    code = heading.removeprefix("Deltagare ").strip()
    assert code.startswith("D-")
    record_url = page.url
    assert_accessible(page, "deltagaren")

    page.get_by_role("link", name="Avsluta").click()
    page.locator("#id_exited_on").fill(today.isoformat())
    page.get_by_label("Avslutsorsak").select_option(label="Arbete")
    page.get_by_label("Försörjning vid avslut").select_option(label="Lön/Arbete")
    assert_accessible(page, "avslutsformuläret")
    page.get_by_role("button", name="Spara").click()
    page.get_by_text(f"Deltagare {code} är avslutad.").wait_for()

    page.locator("#id_period").select_option(label=f"Helår {today.year}")
    page.get_by_test_id("report-preview").wait_for()
    page.get_by_role("button", name="Räkna fram och lämna in rapporten").click()
    page.get_by_text(f"Rapporten för Helår {today.year} (version 1) är inlämnad").wait_for()
    assert page.csp_errors == []

    page.context.clear_cookies()
    login(page, "forbundschef")
    page.get_by_role("link", name="Insatser", exact=True).click()
    page.get_by_role("link", name="Arbetsmarknadstorget").first.click()
    page.get_by_test_id("register-note").wait_for()
    page.get_by_role("link", name=f"Helår {today.year}").click()
    page.get_by_text("Inlämnad").first.wait_for()
    enrolled = page.locator('tbody[data-section="base"] tr').nth(1).locator("td").first.text_content()
    assert int(enrolled) >= 1  # at least the woman enrolled above
    assert code not in page.content()
    # The participant's record answers 404 for the förbund, by its own URL as by any other.
    response = page.goto(record_url)
    assert response.status == 404
    assert code not in page.content()

    # After: the statistics have the submitted counts (the woman enrolled and exited to arbete), no record.
    _statistics(page, today.year)
    years = page.get_by_test_id("statistics-years")
    cells = years.locator("tbody tr").first.locator("td")
    assert int(cells.nth(0).text_content()) >= 1  # kvinnor
    assert int(cells.nth(5).text_content()) >= 1  # avslutade
    assert code not in page.content()
