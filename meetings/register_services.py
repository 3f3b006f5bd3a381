"""Writes for the delegationsbeslut and meddelanden registers, and their anmälan to a sammanträde.

A row that has been reported at a sammanträde whose protokoll is justerat is part of that protokoll's record:
it can no longer be changed, and it cannot move to another organ.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction

from core.formatting import format_date
from core.models import Organisation, User

from . import register_selectors
from .case_services import _same_organisation
from .confidentiality import is_confidential
from .models import (
    AGENDA_KIND_RANK,
    AgendaItem,
    AgendaItemKind,
    Case,
    Committee,
    Communication,
    DelegatedDecision,
    Meeting,
    Minutes,
)

DELEGATED_CLAUSE = "att lägga redovisningen av delegationsbeslut till handlingarna"
COMMUNICATIONS_CLAUSE = "att lägga meddelandena till handlingarna"


def _ensure_row_editable(row: DelegatedDecision | Communication, *, committee: Committee) -> None:
    if row.reported_in_id is None:
        return
    reported_in = AgendaItem.objects.select_related("meeting__committee").get(pk=row.reported_in_id)
    meeting = reported_in.meeting
    minutes = Minutes.objects.filter(meeting=meeting).first()
    what = "Delegationsbeslutet" if isinstance(row, DelegatedDecision) else "Meddelandet"
    if minutes is not None and minutes.is_locked:
        raise ValidationError(
            f"{what} är anmält vid {meeting.committee.name}s sammanträde {format_date(meeting.date)}, vars "
            "protokoll är justerat, och kan inte ändras.",
            code="locked",
        )
    if committee.pk != meeting.committee_id:
        raise ValidationError(
            {
                "committee": f"{what} är redan anmält vid {meeting.committee.name}s sammanträde "
                f"{format_date(meeting.date)}; organet kan inte bytas."
            },
            code="reported",
        )


def _save(row, actor: User):
    row.full_clean(validate_unique=False, validate_constraints=False)
    row._history_user = actor
    row.save()
    return row


# Delegationsbeslut --------------------------------------------------------------------------------------------


@transaction.atomic
def delegated_create(
    *,
    organisation: Organisation,
    actor: User,
    committee: Committee,
    decided_on: dt.date,
    delegate: str,
    delegation_point: str,
    decision: str,
    case: Case | None = None,
    confidential: bool = False,
    legal_basis: str = "",
) -> DelegatedDecision:
    _same_organisation(organisation, committee=committee, case=case)
    row = DelegatedDecision(
        organisation=organisation,
        committee=committee,
        decided_on=decided_on,
        delegate=delegate.strip(),
        delegation_point=delegation_point.strip(),
        decision=decision.strip(),
        case=case,
        confidential=confidential,
        legal_basis=legal_basis.strip(),
    )
    return _save(row, actor)


@transaction.atomic
def delegated_update(
    *,
    row: DelegatedDecision,
    actor: User,
    committee: Committee,
    decided_on: dt.date,
    delegate: str,
    delegation_point: str,
    decision: str,
    case: Case | None = None,
    confidential: bool = False,
    legal_basis: str = "",
) -> DelegatedDecision:
    row = DelegatedDecision.objects.select_for_update().get(pk=row.pk)
    _same_organisation(row.organisation, committee=committee, case=case)
    _ensure_row_editable(row, committee=committee)
    row.committee, row.decided_on, row.case = committee, decided_on, case
    row.delegate, row.delegation_point, row.decision = delegate.strip(), delegation_point.strip(), decision.strip()
    row.confidential, row.legal_basis = confidential, legal_basis.strip()
    return _save(row, actor)


# Meddelanden --------------------------------------------------------------------------------------------------


@transaction.atomic
def communication_create(
    *,
    organisation: Organisation,
    actor: User,
    committee: Committee,
    received_on: dt.date,
    sender: str,
    subject: str,
    case: Case | None = None,
    confidential: bool = False,
    legal_basis: str = "",
) -> Communication:
    _same_organisation(organisation, committee=committee, case=case)
    row = Communication(
        organisation=organisation,
        committee=committee,
        received_on=received_on,
        sender=sender.strip(),
        subject=subject.strip(),
        case=case,
        confidential=confidential,
        legal_basis=legal_basis.strip(),
    )
    return _save(row, actor)


@transaction.atomic
def communication_update(
    *,
    row: Communication,
    actor: User,
    committee: Committee,
    received_on: dt.date,
    sender: str,
    subject: str,
    case: Case | None = None,
    confidential: bool = False,
    legal_basis: str = "",
) -> Communication:
    row = Communication.objects.select_for_update().get(pk=row.pk)
    _same_organisation(row.organisation, committee=committee, case=case)
    _ensure_row_editable(row, committee=committee)
    row.committee, row.received_on, row.case = committee, received_on, case
    row.sender, row.subject = sender.strip(), subject.strip()
    row.confidential, row.legal_basis = confidential, legal_basis.strip()
    return _save(row, actor)


# Anmälan till sammanträde -------------------------------------------------------------------------------------


@dataclass
class ReportOutcome:
    delegated_item: AgendaItem
    communications_item: AgendaItem
    delegated_added: int
    communications_added: int


def delegated_line(row: DelegatedDecision) -> str:
    """One line of the agenda item's description. Public output: a confidential row shows no content."""
    head = f"{format_date(row.decided_on)}, punkt {row.delegation_point}, {row.delegate}"
    if is_confidential(row):
        return f"{head}: sekretessbelagt beslut"
    number = f" ({row.case.case_number})" if row.case_id else ""
    return f"{head}: {row.decision}{number}"


def communication_line(row: Communication) -> str:
    if is_confidential(row):
        return f"{format_date(row.received_on)}: sekretessbelagt meddelande"
    number = f" ({row.case.case_number})" if row.case_id else ""
    return f"{format_date(row.received_on)}, {row.sender}: {row.subject}{number}"


def _item_of_kind(*, meeting: Meeting, actor: User, kind: str, clause: str) -> AgendaItem:
    """The meeting's item of `kind`, or a new one placed where AGENDA_KIND_RANK puts that kind.

    A new item goes after the last item of the same or a lower rank (so before Övriga frågor); the items after
    it move down one place. Without such items it goes last.
    """
    items = list(meeting.agenda_items.order_by("position", "pk"))
    existing = next((item for item in items if item.kind == kind), None)
    if existing is not None:
        return existing
    rank = AGENDA_KIND_RANK[kind]
    before = [item for item in items if AGENDA_KIND_RANK.get(item.kind, 0) <= rank]
    position = (before[-1].position + 1) if before else (items[-1].position + 1 if items else 1)
    if before:
        for later in (item for item in items if item.position >= position):
            later.position += 1
            later._history_user = actor
            later.save(update_fields=["position"])
    item = AgendaItem(
        meeting=meeting,
        position=position,
        kind=kind,
        title=AgendaItemKind(kind).label,
        proposed_clauses=[clause],
    )
    item._history_user = actor
    item.save()
    return item


def _link(rows, *, item: AgendaItem, actor: User) -> int:
    count = 0
    for row in rows:
        row.reported_in = item
        row._history_user = actor
        row.save(update_fields=["reported_in"])
        count += 1
    return count


def _describe(item: AgendaItem, *, actor: User) -> None:
    if item.kind == AgendaItemKind.DELEGATED_DECISIONS:
        rows = item.delegated_decisions.select_related("case").order_by("decided_on", "pk")
        lines = [delegated_line(row) for row in rows]
        text = "Anmälda delegationsbeslut:" if lines else "Inga delegationsbeslut att anmäla."
    else:
        rows = item.communications.select_related("case").order_by("received_on", "pk")
        lines = [communication_line(row) for row in rows]
        text = "Meddelanden för kännedom:" if lines else "Inga meddelanden att anmäla."
    description = "\n".join([text, *(f"- {line}" for line in lines)])
    if description != item.description:
        item.description = description
        item._history_user = actor
        item.save(update_fields=["description"])


@transaction.atomic
def registers_report_to_meeting(*, meeting: Meeting, actor: User) -> ReportOutcome:
    """Report the committee's unreported delegationsbeslut and meddelanden (dated on or before the meeting).

    Ensures the meeting has one agenda item for each register, links every such row to it and lists them in
    the item's description. Running it again adds what has come in since; nothing is reported twice.
    """
    from .agenda_services import ensure_agenda_editable

    # The agenda area's one rule (re-read FOR UPDATE; refused when cancelled or the protokoll is justerat).
    meeting = ensure_agenda_editable(meeting)
    committee = meeting.committee
    delegated = list(
        register_selectors.unreported_delegated(committee=committee, on_or_before=meeting.date).select_for_update()
    )
    communications = list(
        register_selectors.unreported_communications(committee=committee, on_or_before=meeting.date).select_for_update()
    )
    delegated_item = _item_of_kind(
        meeting=meeting, actor=actor, kind=AgendaItemKind.DELEGATED_DECISIONS, clause=DELEGATED_CLAUSE
    )
    communications_item = _item_of_kind(
        meeting=meeting, actor=actor, kind=AgendaItemKind.COMMUNICATIONS, clause=COMMUNICATIONS_CLAUSE
    )
    outcome = ReportOutcome(
        delegated_item=delegated_item,
        communications_item=communications_item,
        delegated_added=_link(delegated, item=delegated_item, actor=actor),
        communications_added=_link(communications, item=communications_item, actor=actor),
    )
    _describe(delegated_item, actor=actor)
    _describe(communications_item, actor=actor)
    return outcome
