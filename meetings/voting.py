"""Who decides in a § and how a votering ends: pure functions over already loaded rows, no queries.

`decision_makers_for` answers "who are the beslutande in § n": beslutande and tjänstgörande ersättare whose
§ range covers n, minus those who are jäviga. A tjänstgörande ersättare registered in a ledamot's place (for a
range covering n) counts instead of that ledamot — also when the ledamot is jävig and the ersättare steps in
for that § only.

`outcome` follows KL 5 kap. 60 §: the larger number wins; on a tie the ordförande's utslagsröst decides. A
committee that needs kvalificerad majoritet (a samordningsförbund's förbundsordning, docs/decisions/0009) passes
a `MajorityRule`: a side wins only with at least that share of the närvarande röstberättigade (or of the votes
cast), otherwise no beslut is made ("none"); the utslagsröst never applies there.

`quorum_required` / `quorum_warning`: beslutförhet, by default more than half of the ledamöter (KL 6 kap. 27 §).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from fractions import Fraction
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
    return [a.person for a in _deciding_attendances(paragraph_number, attendances, recusals)]


def _deciding_attendances(paragraph_number: int, attendances: Iterable[Any], recusals: Iterable[Any]) -> list:
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
        people.append(attendance)
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


@dataclass(frozen=True)
class MajorityRule:
    """Enkel majoritet, or kvalificerad: at least `fraction` of the present deciders ("present") or of the votes."""

    qualified: bool = False
    fraction: Fraction = Fraction(1, 2)
    basis: str = "present"  # "present" | "cast"

    @classmethod
    def of(cls, committee: Any) -> MajorityRule:
        if committee is None or getattr(committee, "majority_rule", "simple") != "qualified":
            return SIMPLE_MAJORITY
        return cls(qualified=True, fraction=Fraction(committee.majority_fraction), basis=committee.majority_basis)

    def required(self, *, present: int, yes: int, no: int) -> int:
        """The smallest number of votes a side needs (kvalificerad majoritet only)."""
        base = present if self.basis == "present" else yes + no
        needed = self.fraction * base
        return int(needed) if needed.denominator == 1 else int(needed) + 1

    @property
    def text(self) -> str:
        if not self.qualified:
            return "enkel majoritet"
        basis = "de närvarande röstberättigade" if self.basis == "present" else "de avgivna rösterna"
        return f"kvalificerad majoritet, minst {self.fraction} av {basis}"


SIMPLE_MAJORITY = MajorityRule()
NO_MAJORITY = "none"


def outcome(
    yes: int, no: int, casting: str | None, *, rule: MajorityRule = SIMPLE_MAJORITY, present: int | None = None
) -> str:
    """ "yes", "no", or "none" (kvalificerad majoritet not reached by either side: no beslut).

    Enkel majoritet: a tie needs the chair's casting vote; otherwise the casting vote is ignored. Kvalificerad:
    `present` is the number of beslutande in the § (those who abstain count in the base); no casting vote.
    """
    if rule.qualified:
        needed = rule.required(present=present if present is not None else yes + no, yes=yes, no=no)
        if needed and yes >= needed:
            return "yes"
        if needed and no >= needed:
            return "no"
        return NO_MAJORITY
    if yes > no:
        return "yes"
    if no > yes:
        return "no"
    if casting in ("yes", "no"):
        return casting
    raise ValidationError({"casting_vote": CASTING_VOTE_REQUIRED}, code="casting_vote_required")


def is_tie(yes: int, no: int, *, rule: MajorityRule = SIMPLE_MAJORITY) -> bool:
    """A tie the utslagsröst decides: only under enkel majoritet."""
    return yes == no and not rule.qualified


def _count(number: int, singular: str, plural: str) -> str:
    return f"{number} {singular if number == 1 else plural}"


def count_text(yes: int, no: int, abstain: int = 0) -> str:
    """ "3 ja-röster mot 2 nej-röster", "1 ja-röst mot 1 nej-röst, 1 avstår"."""
    text = f"{_count(yes, 'ja-röst', 'ja-röster')} mot {_count(no, 'nej-röst', 'nej-röster')}"
    if abstain:
        text += f", {abstain} avstår"
    return text


def no_majority_text(rule: MajorityRule, *, present: int, yes: int, no: int) -> str:
    needed = rule.required(present=present, yes=yes, no=no)
    return f"Ingen av propositionerna fick {rule.text} ({needed} röster krävs). Inget beslut fattades i frågan."


# -- Beslutförhet ----------------------------------------------------------------------------------------------


def quorum_required(*, quorum: int | None, seats: int) -> int:
    """The smallest number of beslutande for a beslutfört organ: the committee's own figure, else more than half
    of its ledamöter (KL 6 kap. 27 §)."""
    if quorum:
        return quorum
    return seats // 2 + 1 if seats else 0


def quorum_warning(*, present: int, required: int, number: int | None = None) -> str:
    """A Swedish warning when fewer beslutande than needed are present ("" when beslutfört)."""
    if not required or present >= required:
        return ""
    where = f"I § {number} är" if number is not None else "Vid sammanträdet är"
    return (
        f"{where} {_count(present, 'beslutande', 'beslutande')} närvarande, men organet är beslutsfört först med "
        f"{required}. Kontrollera närvaron: beslut som fattas utan beslutförhet kan upphävas."
    )


def reserved_after_voting_for(dissents: Iterable[Any], votes: Iterable[Any]) -> list[str]:
    """Warnings for those who reserve against the beslut of a § although they voted for it.

    `votes` carry `result` ("yes" / "no", as minutes_selectors.annotate_vote sets it) and their ballots; a ja-röst
    in a votering that ended in bifall (or a nej-röst where nej won) is a vote for the beslut.
    """
    votes = list(votes)
    warnings = []
    for dissent in dissents:
        for vote in votes:
            result = getattr(vote, "result", "")
            ballot = next((b for b in vote.ballots.all() if b.person_id == dissent.person_id), None)
            if ballot is None or result not in ("yes", "no") or ballot.choice != result:
                continue
            said = "ja" if result == "yes" else "nej"
            warnings.append(
                f"{dissent.person.full_name} röstade {said} i votering {vote.position}, alltså för beslutet, och "
                "reserverar sig mot det. Kontrollera reservationen: den som röstat för ett beslut reserverar sig "
                "normalt inte mot det."
            )
            break
    return warnings
