"""Writes of the sammanträdesvy: the protokoll started from the föredragningslista, the närvaro checklist and the
one-action steps the secretary takes during the meeting.

These compose the services of meetings.minutes_services (paragraph_add, paragraph_update, recusal_add,
dissent_add, vote_add, vote_record …), so the rules they apply (lock, jäv, majority, att-satser) apply here too.
Every write refuses a locked or in-justering protokoll through the same lock helpers.
"""

from __future__ import annotations

import inspect

from django.core.exceptions import ValidationError
from django.db import transaction

from core.models import Person, User
from core.versioning import bump_version

from . import minutes_services
from .minutes_services import (
    DECIDING_ROLES,
    _lock_minutes,
    _memberships_on_meeting_day,
    _next_position,
    _person_in_organisation,
    ensure_paragraph_editable,
    membership_role_text,
)
from .models import (
    AgendaItem,
    AgendaItemKind,
    Attendance,
    Ballot,
    Dissent,
    Meeting,
    Minutes,
    NoticeIssue,
    NoticeRecipient,
    Paragraph,
    Recusal,
    Vote,
)
from .voting import DECIDING_CAPACITIES

# Agenda items without förslag till beslut: information is noted, a standing item (mötets öppnande) has no beslut.
KIND_WITHOUT_PROPOSAL = {
    AgendaItemKind.INFORMATION: Paragraph.DecisionKind.NOTED,
    AgendaItemKind.COMMUNICATIONS: Paragraph.DecisionKind.NOTED,
    AgendaItemKind.DELEGATED_DECISIONS: Paragraph.DecisionKind.NOTED,
    AgendaItemKind.STANDARD: Paragraph.DecisionKind.NONE,
    AgendaItemKind.OTHER: Paragraph.DecisionKind.NONE,
}

# The text a § without beslut starts with, so that it is complete for justering (it can be changed).
STANDARD_TEXTS = {
    "mötets öppnande": "Ordföranden förklarar sammanträdet öppnat.",
    "sammanträdets öppnande": "Ordföranden förklarar sammanträdet öppnat.",
    "upprop": "Upprop förrättas. Närvaron framgår av protokollets första sida.",
    "upprop och närvaro": "Upprop förrättas. Närvaron framgår av protokollets första sida.",
    "närvaro": "Närvaron framgår av protokollets första sida.",
    "anmälan om extra ärenden": "Ordföranden frågar om det finns extra ärenden att anmäla.",
    "övriga frågor": "Ordföranden frågar om det finns övriga frågor.",
    "mötets avslutande": "Ordföranden förklarar sammanträdet avslutat.",
    "sammanträdets avslutande": "Ordföranden förklarar sammanträdet avslutat.",
}
NO_DECISION_TEXT = "Punkten behandlades utan beslut."

CAPACITY_OF_CATEGORY = {
    NoticeRecipient.Category.MEMBER: Attendance.Capacity.DECISION_MAKER,
    NoticeRecipient.Category.SUBSTITUTE: Attendance.Capacity.SUBSTITUTE,
    NoticeRecipient.Category.FOR_INFORMATION: Attendance.Capacity.OFFICIAL,
}


def proposal_of(item: AgendaItem | None) -> list[str]:
    """The förslag till beslut of an agenda item: its own att-satser, else its ärende's tjänsteskrivelse."""
    if item is None:
        return []
    if item.proposed_clauses:
        return list(item.proposed_clauses)
    report = getattr(item.case, "officer_report", None) if item.case_id else None
    return list(report.proposed_clauses) if report is not None else []


def _item_text(item: AgendaItem) -> tuple[str, str]:
    """(text, expediering) of a new § from its item: the tjänsteskrivelse's sammanfattning, else the description."""
    report = getattr(item.case, "officer_report", None) if item.case_id else None
    summary = (report.summary if report is not None else "").strip()
    distribution = (report.distribution if report is not None else "").strip()
    return summary or item.description.strip(), distribution


# ----------------------------------------------------------------------------------------------------------------
# Start from the föredragningslista
# ----------------------------------------------------------------------------------------------------------------


@transaction.atomic
def paragraphs_from_agenda(*, minutes: Minutes, actor: User) -> list[Paragraph]:
    """One § per agenda item that has none yet, in agenda order, with the förslag as its beslut.

    Items with att-satser get them as the beslut (decision_kind "clauses"); items without a förslag get the
    standard formula of their kind (information noteras, a standing item has no beslut).
    """
    minutes = _lock_minutes(minutes)
    items = (
        AgendaItem.objects.filter(meeting_id=minutes.meeting_id, paragraphs__isnull=True)
        .select_related("case__officer_report")
        .order_by("position", "pk")
    )
    created = []
    for item in items:
        paragraph = minutes_services.paragraph_add(minutes=minutes, actor=actor, title="", agenda_item=item)
        clauses = proposal_of(item)
        body, distribution = _item_text(item)
        paragraph.decision_clauses = clauses
        if clauses:
            paragraph.decision_kind = Paragraph.DecisionKind.CLAUSES
        else:
            paragraph.decision_kind = KIND_WITHOUT_PROPOSAL.get(item.kind, Paragraph.DecisionKind.CLAUSES)
        if not body and paragraph.decision_kind == Paragraph.DecisionKind.NONE:
            body = STANDARD_TEXTS.get(" ".join(item.title.lower().split()), NO_DECISION_TEXT)
        paragraph.body = body
        paragraph.distribution = distribution
        paragraph._history_user = actor
        paragraph.save(update_fields=["decision_clauses", "decision_kind", "body", "distribution"])
        created.append(paragraph)
    return created


def _latest_notice(meeting: Meeting) -> NoticeIssue | None:
    return meeting.notice_issues.order_by("-revision").first()


@transaction.atomic
def attendance_fill_from_notice(*, minutes: Minutes, actor: User) -> list[Attendance]:
    """Everyone kallad to the meeting, as present: ledamöter beslutande, ersättare ej tjänstgörande, those
    kallade för kännedom as tjänstepersoner. Without a sent kallelse, the seats on the meeting day."""
    minutes = _lock_minutes(minutes)
    notice = _latest_notice(minutes.meeting)
    if notice is None:
        return minutes_services.attendance_fill_from_memberships(minutes=minutes, actor=actor)
    present = set(minutes.attendances.values_list("person_id", flat=True))
    memberships = {m.person_id: m for m in _memberships_on_meeting_day(minutes)}
    order = list(NoticeRecipient.Category.values)
    recipients = sorted(
        notice.recipients.select_related("person"),
        key=lambda r: (
            order.index(r.category),
            *(
                (memberships[r.person_id].role != "chair", memberships[r.person_id].substitute_order or 0)
                if r.person_id in memberships
                else (True, 0)
            ),
        ),
    )
    added = []
    for recipient in recipients:
        if recipient.person_id in present:
            continue
        present.add(recipient.person_id)
        capacity = CAPACITY_OF_CATEGORY[recipient.category]
        membership = memberships.get(recipient.person_id)
        if capacity == Attendance.Capacity.OFFICIAL:
            role_text = recipient.person.title
        else:
            role_text = membership_role_text(membership) if membership is not None else ""
        attendance = Attendance(
            minutes=minutes,
            person=recipient.person,
            capacity=capacity,
            role_text=role_text,
            position=_next_position(minutes, capacity),
        )
        attendance._history_user = actor
        attendance.save()
        added.append(attendance)
    return added


@transaction.atomic
def minutes_start_from_agenda(*, meeting: Meeting, actor: User) -> Minutes:
    """One action: the protokoll, a § per agenda item and the närvaro from the kallade (all present)."""
    minutes = minutes_services.minutes_start(meeting=meeting, actor=actor)
    paragraphs_from_agenda(minutes=minutes, actor=actor)
    if not minutes.attendances.exists():
        attendance_fill_from_notice(minutes=minutes, actor=actor)
    return minutes


# ----------------------------------------------------------------------------------------------------------------
# The närvaro checklist
# ----------------------------------------------------------------------------------------------------------------


def main_attendance(rows: list[Attendance], person_id: int) -> Attendance | None:
    """A person's own närvaro row: the first; later rows are a single § served for a jävig ledamot."""
    own = sorted((a for a in rows if a.person_id == person_id), key=lambda a: a.pk)
    return own[0] if own else None


def _ballot_numbers(minutes: Minutes, person_id: int) -> list[int]:
    return sorted(
        set(
            Ballot.objects.filter(vote__paragraph__minutes=minutes, person_id=person_id).values_list(
                "vote__paragraph__number", flat=True
            )
        )
    )


def _check_still_covers(minutes: Minutes, person: Person, seats: list[Attendance]) -> None:
    """Refuse a change that takes away the seat of someone in a § they voted or reserved in.

    `seats` are the person's närvaro rows as they will be after the change.
    """
    numbers = set(_ballot_numbers(minutes, person.pk))
    numbers |= set(
        Dissent.objects.filter(paragraph__minutes=minutes, person=person).values_list("paragraph__number", flat=True)
    )
    deciding = [a for a in seats if a.capacity in DECIDING_CAPACITIES]
    outside = sorted(n for n in numbers if not any(a.covers(n) for a in deciding))
    if outside:
        listed = ", ".join(f"§ {n}" for n in outside)
        raise ValidationError(
            f"{person} har röstat eller reserverat sig i {listed}. Ta bort voteringen eller reservationen först.",
            code="has_taken_part",
        )


def _others(rows: list[Attendance], row: Attendance) -> list[Attendance]:
    """The person's other närvaro rows (a single § served for a jävig ledamot)."""
    return [a for a in rows if a.person_id == row.person_id and a.pk != row.pk]


def _check_range(from_paragraph: int | None, to_paragraph: int | None) -> None:
    if from_paragraph is not None and to_paragraph is not None and from_paragraph > to_paragraph:
        raise ValidationError(
            {"to_paragraph": f"Till § ({to_paragraph}) kan inte vara mindre än från § ({from_paragraph})."},
            code="range",
        )


def _default_capacity(minutes: Minutes, person: Person) -> str:
    notice = _latest_notice(minutes.meeting)
    recipient = notice.recipients.filter(person=person).first() if notice else None
    if recipient is not None:
        return CAPACITY_OF_CATEGORY[recipient.category]
    seat = next((m for m in _memberships_on_meeting_day(minutes) if m.person_id == person.pk), None)
    if seat is None:
        return Attendance.Capacity.OTHER
    return Attendance.Capacity.SUBSTITUTE if seat.is_substitute else Attendance.Capacity.DECISION_MAKER


def _substitute_range(member_row: Attendance | None) -> tuple[int | None, int | None]:
    """The §§ an ersättare serves for a ledamot: all when the ledamot is away, else the §§ the ledamot missed."""
    if member_row is None:
        return None, None
    if member_row.to_paragraph is not None:
        return member_row.to_paragraph + 1, None
    if member_row.from_paragraph is not None and member_row.from_paragraph > 1:
        return None, member_row.from_paragraph - 1
    return None, None


@transaction.atomic
def attendance_set(
    *,
    minutes: Minutes,
    actor: User,
    person: Person,
    present: bool,
    from_paragraph: int | None = None,
    to_paragraph: int | None = None,
    substitute: Person | None = None,
) -> Attendance | None:
    """One row of the checklist: present or away, for which §§, and (for a ledamot) the ersättare who serves.

    Allowed after a votering too, as long as nobody loses the seat of a § they voted or reserved in. Returns the
    person's närvaro row, or None when away.
    """
    minutes = _lock_minutes(minutes)
    _person_in_organisation(person, minutes, "person")
    _person_in_organisation(substitute, minutes, "substitute")
    _check_range(from_paragraph, to_paragraph)
    rows = list(minutes.attendances.select_related("person", "replaces"))
    row = main_attendance(rows, person.pk)
    if present and substitute is not None and from_paragraph is None and to_paragraph is None:
        present = False  # an ersättare for the whole meeting: the ledamot is away
    if not present:
        if row is not None:
            _check_still_covers(minutes, person, _others(rows, row))
            row._history_user = actor
            row.delete()
            rows.remove(row)
        row = None
    elif row is None:
        row = minutes_services.attendance_add(
            minutes=minutes,
            actor=actor,
            person=person,
            capacity=_default_capacity(minutes, person),
            from_paragraph=from_paragraph,
            to_paragraph=to_paragraph,
        )
    else:
        row.from_paragraph, row.to_paragraph = from_paragraph, to_paragraph
        _check_still_covers(minutes, person, [row, *_others(rows, row)])
        row._history_user = actor
        row.save(update_fields=["from_paragraph", "to_paragraph"])
    if substitute is not None or any(
        a.replaces_id == person.pk and main_attendance(rows, a.person_id) is a for a in rows
    ):
        _set_substitute(minutes=minutes, actor=actor, member=person, member_row=row, substitute=substitute, rows=rows)
    return row


def _set_substitute(
    *,
    minutes: Minutes,
    actor: User,
    member: Person,
    member_row: Attendance | None,
    substitute: Person | None,
    rows: list[Attendance],
) -> None:
    """Make `substitute` the tjänstgörande ersättare for `member` (whole-meeting rows; a jäv § is not touched)."""
    current = [
        a
        for a in rows
        if a.replaces_id == member.pk
        and a.capacity == Attendance.Capacity.SERVING_SUBSTITUTE
        and main_attendance(rows, a.person_id) is a
    ]
    for row in current:
        if substitute is not None and row.person_id == substitute.pk:
            continue
        row.capacity, row.replaces = Attendance.Capacity.SUBSTITUTE, None
        row.from_paragraph = row.to_paragraph = None
        _check_still_covers(minutes, row.person, [row, *_others(rows, row)])
        row.position = _next_position(minutes, row.capacity)
        row._history_user = actor
        row.save(update_fields=["capacity", "replaces", "from_paragraph", "to_paragraph", "position"])
    if substitute is None:
        return
    if substitute.pk == member.pk:
        raise ValidationError({"substitute": "En ledamot kan inte ersätta sig själv."}, code="replaces_self")
    seats = {m.person_id: m for m in _memberships_on_meeting_day(minutes)}
    seat = seats.get(member.pk)
    if seat is None or seat.role not in DECIDING_ROLES:
        raise ValidationError(
            {"substitute": f"{member} är inte ledamot i {minutes.meeting.committee} och kan inte ersättas."},
            code="replaces_not_member",
        )
    if substitute.pk not in seats or not seats[substitute.pk].is_substitute:
        raise ValidationError({"substitute": f"{substitute} är inte ersättare i organet."}, code="not_substitute")
    first, last = _substitute_range(member_row)
    row = main_attendance(rows, substitute.pk)
    if (
        row is not None
        and row.capacity == Attendance.Capacity.SERVING_SUBSTITUTE
        and row.replaces_id
        not in (
            None,
            member.pk,
        )
    ):
        raise ValidationError(
            {"substitute": f"{substitute} tjänstgör redan för {row.replaces}."}, code="already_serving"
        )
    if row is None:
        row = Attendance(minutes=minutes, person=substitute, role_text=membership_role_text(seats[substitute.pk]))
    elif row.replaces_id == member.pk and (row.from_paragraph, row.to_paragraph) == (first, last):
        return
    row.capacity = Attendance.Capacity.SERVING_SUBSTITUTE
    row.replaces = member
    row.from_paragraph, row.to_paragraph = first, last
    row.position = _next_position(minutes, row.capacity)
    row._history_user = actor
    row.save()


# ----------------------------------------------------------------------------------------------------------------
# The § during the meeting
# ----------------------------------------------------------------------------------------------------------------

SESSION_FIELDS = ("title", "body", "motions", "procedure", "decision_clauses", "protocol_notes")


@transaction.atomic
def paragraph_session_update(
    *,
    paragraph: Paragraph,
    actor: User,
    title: str,
    body: str = "",
    motions: str = "",
    procedure: str = "",
    decision_kind: str = Paragraph.DecisionKind.CLAUSES,
    decision_clauses: list[str] | str = (),
    decision_note: str = "",
    protocol_notes: str = "",
    version: int | None = None,
) -> Paragraph:
    """Save what the sammanträdesvy edits of a §; sekretess and expediering stay as they are."""
    current = ensure_paragraph_editable(paragraph)
    if decision_kind not in Paragraph.DecisionKind.values:
        raise ValidationError({"decision_kind": "Välj hur beslutet skrivs."}, code="decision_kind")
    extra = {}
    accepted = inspect.signature(minutes_services.paragraph_update).parameters
    for name, value in (("decision_kind", decision_kind), ("decision_note", decision_note)):
        if name in accepted:  # the editor's service knows the kind of beslut: let its rules see it
            extra[name] = value
    saved = minutes_services.paragraph_update(
        paragraph=current,
        actor=actor,
        title=title,
        body=body,
        motions=motions,
        procedure=procedure,
        decision_clauses=decision_clauses,
        protocol_notes=protocol_notes,
        distribution=current.distribution,
        confidential=current.confidential,
        legal_basis=current.legal_basis,
        version=version,
        **extra,
    )
    saved.decision_kind = decision_kind
    saved.decision_note = (decision_note or "").strip()
    saved._history_user = actor
    saved.save(update_fields=["decision_kind", "decision_note"])
    return saved


@transaction.atomic
def paragraph_decide_as_proposed(*, paragraph: Paragraph, actor: User) -> Paragraph:
    """ "Beslut enligt förslaget": the beslut becomes the förslag till beslut of the agenda item, in att-satser."""
    paragraph = ensure_paragraph_editable(paragraph)
    item = paragraph.agenda_item
    clauses = proposal_of(item)
    if not clauses:
        raise ValidationError(
            f"§ {paragraph.number} har inget förslag till beslut att besluta enligt. Skriv beslutet.",
            code="no_proposal",
        )
    paragraph.decision_clauses = minutes_services.clean_decision_clauses(clauses)
    paragraph.decision_kind = Paragraph.DecisionKind.CLAUSES
    paragraph.decision_note = ""
    bump_version(paragraph)
    paragraph._history_user = actor
    paragraph.save(update_fields=["decision_clauses", "decision_kind", "decision_note", "version"])
    return paragraph


def jav_substitute_candidates(paragraph: Paragraph, attendances: list[Attendance]) -> list[Person]:
    """Present ersättare (ej tjänstgörande in the §) who can step in for a jävig ledamot."""
    deciding = {a.person_id for a in attendances if a.capacity in DECIDING_CAPACITIES and a.covers(paragraph.number)}
    people, seen = [], set()
    for a in sorted(attendances, key=lambda a: (a.position, a.pk)):
        if a.capacity == Attendance.Capacity.SUBSTITUTE and a.person_id not in deciding and a.person_id not in seen:
            seen.add(a.person_id)
            people.append(a.person)
    return people


@transaction.atomic
def recusal_add_with_substitute(
    *, paragraph: Paragraph, actor: User, person: Person, note: str = "", substitute: Person | None = None
) -> Recusal:
    """Jäv, and optionally the ersättare who serves in the jävig ledamot's place for this § only.

    When the editor's `recusal_add` takes the ersättare itself (and records the row on the jäv), it does all of it.
    """
    if substitute is not None and "substitute" in inspect.signature(minutes_services.recusal_add).parameters:
        return minutes_services.recusal_add(
            paragraph=paragraph, actor=actor, person=person, note=note, substitute=substitute
        )
    recusal = minutes_services.recusal_add(paragraph=paragraph, actor=actor, person=person, note=note)
    if substitute is None:
        return recusal
    paragraph = ensure_paragraph_editable(paragraph)
    minutes = paragraph.minutes
    _person_in_organisation(substitute, minutes, "substitute")
    attendances = list(minutes.attendances.select_related("person"))
    if substitute.pk not in {p.pk for p in jav_substitute_candidates(paragraph, attendances)}:
        raise ValidationError(
            {"substitute": f"{substitute} är inte närvarande ersättare utan att tjänstgöra i § {paragraph.number}."},
            code="not_substitute",
        )
    seat = next((m for m in _memberships_on_meeting_day(minutes) if m.person_id == person.pk), None)
    if seat is None or seat.role not in DECIDING_ROLES:
        raise ValidationError(
            {"substitute": f"{person} är inte ledamot; en ersättare kan bara tjänstgöra för en ledamot."},
            code="replaces_not_member",
        )
    main = main_attendance(attendances, substitute.pk)
    row = Attendance(
        minutes=minutes,
        person=substitute,
        capacity=Attendance.Capacity.SERVING_SUBSTITUTE,
        replaces=person,
        role_text=main.role_text if main else "",
        from_paragraph=paragraph.number,
        to_paragraph=paragraph.number,
        position=_next_position(minutes, Attendance.Capacity.SERVING_SUBSTITUTE),
    )
    row._history_user = actor
    row.save()
    return recusal


@transaction.atomic
def recusal_remove_with_substitute(*, recusal: Recusal, actor: User) -> None:
    """Remove a jäv and the single-§ service of the ersättare who stepped in for it."""
    if hasattr(recusal, "substitute_attendance_id"):  # the jäv knows its ersättare: the editor's service removes both
        minutes_services.recusal_remove(recusal=recusal, actor=actor)
        return
    paragraph = ensure_paragraph_editable(recusal.paragraph)
    stepped_in = Attendance.objects.filter(
        minutes_id=paragraph.minutes_id,
        capacity=Attendance.Capacity.SERVING_SUBSTITUTE,
        replaces_id=recusal.person_id,
        from_paragraph=paragraph.number,
        to_paragraph=paragraph.number,
    )
    for row in stepped_in:
        if Ballot.objects.filter(vote__paragraph=paragraph, person_id=row.person_id).exists():
            raise ValidationError(
                f"{row.person} har röstat i § {paragraph.number} i stället för {recusal.person}. "
                "Ta bort voteringen först.",
                code="has_ballots",
            )
        row._history_user = actor
        row.delete()
    minutes_services.recusal_remove(recusal=recusal, actor=actor)


@transaction.atomic
def vote_cast(
    *,
    paragraph: Paragraph,
    actor: User,
    question: str,
    yes_means: str,
    no_means: str,
    choices: dict[int, str],
    casting_vote: str = "",
) -> Vote:
    """A votering in one step: the proposition and every beslutande's vote, recorded by the usual services."""
    vote = minutes_services.vote_add(
        paragraph=paragraph, actor=actor, question=question, yes_means=yes_means, no_means=no_means
    )
    minutes_services.vote_record(vote=vote, actor=actor, choices=choices, casting_vote=casting_vote)
    return vote


@transaction.atomic
def dissents_add(*, paragraph: Paragraph, actor: User, people: list[Person], motivation: str = "") -> list[Dissent]:
    """Reservation for each of the given beslutande in one step (one shared written motivation, if any)."""
    return [
        minutes_services.dissent_add(paragraph=paragraph, actor=actor, person=person, motivation=motivation)
        for person in people
    ]
