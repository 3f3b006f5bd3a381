from .models import Role
from .navigation import menu_for


def navigation(request):
    if not getattr(request, "user", None) or not request.user.is_authenticated:
        return {}
    labels = [Role(role).label for role in sorted(getattr(request, "roles", ()), key=Role.values.index)]
    return {"nav_items": menu_for(request), "current_role_labels": labels}
