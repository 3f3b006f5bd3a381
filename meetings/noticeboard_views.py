"""The public digital anslagstavla and the committees' calendar feeds. No login, no organisation switcher.

Every page here is served from the public cache (core.http_cache): each view reads what the page shows as plain
rows (`parts`: one or two small queries, compiled once by core.compiled_query) and builds and renders the page
only for a version not seen yet. The search and the archive read their rows through the ORM as before.

"Current" means posted_on <= today <= taken_down_on: an anslag stays up through its take-down day and moves to
the archive the day after. An anslag whose posting day has not come yet is a 404 everywhere.
Postings and committees are public for everyone, whatever organisation they belong to.
"""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render as render_page
from django.template.loader import render_to_string
from django.utils import timezone
from django.views.decorators.http import require_safe

from core.compiled_query import rows
from core.http_cache import public_response
from core.params import parse_id

from . import dates
from . import posting_selectors as selectors
from .calendar import committee_calendar as build_calendar

ARCHIVE_PAGE_SIZE = 25


def _organisation_filter(request: HttpRequest) -> int | None:
    return parse_id(request.GET.get("organisation"))


def _rows(postings) -> list[dict]:
    return [{"posting": p, "appeal_last_day": dates.appeal_last_day(p.posted_on)} for p in postings]


def _facts(posting) -> tuple:
    """What a page shows of an anslag (the fields _public_postings loads)."""
    meeting = posting.minutes.meeting
    committee = meeting.committee
    organisation = committee.organisation
    return (
        *(posting.pk, posting.posted_on, posting.taken_down_on, posting.storage_place, meeting.pk, meeting.date),
        *(committee.pk, committee.name, organisation.pk, organisation.name, organisation.slug),
    )


def _organisation_facts(organisations) -> list[tuple]:
    return [(o.pk, o.name, o.slug) for o in organisations]


def _page(request: HttpRequest, name: str, template: str, context: dict, parts) -> HttpResponse:
    """A page whose rows were read through the ORM already (archive, search)."""
    return public_response(
        request,
        name=name,
        parts=lambda: parts,
        render=lambda now: render_to_string(template, context, request=request),
    )


@require_safe
def index(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    organisation_id = _organisation_filter(request)

    def parts():
        if organisation_id:
            current = rows(selectors.public_current_facts_for, today=today, organisation_id=organisation_id)
        else:
            current = rows(selectors.public_current_facts, today=today)
        return (today, organisation_id, current, rows(selectors.public_organisation_facts))

    def render(now):
        postings = selectors.public_postings_current(today=today, organisation_id=organisation_id)
        context = {
            "rows": _rows(postings),
            "organisations": list(selectors.public_organisations()),
            "organisation_id": organisation_id,
            "today": today,
        }
        return render_to_string("meetings/noticeboard/index.html", context, request=request)

    return public_response(request, name="index", parts=parts, render=render)


@require_safe
def organisation_index(request: HttpRequest, slug: str) -> HttpResponse:
    """One organisation's own anslagstavla (KL 8 kap. 9 §): its current anslag only, at /anslagstavla/<slug>/."""
    today = timezone.localdate()

    def parts():
        organisation_facts = selectors.public_organisation_slug_facts(slug=slug)
        if not organisation_facts:
            raise Http404("Organisationen finns inte.")
        organisation_id = organisation_facts[0][0]
        current = rows(selectors.public_current_facts_for, today=today, organisation_id=organisation_id)
        return (today, organisation_facts, current)

    def render(now):
        organisation = selectors.public_organisation(slug=slug)
        postings = selectors.public_postings_current(today=today, organisation_id=organisation.pk)
        context = {"rows": _rows(postings), "organisation": organisation, "today": today}
        return render_to_string("meetings/noticeboard/organisation.html", context, request=request)

    return public_response(request, name="organisation", parts=parts, render=render)


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

    def parts():
        facts = rows(selectors.public_posting_facts, pk=pk, today=today)
        if not facts:
            raise Http404("Anslaget finns inte.")
        # Not today itself: the page changes only the day the anslag is taken down (ISO dates compare as text).
        is_current = str(facts[0][2]) >= today.isoformat()
        paragraphs = rows(selectors.public_paragraph_facts, posting_id=pk)
        return (facts, is_current, paragraphs, selectors.PUBLIC_MASKED_TEXT)

    def render(now):
        posting = selectors.public_posting(pk=pk, today=today)
        context = {
            "posting": posting,
            "meeting": posting.minutes.meeting,
            "appeal_last_day": dates.appeal_last_day(posting.posted_on),
            "is_current": posting.taken_down_on >= today,
            "paragraphs": selectors.public_paragraphs(posting=posting),
            "masked_text": selectors.PUBLIC_MASKED_TEXT,
        }
        return render_to_string("meetings/noticeboard/posting_detail.html", context, request=request)

    return public_response(request, name="posting_detail", parts=parts, render=render)


def _public_minutes_context(posting) -> dict:
    """The public protokoll as the public PDF prints it (confidential §§ show only their number)."""
    from .minutes_documents import PublicMinutesDocument

    organisation = posting.minutes.meeting.committee.organisation
    document = PublicMinutesDocument(organisation=organisation, params={"minutes": posting.minutes_id})
    return document.get_context()


@require_safe
def minutes_page(request: HttpRequest, pk: int) -> HttpResponse:
    """The public protokoll of an anslag as a web page, beside the same protokoll as PDF."""
    today = timezone.localdate()

    def parts():
        facts = rows(selectors.public_posting_facts, pk=pk, today=today)
        if not facts:
            raise Http404("Anslaget finns inte.")
        is_current = str(facts[0][2]) >= today.isoformat()
        version = rows(selectors.public_minutes_version_facts, posting_id=pk)
        paragraphs = rows(selectors.public_paragraph_facts, posting_id=pk)
        return (facts, is_current, version, paragraphs)

    def render(now):
        posting = selectors.public_posting(pk=pk, today=today)
        context = {
            **_public_minutes_context(posting),
            "posting": posting,
            "appeal_last_day": dates.appeal_last_day(posting.posted_on),
            "is_current": posting.taken_down_on >= today,
        }
        return render_to_string("meetings/noticeboard/minutes.html", context, request=request)

    return public_response(request, name="minutes_page", parts=parts, render=render)


@require_safe
def minutes_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    """The public protokoll of an anslag as PDF/A. Made when the anslag is posted; asked for again when missing."""
    from reporting.views import job_file_response

    from . import posting_services

    posting = selectors.public_posting(pk=pk, today=timezone.localdate())
    if posting is None:
        raise Http404("Anslaget finns inte.")
    minutes = posting.minutes
    job = selectors.public_minutes_pdf_job(minutes=minutes)
    if job is None:
        posting_services.public_minutes_pdf_request(minutes=minutes, actor=None)
        job = selectors.public_minutes_pdf_job(minutes=minutes)  # made already when tasks run in the process
    if job is None:
        context = {"posting": posting, "meeting": minutes.meeting}
        response = render_page(request, "meetings/noticeboard/minutes_pdf_pending.html", context, status=202)
        response["Retry-After"] = "30"
        response["Cache-Control"] = "no-store"
        return response
    response = job_file_response(job)
    response["Content-Disposition"] = response["Content-Disposition"].replace("attachment", "inline", 1)
    response["Cache-Control"] = "public, max-age=3600"
    return response


@require_safe
def search(request: HttpRequest) -> HttpResponse:
    query = (request.GET.get("q") or "").strip()[:200]
    results = selectors.public_paragraph_search(query=query, today=timezone.localdate()) if query else []
    context = {"query": query, "results": results, "limit": selectors.SEARCH_LIMIT}
    parts = (query, results, selectors.SEARCH_LIMIT)
    return _page(request, "search", "meetings/noticeboard/search.html", context, parts)


@require_safe
def committee_calendar(request: HttpRequest, pk: int) -> HttpResponse:
    today = timezone.localdate()

    def parts():
        committee_facts = rows(selectors.public_committee_facts, pk=pk)
        if not committee_facts:
            raise Http404("Organet finns inte.")
        since = selectors.calendar_since(today)
        return (committee_facts, rows(selectors.calendar_facts, committee_id=pk, since=since))

    def render(now):
        committee = selectors.public_committee(pk=pk)
        meetings = selectors.calendar_meetings(committee=committee, today=today)
        return build_calendar(committee=committee, meetings=meetings, now=now)

    return public_response(
        request,
        name="calendar",
        parts=parts,
        render=render,
        content_type="text/calendar; charset=utf-8",
        headers={"Content-Disposition": f'inline; filename="sammantraden-{pk}.ics"'},
    )
