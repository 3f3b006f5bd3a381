"""The path converter for object ids: `<id:pk>` everywhere a URL takes one.

Django's `<int:pk>` matches any run of digits, so a 25-digit id reaches the database, which overflows (SQLite:
OverflowError, a 500). Ids are BigAutoField values: at most 19 digits and 2**63 - 1. Anything larger is no
object, so the URL does not match and the answer is a 404 before any view runs.
"""

from django.urls import register_converter
from django.urls.converters import IntConverter

MAX_ID = 2**63 - 1


class IdConverter(IntConverter):
    regex = "[0-9]{1,19}"

    def to_python(self, value: str) -> int:
        number = int(value)
        if number > MAX_ID:
            raise ValueError("id out of range")  # the resolver treats this as "no match": 404
        return number


def register() -> None:
    register_converter(IdConverter, "id")
