"""In a real browser: the warning before the session ends keeps the user logged in, and a save after the end
comes back, after login, to the form with the text still there. axe-core and the CSP on the way."""

import pytest
from django.contrib.sessions.models import Session

from core.sessions import WARN_SECONDS
from meetings.models import Paragraph
from tests.browser import assert_accessible, login
from tests.meetings.test_edit_conflicts import build

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "demo-lösenord-123"
TYPED = "Text som skrevs medan sessionen tog slut"


def test_warning_keeps_the_session_and_a_save_after_the_end_comes_back(page, organisation, settings):
    settings.SESSION_COOKIE_AGE = WARN_SECONDS + 3  # the warning is due three seconds after a page load
    w = build(organisation)
    url = f"/protokoll/paragraf/{w.paragraph.pk}/"
    login(page, w.anna.username, PASSWORD)
    page.goto(url)
    page.get_by_label("Text", exact=True).fill(TYPED)

    dialog = page.get_by_role("alertdialog", name="Du loggas snart ut")
    dialog.wait_for(timeout=20_000)
    keep = dialog.get_by_role("button", name="Fortsätt vara inloggad")
    assert keep.evaluate("element => element === document.activeElement")  # focus moved into the dialog
    assert_accessible(page, "varningen innan sessionen tar slut")
    settings.SESSION_COOKIE_AGE = 3600  # the session the keep-alive starts lasts long enough for the rest
    keep.click()
    dialog.wait_for(state="hidden")
    assert page.get_by_label("Text", exact=True).input_value() == TYPED  # focus and text back where they were

    Session.objects.all().delete()  # the session ends on the server
    page.get_by_role("button", name="Spara paragrafen").click()
    page.get_by_text("Du hade hunnit bli utloggad").wait_for()
    assert "/konto/logga-in/" in page.url
    assert Paragraph.objects.get(pk=w.paragraph.pk).body == ""
    page.get_by_label("Användarnamn").fill(w.anna.username)
    page.get_by_label("Lösenord").fill(PASSWORD)
    page.get_by_role("button", name="Logga in").click()
    page.get_by_text("Det du skrev innan du blev utloggad är ifyllt igen.").wait_for()
    assert page.get_by_label("Text", exact=True).input_value() == TYPED
    assert_accessible(page, "formuläret med den återställda texten")
    page.get_by_role("button", name="Spara paragrafen").click()
    page.get_by_text("§ 1 är sparad.").wait_for()
    assert Paragraph.objects.get(pk=w.paragraph.pk).body == TYPED
    assert page.csp_errors == []
