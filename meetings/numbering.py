"""Numbers that must never be wrong: diarienummer per series and year, § per committee and calendar year.

Both take the next number from a counter row locked with SELECT … FOR UPDATE, inside the caller's transaction:
two secretaries at once queue on the lock and get consecutive numbers, and a transaction that fails rolls its
number back with it, so no gap is left. The unique constraints on Case and Paragraph are the last guard.
"""

from __future__ import annotations

from django.db import IntegrityError, transaction

from .models import CaseNumberCounter, CaseNumberSeries, Committee, ParagraphCounter


def _locked_counter(model, **key):
    """The counter row for `key`, locked for this transaction; created at zero the first time."""
    counter = model.objects.select_for_update().filter(**key).first()
    if counter is not None:
        return counter
    try:
        # A savepoint, so that losing the race to create the row does not spoil the caller's transaction.
        with transaction.atomic():
            model.objects.create(**key)
    except IntegrityError:
        pass  # another transaction created it first; the lock below waits for it
    return model.objects.select_for_update().get(**key)


def case_number_next(*, series: CaseNumberSeries, year: int) -> tuple[int, str]:
    """Take the next löpnummer of the series in the year: (sequence, formatted diarienummer)."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("case_number_next måste anropas inom en transaktion")
    counter = _locked_counter(CaseNumberCounter, series=series, year=year)
    counter.last_value += 1
    counter.save(update_fields=["last_value"])
    return counter.last_value, series.format(year=year, sequence=counter.last_value)


def paragraph_number_next(*, committee: Committee, year: int) -> int:
    """Take the next § number of the committee in the calendar year."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("paragraph_number_next måste anropas inom en transaktion")
    counter = _locked_counter(ParagraphCounter, committee=committee, year=year)
    counter.last_number += 1
    counter.save(update_fields=["last_number"])
    return counter.last_number


def paragraph_number_release(*, committee: Committee, year: int, number: int) -> bool:
    """Give back `number` if it is the last one taken (a draft § removed before anything followed it).

    Any other number stays taken: releasing it would leave a gap in the series. Returns whether it was released.
    """
    counter = ParagraphCounter.objects.select_for_update().filter(committee=committee, year=year).first()
    if counter is None or counter.last_number != number:
        return False
    counter.last_number -= 1
    counter.save(update_fields=["last_number"])
    return True
