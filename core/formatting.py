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


WEEKDAYS = ("måndag", "tisdag", "onsdag", "torsdag", "fredag", "lördag", "söndag")
MONTHS = (
    "januari",
    "februari",
    "mars",
    "april",
    "maj",
    "juni",
    "juli",
    "augusti",
    "september",
    "oktober",
    "november",
    "december",
)
EN_DASH = "\u2013"


def format_long_date(value) -> str:
    """ "torsdag den 28 november 2019", as a protokoll's front page writes the sammanträdesdatum."""
    if not isinstance(value, dt.date):
        return "" if value is None else str(value)
    if isinstance(value, dt.datetime):
        from django.utils import timezone

        value = timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    return f"{WEEKDAYS[value.weekday()]} den {format_day_month_year(value)}"


def format_day_month_year(value: dt.date) -> str:
    """ "28 november 2019"."""
    return f"{value.day} {MONTHS[value.month - 1]} {value.year}"


def format_time(value) -> str:
    """ "09.00": the one time format of the documents (the seeds write kl. 09.00, never 09:00)."""
    if value is None or value == "":
        return ""
    if isinstance(value, dt.datetime):
        from django.utils import timezone

        if timezone.is_aware(value):
            value = timezone.localtime(value)
    return value.strftime("%H.%M")


def format_time_span(start, end=None) -> str:
    """ "kl. 09.00–15.00", or "kl. 09.00" without an end."""
    if start is None:
        return ""
    text = f"kl.{NBSP}{format_time(start)}"
    return f"{text}{EN_DASH}{format_time(end)}" if end else text


def format_paragraph_sign(number) -> str:
    """ "§ 7" with a no-break space: the § never parts from its number at a line break."""
    if number is None or number == "":
        return ""
    return f"§{NBSP}{number}"


def format_paragraph_range(numbers) -> str:
    """ "§§ 69–81" for a protokoll's §§, "§ 69" for one, "" for none; the § never parts from its number."""
    numbers = sorted(numbers)
    if not numbers:
        return ""
    if len(numbers) == 1:
        return f"§{NBSP}{numbers[0]}"
    return f"§§{NBSP}{numbers[0]}{EN_DASH}{numbers[-1]}"


def format_date_only(value) -> str:
    """ "2019-12-05": the local day of a date or a moment (a signature, a rättelse)."""
    if isinstance(value, dt.datetime):
        from django.utils import timezone

        value = timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    return format_date(value)
