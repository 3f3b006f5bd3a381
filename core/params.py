"""Numbers from query strings and posted values, parsed so that no input can reach the database as garbage."""

from __future__ import annotations

from .converters import MAX_ID


def parse_id(value) -> int | None:
    """A positive object id (ASCII digits, at most 2**63 - 1), or None for anything else."""
    text = str(value if value is not None else "").strip()
    if not text or len(text) > 19 or not text.isascii() or not text.isdigit():
        return None
    number = int(text)
    return number if 0 < number <= MAX_ID else None
