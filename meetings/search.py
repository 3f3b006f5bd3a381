"""Search over ärenden, § and sammanträden: Swedish full-text search on PostgreSQL, `icontains` elsewhere.

`search()` is the one entry point, for the internal search page and for the public anslagstavla. Nothing
confidential that the `viewer` may not read (meetings.confidentiality) can match or be returned: a confidential
ärende or §, a § whose agenda item or ärende is confidential, and an ärende that has been on an agenda as a
confidential item. `include_confidential=True/False` without a viewer means everything / nothing confidential.
The filters are applied before any text matching, so not even the number of hits reveals confidential text.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field

from django.db import connection
from django.db.models import F, Q, QuerySet

from core.models import Organisation

from .confidentiality import INTERNAL, PUBLIC, Viewer
from .models import Case, Meeting, Paragraph

SEARCH_CONFIG = "swedish"
RESULT_LIMIT = 50


@dataclass
class SearchResults:
    cases: list[Case] = field(default_factory=list)
    paragraphs: list[Paragraph] = field(default_factory=list)
    meetings: list[Meeting] = field(default_factory=list)
    limit: int = RESULT_LIMIT

    @property
    def count(self) -> int:
        return len(self.cases) + len(self.paragraphs) + len(self.meetings)

    @property
    def truncated(self) -> bool:
        return any(len(rows) >= self.limit for rows in (self.cases, self.paragraphs, self.meetings))


def uses_full_text() -> bool:
    return connection.vendor == "postgresql"


def _json_text_contains(field_name: str, text: str) -> Q:
    """`icontains` on a JSON list of strings. SQLite stores JSON with \\u escapes, so search for those too."""
    escaped = json.dumps(text)[1:-1]
    condition = Q(**{f"{field_name}__icontains": text})
    if escaped != text:
        condition |= Q(**{f"{field_name}__icontains": escaped})
    return condition


def _text_filter(
    queryset: QuerySet,
    text: str,
    *,
    vector_fields: list[tuple[str, str]],
    plain: list[str],
    json_fields: list[str],
    order_fallback: list,
    also: Q | None = None,
) -> QuerySet:
    """Full-text match ranked on PostgreSQL; substring match on every field elsewhere. `also` widens the match."""
    if not text:
        return queryset.order_by(*order_fallback)
    if uses_full_text():
        from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector

        vector = None
        for name, weight in vector_fields:
            part = SearchVector(name, weight=weight, config=SEARCH_CONFIG)
            vector = part if vector is None else vector + part
        query = SearchQuery(text, config=SEARCH_CONFIG, search_type="websearch")
        matched = Q(search_document=query)
        if also is not None:
            matched |= also
        return (
            queryset.annotate(search_document=vector, search_rank=SearchRank(vector, query))
            .filter(matched)
            .order_by("-search_rank", *order_fallback)
        )
    condition = Q()
    for name in plain:
        condition |= Q(**{f"{name}__icontains": text})
    for name in json_fields:
        condition |= _json_text_contains(name, text)
    if also is not None:
        condition |= also
    return queryset.filter(condition).order_by(*order_fallback)


def public_cases(queryset: QuerySet[Case]) -> QuerySet[Case]:
    return queryset.filter(PUBLIC.unmasked_search_cases())


def public_paragraphs(queryset: QuerySet[Paragraph]) -> QuerySet[Paragraph]:
    return queryset.filter(PUBLIC.readable_paragraphs())


def _viewer(include_confidential: bool, viewer: Viewer | None) -> Viewer:
    if viewer is not None:
        return viewer
    return INTERNAL if include_confidential else PUBLIC


def search_cases(
    *,
    organisation: Organisation,
    text: str = "",
    case_number: str = "",
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
    include_confidential: bool = False,
    viewer: Viewer | None = None,
) -> QuerySet[Case]:
    cases = Case.objects.for_organisation(organisation).select_related("committee", "series")
    cases = cases.filter(_viewer(include_confidential, viewer).unmasked_search_cases())
    if case_number:
        cases = cases.filter(case_number__icontains=case_number)
    if date_from:
        cases = cases.filter(registered_on__gte=date_from)
    if date_to:
        cases = cases.filter(registered_on__lte=date_to)
    return _text_filter(
        cases,
        text,
        vector_fields=[
            ("case_number", "A"),
            ("title", "A"),
            ("officer_report__proposed_clauses", "B"),
            ("officer_report__summary", "B"),
            ("officer_report__description", "C"),
            ("officer_report__financial_impact", "D"),
        ],
        plain=[
            "case_number",
            "title",
            "officer_report__summary",
            "officer_report__description",
            "officer_report__financial_impact",
        ],
        json_fields=["officer_report__proposed_clauses"],
        order_fallback=["-registered_on", "-pk"],
        also=Q(case_number__icontains=text),  # a diarienummer typed into the text box finds its ärende
    )


def search_paragraphs(
    *,
    organisation: Organisation,
    text: str = "",
    case_number: str = "",
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
    include_confidential: bool = False,
    viewer: Viewer | None = None,
    published_only: bool = False,
) -> QuerySet[Paragraph]:
    paragraphs = Paragraph.objects.for_organisation(organisation).select_related(
        "committee", "case", "agenda_item", "minutes__meeting"
    )
    paragraphs = paragraphs.filter(_viewer(include_confidential, viewer).readable_paragraphs())
    if published_only:
        paragraphs = paragraphs.filter(Q(minutes__verified_at__isnull=False) | Q(immediately_verified_at__isnull=False))
    if case_number:
        paragraphs = paragraphs.filter(case__case_number__icontains=case_number)
    if date_from:
        paragraphs = paragraphs.filter(minutes__meeting__date__gte=date_from)
    if date_to:
        paragraphs = paragraphs.filter(minutes__meeting__date__lte=date_to)
    return _text_filter(
        paragraphs,
        text,
        vector_fields=[("title", "A"), ("decision_clauses", "B"), ("body", "C")],
        plain=["title", "body"],
        json_fields=["decision_clauses"],
        order_fallback=["-minutes__meeting__date", F("number").desc()],
    )


def search_meetings(
    *,
    organisation: Organisation,
    text: str = "",
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
) -> QuerySet[Meeting]:
    meetings = Meeting.objects.for_organisation(organisation).select_related("committee")
    if date_from:
        meetings = meetings.filter(date__gte=date_from)
    if date_to:
        meetings = meetings.filter(date__lte=date_to)
    return _text_filter(
        meetings,
        text,
        vector_fields=[("committee__name", "A"), ("committee__short_name", "A"), ("place", "B")],
        plain=["committee__name", "committee__short_name", "place"],
        json_fields=[],
        order_fallback=["-date", "-start_time"],
    )


def search(
    *,
    organisation: Organisation,
    text: str = "",
    case_number: str = "",
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
    include_confidential: bool = False,
    viewer: Viewer | None = None,
    published_only: bool = False,
    limit: int = RESULT_LIMIT,
) -> SearchResults:
    """Ärenden, § and sammanträden that match every criterion given; at most `limit` of each.

    `published_only` keeps only § of a justerat protokoll (or omedelbart justerade), for public pages.
    A search by diarienummer finds no sammanträden (they have none).
    """
    text, case_number = (text or "").strip(), (case_number or "").strip()
    common = {"organisation": organisation, "text": text, "date_from": date_from, "date_to": date_to}
    viewer = _viewer(include_confidential, viewer)
    cases = search_cases(**common, case_number=case_number, viewer=viewer)
    paragraphs = search_paragraphs(**common, case_number=case_number, viewer=viewer, published_only=published_only)
    meetings = [] if case_number else list(search_meetings(**common)[:limit])
    return SearchResults(cases=list(cases[:limit]), paragraphs=list(paragraphs[:limit]), meetings=meetings, limit=limit)
