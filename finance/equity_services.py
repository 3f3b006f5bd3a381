"""Writes for eget kapital: the typed figures of a year and the recommended-maximum table, with history."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction

from core.models import Organisation, User

from .account_services import _save
from .locks import refuse_if_year_locked
from .models import EquityLimitStep, EquityYear, FiscalYear


@transaction.atomic
def equity_year_save(
    *,
    organisation: Organisation,
    actor: User,
    fiscal_year: FiscalYear,
    opening: Decimal | None,
    result: Decimal | None,
    forecast_result: Decimal | None,
    allocated: Decimal | None,
) -> EquityYear:
    if fiscal_year.organisation_id != organisation.pk:
        raise ValidationError("Räkenskapsåret hör inte till organisationen.")
    refuse_if_year_locked(fiscal_year=fiscal_year, what="eget kapital")
    if allocated is not None and allocated < 0:
        raise ValidationError({"allocated": "Tilldelade medel kan inte vara negativa."})
    row = EquityYear.objects.filter(fiscal_year=fiscal_year).first() or EquityYear(
        organisation=organisation, fiscal_year=fiscal_year
    )
    row.opening, row.result, row.forecast_result, row.allocated = opening, result, forecast_result, allocated
    return _save(row, actor, exclude=["fiscal_year"])


@transaction.atomic
def limit_steps_save(
    *, organisation: Organisation, actor: User, steps: Sequence[tuple[Decimal | None, Decimal]]
) -> list[EquityLimitStep]:
    """Replace the table. Upper bounds must rise; at most one open-ended step, and it comes last."""
    if not steps:
        raise ValidationError("Ange minst ett steg.")
    bounds = [upper for upper, _share in steps]
    if None in bounds[:-1]:
        raise ValidationError("Bara det sista steget får sakna övre gräns.")
    finite = [b for b in bounds if b is not None]
    if finite != sorted(finite) or len(set(finite)) != len(finite):
        raise ValidationError("De övre gränserna måste stiga från steg till steg.")
    for _upper, share in steps:
        if not Decimal(0) <= share <= Decimal(100):
            raise ValidationError("En andel måste ligga mellan 0 och 100 %.")
    for old in EquityLimitStep.objects.for_organisation(organisation):
        old._history_user = actor
        old.delete()
    return [
        _save(EquityLimitStep(organisation=organisation, upper_bound=upper, max_share=share), actor)
        for upper, share in steps
    ]
