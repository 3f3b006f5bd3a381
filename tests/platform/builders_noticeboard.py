"""URL name -> builder of URL kwargs for an object of the given organisation (see url_catalogue.py).

Also the helpers the noticeboard tests share: a justerat protokoll with §§ and its anslag.

PUBLIC_ROUTES take an id but are public for everyone (the anslagstavla shows every organisation's anslag, and
a committee's calendar is public): they answer the same to every visitor, so they have no scoping case. They
only answer GET/HEAD (405 on POST); OTHER_PARAMS gives the read-only test an id to call them with.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

PUBLIC_ROUTES = [
    "noticeboard:posting_detail",
    "noticeboard:minutes_page",
    "noticeboard:minutes_pdf",
    "noticeboard:committee_calendar",
]


def verified_minutes(organisation, *, meeting_date: dt.date, verified_on: dt.date, paragraphs=(), committee=None):
    """A justerat protokoll with §§ given as dicts (title, number, decision_clauses, confidential, …)."""
    from meetings.models import Minutes, Paragraph
    from tests.factories import CommitteeFactory
    from tests.meetings.factories import MeetingFactory

    committee = committee or CommitteeFactory(organisation=organisation)
    meeting = MeetingFactory(committee=committee, date=meeting_date)
    verified_at = timezone.make_aware(dt.datetime.combine(verified_on, dt.time(14, 0)))
    minutes = Minutes.objects.create(meeting=meeting, status=Minutes.Status.VERIFIED, verified_at=verified_at)
    for position, spec in enumerate(paragraphs, start=1):
        spec = dict(spec)
        spec.setdefault("number", position)
        spec.setdefault("title", f"Ärende {position}")
        if spec.get("confidential"):
            spec.setdefault("legal_basis", "OSL 26 kap. 1 §")
        Paragraph.objects.create(minutes=minutes, committee=committee, year=meeting_date.year, **spec)
    return minutes


def posted_minutes(
    organisation,
    *,
    posted_on: dt.date,
    taken_down_on: dt.date | None = None,
    paragraphs=({"title": "Budget"},),
    storage_place: str = "Kommunkansliet",
    committee=None,
):
    """A justerat protokoll (justerat the day it is posted) with its anslag; returns the Posting."""
    from meetings.models import Posting

    minutes = verified_minutes(
        organisation,
        meeting_date=posted_on - dt.timedelta(days=7),
        verified_on=posted_on,
        paragraphs=paragraphs,
        committee=committee,
    )
    return Posting.objects.create(
        minutes=minutes,
        posted_on=posted_on,
        taken_down_on=taken_down_on or posted_on + dt.timedelta(days=24),
        storage_place=storage_place,
    )


def _minutes(organisation) -> dict:
    today = timezone.localdate()
    return {"pk": verified_minutes(organisation, meeting_date=today, verified_on=today, paragraphs=[{}]).pk}


def _paragraph(organisation) -> dict:
    posting = posted_minutes(organisation, posted_on=timezone.localdate())
    return {"pk": posting.minutes.paragraphs.get().pk}


def _finality_request(organisation) -> dict:
    from meetings.models import FinalityRequest, FinalityRequestItem

    posting = posted_minutes(organisation, posted_on=timezone.localdate() - dt.timedelta(days=40))
    request = FinalityRequest.objects.create(
        minutes=posting.minutes,
        court="Förvaltningsrätten i Karlstad",
        signed_name="Sara",
        requested_on=posting.posted_on,
    )
    FinalityRequestItem.objects.create(request=request, paragraph=posting.minutes.paragraphs.get())
    return {"pk": request.pk}


BUILDERS: dict = {
    "noticeboard:minutes_finality": _minutes,
    "noticeboard:posting_create": _minutes,
    "noticeboard:extract_create": _minutes,
    "noticeboard:appeal_create": _paragraph,
    "noticeboard:finality_request_create": _minutes,
    "noticeboard:finality_answer_create": _finality_request,
}

OTHER_PARAMS: dict = {name: {"pk": 1} for name in PUBLIC_ROUTES}
# An organisation's own anslagstavla takes its slug, not an id: public like the rest of the anslagstavla.
OTHER_PARAMS["noticeboard:organisation"] = {"slug": "finns-inte"}
