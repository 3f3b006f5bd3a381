"""A secretary sets up a diarieserie (live preview), registers an ärende and writes its tjänsteskrivelse in a real
browser; every page passes axe-core and the Content-Security-Policy."""

import datetime as dt

import pytest

from core.models import Role
from meetings.models import Case
from tests.browser import assert_accessible, login
from tests.factories import CommitteeFactory, OrganisationFactory, PersonFactory, user_with_role

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "demo-lösenord-123"


def test_secretary_registers_a_case_and_writes_the_officer_report(page):
    organisation = OrganisationFactory(name="Ljusnarsbergs kommun")
    CommitteeFactory(organisation=organisation, name="Socialnämnden", short_name="SN")
    PersonFactory(organisation=organisation, first_name="Karin", last_name="Lund", title="Förvaltningschef")
    user_with_role(organisation, Role.SECRETARY, username="sekreterare", password=PASSWORD)
    year = dt.date.today().year

    login(page, "sekreterare", PASSWORD)
    page.goto("/arenden/diarieserier/ny/")
    page.get_by_label("Namn").fill("Socialnämndens diarium")
    page.get_by_label("Organ").select_option(label="Socialnämnden (SN)")
    pattern = page.get_by_label("Mönster")
    pattern.fill("{committee} {seq4}")
    page.get_by_text("Mönstret måste innehålla årtalet {year}.").wait_for()
    pattern.fill("{committee} {year}/{seq}")
    page.get_by_test_id("series-preview-number").filter(has_text=f"SN {year}/1").wait_for()
    assert_accessible(page, "formuläret för en diarieserie")
    page.get_by_role("button", name="Lägg upp serien").click()
    page.get_by_text("Diarieserien Socialnämndens diarium är sparad.").wait_for()
    assert_accessible(page, "listan över diarieserier")

    page.goto("/arenden/nytt/")
    page.get_by_role("button", name="Registrera").click()
    page.locator("#form-errors").wait_for()
    assert_accessible(page, "formuläret för ett ärende med fel")
    page.get_by_label("Diarieserie").select_option(label="Socialnämndens diarium")
    page.get_by_label("Ärendemening").fill("Extra månadsuppföljning maj")
    page.get_by_role("button", name="Registrera").click()
    page.get_by_text(f"Ärendet är registrerat med diarienummer SN {year}/1.").wait_for()
    assert_accessible(page, "sidan för ett ärende")

    page.get_by_role("link", name="Skriv tjänsteskrivelse").click()
    page.get_by_label("Förslag till beslut").fill("att godkänna uppföljningen\növerlämna den")
    page.get_by_label("Undertecknas av").select_option(label="Karin Lund, Förvaltningschef")
    page.get_by_role("button", name="Spara", exact=True).click()
    page.get_by_text("Rad 2 börjar inte med ”att ”").first.wait_for()
    assert_accessible(page, "tjänsteskrivelsen med fel")
    page.get_by_label("Förslag till beslut").fill("att godkänna uppföljningen\natt överlämna den")
    page.get_by_role("button", name="Förhandsgranska utan att spara").click()
    page.get_by_test_id("officer-report").get_by_text("Att överlämna den").wait_for()
    page.get_by_role("button", name="Spara", exact=True).click()
    page.get_by_text(f"Tjänsteskrivelsen i ärende SN {year}/1 är sparad.").wait_for()
    assert Case.objects.get().officer_report.proposed_clauses == ["att godkänna uppföljningen", "att överlämna den"]

    page.goto("/arenden/sok/?q=uppföljningen")
    page.get_by_test_id("case-results").get_by_text("Extra månadsuppföljning maj").wait_for()
    assert_accessible(page, "söksidan")
    page.goto("/register/delegationsbeslut/")
    assert_accessible(page, "listan över delegationsbeslut")
    assert page.csp_errors == []
