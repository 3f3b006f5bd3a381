"""Writes for committees (organ), their memberships (uppdrag) and the committee's standard agenda.

Every service is keyword-only, owns its transaction and sets `_history_user = actor` on each row it saves, so
django-simple-history attributes the change. Memberships are never deleted: a change (avgång, fyllnadsval, new
ersättarordning) ends one row the day before and starts another, so `Membership.objects.on(day)` gives the
committee exactly as it was composed on any past day.

Services validate everything themselves and raise ValidationError with Swedish messages keyed by field, so a
view can show them on the form that was posted. Services work on freshly locked rows, never on the caller's
instances, so a refused change leaves nothing half-applied in memory either.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Literal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max, Q

from core.formatting import format_date
from core.models import FederationMember, Organisation, Person, User

from .clauses import clean_clauses
from .models import AgendaItemKind, AgendaTemplateItem, Committee, Membership

ONE_DAY = dt.timedelta(days=1)

# Messages ---------------------------------------------------------------------------------------------------

SHORT_NAME_REQUIRED = "Ange en förkortning, t.ex. KS eller SN."
SHORT_NAME_TAKEN = "Förkortningen {short_name} används redan av {name}. Välj en annan förkortning."
PARENT_OTHER_ORGANISATION = "Välj ett organ i den egna organisationen."
PARENT_CYCLE = "Ett organ kan inte tillhöra sig självt eller något av sina egna utskott."

PERSON_MISSING = "Välj en person i listan eller skriv in för- och efternamn på en ny person."
PERSON_BOTH = "Välj antingen en befintlig person eller skriv in en ny, inte båda."
PERSON_OTHER_ORGANISATION = "Välj en person i den egna organisationen."
UNKNOWN_ROLE = "Välj en roll i listan."
ENDS_BEFORE_STARTS = "Slutdatumet kan inte vara före startdatumet."
OVERLAP = "{person} har redan ett uppdrag i {committee} under samma tid ({period})."
SECOND_CHAIR = "{committee} har redan {role} under samma tid: {person} ({period})."
ORDER_ONLY_FOR_SUBSTITUTES = "Ersättarordning anges bara för ersättare."
ORDER_POSITIVE = "Ersättarordningen börjar på 1."
PERSONAL_ONLY_FOR_SUBSTITUTES = "Bara en ersättare kan vara personlig ersättare för en ledamot."
PERSONAL_FOR_SUBSTITUTE = "En personlig ersättare ersätter en ledamot, inte en annan ersättare."
PERSONAL_OTHER_COMMITTEE = "En personlig ersättare ersätter en ledamot i samma organ."
PERSONAL_NOT_IN_FORCE = "{person} har inget uppdrag i organet den {day}, då ersättaruppdraget börjar."
PERSONAL_REQUIRED = (
    "I {committee} tjänstgör ersättare bara för sin egen ledamot. Välj vilken ledamot ersättaren ersätter."
)
REPRESENTS_NOT_FEDERATION = "Bara ledamöter i ett samordningsförbund företräder en medlemsorganisation."
REPRESENTS_NOT_MEMBER = "{member} är inte medlem i förbundet."

ALREADY_ENDED = "Uppdraget upphörde redan {day}. Lägg till ett nytt uppdrag i stället."
REPLACE_TOO_EARLY = "Efterträdaren kan börja tidigast dagen efter att uppdraget började ({day})."
REPLACE_SAME_PERSON = "Välj en annan person än den som lämnar uppdraget."

ORDER_STALE = "Ersättarna i organet har ändrats sedan sidan visades. Ladda om sidan och försök igen."
ORDER_UNIQUE = "Varje ersättare måste ha ett eget nummer (1, 2, 3 …)."
ORDER_MISSING = "Ange ett nummer (1 eller högre) för varje ersättare."

TITLE_REQUIRED = "Ange en rubrik."
UNKNOWN_KIND = "Välj en typ i listan."

# The standard agenda (DOMAIN.md, "Kallelse + föredragningslista"): title, kind, proposed att-clauses.
DEFAULT_AGENDA: list[tuple[str, str, list[str]]] = [
    ("Mötets öppnande", AgendaItemKind.STANDARD, []),
    ("Upprop och närvaro", AgendaItemKind.STANDARD, []),
    ("Val av justerare", AgendaItemKind.STANDARD, ["att utse … att jämte ordföranden justera protokollet"]),
    ("Godkännande av dagordning", AgendaItemKind.STANDARD, ["att godkänna dagordningen"]),
    ("Föregående protokoll", AgendaItemKind.STANDARD, []),
    ("Anmälan om extra ärenden", AgendaItemKind.STANDARD, []),
    ("Delegationsbeslut", AgendaItemKind.DELEGATED_DECISIONS, []),
    ("Meddelanden", AgendaItemKind.COMMUNICATIONS, []),
    ("Information", AgendaItemKind.INFORMATION, []),
    ("Övriga frågor", AgendaItemKind.OTHER, []),
]


def _save(obj, actor: User, *, reason: str = "") -> None:
    obj._history_user = actor
    if reason:
        obj._change_reason = reason
    obj.save()


def _lock_committee(committee: Committee) -> Committee:
    """The committee row, locked: membership and agenda changes in one committee happen one at a time."""
    return Committee.objects.select_for_update(of=("self",)).select_related("organisation").get(pk=committee.pk)


def period_text(starts_on: dt.date, ends_on: dt.date | None) -> str:
    return f"{format_date(starts_on)} – {format_date(ends_on)}" if ends_on else f"från {format_date(starts_on)}"


# Committees -------------------------------------------------------------------------------------------------


def _clean_committee(
    *, organisation: Organisation, committee: Committee | None, short_name: str, parent: Committee | None
) -> str:
    errors: dict[str, str] = {}
    short_name = (short_name or "").strip()
    if not short_name:
        errors["short_name"] = SHORT_NAME_REQUIRED
    else:
        clash = Committee.objects.for_organisation(organisation).filter(short_name__iexact=short_name)
        if committee is not None:
            clash = clash.exclude(pk=committee.pk)
        other = clash.first()
        if other is not None:
            errors["short_name"] = SHORT_NAME_TAKEN.format(short_name=short_name, name=other.name)
    if parent is not None:
        if parent.organisation_id != organisation.pk:
            errors["parent"] = PARENT_OTHER_ORGANISATION
        elif committee is not None and committee.pk in _ancestor_ids(parent):
            errors["parent"] = PARENT_CYCLE
    if errors:
        raise ValidationError(errors)
    return short_name


def _ancestor_ids(committee: Committee) -> set[int]:
    """The committee's own id and those of every committee above it."""
    seen: set[int] = set()
    current: int | None = committee.pk
    while current is not None and current not in seen:
        seen.add(current)
        current = Committee.objects.filter(pk=current).values_list("parent_id", flat=True).first()
    return seen


def _set_decision_rules(committee: Committee, rule: str, fraction: str, basis: str, quorum: int | None) -> None:
    """Majoritetskrav and beslutförhet (docs/decisions/0009); None as quorum means more than half the ledamöter."""
    errors = {}
    if rule not in Committee.MajorityRule.values:
        errors["majority_rule"] = "Välj enkel eller kvalificerad majoritet."
    if fraction not in Committee.MajorityFraction.values:
        errors["majority_fraction"] = "Välj andelen för kvalificerad majoritet i listan."
    if basis not in Committee.MajorityBasis.values:
        errors["majority_basis"] = "Välj beräkningsgrunden i listan."
    if quorum is not None and quorum < 1:
        errors["quorum"] = "Beslutförheten är minst 1."
    if errors:
        raise ValidationError(errors)
    committee.majority_rule = rule
    committee.majority_fraction = fraction
    committee.majority_basis = basis
    committee.quorum = quorum


def _save_committee(committee: Committee, actor: User) -> None:
    try:
        with transaction.atomic():
            _save(committee, actor)
    except IntegrityError as exc:  # two people saving the same short name at the same moment
        raise ValidationError(
            {"short_name": SHORT_NAME_TAKEN.format(short_name=committee.short_name, name="ett annat organ")}
        ) from exc


@transaction.atomic
def committee_create(
    *,
    organisation: Organisation,
    actor: User,
    name: str,
    short_name: str,
    kind: str,
    parent: Committee | None = None,
    meetings_public: bool = False,
    personal_substitutes_only: bool = False,
    is_active: bool = True,
    majority_rule: str = Committee.MajorityRule.SIMPLE,
    majority_fraction: str = Committee.MajorityFraction.TWO_THIRDS,
    majority_basis: str = Committee.MajorityBasis.PRESENT,
    quorum: int | None = None,
) -> Committee:
    short_name = _clean_committee(organisation=organisation, committee=None, short_name=short_name, parent=parent)
    committee = Committee(
        organisation=organisation,
        name=name.strip(),
        short_name=short_name,
        kind=kind,
        parent=parent,
        meetings_public=meetings_public,
        personal_substitutes_only=personal_substitutes_only,
        is_active=is_active,
    )
    _set_decision_rules(committee, majority_rule, majority_fraction, majority_basis, quorum)
    _save_committee(committee, actor)
    return committee


@transaction.atomic
def committee_update(
    *,
    committee: Committee,
    actor: User,
    name: str,
    short_name: str,
    kind: str,
    parent: Committee | None = None,
    meetings_public: bool = False,
    personal_substitutes_only: bool = False,
    is_active: bool = True,
    majority_rule: str | None = None,
    majority_fraction: str | None = None,
    majority_basis: str | None = None,
    quorum: int | object | None = ...,
) -> Committee:
    """Change a committee. It is never deleted: `is_active=False` takes it out of use and keeps its history."""
    committee = _lock_committee(committee)
    short_name = _clean_committee(
        organisation=committee.organisation, committee=committee, short_name=short_name, parent=parent
    )
    committee.name = name.strip()
    committee.short_name = short_name
    committee.kind = kind
    committee.parent = parent
    committee.meetings_public = meetings_public
    committee.personal_substitutes_only = personal_substitutes_only
    committee.is_active = is_active
    _set_decision_rules(
        committee,
        majority_rule or committee.majority_rule,
        majority_fraction or committee.majority_fraction,
        majority_basis or committee.majority_basis,
        committee.quorum if quorum is ... else quorum,
    )
    _save_committee(committee, actor)
    return committee


# Memberships ------------------------------------------------------------------------------------------------


def _overlapping(queryset, starts_on: dt.date, ends_on: dt.date | None):
    queryset = queryset.filter(Q(ends_on__isnull=True) | Q(ends_on__gte=starts_on))
    return queryset.filter(starts_on__lte=ends_on) if ends_on else queryset


def _in_force(membership: Membership, day: dt.date) -> bool:
    return membership.starts_on <= day and (membership.ends_on is None or membership.ends_on >= day)


def validate_membership(membership: Membership, *, check_links: bool = True) -> None:
    """The rules a membership row must keep, checked against the committee's other rows in the database.

    The period rules (dates, one seat per person, one ordförande and one vice ordförande at a time) always apply.
    `check_links=False` leaves out the rules on role, ersättarordning, personal ersättare and represented member:
    ending a seat or continuing it after a fyllnadsval copies those from a row that already exists, which must
    stay possible even when the row predates a rule (e.g. a committee later set to personal ersättare only).
    """
    errors: dict[str, list[str]] = {}

    def add(field: str, message: str) -> None:
        errors.setdefault(field, []).append(message)

    committee = membership.committee
    organisation = committee.organisation
    Role = Membership.Role
    if membership.role not in Role.values:
        add("role", UNKNOWN_ROLE)
    if membership.person.organisation_id != organisation.pk:
        add("person", PERSON_OTHER_ORGANISATION)
    period_ok = membership.ends_on is None or membership.ends_on >= membership.starts_on
    if not period_ok:
        add("ends_on", ENDS_BEFORE_STARTS)

    if not check_links:
        pass
    elif membership.role == Role.SUBSTITUTE:
        if membership.substitute_order is not None and membership.substitute_order < 1:
            add("substitute_order", ORDER_POSITIVE)
        target = membership.personal_substitute_for
        if target is not None:
            if target.committee_id != committee.pk:
                add("personal_substitute_for", PERSONAL_OTHER_COMMITTEE)
            elif target.role == Role.SUBSTITUTE:
                add("personal_substitute_for", PERSONAL_FOR_SUBSTITUTE)
            elif not _in_force(target, membership.starts_on):
                add(
                    "personal_substitute_for",
                    PERSONAL_NOT_IN_FORCE.format(person=target.person, day=format_date(membership.starts_on)),
                )
        elif committee.personal_substitutes_only:
            add("personal_substitute_for", PERSONAL_REQUIRED.format(committee=committee))
    else:
        if membership.substitute_order is not None:
            add("substitute_order", ORDER_ONLY_FOR_SUBSTITUTES)
        if membership.personal_substitute_for_id is not None:
            add("personal_substitute_for", PERSONAL_ONLY_FOR_SUBSTITUTES)

    if check_links and membership.represents_id is not None:
        if organisation.kind != Organisation.Kind.FEDERATION:
            add("represents", REPRESENTS_NOT_FEDERATION)
        elif not FederationMember.objects.filter(federation=organisation, member_id=membership.represents_id).exists():
            add("represents", REPRESENTS_NOT_MEMBER.format(member=membership.represents))

    if period_ok:
        others = _overlapping(
            Membership.objects.filter(committee=committee).exclude(pk=membership.pk).select_related("person"),
            membership.starts_on,
            membership.ends_on,
        )
        clash = others.filter(person=membership.person).first()
        if clash is not None:
            period = period_text(clash.starts_on, clash.ends_on)
            add("person", OVERLAP.format(person=membership.person, committee=committee, period=period))
        if membership.role in (Role.CHAIR, Role.VICE_CHAIR):
            clash = others.filter(role=membership.role).exclude(person=membership.person).first()
            if clash is not None:
                role = "en ordförande" if membership.role == Role.CHAIR else "en vice ordförande"
                add(
                    "role",
                    SECOND_CHAIR.format(
                        committee=committee,
                        role=role,
                        person=clash.person,
                        period=period_text(clash.starts_on, clash.ends_on),
                    ),
                )
    if errors:
        raise ValidationError(errors)


def _person(
    *, organisation: Organisation, actor: User, person: Person | None, first_name: str, last_name: str
) -> Person:
    """The chosen person, or a new one of the organisation created from the names typed."""
    first_name, last_name = (first_name or "").strip(), (last_name or "").strip()
    if person is not None:
        if first_name or last_name:
            raise ValidationError({"person": PERSON_BOTH})
        if person.organisation_id != organisation.pk:
            raise ValidationError({"person": PERSON_OTHER_ORGANISATION})
        return person
    if not (first_name and last_name):
        raise ValidationError({"person": PERSON_MISSING})
    created = Person(organisation=organisation, first_name=first_name, last_name=last_name)
    _save(created, actor)
    return created


def _next_substitute_order(committee: Committee, day: dt.date) -> int:
    current = (
        Membership.objects.filter(committee=committee, role=Membership.Role.SUBSTITUTE)
        .on(day)
        .aggregate(n=Max("substitute_order"))["n"]
    )
    return (current or 0) + 1


@transaction.atomic
def membership_add(
    *,
    committee: Committee,
    actor: User,
    role: str,
    starts_on: dt.date,
    person: Person | None = None,
    first_name: str = "",
    last_name: str = "",
    party: str = "",
    represents: Organisation | None = None,
    personal_substitute_for: Membership | None = None,
    substitute_order: int | None = None,
    ends_on: dt.date | None = None,
    note: str = "",
) -> Membership:
    """A new seat: `person` from the organisation's people, or a new person from `first_name`/`last_name`.

    A substitute without `substitute_order` is placed last among the substitutes in force on `starts_on`.
    """
    committee = _lock_committee(committee)
    person = _person(
        organisation=committee.organisation, actor=actor, person=person, first_name=first_name, last_name=last_name
    )
    if role == Membership.Role.SUBSTITUTE and substitute_order is None:
        substitute_order = _next_substitute_order(committee, starts_on)
    membership = Membership(
        committee=committee,
        person=person,
        role=role,
        party=(party or "").strip(),
        represents=represents,
        personal_substitute_for=personal_substitute_for,
        substitute_order=substitute_order,
        starts_on=starts_on,
        ends_on=ends_on,
        note=(note or "").strip(),
    )
    validate_membership(membership)
    _save(membership, actor)
    return membership


def _locked_membership(membership: Membership) -> Membership:
    return (
        Membership.objects.select_for_update(of=("self",))
        .select_related("committee__organisation", "person", "personal_substitute_for__person", "represents")
        .get(pk=membership.pk)
    )


@transaction.atomic
def membership_end(*, membership: Membership, actor: User, ends_on: dt.date) -> Membership:
    """The last day of a seat (avgång, entledigande). The row stays: the past remains reproducible."""
    _lock_committee(membership.committee)
    membership = _locked_membership(membership)
    membership.ends_on = ends_on
    validate_membership(membership, check_links=False)
    _save(membership, actor, reason=f"Avslutat {format_date(ends_on)}")
    return membership


def _split(membership: Membership, *, actor: User, day: dt.date, note: str, **changes) -> Membership:
    """End `membership` the day before `day` and start an equal row from `day` with `changes` applied.

    A row that starts on `day` itself (or later) is changed in place instead.
    """
    if membership.starts_on >= day:
        for field, value in changes.items():
            setattr(membership, field, value)
        _save(membership, actor, reason=note)
        return membership
    successor = Membership(
        committee_id=membership.committee_id,
        person_id=membership.person_id,
        role=membership.role,
        party=membership.party,
        represents_id=membership.represents_id,
        personal_substitute_for_id=membership.personal_substitute_for_id,
        substitute_order=membership.substitute_order,
        starts_on=day,
        ends_on=membership.ends_on,
        note=note[:200],
    )
    for field, value in changes.items():
        setattr(successor, field, value)
    membership.ends_on = day - ONE_DAY
    _save(membership, actor, reason=note)
    _save(successor, actor)
    return successor


@transaction.atomic
def membership_replace(
    *,
    membership: Membership,
    actor: User,
    starts_on: dt.date,
    person: Person | None = None,
    first_name: str = "",
    last_name: str = "",
) -> Membership:
    """Fyllnadsval: `membership` ends the day before `starts_on`, and the successor takes over the seat.

    The successor gets the same role, party, represented member, substitute order, personal-substitute link
    (when that ledamot still sits on `starts_on`) and end of term; the personal ersättare of the old seat serve
    the new one from `starts_on`. Their earlier rows are kept as they were, so the list on a day before the
    fyllnadsval is unchanged.
    """
    committee = _lock_committee(membership.committee)
    old = _locked_membership(membership)
    if old.ends_on is not None and old.ends_on < starts_on:
        raise ValidationError({"starts_on": ALREADY_ENDED.format(day=format_date(old.ends_on))})
    if starts_on <= old.starts_on:
        raise ValidationError({"starts_on": REPLACE_TOO_EARLY.format(day=format_date(old.starts_on))})
    successor_person = _person(
        organisation=committee.organisation, actor=actor, person=person, first_name=first_name, last_name=last_name
    )
    if successor_person.pk == old.person_id:
        raise ValidationError({"person": REPLACE_SAME_PERSON})

    note = f"Fyllnadsval {format_date(starts_on)}"
    target = old.personal_substitute_for
    personal_for = target if target is not None and _in_force(target, starts_on) else None
    term_end = old.ends_on
    old.ends_on = starts_on - ONE_DAY
    _save(old, actor, reason=note)
    successor = Membership(
        committee=committee,
        person=successor_person,
        role=old.role,
        party=old.party,
        represents=old.represents,
        personal_substitute_for=personal_for,
        substitute_order=old.substitute_order,
        starts_on=starts_on,
        ends_on=term_end,
        note=note,
    )
    validate_membership(successor, check_links=False)
    _save(successor, actor)

    substitutes = _overlapping(
        Membership.objects.select_for_update().filter(personal_substitute_for=old), starts_on, None
    )
    for substitute in substitutes.order_by("pk"):
        _split(
            substitute,
            actor=actor,
            day=starts_on,
            note=f"{note}: personlig ersättare för {successor_person}",
            personal_substitute_for=successor,
        )
    return successor


@transaction.atomic
def substitute_order_change(
    *, committee: Committee, actor: User, on: dt.date, orders: Mapping[int, int | None]
) -> list[Membership]:
    """A new ersättarordning from `on`: `orders` maps each substitute in force that day (membership id) to its
    number. Rows whose number changes end the day before and continue with the new number, so the order on
    earlier days stays as it was."""
    committee = _lock_committee(committee)
    substitutes = list(
        Membership.objects.select_for_update()
        .filter(committee=committee, role=Membership.Role.SUBSTITUTE)
        .on(on)
        .order_by("substitute_order", "pk")
    )
    if {substitute.pk for substitute in substitutes} != set(orders):
        raise ValidationError(ORDER_STALE)
    values = list(orders.values())
    if any(value is None or value < 1 for value in values):
        raise ValidationError(ORDER_MISSING)
    if len(set(values)) != len(values):
        raise ValidationError(ORDER_UNIQUE)
    note = f"Ändrad ersättarordning {format_date(on)}"
    result = []
    for substitute in substitutes:
        new_order = orders[substitute.pk]
        if substitute.substitute_order != new_order:
            substitute = _split(substitute, actor=actor, day=on, note=note, substitute_order=new_order)
        result.append(substitute)
    return sorted(result, key=lambda substitute: substitute.substitute_order)


# Standard agenda --------------------------------------------------------------------------------------------


def _clean_item(*, title: str, kind: str, proposed_clauses: Iterable[str]) -> tuple[str, list[str]]:
    errors = {}
    title = (title or "").strip()
    if not title:
        errors["title"] = TITLE_REQUIRED
    if kind not in AgendaItemKind.values:
        errors["kind"] = UNKNOWN_KIND
    if errors:
        raise ValidationError(errors)
    return title, clean_clauses(proposed_clauses, field="proposed_clauses")


def _next_position(committee: Committee) -> int:
    return (AgendaTemplateItem.objects.filter(committee=committee).aggregate(n=Max("position"))["n"] or 0) + 1


@transaction.atomic
def agenda_template_item_add(
    *,
    committee: Committee,
    actor: User,
    title: str,
    kind: str = AgendaItemKind.STANDARD,
    description: str = "",
    proposed_clauses: Iterable[str] = (),
) -> AgendaTemplateItem:
    """A new standard item, placed last."""
    committee = _lock_committee(committee)
    title, clauses = _clean_item(title=title, kind=kind, proposed_clauses=proposed_clauses)
    item = AgendaTemplateItem(
        committee=committee,
        position=_next_position(committee),
        title=title,
        kind=kind,
        description=(description or "").strip(),
        proposed_clauses=clauses,
    )
    _save(item, actor)
    return item


@transaction.atomic
def agenda_template_item_update(
    *,
    item: AgendaTemplateItem,
    actor: User,
    title: str,
    kind: str,
    description: str = "",
    proposed_clauses: Iterable[str] = (),
) -> AgendaTemplateItem:
    title, clauses = _clean_item(title=title, kind=kind, proposed_clauses=proposed_clauses)
    item = AgendaTemplateItem.objects.select_for_update().get(pk=item.pk)
    item.title = title
    item.kind = kind
    item.description = (description or "").strip()
    item.proposed_clauses = clauses
    _save(item, actor)
    return item


@transaction.atomic
def agenda_template_item_set_active(*, item: AgendaTemplateItem, actor: User, is_active: bool) -> AgendaTemplateItem:
    """Take a standard item out of use (or back). It is never deleted, so its history stays readable."""
    item = AgendaTemplateItem.objects.select_for_update().get(pk=item.pk)
    if item.is_active != is_active:
        item.is_active = is_active
        _save(item, actor)
    return item


@transaction.atomic
def agenda_template_item_move(*, item: AgendaTemplateItem, actor: User, direction: Literal["up", "down"]) -> bool:
    """Swap the item with its neighbour above or below. False when it is already first or last.

    Positions are renumbered 1, 2, 3 … on the way, so gaps or duplicates left by older data disappear.
    """
    if direction not in ("up", "down"):
        raise ValueError(direction)
    committee = _lock_committee(item.committee)
    items = list(AgendaTemplateItem.objects.filter(committee=committee).order_by("position", "pk"))
    index = next(i for i, candidate in enumerate(items) if candidate.pk == item.pk)
    target = index - 1 if direction == "up" else index + 1
    if not 0 <= target < len(items):
        return False
    items[index], items[target] = items[target], items[index]
    for position, candidate in enumerate(items, start=1):
        if candidate.position != position:
            candidate.position = position
            _save(candidate, actor)
    return True


@transaction.atomic
def agenda_template_seed_defaults(*, committee: Committee, actor: User) -> list[AgendaTemplateItem]:
    """Fill an empty standard agenda with the usual items. Does nothing when the committee has items already
    (also inactive ones), so pressing the button twice never doubles the list."""
    committee = _lock_committee(committee)
    if AgendaTemplateItem.objects.filter(committee=committee).exists():
        return []
    created = []
    for position, (title, kind, clauses) in enumerate(DEFAULT_AGENDA, start=1):
        item = AgendaTemplateItem(
            committee=committee, position=position, title=title, kind=kind, proposed_clauses=list(clauses)
        )
        _save(item, actor)
        created.append(item)
    return created
