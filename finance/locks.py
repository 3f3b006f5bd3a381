"""One check for "this fiscal year is closed": its årsredovisning is finalised.

A finalised årsredovisning shows the year's statements, computed from the ledger, the budget and the typed
figures; if any of them could change afterwards the archived PDF would no longer be what the data says. So every
write service of finance that touches a fiscal year asks `year_locked` (or calls `refuse_if_year_locked`) before
writing: the ledger imports (finance.import_services), the budget (finance.budget_services), medlemsbidrag and
eget kapital (contribution_services, equity_services) and the statements' typed figures.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError

from .models import AnnualReport, FiscalYear


def year_locked(*, fiscal_year: FiscalYear | int | None) -> bool:
    """True when the fiscal year's årsredovisning is finalised (one query)."""
    if fiscal_year is None:
        return False
    year_id = fiscal_year if isinstance(fiscal_year, int) else fiscal_year.pk
    if year_id is None:
        return False
    return AnnualReport.objects.filter(fiscal_year_id=year_id, status=AnnualReport.Status.FINAL).exists()


def locked_message(fiscal_year: FiscalYear, what: str) -> str:
    return (
        f"Årsredovisningen för {fiscal_year.label} är fastställd, så {what} för räkenskapsår {fiscal_year.label} "
        "kan inte längre ändras."
    )


def refuse_if_year_locked(*, fiscal_year: FiscalYear | None, what: str, field: str | None = None) -> None:
    """Raise ValidationError (Swedish, naming the year and what was refused) when the year is locked."""
    if fiscal_year is not None and year_locked(fiscal_year=fiscal_year):
        message = locked_message(fiscal_year, what)
        raise ValidationError({field: message} if field else message, code="year_locked")


def _statement_year_lock(fiscal_year: FiscalYear) -> str | None:
    return locked_message(fiscal_year, "bokslutets siffror") if year_locked(fiscal_year=fiscal_year) else None


def _statement_mapping_lock(organisation) -> str | None:
    final = (
        AnnualReport.objects.filter(organisation=organisation, status=AnnualReport.Status.FINAL)
        .select_related("fiscal_year")
        .order_by("-fiscal_year__start")
        .first()
    )
    if final is None:
        return None
    return (
        f"Årsredovisningen för {final.fiscal_year.label} är fastställd, så uppställningen av bokslutet (som den "
        "räknas fram med) kan inte längre ändras."
    )


def register_statement_locks() -> None:
    """Hook the year lock into the statements' services (finance.statement_services.YEAR_LOCKS, MAPPING_LOCKS)."""
    from . import statement_services

    if _statement_year_lock not in statement_services.YEAR_LOCKS:
        statement_services.YEAR_LOCKS.append(_statement_year_lock)
    if _statement_mapping_lock not in statement_services.MAPPING_LOCKS:
        statement_services.MAPPING_LOCKS.append(_statement_mapping_lock)
