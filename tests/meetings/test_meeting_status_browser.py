"""Inställt through the UI in a real browser: the confirmation, the e-mail to the kallade; axe-core passes, and
the pages do not scroll sideways on a 390 px phone."""

import datetime as dt

import pytest
from django.core import mail
from django.utils import timezone

from core.models import Role
from meetings.models import Meeting, NoticeIssue, NoticeRecipient
from tests.browser import assert_accessible, login
from tests.factories import CommitteeFactory, OrganisationFactory, PersonFactory, user_with_role
from tests.meetings.factories import MeetingFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "demo-lösenord-123"


def no_sideways_scroll(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth")


def test_secretary_cancels_a_meeting_and_the_kallade_are_told(page):
    organisation = OrganisationFactory(name="Ljusnarsbergs kommun")
    user_with_role(organisation, Role.SECRETARY, username="sekreterare", password=PASSWORD)
    committee = CommitteeFactory(organisation=organisation, name="Socialnämnden", short_name="SN")
    meeting = MeetingFactory(
        committee=committee,
        date=timezone.localdate() + dt.timedelta(days=7),
        status=Meeting.Status.NOTICE_ISSUED,
        notice_revision=1,
    )
    notice = NoticeIssue.objects.create(meeting=meeting, revision=1)
    person = PersonFactory(organisation=organisation, first_name="Anna", email="anna@example.se")
    NoticeRecipient.objects.create(notice=notice, person=person, category="member", email=person.email)

    page.set_viewport_size({"width": 390, "height": 844})
    login(page, "sekreterare", PASSWORD)
    page.goto(f"/sammantraden/{meeting.pk}/")
    page.get_by_role("link", name="Ställ in sammanträdet").click()
    page.get_by_role("heading", level=1, name="Ställ in sammanträdet").wait_for()
    assert_accessible(page, "ställ in sammanträdet")
    assert no_sideways_scroll(page)
    page.get_by_label("Skäl (valfritt)").fill("Ordföranden är sjuk.")
    page.get_by_role("button", name="Ställ in sammanträdet").click()
    page.get_by_text("Kryssa i rutan för att bekräfta").first.wait_for()
    assert page.get_by_label("Skäl (valfritt)").input_value() == "Ordföranden är sjuk."
    page.get_by_label("Ja, ställ in sammanträdet").check()
    page.get_by_role("button", name="Ställ in sammanträdet").click()
    page.get_by_test_id("meeting-status").get_by_text("Inställt").wait_for()
    assert_accessible(page, "inställt sammanträde")
    assert no_sideways_scroll(page)
    assert [m.to for m in mail.outbox] == [["anna@example.se"]]
