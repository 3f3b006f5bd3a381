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


def _role_rows(user_id: int):
    from .models import RoleAssignment

    return RoleAssignment.objects.filter(user_id=user_id).select_related("organisation").order_by("organisation__name")


def memberships_for(user) -> dict[int, Membership]:
    """Read on every request (roles taken away take effect at once), with a query compiled once per process."""
    from . import compiled_query

    found: dict[int, Membership] = {}
    for row in compiled_query.instances(_role_rows, user_id=user.pk):
        entry = found.setdefault(row.organisation_id, Membership(row.organisation, set()))
        entry.roles = entry.roles | {row.role}
    return found


SWITCHED_MESSAGE = "Du har bytt till organisation {name}."


def _remember_last(user, organisation_id: int) -> None:
    """The organisation a next login lands in. An update, not a save: no history row for a preference."""
    if getattr(user, "last_organisation_id", None) != organisation_id:
        from django.contrib.auth import get_user_model

        get_user_model().objects.filter(pk=user.pk).update(last_organisation_id=organisation_id)
        user.last_organisation_id = organisation_id


class CurrentOrganisationMiddleware:
    """Puts `request.organisation`, `request.roles` and `request.memberships` on every request.

    The organisation is the one chosen in the session when the user still belongs to it, else the one they
    used last (so a login lands there), else their first.

    It is also the one place where a link into another of the user's organisations opens: a GET that answers
    404 in the current organisation is tried once in each of the user's other organisations (with the roles
    held there); where it answers 200 the organisation is switched, a notice is added and the browser is sent
    back to the same address. An organisation where the user holds no role is never tried, so its objects stay
    a 404. Because it works on the answer and not on a model, every detail view gets it, whichever selector
    it uses.
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
            if chosen not in request.memberships:
                chosen = getattr(user, "last_organisation_id", None)
            current = request.memberships.get(chosen) or next(iter(request.memberships.values()), None)
            if current is not None:
                request.organisation = current.organisation
                request.roles = current.roles
                if request.session.get(SESSION_KEY) != current.organisation.pk:
                    # No write to the user here: only a switch (switch_organisation) changes the last one used.
                    request.session[SESSION_KEY] = current.organisation.pk
        response = self.get_response(request)
        if response.status_code == 404 and self._may_follow(request):
            return self._follow_into_other_organisation(request, response)
        return response

    @staticmethod
    def _may_follow(request: HttpRequest) -> bool:
        # Only safe requests are re-run; an htmx fragment would be swapped into the wrong page.
        return (
            request.method in ("GET", "HEAD")
            and len(request.memberships) > 1
            and request.organisation is not None
            and not request.headers.get("HX-Request")
        )

    def _follow_into_other_organisation(self, request: HttpRequest, not_found):
        from django.contrib import messages
        from django.contrib.messages.storage import default_storage
        from django.shortcuts import redirect

        original = (request.organisation, request.roles)
        original_messages = getattr(request, "_messages", None)
        for organisation_id, membership in request.memberships.items():
            if organisation_id == original[0].pk:
                continue
            request.organisation, request.roles = membership.organisation, membership.roles
            # A page rendered only to probe must not consume the user's pending messages.
            if original_messages is not None:
                request._messages = default_storage(request)
            try:
                probe = self.get_response(request)
            finally:
                if original_messages is not None:
                    request._messages = original_messages
            found = probe.status_code == 200
            # Not probe.close(): that would send request_finished (and close the database connection) mid-request.
            stream = getattr(probe, "file_to_stream", None)
            if stream is not None:
                stream.close()
            if found:
                switch_organisation(request, organisation_id)
                messages.info(request, SWITCHED_MESSAGE.format(name=membership.organisation.name))
                return redirect(request.get_full_path())
        request.organisation, request.roles = original
        return not_found


def switch_organisation(request: HttpRequest, organisation_id: int) -> bool:
    """Make another of the user's organisations current. False when the user does not belong to it."""
    if organisation_id not in request.memberships:
        return False
    request.session[SESSION_KEY] = organisation_id
    _remember_last(request.user, organisation_id)
    membership = request.memberships[organisation_id]
    request.organisation = membership.organisation
    request.roles = membership.roles
    return True
