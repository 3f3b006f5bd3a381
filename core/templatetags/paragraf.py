"""Shared template tags: `{% load paragraf %}`.

Permission answers come from core.permissions, so templates never check roles themselves.
"""

import datetime as dt

from django import template

from core import audit
from core.permissions import has_perm

register = template.Library()


@register.simple_tag(takes_context=True)
def audit_url(context, obj) -> str:
    """The object's change-history page, or "" when the user may not read the audit trail or it has none."""
    request = context.get("request")
    if request is None or not hasattr(request, "organisation") or getattr(obj, "pk", None) is None:
        return ""  # no request (e-mail, PDF), or an unsaved object
    if not has_perm(request, "core.view_audit"):
        return ""
    audited_model = audit.audited_for(obj.__class__)  # __class__: a lazy object answers with its own
    return audited_model.object_url(obj.pk) if audited_model else ""


@register.filter
def sv_duration(value) -> str:
    """A timedelta in Swedish words: "1 timme", "30 minuter", "1 timme och 30 minuter"."""
    if not isinstance(value, dt.timedelta):
        return ""
    minutes = max(0, round(value.total_seconds() / 60))
    hours, minutes = divmod(minutes, 60)
    parts = []
    if hours:
        parts.append(f"{hours} timme" if hours == 1 else f"{hours} timmar")
    if minutes or not parts:
        parts.append(f"{minutes} minut" if minutes == 1 else f"{minutes} minuter")
    return " och ".join(parts)
