"""Reads for committees, memberships and the standard agenda. Every selector takes the organisation (or an
object already fetched through it) and does its joins up front, so the number of queries does not grow with
the number of seats shown."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Case, Count, IntegerField, Q, QuerySet, Value, When

from core.models import Organisation, Person

from .models import AgendaTemplateItem, Committee, Membership

KIND_ORDER = {kind: index for index, kind in enumerate(Committee.Kind.values)}

_SEAT_ORDER = Case(
    *(When(role=role, then=Value(rank)) for role, rank in Membership.ROLE_ORDER.items()),
    output_field=IntegerField(),
)


@dataclass(frozen=True)
class CommitteeRow:
    committee: Committee
    depth: int  # 0 for a top-level organ, 1 for its utskott, …


def organisation_committees(*, organisation: Organisation) -> QuerySet[Committee]:
    return Committee.objects.for_organisation(organisation).select_related("parent")


def committee_list(*, organisation: Organisation, on: dt.date) -> list[CommitteeRow]:
    """All committees (inactive ones too), each followed by its utskott, with the seats in force on `on`
    counted: `seat_count` (ordförande, vice ordförande, ledamöter) and `substitute_count`. One query."""
    in_force = Q(memberships__starts_on__lte=on) & (
        Q(memberships__ends_on__isnull=True) | Q(memberships__ends_on__gte=on)
    )
    substitute = Q(memberships__role=Membership.Role.SUBSTITUTE)
    committees = list(
        Committee.objects.for_organisation(organisation).annotate(
            seat_count=Count("memberships", filter=in_force & ~substitute),
            substitute_count=Count("memberships", filter=in_force & substitute),
        )
    )
    return committee_tree(committees)


def committee_tree(committees: list[Committee]) -> list[CommitteeRow]:
    """Top-level committees by kind and name, each directly followed by the committees under it."""
    by_id = {committee.pk: committee for committee in committees}
    children: dict[int | None, list[Committee]] = {}
    for committee in committees:
        parent = committee.parent_id if committee.parent_id in by_id else None
        children.setdefault(parent, []).append(committee)
    for siblings in children.values():
        siblings.sort(key=lambda c: (not c.is_active, KIND_ORDER.get(c.kind, 99), c.name.lower()))

    rows: list[CommitteeRow] = []
    seen: set[int] = set()

    def visit(parent: int | None, depth: int) -> None:
        for committee in children.get(parent, []):
            if committee.pk in seen:
                continue
            seen.add(committee.pk)
            rows.append(CommitteeRow(committee, depth))
            visit(committee.pk, depth + 1)

    visit(None, 0)
    # A cycle in old data would hide committees; show them at the top level instead.
    rows.extend(CommitteeRow(c, 0) for c in committees if c.pk not in seen)
    return rows


def subcommittees(*, committee: Committee) -> QuerySet[Committee]:
    return Committee.objects.filter(parent=committee).order_by("name")


def committee_memberships(*, committee: Committee) -> QuerySet[Membership]:
    return Membership.objects.filter(committee=committee).select_related(
        "person", "represents", "personal_substitute_for__person"
    )


def committee_seats(*, committee: Committee, on: dt.date) -> QuerySet[Membership]:
    """The memberships in force on `on`, in seat order: ordförande, vice ordförande, ledamöter, then the
    ersättare in their order."""
    return (
        committee_memberships(committee=committee)
        .on(on)
        .annotate(seat_rank=_SEAT_ORDER)
        .order_by("seat_rank", "substitute_order", "person__last_name", "person__first_name", "pk")
    )


def committee_ended_memberships(*, committee: Committee, on: dt.date) -> QuerySet[Membership]:
    """Memberships that had ended before `on` ("Tidigare uppdrag"), the most recently ended first."""
    return (
        committee_memberships(committee=committee)
        .filter(ends_on__lt=on)
        .order_by("-ends_on", "person__last_name", "person__first_name", "pk")
    )


def committee_upcoming_memberships(*, committee: Committee, on: dt.date) -> QuerySet[Membership]:
    """Memberships that start after `on` (e.g. a fyllnadsval decided ahead)."""
    return (
        committee_memberships(committee=committee)
        .filter(starts_on__gt=on)
        .annotate(seat_rank=_SEAT_ORDER)
        .order_by("starts_on", "seat_rank", "substitute_order", "pk")
    )


def committee_substitutes(*, committee: Committee, on: dt.date) -> QuerySet[Membership]:
    return committee_seats(committee=committee, on=on).filter(role=Membership.Role.SUBSTITUTE)


def personal_substitute_targets(*, committee: Committee) -> QuerySet[Membership]:
    """Seats a personal ersättare may stand in for: the committee's non-substitute seats, newest first."""
    return (
        Membership.objects.filter(committee=committee)
        .exclude(role=Membership.Role.SUBSTITUTE)
        .select_related("person")
        .order_by("-starts_on", "person__last_name", "person__first_name")
    )


def organisation_people(*, organisation: Organisation) -> QuerySet[Person]:
    return Person.objects.for_organisation(organisation).order_by("last_name", "first_name", "pk")


def federation_members(*, organisation: Organisation) -> QuerySet[Organisation]:
    """The member organisations a ledamot may represent; none unless the organisation is a federation."""
    if organisation.kind != Organisation.Kind.FEDERATION:
        return Organisation.objects.none()
    return Organisation.objects.filter(federation_links__federation=organisation).order_by("name")


def agenda_template(*, committee: Committee) -> QuerySet[AgendaTemplateItem]:
    return AgendaTemplateItem.objects.filter(committee=committee).order_by("position", "pk")
