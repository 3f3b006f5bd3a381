"""Writes for medlemsbidrag. Each write leaves its history row (simple-history) with the actor."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction

from core.formatting import format_kr
from core.models import Organisation, User

from .account_services import _save
from .locks import lock_reason
from .models import ContributionAllocation, ContributionMunicipality, FiscalYear


@transaction.atomic
def allocation_save(
    *,
    organisation: Organisation,
    actor: User,
    fiscal_year: FiscalYear,
    total: Decimal,
    rounding_unit: int,
    municipalities: Sequence[tuple[str, Decimal]],
    state_name: str = "Staten genom Försäkringskassan",
    region_name: str = "Regionen",
) -> ContributionAllocation:
    """Create or replace the year's allocation and its kommun shares."""
    if fiscal_year.organisation_id != organisation.pk:
        raise ValidationError("Räkenskapsåret hör inte till organisationen.")
    total = Decimal(total)
    unit = Decimal(int(rounding_unit))
    if total < 0:
        raise ValidationError({"total": "Tilldelade medel kan inte vara negativa."})
    if unit <= 0 or (total / unit) != (total / unit).to_integral_value():
        raise ValidationError({"total": f"Tilldelade medel måste vara jämnt delbara med {format_kr(unit)}."})
    names = [name.strip() for name, _share in municipalities]
    if len(set(names)) != len(names):
        raise ValidationError("Samma kommun står två gånger.")
    if any(Decimal(share) < 0 for _name, share in municipalities):
        raise ValidationError("En kommuns andel kan inte vara negativ.")
    allocation = ContributionAllocation.objects.filter(fiscal_year=fiscal_year).first() or ContributionAllocation(
        organisation=organisation, fiscal_year=fiscal_year
    )
    reason = lock_reason(fiscal_year, "medlemsbidragen")
    if reason:
        # Saving the same figures again (seed_demo runs every time) changes nothing and is no refusal.
        if allocation.pk is None or not _unchanged(
            allocation, total, int(rounding_unit), municipalities, state_name, region_name
        ):
            raise ValidationError(reason, code="year_locked")
        return allocation
    allocation.total = total
    allocation.rounding_unit = int(rounding_unit)
    allocation.state_name = state_name or "Staten genom Försäkringskassan"
    allocation.region_name = region_name or "Regionen"
    _save(allocation, actor, exclude=["fiscal_year"])
    for row in allocation.municipalities.all():
        row._history_user = actor
        row.delete()
    for position, (name, share) in enumerate(municipalities):
        _save(
            ContributionMunicipality(allocation=allocation, name=name.strip(), share=Decimal(share), position=position),
            actor,
        )
    return allocation


def _unchanged(allocation, total, unit, municipalities, state_name, region_name) -> bool:
    stored = [(row.name, row.share) for row in allocation.municipalities.order_by("position", "pk")]
    given = [(name.strip(), Decimal(share)) for name, share in municipalities]
    return (
        allocation.total == total
        and allocation.rounding_unit == unit
        and allocation.state_name == (state_name or "Staten genom Försäkringskassan")
        and allocation.region_name == (region_name or "Regionen")
        and stored == given
    )
