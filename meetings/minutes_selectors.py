"""Reads for the protokoll: always scoped to an organisation, with everything a page or PDF needs loaded up front.

`minutes_full` loads a protokoll with its attendance, signatories, corrections and every § with votes, ballots,
reservationer and jäv in a fixed number of queries, whatever the number of §; the beslutande of each § are then
worked out in Python (meetings.voting) and put on the § as `deciders`.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db.models import Prefetch, QuerySet

from core import compiled_query
from core.formatting import format_paragraph_range
from core.models import Organisation, Person

from .models import (
    AgendaItem,
    Attendance,
    Ballot,
    Correction,
    Dissent,
    Meeting,
    Minutes,
    Paragraph,
    Recusal,
    Signatory,
    Vote,
)
from .voting import (
    NO_MAJORITY,
    SIMPLE_MAJORITY,
    MajorityRule,
    count_text,
    decision_makers_for,
    no_majority_text,
    outcome,
    tally,
)


def minutes_for_organisation(*, organisation: Organisation) -> QuerySet[Minutes]:
    return Minutes.objects.for_organisation(organisation).select_related("meeting__committee", "secretary")


def meetings_for_organisation(*, organisation: Organisation) -> QuerySet[Meeting]:
    return Meeting.objects.for_organisation(organisation).select_related("committee")


def paragraphs_for_organisation(*, organisation: Organisation) -> QuerySet[Paragraph]:
    return Paragraph.objects.for_organisation(organisation).select_related(
        "minutes__meeting__committee", "case", "agenda_item"
    )


def votes_for_organisation(*, organisation: Organisation) -> QuerySet[Vote]:
    return Vote.objects.for_organisation(organisation).select_related("paragraph__minutes__meeting__committee")


def attendances_for_organisation(*, organisation: Organisation) -> QuerySet[Attendance]:
    return Attendance.objects.for_organisation(organisation).select_related("minutes__meeting", "person")


def recusals_for_organisation(*, organisation: Organisation) -> QuerySet[Recusal]:
    return Recusal.objects.for_organisation(organisation).select_related("paragraph__minutes", "person")


def dissents_for_organisation(*, organisation: Organisation) -> QuerySet[Dissent]:
    return Dissent.objects.for_organisation(organisation).select_related("paragraph__minutes", "person")


def signatories_for_organisation(*, organisation: Organisation) -> QuerySet[Signatory]:
    return Signatory.objects.for_organisation(organisation).select_related(
        "minutes__meeting__committee", "person__user"
    )


def people_for_organisation(*, organisation: Organisation) -> QuerySet[Person]:
    return Person.objects.for_organisation(organisation).order_by("last_name", "first_name")


def agenda_items_without_paragraph(*, minutes: Minutes) -> QuerySet[AgendaItem]:
    return (
        AgendaItem.objects.filter(meeting_id=minutes.meeting_id, paragraphs__isnull=True)
        .select_related("case")
        .order_by("position")
    )


def _paragraph_prefetches() -> list:
    return [
        Prefetch(
            "votes",
            queryset=Vote.objects.order_by("position", "pk").prefetch_related(
                Prefetch("ballots", queryset=Ballot.objects.select_related("person"))
            ),
        ),
        Prefetch("dissents", queryset=Dissent.objects.select_related("person")),
        Prefetch("recusals", queryset=Recusal.objects.select_related("person", "substitute_attendance__person")),
        Prefetch("corrections", queryset=Correction.objects.order_by("created_at")),
    ]


def _minutes_page_row(pk: int, organisation_id: int) -> QuerySet[Minutes]:
    return Minutes.objects.filter(pk=pk, meeting__committee__organisation_id=organisation_id).select_related(
        "meeting__committee", "secretary", "archived_job"
    )


def minutes_row(*, organisation: Organisation, pk: int) -> Minutes:
    """The protokoll with its meeting, committee and archive job only (the page's header); one query, compiled
    once per process (core.compiled_query). Minutes.DoesNotExist outside the organisation."""
    found = compiled_query.instances(_minutes_page_row, pk=pk, organisation_id=organisation.pk) if organisation else []
    if not found:
        raise Minutes.DoesNotExist
    return found[0]


def minutes_full(*, organisation: Organisation, pk: int) -> Minutes:
    """One protokoll with everything loaded; raises Minutes.DoesNotExist outside the organisation."""
    minutes = (
        minutes_for_organisation(organisation=organisation)
        .select_related("archived_job")
        .prefetch_related(
            Prefetch("attendances", queryset=Attendance.objects.select_related("person", "replaces")),
            Prefetch("signatories", queryset=Signatory.objects.select_related("person", "signed_by")),
            Prefetch(
                "corrections",
                queryset=Correction.objects.select_related("paragraph__agenda_item", "paragraph__case").order_by(
                    "created_at"
                ),
            ),
            Prefetch(
                "paragraphs",
                queryset=Paragraph.objects.select_related("case", "agenda_item")
                .order_by("number")
                .prefetch_related(*_paragraph_prefetches()),
            ),
        )
        .get(pk=pk)
    )
    annotate_minutes(minutes)
    return minutes


def annotate_minutes(minutes: Minutes) -> None:
    """Put the computed parts on the loaded objects: beslutande per §, vote results, attendance groups."""
    attendances = list(minutes.attendances.all())
    rule = MajorityRule.of(minutes.meeting.committee)
    for paragraph in minutes.paragraphs.all():
        paragraph.minutes = minutes  # no query for Paragraph.is_locked
        paragraph.deciders = decision_makers_for(paragraph.number, attendances, paragraph.recusals.all())
        for vote in paragraph.votes.all():
            annotate_vote(vote, paragraph.deciders, rule=rule)
    minutes.attendance_groups = attendance_groups(attendances)
    signatories = list(minutes.signatories.all())
    minutes.chair_signatories = [s for s in signatories if s.role == Signatory.Role.CHAIR]
    minutes.verifier_signatories = [s for s in signatories if s.role == Signatory.Role.VERIFIER]
    minutes.secretary_signatories = [s for s in signatories if s.role == Signatory.Role.SECRETARY]
    numbers = [p.number for p in minutes.paragraphs.all()]
    minutes.paragraph_range = format_paragraph_range(numbers)


def annotate_vote(vote: Vote, deciders: list[Person], *, rule: MajorityRule = SIMPLE_MAJORITY) -> None:
    """Rows, counts ("3 ja-röster mot 2 nej-röster") and the result under the committee's majority rule."""
    ballots = {b.person_id: b for b in vote.ballots.all()}
    vote.rows = [(person, ballots.get(person.pk)) for person in deciders]
    vote.yes, vote.no, vote.abstain = tally(ballots.values())
    vote.recorded = bool(ballots)
    vote.count_text = count_text(vote.yes, vote.no, vote.abstain)
    vote.result = ""
    if ballots:
        try:
            vote.result = outcome(vote.yes, vote.no, vote.casting_vote or None, rule=rule, present=len(deciders))
        except ValidationError:
            vote.result = ""  # a tie saved without utslagsröst (older data): no result to show
    if vote.result == NO_MAJORITY:
        vote.result_text = no_majority_text(rule, present=len(deciders), yes=vote.yes, no=vote.no)
    else:
        vote.result_text = {"yes": vote.yes_means, "no": vote.no_means}.get(vote.result, "")


# capacity, heading for several, heading for one ("Tjänsteperson" when only one attended).
ATTENDANCE_GROUPS = [
    (Attendance.Capacity.DECISION_MAKER, "Beslutande", "Beslutande"),
    (Attendance.Capacity.SERVING_SUBSTITUTE, "Tjänstgörande ersättare", "Tjänstgörande ersättare"),
    (Attendance.Capacity.SUBSTITUTE, "Ersättare", "Ersättare"),
    (Attendance.Capacity.OFFICIAL, "Tjänstepersoner", "Tjänsteperson"),
    (Attendance.Capacity.OTHER, "Övriga deltagare", "Övrig deltagare"),
]


def attendance_groups(attendances: list[Attendance]) -> list[dict]:
    """The närvaro headings with their rows; `label` agrees in number with the rows, `singular` names one row."""
    groups = []
    for capacity, plural, singular in ATTENDANCE_GROUPS:
        rows = sorted((a for a in attendances if a.capacity == capacity), key=lambda a: (a.position, a.pk))
        for row in rows:
            row.range_text = paragraph_range_text(row)
        label = singular if len(rows) == 1 else plural
        groups.append({"capacity": capacity, "label": label, "singular": singular, "rows": rows})
    return groups


def paragraph_range_text(attendance: Attendance) -> str:
    """ "§§ 75–81" for a partial attendance, "" for the whole meeting."""
    first, last = attendance.from_paragraph, attendance.to_paragraph
    if first is None and last is None:
        return ""
    if first is not None and last is not None:
        return format_paragraph_range(sorted({first, last}))
    return f"från {format_paragraph_range([first])}" if first is not None else f"till {format_paragraph_range([last])}"


def paragraph_with_minutes(*, organisation: Organisation, pk: int) -> Paragraph:
    """One § with its protokoll fully loaded (the § object is the one inside minutes.paragraphs)."""
    minutes_id = Paragraph.objects.for_organisation(organisation).values_list("minutes_id", flat=True).get(pk=pk)
    minutes = minutes_full(organisation=organisation, pk=minutes_id)
    return next(p for p in minutes.paragraphs.all() if p.pk == pk)


def signatories_with_people(*, minutes: Minutes) -> QuerySet[Signatory]:
    return minutes.signatories.select_related("person", "person__user").order_by("role", "pk")
