"""Template filters for Swedish figures; loaded as builtins in every template."""

from django import template

from core import formatting

register = template.Library()


@register.filter
def kr(value, decimals=0):
    return formatting.format_kr(value, int(decimals))


@register.filter
def tkr(value):
    return formatting.format_tkr(value)


@register.filter
def mnkr(value, decimals=1):
    return formatting.format_mnkr(value, int(decimals))


@register.filter
def sv_number(value, decimals=0):
    return formatting.format_number(value, int(decimals))


@register.filter
def sv_percent(value, decimals=1):
    return formatting.format_percent(value, int(decimals))


@register.filter
def sv_date(value):
    return formatting.format_date(value)


@register.filter
def sv_long_date(value):
    return formatting.format_long_date(value)


@register.filter
def sv_time(value):
    return formatting.format_time(value)


@register.filter
def sv_time_span(start, end=None):
    return formatting.format_time_span(start, end)


@register.filter
def sv_date_only(value):
    return formatting.format_date_only(value)


@register.filter
def paragraph_sign(number):
    """{{ paragraph.number|paragraph_sign }} → "§ 7" with a no-break space."""
    return formatting.format_paragraph_sign(number)
