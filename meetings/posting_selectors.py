"""Reads for anslag, överklagande and laga kraft: the internal pages (scoped to an organisation) and the public
anslagstavla (every organisation, public data only).

Public output never carries a confidential §: a § is masked when the § itself, its agenda item or its ärende is
marked sekretess, and the masked row holds only its number (`PublicParagraph`), so no template can leak it.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass

from django.db.models import (
    Case,
    Count,
    Exists,
    F,
    Max,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    TextField,
    Value,
    When,
)
from django.db.models.functions import Cast
from django.utils import timezone

from core.formatting import format_date
from core.models import Organisation

from . import dates
from .clauses import paragraph_decision
from .models import (
    PUBLIC_PARAGRAPH,
    Appeal,
    Committee,
    FinalityRequest,
    FinalityRequestItem,
    Meeting,
    Minutes,
    Paragraph,
    Posting,
)

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
    """Where a § stands. Only the förvaltningsrätt knows whether an appeal came in (KL 13 kap.), so "final" needs
    its registered answer; when the appeal period has run out without one the § waits ("period_ended") or has a
    request out ("requested").
    """

    # "not_posted" | "running" | "appealed" | "period_ended" | "requested" | "final" | "no_decision"
    state: str
    appeal_last_day: dt.date | None = None
    final_on: dt.date | None = None
    appealed_on: dt.date | None = None
    requested_on: dt.date | None = None
    answer: FinalityRequestItem | None = None

    @property
    def label(self) -> str:
        if self.state == "final":
            return f"Vunnit laga kraft {format_date(self.final_on)}"
        if self.state == "appealed":
            if self.appealed_on is not None:
                return f"Överklagad {format_date(self.appealed_on)}"
            return f"Överklagad enligt förvaltningsrättens svar {format_date(self.answer.answered_on)}"
        if self.state == "running":
            return f"Överklagandetiden löper till {format_date(self.appeal_last_day)}"
        if self.state == "requested":
            return f"Lagakraftbevis begärt {format_date(self.requested_on)}, väntar på förvaltningsrättens svar"
        if self.state == "no_decision":
            return "Inget beslut att överklaga"
        if self.state == "period_ended":
            return f"Överklagandetiden gick ut {format_date(self.appeal_last_day)}, lagakraftbevis inte begärt"
        return "Protokollet är inte anslaget"

    @property
    def may_request(self) -> bool:
        """Whether a begäran om lagakraftbevis can be made for the § now."""
        return self.state in ("period_ended", "requested")


def finality_status(
    *,
    posting: Posting | None,
    appealed_on: dt.date | None,
    today: dt.date,
    items: list[FinalityRequestItem] = (),
) -> FinalityStatus:
    """The laga kraft status of a § of a protokoll with this anslag, given its first registered appeal (if any)
    and its begäranden om lagakraftbevis (`items`, each with its request loaded).

    Any registered appeal stops laga kraft, also one that came in late: whether it is dismissed is for the court
    to decide. The latest court answer decides otherwise; without one the § has not vunnit laga kraft, however
    long ago the appeal period ran out.
    """
    if posting is None or posting.posted_on > today:
        return FinalityStatus("not_posted")
    last_day = dates.appeal_last_day(posting.posted_on)
    answers = sorted((item for item in items if item.is_answered), key=lambda item: (item.answered_on, item.pk))
    answer = answers[-1] if answers else None
    if appealed_on is not None:
        return FinalityStatus("appealed", appeal_last_day=last_day, appealed_on=appealed_on, answer=answer)
    if answer is not None and answer.appeal_received:
        return FinalityStatus("appealed", appeal_last_day=last_day, answer=answer)
    if today <= last_day:
        return FinalityStatus("running", appeal_last_day=last_day)
    if answer is not None:
        return FinalityStatus(
            "final", appeal_last_day=last_day, final_on=dates.final_on(posting.posted_on, appealed=False), answer=answer
        )
    pending = [item.request.requested_on for item in items if not item.is_answered]
    if pending:
        return FinalityStatus("requested", appeal_last_day=last_day, requested_on=max(pending))
    return FinalityStatus("period_ended", appeal_last_day=last_day)


def _finality_items() -> Prefetch:
    return Prefetch("finality_items", queryset=FinalityRequestItem.objects.select_related("request"))


def minutes_paragraphs_with_status(*, minutes: Minutes, today: dt.date) -> list[tuple[Paragraph, FinalityStatus]]:
    """Every § of the protokoll with its appeals and requests (prefetched) and laga kraft status. Constant query
    count."""
    posting = minutes.posting if has_posting(minutes) else None
    paragraphs = (
        Paragraph.objects.filter(minutes=minutes)
        .select_related("agenda_item", "case")
        .prefetch_related("appeals", _finality_items())
        .order_by("number")
    )
    rows = []
    for paragraph in paragraphs:
        paragraph.minutes = minutes  # the confidentiality rule reads the meeting's date: no query
        rows.append((paragraph, _status_of(paragraph, posting=posting, today=today)))
    return rows


NO_DECISION = FinalityStatus("no_decision")


def _status_of(paragraph: Paragraph, *, posting: Posting | None, today: dt.date) -> FinalityStatus:
    if not paragraph.has_decision:
        return NO_DECISION  # a § of text only (mötets öppnande, upprop) has nothing to appeal or certify
    first = min((appeal.received_on for appeal in paragraph.appeals.all()), default=None)
    return finality_status(posting=posting, appealed_on=first, today=today, items=list(paragraph.finality_items.all()))


def paragraph_finality(*, paragraph: Paragraph, today: dt.date) -> FinalityStatus:
    if not paragraph.has_decision:
        return NO_DECISION
    minutes = paragraph.minutes
    posting = minutes.posting if has_posting(minutes) else None
    first = Appeal.objects.filter(paragraph=paragraph).order_by("received_on").values_list("received_on", flat=True)
    items = list(FinalityRequestItem.objects.filter(paragraph=paragraph).select_related("request"))
    return finality_status(posting=posting, appealed_on=first.first(), today=today, items=items)


def finality_requests(*, minutes: Minutes) -> list[FinalityRequest]:
    """The protokoll's begäranden om lagakraftbevis, oldest first, with their §§."""
    items = FinalityRequestItem.objects.select_related("paragraph").order_by("paragraph__number")
    return list(
        FinalityRequest.objects.filter(minutes=minutes)
        .select_related("created_by")
        .prefetch_related(Prefetch("items", queryset=items))
        .order_by("requested_on", "pk")
    )


def finality_request_for_organisation(*, organisation: Organisation) -> QuerySet[FinalityRequest]:
    return FinalityRequest.objects.for_organisation(organisation).select_related(
        "minutes__meeting__committee__organisation", "minutes__posting"
    )


def finality_request_defaults(*, organisation: Organisation) -> dict:
    """The court and addresses of the organisation's last request: the next letter usually goes to the same."""
    last = FinalityRequest.objects.for_organisation(organisation).order_by("-created_at", "-pk").first()
    if last is None:
        return {"court": "Förvaltningsrätten i "}
    fields = ("court", "court_address", "return_address", "signed_name", "signed_title", "contact")
    return {name: getattr(last, name) for name in fields}


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
    return rows.order_by("number").values_list(
        "number", "title", "decision_kind", "decision_clauses", "decision_note", "is_public"
    )


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
    """The newest finished public PDF of the protokoll (no sekretess), or None. A PDF asked for before the
    protokoll's latest rättelse is stale: it lacks the rättelse, so it is not offered."""
    from reporting.models import RenderJob

    from .models import Correction

    latest_correction = (
        Correction.objects.filter(minutes_id=minutes.pk).order_by("-created_at").values("created_at")[:1]
    )
    return (
        RenderJob.objects.filter(
            organisation_id=minutes.meeting.committee.organisation_id,
            kind=PUBLIC_MINUTES_KIND,
            params__minutes=minutes.pk,
            status=RenderJob.Status.DONE,
        )
        .annotate(latest_correction=Subquery(latest_correction))
        .filter(Q(latest_correction__isnull=True) | Q(created_at__gte=F("latest_correction")))
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
    decision: str = ""  # a standard beslut ("Socialnämnden beslutar enligt förslaget.") and its note
    posting_id: int | None = None
    committee: str = ""
    organisation: str = ""
    meeting_date: dt.date | None = None


def _public_paragraph_rows(queryset: QuerySet[Paragraph]) -> QuerySet[Paragraph]:
    return queryset.annotate(
        is_public=Case(When(PUBLIC_PARAGRAPH, then=Value(True)), default=Value(False)),
    ).only("pk", "number", "title", "decision_kind", "decision_clauses", "decision_note", "minutes_id")


def public_paragraphs(*, posting: Posting) -> list[PublicParagraph]:
    """The §§ of an anslaget protokoll as the public may read them, in number order."""
    rows = _public_paragraph_rows(Paragraph.objects.filter(minutes_id=posting.minutes_id)).order_by("number")
    committee = posting.minutes.meeting.committee.name
    return [_to_public(row, committee_name=committee) for row in rows]


def _public_decision(row: Paragraph, committee_name: str) -> dict:
    """The beslut as the public reads it, worded as the protokoll words it (meetings.clauses)."""
    decision = paragraph_decision(row, committee_name)
    sentence = " ".join(part for part in (decision.sentence, decision.note) if part)
    return {"clauses": decision.clauses, "decision": sentence}


def _to_public(row: Paragraph, *, committee_name: str, **extra) -> PublicParagraph:
    if not row.is_public:
        return PublicParagraph(number=row.number, masked=True, **extra)
    return PublicParagraph(number=row.number, title=row.title, **_public_decision(row, committee_name), **extra)


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
            "decision_kind",
            "decision_clauses",
            "decision_note",
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
        results.append(
            PublicParagraph(
                number=row.number,
                title=row.title,
                **_public_decision(row, meeting.committee.name),
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
        .order_by("date", "start_time")
        .values_list("pk", "date", "start_time", "end_time", "place", "status")
    )


def calendar_meetings(*, committee: Committee, today: dt.date) -> QuerySet[Meeting]:
    """The committee's meetings from a year back, for the public calendar feed; a cancelled one stays in it as
    inställt (STATUS:CANCELLED), so calendars that had it show it as cancelled instead of silently losing it."""
    return (
        Meeting.objects.filter(committee=committee, date__gte=calendar_since(today))
        .only("pk", "date", "start_time", "end_time", "place", "status", "committee_id")
        .order_by("date", "start_time")
    )


def last_storage_place(*, organisation: Organisation) -> str:
    """Where the organisation's latest anslaget protokoll is kept ("" before the first anslag)."""
    place = (
        Posting.objects.filter(minutes__meeting__committee__organisation=organisation)
        .order_by("-posted_on", "-pk")
        .values_list("storage_place", flat=True)
        .first()
    )
    return place or ""
