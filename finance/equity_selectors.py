"""Reads for eget kapital: opening, årets resultat and closing per fiscal year, against the recommended maximum.

Årets resultat comes from the imported ledger when the year has one (SIE #RES on the result accounts, credit
negative, so the result is minus their sum), else from the typed figure. The opening is the typed figure, else
the imported ingående balans of the eget kapital accounts, else the previous year's closing. A constant number
of queries whatever the number of years.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Sum

from core.models import Organisation

from .models import (
    AccountBalance,
    AccountKind,
    ContributionAllocation,
    EquityLimitStep,
    EquityYear,
    FiscalYear,
)

# Nationella rådet's guidance as the default table (docs/decisions/0017-medlemsbidrag-rounding.md): each
# organisation may change it on the eget kapital page.
DEFAULT_STEPS = ((Decimal("15000000"), Decimal("20")), (Decimal("25000000"), Decimal("15")), (None, Decimal("10")))


@dataclass
class EquityRow:
    fiscal_year: FiscalYear
    opening: Decimal | None
    opening_source: str
    result: Decimal | None
    result_source: str
    closing: Decimal | None
    allocated: Decimal | None
    max_share: Decimal | None
    maximum: Decimal | None
    distance: Decimal | None  # maximum − closing: positive is room left, negative is above the recommendation
    forecast_result: Decimal | None
    forecast_closing: Decimal | None
    forecast_distance: Decimal | None

    @property
    def above_maximum(self) -> bool:
        return self.distance is not None and self.distance < 0


def limit_steps(*, organisation: Organisation) -> list[tuple[Decimal | None, Decimal]]:
    rows = list(EquityLimitStep.objects.for_organisation(organisation).values_list("upper_bound", "max_share"))
    if not rows:
        return list(DEFAULT_STEPS)
    return sorted(rows, key=lambda r: (r[0] is None, r[0] or 0))


def max_share_for(allocated: Decimal, steps) -> Decimal | None:
    for upper, share in steps:
        if upper is None or allocated <= upper:
            return share
    return None


def equity_rows(*, organisation: Organisation) -> list[EquityRow]:
    """Every fiscal year, oldest first."""
    years = list(FiscalYear.objects.for_organisation(organisation).order_by("start"))
    typed = {row.fiscal_year_id: row for row in EquityYear.objects.for_organisation(organisation)}
    allocations = dict(
        ContributionAllocation.objects.for_organisation(organisation).values_list("fiscal_year_id", "total")
    )
    balances = AccountBalance.objects.for_organisation(organisation)
    ledger_results = dict(
        balances.filter(kind=AccountBalance.Kind.RESULT, account__kind__in=[AccountKind.INCOME, AccountKind.EXPENSE])
        .values_list("fiscal_year_id")
        .annotate(total=Sum("amount"))
        .values_list("fiscal_year_id", "total")
    )
    ledger_openings = dict(
        balances.filter(kind=AccountBalance.Kind.OPENING, account__kind=AccountKind.EQUITY)
        .values_list("fiscal_year_id")
        .annotate(total=Sum("amount"))
        .values_list("fiscal_year_id", "total")
    )
    steps = limit_steps(organisation=organisation)
    rows: list[EquityRow] = []
    previous_closing = None
    for year in years:
        entry = typed.get(year.pk)
        if entry is not None and entry.opening is not None:
            opening, opening_source = entry.opening, "inskrivet"
        elif year.pk in ledger_openings:
            opening, opening_source = -ledger_openings[year.pk], "ingående balans"
        elif previous_closing is not None:
            opening, opening_source = previous_closing, "föregående år"
        else:
            opening, opening_source = None, ""
        if year.pk in ledger_results:
            result, result_source = -ledger_results[year.pk], "bokföringen"
        elif entry is not None and entry.result is not None:
            result, result_source = entry.result, "inskrivet"
        else:
            result, result_source = None, ""
        closing = opening + result if opening is not None and result is not None else None
        allocated = entry.allocated if entry is not None and entry.allocated is not None else allocations.get(year.pk)
        max_share = max_share_for(allocated, steps) if allocated is not None else None
        maximum = (allocated * max_share / 100).quantize(Decimal("1")) if max_share is not None else None
        forecast_result = entry.forecast_result if entry is not None else None
        forecast_closing = opening + forecast_result if opening is not None and forecast_result is not None else None
        rows.append(
            EquityRow(
                fiscal_year=year,
                opening=opening,
                opening_source=opening_source,
                result=result,
                result_source=result_source,
                closing=closing,
                allocated=allocated,
                max_share=max_share,
                maximum=maximum,
                distance=maximum - closing if maximum is not None and closing is not None else None,
                forecast_result=forecast_result,
                forecast_closing=forecast_closing,
                forecast_distance=(
                    maximum - forecast_closing if maximum is not None and forecast_closing is not None else None
                ),
            )
        )
        previous_closing = closing
    return rows


def current_equity(*, organisation: Organisation) -> EquityRow | None:
    """The newest year with a closing or a forecast, for the dashboard."""
    for row in reversed(equity_rows(organisation=organisation)):
        if row.closing is not None or row.forecast_closing is not None:
            return row
    return None
