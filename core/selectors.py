"""Reads for core: always scoped to an organisation, with their joins done up front."""

from django.db.models import Count, Prefetch, Q, QuerySet

from meetings.models import Committee, Membership

from .models import FederationMember, Organisation, Person, RoleAssignment


def organisation_members(*, organisation: Organisation) -> QuerySet[FederationMember]:
    return FederationMember.objects.for_organisation(organisation).select_related("member")


def organisation_people(*, organisation: Organisation) -> QuerySet[Person]:
    return Person.objects.for_organisation(organisation).select_related("user")


def organisation_roles(*, organisation: Organisation) -> QuerySet[RoleAssignment]:
    return (
        RoleAssignment.objects.for_organisation(organisation)
        .select_related("user")
        .order_by("role", "user__last_name", "user__first_name")
    )


def committees_with_members(*, organisation: Organisation, on) -> QuerySet[Committee]:
    """Committees with the memberships in force on the given day, in seat order."""
    memberships = (
        Membership.objects.on(on)
        .select_related("person", "represents", "personal_substitute_for__person")
        .order_by("substitute_order", "person__last_name", "person__first_name")
    )
    in_force = Q(memberships__starts_on__lte=on) & (
        Q(memberships__ends_on__isnull=True) | Q(memberships__ends_on__gte=on)
    )
    substitute = Q(memberships__role=Membership.Role.SUBSTITUTE)
    return (
        Committee.objects.for_organisation(organisation)
        .filter(is_active=True)
        .annotate(
            seat_count=Count("memberships", filter=in_force & ~substitute),
            substitute_count=Count("memberships", filter=in_force & substitute),
        )
        .prefetch_related(Prefetch("memberships", queryset=memberships, to_attr="current_memberships"))
        .order_by("kind", "name")
    )


def role_counts(*, organisation: Organisation) -> list[tuple[str, int]]:
    """(role label, number of users) for every role, zero included, in role order."""
    from .models import Role

    counts = dict(
        RoleAssignment.objects.for_organisation(organisation)
        .values_list("role")
        .annotate(n=Count("user", distinct=True))
        .values_list("role", "n")
    )
    return [(role.label, counts.get(role.value, 0)) for role in Role]
