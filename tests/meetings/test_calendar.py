"""The public iCalendar feed of a committee's sammanträden."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from meetings.models import Meeting
from tests.factories import CommitteeFactory
from tests.meetings.factories import AgendaItemFactory, MeetingFactory

pytestmark = pytest.mark.django_db

STOCKHOLM = ZoneInfo("Europe/Stockholm")
SECRET = "Placering av barn enligt LVU, Hemlig Person"


@pytest.fixture
def committee(organisation):
    return CommitteeFactory(organisation=organisation, name="Socialnämnden")


def feed(committee) -> tuple[object, str]:
    response = Client().get(reverse("noticeboard:committee_calendar", args=[committee.pk]))
    return response, response.content.decode("utf-8")


def test_feed_has_one_event_per_meeting_with_public_facts_only(committee):
    winter = MeetingFactory(
        committee=committee,
        date=timezone.localdate() + dt.timedelta(days=30),
        start_time=dt.time(9, 0),
        end_time=dt.time(12, 0),
        place="Stadshuset, sammanträdesrum Älven",
    )
    AgendaItemFactory(meeting=winter, title=SECRET, confidential=True, legal_basis="OSL 26 kap. 1 §")
    AgendaItemFactory(meeting=winter, title="Delårsrapport")
    cancelled = MeetingFactory(
        committee=committee, date=timezone.localdate() + dt.timedelta(days=40), status="cancelled"
    )
    MeetingFactory(committee=CommitteeFactory(organisation=committee.organisation), date=timezone.localdate())

    response, body = feed(committee)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert SECRET not in body and "Hemlig" not in body and "Delårsrapport" not in body

    calendar = Calendar.from_ical(body)
    events = calendar.walk("VEVENT")
    assert len(events) == 2
    event, called_off = events
    # A cancelled meeting stays in the feed as cancelled, so subscribed calendars show it as inställt.
    assert str(called_off["uid"]) == f"sammantrade-{cancelled.pk}@paragraf.sammantraden"
    assert str(called_off["status"]) == "CANCELLED" and str(called_off["summary"]).startswith("INSTÄLLT: ")
    assert str(event["status"]) == "CONFIRMED"
    assert str(event["summary"]) == "Socialnämnden sammanträde"
    assert str(event["location"]) == "Stadshuset, sammanträdesrum Älven"
    assert str(event["uid"]) == f"sammantrade-{winter.pk}@paragraf.sammantraden"
    start = event.decoded("dtstart")
    assert start.utcoffset() == dt.timedelta(0)
    assert start.astimezone(STOCKHOLM).time() == dt.time(9, 0)
    assert event.decoded("dtend").astimezone(STOCKHOLM).time() == dt.time(12, 0)


def test_uid_is_stable_when_the_meeting_moves(committee):
    meeting = MeetingFactory(committee=committee, date=timezone.localdate() + dt.timedelta(days=5))
    _, before = feed(committee)
    Meeting.objects.filter(pk=meeting.pk).update(date=meeting.date + dt.timedelta(days=7), place="Nytt rum")
    _, after = feed(committee)
    uid = f"UID:sammantrade-{meeting.pk}@paragraf.sammantraden"
    assert uid in before and uid in after
    assert "Nytt rum" in after


def test_summer_time_is_converted(committee):
    MeetingFactory(committee=committee, date=dt.date(2030, 6, 13), start_time=dt.time(13, 30), end_time=None)
    _, body = feed(committee)
    assert "DTSTART:20300613T113000Z" in body
    assert "DTEND" not in body


def test_unknown_committee_is_404():
    assert Client().get(reverse("noticeboard:committee_calendar", args=[999999])).status_code == 404
