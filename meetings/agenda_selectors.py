"""Reads for sammanträden, the agenda editor and the kallelse. Every selector takes the organisation."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Prefetch, QuerySet
from django.utils import timezone

from core import compiled_query
from core.models import Organisation, Person

from .confidentiality import is_confidential, legal_basis
from .models import (
    CONFIDENTIAL_PUBLIC_TEXT,
    AgendaItem,
    Attachment,
    Case,
    Committee,
    Meeting,
    Membership,
    NoticeIssue,
    NoticeRecipient,
)

ITEM_FIELD_LABELS = {
    "position": "nummer",
    "kind": "typ",
    "title": "rubrik",
    "description": "beskrivning",
    "presenter": "föredragande",
    "proposed_clauses": "förslag till beslut",
    "confidential": "sekretess",
    "legal_basis": "sekretessgrund",
}
MEETING_FIELD_LABELS = {
    "date": "datum",
    "start_time": "starttid",
    "end_time": "sluttid",
    "place": "plats",
    "is_public": "offentligt eller slutet",
    "notice_note": "meddelande i kallelsen",
}


def committees_for_meetings(*, organisation: Organisation) -> QuerySet[Committee]:
    return Committee.objects.for_organisation(organisation).filter(is_active=True).order_by("name")


def meetings_for_list(*, organisation: Organisation, committee: Committee | None = None) -> dict[str, list[Meeting]]:
    """Upcoming meetings (soonest first) and past ones (latest first)."""
    queryset = Meeting.objects.for_organisation(organisation).select_related("committee")
    queryset = queryset.annotate(item_count=Count("agenda_items"))
    if committee is not None:
        queryset = queryset.filter(committee=committee)
    today = timezone.localdate()
    return {
        "upcoming": list(queryset.filter(date__gte=today).order_by("date", "start_time", "pk")),
        "past": list(queryset.filter(date__lt=today).order_by("-date", "-start_time", "-pk")),
    }


def meeting_queryset(*, organisation: Organisation) -> QuerySet[Meeting]:
    return Meeting.objects.for_organisation(organisation).select_related("committee__organisation")


def _meeting_page_row(pk: int, organisation_id: int) -> QuerySet[Meeting]:
    return Meeting.objects.filter(pk=pk, committee__organisation_id=organisation_id).select_related(
        "committee__organisation", "minutes__archived_job"
    )


def meeting_for_page(*, organisation: Organisation, pk: int) -> Meeting:
    """The meeting page's own row: the meeting with its committee, protokoll and archive job, in one query
    compiled once per process (core.compiled_query); Meeting.DoesNotExist outside the organisation."""
    found = compiled_query.instances(_meeting_page_row, pk=pk, organisation_id=organisation.pk) if organisation else []
    if not found:
        raise Meeting.DoesNotExist
    return found[0]


def agenda_items(*, meeting: Meeting) -> list[AgendaItem]:
    """The agenda with ärende and bilagor: three queries whatever the number of items."""
    attachments = Attachment.objects.select_related("case").order_by("position", "pk")
    items = list(
        AgendaItem.objects.filter(meeting=meeting)
        .select_related("case")
        .prefetch_related(Prefetch("attachments", queryset=attachments))
        .order_by("position", "pk")
    )
    for item in items:
        item.meeting = meeting  # the confidentiality rule reads the meeting's committee and date: no query
    return items


def agenda_order(*, meeting_id: int) -> list[int]:
    return list(
        AgendaItem.objects.filter(meeting_id=meeting_id).order_by("position", "pk").values_list("pk", flat=True)
    )


def agenda_item_queryset(*, organisation: Organisation) -> QuerySet[AgendaItem]:
    return AgendaItem.objects.for_organisation(organisation).select_related("meeting__committee", "case")


def attachment_queryset(*, organisation: Organisation) -> QuerySet[Attachment]:
    return Attachment.objects.for_organisation(organisation).select_related("agenda_item__meeting", "case")


def open_cases(*, organisation: Organisation) -> QuerySet[Case]:
    return (
        Case.objects.for_organisation(organisation)
        .filter(status=Case.Status.OPEN)
        .select_related("officer_report")
        .order_by("-year", "-sequence")
    )


def people(*, organisation: Organisation) -> QuerySet[Person]:
    return Person.objects.for_organisation(organisation).order_by("last_name", "first_name")


def notice_issues(*, meeting: Meeting) -> list[NoticeIssue]:
    return list(
        NoticeIssue.objects.filter(meeting=meeting)
        .select_related("issued_by")
        .annotate(recipient_count=Count("recipients"))
        .order_by("-revision")
    )


def notice_recipients(*, notice: NoticeIssue) -> list[NoticeRecipient]:
    return list(notice.recipients.select_related("person").order_by("category", "person__last_name"))


# -- Changes since the last kallelse -----------------------------------------------------------------------


@dataclass
class AgendaChange:
    what: str  # "added", "removed", "changed"
    position: int
    title: str
    confidential: bool  # the item, or its ärende, is sekretess (meetings.confidentiality)
    fields: list[str] = field(default_factory=list)
    # Who may read it is decided by the meeting's committee and date (meetings.confidentiality.scope).
    committee_id: int | None = None
    on: dt.date | None = None

    @property
    def label(self) -> str:
        return {"added": "Ny punkt", "removed": "Borttagen punkt", "changed": "Ändrad punkt"}[self.what]


@dataclass
class NoticeChanges:
    issued_at: dt.datetime
    revision: int
    meeting_fields: list[str]
    items: list[AgendaChange]

    def __bool__(self) -> bool:
        return bool(self.meeting_fields or self.items)


def _latest_per_id(records) -> dict[int, Any]:
    latest: dict[int, Any] = {}
    for record in records:  # ordered by date, so the last one wins
        latest[record.id] = record
    return latest


def agenda_changes_since_notice(*, meeting: Meeting, items: list[AgendaItem] | None = None) -> NoticeChanges | None:
    """What changed in the agenda (and the meeting's time and place) since the last kallelse was sent.

    Compares the simple-history records written after the kallelse with the state each item had when it was
    sent. None when no kallelse has been sent. Four queries.
    """
    last = NoticeIssue.objects.filter(meeting=meeting).order_by("-revision").first()
    if last is None:
        return None
    issued_at = last.issued_at
    history = AgendaItem.history.filter(meeting_id=meeting.pk)
    touched = set(history.filter(history_date__gt=issued_at).values_list("id", flat=True))
    current = {item.pk: item for item in (items if items is not None else agenda_items(meeting=meeting))}
    changes: list[AgendaChange] = []
    if touched:
        before = {
            pk: record
            for pk, record in _latest_per_id(
                history.filter(id__in=touched, history_date__lte=issued_at).order_by("history_date", "history_id")
            ).items()
            if record.history_type != "-"
        }
        old_cases = {record.case_id for record in before.values() if record.case_id}
        secret_cases = (
            set(Case.objects.filter(pk__in=old_cases, confidential=True).values_list("pk", flat=True))
            if old_cases
            else set()
        )

        def was_confidential(record) -> bool:
            return record.confidential or record.case_id in secret_cases

        scope = {"committee_id": meeting.committee_id, "on": meeting.date}
        for pk in touched:
            old, new = before.get(pk), current.get(pk)
            if old is not None and new is None:
                changes.append(AgendaChange("removed", old.position, old.title, was_confidential(old), **scope))
            elif old is None and new is not None:
                changes.append(AgendaChange("added", new.position, new.title, new.is_confidential, **scope))
            elif old is not None and new is not None:
                differs = [
                    label for name, label in ITEM_FIELD_LABELS.items() if getattr(old, name) != getattr(new, name)
                ]
                if differs:
                    secret = new.is_confidential or was_confidential(old)
                    changes.append(AgendaChange("changed", new.position, new.title, secret, differs, **scope))
    changes.sort(key=lambda change: (change.position, change.what))

    meeting_fields: list[str] = []
    old_meeting = (
        Meeting.history.filter(id=meeting.pk, history_date__lte=issued_at).order_by("-history_date", "-history_id")
    ).first()
    if old_meeting is not None:
        meeting_fields = [
            label
            for name, label in MEETING_FIELD_LABELS.items()
            if getattr(old_meeting, name) != getattr(meeting, name)
        ]
    return NoticeChanges(issued_at=issued_at, revision=last.revision, meeting_fields=meeting_fields, items=changes)


# -- The kallelse as a document ----------------------------------------------------------------------------


def notice_document_context(*, organisation: Organisation, meeting_id: int, public: bool) -> dict[str, Any]:
    """Everything the kallelse prints. The public version carries nothing of a confidential item but its
    number and CONFIDENTIAL_PUBLIC_TEXT, and no confidential bilaga at all."""
    meeting = meeting_queryset(organisation=organisation).get(pk=meeting_id)
    memberships = sorted(
        Membership.objects.filter(committee_id=meeting.committee_id)
        .on(meeting.date)
        .select_related("person", "represents"),
        key=lambda m: (
            Membership.ROLE_ORDER.get(m.role, 9),
            m.substitute_order if m.substitute_order is not None else 10_000,
            m.person.last_name.lower(),
            m.person.first_name.lower(),
        ),
    )
    members = [m for m in memberships if not m.is_substitute]
    substitutes = [m for m in memberships if m.is_substitute]
    chair = next((m for m in members if m.role == Membership.Role.CHAIR), None)
    last_notice = NoticeIssue.objects.filter(meeting=meeting).select_related("issued_by").order_by("-revision").first()
    for_information: list[NoticeRecipient] = []
    if last_notice is not None:
        for_information = list(
            last_notice.recipients.filter(category=NoticeRecipient.Category.FOR_INFORMATION)
            .select_related("person")
            .order_by("person__last_name", "person__first_name")
        )
    secretary = ""
    if last_notice is not None and last_notice.issued_by is not None:
        secretary = last_notice.issued_by.get_full_name() or last_notice.issued_by.username

    rows = []
    for item in agenda_items(meeting=meeting):
        confidential = is_confidential(item)
        hidden = public and confidential
        attachments = [a for a in item.attachments.all() if not (public and is_confidential(a))]
        rows.append(
            {
                "position": item.position,
                "hidden": hidden,
                "public_text": CONFIDENTIAL_PUBLIC_TEXT if hidden else "",
                "title": "" if hidden else item.title,
                "kind": item.get_kind_display(),
                "case_number": "" if hidden else item.case_number,
                "presenter": "" if hidden else item.presenter,
                "description": "" if hidden else item.description,
                "clauses": [] if hidden else list(item.proposed_clauses or []),
                "confidential": confidential and not public,
                "legal_basis": "" if public else legal_basis(item),
                "attachments": [
                    {"title": a.title, "name": a.original_name, "confidential": is_confidential(a)} for a in attachments
                ],
            }
        )
    return {
        "meeting": meeting,
        "committee": meeting.committee,
        "public": public,
        "chair": chair,
        "members": members,
        "substitutes": substitutes,
        "for_information": for_information,
        "secretary": secretary,
        "notice": last_notice,
        "items": rows,
    }


def meeting_minutes(*, meeting: Meeting):
    """The meeting's protokoll with its archive job, or None before it is started."""
    from .models import Minutes

    return Minutes.objects.filter(meeting=meeting).select_related("archived_job").first()
