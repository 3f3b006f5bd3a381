"""Reads for core: always scoped to an organisation, with their joins done up front."""

from django.db.models import Case, Count, Exists, IntegerField, OuterRef, Prefetch, Q, QuerySet, Value, When

from meetings.models import Committee, Membership

from .models import FederationMember, Organisation, Person, Role, RoleAssignment, User


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
    counts = dict(
        RoleAssignment.objects.for_organisation(organisation)
        .values_list("role")
        .annotate(n=Count("user", distinct=True))
        .values_list("role", "n")
    )
    return [(role.label, counts.get(role.value, 0)) for role in Role]


# Users ----------------------------------------------------------------------------------------------------

_ROLE_ORDER = Case(
    *(When(role=role, then=Value(index)) for index, role in enumerate(Role.values)), output_field=IntegerField()
)


def organisation_users(*, organisation: Organisation) -> QuerySet[User]:
    """The users holding at least one role in the organisation.

    Each user carries `current_roles` (their RoleAssignments here, in role order) and `is_shared` (True when
    the account also has a role in another organisation, so that only its roles may be changed here).
    """
    here = RoleAssignment.objects.filter(organisation=organisation)
    elsewhere = RoleAssignment.objects.filter(user=OuterRef("pk")).exclude(organisation=organisation)
    return (
        User.objects.filter(pk__in=here.values("user_id"))
        .annotate(is_shared=Exists(elsewhere))
        .prefetch_related(Prefetch("role_assignments", queryset=here.order_by(_ROLE_ORDER), to_attr="current_roles"))
        .order_by("last_name", "first_name", "username")
    )


def organisation_user_ids(*, organisation: Organisation) -> QuerySet:
    """A subquery of the ids of the users with a role in the organisation."""
    return RoleAssignment.objects.filter(organisation=organisation).values("user_id")


def user_roles(*, organisation: Organisation, user: User) -> list[str]:
    """The user's role values in the organisation, in role order."""
    held = set(RoleAssignment.objects.filter(organisation=organisation, user=user).values_list("role", flat=True))
    return [role for role in Role.values if role in held]


def users_addable(*, organisation: Organisation, actor: User) -> QuerySet[User]:
    """Active accounts the actor administers in another organisation that have no role here yet."""
    administered = RoleAssignment.objects.filter(user=actor, role=Role.ADMIN).values("organisation")
    in_administered = RoleAssignment.objects.filter(organisation__in=administered).values("user_id")
    return (
        User.objects.filter(pk__in=in_administered, is_active=True)
        .exclude(pk__in=organisation_user_ids(organisation=organisation))
        .order_by("last_name", "first_name", "username")
    )
