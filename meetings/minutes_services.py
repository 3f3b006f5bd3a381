"""Writes for protokoll. Every one of them refuses a locked (justerat) protokoll or an omedelbart justerad §."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction

from core.models import User

from .models import MINUTES_LOCKED_MESSAGE, PARAGRAPH_LOCKED_MESSAGE, AgendaItem, Meeting, Minutes, Paragraph
from .numbering import paragraph_number_next, paragraph_number_release


def _lock_minutes(minutes: Minutes) -> Minutes:
    """Re-read the protokoll FOR UPDATE and refuse it when justerat: a check on a stale copy is no check."""
    locked = Minutes.objects.select_for_update().get(pk=minutes.pk)
    if locked.is_locked:
        raise ValidationError(MINUTES_LOCKED_MESSAGE, code="locked")
    return locked


def ensure_paragraph_editable(paragraph: Paragraph) -> Paragraph:
    locked = Paragraph.objects.select_for_update().get(pk=paragraph.pk)
    _lock_minutes(locked.minutes)
    if locked.immediately_verified_at is not None:
        raise ValidationError(PARAGRAPH_LOCKED_MESSAGE, code="locked")
    return locked


@transaction.atomic
def minutes_start(*, meeting: Meeting, actor: User) -> Minutes:
    """The meeting's protokoll, created as a draft the first time."""
    minutes = Minutes.objects.filter(meeting=meeting).first()
    if minutes is None:
        minutes = Minutes(meeting=meeting)
        minutes._history_user = actor
        minutes.save()
    return minutes


@transaction.atomic
def paragraph_add(
    *,
    minutes: Minutes,
    actor: User,
    title: str,
    agenda_item: AgendaItem | None = None,
) -> Paragraph:
    """Add a § with the next number of the committee's year. Förslag and ärende come from the agenda item."""
    minutes = _lock_minutes(minutes)
    meeting = minutes.meeting
    if agenda_item is not None and agenda_item.meeting_id != meeting.pk:
        raise ValidationError({"agenda_item": "Punkten hör inte till det här sammanträdet."}, code="other_meeting")
    paragraph = Paragraph(
        minutes=minutes,
        committee=meeting.committee,
        year=meeting.date.year,
        number=1,  # placeholder until validated
        agenda_item=agenda_item,
        case=agenda_item.case if agenda_item else None,
        title=(title or (agenda_item.title if agenda_item else "")).strip(),
        decision_clauses=list(agenda_item.proposed_clauses) if agenda_item else [],
        confidential=agenda_item.confidential if agenda_item else False,
        legal_basis=agenda_item.legal_basis if agenda_item else "",
    )
    paragraph.full_clean(exclude=["number"], validate_unique=False, validate_constraints=False)
    paragraph.number = paragraph_number_next(committee=meeting.committee, year=meeting.date.year)
    paragraph._history_user = actor
    paragraph.save()
    return paragraph


@transaction.atomic
def paragraph_remove(*, paragraph: Paragraph, actor: User) -> None:
    """Remove a draft §. Only the last number of the series can go: any other would leave a gap."""
    paragraph = ensure_paragraph_editable(paragraph)
    if paragraph.votes.exists() or paragraph.dissents.exists() or paragraph.recusals.exists():
        raise ValidationError(
            "Paragrafen har voteringar, reservationer eller jäv. Ta bort dem först.", code="has_children"
        )
    released = paragraph_number_release(committee=paragraph.committee, year=paragraph.year, number=paragraph.number)
    if not released:
        raise ValidationError(
            f"§ {paragraph.number} kan inte tas bort eftersom senare paragrafer redan har nummer; numreringen "
            "får inte få luckor. Skriv i stället i paragrafen att ärendet utgår.",
            code="gap",
        )
    paragraph._history_user = actor
    paragraph.delete()
