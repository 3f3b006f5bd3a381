"""The confidentiality rule in templates: `{% load confidentiality %}`.

    {% if paragraph|hidden_for:viewer %} … only the number and the standard text …
    {% else %} … everything, with {% if paragraph|is_confidential %}a Sekretess badge{% endif %} …

`viewer` is in every page's context (meetings.confidentiality.context_processor) and in every document's.
Without a viewer, a confidential object is hidden: a template that forgets to pass one leaks nothing.
"""

from django import template

from meetings import confidentiality

register = template.Library()


@register.filter
def hidden_for(obj, viewer) -> bool:
    """True when `obj` is confidential and `viewer` may not read it."""
    if not confidentiality.is_confidential(obj):
        return False
    if not isinstance(viewer, confidentiality.Viewer):
        return True
    return viewer.hides(obj)


@register.filter(name="is_confidential")
def is_confidential_filter(obj) -> bool:
    """Sekretess itself or through what it belongs to: for the badge shown to those who may read it."""
    return confidentiality.is_confidential(obj)


@register.filter
def confidential_basis(obj) -> str:
    """The sekretessgrund that applies to `obj` (its own, or its agenda item's or ärende's)."""
    return confidentiality.legal_basis(obj)


@register.filter
def reads_confidential_of(viewer, obj) -> bool:
    """Whether `viewer` may read the confidential material of `obj`'s committee and meeting date.

    For links and buttons that lead to confidential content (the internal kallelse, the archived protokoll), and
    as part of a cache key for a fragment that holds confidential content.
    """
    if not isinstance(viewer, confidentiality.Viewer):
        return False
    return viewer.may_read(*confidentiality.scope(obj))
