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
        return {}
    labels = [Role(role).label for role in sorted(getattr(request, "roles", ()), key=Role.values.index)]
    return {"nav_items": menu_for(request), "current_role_labels": labels}
