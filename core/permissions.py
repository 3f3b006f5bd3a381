"""Who may do what, per role in the current organisation.

Each app declares its own rules in its `permissions.py` with `register`; views ask `has_perm` or use
`perm_required`. Templates get the answers as booleans from their view (never their own role checks).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from functools import wraps

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest

from .models import Role

ALL_ROLES = frozenset(Role.values)
# Roles that may change domain data somewhere. Revisor and ledamot read only (ledamot signs as justerare).
EDITING_ROLES = frozenset({Role.ADMIN, Role.SECRETARY, Role.DIRECTOR, Role.ECONOMIST})

_RULES: dict[str, frozenset[str]] = {}


def register(perm: str, roles: Iterable[str]) -> None:
    _RULES[perm] = frozenset(roles)


def roles_for(perm: str) -> frozenset[str]:
    try:
        return _RULES[perm]
    except KeyError as exc:  # a typo must not silently deny or allow
        raise LookupError(f"Okänd behörighet: {perm}") from exc


def has_perm(request: HttpRequest, perm: str) -> bool:
    if not request.user.is_authenticated or request.organisation is None:
        return False
    return bool(roles_for(perm) & request.roles)


def require_perm(request: HttpRequest, perm: str) -> None:
    if not has_perm(request, perm):
        raise PermissionDenied("Du har inte behörighet att göra detta.")


def perm_required(perm: str) -> Callable:
    def decorator(view: Callable) -> Callable:
        @wraps(view)
        def wrapped(request: HttpRequest, *args, **kwargs):
            if not request.user.is_authenticated:
                from django.contrib.auth.views import redirect_to_login

                return redirect_to_login(request.get_full_path())
            require_perm(request, perm)
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


class PermRequiredMixin:
    """For class-based views: `required_perm = "app.action"`."""

    required_perm: str = ""

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            from django.contrib.auth.views import redirect_to_login

            return redirect_to_login(request.get_full_path())
        require_perm(request, self.required_perm)
        return super().dispatch(request, *args, **kwargs)


# Core rules.
register("core.view", ALL_ROLES)
register("core.manage_users", {Role.ADMIN})
register("core.change_organisation", {Role.ADMIN})
# The revisor reads the granskningslogg (read-only, like everything the revisor sees).
register("core.view_audit", {Role.ADMIN, Role.AUDITOR})
