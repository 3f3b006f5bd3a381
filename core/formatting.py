"""Swedish number, money and date formatting: 1 665 738 kr, 1 666 tkr, -14,0 mnkr, 2019-11-28.

A non-breaking space separates thousands and the unit so an amount never wraps over two lines.
The minus is the ASCII hyphen-minus, as in the seeds and in Excel exports.
"""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

NBSP = "\xa0"


def to_decimal(value) -> Decimal | None:
    if value is None or value == "":
        return None
    if isinstance(value, float):
        value = repr(value)  # never let binary float noise into money
    try:
        return Decimal(value)
    except (InvalidOperation, TypeError, ValueError):
        return None


def format_number(value, decimals: int = 0) -> str:
    number = to_decimal(value)
    if number is None:
        return ""
    quantum = Decimal(1).scaleb(-decimals)
    rounded = number.quantize(quantum, rounding=ROUND_HALF_UP)
    if rounded == 0:
        rounded = abs(rounded)  # no "-0"
    sign = "-" if rounded < 0 else ""
    whole, _, fraction = f"{abs(rounded):.{decimals}f}".partition(".")
    groups = []
    while whole:
        groups.insert(0, whole[-3:])
        whole = whole[:-3]
    text = NBSP.join(groups) or "0"
    if decimals:
        text = f"{text},{fraction}"
    return f"{sign}{text}"


def format_kr(value, decimals: int = 0) -> str:
    text = format_number(value, decimals)
    return f"{text}{NBSP}kr" if text else ""


def format_tkr(value) -> str:
    number = to_decimal(value)
    return "" if number is None else f"{format_number(number / 1000)}{NBSP}tkr"


def format_mnkr(value, decimals: int = 1) -> str:
    number = to_decimal(value)
    return "" if number is None else f"{format_number(number / 1_000_000, decimals)}{NBSP}mnkr"


def format_percent(value, decimals: int = 1) -> str:
    text = format_number(value, decimals)
    return f"{text}{NBSP}%" if text else ""


def format_date(value) -> str:
    if value is None or value == "":
        return ""
    if isinstance(value, dt.datetime):
        from django.utils import timezone

        if timezone.is_aware(value):
            value = timezone.localtime(value)
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)
