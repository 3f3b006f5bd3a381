"""Validators for Swedish identifiers and uploaded files. Messages are Swedish and name what is wrong."""

import re

from django.core.exceptions import ValidationError

ORG_NUMBER_RE = re.compile(r"^(\d{6})-?(\d{4})$")


def luhn_check_digit(digits: str) -> int:
    """Check digit for the first nine digits of an organisationsnummer (the Luhn algorithm)."""
    total = 0
    for index, char in enumerate(digits):
        value = int(char) * (2 if index % 2 == 0 else 1)
        total += value - 9 if value > 9 else value
    return (10 - total % 10) % 10


def normalise_org_number(value: str) -> str:
    """Return the number as NNNNNN-NNNN, or raise a ValidationError saying what is wrong."""
    cleaned = (value or "").strip().replace(" ", "")
    match = ORG_NUMBER_RE.match(cleaned)
    if not match:
        raise ValidationError(
            "Organisationsnumret ”%(value)s” har fel form. Skriv tio siffror som NNNNNN-NNNN, t.ex. 222000-1644.",
            code="format",
            params={"value": value},
        )
    digits = match.group(1) + match.group(2)
    if int(digits[2]) < 2:
        raise ValidationError(
            "Organisationsnumret ”%(value)s” är inte ett organisationsnummer: "
            "den tredje siffran ska vara 2 eller högre.",
            code="month",
            params={"value": value},
        )
    expected = luhn_check_digit(digits[:9])
    if int(digits[9]) != expected:
        raise ValidationError(
            "Organisationsnumret ”%(value)s” har fel kontrollsiffra (sista siffran ska vara %(expected)s).",
            code="checksum",
            params={"value": value, "expected": expected},
        )
    return f"{digits[:6]}-{digits[6:]}"


def validate_org_number(value: str) -> None:
    normalise_org_number(value)
