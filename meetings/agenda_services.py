"""Writes for sammanträden, their föredragningslista and the kallelse.

Every service owns its transaction, names its actor for the audit trail (django-simple-history) and raises
ValidationError with a Swedish message that says what is wrong. Changes to the agenda re-read the meeting
FOR UPDATE first, so two secretaries moving items at once never leave two items with the same number, and
are refused once the meeting's protokoll is justerat.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterable, Sequence
from functools import partial
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Max
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from simple_history.utils import bulk_update_with_history

from core.models import Organisation, Person, User
from core.versioning import bump_version, check_version

from .clauses import clean_clauses as clauses_clean
from .models import (
    AGENDA_KIND_RANK,
    AgendaItem,
    AgendaItemKind,
    AgendaTemplateItem,
    Case,
    Committee,
    Meeting,
    Membership,
    Minutes,
    NoticeIssue,
    NoticeRecipient,
)

logger = logging.getLogger(__name__)

AGENDA_LOCKED_MESSAGE = "Protokollet för sammanträdet är justerat. Dagordningen kan inte längre ändras."
CANCELLED_MESSAGE = "Sammanträdet är inställt. Dagordningen och kallelsen kan inte ändras."
MEETING_FIELDS = {"date", "start_time", "end_time", "place", "is_public", "notice_note"}
ITEM_FIELDS = {"title", "description", "presenter", "proposed_clauses", "confidential", "legal_basis"}
ITEM_EDITOR_FIELDS = ("title", "presenter", "description", "proposed_clauses", "confidential", "legal_basis")
LEGAL_BASIS_REQUIRED = "Ange sekretessgrund (t.ex. ”OSL 26 kap. 1 §”) när punkten markeras som sekretess."


def clean_clauses(clauses: Iterable[str]) -> list[str]:
    """Att-clauses without empty lines (meetings.clauses: the one check of att-satser)."""
    return clauses_clean(clauses, field="proposed_clauses")


def ensure_agenda_editable(meeting: Meeting) -> Meeting:
    """Re-read the meeting FOR UPDATE and refuse changes once its protokoll is justerat or it is cancelled."""
    locked = Meeting.objects.select_for_update().select_related("committee__organisation").get(pk=meeting.pk)
    if locked.status == Meeting.Status.CANCELLED:
        raise ValidationError(CANCELLED_MESSAGE, code="cancelled")
    minutes = Minutes.objects.filter(meeting=locked).first()
    if minutes is not None and minutes.is_locked:
        raise ValidationError(AGENDA_LOCKED_MESSAGE, code="locked")
    return locked


def _check_times(start_time: dt.time | None, end_time: dt.time | None) -> None:
    if start_time and end_time and end_time <= start_time:
        raise ValidationError({"end_time": "Sluttiden måste vara senare än starttiden."}, code="end_before_start")


# -- Sammanträden ----------------------------------------------------------------------------------------


@transaction.atomic
def meeting_create(
    *,
    organisation: Organisation,
    actor: User,
    committee: Committee,
    date: dt.date,
    start_time: dt.time,
    place: str,
    end_time: dt.time | None = None,
    is_public: bool | None = None,
    notice_note: str = "",
) -> Meeting:
    """Create a sammanträde and copy the committee's active standard items (in order) into its agenda.

    `is_public=None` takes the committee's setting (nämnders sammanträden are closed unless decided).
    """
    if committee.organisation_id != organisation.pk:
        raise ValidationError({"committee": "Välj ett organ i listan."}, code="other_organisation")
    if not committee.is_active:
        raise ValidationError({"committee": "Organet är inte aktivt. Välj ett annat organ."}, code="inactive")
    _check_times(start_time, end_time)
    meeting = Meeting(
        committee=committee,
        date=date,
        start_time=start_time,
        end_time=end_time,
        place=(place or "").strip(),
        is_public=committee.meetings_public if is_public is None else is_public,
        notice_note=(notice_note or "").strip(),
    )
    meeting.full_clean()
    meeting._history_user = actor
    meeting.save()
    template = AgendaTemplateItem.objects.filter(committee=committee, is_active=True).order_by("position", "pk")
    for position, row in enumerate(template, start=1):
        item = AgendaItem(
            meeting=meeting,
            position=position,
            kind=row.kind,
            title=row.title,
            description=row.description,
            proposed_clauses=list(row.proposed_clauses or []),
        )
        item._history_user = actor
        item.save()
    return meeting


@transaction.atomic
def meeting_update(*, meeting: Meeting, actor: User, data: dict[str, Any]) -> Meeting:
    unknown = set(data) - MEETING_FIELDS
    if unknown:
        raise ValueError(f"Okända fält: {sorted(unknown)}")
    meeting = ensure_agenda_editable(meeting)
    for field, value in data.items():
        setattr(meeting, field, value.strip() if isinstance(value, str) else value)
    _check_times(meeting.start_time, meeting.end_time)
    meeting.full_clean()
    meeting._history_user = actor
    meeting.save()
    return meeting


# -- Föredragningslista ----------------------------------------------------------------------------------


def _renumber(items: Sequence[AgendaItem], actor: User) -> None:
    """Give the items positions 1..n in the order given; only rows that move are written (with history)."""
    changed = []
    for position, item in enumerate(items, start=1):
        if item.position != position:
            item.position = position
            changed.append(item)
    if changed:
        bulk_update_with_history(changed, AgendaItem, ["position"], default_user=actor)


def _items(meeting: Meeting) -> list[AgendaItem]:
    return list(AgendaItem.objects.filter(meeting=meeting).order_by("position", "pk"))


def insert_position(items: Sequence[AgendaItem], kind: str) -> int:
    """0-based index a new item of `kind` goes to: after the last item whose kind ranks the same or lower."""
    rank = AGENDA_KIND_RANK[AgendaItemKind(kind)]
    index = 0
    for number, item in enumerate(items, start=1):
        if AGENDA_KIND_RANK.get(AgendaItemKind(item.kind), 0) <= rank:
            index = number
    return index


@transaction.atomic
def agenda_item_add(
    *,
    meeting: Meeting,
    actor: User,
    kind: str,
    title: str = "",
    case: Case | None = None,
    description: str = "",
    presenter: str = "",
    proposed_clauses: Iterable[str] = (),
    confidential: bool = False,
    legal_basis: str = "",
) -> AgendaItem:
    """Add an item where its kind belongs. An ärende brings its title, number, förslag and sekretess along."""
    meeting = ensure_agenda_editable(meeting)
    if kind not in AgendaItemKind.values:
        raise ValidationError({"kind": "Välj vilken sorts punkt det är."}, code="bad_kind")
    clauses = clean_clauses(proposed_clauses)
    if case is not None:
        if case.organisation_id != meeting.committee.organisation_id:
            raise ValidationError({"case": "Välj ett ärende i listan."}, code="other_organisation")
        if case.status != Case.Status.OPEN:
            raise ValidationError({"case": "Ärendet är inte pågående och kan inte tas upp."}, code="case_closed")
        report = getattr(case, "officer_report", None)
        title = title.strip() or case.title
        if not clauses and report is not None:
            clauses = clean_clauses(report.proposed_clauses or [])
        if case.confidential and not confidential:
            confidential, legal_basis = True, case.legal_basis
    elif kind == AgendaItemKind.CASE:
        raise ValidationError({"case": "Välj vilket ärende punkten gäller."}, code="no_case")
    title = " ".join((title or "").split())
    if not title:
        raise ValidationError({"title": "Skriv en rubrik för punkten."}, code="no_title")
    legal_basis = (legal_basis or "").strip()
    if confidential and not legal_basis:
        raise ValidationError({"legal_basis": LEGAL_BASIS_REQUIRED}, code="no_legal_basis")

    items = _items(meeting)
    index = insert_position(items, kind)
    item = AgendaItem(
        meeting=meeting,
        position=index + 1,
        kind=kind,
        title=title,
        case=case,
        description=(description or "").strip(),
        presenter=(presenter or "").strip(),
        proposed_clauses=clauses,
        confidential=confidential,
        legal_basis=legal_basis if confidential else "",
    )
    item.full_clean(exclude=["meeting", "case"])
    # Make room first, then save the new row at its place.
    following = items[index:]
    for offset, other in enumerate(following, start=index + 2):
        other.position = offset
    if following:
        bulk_update_with_history(following, AgendaItem, ["position"], default_user=actor)
    item._history_user = actor
    item.save()
    return item


@transaction.atomic
def agenda_cases_add(*, meeting: Meeting, actor: User, cases: Iterable[Case]) -> list[AgendaItem]:
    """Put several ärenden on the agenda at once, in the order given, each with its förslag and handläggare as
    föredragande. All or nothing: one ärende that cannot be taken up leaves the agenda as it was."""
    cases = list(cases)
    if not cases:
        raise ValidationError({"cases": "Kryssa för minst ett ärende."}, code="no_cases")
    on_agenda = set(AgendaItem.objects.filter(meeting=meeting, case__in=cases).values_list("case_id", flat=True))
    added = []
    for case in cases:
        if case.pk in on_agenda:
            raise ValidationError({"cases": f"{case.case_number} finns redan på dagordningen."}, code="case_on_agenda")
        presenter = case.handler.full_name if case.handler_id else ""
        added.append(
            agenda_item_add(meeting=meeting, actor=actor, kind=AgendaItemKind.CASE, case=case, presenter=presenter)
        )
    return added


@transaction.atomic
def agenda_item_update(
    *, item: AgendaItem, actor: User, data: dict[str, Any], version: int | None = None
) -> AgendaItem:
    """Save an agenda item's text. `version` is the one the form was built from (see core.versioning)."""
    unknown = set(data) - ITEM_FIELDS
    if unknown:
        raise ValueError(f"Okända fält: {sorted(unknown)}")
    ensure_agenda_editable(item.meeting)
    item = AgendaItem.objects.select_for_update().get(pk=item.pk)
    check_version(item, version, what=f"punkt {item.position}", fields=ITEM_EDITOR_FIELDS, actor=actor)
    for field, value in data.items():
        setattr(item, field, value.strip() if isinstance(value, str) else value)
    item.title = " ".join(item.title.split())
    if not item.title:
        raise ValidationError({"title": "Skriv en rubrik för punkten."}, code="no_title")
    item.proposed_clauses = clean_clauses(item.proposed_clauses or [])
    if item.confidential and not item.legal_basis:
        raise ValidationError({"legal_basis": LEGAL_BASIS_REQUIRED}, code="no_legal_basis")
    if not item.confidential:
        item.legal_basis = ""
    item.full_clean(exclude=["meeting", "case"])
    bump_version(item)
    item._history_user = actor
    item.save()
    return item


@transaction.atomic
def agenda_item_remove(*, item: AgendaItem, actor: User) -> None:
    """Remove an item and its bilagor; the items after it move up one place."""
    from .attachments import attachment_remove

    meeting = ensure_agenda_editable(item.meeting)
    item = AgendaItem.objects.get(pk=item.pk)
    for attachment in item.attachments.all():
        attachment_remove(attachment=attachment, actor=actor)
    item._history_user = actor
    item.delete()
    _renumber(_items(meeting), actor)


@transaction.atomic
def agenda_item_move(*, item: AgendaItem, actor: User, direction: str) -> int:
    """Move an item one place up or down. Returns its new position (unchanged at either end)."""
    if direction not in {"up", "down"}:
        raise ValidationError("Välj om punkten ska flyttas upp eller ned.", code="bad_direction")
    meeting = ensure_agenda_editable(item.meeting)
    items = _items(meeting)
    index = next(i for i, other in enumerate(items) if other.pk == item.pk)
    target = index - 1 if direction == "up" else index + 1
    if 0 <= target < len(items):
        items[index], items[target] = items[target], items[index]
        _renumber(items, actor)
        return target + 1
    return index + 1


@transaction.atomic
def agenda_reorder(*, meeting: Meeting, actor: User, item_ids: Sequence[int]) -> list[AgendaItem]:
    """Number the meeting's items 1..n in the order given. The ids must be exactly the meeting's items."""
    meeting = ensure_agenda_editable(meeting)
    items = {item.pk: item for item in _items(meeting)}
    try:
        ids = [int(pk) for pk in item_ids]
    except (TypeError, ValueError) as exc:
        raise ValidationError("Ordningen innehåller ett ogiltigt id.", code="bad_id") from exc
    if len(ids) != len(set(ids)) or set(ids) != set(items):
        raise ValidationError(
            "Ordningen stämmer inte med sammanträdets punkter (någon har ändrat dagordningen). Ladda om sidan.",
            code="mismatch",
        )
    ordered = [items[pk] for pk in ids]
    _renumber(ordered, actor)
    return ordered


# -- Kallelse --------------------------------------------------------------------------------------------


def notice_recipients_on(meeting: Meeting) -> list[tuple[Membership, str]]:
    """Who is called: the seats in force on the meeting day (members first, then substitutes in order)."""
    memberships = (
        Membership.objects.filter(committee_id=meeting.committee_id)
        .on(meeting.date)
        .select_related("person", "represents")
    )
    rows = sorted(
        memberships,
        key=lambda m: (
            Membership.ROLE_ORDER.get(m.role, 9),
            m.substitute_order if m.substitute_order is not None else 10_000,
            m.person.last_name.lower(),
            m.person.first_name.lower(),
        ),
    )
    seen: set[int] = set()
    result = []
    for membership in rows:
        if membership.person_id in seen:
            continue
        seen.add(membership.person_id)
        category = NoticeRecipient.Category.SUBSTITUTE if membership.is_substitute else NoticeRecipient.Category.MEMBER
        result.append((membership, category))
    return result


def meeting_url(meeting: Meeting) -> str:
    return settings.PARAGRAF["BASE_URL"].rstrip("/") + reverse("agenda:meeting_detail", kwargs={"pk": meeting.pk})


def notice_send_emails(*, notice_id: int) -> int:
    """E-mail each recipient of a sent kallelse a link to the meeting. One failure does not stop the others."""
    notice = NoticeIssue.objects.select_related("meeting__committee__organisation").get(pk=notice_id)
    meeting = notice.meeting
    sent = 0
    recipients = notice.recipients.select_related("person").exclude(email="").filter(notified_at__isnull=True)
    for recipient in recipients:
        context = {
            "notice": notice,
            "meeting": meeting,
            "committee": meeting.committee,
            "organisation": meeting.committee.organisation,
            "recipient": recipient,
            "url": meeting_url(meeting),
        }
        subject = "".join(render_to_string("meetings/email/notice_subject.txt", context).splitlines())
        body = render_to_string("meetings/email/notice.txt", context)
        try:
            send_mail(subject, body, None, [recipient.email])
        except Exception:
            logger.exception("Kallelse %s kunde inte skickas till mottagare %s", notice.pk, recipient.pk)
            continue
        # Saved with its history row: the granskningslogg shows when the e-mail went, and the meeting page's
        # version (built from history) moves, so its cached "Fick e-post" column never lags behind.
        recipient.notified_at = timezone.now()
        recipient._change_reason = "E-post med kallelsen skickad"
        recipient.save(update_fields=["notified_at"])
        sent += 1
    return sent


@transaction.atomic
def notice_issue(
    *,
    meeting: Meeting,
    actor: User,
    for_information: Iterable[Person] = (),
    changes: str = "",
) -> NoticeIssue:
    """Send the kallelse (version 1) or a revised one (2, 3 …, which must say what changed).

    Recipients are the seats in force on the meeting day plus the persons "för kännedom"; each with an
    e-mail address gets a link to the meeting page once the transaction has committed.
    """
    meeting = ensure_agenda_editable(meeting)
    organisation_id = meeting.committee.organisation_id
    last = NoticeIssue.objects.filter(meeting=meeting).aggregate(last=Max("revision"))["last"] or 0
    revision = last + 1
    changes = (changes or "").strip()
    if revision > 1 and not changes:
        raise ValidationError({"changes": "Beskriv kort vad som har ändrats sedan förra kallelsen."}, code="no_changes")
    if not AgendaItem.objects.filter(meeting=meeting).exists():
        raise ValidationError("Dagordningen är tom. Lägg till minst en punkt innan kallelsen skickas.", code="empty")
    extra = list(for_information)
    if any(person.organisation_id != organisation_id for person in extra):
        raise ValidationError({"for_information": "Välj personer i listan."}, code="other_organisation")

    notice = NoticeIssue(meeting=meeting, revision=revision, issued_by=actor, changes=changes)
    notice._history_user = actor
    notice.save()
    rows: list[NoticeRecipient] = []
    seen: set[int] = set()
    for membership, category in notice_recipients_on(meeting):
        seen.add(membership.person_id)
        rows.append(
            NoticeRecipient(notice=notice, person=membership.person, category=category, email=membership.person.email)
        )
    for person in sorted(extra, key=lambda p: (p.last_name.lower(), p.first_name.lower())):
        if person.pk in seen:
            continue
        seen.add(person.pk)
        rows.append(
            NoticeRecipient(
                notice=notice, person=person, category=NoticeRecipient.Category.FOR_INFORMATION, email=person.email
            )
        )
    for row in rows:
        row._history_user = actor
        row.save()

    if meeting.status == Meeting.Status.PLANNED:  # a revised kallelse after the meeting leaves it genomfört
        meeting.status = Meeting.Status.NOTICE_ISSUED
    meeting.notice_revision = revision
    meeting._history_user = actor
    meeting.save(update_fields=["status", "notice_revision"])
    # robust: a mail server that is down must not undo a sent kallelse; the failures are logged and
    # recipients without notified_at show who did not get the e-mail.
    transaction.on_commit(partial(notice_send_emails, notice_id=notice.pk), robust=True)
    return notice


# -- Genomfört och inställt ------------------------------------------------------------------------------

HELD_FROM = (Meeting.Status.PLANNED, Meeting.Status.NOTICE_ISSUED)


@transaction.atomic
def meeting_mark_held(*, meeting: Meeting, actor: User, today: dt.date | None = None) -> Meeting:
    """Record that the sammanträde took place. Not before its day, and not for a cancelled one."""
    meeting = Meeting.objects.select_for_update().select_related("committee").get(pk=meeting.pk)
    if meeting.status == Meeting.Status.HELD:
        raise ValidationError("Sammanträdet är redan markerat som genomfört.", code="already_held")
    if meeting.status == Meeting.Status.CANCELLED:
        raise ValidationError("Sammanträdet är inställt och kan inte markeras som genomfört.", code="cancelled")
    if meeting.date > (today or timezone.localdate()):
        raise ValidationError(
            "Sammanträdet har inte ägt rum än. Det kan markeras som genomfört från sammanträdesdagen.", code="future"
        )
    meeting.status = Meeting.Status.HELD
    meeting._history_user = actor
    meeting.save(update_fields=["status"])
    return meeting


def meeting_held_by_verification(*, meeting_id: int, actor: User) -> None:
    """A justerat protokoll proves the meeting took place: mark it genomfört (inside the justering's transaction)."""
    meeting = Meeting.objects.select_for_update().get(pk=meeting_id)
    if meeting.status in HELD_FROM:
        meeting.status = Meeting.Status.HELD
        meeting._history_user = actor
        meeting.save(update_fields=["status"])


@transaction.atomic
def meeting_cancel(*, meeting: Meeting, actor: User, reason: str = "", notify: bool = False) -> Meeting:
    """Ställ in a sammanträde. Refused once it has been held or has a protokoll with §§.

    With `notify`, everyone the last kallelse went to (with an e-mail address) is told by e-mail once the
    transaction has committed; the time is recorded on the meeting. The public calendar shows it as inställt.
    """
    meeting = Meeting.objects.select_for_update().select_related("committee__organisation").get(pk=meeting.pk)
    if meeting.status == Meeting.Status.CANCELLED:
        raise ValidationError("Sammanträdet är redan inställt.", code="already_cancelled")
    if meeting.status == Meeting.Status.HELD:
        raise ValidationError("Sammanträdet är genomfört och kan inte ställas in.", code="held")
    minutes = Minutes.objects.filter(meeting=meeting).first()
    if minutes is not None and (minutes.is_locked or minutes.paragraphs.exists()):
        raise ValidationError(
            "Sammanträdet har ett protokoll med paragrafer och kan inte ställas in.", code="has_minutes"
        )
    meeting.status = Meeting.Status.CANCELLED
    meeting.cancelled_at = timezone.now()
    meeting.cancellation_reason = (reason or "").strip()
    meeting._history_user = actor
    meeting.save(update_fields=["status", "cancelled_at", "cancellation_reason"])
    if notify and NoticeIssue.objects.filter(meeting=meeting).exists():
        transaction.on_commit(partial(meeting_cancel_send_emails, meeting_id=meeting.pk), robust=True)
    return meeting


def cancellation_recipients(meeting: Meeting) -> list[NoticeRecipient]:
    """Who the last kallelse went to and has an e-mail address: those told that the meeting is cancelled."""
    last = NoticeIssue.objects.filter(meeting=meeting).order_by("-revision").first()
    if last is None:
        return []
    return list(last.recipients.select_related("person").exclude(email="").order_by("category", "person__last_name"))


def meeting_cancel_send_emails(*, meeting_id: int) -> int:
    """E-mail the kallade that the meeting is cancelled. One failure does not stop the others."""
    meeting = Meeting.objects.select_related("committee__organisation").get(pk=meeting_id)
    if meeting.status != Meeting.Status.CANCELLED:
        return 0
    sent = 0
    for recipient in cancellation_recipients(meeting):
        context = {
            "meeting": meeting,
            "committee": meeting.committee,
            "organisation": meeting.committee.organisation,
            "recipient": recipient,
        }
        subject = "".join(render_to_string("meetings/email/cancelled_subject.txt", context).splitlines())
        body = render_to_string("meetings/email/cancelled.txt", context)
        try:
            send_mail(subject, body, None, [recipient.email])
        except Exception:
            logger.exception("Inställt sammanträde %s kunde inte meddelas mottagare %s", meeting.pk, recipient.pk)
            continue
        sent += 1
    if sent:
        Meeting.objects.filter(pk=meeting.pk).update(cancellation_emailed_at=timezone.now())
    return sent
