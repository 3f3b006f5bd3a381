"""Reads for the rules of a § that warn but do not block: beslutförhet (quorum) and a reservation by someone who
voted for the beslut. The figures come from meetings.voting; this module only loads what they need.
"""

from __future__ import annotations

from .models import Membership, Minutes, Paragraph
from .voting import (
    DECIDING_CAPACITIES,
    decision_makers_for,
    quorum_required,
    quorum_warning,
    reserved_after_voting_for,
)

DECIDING_ROLES = (Membership.Role.CHAIR, Membership.Role.VICE_CHAIR, Membership.Role.MEMBER)


def quorum_for(minutes: Minutes) -> int:
    """The smallest number of beslutande for the committee on the meeting day (one count query unless the
    committee has its own figure)."""
    committee = minutes.meeting.committee
    if committee.quorum:
        return committee.quorum
    seats = Membership.objects.on(minutes.meeting.date).filter(committee=committee, role__in=DECIDING_ROLES).count()
    return quorum_required(quorum=None, seats=seats)


def paragraph_warnings(paragraph: Paragraph, *, quorum: int | None = None) -> list[str]:
    """Warnings for a § loaded by minutes_selectors.minutes_full (deciders, votes and dissents annotated)."""
    if quorum is None:
        quorum = quorum_for(paragraph.minutes)
    warnings = []
    deciders = getattr(paragraph, "deciders", None)
    if deciders is not None:
        text = quorum_warning(present=len(deciders), required=quorum, number=paragraph.number)
        if text:
            warnings.append(text)
    warnings += reserved_after_voting_for(paragraph.dissents.all(), paragraph.votes.all())
    return warnings


def minutes_quorum_warnings(minutes: Minutes) -> list[str]:
    """Quorum warnings for every § of a protokoll loaded by minutes_full (and the meeting as a whole when the
    närvarolista has no § yet)."""
    quorum = quorum_for(minutes)
    paragraphs = list(minutes.paragraphs.all())
    attendances = list(minutes.attendances.all())
    if not paragraphs:
        present = len({a.person_id for a in attendances if a.capacity in DECIDING_CAPACITIES})
        text = quorum_warning(present=present, required=quorum) if attendances else ""
        return [text] if text else []
    warnings = []
    for paragraph in paragraphs:
        deciders = getattr(paragraph, "deciders", None)
        if deciders is None:
            deciders = decision_makers_for(paragraph.number, attendances, paragraph.recusals.all())
        text = quorum_warning(present=len(deciders), required=quorum, number=paragraph.number)
        if text:
            warnings.append(text)
    return warnings
