"""Reads for anslag, överklagande and laga kraft: the internal pages (scoped to an organisation) and the public
anslagstavla (every organisation, public data only).

Public output never carries a confidential §: a § is masked when the § itself, its agenda item or its ärende is
marked sekretess, and the masked row holds only its number (`PublicParagraph`), so no template can leak it.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass

from django.db.models import Case, Count, Exists, Max, OuterRef, Q, QuerySet, TextField, Value, When
from django.db.models.functions import Cast
from django.utils import timezone

from core.models import Organisation

from . import dates
from .models import PUBLIC_PARAGRAPH, Appeal, Committee, Meeting, Minutes, Paragraph, Posting

PUBLIC_MASKED_TEXT = "Paragrafen omfattas av sekretess"


def verified_on(minutes: Minutes) -> dt.date | None:
    """The day of justering: when the last signature made the protokoll verified (local date)."""
    return timezone.localdate(minutes.verified_at) if minutes.verified_at else None


# -- Internal -------------------------------------------------------------------------------------------------


def minutes_for_postings(*, organisation: Organisation) -> QuerySet[Minutes]:
    """Verified protokoll of the organisation, newest first, with their anslag when posted."""
    return (
        Minutes.objects.for_organisation(organisation)
        .filter(verified_at__isnull=False)
        .select_related("meeting__committee", "posting")
        .order_by("-meeting__date", "-pk")
    )


def minutes_with_meeting(*, organisation: Organisation) -> QuerySet[Minutes]:
    return Minutes.objects.for_organisation(organisation).select_related("meeting__committee__organisation", "posting")


def paragraphs_for_organisation(*, organisation: Organisation) -> QuerySet[Paragraph]:
    return Paragraph.objects.for_organisation(organisation).select_related(
        "minutes__meeting__committee__organisation", "minutes__posting", "agenda_item", "case"
    )


@dataclass(frozen=True)
class FinalityStatus:
    """Where a § stands: not posted, appeal period running, appealed, or vunnit laga kraft."""

    state: str  # "not_posted" | "running" | "appealed" | "final"
    appeal_last_day: dt.date | None = None
    final_on: dt.date | None = None
    appealed_on: dt.date | None = None

    @property
    def label(self) -> str:
        if self.state == "final":
            return f"Vann laga kraft {self.final_on.isoformat()}"
        if self.state == "appealed":
            return f"Överklagad {self.appealed_on.isoformat()}"
        if self.state == "running":
            return f"Överklagandetiden löper till {self.appeal_last_day.isoformat()}"
        return "Protokollet är inte anslaget"


def finality_status(*, posting: Posting | None, appealed_on: dt.date | None, today: dt.date) -> FinalityStatus:
    """The laga kraft status of a § of a protokoll with this anslag, given its first appeal (if any).

    Any registered appeal stops laga kraft, also one that came in late: whether it is dismissed is for the court
    to decide, and a lagakraftbevis must not be issued meanwhile.
    """
    if posting is None or posting.posted_on > today:
        return FinalityStatus("not_posted")
    last_day = dates.appeal_last_day(posting.posted_on)
    if appealed_on is not None:
        return FinalityStatus("appealed", appeal_last_day=last_day, appealed_on=appealed_on)
    final = dates.final_on(posting.posted_on, appealed=False)
    if today >= final:
        return FinalityStatus("final", appeal_last_day=last_day, final_on=final)
    return FinalityStatus("running", appeal_last_day=last_day)


def minutes_paragraphs_with_status(*, minutes: Minutes, today: dt.date) -> list[tuple[Paragraph, FinalityStatus]]:
    """Every § of the protokoll with its appeals (prefetched) and laga kraft status. Constant query count."""
    posting = minutes.posting if has_posting(minutes) else None
    paragraphs = (
        Paragraph.objects.filter(minutes=minutes)
        .select_related("agenda_item", "case")
        .prefetch_related("appeals")
        .order_by("number")
    )
    rows = []
    for paragraph in paragraphs:
        paragraph.minutes = minutes  # the confidentiality rule reads the meeting's date: no query
        appeals = list(paragraph.appeals.all())
        first = min((appeal.received_on for appeal in appeals), default=None)
        rows.append((paragraph, finality_status(posting=posting, appealed_on=first, today=today)))
    return rows


def paragraph_finality(*, paragraph: Paragraph, today: dt.date) -> FinalityStatus:
    minutes = paragraph.minutes
    posting = minutes.posting if has_posting(minutes) else None
    first = Appeal.objects.filter(paragraph=paragraph).order_by("received_on").values_list("received_on", flat=True)
    return finality_status(posting=posting, appealed_on=first.first(), today=today)


def has_posting(minutes: Minutes) -> bool:
    try:
        minutes.posting  # noqa: B018
    except Posting.DoesNotExist:
        return False
    return True


# -- Public ---------------------------------------------------------------------------------------------------


def _public_postings() -> QuerySet[Posting]:
    return Posting.objects.select_related("minutes__meeting__committee__organisation").only(
        "pk",
        "posted_on",
        "taken_down_on",
        "storage_place",
        "minutes__id",
        "minutes__meeting__id",
        "minutes__meeting__date",
        "minutes__meeting__committee__id",
        "minutes__meeting__committee__name",
        "minutes__meeting__committee__organisation__id",
        "minutes__meeting__committee__organisation__name",
        "minutes__meeting__committee__organisation__slug",
        "minutes__meeting__committee__organisation__kind",
    )


def public_postings_current(*, today: dt.date, organisation_id: int | None = None) -> QuerySet[Posting]:
    """Anslag up today: from the day posted through the take-down day (inclusive), newest first."""
    queryset = _public_postings().filter(posted_on__lte=today, taken_down_on__gte=today)
    if organisation_id:
        queryset = queryset.filter(minutes__meeting__committee__organisation_id=organisation_id)
    return queryset.order_by("-posted_on", "-pk")


def public_postings_archived(*, today: dt.date, organisation_id: int | None = None) -> QuerySet[Posting]:
    """Anslag taken down (their take-down day has passed), newest first."""
    queryset = _public_postings().filter(taken_down_on__lt=today)
    if organisation_id:
        queryset = queryset.filter(minutes__meeting__committee__organisation_id=organisation_id)
    return queryset.order_by("-posted_on", "-pk")


def public_posting(*, pk: int, today: dt.date) -> Posting | None:
    """A posting that has been posted (current or archived); None for an unknown or not yet posted one."""
    return _public_postings().filter(pk=pk, posted_on__lte=today).first()


def public_organisations() -> QuerySet[Organisation]:
    """Organisations with at least one posted anslag: the choices of the organisation filter."""
    posted = Posting.objects.filter(minutes__meeting__committee__organisation=OuterRef("pk"))
    return Organisation.objects.filter(Exists(posted)).only("pk", "name", "slug").order_by("name")


def public_organisation(*, slug: str) -> Organisation | None:
    """The organisation whose own anslagstavla lives at /anslagstavla/<slug>/ (every organisation has one)."""
    return Organisation.objects.filter(slug=slug).only("pk", "name", "slug", "kind").first()


def public_organisation_slug_facts(*, slug: str) -> list[tuple]:
    """What the organisation's anslagstavla shows of the organisation itself, as plain values."""
    return list(Organisation.objects.filter(slug=slug).values_list("pk", "name", "slug", "kind"))


# What the public pages show of an anslag, as plain values: the fingerprint rows of the public cache
# (core.http_cache), run through core.compiled_query on every hit. Keep in step with _public_postings.
POSTING_FACTS = (
    "pk",
    "posted_on",
    "taken_down_on",
    "storage_place",
    "minutes__meeting__id",
    "minutes__meeting__date",
    "minutes__meeting__committee__id",
    "minutes__meeting__committee__name",
    "minutes__meeting__committee__organisation__id",
    "minutes__meeting__committee__organisation__name",
    "minutes__meeting__committee__organisation__slug",
)


def public_posting_facts(*, pk: int, today: dt.date) -> QuerySet:
    return Posting.objects.filter(pk=pk, posted_on__lte=today).values_list(*POSTING_FACTS)


def public_paragraph_facts(*, posting_id: int) -> QuerySet:
    """Everything the anslag page shows of its §§, masked ones included as masked (is_public)."""
    rows = _public_paragraph_rows(Paragraph.objects.filter(minutes__posting__id=posting_id))
    return rows.order_by("number").values_list("number", "title", "decision_clauses", "is_public")


def public_current_facts(*, today: dt.date) -> QuerySet:
    """The rows of public_postings_current (every organisation) as facts."""
    queryset = Posting.objects.filter(posted_on__lte=today, taken_down_on__gte=today)
    return queryset.order_by("-posted_on", "-pk").values_list(*POSTING_FACTS)


def public_current_facts_for(*, today: dt.date, organisation_id: int) -> QuerySet:
    """The rows of public_postings_current of one organisation as facts."""
    queryset = Posting.objects.filter(
        posted_on__lte=today, taken_down_on__gte=today, minutes__meeting__committee__organisation_id=organisation_id
    )
    return queryset.order_by("-posted_on", "-pk").values_list(*POSTING_FACTS)


def public_organisation_facts() -> QuerySet:
    return public_organisations().values_list("pk", "name", "slug")


def public_minutes_version_facts(*, posting_id: int) -> QuerySet:
    """What decides the public protokoll page besides its §§: the protokoll's state and its rättelser."""
    return (
        Minutes.objects.filter(posting__id=posting_id)
        .annotate(correction_count=Count("corrections"), last_correction=Max("corrections__id"))
        .values_list("pk", "status", "verified_at", "correction_count", "last_correction")
    )


PUBLIC_MINUTES_KIND = "meetings.minutes_public"


def public_minutes_pdf_job(*, minutes: Minutes):
    """The newest finished public PDF of the protokoll (no sekretess), or None."""
    from reporting.models import RenderJob

    return (
        RenderJob.objects.filter(
            organisation_id=minutes.meeting.committee.organisation_id,
            kind=PUBLIC_MINUTES_KIND,
            params__minutes=minutes.pk,
            status=RenderJob.Status.DONE,
        )
        .order_by("-finished_at", "-pk")
        .first()
    )


# A public PDF that failed is asked for again by a visitor only after this long: a page nobody can render must not
# turn every visit into a new job.
PUBLIC_PDF_RETRY_AFTER = dt.timedelta(minutes=10)


def public_minutes_pdf_pending(*, minutes: Minutes) -> bool:
    """Whether a public PDF of the protokoll is queued or being made, or failed a moment ago."""
    from reporting.models import RenderJob

    recently = timezone.now() - PUBLIC_PDF_RETRY_AFTER
    return RenderJob.objects.filter(
        Q(status__in=RenderJob.ACTIVE_STATUSES) | Q(status=RenderJob.Status.FAILED, created_at__gte=recently),
        organisation_id=minutes.meeting.committee.organisation_id,
        kind=PUBLIC_MINUTES_KIND,
        params__minutes=minutes.pk,
    ).exists()


@dataclass(frozen=True)
class PublicParagraph:
    """What the public may read of a §. A masked § carries its number and nothing else."""

    number: int
    title: str = ""
    clauses: tuple[str, ...] = ()
    masked: bool = False
    posting_id: int | None = None
    committee: str = ""
    organisation: str = ""
    meeting_date: dt.date | None = None


def _public_paragraph_rows(queryset: QuerySet[Paragraph]) -> QuerySet[Paragraph]:
    return queryset.annotate(
        is_public=Case(When(PUBLIC_PARAGRAPH, then=Value(True)), default=Value(False)),
    ).only("pk", "number", "title", "decision_clauses", "minutes_id")


def public_paragraphs(*, posting: Posting) -> list[PublicParagraph]:
    """The §§ of an anslaget protokoll as the public may read them, in number order."""
    rows = _public_paragraph_rows(Paragraph.objects.filter(minutes_id=posting.minutes_id)).order_by("number")
    return [_to_public(row) for row in rows]


def _to_public(row: Paragraph, **extra) -> PublicParagraph:
    if not row.is_public:
        return PublicParagraph(number=row.number, masked=True, **extra)
    clauses = tuple(str(clause) for clause in (row.decision_clauses or []) if str(clause).strip())
    return PublicParagraph(number=row.number, title=row.title, clauses=clauses, **extra)


SEARCH_LIMIT = 50


def public_paragraph_search(*, query: str, today: dt.date, limit: int = SEARCH_LIMIT) -> list[PublicParagraph]:
    """Public §§ of posted protokoll whose title or beslut contains `query`. Confidential §§ never match.

    The beslut are JSON; SQLite stores them with \\u-escapes, so the escaped spelling of the query is tried too.
    """
    query = query.strip()
    if not query:
        return []
    escaped = json.dumps(query)[1:-1]
    text_match = Q(title__icontains=query) | Q(clauses_text__icontains=query)
    if escaped != query:
        text_match |= Q(clauses_text__icontains=escaped)
    rows = (
        Paragraph.objects.filter(PUBLIC_PARAGRAPH)
        .filter(minutes__posting__posted_on__lte=today)
        .annotate(clauses_text=Cast("decision_clauses", TextField()))
        .filter(text_match)
        .select_related("minutes__posting", "minutes__meeting__committee__organisation")
        .only(
            "pk",
            "number",
            "title",
            "decision_clauses",
            "minutes__id",
            "minutes__posting__id",
            "minutes__meeting__date",
            "minutes__meeting__committee__name",
            "minutes__meeting__committee__organisation__name",
        )
        .order_by("-minutes__meeting__date", "-number")[:limit]
    )
    results = []
    for row in rows:
        meeting = row.minutes.meeting
        clauses = tuple(str(clause) for clause in (row.decision_clauses or []) if str(clause).strip())
        results.append(
            PublicParagraph(
                number=row.number,
                title=row.title,
                clauses=clauses,
                posting_id=row.minutes.posting.pk,
                committee=meeting.committee.name,
                organisation=meeting.committee.organisation.name,
                meeting_date=meeting.date,
            )
        )
    return results


# -- Calendar -------------------------------------------------------------------------------------------------


CALENDAR_DAYS_BACK = 365


def calendar_since(today: dt.date) -> dt.date:
    return today - dt.timedelta(days=CALENDAR_DAYS_BACK)


def public_committee(*, pk: int) -> Committee | None:
    queryset = Committee.objects.select_related("organisation").only("id", "name", "organisation__name")
    return queryset.filter(pk=pk).first()


def public_committee_facts(*, pk: int) -> QuerySet:
    return Committee.objects.filter(pk=pk).values_list("pk", "name")


def calendar_facts(*, committee_id: int, since: dt.date) -> QuerySet:
    """The feed's meetings as plain values (the public cache's fingerprint); same rows as calendar_meetings."""
    return (
        Meeting.objects.filter(committee_id=committee_id, date__gte=since)
        .exclude(status=Meeting.Status.CANCELLED)
        .order_by("date", "start_time")
        .values_list("pk", "date", "start_time", "end_time", "place")
    )


def calendar_meetings(*, committee: Committee, today: dt.date) -> QuerySet[Meeting]:
    """The committee's meetings that are not cancelled, from a year back, for the public calendar feed."""
    return (
        Meeting.objects.filter(committee=committee, date__gte=calendar_since(today))
        .exclude(status=Meeting.Status.CANCELLED)
        .only("pk", "date", "start_time", "end_time", "place", "status", "committee_id")
        .order_by("date", "start_time")
    )
