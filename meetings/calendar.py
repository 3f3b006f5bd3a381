"""A committee's sammanträden as an iCalendar feed (RFC 5545), public data only.

Each meeting is one VEVENT: date, time and place, and the summary "<organ> sammanträde" (a cancelled one
"INSTÄLLT: …" with STATUS:CANCELLED). Nothing else: no agenda
items (a confidential one must never reach a calendar), no names. Times are written in UTC (the "Z" form), which
every client shows in its own zone; the meeting's local time is Europe/Stockholm.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from zoneinfo import ZoneInfo

from icalendar import Calendar, Event

from .models import Committee, Meeting

STOCKHOLM = ZoneInfo("Europe/Stockholm")
PRODID = "-//Paragraf//Sammanträdeskalender//SV"
UID_DOMAIN = "paragraf.sammantraden"


def meeting_uid(meeting: Meeting) -> str:
    """Stable per meeting: a moved meeting keeps its UID, so calendars update the event instead of adding one."""
    return f"sammantrade-{meeting.pk}@{UID_DOMAIN}"


def _utc(day: dt.date, time: dt.time) -> dt.datetime:
    return dt.datetime.combine(day, time, tzinfo=STOCKHOLM).astimezone(dt.UTC)


def committee_calendar(*, committee: Committee, meetings: Iterable[Meeting], now: dt.datetime) -> bytes:
    """The feed as bytes (UTF-8, CRLF line ends, folded lines as RFC 5545 requires)."""
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", f"{committee.name} – sammanträden")
    calendar.add("x-wr-timezone", "Europe/Stockholm")
    stamp = now.astimezone(dt.UTC).replace(microsecond=0)
    for meeting in meetings:
        event = Event()
        event.add("uid", meeting_uid(meeting))
        event.add("dtstamp", stamp)
        event.add("dtstart", _utc(meeting.date, meeting.start_time))
        if meeting.end_time:
            event.add("dtend", _utc(meeting.date, meeting.end_time))
        cancelled = meeting.status == Meeting.Status.CANCELLED
        event.add("summary", f"{'INSTÄLLT: ' if cancelled else ''}{committee.name} sammanträde")
        if meeting.place:
            event.add("location", meeting.place)
        event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
        event.add("transp", "OPAQUE")
        calendar.add_component(event)
    return calendar.to_ical()
