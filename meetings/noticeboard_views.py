"""The public digital anslagstavla and the committees' calendar feeds. No login, no organisation switcher.

Every page here is served from the public cache (core.http_cache): each view reads its rows as before, names
what the page shows (`parts`), and the template is rendered only for a version not seen yet.

"Current" means posted_on <= today <= taken_down_on: an anslag stays up through its take-down day and moves to
the archive the day after. An anslag whose posting day has not come yet is a 404 everywhere.
Postings and committees are public for everyone, whatever organisation they belong to.
"""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.utils import timezone
from django.views.decorators.http import require_safe

from core.http_cache import public_response

from . import dates
from . import posting_selectors as selectors
from .calendar import committee_calendar as build_calendar

ARCHIVE_PAGE_SIZE = 25


def _organisation_filter(request: HttpRequest) -> int | None:
    try:
        value = int(request.GET.get("organisation", ""))
    except ValueError:
        return None
    return value if value > 0 else None


def _rows(postings) -> list[dict]:
    return [{"posting": p, "appeal_last_day": dates.appeal_last_day(p.posted_on)} for p in postings]


def _facts(posting) -> tuple:
    """What a page shows of an anslag (the fields _public_postings loads)."""
    meeting = posting.minutes.meeting
    committee = meeting.committee
    organisation = committee.organisation
    return (
        *(posting.pk, posting.posted_on, posting.taken_down_on, posting.storage_place, meeting.pk, meeting.date),
        *(committee.pk, committee.name, organisation.pk, organisation.name),
    )


def _organisation_facts(organisations) -> list[tuple]:
    return [(o.pk, o.name) for o in organisations]


def _page(request: HttpRequest, name: str, template: str, context: dict, parts) -> HttpResponse:
    return public_response(
        request, name=name, parts=parts, render=lambda now: render_to_string(template, context, request=request)
    )


@require_safe
def index(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    organisation_id = _organisation_filter(request)
    postings = list(selectors.public_postings_current(today=today, organisation_id=organisation_id))
    organisations = list(selectors.public_organisations())
    context = {
        "rows": _rows(postings),
        "organisations": organisations,
        "organisation_id": organisation_id,
        "today": today,
    }
    parts = (today, organisation_id, [_facts(p) for p in postings], _organisation_facts(organisations))
    return _page(request, "index", "meetings/noticeboard/index.html", context, parts)


@require_safe
def archive(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    organisation_id = _organisation_filter(request)
    postings = selectors.public_postings_archived(today=today, organisation_id=organisation_id)
    page = Paginator(postings, ARCHIVE_PAGE_SIZE).get_page(request.GET.get("sida"))
    organisations = list(selectors.public_organisations())
    context = {
        "page": page,
        "rows": _rows(page.object_list),
        "organisations": organisations,
        "organisation_id": organisation_id,
    }
    parts = (
        organisation_id,
        page.number,
        page.paginator.num_pages,
        [_facts(p) for p in page.object_list],
        _organisation_facts(organisations),
    )
    return _page(request, "archive", "meetings/noticeboard/archive.html", context, parts)


@require_safe
def posting_detail(request: HttpRequest, pk: int) -> HttpResponse:
    today = timezone.localdate()
    posting = selectors.public_posting(pk=pk, today=today)
    if posting is None:
        raise Http404("Anslaget finns inte.")
    paragraphs = selectors.public_paragraphs(posting=posting)
    is_current = posting.taken_down_on >= today
    context = {
        "posting": posting,
        "meeting": posting.minutes.meeting,
        "appeal_last_day": dates.appeal_last_day(posting.posted_on),
        "is_current": is_current,
        "paragraphs": paragraphs,
        "masked_text": selectors.PUBLIC_MASKED_TEXT,
    }
    # Not today itself: the page only changes the day the anslag is taken down.
    parts = (_facts(posting), is_current, paragraphs, selectors.PUBLIC_MASKED_TEXT)
    return _page(request, "posting_detail", "meetings/noticeboard/posting_detail.html", context, parts)


@require_safe
def search(request: HttpRequest) -> HttpResponse:
    query = (request.GET.get("q") or "").strip()[:200]
    results = selectors.public_paragraph_search(query=query, today=timezone.localdate()) if query else []
    context = {"query": query, "results": results, "limit": selectors.SEARCH_LIMIT}
    parts = (query, results, selectors.SEARCH_LIMIT)
    return _page(request, "search", "meetings/noticeboard/search.html", context, parts)


@require_safe
def committee_calendar(request: HttpRequest, pk: int) -> HttpResponse:
    committee = selectors.public_committee(pk=pk)
    if committee is None:
        raise Http404("Organet finns inte.")
    meetings = list(selectors.calendar_meetings(committee=committee, today=timezone.localdate()))
    parts = (committee.pk, committee.name, [(m.pk, m.date, m.start_time, m.end_time, m.place) for m in meetings])
    return public_response(
        request,
        name="calendar",
        parts=parts,
        render=lambda now: build_calendar(committee=committee, meetings=meetings, now=now),
        content_type="text/calendar; charset=utf-8",
        headers={"Content-Disposition": f'inline; filename="sammantraden-{committee.pk}.ics"'},
    )
