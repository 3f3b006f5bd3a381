"""A secretary adds a member to a committee in a real browser; the committee page passes axe-core."""

import pytest

from core.models import Role
from tests.browser import assert_accessible, login
from tests.factories import CommitteeFactory, OrganisationFactory, PersonFactory, user_with_role

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "demo-lösenord-123"


def test_secretary_adds_a_membership(page):
    organisation = OrganisationFactory(name="Ljusnarsbergs kommun")
    committee = CommitteeFactory(organisation=organisation, name="Socialnämnden", short_name="SN")
    PersonFactory(organisation=organisation, first_name="Ingrid", last_name="Kopparholm")
    user_with_role(organisation, Role.SECRETARY, username="sekreterare", password=PASSWORD)

    login(page, "sekreterare", PASSWORD)
    page.get_by_role("link", name="Organ", exact=True).click()
    page.get_by_role("link", name="Socialnämnden").click()
    page.get_by_role("heading", level=1, name="Socialnämnden (SN)").wait_for()
    assert page.get_by_text("Inga ledamöter den").is_visible()

    page.get_by_role("link", name="Lägg till ledamot eller ersättare").click()
    page.get_by_label("Person", exact=True).select_option(label="Ingrid Kopparholm")
    page.get_by_label("Roll").select_option(label="Ordförande")
    page.get_by_label("Parti").fill("S")
    page.get_by_label("Från och med").fill("2023-01-01")
    page.get_by_role("button", name="Lägg till").click()

    page.wait_for_url(f"**/organ/{committee.pk}/")
    page.get_by_text("Ingrid Kopparholm är ordförande i Socialnämnden.").wait_for()
    row = page.get_by_test_id("member-table").get_by_role("row", name="Ingrid Kopparholm")
    assert "Ordförande" in row.inner_text()
    assert "S" in row.inner_text()
    assert_accessible(page, "sidan för ett organ")

    # The form for the next one, with an error, is accessible too.
    page.get_by_role("link", name="Lägg till ledamot eller ersättare").click()
    page.get_by_role("button", name="Lägg till").click()
    page.locator("#form-errors").wait_for()
    assert_accessible(page, "formuläret för ett uppdrag med fel")
    assert page.csp_errors == []
