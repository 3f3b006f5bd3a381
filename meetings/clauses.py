"""Att-satser and how the beslut of a § is written: pure functions, no queries.

`clause_errors` / `clean_clauses` are the one check of att-satser, with one message, used by the tjänsteskrivelse
(ärende), the agenda item, the standard agenda and the protokoll's §. `decision_text` turns a § (its
`decision_kind`, att-satser and `decision_note`) into the words the protokoll, the utdrag, the § page and the
anslagstavla print, so they never word a beslut differently.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.core.exceptions import ValidationError

CLAUSE_EXAMPLE = "”att godkänna dagordningen”"
CLAUSE_CODE = "not_att_clause"


def clause_message(number: int, text: str) -> str:
    """The one Swedish message for a line that is not an att-sats."""
    shown = text if len(text) <= 40 else text[:40] + "…"
    return f"Rad {number} börjar inte med ”att ”: ”{shown}”. Skriv en att-sats per rad, t.ex. {CLAUSE_EXAMPLE}."


def _lines(lines: Iterable[str] | str | None) -> list[str]:
    if lines is None:
        return []
    if isinstance(lines, str):
        return lines.splitlines()
    return [str(line) if line is not None else "" for line in lines]


def clause_errors(lines: Iterable[str] | str | None) -> list[str]:
    """A message for every line that is not an att-sats ("att …", a capital A accepted).

    Blank lines are skipped but keep their number, so "rad 3" is the third line the user sees in the textarea.
    """
    errors = []
    for number, line in enumerate(_lines(lines), start=1):
        text = " ".join(line.split())
        if text and not text.lower().startswith("att "):
            errors.append(clause_message(number, text))
    return errors


def clean_clauses(lines: Iterable[str] | str | None, *, field: str = "proposed_clauses") -> list[str]:
    """The att-satser, one per line, spaces tidied and blank lines dropped; raises ValidationError({field: …})."""
    errors = clause_errors(lines)
    if errors:
        raise ValidationError({field: errors}, code=CLAUSE_CODE)
    return [" ".join(line.split()) for line in _lines(lines) if line.strip()]


# ----------------------------------------------------------------------------------------------------------------
# How the beslut of a § reads
# ----------------------------------------------------------------------------------------------------------------

CLAUSES = "clauses"
AS_PROPOSED = "as_proposed"
NOTED = "noted"
REFERRED = "referred"
RETURNED = "returned"
TABLED = "tabled"
NONE = "none"

# Kinds whose beslut is the att-satser themselves (as_proposed repeats the förslag's att-satser after the formula).
KINDS_WITH_CLAUSES = (CLAUSES, AS_PROPOSED)


@dataclass(frozen=True)
class DecisionText:
    """The beslut as printed: a heading line ("Socialnämnden beslutar"), a sentence, att-satser and a note."""

    heading: str = ""
    sentence: str = ""
    clauses: tuple[str, ...] = ()
    note: str = ""

    def __bool__(self) -> bool:
        return bool(self.heading or self.sentence or self.clauses)

    @property
    def plain(self) -> str:
        """One line of text (search results, a list): the sentence or heading and the att-satser."""
        parts = [self.sentence or self.heading, *self.clauses, self.note]
        return " ".join(part for part in parts if part)


def _sentence(text: str) -> str:
    text = " ".join((text or "").split()).rstrip()
    return text if text.endswith((".", "!", "?")) else text + "."


def decision_text(*, kind: str, clauses: Iterable[str] = (), note: str = "", subject: str) -> DecisionText:
    """The words of a beslut. `subject` is the deciding organ as the protokoll names it ("Socialnämnden").

    The wording follows the seeds' protokoll: "Kommunstyrelsen beslutar enligt föreliggande förslag.",
    "Allmänna utskottet hänskjuter ärendet till kommunstyrelsen.", "… beslutar: att notera informationen".
    """
    clauses = tuple(str(c) for c in (clauses or ()) if str(c).strip())
    note = " ".join((note or "").split())
    subject = subject or "Organet"
    if kind == CLAUSES:
        return DecisionText(heading=f"{subject} beslutar", clauses=clauses) if clauses else DecisionText()
    if kind == AS_PROPOSED:
        return DecisionText(sentence=f"{subject} beslutar enligt förslaget.", clauses=clauses)
    if kind == NOTED:
        return DecisionText(sentence="Informationen noteras.")
    if kind == REFERRED:
        where = note.rstrip(".") if note else "annat organ"
        return DecisionText(sentence=f"{subject} hänskjuter ärendet till {where}.")
    if kind == RETURNED:
        return DecisionText(
            sentence=f"{subject} beslutar att återremittera ärendet.",
            note=f"Motivering: {_sentence(note)}" if note else "",
        )
    if kind == TABLED:
        return DecisionText(sentence=f"{subject} beslutar att bordlägga ärendet.", note=_sentence(note) if note else "")
    return DecisionText()


def paragraph_decision(paragraph, committee_name: str) -> DecisionText:
    """decision_text for a Paragraph (or a row with the same attributes)."""
    return decision_text(
        kind=getattr(paragraph, "decision_kind", CLAUSES) or CLAUSES,
        clauses=getattr(paragraph, "decision_clauses", None) or (),
        note=getattr(paragraph, "decision_note", "") or "",
        subject=committee_name,
    )


def decision_kind_errors(*, kind: str, clauses: list[str], note: str) -> dict[str, str]:
    """What a § of this kind must and must not hold; field → Swedish message."""
    from .models import Paragraph

    errors = {}
    labels = dict(Paragraph.DecisionKind.choices)
    if kind not in labels:
        return {"decision_kind": "Välj typ av beslut i listan."}
    if kind not in KINDS_WITH_CLAUSES and clauses:
        errors["decision_clauses"] = (
            f"Typen ”{labels[kind]}” har inga att-satser: töm rutan Beslut, eller välj ”{labels[CLAUSES]}” "
            f"eller ”{labels[AS_PROPOSED]}”."
        )
    if kind == REFERRED and not note.strip():
        errors["decision_note"] = "Ange vart ärendet hänskjuts, t.ex. ”kommunstyrelsen”."
    return errors
