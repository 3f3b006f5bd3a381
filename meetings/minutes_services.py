"""Writes for protokoll. Every one of them refuses a locked (justerat) protokoll or an omedelbart justerad §."""

from __future__ import annotations

import datetime as dt
import logging
from functools import partial
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from core.formatting import format_day_month_year, format_paragraph_range
from core.models import Person, User
from core.versioning import bump_version, check_version

from .clauses import KINDS_WITH_CLAUSES, clean_clauses, decision_kind_errors
from .models import (
    MINUTES_LOCKED_MESSAGE,
    PARAGRAPH_LOCKED_MESSAGE,
    AgendaItem,
    AgendaItemKind,
    Attendance,
    Ballot,
    Case,
    Correction,
    Dissent,
    Meeting,
    Membership,
    Minutes,
    Paragraph,
    Posting,
    Recusal,
    Signatory,
    Vote,
)
from .numbering import paragraph_number_next, paragraph_number_release
from .voting import (
    DECIDING_CAPACITIES,
    MajorityRule,
    decision_makers_for,
    is_tie,
    outcome,
    reserved_after_voting_for,
    tally,
)

if TYPE_CHECKING:
    from reporting.models import RenderJob

logger = logging.getLogger(__name__)

IN_VERIFICATION_MESSAGE = (
    "Protokollet är skickat för justering och kan inte ändras. Återkalla det från justeringen för att ändra; "
    "de godkännanden som redan gjorts tas då bort."
)


def _lock_minutes(minutes: Minutes, *, in_verification_ok: bool = False) -> Minutes:
    """Re-read the protokoll FOR UPDATE and refuse it when justerat: a check on a stale copy is no check.

    While it is out for justering it is refused too (unless the caller is part of justering itself): the
    ordförande and justerare must approve exactly the text that is archived.
    """
    locked = Minutes.objects.select_for_update().get(pk=minutes.pk)
    if locked.is_locked:
        raise ValidationError(MINUTES_LOCKED_MESSAGE, code="locked")
    if locked.status == Minutes.Status.IN_VERIFICATION and not in_verification_ok:
        raise ValidationError(IN_VERIFICATION_MESSAGE, code="in_verification")
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


def _default_decision_kind(agenda_item: AgendaItem | None) -> str:
    """What a new § from an agenda item starts as: its förslag as att-satser; an information item without förslag
    "Informationen noteras"; a stående punkt without förslag (mötets öppnande, upprop) no beslut. The secretary
    can change it."""
    if agenda_item is None or agenda_item.proposed_clauses:
        return Paragraph.DecisionKind.CLAUSES
    if agenda_item.kind == AgendaItemKind.INFORMATION:
        return Paragraph.DecisionKind.NOTED
    if agenda_item.kind == AgendaItemKind.STANDARD:
        return Paragraph.DecisionKind.NONE
    return Paragraph.DecisionKind.CLAUSES


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
        decision_kind=_default_decision_kind(agenda_item),
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


# ----------------------------------------------------------------------------------------------------------------
# Front page, attendance and signatories
# ----------------------------------------------------------------------------------------------------------------

MINUTES_FRONT_FIELDS = ("verification_place", "verification_date", "secretary")
DECIDING_ROLES = (Membership.Role.CHAIR, Membership.Role.VICE_CHAIR, Membership.Role.MEMBER)
VERIFICATION_DAYS = 14


def _person_in_organisation(person: Person | None, minutes: Minutes, field: str) -> None:
    if person is not None and person.organisation_id != minutes.meeting.committee.organisation_id:
        raise ValidationError({field: "Personen hör inte till organisationen."}, code="other_organisation")


@transaction.atomic
def minutes_update_front(
    *,
    minutes: Minutes,
    actor: User,
    verification_place: str,
    verification_date: dt.date | None,
    secretary: Person | None,
    version: int | None = None,
) -> Minutes:
    """Justeringens plats och tid and the sekreterare of the front page.

    `version` is the one the form was built from: a newer one saved meanwhile refuses the save (EditConflict).
    """
    minutes = _lock_minutes(minutes)
    check_version(minutes, version, what="försättsbladet", fields=MINUTES_FRONT_FIELDS, actor=actor)
    _person_in_organisation(secretary, minutes, "secretary")
    if verification_date is not None and verification_date < minutes.meeting.date:
        raise ValidationError(
            {"verification_date": f"Justeringen kan inte ske före sammanträdet ({minutes.meeting.date.isoformat()})."},
            code="before_meeting",
        )
    previous_secretary_id = minutes.secretary_id
    minutes.verification_place = verification_place.strip()
    minutes.verification_date = verification_date
    minutes.secretary = secretary
    bump_version(minutes)
    minutes._history_user = actor
    minutes.save(update_fields=["verification_place", "verification_date", "secretary", "version"])
    if secretary is not None and previous_secretary_id != secretary.pk:
        # The front page and the signature line name one sekreterare; one who has already signed stays.
        for signatory in minutes.signatories.filter(role=Signatory.Role.SECRETARY, signed_at__isnull=True):
            signatory.person = secretary
            signatory._history_user = actor
            signatory.save(update_fields=["person"])
    return minutes


def membership_role_text(membership: Membership) -> str:
    """ "(S)" for a party, the member organisation in a samordningsförbund with its party when there is one
    ("Norsjö kommun (S)", seed 003); the chair is named as such."""
    parts = []
    if membership.role in (Membership.Role.CHAIR, Membership.Role.VICE_CHAIR):
        parts.append(membership.get_role_display().lower())
    if membership.represents_id:
        parts.append(membership.affiliation)
    elif membership.party:
        parts.append(f"({membership.party})")
    return ", ".join(parts)


def _memberships_on_meeting_day(minutes: Minutes):
    meeting = minutes.meeting
    return (
        Membership.objects.on(meeting.date).filter(committee=meeting.committee).select_related("person", "represents")
    )


def _next_position(minutes: Minutes, capacity: str) -> int:
    last = minutes.attendances.filter(capacity=capacity).order_by("-position").values_list("position", flat=True)
    return (last.first() or 0) + 1


@transaction.atomic
def attendance_add(
    *,
    minutes: Minutes,
    actor: User,
    person: Person,
    capacity: str,
    replaces: Person | None = None,
    role_text: str = "",
    from_paragraph: int | None = None,
    to_paragraph: int | None = None,
) -> Attendance:
    """Add someone to the närvarolista. Role text comes from the membership (or the title) when left empty."""
    minutes = _lock_minutes(minutes)
    _person_in_organisation(person, minutes, "person")
    _person_in_organisation(replaces, minutes, "replaces")
    if capacity not in Attendance.Capacity.values:
        raise ValidationError({"capacity": "Välj hur personen deltar."}, code="capacity")
    if minutes.attendances.filter(person=person).exists():
        raise ValidationError({"person": f"{person} finns redan i närvarolistan."}, code="duplicate")
    if from_paragraph is not None and to_paragraph is not None and from_paragraph > to_paragraph:
        raise ValidationError(
            {"to_paragraph": f"Till § ({to_paragraph}) kan inte vara mindre än från § ({from_paragraph})."},
            code="range",
        )
    memberships = {m.person_id: m for m in _memberships_on_meeting_day(minutes)}
    if capacity == Attendance.Capacity.SERVING_SUBSTITUTE:
        if replaces is None:
            raise ValidationError(
                {"replaces": "Ange vilken ledamot den tjänstgörande ersättaren ersätter."}, code="replaces_missing"
            )
        if replaces.pk == person.pk:
            raise ValidationError({"replaces": "En ersättare kan inte ersätta sig själv."}, code="replaces_self")
        seat = memberships.get(replaces.pk)
        if seat is None or seat.role not in DECIDING_ROLES:
            raise ValidationError(
                {"replaces": f"{replaces} är inte ledamot i {minutes.meeting.committee} på sammanträdesdagen."},
                code="replaces_not_member",
            )
    elif replaces is not None:
        raise ValidationError(
            {"replaces": "Bara en tjänstgörande ersättare ersätter någon."}, code="replaces_not_substitute"
        )
    if not role_text.strip():
        membership = memberships.get(person.pk)
        if capacity == Attendance.Capacity.OFFICIAL:
            role_text = person.title
        elif membership is not None:
            role_text = membership_role_text(membership)
    attendance = Attendance(
        minutes=minutes,
        person=person,
        capacity=capacity,
        replaces=replaces,
        role_text=role_text.strip(),
        from_paragraph=from_paragraph,
        to_paragraph=to_paragraph,
        position=_next_position(minutes, capacity),
    )
    attendance._history_user = actor
    attendance.save()
    return attendance


@transaction.atomic
def attendance_remove(*, attendance: Attendance, actor: User) -> None:
    _lock_minutes(attendance.minutes)
    serves_for = Recusal.objects.filter(substitute_attendance=attendance).select_related("paragraph", "person").first()
    if serves_for is not None:
        raise ValidationError(
            f"{attendance.person} tjänstgör i § {serves_for.paragraph.number} för den jäviga {serves_for.person}. "
            "Ta bort jävet i paragrafen i stället.",
            code="serves_for_recusal",
        )
    person_id = attendance.person_id
    used = Ballot.objects.filter(vote__paragraph__minutes=attendance.minutes_id, person_id=person_id).exists()
    if used:
        raise ValidationError(
            f"{attendance.person} har röstat i en votering. Ta bort voteringen först.", code="has_ballots"
        )
    attendance._history_user = actor
    attendance.delete()


@transaction.atomic
def attendance_fill_from_memberships(*, minutes: Minutes, actor: User) -> list[Attendance]:
    """ "Hämta ledamöter": ledamöter as beslutande, ersättare as ej tjänstgörande, as seated on the meeting day."""
    minutes = _lock_minutes(minutes)
    present = set(minutes.attendances.values_list("person_id", flat=True))
    seats = sorted(
        _memberships_on_meeting_day(minutes),
        key=lambda m: (Membership.ROLE_ORDER[m.role], m.substitute_order or 0, m.person.last_name),
    )
    added = []
    for membership in seats:
        if membership.person_id in present:
            continue
        present.add(membership.person_id)
        capacity = Attendance.Capacity.SUBSTITUTE if membership.is_substitute else Attendance.Capacity.DECISION_MAKER
        attendance = Attendance(
            minutes=minutes,
            person=membership.person,
            capacity=capacity,
            role_text=membership_role_text(membership),
            position=_next_position(minutes, capacity),
        )
        attendance._history_user = actor
        attendance.save()
        added.append(attendance)
    return added


def _actor_person(minutes: Minutes, actor: User) -> Person:
    from core.user_services import staff_person_ensure

    return staff_person_ensure(organisation=minutes.meeting.committee.organisation, user=actor, actor=actor)


def committee_chair_on(minutes: Minutes) -> Person | None:
    seat = _memberships_on_meeting_day(minutes).filter(role=Membership.Role.CHAIR).first()
    return seat.person if seat else None


@transaction.atomic
def signatories_set(
    *,
    minutes: Minutes,
    actor: User,
    chair: Person,
    verifiers: list[Person],
    secretary: Person | None = None,
) -> list[Signatory]:
    """Ordförande, justerare (among the beslutande) and sekreterare. Not once anyone has approved.

    The sekreterare is required: without one given, the protokoll's sekreterare, else the actor's own person
    (a secretary is a person of the organisation, created for the login when missing).
    """
    minutes = _lock_minutes(minutes)
    if secretary is None:
        secretary = minutes.secretary or _actor_person(minutes, actor)
    if minutes.signatories.filter(signed_at__isnull=False).exists():
        raise ValidationError(
            "Någon har redan godkänt protokollet, så undertecknarna kan inte bytas.", code="already_signed"
        )
    for field, person in (("chair", chair), ("secretary", secretary)):
        _person_in_organisation(person, minutes, field)
    if not verifiers:
        raise ValidationError({"verifiers": "Ange minst en justerare."}, code="no_verifier")
    deciding = set(minutes.attendances.filter(capacity__in=DECIDING_CAPACITIES).values_list("person_id", flat=True))
    outside = [str(p) for p in verifiers if p.pk not in deciding]
    if outside:
        raise ValidationError(
            {"verifiers": f"Justerare väljs bland de beslutande: {', '.join(outside)} är inte beslutande."},
            code="verifier_not_deciding",
        )
    if chair.pk in {p.pk for p in verifiers}:
        raise ValidationError({"verifiers": f"{chair} är ordförande och kan inte också vara justerare."})
    for signatory in minutes.signatories.all():
        signatory._history_user = actor
        signatory.delete()
    rows = [(chair, Signatory.Role.CHAIR)] + [(p, Signatory.Role.VERIFIER) for p in verifiers]
    rows.append((secretary, Signatory.Role.SECRETARY))
    created = []
    for person, role in rows:
        signatory = Signatory(minutes=minutes, person=person, role=role)
        signatory._history_user = actor
        signatory.save()
        created.append(signatory)
    if minutes.secretary_id != secretary.pk:
        minutes.secretary = secretary
        bump_version(minutes)  # the försättsblad shows the sekreterare too
        minutes._history_user = actor
        minutes.save(update_fields=["secretary", "version"])
    return created


# ----------------------------------------------------------------------------------------------------------------
# Paragraphs: text, jäv, reservationer, voteringar
# ----------------------------------------------------------------------------------------------------------------


def clean_decision_clauses(lines: list[str] | str) -> list[str]:
    """One att-sats per line (meetings.clauses: the one check, with one message); empty lines dropped."""
    return clean_clauses(lines, field="decision_clauses")


PARAGRAPH_TEXT_FIELDS = ("title", "body", "motions", "procedure", "protocol_notes", "distribution", "legal_basis")
PARAGRAPH_EDITOR_FIELDS = (
    *PARAGRAPH_TEXT_FIELDS[:4],
    "decision_kind",
    "decision_clauses",
    "decision_note",
    *PARAGRAPH_TEXT_FIELDS[4:],
    "confidential",
)


@transaction.atomic
def paragraph_update(
    *,
    paragraph: Paragraph,
    actor: User,
    title: str,
    body: str = "",
    motions: str = "",
    procedure: str = "",
    decision_clauses: list[str] | str = (),
    protocol_notes: str = "",
    distribution: str = "",
    confidential: bool = False,
    legal_basis: str = "",
    version: int | None = None,
    decision_kind: str | None = None,
    decision_note: str | None = None,
) -> Paragraph:
    """Save the text of a §. `version` is the one the form was built from (see core.versioning).

    `decision_kind` says how the beslut is written (Paragraph.DecisionKind: att-satser, "beslutar enligt
    förslaget", "Informationen noteras", hänskjuter, återremiss, bordläggning, or no beslut); `decision_note`
    holds where the ärende is hänskjutet or why it is återremitterat. None keeps what is saved.
    """
    paragraph = ensure_paragraph_editable(paragraph)
    check_version(paragraph, version, what=f"§ {paragraph.number}", fields=PARAGRAPH_EDITOR_FIELDS, actor=actor)
    values = {
        "title": title,
        "body": body,
        "motions": motions,
        "procedure": procedure,
        "protocol_notes": protocol_notes,
        "distribution": "\n".join(line.strip() for line in distribution.splitlines() if line.strip()),
        "legal_basis": legal_basis,
    }
    for field in PARAGRAPH_TEXT_FIELDS:
        setattr(paragraph, field, (values[field] or "").strip())
    paragraph.decision_clauses = clean_decision_clauses(decision_clauses)
    if decision_kind is not None:
        paragraph.decision_kind = decision_kind
    elif paragraph.decision_clauses and paragraph.decision_kind not in KINDS_WITH_CLAUSES:
        # A caller that does not name the kind and writes att-satser means a beslut in att-satser.
        paragraph.decision_kind = Paragraph.DecisionKind.CLAUSES
    if decision_note is not None:
        paragraph.decision_note = " ".join(decision_note.split())
    if paragraph.decision_kind == Paragraph.DecisionKind.AS_PROPOSED and not paragraph.decision_clauses:
        # "Beslutar enligt förslaget": the förslag's att-satser follow, so utdrag and anslag read on their own.
        item = paragraph.agenda_item
        paragraph.decision_clauses = list(item.proposed_clauses or []) if item is not None else []
    errors = decision_kind_errors(
        kind=paragraph.decision_kind, clauses=paragraph.decision_clauses, note=paragraph.decision_note
    )
    if errors:
        raise ValidationError(errors, code="decision_kind")
    paragraph.confidential = confidential
    if not confidential:
        paragraph.legal_basis = ""
    if not paragraph.title:
        raise ValidationError({"title": "Ange en rubrik för paragrafen."}, code="title")
    paragraph.full_clean(validate_unique=False, validate_constraints=False)
    bump_version(paragraph)
    paragraph._history_user = actor
    paragraph.save()
    return paragraph


def _deciding_attendances(paragraph: Paragraph) -> list[Attendance]:
    return list(
        Attendance.objects.filter(minutes_id=paragraph.minutes_id, capacity__in=DECIDING_CAPACITIES).select_related(
            "person"
        )
    )


def paragraph_decision_makers(paragraph: Paragraph) -> list[Person]:
    return decision_makers_for(paragraph.number, _deciding_attendances(paragraph), paragraph.recusals.all())


def recusal_wording(person: Person, *, party: str = "", note: str = "", substitute: Person | None = None) -> str:
    """The standard sentence for a jäv: "Anna Andersson (S) anmäler jäv och deltar inte i handläggningen."

    `party` is what the protokoll puts in brackets: the party, or the member organisation in a samordningsförbund.
    """
    name = person.full_name + (f" ({party})" if party else "")
    sentence = f"{name} anmäler jäv och deltar inte i handläggningen"
    sentence += f" ({note})." if note else "."
    if substitute is not None:
        sentence += f" {substitute.full_name} tjänstgör i stället i paragrafen."
    return sentence


def recusal_wordings(*, minutes: Minutes, people) -> dict[int, str]:
    """The standard jäv sentence for each of `people` (person id → sentence), with the party of their seat."""
    people = list(people)
    seats = {m.person_id: m for m in _memberships_on_meeting_day(minutes).filter(person__in=people)}
    return {person.pk: recusal_wording(person, party=_seat_label(seats.get(person.pk))) for person in people}


def _seat_label(seat: Membership | None) -> str:
    """What stands in brackets after a name: the party, or in a samordningsförbund the member organisation."""
    if seat is None:
        return ""
    return seat.party or (seat.represents.name if seat.represents_id else "")


def _substitute_for_recusal(paragraph: Paragraph, person: Person, substitute: Person) -> Attendance:
    """Check that `substitute` can step in for the jävig `person` in this § and return the attendance to add."""
    minutes = paragraph.minutes
    number = paragraph.number
    rows = list(Attendance.objects.filter(minutes_id=minutes.pk, person=substitute))
    if not rows or not any(a.capacity == Attendance.Capacity.SUBSTITUTE for a in rows):
        raise ValidationError(
            {"substitute": f"{substitute} finns inte som ersättare i närvarolistan. Lägg till ersättaren först."},
            code="substitute_not_present",
        )
    if any(a.capacity in DECIDING_CAPACITIES and a.covers(number) for a in rows):
        raise ValidationError(
            {"substitute": f"{substitute} är redan beslutande i § {number}."}, code="substitute_deciding"
        )
    seats = {m.person_id: m for m in _memberships_on_meeting_day(minutes)}
    seat = seats.get(substitute.pk)
    if seat is None or not seat.is_substitute:
        raise ValidationError(
            {"substitute": f"{substitute} är inte ersättare i {minutes.meeting.committee} på sammanträdesdagen."},
            code="substitute_not_substitute",
        )
    if minutes.meeting.committee.personal_substitutes_only:
        own = seat.personal_substitute_for
        if own is None or own.person_id != person.pk:
            raise ValidationError(
                {
                    "substitute": f"I {minutes.meeting.committee} tjänstgör ersättare bara för sin egen ledamot; "
                    f"{substitute} är inte personlig ersättare för {person}."
                },
                code="substitute_not_personal",
            )
    role_text = membership_role_text(seat) if seat else ""
    return Attendance(
        minutes=minutes,
        person=substitute,
        capacity=Attendance.Capacity.SERVING_SUBSTITUTE,
        replaces=person,
        role_text=role_text,
        from_paragraph=number,
        to_paragraph=number,
        position=_next_position(minutes, Attendance.Capacity.SERVING_SUBSTITUTE),
    )


@transaction.atomic
def recusal_add(
    *,
    paragraph: Paragraph,
    actor: User,
    person: Person,
    note: str = "",
    substitute: Person | None = None,
    wording: str = "",
) -> Recusal:
    """Jäv: the person left the room for this §.

    `substitute` is an ersättare present at the meeting who tjänstgör in the jävig ledamot's place in this § only
    (a tjänstgörande ersättare attendance for § n to § n, removed with the jäv). `wording` is the secretary's
    sentence, printed first in the §; empty gives the standard sentence (Recusal.text).
    """
    paragraph = ensure_paragraph_editable(paragraph)
    seated = [a for a in _deciding_attendances(paragraph) if a.person_id == person.pk and a.covers(paragraph.number)]
    if not seated:
        raise ValidationError(
            {"person": f"{person} är inte beslutande i § {paragraph.number} och kan därför inte anmäla jäv."},
            code="not_deciding",
        )
    if paragraph.recusals.filter(person=person).exists():
        raise ValidationError({"person": f"{person} är redan antecknad som jävig i § {paragraph.number}."})
    if (
        Ballot.objects.filter(vote__paragraph=paragraph, person=person).exists()
        or paragraph.dissents.filter(person=person).exists()
    ):
        raise ValidationError(
            {"person": f"{person} har röstat eller reserverat sig i § {paragraph.number}. Ta bort det först."},
            code="has_taken_part",
        )
    attendance = None
    if substitute is not None:
        _person_in_organisation(substitute, paragraph.minutes, "substitute")
        if substitute.pk == person.pk:
            raise ValidationError({"substitute": "Den jäviga kan inte ersätta sig själv."}, code="substitute_self")
        attendance = _substitute_for_recusal(paragraph, person, substitute)
        attendance._history_user = actor
        attendance.save()
    wording = " ".join((wording or "").split())
    if not wording:
        seat = _memberships_on_meeting_day(paragraph.minutes).filter(person=person).first()
        wording = recusal_wording(person, party=_seat_label(seat), note=note.strip(), substitute=substitute)
    recusal = Recusal(
        paragraph=paragraph,
        person=person,
        note=note.strip(),
        wording=wording,
        substitute_attendance=attendance,
    )
    recusal.full_clean(exclude=["paragraph", "person", "substitute_attendance"], validate_constraints=False)
    recusal._history_user = actor
    recusal.save()
    return recusal


@transaction.atomic
def recusal_remove(*, recusal: Recusal, actor: User) -> None:
    """Remove a jäv, and the ersättare who served in the jävig's place in that § (unless they have voted)."""
    ensure_paragraph_editable(recusal.paragraph)
    attendance = recusal.substitute_attendance
    if attendance is not None:
        if Ballot.objects.filter(vote__paragraph=recusal.paragraph, person_id=attendance.person_id).exists():
            raise ValidationError(
                f"{attendance.person} har röstat i § {recusal.paragraph.number} som tjänstgörande ersättare. "
                "Ta bort voteringen först.",
                code="substitute_has_voted",
            )
        if recusal.paragraph.dissents.filter(person_id=attendance.person_id).exists():
            raise ValidationError(
                f"{attendance.person} har reserverat sig i § {recusal.paragraph.number}. Ta bort reservationen först.",
                code="substitute_has_dissented",
            )
    recusal._history_user = actor
    recusal.delete()
    if attendance is not None:
        attendance._history_user = actor
        attendance.delete()


@transaction.atomic
def dissent_add(*, paragraph: Paragraph, actor: User, person: Person, motivation: str = "") -> Dissent:
    """A reservation: only a beslutande of the § may reserve against its beslut.

    The saved Dissent carries `warnings`: e.g. that the person voted for the beslut in a votering of the §
    (saved all the same; the secretary checks it).
    """
    paragraph = ensure_paragraph_editable(paragraph)
    deciders = paragraph_decision_makers(paragraph)
    if person.pk not in {p.pk for p in deciders}:
        raise ValidationError(
            {"person": f"Bara beslutande i § {paragraph.number} kan reservera sig; {person} är inte beslutande där."},
            code="not_deciding",
        )
    if paragraph.dissents.filter(person=person).exists():
        raise ValidationError({"person": f"{person} har redan reserverat sig mot beslutet i § {paragraph.number}."})
    dissent = Dissent(paragraph=paragraph, person=person, motivation=motivation.strip())
    dissent._history_user = actor
    dissent.save()
    dissent.warnings = dissent_warnings(paragraph=paragraph, dissents=[dissent], deciders=deciders)
    return dissent


def dissent_warnings(*, paragraph: Paragraph, dissents: list[Dissent], deciders: list[Person]) -> list[str]:
    """Warnings for reservations by someone who voted for the beslut (voting.reserved_after_voting_for)."""
    from .minutes_selectors import annotate_vote

    rule = MajorityRule.of(paragraph.minutes.meeting.committee)
    votes = list(paragraph.votes.prefetch_related("ballots"))
    for vote in votes:
        annotate_vote(vote, deciders, rule=rule)
    return reserved_after_voting_for(dissents, votes)


@transaction.atomic
def dissent_remove(*, dissent: Dissent, actor: User) -> None:
    ensure_paragraph_editable(dissent.paragraph)
    dissent._history_user = actor
    dissent.delete()


@transaction.atomic
def vote_add(*, paragraph: Paragraph, actor: User, question: str, yes_means: str, no_means: str) -> Vote:
    paragraph = ensure_paragraph_editable(paragraph)
    errors = {}
    for field, value, label in (
        ("question", question, "Skriv propositionen som röstas om."),
        ("yes_means", yes_means, "Skriv vad en ja-röst innebär."),
        ("no_means", no_means, "Skriv vad en nej-röst innebär."),
    ):
        if not (value or "").strip():
            errors[field] = label
    if errors:
        raise ValidationError(errors, code="required")
    last = paragraph.votes.order_by("-position").values_list("position", flat=True).first() or 0
    vote = Vote(
        paragraph=paragraph,
        position=last + 1,
        question=question.strip(),
        yes_means=yes_means.strip(),
        no_means=no_means.strip(),
    )
    vote._history_user = actor
    vote.save()
    return vote


@transaction.atomic
def vote_record(*, vote: Vote, actor: User, choices: dict[int, str], casting_vote: str = "") -> str:
    """Store every beslutande's ja / nej / avstår; returns the computed result ("yes" / "no", or "none" when
    the committee needs kvalificerad majoritet and neither side reached it: voting.NO_MAJORITY).

    Exactly the beslutande of the § vote (voting.decision_makers_for); on a tie the chair's utslagsröst is
    required (KL 5 kap. 60 §) and otherwise not stored.
    """
    paragraph = ensure_paragraph_editable(vote.paragraph)
    vote = Vote.objects.select_for_update().get(pk=vote.pk)
    deciders = paragraph_decision_makers(paragraph)
    by_id = {p.pk: p for p in deciders}
    strangers = sorted(set(choices) - set(by_id))
    if strangers:
        raise ValidationError(
            f"Bara beslutande i § {paragraph.number} kan rösta (okända personer: {len(strangers)}).",
            code="not_deciding",
        )
    missing = [str(p) for p in deciders if choices.get(p.pk) not in Ballot.Choice.values]
    if missing:
        raise ValidationError(f"Ange ja, nej eller avstår för: {', '.join(missing)}.", code="missing_ballot")
    if not deciders:
        raise ValidationError(f"§ {paragraph.number} har inga beslutande. Fyll i närvaron först.", code="nobody")
    yes, no, _abstain = tally(choices.values())
    rule = MajorityRule.of(paragraph.minutes.meeting.committee)
    result = outcome(yes, no, casting_vote or None, rule=rule, present=len(deciders))
    vote.ballots.all().delete()
    for person_id, choice in choices.items():
        ballot = Ballot(vote=vote, person=by_id[person_id], choice=choice)
        ballot._history_user = actor
        ballot.save()
    vote.casting_vote = casting_vote if is_tie(yes, no, rule=rule) else ""
    vote._history_user = actor
    vote.save(update_fields=["casting_vote"])
    return result


@transaction.atomic
def vote_remove(*, vote: Vote, actor: User) -> None:
    ensure_paragraph_editable(vote.paragraph)
    vote._history_user = actor
    vote.delete()


# ----------------------------------------------------------------------------------------------------------------
# Justering, omedelbar justering and rättelse
# ----------------------------------------------------------------------------------------------------------------

NO_VERIFIER_MESSAGE = "Ange minst en justerare innan protokollet skickas för justering."
NO_CHAIR_MESSAGE = "Ange ordförande innan protokollet skickas för justering."
SIGNING_ROLES = (Signatory.Role.CHAIR, Signatory.Role.VERIFIER)
SIGN_METHOD_LOGIN = "inloggning"


@transaction.atomic
def minutes_send_for_verification(*, minutes: Minutes, actor: User, verification_url: str) -> Minutes:
    """Check that the protokoll is ready and mail the signatories a link to the justering page."""
    minutes = _lock_minutes(minutes)
    roles = list(minutes.signatories.values_list("role", flat=True))
    if Signatory.Role.VERIFIER not in roles:
        raise ValidationError(NO_VERIFIER_MESSAGE, code="no_verifier")
    if Signatory.Role.CHAIR not in roles:
        raise ValidationError(NO_CHAIR_MESSAGE, code="no_chair")
    paragraphs = list(minutes.paragraphs.order_by("number"))
    if not paragraphs:
        raise ValidationError("Protokollet har inga paragrafer.", code="empty")
    unfinished = [f"§ {p.number}" for p in paragraphs if not paragraph_is_written(p)]
    if unfinished:
        raise ValidationError(
            "Varje paragraf behöver ett beslut (att-satser eller ett standardbeslut) eller en text. Saknas i: "
            + ", ".join(unfinished)
            + ".",
            code="unfinished",
        )
    minutes.status = Minutes.Status.IN_VERIFICATION
    minutes.sent_for_verification_at = timezone.now()
    minutes._history_user = actor
    minutes.save(update_fields=["status", "sent_for_verification_at"])
    recipients = []
    for signatory in minutes.signatories.select_related("person", "person__user"):
        address = signatory.person.email or (signatory.person.user.email if signatory.person.user_id else "")
        if address:
            recipients.append(address)
    meeting = minutes.meeting
    subject = f"Protokoll att justera: {meeting.committee} {meeting.date.isoformat()}"
    body = (
        f"Protokollet från {meeting.committee} {meeting.date.isoformat()} är klart för justering.\n\n"
        f"Logga in och godkänn protokollet här:\n{verification_url}\n"
    )
    if recipients:
        transaction.on_commit(partial(send_mail, subject, body, None, sorted(set(recipients)), fail_silently=True))
    return minutes


def paragraph_is_written(paragraph: Paragraph) -> bool:
    """Ready for justering: a beslut (att-satser or a standard formula), or, for a § without beslut (mötets
    öppnande, upprop), its text; a protokollsanteckning counts as before."""
    if paragraph.has_decision or paragraph.protocol_notes.strip():
        return True
    return paragraph.decision_kind == Paragraph.DecisionKind.NONE and bool(paragraph.body.strip())


ARCHIVE_KIND = "meetings.minutes"


def _archive_minutes(*, minutes: Minutes, user: User | None) -> RenderJob | None:
    """Create the archive job of a justerat protokoll and point the protokoll at it, in the caller's transaction.

    The job row is written with the lock, so the archive can never be forgotten; its task is sent after the
    commit with short broker timeouts, and a send that fails leaves the row queued for the sweeper. A document
    that cannot be made now (DocumentInputError) never stops the justering: the archive stays missing and
    `minutes_archive_missing` (the sweeper, the page's button, `make_missing_archives`) asks again.
    """
    from reporting.documents import DocumentInputError
    from reporting.services import render_job_request

    try:
        with transaction.atomic():
            job = render_job_request(
                organisation=minutes.meeting.committee.organisation,
                user=user,
                kind=ARCHIVE_KIND,
                params={"minutes": minutes.pk},
            )
    except DocumentInputError as exc:
        logger.error("Arkivet för protokoll %s kunde inte beställas: %s", minutes.pk, exc.message)
        return None
    Minutes.objects.filter(pk=minutes.pk).update(archived_job=job)
    minutes.archived_job = job
    return job


def minutes_archive_state(minutes: Minutes) -> str:
    """'done', 'active', 'failed', 'missing', or '' when the protokoll is not justerat (nothing to archive)."""
    if minutes.status != Minutes.Status.VERIFIED:
        return ""
    job = minutes.archived_job
    if job is None:
        return "missing"
    if job.is_done:
        return "done"
    return "active" if job.is_active else "failed"


@transaction.atomic
def minutes_archive_request(*, minutes: Minutes, actor: User | None) -> RenderJob | None:
    """Ask again for the archive of a justerat protokoll whose archive is missing or failed.

    Returns the new job, or None when there was nothing to do (not justerat, archived, or on its way).
    """
    minutes = (
        Minutes.objects.select_for_update(of=("self",))  # the job may be missing: lock only the protokoll
        .select_related("archived_job", "meeting__committee")
        .get(pk=minutes.pk)
    )
    if minutes_archive_state(minutes) not in {"missing", "failed"}:
        return None
    return _archive_minutes(minutes=minutes, user=actor)


def minutes_archive_missing(*, now: dt.datetime | None = None, automatic: bool = True) -> list[int]:
    """Ask for the archive of every justerat protokoll that has none or whose archive failed.

    `automatic` (the sweeper) asks again for a failed archive only ARCHIVE_RETRY_AFTER_SECONDS after it failed
    and at most ARCHIVE_AUTO_ATTEMPTS times, so a protokoll that cannot be rendered does not fill the queue;
    the page's button and `make_missing_archives` always ask. Returns the ids of the protokoll asked for.
    """
    from django.conf import settings

    from reporting.models import RenderJob

    now = now or timezone.now()
    candidates = Minutes.objects.filter(status=Minutes.Status.VERIFIED).filter(
        Q(archived_job__isnull=True) | Q(archived_job__status=RenderJob.Status.FAILED)
    )
    if automatic:
        retry_before = now - dt.timedelta(seconds=settings.ARCHIVE_RETRY_AFTER_SECONDS)
        candidates = candidates.filter(Q(archived_job__isnull=True) | Q(archived_job__finished_at__lt=retry_before))
    asked = []
    for minutes in candidates.order_by("pk"):
        if automatic and minutes.archived_job_id is not None:
            failures = RenderJob.objects.filter(
                kind=ARCHIVE_KIND, params__minutes=minutes.pk, status=RenderJob.Status.FAILED
            ).count()
            if failures >= settings.ARCHIVE_AUTO_ATTEMPTS:
                continue
        if minutes_archive_request(minutes=minutes, actor=None) is not None:
            asked.append(minutes.pk)
    if asked:
        logger.warning("Arkiv beställda igen för protokoll %s", asked)
    return asked


def signatory_statement(signatory: Signatory) -> str:
    """The sentence the signatory confirms; stored with the approval as its evidence.

    Ordförande and justerare justerar; the sekreterare certifies having kept the protokoll.
    """
    meeting = signatory.minutes.meeting
    day = meeting.date
    what = f"protokollet från {meeting.committee}s sammanträde den {format_day_month_year(day)}"
    # The range as the protokoll's front page prints it (its §§ run without gaps).
    paragraphs = format_paragraph_range(list(signatory.minutes.paragraphs.values_list("number", flat=True)))
    if paragraphs:
        what = f"{what}, {paragraphs},"
    if signatory.role == Signatory.Role.SECRETARY:
        return f"Jag har fört {what} och intygar som sekreterare att det återger sammanträdet."
    role = "ordförande" if signatory.role == Signatory.Role.CHAIR else "justerare"
    return f"Jag har granskat {what} och godkänner det som {role}."


@transaction.atomic
def signatory_approve(
    *,
    signatory: Signatory,
    actor: User,
    method: str = SIGN_METHOD_LOGIN,
    evidence: dict | None = None,
    ip: str | None = None,
    user_agent: str = "",
) -> Signatory:
    """Record one approval. When the ordförande and every justerare have approved, the protokoll locks.

    The caller has already established who signs: a login flow re-checks the password (and TOTP) in the view
    (`method="inloggning"`); an e-signature flow (BankID, Freja eID) passes its own method and the provider's
    reference in `evidence` (docs/decisions/0007). The sentence the signatory confirmed is stored with it. The
    sekreterare signs as sekreterare, also after the protokoll has locked; only ordförande and justerare justerar.
    """
    is_secretary = signatory.role == Signatory.Role.SECRETARY
    if is_secretary:
        minutes = Minutes.objects.select_for_update().get(pk=signatory.minutes_id)
    else:
        minutes = _lock_minutes(signatory.minutes, in_verification_ok=True)
    signatory = (
        Signatory.objects.select_for_update()
        .select_related("person", "minutes__meeting__committee")
        .get(pk=signatory.pk)
    )
    if minutes.status not in (
        (Minutes.Status.IN_VERIFICATION, Minutes.Status.VERIFIED) if is_secretary else (Minutes.Status.IN_VERIFICATION,)
    ):
        raise ValidationError("Protokollet har inte skickats för justering än.", code="not_sent")
    if signatory.signed_at is not None:
        raise ValidationError(f"{signatory.person} har redan godkänt protokollet.", code="already_signed")
    now = timezone.now()
    signatory.signed_at = now
    signatory.signed_by = actor
    signatory.method = method
    signatory.evidence = {"bekräftelse": signatory_statement(signatory), **(evidence or {})}
    signatory.ip_address = ip or None
    signatory.user_agent = (user_agent or "")[:300]
    signatory._history_user = actor
    signatory.save()
    pending = minutes.signatories.filter(role__in=SIGNING_ROLES, signed_at__isnull=True).exists()
    if not pending and not minutes.is_locked:
        minutes.status = Minutes.Status.VERIFIED
        minutes.verified_at = now
        minutes._history_user = actor
        minutes.save(update_fields=["status", "verified_at"])
        from .agenda_services import meeting_held_by_verification

        meeting_held_by_verification(meeting_id=minutes.meeting_id, actor=actor)
        _cases_decide(paragraphs=Paragraph.objects.filter(minutes=minutes), actor=actor)
        _archive_minutes(minutes=minutes, user=actor)
    return signatory


@transaction.atomic
def minutes_recall_verification(*, minutes: Minutes, actor: User) -> Minutes:
    """Take the protokoll back from justering to change it: it becomes a draft and every approval is withdrawn."""
    minutes = _lock_minutes(minutes, in_verification_ok=True)
    if minutes.status != Minutes.Status.IN_VERIFICATION:
        raise ValidationError("Protokollet är inte skickat för justering.", code="not_sent")
    for signatory in minutes.signatories.filter(signed_at__isnull=False):
        signatory.signed_at = None
        signatory.signed_by = None
        signatory.method = ""
        signatory.evidence = {}
        signatory.ip_address = None
        signatory.user_agent = ""
        signatory._history_user = actor
        signatory.save()
    minutes.status = Minutes.Status.DRAFT
    minutes.sent_for_verification_at = None
    minutes._history_user = actor
    minutes.save(update_fields=["status", "sent_for_verification_at"])
    return minutes


def verification_delay_days(minutes: Minutes, *, today: dt.date | None = None) -> int | None:
    """Days past the 14-day limit for justering (None when within it)."""
    done = minutes.verified_at.date() if minutes.verified_at else (today or timezone.localdate())
    late = (done - minutes.meeting.date).days
    return late if late > VERIFICATION_DAYS else None


@transaction.atomic
def paragraph_verify_immediately(*, paragraph: Paragraph, actor: User) -> Paragraph:
    """Omedelbar justering of one §.

    Simplification: the secretary (manage_minutes) records, after confirming, that ordförande and justerare
    approved the § at the meeting; there is no per-§ signature of each signatory yet.
    """
    paragraph = ensure_paragraph_editable(paragraph)
    if not paragraph.has_decision and not paragraph.protocol_notes.strip():
        raise ValidationError(
            f"§ {paragraph.number} har inget beslut att justera. Skriv beslutet först.", code="no_decision"
        )
    paragraph.immediately_verified_at = timezone.now()
    paragraph._history_user = actor
    paragraph.save(update_fields=["immediately_verified_at"])
    _cases_decide(paragraphs=[paragraph], actor=actor)
    return paragraph


def _cases_decide(*, paragraphs, actor: User) -> list[Case]:
    """Close as Beslutat the ärende of each justerad § with a beslut (inside the justering's transaction).

    Återremiss and bordläggning leave the ärende open for a later meeting; a § without a beslut (text only)
    changes nothing. Each change is a history record with the actor. Returns the ärenden closed.
    """
    decided: dict[int, Paragraph] = {}
    for paragraph in paragraphs:
        if paragraph.case_id and paragraph.has_decision and not paragraph.keeps_case_open:
            decided.setdefault(paragraph.case_id, paragraph)
    closed = []
    for case in Case.objects.select_for_update().filter(pk__in=decided, status=Case.Status.OPEN).order_by("pk"):
        case.status = Case.Status.DECIDED
        bump_version(case)  # an open editor of the ärende sees the change instead of writing over it
        case._history_user = actor
        case._change_reason = f"Beslutat i § {decided[case.pk].number}"
        case.save(update_fields=["status", "version"])
        closed.append(case)
    return closed


@transaction.atomic
def correction_add(
    *, minutes: Minutes, actor: User, reason: str, text: str, paragraph: Paragraph | None = None
) -> Correction:
    """A rättelse: a visible addition to a justerat protokoll (or an omedelbart justerad §)."""
    minutes = Minutes.objects.select_for_update().get(pk=minutes.pk)
    if paragraph is not None and paragraph.minutes_id != minutes.pk:
        raise ValidationError({"paragraph": "Paragrafen hör inte till protokollet."}, code="other_minutes")
    paragraph_locked = paragraph is not None and paragraph.immediately_verified_at is not None
    if not minutes.is_locked and not paragraph_locked:
        raise ValidationError(
            "Protokollet är inte justerat än. Ändra texten direkt i stället för att göra en rättelse.",
            code="not_locked",
        )
    errors = {}
    if not (reason or "").strip():
        errors["reason"] = "Ange skälet till rättelsen."
    if not (text or "").strip():
        errors["text"] = "Skriv vad som rättas."
    if errors:
        raise ValidationError(errors, code="required")
    correction = Correction(
        minutes=minutes, paragraph=paragraph, reason=reason.strip(), text=text.strip(), created_by=actor
    )
    correction._history_user = actor
    correction.save()
    if Posting.objects.filter(minutes=minutes).exists():
        # The anslagstavla's PDF must carry the rättelse: the old one is stale now (public_minutes_pdf_job).
        from .posting_services import public_minutes_pdf_request

        public_minutes_pdf_request(minutes=minutes, actor=actor)
    return correction
