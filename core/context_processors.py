from functools import partial

from django.urls import get_script_prefix

from .models import Role
from .navigation import menu_for


def session_timeout(request):
    """How long the session has left, for the warning before it ends (static/js/session.js)."""
    if not getattr(request, "user", None) or not request.user.is_authenticated or not hasattr(request, "session"):
        return {}
    from .sessions import WARN_SECONDS, seconds_left

    return {"session_seconds_left": seconds_left(request), "session_warn_seconds": WARN_SECONDS}


def navigation(request):
    if not getattr(request, "user", None) or not request.user.is_authenticated:
        return {"page_header_key": ("anonymous",)}
    labels = [Role(role).label for role in sorted(getattr(request, "roles", ()), key=Role.values.index)]
    items = menu_for(request)
    return {
        "nav_items": items,
        "current_role_labels": labels,
        # A callable: the template asks for it (and it is worked out) only where base.html's header is drawn.
        "page_header_key": partial(_header_key, request, items, labels),
    }


def _header_key(request, items: list[dict], labels: list[str]) -> tuple:
    """Everything base.html's cached header shows (its CSRF tokens are put in afresh, core fragment_cache)."""
    user, organisation = request.user, getattr(request, "organisation", None)
    return (
        user.pk,
        user.get_full_name() or user.username,
        (organisation.pk, organisation.name) if organisation is not None else None,
        tuple((m.organisation.pk, m.organisation.name) for m in getattr(request, "memberships", {}).values()),
        tuple(labels),
        tuple((item["key"], item["label"], item["url"], item["active"]) for item in items),
        get_script_prefix(),
    )
