"""The public digital anslagstavla and the committees' calendar feeds. No login, no organisation switcher.

"Current" means posted_on <= today <= taken_down_on: an anslag stays up through its take-down day and moves to
the archive the day after. An anslag whose posting day has not come yet is a 404 everywhere.
Postings and committees are public for everyone, whatever organisation they belong to.
"""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_safe

from core.params import parse_id

from . import dates
from . import posting_selectors as selectors
from .calendar import committee_calendar as build_calendar

ARCHIVE_PAGE_SIZE = 25


def _organisation_filter(request: HttpRequest) -> int | None:
    return parse_id(request.GET.get("organisation"))


def _rows(postings) -> list[dict]:
    return [{"posting": p, "appeal_last_day": dates.appeal_last_day(p.posted_on)} for p in postings]


@require_safe
def index(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    organisation_id = _organisation_filter(request)
    postings = selectors.public_postings_current(today=today, organisation_id=organisation_id)
    context = {
        "rows": _rows(postings),
        "organisations": list(selectors.public_organisations()),
        "organisation_id": organisation_id,
        "today": today,
    }
    return render(request, "meetings/noticeboard/index.html", context)


@require_safe
def archive(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    organisation_id = _organisation_filter(request)
    postings = selectors.public_postings_archived(today=today, organisation_id=organisation_id)
    page = Paginator(postings, ARCHIVE_PAGE_SIZE).get_page(request.GET.get("sida"))
    context = {
        "page": page,
        "rows": _rows(page.object_list),
        "organisations": list(selectors.public_organisations()),
        "organisation_id": organisation_id,
    }
    return render(request, "meetings/noticeboard/archive.html", context)


@require_safe
def posting_detail(request: HttpRequest, pk: int) -> HttpResponse:
    today = timezone.localdate()
    posting = selectors.public_posting(pk=pk, today=today)
    if posting is None:
        raise Http404("Anslaget finns inte.")
    context = {
        "posting": posting,
        "meeting": posting.minutes.meeting,
        "appeal_last_day": dates.appeal_last_day(posting.posted_on),
        "is_current": posting.taken_down_on >= today,
        "paragraphs": selectors.public_paragraphs(posting=posting),
        "masked_text": selectors.PUBLIC_MASKED_TEXT,
    }
    return render(request, "meetings/noticeboard/posting_detail.html", context)


@require_safe
def search(request: HttpRequest) -> HttpResponse:
    query = (request.GET.get("q") or "").strip()[:200]
    results = selectors.public_paragraph_search(query=query, today=timezone.localdate()) if query else []
    context = {"query": query, "results": results, "limit": selectors.SEARCH_LIMIT}
    return render(request, "meetings/noticeboard/search.html", context)


@require_safe
def committee_calendar(request: HttpRequest, pk: int) -> HttpResponse:
    committee = selectors.public_committee(pk=pk)
    if committee is None:
        raise Http404("Organet finns inte.")
    meetings = selectors.calendar_meetings(committee=committee, today=timezone.localdate())
    body = build_calendar(committee=committee, meetings=meetings, now=timezone.now())
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="sammantraden-{committee.pk}.ics"'
    return response
