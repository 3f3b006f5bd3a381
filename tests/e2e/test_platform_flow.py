"""Each demo role logs in, sees its menu, renders the organisation fact sheet and downloads the PDF."""

import pytest
from django.core.management import call_command

from tests.browser import assert_accessible, login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

COMMON_MENU = ["Översikt", "Organisation", "Dokument"]
ADMIN_ONLY = ["Användare"]
AUDIT_READERS = {"admin", "revisor"}  # the revisor reads the granskningslogg


@pytest.fixture
def demo_data(live_server):
    call_command("seed_demo")


def menu_labels(page):
    return [text.strip() for text in page.locator("nav[aria-label='Huvudmeny'] a").all_inner_texts()]


def test_login_page_is_accessible(page, demo_data):
    page.goto("/konto/logga-in/")
    assert_accessible(page, "inloggningssidan")
    assert page.csp_errors == []


@pytest.mark.parametrize("username", ["admin", "sekreterare", "forbundschef", "ekonom", "revisor", "ledamot"])
def test_role_logs_in_renders_fact_sheet_and_downloads_pdf(page, demo_data, username):
    login(page, username)
    page.get_by_role("heading", level=1, name="Översikt").wait_for()
    menu = menu_labels(page)
    for label in COMMON_MENU:
        assert label in menu
    for label in ADMIN_ONLY:
        assert (label in menu) == (username == "admin"), f"{label} för {username}: {menu}"
    assert ("Granskningslogg" in menu) == (username in AUDIT_READERS), f"Granskningslogg för {username}: {menu}"
    if username == "admin":
        assert_accessible(page, "översikten")

    page.get_by_role("link", name="Organisation", exact=True).click()
    page.get_by_role("button", name="Skapa faktablad (PDF)").click()
    page.wait_for_url("**/dokument/jobb/**")
    progress = page.locator("progress")
    progress.first.wait_for(state="attached")
    download_link = page.get_by_role("link", name="Ladda ner PDF")
    download_link.wait_for(timeout=60_000)
    assert page.locator("progress").first.get_attribute("value") == "100"
    if username == "admin":
        assert_accessible(page, "jobbsidan")

    with page.expect_download() as download_info:
        download_link.click()
    download = download_info.value
    assert download.suggested_filename.endswith(".pdf")
    with open(download.path(), "rb") as handle:
        assert handle.read(5) == b"%PDF-"
    assert page.csp_errors == []
