"""Reads of the sammanträdesvy. On top of minutes_selectors.minutes_full (a fixed number of queries whatever the
number of §§) it reads the kallade of the latest kallelse in one query; the checklist and the § panel are then
worked out in Python."""

from __future__ import annotations

from dataclasses import dataclass, field

from core.models import Person

from .models import Attendance, Membership, Minutes, NoticeRecipient, Paragraph
from .session_services import jav_substitute_candidates, main_attendance, proposal_of
from .voting import DECIDING_CAPACITIES

MEMBER_CAPACITIES = (Attendance.Capacity.DECISION_MAKER,)


@dataclass
class ChecklistRow:
    person: Person
    category: str  # "member", "substitute" or "other"
    label: str
    attendance: Attendance | None
    substitute: Person | None = None  # the ersättare serving for this ledamot (whole-meeting row)
    serves_for: Person | None = None  # for an ersättare: the ledamot they serve for
    jav_rows: list = field(default_factory=list)  # single §§ served for a jävig ledamot

    @property
    def present(self) -> bool:
        return self.attendance is not None


def kallade(minutes: Minutes) -> list[NoticeRecipient]:
    """The recipients of the latest kallelse (one query), members first."""
    notice = max(minutes.meeting.notice_issues.all(), key=lambda n: n.revision, default=None)
    if notice is None:
        return []
    return list(notice.recipients.select_related("person").order_by("category", "pk"))


CATEGORY_OF_CAPACITY = {
    Attendance.Capacity.DECISION_MAKER: "member",
    Attendance.Capacity.SERVING_SUBSTITUTE: "substitute",
    Attendance.Capacity.SUBSTITUTE: "substitute",
}
CATEGORY_LABELS = {"member": "Ledamot", "substitute": "Ersättare", "other": "Övrig"}


def attendance_checklist(minutes: Minutes, recipients: list[NoticeRecipient]) -> list[ChecklistRow]:
    """One row per kallad (and per other person in the närvaro): present or not, §§, who serves for whom."""
    attendances = list(minutes.attendances.all())
    rows: list[ChecklistRow] = []
    seen: set[int] = set()
    order = {"member": 0, "substitute": 1, "other": 2}
    for recipient in recipients:
        if recipient.person_id in seen:
            continue
        seen.add(recipient.person_id)
        category = recipient.category if recipient.category != NoticeRecipient.Category.FOR_INFORMATION else "other"
        rows.append(
            ChecklistRow(
                person=recipient.person,
                category=category,
                label=CATEGORY_LABELS[category],
                attendance=main_attendance(attendances, recipient.person_id),
            )
        )
    for attendance in sorted(attendances, key=lambda a: (a.capacity, a.position, a.pk)):
        if attendance.person_id in seen:
            continue
        seen.add(attendance.person_id)
        category = CATEGORY_OF_CAPACITY.get(attendance.capacity, "other")
        rows.append(
            ChecklistRow(
                person=attendance.person,
                category=category,
                label=CATEGORY_LABELS[category],
                attendance=main_attendance(attendances, attendance.person_id),
            )
        )
    by_person = {row.person.pk: row for row in rows}
    for row in rows:
        main = row.attendance
        if main is not None and main.capacity == Attendance.Capacity.SERVING_SUBSTITUTE and main.replaces_id:
            row.serves_for = main.replaces
            member = by_person.get(main.replaces_id)
            if member is not None:
                member.substitute = row.person
        row.jav_rows = [a for a in attendances if a.person_id == row.person.pk and main is not None and a.pk != main.pk]
    rows.sort(key=lambda r: order[r.category])
    return rows


def substitutes_of(rows: list[ChecklistRow]) -> list[Person]:
    return [row.person for row in rows if row.category == "substitute"]


def _side(membership: Membership) -> str:
    """The party of a seat, or in a samordningsförbund the member organisation it represents."""
    if membership.party and membership.party != "-":
        return f"party:{membership.party}"
    return f"org:{membership.represents_id}" if membership.represents_id else ""


def paragraph_panel(paragraph: Paragraph, minutes: Minutes) -> dict:
    """What the § panel shows besides the § itself: the förslag, who may be jävig and who may step in.

    Each possible jävig ledamot carries the suggested ersättare, which the jäv form preselects: their personal
    ersättare when present, else the first present ersättare of the same party (in a samordningsförbund: of the
    same member organisation), else the first present one. One query for the seats of the day.
    """
    meeting = minutes.meeting
    seats = list(Membership.objects.on(meeting.date).filter(committee_id=meeting.committee_id))
    person_of_seat = {m.pk: m.person_id for m in seats}
    personal = {
        person_of_seat.get(m.personal_substitute_for_id): m.person_id for m in seats if m.personal_substitute_for_id
    }
    side = {m.person_id: _side(m) for m in seats}
    attendances = list(minutes.attendances.all())
    seated, seen = [], set()
    for a in attendances:
        if a.capacity in DECIDING_CAPACITIES and a.covers(paragraph.number) and a.person_id not in seen:
            seen.add(a.person_id)
            seated.append(a)
    recused = {r.person_id for r in paragraph.recusals.all()}
    candidates = jav_substitute_candidates(paragraph, attendances)
    jav_people = []
    for a in seated:
        if a.person_id in recused:
            continue
        own = [p for p in candidates if personal.get(a.person_id) == p.pk]
        same = [p for p in candidates if side.get(p.pk) and side.get(p.pk) == side.get(a.person_id)]
        suggested = (own or same or candidates or [None])[0]
        jav_people.append({"person": a.person, "suggested": suggested, "is_substitute": a.capacity != "decision_maker"})
    dissenting = {d.person_id for d in paragraph.dissents.all()}
    for vote in paragraph.votes.all():
        # Those who voted for the losing side and have not reserved yet: one click each for a reservation.
        losing = {"yes": "no", "no": "yes"}.get(getattr(vote, "result", ""), "")
        vote.losers = [
            person
            for person, ballot in getattr(vote, "rows", [])
            if ballot is not None and ballot.choice == losing and person.pk not in dissenting
        ]
    return {
        "proposal": proposal_of(paragraph.agenda_item),
        "jav_people": jav_people,
        "jav_substitutes": candidates,
    }
