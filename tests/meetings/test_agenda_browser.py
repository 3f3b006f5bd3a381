"""The agenda editor in Chromium: reorder by keyboard buttons and by mouse drag, axe-core clean."""

from __future__ import annotations

import re

import pytest

from core.models import Role
from tests.browser import assert_accessible, login
from tests.factories import CommitteeFactory, OrganisationFactory, user_with_role
from tests.meetings.factories import AgendaItemFactory, MeetingFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "demo-lösenord-123"


def titles(meeting) -> list[str]:
    return list(meeting.agenda_items.order_by("position").values_list("title", flat=True))


@pytest.fixture
def meeting():
    organisation = OrganisationFactory(name="Bergslagens samordningsförbund")
    user_with_role(organisation, Role.SECRETARY, username="sekreterare")
    meeting = MeetingFactory(committee=CommitteeFactory(organisation=organisation, name="Styrelsen"))
    for position, title in enumerate(["Mötets öppnande", "Budget 2020", "Verksamhetsplan", "Övriga frågor"], 1):
        AgendaItemFactory(meeting=meeting, position=position, title=title)
    return meeting


def test_reorder_by_keyboard_and_by_drag(page, meeting):
    login(page, "sekreterare", PASSWORD)
    page.goto(f"/sammantraden/{meeting.pk}/")
    page.wait_for_function("() => window.Sortable !== undefined")
    assert_accessible(page, "föredragningslistan")

    # Keyboard: Tab to "Flytta ned: Budget 2020" and press Enter; the focus stays on that button.
    button = page.get_by_role("button", name="Flytta ned: Budget 2020")
    button.focus()
    page.keyboard.press("Enter")
    status = page.get_by_test_id("agenda-status")
    page.wait_for_function(
        "() => document.getElementById('agenda-status').textContent.includes('flyttad till plats 3')"
    )
    assert status.text_content() == "Punkt ”Budget 2020” flyttad till plats 3"
    assert page.evaluate("() => document.activeElement.getAttribute('data-move-button')").endswith("-down")
    assert page.evaluate("() => document.activeElement.getAttribute('aria-label')") == "Flytta ned: Budget 2020"
    assert titles(meeting) == ["Mötets öppnande", "Verksamhetsplan", "Budget 2020", "Övriga frågor"]
    # The displayed numbers follow.
    third = page.locator("#agenda-items > li").nth(2)
    assert re.match(r"\s*3\. Budget 2020", third.locator("h3").text_content())

    # Pressing it again moves it once more, still from the same button.
    page.keyboard.press("Enter")
    page.wait_for_function(
        "() => document.getElementById('agenda-status').textContent.includes('flyttad till plats 4')"
    )
    assert titles(meeting) == ["Mötets öppnande", "Verksamhetsplan", "Övriga frågor", "Budget 2020"]

    # Mouse: drag "Övriga frågor" by its handle above the first item.
    handle = page.locator("#agenda-items > li", has_text="Övriga frågor").locator(".drag-handle")
    handle.hover()
    start = handle.bounding_box()
    goal = page.locator("#agenda-items > li").first.bounding_box()
    x = start["x"] + start["width"] / 2
    page.mouse.down()
    steps = 12
    for step in range(1, steps + 1):
        y = start["y"] + start["height"] / 2 + (goal["y"] + 5 - start["y"] - start["height"] / 2) * step / steps
        page.mouse.move(x, y)
        page.wait_for_timeout(80)  # SortableJS checks the pointer position every 50 ms while dragging
    page.wait_for_timeout(300)
    page.mouse.up()
    page.wait_for_function("() => document.getElementById('agenda-status').textContent.includes('Övriga frågor”')")
    assert status.text_content() == "Punkt ”Övriga frågor” flyttad till plats 1"
    assert titles(meeting) == ["Övriga frågor", "Mötets öppnande", "Verksamhetsplan", "Budget 2020"]
    first = page.locator("#agenda-items > li").first
    assert re.match(r"\s*1\. Övriga frågor", first.locator("h3").text_content())

    # After a reload the server's order is shown, and the page is still accessible.
    page.reload()
    assert page.locator("#agenda-items > li h3").first.text_content().strip() == "1. Övriga frågor"
    assert_accessible(page, "föredragningslistan efter flytt")
    assert not page.csp_errors
