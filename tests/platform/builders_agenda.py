"""URL name -> builder of URL kwargs for an object of the given organisation (see url_catalogue.py)."""

from __future__ import annotations


def _meeting(organisation) -> dict:
    from tests.factories import CommitteeFactory
    from tests.meetings.factories import AgendaItemFactory, MeetingFactory

    meeting = MeetingFactory(committee=CommitteeFactory(organisation=organisation))
    AgendaItemFactory(meeting=meeting, position=1)
    return {"pk": meeting.pk}


def _agenda_item(organisation) -> dict:
    from tests.factories import CommitteeFactory
    from tests.meetings.factories import AgendaItemFactory

    item = AgendaItemFactory(meeting__committee=CommitteeFactory(organisation=organisation), position=1)
    return {"pk": item.pk}


def _attachment(organisation) -> dict:
    from tests.meetings.test_attachments import make_attachment

    return {"pk": make_attachment(organisation).pk}


BUILDERS: dict = {
    "agenda:meeting_detail": _meeting,
    "agenda:meeting_edit": _meeting,
    "agenda:agenda_item_add": _meeting,
    "agenda:agenda_cases_add": _meeting,
    "agenda:agenda_reorder": _meeting,
    "agenda:notice_issue": _meeting,
    "agenda:meeting_mark_held": _meeting,
    "agenda:meeting_cancel": _meeting,
    "agenda:agenda_item_edit": _agenda_item,
    "agenda:agenda_item_remove": _agenda_item,
    "agenda:agenda_item_move": _agenda_item,
    "agenda:attachment_upload": _agenda_item,
    "agenda:attachment_download": _attachment,
    "agenda:attachment_remove": _attachment,
}
