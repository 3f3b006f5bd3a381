"""Who decides in a § and how a votering ends: pure functions over already loaded rows, no queries.

`decision_makers_for` answers "who are the beslutande in § n": beslutande and tjänstgörande ersättare whose
§ range covers n, minus those who are jäviga. A tjänstgörande ersättare registered in a ledamot's place (for a
range covering n) counts instead of that ledamot — also when the ledamot is jävig and the ersättare steps in
for that § only.

`outcome` follows KL 5 kap. 60 §: the larger number wins; on a tie the ordförande's utslagsröst decides.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError

DECIDING_CAPACITIES = ("decision_maker", "serving_substitute")
CASTING_VOTE_REQUIRED = "Lika många ja- som nej-röster: ange ordförandens utslagsröst (KL 5 kap. 60 §)."


def _person_id(item: Any) -> int:
    """A Recusal/Ballot/Attendance row (person_id) or a Person (pk) or a plain id."""
    if isinstance(item, int):
        return item
    return getattr(item, "person_id", None) or item.pk


def decision_makers_for(paragraph_number: int, attendances: Iterable[Any], recusals: Iterable[Any]) -> list:
    """The Person objects who take part in the decision of § `paragraph_number`, in attendance order."""
    covering = [a for a in attendances if a.capacity in DECIDING_CAPACITIES and a.covers(paragraph_number)]
    replaced = {a.replaces_id for a in covering if a.capacity == "serving_substitute" and a.replaces_id}
    recused = {_person_id(r) for r in recusals}
    order = {capacity: rank for rank, capacity in enumerate(DECIDING_CAPACITIES)}
    covering.sort(key=lambda a: (order[a.capacity], a.position, a.pk or 0))
    people, seen = [], set()
    for attendance in covering:
        person_id = attendance.person_id
        if person_id in recused or person_id in seen:
            continue
        if attendance.capacity == "decision_maker" and person_id in replaced:
            continue  # an ersättare serves in this ledamot's place for this §
        seen.add(person_id)
        people.append(attendance.person)
    return people


def tally(ballots: Iterable[Any]) -> tuple[int, int, int]:
    """(ja, nej, avstår) of Ballot rows or plain choice strings."""
    counts = {"yes": 0, "no": 0, "abstain": 0}
    for ballot in ballots:
        choice = ballot if isinstance(ballot, str) else ballot.choice
        if choice not in counts:
            raise ValueError(f"Okänd röst: {choice!r}")
        counts[choice] += 1
    return counts["yes"], counts["no"], counts["abstain"]


def outcome(yes: int, no: int, casting: str | None) -> str:
    """ "yes" or "no". A tie needs the chair's casting vote; otherwise the casting vote is ignored."""
    if yes > no:
        return "yes"
    if no > yes:
        return "no"
    if casting in ("yes", "no"):
        return casting
    raise ValidationError({"casting_vote": CASTING_VOTE_REQUIRED}, code="casting_vote_required")


def is_tie(yes: int, no: int) -> bool:
    return yes == no
