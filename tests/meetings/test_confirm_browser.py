"""Deletes ask first (issue 7, point 17): a modal dialog that the keyboard can answer, that gives the focus back to
the button when cancelled, and breaks neither the Content-Security-Policy nor axe-core."""

from __future__ import annotations

import pytest

from core.models import Role
from tests.browser import assert_accessible, login
from tests.factories import CommitteeFactory, OrganisationFactory, user_with_role
from tests.meetings.factories import AgendaItemFactory, MeetingFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "demo-lösenord-123"


@pytest.fixture
def meeting():
    organisation = OrganisationFactory(name="Bergslagens samordningsförbund")
    user_with_role(organisation, Role.SECRETARY, username="sekreterare", password=PASSWORD)
    meeting = MeetingFactory(committee=CommitteeFactory(organisation=organisation, name="Styrelsen"))
    for position, title in enumerate(["Mötets öppnande", "Budget 2020", "Övriga frågor"], 1):
        AgendaItemFactory(meeting=meeting, position=position, title=title)
    return meeting


def titles(meeting) -> list[str]:
    return list(meeting.agenda_items.order_by("position").values_list("title", flat=True))


def test_removing_a_punkt_asks_in_a_dialog_and_keeps_the_keyboard_focus(page, meeting):
    login(page, "sekreterare", PASSWORD)
    page.goto(f"/sammantraden/{meeting.pk}/")
    remove = page.get_by_role("button", name="Ta bort Budget 2020")
    remove.focus()
    page.keyboard.press("Enter")
    dialog = page.get_by_role("dialog", name="Ta bort punkt 2 ”Budget 2020” från föredragningslistan?")
    dialog.wait_for()
    # The safe answer has the focus; the page behind is inert (modal).
    assert page.evaluate("() => document.activeElement.textContent") == "Avbryt"
    assert_accessible(page, "bekräftelsen av en borttagning")

    # Escape cancels: nothing removed, the focus is back on the button that asked.
    page.keyboard.press("Escape")
    dialog.wait_for(state="hidden")
    assert page.evaluate("() => document.activeElement.textContent.trim()") == "Ta bort Budget 2020"
    assert titles(meeting) == ["Mötets öppnande", "Budget 2020", "Övriga frågor"]

    # Again, and confirm with the keyboard: Tab to "Ta bort" and press Enter.
    page.keyboard.press("Enter")
    dialog.wait_for()
    page.keyboard.press("Tab")
    assert page.evaluate("() => document.activeElement.textContent") == "Ta bort"
    page.keyboard.press("Enter")
    page.wait_for_url(f"**/sammantraden/{meeting.pk}/#agenda-heading", wait_until="commit")
    page.get_by_text("Punkt ”Budget 2020” har tagits bort.").wait_for()
    assert titles(meeting) == ["Mötets öppnande", "Övriga frågor"]
    assert page.csp_errors == []
