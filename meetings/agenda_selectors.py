"""Reads for sammanträden, the agenda editor and the kallelse. Every selector takes the organisation."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet
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
    # The protokoll, its anslag and archive come along: the list shows each meeting's stage without a query per row.
    queryset = Meeting.objects.for_organisation(organisation).select_related(
        "committee", "minutes__posting", "minutes__archived_job"
    )
    queryset = queryset.annotate(item_count=Count("agenda_items"))
    if committee is not None:
        queryset = queryset.filter(committee=committee)
    today = timezone.localdate()
    return {
        "upcoming": list(queryset.filter(date__gte=today).order_by("date", "start_time", "pk")),
        "past": list(queryset.filter(date__lt=today).order_by("-date", "-start_time", "-pk")),
    }


def last_meeting_defaults(*, committee: Committee) -> dict[str, Any]:
    """Place and times of the organ's latest sammanträde, as a new one's starting values (empty if none)."""
    last = (
        Meeting.objects.filter(committee=committee)
        .exclude(status=Meeting.Status.CANCELLED)
        .order_by("-date", "-start_time")
        .values("place", "start_time", "end_time")
        .first()
    )
    return {key: value for key, value in (last or {}).items() if value}


def meeting_queryset(*, organisation: Organisation) -> QuerySet[Meeting]:
    return Meeting.objects.for_organisation(organisation).select_related("committee__organisation")


def _meeting_page_row(pk: int, organisation_id: int) -> QuerySet[Meeting]:
    return Meeting.objects.filter(pk=pk, committee__organisation_id=organisation_id).select_related(
        "committee__organisation", "minutes__archived_job", "minutes__posting"
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


def cases_ready_for(*, meeting: Meeting) -> list[Case]:
    """Open ärenden of the meeting's organ (or of no organ) that are not yet on this meeting's agenda, oldest
    first; `ready` tells those whose tjänsteskrivelse proposes a beslut, which the secretary usually takes up."""
    cases = list(
        Case.objects.filter(organisation_id=meeting.committee.organisation_id, status=Case.Status.OPEN)
        .filter(Q(committee=meeting.committee) | Q(committee__isnull=True))
        .exclude(agenda_items__meeting=meeting)
        .select_related("officer_report", "handler")
        .order_by("year", "sequence")
    )
    for case in cases:
        report = getattr(case, "officer_report", None)
        case.ready = bool(report is not None and report.proposed_clauses)
    return cases


def people(*, organisation: Organisation) -> QuerySet[Person]:
    return Person.objects.for_organisation(organisation).order_by("last_name", "first_name")


def notice_issues(*, meeting: Meeting) -> list[NoticeIssue]:
    return list(
        NoticeIssue.objects.filter(meeting=meeting)
        .select_related("issued_by")
        .annotate(
            recipient_count=Count("recipients"),
            # Only those the e-mail actually reached: no address, or a mail server that refused, is not "sent".
            sent_count=Count("recipients", filter=Q(recipients__notified_at__isnull=False)),
        )
        .order_by("-revision")
    )


def notice_sent_counts(*, notice: NoticeIssue) -> tuple[int, int]:
    """(how many the e-mail reached, how many were called) for one sent kallelse. One query."""
    counts = notice.recipients.aggregate(sent=Count("pk", filter=Q(notified_at__isnull=False)), total=Count("pk"))
    return counts["sent"], counts["total"]


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
    # The number the punkt had in the last kallelse, when it has a new one.
    old_position: int | None = None

    @property
    def label(self) -> str:
        return {"added": "Ny punkt", "removed": "Borttagen punkt", "changed": "Ändrad punkt"}[self.what]

    @property
    def field_text(self) -> str:
        """What changed, in words: "nytt nummer (tidigare 2), ändrad rubrik" (a number is new, not "ändrad")."""
        parts = []
        if ITEM_FIELD_LABELS["position"] in self.fields:
            parts.append(f"nytt nummer (tidigare {self.old_position})" if self.old_position else "nytt nummer")
        others = [name for name in self.fields if name != ITEM_FIELD_LABELS["position"]]
        if others:
            parts.append("ändrad " + ", ".join(others))
        return ", ".join(parts)

    def text(self, *, hide_title: bool) -> str:
        """One line for the kallelse: "Ändrad punkt 3: Budget 2021 – ändrad rubrik"."""
        what = f"{self.label} {self.position}"
        what += f" ({CONFIDENTIAL_PUBLIC_TEXT.lower()})" if hide_title else f": {self.title}"
        return f"{what} – {self.field_text}" if self.fields else what


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
                    moved = old.position if old.position != new.position else None
                    changes.append(
                        AgendaChange("changed", new.position, new.title, secret, differs, **scope, old_position=moved)
                    )
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


def notice_changes_text(changes: NoticeChanges | None) -> str:
    """The computed changes as the revised kallelse's "Vad har ändrats?", one line each, for everyone to read.

    The text goes into the public kallelse and to every recipient's e-mail, so a confidential punkt is named by
    its number and CONFIDENTIAL_PUBLIC_TEXT only, whoever is writing.
    """
    if not changes:
        return ""
    lines = []
    if changes.meeting_fields:
        lines.append(f"Sammanträdet: ändrad {', '.join(changes.meeting_fields)}.")
    lines.extend(f"{change.text(hide_title=change.confidential)}." for change in changes.items)
    return "\n".join(lines)


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


# -- Kallelse med handlingar --------------------------------------------------------------------------------


@dataclass
class NumberedAttachment:
    """A bilaga as the handlingar number it: Bilaga 1, 2 … per punkt, the ärende's own first."""

    number: int
    attachment: Attachment
    confidential: bool

    @property
    def title(self) -> str:
        return self.attachment.title

    @property
    def label(self) -> str:
        return f"Bilaga {self.number}"


@dataclass
class ItemHandlingar:
    """What one punkt brings to the kallelse med handlingar: its tjänsteskrivelse and numbered bilagor."""

    position: int
    title: str
    case: Case | None
    report: Any  # OfficerReport or None
    attachments: list[NumberedAttachment]
    confidential: bool
    legal_basis: str

    @property
    def anchor(self) -> str:
        return f"handlingar-punkt-{self.position}"


def notice_handlingar(*, meeting: Meeting, public: bool) -> list[ItemHandlingar]:
    """Per punkt of the agenda its tjänsteskrivelse (when its ärende has one) and its bilagor, numbered.

    The public version leaves a confidential punkt out altogether (its tjänsteskrivelse and every bilaga) and
    every confidential bilaga of the others: the one rule, meetings.confidentiality.is_confidential. Four
    queries whatever the number of punkter.
    """
    from .models import OfficerReport

    items = agenda_items(meeting=meeting)
    case_ids = [item.case_id for item in items if item.case_id]
    reports = {
        report.case_id: report
        for report in OfficerReport.objects.filter(case_id__in=case_ids).select_related("handler", "signed_by")
    }
    case_attachments: dict[int, list[Attachment]] = {}
    for attachment in (
        Attachment.objects.filter(case_id__in=case_ids, agenda_item__isnull=True)
        .select_related("case")
        .order_by("position", "pk")
    ):
        case_attachments.setdefault(attachment.case_id, []).append(attachment)
    result = []
    for item in items:
        confidential = is_confidential(item)
        if public and confidential:
            continue
        own = case_attachments.get(item.case_id, []) if item.case_id else []
        numbered = []
        for attachment in [*own, *item.attachments.all()]:
            if attachment.agenda_item_id:
                attachment.agenda_item = item  # the rule reads the punkt: no query
            secret = is_confidential(attachment)
            if public and secret:
                continue
            numbered.append(NumberedAttachment(number=len(numbered) + 1, attachment=attachment, confidential=secret))
        report = reports.get(item.case_id) if item.case_id else None
        if report is not None:
            report.case = item.case
        result.append(
            ItemHandlingar(
                position=item.position,
                title=item.title,
                case=item.case,
                report=report,
                attachments=numbered,
                confidential=confidential,
                legal_basis=legal_basis(item) if confidential else "",
            )
        )
    return result
