"""Two secretaries save the same § in two browsers: the second sees the Swedish conflict message, with what they
typed still in the form and what the first one saved beside it. The page passes axe-core and the CSP."""

import pytest

from meetings.models import Paragraph
from tests.browser import assert_accessible, login

from .test_edit_conflicts import build

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "demo-lösenord-123"
FIRST = "Annas text om budgeten"
SECOND = "Bertils text som skrevs samtidigt"


def test_the_second_of_two_saves_of_a_paragraph_is_refused_and_keeps_the_text(page, browser, live_server, organisation):
    w = build(organisation)  # two secretaries, Anna Andersson and Bertil Berg, with the factories' password
    url = f"/protokoll/paragraf/{w.paragraph.pk}/"

    other = browser.new_context(base_url=live_server.url, locale="sv-SE")
    second = other.new_page()
    second.set_default_timeout(15_000)
    try:
        login(page, w.anna.username, PASSWORD)
        page.goto(url)
        login(second, w.bertil.username, PASSWORD)
        second.goto(url)

        page.get_by_label("Text", exact=True).fill(FIRST)
        second.get_by_label("Text", exact=True).fill(SECOND)
        page.get_by_role("button", name="Spara paragrafen").click()
        page.get_by_text("§ 1 är sparad.").wait_for()
        second.get_by_role("button", name="Spara paragrafen").click()

        conflict = second.get_by_test_id("edit-conflict")
        conflict.wait_for()
        assert "Någon annan har sparat § 1 medan du skrev" in conflict.inner_text()
        assert "Anna Andersson" in conflict.inner_text()
        assert FIRST in conflict.inner_text()  # the other person's change
        assert second.get_by_label("Text", exact=True).input_value() == SECOND  # what was typed is kept
        assert Paragraph.objects.get(pk=w.paragraph.pk).body == FIRST
        assert_accessible(second, "paragrafen med en krock mellan två som sparar")
        assert page.csp_errors == []

        # Saving again, having seen the other change, is a deliberate overwrite.
        second.get_by_role("button", name="Spara paragrafen").click()
        second.get_by_text("§ 1 är sparad.").wait_for()
        assert Paragraph.objects.get(pk=w.paragraph.pk).body == SECOND
    finally:
        other.close()
