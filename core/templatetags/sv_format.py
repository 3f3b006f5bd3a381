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
