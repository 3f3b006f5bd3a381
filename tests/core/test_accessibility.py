"""axe-core and the Content-Security-Policy on the account, user-administration, audit and error pages."""

import pytest
from django.core.management import call_command

from core.models import Organisation, User
from tests.browser import assert_accessible, login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def demo(live_server):
    call_command("seed_demo")
    return Organisation.objects.get(name="Samordningsförbundet Skellefteå-Norsjö")


def test_account_pages(page, demo):
    page.goto("/konto/logga-in/")
    page.get_by_label("Användarnamn").fill("admin")
    page.get_by_label("Lösenord").fill("fel")
    page.get_by_role("button", name="Logga in").click()
    page.get_by_text("Fel användarnamn eller lösenord").wait_for()
    assert_accessible(page, "inloggningssidan med fel")
    page.get_by_role("link", name="Glömt lösenordet?").click()
    page.get_by_role("heading", level=1, name="Glömt lösenordet?").wait_for()
    assert_accessible(page, "glömt lösenord")
    page.goto("/finns-inte/")
    assert_accessible(page, "404-sidan")
    assert page.csp_errors == []


def test_admin_pages(page, demo):
    login(page, "admin")
    admin = User.objects.get(username="admin")
    secretary = User.objects.get(username="sekreterare")
    page.select_option("#org-switch", label=demo.name)
    page.get_by_role("button", name="Byt").click()
    page.get_by_text(f"Du arbetar nu i {demo.name}").wait_for()
    page.get_by_role("link", name="Användare", exact=True).click()
    page.get_by_role("heading", level=1).wait_for()
    assert_accessible(page, "användarlistan")

    page.get_by_role("link", name="Ny användare").click()
    page.get_by_role("button", name="Skapa och skicka inbjudan").click()
    page.locator("#form-errors").wait_for()
    assert_accessible(page, "ny användare med fel")

    page.goto(f"/anvandare/{secretary.pk}/andra/")
    page.locator("#shared-account-note").wait_for()
    assert_accessible(page, "ändra delat konto")
    page.goto(f"/anvandare/{admin.pk}/ta-bort/")
    assert_accessible(page, "bekräfta borttagning")

    page.get_by_role("link", name="Granskningslogg").click()
    page.get_by_role("heading", level=1, name="Granskningslogg").wait_for()
    assert_accessible(page, "granskningsloggen")
    page.get_by_role("link", name="Historik").first.click()
    page.get_by_role("heading", level=1).wait_for()
    assert_accessible(page, "ändringshistoriken")
    assert page.csp_errors == []


def test_lockout_page(page, demo, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        page.goto("/konto/logga-in/")
        page.get_by_label("Användarnamn").fill("revisor")
        page.get_by_label("Lösenord").fill("fel")
        page.get_by_role("button", name="Logga in").click()
        page.wait_for_load_state()
    page.get_by_role("heading", level=1, name="För många inloggningsförsök").wait_for()
    assert_accessible(page, "spärrsidan")
    assert page.csp_errors == []
