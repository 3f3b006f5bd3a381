"""One check for "this fiscal year is closed": its årsredovisning, or the next year's, is finalised.

A finalised årsredovisning shows the year's statements, computed from the ledger, the budget and the typed
figures, each beside the previous year's; if any of them could change afterwards the archived PDF would no longer
be what the data says. So every write service of finance that touches a fiscal year asks `year_locked` (or calls
`refuse_if_year_locked`) before writing: the ledger imports (finance.import_services), the budget
(finance.budget_services), medlemsbidrag and eget kapital (contribution_services, equity_services) and the
statements' typed figures.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db.models import Q, Subquery

from .models import AnnualReport, FiscalYear


def locking_year(fiscal_year: FiscalYear | int | None) -> FiscalYear | None:
    """The fiscal year whose finalised årsredovisning holds this year fast, or None (one query).

    That is the year's own årsredovisning, or the next year's: it prints this year as its comparison column, so
    once it is fastställd this year's figures (typed or imported) must not change either.
    """
    if fiscal_year is None:
        return None
    if isinstance(fiscal_year, int):
        fiscal_year = FiscalYear.objects.filter(pk=fiscal_year).first()
        if fiscal_year is None:
            return None
    if fiscal_year.pk is None:
        return None
    next_year = (
        FiscalYear.objects.filter(organisation_id=fiscal_year.organisation_id, start__gt=fiscal_year.end)
        .order_by("start")
        .values("pk")[:1]
    )
    final = (
        AnnualReport.objects.filter(status=AnnualReport.Status.FINAL)
        .filter(Q(fiscal_year_id=fiscal_year.pk) | Q(fiscal_year_id=Subquery(next_year)))
        .select_related("fiscal_year")
        .order_by("fiscal_year__start")
        .first()
    )
    return final.fiscal_year if final else None


def year_locked(*, fiscal_year: FiscalYear | int | None) -> bool:
    """True when the fiscal year's årsredovisning, or the next year's, is finalised (one query)."""
    return locking_year(fiscal_year) is not None


def locked_year_ids(organisation) -> set[int]:
    """The ids of the organisation's locked years, for a page that lists them all (two queries)."""
    years = list(FiscalYear.objects.filter(organisation=organisation).order_by("start").values_list("pk", flat=True))
    final = set(
        AnnualReport.objects.filter(organisation=organisation, status=AnnualReport.Status.FINAL).values_list(
            "fiscal_year_id", flat=True
        )
    )
    locked = set()
    for index, pk in enumerate(years):
        if pk in final:
            locked.add(pk)
            if index:
                locked.add(years[index - 1])
    return locked


def lock_reason(fiscal_year: FiscalYear, what: str) -> str | None:
    """Why `what` of the year can no longer change (Swedish), naming the årsredovisning that holds it; None while
    the year is open (one query)."""
    holder = locking_year(fiscal_year)
    if holder is None:
        return None
    if holder.pk != fiscal_year.pk:
        return (
            f"Årsredovisningen för {holder.label} är fastställd och visar {fiscal_year.label} som jämförelseår, "
            f"så {what} för räkenskapsår {fiscal_year.label} kan inte längre ändras."
        )
    return (
        f"Årsredovisningen för {fiscal_year.label} är fastställd, så {what} för räkenskapsår {fiscal_year.label} "
        "kan inte längre ändras."
    )


def refuse_if_year_locked(*, fiscal_year: FiscalYear | None, what: str, field: str | None = None) -> None:
    """Raise ValidationError (Swedish, naming the year and what was refused) when the year is locked."""
    message = lock_reason(fiscal_year, what) if fiscal_year is not None else None
    if message:
        raise ValidationError({field: message} if field else message, code="year_locked")


def _statement_year_lock(fiscal_year: FiscalYear) -> str | None:
    return lock_reason(fiscal_year, "bokslutets siffror")


def _finalised_years(organisation) -> list[FiscalYear]:
    """The years whose årsredovisning is fastställd: the mapping may not change what their statements show."""
    return list(
        FiscalYear.objects.filter(
            organisation=organisation,
            annual_report__status=AnnualReport.Status.FINAL,
        ).order_by("start")
    )


def register_statement_locks() -> None:
    """Hook the year lock into the statements' services (finance.statement_services.YEAR_LOCKS, FROZEN_YEARS)."""
    from . import statement_services

    if _statement_year_lock not in statement_services.YEAR_LOCKS:
        statement_services.YEAR_LOCKS.append(_statement_year_lock)
    if _finalised_years not in statement_services.FROZEN_YEARS:
        statement_services.FROZEN_YEARS.append(_finalised_years)
