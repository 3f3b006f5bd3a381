"""The one place that scopes data to the current organisation.

Every domain model uses OrganisationScopedQuerySet and names the path from itself to its organisation
(`organisation_path`, default "organisation"). Views fetch objects only through `scoped_get_or_404`, so an
object of another organisation answers 404 and never confirms that it exists.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db import models
from django.http import Http404, HttpRequest

if TYPE_CHECKING:
    from .models import Organisation

SESSION_KEY = "current_organisation_id"


class OrganisationScopedQuerySet(models.QuerySet):
    def for_organisation(self, organisation: Organisation | int | None) -> models.QuerySet:
        if organisation is None:
            return self.none()
        path = getattr(self.model, "organisation_path", "organisation")
        return self.filter(**{path: organisation})


def scoped_queryset(request: HttpRequest, model_or_queryset: Any) -> models.QuerySet:
    queryset = model_or_queryset._default_manager.all() if isinstance(model_or_queryset, type) else model_or_queryset
    return queryset.for_organisation(getattr(request, "organisation", None))


def scoped_get_or_404(request: HttpRequest, model_or_queryset: Any, **lookup: Any) -> Any:
    try:
        return scoped_queryset(request, model_or_queryset).get(**lookup)
    except (models.ObjectDoesNotExist, ValueError, TypeError) as exc:
        raise Http404("Hittades inte.") from exc


class Membership:
    """What the current user is in one organisation: the organisation and their roles there."""

    __slots__ = ("organisation", "roles")

    def __init__(self, organisation: Organisation, roles: set[str]):
        self.organisation = organisation
        self.roles = frozenset(roles)


def memberships_for(user) -> dict[int, Membership]:
    from .models import RoleAssignment

    found: dict[int, Membership] = {}
    rows = RoleAssignment.objects.filter(user=user).select_related("organisation").order_by("organisation__name")
    for row in rows:
        entry = found.setdefault(row.organisation_id, Membership(row.organisation, set()))
        entry.roles = entry.roles | {row.role}
    return found


class CurrentOrganisationMiddleware:
    """Puts `request.organisation`, `request.roles` and `request.memberships` on every request.

    The organisation is the one chosen in the session when the user still belongs to it, else their first.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest):
        request.organisation = None
        request.roles = frozenset()
        request.memberships = {}
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            request.memberships = memberships_for(user)
            chosen = request.session.get(SESSION_KEY)
            current = request.memberships.get(chosen) or next(iter(request.memberships.values()), None)
            if current is not None:
                request.organisation = current.organisation
                request.roles = current.roles
                if chosen != current.organisation.pk:
                    request.session[SESSION_KEY] = current.organisation.pk
        return self.get_response(request)


def switch_organisation(request: HttpRequest, organisation_id: int) -> bool:
    """Make another of the user's organisations current. False when the user does not belong to it."""
    if organisation_id not in request.memberships:
        return False
    request.session[SESSION_KEY] = organisation_id
    membership = request.memberships[organisation_id]
    request.organisation = membership.organisation
    request.roles = membership.roles
    return True
